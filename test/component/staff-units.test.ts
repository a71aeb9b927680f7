/** 基层工会: the units list with its search, and the add / edit form (units.save). */
import type { UnitView } from '../../miniprogram/core/domain';
import { LIMITS } from '../../miniprogram/core/limits';
import { ok } from './fake-transport';
import { load, type RenderedPage } from './load';
import { asRole, NOW } from './staff-fixtures';
import { button } from './ui';
import { wxLog } from './wx-log';

beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(NOW));
afterEach(() => jest.restoreAllMocks());

const UNITS = 'packages/staff/units';

function units(): UnitView[] {
  return [
    { id: 'unit-linping', name: '临平街道总工会', group: '街道', order: 0 },
    { id: 'unit-nanyuan', name: '南苑街道总工会', group: '街道', order: 1 },
    { id: 'unit-hospital', name: '区人民医院工会', group: '卫健系统', order: 2 },
  ];
}

/** The form's inputs in order: 名称, 所属, 排序. */
const field = (page: RenderedPage, n: number): Element => page.comp.dom.querySelectorAll('[class*="sheet"] wx-input')[n]!;

describe('基层工会', () => {
  test('shows a loading state, then every unit in picker order, from one staff-only call', async () => {
    const cloud = asRole();
    const held = cloud.hold('units.staffList');
    const page = await load(UNITS, { transport: cloud });
    expect(page.text()).toContain('正在加载');
    held.resolve(ok({ units: units() }));
    await page.settle();
    const text = page.text();
    expect(text).toContain('临平街道总工会街道 · 排序 0');
    expect(text).toContain('区人民医院工会卫健系统 · 排序 2');
    expect(text).toContain('共 3 个');
    // The staff-only list is the staff check: no session.me beside it.
    expect(cloud.calls.map((c) => c.action)).toEqual(['units.staffList']);
    for (const r of page.setDataLog) expect(r.bytes).toBeLessThan(LIMITS.setDataBudgetBytes);
  });

  test('says so when there are no units yet, and offers to add one', async () => {
    const page = await load(UNITS, { transport: asRole().on('units.staffList', ok({ units: [] })) });
    expect(page.text()).toContain('还没有基层工会');
    expect(page.find('添加基层工会')).not.toBeNull();
  });

  test('shows an error with a retry when the list does not arrive', async () => {
    const cloud = asRole().drop('units.staffList', 'TIMEOUT').on('units.staffList', ok({ units: units() }));
    const page = await load(UNITS, { transport: cloud });
    expect(page.text()).toContain('请求超时');
    await page.tap('重新加载');
    expect(page.text()).toContain('南苑街道总工会');
  });

  test('refuses the page to a worker', async () => {
    const cloud = asRole('worker').on('units.staffList', ok({ units: units() }));
    const page = await load(UNITS, { transport: cloud });
    expect(page.text()).toContain('仅限工会工作人员使用');
    expect(page.text()).not.toContain('临平街道总工会');
    expect(cloud.calls.map((c) => c.action)).toEqual(['units.staffList']);
  });

  test('searches by name or group without asking the server again', async () => {
    const cloud = asRole().on('units.staffList', ok({ units: units() }));
    const page = await load(UNITS, { transport: cloud });
    const search = page.comp.dom.querySelector('wx-input')!;
    await page.type(search, '卫健');
    expect(page.text()).toContain('区人民医院工会');
    expect(page.text()).not.toContain('临平街道总工会');
    await page.type(search, '没有这个');
    expect(page.text()).toContain('没有找到“没有这个”');
    expect(cloud.callsOf('units.staffList')).toHaveLength(1);
  });

  test('adds a unit after the last one, with a group picked from the existing ones', async () => {
    const cloud = asRole().on('units.staffList', ok({ units: units() })).on('units.save', ok({ id: 'unit-new' }));
    const page = await load(UNITS, { transport: cloud });
    await page.tap(button(page, '添加基层工会'));
    expect(page.text()).toContain('添加基层工会');
    await page.type(field(page, 0), '星桥街道总工会');
    await page.tap('街道');
    await page.tap(button(page, '保存'));
    expect(cloud.callsOf('units.save')).toEqual([{ name: '星桥街道总工会', group: '街道', order: 3 }]);
    expect(page.text()).toContain('星桥街道总工会街道 · 排序 3');
    expect(page.text()).toContain('共 4 个');
    expect(wxLog().toasts).toContain('已添加');
  });

  test('edits a unit, and shows a name clash under the name, keeping the form', async () => {
    const cloud = asRole()
      .on('units.staffList', ok({ units: units() }))
      .refuse('units.save', 'ALREADY_EXISTS', '已有同名的基层工会')
      .on('units.save', ok({ id: 'unit-hospital' }));
    const page = await load(UNITS, { transport: cloud });
    await page.tap('区人民医院工会');
    expect(page.text()).toContain('编辑基层工会');
    await page.type(field(page, 0), '临平街道总工会');
    await page.tap(button(page, '保存'));
    expect(page.text()).toContain('已有同名的基层工会');
    await page.type(field(page, 0), '区第一人民医院工会');
    await page.type(field(page, 2), '0');
    await page.tap(button(page, '保存'));
    expect(cloud.callsOf('units.save')[1]).toEqual({ id: 'unit-hospital', name: '区第一人民医院工会', group: '卫健系统', order: 0 });
    expect(page.text()).toContain('区第一人民医院工会卫健系统 · 排序 0');
    expect(page.text()).not.toContain('编辑基层工会');
  });

  test('shows what is missing, sending nothing', async () => {
    const cloud = asRole().on('units.staffList', ok({ units: [] }));
    const page = await load(UNITS, { transport: cloud });
    await page.tap(button(page, '添加基层工会'));
    await page.type(field(page, 2), 'x');
    await page.tap(button(page, '保存'));
    const text = page.text();
    expect(text).toContain('请填写工会名称');
    expect(text).toContain('请填写所属镇街或系统');
    expect(text).toContain('请填写 0–9999 的整数');
    expect(cloud.callsOf('units.save')).toEqual([]);
  });

  test('is linked from the staff hub', async () => {
    const hub = await load('packages/staff/index', { transport: asRole().on('activities.staffList', ok({ items: [], next: null })) });
    expect(hub.text()).toContain('基层工会职工选择的所属工会：添加、改名、排序、批量导入');
  });
});
