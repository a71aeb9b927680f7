/**
 * Round trips per screen, for `npm run bench`: every page of app.json opened as a demo user
 * against a local cloud with the demo data (real HTTP through the component tests' bridge), its
 * first screen measured until no request is in flight: cloud calls and the database operations
 * they caused (from /_control/stats after a reset), and the bytes of every setData. Writes
 * .bench/pages.json (or WCP_BENCH_PAGES_OUT); scripts/bench merges it into the results.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { load } from '../component/load';
import { appPages, control, excerpt, installLiveBridge, prepareAll, ROOT, setupOf, waitIdle, type LiveBridge, type Stats } from './live';

export interface PageFigures {
  page: string;
  pkg: string;
  identity: string;
  query: Record<string, string>;
  /** Function invocations during the first screen (all functions). */
  calls: number;
  callsByFunction: Record<string, number>;
  /** Requests the page sent (the bridge's count): equals calls unless something failed on the way. */
  requests: number;
  engineReads: number;
  engineWrites: number;
  engineByAction: Record<string, number>;
  setDataCount: number;
  firstSetDataBytes: number;
  maxSetDataBytes: number;
  totalSetDataBytes: number;
  nodes: number;
  /** From load() to the screen being idle, including ~50 ms of idle detection. */
  renderMs: number;
  /** The screen shows one of the client's failure messages. */
  showsError: boolean;
  /** PAGE_SETUP says the page makes no cloud call on its first screen. */
  local: boolean;
  text: string;
}

const ERROR_TEXTS = ['网络不稳定', '系统繁忙', '请求超时'];
const rows: PageFigures[] = [];
let bridge: LiveBridge;
let prepared: unknown[] = [];

beforeAll(async () => {
  prepared = await prepareAll();
  bridge = installLiveBridge();
});

afterAll(() => {
  bridge.uninstall();
  const out = process.env.WCP_BENCH_PAGES_OUT ?? join(ROOT, '.bench/pages.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify({ cloud: process.env.WCP_BENCH_CLOUD_URL, measuredAt: new Date().toISOString(), prepared, pages: rows }, null, 2)}\n`);
  if (process.env.WCP_BENCH_VERBOSE) console.table(rows.map(({ text: _t, engineByAction: _e, callsByFunction: _c, ...r }) => r));
});

test.each(appPages().map((p) => [p.path, p] as const))('%s: first screen', async (_path, page) => {
  const { identity, query, local } = setupOf(page);
  const open = () => load(page.dir, { storage: { 'wcp.local-identity': identity }, query });

  // Warm-up: compiles the templates and starts a function instance, so the measured render is a
  // warm one (what a user meets on every screen but the very first).
  await open();
  await waitIdle(bridge);

  await control('stats/reset', {});
  const requestsBefore = bridge.requests();
  const t0 = performance.now();
  const rendered = await open();
  await waitIdle(bridge);
  const renderMs = performance.now() - t0;
  const stats = await control<Stats>('stats');

  const callsByFunction = Object.fromEntries(Object.entries(stats.functions).map(([fn, s]) => [fn, s.invocations]));
  const log = rendered.setDataLog;
  const text = rendered.text();
  rows.push({
    page: page.path,
    pkg: page.pkg,
    identity,
    query,
    calls: Object.values(callsByFunction).reduce((a, b) => a + b, 0),
    callsByFunction,
    requests: bridge.requests() - requestsBefore,
    engineReads: stats.engine.reads,
    engineWrites: stats.engine.writes,
    engineByAction: stats.engine.byAction,
    setDataCount: log.length,
    firstSetDataBytes: log[0]?.bytes ?? 0,
    maxSetDataBytes: Math.max(0, ...log.map((r) => r.bytes)),
    totalSetDataBytes: log.reduce((a, r) => a + r.bytes, 0),
    nodes: rendered.nodeCount(),
    renderMs: Math.round(renderMs * 10) / 10,
    showsError: ERROR_TEXTS.some((t) => text.includes(t)),
    local,
    text: excerpt(rendered),
  });
  rendered.comp.detach();
});
