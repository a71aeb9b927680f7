import type { UploadRequest } from '../../miniprogram/services/transport';
import { ok } from './fake-transport';
import { load } from './load';
import { asRole, NOW, rosterReport, staffUser } from './staff-fixtures';
import { deviceCalls, restoreDevice, stubDevice } from './staff-wx';
import { button, isDisabled } from './ui';
import { wxLog } from './wx-log';

beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(NOW));
afterEach(() => {
  jest.restoreAllMocks();
  restoreDevice();
});

const PEOPLE = 'packages/staff/people';
const ROSTER = 'packages/staff/roster';

/** The first fifty, as users.search answers them, with who is asking (staff, not admin, by default). */
const people = (viewer = { userId: 'u-staff', admin: false }) =>
  ok({
    viewer,
    items: [
      staffUser(),
      staffUser({ userId: 'u-wang', realName: '王芳', phone: '138****0002', unitName: '临平街道总工会', enterprise: '临平纺织有限公司', verified: false }),
      staffUser({ userId: 'u-staff', realName: '陈晓', phone: '138****0007', unitName: '区工人文化宫', enterprise: '区工人文化宫', role: 'staff' }),
      staffUser({ userId: 'u-admin', realName: '周强', phone: '138****0008', role: 'admin' }),
    ],
  });

describe('人员管理', () => {
  test('shows a loading state, then people with masked phones, and says that opening a number is recorded', async () => {
    const cloud = asRole();
    const held = cloud.hold('users.search');
    const page = await load(PEOPLE, { transport: cloud });
    expect(page.text()).toContain('正在加载');
    expect(await held.payload).toEqual({ q: '' });
    held.resolve(people());
    await page.settle();
    // One call: the staff-only list is the staff check, and says who is asking.
    expect(cloud.calls.map((c) => c.action)).toEqual(['users.search']);
    const text = page.text();
    expect(text).toContain('每次查看都会被记录（谁、何时、查看了谁）');
    expect(text).toContain('李明职工区人民医院工会 · 区人民医院138****0001已核验会员查看号码');
    expect(text).toContain('王芳职工临平街道总工会 · 临平纺织有限公司138****0002查看号码');
    expect(text).toContain('周强管理员');
    expect(text).not.toMatch(/1385710000\d/);
    // Staff who are not admins cannot change roles.
    expect(text).not.toContain('设为工作人员');
  });

  test('says so when nobody matches the name', async () => {
    const cloud = asRole().once('users.search', people()).on('users.search', ok({ items: [], viewer: { userId: 'u-staff', admin: false } }));
    const page = await load(PEOPLE, { transport: cloud });
    await page.type(page.comp.dom.querySelector('wx-input')!, '张三');
    await page.tap('搜索');
    expect(cloud.callsOf('users.search')[1]).toEqual({ q: '张三' });
    expect(page.text()).toContain('没有找到“张三”');
  });

  test('shows an error with a retry when the list does not arrive', async () => {
    const cloud = asRole().drop('users.search', 'NETWORK').on('users.search', people());
    const page = await load(PEOPLE, { transport: cloud });
    expect(page.text()).toContain('网络不稳定');
    await page.tap('重新加载');
    expect(page.text()).toContain('李明');
  });

  test('refuses the page to a worker', async () => {
    const page = await load(PEOPLE, { transport: asRole('worker').refuse('users.search', 'FORBIDDEN') });
    expect(page.text()).toContain('仅限工会工作人员使用');
    expect(page.text()).not.toContain('查看号码');
  });

  test('filters by role', async () => {
    const cloud = asRole().on('users.search', people());
    const page = await load(PEOPLE, { transport: cloud });
    await page.tap('工作人员');
    expect(cloud.callsOf('users.search')[1]).toEqual({ q: '', role: 'staff' });
  });

  test('opens one number on request, and offers to call it', async () => {
    stubDevice('makePhoneCall', () => ({}));
    const cloud = asRole().on('users.search', people()).on('users.reveal', ok({ phone: '13857100002' }));
    const page = await load(PEOPLE, { transport: cloud });
    const reveal = Array.from(page.comp.dom.querySelectorAll('*')).filter((el) => el.textContent === '查看号码' && el.children.length === 0);
    await page.tap(reveal[1]!);
    expect(cloud.callsOf('users.reveal')).toEqual([{ userId: 'u-wang' }]);
    expect(page.text()).toContain('王芳职工临平街道总工会 · 临平纺织有限公司13857100002本次查看已记录拨打');
    expect(page.text()).toContain('138****0001');
    await page.tap('拨打');
    expect(deviceCalls).toEqual([{ name: 'makePhoneCall', options: { phoneNumber: '13857100002' } }]);
  });

  test('lets an admin grant and take back the staff role, after confirming', async () => {
    const cloud = asRole('admin')
      .on('users.search', people({ userId: 'u-admin', admin: true }))
      .once('users.setRole', ok({ role: 'staff' as const }))
      .once('users.setRole', ok({ role: 'worker' as const }));
    const page = await load(PEOPLE, { transport: cloud });
    // Not on admins (they come from the deployment), never on oneself.
    expect(page.text().match(/设为工作人员/g)).toHaveLength(2);
    expect(page.text().match(/取消工作人员/g)).toHaveLength(1);

    wxLog().modalAnswers.push({ confirm: false });
    await page.tap('设为工作人员');
    expect(cloud.callsOf('users.setRole')).toEqual([]);
    wxLog().modalAnswers.push({ confirm: true });
    await page.tap('设为工作人员');
    expect(cloud.callsOf('users.setRole')).toEqual([{ userId: 'u-li', role: 'staff' }]);
    expect(page.text()).toContain('李明工作人员');
    expect(wxLog().toasts).toContain('已设为工作人员');

    wxLog().modalAnswers.push({ confirm: true });
    await page.tap('取消工作人员');
    expect(cloud.callsOf('users.setRole')[1]).toEqual({ userId: 'u-li', role: 'worker' });
  });

  test('leads to the roster import', async () => {
    const page = await load(PEOPLE, { transport: asRole().on('users.search', people()) });
    await page.tap('导入会员名册');
    expect(wxLog().navigations).toEqual([{ kind: 'navigateTo', url: '/packages/staff/roster/index' }]);
  });
});

describe('会员名册导入', () => {
  const FILE = { path: '/tmp/wcp-roster.csv', name: '会员名册.csv', size: 2048, type: 'file', time: 0 };
  const chooseFile = (file: Record<string, unknown> = FILE) => stubDevice('chooseMessageFile', () => ({ tempFiles: [file] }));
  const uploads: UploadRequest[] = [];
  const storage = (cloudReady = true) => (req: UploadRequest) => {
    uploads.push(req);
    req.onProgress({ progress: 100, sent: 2048, total: 2048 });
    return Promise.resolve(
      cloudReady
        ? { delivered: true as const, body: { fileID: 'cloud://env-local/roster/1781056800000.csv' }, status: 200 }
        : { delivered: false as const, code: 'NETWORK' as const, detail: 'dropped' },
    );
  };
  beforeEach(() => {
    uploads.length = 0;
  });

  test('refuses the page to a worker', async () => {
    const page = await load(ROSTER, { transport: asRole('worker') });
    expect(page.text()).toContain('仅限工会工作人员使用');
    expect(page.text()).not.toContain('选择名册文件');
  });

  test('shows the roster report and applies only after confirmation', async () => {
    chooseFile();
    const cloud = asRole()
      .onUpload(storage())
      .once('roster.import', ok(rosterReport()))
      .once('roster.import', ok(rosterReport({ applied: true, verifiedUsers: 1 })));
    const page = await load(ROSTER, { transport: cloud });
    expect(page.text()).toContain('每行一人，三列：姓名,手机号或工号,基层工会');
    await page.tap(button(page, '选择名册文件'));
    expect(deviceCalls[0]).toEqual({ name: 'chooseMessageFile', options: { count: 1, type: 'file', extension: ['csv'] } });
    expect(uploads[0]?.localPath).toBe('/tmp/wcp-roster.csv');
    expect(uploads[0]?.cloudPath).toBe(`roster/${NOW}.csv`);
    expect(cloud.callsOf('roster.import')).toEqual([{ fileID: 'cloud://env-local/roster/1781056800000.csv', dryRun: true }]);
    const text = page.text();
    expect(text).toContain('会员名册.csv2 KB');
    expect(text).toContain('共 2 行，全部可以导入。确认后将替换现有的会员名册。');
    expect(text).toContain('第 2 行李明 138****0001区人民医院工会');

    wxLog().modalAnswers.push({ confirm: false });
    await page.tap(button(page, '确认导入'));
    expect(wxLog().modals[0]?.title).toBe('确认导入会员名册');
    expect(cloud.callsOf('roster.import')).toHaveLength(1);

    wxLog().modalAnswers.push({ confirm: true });
    await page.tap(button(page, '确认导入'));
    expect(cloud.callsOf('roster.import')[1]).toEqual({ fileID: 'cloud://env-local/roster/1781056800000.csv', dryRun: false });
    expect(page.text()).toContain('已导入 2 人。名册中已注册的职工有 1 位通过了会员核验。');
    expect(wxLog().toasts).toContain('名册已导入');
  });

  test('highlights the refused rows with their problem, and offers no import', async () => {
    chooseFile();
    const report = rosterReport({
      rows: [
        { line: 2, name: '李明', key: '138****0001', unitName: '区人民医院工会', problem: null },
        { line: 3, name: '无名', key: '123', unitName: '不存在的工会', problem: '手机号或工号不正确' },
      ],
      accepted: 1,
      refused: 1,
    });
    const cloud = asRole().onUpload(storage()).on('roster.import', ok(report));
    const page = await load(ROSTER, { transport: cloud });
    await page.tap(button(page, '选择名册文件'));
    const text = page.text();
    expect(text).toContain('共 2 行，其中 1 行有问题。名册没有导入');
    expect(text).toContain('第 3 行无名 123不存在的工会手机号或工号不正确');
    expect(text).not.toContain('第 2 行李明');
    expect(text).not.toContain('确认导入');
    const bad = page.find('手机号或工号不正确')!.parentElement!;
    expect(bad.getAttribute('class')).toContain('rrow--bad');
    await page.tap('显示全部行');
    expect(page.text()).toContain('第 2 行李明');
    expect(cloud.callsOf('roster.import')).toEqual([{ fileID: 'cloud://env-local/roster/1781056800000.csv', dryRun: true }]);
  });

  test('shows why the server could not read the file, under the file', async () => {
    chooseFile();
    const cloud = asRole().onUpload(storage()).refuse('roster.import', 'FILE_REJECTED', '请上传 CSV 文本文件（Excel 另存为 CSV UTF-8）', 'payload.fileID');
    const page = await load(ROSTER, { transport: cloud });
    await page.tap(button(page, '选择名册文件'));
    expect(page.text()).toContain('会员名册.csv2 KB请上传 CSV 文本文件（Excel 另存为 CSV UTF-8）');
    expect(isDisabled(button(page, '重新选择文件'))).toBe(false);
  });

  test('says when the upload failed, and lets staff choose again', async () => {
    chooseFile();
    const cloud = asRole().onUpload(storage(false));
    const page = await load(ROSTER, { transport: cloud });
    await page.tap(button(page, '选择名册文件'));
    expect(page.text()).toContain('上传失败：网络不稳定');
    expect(cloud.callsOf('roster.import')).toEqual([]);
  });

  test('refuses a file that is not a CSV before uploading it', async () => {
    chooseFile({ ...FILE, name: '会员名册.xlsx' });
    const cloud = asRole().onUpload(storage());
    const page = await load(ROSTER, { transport: cloud });
    await page.tap(button(page, '选择名册文件'));
    expect(page.text()).toContain('暂不支持 Excel 文件：请在 Excel 中“另存为 CSV UTF-8”后再选择');
    expect(uploads).toEqual([]);

    chooseFile({ ...FILE, name: '会员名册.txt' });
    await page.tap(button(page, '重新选择文件'));
    expect(page.text()).toContain('请选择 .csv 文件');
    expect(uploads).toEqual([]);
  });

  test('does nothing when staff close the chat list without choosing', async () => {
    stubDevice('chooseMessageFile', () => ({ errMsg: 'chooseMessageFile:fail cancel' }));
    const cloud = asRole().onUpload(storage());
    const page = await load(ROSTER, { transport: cloud });
    await page.tap(button(page, '选择名册文件'));
    expect(uploads).toEqual([]);
    expect(page.text()).not.toContain('无法打开');
  });
});
