/**
 * What a stored file really is: no server API reports a stored file's type or size, so the server
 * reads it through a temporary URL, a HEAD for the size and a ranged GET for the first bytes, as
 * any client of the CDN would. Never trusts a client-declared type or a client-given URL.
 */
import * as http from 'http';
import * as https from 'https';
import { SNIFF_BYTES, jpegHasGps, sniff, type FileKind } from '../../miniprogram/core/rules/files';

export interface Probe {
  size: number;
  kind: FileKind;
  gps: boolean;
}

function request(url: string, method: 'HEAD' | 'GET', headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  const lib = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(url, { method, headers, timeout: 8000 }, (res) => {
      const chunks: Buffer[] = [];
      let total = 0;
      res.on('data', (c: Buffer) => {
        total += c.length;
        // A server that ignores Range must not make us read a 200 MB video into memory.
        if (total <= SNIFF_BYTES) chunks.push(c);
        else res.destroy();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('close', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('file probe timed out')));
    req.on('error', reject);
    req.end();
  });
}

export async function probe(url: string): Promise<Probe | null> {
  const head = await request(url, 'HEAD', {});
  if (head.status !== 200) return null;
  const size = Number(head.headers['content-length']);
  if (!Number.isSafeInteger(size)) return null;
  const part = await request(url, 'GET', { Range: `bytes=0-${SNIFF_BYTES - 1}` });
  if (part.status !== 206 && part.status !== 200) return null;
  const bytes = new Uint8Array(part.body.buffer, part.body.byteOffset, Math.min(part.body.length, SNIFF_BYTES));
  return { size, kind: sniff(bytes), gps: jpegHasGps(bytes) };
}
