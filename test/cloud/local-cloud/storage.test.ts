/**
 * Storage: cloud.uploadFile / getTempFileURL / downloadFile / deleteFile from a function, the
 * app's upload route, temp URLs served as a CDN (HEAD, Range, expiry), the 50-ID limits, upload
 * fault injection and progress.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { LocalCloud } from '../../../local-cloud/src/index';
import { isLoopbackAddress } from '../../../local-cloud/src/server/http-util';
import { callFunction, control, multipart, request, startFixtureCloud } from './helpers';

let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await startFixtureCloud();
});

afterAll(async () => {
  await cloud.stop();
});

interface TempFile {
  fileID: string;
  tempFileURL: string;
  status: number;
  errMsg: string;
  maxAge?: number;
}

async function upload(cloudPath: string, data: Buffer, openid = 'oUploader'): Promise<{ status: number; body: Record<string, unknown> }> {
  const m = multipart({ cloudPath }, { name: path.basename(cloudPath), data });
  const r = await request(`${cloud.url}/storage/upload`, {
    method: 'POST',
    headers: { 'Content-Type': m.contentType, 'X-Local-Openid': openid },
    body: m.body,
  });
  return { status: r.status, body: r.json() };
}

async function tempUrl(fileID: string, maxAge?: number): Promise<TempFile> {
  const item = maxAge === undefined ? fileID : { fileID, maxAge };
  const r = await callFunction(cloud, 'files', { action: 'urls', fileList: [item] });
  const out = r.json<{ fileList: TempFile[] }>().fileList[0];
  if (!out) throw new Error('no temp URL');
  return out;
}

test('a function uploads, gets a temp URL, downloads and deletes a file (real wx-server-sdk)', async () => {
  const r = await callFunction(cloud, 'files', { action: 'roundtrip', path: 'fn/中文 名.txt', content: 'hello from a function' });
  expect(r.status).toBe(200);
  const out = r.json<{ fileID: string; url: TempFile; downloaded: string; deleted: Array<{ status: number }>; after: TempFile }>();
  expect(out.fileID).toBe(`cloud://local.${cloud.store.bucket}/fn/中文 名.txt`);
  expect(cloud.store.bucket).toBe('6c6f-local-1250000000');
  expect(out.url.status).toBe(0);
  expect(out.url.tempFileURL).toMatch(new RegExp(`^${cloud.url}/storage/${cloud.store.bucket}/fn/`));
  expect(out.downloaded).toBe('hello from a function');
  expect(out.deleted).toEqual([{ fileID: out.fileID, status: 0, errMsg: 'ok' }]);
  expect(out.after.status).toBe(-503003);
  expect(out.after.tempFileURL).toBe('');
  expect(fs.existsSync(path.join(cloud.store.root, 'fn'))).toBe(false);
});

test('the app uploads with multipart (POST /storage/upload); the same path again overwrites', async () => {
  const a = await upload('entries/c1/e1/photo.jpg', Buffer.from('first'));
  expect(a.status).toBe(200);
  expect(a.body).toEqual({ fileID: `cloud://local.${cloud.store.bucket}/entries/c1/e1/photo.jpg` });
  const b = await upload('entries/c1/e1/photo.jpg', Buffer.from('second version'));
  expect(b.status).toBe(200);
  const url = await tempUrl(String(b.body['fileID']));
  const got = await request(url.tempFileURL);
  expect(got.status).toBe(200);
  expect(got.body.toString()).toBe('second version');
  expect(got.headers['content-type']).toBe('image/jpeg');
});

test('upload route refusals: no caller, not multipart, bad path, no file; nothing is stored', async () => {
  const m = multipart({ cloudPath: 'x/a.txt' }, { name: 'a.txt', data: Buffer.from('x') });
  const noCaller = await request(`${cloud.url}/storage/upload`, { method: 'POST', headers: { 'Content-Type': m.contentType }, body: m.body });
  expect(noCaller.status).toBe(401);
  const notMultipart = await request(`${cloud.url}/storage/upload`, { method: 'POST', headers: { 'X-Local-Openid': 'o1', 'Content-Type': 'application/json' }, body: '{}' });
  expect(notMultipart.status).toBe(400);
  for (const bad of ['../escape.txt', '/abs.txt', 'a//b.txt', '.local-cloud/url-secret', 'dir/', 'a#b.txt', '100%.txt']) {
    const r = await upload(bad, Buffer.from('x'));
    expect(r.status).toBe(400);
  }
  const m2 = multipart({ cloudPath: 'x/b.txt' }, { name: 'b.txt', data: Buffer.from('x'), field: 'other' });
  const noFile = await request(`${cloud.url}/storage/upload`, { method: 'POST', headers: { 'Content-Type': m2.contentType, 'X-Local-Openid': 'o1' }, body: m2.body });
  expect(noFile.status).toBe(400);
  const truncated = await request(`${cloud.url}/storage/upload`, {
    method: 'POST',
    headers: { 'Content-Type': m.contentType, 'X-Local-Openid': 'o1' },
    body: m.body.subarray(0, m.body.length - 20),
  });
  expect(truncated.status).toBe(400);
  expect(fs.existsSync(path.join(cloud.store.root, 'x'))).toBe(false);
  expect(fs.readdirSync(path.join(cloud.store.root, '.local-cloud', 'tmp'))).toEqual([]);
});

describe('temp URLs, as a CDN serves them', () => {
  const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256));
  let url = '';

  beforeAll(async () => {
    const up = await upload('media/v/clip.mp4', data);
    url = (await tempUrl(String(up.body['fileID']), 300)).tempFileURL;
  });

  test('GET: the bytes, Content-Type from the extension, Content-Length, Accept-Ranges, ETag', async () => {
    const r = await request(url);
    expect(r.status).toBe(200);
    expect(r.body.equals(data)).toBe(true);
    expect(r.headers['content-type']).toBe('video/mp4');
    expect(r.headers['content-length']).toBe('1000');
    expect(r.headers['accept-ranges']).toBe('bytes');
    const again = await request(url, { headers: { 'If-None-Match': String(r.headers['etag']) } });
    expect(again.status).toBe(304);
  });

  test('HEAD: headers only', async () => {
    const r = await request(url, { method: 'HEAD' });
    expect(r.status).toBe(200);
    expect(r.headers['content-length']).toBe('1000');
    expect(r.body.length).toBe(0);
  });

  test('Range: 206 with Content-Range; suffix and open ranges; 416 past the end', async () => {
    const first = await request(url, { headers: { Range: 'bytes=0-15' } });
    expect(first.status).toBe(206);
    expect(first.headers['content-range']).toBe('bytes 0-15/1000');
    expect(first.headers['content-length']).toBe('16');
    expect(first.body.equals(data.subarray(0, 16))).toBe(true);
    const tail = await request(url, { headers: { Range: 'bytes=-10' } });
    expect(tail.headers['content-range']).toBe('bytes 990-999/1000');
    expect(tail.body.equals(data.subarray(990))).toBe(true);
    const open = await request(url, { headers: { Range: 'bytes=995-' } });
    expect(open.body.length).toBe(5);
    const headRange = await request(url, { method: 'HEAD', headers: { Range: 'bytes=10-19' } });
    expect(headRange.status).toBe(206);
    expect(headRange.headers['content-length']).toBe('10');
    const past = await request(url, { headers: { Range: 'bytes=5000-6000' } });
    expect(past.status).toBe(416);
    expect(past.headers['content-range']).toBe('bytes */1000');
  });

  test('a changed signature or path is refused; the URL expires on the local cloud clock', async () => {
    expect((await request(url.replace(/sign=[0-9a-f]/, 'sign=z'))).status).toBe(403);
    expect((await request(url.replace('clip.mp4', 'other.mp4'))).status).toBe(403);
    expect((await request(url.replace(/&t=\d+/, '&t=9999999999'))).status).toBe(403);
    await control(cloud, 'clock', 'POST', { advanceMs: 301_000 });
    try {
      const expired = await request(url);
      expect(expired.status).toBe(403);
      expect(expired.body.toString()).toContain('RequestExpired');
    } finally {
      await control(cloud, 'clock', 'POST', { offsetMs: 0 });
    }
    expect((await request(url)).status).toBe(200);
  });

  test('POST on a temp URL: 405', async () => {
    expect((await request(url, { method: 'POST' })).status).toBe(405);
  });
});

test('getTempFileURL and deleteFile take at most 50 file IDs a call', async () => {
  const ids = Array.from({ length: 51 }, (_, i) => `cloud://local.${cloud.store.bucket}/none/${i}.txt`);
  const urls = (await callFunction(cloud, 'files', { action: 'urls', fileList: ids })).json<{ error: { errCode: number; errMsg: string } }>();
  expect(urls.error.errMsg).toContain('at most 50');
  const del = (await callFunction(cloud, 'files', { action: 'delete', fileList: ids })).json<{ error: { errCode: number; errMsg: string } }>();
  expect(del.error.errMsg).toContain('at most 50');
  const fifty = (await callFunction(cloud, 'files', { action: 'urls', fileList: ids.slice(0, 50) })).json<{ fileList: TempFile[] }>();
  expect(fifty.fileList).toHaveLength(50);
  expect(fifty.fileList.every((f) => f.status === -503003)).toBe(true);
});

/** Sends a body slowly enough that a drop can happen midway; resolves how the request ended. */
function slowUpload(body: Buffer, contentType: string): Promise<{ status: number | null; error: string | null }> {
  return new Promise((resolve) => {
    const req = http.request(`${cloud.url}/storage/upload`, {
      method: 'POST',
      agent: false,
      headers: { 'Content-Type': contentType, 'Content-Length': String(body.length), 'X-Local-Openid': 'oRetry' },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? null, error: null }));
    });
    req.on('error', (e) => resolve({ status: null, error: (e as NodeJS.ErrnoException).code ?? e.message }));
    // A socket the server destroys while we wait for 'drain' may close without an error event.
    req.on('close', () => setTimeout(() => resolve({ status: null, error: 'closed' }), 50));
    // On a loaded machine a dropped socket has been seen to stall silently: never wait forever.
    req.setTimeout(10_000, () => req.destroy(new Error('client timeout')));
    let off = 0;
    const pump = (): void => {
      if (off >= body.length) {
        req.end();
        return;
      }
      const ok = req.write(body.subarray(off, off + 16 * 1024));
      off += 16 * 1024;
      if (req.destroyed) return;
      if (ok) setTimeout(pump, 2);
      else req.once('drain', pump);
    };
    pump();
  });
}

test('fault injection: the next 2 uploads drop after 64 KB; progress is tracked; the 3rd succeeds', async () => {
  const set = await control(cloud, 'faults', 'POST', { uploadDrop: { count: 2, afterBytes: 64 * 1024 } });
  expect(set.json()).toMatchObject({ uploadDrop: { remaining: 2, afterBytes: 65536 } });
  const data = Buffer.alloc(512 * 1024, 7);
  const m = multipart({ cloudPath: 'entries/c1/e2/video.mp4' }, { name: 'video.mp4', data });
  const first = await slowUpload(m.body, m.contentType);
  const second = await slowUpload(m.body, m.contentType);
  expect(first.status).toBeNull();
  expect(second.status).toBeNull();
  const third = await slowUpload(m.body, m.contentType);
  expect(third.status).toBe(200);
  const uploads = (await control(cloud, 'uploads')).json<{ uploads: Array<{ state: string; bytesReceived: number; expectedBytes: number; cloudPath: string | null }> }>()
    .uploads.filter((u) => u.expectedBytes === m.body.length);
  expect(uploads.map((u) => u.state)).toEqual(['dropped', 'dropped', 'done']);
  expect(uploads[0]?.bytesReceived).toBeGreaterThanOrEqual(64 * 1024);
  expect(uploads[0]?.bytesReceived).toBeLessThan(m.body.length);
  expect(uploads[2]?.bytesReceived).toBe(m.body.length);
  expect(uploads[2]?.cloudPath).toBe('entries/c1/e2/video.mp4');
  expect((await control(cloud, 'faults')).json()).toMatchObject({ uploadDrop: null });
  expect(fs.readdirSync(path.join(cloud.store.root, '.local-cloud', 'tmp'))).toEqual([]);
  expect(fs.statSync(path.join(cloud.store.root, 'entries/c1/e2/video.mp4')).size).toBe(data.length);
}, 60_000);

test('bad fault bodies are refused', async () => {
  expect((await control(cloud, 'faults', 'POST', { uploadDrop: { count: 0, afterBytes: 1 } })).status).toBe(400);
  expect((await control(cloud, 'faults', 'POST', { uploadDrop: { afterBytes: -1 } })).status).toBe(400);
  expect((await control(cloud, 'faults', 'POST', { nope: true })).status).toBe(400);
  expect((await control(cloud, 'faults', 'DELETE')).json()).toEqual({ uploadDrop: null, openapi: {} });
});

test('only loopback callers are answered', () => {
  expect(isLoopbackAddress('127.0.0.1')).toBe(true);
  expect(isLoopbackAddress('127.8.9.10')).toBe(true);
  expect(isLoopbackAddress('::1')).toBe(true);
  expect(isLoopbackAddress('::ffff:127.0.0.1')).toBe(true);
  expect(isLoopbackAddress('192.168.1.20')).toBe(false);
  expect(isLoopbackAddress('::ffff:10.0.0.1')).toBe(false);
  expect(isLoopbackAddress('fe80::1')).toBe(false);
  expect(isLoopbackAddress('1127.0.0.1')).toBe(false);
  expect(isLoopbackAddress(undefined)).toBe(false);
});
