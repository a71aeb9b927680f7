/**
 * The scoring rule, points 1–5 and 8 (DESIGN.md): judge totals, trimming, exactness, ranking,
 * normalisation, the spread alert. Every expected figure is worked by hand in a comment.
 */
import type { FinalScore, Results, Rubric, ScoringSettings } from '../../miniprogram/core/rules/scoring';
import { computeResults, judgeTotal, scoringSettings, validateSettings } from '../../miniprogram/core/rules/scoring';

/** One criterion out of 100, weight 1: a judge's total is the score itself (half-points). */
const POINTS: Rubric = { criteria: [{ id: 'q', name: '总分', weight: 1, max: 100 }] };

/** 内容 50%, 表达 30%, 创意 20%, each out of 10. */
const ESSAY: Rubric = {
  criteria: [
    { id: 'content', name: '内容', weight: 50, max: 10 },
    { id: 'style', name: '表达', weight: 30, max: 10 },
    { id: 'idea', name: '创意', weight: 20, max: 10 },
  ],
};

const on = (judgeId: string, entryId: string, q: number): FinalScore => ({ judgeId, entryId, scores: { q } });

/** Entries with their POINTS totals from judges j1, j2… in order. */
function sheet(totals: Record<string, number[]>): { entryIds: string[]; scores: FinalScore[] } {
  const scores: FinalScore[] = [];
  for (const [entryId, ts] of Object.entries(totals)) ts.forEach((t, j) => scores.push(on(`j${j + 1}`, entryId, t)));
  return { entryIds: Object.keys(totals), scores };
}

function results(input: { rubric?: Rubric; entryIds: string[]; scores: FinalScore[]; settings?: Partial<ScoringSettings> }): Results {
  const r = computeResults({ rubric: input.rubric ?? POINTS, settings: scoringSettings(input.settings), entryIds: input.entryIds, scores: input.scores });
  if (!r.ok) throw new Error(`${r.field}: ${r.message}`);
  return r.data;
}

const entry = (r: Results, id: string) => {
  const e = r.entries.find((x) => x.entryId === id);
  if (!e) throw new Error(`no ${id}`);
  return e;
};
const scoreOf = (r: Results, id: string) => entry(r, id).placing?.score.text;

describe('rule 1: a judge’s total', () => {
  it('weighs the criteria and accepts half points (50/30/20 out of 10)', () => {
    // 100 × (50×8.5 + 30×7 + 20×9.5) / (50×10 + 30×10 + 20×10) = 100 × (425 + 210 + 190) / 1000 = 82.5
    const t = judgeTotal(ESSAY, { content: 8.5, style: 7, idea: 9.5 });
    expect(t).toEqual({ ok: true, data: { exact: { num: 165, den: 2 }, rounded: { text: '82.50', value: 82.5 } } });
  });

  it('keeps a total that is not a finite decimal exact and only shows it to 2 decimals', () => {
    // Maxima 10/10/5: Σ w·max = 500 + 300 + 100 = 900; 9, 8.5, 4.5 → 450 + 255 + 90 = 795.
    // 100 × 795 / 900 = 265/3 = 88.333… → "88.33".
    const rubric: Rubric = { criteria: ESSAY.criteria.map((c) => (c.id === 'idea' ? { ...c, max: 5 } : c)) };
    const t = judgeTotal(rubric, { content: 9, style: 8.5, idea: 4.5 });
    expect(t.ok && t.data).toEqual({ exact: { num: 265, den: 3 }, rounded: { text: '88.33', value: 88.33 } });
  });

  it('gives 0 and 100 at the ends of the scale', () => {
    const zero = judgeTotal(ESSAY, { content: 0, style: 0, idea: 0 });
    const full = judgeTotal(ESSAY, { content: 10, style: 10, idea: 10 });
    expect(zero.ok && zero.data.rounded.text).toBe('0.00');
    expect(full.ok && full.data).toEqual({ exact: { num: 100, den: 1 }, rounded: { text: '100.00', value: 100 } });
  });

  it.each([
    [{ content: 10.5, style: 7, idea: 9 }, 'out-of-range', 'scores.content'],
    [{ content: -0.5, style: 7, idea: 9 }, 'out-of-range', 'scores.content'],
    [{ content: 8, style: 7.3, idea: 9 }, 'not-half-point', 'scores.style'],
    [{ content: 8, style: 7, idea: Number.NaN }, 'not-a-number', 'scores.idea'],
    [{ content: 8, style: 7 }, 'missing-score', 'scores.idea'],
    [{ content: 8, style: 7, idea: 9, bonus: 1 }, 'unknown-criterion', 'scores.bonus'],
  ])('refuses %j with a typed error (%s) instead of throwing', (scores, problem, field) => {
    const t = judgeTotal(ESSAY, scores as Record<string, number>);
    expect(t).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD', problem, field });
    expect(!t.ok && t.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('refuses a rubric with a fractional weight or a maximum that is not a half-point', () => {
    expect(judgeTotal({ criteria: [{ id: 'a', name: 'A', weight: 1.5, max: 10 }] }, { a: 1 })).toMatchObject({ ok: false, problem: 'rubric', field: 'rubric.criteria[0].weight' });
    expect(judgeTotal({ criteria: [{ id: 'a', name: 'A', weight: 1, max: 7.25 }] }, { a: 1 })).toMatchObject({ ok: false, problem: 'rubric', field: 'rubric.criteria[0].max' });
  });
});

describe('rule 3: trimming', () => {
  it('drops one highest and one lowest of 7 totals (N = 5) and averages the other 5', () => {
    // 80, 83.5, 78, 91, 79.5, 85, 72: drop 91 and 72 → (80 + 83.5 + 78 + 79.5 + 85) / 5 = 406 / 5 = 81.2.
    // Untrimmed: 569 / 7 = 81.2857… → 81.29. Spread 91 − 72 = 19.
    const r = results(sheet({ a: [80, 83.5, 78, 91, 79.5, 85, 72] }));
    const s = entry(r, 'a').placing!;
    expect(s).toMatchObject({ judgeCount: 7, trimmed: true, score: { text: '81.20', value: 81.2 }, mean: { text: '81.29' }, spread: { text: '19.00' }, recheck: false });
    expect(s.exact).toEqual({ score: { num: 406, den: 5 }, mean: { num: 569, den: 7 } });
  });

  it('trims at exactly N = 5 totals', () => {
    // 80, 83.5, 91, 72, 78: drop 91 and 72 → (80 + 83.5 + 78) / 3 = 241.5 / 3 = 80.5.
    const r = results(sheet({ a: [80, 83.5, 91, 72, 78] }));
    expect(entry(r, 'a').placing).toMatchObject({ trimmed: true, score: { text: '80.50' } });
  });

  it('averages all totals below N (4 judges)', () => {
    // (80 + 83.5 + 91 + 72) / 4 = 326.5 / 4 = 81.625 → half up → 81.63; score = untrimmed mean.
    const r = results(sheet({ a: [80, 83.5, 91, 72] }));
    expect(entry(r, 'a').placing).toMatchObject({ trimmed: false, judgeCount: 4, score: { text: '81.63' }, mean: { text: '81.63' } });
  });

  it('follows a competition’s own N', () => {
    // trimAt 8: 7 totals are all kept → 569 / 7 = 81.29.
    const r = results({ ...sheet({ a: [80, 83.5, 78, 91, 79.5, 85, 72] }), settings: { trimAt: 8 } });
    expect(entry(r, 'a').placing).toMatchObject({ trimmed: false, score: { text: '81.29' } });
  });
});

describe('rule 4: exactness', () => {
  // 内容 50 /10, 表达 30 /10, 创意 20 /5: Σ w·max = 900, so a total is (Σ w·s) / 9, rarely a finite decimal.
  const MIXED: Rubric = { criteria: ESSAY.criteria.map((c) => (c.id === 'idea' ? { ...c, max: 5 } : c)) };
  const s = (judgeId: string, entryId: string, content: number, style: number, idea: number): FinalScore => ({ judgeId, entryId, scores: { content, style, idea } });

  it('ties two entries at exactly 90 where floating point gives 89.99999999999999 and 90', () => {
    // a: Σ w·s = 300+300+100 = 700, 375+300+100 = 775, 500+300+80 = 880, 500+285+100 = 885 → totals 700/9, 775/9, 880/9, 885/9;
    //    sum 3240/9 = 360, mean of 4 (below N) = 90 exactly.
    // b: four times 450+270+90 = 810 → 810/9 = 90 each → 90.
    const scores = [
      s('j1', 'a', 6, 10, 5),
      s('j2', 'a', 7.5, 10, 5),
      s('j3', 'a', 10, 10, 4),
      s('j4', 'a', 10, 9.5, 5),
      ...['j1', 'j2', 'j3', 'j4'].map((j) => s(j, 'b', 9, 9, 4.5)),
    ];
    // The naive float pipeline really does split them (this is what the rule guards against):
    const naive = (ws: number[]) => ws.reduce((x, w) => x + (100 * w) / 900, 0) / ws.length;
    expect(naive([700, 775, 880, 885])).toBe(89.99999999999999);
    expect(naive([810, 810, 810, 810])).toBe(90);

    const r = results({ rubric: MIXED, entryIds: ['a', 'b'], scores });
    expect(entry(r, 'a').placing!.exact!.score).toEqual({ num: 90, den: 1 });
    expect(entry(r, 'a').placing!.score).toEqual({ text: '90.00', value: 90 });
    expect(entry(r, 'b').placing!.score).toEqual({ text: '90.00', value: 90 });
    expect(r.entries.map((e) => [e.entryId, e.rank])).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
  });

  it('rounds an exact x.xx5 half up (85.625 → 85.63) where floating point lands on 85.62 in any order', () => {
    // 内容 4 /15, 表达 3 /10, 创意 3 /10: Σ w·max = 60 + 30 + 30 = 120.
    // Σ w·s: 40 + 25.5 + 30 = 95.5; 42 + 27 + 30 = 99; 40 + 30 + 30 = 100; 58 + 28.5 + 30 = 116.5 (sum 411).
    // Totals 955/12, 82.5, 250/3, 1165/12; sum 4110/12 = 342.5; mean of 4 (below N) = 85.625 → half up → 85.63.
    const rubric: Rubric = {
      criteria: [
        { id: 'content', name: '内容', weight: 4, max: 15 },
        { id: 'style', name: '表达', weight: 3, max: 10 },
        { id: 'idea', name: '创意', weight: 3, max: 10 },
      ],
    };
    const scores = [s('j1', 'a', 10, 8.5, 10), s('j2', 'a', 10.5, 9, 10), s('j3', 'a', 10, 10, 10), s('j4', 'a', 14.5, 9.5, 10)];
    // Summing the float totals, in the given order or sorted either way, gives 85.62499999999999 or so.
    const naive = (ws: number[]) => Math.round((ws.reduce((x, w) => x + (100 * w) / 120, 0) / 4) * 100) / 100;
    for (const ws of [[95.5, 99, 100, 116.5], [116.5, 100, 99, 95.5], [95.5, 116.5, 99, 100]]) expect(naive(ws)).toBe(85.62);

    const r = results({ rubric, entryIds: ['a'], scores });
    expect(entry(r, 'a').placing!.exact!.score).toEqual({ num: 685, den: 8 });
    expect(entry(r, 'a').placing!.score).toEqual({ text: '85.63', value: 85.63 });
    // Shown per-judge totals are for information: their mean, (79.58 + 82.50 + 83.33 + 97.08) / 4 = 85.6225, is not the score.
    expect(entry(r, 'a').placing!.totals.map((t) => t.rounded.text)).toEqual(['79.58', '82.50', '83.33', '97.08']);
  });
});

describe('rule 5: ranking', () => {
  // 50/30/20 with each criterion out of 100: a total is (50·s₁ + 30·s₂ + 20·s₃) / 100, in steps of 0.05.
  const HUNDREDS: Rubric = { criteria: ESSAY.criteria.map((c) => ({ ...c, max: 100 })) };
  const t80: Record<string, number> = { content: 80, style: 80, idea: 80 }; // 80
  const t801: Record<string, number> = { content: 80, style: 80, idea: 80.5 }; // (4000 + 2400 + 1610) / 100 = 80.1
  const t90: Record<string, number> = { content: 90, style: 90, idea: 90 }; // 90
  const t70: Record<string, number> = { content: 70, style: 70, idea: 70 }; // 70
  const give = (entryId: string, ...totals: Record<string, number>[]): FinalScore[] => totals.map((scores, j) => ({ judgeId: `j${j + 1}`, entryId, scores }));

  it('ranks 1, 2, 2, 4 and breaks a 2-decimal tie by the untrimmed mean, not by hidden decimals', () => {
    // a: 80, 80, 80.1 → 240.1 / 3 = 80.0333… → 80.03 (mean the same).
    // b: 80, 80, 80, 80.1, 80, 90 (6 ≥ N): drop an 80 and the 90 → 320.1 / 4 = 80.025 → half up → 80.03;
    //    untrimmed 490.1 / 6 = 81.683… → 81.68.
    // a's exact score is higher (80.0333 > 80.025) but both show 80.03, so the untrimmed mean decides: b first.
    // c: the same totals as a → 80.03 / 80.03: tied with a (并列 2nd).
    // d: 70 × 3 → 70.00: 4th, as in sport (1, 2, 2, 4).
    const scores = [
      ...give('a', t80, t80, t801),
      ...give('b', t80, t80, t80, t801, t80, t90),
      ...give('c', t801, t80, t80),
      ...give('d', t70, t70, t70),
    ];
    const r = results({ rubric: HUNDREDS, entryIds: ['d', 'c', 'b', 'a'], scores });
    expect(r.entries.map((e) => [e.entryId, e.rank, e.placing!.score.text, e.placing!.mean.text])).toEqual([
      ['b', 1, '80.03', '81.68'],
      ['a', 2, '80.03', '80.03'],
      ['c', 2, '80.03', '80.03'],
      ['d', 4, '70.00', '70.00'],
    ]);
    expect(entry(r, 'b').placing!.exact!.score).toEqual({ num: 3201, den: 40 });
    expect(entry(r, 'a').placing!.exact!.score).toEqual({ num: 2401, den: 30 });
  });

  it('lists entries without any score last, unranked, and warns', () => {
    const r = results({ entryIds: ['x', 'a'], scores: [on('j1', 'a', 60)] });
    expect(r.entries.map((e) => [e.entryId, e.rank, e.placing])).toEqual([
      ['a', 1, expect.anything()],
      ['x', null, null],
    ]);
    expect(r.warnings).toContainEqual(expect.objectContaining({ kind: 'unscored', round: 1, entryIds: ['x'] }));
  });

  it('ignores scores for entries that are not participants, and refuses two scores by one judge for one entry', () => {
    const r = results({ entryIds: ['a'], scores: [on('j1', 'a', 60), on('j1', 'gone', 90)] });
    expect(r.warnings).toContainEqual(expect.objectContaining({ kind: 'ignored-scores', reason: 'not-participant', count: 1 }));
    const dup = computeResults({ rubric: POINTS, settings: scoringSettings(), entryIds: ['a'], scores: [on('j1', 'a', 60), on('j1', 'a', 70)] });
    expect(dup).toMatchObject({ ok: false, problem: 'duplicate-score', field: 'scores[1]' });
  });

  it('refuses an invalid stored score rather than publishing results around it', () => {
    const r = computeResults({ rubric: POINTS, settings: scoringSettings(), entryIds: ['a'], scores: [on('j1', 'a', 60.2)] });
    expect(r).toMatchObject({ ok: false, problem: 'not-half-point', field: 'scores[0].scores.q' });
  });
});

describe('rule 2: normalisation', () => {
  it('maps each judge’s z-scores onto the mean and sd of all totals; a judge with < 3 totals stays raw', () => {
    // A: e1 64, e2 64, e3 52, e4 52 → mean 58, population sd √(4×36/4) = 6; z = +1, +1, −1, −1.
    // B: e1 48, e2 36, e3 48, e4 36 → mean 42, sd 6;                      z = +1, −1, +1, −1.
    // C: e1 60, e2 40 → only 2 totals: left raw.
    // All 10 totals: sum 500 → mean 50; squared deviations 4×196 + 4×4 + 2×100 = 1000 → sd √(1000/10) = 10.
    // Normalised = 50 + 10·z: A → 60, 60, 40, 40; B → 60, 40, 60, 40.
    // e1: 60, 60, 60 (C raw) → 60.00.   e2: 60, 40, 40 → 140/3 = 46.666… → 46.67.
    // e3: 40, 60 → 50.00.               e4: 40, 40 → 40.00.
    // The spread stays raw: e2 64 − 36 = 28 > 20 → 复核 (its normalised totals span only 20).
    const scores = [
      on('A', 'e1', 64), on('A', 'e2', 64), on('A', 'e3', 52), on('A', 'e4', 52),
      on('B', 'e1', 48), on('B', 'e2', 36), on('B', 'e3', 48), on('B', 'e4', 36),
      on('C', 'e1', 60), on('C', 'e2', 40),
    ];
    const r = results({ entryIds: ['e1', 'e2', 'e3', 'e4'], scores, settings: { normalise: true } });
    expect(r.entries.map((e) => [e.entryId, e.rank, e.placing!.score.text])).toEqual([
      ['e1', 1, '60.00'],
      ['e3', 2, '50.00'],
      ['e2', 3, '46.67'],
      ['e4', 4, '40.00'],
    ]);
    const e1 = entry(r, 'e1').placing!;
    expect(e1.totals.map((t) => [t.judgeId, t.rounded.text, t.normalised])).toEqual([
      ['A', '64.00', 60],
      ['B', '48.00', 60],
      ['C', '60.00', null],
    ]);
    expect(e1.exact).toBeNull();
    expect(entry(r, 'e2').placing).toMatchObject({ spread: { text: '28.00' }, recheck: true });
    expect(r.rounds[0]!.normalisation).toEqual({
      mean: 50,
      sd: 10,
      judges: [
        { judgeId: 'A', count: 4, mean: 58, sd: 6, raw: false },
        { judgeId: 'B', count: 4, mean: 42, sd: 6, raw: false },
        { judgeId: 'C', count: 2, mean: 50, sd: 10, raw: true },
      ],
    });
    expect(r.warnings).toContainEqual(expect.objectContaining({ kind: 'raw-judges', judgeIds: ['C'] }));
  });

  it('leaves a judge whose totals are all equal (sd = 0) raw, and does not round normalised totals before the end', () => {
    // D: f1, f2, f3 all 70 → sd 0 → raw.  E: g1 50, g2 60, g3 70 → mean 60, sd √(200/3).
    // All 6 totals: mean 390/6 = 65; squared deviations 3×25 + 225 + 25 + 25 = 350 → sd_all = √(350/6).
    // E's z = ∓√(3/2), 0; sd_all·√(3/2) = √(350/4) = √87.5 = 9.35414…
    // g1 = 65 − 9.35414 = 55.64586 → 55.65; g2 = 65.00; g3 = 74.35414 → 74.35. f1..f3 = 70.00 (raw).
    const scores = [on('D', 'f1', 70), on('D', 'f2', 70), on('D', 'f3', 70), on('E', 'g1', 50), on('E', 'g2', 60), on('E', 'g3', 70)];
    const r = results({ entryIds: ['f1', 'f2', 'f3', 'g1', 'g2', 'g3'], scores, settings: { normalise: true } });
    expect(Object.fromEntries(r.entries.map((e) => [e.entryId, e.placing!.score.text]))).toEqual({
      f1: '70.00', f2: '70.00', f3: '70.00', g1: '55.65', g2: '65.00', g3: '74.35',
    });
    expect(entry(r, 'f1').placing!.totals[0]!.normalised).toBeNull();
    expect(entry(r, 'g1').placing!.totals[0]!.normalised).toBeCloseTo(65 - Math.sqrt(87.5), 12);
    expect(r.rounds[0]!.normalisation!.judges.find((j) => j.judgeId === 'D')).toMatchObject({ sd: 0, raw: true });
    // g3 then the three 70s: 74.35 > 70.00 = 70.00 = 70.00 > 65.00 > 55.65.
    expect(r.entries.map((e) => e.rank)).toEqual([1, 2, 2, 2, 5, 6]);
  });

  it('trims on the normalised totals when an entry has N or more', () => {
    // Five judges, each giving two entries 60 + cⱼ and two 40 + cⱼ, with cⱼ = −10, −5, 0, 5, 10:
    // every judge has sd 10, so z = ±1. All 20 totals: mean 50, variance 100 (within) + 50 (the
    // shifts' variance) = 150. Normalised: H = 50 + √150 = 62.247…, L = 50 − √150 = 37.752….
    //        J1 J2 J3 J4 J5
    //   e1:  +  +  −  −  −   → H H L L L: drop one H, one L → (H + 2L)/3 = 50 − √150/3 = 45.917 → 45.92;
    //                          untrimmed (2H + 3L)/5 = 50 − √150/5 = 47.551 → 47.55
    //   e2:  +  −  +  +  −   → H H H L L: (2H + L)/3 = 54.082 → 54.08; untrimmed 52.449 → 52.45
    //   e3:  −  +  +  −  +   → as e2
    //   e4:  −  −  −  +  +   → as e1
    // Ranks: e2 = e3 = 1, e1 = e4 = 3. (Raw, e1 would be 50, 55, 40, 45, 50 → 48.33.)
    const c = [-10, -5, 0, 5, 10];
    const signs: Record<string, number[]> = { e1: [1, 1, -1, -1, -1], e2: [1, -1, 1, 1, -1], e3: [-1, 1, 1, -1, 1], e4: [-1, -1, -1, 1, 1] };
    const scores = Object.entries(signs).flatMap(([id, zs]) => zs.map((z, j) => on(`J${j + 1}`, id, 50 + 10 * z + c[j]!)));
    const r = results({ entryIds: Object.keys(signs), scores, settings: { normalise: true } });
    expect(r.entries.map((e) => [e.entryId, e.rank, e.placing!.trimmed, e.placing!.score.text, e.placing!.mean.text])).toEqual([
      ['e2', 1, true, '54.08', '52.45'],
      ['e3', 1, true, '54.08', '52.45'],
      ['e1', 3, true, '45.92', '47.55'],
      ['e4', 3, true, '45.92', '47.55'],
    ]);
    expect(r.rounds[0]!.normalisation!.sd).toBeCloseTo(Math.sqrt(150), 12);
  });

  it('is off by default: the same scores rank on raw totals', () => {
    // e1 (64 + 48 + 60)/3 = 57.33; e2 (64 + 36 + 40)/3 = 46.67; e3 (52 + 48)/2 = 50; e4 (52 + 36)/2 = 44.
    const scores = [on('A', 'e1', 64), on('A', 'e2', 64), on('A', 'e3', 52), on('A', 'e4', 52), on('B', 'e1', 48), on('B', 'e2', 36), on('B', 'e3', 48), on('B', 'e4', 36), on('C', 'e1', 60), on('C', 'e2', 40)];
    const r = results({ entryIds: ['e1', 'e2', 'e3', 'e4'], scores });
    expect(r.entries.map((e) => [e.entryId, scoreOf(r, e.entryId)])).toEqual([
      ['e1', '57.33'],
      ['e3', '50.00'],
      ['e2', '46.67'],
      ['e4', '44.00'],
    ]);
    expect(r.rounds[0]!.normalisation).toBeNull();
  });
});

describe('rule 8: the spread alert', () => {
  it('flags a spread above the threshold, not one exactly at it', () => {
    // at: 90 − 70 = 20 (not > 20) → no 复核.  above: 90.5 − 70 = 20.5 > 20 → 复核.
    const r = results(sheet({ at: [70, 80, 90], above: [70, 80, 90.5] }));
    expect(entry(r, 'at').placing).toMatchObject({ spread: { text: '20.00' }, recheck: false });
    expect(entry(r, 'above').placing).toMatchObject({ spread: { text: '20.50' }, recheck: true });
    expect(entry(r, 'above').placing!.spreadExact).toEqual({ num: 41, den: 2 });
    expect(r.warnings).toContainEqual(expect.objectContaining({ kind: 'recheck', round: 1, entryIds: ['above'] }));
  });

  it('uses the competition’s threshold', () => {
    const r = results({ ...sheet({ a: [70, 85.5] }), settings: { spreadThreshold: 15.5 } });
    expect(entry(r, 'a').placing!.recheck).toBe(false); // 15.5 is not > 15.5
  });
});

describe('settings', () => {
  it('defaults to the design’s numbers', () => {
    expect(scoringSettings()).toEqual({ normalise: false, trimAt: 5, spreadThreshold: 20, tiers: [], capShare: { num: 1, den: 3 }, capOverride: null });
  });

  it.each([
    [{ trimAt: 2 }, 'settings.trimAt'],
    [{ spreadThreshold: 20.001 }, 'settings.spreadThreshold'],
    [{ tiers: [{ id: 't', name: '一等奖', count: 1, share: { num: 1, den: 10 } }] }, 'settings.tiers[0]'],
    [{ tiers: [{ id: 't', name: '一等奖', share: { num: 2, den: 1 } }] }, 'settings.tiers[0].share'],
    [{ capOverride: -1 }, 'settings.capOverride'],
  ])('refuses %j', (over, field) => {
    expect(validateSettings(scoringSettings(over as Partial<ScoringSettings>))).toMatchObject({ ok: false, problem: 'settings', field });
  });
});
