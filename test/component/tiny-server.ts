/**
 * A small HTTP server standing in for the local cloud's HTTP face in the bridge's own tests: it
 * answers like `/functions/api` and `/storage/upload`, and misbehaves on demand (error pages,
 * non-JSON, silence, a connection cut in the middle of an upload).
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface MultipartPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

export interface TinyServer {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

export function parseMultipart(body: Buffer, contentType: string | undefined): MultipartPart[] {
  const boundary = /boundary=(.+)$/.exec(contentType ?? '')?.[1];
  if (!boundary) return [];
  const parts: MultipartPart[] = [];
  const delimiter = Buffer.from(`--${boundary}`);
  let start = body.indexOf(delimiter);
  while (start >= 0) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next < 0) break;
    const part = body.subarray(start + delimiter.length + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    const head = part.subarray(0, split).toString('utf8');
    const name = /name="([^"]*)"/.exec(head)?.[1] ?? '';
    const filename = /filename="([^"]*)"/.exec(head)?.[1];
    const contentTypeOfPart = /Content-Type: (.+)/i.exec(head)?.[1]?.trim();
    const p: MultipartPart = { name, data: part.subarray(split + 4) };
    if (filename !== undefined) p.filename = filename;
    if (contentTypeOfPart !== undefined) p.contentType = contentTypeOfPart;
    parts.push(p);
    start = next;
  }
  return parts;
}

export async function startTinyServer(): Promise<TinyServer> {
  const received: Received[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    // Cut the connection after a few bytes of an upload, as the local cloud's fault injection does.
    if (url === '/drop-upload') {
      let seen = 0;
      req.on('data', (c: Buffer) => {
        seen += c.length;
        if (seen > 64 * 1024) req.socket.destroy();
      });
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      received.push({ method: req.method ?? '', url, headers: req.headers, body });
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (url === '/functions/api') {
        let event: unknown = null;
        try {
          event = JSON.parse(body.toString('utf8')) as unknown;
        } catch {
          return json(400, { ok: false, code: 'BAD_REQUEST', message: '请求格式不正确' });
        }
        return json(200, { ok: true, data: { event, caller: req.headers['x-local-openid'] ?? null } });
      }
      if (url === '/storage/upload') {
        const parts = parseMultipart(body, req.headers['content-type']);
        const cloudPath = parts.find((p) => p.name === 'cloudPath')?.data.toString('utf8');
        const file = parts.find((p) => p.name === 'file');
        if (!cloudPath || !file) return json(400, { ok: false, code: 'BAD_REQUEST', message: '缺少文件' });
        return json(200, { fileID: `cloud://local/${cloudPath}`, bytes: file.data.length });
      }
      if (url === '/status/500') {
        res.writeHead(500, { 'content-type': 'text/html' });
        return res.end('<html><body>Internal Server Error</body></html>');
      }
      if (url === '/status/403-result') return json(403, { ok: false, code: 'FORBIDDEN', message: '仅限本机访问' });
      if (url === '/not-json') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        return res.end('hello, not json');
      }
      if (url === '/malformed') return json(200, { data: 42 });
      if (url === '/unknown-code') return json(200, { ok: false, code: 'SOMETHING_NEW', message: '新的错误' });
      if (url === '/silent') return; // never answers
      if (url.startsWith('/echo')) return json(200, { method: req.method, url, body: body.toString('utf8'), headers: req.headers });
      json(404, { ok: false, code: 'NOT_FOUND', message: 'no route' });
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on: connections to it are refused at once. */
export async function closedPort(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
