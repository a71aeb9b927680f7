/** The activity page once the worker has registered: where they stand, and the way to their entries. */
import { FakeCloud, ok } from './fake-transport';
import { course, openCompetition, registration } from './fixtures-mine';
import { homeView, NOW } from './fixtures';
import { load } from './load';
import { button, buttons } from './ui';
import { wxLog } from './wx-log';

const withMine = (mine: ReturnType<typeof registration>) => {
  const d = openCompetition();
  d.mine = mine;
  d.activity.next = 'submit';
  return d;
};

describe('活动详情：我的报名', () => {
  test.each([
    ['confirmed', '已报名'],
    ['waitlisted', '候补中'],
    ['pending', '待审核'],
  ] as const)('shows a %s registration as %s, leading to it', async (state, label) => {
    const d = course({ next: 'registered' }, registration({ activityId: 'act-course', state, tracks: [] }));
    const page = await load('pages/activity', { transport: new FakeCloud().on('activities.detail', ok(d)), query: { id: 'act-course' } });
    expect(page.text()).toContain(`报名${label}查看 ›`);
    expect(buttons(page)).toContain('查看我的报名');
    await page.tap(button(page, '查看我的报名'));
    expect(wxLog().navigations).toEqual([{ kind: 'navigateTo', url: '/pages/registration/index?id=act-course' }]);
  });

  test('links each registered track to its entry editor while submissions are open', async () => {
    const page = await load('pages/activity', { transport: new FakeCloud().on('activities.detail', ok(withMine(registration()))), query: { id: 'act-comp' } });
    const text = page.text();
    expect(text).toContain('征文 · 职工征文800–3000 字提交作品');
    expect(text).toContain('摄影 · 职工摄影最多 6 张，每张不超过 10 MB提交作品');
    expect(text).not.toContain('微视频 · 职工微视频时长不超过 5 分钟，文件不超过 200 MB提交作品');
    expect(text).toContain('在上方「比赛类别」中选择项目提交作品');
    await page.tap('摄影 · 职工摄影');
    expect(wxLog().navigations).toEqual([{ kind: 'navigateTo', url: '/pages/entry/index?activityId=act-comp&trackId=photo' }]);
  });

  test('goes straight to the editor when the worker entered one track', async () => {
    const page = await load('pages/activity', {
      transport: new FakeCloud().on('activities.detail', ok(withMine(registration({ tracks: ['video'] })))),
      query: { id: 'act-comp' },
    });
    await page.tap(button(page, '提交作品'));
    expect(wxLog().navigations).toEqual([{ kind: 'navigateTo', url: '/pages/entry/index?activityId=act-comp&trackId=video' }]);
  });

  test('offers the waitlist when the course is full', async () => {
    const page = await load('pages/activity', { transport: new FakeCloud().on('activities.detail', ok(course({ left: 0, next: 'waitlist' }))), query: { id: 'act-course' } });
    expect(page.text()).toContain('名额已满，报名后进入候补名单');
    await page.tap(button(page, '候补报名'));
    expect(wxLog().navigations).toEqual([{ kind: 'navigateTo', url: '/pages/register/index?id=act-course' }]);
  });

  test('reloads when the worker comes back after registering', async () => {
    const cloud = new FakeCloud().once('activities.detail', ok(course())).once('activities.detail', ok(course({ next: 'registered' }, registration({ activityId: 'act-course', tracks: [] }))));
    const page = await load('pages/activity', { transport: cloud, query: { id: 'act-course' } });
    // Nothing changed: no reload.
    await page.run('onShow');
    expect(cloud.calls).toHaveLength(1);
    // The register page bumps the registrations topic (in the same module registry as the page).
    const changes = jest.requireActual<{ bump(t: string): void }>('../../miniprogram/services/changes');
    changes.bump('registrations');
    await page.run('onShow');
    expect(cloud.calls).toHaveLength(2);
    expect(page.text()).toContain('报名已报名');
  });
});

describe('首页：截止提醒', () => {
  test('leads a submission deadline to the registration and its tracks', async () => {
    const view = homeView({ deadlines: [{ activityId: 'act-comp', title: '2026年职工文化比赛', label: '作品提交截止', at: NOW + 86400000, kind: 'submission', trackIds: ['essay', 'photo'] }] });
    const page = await load('pages/home', { transport: new FakeCloud().on('home.get', ok(view)) });
    await page.tap('2026年职工文化比赛');
    expect(wxLog().navigations).toEqual([{ kind: 'navigateTo', url: '/pages/registration/index?id=act-comp' }]);
  });
});
