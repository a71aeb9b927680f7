import { ACTIONS } from '../../miniprogram/core/actions';
import { FakeCloud, ok } from './fake-transport';
import { me, units } from './fixtures';
import { load, type RenderedPage } from './load';
import { wxLog } from './wx-log';

const VERSION = '2026-11';
const newcomer = () => ok({ me: null, consentVersion: VERSION });
const signedUp = (over = {}) => ok({ me: me(over), consentVersion: VERSION });
const blank = me({ realName: '', phone: '', unitId: '', unitName: '', enterprise: '', profileComplete: false, verified: false });

const filled = { realName: '李明', phone: '13812345678', unitId: 'unit-hospital', enterprise: '区人民医院' };
const inputs = (page: RenderedPage) => Array.from(page.comp.dom.querySelectorAll('wx-input')).map((i) => i.textContent);

describe('我的', () => {
  test('shows a loading state until it knows who the worker is', async () => {
    const cloud = new FakeCloud();
    const held = cloud.hold('session.me');
    const page = await load('pages/me', { transport: cloud });
    expect(page.text()).toContain('正在加载');
    expect(page.text()).not.toContain('个人信息保护说明');
    expect(page.comp.dom.querySelectorAll('wx-input')).toHaveLength(0);

    held.resolve(signedUp());
    await page.settle();
    expect(page.text()).not.toContain('正在加载');
    expect(inputs(page)).toEqual(['李明', '13812345678', '区人民医院']);
  });

  test('shows the privacy notice before any personal field', async () => {
    const cloud = new FakeCloud().on('session.me', newcomer());
    const page = await load('pages/me', { transport: cloud });
    expect(page.text()).toContain('个人信息保护说明');
    expect(page.text()).toContain('您同意之前，我们不会收集任何个人资料');
    expect(page.comp.dom.querySelectorAll('wx-input')).toHaveLength(0);
    expect(page.text()).not.toContain('保存资料');
    expect(cloud.calls.map((c) => c.action)).toEqual(['session.me']);
  });

  test('asks again when the notice changed since the worker agreed', async () => {
    const page = await load('pages/me', { transport: new FakeCloud().on('session.me', signedUp({ consented: false })) });
    expect(page.text()).toContain('个人信息保护说明');
    expect(page.comp.dom.querySelectorAll('wx-input')).toHaveLength(0);
  });

  test('records consent to the version shown, then opens the form', async () => {
    const cloud = new FakeCloud().on('session.me', newcomer()).on('profile.consent', ok({ me: blank }));
    const page = await load('pages/me', { transport: cloud });
    await page.tap('同意并继续');

    expect(cloud.callsOf('profile.consent')).toEqual([{ version: VERSION }]);
    expect(page.text()).toContain('请完善以下资料，报名和参赛时需要使用');
    expect(page.comp.dom.querySelectorAll('wx-input')).toHaveLength(3);
    expect(page.text()).not.toContain('个人信息保护说明');
  });

  test('lets a worker decline and keep browsing', async () => {
    const page = await load('pages/me', { transport: new FakeCloud().on('session.me', newcomer()) });
    await page.tap('暂不同意，先看看');
    expect(wxLog().navigations).toEqual([{ kind: 'switchTab', url: '/pages/home/index' }]);
  });

  test('shows the saved profile from one call', async () => {
    const cloud = new FakeCloud().on('session.me', signedUp());
    const page = await load('pages/me', { transport: cloud });
    expect(inputs(page)).toEqual(['李明', '13812345678', '区人民医院']);
    expect(page.text()).toContain('区人民医院工会');
    expect(page.text()).toContain('资料已完善，已核验为工会会员');
    expect(cloud.calls.map((c) => c.action)).toEqual(['session.me']);
  });

  test('shows each mistake under its field before sending anything', async () => {
    const cloud = new FakeCloud().on('session.me', ok({ me: blank, consentVersion: VERSION }));
    const page = await load('pages/me', { transport: cloud });
    await page.tap('保存资料');
    const text = page.text();
    expect(text).toContain('请填写姓名');
    expect(text).toContain('请填写手机号');
    expect(text).toContain('请选择所在的基层工会');
    expect(text).toContain('请填写工作单位');

    await page.type('姓名', '张三');
    expect(page.text()).not.toContain('请填写姓名');
    expect(cloud.callsOf('profile.save')).toEqual([]);
  });

  test("saves an emptied field as empty, even when emptied with the clear button", async () => {
    const cloud = new FakeCloud().on('session.me', signedUp());
    const page = await load('pages/me', { transport: cloud });
    const clearButtons = page.comp.dom.querySelectorAll('[class*="t-input__wrap--clearable-icon"]');
    expect(clearButtons.length).toBeGreaterThan(0);
    const firstClear = clearButtons[0];
    if (firstClear) await page.tap(firstClear);
    await page.tap('保存资料');
    expect(page.text()).toContain('请填写姓名');
    expect(inputs(page)[0]).toBe('');
    expect(cloud.callsOf('profile.save')).toEqual([]);
  });

  test('checks the phone number as the server would', async () => {
    const cloud = new FakeCloud().on('session.me', signedUp());
    const page = await load('pages/me', { transport: cloud });
    await page.type('手机号', '1381234');
    await page.tap('保存资料');
    const server = ACTIONS['profile.save'].payload.parse({ ...filled, phone: '1381234' });
    if (server.ok) throw new Error('the server would accept 1381234');
    expect(server.issue.path).toBe('payload.phone');
    expect(page.text()).toContain(`手机号1381234${server.issue.message}基层工会`);
    expect(cloud.callsOf('profile.save')).toEqual([]);
  });

  test("shows the server's objection under the field it concerns", async () => {
    const cloud = new FakeCloud()
      .on('session.me', signedUp())
      .refuse('profile.save', 'INVALID_PAYLOAD', '请选择所在的基层工会', 'payload.unitId');
    const page = await load('pages/me', { transport: cloud });
    await page.tap('保存资料');
    expect(cloud.callsOf('profile.save')).toHaveLength(1);
    expect(page.text()).toContain('基层工会区人民医院工会请选择所在的基层工会');
  });

  test('keeps the form when saving fails', async () => {
    const cloud = new FakeCloud().on('session.me', signedUp()).drop('profile.save', 'NETWORK');
    const page = await load('pages/me', { transport: cloud });
    await page.type('姓名', '李明明');
    await page.type('工作单位', '区第一人民医院');
    await page.tap('保存资料');

    expect(wxLog().toasts).toEqual(['网络不稳定，请检查网络后重试']);
    expect(inputs(page)).toEqual(['李明明', '13812345678', '区第一人民医院']);
    expect(page.text()).toContain('保存资料');
  });

  test('saves the profile with the union unit picked from the list', async () => {
    const saved = me({ realName: '王芳', phone: '13900001111', unitId: 'unit-linping', unitName: '临平街道总工会', enterprise: '临平商贸公司', verified: false });
    const cloud = new FakeCloud()
      .on('session.me', ok({ me: blank, consentVersion: VERSION }))
      .on('units.list', ok({ units: units() }))
      .on('profile.save', ok({ me: saved }));
    const page = await load('pages/me', { transport: cloud });
    await page.type('姓名', '王芳');
    await page.type('手机号', '13900001111');
    await page.type('工作单位', '临平商贸公司');
    await page.tap('基层工会');
    expect(page.text()).toContain('选择所在的基层工会');
    expect(page.text()).toContain('街道');
    await page.tap('临平街道总工会');
    await page.tap('保存资料');

    expect(cloud.callsOf('profile.save')).toEqual([
      { realName: '王芳', phone: '13900001111', unitId: 'unit-linping', enterprise: '临平商贸公司' },
    ]);
    expect(wxLog().toasts).toEqual(['已保存']);
    expect(page.text()).toContain('资料已完善，待与工会会员名册核对');
  });

  test('shows the union list loading, then grouped', async () => {
    const cloud = new FakeCloud().on('session.me', signedUp());
    const held = cloud.hold('units.list');
    const page = await load('pages/me', { transport: cloud });
    await page.tap('基层工会');
    expect(page.text()).toContain('选择所在的基层工会关闭正在加载');
    held.resolve(ok({ units: units() }));
    await page.settle();
    expect(page.text()).toContain('卫健系统区人民医院工会街道临平街道总工会南苑街道总工会');

    await page.tap('关闭');
    expect(page.text()).not.toContain('选择所在的基层工会');
    await page.tap('基层工会');
    expect(cloud.callsOf('units.list')).toHaveLength(1);
  });

  test('offers a retry when the union list cannot load', async () => {
    const cloud = new FakeCloud()
      .on('session.me', signedUp())
      .drop('units.list', 'TIMEOUT')
      .on('units.list', ok({ units: units() }));
    const page = await load('pages/me', { transport: cloud });
    await page.tap('基层工会');
    expect(page.text()).toContain('请求超时，请稍后重试');
    await page.tap('重新加载');
    expect(page.text()).toContain('南苑街道总工会');
  });

  test('shows the worker everything stored about them', async () => {
    const cloud = new FakeCloud()
      .on('session.me', signedUp())
      .on('profile.export', ok({ me: me(), registrations: 2, entries: 1, opinions: 1, exportedAt: Date.UTC(2026, 5, 10, 2, 30) }));
    const page = await load('pages/me', { transport: cloud });
    await page.tap('查看我的数据');
    const text = page.text();
    expect(text).toContain('手机号13812345678');
    expect(text).toContain('报名记录2 条');
    expect(text).toContain('参赛作品1 件');
    expect(text).toContain('意见建议1 条');
    expect(text).toContain('导出于 6月10日 10:30');
  });

  test("deletes the worker's data only after they confirm", async () => {
    const cloud = new FakeCloud().on('session.me', signedUp()).on('profile.delete', ok({ deleted: true as const }));
    const page = await load('pages/me', { transport: cloud });

    wxLog().modalAnswers.push({ confirm: false });
    await page.tap('删除我的数据');
    expect(wxLog().modals[0]?.title).toBe('删除我的数据');
    expect(cloud.callsOf('profile.delete')).toEqual([]);

    wxLog().modalAnswers.push({ confirm: true });
    await page.tap('删除我的数据');
    expect(cloud.callsOf('profile.delete')).toEqual([{ confirm: '删除' }]);
    expect(wxLog().toasts).toEqual(['已删除']);
    expect(page.text()).toContain('个人信息保护说明');
    expect(page.comp.dom.querySelectorAll('wx-input')).toHaveLength(0);
  });

  test('offers to try again when the profile cannot load', async () => {
    const cloud = new FakeCloud().drop('session.me').on('session.me', signedUp());
    const page = await load('pages/me', { transport: cloud });
    expect(page.text()).toContain('网络不稳定');
    await page.tap('重新加载');
    expect(inputs(page)).toEqual(['李明', '13812345678', '区人民医院']);
  });

  test('leads staff, and only staff, to the staff entrance', async () => {
    const worker = await load('pages/me', { transport: new FakeCloud().on('session.me', signedUp()) });
    expect(worker.text()).not.toContain('评委评审');
    expect(worker.text()).not.toContain('工作人员后台');

    const staff = await load('pages/me', { transport: new FakeCloud().on('session.me', signedUp({ role: 'staff' })) });
    await staff.tap('工作人员后台');
    expect(wxLog().navigations).toEqual([{ kind: 'navigateTo', url: '/packages/staff/index/index' }]);
  });

  test('shows the judging entrance only to judges on a panel', async () => {
    const judge = await load('pages/me', { transport: new FakeCloud().on('session.me', signedUp({ judging: true })) });
    await judge.tap('评委评审');
    expect(wxLog().navigations).toEqual([{ kind: 'navigateTo', url: '/packages/judge/index/index' }]);
  });

  test('reaches the identity switcher in local mode, and reloads as the new identity', async () => {
    const cloud = new FakeCloud().on('session.me', signedUp());
    const page = await load('pages/me', { transport: cloud });
    expect(page.text()).toContain('演示身份李明（职工，区人民医院工会）');
    await page.tap('演示身份');
    expect(wxLog().navigations).toEqual([{ kind: 'navigateTo', url: '/pages/dev-identity/index' }]);

    wxLog().storage.set('wcp.local-identity', 'demo-worker-wang');
    await page.run('onShow');
    expect(cloud.callsOf('session.me')).toHaveLength(2);
    expect(page.text()).toContain('演示身份王芳（职工，临平街道总工会）');

    await page.run('onShow');
    expect(cloud.callsOf('session.me')).toHaveLength(2);
  });
});
