/**
 * One local cloud per test file: the real built functions, the real wx-server-sdk, the durable
 * engine in a fresh data folder, seeded with the demo data. Calls go through the HTTP face, as the
 * app and scripts make them.
 */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { COLLECTIONS, functionOf, type ActionName, type PayloadOf, type Result, type ResultOf } from '../../miniprogram/core';
import { seedDemo } from '../../demo/seed';
import { startLocalCloud, type LocalCloud } from '../../local-cloud/src';

export const ROOT = join(__dirname, '../..');
export const ID_SECRET = 'test-secret-0123456789abcdef';
export const ADMIN = 'demo-admin';

export interface Harness {
  cloud: LocalCloud;
  url: string;
  seededAt: number;
  /** Calls the function that serves the action (`api`, or `export` for exports.*) as the app does. */
  api<K extends ActionName>(openid: string | null, action: K, payload: PayloadOf<K>): Promise<Result<ResultOf<K>>>;
  /** Any body, any function: for malformed requests. */
  raw(path: string, body: string, headers?: Record<string, string>): Promise<{ status: number; json: unknown }>;
  control(path: string, body?: unknown, method?: string): Promise<unknown>;
  upload(openid: string, cloudPath: string, bytes: Buffer, filename?: string): Promise<{ status: number; json: unknown }>;
  /** The key in the ids of this person's registrations, entries and answers (UserDoc.idKey). */
  idKey(openid: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startHarness(opts: { seed?: boolean } = {}): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wcp-cloud-'));
  const cloud = await startLocalCloud({
    port: 0,
    dataDir,
    functionsDir: join(ROOT, 'cloudfunctions'),
    quiet: process.env.HARNESS_VERBOSE !== "1",
    scheduler: false,
    functionEnv: { WCP_ID_SECRET: ID_SECRET, WCP_ADMIN_OPENIDS: ADMIN },
  });
  const url = cloud.url;
  let seededAt = Date.now();
  if (opts.seed !== false) {
    const report = await seedDemo(cloud.engine, { idSecret: ID_SECRET, now: cloud.clock.now() });
    seededAt = report.seededAt;
  }

  async function raw(path: string, body: string, headers: Record<string, string> = {}) {
    const res = await fetch(`${url}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
    const text = await res.text();
    let json: unknown = text;
    try {
      json = JSON.parse(text);
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, json };
  }

  return {
    cloud,
    url,
    seededAt,
    async idKey(openid) {
      const [user] = await cloud.engine.find(COLLECTIONS.users, { openid });
      if (typeof user?.idKey !== 'string') throw new Error(`no account with an id key for ${openid}`);
      return user.idKey;
    },
    raw,
    async api(openid, action, payload) {
      const r = await raw(`/functions/${functionOf(action)}`, JSON.stringify({ action, payload }), openid ? { 'X-Local-Openid': openid } : {});
      return r.json as Result<never>;
    },
    async control(path, body, method = body === undefined ? 'GET' : 'POST') {
      const res = await fetch(`${url}/_control/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body), headers: { 'content-type': 'application/json' } });
      return res.json();
    },
    async upload(openid, cloudPath, bytes, filename = cloudPath.split('/').pop() ?? 'file') {
      const form = new FormData();
      form.append('cloudPath', cloudPath);
      form.append('file', new Blob([new Uint8Array(bytes)]), filename);
      const res = await fetch(`${url}/storage/upload`, { method: 'POST', body: form, headers: { 'X-Local-Openid': openid } });
      return { status: res.status, json: await res.json() };
    },
    async stop() {
      await cloud.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function media(name: string): Buffer {
  return readFileSync(join(ROOT, 'test/fixtures/media', name));
}

/** Unwraps an ok Result or fails the test with the error. */
export function data<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.code}: ${r.message}`);
  return r.data;
}
