import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from '../errors';

/** Loopback addresses: 127.0.0.0/8, ::1, and IPv4-mapped 127.x. */
export function isLoopbackAddress(addr: string | undefined): boolean {
  if (!addr) return false;
  if (addr === '::1') return true;
  const v4 = addr.startsWith('::ffff:') ? addr.slice(7) : addr;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/** Whether a request came over a loopback connection (the only callers the local cloud answers). */
export function isLoopbackRequest(req: Pick<IncomingMessage, 'socket'>): boolean {
  return isLoopbackAddress(req.socket.remoteAddress);
}

/** Reads the whole body; refuses one over `limit` bytes with 413. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw new HttpError(413, -1, `data exceed max size: the body is ${declared} bytes, at most ${limit}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > limit) {
      req.resume();
      throw new HttpError(413, -1, `data exceed max size: the body is over ${limit} bytes`);
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

/** Parses a JSON body; an empty body is `undefined`. */
export function parseJson(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch (e) {
    throw new HttpError(400, -501007, `invalid JSON body: ${(e as Error).message}`);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, e: HttpError): void {
  sendJson(res, e.status, { errCode: e.errCode, errMsg: e.errMsg }, e.headers);
}

export function methodNotAllowed(allow: string[]): HttpError {
  return new HttpError(405, -1, `method not allowed: use ${allow.join(' or ')}`, { Allow: allow.join(', ') });
}
