/**
 * The scoring rule, point 7: 复评 takes the top K of 初评 (all tied with the K-th too) and ranks
 * them by their 复评 scores above everyone else, who keep their 初评 order.
 */
import type { FinalScore, Results, ScoringSettings } from '../../miniprogram/core/rules/scoring';
import { computeResults, pickFinalists, scoringSettings } from '../../miniprogram/core/rules/scoring';

const POINTS = { criteria: [{ id: 'q', name: '总分', weight: 1, max: 100 }] };
const on = (judgeId: string, entryId: string, q: number): FinalScore => ({ judgeId, entryId, scores: { q } });

describe('rule 7: who goes into 复评', () => {
  const ranking = [
    { entryId: 'a', rank: 1 },
    { entryId: 'b', rank: 2 },
    { entryId: 'c', rank: 3 },
    { entryId: 'd', rank: 3 },
    { entryId: 'e', rank: 5 },
    { entryId: 'f', rank: null },
  ];

  it('carries over everyone tied with the K-th', () => {
    // K = 3: the 3rd is c at rank 3, d shares it → a, b, c, d.
    expect(pickFinalists(ranking, 3)).toEqual(['a', 'b', 'c', 'd']);
    // K = 4: the 4th is d, rank 3 → the same four.
    expect(pickFinalists(ranking, 4)).toEqual(['a', 'b', 'c', 'd']);
    expect(pickFinalists(ranking, 2)).toEqual(['a', 'b']);
  });

  it('never carries an unranked entry, even when K exceeds the ranked entries', () => {
    expect(pickFinalists(ranking, 9)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('carries a whole tie for first with K = 1', () => {
    expect(pickFinalists([{ entryId: 'x', rank: 1 }, { entryId: 'y', rank: 1 }, { entryId: 'z', rank: 3 }], 1)).toEqual(['x', 'y']);
  });
});

describe('rule 7: the final order', () => {
  // 初评 (one judge): a 90, b 85, c 80, d 80, e 75, f 70 → ranks 1, 2, 3, 3, 5, 6.
  const round1 = [on('j1', 'a', 90), on('j1', 'b', 85), on('j1', 'c', 80), on('j1', 'd', 80), on('j1', 'e', 75), on('j1', 'f', 70)];
  const entryIds = ['a', 'b', 'c', 'd', 'e', 'f'];

  function run(round2Scores: FinalScore[], settings: Partial<ScoringSettings>): Results {
    const r = computeResults({ rubric: POINTS, settings: scoringSettings(settings), entryIds, scores: round1, round2: { k: 3, scores: round2Scores } });
    if (!r.ok) throw new Error(`${r.field}: ${r.message}`);
    return r.data;
  }

  it('ranks the finalists by 复评 above the others, who keep their 初评 ranks', () => {
    // K = 3 with c and d tied 3rd → finalists a, b, c, d.
    // 复评 (judges r1, r2): a (80 + 80)/2 = 80; b (88 + 88)/2 = 88; c (92 + 90)/2 = 91; d (85 + 85)/2 = 85.
    // Final: c 1, b 2, d 3, a 4, then e 5 and f 6 from 初评.
    // Awards: 6 participants → cap 2; 一等奖 1, 二等奖 1 → c 一等奖, b 二等奖; a (first in 初评) nothing.
    // A 复评 score for e (not a finalist) is ignored, with a warning.
    const round2 = [
      on('r1', 'a', 80), on('r2', 'a', 80),
      on('r1', 'b', 88), on('r2', 'b', 88),
      on('r1', 'c', 92), on('r2', 'c', 90),
      on('r1', 'd', 85), on('r2', 'd', 85),
      on('r1', 'e', 99),
    ];
    const r = run(round2, { tiers: [{ id: 'first', name: '一等奖', count: 1 }, { id: 'second', name: '二等奖', count: 1 }] });
    expect(r.finalists).toEqual(['a', 'b', 'c', 'd']);
    expect(r.entries.map((e) => [e.entryId, e.rank, e.placedBy, e.placing?.score.text, e.award?.name ?? null])).toEqual([
      ['c', 1, 2, '91.00', '一等奖'],
      ['b', 2, 2, '88.00', '二等奖'],
      ['d', 3, 2, '85.00', null],
      ['a', 4, 2, '80.00', null],
      ['e', 5, 1, '75.00', null],
      ['f', 6, 1, '70.00', null],
    ]);
    // A finalist keeps its 初评 figures alongside.
    const a = r.entries.find((e) => e.entryId === 'a')!;
    expect([a.finalist, a.round1?.score.text, a.round2?.score.text]).toEqual([true, '90.00', '80.00']);
    expect(r.entries.find((e) => e.entryId === 'e')!.round2).toBeNull();
    expect(r.warnings).toContainEqual(expect.objectContaining({ kind: 'ignored-scores', round: 2, reason: 'not-finalist', count: 1 }));
    expect(r.rounds.map((x) => [x.round, x.scores, x.scored])).toEqual([
      [1, 6, 6],
      [2, 8, 4],
    ]);
  });

  it('leaves a finalist without 复评 scores unranked and awards nobody below it until it is scored', () => {
    // 复评: c 91, b 88, a 80; d none yet. Order: c 1, b 2, a 3, d (unranked), e 5, f 6.
    // Cap overridden to 4, tiers 1 / 1 / 2: c 一等, b 二等, a 三等; the second 三等奖 place is not given to e,
    // which may yet fall below d.
    const round2 = [on('r1', 'a', 80), on('r1', 'b', 88), on('r1', 'c', 91)];
    const r = run(round2, {
      capOverride: 4,
      tiers: [{ id: 'first', name: '一等奖', count: 1 }, { id: 'second', name: '二等奖', count: 1 }, { id: 'third', name: '三等奖', count: 2 }],
    });
    expect(r.entries.map((e) => [e.entryId, e.rank, e.award?.tierId ?? null])).toEqual([
      ['c', 1, 'first'],
      ['b', 2, 'second'],
      ['a', 3, 'third'],
      ['d', null, null],
      ['e', 5, null],
      ['f', 6, null],
    ]);
    expect(r.warnings).toContainEqual(expect.objectContaining({ kind: 'unscored', round: 2, entryIds: ['d'] }));
  });

  it('breaks a tie on the 复评 score by the untrimmed 复评 mean', () => {
    // 复评 with 5 judges (trimmed): a 70, 80, 80, 80, 95 → 80.00, mean 81.00; b 60, 80, 80, 80, 85 → 80.00, mean 77.00;
    // c 80 × 5 → 80.00, mean 80.00; d 79 × 5 → 79.00. Order a, c, b (each 80.00, by mean), then d.
    const five = (entryId: string, ts: number[]) => ts.map((t, i) => on(`r${i + 1}`, entryId, t));
    const round2 = [...five('a', [70, 80, 80, 80, 95]), ...five('b', [60, 80, 80, 80, 85]), ...five('c', [80, 80, 80, 80, 80]), ...five('d', [79, 79, 79, 79, 79])];
    const r = run(round2, {});
    expect(r.entries.map((e) => [e.entryId, e.rank, e.placing?.mean.text])).toEqual([
      ['a', 1, '81.00'],
      ['c', 2, '80.00'],
      ['b', 3, '77.00'],
      ['d', 4, '79.00'],
      ['e', 5, '75.00'],
      ['f', 6, '70.00'],
    ]);
  });

  it('refuses a K below 1', () => {
    const r = computeResults({ rubric: POINTS, settings: scoringSettings(), entryIds, scores: round1, round2: { k: 0, scores: [] } });
    expect(r).toMatchObject({ ok: false, field: 'round2.k' });
  });
});
