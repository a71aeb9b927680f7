/**
 * The app-facing functions' mains (`api`, and `export` for exports.*), loaded in the test process,
 * talking through the real wx-server-sdk to the harness's local cloud (the same durable engine and storage; no mocks, no in-memory database).
 * Fast enough for thousands of calls. The environment is the one the local cloud's worker pool gives
 * an instance (local-cloud/src/runner/pool.ts): TCB_CONTEXT_CNFG pointing at its SDK endpoint, dummy
 * credentials, SCF_NAMESPACE / TCB_ENV, the functions' own settings, and per call the caller's
 * identity (WX_CONTEXT_KEYS, WX_OPENID, WX_APPID, TCB_SOURCE) from the same identityEnv().
 *
 * Differences from a call through the HTTP face, on purpose: the 100 KB limit on the event is not
 * applied (the router's own limits are what is tested), and open-API calls come from no instance
 * (the local cloud answers -604104). So only payloads the schema refuses go this way: they never
 * reach a handler. Payloads that are valid go through the HTTP face.
 */
import { randomBytes } from 'crypto';
import { functionOf, isActionName, type ActionName, type FunctionName, type Result } from '../../../miniprogram/core';
import { SOURCE } from '../../../local-cloud/src';
import { identityEnv } from '../../../local-cloud/src/runner/pool';
import { ADMIN, ID_SECRET, type Harness } from '../harness';

type Main = (event: unknown, context?: { request_id?: string }) => Promise<Result<unknown>>;

const IDENTITY_KEYS = ['WX_CONTEXT_KEYS', 'WX_OPENID', 'WX_APPID', 'WX_UNIONID', 'WX_CLIENTIP', 'TCB_SOURCE'];

export interface InProcess {
  /** Calls the action's function as `openid` with the event's JSON round trip, as the runner does. Never throws: a throw is returned as `{ thrown }`. */
  call(openid: string, action: ActionName | string, payload: unknown): Promise<Result<unknown> | { thrown: string }>;
  close(): void;
}

/** The environment a function instance of the harness's local cloud runs with (minus the caller). */
function functionEnv(h: Harness): Record<string, string> {
  return {
    TENCENTCLOUD: 'true',
    TENCENTCLOUD_SECRETID: 'local-cloud',
    TENCENTCLOUD_SECRETKEY: 'local-cloud',
    TENCENTCLOUD_SESSIONTOKEN: 'local-cloud',
    TENCENTCLOUD_REGION: 'ap-shanghai',
    SCF_NAMESPACE: h.cloud.envId,
    TCB_ENV: h.cloud.envId,
    SCF_FUNCTIONNAME: 'api',
    TCB_CONTEXT_CNFG: JSON.stringify({ URL: `${h.url}/admin` }),
    SILENCE: 'true',
    // Must match the harness's functionEnv (test/cloud/harness.ts).
    WCP_ID_SECRET: ID_SECRET,
    WCP_ADMIN_OPENIDS: ADMIN,
  };
}

function setEnv(env: Record<string, string>): () => void {
  const saved = Object.fromEntries([...Object.keys(env), ...IDENTITY_KEYS].map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) Reflect.deleteProperty(process.env, k);
      else process.env[k] = v;
    }
  };
}

/**
 * Runs `fn` with the functions' environment, for arranging data the api has no action for
 * (through cloudfunctions/shared/cloud.ts, i.e. the real wx-server-sdk, as an admin script would).
 */
export async function withFunctionEnv<T>(h: Harness, fn: () => Promise<T>): Promise<T> {
  const restore = setEnv(functionEnv(h));
  try {
    return await fn();
  } finally {
    restore();
  }
}

export async function inProcessApi(h: Harness): Promise<InProcess> {
  const restore = setEnv(functionEnv(h));
  // The functions the app calls, each main routing its own actions (exports.* → export).
  const mains: Record<FunctionName, Main> = {
    api: ((await import('../../../cloudfunctions/api/src/index')) as { main: Main }).main,
    export: ((await import('../../../cloudfunctions/export/src/index')) as { main: Main }).main,
  };

  // The caller lives in process.env, as in a cloud instance: calls may overlap only as the same caller.
  let inFlight = 0;
  let current = '';
  return {
    async call(openid, action, payload) {
      if (inFlight > 0 && openid !== current) throw new Error('inProcessApi: overlapping calls must share the caller');
      inFlight++;
      current = openid;
      try {
        for (const k of IDENTITY_KEYS) Reflect.deleteProperty(process.env, k);
        Object.assign(process.env, identityEnv({ OPENID: openid, APPID: h.cloud.appId, SOURCE: SOURCE.client, CLIENTIP: '127.0.0.1' }));
        // The event travels as JSON, as it does from the app to the function.
        const event = JSON.parse(JSON.stringify({ action, payload })) as unknown;
        const main = mains[isActionName(action) ? functionOf(action) : 'api'];
        return await main(event, { request_id: randomBytes(16).toString('hex') });
      } catch (e) {
        return { thrown: e instanceof Error ? (e.stack ?? e.message) : String(e) };
      } finally {
        inFlight--;
      }
    },
    close: restore,
  };
}
