/** 批量导入基层工会: choose a CSV from a chat, see the row-by-row report, confirm (units.import). */
import type { UnitImportReport } from '../../miniprogram/core/units';
import { LIMITS } from '../../miniprogram/core/limits';
import type { UploadRequest } from '../../miniprogram/services/transport';
import { ok } from './fake-transport';
import { load } from './load';
import { asRole, NOW } from './staff-fixtures';
import { deviceCalls, restoreDevice, stubDevice } from './staff-wx';
import { button, isDisabled } from './ui';
import { wxLog } from './wx-log';

beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(NOW));
afterEach(() => {
  jest.restoreAllMocks();
  restoreDevice();
});

const IMPORT = 'packages/staff/units-import';
const FILE = { path: '/tmp/wcp-units.csv', name: '基层工会.csv', size: 1536, type: 'file', time: 0 };
const FILE_ID = `cloud://env-local/units-import/${NOW}.csv`;
const chooseFile = (file: Record<string, unknown> = FILE) => stubDevice('chooseMessageFile', () => ({ tempFiles: [file] }));

const uploads: UploadRequest[] = [];
const storage = (req: UploadRequest) => {
  uploads.push(req);
  req.onProgress({ progress: 100, sent: 1536, total: 1536 });
  return Promise.resolve({ delivered: true as const, body: { fileID: FILE_ID }, status: 200 });
};
beforeEach(() => {
  uploads.length = 0;
});

function report(over: Partial<UnitImportReport> = {}): UnitImportReport {
  return {
    rows: [
      { line: 2, name: '仁和街道总工会', group: '街道', order: 10, action: 'create', problem: null },
      { line: 3, name: '经济技术开发区总工会', group: '园区', order: 0, action: 'update', problem: null },
      { line: 4, name: '临平街道总工会', group: '街道', order: 0, action: 'unchanged', problem: null },
    ],
    accepted: 3,
    refused: 0,
    created: 1,
    updated: 1,
    unchanged: 1,
    applied: false,
    groups: ['街道', '园区', '局属'],
    ...over,
  };
}

const badReport = () =>
  report({
    rows: [
      { line: 2, name: '仁和街道总工会', group: '街道', order: 10, action: 'create', problem: null },
      { line: 3, name: '塘栖镇总工会', group: '镇', order: null, action: null, problem: '没有「镇」这个分组（可用：街道、园区、局属）' },
      { line: 4, name: '', group: '局属', order: null, action: null, problem: '名称为空' },
    ],
    accepted: 1,
    refused: 2,
    created: 1,
    updated: 0,
    unchanged: 0,
  });

describe('批量导入基层工会', () => {
  test('shows the format (CSV only) after the staff check alone', async () => {
    const cloud = asRole();
    const page = await load(IMPORT, { transport: cloud });
    const text = page.text();
    expect(text).toContain('每行一个基层工会，三列：名称,分组,排序（排序可不填）');
    expect(text).toContain('只支持 CSV 文件，不支持 .xlsx');
    expect(page.find('选择 CSV 文件')).not.toBeNull();
    expect(cloud.calls.map((c) => c.action)).toEqual(['session.me']);
    for (const r of page.setDataLog) expect(r.bytes).toBeLessThan(LIMITS.setDataBudgetBytes);
  });

  test('refuses the page to a worker', async () => {
    const page = await load(IMPORT, { transport: asRole('worker') });
    expect(page.text()).toContain('仅限工会工作人员使用');
    expect(page.text()).not.toContain('选择 CSV 文件');
  });

  test('checks the chosen file with a dry run, shows the counts, and imports only after confirmation', async () => {
    chooseFile();
    const cloud = asRole()
      .onUpload(storage)
      .once('units.import', ok(report()))
      .once('units.import', ok(report({ applied: true })));
    const page = await load(IMPORT, { transport: cloud });
    await page.tap(button(page, '选择 CSV 文件'));
    expect(deviceCalls[0]).toEqual({ name: 'chooseMessageFile', options: { count: 1, type: 'file', extension: ['csv'] } });
    expect(uploads[0]).toMatchObject({ localPath: '/tmp/wcp-units.csv', cloudPath: `units-import/${NOW}.csv` });
    expect(cloud.callsOf('units.import')).toEqual([{ fileID: FILE_ID, dryRun: true }]);
    const text = page.text();
    expect(text).toContain('基层工会.csv1.5 KB');
    expect(text).toContain('共 3 行，全部可以导入：新增 1 个，更新 1 个，1 个不变。');
    expect(text).toContain('3可导入0有问题1新增1更新');
    expect(text).toContain('第 2 行仁和街道总工会新增街道 · 排序 10');
    expect(text).toContain('第 3 行经济技术开发区总工会更新园区 · 排序 0');
    // The format gives the screen to the report once a file passes.
    expect(text).not.toContain('每行一个基层工会');

    wxLog().modalAnswers.push({ confirm: false });
    await page.tap(button(page, '确认导入'));
    expect(wxLog().modals[0]).toEqual(expect.objectContaining({ title: '确认导入基层工会', content: '将新增 1 个、更新 1 个基层工会（不会删除任何工会）。' }));
    expect(cloud.callsOf('units.import')).toHaveLength(1);

    wxLog().modalAnswers.push({ confirm: true });
    await page.tap(button(page, '确认导入'));
    expect(cloud.callsOf('units.import')[1]).toEqual({ fileID: FILE_ID, dryRun: false });
    expect(page.text()).toContain('已导入：新增 1 个，更新 1 个基层工会。');
    expect(wxLog().toasts).toContain('已导入');
    await page.tap(button(page, '返回基层工会列表'));
    expect(wxLog().navigations).toEqual([{ kind: 'navigateBack', url: '1' }]);
  });

  test('lists the refused rows with their reasons and offers no import', async () => {
    chooseFile();
    const cloud = asRole().onUpload(storage).on('units.import', ok(badReport()));
    const page = await load(IMPORT, { transport: cloud });
    await page.tap(button(page, '选择 CSV 文件'));
    const text = page.text();
    expect(text).toContain('共 3 行，其中 2 行有问题。没有导入任何内容');
    expect(text).toContain('1可导入2有问题');
    expect(text).toContain('第 3 行塘栖镇总工会分组：镇没有「镇」这个分组（可用：街道、园区、局属）');
    expect(text).toContain('第 4 行（空）分组：局属名称为空');
    expect(text).not.toContain('仁和街道总工会');
    expect(text).toContain('每行一个基层工会');
    expect(page.find('确认导入')).toBeNull();
    await page.tap('显示全部行');
    expect(page.text()).toContain('第 2 行仁和街道总工会新增');
    expect(cloud.callsOf('units.import')).toEqual([{ fileID: FILE_ID, dryRun: true }]);
  });

  test('says there is nothing to import when every unit is already as the file says', async () => {
    chooseFile();
    const same = report({ rows: [{ line: 2, name: '临平街道总工会', group: '街道', order: 0, action: 'unchanged', problem: null }], accepted: 1, created: 0, updated: 0, unchanged: 1 });
    const page = await load(IMPORT, { transport: asRole().onUpload(storage).on('units.import', ok(same)) });
    await page.tap(button(page, '选择 CSV 文件'));
    expect(page.text()).toContain('与现有的基层工会完全一致，无需导入');
    expect(isDisabled(button(page, '确认导入'))).toBe(true);
  });

  test('refuses an Excel workbook before uploading, with the way to save it as CSV', async () => {
    chooseFile({ ...FILE, name: '基层工会.xlsx' });
    const cloud = asRole().onUpload(storage);
    const page = await load(IMPORT, { transport: cloud });
    await page.tap(button(page, '选择 CSV 文件'));
    expect(page.text()).toContain('暂不支持 Excel 文件：请在 Excel 中“另存为 CSV UTF-8”后再选择');
    expect(uploads).toHaveLength(0);
    expect(cloud.callsOf('units.import')).toEqual([]);
  });

  test('shows the server’s refusal of the file under it, letting staff choose again', async () => {
    chooseFile();
    const cloud = asRole().onUpload(storage).refuse('units.import', 'FILE_REJECTED', '文件不是 UTF-8 编码：请在 Excel 中“另存为 CSV UTF-8（逗号分隔）”后重新上传', 'payload.fileID');
    const page = await load(IMPORT, { transport: cloud });
    await page.tap(button(page, '选择 CSV 文件'));
    expect(page.text()).toContain('文件不是 UTF-8 编码');
    expect(isDisabled(button(page, '重新选择文件'))).toBe(false);
  });

  test('is opened from the units list, which reads the list again on the way back', async () => {
    const units = [{ id: 'unit-linping', name: '临平街道总工会', group: '街道', order: 0 }];
    const cloud = asRole()
      .once('units.staffList', ok({ units }))
      .once('units.staffList', ok({ units: [...units, { id: 'unit_new', name: '仁和街道总工会', group: '街道', order: 10 }] }));
    const page = await load('packages/staff/units', { transport: cloud });
    await page.tap(button(page, '批量导入'));
    expect(wxLog().navigations).toEqual([{ kind: 'navigateTo', url: '/packages/staff/units-import/index' }]);
    await page.run('onShow');
    expect(page.text()).toContain('仁和街道总工会');
    expect(page.text()).toContain('共 2 个');
    expect(cloud.callsOf('units.staffList')).toHaveLength(2);
  });
});
