/** Shared setup for the local cloud's own tests: build once, start on a free port over the fixtures. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startLocalCloud, type LocalCloud, type LocalCloudOptions } from '../../../local-cloud/src/index';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'functions');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds local-cloud/dist (the worker cannot load TypeScript) unless it is newer than the sources. */
export function ensureBuilt(): void {
  const worker = path.join(ROOT, 'local-cloud', 'dist', 'worker.js');
  const src = path.join(ROOT, 'local-cloud', 'src');
  if (fs.existsSync(worker) && fs.statSync(worker).mtimeMs >= newestMtime(src)) return;
  execFileSync(process.execPath, ['-e', `import(${JSON.stringify(path.join(ROOT, 'local-cloud', 'build.mjs'))}).then((m) => m.buildLocalCloud())`], {
    stdio: 'inherit',
  });
}

export function tmpDir(prefix = 'lc-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function startFixtureCloud(extra: Partial<LocalCloudOptions> = {}): Promise<LocalCloud> {
  ensureBuilt();
  return startLocalCloud({
    port: 0,
    dataDir: tmpDir(),
    functionsDir: FIXTURES,
    quiet: true,
    collectionsFile: null,
    ...extra,
  });
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  json: <T = Record<string, unknown>>() => T;
}

/** One HTTP request to the local cloud (node:http, so nothing is hidden: Range, HEAD, raw bodies). */
export function request(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? 'GET', headers: opts.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body,
          json: <T>() => JSON.parse(body.toString('utf8')) as T,
        });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

/** POST /functions/<name> as the app does. */
export function callFunction(cloud: LocalCloud, name: string, event: unknown, openid?: string): Promise<Reply> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (openid) headers['X-Local-Openid'] = openid;
  return request(`${cloud.url}/functions/${name}`, { method: 'POST', headers, body: JSON.stringify(event) });
}

export function control(cloud: LocalCloud, route: string, method = 'GET', body?: unknown): Promise<Reply> {
  const opts: { method: string; headers?: Record<string, string>; body?: string } = { method };
  if (body !== undefined) {
    opts.headers = { 'Content-Type': 'application/json' };
    opts.body = JSON.stringify(body);
  }
  return request(`${cloud.url}/_control/${route}`, opts);
}

/** A multipart/form-data body as wx.uploadFile sends it. */
export function multipart(fields: Record<string, string>, file: { name: string; data: Buffer; field?: string }): { body: Buffer; contentType: string } {
  const boundary = `----wxUpload${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
  );
  parts.push(file.data, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

export async function waitFor<T>(fn: () => T | undefined | null | false, timeoutMs = 5000, stepMs = 20): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('waitFor: timed out');
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
