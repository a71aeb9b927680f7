/**
 * Staff's Excel exports through the local cloud: the `export` function (routed by the harness as
 * the app routes exports.*), the real wx-server-sdk storing the .xlsx, the temp URL downloaded and
 * the workbook read back with exceljs. A small competition is judged first (the demo's spring essay
 * track), and a lecture with questions, a waitlist and a check-in is run for the registrations.
 */
import { readdirSync } from 'fs';
import { join } from 'path';
import * as ExcelJS from 'exceljs';
import { COLLECTIONS, CONSENT_VERSION, DAY, HOUR, type EntryDoc, type PayloadOf, type UserDoc } from '../../../miniprogram/core';
import { userKey } from '../../../cloudfunctions/shared/ids';
import { ID_SECRET, data, startHarness, type Harness } from '../harness';
import { withFunctionEnv } from '../security/inprocess';

let h: Harness;
const STAFF = 'demo-staff-chen';
const WORKER = 'demo-worker-li';
const JUDGES = ['demo-judge-zhao', 'demo-judge-qian', 'demo-judge-sun'];
const SPRING = { activityId: 'act_essay_spring', trackId: 'essay' };
const MASKED = /^1\d{2}\*{4}\d{4}$/;

beforeAll(async () => {
  h = await startHarness();
}, 60_000);
afterAll(() => h.stop());

/** Every file under the local cloud's exports/ folder. */
function exportFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string, rel: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const n of names) {
      if (n.includes('.')) out.push(`${rel}/${n}`);
      else walk(join(dir, n), `${rel}/${n}`);
    }
  };
  walk(join(h.cloud.store.root, 'exports'), 'exports');
  return out;
}

async function audits(what: string): Promise<Record<string, unknown>[]> {
  return h.cloud.engine.find(COLLECTIONS.audit, { what });
}

async function download(url: string): Promise<{ book: ExcelJS.Workbook; bytes: Buffer }> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const bytes = Buffer.from(await res.arrayBuffer());
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes as unknown as ArrayBuffer);
  return { book, bytes };
}

/** A sheet as plain values: header row first. */
function table(ws: ExcelJS.Worksheet): unknown[][] {
  const rows: unknown[][] = [];
  ws.eachRow({ includeEmpty: true }, (row) => {
    const values: unknown[] = [];
    for (let c = 1; c <= ws.columnCount; c++) {
      const v = row.getCell(c).value;
      values.push(v === undefined ? null : v);
    }
    rows.push(values);
  });
  return rows;
}

/** Every text in the workbook's sheets. */
function allText(book: ExcelJS.Workbook): string {
  return book.worksheets.map((ws) => table(ws).map((r) => r.map((v) => (v === null ? '' : String(v))).join('\t')).join('\n')).join('\n');
}

async function secrets(): Promise<string[]> {
  const users = (await h.cloud.engine.find(COLLECTIONS.users)) as unknown as UserDoc[];
  return users.flatMap((u) => [u.openid, u._id]).filter((x) => typeof x === 'string' && x.length >= 6);
}

describe('exports.results', () => {
  beforeAll(async () => {
    // Every judge scores every assigned entry, per criterion, a little differently.
    for (const [k, judge] of JUDGES.entries()) {
      const q = data(await h.api(judge, 'judging.queue', SPRING));
      for (const item of q.items) {
        const n = Number(item.code.slice(-2));
        const s = (x: number) => Math.min(10, Math.max(0, Math.round((x + n * 0.4 + k * 0.5) * 2) / 2));
        const scores = [
          { criterionId: 'content', score: s(4) },
          { criterionId: 'writing', score: s(3.5) },
          { criterionId: 'creativity', score: s(5) },
        ];
        data(await h.api(judge, 'judging.save', { scoreId: item.scoreId, scores, comment: '' }));
        data(await h.api(judge, 'judging.submit', { scoreId: item.scoreId }));
      }
    }
  }, 120_000);

  it('refuses to export before results are computed, and writes nothing', async () => {
    expect(await h.api(STAFF, 'exports.results', SPRING)).toMatchObject({ ok: false, code: 'INVALID_STATE' });
    expect(exportFiles()).toEqual([]);
  });

  it('writes a workbook with a column per judge and criterion whose every row matches the results preview', async () => {
    data(await h.api(STAFF, 'results.compute', SPRING));
    const preview = data(await h.api(STAFF, 'results.preview', SPRING)).results!;
    const before = Date.now();
    const file = data(await h.api(STAFF, 'exports.results', SPRING));
    expect(file.rows).toBe(preview.rows.length);
    expect(file.fileID).toMatch(/^cloud:\/\/.+\/exports\/act_essay_spring\/essay-results-\d{8}-\d{6}-[0-9a-f]{8}\.xlsx$/);
    expect(file.expiresAt).toBeGreaterThan(before + 50 * 60_000);
    expect(file.name).toBe(`${(await activityTitle('act_essay_spring')).replace(/\s+/g, '')}-征文-评审结果.xlsx`);

    const { book } = await download(file.url);
    expect(book.worksheets.map((w) => w.name)).toEqual(['评审结果', '评分规则']);
    const ws = book.getWorksheet('评审结果')!;
    const [header, ...rows] = table(ws);

    // The header: author columns, then judge × criterion and each judge's total, then the aggregate.
    const progress = data(await h.api(STAFF, 'judging.progress', SPRING));
    const judgeNames = progress.judges.map((j) => j.name);
    const rubric = await rubricOf();
    const criteria = rubric.map((c) => c.name);
    expect(criteria).toEqual(['思想内容', '文字表达', '创新特色']);
    const judgeLabels = (header as string[]).filter((x) => x.endsWith('·总分')).map((x) => x.replace(/·总分$/, ''));
    expect(judgeLabels.map((l) => l.replace(/^评委\d+ /, '')).sort()).toEqual([...judgeNames].sort());
    expect(header).toEqual([
      '名次', '奖项', '作品编号', '作者', '手机号', '单位', '工作单位',
      ...judgeLabels.flatMap((j) => [...criteria.map((c) => `${j}·${c}`), `${j}·总分`]),
      '有效评分数', '最终得分', '平均分（未去分）', '极差', '需复核',
    ]);
    const col = (name: string) => (header as string[]).indexOf(name);

    // Frozen header, widths set, totals shown with two decimals.
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    for (let c = 1; c <= ws.columnCount; c++) expect(ws.getColumn(c).width).toBeGreaterThanOrEqual(6);
    expect(ws.getColumn(col('最终得分') + 1).numFmt).toBe('0.00');

    // Every row against the preview, in its order.
    const entries = (await h.cloud.engine.find(COLLECTIONS.entries, { activityId: 'act_essay_spring' })) as unknown as EntryDoc[];
    const users = (await h.cloud.engine.find(COLLECTIONS.users)) as unknown as UserDoc[];
    expect(rows).toHaveLength(preview.rows.length);
    preview.rows.forEach((p, i) => {
      const row = rows[i]!;
      const author = users.find((u) => u._id === entries.find((e) => e._id === p.entryId)!.userId)!;
      expect({ code: row[col('作品编号')], rank: row[col('名次')], award: row[col('奖项')] ?? null }).toEqual({ code: p.code, rank: p.rank, award: p.award });
      expect(row[col('作者')]).toBe(author.realName);
      expect(row[col('手机号')]).toMatch(MASKED);
      expect(row[col('手机号')]).toBe(`${author.phone.slice(0, 3)}****${author.phone.slice(7)}`);
      expect((row[col('最终得分')] as number).toFixed(2)).toBe(p.score);
      expect((row[col('平均分（未去分）')] as number).toFixed(2)).toBe(p.mean);
      expect((row[col('极差')] as number).toFixed(2)).toBe(p.spread);
      expect(row[col('有效评分数')]).toBe(p.judges);
      const totals = judgeLabels.map((j) => row[col(`${j}·总分`)]).filter((x): x is number => typeof x === 'number');
      expect(totals.map((t) => t.toFixed(2)).sort()).toEqual([...p.totals].sort());
      // Each judge's total is the rubric applied to that judge's criterion cells.
      for (const j of judgeLabels) {
        const cells = criteria.map((c) => row[col(`${j}·${c}`)]);
        if (cells.every((x) => x === null)) continue;
        const sum = rubric.reduce((n, c, k) => n + c.weight * (cells[k] as number), 0);
        const max = rubric.reduce((n, c) => n + c.weight * c.max, 0);
        expect((row[col(`${j}·总分`)] as number).toFixed(2)).toBe((Math.round((10000 * sum) / max) / 100).toFixed(2));
      }
    });
    expect(rows.filter((r) => r[col('奖项')]).length).toBe(preview.rows.filter((r) => r.award).length);

    // The rule sheet: rubric and settings, so the numbers can be checked by hand.
    const rules = table(book.getWorksheet('评分规则')!).map((r) => r.map((v) => (v === null ? '' : String(v))).join('\t')).join('\n');
    for (const c of rubric) expect(rules).toContain(`${c.name}\t权重 ${c.weight}，满分 ${c.max}`);
    expect(rules).toContain('去掉最高分和最低分');
    expect(rules).toContain('预览（未发布）');

    // Audited, and nothing about any person's identity in the workbook or its path.
    const [a] = await audits('export.results');
    expect(a).toMatchObject({ objectId: 'res_act_essay_spring_essay', detail: { rows: preview.rows.length } });
    const text = `${allText(book)}\n${file.fileID}\n${file.url}`;
    expect((await secrets()).filter((s) => text.includes(s))).toEqual([]);
  });

  it('refuses a worker and a judge, and an unknown track, writing nothing', async () => {
    const files = exportFiles();
    const n = (await audits('export.results')).length;
    expect(await h.api(WORKER, 'exports.results', SPRING)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await h.api(JUDGES[0]!, 'exports.results', SPRING)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await h.api(null, 'exports.results', SPRING)).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
    expect(await h.api(STAFF, 'exports.results', { activityId: 'act_nope', trackId: 'essay' })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await h.api(STAFF, 'exports.results', { activityId: 'act_essay_spring', trackId: 'poetry' })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await h.api(STAFF, 'exports.results', { activityId: '../../etc', trackId: 'essay' } as PayloadOf<'exports.results'>)).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD' });
    expect(exportFiles()).toEqual(files);
    expect(await audits('export.results')).toHaveLength(n);
  });

  it('is served by the export function only: api answers an export action as unknown', async () => {
    const r = await h.raw('/functions/api', JSON.stringify({ action: 'exports.results', payload: SPRING }), { 'X-Local-Openid': STAFF });
    expect(r.json).toMatchObject({ ok: false, code: 'UNKNOWN_ACTION' });
    const back = await h.raw('/functions/export', JSON.stringify({ action: 'session.me', payload: {} }), { 'X-Local-Openid': STAFF });
    expect(back.json).toMatchObject({ ok: false, code: 'UNKNOWN_ACTION' });
  });
});

async function activityTitle(id: string): Promise<string> {
  const [a] = await h.cloud.engine.find(COLLECTIONS.activities, { _id: id });
  return String(a!.title);
}

async function rubricOf(): Promise<{ id: string; name: string; weight: number; max: number }[]> {
  const [a] = await h.cloud.engine.find(COLLECTIONS.activities, { _id: 'act_essay_spring' });
  return (a as unknown as { competition: { judging: Record<string, { rubric: { criteria: { id: string; name: string; weight: number; max: number }[] } }> } }).competition.judging.essay!.rubric.criteria;
}

describe('exports.registrations', () => {
  const PEOPLE = [
    { openid: 'exp-worker-1', realName: '周一', phone: '13911110001' },
    { openid: 'exp-worker-2', realName: '吴二', phone: '13911110002' },
    { openid: 'exp-worker-3', realName: '郑三', phone: '13911110003' },
    { openid: 'exp-worker-4', realName: '王四', phone: '13911110004' },
  ];
  let activityId = '';

  beforeAll(async () => {
    const now = Date.now();
    activityId = data(
      await h.api(STAFF, 'activities.save', {
        kind: 'lecture',
        title: '导出测试讲座',
        summary: '报名表导出',
        body: '正文',
        time: { start: now + 7 * DAY, end: now + 7 * DAY + 2 * HOUR },
        place: '区工人文化宫 三楼',
        capacity: 2,
        signup: { start: now - DAY, end: now + 6 * DAY },
        planItem: '宣讲活动',
        questions: [
          { id: 'size', label: '服装尺码', type: 'choice', required: true, options: ['M', 'L', 'XL'] },
          { id: 'note', label: '备注', type: 'text', required: false, options: [] },
        ],
        requiresVerified: false,
        requiresApproval: false,
        competition: null,
      }),
    ).id;
    data(await h.api(STAFF, 'activities.setStatus', { id: activityId, status: 'published' }));
    for (const [i, p] of PEOPLE.entries()) {
      data(await h.api(p.openid, 'profile.consent', { version: CONSENT_VERSION }));
      data(await h.api(p.openid, 'profile.save', { realName: p.realName, phone: p.phone, unitId: 'unit_linping', enterprise: '临平测试有限公司' }));
      const answers = [{ questionId: 'size', answer: ['M', 'L', 'XL', 'L'][i]! }, ...(i === 0 ? [{ questionId: 'note', answer: '素食' }] : [])];
      const r = data(await h.api(p.openid, 'registrations.create', { activityId, tracks: [], answers }));
      if (i === 0) data(await h.api(STAFF, 'registrations.checkin', { code: r.registration.checkinCode! }));
    }
  }, 60_000);

  it('writes one row per registration: masked phone, unit, state, waitlist position, answers, China times', async () => {
    const file = data(await h.api(STAFF, 'exports.registrations', { activityId }));
    expect(file.rows).toBe(4);
    expect(file.fileID).toContain(`/exports/${activityId}/registrations-`);
    expect(file.name).toBe('导出测试讲座-报名表.xlsx');
    const { book } = await download(file.url);
    const ws = book.getWorksheet('报名表')!;
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const [header, ...rows] = table(ws);
    expect(header).toEqual(['序号', '姓名', '手机号', '单位', '状态', '候补位次', '服装尺码', '备注', '报名时间', '签到时间', '审核意见']);
    const regs = await h.cloud.engine.find(COLLECTIONS.registrations, { activityId });
    const china = (t: number) => new Date(t + 8 * HOUR).toISOString().slice(0, 16).replace('T', ' ');
    expect(rows.map((r) => r.slice(0, 8))).toEqual([
      [1, '周一', '139****0001', '临平街道总工会', '已报名', null, 'M', '素食'],
      [2, '吴二', '139****0002', '临平街道总工会', '已报名', null, 'L', null],
      [3, '郑三', '139****0003', '临平街道总工会', '候补', 1, 'XL', null],
      [4, '王四', '139****0004', '临平街道总工会', '候补', 2, 'L', null],
    ]);
    const first = regs.find((r) => r.realName === '周一')!;
    expect(rows[0]![8]).toBe(china(first.createdAt as number));
    expect(rows[0]![9]).toBe(china(first.checkedInAt as number));
    expect(rows[1]![9]).toBeNull();
    expect(allText(book)).not.toContain('13911110001');
    const text = `${allText(book)}\n${file.fileID}`;
    expect((await secrets()).filter((s) => text.includes(s))).toEqual([]);
    const [a] = await audits('export.registrations');
    expect(a).toMatchObject({ objectId: activityId, detail: { rows: 4 } });
  });

  it('refuses a worker and an unknown activity, writing nothing', async () => {
    const files = exportFiles();
    const n = (await audits('export.registrations')).length;
    expect(await h.api(WORKER, 'exports.registrations', { activityId })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await h.api(STAFF, 'exports.registrations', { activityId: 'act_nope' })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(exportFiles()).toEqual(files);
    expect(await audits('export.registrations')).toHaveLength(n);
  });
});

describe('exports.results after 复评', () => {
  it('adds 初评 and 复评 columns and the round that placed each entry, matching the results preview', async () => {
    // The demo track asks for no 复评: this one asks for the top 3 (no action edits a rubric).
    await withFunctionEnv(h, async () => {
      const cloud = await import('../../../cloudfunctions/shared/cloud');
      await cloud.updateWhere('activities', { _id: SPRING.activityId }, { 'competition.judging.essay.round2': cloud._.set({ count: 3 }) });
    });
    const judges = [JUDGES[0]!, JUDGES[2]!];
    data(await h.api(STAFF, 'judging.startRound2', { ...SPRING, judges: judges.map((j) => userKey(ID_SECRET, j)), mode: 'all', k: 1, dryRun: false }));
    for (const [k, judge] of judges.entries()) {
      const q = data(await h.api(judge, 'judging.queue', SPRING));
      for (const item of q.items.filter((x) => x.round === 2 && x.state !== 'final')) {
        const s = 6 + k + (Number(item.code.slice(-2)) % 4) * 0.5;
        data(await h.api(judge, 'judging.save', { scoreId: item.scoreId, scores: [{ criterionId: 'content', score: s }, { criterionId: 'writing', score: s }, { criterionId: 'creativity', score: s }], comment: '' }));
        data(await h.api(judge, 'judging.submit', { scoreId: item.scoreId }));
      }
    }
    data(await h.api(STAFF, 'results.compute', SPRING));
    const preview = data(await h.api(STAFF, 'results.preview', SPRING)).results!;
    const file = data(await h.api(STAFF, 'exports.results', SPRING));
    const { book } = await download(file.url);
    const [header, ...rows] = table(book.getWorksheet('评审结果')!) as [string[], ...unknown[][]];
    const col = (name: string) => header.indexOf(name);
    const r1 = header.filter((x) => x.startsWith('初评·') && x.endsWith('·总分'));
    const r2 = header.filter((x) => x.startsWith('复评·') && x.endsWith('·总分'));
    expect(r1).toHaveLength(3);
    expect(r2).toHaveLength(2);
    expect(col('评定轮次')).toBeGreaterThan(0);
    const finalists = preview.rows.filter((r) => r.round === 2);
    expect(finalists.length).toBeGreaterThanOrEqual(3);
    preview.rows.forEach((p, i) => {
      const row = rows[i]!;
      expect([row[col('作品编号')], row[col('名次')], row[col('奖项')] ?? null]).toEqual([p.code, p.rank, p.award]);
      expect(row[col('评定轮次')]).toBe(p.round === 2 ? '复评' : '初评');
      const placing = (p.round === 2 ? r2 : r1).map((h) => row[col(h)]).filter((x): x is number => typeof x === 'number');
      expect(placing.map((t) => t.toFixed(2)).sort()).toEqual([...p.totals].sort());
    });
    expect(table(book.getWorksheet('评分规则')!).map((r) => r[0])).toContain('复评');
  });
});

describe('old exports', () => {
  it('are deleted by the timer a day after they were made, files and records, while newer ones stay', async () => {
    const before = exportFiles();
    expect(before.length).toBeGreaterThanOrEqual(2);
    expect(await h.cloud.engine.find(COLLECTIONS.exportFiles)).toHaveLength(before.length);
    await h.control('clock', { offsetMs: DAY + 60_000 });
    try {
      const fresh = data(await h.api(STAFF, 'exports.registrations', { activityId: 'act_culture_2022' }));
      const tick = (await h.control('timer/cron', {})) as { result: { ok: boolean; data: { tasks: Record<string, number> } } };
      expect(tick.result.data.tasks.exports).toBe(before.length);
      const left = exportFiles();
      expect(left).toHaveLength(1);
      expect(fresh.fileID.endsWith(left[0]!)).toBe(true);
      expect((await h.cloud.engine.find(COLLECTIONS.exportFiles)).map((d) => d.fileID)).toEqual([fresh.fileID]);
      // The audit trail keeps who exported what.
      expect((await audits('export.results')).length + (await audits('export.registrations')).length).toBe(before.length + 1);
    } finally {
      await h.control('clock', { offsetMs: 0 });
    }
  });

  it('finds by its path a file whose export died before recording its file ID', async () => {
    const [recorded] = await h.cloud.engine.find(COLLECTIONS.exportFiles);
    expect(recorded?.cloudPath).toMatch(/^exports\//);
    expect(String(recorded?.fileID).endsWith(`/${String(recorded?.cloudPath)}`)).toBe(true);
    // As if the function stored the file, then died before it could write the file ID.
    const cloudPath = 'exports/act_culture_2022/registrations-orphan.xlsx';
    expect((await h.upload(STAFF, cloudPath, Buffer.from('PK orphan'))).status).toBeLessThan(300);
    await h.cloud.engine.insertMany(COLLECTIONS.exportFiles, [
      { _id: 'exf_orphan', cloudPath, fileID: null, kind: 'registrations', objectId: 'act_culture_2022', by: 'u_x', rows: 0, createdAt: Date.now() - DAY - 60_000 },
    ]);
    expect(exportFiles()).toContain(cloudPath);
    const tick = (await h.control('timer/cron', {})) as { result: { ok: boolean; data: { tasks: Record<string, number> } } };
    expect(tick.result.data.tasks.exports).toBe(1);
    expect(exportFiles()).not.toContain(cloudPath);
    expect(await h.cloud.engine.find(COLLECTIONS.exportFiles, { _id: 'exf_orphan' })).toEqual([]);
  });
});
