/**
 * Staff's Excel exports, as data: which sheets, columns and rows a workbook has. Pure (no wx, no
 * Node, no Excel library): the `export` cloud function renders these sheets with exceljs, and unit
 * tests check them directly. Phones are masked here, whatever the caller passes in, and no OPENID
 * or user id ever reaches a sheet (the inputs carry none).
 */
import type { Question, RegistrationState } from './domain';
import type { ResultRow, ResultsDoc, ResultsState } from './judging';
import { judgeTotal, type Rubric, type ScoringSettings } from './rules/scoring';
import { maskPhone } from './staff';
import { toChina } from './time';

/** What an export action answers: the stored workbook and a temporary link to download it. */
export interface ExportFile {
  /** cloud:// ID of the .xlsx (exports/<activity>/…, no person in the path). */
  fileID: string;
  /** Temporary download URL, valid until `expiresAt`. */
  url: string;
  /** Data rows in the main sheet. */
  rows: number;
  expiresAt: number;
  /** A file name to show and to save under, e.g. 2022征文比赛-征文-评审结果.xlsx. */
  name: string;
}

/** Exported workbooks carry personal data: the timer deletes them this long after they were made. */
export const EXPORT_KEEP_MS = 24 * 60 * 60 * 1000;

/** An export kept in storage, for the timer's cleanup: exf_<random>. */
export interface ExportFileDoc {
  _id: string;
  /** exports/<activity>/…: recorded before the file is stored, so no file is ever unaccounted for. */
  cloudPath: string;
  /** null until the file is stored (or if the function died before it could say so). */
  fileID: string | null;
  kind: 'results' | 'registrations';
  /** The results (res_<activity>_<track>) or the activity exported. */
  objectId: string;
  /** The staff member's user id (never an OPENID). */
  by: string;
  rows: number;
  createdAt: number;
}

// ---- the sheet model ---------------------------------------------------------------------------

/** text: as is; int: whole number; score: number shown with 2 decimals; half: number shown with up to 1 decimal. */
export type ColumnKind = 'text' | 'int' | 'score' | 'half';
export type CellValue = string | number | null;

export interface SheetColumn {
  header: string;
  kind: ColumnKind;
  /** In Excel's character units. */
  width: number;
}

export interface Sheet {
  name: string;
  columns: SheetColumn[];
  rows: CellValue[][];
  /** The first row is the header: frozen, bold, filtered. False for a key–value sheet. */
  header: boolean;
  /** Rows (0-based data indexes) to highlight, e.g. entries flagged for 复核. */
  highlight?: number[];
}

export interface Workbook {
  sheets: Sheet[];
  /** Data rows of the first sheet. */
  rows: number;
}

/** Display width of a text: CJK and full-width characters count two. */
export function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

/** A column wide enough for its header and (most of) its values, within sensible bounds. */
export function columnWidth(header: string, values: readonly CellValue[], min = 6, maxWidth = 40): number {
  let w = textWidth(header);
  // The widest of the first 500 values is enough to size a column; scanning 5,000 rows adds nothing.
  for (const v of values.slice(0, 500)) if (v !== null) w = Math.max(w, textWidth(typeof v === 'number' ? v.toFixed(2) : v));
  return Math.min(maxWidth, Math.max(min, w + 2));
}

function sized(headers: { header: string; kind: ColumnKind }[], rows: CellValue[][]): SheetColumn[] {
  return headers.map((h, i) => ({ ...h, width: columnWidth(h.header, rows.map((r) => r[i] ?? null)) }));
}

const pad = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** yyyy-mm-dd hh:mm in China (fixed UTC+8), as staff read times. */
export function chinaDateTime(instant: number | null): string {
  if (instant === null) return '';
  const c = toChina(instant);
  return `${c.year}-${pad(c.month)}-${pad(c.day)} ${pad(c.hour)}:${pad(c.minute)}`;
}

/** yyyymmdd-hhmmss in China: file names. */
export function chinaStamp(instant: number): string {
  const c = toChina(instant);
  return `${c.year}${pad(c.month)}${pad(c.day)}-${pad(c.hour)}${pad(c.minute)}${pad(c.second)}`;
}

/** A file name staff can keep: no characters that file systems or chats refuse. */
export function fileName(...parts: string[]): string {
  return `${parts.map((p) => p.replace(/[\\/:*?"<>|\s]+/g, '')).filter(Boolean).join('-')}.xlsx`;
}

const num = (text: string | null): number | null => (text === null || text === '' ? null : Number(text));

// ---- results -----------------------------------------------------------------------------------

export const RESULTS_STATE_LABEL: Record<ResultsState, string> = {
  computing: '计算中',
  preview: '预览（未发布）',
  publicity: '公示中',
  final: '已确定',
};

export interface ExportJudge {
  judgeId: string;
  /** The panel seat's name (staff see judges' names in the progress view); '' when unknown. */
  name: string;
}

/** A final score as stored (round 1 = 初评, 2 = 复评). */
export interface ExportScore {
  entryId: string;
  judgeId: string;
  round: 1 | 2;
  scores: Record<string, number>;
}

/** The author of an entry, as staff may see it (the phone is masked by the builder). */
export interface ExportAuthor {
  name: string;
  phone: string;
  unitName: string;
  enterprise: string;
}

export interface ResultsExportInput {
  activityTitle: string;
  trackName: string;
  rubric: Rubric;
  settings: ScoringSettings;
  results: Pick<ResultsDoc, 'state' | 'participants' | 'cap' | 'rows' | 'warnings' | 'missingScores' | 'computedAt' | 'publishedAt' | 'finalAt' | 'publishOverride'>;
  /** The panel, in seat order. Judges found only in the scores are added after them. */
  judges: ExportJudge[];
  /** Final scores of the track, both rounds. */
  scores: ExportScore[];
  authors: ReadonlyMap<string, ExportAuthor>;
  exportedAt: number;
  exportedBy: string;
}

/** 评委1 赵敏, or 评委3 when the seat has no name. */
export function judgeLabels(judges: readonly ExportJudge[], scores: readonly ExportScore[]): { judgeId: string; label: string }[] {
  const seen = new Set(judges.map((j) => j.judgeId));
  const extra = [...new Set(scores.map((s) => s.judgeId).filter((id) => !seen.has(id)))].sort();
  return [...judges, ...extra.map((judgeId) => ({ judgeId, name: '' }))].map((j, i) => ({
    judgeId: j.judgeId,
    label: j.name ? `评委${i + 1} ${j.name}` : `评委${i + 1}`,
  }));
}

const ROUND_LABEL = { 1: '初评', 2: '复评' } as const;

/** The results workbook: one row per entry in ranking order, then the rubric and the rule's settings. */
export function resultsWorkbook(input: ResultsExportInput): Workbook {
  const { rubric, results } = input;
  const labels = judgeLabels(input.judges, input.scores);
  const rounds: (1 | 2)[] = input.scores.some((s) => s.round === 2) ? [1, 2] : [1];
  const byEntry = new Map<string, Map<string, Record<string, number>>>();
  for (const s of input.scores) {
    const key = `${s.round}:${s.entryId}`;
    const m = byEntry.get(key) ?? new Map<string, Record<string, number>>();
    m.set(s.judgeId, s.scores);
    byEntry.set(key, m);
  }
  // Per round, the judges who scored in it (all of the panel in 初评; 复评 may be a smaller panel).
  const groups = rounds.map((round) => ({
    round,
    judges: round === 1 ? labels.filter((l) => input.scores.some((s) => s.round === 1 && s.judgeId === l.judgeId) || input.judges.some((j) => j.judgeId === l.judgeId)) : labels.filter((l) => input.scores.some((s) => s.round === 2 && s.judgeId === l.judgeId)),
  }));
  const prefix = (round: 1 | 2): string => (rounds.length > 1 ? `${ROUND_LABEL[round]}·` : '');

  const headers: { header: string; kind: ColumnKind }[] = [
    { header: '名次', kind: 'int' },
    { header: '奖项', kind: 'text' },
    { header: '作品编号', kind: 'text' },
    { header: '作者', kind: 'text' },
    { header: '手机号', kind: 'text' },
    { header: '单位', kind: 'text' },
    { header: '工作单位', kind: 'text' },
  ];
  for (const g of groups) {
    for (const j of g.judges) {
      for (const c of rubric.criteria) headers.push({ header: `${prefix(g.round)}${j.label}·${c.name}`, kind: 'half' });
      headers.push({ header: `${prefix(g.round)}${j.label}·总分`, kind: 'score' });
    }
  }
  if (rounds.length > 1) headers.push({ header: '评定轮次', kind: 'text' });
  headers.push({ header: '有效评分数', kind: 'int' }, { header: '最终得分', kind: 'score' }, { header: '平均分（未去分）', kind: 'score' }, { header: '极差', kind: 'score' }, { header: '需复核', kind: 'text' });

  const rows: CellValue[][] = [];
  const highlight: number[] = [];
  let changed = 0;
  results.rows.forEach((r: ResultRow, i) => {
    const a = input.authors.get(r.entryId);
    const row: CellValue[] = [r.rank, r.award ?? '', r.code, a?.name ?? '', maskPhone(a?.phone ?? ''), a?.unitName ?? '', a?.enterprise ?? ''];
    const totalsNow: Record<number, string[]> = { 1: [], 2: [] };
    for (const g of groups) {
      const scored = byEntry.get(`${g.round}:${r.entryId}`);
      for (const j of g.judges) {
        const s = scored?.get(j.judgeId);
        for (const c of rubric.criteria) row.push(typeof s?.[c.id] === 'number' ? s[c.id]! : null);
        const t = s ? judgeTotal(rubric, s) : null;
        row.push(t?.ok ? t.data.rounded.value : null);
        if (t?.ok) totalsNow[g.round]!.push(t.data.rounded.text);
      }
    }
    // The round that placed the entry: as the results say, else 复评 wherever it has scores.
    const round = r.round ?? (totalsNow[2]!.length > 0 ? 2 : 1);
    if (rounds.length > 1) row.push(ROUND_LABEL[round]);
    row.push(r.judges, num(r.score), num(r.mean), num(r.spread), r.recheck ? '是' : '');
    rows.push(row);
    if (r.recheck) highlight.push(i);
    // The totals the results were placed by, against the scores as they are now.
    const placedBy = totalsNow[round]!;
    if ([...placedBy].sort().join(',') !== [...r.totals].sort().join(',')) changed++;
  });

  const main: Sheet = { name: '评审结果', columns: sized(headers, rows), rows, header: true, highlight };
  return { sheets: [main, rulesSheet(input, changed, rounds.length > 1)], rows: rows.length };
}

function share(s: { num: number; den: number }): string {
  return `${s.num}/${s.den}`;
}

function rulesSheet(input: ResultsExportInput, changed: number, round2: boolean): Sheet {
  const { rubric, settings, results } = input;
  const scale = rubric.criteria.reduce((n, c) => n + c.weight * c.max, 0);
  const rows: CellValue[][] = [
    ['活动', input.activityTitle],
    ['赛道', input.trackName],
    ['结果状态', RESULTS_STATE_LABEL[results.state]],
    ['计算时间', chinaDateTime(results.computedAt)],
    ['公示时间', chinaDateTime(results.publishedAt)],
    ['确定时间', chinaDateTime(results.finalAt)],
    ['参赛作品数', results.participants],
    ['获奖总数上限', results.cap],
    ['计算时未提交的评分', results.missingScores],
    ['导出时间', chinaDateTime(input.exportedAt)],
    ['导出人', input.exportedBy],
  ];
  if (results.publishOverride) rows.push(['带缺项发布的理由', results.publishOverride.reason]);
  if (changed > 0) rows.push(['注意', `有 ${changed} 件作品的评委评分在计算结果之后有变动，表中的评委分为当前评分，得分与名次为上次计算的结果，请重新计算后再导出`]);
  rows.push([null, null], ['评分标准', '权重 × 满分'], ...rubric.criteria.map((c): CellValue[] => [c.name, `权重 ${c.weight}，满分 ${c.max}`]));
  rows.push(
    [null, null],
    ['评分规则', '说明'],
    ['评委总分', `100 × Σ(权重 × 得分) ÷ Σ(权重 × 满分)，此处 Σ(权重 × 满分) = ${scale}；表中保留两位小数（四舍五入），仅供核对`],
    ['标准化', settings.normalise ? '开启：按评委对总分做标准化（均值与标准差），评分少于 3 份或标准差为 0 的评委保持原分' : '不开启'],
    ['去掉最高分和最低分', `有效评分达到 ${settings.trimAt} 份时，去掉一个最高分和一个最低分后取平均；不足 ${settings.trimAt} 份时取全部评分的平均`],
    ['最终得分', '按上述规则精确计算，最后四舍五入到两位小数（不是表中两位小数总分的平均）'],
    ['排名', '按最终得分从高到低；同分时比较未去分的平均分，仍相同则并列（1、2、2、4）'],
    ...(round2 ? [['复评', '进入复评的作品按复评评分计算得分和排名，排在其余作品之前；其余作品保持初评名次。表中“初评·”“复评·”分列两轮的评分'] as CellValue[]] : []),
    ['复核', `评委总分的极差超过 ${settings.spreadThreshold} 分的作品标记“需复核”（表中以底色标出）`],
    ['获奖总数上限', settings.capOverride !== null ? `工作人员调整为 ${settings.capOverride} 个` : `参赛作品数 × ${share(settings.capShare)}，向下取整`],
  );
  for (const t of settings.tiers) rows.push([t.name, t.count !== undefined ? `${t.count} 个` : t.share ? `参赛作品数 × ${share(t.share)}，向下取整` : '—']);
  rows.push(['名额超出上限时', '从最低一档奖项起削减；并列的作品获得相同奖项']);
  if (results.warnings.length) rows.push([null, null], ['计算提示', results.warnings.join('\n')]);
  return { name: '评分规则', columns: sized([{ header: '项目', kind: 'text' }, { header: '内容', kind: 'text' }], rows).map((c, i) => ({ ...c, width: i === 0 ? 20 : 80 })), rows, header: false };
}

// ---- registrations -----------------------------------------------------------------------------

export const REGISTRATION_STATE_LABEL: Record<RegistrationState, string> = {
  confirmed: '已报名',
  pending: '待审核',
  waitlisted: '候补',
  cancelled: '已取消',
  rejected: '未通过',
};

/** A registration as stored (the snapshot staff lists show); the phone is masked by the builder. */
export interface ExportRegistration {
  realName: string;
  phone: string;
  unitId: string;
  state: RegistrationState;
  tracks: string[];
  answers: { questionId: string; answer: string }[];
  seq: number;
  reason: string;
  createdAt: number;
  checkedInAt: number | null;
}

export interface RegistrationsExportInput {
  activityTitle: string;
  questions: Question[];
  /** Track id → name, for competitions; empty otherwise (no 报名赛道 column). */
  tracks: ReadonlyMap<string, string>;
  registrations: ExportRegistration[];
  unitNames: ReadonlyMap<string, string>;
  exportedAt: number;
  exportedBy: string;
}

/** The registrations workbook: one row per registration in the order they came, then a summary. */
export function registrationsWorkbook(input: RegistrationsExportInput): Workbook {
  const regs = [...input.registrations].sort((a, b) => a.createdAt - b.createdAt || a.seq - b.seq);
  const waiting = regs.filter((r) => r.state === 'waitlisted').sort((a, b) => a.seq - b.seq);
  const position = new Map(waiting.map((r, i) => [r, i + 1]));
  const headers: { header: string; kind: ColumnKind }[] = [
    { header: '序号', kind: 'int' },
    { header: '姓名', kind: 'text' },
    { header: '手机号', kind: 'text' },
    { header: '单位', kind: 'text' },
    { header: '状态', kind: 'text' },
    { header: '候补位次', kind: 'int' },
  ];
  if (input.tracks.size > 0) headers.push({ header: '报名赛道', kind: 'text' });
  for (const q of input.questions) headers.push({ header: q.label, kind: 'text' });
  headers.push({ header: '报名时间', kind: 'text' }, { header: '签到时间', kind: 'text' }, { header: '审核意见', kind: 'text' });
  const rows = regs.map((r, i): CellValue[] => {
    const answers = new Map(r.answers.map((a) => [a.questionId, a.answer]));
    const row: CellValue[] = [i + 1, r.realName, maskPhone(r.phone), input.unitNames.get(r.unitId) ?? '', REGISTRATION_STATE_LABEL[r.state], position.get(r) ?? null];
    if (input.tracks.size > 0) row.push(r.tracks.map((t) => input.tracks.get(t) ?? t).join('、'));
    for (const q of input.questions) row.push(answers.get(q.id) ?? '');
    row.push(chinaDateTime(r.createdAt), chinaDateTime(r.checkedInAt), r.reason);
    return row;
  });
  const count = (s: RegistrationState): number => regs.filter((r) => r.state === s).length;
  const summary: CellValue[][] = [
    ['活动', input.activityTitle],
    ['报名总数', regs.length],
    ...(Object.keys(REGISTRATION_STATE_LABEL) as RegistrationState[]).map((s): CellValue[] => [REGISTRATION_STATE_LABEL[s], count(s)]),
    ['已签到', regs.filter((r) => r.checkedInAt !== null).length],
    ['导出时间', chinaDateTime(input.exportedAt)],
    ['导出人', input.exportedBy],
    ['说明', '手机号按隐私要求做了掩码处理；时间均为北京时间'],
  ];
  return {
    sheets: [
      { name: '报名表', columns: sized(headers, rows), rows, header: true },
      { name: '汇总', columns: [{ header: '项目', kind: 'text', width: 16 }, { header: '内容', kind: 'text', width: 60 }], rows: summary, header: false },
    ],
    rows: rows.length,
  };
}
