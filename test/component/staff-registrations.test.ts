import { DAY, HOUR } from '../../miniprogram/core/time';
import { FakeCloud, ok } from './fake-transport';
import { load } from './load';
import { asRole, NOW, staffRegistration } from './staff-fixtures';
import { deviceCalls, restoreDevice, scans, stubDevice } from './staff-wx';
import { button } from './ui';
import { wxLog } from './wx-log';

beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(NOW));
afterEach(() => {
  jest.restoreAllMocks();
  restoreDevice();
});

const PAGE = 'packages/staff/registrations';
const query = { id: 'act-course', title: encodeURIComponent('余工学堂｜手机摄影入门') };
const CODE = 'c1.reg_act-course_u-li.AbCdEfGhIjKlMnOp';

const list = () =>
  ok({
    items: [
      staffRegistration({ id: 'reg_act-course_u-li', answers: [{ questionId: 'q1', answer: '有' }] }),
      staffRegistration({ id: 'reg_act-course_u-wang', realName: '王芳', phone: '138****0002', unitName: '临平街道总工会', state: 'pending', createdAt: NOW - 20 * HOUR }),
      staffRegistration({ id: 'reg_act-course_u-zhao', realName: '赵敏', phone: '138****0004', unitName: '区教育局工会', state: 'waitlisted', createdAt: NOW - 10 * HOUR }),
      staffRegistration({ id: 'reg_act-course_u-qian', realName: '钱进', phone: '138****0005', state: 'rejected', reason: '本期仅限有基础的学员', createdAt: NOW - 5 * HOUR }),
    ],
    next: null,
  });

describe('报名名单', () => {
  test('shows a loading state, then who registered, with masked phones and their state', async () => {
    const cloud = asRole();
    const held = cloud.hold('registrations.list');
    const page = await load(PAGE, { transport: cloud, query });
    expect(page.text()).toContain('正在加载');
    expect(await held.payload).toEqual({ activityId: 'act-course' });
    held.resolve(list());
    await page.settle();
    const text = page.text();
    expect(text).toContain('余工学堂｜手机摄影入门');
    expect(text).toContain('李明138****0001已报名区人民医院工会报名于 6月9日 10:00报名信息：有');
    expect(text).toContain('王芳138****0002待审核');
    expect(text).toContain('通过不通过');
    expect(text).toContain('赵敏138****0004候补中');
    expect(text).toContain('递补');
    expect(text).toContain('钱进138****0005未通过');
    expect(text).toContain('未通过理由：本期仅限有基础的学员');
    expect(text).not.toMatch(/1385710000\d/);
  });

  test('says so when nobody has registered', async () => {
    const page = await load(PAGE, { transport: asRole().on('registrations.list', ok({ items: [], next: null })), query });
    expect(page.text()).toContain('还没有人报名');
  });

  test('shows an error with a retry when the list does not arrive', async () => {
    const cloud = asRole().drop('registrations.list', 'NETWORK').on('registrations.list', list());
    const page = await load(PAGE, { transport: cloud, query });
    expect(page.text()).toContain('网络不稳定');
    await page.tap('重新加载');
    expect(page.text()).toContain('王芳');
  });

  test('refuses the page to a worker', async () => {
    const page = await load(PAGE, { transport: asRole('worker').refuse('registrations.list', 'FORBIDDEN'), query });
    expect(page.text()).toContain('仅限工会工作人员使用');
    expect(page.text()).not.toContain('扫码签到');
  });

  test('filters by state', async () => {
    const cloud = asRole().on('registrations.list', (p) => (p.state === 'pending' ? ok({ items: [staffRegistration({ id: 'r2', realName: '王芳', state: 'pending' })], next: null }) : list()));
    const page = await load(PAGE, { transport: cloud, query });
    await page.tap('待审核');
    expect(cloud.callsOf('registrations.list')).toEqual([{ activityId: 'act-course' }, { activityId: 'act-course', state: 'pending' }]);
    expect(page.text()).not.toContain('李明');
    expect(page.text()).toContain('王芳');
  });

  test('approves a registration awaiting review', async () => {
    const cloud = asRole().on('registrations.list', list()).on('registrations.decide', ok({ state: 'confirmed' as const }));
    const page = await load(PAGE, { transport: cloud, query });
    await page.tap('通过');
    expect(cloud.callsOf('registrations.decide')).toEqual([{ registrationId: 'reg_act-course_u-wang', approve: true, reason: '' }]);
    expect(page.text()).toContain('王芳138****0002已报名');
    expect(page.text()).not.toContain('不通过');
    expect(wxLog().toasts).toContain('已通过');
  });

  test('asks for a reason before rejecting', async () => {
    const cloud = asRole().on('registrations.list', list()).on('registrations.decide', ok({ state: 'rejected' as const }));
    const page = await load(PAGE, { transport: cloud, query });
    // Confirmed with nothing written: nothing is sent, and staff are told why.
    wxLog().modalAnswers.push({ confirm: true, content: ' ' });
    await page.tap('不通过');
    expect(wxLog().modals[0]?.title).toBe('不通过：王芳');
    expect(cloud.callsOf('registrations.decide')).toEqual([]);
    expect(wxLog().toasts).toContain('请填写不通过的理由（至少 2 个字），报名者会看到');

    wxLog().modalAnswers.push({ confirm: true, content: '名额优先给一线职工' });
    await page.tap('不通过');
    expect(cloud.callsOf('registrations.decide')).toEqual([{ registrationId: 'reg_act-course_u-wang', approve: false, reason: '名额优先给一线职工' }]);
    expect(page.text()).toContain('王芳138****0002未通过');
    expect(page.text()).toContain('未通过理由：名额优先给一线职工');
  });

  test('moves someone up from the waitlist after confirming, and says when the seats are full', async () => {
    const cloud = asRole().on('registrations.list', list()).refuse('registrations.decide', 'FULL', '名额已满，请先增加名额').on('registrations.decide', ok({ state: 'confirmed' as const }));
    const page = await load(PAGE, { transport: cloud, query });
    wxLog().modalAnswers.push({ confirm: true });
    await page.tap('递补');
    expect(wxLog().toasts).toContain('名额已满，请先增加名额');
    expect(page.text()).toContain('赵敏138****0004候补中');

    wxLog().modalAnswers.push({ confirm: true });
    await page.tap('递补');
    expect(cloud.callsOf('registrations.decide')[1]).toEqual({ registrationId: 'reg_act-course_u-zhao', approve: true, reason: '' });
    expect(page.text()).toContain('赵敏138****0004已报名');
    expect(wxLog().toasts).toContain('已递补');
  });

  test('checks a worker in by scanning their QR, and marks them on the list', async () => {
    scans(CODE);
    const cloud = asRole().on('registrations.list', list()).on('registrations.checkin', ok({ name: '李明', activityTitle: '余工学堂｜手机摄影入门', checkedInAt: NOW + HOUR }));
    const page = await load(PAGE, { transport: cloud, query });
    await page.tap(button(page, '扫码签到'));
    expect(deviceCalls.map((c) => c.name)).toEqual(['scanCode']);
    expect(deviceCalls[0]?.options).toMatchObject({ onlyFromCamera: true });
    expect(cloud.callsOf('registrations.checkin')).toEqual([{ code: CODE }]);
    expect(page.text()).toContain('签到成功：李明余工学堂｜手机摄影入门签到时间 6月10日 11:00');
    expect(page.text()).toContain('已签到 6月10日 11:00');
  });

  test('refuses a reused check-in code with a clear message', async () => {
    scans(CODE);
    const cloud = asRole().on('registrations.list', list()).refuse('registrations.checkin', 'ALREADY_EXISTS', '已签到过，不能重复签到');
    const page = await load(PAGE, { transport: cloud, query });
    await page.tap(button(page, '扫码签到'));
    expect(page.text()).toContain('已签到过这个签到码已经用过，不能重复签到。');
    expect(page.text()).not.toContain('签到成功');
  });

  test('refuses a forged check-in code with a clear message', async () => {
    scans(CODE.replace(/\.[\w-]{16}$/, '.AAAAAAAAAAAAAAAA'));
    const cloud = asRole().on('registrations.list', list()).refuse('registrations.checkin', 'FORBIDDEN', '签到码无效（可能是伪造的）');
    const page = await load(PAGE, { transport: cloud, query });
    await page.tap(button(page, '扫码签到'));
    expect(page.text()).toContain('签到码无效签到码校验未通过（可能是伪造或被改动的），请核对报名者身份。');
  });

  test('refuses a QR that is not a check-in code without asking the server', async () => {
    scans('https://example.com/pay?id=1');
    const cloud = asRole().on('registrations.list', list());
    const page = await load(PAGE, { transport: cloud, query });
    await page.tap(button(page, '扫码签到'));
    expect(page.text()).toContain('不是签到码扫到的不是本小程序的报名签到码');
    expect(cloud.callsOf('registrations.checkin')).toEqual([]);
  });

  test('keeps the code when the network fails, and sends it again without rescanning', async () => {
    scans(CODE);
    const cloud = asRole()
      .on('registrations.list', list())
      .drop('registrations.checkin', 'NETWORK')
      .on('registrations.checkin', ok({ name: '李明', activityTitle: '余工学堂｜手机摄影入门', checkedInAt: NOW }));
    const page = await load(PAGE, { transport: cloud, query });
    await page.tap(button(page, '扫码签到'));
    expect(page.text()).toContain('签到未完成');
    await page.tap(button(page, '重新提交'));
    expect(cloud.callsOf('registrations.checkin')).toEqual([{ code: CODE }, { code: CODE }]);
    expect(deviceCalls.filter((c) => c.name === 'scanCode')).toHaveLength(1);
    expect(page.text()).toContain('签到成功：李明');
  });

  test('does nothing when the camera is closed without scanning', async () => {
    scans();
    const cloud = asRole().on('registrations.list', list());
    const page = await load(PAGE, { transport: cloud, query });
    await page.tap(button(page, '扫码签到'));
    expect(cloud.callsOf('registrations.checkin')).toEqual([]);
    expect(page.text()).not.toContain('签到成功');
  });

  test('loads the next page from the cursor the server gave', async () => {
    const cloud = asRole()
      .once('registrations.list', ok({ items: [staffRegistration()], next: String(NOW - DAY) }))
      .once('registrations.list', ok({ items: [staffRegistration({ id: 'r9', realName: '孙丽' })], next: null }));
    const page = await load(PAGE, { transport: cloud, query });
    await page.run('onReachBottom');
    expect(cloud.callsOf('registrations.list')[1]).toEqual({ activityId: 'act-course', cursor: String(NOW - DAY) });
    expect(page.text()).toContain('孙丽');
  });
});

describe('扫码签到 (at the door)', () => {
  const DOOR = 'packages/staff/checkin';

  test('refuses the page to a worker', async () => {
    const page = await load(DOOR, { transport: asRole('worker') });
    expect(page.text()).toContain('仅限工会工作人员使用');
  });

  test('shows an error with a retry when it cannot tell who is asking', async () => {
    const page = await load(DOOR, { transport: new FakeCloud().drop('session.me') });
    expect(page.text()).toContain('网络不稳定');
    expect(page.text()).toContain('重新加载');
  });

  test('checks people in one after another, and lists this visit’s scans', async () => {
    scans(CODE, CODE);
    const cloud = asRole()
      .once('registrations.checkin', ok({ name: '李明', activityTitle: '余工学堂｜手机摄影入门', checkedInAt: NOW }))
      .refuse('registrations.checkin', 'ALREADY_EXISTS', '已签到过，不能重复签到');
    const page = await load(DOOR, { transport: cloud });
    expect(page.text()).toContain('每个签到码只能使用一次');
    await page.tap(button(page, '扫码签到'));
    expect(page.text()).toContain('签到成功：李明');
    await page.tap(button(page, '继续扫码'));
    expect(page.text()).toContain('已签到过这个签到码已经用过');
    expect(page.text()).toContain('本次已扫 签到成功 1 人已签到过');
    expect(page.text()).toContain('李明 · 签到成功余工学堂｜手机摄影入门 · 6月10日 10:00');
  });

  test('says when the camera cannot be opened', async () => {
    stubDevice('scanCode', () => ({ errMsg: 'scanCode:fail auth deny' }));
    const page = await load(DOOR, { transport: asRole() });
    await page.tap(button(page, '扫码签到'));
    expect(page.text()).toContain('无法扫码无法打开摄像头');
  });
});
