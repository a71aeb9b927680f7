/**
 * startLocalCloud(): the local stand-in for WeChat cloud development, for `npm start`, tests and
 * scripts. It runs the real cloud functions with the real wx-server-sdk in worker threads and
 * serves the routes documented in docs/LOCAL-CLOUD.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Clock } from './clock';
import { DEFAULT_APP_ID, DEFAULT_ENV_ID, DEFAULT_ORIGINAL_ID, DEFAULT_PORT, SOURCE } from './constants';
import { OpenApi, type SentMessage } from './openapi';
import { Runner, type InvokeOutcome, type InvocationRecord } from './runner/pool';
import { Scheduler } from './scheduler/cron';
import { fireTimer } from './server/control-route';
import type { CloudParts, Faults } from './server/parts';
import { createServer } from './server/server';
import { FileStore } from './storage/store';
import type { EngineLike, EngineOpener, Identity } from './types';

export type { EngineLike, EngineOpener, Identity } from './types';
export type { InvokeOutcome, InvocationRecord } from './runner/pool';
export type { SentMessage, MediaCheck, ModerationSettings } from './openapi';
export { SOURCE } from './constants';

/** The repository root (local-cloud/src and local-cloud/dist are both two levels below it). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export interface LocalCloudOptions {
  /** default: env LOCAL_CLOUD_PORT, else 3720; 0 = a free port */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
  /** where the database and the stored files live */
  dataDir: string;
  /** default <repo>/cloudfunctions */
  functionsDir?: string;
  /** default 'local' */
  envId?: string;
  /** getWXContext().APPID of client calls */
  appId?: string;
  /** most warm instances per function (default 4) */
  poolSize?: number;
  /** no logs, function output dropped */
  quiet?: boolean;
  /** fire timer triggers on their cron (npm start); default false */
  scheduler?: boolean;
  /** the functions' environment variables (the cloud console's 环境变量): secrets and settings */
  functionEnv?: Record<string, string>;
  /** opens the database engine; default: local-cloud/src/engine Engine.open */
  openEngine?: EngineOpener;
  /** passed to the engine (default chosen by the engine: database/collections.json; null = none) */
  collectionsFile?: string | null;
  /** the built worker; default <repo>/local-cloud/dist/worker.js */
  workerFile?: string;
  /** message push routes, "<MsgType>/<Event>" → function; default: wxa_media_check and the three subscribe_msg_* events → 'events' */
  messagePush?: Record<string, string>;
  /** app.json for wxacode page checks; default <repo>/miniprogram/app.json when present; null = no check */
  appJson?: string | null;
}

export interface LocalCloud {
  url: string;
  port: number;
  envId: string;
  appId: string;
  engine: EngineLike;
  clock: Clock;
  /** subscription messages sent (live array; also GET /_control/messages) */
  sent: SentMessage[];
  runner: Runner;
  store: FileStore;
  openapi: OpenApi;
  faults: Faults;
  /** runs a function directly (no HTTP), as `identity` (default: a client call without OPENID) */
  invoke(name: string, event?: Record<string, unknown>, identity?: Partial<Identity>): Promise<InvokeOutcome>;
  /** fires a function's timer trigger now */
  fireTimer(name: string): Promise<InvokeOutcome>;
  /** invocations so far (the last 500) */
  invocations(fn?: string): InvocationRecord[];
  stop(): Promise<void>;
}

const defaultOpenEngine: EngineOpener = async (opts) => {
  const mod = await import('./engine/index');
  return mod.Engine.open(opts);
};

function defaultPort(): number {
  const env = process.env['LOCAL_CLOUD_PORT'];
  if (env === undefined || env === '') return DEFAULT_PORT;
  const n = Number(env);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`LOCAL_CLOUD_PORT must be a port number, got "${env}"`);
  return n;
}

export async function startLocalCloud(opts: LocalCloudOptions): Promise<LocalCloud> {
  const port = opts.port ?? defaultPort();
  const host = opts.host ?? '127.0.0.1';
  const envId = opts.envId ?? DEFAULT_ENV_ID;
  const appId = opts.appId ?? DEFAULT_APP_ID;
  const functionsDir = path.resolve(opts.functionsDir ?? path.join(REPO_ROOT, 'cloudfunctions'));
  const dataDir = path.resolve(opts.dataDir);
  const workerFile = opts.workerFile ?? path.join(REPO_ROOT, 'local-cloud', 'dist', 'worker.js');
  const quiet = opts.quiet === true;
  const log = quiet ? (): void => undefined : (line: string): void => console.log(`[local-cloud] ${line}`);
  if (!/^[a-z0-9_-]{1,40}$/.test(envId)) throw new Error(`envId must match [a-z0-9_-]{1,40}, got "${envId}"`);
  if (!fs.existsSync(workerFile)) {
    throw new Error(`${workerFile} is missing: build the local cloud first (local-cloud/build.mjs buildLocalCloud(), run by npm run build)`);
  }
  fs.mkdirSync(dataDir, { recursive: true });

  const clock = new Clock();
  let boundPort = port;
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  const baseUrl = (): string => `http://${hostInUrl}:${boundPort}`;

  const engineOpts: Parameters<EngineOpener>[0] = { dataDir, now: () => clock.now() };
  if (opts.collectionsFile !== undefined) engineOpts.collectionsFile = opts.collectionsFile;
  const engine = await (opts.openEngine ?? defaultOpenEngine)(engineOpts);

  const runner = new Runner({
    functionsDir,
    workerFile,
    nodeModules: path.join(REPO_ROOT, 'node_modules'),
    envId,
    baseUrl,
    clock,
    poolSize: Math.max(1, opts.poolSize ?? 4),
    quiet,
    functionEnv: opts.functionEnv ?? {},
  });
  const store = new FileStore({ dataDir, envId, clock, baseUrl });
  const defaultAppJson = path.join(REPO_ROOT, 'miniprogram', 'app.json');
  const openapi = new OpenApi({
    clock,
    appId,
    originalId: DEFAULT_ORIGINAL_ID,
    messagePush: opts.messagePush ?? {
      'event/wxa_media_check': 'events',
      'event/subscribe_msg_popup_event': 'events',
      'event/subscribe_msg_change_event': 'events',
      'event/subscribe_msg_sent_event': 'events',
    },
    appJson: opts.appJson !== undefined ? opts.appJson : fs.existsSync(defaultAppJson) ? defaultAppJson : null,
    push: async (fn, event, identity) => {
      const out = await runner.invoke(fn, JSON.stringify(event), identity);
      if (!out.ok) log(`message push to ${fn} failed: ${out.errMsg.split('\n')[0] ?? ''}`);
      return out.ok ? { ok: true } : { ok: false, error: `${out.errCode} ${out.errMsg}` };
    },
  });
  const faults: Faults = { uploadDrop: null };
  const parts: CloudParts = { envId, appId, clock, engine, runner, store, openapi, faults, startedAt: Date.now(), port: () => boundPort, log };

  const server = createServer(parts);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    await runner.stop();
    await engine.close();
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') throw new Error(`port ${port} is in use (set LOCAL_CLOUD_PORT or stop the other local cloud)`);
    throw e;
  }
  boundPort = (server.address() as AddressInfo).port;

  let scheduler: Scheduler | null = null;
  if (opts.scheduler === true) {
    scheduler = new Scheduler({
      now: () => clock.now(),
      triggers: () => {
        const out: Array<{ fn: string; name: string; cron: string }> = [];
        for (const fn of runner.listFunctions()) {
          try {
            const t = runner.config(fn).timer;
            if (t) out.push({ fn, name: t.name, cron: t.cron });
          } catch {
            // a broken config.json is reported when the function is called
          }
        }
        return out;
      },
      fire: (fn, _name, t) => {
        void fireTimer(parts, fn, t).then(
          (out) => log(`timer ${fn}: ${out.ok ? 'ok' : `${out.errCode} ${out.errMsg.split('\n')[0] ?? ''}`}`),
          (e: unknown) => log(`timer ${fn}: ${e instanceof Error ? e.message : String(e)}`),
        );
      },
      onError: log,
    });
    scheduler.start();
  }

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      scheduler?.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await openapi.stop();
      await runner.stop();
      await engine.close();
    })();
    return stopping;
  };

  return {
    url: baseUrl(),
    port: boundPort,
    envId,
    appId,
    engine,
    clock,
    sent: openapi.sent,
    runner,
    store,
    openapi,
    faults,
    invoke: (name, event = {}, identity = {}) =>
      runner.invoke(name, JSON.stringify(event), { APPID: appId, ...identity, SOURCE: identity.SOURCE ?? SOURCE.client }),
    fireTimer: (name) => fireTimer(parts, name),
    invocations: (fn) => runner.invocations(fn),
    stop,
  };
}
