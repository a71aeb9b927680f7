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
