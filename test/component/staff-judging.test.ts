/**
 * Staff's hub of competitions and the 评审管理 page of a track, with a fake cloud: progress with
 * 复核 flags, invitations with their QR and code, assignment, and results from computation to
 * publication (with the override and its reason) and the final results.
 */
import { FakeCloud, ok } from './fake-transport';
import { detail } from './fixtures';
import { NOW, SPRING, progress, results } from './judging-fixtures';
import { load, type RenderedPage } from './load';
import { asRole, staffActivities, staffActivity, staffDetail } from './staff-fixtures';
import { wxLog } from './wx-log';

/** The competition as activities.staffList answers it. */
const competition = (over: Parameters<typeof staffActivity>[0] = {}) =>
  staffActivity({ id: 'act-essay', kind: 'competition', title: '“中国梦·劳动美”职工征文比赛', planItem: '职工文化比赛', ...over });
const openJudging = (cloud: FakeCloud) => load('packages/staff/judging', { transport: cloud, query: { ...SPRING, title: encodeURIComponent('征文比赛·职工征文') } });

async function openTab(page: RenderedPage, label: string): Promise<void> {
  const tab = Array.from(page.comp.dom.querySelectorAll('[class*="t-tabs__item"]')).find((el) => (el.textContent ?? '').includes(label));
  if (!tab) throw new Error(`no tab ${label}`);
  await page.tap(tab);
}

beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(NOW));
afterEach(() => jest.restoreAllMocks());

describe('工作人员后台: competitions', () => {
  test('lists the competitions, drafts too, from one staff-only call', async () => {
    const cloud = asRole().on('activities.staffList', ok({ items: [competition(), competition({ id: 'act-draft', title: '2027年职工摄影比赛', status: 'draft' })], next: null }));
    const page = await load('packages/staff/index', { transport: cloud });
    expect(page.text()).toContain('文化比赛 · 评审管理');
    expect(page.text()).toContain('“中国梦·劳动美”职工征文比赛进行中');
    expect(page.text()).toContain('2027年职工摄影比赛草稿');
    expect(cloud.calls).toEqual([{ action: 'activities.staffList', payload: { kind: 'competition' } }]);
    expect(page.setDataLog).toHaveLength(1);
  });

  test('reads the next twenty competitions at the bottom of the list', async () => {
    const first = staffActivities(20).map((a) => ({ ...a, kind: 'competition' as const }));
    const next = `${first[19]!.time.start}_${first[19]!.id}`;
    const cloud = asRole()
      .once('activities.staffList', ok({ items: first, next }))
      .once('activities.staffList', ok({ items: [competition({ id: 'act-old', title: '2025年职工征文比赛', status: 'archived' })], next: null }));
    const page = await load('packages/staff/index', { transport: cloud });
    await page.run('onReachBottom');
    expect(cloud.callsOf('activities.staffList')[1]).toEqual({ kind: 'competition', cursor: next });
    expect(page.text()).toContain('2025年职工征文比赛往届');
    expect(page.text()).toContain('没有更多了');
  });

  test("opens a competition's tracks, each leading to its 评审管理", async () => {
    const cloud = asRole()
      .on('activities.staffList', ok({ items: [competition()], next: null }))
      .on('activities.get', ok(staffDetail(detail({ id: 'act-essay', title: '“中国梦·劳动美”职工征文比赛' }))));
    const page = await load('packages/staff/index', { transport: cloud });
    await page.tap('查看赛道');
    expect(cloud.callsOf('activities.get')).toEqual([{ id: 'act-essay' }]);
    expect(page.text()).toContain('征文 · 职工征文评审管理');
    expect(page.text()).toContain('摄影 · 职工摄影评审管理');
    await page.tap('征文 · 职工征文');
    expect(wxLog().navigations[0]?.url).toBe(
      `/packages/staff/judging/index?activityId=act-essay&trackId=essay&title=${encodeURIComponent('“中国梦·劳动美”职工征文比赛·职工征文')}`,
    );
    await page.tap('收起赛道');
    await page.tap('查看赛道');
    expect(cloud.callsOf('activities.get')).toHaveLength(1);
  });

  test('says when there is no competition', async () => {
    const cloud = asRole().on('activities.staffList', ok({ items: [], next: null }));
    const page = await load('packages/staff/index', { transport: cloud });
    expect(page.text()).toContain('还没有文化比赛');
  });

  test('offers a retry when the list cannot load', async () => {
    const cloud = asRole()
      .drop('activities.staffList')
      .on('activities.staffList', ok({ items: [competition()], next: null }));
    const page = await load('packages/staff/index', { transport: cloud });
    expect(page.text()).toContain('网络不稳定');
    await page.tap('重新加载');
    expect(page.text()).toContain('“中国梦·劳动美”职工征文比赛');
  });
});

describe('评审管理: progress', () => {
  test('shows loading, then each judge and each entry, the spread alerts highlighted 复核', async () => {
    const cloud = new FakeCloud();
    const held = cloud.hold('judging.progress');
    const page = await openJudging(cloud);
    expect(page.text()).toContain('正在加载');
    expect(await held.payload).toEqual(SPRING);
    held.resolve(ok(progress()));
    await page.settle();
    const text = page.text();
    expect(text).toContain('征文比赛·职工征文');
    expect(text).toContain('已提交 13 / 24 份评分');
    expect(text).toContain('1 件作品评委分差过大，需复核');
    expect(text).toContain('赵老师8 / 8');
    expect(text).toContain('孙老师0 / 8');
    // The entry to recheck comes first, marked.
    expect(text).toMatch(/作品ZW-2026-0002已提交 2 \/ 2分差 26\.00复核回避赵老师：已提交 88\.00 分退回钱老师：已提交 62\.00 分退回ZW-2026-0001/);
    const flagged = page.comp.dom.querySelectorAll('[class*="entry--recheck"]');
    expect(flagged).toHaveLength(1);
    expect(flagged[0]?.textContent).toContain('ZW-2026-0002');
    expect(cloud.calls).toHaveLength(1);
  });

  test('says when nobody has joined yet', async () => {
    const page = await openJudging(new FakeCloud().on('judging.progress', ok(progress({ judges: [], entries: [], totalAssigned: 0, totalFinal: 0 }))));
    expect(page.text()).toContain('尚未分配作品');
    expect(page.text()).toContain('还没有评委加入');
  });

  test('offers a retry when progress cannot load', async () => {
    const cloud = new FakeCloud().drop('judging.progress', 'TIMEOUT').on('judging.progress', ok(progress()));
    const page = await openJudging(cloud);
    expect(page.text()).toContain('请求超时');
    await page.tap('重新加载');
    expect(page.text()).toContain('已提交 13 / 24 份评分');
  });

  test('returns a final score to its judge with a reason, when the board carries score ids', async () => {
    // Not in core's ProgressView yet: the board shows 退回 only when the server sends the ids.
    const withScores = progress();
    const entries = withScores.entries.map((e) =>
      e.code === 'ZW-2026-0002'
        ? { ...e, scores: [{ scoreId: 'sc1_ZW-2026-0002_u-zhao', judge: '赵老师', state: 'final', total: '92.00' }, { scoreId: 'sc1_ZW-2026-0002_u-qian', judge: '钱老师', state: 'final', total: '66.00' }] }
        : e,
    );
    const cloud = new FakeCloud()
      .on('judging.progress', ok({ ...withScores, entries } as typeof withScores))
      .on('judging.return', ok({ returned: true as const }));
    const page = await openJudging(cloud);
    expect(page.text()).toContain('赵老师：已提交 92.00 分');

    wxLog().modalAnswers.push({ confirm: true, content: '好' });
    await page.tap(page.comp.dom.querySelectorAll('[class*="entry__score"] wx-button')[1]!);
    expect(wxLog().toasts).toEqual(['退回原因至少 2 个字']);
    expect(cloud.callsOf('judging.return')).toEqual([]);

    wxLog().modalAnswers.push({ confirm: true, content: '分数与评语不一致，请复核' });
    await page.tap(page.comp.dom.querySelectorAll('[class*="entry__score"] wx-button')[1]!);
    expect(cloud.callsOf('judging.return')).toEqual([{ scoreId: 'sc1_ZW-2026-0002_u-qian', reason: '分数与评语不一致，请复核' }]);
    expect(wxLog().toasts).toContain('已退回评委');
    expect(cloud.callsOf('judging.progress')).toHaveLength(2);
  });
});

describe('评审管理: judges', () => {
  test('invites judges: a code to copy and a QR per invitation', async () => {
    const clip = jest.spyOn(wx, 'setClipboardData').mockImplementation(() => undefined as never);
    const cloud = new FakeCloud()
      .on('judging.progress', ok(progress()))
      .on('judging.invite', ok({ invitations: [{ code: 'KXH7M2PQ', expiresAt: NOW + 7 * 86400000, qrUrl: 'http://127.0.0.1:3720/storage/tmp/qr-KXH7M2PQ.png' }] }));
    const page = await openJudging(cloud);
    await openTab(page, '评委与分配');
    expect(page.text()).toContain('邀请评委');
    await page.tap('生成邀请');
    expect(cloud.callsOf('judging.invite')).toEqual([{ ...SPRING, count: 1, days: 7 }]);
    expect(page.text()).toContain('KXH7M2PQ');
    expect(page.text()).toContain('有效期至 6月17日 10:00，仅限一人使用');
    const qr = page.comp.dom.querySelector('wx-image[class*="invite__qr"]');
    expect(qr).not.toBeNull();
    await page.tap('复制邀请码');
    expect(clip).toHaveBeenCalledWith({ data: 'KXH7M2PQ' });
  });

  test('assigns k judges per entry and reports what was done', async () => {
    const cloud = new FakeCloud()
      .on('judging.progress', ok(progress()))
      .on('judging.assign', ok({ created: 24, conflicts: 3, judges: 3, entries: 12 }));
    const page = await openJudging(cloud);
    await openTab(page, '评委与分配');
    await page.tap('每件作品由指定人数的评委评审');
    expect(page.text()).toContain('每件评委数');
    await page.tap('分配作品');
    expect(cloud.callsOf('judging.assign')).toEqual([{ ...SPRING, mode: 'k', k: 3 }]);
    expect(page.text()).toContain('新分配 24 份评审任务（3 位评委，12 件作品，回避 3 次）');
    expect(cloud.callsOf('judging.progress')).toHaveLength(2);
  });

  test("shows the server's refusal to assign", async () => {
    const cloud = new FakeCloud().on('judging.progress', ok(progress())).refuse('judging.assign', 'INVALID_STATE', '该赛道还没有评委，请先发出邀请');
    const page = await openJudging(cloud);
    await openTab(page, '评委与分配');
    await page.tap('分配作品');
    expect(page.text()).toContain('该赛道还没有评委，请先发出邀请');
  });
});

describe('评审管理: results', () => {
  test('computes results and shows the preview table with awards, rechecks, warnings and the cap', async () => {
    const cloud = new FakeCloud()
      .on('judging.progress', ok(progress()))
      .once('results.preview', ok({ results: null }))
      .on('results.compute', ok({ state: 'preview' as const, missingScores: 2 }))
      .on('results.preview', ok({ results: results() }));
    const page = await openJudging(cloud);
    await openTab(page, '评审结果');
    expect(page.text()).toContain('尚未计算结果');
    await page.tap('计算结果');
    expect(cloud.callsOf('results.compute')).toEqual([SPRING]);
    const text = page.text();
    expect(text).toContain('状态：预览（未公布）');
    expect(text).toContain('参赛作品 12 件，获奖上限 4 名，拟获奖 4 名');
    expect(text).toContain('还有 2 份评分未提交');
    expect(text).toContain('1 件作品评委分差过大，需复核');
    expect(text).toContain('三等奖 3 名超出获奖总数上限');
    expect(text).toContain('1ZW-2026-000194.00一等奖');
    expect(text).toContain('3ZW-2026-000392.00三等奖复核');
    expect(text).toContain('5ZW-2026-000590.00');
    expect(wxLog().toasts).toEqual(['已计算，仍有 2 份评分未提交']);
  });

  test('offers the override with a reason when publishing is refused', async () => {
    const cloud = new FakeCloud()
      .on('judging.progress', ok(progress()))
      .once('results.preview', ok({ results: results() }))
      .refuse('results.publish', 'INVALID_STATE', '还有 2 份评分未提交、1 件作品待复核；如确需发布，请填写理由')
      .once('results.publish', ok({ publishedAt: NOW, announcementId: 'ann-1', notified: 5 }))
      .on('results.preview', ok({ results: results({ state: 'publicity', publishedAt: NOW, publishOverride: { by: 'u-chen', reason: '分差已由评委当面复核', at: NOW } }) }));
    const page = await openJudging(cloud);
    await openTab(page, '评审结果');

    wxLog().modalAnswers.push({ confirm: true });
    await page.tap('发布公示');
    expect(cloud.callsOf('results.publish')).toEqual([SPRING]);
    expect(page.text()).toContain('还有 2 份评分未提交、1 件作品待复核；如确需发布，请填写理由');

    await page.tap('仍然发布（记录理由）');
    expect(page.text()).toContain('请填写发布理由，理由将记录在案');
    await page.type('发布理由', '同意');
    await page.tap('仍然发布（记录理由）');
    expect(page.text()).toContain('发布理由至少 4 个字');
    expect(cloud.callsOf('results.publish')).toHaveLength(1);

    await page.type('发布理由', '分差已由评委当面复核');
    await page.tap('仍然发布（记录理由）');
    expect(cloud.callsOf('results.publish')[1]).toEqual({ ...SPRING, overrideReason: '分差已由评委当面复核' });
    expect(wxLog().toasts).toContain('已发布，通知 5 人');
    expect(page.text()).toContain('状态：公示中');
    expect(page.text()).toContain('发布理由：分差已由评委当面复核');
    expect(page.text()).toContain('确定最终结果');
  });

  test('publishes cleanly when nothing is missing', async () => {
    const clean = results({ missingScores: 0, rows: results().rows.map((r) => ({ ...r, recheck: false })) });
    const cloud = new FakeCloud()
      .on('judging.progress', ok(progress()))
      .once('results.preview', ok({ results: clean }))
      .on('results.publish', ok({ publishedAt: NOW, announcementId: 'ann-1', notified: 0 }))
      .on('results.preview', ok({ results: { ...clean, state: 'publicity' as const, publishedAt: NOW } }));
    const page = await openJudging(cloud);
    await openTab(page, '评审结果');
    expect(page.text()).toContain('全部评分已提交');
    wxLog().modalAnswers.push({ confirm: true });
    await page.tap('发布公示');
    expect(wxLog().toasts).toContain('已发布公示');
    expect(page.text()).not.toContain('仍然发布');
  });

  test('makes the results final, or says why it cannot', async () => {
    const cloud = new FakeCloud()
      .on('judging.progress', ok(progress()))
      .once('results.preview', ok({ results: results({ state: 'publicity', publishedAt: NOW }) }))
      .refuse('results.finalize', 'INVALID_STATE', '还有 1 件申诉未处理')
      .once('results.finalize', ok({ finalAt: NOW, certificates: 4 }))
      .on('results.preview', ok({ results: results({ state: 'final', publishedAt: NOW, finalAt: NOW }) }));
    const page = await openJudging(cloud);
    await openTab(page, '评审结果');
    wxLog().modalAnswers.push({ confirm: true });
    await page.tap('确定最终结果');
    expect(wxLog().modals[1]).toEqual({ title: '暂不能确定结果', content: '还有 1 件申诉未处理' });

    wxLog().modalAnswers.push({ confirm: true });
    await page.tap('确定最终结果');
    expect(wxLog().toasts).toContain('已确定，生成证书 4 张');
    expect(page.text()).toContain('状态：已确定');
    expect(page.text()).toContain('结果已确定，获奖者可在「我的成绩」中查看电子证书');
  });

  test('shows the first fifty rows, then more on request', async () => {
    const { resultRow } = jest.requireActual<typeof import('./judging-fixtures')>('./judging-fixtures');
    const many = results({ rows: Array.from({ length: 120 }, (_, i) => resultRow(i + 1)) });
    const cloud = new FakeCloud().on('judging.progress', ok(progress())).on('results.preview', ok({ results: many }));
    const page = await openJudging(cloud);
    await openTab(page, '评审结果');
    expect(page.text()).toContain('还有 70 件，显示更多');
    expect(page.text()).not.toContain('ZW-2026-0051');
    await page.tap('还有 70 件，显示更多');
    expect(page.text()).toContain('ZW-2026-0100');
    expect(page.text()).toContain('还有 20 件，显示更多');
  });

  test('offers a retry when results cannot load', async () => {
    const cloud = new FakeCloud().on('judging.progress', ok(progress())).drop('results.preview').on('results.preview', ok({ results: null }));
    const page = await openJudging(cloud);
    await openTab(page, '评审结果');
    expect(page.text()).toContain('网络不稳定');
    await page.tap('重新加载');
    expect(page.text()).toContain('尚未计算结果');
  });
});
