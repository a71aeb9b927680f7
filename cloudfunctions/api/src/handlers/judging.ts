/**
 * Judging, modelled on blind conference review: panels by invitation, assignments with automatic
 * conflicts, anonymised views, per-criterion scores kept as drafts until a final submit that locks
 * them. A judge's rights are seats on panels (pm_<activity>_<track>_<user>) and assignments
 * (sc_<round>_<entry>_<judge>), checked here on every call. Nothing a judge receives carries the
 * author's identity.
 */
import { randomBytes } from 'crypto';
import {
  COLLECTIONS,
  CONFLICT_LABEL,
  DAY,
  conflictOf,
  err,
  finalistTarget,
  ok,
  type BlindEntry,
  type ConflictKind,
  type Finalist,
  type JudgingStateDoc,
  type EntryDoc,
  type Err,
  type InvitationDoc,
  type PanelDoc,
  type PanelView,
  type ProgressView,
  type ScoreDoc,
  type TrackJudging,
  type UploadDoc,
} from '../../../../miniprogram/core';
import { computeResults, judgeTotal, pickFinalists } from '../../../../miniprogram/core/rules/scoring';
import { windowState } from '../../../../miniprogram/core/time';
import { _, collection, count, getById, insert, isDuplicateKeyError, list, removeWhere, tempUrls, updateWhere, wxacode } from '../../../shared/cloud';
import { audit } from '../../../shared/audit';
import { judgingStateId, panelId, scoreId } from '../../../shared/ids';
import { ensureJudgingState, loadJudgingState, recordPlan } from '../../../shared/judging-state';
import { finalScores } from '../../../shared/results';
import { allScores, isErr, loadTrack, participants, type TrackContext } from '../../../shared/tracks';
import type { Ctx, Handler } from '../../../shared/router';

type Stored<T> = T & Record<string, unknown>;

// No 0/O, 1/I: codes are read aloud and typed on phones.
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export function randomCode(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += ALPHABET[b % 32];
  return out;
}


async function panelView(p: PanelDoc, judgeId: string): Promise<PanelView | null> {
  const t = await loadTrack(p.activityId, p.trackId);
  if (isErr(t)) return null;
  const mine = await list<Stored<ScoreDoc>>(
    collection(COLLECTIONS.scores).where({ judgeId, activityId: p.activityId, trackId: p.trackId }).field({ state: true }).limit(1000),
  );
  return {
    activityId: p.activityId,
    activityTitle: t.activity.title,
    trackId: p.trackId,
    trackName: t.track.name,
    kind: t.track.kind,
    assigned: mine.length,
    finals: mine.filter((s) => s.state === 'final').length,
    judgingEnds: t.activity.competition!.windows.judging.end,
  };
}

export const joinPanel: Handler<'judging.join'> = async (ctx, p) => {
  const [inv] = await list<Stored<InvitationDoc>>(collection(COLLECTIONS.invitations).where({ code: p.code }).limit(1));
  if (!inv || inv.expiresAt <= ctx.now) return err('NOT_FOUND', '邀请码无效或已过期');
  const id = panelId(inv.activityId, inv.trackId, ctx.userId);
  if (inv.usedBy !== null) {
    // The same judge scanning again is welcome; anyone else is not.
    if (inv.usedBy !== ctx.userId) return err('ALREADY_EXISTS', '邀请码已被使用，请向工作人员索取新的邀请码');
  } else {
    if (!ctx.user || !ctx.user.realName) return err('PROFILE_REQUIRED', '请先完善个人资料（姓名、单位），以便自动回避本单位作品');
    // Single use: the first caller to flip usedBy wins.
    const claimed = await updateWhere(COLLECTIONS.invitations, { _id: inv._id, usedBy: null }, { usedBy: ctx.userId, usedAt: ctx.now });
    if (claimed !== 1) return err('ALREADY_EXISTS', '邀请码已被使用，请向工作人员索取新的邀请码');
    const seat: PanelDoc = {
      _id: id,
      activityId: inv.activityId,
      trackId: inv.trackId,
      userId: ctx.userId,
      unitId: ctx.user.unitId,
      enterprise: ctx.user.enterprise,
      name: ctx.user.realName,
      joinedAt: ctx.now,
      invitationId: inv._id,
    };
    try {
      await insert(COLLECTIONS.panels, { ...seat });
    } catch (e) {
      if (!isDuplicateKeyError(e)) throw e;
    }
    await audit(ctx, 'judging.join', id, { invitation: inv._id });
  }
  const seat = await getById<Stored<PanelDoc>>(COLLECTIONS.panels, id);
  const view = seat ? await panelView(seat, ctx.userId) : null;
  if (!view) return err('NOT_FOUND', '该比赛已不存在');
  return ok({ panel: view });
};

export const myPanels: Handler<'judging.panels'> = async (ctx) => {
  const seats = await list<Stored<PanelDoc>>(collection(COLLECTIONS.panels).where({ userId: ctx.userId }).limit(50));
  const views = await Promise.all(seats.map((s) => panelView(s, ctx.userId)));
  return ok({ panels: views.filter((v): v is PanelView => v !== null) });
};

async function mySeat(ctx: Ctx, activityId: string, trackId: string): Promise<Stored<PanelDoc> | null> {
  return getById<Stored<PanelDoc>>(COLLECTIONS.panels, panelId(activityId, trackId, ctx.userId));
}

/** 初评 is locked once 复评 has started. */
const round2Started = (state: JudgingStateDoc | null): boolean => !!state?.round2;

const LOCKED = '复评已开始，初评评分已锁定';

/** A judge's queue: 复评 first (the work in hand once it starts), then 初评, each by entry code. */
function judgeQueue(ctx: Ctx, activityId: string, trackId: string) {
  return collection(COLLECTIONS.scores).where({ judgeId: ctx.userId, activityId, trackId }).orderBy('round', 'desc').orderBy('entryCode', 'asc');
}

export const queue: Handler<'judging.queue'> = async (ctx, p) => {
  if (!(await mySeat(ctx, p.activityId, p.trackId))) return err('FORBIDDEN', '您不在该赛道的评委名单中');
  const [t, state, rows] = await Promise.all([
    loadTrack(p.activityId, p.trackId),
    loadJudgingState(p.activityId, p.trackId),
    list<Stored<ScoreDoc>>(judgeQueue(ctx, p.activityId, p.trackId).limit(1000)),
  ]);
  if (isErr(t)) return t;
  const locked = round2Started(state);
  const items = rows.map((s) => ({
    scoreId: s._id,
    code: s.entryCode,
    round: s.round,
    locked: s.round === 1 && locked,
    state: s.state,
    total: totalText(t.judging, s),
    returnedReason: s.returnedReason,
  }));
  return ok({ items, finals: rows.filter((s) => s.state === 'final').length, assigned: rows.length });
};

function totalText(j: TrackJudging, s: ScoreDoc): string | null {
  if (s.state === 'assigned') return null;
  const r = judgeTotal(j.rubric, s.scores);
  return r.ok ? r.data.rounded.text : null;
}

const conflictMessage = (kind: ConflictKind): string =>
  kind === 'declared' ? '工作人员已将您与这件作品设为回避，不能评分' : `这件作品的作者与您${CONFLICT_LABEL[kind]}，按回避规则不能评分`;

/**
 * A score id the judge no longer holds because staff declared a conflict (the assignment was
 * removed): answered with the conflict rather than "not found". Ids are sc<round>_<code>_<judge>.
 */
async function declaredAway(ctx: Ctx, id: string): Promise<Err | null> {
  const m = /^sc[12]_([A-Z]{2}-\d{4}-\d{4,6})_(.+)$/.exec(id);
  if (!m || m[2] !== ctx.userId) return null;
  const [seat] = await list<Stored<PanelDoc>>(
    collection(COLLECTIONS.panels).where({ userId: ctx.userId, [`conflicts.${m[1]}`]: _.exists(true) }).field({ _id: true }).limit(1),
  );
  return seat ? err('CONFLICT_OF_INTEREST', conflictMessage('declared')) : null;
}

/** The judge's own assignment, still inside judging, or the error to answer. */
async function ownScore(ctx: Ctx, id: string): Promise<{ score: Stored<ScoreDoc>; t: TrackContext; state: Stored<JudgingStateDoc> | null } | Err> {
  const score = await getById<Stored<ScoreDoc>>(COLLECTIONS.scores, id);
  // Another judge's assignment looks exactly like a missing one.
  if (!score || score.judgeId !== ctx.userId) return (await declaredAway(ctx, id)) ?? err('NOT_FOUND', '没有找到这项评审任务');
  const [t, state] = await Promise.all([loadTrack(score.activityId, score.trackId), loadJudgingState(score.activityId, score.trackId)]);
  if (isErr(t)) return t;
  return { score, t, state };
}

/**
 * The conflict rule for a judge about to write a score (core conflictOf: the author's own unit or
 * enterprise, or declared by staff), the same rule assignment follows.
 */
async function conflictFor(ctx: Ctx, score: ScoreDoc): Promise<Err | null> {
  const [seat, [entry]] = await Promise.all([
    mySeat(ctx, score.activityId, score.trackId),
    list<Stored<EntryDoc>>(collection(COLLECTIONS.entries).where({ _id: score.entryId }).field({ unitId: true, enterprise: true }).limit(1)),
  ]);
  if (!seat) return err('FORBIDDEN', '您已不在该赛道的评委名单中');
  const kind = conflictOf(seat, { code: score.entryCode, unitId: entry?.unitId ?? null, enterprise: entry?.enterprise ?? null });
  return kind ? err('CONFLICT_OF_INTEREST', conflictMessage(kind)) : null;
}

export const blindEntry: Handler<'judging.entry'> = async (ctx, p) => {
  const own = await ownScore(ctx, p.scoreId);
  if (isErr(own)) return own;
  const { score, t, state } = own;
  const entry = await getById<Stored<EntryDoc>>(COLLECTIONS.entries, score.entryId);
  const version = entry?.versions[entry.versions.length - 1];
  if (!entry || !version) return err('NOT_FOUND', '作品已撤回');
  const c = version.content;
  const ids = c.kind === 'photo' ? c.photos.map((x) => x.uploadId) : c.kind === 'video' ? [c.videoUploadId, c.coverUploadId] : [];
  const uploads = ids.length ? await list<Stored<UploadDoc>>(collection(COLLECTIONS.uploads).where({ _id: _.in(ids) }).field({ fileID: true }).limit(ids.length)) : [];
  const fileOf = new Map(uploads.map((u) => [u._id, u.fileID ?? '']));
  // Media sit under entries/<activity>/<entry code>/…: the URL names the code, never the author.
  const urls = await tempUrls([...fileOf.values()].filter(Boolean), 2 * 3600);
  const url = (uploadId: string): string => urls.get(fileOf.get(uploadId) ?? '') ?? '';
  const queueIds = await list<Stored<ScoreDoc>>(judgeQueue(ctx, score.activityId, score.trackId).field({ _id: true }).limit(1000));
  const view: BlindEntry = {
    scoreId: score._id,
    code: score.entryCode,
    kind: t.track.kind,
    title: c.title,
    text: c.kind === 'essay' ? c.text : '',
    photos: c.kind === 'photo' ? c.photos.map((x) => ({ url: url(x.uploadId), caption: x.caption })) : [],
    video: c.kind === 'video' ? { url: url(c.videoUploadId), cover: url(c.coverUploadId), seconds: c.seconds, description: c.description } : null,
    rubric: t.judging.rubric,
    commentRequired: t.judging.commentRequired,
    state: score.state,
    scores: score.scores,
    comment: score.comment,
    returnedReason: score.returnedReason,
    round: score.round,
    locked: score.round === 1 && round2Started(state),
    index: queueIds.findIndex((q) => q._id === score._id),
    count: queueIds.length,
  };
  return ok(view);
};

function judgingOpen(t: TrackContext, now: number): Err | null {
  const state = windowState(t.activity.competition!.windows.judging, now);
  if (state === 'before') return err('NOT_OPEN_YET', '评审尚未开始');
  if (state === 'after') return err('CLOSED', '评审已结束');
  return null;
}

export const saveScore: Handler<'judging.save'> = async (ctx, p) => {
  const own = await ownScore(ctx, p.scoreId);
  if (isErr(own)) return own;
  const { score, t, state } = own;
  const closed = judgingOpen(t, ctx.now);
  if (closed) return closed;
  if (score.state === 'final') return err('INVALID_STATE', '评分已提交，如需修改请联系工作人员退回');
  if (score.round === 1 && round2Started(state)) return err('INVALID_STATE', LOCKED);
  const conflict = await conflictFor(ctx, score);
  if (conflict) return conflict;
  const scores: Record<string, number> = {};
  for (const x of p.scores) {
    if (x.criterionId in scores) return err('INVALID_PAYLOAD', '同一评分项只能打一次分', 'payload.scores');
    scores[x.criterionId] = x.score;
  }
  // Every given score must be in its criterion's range; a draft may leave criteria blank.
  for (const c of t.judging.rubric.criteria) {
    const v = scores[c.id];
    if (v !== undefined && (v < 0 || v > c.max)) return err('INVALID_PAYLOAD', `「${c.name}」的分数应在 0 到 ${c.max} 之间`, 'payload.scores');
  }
  const unknown = Object.keys(scores).find((k) => !t.judging.rubric.criteria.some((c) => c.id === k));
  if (unknown) return err('INVALID_PAYLOAD', '没有这个评分项', 'payload.scores');
  const changed = await updateWhere(
    COLLECTIONS.scores,
    // Guarded: a final score is never overwritten, even by a save racing the submit.
    { _id: score._id, judgeId: ctx.userId, state: _.in(['assigned', 'draft']) },
    { state: 'draft', scores: _.set(scores), comment: p.comment, updatedAt: ctx.now },
  );
  if (changed === 0) {
    const now = await getById<Stored<ScoreDoc>>(COLLECTIONS.scores, score._id);
    if (now?.state === 'final') return err('INVALID_STATE', '评分已提交，如需修改请联系工作人员退回');
    // Removed in between: staff declared a conflict.
    if (!now) return (await declaredAway(ctx, score._id)) ?? err('NOT_FOUND', '没有找到这项评审任务');
  }
  await audit(ctx, 'score.save', score._id, { scores, comment: p.comment.length });
  const complete = t.judging.rubric.criteria.every((c) => scores[c.id] !== undefined);
  const total = complete ? judgeTotal(t.judging.rubric, scores) : null;
  return ok({ total: total && total.ok ? total.data.rounded.text : null, savedAt: ctx.now });
};

export const submitScore: Handler<'judging.submit'> = async (ctx, p) => {
  const own = await ownScore(ctx, p.scoreId);
  if (isErr(own)) return own;
  const { score, t, state } = own;
  const closed = judgingOpen(t, ctx.now);
  if (closed) return closed;
  if (score.state === 'final') return err('INVALID_STATE', '评分已提交');
  if (score.round === 1 && round2Started(state)) return err('INVALID_STATE', LOCKED);
  const conflict = await conflictFor(ctx, score);
  if (conflict) return conflict;
  const total = judgeTotal(t.judging.rubric, score.scores);
  if (!total.ok) return err('INVALID_PAYLOAD', total.message.includes('缺少') ? total.message : `请为每一项打分：${total.message}`, 'payload.scores');
  if (t.judging.commentRequired && !score.comment.trim()) return err('INVALID_PAYLOAD', '本比赛要求填写评语', 'payload.comment');
  const changed = await updateWhere(
    COLLECTIONS.scores,
    { _id: score._id, judgeId: ctx.userId, state: 'draft', updatedAt: score.updatedAt },
    { state: 'final', submittedAt: ctx.now, returnedReason: '', updatedAt: ctx.now },
  );
  if (changed !== 1) return err('CONFLICT', '评分刚刚被修改，请刷新后再提交');
  await audit(ctx, 'score.submit', score._id, { total: total.data.rounded.text });
  return ok({ total: total.data.rounded.text });
};

// ---- staff ------------------------------------------------------------------------------------

export const invite: Handler<'judging.invite'> = async (ctx, p) => {
  const t = await loadTrack(p.activityId, p.trackId);
  if (isErr(t)) return t;
  const out: { code: string; expiresAt: number; qrUrl: string }[] = [];
  const qrIds: string[] = [];
  for (let i = 0; i < p.count; i++) {
    const code = randomCode(8);
    const expiresAt = ctx.now + p.days * DAY;
    // A QR the judge scans in WeChat: opens the judge page with the code (scene ≤ 32 characters).
    const qrFileID = await wxacode(`j=${code}`, 'packages/judge/index/index', `judging/invitations/${code}.png`);
    const doc: InvitationDoc = {
      _id: `inv_${code}`,
      code,
      activityId: p.activityId,
      trackId: p.trackId,
      expiresAt,
      usedBy: null,
      usedAt: null,
      createdBy: ctx.userId,
      createdAt: ctx.now,
      qrFileID,
    };
    await insert(COLLECTIONS.invitations, { ...doc });
    out.push({ code, expiresAt, qrUrl: '' });
    qrIds.push(qrFileID);
  }
  const urls = await tempUrls(qrIds, 7 * 24 * 3600);
  out.forEach((o, i) => (o.qrUrl = urls.get(qrIds[i] ?? '') ?? ''));
  await audit(ctx, 'judging.invite', `${p.activityId}/${p.trackId}`, { count: p.count, days: p.days });
  return ok({ invitations: out });
};

type Judge = Pick<PanelDoc, 'userId' | 'unitId' | 'enterprise' | 'conflicts'>;
type Assignable = Pick<EntryDoc, '_id' | 'code' | 'unitId' | 'enterprise'>;

/**
 * Assigns a round's scoring: every eligible judge, or the k least-loaded eligible judges per entry
 * (balanced over what each judge already holds in the round). Adds only what is missing, so it is
 * idempotent and doubles as re-balancing. Eligible = core conflictOf finds nothing.
 */
async function assignRound(
  ctx: Ctx,
  activityId: string,
  trackId: string,
  round: 1 | 2,
  entries: Assignable[],
  judges: Judge[],
  mode: 'all' | 'k',
  k: number,
): Promise<{ created: number; conflicts: number }> {
  const existing = await allScores(activityId, trackId, round);
  const load = new Map(judges.map((j) => [j.userId, 0]));
  const have = new Set(existing.map((s) => `${s.entryId}|${s.judgeId}`));
  for (const s of existing) if (load.has(s.judgeId)) load.set(s.judgeId, (load.get(s.judgeId) ?? 0) + 1);
  let created = 0;
  let conflicts = 0;
  for (const e of entries) {
    const eligible = judges.filter((j) => conflictOf(j, e) === null);
    conflicts += judges.length - eligible.length;
    const already = eligible.filter((j) => have.has(`${e._id}|${j.userId}`)).length;
    const want = mode === 'all' ? eligible.length : Math.min(k, eligible.length);
    // Balanced: the least-loaded eligible judges first.
    const pick = eligible
      .filter((j) => !have.has(`${e._id}|${j.userId}`))
      .sort((a, b) => (load.get(a.userId) ?? 0) - (load.get(b.userId) ?? 0) || a.userId.localeCompare(b.userId))
      .slice(0, Math.max(0, want - already));
    for (const j of pick) {
      const doc: ScoreDoc = {
        _id: scoreId(round, e.code, j.userId),
        activityId,
        trackId,
        round,
        entryId: e._id,
        entryCode: e.code,
        judgeId: j.userId,
        state: 'assigned',
        scores: {},
        comment: '',
        returnedReason: '',
        submittedAt: null,
        updatedAt: ctx.now,
      };
      try {
        await insert(COLLECTIONS.scores, { ...doc });
        created++;
        have.add(`${e._id}|${j.userId}`);
        load.set(j.userId, (load.get(j.userId) ?? 0) + 1);
      } catch (e2) {
        if (!isDuplicateKeyError(e2)) throw e2;
      }
    }
  }
  return { created, conflicts };
}

const seatsOf = (activityId: string, trackId: string) =>
  list<Stored<PanelDoc>>(collection(COLLECTIONS.panels).where({ activityId, trackId }).limit(200));

/** The judges and entries of a round: 初评 the whole panel and every participant; 复评 its judges and finalists. */
function roundMembers<E extends { _id: string }>(state: JudgingStateDoc | null, round: 1 | 2, seats: Stored<PanelDoc>[], entries: E[]) {
  if (round === 1 || !state?.round2) return { judges: seats, entries };
  const judges = new Set(state.round2.judges);
  const finalists = new Set(state.round2.finalists.map((f) => f.entryId));
  return { judges: seats.filter((j) => judges.has(j.userId)), entries: entries.filter((e) => finalists.has(e._id)) };
}

export const assign: Handler<'judging.assign'> = async (ctx, p) => {
  const round = p.round ?? 1;
  const t = await loadTrack(p.activityId, p.trackId);
  if (isErr(t)) return t;
  const [seats, all, state] = await Promise.all([seatsOf(p.activityId, p.trackId), participants(p.activityId, p.trackId), loadJudgingState(p.activityId, p.trackId)]);
  if (round === 1 && round2Started(state)) return err('INVALID_STATE', `${LOCKED}，不能再分配初评`);
  if (round === 2 && !round2Started(state)) return err('INVALID_STATE', '复评尚未开始');
  const { judges, entries } = roundMembers(state, round, seats, all);
  if (judges.length === 0) return err('INVALID_STATE', '该赛道还没有评委，请先发出邀请');
  if (entries.length === 0) return err('INVALID_STATE', '该赛道还没有已通过审核的参赛作品');
  await recordPlan(p.activityId, p.trackId, round, { mode: p.mode, k: p.k }, ctx.now);
  const { created, conflicts } = await assignRound(ctx, p.activityId, p.trackId, round, entries, judges, p.mode, p.k);
  await audit(ctx, 'judging.assign', `${p.activityId}/${p.trackId}`, { round, mode: p.mode, k: p.k, created, conflicts });
  return ok({ created, conflicts, judges: judges.length, entries: entries.length });
};

export const progress: Handler<'judging.progress'> = async (_ctx, p) => {
  const t = await loadTrack(p.activityId, p.trackId);
  if (isErr(t)) return t;
  const state = await loadJudgingState(p.activityId, p.trackId);
  const currentRound: 1 | 2 = round2Started(state) ? 2 : 1;
  const round = p.round ?? currentRound;
  if (round === 2 && !state?.round2) return err('INVALID_STATE', '复评尚未开始');
  const [seats, scores, entries] = await Promise.all([seatsOf(p.activityId, p.trackId), allScores(p.activityId, p.trackId, round), participants(p.activityId, p.trackId)]);
  const names = new Map(seats.map((j) => [j.userId, j.name]));
  const members = roundMembers(state, round, seats, entries);
  const byEntry = new Map<string, { code: string; totals: number[]; assigned: number; scores: ProgressView['entries'][number]['scores'] }>();
  for (const s of scores) {
    const e = byEntry.get(s.entryId) ?? { code: s.entryCode, totals: [], assigned: 0, scores: [] };
    e.assigned++;
    const tot = s.state === 'assigned' ? null : judgeTotal(t.judging.rubric, s.scores);
    if (s.state === 'final' && tot?.ok) e.totals.push(tot.data.rounded.value);
    e.scores.push({ scoreId: s._id, judge: names.get(s.judgeId) ?? '', state: s.state, total: tot?.ok ? tot.data.rounded.text : null });
    byEntry.set(s.entryId, e);
  }
  // Entries of the round nobody holds (every judge in conflict, or not yet assigned) are listed too.
  for (const e of members.entries) if (!byEntry.has(e._id)) byEntry.set(e._id, { code: e.code, totals: [], assigned: 0, scores: [] });
  let autoConflicts = 0;
  for (const j of members.judges) for (const e of members.entries) if (conflictOf({ unitId: j.unitId, enterprise: j.enterprise }, e)) autoConflicts++;
  const conflicts = seats.flatMap((j) =>
    Object.entries(j.conflicts ?? {}).map(([code, c]) => ({ judgeId: j.userId, judge: j.name, code, reason: c.reason, at: c.at })),
  );
  const threshold = t.judging.scoring.spreadThreshold;
  const r2 = state?.round2 ?? null;
  return ok({
    round,
    currentRound,
    round2Available: !r2 && finalistTarget(t.judging.round2, entries.length) !== null,
    round2: r2 ? { finalists: r2.finalists.length, k: r2.k, judges: r2.judges.length, startedAt: r2.startedAt } : null,
    conflicts: conflicts.sort((a, b) => a.code.localeCompare(b.code) || a.judge.localeCompare(b.judge)),
    autoConflicts,
    judges: members.judges.map((j) => ({
      id: j.userId,
      name: j.name,
      assigned: scores.filter((s) => s.judgeId === j.userId).length,
      finals: scores.filter((s) => s.judgeId === j.userId && s.state === 'final').length,
    })),
    entries: [...byEntry.values()]
      .sort((a, b) => a.code.localeCompare(b.code))
      .map((e) => {
        const spread = e.totals.length ? Math.max(...e.totals) - Math.min(...e.totals) : null;
        return { code: e.code, finals: e.totals.length, assigned: e.assigned, spread: spread === null ? null : spread.toFixed(2), recheck: spread !== null && spread > threshold, scores: e.scores };
      }),
    totalAssigned: scores.length,
    totalFinal: scores.filter((s) => s.state === 'final').length,
  });
};

export const returnScore: Handler<'judging.return'> = async (ctx, p) => {
  const score = await getById<Stored<ScoreDoc>>(COLLECTIONS.scores, p.scoreId);
  if (!score) return err('NOT_FOUND', '没有找到这项评分');
  if (score.state !== 'final') return err('INVALID_STATE', '只有已提交的评分可以退回');
  if (score.round === 1 && round2Started(await loadJudgingState(score.activityId, score.trackId))) return err('INVALID_STATE', `${LOCKED}，不能退回`);
  const changed = await updateWhere(COLLECTIONS.scores, { _id: score._id, state: 'final' }, { state: 'draft', returnedReason: p.reason, submittedAt: null, updatedAt: ctx.now });
  if (changed !== 1) return err('CONFLICT');
  await audit(ctx, 'score.return', score._id, { reason: p.reason });
  return ok({ returned: true as const });
};

// ---- 复评 ---------------------------------------------------------------------------------------

export const startRound2: Handler<'judging.startRound2'> = async (ctx, p) => {
  const t = await loadTrack(p.activityId, p.trackId);
  if (isErr(t)) return t;
  if (!t.judging.round2 || finalistTarget(t.judging.round2, 1) === null) return err('INVALID_STATE', '该赛道未设置复评');
  const [seats, entries, state] = await Promise.all([seatsOf(p.activityId, p.trackId), participants(p.activityId, p.trackId), loadJudgingState(p.activityId, p.trackId)]);
  if (round2Started(state)) return err('INVALID_STATE', '复评已经开始');
  const unknownJudge = p.judges.find((id) => !seats.some((j) => j.userId === id));
  if (unknownJudge) return err('INVALID_PAYLOAD', '所选评委不在本赛道评委名单中', 'payload.judges');
  const judges = p.judges.length ? seats.filter((j) => p.judges.includes(j.userId)) : seats;
  if (judges.length === 0) return err('INVALID_STATE', '该赛道还没有评委，请先发出邀请');
  if (entries.length === 0) return err('INVALID_STATE', '该赛道还没有已通过审核的参赛作品');
  const missing = await count(collection(COLLECTIONS.scores).where({ activityId: p.activityId, trackId: p.trackId, round: 1, state: _.neq('final') }));
  if (missing > 0 && !p.overrideReason) return err('INVALID_STATE', `还有 ${missing} 份初评评分未提交；如确需开始复评，请填写理由`);

  // 初评 as the rule ranks it (final scores only), then its top k with every tie of the k-th.
  const ids = entries.map((e) => e._id);
  const r = computeResults({ rubric: t.judging.rubric, settings: t.judging.scoring, entryIds: ids, scores: await finalScores(p.activityId, p.trackId, ids, 1) });
  if (!r.ok) return err('INVALID_STATE', `无法计算初评结果：${r.message}`);
  const k = finalistTarget(t.judging.round2, entries.length)!;
  const picked = new Set(pickFinalists(r.data.entries.map((e) => ({ entryId: e.entryId, rank: e.rank })), k));
  if (picked.size === 0) return err('INVALID_STATE', '初评还没有已提交的评分，无法选出复评作品');
  const code = new Map(entries.map((e) => [e._id, e.code]));
  const ranked: Finalist[] = r.data.entries
    .filter((e) => picked.has(e.entryId))
    .map((e) => ({ entryId: e.entryId, code: code.get(e.entryId) ?? '', rank: e.rank!, score: e.placing?.score.text ?? '' }))
    // Entries sharing a rank are listed by code, as staff read them (not by internal id).
    .sort((a, b) => a.rank - b.rank || a.code.localeCompare(b.code));
  const answer = (started: boolean, created: number) =>
    ok({ finalists: ranked.map(({ code: c, rank, score }) => ({ code: c, rank, score })), k, missing, started, created });
  if (p.dryRun) return answer(false, 0);

  const round2: NonNullable<JudgingStateDoc['round2']> = {
    finalists: [...ranked].sort((a, b) => (a.entryId < b.entryId ? -1 : a.entryId > b.entryId ? 1 : 0)),
    k,
    judges: judges.map((j) => j.userId),
    startedAt: ctx.now,
    startedBy: ctx.userId,
    override: missing > 0 ? { reason: p.overrideReason!, missing } : null,
  };
  // Recorded first, guarded on "not started": of two racing starts one wins, and 初评 is locked
  // from here on. The assignment after it is idempotent (judging.assign round 2 completes it).
  await ensureJudgingState(p.activityId, p.trackId, ctx.now);
  const won = await updateWhere(
    COLLECTIONS.judgingStates,
    { _id: judgingStateId(p.activityId, p.trackId), round2: null },
    { round2: _.set(round2), 'plans.2': _.set({ mode: p.mode, k: p.k }), updatedAt: ctx.now },
  );
  if (won !== 1) return err('INVALID_STATE', '复评已经开始');
  const finalistEntries = entries.filter((e) => picked.has(e._id));
  const { created, conflicts } = await assignRound(ctx, p.activityId, p.trackId, 2, finalistEntries, judges, p.mode, p.k);
  await audit(ctx, 'judging.round2.start', `${p.activityId}/${p.trackId}`, {
    k,
    finalists: ranked.map((f) => f.code),
    judges: round2.judges.length,
    mode: p.mode,
    perEntry: p.k,
    created,
    conflicts,
    override: round2.override,
  });
  return answer(true, created);
};

// ---- conflicts declared by hand ----------------------------------------------------------------

export const declareConflict: Handler<'judging.conflict'> = async (ctx, p) => {
  const t = await loadTrack(p.activityId, p.trackId);
  if (isErr(t)) return t;
  const seatId = panelId(p.activityId, p.trackId, p.judgeId);
  const [seat, [entry]] = await Promise.all([
    getById<Stored<PanelDoc>>(COLLECTIONS.panels, seatId),
    list<Stored<EntryDoc>>(
      collection(COLLECTIONS.entries).where({ activityId: p.activityId, trackId: p.trackId, code: p.code }).field({ _id: true, code: true, unitId: true, enterprise: true }).limit(1),
    ),
  ]);
  if (!seat) return err('NOT_FOUND', '该评委不在本赛道评委名单中');
  if (!entry) return err('NOT_FOUND', '本赛道没有这件作品');
  const field = `conflicts.${p.code}`;
  const had = !!seat.conflicts && Object.prototype.hasOwnProperty.call(seat.conflicts, p.code);

  if (!p.declare) {
    // Cleared: the judge may be assigned the entry again (judging.assign adds what is missing).
    if (had) await updateWhere(COLLECTIONS.panels, { _id: seatId }, { [field]: _.remove() });
    await audit(ctx, 'judging.conflict.clear', seatId, { code: p.code, reason: p.reason, was: had });
    return ok({ declared: false, removed: 0, reassigned: 0 });
  }

  const pair = [scoreId(1, p.code, p.judgeId), scoreId(2, p.code, p.judgeId)];
  const finals = async () => list<Stored<ScoreDoc>>(collection(COLLECTIONS.scores).where({ _id: _.in(pair), state: 'final' }).field({ round: true }).limit(2));
  const finalRefusal = (f: Stored<ScoreDoc>[]) =>
    err('SCORE_FINAL', f.some((x) => x.round === 2) ? '该评委已提交这件作品的复评评分，请先退回评分再设为回避' : '该评委已提交这件作品的初评评分，请先退回评分再设为回避（复评开始后初评评分不能退回）');
  const before = await finals();
  if (before.length > 0) return finalRefusal(before);

  // The conflict first, so that a save or submit from now on is refused; then the unsubmitted
  // scores go. A submit that slipped in between keeps its final score: the declaration is undone.
  await updateWhere(COLLECTIONS.panels, { _id: seatId }, { [field]: _.set({ reason: p.reason, by: ctx.userId, at: ctx.now }) });
  const removed = await removeWhere(COLLECTIONS.scores, { _id: _.in(pair), state: _.neq('final') });
  const after = await finals();
  if (after.length > 0) {
    if (!had) await updateWhere(COLLECTIONS.panels, { _id: seatId }, { [field]: _.remove() });
    return finalRefusal(after);
  }

  // Re-balance the round in progress when it gives k judges per entry.
  let reassigned = 0;
  const state = await loadJudgingState(p.activityId, p.trackId);
  const round: 1 | 2 = round2Started(state) ? 2 : 1;
  const plan = state?.plans?.[String(round)];
  if (plan?.mode === 'k') {
    const { judges, entries } = roundMembers(state, round, await seatsOf(p.activityId, p.trackId), [entry]);
    if (entries.length > 0) reassigned = (await assignRound(ctx, p.activityId, p.trackId, round, entries, judges, 'k', plan.k)).created;
  }
  await audit(ctx, 'judging.conflict.declare', seatId, { code: p.code, reason: p.reason, removed, reassigned, round });
  return ok({ declared: true, removed, reassigned });
};
