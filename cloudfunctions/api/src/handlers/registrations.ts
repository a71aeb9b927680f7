/**
 * Registration that holds under concurrent requests without transactions (which allow only
 * single-document operations and give up after 3 conflicts):
 *  - the registration's id is deterministic (activity + opaque user id), so a retried or doubled
 *    request can never create a second one;
 *  - a seat is taken by a conditional update on the activity (`taken < capacity`), which the
 *    database applies atomically, so capacity cannot be overrun;
 *  - the registration is written first as waitlisted and then promoted, so a crash between the two
 *    leaves a waitlisted registration (promoted later), never a seat counted for nobody.
 */
import {
  COLLECTIONS,
  err,
  ok,
  type ActivityDoc,
  type RegistrationDoc,
  type RegistrationState,
  type RegistrationView,
  LIMITS,
} from '../../../../miniprogram/core';
import { ACTIVE_STATES, HOLDS_SEAT, cancelRefusal, registrationRefusal } from '../../../../miniprogram/core/rules/registration';
import { _, collection, count, getById, insert, isDuplicateKeyError, list, updateWhere } from '../../../shared/cloud';
import { sign } from '../../../shared/ids';
import type { Ctx, Handler } from '../../../shared/router';
import { audit } from '../../../shared/audit';

type Stored<T> = T & Record<string, unknown>;

export const registrationId = (activityId: string, idKey: string): string => `reg_${activityId}_${idKey}`;

export function checkinCode(regId: string): string {
  return `c1.${regId}.${sign('checkin', regId)}`;
}

export function registrationView(r: RegistrationDoc, activityTitle: string): RegistrationView {
  return {
    id: r._id,
    activityId: r.activityId,
    activityTitle,
    state: r.state,
    tracks: r.tracks,
    createdAt: r.createdAt,
    reason: r.reason,
    checkinCode: r.state === 'confirmed' ? checkinCode(r._id) : null,
    waitlistPosition: null,
  };
}

/** 候补第 N 位: how many wait ahead of this registration, plus one. */
export async function withPosition(v: RegistrationView, r: RegistrationDoc): Promise<RegistrationView> {
  if (r.state !== 'waitlisted') return v;
  const ahead = await count(collection(COLLECTIONS.registrations).where({ activityId: r.activityId, state: 'waitlisted', seq: _.lt(r.seq) }));
  return { ...v, waitlistPosition: ahead + 1 };
}

/** Takes a seat if one is left: one atomic conditional update on the activity. */
async function takeSeat(a: ActivityDoc, now: number): Promise<boolean> {
  if (a.capacity === 0) {
    await updateWhere(COLLECTIONS.activities, { _id: a._id }, { taken: _.inc(1), updatedAt: now });
    return true;
  }
  const n = await updateWhere(
    COLLECTIONS.activities,
    { _id: a._id, taken: _.lt(a.capacity) },
    { taken: _.inc(1), updatedAt: now },
  );
  return n === 1;
}

async function releaseSeat(activityId: string, now: number): Promise<void> {
  await updateWhere(COLLECTIONS.activities, { _id: activityId, taken: _.gt(0) }, { taken: _.inc(-1), updatedAt: now });
}

/** Moves a registration from one state to another only if nobody changed it meanwhile. */
async function transition(id: string, from: RegistrationState, to: RegistrationState, now: number, extra: Record<string, unknown> = {}): Promise<boolean> {
  return (await updateWhere(COLLECTIONS.registrations, { _id: id, state: from }, { state: to, updatedAt: now, ...extra })) === 1;
}

/**
 * Gives freed seats to the waitlist in order. Safe to run concurrently: a seat is taken before a
 * waitlisted registration is claimed, and given back if nobody could be claimed.
 */
export async function promoteWaitlist(activityId: string, now: number): Promise<number> {
  let promoted = 0;
  for (let round = 0; round < 20; round++) {
    const a = await getById<Stored<ActivityDoc>>(COLLECTIONS.activities, activityId);
    if (!a || a.capacity === 0) return promoted;
    if (!(await takeSeat(a, now))) return promoted;
    let claimed = false;
    const candidates = await list<Stored<RegistrationDoc>>(
      collection(COLLECTIONS.registrations).where({ activityId, state: 'waitlisted' }).orderBy('seq', 'asc').limit(5),
    );
    for (const c of candidates) {
      const to: RegistrationState = a.requiresApproval ? 'pending' : 'confirmed';
      if (await transition(c._id, 'waitlisted', to, now)) {
        await updateWhere(COLLECTIONS.activities, { _id: activityId, waitlisted: _.gt(0) }, { waitlisted: _.inc(-1) });
        claimed = true;
        promoted++;
        break;
      }
    }
    if (!claimed) {
      await releaseSeat(activityId, now);
      return promoted;
    }
  }
  return promoted;
}

/**
 * Cancels an active registration if it is still in the state read, then frees what it held: a seat
 * goes to the waitlist in order, a waiting place leaves the queue. Answers whether it cancelled.
 * Used by registrations.cancel and by profile.delete (with the reason).
 */
export async function cancelAndRelease(r: Pick<RegistrationDoc, '_id' | 'activityId' | 'state'>, now: number, extra: Record<string, unknown> = {}): Promise<boolean> {
  if (!(await transition(r._id, r.state, 'cancelled', now, extra))) return false;
  if (HOLDS_SEAT.includes(r.state)) {
    await releaseSeat(r.activityId, now);
    await promoteWaitlist(r.activityId, now);
  } else if (r.state === 'waitlisted') {
    await updateWhere(COLLECTIONS.activities, { _id: r.activityId, waitlisted: _.gt(0) }, { waitlisted: _.inc(-1) });
  }
  return true;
}

function checkTracksAndAnswers(a: ActivityDoc, tracks: string[], answers: { questionId: string; answer: string }[]) {
  if (a.competition) {
    if (tracks.length === 0) return err('INVALID_PAYLOAD', '请至少选择一个参赛赛道', 'payload.tracks');
    const known = new Set(a.competition.tracks.map((t) => t.id));
    const unknown = tracks.find((t) => !known.has(t));
    if (unknown) return err('INVALID_PAYLOAD', `没有这个赛道：${unknown}`, 'payload.tracks');
  } else if (tracks.length > 0) {
    return err('INVALID_PAYLOAD', '该活动没有赛道可选', 'payload.tracks');
  }
  const byId = new Map(answers.map((x) => [x.questionId, x.answer]));
  if (byId.size !== answers.length) return err('INVALID_PAYLOAD', '同一问题只能回答一次', 'payload.answers');
  for (const q of a.questions) {
    const answer = byId.get(q.id);
    if (q.required && !answer) return err('INVALID_PAYLOAD', `请回答：${q.label}`, 'payload.answers');
    if (answer && q.type === 'choice' && !(q.options ?? []).includes(answer))
      return err('INVALID_PAYLOAD', `请从选项中选择：${q.label}`, 'payload.answers');
  }
  const asked = new Set(a.questions.map((q) => q.id));
  const stray = answers.find((x) => !asked.has(x.questionId));
  if (stray) return err('INVALID_PAYLOAD', '回答了不存在的问题', 'payload.answers');
  return null;
}

export const createRegistration: Handler<'registrations.create'> = async (ctx, p) => {
  const a = await getById<Stored<ActivityDoc>>(COLLECTIONS.activities, p.activityId);
  if (!a || a.status === 'draft') return err('NOT_FOUND', '活动不存在或尚未发布');
  const refusal = registrationRefusal(a, ctx.user, ctx.now);
  if (refusal) return err(refusal.code, refusal.message);
  const bad = checkTracksAndAnswers(a, p.tracks, p.answers);
  if (bad) return bad;
  const user = ctx.user!;
  const id = registrationId(a._id, ctx.idKey);

  const fields = {
    tracks: p.tracks,
    answers: p.answers,
    realName: user.realName,
    phone: user.phone,
    unitId: user.unitId,
    reason: '',
    checkedInAt: null,
    updatedAt: ctx.now,
  };
  // The first registration is the common case: written straight away (its id is deterministic, so
  // an earlier one shows up as a duplicate key and is read only then).
  let stored: RegistrationDoc = { _id: id, activityId: a._id, userId: ctx.userId, state: 'waitlisted', seq: ctx.now, createdAt: ctx.now, ...fields };
  try {
    await insert(COLLECTIONS.registrations, { ...stored });
  } catch (e) {
    if (!isDuplicateKeyError(e)) throw e;
    const existing = await getById<Stored<RegistrationDoc>>(COLLECTIONS.registrations, id);
    if (!existing || ACTIVE_STATES.includes(existing.state)) return err('ALREADY_EXISTS', '您已报名该活动');
    if (existing.state === 'rejected') return err('INVALID_STATE', '您的报名未通过审核，如有疑问请联系工作人员');
    // Coming back after cancelling: the same document, to the back of the waitlist.
    if (!(await transition(id, 'cancelled', 'waitlisted', ctx.now, { ...fields, seq: ctx.now }))) return err('CONFLICT');
    stored = { ...existing, ...fields, seq: ctx.now, state: 'waitlisted' };
  }

  // Someone already waiting keeps their place: a newcomer takes a seat only if nobody is queued.
  const queued = a.capacity > 0 && a.waitlisted > 0;
  let state: RegistrationState = 'waitlisted';
  if (!queued && (await takeSeat(a, ctx.now))) {
    state = a.requiresApproval ? 'pending' : 'confirmed';
    if (!(await transition(id, 'waitlisted', state, ctx.now))) {
      await releaseSeat(a._id, ctx.now);
      return err('CONFLICT');
    }
  } else {
    await updateWhere(COLLECTIONS.activities, { _id: a._id }, { waitlisted: _.inc(1) });
  }
  await audit(ctx, 'registration.create', id, { state });
  if (state !== 'waitlisted') return ok({ registration: registrationView({ ...stored, state }, a.title) });
  // A waitlisted registration may have been promoted meanwhile by a freed seat: read what it is now.
  const saved = await getById<Stored<RegistrationDoc>>(COLLECTIONS.registrations, id);
  if (!saved) return err('INTERNAL');
  return ok({ registration: await withPosition(registrationView(saved, a.title), saved) });
};

export const cancelRegistration: Handler<'registrations.cancel'> = async (ctx, p) => {
  const id = registrationId(p.activityId, ctx.idKey);
  const [r, a] = await Promise.all([
    getById<Stored<RegistrationDoc>>(COLLECTIONS.registrations, id),
    getById<Stored<ActivityDoc>>(COLLECTIONS.activities, p.activityId),
  ]);
  if (!r || !a) return err('NOT_FOUND', '没有找到您的报名');
  const refusal = cancelRefusal(a, r.state, ctx.now);
  if (refusal) return err(refusal.code, refusal.message);
  if (!(await cancelAndRelease(r, ctx.now))) return err('CONFLICT');
  await audit(ctx, 'registration.cancel', id, { from: r.state });
  return ok({ registration: registrationView({ ...r, state: 'cancelled', updatedAt: ctx.now }, a.title) });
};

export const myRegistrations: Handler<'registrations.mine'> = async (ctx: Ctx, p) => {
  const before = p.cursor === undefined ? null : Number(p.cursor);
  if (before !== null && !Number.isSafeInteger(before)) return err('INVALID_PAYLOAD', '翻页参数无效', 'payload.cursor');
  const where: Record<string, unknown> = { userId: ctx.userId };
  if (before !== null) where.createdAt = _.lt(before);
  const rows = await list<Stored<RegistrationDoc>>(
    collection(COLLECTIONS.registrations).where(where).orderBy('createdAt', 'desc').limit(LIMITS.pageSize + 1),
  );
  const page = rows.slice(0, LIMITS.pageSize);
  const ids = [...new Set(page.map((r) => r.activityId))];
  const activities = ids.length
    ? await list<Stored<ActivityDoc>>(collection(COLLECTIONS.activities).where({ _id: _.in(ids) }).field({ title: true }).limit(ids.length))
    : [];
  const titles = new Map(activities.map((x) => [x._id, x.title]));
  const last = page[page.length - 1];
  return ok({
    items: page.map((r) => registrationView(r, titles.get(r.activityId) ?? '（活动已删除）')),
    next: rows.length > LIMITS.pageSize && last ? String(last.createdAt) : null,
  });
};
