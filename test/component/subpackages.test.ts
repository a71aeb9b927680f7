import { FakeCloud, ok } from './fake-transport';
import { panel } from './judging-fixtures';
import { load } from './load';
import { staffActivity } from './staff-fixtures';
import { wxLog } from './wx-log';

// The judges' pages are tested in judge.test.ts; these are the entrances' own states.
describe('评委 subpackage', () => {
  test('opens on the panels, from one call', async () => {
    const cloud = new FakeCloud().on('judging.panels', ok({ panels: [panel()] }));
    const page = await load('packages/judge/index', { transport: cloud });
    expect(page.text()).toContain('我的评审');
    expect(cloud.calls.map((c) => c.action)).toEqual(['judging.panels']);
  });

  test('shows loading, then an error with retry', async () => {
    const cloud = new FakeCloud();
    const held = cloud.hold('judging.panels');
    cloud.on('judging.panels', ok({ panels: [] }));
    const page = await load('packages/judge/index', { transport: cloud });
    expect(page.text()).toContain('正在加载');
    held.drop('NETWORK');
    await page.settle();
    expect(page.text()).toContain('网络不稳定');
    await page.tap('重新加载');
    expect(page.text()).toContain('您还没有加入任何评审');
  });
});

describe('工作人员 subpackage', () => {
  // The hub's one call is staff-only: the router's answer (FakeCloud.as) is the staff check.
  const hub = (role: 'worker' | 'staff' | 'admin') => new FakeCloud().as(role).on('activities.staffList', ok({ items: [staffActivity({ id: 'act-essay', kind: 'competition', title: '“中国梦·劳动美”职工征文比赛' })], next: null }));

  test('lets staff in to the competitions', async () => {
    const cloud = hub('staff');
    const page = await load('packages/staff/index', { transport: cloud });
    expect(page.text()).toContain('文化比赛 · 评审管理');
    expect(page.text()).not.toContain('仅限工会工作人员使用');
    expect(cloud.calls.map((c) => c.action)).toEqual(['activities.staffList']);
  });

  test('lets an admin in too', async () => {
    const page = await load('packages/staff/index', { transport: hub('admin') });
    expect(page.text()).toContain('文化比赛 · 评审管理');
  });

  test('turns a worker away', async () => {
    const page = await load('packages/staff/index', { transport: hub('worker') });
    expect(page.text()).toContain('仅限工会工作人员使用');
    expect(page.text()).not.toContain('评审管理');
    await page.tap('返回首页');
    expect(wxLog().navigations).toEqual([{ kind: 'switchTab', url: '/pages/home/index' }]);
  });

  test('turns away staff who withdrew consent', async () => {
    const page = await load('packages/staff/index', { transport: new FakeCloud().refuse('activities.staffList', 'CONSENT_REQUIRED') });
    expect(page.text()).toContain('仅限工会工作人员使用');
  });

  test('turns away a first-time visitor', async () => {
    // The router answers CONSENT_REQUIRED to a caller with no profile, before any staff action.
    const page = await load('packages/staff/index', { transport: new FakeCloud().refuse('activities.staffList', 'CONSENT_REQUIRED') });
    expect(page.text()).toContain('仅限工会工作人员使用');
    expect(page.text()).not.toContain('公告管理');
  });

  test('offers to try again when it cannot tell who is asking', async () => {
    const cloud = new FakeCloud().drop('activities.staffList', 'TIMEOUT').on('activities.staffList', ok({ items: [], next: null }));
    const page = await load('packages/staff/index', { transport: cloud });
    expect(page.text()).toContain('请求超时');
    expect(page.text()).toContain('重新加载');
  });

  test('shows loading until it knows', async () => {
    const cloud = new FakeCloud();
    const held = cloud.hold('activities.staffList');
    const page = await load('packages/staff/index', { transport: cloud });
    expect(page.text()).toContain('正在加载');
    held.resolve(ok({ items: [], next: null }));
    await page.settle();
    expect(page.text()).toContain('还没有文化比赛');
  });
});
