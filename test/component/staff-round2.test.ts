/**
 * 评审管理 with a fake cloud: starting 复评 (a dry run shows how many go on, then a confirmation;
 * 初评 incomplete only with a reason), the board in 复评 with 初评 a tap away, and conflicts of
 * interest declared from an entry row (judge + reason) and cleared from the list.
 */
import type { ProgressView } from '../../miniprogram/core/judging';
import { fromChina } from '../../miniprogram/core/time';
import { FakeCloud, ok } from './fake-transport';
import { detail } from './fixtures';
import { NOW, SPRING, progress } from './judging-fixtures';
import { load } from './load';
import { asRole, staffDetail } from './staff-fixtures';
import { button } from './ui';
import { wxLog } from './wx-log';

const openJudging = (cloud: FakeCloud) => load('packages/staff/judging', { transport: cloud, query: { ...SPRING } });
const FINALISTS = [
  { code: 'ZW-2026-0002', rank: 1, score: '92.00' },
  { code: 'ZW-2026-0001', rank: 2, score: '88.00' },
  { code: 'ZW-2026-0003', rank: 3, score: '85.00' },
  { code: 'ZW-2026-0007', rank: 3, score: '85.00' },
];
const started = (over: Partial<ProgressView> = {}) =>
  progress({ round: 2, currentRound: 2, round2: { finalists: 4, k: 3, judges: 2, startedAt: NOW }, ...over });

beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(NOW));
afterEach(() => jest.restoreAllMocks());

describe('评审管理: 复评', () => {
  test('shows how many entries go on before starting, then starts with the judges picked', async () => {
    const cloud = new FakeCloud()
      .once('judging.progress', ok(progress({ round2Available: true })))
      .once('judging.startRound2', ok({ finalists: FINALISTS, k: 3, missing: 0, started: false, created: 0 }))
      .once('judging.startRound2', ok({ finalists: FINALISTS, k: 3, missing: 0, started: true, created: 8 }))
      .on('judging.progress', ok(started()));
    const page = await openJudging(cloud);
    expect(page.text()).toContain('本赛道设有复评');
    // 钱老师 is not a judge of 复评.
    await page.tap('钱老师');
    wxLog().modalAnswers.push({ confirm: true });
    await page.tap('开始复评');
    const judges = ['u_zhao', 'u_sun'];
    expect(cloud.callsOf('judging.startRound2')).toEqual([
      { ...SPRING, judges, mode: 'all', k: 2, dryRun: true },
      { ...SPRING, judges, mode: 'all', k: 2, dryRun: false },
    ]);
    expect(wxLog().modals[0]).toEqual({
      title: '开始复评',
      content: '将有 4 件作品进入复评（前 3 名，并列的一并进入）：ZW-2026-0002、ZW-2026-0001、ZW-2026-0003、ZW-2026-0007。由2 位复评评委重新评分。开始后初评评分锁定，不能再修改或退回。',
    });
    expect(wxLog().toasts).toContain('复评已开始，4 件作品');
    expect(page.text()).toContain('复评：已提交 13 / 24 份评分');
    expect(page.text()).toContain('正在查看复评：4 件作品进入复评，2 位复评评委');
    expect(page.text()).not.toContain('本赛道设有复评');
  });

  test('asks for a reason while 初评 is incomplete, and starts nothing when staff cancel', async () => {
    const cloud = new FakeCloud()
      .on('judging.progress', ok(progress({ round2Available: true })))
      .refuse('judging.startRound2', 'INVALID_STATE', '还有 5 份初评评分未提交；如确需开始复评，请填写理由')
      .on('judging.startRound2', ok({ finalists: FINALISTS.slice(0, 3), k: 3, missing: 5, started: false, created: 0 }));
    const page = await openJudging(cloud);
    wxLog().modalAnswers.push({ confirm: true, content: '一位评委因病缺席' }, { confirm: false });
    await page.tap('开始复评');
    expect(wxLog().modals[0]?.title).toBe('初评尚未完成');
    expect(cloud.callsOf('judging.startRound2')).toEqual([
      { ...SPRING, judges: [], mode: 'all', k: 2, dryRun: true },
      { ...SPRING, judges: [], mode: 'all', k: 2, overrideReason: '一位评委因病缺席', dryRun: true },
    ]);
    expect(wxLog().modals[1]?.content).toContain('将有 3 件作品进入复评：');
    expect(wxLog().modals[1]?.content).toContain('由全部 3 位评委重新评分');
  });

  test('shows why 复评 cannot start', async () => {
    const cloud = new FakeCloud()
      .on('judging.progress', ok(progress({ round2Available: true })))
      .refuse('judging.startRound2', 'INVALID_STATE', '初评还没有已提交的评分，无法选出复评作品');
    const page = await openJudging(cloud);
    await page.tap('开始复评');
    expect(wxLog().modals).toEqual([{ title: '暂不能开始复评', content: '初评还没有已提交的评分，无法选出复评作品' }]);
  });

  test('shows 复评 rows with a badge, and 初评 a tap away', async () => {
    const cloud = new FakeCloud().once('judging.progress', ok(started())).on('judging.progress', ok(started({ round: 1 })));
    const page = await openJudging(cloud);
    expect(page.text()).toContain('复评ZW-2026-0002');
    await page.tap('查看初评');
    expect(cloud.callsOf('judging.progress')).toEqual([SPRING, { ...SPRING, round: 1 }]);
    expect(page.text()).toContain('正在查看初评（已锁定）');
    expect(page.text()).not.toContain('复评ZW-2026-0002');
  });

  test('assigns 复评 from the 评委与分配 tab once it has started', async () => {
    const cloud = new FakeCloud().on('judging.progress', ok(started())).on('judging.assign', ok({ created: 2, conflicts: 0, judges: 2, entries: 4 }));
    const page = await openJudging(cloud);
    const tab = Array.from(page.comp.dom.querySelectorAll('[class*="t-tabs__item"]')).find((el) => (el.textContent ?? '').includes('评委与分配'))!;
    await page.tap(tab);
    await page.tap('分配作品');
    expect(cloud.callsOf('judging.assign')).toEqual([{ ...SPRING, mode: 'all', k: 3, round: 2 }]);
    expect(page.text()).toContain('复评新分配 2 份评审任务');
  });
});

describe('评审管理: 回避', () => {
  test('declares a conflict from an entry row: judge and reason, both required', async () => {
    const cloud = new FakeCloud()
      .once('judging.progress', ok(progress({ autoConflicts: 3 })))
      .on('judging.conflict', ok({ declared: true, removed: 1, reassigned: 1 }))
      .on('judging.progress', ok(progress({ conflicts: [{ judgeId: 'u_qian', judge: '钱老师', code: 'ZW-2026-0001', reason: '评委为作者的直系亲属', at: NOW }] })));
    const page = await openJudging(cloud);
    expect(page.text()).toContain('按本单位、本企业自动回避 3 次');
    expect(page.text()).toContain('没有人工设置的回避');
    const row = Array.from(page.comp.dom.querySelectorAll('[class*="entry__row"]')).find((el) => (el.textContent ?? '').includes('ZW-2026-0001'))!;
    await page.tap(row.querySelector('[class*="entry__conflict"]')!);
    expect(page.text()).toContain('选择需要回避 ZW-2026-0001 的评委');
    await page.tap('确定回避');
    expect(page.text()).toContain('请选择需要回避的评委');
    await page.tap(page.comp.dom.querySelector('[class*="conflict-form"] [class*="jchip"]:nth-child(2)')!);
    await page.tap('确定回避');
    expect(page.text()).toContain('请填写回避原因');
    expect(cloud.callsOf('judging.conflict')).toEqual([]);
    await page.type('回避原因', '评委为作者的直系亲属');
    await page.tap('确定回避');
    expect(cloud.callsOf('judging.conflict')).toEqual([{ ...SPRING, code: 'ZW-2026-0001', judgeId: 'u_qian', declare: true, reason: '评委为作者的直系亲属' }]);
    expect(wxLog().toasts).toContain('已设回避，撤回 1 份评审任务，已改派 1 位评委');
    expect(page.text()).toContain('钱老师 回避 ZW-2026-0001：评委为作者的直系亲属');
    expect(page.text()).not.toContain('选择需要回避');
  });

  test("shows the server's refusal (a final score stands in the way) in the form", async () => {
    const cloud = new FakeCloud()
      .on('judging.progress', ok(progress()))
      .refuse('judging.conflict', 'SCORE_FINAL', '该评委已提交这件作品的初评评分，请先退回评分再设为回避');
    const page = await openJudging(cloud);
    const row = Array.from(page.comp.dom.querySelectorAll('[class*="entry__row"]')).find((el) => (el.textContent ?? '').includes('ZW-2026-0002'))!;
    await page.tap(row.querySelector('[class*="entry__conflict"]')!);
    await page.tap(page.comp.dom.querySelector('[class*="conflict-form"] [class*="jchip"]')!);
    await page.type('回避原因', '同一科室');
    await page.tap('确定回避');
    expect(page.text()).toContain('请先退回评分再设为回避');
    expect(cloud.callsOf('judging.progress')).toHaveLength(1);
  });

  test('clears a declared conflict with a reason', async () => {
    const declared = progress({ conflicts: [{ judgeId: 'u_qian', judge: '钱老师', code: 'ZW-2026-0001', reason: '亲属', at: NOW }] });
    const cloud = new FakeCloud().once('judging.progress', ok(declared)).on('judging.conflict', ok({ declared: false, removed: 0, reassigned: 0 })).on('judging.progress', ok(progress()));
    const page = await openJudging(cloud);
    wxLog().modalAnswers.push({ confirm: true, content: '经核实无亲属关系' });
    await page.tap('解除');
    expect(cloud.callsOf('judging.conflict')).toEqual([{ ...SPRING, code: 'ZW-2026-0001', judgeId: 'u_qian', declare: false, reason: '经核实无亲属关系' }]);
    expect(wxLog().toasts).toContain('已解除回避，可再次分配');
    expect(page.text()).not.toContain('钱老师 回避');
  });
});

describe('编辑活动: 复评', () => {
  /** The fixture's competition, its registration closing when submissions close (as windowProblems requires). */
  function editable(round2?: { count: number }) {
    const d = detail();
    const c = d.activity.competition!;
    const registration = { start: fromChina(2026, 4, 1), end: fromChina(2026, 6, 10) };
    const judging = round2 ? { essay: { rubric: { criteria: [] }, scoring: {} as never, commentRequired: false, round2 } } : undefined;
    return { ...d, activity: { ...d.activity, signup: registration, competition: { ...c, windows: { ...c.windows, registration }, ...(judging ? { judging } : {}) } } };
  }

  test('sets how many essays go on to 复评, and sends nothing about 复评 when it is not touched', async () => {
    const cloud = asRole().on('activities.get', ok(staffDetail(editable({ count: 5 })))).on('activities.save', ok({ id: 'act-comp' }));
    const page = await load('packages/staff/activity-edit', { transport: cloud, query: { id: 'act-comp' } });
    expect(page.text()).toContain('复评5件进入复评');
    await page.tap(button(page, '保存修改'));
    expect(cloud.callsOf('activities.save')[0]?.competition?.tracks.every((t) => t.round2 === undefined)).toBe(true);
    await page.type('复评', '3');
    await page.tap(button(page, '保存修改'));
    expect(cloud.callsOf('activities.save')[1]?.competition?.tracks.find((t) => t.id === 'essay')?.round2).toEqual({ count: 3, percent: 0 });
  });
});
