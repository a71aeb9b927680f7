import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installHttpBridge, type UploadProgressEvent } from './http-bridge';
import { closedPort, parseMultipart, startTinyServer, type TinyServer } from './tiny-server';

type Res = Record<string, unknown>;
interface Task {
  abort(): void;
  onProgressUpdate?(l: (p: UploadProgressEvent) => void): void;
}
type WxApi = (o: Record<string, unknown>) => Task;
const wx = () => (globalThis as unknown as { wx: { request: WxApi; uploadFile: WxApi } }).wx;

/** Calls a callback-style wx API; resolves with which callback ran and what it got. */
function call(name: 'request' | 'uploadFile', options: Record<string, unknown>, onTask?: (t: Task) => void) {
  return new Promise<{ ok: boolean; res: Res; completed: boolean }>((resolve) => {
    let outcome: { ok: boolean; res: Res } | null = null;
    const task = wx()[name]({
      ...options,
      success: (res: Res) => (outcome = { ok: true, res }),
      fail: (res: Res) => (outcome = { ok: false, res }),
      complete: () => resolve({ ...(outcome ?? { ok: false, res: {} }), completed: true }),
    });
    onTask?.(task);
  });
}

let server: TinyServer;
let uninstall: () => void;

beforeAll(async () => {
  server = await startTinyServer();
  uninstall = installHttpBridge({ rewrite: { from: 'http://127.0.0.1:3720', to: server.url } });
});
afterAll(async () => {
  uninstall();
  await server.close();
});

describe('HTTP bridge: wx.request', () => {
  test('posts JSON and answers the parsed JSON with its status', async () => {
    const { ok, res } = await call('request', {
      url: `${server.url}/functions/api`,
      method: 'POST',
      data: { action: 'home.get', payload: {} },
      header: { 'X-Local-Openid': 'demo-worker-li' },
    });
    expect(ok).toBe(true);
    expect(res.statusCode).toBe(200);
    expect(res.errMsg).toBe('request:ok');
    expect(res.data).toEqual({ ok: true, data: { event: { action: 'home.get', payload: {} }, caller: 'demo-worker-li' } });
    expect(server.received.at(-1)?.headers['content-type']).toBe('application/json');
  });

  test('sends requests for the configured local cloud to the server given', async () => {
    const { res } = await call('request', { url: 'http://127.0.0.1:3720/functions/api', method: 'POST', data: {} });
    expect(res.statusCode).toBe(200);
  });

  test('puts the data of a GET in the query string', async () => {
    const { res } = await call('request', { url: `${server.url}/echo`, data: { a: 1, b: '二' } });
    expect((res.data as { url: string }).url).toBe('/echo?a=1&b=%E4%BA%8C');
  });

  test('answers error pages through success, as WeChat does', async () => {
    const { ok, res } = await call('request', { url: `${server.url}/status/500`, method: 'POST', data: {} });
    expect(ok).toBe(true);
    expect(res.statusCode).toBe(500);
    expect(res.data).toBe('<html><body>Internal Server Error</body></html>');
  });

  test('leaves a body that is not JSON as text', async () => {
    const { res } = await call('request', { url: `${server.url}/not-json` });
    expect(res.data).toBe('hello, not json');
  });

  test('fails a refused connection', async () => {
    const { ok, res, completed } = await call('request', { url: `${await closedPort()}/functions/api`, method: 'POST', data: {} });
    expect(ok).toBe(false);
    expect(completed).toBe(true);
    expect(String(res.errMsg)).toMatch(/^request:fail .*ECONNREFUSED/);
  });

  test('fails with "timeout" when the server stays silent past the timeout', async () => {
    const started = Date.now();
    const { ok, res } = await call('request', { url: `${server.url}/silent`, timeout: 150 });
    expect(ok).toBe(false);
    expect(res.errMsg).toBe('request:fail timeout');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test('fails with "abort" when the task is aborted', async () => {
    const { ok, res } = await call('request', { url: `${server.url}/silent` }, (t) => t.abort());
    expect(ok).toBe(false);
    expect(res.errMsg).toBe('request:fail abort');
  });
});

describe('HTTP bridge: wx.uploadFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wcp-bridge-'));
  const photo = join(dir, 'photo.jpg');
  const bytes = Buffer.alloc(300 * 1024, 7);
  writeFileSync(photo, bytes);

  test('uploads the file as multipart with its form fields and headers', async () => {
    const { ok, res } = await call('uploadFile', {
      url: `${server.url}/storage/upload`,
      filePath: photo,
      name: 'file',
      formData: { cloudPath: 'entries/c1/ZW-0001/a.jpg' },
      header: { 'X-Local-Openid': 'demo-worker-li' },
    });
    expect(ok).toBe(true);
    expect(res.statusCode).toBe(200);
    // uploadFile answers text; the caller parses it.
    expect(JSON.parse(String(res.data))).toEqual({ fileID: 'cloud://local/entries/c1/ZW-0001/a.jpg', bytes: bytes.length });

    const got = server.received.at(-1);
    expect(got?.headers['x-local-openid']).toBe('demo-worker-li');
    const file = parseMultipart(got?.body ?? Buffer.alloc(0), got?.headers['content-type']).find((p) => p.name === 'file');
    expect(file?.filename).toBe('photo.jpg');
    expect(file?.contentType).toBe('image/jpeg');
    expect(file?.data.equals(bytes)).toBe(true);
  });

  test('reports progress from the bytes actually sent, up to 100', async () => {
    const events: UploadProgressEvent[] = [];
    await call(
      'uploadFile',
      { url: `${server.url}/storage/upload`, filePath: photo, name: 'file', formData: { cloudPath: 'p/b.jpg' } },
      (t) => t.onProgressUpdate?.((p) => events.push(p)),
    );
    const sentOnWire = server.received.at(-1)?.body.length;
    expect(events.length).toBeGreaterThan(5);
    expect(events.map((e) => e.totalBytesSent)).toEqual([...events.map((e) => e.totalBytesSent)].sort((a, b) => a - b));
    expect(events.at(-1)).toEqual({ progress: 100, totalBytesSent: sentOnWire, totalBytesExpectedToSend: sentOnWire });
    expect(events[0]?.progress).toBeLessThan(100);
  });

  test('fails, short of 100%, when the connection is cut mid-upload', async () => {
    const big = join(dir, 'video.mp4');
    // Larger than loopback's socket buffers can hold (a few MB on Linux): otherwise a busy event loop
    // lets the whole file reach the kernel, i.e. "100% sent", before the server gets to cut it.
    writeFileSync(big, Buffer.alloc(32 * 1024 * 1024, 1));
    const events: UploadProgressEvent[] = [];
    const { ok, res } = await call(
      'uploadFile',
      { url: `${server.url}/drop-upload`, filePath: big, name: 'file', formData: { cloudPath: 'p/v.mp4' } },
      (t) => t.onProgressUpdate?.((p) => events.push(p)),
    );
    expect(ok).toBe(false);
    expect(String(res.errMsg)).toMatch(/^uploadFile:fail/);
    expect(events.at(-1)?.progress ?? 0).toBeLessThan(100);
  });

  test('fails when the file does not exist', async () => {
    const { ok, res } = await call('uploadFile', { url: `${server.url}/storage/upload`, filePath: join(dir, 'gone.jpg'), name: 'file' });
    expect(ok).toBe(false);
    expect(String(res.errMsg)).toMatch(/^uploadFile:fail file not found/);
  });

  test('maps WeChat temp paths to files on disk', async () => {
    const uninstallMapped = installHttpBridge({ resolveFile: (p) => p.replace('wxfile://tmp/', `${dir}/`) });
    const { ok } = await call('uploadFile', {
      url: `${server.url}/storage/upload`,
      filePath: 'wxfile://tmp/photo.jpg',
      name: 'file',
      formData: { cloudPath: 'p/c.jpg' },
    });
    uninstallMapped();
    expect(ok).toBe(true);
  });
});
