/** Types shared across the local cloud (no runtime code). */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/**
 * What the local cloud needs from the database engine (local-cloud/src/engine).
 * The engine is written against docs/ARCHITECTURE.md ("The engine interface");
 * this is the subset used here, so tests may pass a stub.
 */
export interface EngineLike {
  /** Executes one `database.*` action as @cloudbase/node-sdk sends it; resolves to the `data`
   *  of the response; rejects with an EngineError `{ code, message }`. */
  execute(action: string, params: Record<string, unknown>): Promise<unknown>;
  stats(): unknown;
  resetStats(): void;
  close(): Promise<void>;
  /** Seeding and tests: bypass the SDK, same durability. */
  insertMany(coll: string, docs: Record<string, unknown>[]): Promise<void>;
  find(coll: string, query?: Record<string, unknown>): Promise<Record<string, unknown>[]>;
}

export interface EngineOpenOptions {
  dataDir: string;
  now: () => number;
  /** database/collections.json; null: no file, every collection name allowed (engine default: the repository's) */
  collectionsFile?: string | null;
}

export type EngineOpener = (opts: EngineOpenOptions) => Promise<EngineLike>;

/** The caller of one invocation, as the cloud puts it in the function's environment. */
export interface Identity {
  OPENID?: string;
  APPID?: string;
  UNIONID?: string;
  CLIENTIP?: string;
  /** getWXContext().SOURCE: 'wx_client', 'wx_trigger', '<chain>,scf', … */
  SOURCE: string;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
