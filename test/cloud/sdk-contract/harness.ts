/**
 * Contract harness: the real wx-server-sdk 4.0.2 (through @cloudbase/node-sdk and
 * @cloudbase/database) talking to the local engine over HTTP, exactly as a cloud function does in
 * the local cloud.
 *
 * Seam (docs/DESIGN.md, "The local cloud"): the environment alone.
 *   TCB_CONTEXT_CNFG='{"URL":"http://127.0.0.1:<port>/admin"}', dummy TENCENTCLOUD_SECRETID/KEY,
 *   TENCENTCLOUD=true (skips the metadata probe), SCF_NAMESPACE=<env>; then cloud.init({ env }).
 * node-sdk reads TCB_CONTEXT_CNFG on every request (utils/tcbcontext.js getServerInjectUrl), so the
 * variables must stay set while the SDK is used.
 *
 * The minimal server answers `POST /admin?env=…&seqId=…` with `responseBody()`/`errorBody()` from
 * the engine's wire.ts: HTTP 200 and `{ requestId, data }`, or `{ requestId, code, message }`.
 *
 * CONTRACT_TARGET=cloud skips all of that and points the SDK at a real environment:
 * CONTRACT_ENV=<env id>, TENCENTCLOUD_SECRETID / TENCENTCLOUD_SECRETKEY of an account allowed to use
 * it, and the collections named in `collections` created beforehand (indexes as declared). Tests that
 * need the engine itself (clock, stats) check `h.engine` and skip those parts. Not run here.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine, errorBody, responseBody } from '../../../local-cloud/src/engine';

export interface IndexDef {
  name: string;
  keys: Record<string, 1 | -1>;
  unique?: boolean;
}

/** The slice of wx-server-sdk the contract tests use (its own typings return unions with void). */
export type Cloud = typeof import('wx-server-sdk');
export type Database = ReturnType<Cloud['database']>;

export interface Harness {
  cloud: Cloud;
  db: Database;
  /** The local engine; undefined when CONTRACT_TARGET=cloud. */
  engine: Engine | undefined;
  /** The clock offset used by the local engine (ms); serverDate = Date.now() + offset. */
  clock: { offsetMs: number };
  /** Every action the SDK sent, with its params (local only). */
  requests: Array<{ action: string; params: Record<string, unknown> }>;
  close(): Promise<void>;
}

export const TARGET_CLOUD = process.env.CONTRACT_TARGET === 'cloud';

/** Fields node-sdk adds to every request (credentials and routing), not part of the action. */
const AUTH_FIELDS = ['action', 'envName', 'wxCloudApiToken', 'wxCloudbaseAccesstoken', 'tcb_sessionToken', 'sessionToken', 'crossAuthorizationToken'];

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

let requestSeq = 0;

export async function startHarness(collections: Record<string, IndexDef[]>): Promise<Harness> {
  if (TARGET_CLOUD) {
    const env = process.env.CONTRACT_ENV;
    if (!env) throw new Error('CONTRACT_TARGET=cloud needs CONTRACT_ENV and real TENCENTCLOUD_SECRETID/KEY');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const cloud = require('wx-server-sdk') as Cloud;
    cloud.init({ env });
    return { cloud, db: cloud.database(), engine: undefined, clock: { offsetMs: 0 }, requests: [], close: async () => {} };
  }

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdk-contract-'));
  const collectionsFile = path.join(dir, 'collections.json');
  fs.writeFileSync(
    collectionsFile,
    JSON.stringify({ collections: Object.fromEntries(Object.entries(collections).map(([n, indexes]) => [n, { indexes }])) }),
  );
  const clock = { offsetMs: 0 };
  const engine = await Engine.open({ dataDir: path.join(dir, 'data'), collectionsFile, now: () => Date.now() + clock.offsetMs });
  const requests: Harness['requests'] = [];

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (req.method !== 'POST' || url.pathname !== '/admin') {
        res.writeHead(404).end();
        return;
      }
      const requestId = `local-${++requestSeq}`;
      let body: unknown;
      try {
        body = JSON.parse(await readBody(req));
      } catch {
        body = undefined;
      }
      let answer: Record<string, unknown>;
      if (body === null || typeof body !== 'object' || typeof (body as { action?: unknown }).action !== 'string') {
        answer = { requestId, code: 'INVALID_PARAM', message: 'the request body must be a JSON object with an action' };
      } else {
        const all = body as Record<string, unknown>;
        const action = all.action as string;
        const params = Object.fromEntries(Object.entries(all).filter(([k]) => !AUTH_FIELDS.includes(k)));
        requests.push({ action, params });
        try {
          answer = responseBody(action, await engine.execute(action, params), requestId);
        } catch (e) {
          answer = errorBody(e, requestId);
        }
      }
      // Always HTTP 200: node-sdk turns any other status into a numeric code and loses ours.
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const env: Record<string, string> = {
    TCB_CONTEXT_CNFG: JSON.stringify({ URL: `http://127.0.0.1:${port}/admin` }),
    TENCENTCLOUD_SECRETID: 'local-dummy-id',
    TENCENTCLOUD_SECRETKEY: 'local-dummy-key',
    TENCENTCLOUD: 'true',
    SCF_NAMESPACE: 'test',
    SILENCE: 'true', // node-sdk: no "slower than 3 s" warnings
  };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cloud = require('wx-server-sdk') as Cloud;
  cloud.init({ env: 'test' });

  return {
    cloud,
    db: cloud.database(),
    engine,
    clock,
    requests,
    async close() {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) Reflect.deleteProperty(process.env, k);
        else process.env[k] = v;
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await engine.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What wx-server-sdk's typings say its calls return (`Promise<T> | void | string`). */
// eslint-disable-next-line @typescript-eslint/no-invalid-void-type
type SdkReturn = Promise<unknown> | void | string;

/** wx-server-sdk's typings return `Promise<T> | void | string`; every call here returns the promise. */
export function p<T = unknown>(x: SdkReturn): Promise<T> {
  if (!(x instanceof Promise)) throw new Error('expected a promise from wx-server-sdk');
  return x as Promise<T>;
}

export interface SdkError extends Error {
  errCode?: number;
  errMsg?: string;
  code?: string;
}

/** The rejection of a promise (fails the test if it resolves). */
export async function rejection(x: SdkReturn): Promise<SdkError> {
  try {
    await p(x);
  } catch (e) {
    return e as SdkError;
  }
  throw new Error('expected the call to fail');
}
