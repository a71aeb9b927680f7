import { FakeCloud, ok } from './fake-transport';
import { homeView, NOW } from './fixtures';
import { load } from './load';
import { wxLog } from './wx-log';

describe('首页', () => {
  test('shows a loading state until the home screen arrives', async () => {
    const cloud = new FakeCloud();
    const held = cloud.hold('home.get');
    const page = await load('pages/home', { transport: cloud });
    expect(page.text()).toContain('正在加载');
    expect(page.text()).not.toContain('通知公告');

    held.resolve(ok(homeView()));
    await page.settle();
    expect(page.text()).not.toContain('正在加载');
    expect(page.text()).toContain('关于举办2026年职工文化比赛的通知');
  });

  test('fills the whole screen from one call: notices, open activities, deadlines', async () => {
    const cloud = new FakeCloud().on('home.get', ok(homeView()));
    const page = await load('pages/home', { transport: cloud });

    expect(cloud.calls.map((c) => c.action)).toEqual(['home.get']);
    const text = page.text();
    expect(text).toContain('置顶 · 通知 · 6月8日');
    expect(text).toContain('余工学堂七月课程预告');
    expect(text).toContain('“劳动之美”职工摄影比赛');
    expect(text).toContain('时间：6月20日 14:00–16:00');
    expect(text).toContain('剩余 36 个名额');
    expect(text).toContain('不限名额');
    expect(text).toContain('报名截止：6月13日 10:00');
    expect(text).toContain('还剩 3 天');
  });

  test('says so, section by section, when there is nothing to show', async () => {
    const cloud = new FakeCloud().on('home.get', ok({ announcements: [], open: [], deadlines: [], serverNow: NOW }));
    const page = await load('pages/home', { transport: cloud });
    const text = page.text();
    expect(text).toContain('暂无通知公告');
    expect(text).toContain('目前没有开放报名的活动');
    expect(text).toContain('近期没有需要留意的截止时间');
  });

  test('offers to try again when the home screen cannot load', async () => {
    const cloud = new FakeCloud().drop('home.get', 'NETWORK').on('home.get', ok(homeView()));
    const page = await load('pages/home', { transport: cloud });
    expect(page.text()).toContain('网络不稳定，请检查网络后重试');

    await page.tap('重新加载');
    expect(cloud.callsOf('home.get')).toHaveLength(2);
    expect(page.text()).toContain('关于举办2026年职工文化比赛的通知');
  });

  test('opens an activity from its card and from a deadline', async () => {
    const cloud = new FakeCloud().on('home.get', ok(homeView()));
    const page = await load('pages/home', { transport: cloud });

    await page.tap('“劳动之美”职工摄影比赛');
    await page.tap('还剩 3 天');
    expect(wxLog().navigations).toEqual([
      { kind: 'navigateTo', url: '/pages/activity/index?id=act-photo' },
      { kind: 'navigateTo', url: '/pages/activity/index?id=act-lecture-1' },
    ]);
  });

  test('takes the worker to the whole catalogue', async () => {
    const page = await load('pages/home', { transport: new FakeCloud().on('home.get', ok(homeView())) });
    await page.tap('全部活动 ›');
    expect(wxLog().navigations).toEqual([{ kind: 'switchTab', url: '/pages/activities/index' }]);
  });

  test('keeps what is on screen when a pull-to-refresh fails', async () => {
    const cloud = new FakeCloud().once('home.get', ok(homeView())).drop('home.get', 'TIMEOUT');
    const page = await load('pages/home', { transport: cloud });
    await page.run('onPullDownRefresh');

    expect(page.text()).toContain('关于举办2026年职工文化比赛的通知');
    expect(wxLog().toasts).toEqual(['请求超时，请稍后重试']);
    expect(wxLog().pullDownStopped).toBe(1);
  });
});
