import { fromChina } from '../../miniprogram/core/time';
import { FakeCloud, ok } from './fake-transport';
import { load } from './load';
import { asRole, NOW, staffActivity, staffAnnouncement } from './staff-fixtures';
import { pickers, switches } from './staff-ui';
import { button } from './ui';
import { wxLog } from './wx-log';

beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(NOW));
afterEach(() => jest.restoreAllMocks());

const LIST = 'packages/staff/announcements';
const EDIT = 'packages/staff/announcement-edit';

describe('公告管理', () => {
  test('shows a loading state, then every announcement with its category, pin, state and reads', async () => {
    const cloud = asRole();
    const held = cloud.hold('announcements.list');
    const page = await load(LIST, { transport: cloud });
    expect(page.text()).toContain('正在加载');
    held.resolve(
      ok({
        items: [
          staffAnnouncement(),
          staffAnnouncement({ id: 'ann-2', title: '七月课程预告', category: 'training', pinned: false, publishAt: NOW + 86400000, reads: 0, activityId: null }),
          staffAnnouncement({ id: 'ann-3', title: '旧通知', withdrawn: true }),
        ],
        next: null,
      }),
    );
    await page.settle();
    const text = page.text();
    expect(text).toContain('通知置顶已发布关于举办2026年职工文化比赛的通知发布于 6月8日 10:00 · 阅读 128 · 已关联活动');
    expect(text).toContain('培训公告定时发布七月课程预告将于 6月11日 10:00 发布 · 阅读 0');
    // A withdrawn one is no longer pinned and cannot be withdrawn again.
    expect(text).toContain('通知已撤回旧通知');
    expect(text).not.toContain('置顶已撤回');
    expect(cloud.calls.map((c) => c.action).sort()).toEqual(['announcements.list']);
  });

  test('says so when there are no announcements yet, and still offers to write one', async () => {
    const page = await load(LIST, { transport: asRole().on('announcements.list', ok({ items: [], next: null })) });
    expect(page.text()).toContain('还没有公告');
    await page.tap('发布公告');
    expect(wxLog().navigations).toEqual([{ kind: 'navigateTo', url: '/packages/staff/announcement-edit/index' }]);
  });

  test('shows an error with a retry when the list does not arrive', async () => {
    const cloud = asRole().drop('announcements.list', 'NETWORK').on('announcements.list', ok({ items: [staffAnnouncement()], next: null }));
    const page = await load(LIST, { transport: cloud });
    expect(page.text()).toContain('网络不稳定');
    await page.tap('重新加载');
    expect(page.text()).toContain('关于举办2026年职工文化比赛的通知');
  });

  test('refuses the page to a worker', async () => {
    const cloud = asRole('worker').refuse('announcements.list', 'FORBIDDEN');
    const page = await load(LIST, { transport: cloud });
    expect(page.text()).toContain('仅限工会工作人员使用');
    expect(page.text()).not.toContain('发布公告');
    await page.tap('返回首页');
    expect(wxLog().navigations).toEqual([{ kind: 'switchTab', url: '/pages/home/index' }]);
  });

  test('withdraws an announcement only after confirming', async () => {
    const cloud = asRole().on('announcements.list', ok({ items: [staffAnnouncement()], next: null })).on('announcements.withdraw', ok({ withdrawn: true as const }));
    const page = await load(LIST, { transport: cloud });
    wxLog().modalAnswers.push({ confirm: false });
    await page.tap('撤回');
    expect(wxLog().modals[0]?.title).toBe('撤回公告');
    expect(cloud.callsOf('announcements.withdraw')).toEqual([]);

    wxLog().modalAnswers.push({ confirm: true });
    await page.tap('撤回');
    expect(cloud.callsOf('announcements.withdraw')).toEqual([{ id: 'ann-1' }]);
    expect(page.text()).toContain('通知已撤回');
    expect(page.find('撤回')?.textContent).not.toBe('撤回');
    expect(wxLog().toasts).toContain('已撤回');
  });

  test('loads the next twenty when scrolled to the bottom', async () => {
    const first = Array.from({ length: 20 }, (_, i) => staffAnnouncement({ id: `a${i}`, title: `公告 ${i + 1} 号`, publishAt: NOW - (i + 1) * 3600000 }));
    const cloud = asRole()
      .once('announcements.list', ok({ items: first, next: `${NOW - 20 * 3600000}_a19` }))
      .once('announcements.list', ok({ items: [staffAnnouncement({ id: 'a20', title: '公告 21 号', publishAt: NOW - 21 * 3600000 })], next: null }));
    const page = await load(LIST, { transport: cloud });
    expect(page.text()).toContain('上拉加载更多');
    await page.run('onReachBottom');
    expect(cloud.callsOf('announcements.list')).toEqual([{}, { cursor: `${NOW - 20 * 3600000}_a19` }]);
    expect(page.text()).toContain('公告 21 号');
    expect(page.text()).toContain('没有更多了');
  });
});

describe('发布公告', () => {
  const saved = () => ok({ id: 'ann-new' });

  test('refuses the page to a worker', async () => {
    const page = await load(EDIT, { transport: asRole('worker') });
    expect(page.text()).toContain('仅限工会工作人员使用');
    expect(page.text()).not.toContain('立即发布');
  });

  test('shows an error with a retry when it cannot tell who is asking', async () => {
    const cloud = new FakeCloud().drop('session.me', 'TIMEOUT');
    const page = await load(EDIT, { transport: cloud });
    expect(page.text()).toContain('请求超时');
    expect(page.text()).toContain('重新加载');
  });

  test('shows what is missing under each field, sending nothing', async () => {
    const cloud = asRole();
    const page = await load(EDIT, { transport: cloud });
    await page.tap(button(page, '发布'));
    const text = page.text();
    expect(text).toContain('请选择公告类别');
    expect(text).toContain('请填写标题');
    expect(text).toContain('请填写正文');
    expect(cloud.callsOf('announcements.save')).toEqual([]);
  });

  test('publishes now with category, title, body, pin and the activity picked from the staff list', async () => {
    const cloud = asRole()
      .on('activities.staffList', ok({ items: [staffActivity(), staffActivity({ id: 'act-old', title: '往届活动', status: 'archived' })], next: null }))
      .on('announcements.save', saved());
    const page = await load(EDIT, { transport: cloud });
    await page.tap('培训公告');
    await page.type('标题', '太极拳课程开课通知');
    await page.type('正文', '欢迎报名参加。');
    await page.tap(switches(page)[0]!);
    await page.tap('不关联');
    expect(page.text()).toContain('余工学堂｜手机摄影入门已发布');
    expect(page.text()).not.toContain('往届活动');
    await page.tap('余工学堂｜手机摄影入门');
    await page.tap(button(page, '发布'));
    expect(cloud.callsOf('announcements.save')).toEqual([
      { category: 'training', title: '太极拳课程开课通知', body: '欢迎报名参加。', images: [], pinned: true, activityId: 'act-course', publishAt: NOW },
    ]);
    expect(wxLog().toasts).toContain('已发布');
    expect(wxLog().navigations).toEqual([{ kind: 'navigateBack', url: '1' }]);
  });

  test('schedules at a date and time picked on China time, whatever the phone zone', async () => {
    const cloud = asRole().on('announcements.save', saved());
    const page = await load(EDIT, { transport: cloud });
    await page.tap('通知');
    await page.type('标题', '运动会开幕通知');
    await page.type('正文', '九点开幕。');
    await page.tap('定时发布');
    // Tomorrow 09:00 by default.
    expect(page.text()).toContain('将于 6月11日 09:00（北京时间）发布');
    const [date, time] = pickers(page);
    await page.fire(date!, 'change', { value: '2026-06-20' });
    await page.fire(time!, 'change', { value: '08:30' });
    expect(page.text()).toContain('将于 6月20日 08:30（北京时间）发布');
    await page.tap(button(page, '确认定时发布'));
    expect(cloud.callsOf('announcements.save')[0]?.publishAt).toBe(fromChina(2026, 6, 20, 8, 30));
    expect(wxLog().toasts).toContain('已定时发布');
  });

  test('refuses a scheduled time already past, under the publish time', async () => {
    const cloud = asRole();
    const page = await load(EDIT, { transport: cloud });
    await page.tap('通知');
    await page.type('标题', '运动会开幕通知');
    await page.type('正文', '九点开幕。');
    await page.tap('定时发布');
    const [date, time] = pickers(page);
    await page.fire(date!, 'change', { value: '2026-06-10' });
    await page.fire(time!, 'change', { value: '09:00' });
    await page.tap(button(page, '确认定时发布'));
    expect(page.text()).toContain('定时发布的时间已经过去');
    expect(cloud.callsOf('announcements.save')).toEqual([]);
  });

  test('keeps the form and shows the error under the field the server names', async () => {
    const cloud = asRole().refuse('announcements.save', 'INVALID_PAYLOAD', '关联的活动不存在', 'payload.activityId');
    const page = await load(EDIT, { transport: cloud, query: { activityId: 'act-gone', title: encodeURIComponent('已删除的活动') } });
    await page.tap('通知');
    await page.type('标题', '关于活动取消的通知');
    await page.type('正文', '因故取消。');
    await page.tap(button(page, '发布'));
    const text = page.text();
    expect(text).toContain('关联活动已删除的活动关联的活动不存在');
    expect(text).toContain('关于活动取消的通知');
    expect(text).toContain('因故取消。');
    expect(wxLog().navigations).toEqual([]);
  });

  test('keeps the form when the network fails, and saves on the next tap', async () => {
    const cloud = asRole().drop('announcements.save', 'NETWORK').on('announcements.save', saved());
    const page = await load(EDIT, { transport: cloud });
    await page.tap('信息报道');
    await page.type('标题', '品牌示范点交流活动举行');
    await page.type('正文', '交流了阵地建设经验。');
    await page.tap(button(page, '发布'));
    expect(page.text()).toContain('网络不稳定');
    expect(page.text()).toContain('品牌示范点交流活动举行');
    await page.tap(button(page, '发布'));
    expect(cloud.callsOf('announcements.save')).toHaveLength(2);
    expect(cloud.callsOf('announcements.save')[1]).toMatchObject({ category: 'news', title: '品牌示范点交流活动举行' });
    expect(wxLog().navigations).toEqual([{ kind: 'navigateBack', url: '1' }]);
  });
});
