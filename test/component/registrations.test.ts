import { DAY } from '../../miniprogram/core/time';
import { FakeCloud, ok } from './fake-transport';
import { CHECKIN_CODE, NOW, registration } from './fixtures-mine';
import { load } from './load';
import { scanQr } from './ui';
import { wxLog } from './wx-log';

const many = (n: number, from = 1) =>
  Array.from({ length: n }, (_, i) =>
    registration({ id: `reg_${from + i}`, activityId: `act-${from + i}`, activityTitle: `活动 ${from + i} 号`, createdAt: NOW - (from + i) * DAY, state: 'waitlisted', tracks: [] }),
  );

describe('我的报名', () => {
  beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(NOW));
  afterEach(() => jest.restoreAllMocks());

  test('shows a loading state, then every registration with its state and time', async () => {
    const cloud = new FakeCloud();
    const held = cloud.hold('registrations.mine');
    const page = await load('pages/registrations', { transport: cloud });
    expect(page.text()).toContain('正在加载');
    expect(await held.payload).toEqual({});
    held.resolve(
      ok({
        items: [
          registration(),
          registration({ id: 'r2', activityId: 'act-course', activityTitle: '余工学堂｜短视频剪辑实操', state: 'waitlisted', checkinCode: null }),
          registration({ id: 'r3', activityId: 'act-x', activityTitle: '文体用品进企业', state: 'rejected', reason: '名额限本单位' }),
        ],
        next: null,
      }),
    );
    await page.settle();
    const text = page.text();
    expect(text).toContain('2026年职工文化比赛（征文·摄影·微视频）已报名报名于 6月8日 10:00出示签到码');
    expect(text).toContain('余工学堂｜短视频剪辑实操候补中报名于 6月8日 10:00有人取消时按顺序递补');
    expect(text).toContain('文体用品进企业未通过报名于 6月8日 10:00原因：名额限本单位');
    expect(text).toContain('没有更多了');
    expect(cloud.calls).toHaveLength(1);
  });

  test('shows the check-in QR of a confirmed registration on tap', async () => {
    const page = await load('pages/registrations', { transport: new FakeCloud().on('registrations.mine', ok({ items: [registration()], next: null })) });
    await page.tap('出示签到码');
    expect(page.text()).toContain('签到码');
    expect(await scanQr(page)).toBe(CHECKIN_CODE);
    expect(wxLog().navigations).toEqual([]);
    await page.tap('关闭');
    expect(page.instance.data.qr).toBeNull();
  });

  test('opens a registration from the list', async () => {
    const page = await load('pages/registrations', { transport: new FakeCloud().on('registrations.mine', ok({ items: [registration()], next: null })) });
    await page.tap('2026年职工文化比赛（征文·摄影·微视频）');
    expect(wxLog().navigations).toEqual([{ kind: 'navigateTo', url: '/pages/registration/index?id=act-comp' }]);
  });

  test('says when there is nothing yet, and leads to the activities', async () => {
    const page = await load('pages/registrations', { transport: new FakeCloud().on('registrations.mine', ok({ items: [], next: null })) });
    expect(page.text()).toContain('您还没有报名任何活动');
    await page.tap('去看看活动');
    expect(wxLog().navigations).toEqual([{ kind: 'switchTab', url: '/pages/activities/index' }]);
  });

  test('offers to try again when the list cannot load', async () => {
    const cloud = new FakeCloud().drop('registrations.mine').on('registrations.mine', ok({ items: many(2), next: null }));
    const page = await load('pages/registrations', { transport: cloud });
    expect(page.text()).toContain('网络不稳定');
    await page.tap('重新加载');
    expect(page.text()).toContain('活动 2 号');
  });

  test('appends the next twenty at the bottom, by index', async () => {
    const cloud = new FakeCloud().once('registrations.mine', ok({ items: many(20), next: 'c20' })).once('registrations.mine', ok({ items: many(5, 21), next: null }));
    const page = await load('pages/registrations', { transport: cloud });
    await page.run('onReachBottom');
    expect(cloud.callsOf('registrations.mine')).toEqual([{}, { cursor: 'c20' }]);
    expect(page.text()).toContain('活动 25 号');
    const append = page.setDataLog.at(-1);
    expect(append?.keys.filter((k) => k.startsWith('list['))).toHaveLength(5);
  });
});
