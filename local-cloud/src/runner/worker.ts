/**
 * One function instance: a worker thread that loads `cloudfunctions/<name>/index.js` with the real
 * wx-server-sdk and serves one invocation at a time, keeping module state between invocations like
 * a warm cloud instance. Bundled by local-cloud/build.mjs to local-cloud/dist/worker.js.
 *
 * Each worker thread has its own copy of process.env, so the caller's identity (WX_OPENID, …,
 * TCB_SOURCE) set here is never seen by another invocation running concurrently elsewhere.
 */
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { IDENTITY_ENV_KEYS, type FromWorker, type SerializedError, type ToWorker, type WorkerInit } from './protocol';

const init = workerData as WorkerInit;
const port = parentPort;
if (!port) throw new Error('worker.ts must run in a worker thread');

// ---- the clock: Date.now() and `new Date()` see the local cloud's offset ----------------------
let offsetMs = init.offsetMs;
const RealDate = Date;
const realNow = RealDate.now.bind(RealDate);
const shiftedNow = (): number => realNow() + offsetMs;
const ShiftedDate = new Proxy(RealDate, {
  construct(target, args: unknown[], newTarget: (...a: unknown[]) => unknown) {
    const a = args.length === 0 ? [shiftedNow()] : args;
    return Reflect.construct(target, a, newTarget) as object;
  },
  apply() {
    // Date() called as a function returns the current time as a string
    return new RealDate(shiftedNow()).toString();
  },
  get(target, prop, receiver) {
    if (prop === 'now') return shiftedNow;
    return Reflect.get(target, prop, receiver) as unknown;
  },
});
globalThis.Date = ShiftedDate;

// ---- module resolution: the function's own node_modules first, then the repository's ----------
{
  const existing = process.env['NODE_PATH'];
  process.env['NODE_PATH'] = existing ? `${init.nodeModules}${path.delimiter}${existing}` : init.nodeModules;
  (Module as unknown as { _initPaths(): void })._initPaths();
}

process.on('unhandledRejection', (reason) => {
  console.error(`[local-cloud:${init.functionName}] unhandled rejection:`, reason);
});

type MainFn = (event: unknown, context: unknown) => unknown;
let main: MainFn | null = null;

function load(): { main: MainFn; loadMs: number | null } {
  if (main) return { main, loadMs: null };
  const t0 = performance.now();
  const req = createRequire(init.entry);
  const mod = req(init.entry) as { main?: unknown } | undefined;
  const fn = mod?.main;
  if (typeof fn !== 'function') {
    throw new TypeError(`${init.functionName}/index.js does not export a main(event, context) function`);
  }
  main = fn as MainFn;
  return { main, loadMs: performance.now() - t0 };
}

function serialize(e: unknown): SerializedError {
  if (e instanceof Error) {
    const head = `${e.name}: ${e.message}`;
    const stack = typeof e.stack === 'string' && e.stack.length > 0 ? e.stack : head;
    return { name: e.name, message: e.message, stack };
  }
  let text: string;
  try {
    text = typeof e === 'string' ? e : JSON.stringify(e) ?? String(e);
  } catch {
    text = String(e);
  }
  return { name: 'Error', message: text, stack: text };
}

function post(msg: FromWorker): void {
  port?.postMessage(msg);
}

async function invoke(msg: Extract<ToWorker, { type: 'invoke' }>): Promise<void> {
  offsetMs = msg.offsetMs;
  for (const k of IDENTITY_ENV_KEYS) Reflect.deleteProperty(process.env, k);
  for (const [k, v] of Object.entries(msg.env)) process.env[k] = v;
  let loadMs: number | null = null;
  try {
    const loaded = load();
    loadMs = loaded.loadMs;
    const event: unknown = JSON.parse(msg.eventJson);
    const value = await loaded.main(event, msg.context);
    const json = JSON.stringify(value === undefined ? null : value) ?? 'null';
    post({ type: 'done', id: msg.id, ok: true, json, loadMs });
  } catch (e) {
    post({ type: 'done', id: msg.id, ok: false, error: serialize(e), loadMs });
  }
}

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'clock') {
    offsetMs = msg.offsetMs;
    return;
  }
  void invoke(msg);
});
