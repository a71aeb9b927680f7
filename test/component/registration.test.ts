import { fromChina } from '../../miniprogram/core/time';
import { FakeCloud, ok } from './fake-transport';
import { CHECKIN_CODE, course, openCompetition, registration } from './fixtures-mine';
import { load } from './load';
import { button, buttons, scanQr } from './ui';
import { wxLog } from './wx-log';

const withMine = (mine: ReturnType<typeof registration> | null = registration()) => {
  const d = openCompetition();
  d.mine = mine;
  return d;
};
const open = (cloud: FakeCloud, query: Record<string, string> = { id: 'act-comp' }) => load('pages/registration', { transport: cloud, query });

describe('我的报名（一项）', () => {
  test('shows a loading state, then the confirmed registration with a check-in QR that scans', async () => {
    const cloud = new FakeCloud();
    const held = cloud.hold('activities.detail');
    const page = await open(cloud, { id: 'act-comp', from: 'register' });
    expect(page.text()).toContain('正在加载');
    held.resolve(ok(withMine()));
    await page.settle();
    const text = page.text();
    expect(text).toContain('报名成功');
    expect(text).toContain('已报名');
    expect(text).toContain('请按时参加');
    expect(text).toContain('到场后请向工作人员出示此码签到');
    expect(text).toContain('报名时间：6月8日 10:00');
    expect(await scanQr(page)).toBe(CHECKIN_CODE);
    expect(cloud.calls).toHaveLength(1);
  });

  test('offers to try again when it cannot load', async () => {
    const cloud = new FakeCloud().drop('activities.detail', 'TIMEOUT').on('activities.detail', ok(withMine()));
    const page = await open(cloud);
    expect(page.text()).toContain('请求超时');
    await page.tap('重新加载');
    expect(page.text()).toContain('已报名');
  });

  test('says so when the worker has not registered, and leads to the form', async () => {
    const page = await open(new FakeCloud().on('activities.detail', ok(withMine(null))));
    expect(page.text()).toContain('您还没有报名这个活动');
    await page.tap('去报名');
    expect(wxLog().navigations).toEqual([{ kind: 'navigateTo', url: '/pages/register/index?id=act-comp' }]);
  });

  test('links each registered track to its entry editor while submissions are open', async () => {
    const page = await open(new FakeCloud().on('activities.detail', ok(withMine())));
    const text = page.text();
    expect(text).toContain('征文 · 职工征文提交作品');
    expect(text).toContain('摄影 · 职工摄影提交作品');
    expect(text).not.toContain('微视频 · 职工微视频');
    expect(text).toContain('作品提交截止于 6月30日 24:00');
    await page.tap('征文 · 职工征文');
    expect(wxLog().navigations).toEqual([{ kind: 'navigateTo', url: '/pages/entry/index?activityId=act-comp&trackId=essay' }]);
  });

  test('shows a registration awaiting approval, and a rejected one with its reason', async () => {
    const pending = await open(new FakeCloud().on('activities.detail', ok(withMine(registration({ state: 'pending' })))));
    expect(pending.text()).toContain('待审核');
    expect(pending.text()).toContain('正在等待工作人员审核');
    expect(pending.text()).toContain('报名确认后即可提交作品');
    expect(pending.comp.dom.querySelector('wx-image')).toBeNull();

    const rejected = await open(new FakeCloud().on('activities.detail', ok(withMine(registration({ state: 'rejected', reason: '非本区职工' })))));
    expect(rejected.text()).toContain('未通过');
    expect(rejected.text()).toContain('未通过审核：非本区职工');
    expect(buttons(rejected)).not.toContain('取消报名');
  });

  test('cancels with a confirm while the rules allow, and says the seat goes to the waitlist', async () => {
    const mine = registration({ activityId: 'act-course', tracks: [] });
    const cloud = new FakeCloud()
      .on('activities.detail', ok(course({}, mine)))
      .on('registrations.cancel', ok({ registration: { ...mine, state: 'cancelled', checkinCode: null } }));
    const page = await open(cloud, { id: 'act-course' });
    expect(page.text()).toContain('6月19日 19:00 前可以取消');

    // Declined: nothing is sent.
    await page.tap(button(page, '取消报名'));
    expect(wxLog().modals[0]?.content).toContain('名额将按顺序让给候补的职工');
    expect(cloud.callsOf('registrations.cancel')).toHaveLength(0);

    wxLog().modalAnswers.push({ confirm: true });
    await page.tap(button(page, '取消报名'));
    expect(cloud.callsOf('registrations.cancel')).toEqual([{ activityId: 'act-course' }]);
    expect(page.text()).toContain('已取消');
    expect(page.text()).toContain('您已取消报名');
    expect(buttons(page)).toEqual(['重新报名']);
    expect(page.comp.dom.querySelector('wx-image')).toBeNull();
  });

  test('cannot cancel once the activity has started', async () => {
    const mine = registration({ activityId: 'act-course', tracks: [] });
    const d = course({}, mine);
    d.serverNow = fromChina(2026, 6, 19, 19, 30);
    const page = await open(new FakeCloud().on('activities.detail', ok(d)), { id: 'act-course' });
    expect(page.text()).toContain('已过取消期限');
    expect(buttons(page)).not.toContain('取消报名');
  });

  test('shows the refusal when the server will not cancel', async () => {
    const mine = registration({ activityId: 'act-course', tracks: [] });
    const cloud = new FakeCloud().on('activities.detail', ok(course({}, mine))).refuse('registrations.cancel', 'CLOSED', '已过取消期限');
    const page = await open(cloud, { id: 'act-course' });
    wxLog().modalAnswers.push({ confirm: true });
    await page.tap(button(page, '取消报名'));
    expect(wxLog().toasts).toContain('已过取消期限');
    expect(page.text()).toContain('已报名');
  });
});
