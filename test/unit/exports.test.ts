/**
 * The Excel exports as data (core/exports.ts): which columns and rows the results and
 * registrations workbooks have, phones always masked, China times, waitlist positions, 复评
 * columns when round-2 scores exist, and the rule sheet that lets staff check the figures by hand.
 */
import type { ResultRow } from '../../miniprogram/core/judging';
import {
  chinaDateTime,
  columnWidth,
  fileName,
  judgeLabels,
  registrationsWorkbook,
  resultsWorkbook,
  textWidth,
  type ExportRegistration,
  type ExportScore,
  type ResultsExportInput,
} from '../../miniprogram/core/exports';
import { scoringSettings, type Rubric } from '../../miniprogram/core/rules/scoring';
import { fromChina } from '../../miniprogram/core/time';

const RUBRIC: Rubric = {
  criteria: [
    { id: 'content', name: '内容', weight: 50, max: 10 },
    { id: 'style', name: '表达', weight: 30, max: 10 },
    { id: 'idea', name: '创意', weight: 20, max: 10 },
  ],
};
const AT = fromChina(2026, 6, 10, 9, 5);

const row = (entryId: string, code: string, over: Partial<ResultRow> = {}): ResultRow => ({
  entryId,
  code,
  rank: 1,
  award: '一等奖',
  score: '85.00',
  mean: '85.00',
  spread: '0.00',
  judges: 2,
  recheck: false,
  totals: [],
  ...over,
});

const score = (entryId: string, judgeId: string, s: [number, number, number], round: 1 | 2 = 1): ExportScore => ({
  entryId,
  judgeId,
  round,
  scores: { content: s[0], style: s[1], idea: s[2] },
});

function input(over: Partial<ResultsExportInput> = {}): ResultsExportInput {
  return {
    activityTitle: '职工征文比赛',
    trackName: '征文',
    rubric: RUBRIC,
    settings: scoringSettings({ tiers: [{ id: 'first', name: '一等奖', count: 1 }, { id: 'merit', name: '优秀奖', share: { num: 1, den: 10 } }] }),
    results: {
      state: 'preview',
      participants: 2,
      cap: 0,
      // e1: j1 (9, 8, 7) = 100 × (450 + 240 + 140) / 1000 = 83.00; j2 (8.5, 9, 10) = (425 + 270 + 200) / 10 = 89.50
      rows: [row('e1', 'ZW-2026-0001', { totals: ['83.00', '89.50'], score: '86.25', mean: '86.25', spread: '6.50' }), row('e2', 'ZW-2026-0002', { rank: 2, award: null, totals: ['70.00'], judges: 1, recheck: true })],
      warnings: ['有 1 件作品需复核'],
      missingScores: 1,
      computedAt: AT,
      publishedAt: null,
      finalAt: null,
      publishOverride: null,
    },
    judges: [
      { judgeId: 'u_j1', name: '赵敏' },
      { judgeId: 'u_j2', name: '' },
    ],
    scores: [score('e1', 'u_j1', [9, 8, 7]), score('e1', 'u_j2', [8.5, 9, 10]), score('e2', 'u_j1', [7, 7, 7])],
    authors: new Map([
      ['e1', { name: '李明', phone: '13857100001', unitName: '区人民医院工会', enterprise: '区人民医院' }],
      ['e2', { name: '王芳', phone: '13857100002', unitName: '临平街道总工会', enterprise: '' }],
    ]),
    exportedAt: AT,
    exportedBy: '陈晓',
    ...over,
  };
}

describe('the results workbook', () => {
  test('has a column per judge and criterion, each judge’s total, then the aggregate, in ranking order', () => {
    const book = resultsWorkbook(input());
    const [main] = book.sheets;
    expect(book.rows).toBe(2);
    expect(main!.columns.map((c) => c.header)).toEqual([
      '名次', '奖项', '作品编号', '作者', '手机号', '单位', '工作单位',
      '评委1 赵敏·内容', '评委1 赵敏·表达', '评委1 赵敏·创意', '评委1 赵敏·总分',
      '评委2·内容', '评委2·表达', '评委2·创意', '评委2·总分',
      '有效评分数', '最终得分', '平均分（未去分）', '极差', '需复核',
    ]);
    expect(main!.rows[0]).toEqual([1, '一等奖', 'ZW-2026-0001', '李明', '138****0001', '区人民医院工会', '区人民医院', 9, 8, 7, 83, 8.5, 9, 10, 89.5, 2, 86.25, 86.25, 6.5, '']);
    expect(main!.rows[1]).toEqual([2, '', 'ZW-2026-0002', '王芳', '138****0002', '临平街道总工会', '', 7, 7, 7, 70, null, null, null, null, 1, 85, 85, 0, '是']);
    expect(main!.highlight).toEqual([1]);
    expect(main!.header).toBe(true);
    expect(main!.columns.find((c) => c.header === '最终得分')?.kind).toBe('score');
  });

  test('never shows a phone unmasked, whatever it is given', () => {
    const text = JSON.stringify(resultsWorkbook(input()).sheets);
    expect(text).not.toContain('13857100001');
  });

  test('adds 初评 and 复评 columns when round-2 scores exist, each round with its own judges', () => {
    const scores = [...input().scores, score('e1', 'u_j3', [10, 10, 10], 2), score('e1', 'u_j1', [9, 9, 9], 2)];
    const rows = [row('e1', 'ZW-2026-0001', { totals: ['100.00', '90.00'], round: 2, finalist: true }), row('e2', 'ZW-2026-0002', { rank: 2, totals: ['70.00'], round: 1 })];
    const book = resultsWorkbook(input({ scores, results: { ...input().results, rows } }));
    const [main] = book.sheets;
    const headers = main!.columns.map((c) => c.header);
    expect(headers.filter((h) => h.endsWith('·总分'))).toEqual(['初评·评委1 赵敏·总分', '初评·评委2·总分', '复评·评委1 赵敏·总分', '复评·评委3·总分']);
    expect(main!.rows.map((x) => x[headers.indexOf('评定轮次')])).toEqual(['复评', '初评']);
    // Placed by their own round's totals: nothing reported as changed.
    expect(book.sheets[1]!.rows.find((x) => x[0] === '注意')).toBeUndefined();
    const r = main!.rows[0]!;
    expect(r[headers.indexOf('复评·评委3·总分')]).toBe(100);
    expect(r[headers.indexOf('复评·评委1 赵敏·内容')]).toBe(9);
    expect(resultsWorkbook(input({ scores })).sheets[1]!.rows.map((x) => x[0])).toContain('复评');
    expect(resultsWorkbook(input()).sheets[1]!.rows.map((x) => x[0])).not.toContain('复评');
  });

  test('explains the rule and its settings on a second sheet, and warns when scores changed after computing', () => {
    const [, rules] = resultsWorkbook(input()).sheets;
    expect(rules!.name).toBe('评分规则');
    expect(rules!.header).toBe(false);
    const lines = rules!.rows.map((r) => r.join('：'));
    expect(lines).toContain('内容：权重 50，满分 10');
    expect(lines).toContain('计算时间：2026-06-10 09:05');
    expect(lines).toContain('结果状态：预览（未发布）');
    expect(lines).toContain('优秀奖：参赛作品数 × 1/10，向下取整');
    expect(lines.find((l) => l.startsWith('评委总分'))).toContain('Σ(权重 × 满分) = 1000');
    expect(lines.find((l) => l.startsWith('去掉最高分和最低分'))).toContain('达到 5 份');
    expect(lines.find((l) => l.startsWith('注意'))).toBeUndefined();

    // j1 re-scored e1 after the results were computed.
    const changed = input({ scores: [score('e1', 'u_j1', [10, 10, 10]), score('e1', 'u_j2', [8.5, 9, 10]), score('e2', 'u_j1', [7, 7, 7])] });
    const [, again] = resultsWorkbook(changed).sheets;
    expect(again!.rows.map((r) => r.join('：')).find((l) => l.startsWith('注意'))).toContain('有 1 件作品');
  });

  test('names judges by seat, adding judges found only in the scores', () => {
    expect(judgeLabels([{ judgeId: 'a', name: '赵敏' }], [score('e1', 'z', [1, 1, 1]), score('e1', 'b', [1, 1, 1])])).toEqual([
      { judgeId: 'a', label: '评委1 赵敏' },
      { judgeId: 'b', label: '评委2' },
      { judgeId: 'z', label: '评委3' },
    ]);
  });
});

describe('the registrations workbook', () => {
  const reg = (over: Partial<ExportRegistration>): ExportRegistration => ({
    realName: '李明',
    phone: '13857100001',
    unitId: 'unit_a',
    state: 'confirmed',
    tracks: [],
    answers: [],
    seq: 1,
    reason: '',
    createdAt: AT,
    checkedInAt: null,
    ...over,
  });
  const base = {
    activityTitle: '讲座',
    questions: [
      { id: 'size', label: '尺码', type: 'choice' as const, required: true, options: ['M', 'L'] },
      { id: 'note', label: '备注', type: 'text' as const, required: false },
    ],
    tracks: new Map<string, string>(),
    unitNames: new Map([['unit_a', '临平街道总工会']]),
    exportedAt: AT,
    exportedBy: '陈晓',
  };

  test('lists registrations oldest first, with masked phones, Chinese states, answers and China times', () => {
    const book = registrationsWorkbook({
      ...base,
      registrations: [
        reg({ realName: '王芳', phone: '13857100002', createdAt: AT + 60_000, answers: [{ questionId: 'size', answer: 'L' }] }),
        // 16:30 UTC on 31 December is already 00:30 on 1 January in China.
        reg({ createdAt: Date.UTC(2025, 11, 31, 16, 30), checkedInAt: AT, answers: [{ questionId: 'note', answer: '素食' }, { questionId: 'size', answer: 'M' }] }),
      ],
    });
    const [main, summary] = book.sheets;
    expect(main!.columns.map((c) => c.header)).toEqual(['序号', '姓名', '手机号', '单位', '状态', '候补位次', '尺码', '备注', '报名时间', '签到时间', '审核意见']);
    expect(main!.rows).toEqual([
      [1, '李明', '138****0001', '临平街道总工会', '已报名', null, 'M', '素食', '2026-01-01 00:30', '2026-06-10 09:05', ''],
      [2, '王芳', '138****0002', '临平街道总工会', '已报名', null, 'L', '', '2026-06-10 09:06', '', ''],
    ]);
    expect(summary!.rows).toContainEqual(['报名总数', 2]);
    expect(summary!.rows).toContainEqual(['已签到', 1]);
  });

  test('numbers the waitlist by the order people asked, not by row', () => {
    const [main] = registrationsWorkbook({
      ...base,
      registrations: [reg({ realName: '甲', state: 'waitlisted', seq: 30, createdAt: AT }), reg({ realName: '乙', state: 'waitlisted', seq: 20, createdAt: AT + 1 }), reg({ realName: '丙', state: 'cancelled', seq: 10, createdAt: AT + 2 })],
    }).sheets;
    expect(main!.rows.map((r) => [r[1], r[4], r[5]])).toEqual([
      ['甲', '候补', 2],
      ['乙', '候补', 1],
      ['丙', '已取消', null],
    ]);
  });

  test('adds the tracks entered for a competition', () => {
    const [main] = registrationsWorkbook({ ...base, questions: [], tracks: new Map([['essay', '征文'], ['photo', '摄影']]), registrations: [reg({ tracks: ['essay', 'photo'] })] }).sheets;
    expect(main!.columns.map((c) => c.header)).toContain('报名赛道');
    expect(main!.rows[0]).toContain('征文、摄影');
  });
});

describe('helpers', () => {
  test('widths count Chinese characters double and stay within bounds', () => {
    expect(textWidth('ZW-2026-0001')).toBe(12);
    expect(textWidth('评委1 赵敏')).toBe(10);
    expect(columnWidth('名次', [1, 2, 3])).toBe(6);
    expect(columnWidth('作品编号', ['ZW-2026-0001'])).toBe(14);
    expect(columnWidth('备注', ['很长'.repeat(100)])).toBe(40);
  });

  test('China time and file names', () => {
    expect(chinaDateTime(null)).toBe('');
    expect(chinaDateTime(Date.UTC(2026, 0, 1, 0, 0))).toBe('2026-01-01 08:00');
    expect(fileName('“中国梦·劳动美” 征文/比赛', '征文', '评审结果')).toBe('“中国梦·劳动美”征文比赛-征文-评审结果.xlsx');
  });
});
