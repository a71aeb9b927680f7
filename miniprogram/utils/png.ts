/**
 * A QR matrix as a small black-and-white PNG in a `data:` URI, for an `<image>`: no canvas, no
 * file, nothing to download, and it shows inside popups and lists like any picture. Each module
 * is 8 pixels (one byte of a 1-bit row), so the picture stays sharp when it is scaled down; rows
 * repeat, so a tiny LZ77 over fixed Huffman codes packs a check-in code into 2–4 KB.
 */
import { qrMatrix, type QrMatrix } from './qr';

const QUIET = 4;
const MODULE_PX = 8;

// ---- bit writer and DEFLATE (RFC 1951, one block with the fixed Huffman codes) -------------------

class Bits {
  readonly bytes: number[] = [];
  private acc = 0;
  private n = 0;
  /** `len` bits of `value`, least significant first (extra bits, headers). */
  put(value: number, len: number): void {
    for (let i = 0; i < len; i++) {
      this.acc |= ((value >>> i) & 1) << this.n;
      if (++this.n === 8) this.flush();
    }
  }
  /** A Huffman code, most significant bit first. */
  code(value: number, len: number): void {
    for (let i = len - 1; i >= 0; i--) this.put((value >>> i) & 1, 1);
  }
  flush(): void {
    if (this.n === 0) return;
    this.bytes.push(this.acc);
    this.acc = 0;
    this.n = 0;
  }
}

const LEN_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LEN_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289,
  16385, 24577,
];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];

function symbol(out: Bits, sym: number): void {
  if (sym < 144) out.code(0x30 + sym, 8);
  else if (sym < 256) out.code(0x190 + sym - 144, 9);
  else if (sym < 280) out.code(sym - 256, 7);
  else out.code(0xc0 + sym - 280, 8);
}

function slot(bases: readonly number[], v: number): number {
  let i = bases.length - 1;
  while (i > 0 && (bases[i] ?? 0) > v) i--;
  return i;
}

/** Raw DEFLATE of `data`, trying back-references at the distances given (e.g. 1 and one row). */
export function deflateFixed(data: readonly number[], distances: readonly number[]): number[] {
  const out = new Bits();
  out.put(1, 1); // final block
  out.put(1, 2); // fixed Huffman codes
  let i = 0;
  while (i < data.length) {
    let bestLen = 0;
    let bestDist = 0;
    for (const d of distances) {
      if (d > i || d > 32768) continue;
      let len = 0;
      while (len < 258 && i + len < data.length && data[i + len] === data[i + len - d]) len++;
      if (len > bestLen) {
        bestLen = len;
        bestDist = d;
      }
    }
    if (bestLen >= 3) {
      const li = slot(LEN_BASE, bestLen);
      symbol(out, 257 + li);
      out.put(bestLen - (LEN_BASE[li] ?? 0), LEN_EXTRA[li] ?? 0);
      const di = slot(DIST_BASE, bestDist);
      out.code(di, 5);
      out.put(bestDist - (DIST_BASE[di] ?? 0), DIST_EXTRA[di] ?? 0);
      i += bestLen;
    } else {
      symbol(out, data[i] ?? 0);
      i++;
    }
  }
  symbol(out, 256);
  out.flush();
  return out.bytes;
}

function adler32(data: readonly number[]): number {
  let a = 1;
  let b = 0;
  for (const x of data) {
    a = (a + x) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

let crcTable: number[] | null = null;
function crc32(data: readonly number[]): number {
  if (!crcTable) {
    crcTable = [];
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable.push(c >>> 0);
    }
  }
  let c = 0xffffffff;
  for (const b of data) c = (crcTable[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const u32 = (v: number): number[] => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));

function chunk(type: string, data: readonly number[]): number[] {
  const body = [...ascii(type), ...data];
  return [...u32(data.length), ...body, ...u32(crc32(body))];
}

/** A 1-bit grayscale PNG of the matrix with a four-module quiet zone, 8 pixels a module. */
export function qrPng(m: QrMatrix): number[] {
  const modules = m.length + QUIET * 2;
  const px = modules * MODULE_PX;
  const rowBytes = 1 + modules; // the filter byte, then one byte (8 pixels) per module
  const raw: number[] = [];
  for (let y = 0; y < px; y++) {
    raw.push(0); // filter: none
    const row = m[Math.floor(y / MODULE_PX) - QUIET];
    for (let x = 0; x < modules; x++) raw.push(row?.[x - QUIET] === true ? 0x00 : 0xff);
  }
  const zlib = [0x78, 0x01, ...deflateFixed(raw, [rowBytes, 1]), ...u32(adler32(raw))];
  // width, height, bit depth 1, colour type 0 (grey), compression, filter, interlace
  const ihdr = [...u32(px), ...u32(px), 1, 0, 0, 0, 0];
  return [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...chunk('IHDR', ihdr), ...chunk('IDAT', zlib), ...chunk('IEND', [])];
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function base64(bytes: readonly number[]): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] ?? 0;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    s += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]!;
    s += b === undefined ? '=' : B64[(n >> 6) & 63]!;
    s += c === undefined ? '=' : B64[n & 63]!;
  }
  return s;
}

/** `text` as a QR code picture, ready for `<image src>`. */
export function qrDataUri(text: string): string {
  return `data:image/png;base64,${base64(qrPng(qrMatrix(text)))}`;
}
