/**
 * Cloud function bundles: the size of each cloudfunctions/<fn>/index.js, and its cold-load time in
 * a fresh `node -e` process, timed inside the process (Node's own start-up left out): first
 * require('wx-server-sdk') (resolved from the function's folder, the copy the function loads),
 * then require(index.js). The sum is the function's cold load; the second part is what it adds
 * beyond the SDK (its own code, its libraries, cloud.init), measured in the same process, so the
 * noise between processes does not enter the difference. A bare require('wx-server-sdk') runs
 * beside them. Median of 7 runs after one warm-up (disk cache); runs are interleaved across the
 * targets so a busy moment on the machine touches them all alike.
 *
 * The environment is the one the local cloud gives an instance, with the SDK's endpoint on a
 * closed port, so the SDK's init never probes the network.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { figure, log, max, median, round, type Figure } from './report';

export const RUNS = 7;
/** What `api` may add to a cold start beyond wx-server-sdk itself. */
export const API_BEYOND_SDK_BUDGET_MS = 50;

// argv[1]: the folder to resolve wx-server-sdk from; argv[2]: the function (absent: the SDK alone).
const PROBE = `
const now = () => Number(process.hrtime.bigint()) / 1e6;
const t0 = now();
require(require.resolve('wx-server-sdk', { paths: [process.argv[1]] }));
const t1 = now();
if (process.argv[2]) require(process.argv[2]);
const t2 = now();
process.stdout.write(JSON.stringify({ sdkMs: t1 - t0, beyondMs: t2 - t1, totalMs: t2 - t0 }));
process.exit(0);
`;

function coldEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    TZ: 'UTC',
    TENCENTCLOUD: 'true',
    TENCENTCLOUD_SECRETID: 'bench-secret-id',
    TENCENTCLOUD_SECRETKEY: 'bench-secret-key',
    TENCENTCLOUD_SESSIONTOKEN: 'bench-session-token',
    SCF_NAMESPACE: 'bench',
    TCB_ENV: 'bench',
    TCB_CONTEXT_CNFG: JSON.stringify({ URL: 'http://127.0.0.1:9/admin' }),
    WCP_ID_SECRET: 'bench-secret-0123456789abcdef',
    WCP_ADMIN_OPENIDS: 'demo-admin',
  };
}

interface Probe {
  sdkMs: number;
  beyondMs: number;
  totalMs: number;
  wallMs: number;
}

/** One fresh process. */
function probe(root: string, file: string | null): Probe {
  const t0 = process.hrtime.bigint();
  const args = ['-e', PROBE, file ? dirname(file) : root, ...(file ? [file] : [])];
  const out = execFileSync(process.execPath, args, { cwd: root, env: coldEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30000 });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  return { ...(JSON.parse(out) as Omit<Probe, 'wallMs'>), wallMs };
}

export function functionNames(root: string): string[] {
  const dir = join(root, 'cloudfunctions');
  return readdirSync(dir)
    .filter((d) => existsSync(join(dir, d, 'index.js')) && existsSync(join(dir, d, 'package.json')))
    .sort((a, b) => (a === 'api' ? -1 : b === 'api' ? 1 : a.localeCompare(b)));
}

export function functionsStage(root: string): { figures: Figure[]; detail: unknown } {
  const targets: Array<{ name: string; file: string | null }> = [
    { name: 'wx-server-sdk', file: null },
    ...functionNames(root).map((fn) => ({ name: fn, file: join(root, 'cloudfunctions', fn, 'index.js') })),
  ];
  for (const t of targets) probe(root, t.file); // warm-up
  const samples = new Map<string, Probe[]>(targets.map((t) => [t.name, []]));
  for (let i = 0; i < RUNS; i++) for (const t of targets) samples.get(t.name)!.push(probe(root, t.file));
  const med = (name: string, k: keyof Probe): number => round(median(samples.get(name)!.map((p) => p[k])), 1);

  const figures: Figure[] = [];
  const detail: Record<string, unknown> = {};
  const sdk = med('wx-server-sdk', 'sdkMs');
  detail['wx-server-sdk'] = { requireMs: sdk, wallMs: med('wx-server-sdk', 'wallMs'), samples: samples.get('wx-server-sdk')!.map((p) => round(p.sdkMs, 1)) };
  log(`require('wx-server-sdk'): median ${sdk} ms`);
  figures.push(figure('functions', "require('wx-server-sdk') alone", sdk, 'ms', null, { note: `median of ${RUNS} fresh processes` }));
  for (const t of targets) {
    if (!t.file) continue;
    const bytes = statSync(t.file).size;
    const total = med(t.name, 'totalMs');
    const beyond = med(t.name, 'beyondMs');
    detail[t.name] = { bytes, coldLoadMs: total, beyondSdkMs: beyond, wallMs: med(t.name, 'wallMs'), samples: samples.get(t.name)!.map((p) => ({ total: round(p.totalMs, 1), beyond: round(p.beyondMs, 1) })) };
    log(`${t.name}: ${bytes} B, cold load median ${total} ms, beyond the SDK ${beyond} ms`);
    figures.push(figure('functions', `${t.name}/index.js size`, bytes, 'B'));
    figures.push(figure('functions', `${t.name} cold load`, total, 'ms', null, { note: `median of ${RUNS}; process wall ${med(t.name, 'wallMs').toFixed(0)} ms` }));
    figures.push(
      figure('functions', `${t.name} cold load beyond the SDK`, beyond, 'ms', t.name === 'api' ? max(API_BEYOND_SDK_BUDGET_MS) : null, {
        note: 'require(index.js) after the SDK, same process',
      }),
    );
  }
  return { figures, detail };
}
