/**
 * 导出 Excel on the staff pages, with a fake cloud and WeChat's file APIs answered by the test:
 * the tap calls the export action (routed to the `export` function), shows its progress, downloads
 * the temporary link, opens the workbook with the menu (to forward it in a chat), and says clearly
 * which step failed when one does.
 */
import type { ExportFile } from '../../miniprogram/core/exports';
import { FakeCloud, ok } from './fake-transport';
import { NOW as JUDGING_NOW, SPRING, progress, results } from './judging-fixtures';
import { load, type RenderedPage } from './load';
import { asRole, NOW, staffRegistration } from './staff-fixtures';
import { button } from './ui';
import { deviceCalls, restoreDevice, stubDevice } from './staff-wx';
import { wxLog } from './wx-log';

afterEach(() => {
  jest.restoreAllMocks();
  restoreDevice();
});

const URL = 'http://127.0.0.1:3720/storage/6c6f-local-1250000000/exports/act-course/registrations-20260610-100000-0a1b2c3d.xlsx?sign=x&t=1';
const file = (over: Partial<ExportFile> = {}): ExportFile => ({
  fileID: 'cloud://local.6c6f-local-1250000000/exports/act-course/registrations-20260610-100000-0a1b2c3d.xlsx',
  url: URL,
  rows: 4,
  expiresAt: NOW + 3600_000,
  name: '余工学堂｜手机摄影入门-报名表.xlsx',
  ...over,
});

/** downloadFile answers a temp file, openDocument opens it, unless told otherwise. */
function device(over: { download?: Record<string, unknown>; open?: Record<string, unknown> } = {}): void {
  stubDevice('downloadFile', () => over.download ?? { statusCode: 200, tempFilePath: 'wxfile://tmp/export.xlsx' });
  stubDevice('openDocument', () => over.open ?? {});
}

const names = () => deviceCalls.map((c) => c.name);

async function tapAndSettle(page: RenderedPage, target: string | Element): Promise<void> {
  await page.tap(target);
  await page.settle();
  await page.settle();
}

describe('报名名单: 导出报名表', () => {
  const PAGE = 'packages/staff/registrations';
  const query = { id: 'act-course', title: encodeURIComponent('余工学堂｜手机摄影入门') };
  const list = () => ok({ items: [staffRegistration()], next: null });
  beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(NOW));

  test('exports the list, shows progress, downloads the link and opens the workbook with the menu on', async () => {
    device();
    const cloud = asRole().on('registrations.list', list());
    const held = cloud.hold('exports.registrations');
    const page = await load(PAGE, { transport: cloud, query });
    await page.tap(button(page, '导出报名表'));
    expect(await held.payload).toEqual({ activityId: 'act-course' });
    expect(page.text()).toContain('正在生成表格…');
    held.resolve(ok(file()));
    await page.settle();
    await page.settle();
    expect(names()).toEqual(['downloadFile', 'openDocument']);
    expect(deviceCalls[0]?.options).toMatchObject({ url: URL });
    expect(deviceCalls[1]?.options).toMatchObject({ filePath: 'wxfile://tmp/export.xlsx', fileType: 'xlsx', showMenu: true });
    expect(wxLog().toasts).toContain('已导出 4 条报名');
    expect(page.text()).not.toContain('正在生成表格');
  });

  test('says why when the export is refused, and downloads nothing', async () => {
    device();
    const cloud = asRole().on('registrations.list', list()).refuse('exports.registrations', 'NOT_FOUND', '活动不存在');
    const page = await load(PAGE, { transport: cloud, query });
    await tapAndSettle(page, button(page, '导出报名表'));
    expect(wxLog().modals).toContainEqual({ title: '导出失败', content: '活动不存在' });
    expect(names()).toEqual([]);
  });

  test('says the file was made but not downloaded when the download fails, and opens nothing', async () => {
    device({ download: { errMsg: 'downloadFile:fail timeout' } });
    const cloud = asRole().on('registrations.list', list()).on('exports.registrations', ok(file()));
    const page = await load(PAGE, { transport: cloud, query });
    await tapAndSettle(page, button(page, '导出报名表'));
    expect(wxLog().modals).toContainEqual({ title: '导出失败', content: '表格已生成，但下载失败，请检查网络后重试' });
    expect(names()).toEqual(['downloadFile']);
  });

  test('treats a download answered with an error status as failed', async () => {
    device({ download: { statusCode: 403, tempFilePath: 'wxfile://tmp/error.xml' } });
    const cloud = asRole().on('registrations.list', list()).on('exports.registrations', ok(file()));
    const page = await load(PAGE, { transport: cloud, query });
    await tapAndSettle(page, button(page, '导出报名表'));
    expect(wxLog().modals).toContainEqual({ title: '导出失败', content: '表格已生成，但下载失败，请检查网络后重试' });
    expect(names()).toEqual(['downloadFile']);
  });
});

describe('评审管理: 导出 Excel', () => {
  beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(JUDGING_NOW));
  const openResults = async (cloud: FakeCloud): Promise<RenderedPage> => {
    const page = await load('packages/staff/judging', { transport: cloud, query: { ...SPRING, title: encodeURIComponent('征文比赛·职工征文') } });
    const tab = Array.from(page.comp.dom.querySelectorAll('[class*="t-tabs__item"]')).find((el) => (el.textContent ?? '').includes('评审结果'));
    await page.tap(tab!);
    return page;
  };

  test("exports the track's results and opens the workbook", async () => {
    device();
    const cloud = new FakeCloud()
      .on('judging.progress', ok(progress()))
      .on('results.preview', ok({ results: results() }))
      .on('exports.results', ok(file({ rows: 12, name: '征文比赛-职工征文-评审结果.xlsx' })));
    const page = await openResults(cloud);
    await tapAndSettle(page, button(page, '导出 Excel'));
    expect(cloud.callsOf('exports.results')).toEqual([SPRING]);
    expect(names()).toEqual(['downloadFile', 'openDocument']);
    expect(deviceCalls[1]?.options).toMatchObject({ fileType: 'xlsx', showMenu: true });
    expect(wxLog().toasts).toContain('已导出 12 件作品的评审结果');
  });

  test('says so when the results cannot be exported yet', async () => {
    device();
    const cloud = new FakeCloud()
      .on('judging.progress', ok(progress()))
      .on('results.preview', ok({ results: results() }))
      .refuse('exports.results', 'INVALID_STATE', '结果正在计算中，请稍后再导出');
    const page = await openResults(cloud);
    await tapAndSettle(page, button(page, '导出 Excel'));
    expect(wxLog().modals).toContainEqual({ title: '导出失败', content: '结果正在计算中，请稍后再导出' });
    expect(names()).toEqual([]);
  });

  test('says the file was downloaded but could not be opened', async () => {
    device({ open: { errMsg: 'openDocument:fail filetype not supported' } });
    const cloud = new FakeCloud()
      .on('judging.progress', ok(progress()))
      .on('results.preview', ok({ results: results() }))
      .on('exports.results', ok(file()));
    const page = await openResults(cloud);
    await tapAndSettle(page, button(page, '导出 Excel'));
    expect(wxLog().modals).toContainEqual({ title: '导出失败', content: '表格已下载，但无法打开，请确认微信版本支持打开 Excel 文件' });
    expect(names()).toEqual(['downloadFile', 'openDocument']);
  });
});
