/** 基层工会 import (`units.import`) through the local cloud: all rows or none, a dry run, idempotent. */
import { COLLECTIONS } from '../../../miniprogram/core';
import { data, startHarness, type Harness } from '../harness';

let h: Harness;
const STAFF = 'demo-staff-chen';
const LI = 'demo-worker-li';

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

let serial = 0;
async function uploaded(csv: string | Buffer): Promise<string> {
  const up = await h.upload(STAFF, `units-import/${Date.now()}-${++serial}.csv`, typeof csv === 'string' ? Buffer.from(csv, 'utf8') : csv);
  expect(up.status).toBe(200);
  return (up.json as { fileID: string }).fileID;
}
const units = async () => data(await h.api(LI, 'units.list', {})).units;
const snapshot = async () => (await h.cloud.engine.find(COLLECTIONS.units, {})).map((u) => JSON.stringify(u)).sort();
const audits = async () => h.cloud.engine.find(COLLECTIONS.audit, { what: 'units.import' });

// The demo has ten units, ordered 0–9 (临平街道总工会 first, 区工人文化宫 last).
const GOOD = ['名称,分组,排序', '仁和街道总工会,街道,10', '未来科技园工会,园区,11', '区卫健局工会,局属,12', '经济技术开发区总工会,园区,0', ''].join('\n');

describe('units.import', () => {
  test('a dry run reports every row and writes nothing', async () => {
    const before = await snapshot();
    const r = data(await h.api(STAFF, 'units.import', { fileID: await uploaded(GOOD), dryRun: true }));
    expect(r).toMatchObject({ applied: false, accepted: 4, refused: 0, created: 3, updated: 1, unchanged: 0 });
    expect(r.rows.map((x) => [x.line, x.name, x.action])).toEqual([
      [2, '仁和街道总工会', 'create'],
      [3, '未来科技园工会', 'create'],
      [4, '区卫健局工会', 'create'],
      [5, '经济技术开发区总工会', 'update'],
    ]);
    expect(await snapshot()).toEqual(before);
    expect(await audits()).toHaveLength(0);
  });

  test('a file with one bad row changes nothing and reports the row with its reason', async () => {
    const before = await snapshot();
    const csv = ['名称,分组,排序', '仁和街道总工会,街道,10', '塘栖镇总工会,镇,11', '仁和街道总工会,街道,12', ',局属,13'].join('\n');
    const r = data(await h.api(STAFF, 'units.import', { fileID: await uploaded(csv), dryRun: false }));
    expect(r).toMatchObject({ applied: false, accepted: 1, refused: 3 });
    expect(r.rows.filter((x) => x.problem).map((x) => [x.line, x.problem])).toEqual([
      [3, '没有「镇」这个分组（可用：街道、园区、局属）'],
      [4, '与第 2 行的名称重复'],
      [5, '名称为空'],
    ]);
    expect(await snapshot()).toEqual(before);
    expect(await audits()).toHaveLength(0);
  });

  test('a good file imports: units.list shows the new units in order and the updated one moved, audited', async () => {
    const fileID = await uploaded(GOOD);
    const r = data(await h.api(STAFF, 'units.import', { fileID, dryRun: false }));
    expect(r).toMatchObject({ applied: true, accepted: 4, refused: 0, created: 3, updated: 1 });
    const list = await units();
    expect(list).toHaveLength(13);
    expect(list.slice(-3).map((u) => [u.name, u.group, u.order])).toEqual([
      ['仁和街道总工会', '街道', 10],
      ['未来科技园工会', '园区', 11],
      ['区卫健局工会', '局属', 12],
    ]);
    const devzone = list.find((u) => u.name === '经济技术开发区总工会')!;
    expect(devzone).toMatchObject({ id: 'unit_devzone', group: '园区', order: 0 });
    // Nothing deleted: every demo unit is still there.
    for (const id of ['unit_linping', 'unit_hall', 'unit_hospital']) expect(list.some((u) => u.id === id)).toBe(true);
    const trail = await audits();
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({ objectId: 'units', detail: { rows: 4, created: 3, updated: 1, unchanged: 0 } });
    // Workers can pick a new unit in their profile.
    const renhe = list.find((u) => u.name === '仁和街道总工会')!;
    await h.api(LI, 'profile.consent', { version: '2026-11' });
    data(await h.api(LI, 'profile.save', { realName: '李明', phone: '13857100001', unitId: renhe.id, enterprise: '仁和街道办事处' }));
  });

  test('importing the same file again is idempotent: no duplicate, nothing written', async () => {
    const before = await snapshot();
    const r = data(await h.api(STAFF, 'units.import', { fileID: await uploaded(GOOD), dryRun: false }));
    expect(r).toMatchObject({ applied: true, created: 0, updated: 0, unchanged: 4 });
    expect(await snapshot()).toEqual(before);
    expect(await units()).toHaveLength(13);
  });

  test('new units get ids from their names, so two imports at once of a new name make one unit', async () => {
    const ids = (await units()).filter((u) => u.order >= 10).map((u) => u.id);
    expect(ids.every((id) => /^unit_[A-Za-z0-9_-]{16}$/.test(id))).toBe(true);
    const csv = '名称,分组,排序\n乔司街道总工会,街道,13\n';
    const [a, b] = await Promise.all([uploaded(csv), uploaded(csv)]);
    const [ra, rb] = await Promise.all([h.api(STAFF, 'units.import', { fileID: a, dryRun: false }), h.api(STAFF, 'units.import', { fileID: b, dryRun: false })]);
    expect(data(ra).applied && data(rb).applied).toBe(true);
    expect((await units()).filter((u) => u.name === '乔司街道总工会')).toHaveLength(1);
  });

  test('refuses an Excel workbook or a GBK CSV with a clear message, and a file it cannot read', async () => {
    const xlsx = Buffer.concat([Buffer.from('PK\u0003\u0004', 'latin1'), Buffer.alloc(64)]);
    expect(await h.api(STAFF, 'units.import', { fileID: await uploaded(xlsx), dryRun: true })).toMatchObject({
      ok: false,
      code: 'FILE_REJECTED',
      message: '请上传 CSV 文本文件：在 Excel 中“另存为 CSV UTF-8（逗号分隔）”',
      field: 'payload.fileID',
    });
    const gbk = Buffer.from([0xc3, 0xfb, 0xb3, 0xc6, 0x2c, 0xb7, 0xd6, 0xd7, 0xe9, 0x0a]);
    expect(await h.api(STAFF, 'units.import', { fileID: await uploaded(gbk), dryRun: true })).toMatchObject({ ok: false, code: 'FILE_REJECTED', message: expect.stringContaining('UTF-8') });
    expect(await h.api(STAFF, 'units.import', { fileID: 'cloud://env-local/units-import/none.csv', dryRun: true })).toMatchObject({ ok: false, code: 'FILE_REJECTED' });
    expect(await h.api(STAFF, 'units.import', { fileID: await uploaded('名称,分组,负责人\n甲乙工会,街道,张三\n'), dryRun: true })).toMatchObject({
      ok: false,
      code: 'FILE_REJECTED',
      message: '表头「负责人」无法识别：表头应为 名称,分组,排序（排序可省略）',
    });
  });

  test('refuses a worker and an unknown caller, writing nothing', async () => {
    const before = await snapshot();
    const fileID = await uploaded('名称,分组\n闲林街道总工会,街道\n');
    expect(await h.api(LI, 'units.import', { fileID, dryRun: false })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect((await h.api(null, 'units.import', { fileID, dryRun: false })).ok).toBe(false);
    expect(await h.api(STAFF, 'units.import', { fileID, dryRun: false, openid: 'x' } as never)).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD' });
    expect(await snapshot()).toEqual(before);
  });
});
