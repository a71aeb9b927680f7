/**
 * A track's judging state (core/judging.ts JudgingStateDoc): the plan of each round's assignment
 * and, once 复评 has started, its finalists. Read by the api (judging, results) and by cron
 * (queued results).
 */
import { COLLECTIONS, type AssignmentPlan, type JudgingStateDoc } from '../../miniprogram/core';
import { _, getById, insert, isDuplicateKeyError, updateWhere } from './cloud';
import { judgingStateId } from './ids';

type Stored<T> = T & Record<string, unknown>;

export async function loadJudgingState(activityId: string, trackId: string): Promise<Stored<JudgingStateDoc> | null> {
  return getById<Stored<JudgingStateDoc>>(COLLECTIONS.judgingStates, judgingStateId(activityId, trackId));
}

/** Creates the state if there is none (round2 null, no plans); answers false if it existed. */
export async function ensureJudgingState(activityId: string, trackId: string, now: number): Promise<boolean> {
  const doc: JudgingStateDoc = { _id: judgingStateId(activityId, trackId), activityId, trackId, plans: {}, round2: null, updatedAt: now };
  try {
    await insert(COLLECTIONS.judgingStates, { ...doc });
    return true;
  } catch (e) {
    if (!isDuplicateKeyError(e)) throw e;
    return false;
  }
}

/** Records how a round was assigned (re-balancing after a declared conflict follows it). */
export async function recordPlan(activityId: string, trackId: string, round: 1 | 2, plan: AssignmentPlan, now: number): Promise<void> {
  await ensureJudgingState(activityId, trackId, now);
  await updateWhere(COLLECTIONS.judgingStates, { _id: judgingStateId(activityId, trackId) }, { [`plans.${round}`]: _.set(plan), updatedAt: now });
}
