import { FakeCloud, ok } from './fake-transport';
import { card, detail, NOW } from './fixtures';
import { fromChina } from '../../miniprogram/core/time';
import { load } from './load';
import { button } from './ui';
import { wxLog } from './wx-log';

const open = (transport: FakeCloud, id = 'act-comp') => load('pages/activity', { transport, query: { id } });

describe('活动详情', () => {
  test('shows a loading state, then the activity', async () => {
    const cloud = new FakeCloud();
    const held = cloud.hold('activities.detail');
    const page = await open(cloud);
    expect(page.text()).toContain('正在加载');
    expect(await held.payload).toEqual({ id: 'act-comp' });

    held.resolve(ok(detail()));
    await page.settle();
    expect(page.text()).toContain('2026年职工文化比赛（征文·摄影·微视频）');
    expect(page.text()).toContain('以“劳动创造幸福”为主题');
    expect(cloud.calls).toHaveLength(1);
  });

  test("states every window against the server's clock", async () => {
    const page = await open(new FakeCloud().on('activities.detail', ok(detail())));
    const text = page.text();
    expect(text).toContain('报名进行中，截止于 6月30日 24:00');
    expect(text).toContain('作品提交已截止');
    expect(text).toContain('评审未开始，7月1日 00:00 开始');
    expect(text).toContain('结果公示未开始，7月16日 00:00 开始');
    expect(text).toContain('申诉未开始');
  });

  test('judges windows by the server time it was sent, not the phone clock', async () => {
    const later = fromChina(2026, 7, 2, 9, 0);
    jest.spyOn(Date, 'now').mockReturnValue(NOW);
    const d = detail();
    const page = await open(new FakeCloud().on('activities.detail', ok({ ...d, serverNow: later })));
    expect(page.text()).toContain('报名已截止');
    expect(page.text()).toContain('评审进行中，截止于 7月14日 24:00');
    jest.restoreAllMocks();
  });

  test('shows the tracks of a competition with their limits', async () => {
    const page = await open(new FakeCloud().on('activities.detail', ok(detail())));
    const text = page.text();
    expect(text).toContain('征文 · 职工征文800–3000 字');
    expect(text).toContain('摄影 · 职工摄影最多 6 张，每张不超过 10 MB');
    expect(text).toContain('微视频 · 职工微视频时长不超过 5 分钟，文件不超过 200 MB');
  });

  test('shows time, place, seats left and the rules of an activity', async () => {
    const lecture = detail({ ...card(), competition: null, body: '请提前十分钟入场。\n携带工会会员证。' });
    const page = await open(new FakeCloud().on('activities.detail', ok(lecture)), 'act-lecture-1');
    const text = page.text();
    expect(text).toContain('时间6月20日 14:00–16:00');
    expect(text).toContain('地点区工人文化宫 三楼报告厅');
    expect(text).toContain('名额剩余 36 个名额（共 120 个）');
    expect(text).toContain('报名进行中，截止于 6月17日 24:00');
    expect(text).toContain('请提前十分钟入场。 携带工会会员证。');
    expect(text).toContain('所属年度计划：职工文化比赛');
    expect(text).not.toContain('比赛类别');
  });

  test('leads to the registration page from the 报名 button', async () => {
    const cloud = new FakeCloud().on('activities.detail', ok(detail()));
    const page = await open(cloud);
    expect(page.text()).not.toContain('即将开放');
    await page.tap(button(page, '报名'));
    expect(wxLog().navigations).toEqual([{ kind: 'navigateTo', url: '/pages/register/index?id=act-comp' }]);
    expect(cloud.calls).toHaveLength(1);
  });

  test('offers only sharing for an activity with nothing to do', async () => {
    const page = await open(new FakeCloud().on('activities.detail', ok(detail({ next: 'view' }))));
    expect(page.text()).toContain('分享给同事');
    expect(page.text()).not.toContain('即将开放');
  });

  test('shares the activity page itself, with nothing offered for it', async () => {
    const page = await open(new FakeCloud().on('activities.detail', ok(detail())));
    expect(await page.run('onShareAppMessage')).toEqual({
      title: '2026年职工文化比赛（征文·摄影·微视频）',
      path: '/pages/activity/index?id=act-comp',
    });
  });

  test('says the activity does not exist, and leads back to the catalogue', async () => {
    const cloud = new FakeCloud().refuse('activities.detail', 'NOT_FOUND', '活动不存在或尚未发布');
    const page = await open(cloud, 'nope');
    expect(page.text()).toContain('活动不存在或尚未发布');
    expect(page.text()).not.toContain('重新加载');
    await page.tap('查看全部活动');
    expect(wxLog().navigations).toEqual([{ kind: 'switchTab', url: '/pages/activities/index' }]);
  });

  test('offers to try again when the activity cannot load', async () => {
    const cloud = new FakeCloud().drop('activities.detail').on('activities.detail', ok(detail()));
    const page = await open(cloud);
    expect(page.text()).toContain('网络不稳定');
    await page.tap('重新加载');
    expect(page.text()).toContain('时间安排');
  });

  test('asks for nothing when opened without an activity', async () => {
    const cloud = new FakeCloud();
    const page = await load('pages/activity', { transport: cloud });
    expect(page.text()).toContain('内容不存在或已删除');
    expect(cloud.calls).toEqual([]);
  });
});
