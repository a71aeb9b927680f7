/**
 * Rendering pages against the bench's local cloud: the component tests' HTTP bridge (the app's
 * configured local URL rewritten to the bench cloud), a count of requests in flight so a test can
 * wait until a screen has stopped talking, the control routes, and which identity and query each
 * page of app.json is opened with.
 */
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import { dirname, join } from 'node:path';
import { runtime } from '../../miniprogram/config/runtime';
import { installHttpBridge } from '../component/http-bridge';
import { settle, type RenderedPage } from '../component/load';

export const ROOT = join(__dirname, '../..');

export function cloudUrl(): string {
  const url = process.env.WCP_BENCH_CLOUD_URL;
  if (!url) throw new Error('WCP_BENCH_CLOUD_URL is not set: run with -c test/bench/jest.config.js (its global setup starts a local cloud)');
  return url.replace(/\/+$/, '');
}

/** A control route of the local cloud (Node's http: jsdom has no fetch). */
export function control<T = unknown>(path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST'): Promise<T> {
  const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise<T>((resolve, reject) => {
    const req = http.request(
      `${cloudUrl()}/_control/${path}`,
      { method, headers: data ? { 'content-type': 'application/json', 'content-length': String(data.length) } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as T);
          } catch (e) {
            reject(e as Error);
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

/** Calls the api as `openid` (for looking things up before a measurement). */
export function callApi<T = unknown>(openid: string, action: string, payload: unknown): Promise<T> {
  const data = Buffer.from(JSON.stringify({ action, payload }));
  return new Promise<T>((resolve, reject) => {
    const req = http.request(
      `${cloudUrl()}/functions/api`,
      { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(data.length), 'X-Local-Openid': openid } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as T));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

export interface Stats {
  engine: { reads: number; writes: number; byAction: Record<string, number> };
  functions: Record<string, { invocations: number; errors: number; timeouts: number; coldStarts: number; totalMs: number }>;
}

export interface LiveBridge {
  inflight(): number;
  requests(): number;
  uninstall(): void;
}

type Wx = { request: (o: Record<string, unknown>) => unknown };

/** The HTTP bridge to the bench cloud, counting requests in flight. */
export function installLiveBridge(): LiveBridge {
  const uninstallBridge = installHttpBridge({ rewrite: { from: runtime.localUrl, to: cloudUrl() } });
  const wx = (globalThis as unknown as { wx: Wx }).wx;
  const bridged = wx.request;
  let inflight = 0;
  let requests = 0;
  wx.request = (o) => {
    inflight += 1;
    requests += 1;
    const complete = o.complete as ((r: unknown) => void) | undefined;
    return bridged({
      ...o,
      complete: (r: unknown) => {
        inflight -= 1;
        complete?.(r);
      },
    });
  };
  return {
    inflight: () => inflight,
    requests: () => requests,
    uninstall: () => {
      wx.request = bridged;
      uninstallBridge();
    },
  };
}

/** Waits until no request is in flight and the page has re-rendered (a few quiet rounds). */
export async function waitIdle(bridge: LiveBridge, timeoutMs = 20000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  while (quiet < 3) {
    if (Date.now() > deadline) throw new Error(`still ${bridge.inflight()} request(s) in flight after ${timeoutMs} ms`);
    await settle();
    await new Promise((r) => setTimeout(r, 15));
    quiet = bridge.inflight() === 0 ? quiet + 1 : 0;
  }
}

export interface AppPage {
  /** As in app.json, e.g. "pages/home/index" or "packages/judge/index/index". */
  path: string;
  /** The folder load() takes, e.g. "pages/home". */
  dir: string;
  /** "main" or the subpackage root. */
  pkg: string;
}

export function appPages(): AppPage[] {
  const app = JSON.parse(readFileSync(join(ROOT, 'miniprogram/app.json'), 'utf8')) as {
    pages: string[];
    subPackages?: Array<{ root: string; pages: string[] }>;
    subpackages?: Array<{ root: string; pages: string[] }>;
  };
  const out: AppPage[] = app.pages.map((p) => ({ path: p, dir: dirname(p), pkg: 'main' }));
  for (const sub of app.subPackages ?? app.subpackages ?? []) {
    const root = sub.root.replace(/^\/+|\/+$/g, '');
    for (const p of sub.pages) out.push({ path: `${root}/${p}`, dir: dirname(`${root}/${p}`), pkg: root });
  }
  return out;
}

export interface PageSetup {
  /** The demo identity (X-Local-Openid) the page is opened as. Default: demo-worker-li. */
  identity?: string;
  /** The page's query for onLoad. */
  query?: Record<string, string>;
  /** A query found at run time (an id the demo data does not fix), merged over `query`. */
  resolve?: () => Promise<Record<string, string>>;
  /** The page legitimately makes no cloud call on its first screen. */
  local?: boolean;
}

/** The first string value under `key` anywhere in `value` (answers whose shape may still change). */
function findString(value: unknown, key: string): string | undefined {
  if (Array.isArray(value)) {
    for (const v of value) {
      const found = findString(v, key);
      if (found !== undefined) return found;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === key && typeof v === 'string' && v !== '') return v;
      const found = findString(v, key);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/**
 * How each page is opened for its filled first screen. A page added to app.json and missing here
 * is opened as the demo worker with no query; add a line when it needs one.
 */
export const PAGE_SETUP: Record<string, PageSetup> = {
  'pages/activity/index': { query: { id: 'act_culture_2022' } },
  'pages/announcement/index': { query: { id: 'ann_culture_notice' } },
  'pages/register/index': { query: { id: 'act_sports_2022' } },
  'pages/registration/index': { query: { id: 'act_culture_2022' } },
  'pages/entry/index': { query: { activityId: 'act_culture_2022', trackId: 'essay' } },
  'packages/worker/gallery/index': { query: { activityId: 'act_essay_spring', trackId: 'essay' } },
  'packages/worker/certificate/index': {
    // The worker's own entry: a certificate only exists once results are final.
    resolve: async (): Promise<Record<string, string>> => {
      const entryId = findString(await callApi(DEFAULT_IDENTITY, 'entries.mine', {}), 'id');
      return entryId ? { entryId } : {};
    },
  },
  // Without a code the page asks for one.
  'packages/worker/verify/index': { local: true },
  'pages/dev-identity/index': { local: true },
  'packages/judge/queue/index': { query: { activityId: 'act_essay_spring', trackId: 'essay' } },
  'packages/judge/score/index': {
    query: { activityId: 'act_essay_spring', trackId: 'essay' },
    resolve: async (): Promise<Record<string, string>> => {
      const queue = await callApi('demo-judge-zhao', 'judging.queue', { activityId: 'act_essay_spring', trackId: 'essay' });
      const scoreId = findString(queue, 'scoreId');
      return scoreId ? { scoreId } : {};
    },
  },
  'packages/staff/judging/index': { query: { activityId: 'act_essay_spring', trackId: 'essay' } },
  // The competition in judging: its twelve authors' registrations, confirmed.
  'packages/staff/registrations/index': { query: { id: 'act_essay_spring' } },
  // The demo's open 意见征集 survey (five answers seeded).
  'packages/worker/opinion/index': { query: { id: 'act_sports_2022' } },
  'packages/staff/opinions/index': { query: { id: 'act_sports_2022' } },
  // An existing activity to edit (without an id the page is the "new activity" form).
  'packages/staff/activity-edit/index': { query: { id: 'act_exchange_01' } },
  // An existing announcement to edit (without an id the page is the "new announcement" form).
  'packages/staff/announcement-edit/index': { query: { id: 'ann_culture_notice' } },
};

/** Who opens a subpackage's pages unless PAGE_SETUP says otherwise. */
export const PACKAGE_IDENTITY: Record<string, string> = {
  'packages/judge': 'demo-judge-zhao',
  'packages/staff': 'demo-staff-chen',
};

export const DEFAULT_IDENTITY = 'demo-worker-li';

/**
 * What the demo worker has done before the screens are opened (so "my registration" and "my
 * entry" have something to show): calls made once, before any page, in both bench files.
 */
export const PREPARE: Array<{ identity: string; action: string; payload: unknown }> = [
  { identity: DEFAULT_IDENTITY, action: 'registrations.create', payload: { activityId: 'act_culture_2022', tracks: ['essay', 'photo'], answers: [] } },
  { identity: DEFAULT_IDENTITY, action: 'entries.open', payload: { activityId: 'act_culture_2022', trackId: 'essay' } },
];

/** Runs PREPARE; answers what each call returned (a refusal is kept, not thrown). */
export async function prepare(): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const p of PREPARE) out.push(await callApi(p.identity, p.action, p.payload));
  return out;
}

const resolved = new Map<string, Record<string, string>>();

/** Runs PREPARE, then every PAGE_SETUP resolver; answers what PREPARE's calls returned. */
export async function prepareAll(): Promise<unknown[]> {
  const out = await prepare();
  for (const [path, s] of Object.entries(PAGE_SETUP)) {
    if (!s.resolve) continue;
    try {
      resolved.set(path, await s.resolve());
    } catch {
      resolved.set(path, {});
    }
  }
  return out;
}

export function setupOf(page: AppPage): { identity: string; query: Record<string, string>; local: boolean } {
  const s = PAGE_SETUP[page.path] ?? {};
  return { identity: s.identity ?? PACKAGE_IDENTITY[page.pkg] ?? DEFAULT_IDENTITY, query: { ...s.query, ...resolved.get(page.path) }, local: s.local === true };
}

/** What a page shows, collapsed, for the JSON (and a quick look at errors). */
export function excerpt(page: RenderedPage, n = 160): string {
  const t = page.text();
  return t.length > n ? `${t.slice(0, n)}…` : t;
}
