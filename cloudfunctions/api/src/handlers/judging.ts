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
  DAY,
  err,
  ok,
  type BlindEntry,
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
import { judgeTotal } from '../../../../miniprogram/core/rules/scoring';
import { windowState } from '../../../../miniprogram/core/time';
import { _, collection, getById, insert, isDuplicateKeyError, list, tempUrls, updateWhere, wxacode } from '../../../shared/cloud';
import { audit } from '../../../shared/audit';
import { panelId, scoreId } from '../../../shared/ids';
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

export const queue: Handler<'judging.queue'> = async (ctx, p) => {
  if (!(await mySeat(ctx, p.activityId, p.trackId))) return err('FORBIDDEN', '您不在该赛道的评委名单中');
  const t = await loadTrack(p.activityId, p.trackId);
  if (isErr(t)) return t;
  const rows = await list<Stored<ScoreDoc>>(
    collection(COLLECTIONS.scores).where({ judgeId: ctx.userId, activityId: p.activityId, trackId: p.trackId }).orderBy('entryCode', 'asc').limit(1000),
  );
  const items = rows.map((s) => ({
    scoreId: s._id,
    code: s.entryCode,
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

/** The judge's own assignment, still inside judging, or the error to answer. */
async function ownScore(ctx: Ctx, id: string): Promise<{ score: Stored<ScoreDoc>; t: TrackContext } | Err> {
  const score = await getById<Stored<ScoreDoc>>(COLLECTIONS.scores, id);
  // Another judge's assignment looks exactly like a missing one.
  if (!score || score.judgeId !== ctx.userId) return err('NOT_FOUND', '没有找到这项评审任务');
  const t = await loadTrack(score.activityId, score.trackId);
  if (isErr(t)) return t;
  return { score, t };
}

export const blindEntry: Handler<'judging.entry'> = async (ctx, p) => {
  const own = await ownScore(ctx, p.scoreId);
  if (isErr(own)) return own;
  const { score, t } = own;
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
  const queueIds = await list<Stored<ScoreDoc>>(
    collection(COLLECTIONS.scores).where({ judgeId: ctx.userId, activityId: score.activityId, trackId: score.trackId }).orderBy('entryCode', 'asc').field({ _id: true }).limit(1000),
  );
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
  const { score, t } = own;
  const closed = judgingOpen(t, ctx.now);
  if (closed) return closed;
  if (score.state === 'final') return err('INVALID_STATE', '评分已提交，如需修改请联系工作人员退回');
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
  }
  await audit(ctx, 'score.save', score._id, { scores, comment: p.comment.length });
  const complete = t.judging.rubric.criteria.every((c) => scores[c.id] !== undefined);
  const total = complete ? judgeTotal(t.judging.rubric, scores) : null;
  return ok({ total: total && total.ok ? total.data.rounded.text : null, savedAt: ctx.now });
};

export const submitScore: Handler<'judging.submit'> = async (ctx, p) => {
  const own = await ownScore(ctx, p.scoreId);
  if (isErr(own)) return own;
  const { score, t } = own;
  const closed = judgingOpen(t, ctx.now);
  if (closed) return closed;
  if (score.state === 'final') return err('INVALID_STATE', '评分已提交');
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

export const assign: Handler<'judging.assign'> = async (ctx, p) => {
  const t = await loadTrack(p.activityId, p.trackId);
  if (isErr(t)) return t;
  const judges = await list<Stored<PanelDoc>>(collection(COLLECTIONS.panels).where({ activityId: p.activityId, trackId: p.trackId }).limit(200));
  if (judges.length === 0) return err('INVALID_STATE', '该赛道还没有评委，请先发出邀请');
  const entries = await participants(p.activityId, p.trackId);
  if (entries.length === 0) return err('INVALID_STATE', '该赛道还没有已通过审核的参赛作品');
  const existing = await list<Stored<ScoreDoc>>(
    collection(COLLECTIONS.scores).where({ activityId: p.activityId, trackId: p.trackId, round: 1 }).field({ entryId: true, judgeId: true }).limit(1000),
  );
  const load = new Map(judges.map((j) => [j.userId, 0]));
  const have = new Set(existing.map((s) => `${s.entryId}|${s.judgeId}`));
  for (const s of existing) load.set(s.judgeId, (load.get(s.judgeId) ?? 0) + 1);
  let created = 0;
  let conflicts = 0;
  for (const e of entries) {
    // Automatic conflicts: never a judge from the author's own unit or enterprise.
    const eligible = judges.filter((j) => j.unitId !== e.unitId && j.enterprise !== e.enterprise);
    conflicts += judges.length - eligible.length;
    const already = eligible.filter((j) => have.has(`${e._id}|${j.userId}`)).length;
    const want = p.mode === 'all' ? eligible.length : Math.min(p.k, eligible.length);
    // Balanced: the least-loaded eligible judges first.
    const pick = eligible
      .filter((j) => !have.has(`${e._id}|${j.userId}`))
      .sort((a, b) => (load.get(a.userId) ?? 0) - (load.get(b.userId) ?? 0) || a.userId.localeCompare(b.userId))
      .slice(0, Math.max(0, want - already));
    for (const j of pick) {
      const doc: ScoreDoc = {
        _id: scoreId(1, e.code, j.userId),
        activityId: p.activityId,
        trackId: p.trackId,
        round: 1,
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
        load.set(j.userId, (load.get(j.userId) ?? 0) + 1);
      } catch (e2) {
        if (!isDuplicateKeyError(e2)) throw e2;
      }
    }
  }
  await audit(ctx, 'judging.assign', `${p.activityId}/${p.trackId}`, { mode: p.mode, k: p.k, created, conflicts });
  return ok({ created, conflicts, judges: judges.length, entries: entries.length });
};

export const progress: Handler<'judging.progress'> = async (_ctx, p) => {
  const t = await loadTrack(p.activityId, p.trackId);
  if (isErr(t)) return t;
  const [judges, scores] = await Promise.all([
    list<Stored<PanelDoc>>(collection(COLLECTIONS.panels).where({ activityId: p.activityId, trackId: p.trackId }).limit(200)),
    allScores(p.activityId, p.trackId),
  ]);
  const names = new Map(judges.map((j) => [j.userId, j.name]));
  const byEntry = new Map<string, { code: string; totals: number[]; assigned: number; scores: ProgressView['entries'][number]['scores'] }>();
  for (const s of scores) {
    const e = byEntry.get(s.entryId) ?? { code: s.entryCode, totals: [], assigned: 0, scores: [] };
    e.assigned++;
    const tot = s.state === 'assigned' ? null : judgeTotal(t.judging.rubric, s.scores);
    if (s.state === 'final' && tot?.ok) e.totals.push(tot.data.rounded.value);
    e.scores.push({ scoreId: s._id, judge: names.get(s.judgeId) ?? '', state: s.state, total: tot?.ok ? tot.data.rounded.text : null });
    byEntry.set(s.entryId, e);
  }
  const threshold = t.judging.scoring.spreadThreshold;
  return ok({
    judges: judges.map((j) => ({
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
  const changed = await updateWhere(COLLECTIONS.scores, { _id: score._id, state: 'final' }, { state: 'draft', returnedReason: p.reason, submittedAt: null, updatedAt: ctx.now });
  if (changed !== 1) return err('CONFLICT');
  await audit(ctx, 'score.return', score._id, { reason: p.reason });
  return ok({ returned: true as const });
};
