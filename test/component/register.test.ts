import { FakeCloud, ok } from './fake-transport';
import { course, openCompetition, registration } from './fixtures-mine';
import { load, type RenderedPage } from './load';
import { button } from './ui';
import { wxLog } from './wx-log';

const open = (cloud: FakeCloud, id = 'act-comp') => load('pages/register', { transport: cloud, query: { id } });
const confirm = (page: RenderedPage, label = '确认报名') => page.tap(button(page, label));

const withQuestions = () =>
  course({
    questions: [
      { id: 'dept', label: '所在科室', type: 'text', required: true },
      { id: 'level', label: '剪辑基础', type: 'choice', required: false, options: ['零基础', '会一点', '熟练'] },
    ],
  });

describe('报名', () => {
  test('shows a loading state, then the tracks to choose from one call', async () => {
    const cloud = new FakeCloud();
    const held = cloud.hold('activities.detail');
    const page = await open(cloud);
    expect(page.text()).toContain('正在加载');
    expect(await held.payload).toEqual({ id: 'act-comp' });
    held.resolve(ok(openCompetition()));
    await page.settle();
    const text = page.text();
    expect(text).toContain('选择参赛项目（可多选）');
    expect(text).toContain('征文 · 职工征文800–3,000 字');
    expect(text).toContain('摄影 · 职工摄影1–6 张，每张不超过 10MB');
    expect(text).toContain('确认报名');
    expect(cloud.calls).toHaveLength(1);
  });

  test('offers to try again when the activity cannot load', async () => {
    const cloud = new FakeCloud().drop('activities.detail').on('activities.detail', ok(openCompetition()));
    const page = await open(cloud);
    expect(page.text()).toContain('网络不稳定');
    await page.tap('重新加载');
    expect(page.text()).toContain('选择参赛项目');
  });

  test('says when sign-up is closed, with nothing to fill in', async () => {
    const d = course({ signup: { start: 0, end: 1 } });
    const page = await open(new FakeCloud().on('activities.detail', ok(d)), 'act-course');
    expect(page.text()).toContain('报名已截止');
    expect(page.text()).not.toContain('确认报名');
  });

  test('shows the registration the worker already has instead of the form', async () => {
    const d = course({}, registration({ activityId: 'act-course', state: 'waitlisted', tracks: [] }));
    const page = await open(new FakeCloud().on('activities.detail', ok(d)), 'act-course');
    expect(page.text()).toContain('候补中');
    await page.tap('查看我的报名');
    expect(wxLog().navigations).toEqual([{ kind: 'redirectTo', url: '/pages/registration/index?id=act-course' }]);
  });

  test('asks for the subscription before registering, inside the tap', async () => {
    const cloud = new FakeCloud().on('activities.detail', ok(openCompetition())).on('registrations.create', ok({ registration: registration() }));
    const page = await open(cloud);
    await page.tap('征文 · 职工征文');
    const log = wxLog();
    log.mark = () => cloud.callsOf('registrations.create').length;

    // Everything the tap does synchronously has happened when dispatching it returns.
    const tapped = page.tap(button(page, '确认报名'));
    const asked = log.apiCalls.filter((c) => c.name === 'requestSubscribeMessage');
    expect(asked).toHaveLength(1);
    expect(asked[0]?.options.tmplIds).toEqual(['TEMPLATE_RESULT_NOTICE']);
    // Asked before the registration went out, and the registration left within the same tap.
    expect(asked[0]?.mark).toBe(0);
    expect(cloud.callsOf('registrations.create')).toHaveLength(1);
    await tapped;

    expect(cloud.callsOf('registrations.create')).toEqual([{ activityId: 'act-comp', tracks: ['essay'], answers: [] }]);
    expect(log.navigations).toEqual([{ kind: 'redirectTo', url: '/pages/registration/index?id=act-comp&from=register' }]);
  });

  test('registers even when the worker declines the subscription', async () => {
    const cloud = new FakeCloud().on('activities.detail', ok(course())).on('registrations.create', ok({ registration: registration({ activityId: 'act-course', tracks: [] }) }));
    const page = await open(cloud, 'act-course');
    wxLog().stubs.requestSubscribeMessage = () => ({ errMsg: 'requestSubscribeMessage:fail can only be invoked by user TAP gesture.' });
    await confirm(page);
    expect(cloud.callsOf('registrations.create')).toEqual([{ activityId: 'act-course', tracks: [], answers: [] }]);
  });

  test('shows the waitlist when the course is full', async () => {
    const full = course({ left: 0, next: 'waitlist' });
    const cloud = new FakeCloud()
      .on('activities.detail', ok(full))
      .on('registrations.create', ok({ registration: registration({ activityId: 'act-course', state: 'waitlisted', tracks: [] }) }));
    const page = await open(cloud, 'act-course');
    expect(page.text()).toContain('名额已满（共 20 个）');
    expect(page.text()).toContain('现在报名将进入候补名单，有人取消时按报名先后顺序递补');
    await confirm(page, '候补报名');
    expect(cloud.callsOf('registrations.create')).toHaveLength(1);
    expect(wxLog().navigations).toEqual([{ kind: 'redirectTo', url: '/pages/registration/index?id=act-course&from=register' }]);

    // Where the worker lands: the registration, waitlisted.
    const result = await load('pages/registration', {
      transport: new FakeCloud().on('activities.detail', ok(course({ left: 0 }, registration({ activityId: 'act-course', state: 'waitlisted', tracks: [] })))),
      query: { id: 'act-course', from: 'register' },
    });
    expect(result.text()).toContain('已进入候补名单');
    expect(result.text()).toContain('候补中');
    expect(result.text()).toContain('有人取消时按报名先后顺序递补');
    expect(result.comp.dom.querySelector('wx-image')).toBeNull();
  });

  test('checks the form before sending anything', async () => {
    const cloud = new FakeCloud().on('activities.detail', ok(openCompetition()));
    const page = await open(cloud);
    await confirm(page);
    expect(page.text()).toContain('请至少选择一个参赛项目');
    expect(cloud.calls.map((c) => c.action)).toEqual(['activities.detail']);
    expect(wxLog().apiCalls.filter((c) => c.name === 'requestSubscribeMessage')).toHaveLength(0);
  });

  test("answers the activity's own questions, the required ones first", async () => {
    const cloud = new FakeCloud()
      .on('activities.detail', ok(withQuestions()))
      .on('registrations.create', ok({ registration: registration({ activityId: 'act-course', tracks: [] }) }));
    const page = await open(cloud, 'act-course');
    expect(page.text()).toContain('*所在科室');
    await confirm(page);
    expect(page.text()).toContain('请填写此项');
    expect(cloud.callsOf('registrations.create')).toHaveLength(0);

    await page.type('所在科室', '护理部');
    await page.tap('会一点');
    await confirm(page);
    expect(cloud.callsOf('registrations.create')).toEqual([
      { activityId: 'act-course', tracks: [], answers: [{ questionId: 'dept', answer: '护理部' }, { questionId: 'level', answer: '会一点' }] },
    ]);
  });

  test('leads to 我的 when the profile is incomplete, and keeps what was filled in', async () => {
    const cloud = new FakeCloud().on('activities.detail', ok(withQuestions())).refuse('registrations.create', 'PROFILE_REQUIRED', '报名前请先完善个人资料');
    const page = await open(cloud, 'act-course');
    await page.type('所在科室', '护理部');
    wxLog().modalAnswers.push({ confirm: true });
    await confirm(page);

    expect(wxLog().modals[0]?.content).toContain('报名前请先完善个人资料');
    expect(wxLog().navigations).toEqual([{ kind: 'switchTab', url: '/pages/me/index' }]);
    expect(wxLog().storage.get('wcp.after-profile')).toBe('/pages/register/index?id=act-course');

    // Back on the form later: what was typed is still there.
    const again = await load('pages/register', {
      transport: new FakeCloud().on('activities.detail', ok(withQuestions())),
      query: { id: 'act-course' },
      storage: Object.fromEntries(wxLog().storage),
    });
    expect(Array.from(again.comp.dom.querySelectorAll('wx-input')).map((i) => i.textContent)).toEqual(['护理部']);
  });

  test('comes back to the registration once the profile is saved', async () => {
    const { me } = await import('./fixtures');
    const blank = me({ realName: '', phone: '', unitId: '', unitName: '', enterprise: '', profileComplete: false, verified: false });
    const cloud = new FakeCloud().on('session.me', ok({ me: blank, consentVersion: '2026-11' })).on('profile.save', ok({ me: me() }));
    const page = await load('pages/me', { transport: cloud, storage: { 'wcp.after-profile': '/pages/register/index?id=act-course' } });
    await page.type('姓名', '李明');
    await page.type('手机号', '13812345678');
    await page.type('工作单位', '区人民医院');
    page.instance.setData({ 'form.unitId': 'unit-hospital', 'form.unitName': '区人民医院工会' });
    await page.tap('保存资料');
    expect(cloud.callsOf('profile.save')).toHaveLength(1);
    expect(wxLog().navigations).toEqual([{ kind: 'navigateTo', url: '/pages/register/index?id=act-course' }]);
    expect(wxLog().storage.has('wcp.after-profile')).toBe(false);
  });

  test('shows what the server refused under the form', async () => {
    const cloud = new FakeCloud().on('activities.detail', ok(course())).refuse('registrations.create', 'FORBIDDEN', '本活动仅限工会会员报名，您的资料尚未通过会员名册核验');
    const page = await open(cloud, 'act-course');
    await confirm(page);
    expect(page.text()).toContain('本活动仅限工会会员报名');
    expect(wxLog().navigations).toEqual([]);
  });
});
