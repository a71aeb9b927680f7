/**
 * Helpers for the direct engine tests: a throw-away data folder, a collections.json, and builders
 * for the params @cloudbase/node-sdk sends (EJSON strings, as captured from wx-server-sdk 4.0.2).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine, type EngineOptions, parseEJSON, stringifyEJSON } from '../../../local-cloud/src/engine';

export interface IndexDef {
  name: string;
  keys: Record<string, 1 | -1>;
  unique?: boolean;
}

export function tmpDir(prefix = 'engine-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function writeCollections(dir: string, collections: Record<string, IndexDef[]>): string {
  const file = path.join(dir, 'collections.json');
  const body = { collections: Object.fromEntries(Object.entries(collections).map(([n, indexes]) => [n, { indexes }])) };
  fs.writeFileSync(file, JSON.stringify(body, null, 2));
  return file;
}

export interface Opened {
  engine: Engine;
  dir: string;
  dataDir: string;
  collectionsFile: string | null;
  clock: { t: number };
  reopen(): Promise<Engine>;
}

/**
 * Opens an engine in a fresh folder. `collections` undefined → no collections.json (every name
 * allowed); otherwise the declared collections and their indexes.
 */
export async function openEngine(collections?: Record<string, IndexDef[]>, opts: Partial<EngineOptions> = {}): Promise<Opened> {
  const dir = tmpDir();
  const dataDir = path.join(dir, 'data');
  const collectionsFile = collections ? writeCollections(dir, collections) : null;
  const clock = { t: Date.UTC(2024, 0, 15, 8, 0, 0) };
  const o: EngineOptions = { dataDir, collectionsFile, now: () => clock.t, ...opts };
  const opened: Opened = {
    engine: await Engine.open(o),
    dir,
    dataDir,
    collectionsFile,
    clock,
    async reopen() {
      await opened.engine.close();
      opened.engine = await Engine.open(o);
      return opened.engine;
    },
  };
  return opened;
}

/** EJSON string as the SDK sends (the engine reads canonical and relaxed forms alike). */
export const ej = (v: unknown): string => stringifyEJSON(v);

/** Decodes a `list` answer the way the SDK does (EJSON.parse of each item). */
export function decodeList(data: unknown): Record<string, unknown>[] {
  const { list } = data as { list: string[] };
  return list.map((s) => parseEJSON(s) as Record<string, unknown>);
}

/** Params of `collection.where(query).orderBy(...).skip().limit().field().get()`. */
export function getParams(coll: string, query?: Record<string, unknown>, o: { order?: Record<string, 1 | -1>; offset?: number; limit?: number; projection?: Record<string, unknown> } = {}): Record<string, unknown> {
  const p: Record<string, unknown> = { collectionName: coll, queryType: 'WHERE', limit: o.limit ?? 100 };
  if (query) p.query = ej(query);
  if (o.order) p.order = ej(o.order);
  if (o.offset) p.offset = o.offset;
  if (o.projection) p.projection = ej(o.projection);
  return p;
}

export async function query(engine: Engine, coll: string, q?: Record<string, unknown>, o: Parameters<typeof getParams>[2] = {}): Promise<Record<string, unknown>[]> {
  return decodeList(await engine.execute('database.getDocument', getParams(coll, q, o)));
}

/** `doc(id).update({ data })` after the SDK's serialiser (update operators). */
export async function updateDoc(engine: Engine, coll: string, id: string | number, update: Record<string, unknown>, transactionId?: string): Promise<{ updated: number }> {
  return (await engine.execute('database.modifyDocument', {
    collectionName: coll,
    queryType: 'DOC',
    query: ej({ _id: id }),
    data: ej(update),
    multi: false,
    merge: true,
    upsert: false,
    ...(transactionId ? { transactionId } : {}),
  })) as { updated: number };
}

export async function add(engine: Engine, coll: string, ...docs: Record<string, unknown>[]): Promise<string[]> {
  const r = (await engine.execute('database.insertDocument', { collectionName: coll, data: docs.map((d) => ej(d)) })) as { insertedIds: string[] };
  return r.insertedIds;
}

export async function rmrf(dir: string): Promise<void> {
  await fs.promises.rm(dir, { recursive: true, force: true });
}
