/**
 * The wxacode stand-in's PNG writer: a real, scannable image without a dependency. The matrix
 * comes from the app's own encoder (miniprogram/utils/qr.ts), so the product has one QR encoder,
 * checked module by module against an independent one in test/component/qr.test.ts.
 */
import { deflateSync } from 'node:zlib';
import { qrMatrix } from '../../../miniprogram/utils/qr';

/** The QR matrix of `text` (byte mode, level M, mask by the standard's penalty rules). */
export function encodeQr(text: string, forceMask?: number): boolean[][] {
  return qrMatrix(text, forceMask);
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** An 8-bit grayscale PNG of the matrix with a 4-module quiet zone, about `width` pixels wide. */
export function qrPng(modules: boolean[][], width: number): Buffer {
  const size = modules.length;
  const quiet = 4;
  const scale = Math.max(1, Math.floor(width / (size + quiet * 2)));
  const px = (size + quiet * 2) * scale;
  const raw = Buffer.alloc((px + 1) * px, 0xff);
  for (let y = 0; y < px; y++) {
    raw[y * (px + 1)] = 0; // filter: none
    const my = Math.floor(y / scale) - quiet;
    for (let x = 0; x < px; x++) {
      const mx = Math.floor(x / scale) - quiet;
      if (modules[my]?.[mx] === true) raw[y * (px + 1) + 1 + x] = 0;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(px, 0);
  ihdr.writeUInt32BE(px, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // grayscale
  ihdr[10] = 0;
  ihdr[11] = 0;
  ihdr[12] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
