/**
 * Real HTTP for rendered pages. miniprogram-simulate's `wx.request` and `wx.uploadFile` are fakes
 * that answer `{}` after 100 ms, so a page "talking" to the local cloud through them would pass on
 * empty data. This replaces both with Node's http, keeping WeChat's contract: callbacks after the
 * fact, `statusCode` for every answer (4xx/5xx included, only transport failures reach `fail`),
 * JSON parsed when `dataType` is json and left as text when it is not JSON, `timeout`, `abort()`,
 * and upload progress computed from the bytes actually written to the socket.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import { basename, extname } from 'node:path';

export interface BridgeOptions {
  /** Sends requests for `from` (e.g. the app's configured local cloud URL) to `to` instead. */
  rewrite?: { from: string; to: string };
  /** Maps a WeChat file path (wxfile://…, http://tmp/…) to a file on disk; default: as given. */
  resolveFile?: (filePath: string) => string;
  /** Upload chunk size in bytes: the granularity of progress events. Default 16 KiB. */
  chunkSize?: number;
}

type Done = (res: Record<string, unknown>) => void;

interface RequestOptions {
  url: string;
  method?: string;
  data?: unknown;
  header?: Record<string, string>;
  timeout?: number;
  dataType?: string;
  responseType?: string;
  success?: Done;
  fail?: Done;
  complete?: Done;
}

interface UploadOptions {
  url: string;
  filePath: string;
  name: string;
  header?: Record<string, string>;
  formData?: Record<string, unknown>;
  timeout?: number;
  success?: Done;
  fail?: Done;
  complete?: Done;
}

export interface UploadProgressEvent {
  progress: number;
  totalBytesSent: number;
  totalBytesExpectedToSend: number;
}

const MIME: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.mp4': 'video/mp4',
  '.txt': 'text/plain',
};

const DEFAULT_TIMEOUT_MS = 60000;

/** Installs the bridge on the global `wx`; answers a function that puts the fakes back. */
export function installHttpBridge(options: BridgeOptions = {}): () => void {
  const wx = (globalThis as unknown as { wx: Record<string, unknown> }).wx;
  const previous = { request: wx.request, uploadFile: wx.uploadFile };
  wx.request = (o: RequestOptions) => bridgeRequest(o, options);
  wx.uploadFile = (o: UploadOptions) => bridgeUpload(o, options);
  return () => {
    const current = (globalThis as unknown as { wx: Record<string, unknown> }).wx;
    current.request = previous.request;
    current.uploadFile = previous.uploadFile;
  };
}

function target(url: string, options: BridgeOptions): string {
  const r = options.rewrite;
  return r && url.startsWith(r.from) ? r.to.replace(/\/+$/, '') + url.slice(r.from.replace(/\/+$/, '').length) : url;
}

function lowerKeys(h: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), String(v)]));
}

/** Settles once: WeChat calls exactly one of success/fail, then complete, never synchronously. */
function settler(o: { success?: Done; fail?: Done; complete?: Done }) {
  let settled = false;
  return (ok: boolean, res: Record<string, unknown>): void => {
    if (settled) return;
    settled = true;
    setTimeout(() => {
      (ok ? o.success : o.fail)?.(res);
      o.complete?.(res);
    }, 0);
  };
}

function bridgeRequest(o: RequestOptions, options: BridgeOptions) {
  const settle = settler(o);
  const method = (o.method ?? 'GET').toUpperCase();
  const headers = lowerKeys(o.header);
  let url = target(o.url, options);
  let body: Buffer | undefined;
  if (o.data !== undefined && o.data !== null) {
    if (method === 'GET') {
      if (typeof o.data === 'object') {
        const query = new URLSearchParams(Object.entries(o.data as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
        url += (url.includes('?') ? '&' : '?') + query.toString();
      }
    } else if (typeof o.data === 'string') {
      body = Buffer.from(o.data);
    } else if (o.data instanceof ArrayBuffer) {
      body = Buffer.from(o.data);
    } else {
      body = Buffer.from(JSON.stringify(o.data));
      headers['content-type'] ??= 'application/json';
    }
  }
  if (body) headers['content-length'] = String(body.length);

  let req: http.ClientRequest;
  const headersListeners: Array<(r: { header: Record<string, unknown>; statusCode: number }) => void> = [];
  try {
    req = http.request(url, { method, headers }, (res) => {
      for (const l of headersListeners) l({ header: res.headers, statusCode: res.statusCode ?? 0 });
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (e) => settle(false, { errMsg: `request:fail ${e.message}` }));
      res.on('end', () => {
        clearTimeout(timer);
        const raw = Buffer.concat(chunks);
        let data: unknown = raw.toString('utf8');
        if (o.responseType === 'arraybuffer') {
          data = raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength);
        } else if ((o.dataType ?? 'json') === 'json') {
          try {
            data = JSON.parse(data as string) as unknown;
          } catch {
            // WeChat hands over the text when it is not JSON.
          }
        }
        settle(true, { data, statusCode: res.statusCode ?? 0, header: res.headers, cookies: [], errMsg: 'request:ok' });
      });
    });
  } catch (e) {
    settle(false, { errMsg: `request:fail ${(e as Error).message}` });
    return { abort() {}, onHeadersReceived() {}, offHeadersReceived() {} };
  }
  const timer = setTimeout(() => {
    settle(false, { errMsg: 'request:fail timeout', errno: 5 });
    req.destroy();
  }, o.timeout ?? DEFAULT_TIMEOUT_MS);
  req.on('error', (e: NodeJS.ErrnoException) => {
    clearTimeout(timer);
    settle(false, { errMsg: `request:fail ${e.code ?? ''} ${e.message}`.replace(/\s+/g, ' ').trim() });
  });
  req.end(body);
  return {
    abort() {
      clearTimeout(timer);
      settle(false, { errMsg: 'request:fail abort' });
      req.destroy();
    },
    onHeadersReceived(l: (r: { header: Record<string, unknown>; statusCode: number }) => void) {
      headersListeners.push(l);
    },
    offHeadersReceived() {
      headersListeners.length = 0;
    },
  };
}

function bridgeUpload(o: UploadOptions, options: BridgeOptions) {
  const settle = settler(o);
  const progressListeners: Array<(p: UploadProgressEvent) => void> = [];
  // Filled in below; the task's abort() may be called before or after.
  const live: { req?: http.ClientRequest; timer?: NodeJS.Timeout } = {};
  const task = {
    abort() {
      clearTimeout(live.timer);
      settle(false, { errMsg: 'uploadFile:fail abort' });
      live.req?.destroy();
    },
    onProgressUpdate(l: (p: UploadProgressEvent) => void) {
      progressListeners.push(l);
    },
    offProgressUpdate() {
      progressListeners.length = 0;
    },
    onHeadersReceived() {},
    offHeadersReceived() {},
  };

  let file: Buffer;
  try {
    file = readFileSync(options.resolveFile ? options.resolveFile(o.filePath) : o.filePath);
  } catch (e) {
    settle(false, { errMsg: `uploadFile:fail file not found ${(e as Error).message}` });
    return task;
  }

  const boundary = `----WcpBridge${randomBytes(8).toString('hex')}`;
  const fields = Object.entries(o.formData ?? {}).map(([k, v]) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${String(v)}\r\n`),
  );
  const name = basename(o.filePath);
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${o.name}"; filename="${name}"\r\n` +
      `Content-Type: ${MIME[extname(name).toLowerCase()] ?? 'application/octet-stream'}\r\n\r\n`,
  );
  const body = Buffer.concat([...fields, head, file, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  const total = body.length;
  const chunkSize = options.chunkSize ?? 16 * 1024;

  const headers = {
    ...lowerKeys(o.header),
    'content-type': `multipart/form-data; boundary=${boundary}`,
    'content-length': String(total),
  };
  live.timer = setTimeout(() => {
    settle(false, { errMsg: 'uploadFile:fail timeout', errno: 5 });
    live.req?.destroy();
  }, o.timeout ?? DEFAULT_TIMEOUT_MS);

  const req = http.request(target(o.url, options), { method: 'POST', headers }, (res) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => {
      clearTimeout(live.timer);
      // uploadFile answers the body as text, whatever it is.
      settle(true, { data: Buffer.concat(chunks).toString('utf8'), statusCode: res.statusCode ?? 0, errMsg: 'uploadFile:ok' });
    });
  });
  live.req = req;
  req.on('error', (e: NodeJS.ErrnoException) => {
    clearTimeout(live.timer);
    settle(false, { errMsg: `uploadFile:fail ${e.code ?? ''} ${e.message}`.replace(/\s+/g, ' ').trim() });
  });

  let sent = 0;
  let offset = 0;
  const onFlushed = (n: number) => (error?: Error | null) => {
    if (error) return;
    sent += n;
    const event = { progress: Math.floor((sent / total) * 100), totalBytesSent: sent, totalBytesExpectedToSend: total };
    for (const l of progressListeners) l(event);
  };
  const pump = (): void => {
    if (req.destroyed) return;
    while (offset < total) {
      const chunk = body.subarray(offset, Math.min(offset + chunkSize, total));
      offset += chunk.length;
      // The callback runs once the chunk has been handed to the socket: "sent", as far as we can know.
      if (!req.write(chunk, onFlushed(chunk.length))) {
        req.once('drain', pump);
        return;
      }
    }
    req.end();
  };
  pump();
  return task;
}
