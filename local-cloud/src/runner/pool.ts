/**
 * The function runner: one pool of worker threads per function, each worker serving one
 * invocation at a time (a cloud instance), started lazily, kept warm between invocations, ended
 * when an invocation runs past the function's timeout.
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { Clock } from '../clock';
import { ERR, MAX_SCF_PAYLOAD_BYTES } from '../constants';
import type { Identity } from '../types';
import { FunctionConfigError, isValidFunctionName, readFunctionConfig, type FunctionConfig } from './config';
import type { FromWorker, InvokeMessage, SerializedError, WorkerInit } from './protocol';

export interface RunnerOptions {
  functionsDir: string;
  /** built local-cloud/dist/worker.js */
  workerFile: string;
  /** repository node_modules (wx-server-sdk) */
  nodeModules: string;
  envId: string;
  /** the SDK endpoint base, known once the server listens, e.g. http://127.0.0.1:3720 */
  baseUrl: () => string;
  clock: Clock;
  /** most instances per function (nested calls may exceed it so a function can call itself) */
  poolSize: number;
  quiet: boolean;
  /** the functions' own environment variables, as set in the cloud console (secrets, settings) */
  functionEnv?: Record<string, string>;
}

export type InvokeOutcome =
  | { ok: true; json: string; requestId: string; ms: number; cold: boolean }
  | {
      ok: false;
      kind: 'not-found' | 'config' | 'error' | 'timeout' | 'too-large';
      errCode: number;
      errMsg: string;
      requestId: string;
      ms: number;
      cold: boolean;
    };

export interface InvokeOptions {
  /** a call from another function (cloud.callFunction): may spawn past poolSize */
  nested?: boolean;
  /** largest result, in bytes of JSON */
  maxResultBytes?: number;
}

export interface InvocationRecord {
  requestId: string;
  function: string;
  source: string;
  openid: string | null;
  startedAt: number;
  ms: number;
  cold: boolean;
  outcome: 'ok' | 'error' | 'timeout' | 'too-large' | 'not-found' | 'config';
  errCode?: number;
  /** the event and result when small (≤ 4 KB of JSON each), for tests and debugging */
  event?: unknown;
  result?: unknown;
}

export interface FunctionStats {
  invocations: number;
  errors: number;
  timeouts: number;
  coldStarts: number;
  totalMs: number;
}

interface Pending {
  id: string;
  resolve: (m: FromWorker | { type: 'died'; error: SerializedError }) => void;
}

class Instance {
  pending: Pending | null = null;
  identity: Identity | null = null;
  invocations = 0;
  dead = false;
  constructor(
    readonly worker: Worker,
    readonly entryStamp: string,
    readonly token: string,
  ) {}
}

class FunctionPool {
  readonly instances = new Set<Instance>();
  readonly idle: Instance[] = [];
  readonly waiters: Array<(i: Instance | null) => void> = [];
  constructor(
    readonly name: string,
    readonly dir: string,
  ) {}
}

const SMALL = 4096;

function stampOf(file: string): string {
  const st = fs.statSync(file);
  return `${st.size}:${st.mtimeMs}`;
}

export class Runner extends EventEmitter {
  private readonly pools = new Map<string, FunctionPool>();
  private readonly byToken = new Map<string, { fn: string; instance: Instance }>();
  private readonly statsByFn = new Map<string, FunctionStats>();
  private readonly log: InvocationRecord[] = [];
  private stopped = false;
  private readonly unsubscribeClock: () => void;

  constructor(private readonly opts: RunnerOptions) {
    super();
    this.unsubscribeClock = opts.clock.onChange((offsetMs) => {
      for (const pool of this.pools.values()) {
        for (const inst of pool.instances) inst.worker.postMessage({ type: 'clock', offsetMs });
      }
    });
  }

  /** Directory of a deployed function, or null (unknown name, no index.js). */
  functionDir(name: string): string | null {
    if (!isValidFunctionName(name)) return null;
    const dir = path.join(this.opts.functionsDir, name);
    return fs.existsSync(path.join(dir, 'index.js')) ? dir : null;
  }

  /** Names of the functions under functionsDir that have a built index.js. */
  listFunctions(): string[] {
    let names: string[] = [];
    try {
      names = fs.readdirSync(this.opts.functionsDir);
    } catch {
      return [];
    }
    return names.filter((n) => this.functionDir(n) !== null).sort();
  }

  config(name: string): FunctionConfig {
    const dir = this.functionDir(name);
    if (!dir) throw new FunctionConfigError(`no function "${name}"`);
    return readFunctionConfig(dir);
  }

  /** The function (and its current caller) behind an SDK request from a worker. */
  caller(token: string): { fn: string; identity: Identity | null } | null {
    const hit = this.byToken.get(token);
    if (!hit) return null;
    return { fn: hit.fn, identity: hit.instance.identity };
  }

  invocations(fn?: string): InvocationRecord[] {
    return fn ? this.log.filter((r) => r.function === fn) : [...this.log];
  }

  stats(): Record<string, FunctionStats & { instances: number }> {
    const out: Record<string, FunctionStats & { instances: number }> = {};
    for (const [fn, s] of this.statsByFn) out[fn] = { ...s, instances: this.pools.get(fn)?.instances.size ?? 0 };
    return out;
  }

  resetStats(): void {
    this.statsByFn.clear();
    this.log.length = 0;
  }

  private stat(fn: string): FunctionStats {
    let s = this.statsByFn.get(fn);
    if (!s) {
      s = { invocations: 0, errors: 0, timeouts: 0, coldStarts: 0, totalMs: 0 };
      this.statsByFn.set(fn, s);
    }
    return s;
  }

  private record(rec: InvocationRecord): void {
    this.log.push(rec);
    if (this.log.length > 500) this.log.splice(0, this.log.length - 500);
    this.emit('invocation', rec);
  }

  /**
   * Runs `name` with `eventJson` as the caller `identity`. Never throws: failures come back as
   * the error the cloud gives (errCode/errMsg).
   */
  async invoke(name: string, eventJson: string, identity: Identity, options: InvokeOptions = {}): Promise<InvokeOutcome> {
    const requestId = randomBytes(16).toString('hex');
    const startedAt = this.opts.clock.now();
    const t0 = performance.now();
    const base: Omit<InvocationRecord, 'ms' | 'cold' | 'outcome'> = {
      requestId,
      function: name,
      source: identity.SOURCE,
      openid: identity.OPENID ?? null,
      startedAt,
    };
    if (eventJson.length <= SMALL) base.event = JSON.parse(eventJson) as unknown;

    const fail = (kind: Exclude<InvokeOutcome, { ok: true }>['kind'], errCode: number, errMsg: string, cold: boolean): InvokeOutcome => {
      const ms = performance.now() - t0;
      const s = this.stat(name);
      s.invocations++;
      s.totalMs += ms;
      if (kind === 'timeout') s.timeouts++;
      else s.errors++;
      if (cold) s.coldStarts++;
      this.record({ ...base, ms, cold, outcome: kind, errCode });
      return { ok: false, kind, errCode, errMsg, requestId, ms, cold };
    };

    if (this.stopped) return fail('error', ERR.SYS_ERR, 'the local cloud is stopping', false);
    const dir = this.functionDir(name);
    if (!dir) return fail('not-found', ERR.FUNCTION_NOT_FOUND, `FunctionName parameter could not be found: ${name}`, false);
    let config: FunctionConfig;
    try {
      config = readFunctionConfig(dir);
    } catch (e) {
      return fail('config', ERR.SYS_ERR, (e as Error).message, false);
    }
    if (Buffer.byteLength(eventJson) > MAX_SCF_PAYLOAD_BYTES) {
      return fail('too-large', ERR.INVALID_PARAM, 'The request event size exceeds the upper limit (6MB)', false);
    }

    const pool = this.poolFor(name, dir);
    const inst = await this.acquire(pool, options.nested === true);
    if (!inst) return fail('error', ERR.SYS_ERR, 'the local cloud is stopping', false);
    const cold = inst.invocations === 0;
    inst.invocations++;
    inst.identity = identity;

    const timeoutMs = config.timeoutS * 1000;
    const msg: InvokeMessage = {
      type: 'invoke',
      id: requestId,
      eventJson,
      env: identityEnv(identity),
      offsetMs: this.opts.clock.offsetMs,
      context: {
        callbackWaitsForEmptyEventLoop: false,
        memory_limit_in_mb: 256,
        time_limit_in_ms: timeoutMs,
        request_id: requestId,
        environ: '',
        environment: JSON.stringify({ ...identityEnv(identity), SCF_NAMESPACE: this.opts.envId, TCB_ENV: this.opts.envId }),
        function_version: '$LATEST',
        function_name: name,
        namespace: this.opts.envId,
        tencentcloud_region: 'ap-shanghai',
      },
    };

    const reply = await new Promise<FromWorker | { type: 'died'; error: SerializedError } | { type: 'timeout' }>((resolve) => {
      const timer = setTimeout(() => {
        inst.pending = null;
        this.retire(pool, inst);
        resolve({ type: 'timeout' });
      }, timeoutMs);
      inst.pending = {
        id: requestId,
        resolve: (m) => {
          clearTimeout(timer);
          inst.pending = null;
          resolve(m);
        },
      };
      inst.worker.postMessage(msg);
    });

    if (reply.type === 'timeout') {
      return fail('timeout', ERR.FUNCTIONS_TIMEOUT, `Invoking task timed out after ${config.timeoutS} seconds`, cold);
    }
    if (reply.type === 'died') {
      return fail('error', ERR.FUNCTIONS_EXECUTE_FAIL, reply.error.stack, cold);
    }
    this.release(pool, inst);
    if (!reply.ok) {
      return fail('error', ERR.FUNCTIONS_EXECUTE_FAIL, reply.error.stack, cold);
    }
    const max = options.maxResultBytes ?? MAX_SCF_PAYLOAD_BYTES;
    if (Buffer.byteLength(reply.json) > max) {
      return fail(
        'too-large',
        ERR.RESULT_TOO_LARGE,
        max >= MAX_SCF_PAYLOAD_BYTES
          ? 'The size of response exceeds the upper limit (6MB)'
          : 'cloudfunction result size exceed limit (1MB)',
        cold,
      );
    }
    const ms = performance.now() - t0;
    const s = this.stat(name);
    s.invocations++;
    s.totalMs += ms;
    if (cold) s.coldStarts++;
    const rec: InvocationRecord = { ...base, ms, cold, outcome: 'ok' };
    if (reply.json.length <= SMALL) rec.result = JSON.parse(reply.json) as unknown;
    this.record(rec);
    return { ok: true, json: reply.json, requestId, ms, cold };
  }

  private poolFor(name: string, dir: string): FunctionPool {
    let pool = this.pools.get(name);
    if (!pool) {
      pool = new FunctionPool(name, dir);
      this.pools.set(name, pool);
    }
    return pool;
  }

  private async acquire(pool: FunctionPool, nested: boolean): Promise<Instance | null> {
    const entry = path.join(pool.dir, 'index.js');
    const stamp = stampOf(entry);
    // a rebuilt function is redeployed: idle instances of the old code are ended
    while (pool.idle.length > 0) {
      const inst = pool.idle.pop();
      if (!inst) break;
      if (inst.entryStamp === stamp && !inst.dead) return inst;
      this.retire(pool, inst);
    }
    if (pool.instances.size < this.opts.poolSize || nested) return this.spawn(pool, entry, stamp);
    return await new Promise<Instance | null>((resolve) => {
      pool.waiters.push(resolve);
    });
  }

  private release(pool: FunctionPool, inst: Instance): void {
    if (inst.dead) return;
    const waiter = pool.waiters.shift();
    if (waiter) {
      waiter(inst);
      return;
    }
    if (this.stopped || pool.instances.size > this.opts.poolSize) {
      this.retire(pool, inst);
      return;
    }
    pool.idle.push(inst);
  }

  private spawn(pool: FunctionPool, entry: string, stamp: string): Instance {
    const init: WorkerInit = {
      functionName: pool.name,
      entry,
      nodeModules: this.opts.nodeModules,
      offsetMs: this.opts.clock.offsetMs,
    };
    const token = randomBytes(12).toString('hex');
    const env: Record<string, string> = {
      TENCENTCLOUD: 'true',
      TENCENTCLOUD_SECRETID: 'local-cloud',
      TENCENTCLOUD_SECRETKEY: 'local-cloud',
      TENCENTCLOUD_SESSIONTOKEN: 'local-cloud',
      TENCENTCLOUD_REGION: 'ap-shanghai',
      SCF_NAMESPACE: this.opts.envId,
      TCB_ENV: this.opts.envId,
      SCF_FUNCTIONNAME: pool.name,
      SCF_FUNCTIONVERSION: '$LATEST',
      // every SDK request of this instance goes to POST /admin?w=<token>&env=…
      TCB_CONTEXT_CNFG: JSON.stringify({ URL: `${this.opts.baseUrl()}/admin?w=${token}&` }),
      ...this.opts.functionEnv,
    };
    for (const k of ['PATH', 'HOME', 'TZ', 'LANG', 'NODE_ENV', 'SILENCE']) {
      const v = process.env[k];
      if (v !== undefined) env[k] = v;
    }
    const worker = new Worker(this.opts.workerFile, {
      workerData: init,
      env,
      stdout: this.opts.quiet,
      stderr: this.opts.quiet,
      resourceLimits: { maxOldGenerationSizeMb: 256 },
      name: `fn:${pool.name}`,
    });
    if (this.opts.quiet) {
      worker.stdout.resume();
      worker.stderr.resume();
    }
    const inst = new Instance(worker, stamp, token);
    pool.instances.add(inst);
    this.byToken.set(token, { fn: pool.name, instance: inst });
    worker.on('message', (m: FromWorker) => {
      if (inst.pending && m.id === inst.pending.id) inst.pending.resolve(m);
    });
    const died = (error: SerializedError): void => {
      const pending = inst.pending;
      this.retire(pool, inst);
      pending?.resolve({ type: 'died', error });
    };
    worker.on('error', (e) => {
      died({ name: e.name, message: e.message, stack: e.stack ?? `${e.name}: ${e.message}` });
    });
    worker.on('exit', (code) => {
      if (!inst.dead) {
        const text = `Error: ${code} code exit unexpected`;
        died({ name: 'Error', message: text, stack: text });
      }
    });
    return inst;
  }

  /** Ends an instance (timeout, crash, redeploy, shutdown). */
  private retire(pool: FunctionPool, inst: Instance): void {
    if (inst.dead) return;
    inst.dead = true;
    pool.instances.delete(inst);
    const i = pool.idle.indexOf(inst);
    if (i >= 0) pool.idle.splice(i, 1);
    this.byToken.delete(inst.token);
    void inst.worker.terminate();
    // someone waiting for an instance gets a fresh one
    if (!this.stopped && pool.waiters.length > 0 && pool.instances.size < this.opts.poolSize) {
      const waiter = pool.waiters.shift();
      if (waiter) {
        try {
          const entry = path.join(pool.dir, 'index.js');
          waiter(this.spawn(pool, entry, stampOf(entry)));
        } catch {
          waiter(null);
        }
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribeClock();
    const all: Promise<number>[] = [];
    for (const pool of this.pools.values()) {
      for (const w of pool.waiters.splice(0)) w(null);
      for (const inst of [...pool.instances]) {
        inst.dead = true;
        inst.pending?.resolve({ type: 'died', error: { name: 'Error', message: 'stopped', stack: 'Error: the local cloud stopped' } });
        all.push(inst.worker.terminate());
      }
      pool.instances.clear();
      pool.idle.length = 0;
    }
    this.byToken.clear();
    await Promise.allSettled(all);
  }
}

/** The per-invocation environment getWXContext() reads (wx-server-sdk index.js, getWXContext). */
export function identityEnv(id: Identity): Record<string, string> {
  const env: Record<string, string> = {};
  const keys: string[] = [];
  const put = (key: string, value: string | undefined): void => {
    if (value === undefined || value === '') return;
    env[key] = value;
    keys.push(key);
  };
  put('WX_OPENID', id.OPENID);
  put('WX_APPID', id.APPID);
  put('WX_UNIONID', id.UNIONID);
  put('WX_CLIENTIP', id.CLIENTIP);
  env['WX_CONTEXT_KEYS'] = keys.join(',');
  env['TCB_SOURCE'] = id.SOURCE;
  return env;
}
