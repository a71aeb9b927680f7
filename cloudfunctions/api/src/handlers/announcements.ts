/**
 * Staff reading one announcement for the editor, and its images: each one goes to a server-issued
 * path `announcements/<announcement id>/<random>.<ext>` (a ticket), and counts only once the
 * server has read it back (real type, size, no GPS: the same probe as entries' files). A new
 * announcement gets its id from its first ticket, so its images are stored under it from the start.
 */
import { COLLECTIONS, HOUR, LIMITS, err, ok, type ActivityDoc, type AnnouncementDoc, type AnnouncementImageDoc, type Err } from '../../../../miniprogram/core';
import { SAVABLE_IMAGE_STATES, announcementImageRefusal, announcementState, cloudPathOf } from '../../../../miniprogram/core/rules/announcement';
import { _, collection, getById, insert, list, tempUrls, updateWhere } from '../../../shared/cloud';
import { probe } from '../../../shared/files';
import { randomId } from '../../../shared/ids';
import type { Handler } from '../../../shared/router';

type Stored<T> = T & Record<string, unknown>;

/** A ticket not confirmed within this time is void. */
export const IMAGE_TICKET_TTL = 2 * HOUR;
/** Tickets in flight per announcement: an editor retrying is fine, a script is not. */
const MAX_OPEN_TICKETS = 30;

export const getAnnouncement: Handler<'announcements.get'> = async (ctx, p) => {
  const a = await getById<Stored<AnnouncementDoc>>(COLLECTIONS.announcements, p.id);
  if (!a) return err('NOT_FOUND', '没有这条公告');
  const images = a.images ?? [];
  const [urls, activity] = await Promise.all([
    tempUrls(images, 3600),
    a.activityId ? getById<Stored<ActivityDoc>>(COLLECTIONS.activities, a.activityId) : Promise.resolve(null),
  ]);
  return ok({
    announcement: {
      id: a._id,
      category: a.category,
      title: a.title,
      body: a.body,
      images: images.map((fileID) => ({ fileID, url: urls.get(fileID) ?? '' })),
      pinned: a.pinned,
      activityId: a.activityId,
      activityTitle: activity?.title ?? '',
      publishAt: a.publishAt,
      withdrawn: a.withdrawn,
      reads: a.reads,
      state: announcementState(a, ctx.now),
    },
  });
};

export const imageTicket: Handler<'announcements.imageTicket'> = async (ctx, p) => {
  const refusal = announcementImageRefusal(p.ext, p.size);
  if (refusal) return err(refusal.code, refusal.message, 'payload.size');
  let announcementId = p.announcementId;
  if (announcementId !== undefined) {
    // An existing announcement, or one whose id an earlier ticket reserved (not saved yet).
    const [existing, reserved] = await Promise.all([getById<Stored<AnnouncementDoc>>(COLLECTIONS.announcements, announcementId), isReservedId(announcementId)]);
    if (!existing && !reserved) return err('NOT_FOUND', '没有这条公告', 'payload.announcementId');
    if (existing?.withdrawn) return err('INVALID_STATE', '公告已撤回，不能再修改');
    const open = await list<Stored<AnnouncementImageDoc>>(
      collection(COLLECTIONS.announcementImages).where({ announcementId, state: 'issued', expiresAt: _.gt(ctx.now) }).field({ _id: true }).limit(MAX_OPEN_TICKETS),
    );
    if (open.length >= MAX_OPEN_TICKETS) return err('RATE_LIMITED', '待上传的图片太多，请先完成已选图片的上传');
  } else {
    announcementId = randomId('ann');
  }
  const ticketId = randomId('aimg');
  const doc: AnnouncementImageDoc = {
    _id: ticketId,
    announcementId,
    userId: ctx.userId,
    ext: p.ext,
    cloudPath: `announcements/${announcementId}/${ticketId.slice(5)}.${p.ext}`,
    fileID: null,
    state: 'issued',
    declaredSize: p.size,
    size: null,
    createdAt: ctx.now,
    expiresAt: ctx.now + IMAGE_TICKET_TTL,
  };
  await insert(COLLECTIONS.announcementImages, { ...doc });
  return ok({ ticketId, announcementId, cloudPath: doc.cloudPath, expiresAt: doc.expiresAt, maxBytes: LIMITS.announcementImageMaxBytes });
};

export const imageConfirm: Handler<'announcements.imageConfirm'> = async (ctx, p) => {
  const t = await getById<Stored<AnnouncementImageDoc>>(COLLECTIONS.announcementImages, p.ticketId);
  // Announcements are the whole staff's: any staff member may finish an upload (the path must still match).
  if (!t) return err('NOT_FOUND', '没有找到这次上传');
  if (t.state === 'uploaded' && t.fileID === p.fileID) {
    const urls = await tempUrls([p.fileID]);
    return ok({ fileID: p.fileID, url: urls.get(p.fileID) ?? '', size: t.size ?? 0 });
  }
  if (t.state !== 'issued') return err('INVALID_STATE', '这次上传已失效，请重新选择图片');
  if (t.expiresAt <= ctx.now) return err('CLOSED', '上传已过期，请重新选择图片');
  // The file must sit exactly at the path this ticket issued: a file put elsewhere is refused.
  if (cloudPathOf(p.fileID) !== t.cloudPath) return err('FILE_REJECTED', '文件与上传凭证不符', 'payload.fileID');

  const urls = await tempUrls([p.fileID], 600);
  const url = urls.get(p.fileID);
  const found = url ? await probe(url) : null;
  if (!found) return err('FILE_REJECTED', '没有找到上传的图片，请重试', 'payload.fileID');
  const reject = async (message: string): Promise<Err> => {
    await updateWhere(COLLECTIONS.announcementImages, { _id: t._id, state: 'issued' }, { state: 'rejected', fileID: p.fileID, size: found.size, updatedAt: ctx.now });
    return err('FILE_REJECTED', message, 'payload.fileID');
  };
  if (found.kind !== (t.ext === 'jpg' ? 'jpeg' : 'png')) return reject('文件不是有效的图片');
  const refusal = announcementImageRefusal(t.ext, found.size);
  if (refusal) return reject(refusal.message);
  if (found.gps) return reject('图片含有位置信息（GPS），请重新选择，小程序会自动去除');
  if ((await updateWhere(COLLECTIONS.announcementImages, { _id: t._id, state: 'issued' }, { state: 'uploaded', fileID: p.fileID, size: found.size, updatedAt: ctx.now })) !== 1)
    return err('CONFLICT');
  return ok({ fileID: p.fileID, url: url ?? '', size: found.size });
};

/**
 * The images a save may keep: each one already the announcement's, or confirmed under its id (an
 * image a later edit dropped may come back until the timer deletes its file). Answers the refusal, or null.
 */
export async function imagesRefusal(announcementId: string, images: string[], kept: readonly string[]): Promise<Err | null> {
  const fresh = images.filter((f) => !kept.includes(f));
  if (fresh.length === 0) return null;
  const rows = await list<Stored<AnnouncementImageDoc>>(
    collection(COLLECTIONS.announcementImages)
      .where({ announcementId, state: _.in([...SAVABLE_IMAGE_STATES]), fileID: _.in(fresh) })
      .field({ fileID: true })
      .limit(fresh.length),
  );
  const confirmed = new Set(rows.map((r) => r.fileID));
  if (fresh.some((f) => !confirmed.has(f))) return err('FILE_REJECTED', '有图片未上传完成或不属于这条公告，请删除后重新添加', 'payload.images');
  return null;
}

/**
 * After a save: the images it shows are recorded `attached`, the ones it dropped `removed` (the timer
 * deletes their files a day later unless a later save shows them again). Written after the
 * announcement, so a save cut short leaves at worst an image shown but not marked, which the timer
 * finds in the announcement and marks instead of deleting.
 */
export async function recordImageUse(announcementId: string, images: readonly string[], before: readonly string[], now: number): Promise<void> {
  const added = images.filter((f) => !before.includes(f));
  const dropped = before.filter((f) => !images.includes(f));
  if (added.length)
    await updateWhere(
      COLLECTIONS.announcementImages,
      { announcementId, fileID: _.in(added), state: _.in(['uploaded', 'removed']) },
      { state: 'attached', updatedAt: now },
    );
  if (dropped.length)
    await updateWhere(
      COLLECTIONS.announcementImages,
      { announcementId, fileID: _.in(dropped), state: _.in(['uploaded', 'attached']) },
      { state: 'removed', updatedAt: now },
    );
}

/** Whether an earlier image ticket reserved this id for a new announcement. */
export async function isReservedId(announcementId: string): Promise<boolean> {
  const rows = await list<Stored<AnnouncementImageDoc>>(collection(COLLECTIONS.announcementImages).where({ announcementId }).field({ _id: true }).limit(1));
  return rows.length > 0;
}
