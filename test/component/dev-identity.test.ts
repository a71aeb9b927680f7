import { runtime } from '../../miniprogram/config/runtime';
import { FakeCloud, ok } from './fake-transport';
import { me } from './fixtures';
import { load } from './load';
import { wxLog } from './wx-log';

describe('演示身份 (local mode only)', () => {
  test('lists the demo identities with the current one marked', async () => {
    const page = await load('pages/dev-identity', { storage: { 'wcp.local-identity': 'demo-judge-zhao' } });
    for (const i of runtime.identities) expect(page.text()).toContain(i.label);
    expect(page.text()).toContain('赵老师（评委）评委 · 当前身份');
  });

  test('remembers the identity picked, then goes back', async () => {
    const page = await load('pages/dev-identity');
    await page.tap('陈干事（工会工作人员）');
    expect(wxLog().storage.get('wcp.local-identity')).toBe('demo-staff-chen');
    expect(page.text()).toContain('工作人员 · 当前身份');
    expect(wxLog().toasts).toEqual(['已切换为陈干事']);
    // Long enough to read the toast.
    await new Promise((r) => setTimeout(r, 700));
    expect(wxLog().navigations).toEqual([{ kind: 'navigateBack', url: '1' }]);
  });

  test('makes the client call as the identity picked', async () => {
    const sent: Array<string | undefined> = [];
    const wx = (globalThis as unknown as { wx: { request: (o: { header?: Record<string, string>; success(r: unknown): void }) => void } }).wx;
    const original = wx.request;
    wx.request = (o) => {
      sent.push(o.header?.['X-Local-Openid']);
      setTimeout(() => o.success({ statusCode: 200, data: ok({ me: me(), consentVersion: '2026-11' }) }), 0);
    };
    try {
      await load('pages/me', { storage: { 'wcp.local-identity': 'demo-judge-qian' } });
      expect(sent).toEqual(['demo-judge-qian']);
    } finally {
      wx.request = original;
    }
  });

  test('refuses to do anything in cloud mode', async () => {
    const page = await load('pages/dev-identity', { runtime: { mode: 'cloud', envId: 'env', identities: [] } });
    expect(page.text()).toContain('仅在本地模式下可用');
    expect(page.text()).not.toContain('当前身份');
  });

  test('is not offered on 我的 in cloud mode', async () => {
    const cloud = new FakeCloud().on('session.me', ok({ me: me(), consentVersion: '2026-11' }));
    const page = await load('pages/me', { transport: cloud, runtime: { mode: 'cloud', envId: 'env', identities: [] } });
    expect(page.text()).toContain('个人资料');
    expect(page.text()).not.toContain('演示身份');
    expect(wxLog().navigations).toEqual([]);
  });
});
