import { FakeCloud, ok } from './fake-transport';
import { me, NOW } from './fixtures';
import { competitionCard, panel } from './judging-fixtures';
import { load } from './load';
import { wxLog } from './wx-log';

const session = (over: Parameters<typeof me>[0] | null) =>
  new FakeCloud()
    .on('session.me', ok({ me: over === null ? null : me(over), consentVersion: '2026-11' }))
    .on('activities.list', ok({ items: [competitionCard()], next: null, serverNow: NOW }));

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
  test('lets staff in to the competitions', async () => {
    const page = await load('packages/staff/index', { transport: session({ role: 'staff' }) });
    expect(page.text()).toContain('文化比赛 · 评审管理');
    expect(page.text()).not.toContain('仅限工会工作人员使用');
  });

  test('lets an admin in too', async () => {
    const page = await load('packages/staff/index', { transport: session({ role: 'admin' }) });
    expect(page.text()).toContain('文化比赛 · 评审管理');
  });

  test('turns a worker away', async () => {
    const page = await load('packages/staff/index', { transport: session({ role: 'worker' }) });
    expect(page.text()).toContain('仅限工会工作人员使用');
    expect(page.text()).not.toContain('评审管理');
    await page.tap('返回首页');
    expect(wxLog().navigations).toEqual([{ kind: 'switchTab', url: '/pages/home/index' }]);
  });

  test('turns away staff who withdrew consent', async () => {
    const page = await load('packages/staff/index', { transport: session({ role: 'staff', consented: false }) });
    expect(page.text()).toContain('仅限工会工作人员使用');
  });

  test('turns away a first-time visitor', async () => {
    const page = await load('packages/staff/index', { transport: session(null) });
    expect(page.text()).toContain('仅限工会工作人员使用');
  });

  test('offers to try again when it cannot tell who is asking', async () => {
    const cloud = new FakeCloud().drop('session.me', 'TIMEOUT').on('activities.list', ok({ items: [], next: null, serverNow: NOW }));
    const page = await load('packages/staff/index', { transport: cloud });
    expect(page.text()).toContain('请求超时');
    expect(page.text()).toContain('重新加载');
  });

  test('shows loading until it knows', async () => {
    const cloud = new FakeCloud().on('activities.list', ok({ items: [], next: null, serverNow: NOW }));
    const held = cloud.hold('session.me');
    const page = await load('packages/staff/index', { transport: cloud });
    expect(page.text()).toContain('正在加载');
    held.resolve(ok({ me: me({ role: 'staff' }), consentVersion: '2026-11' }));
    await page.settle();
    expect(page.text()).toContain('还没有发布的文化比赛');
  });
});
