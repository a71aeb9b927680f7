import { FakeCloud, ok } from './fake-transport';
import { me } from './fixtures';
import { load } from './load';
import { wxLog } from './wx-log';

const session = (over: Parameters<typeof me>[0] | null) =>
  new FakeCloud().on('session.me', ok({ me: over === null ? null : me(over), consentVersion: '2026-11' }));

describe('评委 subpackage', () => {
  test('tells a judge that scoring is coming', async () => {
    const cloud = session({});
    const page = await load('packages/judge/index', { transport: cloud });
    expect(page.text()).toContain('待开放');
    expect(page.text()).toContain('评委评审功能即将开放');
    expect(cloud.calls.map((c) => c.action)).toEqual(['session.me']);
  });

  test('sends someone without a profile to fill it in first', async () => {
    const page = await load('packages/judge/index', { transport: session(null) });
    expect(page.text()).toContain('请先完善个人资料');
    await page.tap('去完善资料');
    expect(wxLog().navigations).toEqual([{ kind: 'switchTab', url: '/pages/me/index' }]);
  });

  test('shows loading, then an error with retry', async () => {
    const cloud = new FakeCloud();
    const held = cloud.hold('session.me');
    cloud.on('session.me', ok({ me: me(), consentVersion: '2026-11' }));
    const page = await load('packages/judge/index', { transport: cloud });
    expect(page.text()).toContain('正在加载');
    held.drop('NETWORK');
    await page.settle();
    expect(page.text()).toContain('网络不稳定');
    await page.tap('重新加载');
    expect(page.text()).toContain('评委评审功能即将开放');
  });
});

describe('工作人员 subpackage', () => {
  test('lets staff in to what is coming', async () => {
    const page = await load('packages/staff/index', { transport: session({ role: 'staff' }) });
    expect(page.text()).toContain('工作人员功能即将开放');
  });

  test('lets an admin in too', async () => {
    const page = await load('packages/staff/index', { transport: session({ role: 'admin' }) });
    expect(page.text()).toContain('工作人员功能即将开放');
  });

  test('turns a worker away', async () => {
    const page = await load('packages/staff/index', { transport: session({ role: 'worker' }) });
    expect(page.text()).toContain('仅限工会工作人员使用');
    expect(page.text()).not.toContain('即将开放');
    await page.tap('返回首页');
    expect(wxLog().navigations).toEqual([{ kind: 'switchTab', url: '/pages/home/index' }]);
  });

  test('turns away staff who withdrew consent', async () => {
    const page = await load('packages/staff/index', { transport: session({ role: 'staff', consented: false }) });
    expect(page.text()).toContain('仅限工会工作人员使用');
  });

  test('offers to try again when it cannot tell who is asking', async () => {
    const cloud = new FakeCloud().drop('session.me', 'TIMEOUT');
    const page = await load('packages/staff/index', { transport: cloud });
    expect(page.text()).toContain('请求超时');
    expect(page.text()).toContain('重新加载');
  });
});
