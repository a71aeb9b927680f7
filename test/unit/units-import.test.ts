/** 基层工会 import: parsing the CSV, judging each row, and what an import would write (core/units.ts). */
import { ACTIONS } from '../../miniprogram/core/actions';
import { parseCsv } from '../../miniprogram/core/staff';
import { csvTextProblem, knownGroups, planUnitImport, UNIT_RULES, UNITS_MAX, type ExistingUnit, type UnitImportPlan } from '../../miniprogram/core/units';

const EXISTING: ExistingUnit[] = [
  { id: 'unit_linping', name: '临平街道总工会', group: '街道', order: 0 },
  { id: 'unit_devzone', name: '经济技术开发区总工会', group: '园区', order: 4 },
  { id: 'unit_hospital', name: '区人民医院工会', group: '卫健系统', order: 5 },
];

function plan(csv: string, existing = EXISTING): UnitImportPlan {
  return planUnitImport(parseCsv(csv), existing);
}
function good(csv: string, existing = EXISTING) {
  const p = plan(csv, existing);
  if (!p.ok) throw new Error(p.problem);
  return p;
}
const problems = (csv: string) =>
  good(csv)
    .report.rows.filter((r) => r.problem)
    .map((r) => [r.line, r.problem]);

describe('reading the file', () => {
  test('reads a header row, quoted fields, a BOM and Windows line ends', () => {
    const p = good('\uFEFF名称,分组,排序\r\n"星桥街道总工会",街道,2\r\n"区""实验""小学工会",局属,\r\n');
    expect(p.report.rows.map((r) => [r.line, r.name, r.group])).toEqual([
      [2, '星桥街道总工会', '街道'],
      [3, '区"实验"小学工会', '局属'],
    ]);
  });

  test('takes the columns of a header in any order, 排序 left out', () => {
    const p = good('分组,名称\n街道,星桥街道总工会\n');
    expect(p.report.rows[0]).toMatchObject({ name: '星桥街道总工会', group: '街道', order: 6, action: 'create' });
  });

  test('reads a file without a header as 名称,分组,排序, counting lines from 1', () => {
    const p = good('星桥街道总工会,街道,7\n东湖街道总工会,街道\n');
    expect(p.report.rows.map((r) => [r.line, r.order])).toEqual([
      [1, 7],
      [2, 8],
    ]);
  });

  test('trims spaces, full-width ones too, and skips blank lines', () => {
    const p = good('名称,分组\n\u3000星桥街道总工会 , 街道 \n,,\n\n');
    expect(p.report.rows).toHaveLength(1);
    expect(p.report.rows[0]).toMatchObject({ name: '星桥街道总工会', group: '街道' });
  });

  test('refuses the whole file when it is empty, only a header, or has a header it cannot read', () => {
    expect(plan('')).toEqual({ ok: false, problem: '文件是空的' });
    expect(plan('名称,分组,排序\n')).toEqual({ ok: false, problem: '文件中没有基层工会（只有表头）' });
    expect(plan('名称,分组,负责人\n星桥街道总工会,街道,张三\n')).toEqual({ ok: false, problem: '表头「负责人」无法识别：表头应为 名称,分组,排序（排序可省略）' });
    expect(plan('名称,排序\n星桥街道总工会,1\n')).toEqual({ ok: false, problem: '表头缺少「名称」或「分组」列' });
    expect(plan('名称,名称,分组\na,b,c\n')).toEqual({ ok: false, problem: '表头中有重复的列' });
    expect(plan('名称,分组,toString\n星桥街道总工会,街道,1\n')).toEqual({ ok: false, problem: '表头「toString」无法识别：表头应为 名称,分组,排序（排序可省略）' });
  });

  test('ignores empty header cells, refusing a row with data under one', () => {
    expect(problems('名称,分组,,\n星桥街道总工会,街道,,\n东湖街道总工会,街道,,备注\n')).toEqual([[3, '多出了列：每行应为 名称,分组']]);
  });

  test('refuses more rows than one import takes, and more units than the list holds', () => {
    const rows = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `单位${from + i},街道`).join('\n');
    expect(plan(rows(UNITS_MAX + 1))).toEqual({ ok: false, problem: `一次最多导入 ${UNITS_MAX} 行` });
    expect(plan(rows(UNITS_MAX - 2))).toEqual({ ok: false, problem: `基层工会最多 ${UNITS_MAX} 个：现有 3 个，文件新增 ${UNITS_MAX - 2} 个` });
    expect(plan(rows(UNITS_MAX - 3)).ok).toBe(true);
  });

  test('tells an Excel workbook or a GBK file from a UTF-8 CSV', () => {
    expect(csvTextProblem('PK\u0003\u0004[Content_Types].xml')).toContain('请上传 CSV 文本文件');
    expect(csvTextProblem(Buffer.from([0xc3, 0xfb, 0xb3, 0xc6]).toString('utf8'))).toContain('文件不是 UTF-8 编码');
    expect(csvTextProblem('名称,分组\n星桥街道总工会,街道\n')).toBeNull();
  });
});

describe('judging each row', () => {
  test('refuses an empty name, a name too short or too long, and line breaks in it', () => {
    const long = '很'.repeat(UNIT_RULES.nameMax + 1);
    expect(problems(`名称,分组\n,街道\n甲,街道\n${long},街道\n"第一行\n第二行",街道\n`)).toEqual([
      [2, '名称为空'],
      [3, '名称太短（至少 2 个字）'],
      [4, `名称太长（最多 40 个字，现有 41 个字）`],
      [5, '名称不能包含换行或特殊字符'],
    ]);
  });

  test('refuses an empty, overlong or unknown group, naming the groups there are', () => {
    expect(problems(`名称,分组\n星桥街道总工会,\n东湖街道总工会,${'组'.repeat(21)}\n南苑街道总工会,街到\n`)).toEqual([
      [2, '分组为空'],
      [3, '分组太长（最多 20 个字）'],
      [4, '没有「街到」这个分组（可用：街道、园区、局属、卫健系统）'],
    ]);
  });

  test('knows the standard groups and those existing units use', () => {
    expect(knownGroups(EXISTING)).toEqual(['街道', '园区', '局属', '卫健系统']);
    expect(knownGroups([])).toEqual(['街道', '园区', '局属']);
  });

  test('refuses an order that is not a whole number from 0 to 9999', () => {
    expect(problems('名称,分组,排序\n甲乙工会,街道,-1\n丙丁工会,街道,1.5\n戊己工会,街道,10000\n庚辛工会,街道,第一\n')).toEqual([
      [2, '排序应为 0–9999 的整数'],
      [3, '排序应为 0–9999 的整数'],
      [4, '排序应为 0–9999 的整数'],
      [5, '排序应为 0–9999 的整数'],
    ]);
  });

  test('refuses a name given twice, pointing at the first, and extra columns', () => {
    expect(problems('名称,分组\n星桥街道总工会,街道\n星桥街道总工会,园区\n东湖街道总工会,街道,3,多余\n')).toEqual([
      [3, '与第 2 行的名称重复'],
      [4, '多出了列：每行应为 名称,分组'],
    ]);
  });

  test('one refused row: the report has every row, and nothing is to be written', () => {
    const p = good('名称,分组,排序\n星桥街道总工会,街道,2\n,街道,3\n');
    expect(p.report).toMatchObject({ accepted: 1, refused: 1, applied: false });
    expect(p.report.rows[0]).toMatchObject({ line: 2, action: 'create', problem: null });
    expect(p.report.rows[1]).toMatchObject({ line: 3, action: null, order: null, problem: '名称为空' });
    expect(p.writes).toEqual([]);
  });

  test('accepts whatever units.save accepts at the bounds, and refuses what it refuses', () => {
    const save = ACTIONS['units.save'].payload;
    const cases = [
      { name: '甲乙', group: '街道', order: 0 },
      { name: '很'.repeat(40), group: '街道', order: 9999 },
      { name: '甲', group: '街道', order: 0 },
      { name: '很'.repeat(41), group: '街道', order: 0 },
    ];
    for (const c of cases) {
      const p = good(`名称,分组,排序\n${c.name},${c.group},${c.order}\n`);
      expect(p.report.refused === 0).toBe(save.parse(c).ok);
    }
  });
});

describe('what an import writes', () => {
  test('creates new names, updates existing ones by their id, and leaves the rest alone', () => {
    const p = good('名称,分组,排序\n星桥街道总工会,街道,1\n经济技术开发区总工会,园区,2\n临平街道总工会,街道,0\n');
    expect(p.report.rows.map((r) => r.action)).toEqual(['create', 'update', 'unchanged']);
    expect(p.report).toMatchObject({ accepted: 3, refused: 0, created: 1, updated: 1, unchanged: 1 });
    expect(p.writes).toEqual([
      { id: null, name: '星桥街道总工会', group: '街道', order: 1 },
      { id: 'unit_devzone', name: '经济技术开发区总工会', group: '园区', order: 2 },
    ]);
  });

  test('keeps an existing unit’s order when the row gives none, and changes its group', () => {
    const p = good('名称,分组\n区人民医院工会,局属\n');
    expect(p.writes).toEqual([{ id: 'unit_hospital', name: '区人民医院工会', group: '局属', order: 5 }]);
  });

  test('puts new units without an order after every unit and every order in the file, in file order', () => {
    const p = good('名称,分组,排序\n星桥街道总工会,街道,\n东湖街道总工会,街道,20\n南苑街道总工会,街道\n');
    expect(p.writes.map((w) => [w.name, w.order])).toEqual([
      ['星桥街道总工会', 21],
      ['东湖街道总工会', 20],
      ['南苑街道总工会', 22],
    ]);
  });

  test('is idempotent: the file planned again against its own result writes nothing', () => {
    const csv = '名称,分组,排序\n星桥街道总工会,街道,\n经济技术开发区总工会,局属,\n区人民医院工会,卫健系统,1\n';
    const first = good(csv);
    const after: ExistingUnit[] = EXISTING.map((u) => ({ ...u }));
    for (const w of first.writes) {
      const old = after.find((u) => u.id === w.id);
      if (old) Object.assign(old, w);
      else after.push({ ...w, id: `new-${w.name}` });
    }
    const again = good(csv, after);
    expect(again.writes).toEqual([]);
    expect(again.report).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
  });
});
