/**
 * The scoring rule, point 6: award tiers, the ⌊participants / 3⌋ cap, cuts from the lowest tier
 * up, ties at a tier's boundary, ties that would pass the cap, the staff override.
 */
import type { AwardTier, FinalScore, Results, ScoringSettings } from '../../miniprogram/core/rules/scoring';
import { computeResults, planAwards, scoringSettings } from '../../miniprogram/core/rules/scoring';

const POINTS = { criteria: [{ id: 'q', name: '总分', weight: 1, max: 100 }] };

const tier = (id: string, name: string, n: number | { num: number; den: number }): AwardTier =>
  typeof n === 'number' ? { id, name, count: n } : { id, name, share: n };

/** 一等奖, 二等奖, 三等奖, 优秀奖 with these counts. */
const tiers = (a: number, b: number, c: number, d?: number): AwardTier[] => [
  tier('first', '一等奖', a),
  tier('second', '二等奖', b),
  tier('third', '三等奖', c),
  ...(d === undefined ? [] : [tier('merit', '优秀奖', d)]),
];

/**
 * `n` participants e01, e02… scored by one judge, 100, 99, 98… down the list, except that the
 * entries named in `ties` share the total of the first of them.
 */
function field(n: number, ties: string[][] = []): { entryIds: string[]; scores: FinalScore[] } {
  const entryIds = Array.from({ length: n }, (_, i) => `e${String(i + 1).padStart(2, '0')}`);
  const total = new Map(entryIds.map((id, i) => [id, 100 - i]));
  for (const group of ties) for (const id of group) total.set(id, total.get(group[0]!)!);
  return { entryIds, scores: entryIds.map((entryId) => ({ judgeId: 'j1', entryId, scores: { q: total.get(entryId)! } })) };
}

function awards(f: { entryIds: string[]; scores: FinalScore[] }, settings: Partial<ScoringSettings>): Results {
  const r = computeResults({ rubric: POINTS, settings: scoringSettings(settings), ...f });
  if (!r.ok) throw new Error(`${r.field}: ${r.message}`);
  return r.data;
}

/** entry id → tier id, for the awarded entries only. */
const won = (r: Results): Record<string, string> =>
  Object.fromEntries(r.entries.filter((e) => e.award).map((e) => [e.entryId, e.award!.tierId]));
const given = (r: Results) => r.tiers.map((t) => t.given);
const ids = (from: number, to: number, tierId: string): Record<string, string> =>
  Object.fromEntries(Array.from({ length: to - from + 1 }, (_, i) => [`e${String(from + i).padStart(2, '0')}`, tierId]));

describe('rule 6: tier quotas and the cap', () => {
  it('takes counts as given and shares of the participants rounded down, within ⌊n/3⌋', () => {
    // 31 participants: 一等奖 1; 二等奖 ⌊31/10⌋ = ⌊3.1⌋ = 3; 三等奖 ⌊31/5⌋ = ⌊6.2⌋ = 6. Σ 10 = cap ⌊31/3⌋ = 10: no cut.
    const settings = { tiers: [tier('first', '一等奖', 1), tier('second', '二等奖', { num: 1, den: 10 }), tier('third', '三等奖', { num: 1, den: 5 })] };
    expect(planAwards(31, scoringSettings(settings))).toEqual({
      participants: 31,
      cap: 10,
      capSource: 'share',
      requested: 10,
      tiers: [
        { tierId: 'first', name: '一等奖', nominal: 1, planned: 1, cut: 0 },
        { tierId: 'second', name: '二等奖', nominal: 3, planned: 3, cut: 0 },
        { tierId: 'third', name: '三等奖', nominal: 6, planned: 6, cut: 0 },
      ],
    });
    const r = awards(field(31), settings);
    // e01 一等奖; e02–e04 二等奖; e05–e10 三等奖; e11… nothing.
    expect(won(r)).toEqual({ ...ids(1, 1, 'first'), ...ids(2, 4, 'second'), ...ids(5, 10, 'third') });
    expect(entry(r, 'e02').award).toEqual({ tierId: 'second', name: '二等奖' });
    expect(given(r)).toEqual([1, 3, 6]);
  });

  it('cuts tier counts that add up to more than the cap from the lowest tier up', () => {
    // 12 participants: cap ⌊12/3⌋ = 4. Tiers 1 + 2 + 2 + 3 = 8, 4 too many:
    // 优秀奖 3 → 0 (1 still too many), then 三等奖 2 → 1. Planned 1, 2, 1, 0.
    const settings = { tiers: tiers(1, 2, 2, 3) };
    const plan = planAwards(12, scoringSettings(settings));
    expect(plan).toMatchObject({ cap: 4, requested: 8 });
    expect(plan.tiers.map((t) => [t.nominal, t.planned, t.cut])).toEqual([
      [1, 1, 0],
      [2, 2, 0],
      [2, 1, 1],
      [3, 0, 3],
    ]);
    const r = awards(field(12), settings);
    expect(won(r)).toEqual({ e01: 'first', e02: 'second', e03: 'second', e04: 'third' });
    expect(r.warnings).toContainEqual(expect.objectContaining({ kind: 'tiers-cut', cap: 4, requested: 8 }));
  });

  it('applies the 1/3 cap to 优秀奖 too, rounding the cap down', () => {
    // 8 participants: cap ⌊8/3⌋ = 2; tiers 1 + 1 + 1 + 5 → 优秀奖 cut to 0, 三等奖 cut to 0.
    const r = awards(field(8), { tiers: tiers(1, 1, 1, 5) });
    expect(r.cap).toBe(2);
    expect(won(r)).toEqual({ e01: 'first', e02: 'second' });
  });
});

describe('rule 6: ties at a tier boundary', () => {
  it('gives a tie straddling a boundary the higher tier and takes the overrun off the next tier', () => {
    // 30 participants, cap 10, tiers 1 / 2 / 3 / 4.
    // e01 100 → 一等奖. e02, e03, e04 tie at 99 (rank 2) for 二等奖's 2 places: all three take it;
    // the overrun of 1 comes off 三等奖 (3 → 2): e05, e06. 优秀奖 4: e07–e10. Total 1 + 3 + 2 + 4 = 10.
    const r = awards(field(30, [['e02', 'e03', 'e04']]), { tiers: tiers(1, 2, 3, 4) });
    expect(r.entries.slice(0, 5).map((e) => e.rank)).toEqual([1, 2, 2, 2, 5]);
    expect(won(r)).toEqual({ ...ids(1, 1, 'first'), ...ids(2, 4, 'second'), ...ids(5, 6, 'third'), ...ids(7, 10, 'merit') });
    expect(given(r)).toEqual([1, 3, 2, 4]);
  });

  it('takes a larger overrun off the following tiers in order, as far as needed', () => {
    // e01–e04 tie at 100 for 一等奖's single place: all four take it; overrun 3 comes off 二等奖 (2 → 0)
    // then 三等奖 (3 → 2). 三等奖: e05, e06; 优秀奖 4: e07–e10.
    const r = awards(field(30, [['e01', 'e02', 'e03', 'e04']]), { tiers: tiers(1, 2, 3, 4) });
    expect(won(r)).toEqual({ ...ids(1, 4, 'first'), ...ids(5, 6, 'third'), ...ids(7, 10, 'merit') });
    expect(given(r)).toEqual([4, 0, 2, 4]);
  });

  it('gives a tie at the last tier’s boundary that tier when the cap allows', () => {
    // 30 participants, cap 10, tiers 1 / 2 / 3 / 2 (Σ 8). e01 一等; e02–e03 二等; e04–e06 三等; e07 优秀 (1 left);
    // e08–e10 tie at 93: all take 优秀奖 (no tier below to absorb it) → 1 + 2 + 3 + 4 = 10 ≤ 10.
    const r = awards(field(30, [['e08', 'e09', 'e10']]), { tiers: tiers(1, 2, 3, 2) });
    expect(won(r)).toEqual({ ...ids(1, 1, 'first'), ...ids(2, 3, 'second'), ...ids(4, 6, 'third'), ...ids(7, 10, 'merit') });
    expect(given(r)).toEqual([1, 2, 3, 4]);
    expect(r.warnings.filter((w) => w.kind === 'cap-tie')).toEqual([]);
  });

  it('awards none of a tie that would pass the cap, nor anyone below it, and warns', () => {
    // 30 participants, cap 10, tiers 1 / 2 / 3 / 4. e01–e08 take 1 + 2 + 3 + 2 = 8 places.
    // e09–e11 tie at 92 (rank 9) for the last 2 places: all three would make 11 > 10 → none of them;
    // e12 (rank 12) below them gets nothing either, although 优秀奖 has places left.
    const r = awards(field(30, [['e09', 'e10', 'e11']]), { tiers: tiers(1, 2, 3, 4) });
    expect(won(r)).toEqual({ ...ids(1, 1, 'first'), ...ids(2, 3, 'second'), ...ids(4, 6, 'third'), ...ids(7, 8, 'merit') });
    expect(given(r)).toEqual([1, 2, 3, 2]);
    expect(r.warnings).toContainEqual(
      expect.objectContaining({ kind: 'cap-tie', rank: 9, entryIds: ['e09', 'e10', 'e11'], tierId: 'merit', cap: 10, awarded: 8 }),
    );
  });

  it('awards nobody when a tie for first alone passes the cap', () => {
    // 9 participants: cap 3; tiers 1 / 1 / 1. e01–e04 tie for first: 4 > 3 → no awards at all.
    const r = awards(field(9, [['e01', 'e02', 'e03', 'e04']]), { tiers: tiers(1, 1, 1) });
    expect(won(r)).toEqual({});
    expect(r.warnings).toContainEqual(expect.objectContaining({ kind: 'cap-tie', rank: 1, tierId: 'first', awarded: 0 }));
  });
});

describe('rule 6: the staff override of the cap', () => {
  it('lets the tie through when staff raise the cap', () => {
    // As above, with the cap overridden to 11: e09–e11 all take 优秀奖 (overrun 1, no tier below) → 11.
    const r = awards(field(30, [['e09', 'e10', 'e11']]), { tiers: tiers(1, 2, 3, 4), capOverride: 11 });
    expect(r).toMatchObject({ cap: 11, capSource: 'override' });
    expect(won(r)).toEqual({ ...ids(1, 1, 'first'), ...ids(2, 3, 'second'), ...ids(4, 6, 'third'), ...ids(7, 11, 'merit') });
    expect(given(r)).toEqual([1, 2, 3, 5]);
  });

  it('cuts to a lowered cap from the lowest tier up', () => {
    // capOverride 5 (instead of ⌊30/3⌋ = 10): 1 + 2 + 3 + 4 = 10 → 优秀奖 4 → 0, 三等奖 3 → 2.
    const plan = planAwards(30, scoringSettings({ tiers: tiers(1, 2, 3, 4), capOverride: 5 }));
    expect(plan).toMatchObject({ cap: 5, capSource: 'override', requested: 10 });
    expect(plan.tiers.map((t) => t.planned)).toEqual([1, 2, 2, 0]);
  });
});

function entry(r: Results, id: string) {
  const e = r.entries.find((x) => x.entryId === id);
  if (!e) throw new Error(`no ${id}`);
  return e;
}
