/**
 * /storage/…: temp URLs (GET/HEAD with Range, as a CDN serves them), the app's upload route
 * (POST /storage/upload, multipart as wx.uploadFile sends it) and the COS-like upload URL that
 * storage.getUploadMetadata hands to cloud.uploadFile inside functions (PUT /storage/cos/<ticket>).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ERR } from '../constants';
import { ApiError, HttpError } from '../errors';
import { contentTypeOf } from '../storage/mime';
import type { UploadRecord } from '../storage/store';
import { callerOf } from './functions-route';
import { methodNotAllowed, sendJson } from './http-util';
import { boundaryOf, MultipartError, MultipartParser } from './multipart';
import type { CloudParts } from './parts';

function cosError(res: ServerResponse, status: number, code: string, message: string, head = false): void {
  const id = randomBytes(8).toString('hex');
  const xml =
    `<?xml version='1.0' encoding='utf-8' ?>\n<Error>\n  <Code>${code}</Code>\n  <Message>${message}</Message>\n` +
    `  <RequestId>${id}</RequestId>\n  <TraceId>${id}</TraceId>\n</Error>\n`;
  res.writeHead(status, { 'Content-Type': 'application/xml', 'Content-Length': String(Buffer.byteLength(xml)), 'x-cos-request-id': id });
  res.end(head ? undefined : xml);
}

/** A single `bytes=` range: the span to send, 'unsatisfiable', or null to send the whole file. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return null; // multiple ranges or another unit: answered with the whole file
  const [, a = '', b = ''] = m;
  if (a === '' && b === '') return null;
  if (a === '') {
    const n = Number(b);
    if (n === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(a);
  const end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

/** GET/HEAD /storage/<bucket>/<path>?sign=…&t=… */
export async function handleTempUrl(p: CloudParts, req: IncomingMessage, res: ServerResponse, rest: string, url: URL): Promise<void> {
  const head = req.method === 'HEAD';
  if (req.method !== 'GET' && !head) throw methodNotAllowed(['GET', 'HEAD']);
  const r = await p.store.resolveTempUrl(rest, url.searchParams);
  if (!r.ok) {
    cosError(res, r.status, r.code, r.code === 'RequestExpired' ? 'the temp URL has expired' : 'the temp URL is not valid', head);
    return;
  }
  const { file } = r;
  const etag = `"${file.size.toString(16)}-${Math.floor(file.mtimeMs).toString(16)}"`;
  const common: Record<string, string> = {
    'Content-Type': contentTypeOf(file.cloudPath),
    'Accept-Ranges': 'bytes',
    ETag: etag,
    'Last-Modified': new Date(file.mtimeMs).toUTCString(),
    'Cache-Control': 'max-age=600',
  };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, common);
    res.end();
    return;
  }
  const range = parseRange(req.headers.range, file.size);
  if (range === 'unsatisfiable') {
    res.writeHead(416, { ...common, 'Content-Range': `bytes */${file.size}`, 'Content-Length': '0' });
    res.end();
    return;
  }
  const start = range ? range.start : 0;
  const end = range ? range.end : file.size - 1;
  const length = file.size === 0 ? 0 : end - start + 1;
  const headers = { ...common, 'Content-Length': String(length) };
  if (range) res.writeHead(206, { ...headers, 'Content-Range': `bytes ${start}-${end}/${file.size}` });
  else res.writeHead(200, headers);
  if (head || length === 0) {
    res.end();
    return;
  }
  await new Promise<void>((resolve) => {
    const s = fs.createReadStream(file.file, { start, end });
    s.on('error', () => {
      res.destroy();
      resolve();
    });
    res.on('close', () => {
      s.destroy();
      resolve();
    });
    s.pipe(res);
  });
}

class Dropped extends Error {}

/** POST /storage/upload: multipart with fields `cloudPath` and `file`, caller from X-Local-Openid. */
export async function handleAppUpload(p: CloudParts, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST') throw methodNotAllowed(['POST']);
  const identity = callerOf(req, p.appId);
  if (!identity.OPENID) {
    req.resume();
    throw new HttpError(401, ERR.INVALID_PARAM, 'uploadFile:fail no caller: send X-Local-Openid');
  }
  const boundary = boundaryOf(req.headers['content-type']);
  if (!boundary) {
    req.resume();
    throw new HttpError(400, ERR.INVALID_PARAM, 'uploadFile:fail the body must be multipart/form-data with a boundary');
  }
  const declared = Number(req.headers['content-length']);
  const rec = p.store.trackUpload({
    route: 'app',
    openid: identity.OPENID,
    cloudPath: null,
    expectedBytes: Number.isFinite(declared) ? declared : null,
  });
  let dropAt: number | null = null;
  const drop = p.faults.uploadDrop;
  if (drop && drop.remaining > 0) {
    drop.remaining--;
    dropAt = drop.afterBytes;
    if (drop.remaining === 0) p.faults.uploadDrop = null;
  }

  const temp = p.store.tempFile();
  let ws: fs.WriteStream | null = null;
  let wsDone: Promise<void> = Promise.resolve();
  let current: string | null = null;
  let fieldChunks: Buffer[] = [];
  let fieldBytes = 0;
  const fields: Record<string, string> = {};
  let fileParts = 0;

  try {
    await new Promise<void>((resolve, reject) => {
      const parser = new MultipartParser(boundary, {
        onPart(info) {
          if (info.name === 'file') {
            fileParts++;
            if (fileParts > 1) throw new MultipartError('only one file part is accepted');
            const w = fs.createWriteStream(temp);
            ws = w;
            wsDone = new Promise<void>((ok, ko) => {
              w.on('finish', ok);
              w.on('error', ko);
            });
            current = 'file';
          } else {
            current = info.name;
            fieldChunks = [];
            fieldBytes = 0;
          }
        },
        onData(chunk) {
          if (current === 'file' && ws) {
            const w: fs.WriteStream = ws;
            if (!w.write(chunk)) {
              req.pause();
              w.once('drain', () => req.resume());
            }
          } else {
            fieldBytes += chunk.length;
            if (fieldBytes > 4096) throw new MultipartError(`form field ${current ?? ''} is too long`);
            fieldChunks.push(Buffer.from(chunk));
          }
        },
        onPartEnd() {
          if (current === 'file') ws?.end();
          else if (current !== null) fields[current] = Buffer.concat(fieldChunks).toString('utf8');
          current = null;
        },
      });
      let settled = false;
      const finish = (e?: Error): void => {
        if (settled) return;
        settled = true;
        if (e) reject(e);
        else resolve();
      };
      req.on('data', (chunk: Buffer) => {
        if (settled) return;
        rec.bytesReceived += chunk.length;
        if (dropAt !== null && rec.bytesReceived >= dropAt) {
          req.socket.destroy();
          finish(new Dropped('dropped by fault injection'));
          return;
        }
        try {
          parser.write(chunk);
        } catch (e) {
          finish(e as Error);
        }
      });
      req.on('end', () => {
        try {
          parser.end();
          finish();
        } catch (e) {
          finish(e as Error);
        }
      });
      req.on('close', () => finish(new Dropped('the client closed the connection')));
      req.on('error', (e) => finish(e));
    });
    if (fileParts === 0) throw new HttpError(400, ERR.INVALID_PARAM, 'uploadFile:fail no file part named "file"');
    await wsDone;
    const cloudPath = fields['cloudPath'];
    if (cloudPath === undefined) throw new HttpError(400, ERR.INVALID_PARAM, 'uploadFile:fail missing field cloudPath');
    const bad = p.store.checkPath(cloudPath);
    if (bad) throw new HttpError(400, ERR.INVALID_PARAM, `uploadFile:fail ${bad}`);
    rec.cloudPath = cloudPath;
    const fileID = await p.store.commit(temp, cloudPath);
    rec.state = 'done';
    rec.fileID = fileID;
    sendJson(res, 200, { fileID });
  } catch (e) {
    await settleWrite(ws, wsDone);
    await p.store.discard(temp);
    markFailed(rec, e);
    if (e instanceof Dropped) return; // the connection is gone
    if (e instanceof MultipartError) throw new HttpError(400, ERR.INVALID_PARAM, `uploadFile:fail malformed multipart body: ${e.message}`);
    if (e instanceof ApiError) throw new HttpError(400, ERR.INVALID_PARAM, `uploadFile:fail ${e.message}`);
    throw e;
  }
}

async function settleWrite(ws: fs.WriteStream | null, done: Promise<void>): Promise<void> {
  if (!ws) return;
  const w: fs.WriteStream = ws;
  if (!w.writableEnded) w.end();
  await done.catch(() => undefined);
}

function markFailed(rec: UploadRecord, e: unknown): void {
  rec.state = e instanceof Dropped ? 'dropped' : 'failed';
  rec.error = e instanceof Error ? e.message : String(e);
}

/** PUT /storage/cos/<ticket>: the upload step of cloud.uploadFile (node-sdk PUTs the bytes). */
export async function handleCosPut(p: CloudParts, req: IncomingMessage, res: ServerResponse, ticket: string): Promise<void> {
  if (req.method !== 'PUT') throw methodNotAllowed(['PUT']);
  const cloudPath = p.store.takeTicket(ticket);
  if (!cloudPath) {
    req.resume();
    cosError(res, 403, 'AccessDenied', 'the upload URL is unknown, used or expired');
    return;
  }
  const declared = Number(req.headers['content-length']);
  const rec = p.store.trackUpload({ route: 'sdk', openid: null, cloudPath, expectedBytes: Number.isFinite(declared) ? declared : null });
  const temp = p.store.tempFile();
  try {
    await new Promise<void>((resolve, reject) => {
      const ws = fs.createWriteStream(temp);
      req.on('data', (c: Buffer) => {
        rec.bytesReceived += c.length;
      });
      req.on('error', reject);
      req.on('aborted', () => reject(new Error('aborted')));
      ws.on('error', reject);
      ws.on('finish', resolve);
      req.pipe(ws);
    });
    rec.fileID = await p.store.commit(temp, cloudPath);
    rec.state = 'done';
    res.writeHead(200, { 'Content-Length': '0', ETag: `"${randomBytes(8).toString('hex')}"` });
    res.end();
  } catch (e) {
    await p.store.discard(temp);
    markFailed(rec, e);
    if (!res.headersSent && !res.destroyed) cosError(res, 400, 'UploadFailed', e instanceof Error ? e.message : String(e));
  }
}
