import { fromChina } from '../../miniprogram/core/time';
import { ok } from './fake-transport';
import { detail } from './fixtures';
import { load, type RenderedPage } from './load';
import { asRole, NOW, staffActivities, staffActivity, staffDetail } from './staff-fixtures';
import { pickWindow, pickers, switches, windowText } from './staff-ui';
import { button } from './ui';
import { wxLog } from './wx-log';

beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(NOW));
afterEach(() => jest.restoreAllMocks());

const LIST = 'packages/staff/activities';
const EDIT = 'packages/staff/activity-edit';

describe('活动管理', () => {
  test('shows a loading state, then the published activities with time, seats and what can be done', async () => {
    const cloud = asRole();
    const held = cloud.hold('activities.staffList');
    const page = await load(LIST, { transport: cloud });
    expect(page.text()).toContain('正在加载');
    expect(await held.payload).toEqual({ status: 'published' });
    held.resolve(ok({ items: [staffActivity(), staffActivity({ id: 'act-talk', kind: 'lecture', title: '劳模进企业宣讲会', capacity: 0, taken: 45, waitlisted: 0, planItem: '劳模进企业' })], next: null }));
    await page.settle();
    const text = page.text();
    expect(text).toContain('余工学堂余工学堂公益培训余工学堂｜手机摄影入门活动：6月20日 14:00–16:00 报名：6月1日 09:00 至 6月19日 18:00已报名 27 / 30 · 候补 2');
    expect(text).toContain('宣讲劳模进企业劳模进企业宣讲会');
    expect(text).toContain('已报名 45（不限名额）');
    // Published: it can only be closed (canMove), not archived or sent back to draft.
    expect(text).toContain('编辑报名名单意见征集发公告结束报名');
    expect(text).not.toMatch(/结束报名归档|发公告发布/);
  });

  test('shows the drafts on their own tab, each ready to publish or archive', async () => {
    const cloud = asRole()
      .on('activities.staffList', (p) => ok({ items: p.status === 'draft' ? [staffActivity({ id: 'act-draft', title: '职工书法培训', status: 'draft' })] : [], next: null }));
    const page = await load(LIST, { transport: cloud });
    expect(page.text()).toContain('这里还没有活动');
    await page.tap('草稿');
    expect(cloud.callsOf('activities.staffList')).toEqual([{ status: 'published' }, { status: 'draft' }]);
    expect(page.text()).toContain('职工书法培训');
    expect(page.text()).toContain('发布归档');
  });

  test('shows an error with a retry when the list does not arrive', async () => {
    const cloud = asRole().drop('activities.staffList', 'TIMEOUT').on('activities.staffList', ok({ items: [staffActivity()], next: null }));
    const page = await load(LIST, { transport: cloud });
    expect(page.text()).toContain('请求超时');
    await page.tap('重新加载');
    expect(page.text()).toContain('余工学堂｜手机摄影入门');
  });

  test('refuses the page to a worker', async () => {
    const page = await load(LIST, { transport: asRole('worker').refuse('activities.staffList', 'FORBIDDEN') });
    expect(page.text()).toContain('仅限工会工作人员使用');
    expect(page.text()).not.toContain('新建活动');
  });

  test('publishes a draft only after confirming, and it leaves the drafts', async () => {
    const cloud = asRole()
      .on('activities.staffList', (p) => ok({ items: p.status === 'draft' ? [staffActivity({ id: 'act-draft', title: '职工书法培训', status: 'draft' })] : [], next: null }))
      .on('activities.setStatus', ok({ status: 'published' as const }));
    const page = await load(LIST, { transport: cloud });
    await page.tap('草稿');
    wxLog().modalAnswers.push({ confirm: false });
    await page.tap('发布');
    expect(wxLog().modals[0]).toEqual({ title: '发布「职工书法培训」', content: '发布后，职工即可在活动列表中看到并报名。' });
    expect(cloud.callsOf('activities.setStatus')).toEqual([]);

    wxLog().modalAnswers.push({ confirm: true });
    await page.tap('发布');
    expect(cloud.callsOf('activities.setStatus')).toEqual([{ id: 'act-draft', status: 'published' }]);
    expect(page.text()).not.toContain('职工书法培训');
    expect(wxLog().toasts).toContain('已发布');
  });

  test('tells staff when someone else moved the activity first, and shows the list as it is', async () => {
    const cloud = asRole().on('activities.staffList', ok({ items: [staffActivity()], next: null })).refuse('activities.setStatus', 'INVALID_STATE', '不能从「closed」改为「closed」');
    const page = await load(LIST, { transport: cloud });
    wxLog().modalAnswers.push({ confirm: true });
    await page.tap('结束报名');
    expect(wxLog().toasts).toContain('不能从「closed」改为「closed」');
    expect(cloud.callsOf('activities.staffList')).toHaveLength(2);
  });

  test('leads to the editor, the registrations, the 意见征集 and a new announcement of an activity', async () => {
    const page = await load(LIST, { transport: asRole().on('activities.staffList', ok({ items: [staffActivity()], next: null })) });
    await page.tap('编辑');
    await page.tap('报名名单');
    await page.tap('意见征集');
    await page.tap('发公告');
    await page.tap(button(page, '新建活动'));
    const t = encodeURIComponent('余工学堂｜手机摄影入门');
    expect(wxLog().navigations.map((n) => n.url)).toEqual([
      '/packages/staff/activity-edit/index?id=act-course',
      `/packages/staff/registrations/index?id=act-course&title=${t}`,
      `/packages/staff/opinions/index?id=act-course&title=${t}`,
      `/packages/staff/announcement-edit/index?activityId=act-course&title=${t}`,
      '/packages/staff/activity-edit/index',
    ]);
  });

  test('loads the next twenty of the tab when scrolled to the bottom', async () => {
    const first = staffActivities(20);
    const next = `${first[19]!.time.start}_${first[19]!.id}`;
    const cloud = asRole().once('activities.staffList', ok({ items: first, next })).once('activities.staffList', ok({ items: staffActivities(3, 'published', 21), next: null }));
    const page = await load(LIST, { transport: cloud });
    await page.run('onReachBottom');
    expect(cloud.callsOf('activities.staffList')[1]).toEqual({ status: 'published', cursor: next });
    expect(page.text()).toContain('活动 23 号');
    expect(page.text()).toContain('没有更多了');
  });
});

/** Fills what every kind needs; the times keep their defaults unless a test picks them. */
async function fillLecture(page: RenderedPage): Promise<void> {
  await page.tap('宣讲活动');
  await page.type('名称', '劳模进企业宣讲会');
  await page.type('简介', '全国劳模讲述奋斗故事');
  await page.type('地点', '区工人文化宫 三楼报告厅');
  await page.type('名额', '120');
  await page.type('详细介绍', '请提前十分钟入场。');
}

describe('新建活动', () => {
  test('refuses the page to a worker', async () => {
    const page = await load(EDIT, { transport: asRole('worker') });
    expect(page.text()).toContain('仅限工会工作人员使用');
    expect(page.text()).not.toContain('保存');
  });

  test('shows what is missing under each field, sending nothing', async () => {
    const cloud = asRole();
    const page = await load(EDIT, { transport: cloud });
    await page.tap(button(page, '保存'));
    const text = page.text();
    expect(text).toContain('请选择活动类型');
    expect(text).toContain('请填写活动名称');
    expect(text).toContain('请填写活动地点');
    expect(text).toContain('请选择计入的年度计划项目');
    expect(text).toContain('有 4 处需要修改');
    expect(cloud.callsOf('activities.save')).toEqual([]);
  });

  test('creates a lecture with times picked on China time, then offers to publish it', async () => {
    const cloud = asRole().on('activities.save', ok({ id: 'act-new' })).on('activities.setStatus', ok({ status: 'published' as const }));
    const page = await load(EDIT, { transport: cloud });
    await fillLecture(page);
    // The kind suggests its plan item; another one can be picked.
    expect(page.text()).toContain('计入计划宣讲活动');
    await page.fire(pickers(page)[0]!, 'change', { value: 7 });
    expect(page.text()).toContain('计入计划劳模进企业');
    await pickWindow(page, '活动时间', { startDate: '2026-06-20', startTime: '14:00', endDate: '2026-06-20', endTime: '16:30' });
    expect(windowText(page, '活动时间')).toContain('6月20日 14:00 至 6月20日 16:30（北京时间）');
    await pickWindow(page, '报名时间', { startDate: '2026-06-10', startTime: '09:00', endDate: '2026-06-19', endTime: '18:00' });
    await page.tap(switches(page)[1]!);
    wxLog().modalAnswers.push({ confirm: true });
    await page.tap(button(page, '保存'));
    expect(cloud.callsOf('activities.save')).toEqual([
      {
        kind: 'lecture',
        title: '劳模进企业宣讲会',
        summary: '全国劳模讲述奋斗故事',
        body: '请提前十分钟入场。',
        time: { start: fromChina(2026, 6, 20, 14, 0), end: fromChina(2026, 6, 20, 16, 30) },
        place: '区工人文化宫 三楼报告厅',
        capacity: 120,
        signup: { start: fromChina(2026, 6, 10, 9, 0), end: fromChina(2026, 6, 19, 18, 0) },
        planItem: '劳模进企业',
        questions: [],
        requiresVerified: false,
        requiresApproval: true,
        competition: null,
      },
    ]);
    expect(wxLog().modals[0]?.title).toBe('已保存为草稿');
    expect(cloud.callsOf('activities.setStatus')).toEqual([{ id: 'act-new', status: 'published' }]);
    expect(wxLog().navigations).toEqual([{ kind: 'navigateBack', url: '1' }]);
  });

  test('keeps the form and shows the error under the sign-up window when the server refuses it', async () => {
    const cloud = asRole().refuse('activities.save', 'INVALID_PAYLOAD', '报名时间的结束时间应晚于开始时间', 'payload.signup');
    const page = await load(EDIT, { transport: cloud });
    await fillLecture(page);
    await page.tap(button(page, '保存'));
    expect(windowText(page, '报名时间')).toContain('报名时间的结束时间应晚于开始时间');
    expect(windowText(page, '活动时间')).not.toContain('应晚于');
    const text = page.text();
    expect(text).toContain('劳模进企业宣讲会');
    expect(text).toContain('区工人文化宫 三楼报告厅');
    expect(text).toContain('请提前十分钟入场。');
    expect(wxLog().navigations).toEqual([]);
    // Picking the window again clears its error.
    await pickWindow(page, '报名时间', { endTime: '20:00' });
    expect(windowText(page, '报名时间')).not.toContain('应晚于');
  });

  test('catches a sign-up window that ends before it starts, before sending', async () => {
    const cloud = asRole();
    const page = await load(EDIT, { transport: cloud });
    await fillLecture(page);
    await pickWindow(page, '报名时间', { startDate: '2026-06-15', startTime: '09:00', endDate: '2026-06-15', endTime: '08:00' });
    await page.tap(button(page, '保存'));
    expect(windowText(page, '报名时间')).toContain('报名时间的结束时间应晚于开始时间');
    expect(cloud.callsOf('activities.save')).toEqual([]);
  });

  test('asks each sign-up question and its choices', async () => {
    const cloud = asRole().on('activities.save', ok({ id: 'act-new' }));
    const page = await load(EDIT, { transport: cloud });
    await fillLecture(page);
    await page.tap('＋ 选择题');
    await page.type('问题', '是否有基础');
    await page.type('选项', '有');
    await page.tap(button(page, '保存'));
    expect(page.text()).toContain('选择题「是否有基础」至少需要两个选项');
    await page.type('选项', '有、没有');
    await page.tap('＋ 文字题');
    const labels = Array.from(page.comp.dom.querySelectorAll('wx-input'));
    await page.type(labels[labels.length - 1]!, '工作单位');
    await page.tap(button(page, '保存'));
    expect(cloud.callsOf('activities.save')[0]?.questions).toEqual([
      { id: 'q1', label: '是否有基础', type: 'choice', required: true, options: ['有', '没有'] },
      { id: 'q2', label: '工作单位', type: 'text', required: true, options: [] },
    ]);
  });

  test('sets up a competition: its tracks, its five windows in order, and registration as its sign-up', async () => {
    const cloud = asRole().on('activities.save', ok({ id: 'act-comp' }));
    const page = await load(EDIT, { transport: cloud });
    await page.tap('文化比赛（征文、摄影、微视频）');
    await page.type('名称', '2026年职工文化比赛');
    await page.type('地点', '线上提交');
    expect(page.text()).not.toContain('报名时间开始');
    await page.tap('微视频赛道');
    await pickWindow(page, '活动时间', { startDate: '2026-06-10', startTime: '09:00', endDate: '2026-07-31', endTime: '18:00' });
    await pickWindow(page, '报名期', { startDate: '2026-06-10', startTime: '09:00', endDate: '2026-06-30', endTime: '18:00' });
    await pickWindow(page, '作品提交期', { startDate: '2026-06-10', startTime: '09:00', endDate: '2026-07-01', endTime: '00:00' });
    await pickWindow(page, '评审期', { startDate: '2026-06-25', startTime: '00:00', endDate: '2026-07-10', endTime: '00:00' });
    await page.tap(button(page, '保存'));
    expect(windowText(page, '评审期')).toContain('评审应在作品提交截止之后开始');
    expect(cloud.callsOf('activities.save')).toEqual([]);

    await pickWindow(page, '评审期', { startDate: '2026-07-01' });
    await page.tap(button(page, '保存'));
    const sent = cloud.callsOf('activities.save')[0]!;
    expect(sent.kind).toBe('competition');
    expect(sent.signup).toEqual({ start: fromChina(2026, 6, 10, 9), end: fromChina(2026, 6, 30, 18) });
    expect(sent.competition).toEqual({
      year: 2026,
      tracks: [
        { id: 'essay', name: '征文', minChars: 800, maxChars: 5000, maxPhotos: 0, maxMB: 0, maxSeconds: 0 },
        { id: 'photo', name: '摄影', minChars: 0, maxChars: 0, maxPhotos: 6, maxMB: 10, maxSeconds: 0 },
      ],
      windows: {
        registration: { start: fromChina(2026, 6, 10, 9), end: fromChina(2026, 6, 30, 18) },
        submission: { start: fromChina(2026, 6, 10, 9), end: fromChina(2026, 7, 1) },
        judging: { start: fromChina(2026, 7, 1), end: fromChina(2026, 7, 10) },
        publicity: { start: fromChina(2026, 7, 20), end: fromChina(2026, 7, 27) },
        appeal: { start: fromChina(2026, 7, 20), end: fromChina(2026, 7, 25) },
      },
    });
  });

  test('shows a track problem the server names under the tracks', async () => {
    const cloud = asRole().refuse('activities.save', 'INVALID_PAYLOAD', '征文的字数上限应大于下限', 'payload.competition.tracks');
    const page = await load(EDIT, { transport: cloud });
    await page.tap('文化比赛（征文、摄影、微视频）');
    await page.type('名称', '2026年职工文化比赛');
    await page.type('地点', '线上提交');
    await page.tap(button(page, '保存'));
    expect(page.text()).toContain('微视频赛道已开设名称微视频时长300秒以内文件200MB 以内复评件进入复评征文的字数上限应大于下限');
  });
});

/** The fixture's competition with its registration closing when submissions close, as windowProblems requires. */
function editable() {
  const d = detail();
  const c = d.activity.competition!;
  const registration = { start: fromChina(2026, 4, 1), end: fromChina(2026, 6, 10) };
  return { ...d, activity: { ...d.activity, signup: registration, competition: { ...c, windows: { ...c.windows, registration } } } };
}

describe('编辑活动', () => {
  test('shows a loading state, then the activity in the form, its windows on China time', async () => {
    const cloud = asRole();
    const held = cloud.hold('activities.get');
    const page = await load(EDIT, { transport: cloud, query: { id: 'act-comp' } });
    expect(page.text()).toContain('正在加载');
    expect(await held.payload).toEqual({ id: 'act-comp' });
    held.resolve(ok(staffDetail()));
    await page.settle();
    // One call: the staff-only read is the staff check.
    expect(cloud.calls.map((c) => c.action)).toEqual(['activities.get']);
    const text = page.text();
    expect(text).toContain('当前状态：已发布');
    expect(text).toContain('2026年职工文化比赛（征文·摄影·微视频）');
    expect(text).toContain('名称职工摄影张数6张以内每张10MB 以内');
    expect(windowText(page, '报名期')).toContain('4月1日 00:00 至 6月30日 24:00');
    expect(text).not.toContain('未能读取');
  });

  test('keeps 报名需审核 as stored, and asks when the activity does not record it', async () => {
    const cloud = asRole().once('activities.get', ok(staffDetail(editable(), { requiresApproval: true }))).on('activities.save', ok({ id: 'act-comp' }));
    const page = await load(EDIT, { transport: cloud, query: { id: 'act-comp' } });
    await page.tap(button(page, '保存修改'));
    expect(cloud.callsOf('activities.save')[0]?.requiresApproval).toBe(true);

    const old = await load(EDIT, { transport: asRole().on('activities.get', ok(staffDetail(editable(), { requiresApproval: null }))), query: { id: 'act-comp' } });
    expect(old.text()).toContain('未能读取该活动原来的“报名需审核”设置，请确认上面的开关后再保存。');
  });

  test('saves the changes under the same id, keeping the competition year', async () => {
    const cloud = asRole().on('activities.get', ok(staffDetail(editable()))).on('activities.save', ok({ id: 'act-comp' }));
    const page = await load(EDIT, { transport: cloud, query: { id: 'act-comp' } });
    await page.type('名额', '500');
    await page.tap(button(page, '保存修改'));
    const sent = cloud.callsOf('activities.save')[0]!;
    expect(sent).toMatchObject({ id: 'act-comp', capacity: 500, kind: 'competition', planItem: '职工文化比赛' });
    expect(sent.competition?.year).toBe(2026);
    expect(sent.competition?.tracks.map((t) => t.id)).toEqual(['essay', 'photo', 'video']);
    expect(wxLog().toasts).toContain('已保存');
    expect(wxLog().navigations).toEqual([{ kind: 'navigateBack', url: '1' }]);
  });

  test('keeps the form when the seats would fall below those taken', async () => {
    const cloud = asRole().on('activities.get', ok(staffDetail(editable()))).refuse('activities.save', 'INVALID_PAYLOAD', '已有 27 人报名，名额不能少于此数', 'payload.capacity');
    const page = await load(EDIT, { transport: cloud, query: { id: 'act-comp' } });
    await page.type('名额', '10');
    await page.tap(button(page, '保存修改'));
    expect(page.text()).toContain('名额10人已有 27 人报名，名额不能少于此数');
  });

  test('says so when the activity is gone, without a retry', async () => {
    const page = await load(EDIT, { transport: asRole().refuse('activities.get', 'NOT_FOUND', '没有这个活动'), query: { id: 'act-gone' } });
    expect(page.text()).toContain('内容不存在或已删除');
    await page.tap('返回');
    expect(wxLog().navigations).toEqual([{ kind: 'navigateBack', url: '1' }]);
  });

  test('shows an error with a retry when the activity does not arrive', async () => {
    const cloud = asRole().drop('activities.get', 'NETWORK').on('activities.get', ok(staffDetail()));
    const page = await load(EDIT, { transport: cloud, query: { id: 'act-comp' } });
    expect(page.text()).toContain('网络不稳定');
    await page.tap('重新加载');
    expect(page.text()).toContain('当前状态：已发布');
  });

  test('refuses the editor of an activity to a worker, from its one call', async () => {
    const cloud = asRole('worker').on('activities.get', ok(staffDetail()));
    const page = await load(EDIT, { transport: cloud, query: { id: 'act-comp' } });
    expect(page.text()).toContain('仅限工会工作人员使用');
    expect(page.text()).not.toContain('保存修改');
    expect(cloud.calls.map((c) => c.action)).toEqual(['activities.get']);
  });
});

