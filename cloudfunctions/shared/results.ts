/**
 * Computing a track's results: by the api for ordinary competitions, by cron for large ones
 * (queued as state 'computing', picked up by the next tick, retried by the one after if a tick
 * dies). Final scores only; the rule is core/rules/scoring.ts.
 */
import { COLLECTIONS, err, finalistTarget, ok, type ResultRow, type ResultsDoc } from '../../miniprogram/core';
import { computeResults, type FinalScore } from '../../miniprogram/core/rules/scoring';
import { $, _, aggregate, collection, count, db, getById, list, setDoc, updateWhere } from './cloud';
import { audit, type Actor } from './audit';
import { isErr, loadTrack, participants } from './tracks';
import { loadJudgingState } from './judging-state';

type Stored<T> = T & Record<string, unknown>;

export const resultsId = (activityId: string, trackId: string): string => `res_${activityId}_${trackId}`;

interface Grouped {
  _id: string;
  finals: { judgeId: string; scores: Record<string, number> }[];
}

/**
 * Final scores grouped by entry in the database, one page of participants at a time (ids in
 * order): each read returns at most 1,000 groups and every score is grouped once, so 5,000 entries
 * × 7 judges cost 5 reads instead of 35 pages of raw scores.
 */
export async function finalScores(activityId: string, trackId: string, entryIds: string[], round: 1 | 2 = 1): Promise<FinalScore[]> {
  const out: FinalScore[] = [];
  for (let i = 0; i < entryIds.length; i += 1000) {
    const page = entryIds.slice(i, i + 1000);
    const groups = await aggregate<Stored<Grouped>>(
      db
        .collection(COLLECTIONS.scores)
        .aggregate()
        .match({ activityId, trackId, round, state: 'final', entryId: _.gte(page[0]).and(_.lte(page[page.length - 1])) })
        .group({ _id: '$entryId', finals: $.push({ judgeId: '$judgeId', scores: '$scores' }) })
        .limit(1000),
    );
    for (const g of groups) for (const f of g.finals) out.push({ entryId: g._id, judgeId: f.judgeId, scores: f.scores });
  }
  return out;
}

export async function computeTrack(ctx: Actor, activityId: string, trackId: string) {
  const t = await loadTrack(activityId, trackId);
  if (isErr(t)) return t;
  const prior = await getById<Stored<ResultsDoc>>(COLLECTIONS.results, resultsId(activityId, trackId));
  if (prior?.state === 'final') return err('INVALID_STATE', '结果已确定，不能重新计算');
  const [entries, missing1, state] = await Promise.all([
    participants(activityId, trackId),
    count(collection(COLLECTIONS.scores).where({ activityId, trackId, round: 1, state: _.neq('final') })),
    loadJudgingState(activityId, trackId),
  ]);
  // participants() pages by _id ascending: the ranges below follow that order.
  const scores = await finalScores(activityId, trackId, entries.map((e) => e._id));
  // 复评: the finalists recorded when it started (sorted by id), placed by their 复评 scores.
  const r2 = state?.round2 ?? null;
  const missing2 = r2 ? await count(collection(COLLECTIONS.scores).where({ activityId, trackId, round: 2, state: _.neq('final') })) : 0;
  const finalistIds = r2 ? r2.finalists.map((f) => f.entryId) : [];
  const round2 = r2 ? { k: r2.k, finalists: finalistIds, scores: await finalScores(activityId, trackId, finalistIds, 2) } : null;
  const round2State: NonNullable<ResultsDoc['round2']> = r2 ? 'started' : finalistTarget(t.judging.round2, entries.length) !== null ? 'pending' : 'none';
  const missing = missing1 + missing2;
  const r = computeResults({ rubric: t.judging.rubric, settings: t.judging.scoring, entryIds: entries.map((e) => e._id), scores, round2 });
  if (!r.ok) return err('INVALID_STATE', `无法计算结果：${r.message}`);
  const code = new Map(entries.map((e) => [e._id, e.code]));
  const rows: ResultRow[] = r.data.entries.map((e) => ({
    entryId: e.entryId,
    code: code.get(e.entryId) ?? '',
    rank: e.rank,
    award: e.award?.name ?? null,
    score: e.placing?.score.text ?? null,
    mean: e.placing?.mean.text ?? null,
    spread: e.placing?.spread.text ?? null,
    judges: e.placing?.judgeCount ?? 0,
    recheck: e.placing?.recheck ?? false,
    totals: e.placing?.totals.map((x) => x.rounded.text) ?? [],
    round: e.placedBy,
    finalist: e.finalist,
  }));
  const doc: Omit<ResultsDoc, '_id'> = {
    activityId,
    trackId,
    state: 'preview',
    participants: r.data.participants,
    cap: r.data.cap,
    rows,
    warnings: [...(round2State === 'pending' ? ['本赛道设有复评，尚未开始：公布前需开始复评，或填写理由'] : []), ...r.data.warnings.map((w) => w.message)],
    missingScores: missing,
    round2: round2State,
    round2Missing: missing2,
    computedAt: ctx.now,
    computedBy: ctx.userId,
    publishedAt: null,
    publishOverride: null,
    finalAt: null,
    version: (prior?.version ?? 0) + 1,
  };
  await setDoc(COLLECTIONS.results, resultsId(activityId, trackId), { ...doc });
  await audit(ctx, 'results.compute', resultsId(activityId, trackId), { participants: doc.participants, missing, version: doc.version });
  return ok({ state: 'preview' as const, missingScores: missing });
}


/**
 * Above this many scores a track's results are computed by cron rather than inside the staff
 * member's call (cron has 60 s and no one waiting on a spinner).
 */
export const INLINE_SCORE_LIMIT = 20_000;
/** A tick that takes a job holds it this long; a tick that dies leaves it to the next one. */
export const JOB_LEASE_MS = 5 * 60_000;

/** Queues a track's results for cron: the doc says 'computing' until the timer has done it. */
export async function queueTrack(ctx: Actor, activityId: string, trackId: string): Promise<void> {
  const id = resultsId(activityId, trackId);
  const prior = await getById<Stored<ResultsDoc>>(COLLECTIONS.results, id);
  const { _id, ...rest } = prior ?? ({} as Partial<Stored<ResultsDoc>>);
  await setDoc(COLLECTIONS.results, id, {
    activityId,
    trackId,
    participants: 0,
    cap: 0,
    rows: [],
    warnings: [],
    missingScores: 0,
    publishedAt: null,
    publishOverride: null,
    finalAt: null,
    ...rest,
    state: 'computing',
    computedAt: ctx.now,
    computedBy: ctx.userId,
    leaseUntil: 0,
    version: (prior?.version ?? 0) + 1,
  });
  await audit(ctx, 'results.queue', id, {});
}

/** cron: computes one queued track whose lease is free. Answers how many it computed (0 or 1). */
export async function runQueuedResults(now: number, requestId: string): Promise<number> {
  const [job] = await list<Stored<ResultsDoc & { leaseUntil: number }>>(
    collection(COLLECTIONS.results).where({ state: 'computing', leaseUntil: _.lt(now) }).limit(1),
  );
  if (!job) return 0;
  // Take the lease: a concurrent tick that read the same job loses this conditional update.
  if ((await updateWhere(COLLECTIONS.results, { _id: job._id, state: 'computing', leaseUntil: job.leaseUntil }, { leaseUntil: now + JOB_LEASE_MS })) !== 1) return 0;
  const r = await computeTrack({ userId: job.computedBy, now, requestId }, job.activityId, job.trackId);
  if (!r.ok) {
    await updateWhere(COLLECTIONS.results, { _id: job._id, state: 'computing' }, { state: 'preview', warnings: [r.message], leaseUntil: 0 });
    return 0;
  }
  return 1;
}
