/**
 * Each screen's first paint within WeChat's limits: one call, a small first setData (our budget is
 * LIMITS.setDataBudgetBytes, the platform's hard limit 256 KB), fewer than 1000 nodes even after
 * a worker has scrolled five pages of the catalogue. Set WCP_BUDGET_REPORT=1 to print the figures.
 */
import { LIMITS } from '../../miniprogram/core/limits';
import { FakeCloud, ok } from './fake-transport';
import { announcement, card, cards, detail, homeView, me, NOW } from './fixtures';
import { load, type RenderedPage } from './load';
import { CHECKIN_CODE, course, entryCard, entryView, openCompetition, registration } from './fixtures-mine';
import { staffActivities } from './staff-fixtures';

interface Row {
  screen: string;
  calls: number;
  setDataCount: number;
  /** UTF-8 bytes of every setData until the screen was drawn. */
  setDataBytes: number;
  nodes: number;
}
const report: Row[] = [];

function measure(screen: string, page: RenderedPage, cloud: FakeCloud): void {
  report.push({
    screen,
    calls: cloud.calls.length,
    setDataCount: page.setDataLog.length,
    setDataBytes: page.setDataLog.reduce((sum, r) => sum + r.bytes, 0),
    nodes: page.nodeCount(),
  });
  expect(cloud.calls).toHaveLength(1);
  for (const r of page.setDataLog) expect(r.bytes).toBeLessThan(LIMITS.setDataBudgetBytes);
  expect(page.nodeCount()).toBeLessThan(1000);
}

afterAll(() => {
  if (process.env.WCP_BUDGET_REPORT) console.table(report);
});

const longText = '一、参赛对象：全区各级工会会员。\n'.repeat(40);

test('首页: one call, one setData, small', async () => {
  const view = homeView({
    announcements: Array.from({ length: 5 }, (_, i) => announcement({ id: `a${i}`, title: `关于举办2026年职工文化比赛第 ${i} 项活动的通知` })),
    open: cards(10),
    deadlines: cards(5).map((c) => ({ activityId: c.id, title: c.title, label: '报名截止', at: NOW + 86400000, kind: 'signup' as const, trackIds: [] })),
  });
  const cloud = new FakeCloud().on('home.get', ok(view));
  const page = await load('pages/home', { transport: cloud });
  measure('pages/home', page, cloud);
  expect(page.setDataLog).toHaveLength(1);
});

test('活动: twenty cards in the first setData; five pages stay under 1000 nodes', async () => {
  jest.spyOn(Date, 'now').mockReturnValue(NOW);
  const cloud = new FakeCloud().once('activities.list', ok({ items: cards(20), next: 'c20', serverNow: NOW }));
  const page = await load('pages/activities', { transport: cloud });
  measure('pages/activities', page, cloud);
  expect(page.setDataLog).toHaveLength(1);

  for (let p = 1; p < 5; p++) {
    cloud.once('activities.list', ok({ items: cards(20, p * 20 + 1), next: p < 4 ? `c${(p + 1) * 20}` : null, serverNow: NOW }));
    await page.run('onReachBottom');
  }
  expect(page.text()).toContain('活动 100 号');
  const appends = page.setDataLog.filter((r) => r.keys.some((k) => k.startsWith('list[')));
  for (const a of appends) expect(a.keys.filter((k) => k.startsWith('list['))).toHaveLength(20);
  report.push({
    screen: 'pages/activities, each further page',
    calls: cloud.calls.length,
    setDataCount: page.setDataLog.length,
    setDataBytes: Math.max(...appends.map((a) => a.bytes)),
    nodes: page.nodeCount(),
  });
  expect(page.nodeCount()).toBeLessThan(1000);
  jest.restoreAllMocks();
});

test('活动详情: one call, one setData, small', async () => {
  const cloud = new FakeCloud().on('activities.detail', ok(detail({ body: longText })));
  const page = await load('pages/activity', { transport: cloud, query: { id: 'act-comp' } });
  measure('pages/activity (competition)', page, cloud);
  expect(page.setDataLog).toHaveLength(1);
});

test('我的: one call, one setData, small', async () => {
  const cloud = new FakeCloud().on('session.me', ok({ me: me(), consentVersion: '2026-11' }));
  const page = await load('pages/me', { transport: cloud });
  measure('pages/me (profile)', page, cloud);
  expect(page.setDataLog).toHaveLength(1);
});

test('我的, first visit: the notice from one call', async () => {
  const cloud = new FakeCloud().on('session.me', ok({ me: null, consentVersion: '2026-11' }));
  const page = await load('pages/me', { transport: cloud });
  measure('pages/me (notice)', page, cloud);
});


test('a card carries only what it shows', () => {
  const { cardVM } = jest.requireActual<typeof import('../../miniprogram/utils/view')>('../../miniprogram/utils/view');
  expect(Object.keys(cardVM(card(), NOW)).sort()).toEqual(['full', 'id', 'kind', 'meta', 'next', 'seats', 'title', 'tone']);
});

// ---- registration and entries ------------------------------------------------------------------

const longEssay = '劳动创造美好生活，奋斗书写精彩人生。\n'.repeat(260).slice(0, 5000);

test('报名: one call, one setData, small', async () => {
  const d = course({
    questions: [
      { id: 'dept', label: '所在科室', type: 'text', required: true },
      { id: 'size', label: 'T恤尺码', type: 'choice', required: true, options: ['S', 'M', 'L', 'XL', 'XXL'] },
    ],
  });
  const cloud = new FakeCloud().on('activities.detail', ok(d));
  const page = await load('pages/register', { transport: cloud, query: { id: 'act-course' } });
  measure('pages/register (course with questions)', page, cloud);
  expect(page.setDataLog).toHaveLength(1);

  const comp = new FakeCloud().on('activities.detail', ok(openCompetition()));
  const competition = await load('pages/register', { transport: comp, query: { id: 'act-comp' } });
  measure('pages/register (competition)', competition, comp);
  expect(competition.setDataLog).toHaveLength(1);
});

test('我的报名（一项）: one call, one setData; the QR is drawn by its component', async () => {
  const d = openCompetition();
  d.mine = registration();
  const cloud = new FakeCloud().on('activities.detail', ok(d));
  const page = await load('pages/registration', { transport: cloud, query: { id: 'act-comp' } });
  measure('pages/registration (confirmed)', page, cloud);
  expect(page.setDataLog).toHaveLength(1);
  // The page sends the signed code; the picture is made and set inside the component.
  const qr = (page.comp as unknown as { querySelector(s: string): { data: { src: string } } | null }).querySelector('#qr');
  const bytes = Buffer.byteLength(JSON.stringify({ src: qr?.data.src ?? '' }), 'utf8');
  report.push({ screen: 'components/checkin-qr (its own setData)', calls: 0, setDataCount: 1, setDataBytes: bytes, nodes: 0 });
  expect(bytes).toBeLessThan(8 * 1024);
  expect(page.text()).not.toContain(CHECKIN_CODE);
});

test('我的报名: twenty in the first setData, one call', async () => {
  const items = Array.from({ length: 20 }, (_, i) =>
    registration({ id: `r${i}`, activityId: `act-${i}`, activityTitle: `“劳动之美”职工摄影比赛第 ${i} 期`, state: i % 3 === 0 ? 'waitlisted' : 'confirmed' }),
  );
  const cloud = new FakeCloud().on('registrations.mine', ok({ items, next: 'c20' }));
  const page = await load('pages/registrations', { transport: cloud });
  measure('pages/registrations', page, cloud);
  expect(page.setDataLog).toHaveLength(1);
});

test('我的作品: one call, one setData', async () => {
  const items = Array.from({ length: 12 }, (_, i) => entryCard({ id: `e${i}`, code: `ZW-2026-${String(i).padStart(4, '0')}`, state: i % 2 ? 'submitted' : 'draft', version: i % 2 }));
  const cloud = new FakeCloud().on('entries.mine', ok({ items }));
  const page = await load('pages/entries', { transport: cloud });
  measure('pages/entries', page, cloud);
  expect(page.setDataLog).toHaveLength(1);
});

describe('作品编辑', () => {
  beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(NOW));
  afterEach(() => jest.restoreAllMocks());

  test('an essay of 5,000 characters: one call, one setData under budget', async () => {
    const cloud = new FakeCloud().on('entries.open', ok(entryView('essay', { draft: { kind: 'essay', title: '我的岗位', text: longEssay } })));
    const page = await load('pages/entry', { transport: cloud, query: { activityId: 'act-comp', trackId: 'essay' } });
    measure('pages/entry (essay, 5,000 字)', page, cloud);
    expect(page.setDataLog).toHaveLength(1);
  });

  test('six photos: one call, one setData', async () => {
    const ids = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'];
    const view = entryView('photo', {
      draft: { kind: 'photo', title: '一线', photos: ids.map((uploadId) => ({ uploadId, caption: '清晨的车间，工人们已经开始忙碌' })) },
      media: ids.map((uploadId) => ({ uploadId, url: `http://127.0.0.1:3720/storage/6c6f-local-1250000000/entries/act-comp/SY-2026-0003/${uploadId}.jpg?sign=0123456789abcdef&t=1781000000`, caption: '', verdict: null })),
    });
    const cloud = new FakeCloud().on('entries.open', ok(view));
    const page = await load('pages/entry', { transport: cloud, query: { activityId: 'act-comp', trackId: 'photo' } });
    measure('pages/entry (photo, 6 photos)', page, cloud);
    expect(page.setDataLog).toHaveLength(1);
  });

  test('a video: one call, one setData', async () => {
    const view = entryView('video', {
      draft: { kind: 'video', title: '车间的一天', description: '记录一线职工的一天。', videoUploadId: 'v1', coverUploadId: 'c1', seconds: 95 },
      media: [
        { uploadId: 'v1', url: 'http://127.0.0.1:3720/storage/x/v1.mp4', caption: '', verdict: null },
        { uploadId: 'c1', url: 'http://127.0.0.1:3720/storage/x/c1.jpg', caption: '', verdict: null },
      ],
    });
    const cloud = new FakeCloud().on('entries.open', ok(view));
    const page = await load('pages/entry', { transport: cloud, query: { activityId: 'act-comp', trackId: 'video' } });
    measure('pages/entry (video)', page, cloud);
    expect(page.setDataLog).toHaveLength(1);
  });

  test("today's server sends no track with the entry: a second call for its limits, still one setData", async () => {
    const cloud = new FakeCloud().on('entries.open', ok(entryView('essay', {}, false))).on('activities.detail', ok(openCompetition()));
    const page = await load('pages/entry', { transport: cloud, query: { activityId: 'act-comp', trackId: 'essay' } });
    report.push({
      screen: 'pages/entry (essay, without EntryView.track)',
      calls: cloud.calls.length,
      setDataCount: page.setDataLog.length,
      setDataBytes: page.setDataLog.reduce((sum, r) => sum + r.bytes, 0),
      nodes: page.nodeCount(),
    });
    expect(cloud.calls.map((c) => c.action)).toEqual(['entries.open', 'activities.detail']);
    expect(page.setDataLog).toHaveLength(1);
  });
});

// ---- judging and results -----------------------------------------------------------------------

describe('judging and results', () => {
  beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(NOW));
  afterEach(() => jest.restoreAllMocks());
  const j = jest.requireActual<typeof import('./judging-fixtures')>('./judging-fixtures');

  test('评委评审: one call, one setData', async () => {
    const panels = [j.panel(), j.panel({ trackId: 'photo', trackName: '职工摄影', kind: 'photo' }), j.panel({ trackId: 'video', trackName: '职工微视频', kind: 'video' })];
    const cloud = new FakeCloud().on('judging.panels', ok({ panels }));
    const page = await load('packages/judge/index', { transport: cloud });
    measure('packages/judge/index (3 panels)', page, cloud);
    expect(page.setDataLog).toHaveLength(1);
  });

  test('评审作品: forty entries from one call, one setData', async () => {
    const items = Array.from({ length: 40 }, (_, i) => j.queueItem(i + 1, i % 3 === 0 ? { state: 'final', total: '86.50' } : {}));
    const cloud = new FakeCloud().on('judging.queue', ok(j.queue(items)));
    const page = await load('packages/judge/queue', { transport: cloud, query: { ...j.SPRING, title: '征文比赛·职工征文' } });
    measure('packages/judge/queue (40 entries)', page, cloud);
    expect(page.setDataLog).toHaveLength(1);
  });

  test('评分: an essay of 3,000 characters in one setData; one of 20,000 in pieces, each under budget', async () => {
    const essay = (chars: number) => '焊花飞溅，照亮了我们劳动者的梦想。车间里机器的轰鸣声唤醒了沉睡的城市。\n'.repeat(Math.ceil(chars / 36)).slice(0, chars);
    const cloud = new FakeCloud().on('judging.entry', ok(j.blindEntry({ text: essay(3000) })));
    const page = await load('packages/judge/score', { transport: cloud, query: { scoreId: j.queueItem(2).scoreId, ...j.SPRING } });
    measure('packages/judge/score (essay, 3,000 字)', page, cloud);
    expect(page.setDataLog).toHaveLength(1);

    const long = new FakeCloud().on('judging.entry', ok(j.blindEntry({ text: essay(20000) })));
    const big = await load('packages/judge/score', { transport: long, query: { scoreId: j.queueItem(2).scoreId, ...j.SPRING } });
    measure('packages/judge/score (essay, 20,000 字)', big, long);
    expect(big.setDataLog.length).toBeGreaterThan(1);
    expect(big.setDataLog.slice(1).every((r) => r.keys.every((k) => k.startsWith('paras[')))).toBe(true);
  });

  test('工作人员后台: twenty competitions from one staff-only call, one setData', async () => {
    const cloud = new FakeCloud()
      .as('staff')
      .on('activities.staffList', ok({ items: staffActivities(20).map((a) => ({ ...a, kind: 'competition' as const })), next: null }));
    const page = await load('packages/staff/index', { transport: cloud });
    report.push({
      screen: 'packages/staff/index (20 competitions)',
      calls: cloud.calls.length,
      setDataCount: page.setDataLog.length,
      setDataBytes: page.setDataLog.reduce((sum, r) => sum + r.bytes, 0),
      nodes: page.nodeCount(),
    });
    expect(cloud.calls.map((c) => c.action)).toEqual(['activities.staffList']);
    expect(page.setDataLog).toHaveLength(1);
    for (const r of page.setDataLog) expect(r.bytes).toBeLessThan(LIMITS.setDataBudgetBytes);
  });

  test('评审管理: progress of 7 judges and 120 entries from one call, one setData', async () => {
    const judges = Array.from({ length: 7 }, (_, i) => ({ id: `u_${i + 1}`, name: `评委${i + 1}`, assigned: 120, finals: 60 + i }));
    const entries = Array.from({ length: 120 }, (_, i) => ({ code: `ZW-2026-${String(i + 1).padStart(4, '0')}`, finals: 5, assigned: 7, spread: '12.50', recheck: i % 10 === 0, scores: [] }));
    const cloud = new FakeCloud().on('judging.progress', ok(j.progress({ judges, entries, totalAssigned: 840, totalFinal: 441 })));
    const page = await load('packages/staff/judging', { transport: cloud, query: j.SPRING });
    measure('packages/staff/judging (7 judges, 120 entries)', page, cloud);
    expect(page.setDataLog).toHaveLength(1);
    // The board shows fifty entries at a time, so a large track stays far from 1000 nodes.
    await page.tap('还有 70 件，显示更多');
    await page.tap('还有 20 件，显示更多');
    expect(page.text()).toContain('ZW-2026-0120');
    expect(page.nodeCount()).toBeLessThan(1000);
  });

  test('我的成绩: one call, one setData', async () => {
    const items = Array.from({ length: 6 }, (_, i) => j.myResult({ entryId: `e${i}`, code: `ZW-2026-${String(i).padStart(4, '0')}` }));
    const cloud = new FakeCloud().on('results.mine', ok({ items }));
    const page = await load('packages/worker/results', { transport: cloud });
    measure('packages/worker/results (6 results)', page, cloud);
    expect(page.setDataLog).toHaveLength(1);
  });

  test('获奖作品: twenty winners from one call, one setData', async () => {
    const items = Array.from({ length: 20 }, (_, i) => j.galleryItem({ code: `SY-2026-${String(i).padStart(4, '0')}`, cover: `http://127.0.0.1:3720/storage/6c6f-local-1250000000/entries/act-comp/SY-2026-${i}/cover.jpg?sign=0123456789abcdef&t=1781000000` }));
    const cloud = new FakeCloud().on('results.gallery', ok({ items, state: 'publicity' as const }));
    const page = await load('packages/worker/gallery', { transport: cloud, query: { ...j.SPRING, title: '摄影比赛·职工摄影' } });
    measure('packages/worker/gallery (20 winners)', page, cloud);
    expect(page.setDataLog).toHaveLength(1);
  });

  test('电子证书: one call; the drawing stays on the canvas', async () => {
    const cloud = new FakeCloud().on('certificates.get', ok({ data: j.certificate(), signature: 'sig' }));
    const page = await load('packages/worker/certificate', { transport: cloud, query: { entryId: 'ent-li' } });
    measure('packages/worker/certificate', page, cloud);
  });

  test('证书验证: no call until a code is entered; one when opened with a code', async () => {
    const empty = new FakeCloud();
    const blank = await load('packages/worker/verify', { transport: empty });
    report.push({ screen: 'packages/worker/verify (blank)', calls: empty.calls.length, setDataCount: blank.setDataLog.length, setDataBytes: 0, nodes: blank.nodeCount() });
    expect(empty.calls).toHaveLength(0);
    const cloud = new FakeCloud().on('certificates.verify', ok({ valid: true, data: j.certificate() }));
    const page = await load('packages/worker/verify', { transport: cloud, query: { code: 'K7M2P9QX4R' } });
    measure('packages/worker/verify (with a code)', page, cloud);
  });
});
