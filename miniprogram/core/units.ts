/**
 * Importing 基层工会 (units) from a CSV: the rules, pure. A file is a table of 名称,分组[,排序]
 * (a header row optional; with one, the columns may come in any order and 排序 may be left out).
 * Every row is judged first; one refused row refuses the whole file. A unit whose name exists is
 * updated (its group, and its order when the row gives one), a new name is created, nothing is
 * deleted: importing the same file twice changes nothing the second time.
 */

/** The standard groups (the district's 街道 / 园区 / 局属). Groups already in use are known too. */
export const UNIT_GROUPS: readonly string[] = ['街道', '园区', '局属'];

/** The same bounds as `units.save`'s payload (a test keeps them together). */
export const UNIT_RULES = { nameMin: 2, nameMax: 40, groupMax: 20, orderMax: 9999 } as const;

/** At most this many units in all: `units.list` reads them in one get (LIMITS.dbMaxPerGet). */
export const UNITS_MAX = 1000;

/** A file bigger than this is refused before parsing (1,000 rows of 40 characters are far less). */
export const UNIT_IMPORT_MAX_BYTES = 256 * 1024;

export type UnitImportAction = 'create' | 'update' | 'unchanged';

export interface UnitImportRow {
  /** The line in the file (the header is line 1 when there is one). */
  line: number;
  name: string;
  group: string;
  /** The place in the picker the unit will have; null on a refused row. */
  order: number | null;
  /** What importing does with the row; null on a refused row. */
  action: UnitImportAction | null;
  /** Why the row is refused (Chinese, for staff), or null. */
  problem: string | null;
}

export interface UnitImportReport {
  rows: UnitImportRow[];
  accepted: number;
  refused: number;
  created: number;
  updated: number;
  unchanged: number;
  /** False on a dry run, or when any row was refused: then nothing was written. */
  applied: boolean;
  /** The groups a row may name. */
  groups: string[];
}

/** An existing unit, as the planner needs it. */
export interface ExistingUnit {
  id: string;
  name: string;
  group: string;
  order: number;
}

/** One write the import makes: `id` null for a new unit (the server gives it its id). */
export interface UnitWrite {
  id: string | null;
  name: string;
  group: string;
  order: number;
}

export type UnitImportPlan = { ok: true; report: UnitImportReport; writes: UnitWrite[] } | { ok: false; problem: string };

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f\u2028\u2029]/;
const HEADER = new Map<string, 'name' | 'group' | 'order'>([
  ['名称', 'name'],
  ['单位名称', 'name'],
  ['工会名称', 'name'],
  ['分组', 'group'],
  ['所属', 'group'],
  ['排序', 'order'],
]);

/** Surrounding spaces, the full-width one included. */
const clean = (s: string): string => s.replace(/^[\s\u3000]+|[\s\u3000]+$/g, '');
const chars = (s: string): number => [...s].length;

/**
 * Why a downloaded file's text is not a CSV to import, or null: a binary (an .xlsx, a picture)
 * has NUL bytes; a CSV saved in GBK (Excel's plain "CSV" on Chinese Windows) decodes with
 * replacement characters.
 */
export function csvTextProblem(text: string): string | null {
  if (text.startsWith('PK') || text.includes('\u0000')) return '请上传 CSV 文本文件：在 Excel 中“另存为 CSV UTF-8（逗号分隔）”';
  if (text.includes('\uFFFD')) return '文件不是 UTF-8 编码：请在 Excel 中“另存为 CSV UTF-8（逗号分隔）”后重新上传';
  return null;
}

/** The groups a row may name: the standard ones, then those existing units use. */
export function knownGroups(existing: readonly ExistingUnit[]): string[] {
  return [...new Set([...UNIT_GROUPS, ...existing.map((u) => u.group)])];
}

function nameProblem(name: string): string | null {
  if (!name) return '名称为空';
  if (CONTROL.test(name)) return '名称不能包含换行或特殊字符';
  const n = chars(name);
  if (n < UNIT_RULES.nameMin) return `名称太短（至少 ${UNIT_RULES.nameMin} 个字）`;
  if (n > UNIT_RULES.nameMax) return `名称太长（最多 ${UNIT_RULES.nameMax} 个字，现有 ${n} 个字）`;
  return null;
}

function groupProblem(group: string, groups: Set<string>, list: string[]): string | null {
  if (!group) return '分组为空';
  if (CONTROL.test(group)) return '分组不能包含换行或特殊字符';
  if (chars(group) > UNIT_RULES.groupMax) return `分组太长（最多 ${UNIT_RULES.groupMax} 个字）`;
  if (!groups.has(group)) {
    const shown = list.length > 8 ? `${list.slice(0, 8).join('、')} 等` : list.join('、');
    return `没有「${group}」这个分组（可用：${shown}）`;
  }
  return null;
}

/**
 * Judges a parsed CSV (see parseCsv) against the units there are now. A problem with the file as a
 * whole (empty, an unknown header, too many units) answers `ok: false`; otherwise the report lists
 * every row, and `writes` what importing it would write (nothing when a row is refused).
 */
export function planUnitImport(table: readonly (readonly string[])[], existing: readonly ExistingUnit[]): UnitImportPlan {
  if (table.length === 0) return { ok: false, problem: '文件是空的' };
  const first = table[0]!.map(clean);
  const hasHeader = first.some((c) => HEADER.has(c));
  let columns: ('name' | 'group' | 'order' | null)[] = ['name', 'group', 'order'];
  if (hasHeader) {
    const unknown = first.filter((c) => c !== '' && !HEADER.has(c));
    if (unknown.length) return { ok: false, problem: `表头「${unknown[0]}」无法识别：表头应为 名称,分组,排序（排序可省略）` };
    columns = first.map((c) => HEADER.get(c) ?? null);
    const twice = columns.find((c, i) => c !== null && columns.indexOf(c) !== i);
    if (twice) return { ok: false, problem: '表头中有重复的列' };
    if (!columns.includes('name') || !columns.includes('group')) return { ok: false, problem: '表头缺少「名称」或「分组」列' };
  }
  const body = hasHeader ? table.slice(1) : table;
  if (body.length === 0) return { ok: false, problem: '文件中没有基层工会（只有表头）' };
  if (body.length > UNITS_MAX) return { ok: false, problem: `一次最多导入 ${UNITS_MAX} 行` };

  const byName = new Map(existing.map((u) => [u.name, u]));
  const groupList = knownGroups(existing);
  const groups = new Set(groupList);
  const firstLine = new Map<string, number>();
  let fresh = 0;
  const parsed = body.map((cells, i) => {
    const line = i + (hasHeader ? 2 : 1);
    const get = (k: 'name' | 'group' | 'order'): string => {
      const at = columns.indexOf(k);
      return at < 0 ? '' : clean(cells[at] ?? '');
    };
    const name = get('name');
    const group = get('group');
    const orderText = get('order');
    let problem: string | null = null;
    const extra = cells.some((c, i) => (i >= columns.length || columns[i] === null) && clean(c) !== '');
    if (extra) problem = `多出了列：每行应为 ${hasHeader ? first.filter(Boolean).join(',') : '名称,分组,排序'}`;
    problem ??= nameProblem(name) ?? groupProblem(group, groups, groupList);
    if (!problem && orderText !== '' && !/^\d{1,4}$/.test(orderText)) problem = `排序应为 0–${UNIT_RULES.orderMax} 的整数`;
    if (!problem && firstLine.has(name)) problem = `与第 ${firstLine.get(name)!} 行的名称重复`;
    if (name && !firstLine.has(name)) firstLine.set(name, line);
    if (!problem && !byName.has(name)) fresh++;
    return { line, name, group, order: orderText === '' || problem ? null : Number(orderText), problem };
  });
  if (existing.length + fresh > UNITS_MAX) return { ok: false, problem: `基层工会最多 ${UNITS_MAX} 个：现有 ${existing.length} 个，文件新增 ${fresh} 个` };

  // New units without an order go after every unit there is and every order the file gives.
  let next = Math.max(-1, ...existing.map((u) => u.order), ...parsed.map((r) => r.order ?? -1)) + 1;
  const writes: UnitWrite[] = [];
  const rows: UnitImportRow[] = parsed.map((r) => {
    if (r.problem) return { line: r.line, name: r.name, group: r.group, order: null, action: null, problem: r.problem };
    const old = byName.get(r.name);
    const order = r.order ?? old?.order ?? Math.min(next++, UNIT_RULES.orderMax);
    const action: UnitImportAction = !old ? 'create' : old.group === r.group && old.order === order ? 'unchanged' : 'update';
    if (action !== 'unchanged') writes.push({ id: old?.id ?? null, name: r.name, group: r.group, order });
    return { line: r.line, name: r.name, group: r.group, order, action, problem: null };
  });
  const refused = rows.filter((r) => r.problem).length;
  const count = (a: UnitImportAction): number => rows.filter((r) => r.action === a).length;
  return {
    ok: true,
    report: { rows, accepted: rows.length - refused, refused, created: count('create'), updated: count('update'), unchanged: count('unchanged'), applied: false, groups: groupList },
    writes: refused ? [] : writes,
  };
}
