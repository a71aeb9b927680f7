/**
 * The only code in the app that reaches the backend. Pages call `api(action, payload)` with the
 * types of the shared action table, and always get a `Result` back: a lost network, a timeout, an
 * HTTP error page or a garbled answer become `{ ok: false, code: NETWORK | TIMEOUT | INTERNAL }`,
 * so no page needs a try/catch and every failure can be shown the same way.
 *
 * What carries a call is a `Transport`: WeChat cloud functions in production, HTTP to the local
 * cloud in local mode (so the app runs in DevTools with no cloud environment), or a fake in tests.
 */
import { functionOf, type ActionName, type PayloadOf, type ResultOf } from '../core/actions';
import { isErrorCode, type ErrorCode } from '../core/errors';
import { LIMITS } from '../core/limits';
import { err, type Err, type Result } from '../core/result';
import { runtime } from '../config/runtime';
import { currentIdentity } from './identity';
import type { Delivery, Transport, UploadProgress } from './transport';

export type { Delivery, FailureCode, Transport, UploadProgress, UploadRequest } from './transport';

// Uploads of photos and videos over a phone connection take far longer than a call.
const UPLOAD_TIMEOUT_MS = 10 * 60 * 1000;
// A transport that breaks its promise to settle in time is cut off a little later by the client.
const GRACE_MS = 2000;

let transport: Transport | null = null;
let callTimeoutMs: number = LIMITS.clientTimeoutMs;

/** Replaces the transport (tests, or a later switch of backend); null returns to the configured one. */
export function setTransport(next: Transport | null, options: { timeoutMs?: number } = {}): void {
  transport = next;
  callTimeoutMs = options.timeoutMs ?? LIMITS.clientTimeoutMs;
}

function currentTransport(): Transport {
  if (!transport) transport = runtime.mode === 'cloud' ? cloudTransport() : localTransport(runtime.localUrl);
  return transport;
}

let cloudReady = false;

/** Called once at launch; a no-op outside cloud mode. */
export function initBackend(): void {
  if (runtime.mode !== 'cloud' || cloudReady) return;
  wx.cloud.init({ env: runtime.envId, traceUser: true });
  cloudReady = true;
}

export async function api<K extends ActionName>(action: K, payload: PayloadOf<K>): Promise<Result<ResultOf<K>>> {
  // An export builds a workbook in its own function (60 s): the client waits for it accordingly.
  const timeoutMs = functionOf(action) === 'export' ? Math.max(callTimeoutMs, LIMITS.exportTimeoutMs) : callTimeoutMs;
  const delivery = await settle(() => currentTransport().call(action, payload as object, timeoutMs), timeoutMs);
  return toResult(delivery) as Result<ResultOf<K>>;
}

/** Uploads a local file to `cloudPath` (a path the server issued) and answers its file ID. */
export async function upload(
  localPath: string,
  cloudPath: string,
  onProgress: (p: UploadProgress) => void = () => undefined,
): Promise<Result<{ fileID: string }>> {
  const delivery = await settle(
    () => currentTransport().upload({ localPath, cloudPath, timeoutMs: UPLOAD_TIMEOUT_MS, onProgress }),
    UPLOAD_TIMEOUT_MS,
  );
  if (!delivery.delivered) return err(delivery.code);
  // Storage answers `{ fileID }` rather than a Result; a refusal still comes as a failed Result.
  const refusal = asResult(delivery.body);
  if (refusal && !refusal.ok) return refusal;
  const fileID = (delivery.body as { fileID?: unknown } | null)?.fileID;
  const stored = (delivery.status === undefined || delivery.status < 400) && typeof fileID === 'string' && fileID !== '';
  return stored ? { ok: true, data: { fileID } } : err('INTERNAL');
}

function settle(start: () => Promise<Delivery>, timeoutMs: number): Promise<Delivery> {
  return new Promise((resolve) => {
    const timer = setTimeout(
      () => resolve({ delivered: false, code: 'TIMEOUT', detail: `no answer within ${timeoutMs} ms` }),
      timeoutMs + GRACE_MS,
    );
    const done = (d: Delivery): void => {
      clearTimeout(timer);
      resolve(d);
    };
    let pending: Promise<Delivery>;
    try {
      pending = start();
    } catch (e) {
      pending = Promise.resolve({ delivered: false, code: 'INTERNAL', detail: String(e) });
    }
    pending.then(done, (e: unknown) => done({ delivered: false, code: 'NETWORK', detail: String(e) }));
  });
}

/** The one place an answer is judged: anything but a well-formed Result is a failure. */
export function toResult(d: Delivery): Result<unknown> {
  if (!d.delivered) return err(d.code);
  const parsed = asResult(d.body);
  if (d.status !== undefined && d.status >= 400) {
    // An error page from a proxy or a crashed server; a well-formed refusal is kept as it is.
    return parsed && !parsed.ok ? parsed : err('INTERNAL');
  }
  return parsed ?? err('INTERNAL');
}

function asResult(body: unknown): Result<unknown> | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const r = body as Record<string, unknown>;
  if (r.ok === true && Object.prototype.hasOwnProperty.call(r, 'data')) return { ok: true, data: r.data };
  if (r.ok === false && typeof r.code === 'string') {
    const code: ErrorCode = isErrorCode(r.code) ? r.code : 'INTERNAL';
    const e: Err = err(code, typeof r.message === 'string' && r.message !== '' ? r.message : undefined);
    if (typeof r.field === 'string') e.field = r.field;
    return e;
  }
  return null;
}

/** Sorts a WeChat `fail` errMsg into the codes a page can act on. */
export function failureOf(errMsg: string): Delivery {
  const detail = errMsg || 'fail';
  if (/time ?out|timed out|-504003|超时/i.test(detail)) return { delivered: false, code: 'TIMEOUT', detail };
  if (/request:fail|uploadFile:fail|network|ERR_|ECONN|ENOTFOUND|EAI_AGAIN|-1\b|网络/i.test(detail))
    return { delivered: false, code: 'NETWORK', detail };
  return { delivered: false, code: 'INTERNAL', detail };
}

// ---- cloud mode ---------------------------------------------------------------------------------

export function cloudTransport(): Transport {
  return {
    kind: 'cloud',
    call(action, payload, timeoutMs) {
      return new Promise((resolve) => {
        // wx.cloud.callFunction has no timeout of its own.
        const timer = setTimeout(
          () => resolve({ delivered: false, code: 'TIMEOUT', detail: `callFunction: no answer in ${timeoutMs} ms` }),
          timeoutMs,
        );
        wx.cloud.callFunction({
          name: functionOf(action),
          data: { action, payload },
          success: (res) => {
            clearTimeout(timer);
            resolve({ delivered: true, body: res.result });
          },
          fail: (e) => {
            clearTimeout(timer);
            resolve(failureOf(e.errMsg));
          },
        });
      });
    },
    upload({ localPath, cloudPath, timeoutMs, onProgress }) {
      return new Promise((resolve) => {
        let task: WechatMiniprogram.UploadTask | null = null;
        const timer = setTimeout(() => {
          task?.abort();
          resolve({ delivered: false, code: 'TIMEOUT', detail: `uploadFile: not done in ${timeoutMs} ms` });
        }, timeoutMs);
        task = wx.cloud.uploadFile({
          cloudPath,
          filePath: localPath,
          success: (res) => {
            clearTimeout(timer);
            resolve({ delivered: true, body: { fileID: res.fileID } });
          },
          fail: (e) => {
            clearTimeout(timer);
            resolve(failureOf(e.errMsg));
          },
        });
        task.onProgressUpdate((p) =>
          onProgress({ progress: p.progress, sent: p.totalBytesSent, total: p.totalBytesExpectedToSend }),
        );
      });
    },
  };
}

// ---- local mode ---------------------------------------------------------------------------------

function localHeader(): Record<string, string> {
  const header: Record<string, string> = {};
  const who = currentIdentity();
  if (who) header['X-Local-Openid'] = who.openid;
  return header;
}

/** HTTP to the local cloud: `POST {baseUrl}/functions/<api|export>`, caller in `X-Local-Openid`. */
export function localTransport(baseUrl: string): Transport {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    kind: 'local',
    call(action, payload, timeoutMs) {
      return new Promise((resolve) => {
        wx.request({
          url: `${base}/functions/${functionOf(action)}`,
          method: 'POST',
          data: { action, payload },
          header: { 'content-type': 'application/json', ...localHeader() },
          dataType: 'json',
          timeout: timeoutMs,
          success: (res) => resolve({ delivered: true, body: res.data, status: res.statusCode }),
          fail: (e) => resolve(failureOf(e.errMsg)),
        });
      });
    },
    upload({ localPath, cloudPath, timeoutMs, onProgress }) {
      return new Promise((resolve) => {
        const task = wx.uploadFile({
          url: `${base}/storage/upload`,
          filePath: localPath,
          name: 'file',
          formData: { cloudPath },
          header: localHeader(),
          timeout: timeoutMs,
          success: (res) => resolve({ delivered: true, body: parseJson(res.data), status: res.statusCode }),
          fail: (e) => resolve(failureOf(e.errMsg)),
        });
        task.onProgressUpdate((p) =>
          onProgress({ progress: p.progress, sent: p.totalBytesSent, total: p.totalBytesExpectedToSend }),
        );
      });
    },
  };
}

function parseJson(text: unknown): unknown {
  if (typeof text !== 'string') return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
