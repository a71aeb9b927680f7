/**
 * 5,000 entries × 7 judges, through the local cloud: queued by staff, computed by the timer within
 * cron's timeout and the platform's 1,000 documents a read, and equal to the rule computed here.
 * (Time and reads are reported by `npm run bench`; here they are only bounded loosely.)
 */
import { COLLECTIONS, type ResultsDoc } from '../../../miniprogram/core';
import { computeResults, scoringSettings } from '../../../miniprogram/core/rules/scoring';
import { DEFAULT_TIERS } from '../../../miniprogram/core/judging';
import { data, startHarness, type Harness } from '../harness';

let h: Harness;
const ENTRIES = 5000;
const JUDGES = 7;
const TRACK = { activityId: 'act_essay_spring', trackId: 'essay' };

beforeAll(async () => {
  h = await startHarness();
}, 60_000);
afterAll(() => h.stop());

function score(i: number, j: number) {
  return { content: ((i * 7 + j * 3) % 21) / 2, writing: ((i + j) % 21) / 2, creativity: ((i * 3 + j) % 21) / 2 };
}

it('computes the results of 5,000 entries × 7 judges in a cron batch, exactly as the rule does', async () => {
  const entries = [];
  const scores = [];
  for (let i = 0; i < ENTRIES; i++) {
    const code = `ZW-2023-${String(i + 1).padStart(4, '0')}`;
    const id = `ent_big_${String(i).padStart(5, '0')}`;
    entries.push({ _id: id, code, activityId: TRACK.activityId, trackId: 'essay', kind: 'essay', userId: `u_big${i}`, unitId: 'x', enterprise: 'y', state: 'submitted', moderation: 'approved', moderationReason: '', draft: {}, draftSavedAt: 0, versions: [{ version: 1, submittedAt: 0, content: { kind: 'essay', title: 't', text: 'x' } }], createdAt: 0, updatedAt: 0 });
    for (let j = 0; j < JUDGES; j++) {
      scores.push({ _id: `sc1_${code}_j${j}`, activityId: TRACK.activityId, trackId: 'essay', round: 1, entryId: id, entryCode: code, judgeId: `j${j}`, state: 'final', scores: score(i, j), comment: '', returnedReason: '', submittedAt: 0, updatedAt: 0 });
    }
  }
  await h.cloud.engine.insertMany(COLLECTIONS.entries, entries);
  await h.cloud.engine.insertMany(COLLECTIONS.scores, scores);

  expect(data(await h.api('demo-staff-chen', 'results.compute', TRACK))).toEqual({ state: 'computing', missingScores: null });
  await h.control('stats/reset', {});
  const tick = (await h.control('timer/cron', {})) as { ok: boolean; result: { ok: boolean; data: { tasks: Record<string, number> } } };
  expect(tick.result.data.tasks.results).toBe(1);
  const stats = (await h.control('stats')) as { engine: { reads: number } };
  expect(stats.engine.reads).toBeLessThanOrEqual(40);

  const [doc] = (await h.cloud.engine.find(COLLECTIONS.results, { _id: 'res_act_essay_spring_essay' })) as unknown as ResultsDoc[];
  expect(doc!.state).toBe('preview');
  // The 12 seeded spring essays are participants too, but unscored: unranked, listed last.
  expect(doc!.participants).toBe(ENTRIES + 12);

  const expected = computeResults({
    rubric: { criteria: [{ id: 'content', name: '', weight: 50, max: 10 }, { id: 'writing', name: '', weight: 30, max: 10 }, { id: 'creativity', name: '', weight: 20, max: 10 }] },
    settings: scoringSettings({ tiers: DEFAULT_TIERS }),
    entryIds: [...entries.map((e) => e._id), ...((await h.cloud.engine.find(COLLECTIONS.entries, { activityId: TRACK.activityId, code: { $regex: '^ZW-2022' } })).map((e) => String(e._id)))],
    scores: scores.map((s) => ({ entryId: s.entryId, judgeId: s.judgeId, scores: s.scores })),
  });
  if (!expected.ok) throw new Error(expected.message);
  // Same ranks, awards and scores for every entry (the order among unranked entries is not part of the rule).
  const byId = (a: unknown[], b: unknown[]) => String(a[0]).localeCompare(String(b[0]));
  const want = expected.data.entries.map((e) => [e.entryId, e.rank, e.award?.name ?? null, e.placing?.score.text ?? null]).sort(byId);
  const got = doc!.rows.map((r) => [r.entryId, r.rank, r.award, r.score]).sort(byId);
  expect(got).toEqual(want);
  expect(doc!.rows.slice(0, ENTRIES).every((r, i, rows) => i === 0 || (rows[i - 1]!.rank ?? 0) <= (r.rank ?? Infinity))).toBe(true);
}, 120_000);
