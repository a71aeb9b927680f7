import {
  COLLECTIONS,
  LIMITS,
  err,
  ok,
  type ActivityDoc,
  type AnnouncementCard,
  type AnnouncementDoc,
  type Deadline,
  type RegistrationDoc,
  type UnitDoc,
} from '../../../../miniprogram/core';
import { after, page, parseCursor } from '../../../shared/paging';
import { toCard, type MyStanding } from '../../../../miniprogram/core/rules/activity';
import { HOLDS_SEAT } from '../../../../miniprogram/core/rules/registration';
import { registrationId, registrationView, withPosition } from './registrations';
import { opinionCard } from './opinions';
import { _, collection, db, getById, list, tempUrls, updateWhere } from '../../../shared/cloud';
import type { Handler } from '../../../shared/router';

type Stored<T> = T & Record<string, unknown>;

const announcementCard = (a: AnnouncementDoc): AnnouncementCard => ({
  id: a._id,
  category: a.category,
  title: a.title,
  publishAt: a.publishAt,
  pinned: a.pinned,
  activityId: a.activityId,
});

function visibleAnnouncements(now: number, activityId?: string) {
  const where: Record<string, unknown> = { withdrawn: false, publishAt: _.lte(now) };
  if (activityId) where.activityId = activityId;
  return collection(COLLECTIONS.announcements).where(where).orderBy('pinned', 'desc').orderBy('publishAt', 'desc');
}

/** The caller's standing on each of these activities: one query by deterministic ids. */
async function standings(idKey: string, activities: ActivityDoc[]): Promise<Map<string, MyStanding>> {
  const out = new Map<string, MyStanding>();
  if (activities.length === 0 || !idKey) return out;
  const ids = activities.map((a) => registrationId(a._id, idKey));
  const regs = await list<Stored<RegistrationDoc>>(
    collection(COLLECTIONS.registrations).where({ _id: _.in(ids) }).field({ activityId: true, state: true }).limit(ids.length),
  );
  for (const r of regs) out.set(r.activityId, { registered: HOLDS_SEAT.includes(r.state), waitlisted: r.state === 'waitlisted' });
  return out;
}

export const listUnits: Handler<'units.list'> = async () => {
  const units = await list<Stored<UnitDoc>>(
    collection(COLLECTIONS.units).orderBy('order', 'asc').limit(LIMITS.dbMaxPerGet),
  );
  return ok({ units: units.map((u) => ({ id: u._id, name: u.name, group: u.group, order: u.order })) });
};

export const home: Handler<'home.get'> = async (ctx) => {
  const now = ctx.now;
  const [announcements, open, mine] = await Promise.all([
    list<Stored<AnnouncementDoc>>(visibleAnnouncements(now).limit(5)),
    list<Stored<ActivityDoc>>(
      collection(COLLECTIONS.activities)
        .where({ status: 'published', 'signup.start': _.lte(now), 'signup.end': _.gt(now) })
        .orderBy('signup.end', 'asc')
        .limit(10),
    ),
    myActiveActivities(ctx.userId, now),
  ]);
  const stand = await standings(ctx.idKey, open);
  const deadlines: Deadline[] = [];
  for (const { activity: a, tracks } of mine) {
    const sub = a.competition?.windows.submission;
    if (sub && sub.start <= now && now < sub.end) deadlines.push({ activityId: a._id, title: a.title, label: '作品提交截止', at: sub.end, kind: 'submission', trackIds: tracks });
    else if (a.time.start > now) deadlines.push({ activityId: a._id, title: a.title, label: '活动开始', at: a.time.start, kind: 'start', trackIds: [] });
  }
  for (const a of open) {
    if (!stand.get(a._id)) deadlines.push({ activityId: a._id, title: a.title, label: '报名截止', at: a.signup.end, kind: 'signup', trackIds: [] });
  }
  deadlines.sort((x, y) => x.at - y.at);
  return ok({
    announcements: announcements.map(announcementCard),
    open: open.map((a) => toCard(a, now, stand.get(a._id) ?? null)),
    deadlines: deadlines.slice(0, 5),
    serverNow: now,
  });
};

/** Activities the caller holds a seat in that have not ended, with the tracks entered. */
async function myActiveActivities(userId: string, now: number): Promise<{ activity: ActivityDoc; tracks: string[] }[]> {
  const regs = await list<Stored<RegistrationDoc>>(
    collection(COLLECTIONS.registrations)
      .where({ userId, state: _.in([...HOLDS_SEAT]) })
      .orderBy('createdAt', 'desc')
      .field({ activityId: true, tracks: true })
      .limit(20),
  );
  if (regs.length === 0) return [];
  const tracks = new Map(regs.map((r) => [r.activityId, r.tracks]));
  const acts = await list<Stored<ActivityDoc>>(
    collection(COLLECTIONS.activities).where({ _id: _.in([...tracks.keys()]), 'time.end': _.gt(now) }).limit(tracks.size),
  );
  return acts.map((a) => ({ activity: a, tracks: tracks.get(a._id) ?? [] }));
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export const listActivities: Handler<'activities.list'> = async (ctx, p) => {
  const cursor = parseCursor(p.cursor);
  if (cursor === 'bad') return err('INVALID_PAYLOAD', '翻页参数无效', 'payload.cursor');
  const conds: Record<string, unknown>[] = [
    { status: p.status ? p.status : _.in(['published', 'closed']) },
  ];
  if (p.kind) conds.push({ kind: p.kind });
  if (p.q) conds.push({ title: db.RegExp({ regexp: escapeRegExp(p.q), options: 'i' }) });
  if (cursor) conds.push(after('time.start', cursor));
  const rows = await list<Stored<ActivityDoc>>(
    collection(COLLECTIONS.activities)
      .where(_.and(conds))
      .orderBy('time.start', 'desc')
      .orderBy('_id', 'desc')
      .limit(LIMITS.pageSize + 1),
  );
  const { rows: shown, next } = page(rows, LIMITS.pageSize, (a) => a.time.start);
  const stand = await standings(ctx.idKey, shown);
  return ok({
    items: shown.map((a) => toCard(a, ctx.now, stand.get(a._id) ?? null)),
    next,
    serverNow: ctx.now,
  });
};

export const activityDetail: Handler<'activities.detail'> = async (ctx, p) => {
  const a = await getById<Stored<ActivityDoc>>(COLLECTIONS.activities, p.id);
  // Drafts are staff-only; to a worker they do not exist.
  if (!a || (a.status === 'draft' && ctx.role === 'worker')) return err('NOT_FOUND', '活动不存在或尚未发布');
  const [announcements, mine, opinion] = await Promise.all([
    list<Stored<AnnouncementDoc>>(visibleAnnouncements(ctx.now, a._id).limit(5)),
    getById<Stored<RegistrationDoc>>(COLLECTIONS.registrations, registrationId(a._id, ctx.idKey)),
    // The 意见征集 card, in the same call: the detail screen stays one round trip.
    opinionCard(a._id, ctx.idKey, ctx.userId, ctx.now),
  ]);
  const standing = mine ? { registered: HOLDS_SEAT.includes(mine.state), waitlisted: mine.state === 'waitlisted' } : null;
  return ok({
    activity: {
      ...toCard(a, ctx.now, standing),
      summary: a.summary,
      body: a.body,
      planItem: a.planItem,
      questions: a.questions,
      requiresVerified: a.requiresVerified,
      requiresApproval: a.requiresApproval,
      competition: a.competition ?? null,
    },
    announcements: announcements.map(announcementCard),
    mine: mine ? await withPosition(registrationView(mine, a.title), mine) : null,
    opinion,
    serverNow: ctx.now,
  });
};

export const announcementDetail: Handler<'announcements.detail'> = async (ctx, p) => {
  const a = await getById<Stored<AnnouncementDoc>>(COLLECTIONS.announcements, p.id);
  // Withdrawn or scheduled for later: not there for readers.
  if (!a || a.withdrawn || a.publishAt > ctx.now) return err('NOT_FOUND', '公告不存在或已撤回');
  const images = a.images ?? [];
  const [, urls] = await Promise.all([updateWhere(COLLECTIONS.announcements, { _id: a._id }, { reads: _.inc(1) }), tempUrls(images, 3600)]);
  // An image whose URL could not be made is left out rather than shown broken.
  return ok({ announcement: { ...announcementCard(a), body: a.body, reads: a.reads + 1, images: images.map((f) => urls.get(f) ?? '').filter((u) => u !== '') } });
};
