/**
 * A competition track and its judging settings, its participants and its scores: read by the api
 * (judging, results) and by cron (queued results), so it lives here once.
 */
import { COLLECTIONS, err, type ActivityDoc, type EntryDoc, type Err, type ScoreDoc, type Track, type TrackJudging } from '../../miniprogram/core';
import { _, collection, getById, list } from './cloud';

type Stored<T> = T & Record<string, unknown>;

export interface TrackContext {
  activity: Stored<ActivityDoc>;
  track: Track;
  judging: TrackJudging;
}

/** The competition's track and its judging settings, or the error to answer. */
export async function loadTrack(activityId: string, trackId: string): Promise<TrackContext | Err> {
  const activity = await getById<Stored<ActivityDoc>>(COLLECTIONS.activities, activityId);
  const track = activity?.competition?.tracks.find((t) => t.id === trackId);
  const judging = activity?.competition?.judging?.[trackId];
  if (!activity || !track) return err('NOT_FOUND', '没有找到这个比赛赛道');
  if (!judging) return err('INVALID_STATE', '该赛道尚未设置评分标准');
  return { activity, track, judging };
}

export const isErr = <T extends object>(x: T | Err): x is Err => (x as Err).ok === false;

/** The participants of a track: approved, submitted entries (paged by id: may exceed 1000). */
export async function participants(activityId: string, trackId: string): Promise<Stored<EntryDoc>[]> {
  const out: Stored<EntryDoc>[] = [];
  let after = '';
  for (;;) {
    const page = await list<Stored<EntryDoc>>(
      collection(COLLECTIONS.entries)
        .where({ activityId, trackId, state: 'submitted', moderation: 'approved', _id: _.gt(after) })
        .orderBy('_id', 'asc')
        .field({ _id: true, code: true, unitId: true, enterprise: true, userId: true })
        .limit(1000),
    );
    out.push(...page);
    if (page.length < 1000) return out;
    after = page[page.length - 1]!._id;
  }
}

/** Every round-1 score of a track, paged by id (35,000 for 5,000 entries × 7 judges). */
export async function allScores(activityId: string, trackId: string, round: 1 | 2 = 1): Promise<Stored<ScoreDoc>[]> {
  const out: Stored<ScoreDoc>[] = [];
  let after = '';
  for (;;) {
    const page = await list<Stored<ScoreDoc>>(
      collection(COLLECTIONS.scores)
        .where({ activityId, trackId, round, _id: _.gt(after) })
        .orderBy('_id', 'asc')
        .field({ _id: true, entryId: true, entryCode: true, judgeId: true, state: true, scores: true })
        .limit(1000),
    );
    out.push(...page);
    if (page.length < 1000) return out;
    after = page[page.length - 1]!._id;
  }
}

