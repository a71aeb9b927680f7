import {
  COLLECTIONS,
  CONSENT_VERSION,
  err,
  ok,
  type ActivityDoc,
  type MeView,
  type RegistrationDoc,
  type UnitDoc,
  type UserDoc,
} from '../../../../miniprogram/core';
import { ACCOUNT_DELETED_REASON, ACTIVE_STATES, cancelledOnDeletion } from '../../../../miniprogram/core/rules/registration';
import { count, db, getById, insert, isDuplicateKeyError, list, removeWhere, updateWhere, collection, _ } from '../../../shared/cloud';
import type { Handler, Ctx } from '../../../shared/router';
import { audit } from '../../../shared/audit';
import { newIdKey } from '../../../shared/ids';
import { cancelAndRelease } from './registrations';

type Stored<T> = T & Record<string, unknown>;

async function meView(user: UserDoc, role: Ctx['role']): Promise<MeView> {
  const [unit, seats] = await Promise.all([
    user.unitId ? getById<UnitDoc & Record<string, unknown>>(COLLECTIONS.units, user.unitId) : null,
    count(collection(COLLECTIONS.panels).where({ userId: user._id })),
  ]);
  return {
    userId: user._id,
    role,
    consented: user.consentVersion === CONSENT_VERSION,
    profileComplete: Boolean(user.realName && user.phone && user.unitId && user.enterprise),
    realName: user.realName,
    phone: user.phone,
    unitId: user.unitId,
    unitName: unit?.name ?? '',
    enterprise: user.enterprise,
    verified: user.verified,
    judging: seats > 0,
  };
}

export const sessionMe: Handler<'session.me'> = async (ctx) =>
  ok({ me: ctx.user ? await meView(ctx.user, ctx.role) : null, consentVersion: CONSENT_VERSION });

export const consent: Handler<'profile.consent'> = async (ctx, p) => {
  if (p.version !== CONSENT_VERSION) return err('INVALID_PAYLOAD', '隐私说明已更新，请重新阅读后同意', 'payload.version');
  const patch = { consentVersion: CONSENT_VERSION, consentAt: ctx.now, updatedAt: ctx.now };
  if (ctx.user) {
    await updateWhere(COLLECTIONS.users, { _id: ctx.userId }, patch);
  } else {
    const doc: UserDoc = {
      _id: ctx.userId,
      openid: ctx.openid,
      role: 'worker',
      realName: '',
      phone: '',
      unitId: '',
      enterprise: '',
      verified: false,
      createdAt: ctx.now,
      idKey: newIdKey(),
      ...patch,
    };
    try {
      await insert(COLLECTIONS.users, { ...doc });
    } catch (e) {
      // A retried or concurrent first consent: the document exists now, record the consent on it.
      if (!isDuplicateKeyError(e)) throw e;
      await updateWhere(COLLECTIONS.users, { _id: ctx.userId }, patch);
    }
  }
  const user = await getById<UserDoc & Record<string, unknown>>(COLLECTIONS.users, ctx.userId);
  if (!user) return err('INTERNAL');
  await audit(ctx, 'profile.consent', ctx.userId, { version: CONSENT_VERSION });
  return ok({ me: await meView(user, ctx.role) });
};

export const saveProfile: Handler<'profile.save'> = async (ctx, p) => {
  const unit = await getById(COLLECTIONS.units, p.unitId);
  if (!unit) return err('INVALID_PAYLOAD', '请选择所在的基层工会', 'payload.unitId');
  // Verified membership follows the roster (会员名册): a changed name or phone is checked again.
  const roster = await getById<{ _id: string; members: { name: string; key: string }[] }>(COLLECTIONS.meta, 'roster');
  const verified = !!roster?.members.some((m) => m.name === p.realName && m.key === p.phone);
  const changed = await updateWhere(
    COLLECTIONS.users,
    // Consent is part of the condition: a profile write never lands without it.
    { _id: ctx.userId, consentVersion: CONSENT_VERSION },
    { realName: p.realName, phone: p.phone, unitId: p.unitId, enterprise: p.enterprise, verified, updatedAt: ctx.now },
  );
  if (changed === 0) {
    // Same values written twice update nothing; that is still a success.
    const current = await getById<UserDoc & Record<string, unknown>>(COLLECTIONS.users, ctx.userId);
    if (!current || current.consentVersion !== CONSENT_VERSION) return err('CONSENT_REQUIRED');
  }
  const user = await getById<UserDoc & Record<string, unknown>>(COLLECTIONS.users, ctx.userId);
  if (!user) return err('CONSENT_REQUIRED');
  return ok({ me: await meView(user, ctx.role) });
};

export const exportProfile: Handler<'profile.export'> = async (ctx) => {
  if (!ctx.user) return err('CONSENT_REQUIRED');
  const [registrations, entries, opinions] = await Promise.all([
    count(collection(COLLECTIONS.registrations).where({ userId: ctx.userId })),
    count(collection(COLLECTIONS.entries).where({ userId: ctx.userId })),
    count(collection(COLLECTIONS.opinions).where({ userId: ctx.userId })),
  ]);
  return ok({ me: await meView(ctx.user, ctx.role), registrations, entries, opinions, exportedAt: ctx.now });
};

const RELEASE_PAGE = 100;

/**
 * The person's active registrations for activities that have not ended are cancelled as if they had
 * cancelled themselves (reason 账号已注销): a seat goes to the first on the waitlist, a waiting place
 * leaves the queue. Ended activities' registrations stay as they were. A registration changed
 * meanwhile (staff approving it, say) is read again. Answers how many were cancelled.
 */
async function cancelActiveRegistrations(ctx: Ctx): Promise<number> {
  let cancelled = 0;
  let after = '';
  for (;;) {
    const rows = await list<Stored<RegistrationDoc>>(
      collection(COLLECTIONS.registrations)
        .where({ userId: ctx.userId, state: _.in([...ACTIVE_STATES]), _id: _.gt(after) })
        .orderBy('_id', 'asc')
        .limit(RELEASE_PAGE),
    );
    const ids = [...new Set(rows.map((r) => r.activityId))];
    const activities = ids.length
      ? await list<Stored<ActivityDoc>>(collection(COLLECTIONS.activities).where({ _id: _.in(ids) }).field({ time: true }).limit(ids.length))
      : [];
    const byId = new Map(activities.map((a) => [a._id, a]));
    for (const r of rows) {
      const a = byId.get(r.activityId);
      let current: Stored<RegistrationDoc> | null = r;
      for (let attempt = 0; a && current && cancelledOnDeletion(a, current.state, ctx.now) && attempt < 3; attempt++) {
        // Not audited one by one: an entry by this user naming the registration would tie the
        // anonymised record back to the person. The reason on the registration and the count on
        // the profile.delete entry say what happened.
        if (await cancelAndRelease(current, ctx.now, { reason: ACCOUNT_DELETED_REASON })) {
          cancelled++;
          break;
        }
        current = await getById<Stored<RegistrationDoc>>(COLLECTIONS.registrations, r._id);
      }
    }
    const last = rows[rows.length - 1];
    if (rows.length < RELEASE_PAGE || !last) return cancelled;
    after = last._id;
  }
}

export const deleteProfile: Handler<'profile.delete'> = async (ctx) => {
  // Seats first, while the registrations still name their person: those of activities that have
  // not ended are cancelled and their seats go to the waitlist (a retried deletion finds them cancelled).
  const cancelled = await cancelActiveRegistrations(ctx);
  // Registrations and entries stay for the competition's record, without a person behind them:
  // every field naming the person goes; seats, opt-ins and certificates (which carry the name) go,
  // and so do their answers to opinion calls (free text in their own words, no record to keep).
  const gone = 'deleted';
  await updateWhere(COLLECTIONS.registrations, { userId: ctx.userId }, { userId: gone, realName: '', phone: '', unitId: '', answers: [] });
  await updateWhere(COLLECTIONS.entries, { userId: ctx.userId }, { userId: gone, unitId: '', enterprise: '' });
  await updateWhere(COLLECTIONS.uploads, { userId: ctx.userId }, { userId: gone });
  await updateWhere(COLLECTIONS.appeals, { userId: ctx.userId }, { userId: gone });
  await removeWhere(COLLECTIONS.opinions, { userId: ctx.userId });
  await removeWhere(COLLECTIONS.subscriptions, { userId: ctx.userId });
  await removeWhere(COLLECTIONS.panels, { userId: ctx.userId });
  await removeWhere(COLLECTIONS.certificates, { userId: ctx.userId });
  // The trail keeps what was done to the person's own documents, not by whom: their id key is in
  // those ids, so their user id beside it would tie the anonymised documents back to them. (What
  // they did to others' documents, e.g. as staff, keeps its actor.)
  if (ctx.idKey) await updateWhere(COLLECTIONS.audit, { by: ctx.userId, objectId: db.RegExp({ regexp: `_${ctx.idKey}$` }) }, { by: gone });
  await removeWhere(COLLECTIONS.users, { _id: ctx.userId });
  await audit(ctx, 'profile.delete', ctx.userId, { cancelled });
  return ok({ deleted: true as const });
};
