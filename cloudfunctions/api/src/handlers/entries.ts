/**
 * Entries: drafts kept on the server, uploads to server-issued paths, submission as a new version
 * until the deadline, moderation. Only the owner reaches an entry here: its id is derived from the
 * caller's own user id, and every handler checks `userId` again.
 */
import {
  COLLECTIONS,
  HOUR,
  err,
  ok,
  TRACK_LABEL,
  type ActivityDoc,
  type EntryContent,
  type EntryDoc,
  type EntryView,
  type ModerationState,
  type RegistrationDoc,
  type Track,
  type UploadDoc,
  type Err,
} from '../../../../miniprogram/core';
import {
  contentRefusal,
  emptyContent,
  entryCode,
  fileRefusal,
  secCheckPieces,
  submissionRefusal,
  uploadIdsOf,
} from '../../../../miniprogram/core/rules/entry';
import { _, collection, getById, insert, isDuplicateKeyError, list, mediaCheckAsync, msgSecCheck, tempUrls, updateWhere } from '../../../shared/cloud';
import { nextNumber } from '../../../shared/counters';
import { probe } from '../../../shared/files';
import { randomId } from '../../../shared/ids';
import type { Ctx, Handler } from '../../../shared/router';
import { audit } from '../../../shared/audit';
import { registrationId } from './registrations';

type Stored<T> = T & Record<string, unknown>;

/** An upload ticket not used within this time expires; cron deletes its file. */
export const TICKET_TTL = 2 * HOUR;
/** At most this many files in flight per entry (a worker retrying is fine; a script is not). */
const MAX_OPEN_TICKETS = 30;

export const entryIdFor = (activityId: string, trackId: string, idKey: string): string => `ent_${activityId}_${trackId}_${idKey}`;

interface Loaded {
  entry: Stored<EntryDoc>;
  activity: Stored<ActivityDoc>;
  track: Track;
}

/** The caller's own entry, its activity and track, or the error to answer. */
async function loadOwn(ctx: Ctx, entryId: string): Promise<Loaded | Err> {
  const entry = await getById<Stored<EntryDoc>>(COLLECTIONS.entries, entryId);
  // Someone else's entry answers exactly like a missing one: ids reveal nothing.
  if (!entry || entry.userId !== ctx.userId) return err('NOT_FOUND', '没有找到这件作品');
  const activity = await getById<Stored<ActivityDoc>>(COLLECTIONS.activities, entry.activityId);
  const track = activity?.competition?.tracks.find((t) => t.id === entry.trackId);
  if (!activity || !track) return err('NOT_FOUND', '作品所属的比赛已不存在');
  return { entry, activity, track };
}

const isErr = (x: Loaded | Err): x is Err => (x as Err).ok === false;

function sameContent(a: EntryContent, b: EntryContent | undefined): boolean {
  return b !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

async function view(l: Loaded, now: number): Promise<EntryView> {
  const { entry, activity, track } = l;
  const ids = uploadIdsOf(entry.draft);
  const uploads = ids.length
    ? await list<Stored<UploadDoc>>(collection(COLLECTIONS.uploads).where({ _id: _.in(ids), userId: entry.userId }).limit(ids.length))
    : [];
  const byId = new Map(uploads.map((u) => [u._id, u]));
  const urls = await tempUrls(uploads.map((u) => u.fileID).filter((x): x is string => Boolean(x)), 3600);
  const captions = new Map(entry.draft.kind === 'photo' ? entry.draft.photos.map((p) => [p.uploadId, p.caption]) : []);
  const last = entry.versions[entry.versions.length - 1];
  return {
    id: entry._id,
    code: entry.code,
    activityId: activity._id,
    activityTitle: activity.title,
    trackId: track.id,
    trackName: track.name,
    track,
    kind: entry.kind,
    state: entry.state,
    moderation: entry.moderation,
    moderationReason: entry.moderationReason,
    draft: entry.draft,
    draftSavedAt: entry.draftSavedAt,
    version: entry.versions.length,
    submittedAt: last?.submittedAt ?? null,
    unsubmittedChanges: entry.state !== 'submitted' || !sameContent(entry.draft, last?.content),
    media: ids.flatMap((id) => {
      const u = byId.get(id);
      if (!u?.fileID) return [];
      return [{ uploadId: id, url: urls.get(u.fileID) ?? '', caption: captions.get(id) ?? '', verdict: u.verdict }];
    }),
    submission: activity.competition!.windows.submission,
    serverNow: now,
  };
}

export const myEntries: Handler<'entries.mine'> = async (ctx) => {
  const rows = await list<Stored<EntryDoc>>(
    collection(COLLECTIONS.entries).where({ userId: ctx.userId }).orderBy('createdAt', 'desc').field({ draft: false }).limit(50),
  );
  const ids = [...new Set(rows.map((r) => r.activityId))];
  const acts = ids.length
    ? await list<Stored<ActivityDoc>>(collection(COLLECTIONS.activities).where({ _id: _.in(ids) }).limit(ids.length))
    : [];
  const byId = new Map(acts.map((a) => [a._id, a]));
  return ok({
    items: rows.map((e) => {
      const a = byId.get(e.activityId);
      const last = e.versions[e.versions.length - 1];
      return {
        id: e._id,
        code: e.code,
        activityId: e.activityId,
        activityTitle: a?.title ?? '',
        trackName: a?.competition?.tracks.find((t) => t.id === e.trackId)?.name ?? TRACK_LABEL[e.kind],
        kind: e.kind,
        state: e.state,
        moderation: e.moderation,
        version: e.versions.length,
        submittedAt: last?.submittedAt ?? null,
      };
    }),
  });
};

export const openEntry: Handler<'entries.open'> = async (ctx, p) => {
  const id = entryIdFor(p.activityId, p.trackId, ctx.idKey);
  const existing = await loadOwn(ctx, id);
  if (!isErr(existing)) return ok(await view(existing, ctx.now));

  const [activity, reg] = await Promise.all([
    getById<Stored<ActivityDoc>>(COLLECTIONS.activities, p.activityId),
    getById<Stored<RegistrationDoc>>(COLLECTIONS.registrations, registrationId(p.activityId, ctx.idKey)),
  ]);
  if (!activity) return err('NOT_FOUND', '活动不存在');
  const refusal = submissionRefusal(activity, p.trackId, reg, ctx.now);
  if (refusal) return err(refusal.code, refusal.message);
  const track = activity.competition!.tracks.find((t) => t.id === p.trackId)!;
  // One sequence per year and kind: codes are unique across competitions (ZW-2022-0042).
  const n = await nextNumber(`code_${activity.competition!.year}_${track.kind}`, ctx.now);
  const entry: EntryDoc = {
    _id: id,
    code: entryCode(track.kind, activity.competition!.year, n),
    activityId: activity._id,
    trackId: track.id,
    kind: track.kind,
    userId: ctx.userId,
    unitId: ctx.user!.unitId,
    enterprise: ctx.user!.enterprise,
    state: 'draft',
    draft: emptyContent(track.kind),
    draftSavedAt: ctx.now,
    versions: [],
    moderation: 'none',
    moderationReason: '',
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  try {
    await insert(COLLECTIONS.entries, { ...entry });
  } catch (e) {
    // Opened twice at once: the other call created it (its code wins; ours is simply unused).
    if (!isDuplicateKeyError(e)) throw e;
  }
  const loaded = await loadOwn(ctx, id);
  if (isErr(loaded)) return loaded;
  await audit(ctx, 'entry.create', id, { code: loaded.entry.code });
  return ok(await view(loaded, ctx.now));
};

export const getEntry: Handler<'entries.get'> = async (ctx, p) => {
  const l = await loadOwn(ctx, p.entryId);
  if (isErr(l)) return l;
  return ok(await view(l, ctx.now));
};

/** Every upload a content refers to must be the caller's, for this entry, and of the right purpose. */
async function checkUploads(ctx: Ctx, entryId: string, c: EntryContent, requireUploaded: boolean): Promise<Err | null> {
  const wanted: [string, UploadDoc['purpose']][] =
    c.kind === 'photo'
      ? c.photos.map((x) => [x.uploadId, 'photo'])
      : c.kind === 'video'
        ? ([
            [c.videoUploadId, 'video'],
            [c.coverUploadId, 'cover'],
          ] as [string, UploadDoc['purpose']][]).filter(([id]) => id !== '')
        : [];
  if (wanted.length === 0) return null;
  if (new Set(wanted.map(([id]) => id)).size !== wanted.length) return err('INVALID_PAYLOAD', '同一个文件不能使用两次', 'payload.content');
  const rows = await list<Stored<UploadDoc>>(
    collection(COLLECTIONS.uploads).where({ _id: _.in(wanted.map(([id]) => id)) }).limit(wanted.length),
  );
  const byId = new Map(rows.map((u) => [u._id, u]));
  for (const [id, purpose] of wanted) {
    const u = byId.get(id);
    // A file issued to someone else is answered as unknown: nothing about it is revealed.
    if (!u || u.userId !== ctx.userId || u.entryId !== entryId) return err('FILE_REJECTED', '文件不存在或不属于这件作品', 'payload.content');
    if (u.purpose !== purpose) return err('FILE_REJECTED', '文件用途不符', 'payload.content');
    if (u.state === 'rejected' || u.state === 'deleted') return err('FILE_REJECTED', '该文件未通过检查，请重新上传', 'payload.content');
    if (requireUploaded && u.state !== 'uploaded') return err('FILE_REJECTED', '还有文件没有上传完成', 'payload.content');
  }
  return null;
}

export const saveDraft: Handler<'entries.saveDraft'> = async (ctx, p) => {
  const l = await loadOwn(ctx, p.entryId);
  if (isErr(l)) return l;
  const refusal = contentRefusal(l.track, p.content, false);
  if (refusal) return err(refusal.code, refusal.message, 'payload.content');
  const reg = await getById<Stored<RegistrationDoc>>(COLLECTIONS.registrations, registrationId(l.activity._id, ctx.idKey));
  const closed = submissionRefusal(l.activity, l.track.id, reg, ctx.now);
  if (closed) return err(closed.code, closed.message);
  const bad = await checkUploads(ctx, l.entry._id, p.content, false);
  if (bad) return bad;
  await updateWhere(COLLECTIONS.entries, { _id: l.entry._id, userId: ctx.userId }, { draft: _.set(p.content), draftSavedAt: ctx.now, updatedAt: ctx.now });
  return ok({ draftSavedAt: ctx.now });
};

export const submitEntry: Handler<'entries.submit'> = async (ctx, p) => {
  const l = await loadOwn(ctx, p.entryId);
  if (isErr(l)) return l;
  const { entry, activity, track } = l;
  const reg = await getById<Stored<RegistrationDoc>>(COLLECTIONS.registrations, registrationId(activity._id, ctx.idKey));
  const closed = submissionRefusal(activity, track.id, reg, ctx.now);
  if (closed) return err(closed.code, closed.message);
  const content = entry.draft;
  const refusal = contentRefusal(track, content, true);
  if (refusal) return err(refusal.code, refusal.message);
  const last = entry.versions[entry.versions.length - 1];
  if (entry.state === 'submitted' && sameContent(content, last?.content)) return err('ALREADY_EXISTS', '作品已提交，没有新的修改');
  const bad = await checkUploads(ctx, entry._id, content, true);
  if (bad) return bad;

  // Text is checked when submitted (drafts are private), in pieces of at most 2500 characters.
  let moderation: ModerationState = 'approved';
  const text = content.kind === 'essay' ? `${content.title}\n${content.text}` : content.kind === 'video' ? `${content.title}\n${content.description}` : `${content.title}\n${content.photos.map((x) => x.caption).join('\n')}`;
  for (const piece of secCheckPieces(text)) {
    const verdict = await msgSecCheck(ctx.openid, piece);
    if (verdict === 'risky') return err('CONTENT_RISKY');
    if (verdict === 'review') moderation = 'review';
  }
  if (content.kind === 'photo') {
    // Images are checked asynchronously: the verdict comes back through the events function.
    const uploads = await list<Stored<UploadDoc>>(collection(COLLECTIONS.uploads).where({ _id: _.in(uploadIdsOf(content)) }).limit(50));
    const pendingIds = uploads.filter((u) => u.verdict !== 'pass').map((u) => u);
    const urls = await tempUrls(pendingIds.map((u) => u.fileID!).filter(Boolean), 24 * 3600);
    for (const u of pendingIds) {
      const url = urls.get(u.fileID!);
      if (!url) return err('FILE_REJECTED', '有照片读取失败，请重新上传');
      const traceId = await mediaCheckAsync(ctx.openid, url);
      await updateWhere(COLLECTIONS.uploads, { _id: u._id }, { traceId, verdict: 'pending' });
    }
    if (pendingIds.length > 0 && moderation === 'approved') moderation = 'pending';
    if (uploads.some((u) => u.verdict === 'risky')) return err('CONTENT_RISKY', '有照片未通过安全检测，请更换');
  }
  // No API checks video: every video waits for a person.
  if (content.kind === 'video') moderation = 'review';

  const version = { version: entry.versions.length + 1, submittedAt: ctx.now, content };
  const changed = await updateWhere(
    COLLECTIONS.entries,
    // Guarded by the version count: two submits at once cannot both append.
    { _id: entry._id, userId: ctx.userId, versions: _.size(entry.versions.length) },
    { state: 'submitted', versions: _.push(version), moderation, moderationReason: '', updatedAt: ctx.now },
  );
  if (changed !== 1) return err('CONFLICT');
  await audit(ctx, 'entry.submit', entry._id, { version: version.version, moderation });
  const fresh = await loadOwn(ctx, entry._id);
  if (isErr(fresh)) return fresh;
  return ok(await view(fresh, ctx.now));
};

export const withdrawEntry: Handler<'entries.withdraw'> = async (ctx, p) => {
  const l = await loadOwn(ctx, p.entryId);
  if (isErr(l)) return l;
  if (l.entry.state !== 'submitted') return err('INVALID_STATE', '作品尚未提交');
  const reg = await getById<Stored<RegistrationDoc>>(COLLECTIONS.registrations, registrationId(l.activity._id, ctx.idKey));
  const closed = submissionRefusal(l.activity, l.track.id, reg, ctx.now);
  if (closed) return err(closed.code, closed.message === '作品提交已截止' ? '提交截止后不能撤回' : closed.message);
  if ((await updateWhere(COLLECTIONS.entries, { _id: l.entry._id, state: 'submitted' }, { state: 'withdrawn', updatedAt: ctx.now })) !== 1) return err('CONFLICT');
  await audit(ctx, 'entry.withdraw', l.entry._id, {});
  const fresh = await loadOwn(ctx, l.entry._id);
  if (isErr(fresh)) return fresh;
  return ok(await view(fresh, ctx.now));
};

export const uploadTicket: Handler<'uploads.ticket'> = async (ctx, p) => {
  const l = await loadOwn(ctx, p.entryId);
  if (isErr(l)) return l;
  const reg = await getById<Stored<RegistrationDoc>>(COLLECTIONS.registrations, registrationId(l.activity._id, ctx.idKey));
  const closed = submissionRefusal(l.activity, l.track.id, reg, ctx.now);
  if (closed) return err(closed.code, closed.message);
  const refusal = fileRefusal(l.track, p.purpose, p.ext, p.size);
  if (refusal) return err(refusal.code, refusal.message, 'payload.size');
  const open = await list<Stored<UploadDoc>>(
    collection(COLLECTIONS.uploads).where({ entryId: l.entry._id, state: 'issued', expiresAt: _.gt(ctx.now) }).field({ _id: true }).limit(MAX_OPEN_TICKETS),
  );
  if (open.length >= MAX_OPEN_TICKETS) return err('RATE_LIMITED', '待上传的文件太多，请先完成已选文件的上传');
  const uploadId = randomId('up');
  // Under the entry's blind code, never the worker's id: no path links an author's entries.
  const cloudPath = `entries/${l.activity._id}/${l.entry.code}/${uploadId.slice(3)}.${p.ext}`;
  const doc: UploadDoc = {
    _id: uploadId,
    userId: ctx.userId,
    activityId: l.activity._id,
    entryId: l.entry._id,
    purpose: p.purpose,
    ext: p.ext,
    cloudPath,
    fileID: null,
    state: 'issued',
    declaredSize: p.size,
    size: null,
    traceId: null,
    verdict: null,
    createdAt: ctx.now,
    expiresAt: ctx.now + TICKET_TTL,
  };
  await insert(COLLECTIONS.uploads, { ...doc });
  return ok({ uploadId, cloudPath, expiresAt: doc.expiresAt, maxBytes: p.size });
};

export const confirmUpload: Handler<'uploads.confirm'> = async (ctx, p) => {
  const u = await getById<Stored<UploadDoc>>(COLLECTIONS.uploads, p.uploadId);
  if (!u || u.userId !== ctx.userId) return err('NOT_FOUND', '没有找到这次上传');
  if (u.state === 'uploaded' && u.fileID === p.fileID) {
    const urls = await tempUrls([p.fileID]);
    return ok({ uploadId: u._id, size: u.size ?? 0, url: urls.get(p.fileID) ?? '' });
  }
  if (u.state !== 'issued') return err('INVALID_STATE', '这次上传已失效，请重新选择文件');
  if (u.expiresAt <= ctx.now) return err('CLOSED', '上传已过期，请重新选择文件');
  // The file ID must name exactly the path this ticket issued: a file uploaded elsewhere, or
  // someone else's file, is refused.
  // cloud://<env>.<bucket>/<path>: the path after the bucket must be exactly the issued one.
  const path = /^cloud:\/\/[^/]+\/(.+)$/.exec(p.fileID)?.[1];
  if (path !== u.cloudPath) return err('FILE_REJECTED', '文件与上传凭证不符', 'payload.fileID');
  const l = await loadOwn(ctx, u.entryId);
  if (isErr(l)) return l;

  const urls = await tempUrls([p.fileID], 600);
  const url = urls.get(p.fileID);
  const found = url ? await probe(url) : null;
  const reject = async (message: string) => {
    await updateWhere(COLLECTIONS.uploads, { _id: u._id, state: 'issued' }, { state: 'rejected', fileID: p.fileID, updatedAt: ctx.now });
    return err('FILE_REJECTED', message, 'payload.fileID');
  };
  if (!found) return err('FILE_REJECTED', '没有找到上传的文件，请重试', 'payload.fileID');
  const expected = u.ext === 'jpg' ? 'jpeg' : u.ext;
  if (found.kind !== expected) return reject(u.purpose === 'video' ? '文件不是 MP4 视频' : '文件不是有效的图片');
  const refusal = fileRefusal(l.track, u.purpose, u.ext, found.size);
  if (refusal) return reject(refusal.message);
  // Re-encoded photos carry no EXIF; one that still has GPS would publish where the worker was.
  if (found.gps) return reject('照片含有位置信息（GPS），请重新选择，小程序会自动去除');
  if ((await updateWhere(COLLECTIONS.uploads, { _id: u._id, state: 'issued' }, { state: 'uploaded', fileID: p.fileID, size: found.size, updatedAt: ctx.now })) !== 1)
    return err('CONFLICT');
  return ok({ uploadId: u._id, size: found.size, url: url ?? '' });
};
