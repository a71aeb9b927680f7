/**
 * A large track, 5,000 entries × 7 judges, checked for the rule's invariants rather than hand
 * values. No timing assertion here: the benchmark measures speed.
 */
import type { FinalScore, Rubric } from '../../miniprogram/core/rules/scoring';
import { computeResults, judgeTotal, scoringSettings } from '../../miniprogram/core/rules/scoring';

const ESSAY: Rubric = {
  criteria: [
    { id: 'content', name: '内容', weight: 50, max: 10 },
    { id: 'style', name: '表达', weight: 30, max: 10 },
    { id: 'idea', name: '创意', weight: 20, max: 5 },
  ],
};

/** A small deterministic generator (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function track(entries: number, judges: number, seed: number): { entryIds: string[]; scores: FinalScore[] } {
  const next = random(seed);
  // Scores cluster in 6–10 (and 3–5 for 创意) as real ones do, so ties are frequent.
  const half = (lo: number, hi: number) => lo + Math.floor(next() * ((hi - lo) * 2 + 1)) / 2;
  const entryIds = Array.from({ length: entries }, (_, i) => `ent_${i}`);
  const scores: FinalScore[] = [];
  for (const entryId of entryIds)
    for (let j = 0; j < judges; j++) scores.push({ judgeId: `judge_${j}`, entryId, scores: { content: half(6, 10), style: half(6, 10), idea: half(3, 5) } });
  return { entryIds, scores };
}

describe('a track of 5,000 entries × 7 judges', () => {
  const { entryIds, scores } = track(5000, 7, 20220601);
  const tiers = [
    { id: 'first', name: '一等奖', share: { num: 1, den: 100 } },
    { id: 'second', name: '二等奖', share: { num: 3, den: 100 } },
    { id: 'third', name: '三等奖', share: { num: 6, den: 100 } },
    { id: 'merit', name: '优秀奖', share: { num: 1, den: 4 } },
  ];

  it('computes results that keep the rule’s invariants', () => {
    const r = computeResults({ rubric: ESSAY, settings: scoringSettings({ tiers }), entryIds, scores });
    if (!r.ok) throw new Error(r.message);
    const { entries, cap } = r.data;

    // Everyone scored, ranked, once.
    expect(entries).toHaveLength(5000);
    expect(new Set(entries.map((e) => e.entryId)).size).toBe(5000);
    expect(entries.every((e) => e.placing?.judgeCount === 7 && e.placing.trimmed)).toBe(true);

    // Cap ⌊5000/3⌋ = 1666; quotas 50 + 150 + 300 + 1250 = 1750 → 优秀奖 cut to 1166.
    expect(cap).toBe(1666);
    expect(r.data.tiers.map((t) => t.planned)).toEqual([50, 150, 300, 1166]);
    const awarded = entries.filter((e) => e.award).length;
    expect(awarded).toBeLessThanOrEqual(cap);

    // Walk the list once and keep the first broken invariant (one expect per invariant, not
    // 20,000: jest's matchers would take longer than the computation).
    const order = ['first', 'second', 'third', 'merit'];
    const tierOf = (x: (typeof entries)[number]) => (x.award ? order.indexOf(x.award.tierId) : order.length);
    const broken: string[] = [];
    expect(entries[0]!.rank).toBe(1);
    for (let i = 1; i < entries.length && broken.length === 0; i++) {
      const e = entries[i]!;
      const prev = entries[i - 1]!;
      const s = e.placing!;
      const p = prev.placing!;
      // Best first on the 2-decimal score, then the 2-decimal untrimmed mean.
      const cmp = p.score.value - s.score.value || p.mean.value - s.mean.value;
      if (cmp < 0) broken.push(`${i}: out of order`);
      // Sport ranks: a tie shares the rank, otherwise the rank is the position.
      if (e.rank !== (cmp === 0 ? prev.rank : i + 1)) broken.push(`${i}: rank ${e.rank}`);
      // Awards never improve down the list, and a shared rank shares its award.
      if (tierOf(e) < tierOf(prev)) broken.push(`${i}: better award than the entry above`);
      if (cmp === 0 && tierOf(e) !== tierOf(prev)) broken.push(`${i}: tie split across awards`);
      if (s.score.text !== s.score.value.toFixed(2)) broken.push(`${i}: text ${s.score.text}`);
    }
    expect(broken).toEqual([]);
    // Ties happen at this size (scores cluster), so the tie rules were exercised.
    expect(entries.some((e, i) => i > 0 && e.rank === entries[i - 1]!.rank)).toBe(true);

    // Spot-check one entry against an independent exact calculation: the 7 totals as rationals
    // with denominator 9 (Σ w·max = 900), trimmed, averaged over 5.
    const sample = entries[1234]!;
    const ws = scores
      .filter((x) => x.entryId === sample.entryId)
      .map((x) => {
        const t = judgeTotal(ESSAY, x.scores);
        if (!t.ok) throw new Error(t.message);
        return (t.data.exact.num * 9) / t.data.exact.den; // 9 × total: an integer
      })
      .sort((a, b) => a - b);
    const kept = ws.slice(1, -1).reduce((a, b) => a + b, 0); // 9 × 5 × score
    expect(Number.isInteger(kept)).toBe(true);
    // score = kept / 45; hundredths half up = ⌊(200 × kept / 45 + 1) / 2⌋ = ⌊(200·kept + 45) / 90⌋.
    expect(sample.placing!.score.value).toBe(Math.floor((200 * kept + 45) / 90) / 100);
    expect(sample.placing!.spread.value).toBeCloseTo((ws[6]! - ws[0]!) / 9, 2);
  });

  it('computes the normalised variant over the same track', () => {
    const r = computeResults({ rubric: ESSAY, settings: scoringSettings({ tiers, normalise: true }), entryIds, scores });
    if (!r.ok) throw new Error(r.message);
    expect(r.data.rounds[0]!.normalisation!.judges.every((j) => j.count === 5000 && !j.raw)).toBe(true);
    expect(r.data.entries.filter((e) => e.award).length).toBeLessThanOrEqual(r.data.cap);
  });
});
