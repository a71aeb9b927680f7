/**
 * The staff pages' first screens within WeChat's limits, measured the way budget.test.ts measures
 * the worker's: calls until drawn, every setData under LIMITS.setDataBudgetBytes, fewer than 1000
 * nodes, with full pages of data. Every staff page's first screen is one call: its first read is a
 * staff-only action (the router's refusal is the staff check; people's answer also says who is
 * asking), or, on a page with nothing to read first, the staff check alone.
 * WCP_BUDGET_REPORT=1 prints the figures.
 */
import { LIMITS } from '../../miniprogram/core/limits';
import { DAY, HOUR } from '../../miniprogram/core/time';
import type { UploadRequest } from '../../miniprogram/services/transport';
import { ok, type FakeCloud } from './fake-transport';
import { detail } from './fixtures';
import type { UnitView } from '../../miniprogram/core/domain';
import { load, type RenderedPage } from './load';
import { asRole, moderationItem, NOW, rosterReport, staffActivities, staffAnnouncement, staffDetail, staffRegistration, staffUser } from './staff-fixtures';
import { restoreDevice, stubDevice } from './staff-wx';
import { button } from './ui';

interface Row {
  screen: string;
  calls: number;
  setDataCount: number;
  setDataBytes: number;
  largestSetData: number;
  nodes: number;
}
const report: Row[] = [];

function measure(screen: string, page: RenderedPage, cloud: FakeCloud, calls: number): void {
  report.push({
    screen,
    calls: cloud.calls.length,
    setDataCount: page.setDataLog.length,
    setDataBytes: page.setDataLog.reduce((sum, r) => sum + r.bytes, 0),
    largestSetData: Math.max(0, ...page.setDataLog.map((r) => r.bytes)),
    nodes: page.nodeCount(),
  });
  expect(cloud.calls).toHaveLength(calls);
  expect(cloud.unexpected).toEqual([]);
  for (const r of page.setDataLog) expect(r.bytes).toBeLessThan(LIMITS.setDataBudgetBytes);
  expect(page.nodeCount()).toBeLessThan(1000);
}

beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(NOW));
afterEach(() => {
  jest.restoreAllMocks();
  restoreDevice();
});
afterAll(() => {
  if (process.env.WCP_BUDGET_REPORT) console.table(report);
});

test('公告管理: twenty announcements, one setData', async () => {
  const items = Array.from({ length: 20 }, (_, i) => staffAnnouncement({ id: `a${i}`, title: `关于举办2026年职工文化比赛第 ${i + 1} 项活动的通知`, publishAt: NOW - i * DAY }));
  const cloud = asRole().on('announcements.list', ok({ items, next: null }));
  const page = await load('packages/staff/announcements', { transport: cloud });
  measure('packages/staff/announcements (20)', page, cloud, 1);
  expect(page.setDataLog).toHaveLength(1);
});

test('发布公告: the staff check only', async () => {
  const cloud = asRole();
  const page = await load('packages/staff/announcement-edit', { transport: cloud });
  measure('packages/staff/announcement-edit', page, cloud, 1);
});

test('活动管理: twenty activities, one setData', async () => {
  const cloud = asRole().on('activities.staffList', ok({ items: staffActivities(20), next: null }));
  const page = await load('packages/staff/activities', { transport: cloud });
  measure('packages/staff/activities (20)', page, cloud, 1);
  expect(page.setDataLog).toHaveLength(1);
});

test('新建活动: the staff check only; a competition stays under 1000 nodes', async () => {
  const cloud = asRole();
  const page = await load('packages/staff/activity-edit', { transport: cloud });
  measure('packages/staff/activity-edit (new)', page, cloud, 1);
  await page.tap('文化比赛（征文、摄影、微视频）');
  for (let i = 0; i < 10; i++) await page.tap(i % 2 ? '＋ 文字题' : '＋ 选择题');
  report.push({ screen: 'packages/staff/activity-edit (competition, 10 questions)', calls: cloud.calls.length, setDataCount: page.setDataLog.length, setDataBytes: 0, largestSetData: Math.max(...page.setDataLog.map((r) => r.bytes)), nodes: page.nodeCount() });
  expect(page.nodeCount()).toBeLessThan(1000);
});

test('编辑活动: the competition with its tracks and windows, one setData', async () => {
  const cloud = asRole().on('activities.get', ok(staffDetail(detail({ body: '一、参赛对象：全区各级工会会员。\n'.repeat(200) }))));
  const page = await load('packages/staff/activity-edit', { transport: cloud, query: { id: 'act-comp' } });
  measure('packages/staff/activity-edit (edit competition)', page, cloud, 1);
  expect(page.setDataLog).toHaveLength(1);
});

test('工作人员后台: twenty competitions, one call, one setData', async () => {
  const items = staffActivities(20).map((a) => ({ ...a, kind: 'competition' as const, title: `2026年职工文化比赛第 ${a.id} 场（征文·摄影·微视频）` }));
  const cloud = asRole().on('activities.staffList', ok({ items, next: null }));
  const page = await load('packages/staff/index', { transport: cloud });
  measure('packages/staff/index (20 competitions)', page, cloud, 1);
  expect(page.setDataLog).toHaveLength(1);
});

test('基层工会: sixty units, one call, one setData', async () => {
  const units: UnitView[] = Array.from({ length: 60 }, (_, i) => ({ id: `unit-${i}`, name: `第${i}街道联合工会委员会`, group: ['街道', '卫健系统', '教育系统', '园区'][i % 4]!, order: i }));
  const cloud = asRole().on('units.staffList', ok({ units }));
  const page = await load('packages/staff/units', { transport: cloud });
  measure('packages/staff/units (60)', page, cloud, 1);
  expect(page.setDataLog).toHaveLength(1);
});

test('报名名单: twenty registrations, one setData', async () => {
  const items = Array.from({ length: 20 }, (_, i) =>
    staffRegistration({ id: `r${i}`, realName: `职工${i}`, state: i % 4 === 0 ? 'pending' : 'confirmed', createdAt: NOW - i * HOUR, answers: [{ questionId: 'q1', answer: '有基础' }] }),
  );
  const cloud = asRole().on('registrations.list', ok({ items, next: 'c20' }));
  const page = await load('packages/staff/registrations', { transport: cloud, query: { id: 'act-course' } });
  measure('packages/staff/registrations (20)', page, cloud, 1);
  expect(page.setDataLog).toHaveLength(1);
});

test('扫码签到: the staff check only', async () => {
  const cloud = asRole();
  const page = await load('packages/staff/checkin', { transport: cloud });
  measure('packages/staff/checkin', page, cloud, 1);
});

test('作品审核: fifty entries, long essays cut, no video player until asked', async () => {
  const essay = '天还没亮，车间里的灯已经亮了。师傅们换上工装，检查设备。'.repeat(300);
  const items = Array.from({ length: 50 }, (_, i) =>
    i % 3 === 0
      ? moderationItem({ entryId: `v${i}`, code: `SP-2026-${i}` })
      : i % 3 === 1
        ? moderationItem({ entryId: `p${i}`, code: `SY-2026-${i}`, kind: 'photo', media: Array.from({ length: 6 }, (_, k) => `http://127.0.0.1:3720/storage/tmp/${i}-${k}.jpg?sign=0123456789abcdef`) })
        : moderationItem({ entryId: `e${i}`, code: `ZW-2026-${i}`, kind: 'essay', text: essay, media: [] }),
  );
  const cloud = asRole().on('moderation.queue', ok({ items }));
  const page = await load('packages/staff/moderation', { transport: cloud });
  measure('packages/staff/moderation (50)', page, cloud, 1);
  expect(page.setDataLog).toHaveLength(1);
  expect(page.comp.dom.querySelectorAll('wx-video')).toHaveLength(0);
  expect(page.text()).toContain('显示更多（还有 30 件）');
  await page.tap('显示更多（还有 30 件）');
  await page.tap('显示更多（还有 10 件）');
  const appends = page.setDataLog.slice(1);
  report.push({ screen: 'packages/staff/moderation (all 50 drawn)', calls: cloud.calls.length, setDataCount: page.setDataLog.length, setDataBytes: 0, largestSetData: Math.max(...appends.map((r) => r.bytes)), nodes: page.nodeCount() });
  for (const r of appends) expect(r.bytes).toBeLessThan(LIMITS.setDataBudgetBytes);
});

test('人员管理: fifty people, one setData', async () => {
  const items = Array.from({ length: 50 }, (_, i) => staffUser({ userId: `u${i}`, realName: `职工${i}`, enterprise: '临平纺织有限公司' }));
  const cloud = asRole('admin').on('users.search', ok({ items, viewer: { userId: 'u-admin', admin: true } }));
  const page = await load('packages/staff/people', { transport: cloud });
  measure('packages/staff/people (50, admin)', page, cloud, 1);
  expect(page.setDataLog).toHaveLength(1);
});

test('会员名册: a 5,000-row report draws its problems, a hundred rows at most', async () => {
  const rows = Array.from({ length: 5000 }, (_, i) => ({ line: i + 2, name: `职工${i}`, key: '138****0001', unitName: '临平街道总工会', problem: i % 7 === 0 ? '手机号或工号不正确' : null }));
  const refused = rows.filter((r) => r.problem).length;
  stubDevice('chooseMessageFile', () => ({ tempFiles: [{ path: '/tmp/big.csv', name: 'big.csv', size: 200 * 1024, type: 'file', time: 0 }] }));
  const cloud = asRole()
    .onUpload((req: UploadRequest) => {
      req.onProgress({ progress: 100, sent: 1, total: 1 });
      return Promise.resolve({ delivered: true, body: { fileID: 'cloud://env/roster/1.csv' }, status: 200 });
    })
    .on('roster.import', ok(rosterReport({ rows, accepted: 5000 - refused, refused })));
  const page = await load('packages/staff/roster', { transport: cloud });
  measure('packages/staff/roster (first screen)', page, cloud, 1);
  await page.tap(button(page, '选择名册文件'));
  const last = page.setDataLog[page.setDataLog.length - 1]!;
  report.push({ screen: 'packages/staff/roster (5,000-row report)', calls: cloud.calls.length, setDataCount: page.setDataLog.length, setDataBytes: last.bytes, largestSetData: Math.max(...page.setDataLog.map((r) => r.bytes)), nodes: page.nodeCount() });
  expect(last.bytes).toBeLessThan(LIMITS.setDataBudgetBytes);
  expect(page.nodeCount()).toBeLessThan(1000);
  expect(page.text()).toContain('只显示前 100 行（共 715 行）');
});

test('批量导入基层工会: a 1,000-row report draws a hundred rows at most', async () => {
  const rows = Array.from({ length: 1000 }, (_, i) => ({ line: i + 2, name: `第${i}基层工会联合会`, group: '街道', order: i, action: 'create' as const, problem: null }));
  stubDevice('chooseMessageFile', () => ({ tempFiles: [{ path: '/tmp/units.csv', name: 'units.csv', size: 40 * 1024, type: 'file', time: 0 }] }));
  const cloud = asRole()
    .onUpload((req: UploadRequest) => {
      req.onProgress({ progress: 100, sent: 1, total: 1 });
      return Promise.resolve({ delivered: true, body: { fileID: 'cloud://env/units-import/1.csv' }, status: 200 });
    })
    .on('units.import', ok({ rows, accepted: 1000, refused: 0, created: 1000, updated: 0, unchanged: 0, applied: false, groups: ['街道'] }));
  const page = await load('packages/staff/units-import', { transport: cloud });
  measure('packages/staff/units-import (first screen)', page, cloud, 1);
  await page.tap(button(page, '选择 CSV 文件'));
  const last = page.setDataLog[page.setDataLog.length - 1]!;
  report.push({ screen: 'packages/staff/units-import (1,000-row report)', calls: cloud.calls.length, setDataCount: page.setDataLog.length, setDataBytes: last.bytes, largestSetData: Math.max(...page.setDataLog.map((r) => r.bytes)), nodes: page.nodeCount() });
  expect(last.bytes).toBeLessThan(LIMITS.setDataBudgetBytes);
  expect(page.nodeCount()).toBeLessThan(1000);
  expect(page.text()).toContain('只显示前 100 行（共 1000 行）');
});
