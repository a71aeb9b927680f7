/** The HTTP face of the local cloud: routing, loopback check, error answers. */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { HttpError } from '../errors';
import { handleAdmin } from './admin-route';
import { handleControl } from './control-route';
import { handleFunction } from './functions-route';
import { isLoopbackRequest, sendError, sendJson } from './http-util';
import type { CloudParts } from './parts';
import { handleAppUpload, handleCosPut, handleTempUrl } from './storage-route';

export async function route(p: CloudParts, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!isLoopbackRequest(req)) {
    req.resume();
    throw new HttpError(403, -1, 'forbidden: the local cloud answers loopback (127.0.0.1, ::1) only');
  }
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const path = url.pathname;
  if (path.startsWith('/functions/')) {
    let name: string;
    try {
      name = decodeURIComponent(path.slice('/functions/'.length));
    } catch {
      throw new HttpError(400, -1, 'malformed function name');
    }
    return handleFunction(p, req, res, name);
  }
  if (path === '/admin' || path === '/admin/') return handleAdmin(p, req, res, url);
  if (path === '/storage/upload') return handleAppUpload(p, req, res);
  if (path.startsWith('/storage/cos/')) return handleCosPut(p, req, res, path.slice('/storage/cos/'.length));
  if (path.startsWith('/storage/')) return handleTempUrl(p, req, res, path.slice('/storage/'.length), url);
  if (path === '/_control' || path.startsWith('/_control/')) return handleControl(p, req, res, path.slice('/_control'.length), url);
  req.resume();
  throw new HttpError(404, -1, `no route ${req.method ?? ''} ${path}`);
}

export function createServer(p: CloudParts): http.Server {
  const server = http.createServer((req, res) => {
    route(p, req, res).catch((e: unknown) => {
      if (res.headersSent || res.destroyed) {
        res.destroy();
        return;
      }
      if (e instanceof HttpError) {
        sendError(res, e);
        return;
      }
      p.log(`[http] ${req.method ?? ''} ${req.url ?? ''} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      sendJson(res, 500, { errCode: -501001, errMsg: `local cloud internal error: ${e instanceof Error ? e.message : String(e)}` });
    });
  });
  server.keepAliveTimeout = 5000;
  server.headersTimeout = 65_000;
  server.requestTimeout = 0; // function calls may run up to their timeout (≤ 60 s), uploads longer
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  return server;
}
