/**
 * The one module that touches wx-server-sdk. Everything else in the functions goes through the
 * narrow, typed helpers below, so the SDK's loose typings (`Promise<T> | void | string`) are
 * narrowed in one place and the local cloud / real cloud difference never leaks into handlers.
 */
import * as sdk from 'wx-server-sdk';

sdk.init({ env: sdk.DYNAMIC_CURRENT_ENV as unknown as string });

export const db = sdk.database();
export const _ = db.command;
export type Query = ReturnType<ReturnType<typeof db.collection>['where']>;
export type Collection = ReturnType<typeof db.collection>;
export type Doc = Record<string, unknown>;

export interface CallerContext {
  openid: string | null;
  /** How the function was invoked: wx_client for the app, a trigger's source otherwise. */
  source: string | null;
  appid: string | null;
}

export function caller(): CallerContext {
  const ctx = sdk.getWXContext() as Record<string, unknown>;
  const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
  return { openid: str(ctx.OPENID), source: str(ctx.SOURCE), appid: str(ctx.APPID) };
}

// The SDK types its calls as `Promise<T> | void | string` (callback style); with no callback it
// always returns a promise.
async function settle<T>(p: unknown): Promise<T> {
  if (typeof (p as PromiseLike<T> | null)?.then !== 'function') throw new Error('wx-server-sdk returned no promise');
  return (await p) as T;
}

export function collection(name: string): Collection {
  return db.collection(name);
}

/** A document by id, or null. (doc().get() of a missing document rejects in the cloud.) */
export async function getById<T extends Doc>(coll: string, id: string): Promise<T | null> {
  const res = await settle<{ data: T[] }>(db.collection(coll).where({ _id: id }).limit(1).get());
  return (res.data[0] as T | undefined) ?? null;
}

export async function list<T extends Doc>(q: { get(): unknown }): Promise<T[]> {
  const res = await settle<{ data: T[] }>(q.get());
  return res.data;
}

export async function count(q: { count(): unknown }): Promise<number> {
  const res = await settle<{ total: number }>(q.count());
  return res.total;
}

export async function insert(coll: string, doc: Doc): Promise<string> {
  const res = await settle<{ _id: string | number }>(db.collection(coll).add({ data: doc }));
  return String(res._id);
}

/** Conditional update: answers how many documents matched and changed. */
export async function updateWhere(coll: string, where: Doc, data: Doc): Promise<number> {
  const res = await settle<{ stats: { updated: number } }>(db.collection(coll).where(where).update({ data }));
  return res.stats.updated;
}

export async function removeWhere(coll: string, where: Doc): Promise<number> {
  const res = await settle<{ stats: { removed: number } }>(db.collection(coll).where(where).remove());
  return res.stats.removed;
}

export function isDuplicateKeyError(e: unknown): boolean {
  const text = e instanceof Error ? e.message : JSON.stringify(e);
  return /duplicate|E11000|DATABASE_DUPLICATE/i.test(text ?? '');
}

export const serverDate = (): unknown => db.serverDate();

// ---- storage -----------------------------------------------------------------------------------

/** Temporary download URLs, at most 50 IDs a call (the platform's limit): batched here. */
export async function tempUrls(fileIDs: string[], maxAgeSeconds = 3600): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < fileIDs.length; i += 50) {
    const batch = fileIDs.slice(i, i + 50);
    const res = await settle<{ fileList: { fileID: string; tempFileURL: string; status: number }[] }>(
      sdk.getTempFileURL({ fileList: batch.map((fileID) => ({ fileID, maxAge: maxAgeSeconds })) }),
    );
    for (const f of res.fileList) if (f.status === 0 && f.tempFileURL) out.set(f.fileID, f.tempFileURL);
  }
  return out;
}

/** Deletes files, 50 a call; answers the IDs that are gone (deleting a missing file counts as gone). */
export async function deleteFiles(fileIDs: string[]): Promise<string[]> {
  const gone: string[] = [];
  for (let i = 0; i < fileIDs.length; i += 50) {
    const res = await settle<{ fileList: { fileID: string; status: number }[] }>(
      sdk.deleteFile({ fileList: fileIDs.slice(i, i + 50) }),
    );
    for (const f of res.fileList) gone.push(f.fileID);
  }
  return gone;
}

// ---- open APIs (each must be listed in the calling function's config.json) ---------------------

export type Suggest = 'pass' | 'review' | 'risky';

/** security.msgSecCheck v2 on one piece of at most 2500 characters. */
export async function msgSecCheck(openid: string, content: string, scene: 1 | 2 | 3 | 4 = 2): Promise<Suggest> {
  const res = (await sdk.openapi.security.msgSecCheck({ openid, scene, version: 2, content })) as {
    result?: { suggest?: string };
  };
  const s = res.result?.suggest;
  return s === 'pass' || s === 'review' || s === 'risky' ? s : 'review';
}

/** security.mediaCheckAsync v2 for an image; the verdict arrives later as a wxa_media_check push. */
export async function mediaCheckAsync(openid: string, mediaUrl: string): Promise<string> {
  const res = (await sdk.openapi.security.mediaCheckAsync({ openid, scene: 2, version: 2, mediaType: 2, mediaUrl })) as {
    traceId?: string;
    trace_id?: string;
  };
  const id = res.traceId ?? res.trace_id;
  if (!id) throw new Error('mediaCheckAsync answered no trace_id');
  return id;
}

/** A 小程序码 for `scene` on `page`, stored at `cloudPath`; answers its file ID. */
export async function wxacode(scene: string, page: string, cloudPath: string): Promise<string> {
  const res = (await sdk.openapi.wxacode.getUnlimited({ scene, page, checkPath: false, width: 430 })) as { buffer?: Buffer };
  if (!res.buffer) throw new Error('wxacode.getUnlimited answered no image');
  const up = await settle<{ fileID: string }>(sdk.uploadFile({ cloudPath, fileContent: res.buffer }));
  return up.fileID;
}

/** subscribeMessage.send; answers false when the user has no opt-in left (43101). */
export async function sendSubscribe(touser: string, templateId: string, page: string, data: Record<string, { value: string }>): Promise<boolean> {
  try {
    await sdk.openapi.subscribeMessage.send({ touser, templateId, page, data, miniprogramState: 'formal' });
    return true;
  } catch (e) {
    if ((e as { errCode?: number }).errCode === 43101) return false;
    throw e;
  }
}

/** Replaces (or creates) a document by id: doc().set(), one write. */
export async function setDoc(coll: string, id: string, data: Doc): Promise<void> {
  await settle(db.collection(coll).doc(id).set({ data }));
}

export const $ = db.command.aggregate;

export async function aggregate<T extends Doc>(pipeline: { end(): unknown }): Promise<T[]> {
  const res = await settle<{ list: T[] }>(pipeline.end());
  return res.list;
}

/** Stores bytes at `cloudPath` (overwriting, as the cloud does) and answers the file ID. */
export async function uploadBytes(cloudPath: string, bytes: Buffer): Promise<string> {
  const up = await settle<{ fileID: string }>(sdk.uploadFile({ cloudPath, fileContent: bytes }));
  return up.fileID;
}

/** A stored file's bytes (small files only: rosters, not videos). */
export async function download(fileID: string): Promise<Buffer> {
  const res = await settle<{ fileContent: Buffer }>(sdk.downloadFile({ fileID }));
  return res.fileContent;
}
