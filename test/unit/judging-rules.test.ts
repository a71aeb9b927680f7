/**
 * Judging rules in core/judging.ts: the one conflict rule (automatic and declared) and how many
 * of 初评 go into 复评; and 复评 with the finalists recorded when it started (scoring rule 7).
 */
import { conflictOf, finalistTarget } from '../../miniprogram/core/judging';
import type { FinalScore } from '../../miniprogram/core/rules/scoring';
import { computeResults, scoringSettings } from '../../miniprogram/core/rules/scoring';

describe('conflictOf', () => {
  const seat = { unitId: 'unit_a', enterprise: '甲公司' };
  it('finds the author\'s own unit, then own enterprise', () => {
    expect(conflictOf(seat, { code: 'ZW-2022-0001', unitId: 'unit_a', enterprise: '乙公司' })).toBe('unit');
    expect(conflictOf(seat, { code: 'ZW-2022-0001', unitId: 'unit_b', enterprise: '甲公司' })).toBe('enterprise');
    expect(conflictOf(seat, { code: 'ZW-2022-0001', unitId: 'unit_b', enterprise: '乙公司' })).toBeNull();
  });

  it('puts a declared conflict first, by entry code', () => {
    const declared = { ...seat, conflicts: { 'ZW-2022-0002': { reason: '亲属', by: 'u_x', at: 1 } } };
    expect(conflictOf(declared, { code: 'ZW-2022-0002', unitId: 'unit_a', enterprise: '' })).toBe('declared');
    expect(conflictOf(declared, { code: 'ZW-2022-0003', unitId: 'unit_b', enterprise: '' })).toBeNull();
  });

  it('never matches on a missing unit or enterprise (empty is not "the same")', () => {
    expect(conflictOf({ unitId: '', enterprise: '' }, { code: 'ZW-2022-0001', unitId: '', enterprise: '' })).toBeNull();
    expect(conflictOf(seat, { code: 'ZW-2022-0001', unitId: null, enterprise: undefined })).toBeNull();
  });

  it('does not take an inherited property for a declaration', () => {
    expect(conflictOf({ ...seat, conflicts: {} }, { code: 'toString', unitId: 'x', enterprise: 'y' })).toBeNull();
  });
});

describe('finalistTarget', () => {
  it('is the count, capped at the participants, or none', () => {
    expect(finalistTarget({ count: 10 }, 40)).toBe(10);
    expect(finalistTarget({ count: 10 }, 6)).toBe(6);
    expect(finalistTarget(null, 40)).toBeNull();
    expect(finalistTarget({}, 40)).toBeNull();
    expect(finalistTarget({ count: 0 }, 40)).toBeNull();
  });

  it('is a share rounded down, at least one when anyone takes part', () => {
    expect(finalistTarget({ share: { num: 1, den: 4 } }, 12)).toBe(3);
    expect(finalistTarget({ share: { num: 1, den: 4 } }, 15)).toBe(3);
    expect(finalistTarget({ share: { num: 1, den: 10 } }, 5)).toBe(1);
    expect(finalistTarget({ share: { num: 1, den: 10 } }, 0)).toBe(0);
  });
});

describe('复评 with recorded finalists', () => {
  const POINTS = { criteria: [{ id: 'q', name: '总分', weight: 1, max: 100 }] };
  const on = (judgeId: string, entryId: string, q: number): FinalScore => ({ judgeId, entryId, scores: { q } });
  // 初评: a 90, b 85, c 80, d 75.
  const round1 = [on('j', 'a', 90), on('j', 'b', 85), on('j', 'c', 80), on('j', 'd', 75)];

  it('takes the recorded entries, not a fresh pick, still in 初评 order', () => {
    // Recorded when 复评 started: b and c (say a was not yet scored then); k alone would pick a, b.
    const r = computeResults({
      rubric: POINTS,
      settings: scoringSettings(),
      entryIds: ['a', 'b', 'c', 'd'],
      scores: round1,
      round2: { k: 2, finalists: ['c', 'b', 'gone'], scores: [on('r', 'b', 70), on('r', 'c', 95)] },
    });
    if (!r.ok) throw new Error(r.message);
    expect(r.data.finalists).toEqual(['b', 'c']);
    expect(r.data.entries.map((e) => [e.entryId, e.rank, e.placedBy])).toEqual([
      ['c', 1, 2],
      ['b', 2, 2],
      ['a', 1, 1],
      ['d', 4, 1],
    ]);
  });
});
