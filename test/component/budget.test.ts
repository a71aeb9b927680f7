/**
 * Each screen's first paint within WeChat's limits: one call, a small first setData (our budget is
 * LIMITS.setDataBudgetBytes, the platform's hard limit 256 KB), fewer than 1000 nodes even after
 * a worker has scrolled five pages of the catalogue. Set WCP_BUDGET_REPORT=1 to print the figures.
 */
import { LIMITS } from '../../miniprogram/core/limits';
import { FakeCloud, ok } from './fake-transport';
import { announcement, card, cards, detail, homeView, me, NOW } from './fixtures';
import { load, type RenderedPage } from './load';

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
    deadlines: cards(5).map((c) => ({ activityId: c.id, title: c.title, label: '报名截止', at: NOW + 86400000 })),
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

test.each(['packages/judge/index', 'packages/staff/index'])('%s: one call', async (path) => {
  const cloud = new FakeCloud().on('session.me', ok({ me: me({ role: 'staff' }), consentVersion: '2026-11' }));
  const page = await load(path, { transport: cloud });
  measure(path, page, cloud);
});

test('a card carries only what it shows', () => {
  const { cardVM } = jest.requireActual<typeof import('../../miniprogram/utils/view')>('../../miniprogram/utils/view');
  expect(Object.keys(cardVM(card(), NOW)).sort()).toEqual(['full', 'id', 'kind', 'meta', 'next', 'seats', 'title', 'tone']);
});
