/**
 * The timer. Answers only its trigger (SOURCE wx_trigger): a client calling it gets FORBIDDEN.
 * Each task works in bounded batches and records nothing it has not done, so a tick cut short by
 * the timeout is simply resumed by the next one.
 */
import { COLLECTIONS, DAY, err, ok, type ActivityDoc, type EntryDoc, type Result, type UploadDoc } from '../../../miniprogram/core';
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
  if (!one?.fileID || !one.fileID.endsWith(one.cloudPath)) return null;
  return one.fileID.slice(0, one.fileID.length - one.cloudPath.length);
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
  await deleteFiles(rows.map((r) => r.fileID));
  return removeWhere(COLLECTIONS.exportFiles, { _id: _.in(rows.map((r) => r._id)) });
}

export async function main(_event: unknown): Promise<Result<TickReport>> {
  if (!isTimer(caller().source)) return err('FORBIDDEN');
  const at = Date.now();
  const tasks: Record<string, number> = {
    expiredTickets: await expireTickets(at),
    supersededMedia: await dropSuperseded(at),
    rejectedMedia: await dropRejected(at),
    // Large competitions' results, queued by staff: one track a tick, well inside the timeout.
    results: await runQueuedResults(at, `cron-${at}`),
    // Staff's Excel exports carry personal data: gone a day after they were made.
    exports: await dropOldExports(at),
  };
  // Heartbeat: lets staff (and tests) see that the timer runs and what it did.
  await upsertMeta('cron', { lastTickAt: at, lastTasks: tasks });
  return ok({ at, tasks });
}
