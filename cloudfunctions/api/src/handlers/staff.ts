/**
 * What union staff run from their phones: people and roles, units, the member roster,
 * announcements, activities and competitions, registrations and check-in, moderation. Every list
 * masks phone numbers; opening one record is audited. Nothing is half-applied.
 */
import {
  COLLECTIONS,
  err,
  ok,
  maskPhone,
  parseCsv,
  windowProblems,
  canMove,
  TRACK_LABEL,
  type ActivityDoc,
  type AnnouncementDoc,
  type CompetitionSettings,
  type EntryDoc,
  type ModerationItem,
  type RegistrationDoc,
  type RosterRow,
  type Track,
  type UnitDoc,
  type UploadDoc,
  type UserDoc,
  DEFAULT_TIERS,
  LIMITS,
} from '../../../../miniprogram/core';
import { scoringSettings } from '../../../../miniprogram/core/rules/scoring';
import { uploadIdsOf } from '../../../../miniprogram/core/rules/entry';
import { _, collection, db, download, getById, insert, list, removeWhere, tempUrls, updateWhere, setDoc } from '../../../shared/cloud';
import { randomId, verifySigned } from '../../../shared/ids';
import { audit } from '../../../shared/audit';
import type { Handler } from '../../../shared/router';
import { promoteWaitlist } from './registrations';
import { imagesRefusal, isReservedId, recordImageUse } from './announcements';
import { after, page, parseCursor } from '../../../shared/paging';

type Stored<T> = T & Record<string, unknown>;

async function unitNames(): Promise<Map<string, string>> {
  const units = await list<Stored<UnitDoc>>(collection(COLLECTIONS.units).limit(LIMITS.dbMaxPerGet));
  return new Map(units.map((u) => [u._id, u.name]));
}

// ---- people ---------------------------------------------------------------------------------------

export const searchUsers: Handler<'users.search'> = async (ctx, p) => {
  const where: Record<string, unknown> = {};
  if (p.role) where.role = p.role;
  if (p.q) where.realName = db.RegExp({ regexp: p.q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), options: 'i' });
  const [users, units] = await Promise.all([
    list<Stored<UserDoc>>(collection(COLLECTIONS.users).where(where).orderBy('realName', 'asc').limit(50)),
    unitNames(),
  ]);
  return ok({
    items: users.map((u) => ({
      userId: u._id,
      realName: u.realName,
      phone: maskPhone(u.phone),
      unitName: units.get(u.unitId) ?? '',
      enterprise: u.enterprise,
      role: u.role,
      verified: u.verified,
    })),
    // Who asks, from the router's context: the page needs no separate session.me.
    viewer: { userId: ctx.userId, admin: ctx.role === 'admin' },
  });
};

export const revealUser: Handler<'users.reveal'> = async (ctx, p) => {
  const u = await getById<Stored<UserDoc>>(COLLECTIONS.users, p.userId);
  if (!u) return err('NOT_FOUND', '没有这位用户');
  await audit(ctx, 'user.reveal', u._id, {});
  return ok({ phone: u.phone });
};

export const setRole: Handler<'users.setRole'> = async (ctx, p) => {
  const u = await getById<Stored<UserDoc>>(COLLECTIONS.users, p.userId);
  if (!u) return err('NOT_FOUND', '没有这位用户');
  if (u.role === 'admin') return err('FORBIDDEN', '管理员由部署配置指定，不能在小程序中更改');
  if (u._id === ctx.userId) return err('FORBIDDEN', '不能更改自己的角色');
  await updateWhere(COLLECTIONS.users, { _id: u._id }, { role: p.role, updatedAt: ctx.now });
  await audit(ctx, 'user.setRole', u._id, { from: u.role, to: p.role });
  return ok({ role: p.role });
};

/** The units page's list: the same rows as units.list (public, for the profile form), asked as staff. */
export const staffUnits: Handler<'units.staffList'> = async () => {
  const units = await list<Stored<UnitDoc>>(collection(COLLECTIONS.units).orderBy('order', 'asc').limit(LIMITS.dbMaxPerGet));
  return ok({ units: units.map((u) => ({ id: u._id, name: u.name, group: u.group, order: u.order })) });
};

export const saveUnit: Handler<'units.save'> = async (ctx, p) => {
  const id = p.id ?? randomId('unit');
  if (p.id && !(await getById(COLLECTIONS.units, p.id))) return err('NOT_FOUND', '没有这个基层工会');
  const clash = await list<Stored<UnitDoc>>(collection(COLLECTIONS.units).where({ name: p.name, _id: _.neq(id) }).limit(1));
  if (clash.length) return err('ALREADY_EXISTS', '已有同名的基层工会');
  await setDoc(COLLECTIONS.units, id, { name: p.name, group: p.group, order: p.order });
  await audit(ctx, 'unit.save', id, { name: p.name });
  return ok({ id });
};

/**
 * The roster CSV: 姓名,手机号或工号,基层工会. Every row is checked first; one bad row refuses the
 * whole file (the report says which and why), so a roster is never half-applied.
 */
export const importRoster: Handler<'roster.import'> = async (ctx, p) => {
  let text: string;
  try {
    text = (await download(p.fileID)).toString('utf8');
  } catch {
    return err('FILE_REJECTED', '读取名册文件失败，请重新上传', 'payload.fileID');
  }
  if (text.includes('\u0000')) return err('FILE_REJECTED', '请上传 CSV 文本文件（Excel 另存为 CSV UTF-8）', 'payload.fileID');
  const table = parseCsv(text);
  if (table.length === 0) return err('FILE_REJECTED', '名册是空的', 'payload.fileID');
  const header = table[0]!.map((x) => x.trim());
  const body = header[0] === '姓名' ? table.slice(1) : table;
  if (body.length > 5000) return err('FILE_REJECTED', '一次最多导入 5000 行', 'payload.fileID');
  const unitsByName = new Map([...(await unitNames()).entries()].map(([id, name]) => [name, id]));
  const seen = new Set<string>();
  const rows: RosterRow[] = body.map((cells, i) => {
    const line = i + (body === table ? 1 : 2);
    const [name = '', key = '', unitName = ''] = cells.map((c) => c.trim());
    let problem: string | null = null;
    if (cells.length !== 3) problem = `应为 3 列，实际 ${cells.length} 列`;
    else if (!/^[\u4e00-\u9fa5A-Za-z·• ]{2,20}$/.test(name)) problem = '姓名不正确';
    else if (!/^(1[3-9]\d{9}|[A-Za-z0-9-]{2,20})$/.test(key)) problem = '手机号或工号不正确';
    else if (!unitsByName.has(unitName)) problem = `没有名为「${unitName}」的基层工会`;
    else if (seen.has(key)) problem = '与前面的行重复';
    seen.add(key);
    return { line, name, key: /^\d{11}$/.test(key) ? maskPhone(key) : key, unitName, problem, raw: key };
  }) as (RosterRow & { raw: string })[];
  const refused = rows.filter((r) => r.problem).length;
  const report = (applied: boolean, verifiedUsers: number) => ({
    rows: rows.map(({ line, name, key, unitName, problem }) => ({ line, name, key, unitName, problem })),
    accepted: rows.length - refused,
    refused,
    applied,
    verifiedUsers,
  });
  if (refused > 0 || p.dryRun) return ok(report(false, 0));
  // Replace the roster, then verify the workers it names (by name + phone, in their unit).
  await removeWhere(COLLECTIONS.meta, { _id: 'roster' });
  const members = (rows as (RosterRow & { raw: string })[]).map((r) => ({ name: r.name, key: r.raw, unitId: unitsByName.get(r.unitName)! }));
  await insert(COLLECTIONS.meta, { _id: 'roster', importedAt: ctx.now, by: ctx.userId, count: members.length, members });
  let verifiedUsers = 0;
  for (const m of members) {
    if (!/^\d{11}$/.test(m.key)) continue;
    verifiedUsers += await updateWhere(COLLECTIONS.users, { realName: m.name, phone: m.key, verified: false }, { verified: true, updatedAt: ctx.now });
  }
  await audit(ctx, 'roster.import', 'roster', { rows: members.length, verifiedUsers });
  return ok(report(true, verifiedUsers));
};

// ---- announcements --------------------------------------------------------------------------------

export const staffAnnouncements: Handler<'announcements.list'> = async (_ctx, p) => {
  const cursor = parseCursor(p.cursor);
  if (cursor === 'bad') return err('INVALID_PAYLOAD', '翻页参数无效', 'payload.cursor');
  const rows = await list<Stored<AnnouncementDoc>>(
    collection(COLLECTIONS.announcements)
      .where(cursor ? after('publishAt', cursor) : {})
      .orderBy('publishAt', 'desc')
      .orderBy('_id', 'desc')
      .limit(LIMITS.pageSize + 1),
  );
  const { rows: shown, next } = page(rows, LIMITS.pageSize, (a) => a.publishAt);
  return ok({
    items: shown.map((a) => ({ id: a._id, category: a.category, title: a.title, pinned: a.pinned, publishAt: a.publishAt, withdrawn: a.withdrawn, reads: a.reads, activityId: a.activityId })),
    next,
  });
};

export const saveAnnouncement: Handler<'announcements.save'> = async (ctx, p) => {
  if (p.activityId && !(await getById(COLLECTIONS.activities, p.activityId))) return err('INVALID_PAYLOAD', '关联的活动不存在', 'payload.activityId');
  const id = p.id ?? randomId('ann');
  const existing = p.id ? await getById<Stored<AnnouncementDoc>>(COLLECTIONS.announcements, p.id) : null;
  // A new announcement may come with the id its first image ticket reserved.
  if (p.id && !existing && !(await isReservedId(p.id))) return err('NOT_FOUND', '没有这条公告');
  // Withdrawn stays withdrawn: editing must not put it back in front of workers.
  if (existing?.withdrawn) return err('INVALID_STATE', '公告已撤回，不能再修改；如需再次发布请新建公告');
  const badImages = await imagesRefusal(id, p.images, existing?.images ?? []);
  if (badImages) return badImages;
  const doc: AnnouncementDoc & { images: string[] } = {
    _id: id,
    category: p.category,
    title: p.title,
    body: p.body,
    images: p.images,
    pinned: p.pinned,
    activityId: p.activityId,
    publishAt: p.publishAt,
    withdrawn: false,
    reads: existing?.reads ?? 0,
    createdAt: existing?.createdAt ?? ctx.now,
  };
  const { _id, ...data } = doc;
  await setDoc(COLLECTIONS.announcements, _id, data);
  await recordImageUse(id, p.images, existing?.images ?? [], ctx.now);
  await audit(ctx, existing ? 'announcement.edit' : 'announcement.create', id, { publishAt: p.publishAt });
  return ok({ id });
};

export const withdrawAnnouncement: Handler<'announcements.withdraw'> = async (ctx, p) => {
  if ((await updateWhere(COLLECTIONS.announcements, { _id: p.id, withdrawn: false }, { withdrawn: true })) !== 1) return err('NOT_FOUND', '公告不存在或已撤回');
  await audit(ctx, 'announcement.withdraw', p.id, {});
  return ok({ withdrawn: true as const });
};

// ---- activities -----------------------------------------------------------------------------------

export const staffActivities: Handler<'activities.staffList'> = async (_ctx, p) => {
  const cursor = parseCursor(p.cursor);
  if (cursor === 'bad') return err('INVALID_PAYLOAD', '翻页参数无效', 'payload.cursor');
  const conds: Record<string, unknown>[] = [];
  if (p.status) conds.push({ status: p.status });
  if (p.kind) conds.push({ kind: p.kind });
  if (cursor) conds.push(after('time.start', cursor));
  const rows = await list<Stored<ActivityDoc>>(
    collection(COLLECTIONS.activities)
      .where(conds.length ? _.and(conds) : {})
      .orderBy('time.start', 'desc')
      .orderBy('_id', 'desc')
      .limit(LIMITS.pageSize + 1),
  );
  const { rows: shown, next } = page(rows, LIMITS.pageSize, (a) => a.time.start);
  return ok({
    items: shown.map((a) => ({ id: a._id, kind: a.kind, title: a.title, status: a.status, time: a.time, signup: a.signup, capacity: a.capacity, taken: a.taken, waitlisted: a.waitlisted, planItem: a.planItem })),
    next,
  });
};

/** One activity in full for the editor, whatever its status (drafts included). */
export const getActivity: Handler<'activities.get'> = async (_ctx, p) => {
  const a = await getById<Stored<ActivityDoc>>(COLLECTIONS.activities, p.id);
  if (!a) return err('NOT_FOUND', '没有这个活动');
  return ok({
    activity: {
      id: a._id,
      kind: a.kind,
      title: a.title,
      status: a.status,
      time: a.time,
      signup: a.signup,
      capacity: a.capacity,
      taken: a.taken,
      waitlisted: a.waitlisted,
      planItem: a.planItem,
      summary: a.summary,
      body: a.body,
      place: a.place,
      questions: a.questions,
      requiresVerified: a.requiresVerified,
      // An older document may not record it: null, and the editor asks staff to confirm.
      requiresApproval: typeof a.requiresApproval === 'boolean' ? a.requiresApproval : null,
      competition: a.competition ?? null,
    },
  });
};

type TrackInput = { id: 'essay' | 'photo' | 'video'; name: string; minChars: number; maxChars: number; maxPhotos: number; maxMB: number; maxSeconds: number };

function toTrack(t: TrackInput): Track | string {
  if (t.id === 'essay') {
    if (t.maxChars < 1 || t.minChars > t.maxChars) return '征文的字数上限应大于下限';
    return { id: 'essay', kind: 'essay', name: t.name, limits: { minChars: t.minChars, maxChars: t.maxChars } };
  }
  if (t.id === 'photo') {
    if (t.maxPhotos < 1 || t.maxMB < 1) return '摄影赛道需要照片数量和大小上限';
    return { id: 'photo', kind: 'photo', name: t.name, limits: { maxPhotos: t.maxPhotos, maxBytes: t.maxMB * 1024 * 1024 } };
  }
  if (t.maxSeconds < 1 || t.maxMB < 1) return '微视频赛道需要时长和大小上限';
  return { id: 'video', kind: 'video', name: t.name, limits: { maxSeconds: t.maxSeconds, maxBytes: t.maxMB * 1024 * 1024 } };
}

const DEFAULT_RUBRIC: Record<'essay' | 'photo' | 'video', [string, string, number][]> = {
  essay: [['content', '思想内容', 50], ['writing', '文字表达', 30], ['creativity', '创新特色', 20]],
  photo: [['theme', '主题立意', 40], ['composition', '构图用光', 40], ['craft', '后期技术', 20]],
  video: [['theme', '主题内容', 40], ['story', '叙事剪辑', 40], ['sound', '声画质量', 20]],
};

export const saveActivity: Handler<'activities.save'> = async (ctx, p) => {
  const existing = p.id ? await getById<Stored<ActivityDoc>>(COLLECTIONS.activities, p.id) : null;
  if (p.id && !existing) return err('NOT_FOUND', '没有这个活动');
  if (p.kind === 'competition' && !p.competition) return err('INVALID_PAYLOAD', '比赛需要设置赛道和各阶段时间', 'payload.competition');
  if (p.kind !== 'competition' && p.competition) return err('INVALID_PAYLOAD', '只有比赛类活动可以设置赛道', 'payload.competition');
  const problem = windowProblems(p.time, p.signup, p.competition?.windows ?? null);
  if (problem) return err('INVALID_PAYLOAD', problem.message, problem.field);
  if (new Set(p.questions.map((q) => q.id)).size !== p.questions.length) return err('INVALID_PAYLOAD', '问题编号重复', 'payload.questions');
  const badChoice = p.questions.find((q) => q.type === 'choice' && q.options.length < 2);
  if (badChoice) return err('INVALID_PAYLOAD', `选择题「${badChoice.label}」至少需要两个选项`, 'payload.questions');
  // Capacity can shrink, never below the seats already held.
  if (existing && p.capacity > 0 && p.capacity < existing.taken) return err('INVALID_PAYLOAD', `已有 ${existing.taken} 人报名，名额不能少于此数`, 'payload.capacity');
  let competition: CompetitionSettings | undefined;
  if (p.competition) {
    const tracks: Track[] = [];
    for (const t of p.competition.tracks) {
      const track = toTrack(t);
      if (typeof track === 'string') return err('INVALID_PAYLOAD', track, 'payload.competition.tracks');
      tracks.push(track);
    }
    if (new Set(tracks.map((t) => t.id)).size !== tracks.length) return err('INVALID_PAYLOAD', '赛道重复', 'payload.competition.tracks');
    if (p.competition.tracks.some((t) => t.round2 && t.round2.count > 0 && t.round2.percent > 0))
      return err('INVALID_PAYLOAD', '复评作品数请填写名额或比例，二者选一', 'payload.competition.tracks');
    competition = {
      year: p.competition.year,
      blind: true,
      tracks,
      windows: p.competition.windows,
      // Rubrics keep what staff set before; new tracks start from the default rubric. 复评 as sent
      // (a count, or a percentage of the participants; both 0: none), or as it was when not sent.
      judging: Object.fromEntries(
        tracks.map((t, i) => {
          const j = existing?.competition?.judging?.[t.id] ?? {
            rubric: { criteria: DEFAULT_RUBRIC[t.kind].map(([id, name, weight]) => ({ id, name, weight, max: 10 })) },
            scoring: scoringSettings({ tiers: DEFAULT_TIERS }),
            commentRequired: false,
          };
          const r2 = p.competition!.tracks[i]!.round2;
          if (!r2) return [t.id, j];
          return [t.id, { ...j, round2: r2.count > 0 ? { count: r2.count } : r2.percent > 0 ? { share: { num: r2.percent, den: 100 } } : null }];
        }),
      ),
    };
  }
  const id = p.id ?? randomId('act');
  const doc: Omit<ActivityDoc, '_id'> = {
    kind: p.kind,
    title: p.title,
    summary: p.summary,
    body: p.body,
    status: existing?.status ?? 'draft',
    time: p.time,
    place: p.place,
    capacity: p.capacity,
    taken: existing?.taken ?? 0,
    waitlisted: existing?.waitlisted ?? 0,
    signup: competition ? competition.windows.registration : p.signup,
    planItem: p.planItem,
    questions: p.questions.map((q) => (q.type === 'choice' ? q : { id: q.id, label: q.label, type: q.type, required: q.required })),
    requiresVerified: p.requiresVerified,
    requiresApproval: p.requiresApproval,
    ...(competition ? { competition } : {}),
    createdAt: existing?.createdAt ?? ctx.now,
    updatedAt: ctx.now,
  };
  if (existing) {
    // Guarded on the seat count read above, so a registration in between is not overwritten.
    const n = await updateWhere(COLLECTIONS.activities, { _id: id, taken: existing.taken, waitlisted: existing.waitlisted }, { ...doc, competition: competition ? _.set(competition) : _.remove(), questions: _.set(doc.questions) });
    if (n !== 1) return err('CONFLICT');
  } else {
    await insert(COLLECTIONS.activities, { _id: id, ...doc });
  }
  await audit(ctx, existing ? 'activity.edit' : 'activity.create', id, { kind: p.kind });
  // More seats than before: the waitlist moves up at once.
  if (existing && (p.capacity === 0 || p.capacity > existing.capacity) && existing.waitlisted > 0) await promoteWaitlist(id, ctx.now);
  return ok({ id });
};

export const setActivityStatus: Handler<'activities.setStatus'> = async (ctx, p) => {
  const a = await getById<Stored<ActivityDoc>>(COLLECTIONS.activities, p.id);
  if (!a) return err('NOT_FOUND', '没有这个活动');
  if (a.status === p.status) return ok({ status: p.status });
  if (!canMove(a.status, p.status)) return err('INVALID_STATE', `不能从「${a.status}」改为「${p.status}」`);
  if ((await updateWhere(COLLECTIONS.activities, { _id: a._id, status: a.status }, { status: p.status, updatedAt: ctx.now })) !== 1) return err('CONFLICT');
  await audit(ctx, 'activity.status', a._id, { from: a.status, to: p.status });
  return ok({ status: p.status });
};

// ---- registrations ----------------------------------------------------------------------------------

export const listRegistrations: Handler<'registrations.list'> = async (_ctx, p) => {
  const after = p.cursor === undefined ? null : Number(p.cursor);
  if (after !== null && !Number.isSafeInteger(after)) return err('INVALID_PAYLOAD', '翻页参数无效', 'payload.cursor');
  const where: Record<string, unknown> = { activityId: p.activityId };
  if (p.state) where.state = p.state;
  if (after !== null) where.createdAt = _.gt(after);
  const [rows, units] = await Promise.all([
    list<Stored<RegistrationDoc>>(collection(COLLECTIONS.registrations).where(where).orderBy('createdAt', 'asc').limit(LIMITS.pageSize + 1)),
    unitNames(),
  ]);
  const page = rows.slice(0, LIMITS.pageSize);
  return ok({
    items: page.map((r) => ({
      id: r._id,
      realName: r.realName,
      phone: maskPhone(r.phone),
      unitName: units.get(r.unitId) ?? '',
      state: r.state,
      tracks: r.tracks,
      answers: r.answers,
      createdAt: r.createdAt,
      checkedInAt: r.checkedInAt,
      reason: r.reason,
    })),
    next: rows.length > LIMITS.pageSize ? String(page[page.length - 1]!.createdAt) : null,
  });
};

export const decideRegistration: Handler<'registrations.decide'> = async (ctx, p) => {
  const r = await getById<Stored<RegistrationDoc>>(COLLECTIONS.registrations, p.registrationId);
  if (!r) return err('NOT_FOUND', '没有这条报名');
  if (!p.approve && p.reason.trim().length < 2) return err('INVALID_PAYLOAD', '不通过时请写明理由，报名者会看到', 'payload.reason');
  if (r.state === 'pending') {
    const to = p.approve ? 'confirmed' : 'rejected';
    if ((await updateWhere(COLLECTIONS.registrations, { _id: r._id, state: 'pending' }, { state: to, reason: p.reason, updatedAt: ctx.now })) !== 1) return err('CONFLICT');
    // A rejected registration gives its seat back, to the waitlist first.
    if (!p.approve) {
      await updateWhere(COLLECTIONS.activities, { _id: r.activityId, taken: _.gt(0) }, { taken: _.inc(-1) });
      await promoteWaitlist(r.activityId, ctx.now);
    }
    await audit(ctx, 'registration.decide', r._id, { approve: p.approve, reason: p.reason });
    return ok({ state: to });
  }
  if (r.state === 'waitlisted' && p.approve) {
    // Moving someone up from the waitlist by hand still takes a real seat: capacity holds.
    const a = await getById<Stored<ActivityDoc>>(COLLECTIONS.activities, r.activityId);
    if (!a) return err('NOT_FOUND', '活动不存在');
    const seat = a.capacity === 0 ? 1 : await updateWhere(COLLECTIONS.activities, { _id: a._id, taken: _.lt(a.capacity) }, { taken: _.inc(1) });
    if (seat !== 1) return err('FULL', '名额已满，请先增加名额');
    if ((await updateWhere(COLLECTIONS.registrations, { _id: r._id, state: 'waitlisted' }, { state: 'confirmed', reason: p.reason, updatedAt: ctx.now })) !== 1) {
      await updateWhere(COLLECTIONS.activities, { _id: a._id, taken: _.gt(0) }, { taken: _.inc(-1) });
      return err('CONFLICT');
    }
    await updateWhere(COLLECTIONS.activities, { _id: a._id, waitlisted: _.gt(0) }, { waitlisted: _.inc(-1) });
    await audit(ctx, 'registration.promote', r._id, { reason: p.reason });
    return ok({ state: 'confirmed' as const });
  }
  return err('INVALID_STATE', '这条报名不需要审核');
};

export const checkin: Handler<'registrations.checkin'> = async (ctx, p) => {
  const [, regId = '', sig = ''] = p.code.split('.');
  if (!verifySigned('checkin', regId, sig)) return err('FORBIDDEN', '签到码无效（可能是伪造的）');
  const r = await getById<Stored<RegistrationDoc>>(COLLECTIONS.registrations, regId);
  if (!r || r.state !== 'confirmed') return err('INVALID_STATE', '该报名未确认或已取消');
  // Once: a code shown twice (or a screenshot passed on) is refused the second time.
  if ((await updateWhere(COLLECTIONS.registrations, { _id: r._id, checkedInAt: null }, { checkedInAt: ctx.now })) !== 1) return err('ALREADY_EXISTS', '已签到过，不能重复签到');
  const a = await getById<Stored<ActivityDoc>>(COLLECTIONS.activities, r.activityId);
  await audit(ctx, 'registration.checkin', r._id, {});
  return ok({ name: r.realName, activityTitle: a?.title ?? '', checkedInAt: ctx.now });
};

// ---- moderation -------------------------------------------------------------------------------------

export const moderationQueue: Handler<'moderation.queue'> = async () => {
  const rows = await list<Stored<EntryDoc>>(
    collection(COLLECTIONS.entries).where({ state: 'submitted', moderation: _.in(['review', 'rejected']) }).orderBy('updatedAt', 'asc').limit(50),
  );
  const ids = [...new Set(rows.map((e) => e.activityId))];
  const acts = ids.length ? await list<Stored<ActivityDoc>>(collection(COLLECTIONS.activities).where({ _id: _.in(ids) }).limit(ids.length)) : [];
  const actOf = new Map(acts.map((a) => [a._id, a]));
  const uploadIds = rows.flatMap((e) => uploadIdsOf(e.versions[e.versions.length - 1]!.content));
  const uploads = uploadIds.length ? await list<Stored<UploadDoc>>(collection(COLLECTIONS.uploads).where({ _id: _.in(uploadIds) }).field({ fileID: true }).limit(uploadIds.length)) : [];
  const urls = await tempUrls(uploads.map((u) => u.fileID ?? '').filter(Boolean), 3600);
  const urlOf = new Map(uploads.map((u) => [u._id, urls.get(u.fileID ?? '') ?? '']));
  const items: ModerationItem[] = rows.map((e) => {
    const last = e.versions[e.versions.length - 1]!;
    const a = actOf.get(e.activityId);
    const c = last.content;
    return {
      entryId: e._id,
      code: e.code,
      activityTitle: a?.title ?? '',
      trackName: a?.competition?.tracks.find((t) => t.id === e.trackId)?.name ?? TRACK_LABEL[e.kind],
      kind: e.kind,
      moderation: e.moderation,
      title: c.title,
      text: c.kind === 'essay' ? c.text : c.kind === 'video' ? c.description : c.photos.map((x) => x.caption).join('\n'),
      media: uploadIdsOf(c).map((id) => urlOf.get(id) ?? ''),
      submittedAt: last.submittedAt,
    };
  });
  return ok({ items });
};

export const decideModeration: Handler<'moderation.decide'> = async (ctx, p) => {
  const e = await getById<Stored<EntryDoc>>(COLLECTIONS.entries, p.entryId);
  if (!e || e.state !== 'submitted') return err('NOT_FOUND', '没有待审核的作品');
  if (!p.approve && p.reason.trim().length < 2) return err('INVALID_PAYLOAD', '不通过时请写明理由，作者会看到', 'payload.reason');
  const to = p.approve ? 'approved' : 'rejected';
  const n = await updateWhere(
    COLLECTIONS.entries,
    // Guarded by the version count: a decision never lands on a newer version than the one reviewed.
    { _id: e._id, state: 'submitted', versions: _.size(e.versions.length) },
    { moderation: to, moderationReason: p.approve ? '' : p.reason, updatedAt: ctx.now },
  );
  if (n !== 1) return err('CONFLICT', '作品刚刚被更新，请刷新后再审核');
  if (!p.approve) {
    const ids = uploadIdsOf(e.versions[e.versions.length - 1]!.content);
    // Rejected media are kept until the appeal window ends (cron deletes them then).
    for (const id of ids) await updateWhere(COLLECTIONS.uploads, { _id: id, state: 'uploaded' }, { state: 'rejected' });
  }
  await audit(ctx, 'moderation.decide', e._id, { approve: p.approve, reason: p.reason });
  return ok({ moderation: to });
};
