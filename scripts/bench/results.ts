/**
 * ==================================================================================================
 *  RESULTS STAGE: results computation for a large competition (5,000 entries × 7 judges).
 *  STATUS: placeholder. The results feature is being written; fill in `measureResults` below.
 * ==================================================================================================
 *
 * It runs when the action table (miniprogram/core/actions.ts, which the `api` router must serve in
 * full) has an action whose name starts with `results.`; until then the stage reports
 * "n/a (not built yet)". When the actions exist but `measureResults` is still the stub, it reports
 * "n/a (stage not written yet)".
 *
 * What `measureResults` should do (untimed set-up first, then the timed part):
 *  1. Seed, with h.cloud.engine.insertMany (not timed, not counted by /_control/stats): one
 *     competition activity with one track and its rubric, a panel of 7 judges (demo-judge-* or
 *     bench-judge-1..7 made members through profile.consent + profile.save), 5,000 approved,
 *     submitted entries, and 35,000 final scores (7 per entry), deterministic (rng from report.ts)
 *     and shaped as the results code reads them.
 *  2. POST /_control/stats/reset, then call the results action as staff (demo-staff-chen), e.g.
 *     h.api('demo-staff-chen', 'results.compute' or 'results.preview', { activityId, trackId }),
 *     3 times (median), timing each call; if the work moved to its own function or to resumable
 *     cron batches, time until the results are complete instead.
 *  3. Read /_control/stats: engine reads and writes, function invocations.
 *  4. Answer figures with figure('results', …): "results 5,000 × 7: compute" in ms (median of 3)
 *     against the function's timeout in its config.json (and well inside it), engine reads and
 *     writes, and whether the answer is complete (ranked entries = 5,000).
 */
import { ACTION_NAMES } from '../../miniprogram/core/actions';
import { startHarness, type Harness } from '../../test/cloud/harness';
import { exactly, figure, max, type Figure } from './report';

export const ENTRIES = 5000;
export const JUDGES = 7;
const NAME = `results ${ENTRIES.toLocaleString('en')} entries × ${JUDGES} judges`;

export function resultsActions(): string[] {
  return (ACTION_NAMES as readonly string[]).filter((a) => a.startsWith('results.'));
}

/**
 * Seeds 5,000 approved entries and 35,000 final scores on the demo's spring essay track (untimed),
 * queues the computation as staff, then times the cron batch that computes it (the path large
 * tracks take), three times; engine reads counted by the local cloud over the whole batch.
 */
async function measureResults(h: Harness, _actions: string[]): Promise<Figure[] | null> {
  const track = { activityId: 'act_essay_spring', trackId: 'essay' };
  const entries: Record<string, unknown>[] = [];
  const scores: Record<string, unknown>[] = [];
  for (let i = 0; i < ENTRIES; i++) {
    const code = `ZW-2023-${String(i + 1).padStart(4, '0')}`;
    const id = `ent_bench_${String(i).padStart(5, '0')}`;
    entries.push({ _id: id, code, activityId: track.activityId, trackId: 'essay', kind: 'essay', userId: `u_bench${i}`, unitId: 'x', enterprise: 'y', state: 'submitted', moderation: 'approved', moderationReason: '', draft: {}, draftSavedAt: 0, versions: [{ version: 1, submittedAt: 0, content: { kind: 'essay', title: 't', text: 'x' } }], createdAt: 0, updatedAt: 0 });
    for (let j = 0; j < JUDGES; j++) {
      const s = { content: ((i * 7 + j * 3) % 21) / 2, writing: ((i + j) % 21) / 2, creativity: ((i * 3 + j) % 21) / 2 };
      scores.push({ _id: `sc1_${code}_j${j}`, activityId: track.activityId, trackId: 'essay', round: 1, entryId: id, entryCode: code, judgeId: `j${j}`, state: 'final', scores: s, comment: '', returnedReason: '', submittedAt: 0, updatedAt: 0 });
    }
  }
  await h.cloud.engine.insertMany('entries', entries);
  await h.cloud.engine.insertMany('scores', scores);
  const times: number[] = [];
  let reads = 0;
  let writes = 0;
  let ranked = 0;
  for (let run = 0; run < 3; run++) {
    const q = await h.api('demo-staff-chen', 'results.compute', track);
    if (!q.ok || q.data.state !== 'computing') throw new Error(`results.compute did not queue: ${JSON.stringify(q)}`);
    await h.control('stats/reset', {});
    const t0 = performance.now();
    const tick = (await h.control('timer/cron', {})) as { result?: { ok: boolean; data?: { tasks: Record<string, number> } } };
    times.push(performance.now() - t0);
    if (tick.result?.data?.tasks.results !== 1) throw new Error(`the cron batch computed nothing: ${JSON.stringify(tick)}`);
    const stats = (await h.control('stats')) as { engine: { reads: number; writes: number } };
    reads = stats.engine.reads;
    writes = stats.engine.writes;
    const [doc] = await h.cloud.engine.find('results', { _id: `res_${track.activityId}_${track.trackId}` });
    ranked = ((doc?.rows ?? []) as { rank: number | null }[]).filter((r) => r.rank !== null).length;
  }
  times.sort((x, y) => x - y);
  return [
    figure('results', `${NAME}: one cron batch (median of 3)`, times[1] ?? null, 'ms', max(3000), { note: 'the whole timer tick, other tasks included; cron timeout 60 s' }),
    figure('results', `${NAME}: engine reads`, reads, 'count', max(40), { note: `${writes} writes` }),
    figure('results', `${NAME}: entries ranked`, ranked, 'count', exactly(ENTRIES)),
    ...(await measureExport(h, track)),
  ];
}

/**
 * The Excel export of the same computed track (exports.results, the `export` function): the whole
 * call as staff make it (read scores and authors, build the workbook, store it, sign a temp URL),
 * three times (median; the first may pay the function's cold start), then the file downloaded to
 * check its rows.
 */
async function measureExport(h: Harness, track: { activityId: string; trackId: string }): Promise<Figure[]> {
  const name = `export ${ENTRIES.toLocaleString('en')} entries × ${JUDGES} judges to Excel`;
  const times: number[] = [];
  let file: { url: string; rows: number } | null = null;
  let reads = 0;
  for (let run = 0; run < 3; run++) {
    await h.control('stats/reset', {});
    const t0 = performance.now();
    const r = await h.api('demo-staff-chen', 'exports.results', track);
    times.push(performance.now() - t0);
    if (!r.ok) throw new Error(`exports.results failed: ${r.code} ${r.message}`);
    file = r.data;
    reads = ((await h.control('stats')) as { engine: { reads: number } }).engine.reads;
  }
  const bytes = file ? (await (await fetch(file.url)).arrayBuffer()).byteLength : 0;
  // One row per participant of the computed results (the seeded 5,000 and the demo's own entries).
  const [doc] = await h.cloud.engine.find('results', { _id: `res_${track.activityId}_${track.trackId}` });
  const participants = ((doc?.rows ?? []) as unknown[]).length;
  times.sort((x, y) => x - y);
  return [
    figure('results', `${name} (median of 3)`, times[1] ?? null, 'ms', max(10_000), { note: `export timeout 60 s; slowest of 3 ${Math.round(times[2] ?? 0)} ms` }),
    figure('results', `${name}: engine reads`, reads, 'count', max(40)),
    figure('results', `${name}: rows`, file?.rows ?? null, 'count', exactly(participants), { note: `one per participant; ${(bytes / 1024).toFixed(0)} KB .xlsx` }),
  ];
}

export async function resultsStage(): Promise<{ figures: Figure[]; detail: unknown }> {
  const actions = resultsActions();
  if (actions.length === 0) {
    return { figures: [figure('results', NAME, null, 'ms', null, { display: 'n/a (not built yet)' })], detail: { actions } };
  }
  const h = await startHarness();
  try {
    const figures = await measureResults(h, actions);
    if (figures === null) {
      return {
        figures: [figure('results', NAME, null, 'ms', null, { display: 'n/a (stage not written yet)', note: `actions: ${actions.join(', ')}` })],
        detail: { actions },
      };
    }
    return { figures, detail: { actions } };
  } finally {
    await h.stop();
  }
}
