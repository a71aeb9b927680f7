/**
 * The timer. Answers only its trigger (SOURCE wx_trigger): a client calling it gets FORBIDDEN.
 * Each task works in bounded batches and records nothing it has not done, so a tick cut short by
 * the timeout is simply resumed by the next one.
 */
import { COLLECTIONS, DAY, err, ok, type ActivityDoc, type AnnouncementDoc, type AnnouncementImageDoc, type EntryDoc, type Result, type UploadDoc } from '../../../miniprogram/core';
import { ANNOUNCEMENT_IMAGE_GRACE, imageFate } from '../../../miniprogram/core/rules/announcement';
import { uploadIdsOf } from '../../../miniprogram/core/rules/entry';
import { EXPORT_KEEP_MS, type ExportFileDoc } from '../../../miniprogram/core/exports';
import { _, caller, collection, deleteFiles, getById, insert, isDuplicateKeyError, list, removeWhere, updateWhere } from '../../shared/cloud';
import { isTimer } from '../../shared/sources';
import { runQueuedResults } from '../../shared/results';

type Stored<T> = T & Record<string, unknown>;

const BATCH = 200;

export interface TickReport {
  at: number;
  tasks: Record<string, number>;
}

async function upsertMeta(id: string, data: Record<string, unknown>): Promise<void> {
  if ((await updateWhere(COLLECTIONS.meta, { _id: id }, data)) > 0) return;
  try {
    await insert(COLLECTIONS.meta, { _id: id, ...data });
  } catch (e) {
    if (!isDuplicateKeyError(e)) throw e;
    await updateWhere(COLLECTIONS.meta, { _id: id }, data);
  }
}

/** Deletes the files of these uploads and marks them deleted. */
async function purge(uploads: Stored<UploadDoc>[], now: number): Promise<number> {
  const withFile = uploads.filter((u) => u.fileID);
  if (withFile.length) await deleteFiles(withFile.map((u) => u.fileID!));
  for (const u of uploads) await updateWhere(COLLECTIONS.uploads, { _id: u._id, state: u.state }, { state: 'deleted', updatedAt: now });
  return uploads.length;
}

/** Tickets never confirmed: the file (if any was uploaded to the path) and the ticket go. */
async function expireTickets(now: number): Promise<number> {
  const rows = await list<Stored<UploadDoc>>(
    collection(COLLECTIONS.uploads).where({ state: 'issued', expiresAt: _.lt(now - DAY) }).limit(BATCH),
  );
  // An unconfirmed upload has no recorded file ID; it is rebuilt from the environment's prefix,
  // learnt from any confirmed upload (deleting a file that was never uploaded is harmless).
  const prefix = rows.length ? await filePrefix() : null;
  return purge(rows.map((u) => ({ ...u, fileID: prefix ? `${prefix}${u.cloudPath}` : null })), now);
}

async function filePrefix(): Promise<string | null> {
  const [one] = await list<Stored<UploadDoc>>(collection(COLLECTIONS.uploads).where({ state: 'uploaded' }).field({ fileID: true, cloudPath: true }).limit(1));
  const known =
    one ??
    (await list<Stored<AnnouncementImageDoc>>(
      collection(COLLECTIONS.announcementImages).where({ state: _.in(['uploaded', 'attached']) }).field({ fileID: true, cloudPath: true }).limit(1),
    ))[0] ??
    (await list<Stored<ExportFileDoc>>(collection(COLLECTIONS.exportFiles).where({ fileID: _.neq(null) }).field({ fileID: true, cloudPath: true }).limit(1)))[0];
  if (!known?.fileID || !known.fileID.endsWith(known.cloudPath)) return null;
  return known.fileID.slice(0, known.fileID.length - known.cloudPath.length);
}

/** Deletes these announcement images' files and marks each row deleted (if nobody changed it meanwhile). */
async function purgeImages(rows: (Stored<AnnouncementImageDoc> & { fileID: string })[], now: number): Promise<number> {
  if (!rows.length) return 0;
  await deleteFiles(rows.map((r) => r.fileID));
  let n = 0;
  for (const r of rows) n += await updateWhere(COLLECTIONS.announcementImages, { _id: r._id, state: r.state }, { state: 'deleted', updatedAt: now });
  return n;
}

/**
 * Announcement image tickets never confirmed, a day after they expired: whatever file the phone
 * put at the path goes (rebuilt from the prefix, as for entries' tickets), then the row. Without a
 * known prefix nothing is done (or recorded): the rows wait for a tick that knows it.
 */
async function expireImageTickets(now: number): Promise<number> {
  const rows = await list<Stored<AnnouncementImageDoc>>(
    collection(COLLECTIONS.announcementImages).where({ state: 'issued', expiresAt: _.lt(now - ANNOUNCEMENT_IMAGE_GRACE) }).limit(BATCH),
  );
  const due = rows.filter((r) => imageFate(r, false, now) === 'delete');
  const prefix = due.length ? await filePrefix() : null;
  if (!prefix) return 0;
  return purgeImages(due.map((r) => ({ ...r, fileID: `${prefix}${r.cloudPath}` })), now);
}

/**
 * Announcement image files nobody shows, a day on (core/rules/announcement.ts imageFate): refused
 * at confirm, confirmed but never saved into their announcement (or the announcement never saved),
 * dropped by a later edit. Each is checked against its announcement's images first: one shown
 * after all (a save cut short before it marked its images) is marked attached instead, so the next
 * batch moves on. A withdrawn announcement keeps its images. (Left open: a stale editor saving a
 * day-old unsaved or dropped image in the very moment a tick deletes it; the save would show a
 * missing image, which staff see in the editor and replace.)
 */
async function dropAnnouncementImages(now: number): Promise<number> {
  const rows = await list<Stored<AnnouncementImageDoc>>(
    collection(COLLECTIONS.announcementImages)
      .where({ state: _.in(['rejected', 'uploaded', 'removed']), updatedAt: _.lt(now - ANNOUNCEMENT_IMAGE_GRACE) })
      .limit(BATCH),
  );
  if (!rows.length) return 0;
  const ids = [...new Set(rows.map((r) => r.announcementId))];
  const announcements = await list<Stored<AnnouncementDoc>>(
    collection(COLLECTIONS.announcements).where({ _id: _.in(ids) }).field({ images: true }).limit(ids.length),
  );
  const shown = new Set(announcements.flatMap((a) => a.images ?? []));
  const attach: string[] = [];
  const drop: (Stored<AnnouncementImageDoc> & { fileID: string })[] = [];
  for (const r of rows) {
    const fate = imageFate(r, r.fileID !== null && shown.has(r.fileID), now);
    if (fate === 'attach') attach.push(r._id);
    else if (fate === 'delete' && r.fileID) drop.push({ ...r, fileID: r.fileID });
  }
  if (attach.length)
    await updateWhere(COLLECTIONS.announcementImages, { _id: _.in(attach), state: _.in(['uploaded', 'removed']) }, { state: 'attached', updatedAt: now });
  return purgeImages(drop, now);
}

/**
 * After an activity's submission window: files no longer part of a submitted entry go. Works
 * through the activity's uploads (not its entries: most essays have none), 1,000 a read; kept
 * files are marked so the next batch moves on.
 */
async function dropSuperseded(now: number): Promise<number> {
  const closed = await list<Stored<ActivityDoc>>(
    collection(COLLECTIONS.activities).where({ kind: 'competition', 'competition.windows.submission.end': _.lt(now), mediaSweptAt: _.exists(false) }).limit(5),
  );
  let n = 0;
  for (const a of closed) {
    const uploads = await list<Stored<UploadDoc>>(
      collection(COLLECTIONS.uploads).where({ activityId: a._id, state: _.in(['uploaded', 'issued']), keptAt: _.exists(false) }).limit(1000),
    );
    const entryIds = [...new Set(uploads.map((u) => u.entryId))];
    const entries = entryIds.length
      ? await list<Stored<EntryDoc>>(collection(COLLECTIONS.entries).where({ _id: _.in(entryIds) }).field({ state: true, versions: true }).limit(entryIds.length))
      : [];
    const keep = new Set<string>();
    for (const e of entries) {
      const last = e.versions[e.versions.length - 1];
      if (last && e.state === 'submitted') for (const id of uploadIdsOf(last.content)) keep.add(id);
    }
    n += await purge(uploads.filter((u) => !keep.has(u._id)), now);
    const kept = uploads.filter((u) => keep.has(u._id)).map((u) => u._id);
    if (kept.length) await updateWhere(COLLECTIONS.uploads, { _id: _.in(kept) }, { keptAt: now });
    if (uploads.length < 1000) await updateWhere(COLLECTIONS.activities, { _id: a._id }, { mediaSweptAt: now });
  }
  return n;
}

/** Rejected files are kept through the appeal window (evidence), then deleted. */
async function dropRejected(now: number): Promise<number> {
  const rows = await list<Stored<UploadDoc>>(collection(COLLECTIONS.uploads).where({ state: 'rejected' }).limit(BATCH));
  const due: Stored<UploadDoc>[] = [];
  const appealEnd = new Map<string, number>();
  for (const u of rows) {
    const activityId = u.cloudPath.split('/')[1] ?? '';
    if (!appealEnd.has(activityId)) {
      const a = await getById<Stored<ActivityDoc>>(COLLECTIONS.activities, activityId);
      appealEnd.set(activityId, a?.competition?.windows.appeal.end ?? 0);
    }
    if ((appealEnd.get(activityId) ?? 0) < now) due.push(u);
  }
  return purge(due, now);
}

/** Exported workbooks older than EXPORT_KEEP_MS: the files, then their records. */
async function dropOldExports(now: number): Promise<number> {
  const rows = await list<Stored<ExportFileDoc>>(collection(COLLECTIONS.exportFiles).where({ createdAt: _.lt(now - EXPORT_KEEP_MS) }).limit(BATCH));
  if (!rows.length) return 0;
  // A record without a file ID: the function died around storing it. Whatever sits at the path goes
  // (its ID rebuilt from the environment's prefix); without a known prefix the record waits.
  const prefix = rows.some((r) => !r.fileID) ? await filePrefix() : null;
  const due = rows.flatMap((r) => (r.fileID ? [{ id: r._id, fileID: r.fileID }] : prefix ? [{ id: r._id, fileID: `${prefix}${r.cloudPath}` }] : []));
  if (!due.length) return 0;
  await deleteFiles(due.map((r) => r.fileID));
  return removeWhere(COLLECTIONS.exportFiles, { _id: _.in(due.map((r) => r.id)) });
}

export async function main(_event: unknown): Promise<Result<TickReport>> {
  if (!isTimer(caller().source)) return err('FORBIDDEN');
  const at = Date.now();
  const tasks: Record<string, number> = {
    expiredTickets: await expireTickets(at),
    supersededMedia: await dropSuperseded(at),
    rejectedMedia: await dropRejected(at),
    // Announcement images nobody shows: unused tickets, refused, never saved, dropped by an edit.
    announcementTickets: await expireImageTickets(at),
    announcementImages: await dropAnnouncementImages(at),
    // Large competitions' results, queued by staff: one track a tick, well inside the timeout.
    results: await runQueuedResults(at, `cron-${at}`),
    // Staff's Excel exports carry personal data: gone a day after they were made.
    exports: await dropOldExports(at),
  };
  // Heartbeat: lets staff (and tests) see that the timer runs and what it did.
  await upsertMeta('cron', { lastTickAt: at, lastTasks: tasks });
  return ok({ at, tasks });
}
