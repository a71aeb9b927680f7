/**
 * What a stored file really is, judged from its first bytes (no server API reports a stored file's
 * real type or size; a client-declared type is never trusted). Pure: works on the bytes the server
 * read with a ranged request.
 */

export type FileKind = 'jpeg' | 'png' | 'mp4' | 'unknown';

/** How many leading bytes `sniff` and `jpegHasGps` need. */
export const SNIFF_BYTES = 64 * 1024;

const startsWith = (b: Uint8Array, sig: number[], at = 0): boolean => sig.every((x, i) => b[at + i] === x);

export function sniff(bytes: Uint8Array): FileKind {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  // ISO base media: a box size then "ftyp" at offset 4 (mp4, mov from phones: isom, mp42, qt…).
  if (startsWith(bytes, [0x66, 0x74, 0x79, 0x70], 4)) return 'mp4';
  return 'unknown';
}

function u16(b: Uint8Array, at: number, little: boolean): number {
  const x = b[at] ?? 0;
  const y = b[at + 1] ?? 0;
  return little ? x | (y << 8) : (x << 8) | y;
}

function u32(b: Uint8Array, at: number, little: boolean): number {
  return little
    ? (u16(b, at, true) | (u16(b, at + 2, true) << 16)) >>> 0
    : ((u16(b, at, false) << 16) | u16(b, at + 2, false)) >>> 0;
}

/**
 * True when a JPEG's EXIF (APP1) carries a GPS IFD pointer (tag 0x8825). Photos are re-encoded on
 * the phone, which drops EXIF; one that still carries GPS was not, and would publish where the
 * worker lives.
 */
export function jpegHasGps(bytes: Uint8Array): boolean {
  if (sniff(bytes) !== 'jpeg') return false;
  let p = 2;
  while (p + 4 <= bytes.length) {
    if (bytes[p] !== 0xff) return false;
    const marker = bytes[p + 1] ?? 0;
    // Start of scan: image data follows, no more metadata segments.
    if (marker === 0xda || marker === 0xd9) return false;
    const len = u16(bytes, p + 2, false);
    if (len < 2) return false;
    const seg = p + 4;
    if (marker === 0xe1 && startsWith(bytes, [0x45, 0x78, 0x69, 0x66, 0, 0], seg)) {
      if (exifHasGps(bytes, seg + 6, Math.min(seg + len - 2, bytes.length))) return true;
    }
    p = seg + len - 2;
  }
  return false;
}

function exifHasGps(b: Uint8Array, tiff: number, end: number): boolean {
  const little = b[tiff] === 0x49 && b[tiff + 1] === 0x49;
  const big = b[tiff] === 0x4d && b[tiff + 1] === 0x4d;
  if (!little && !big) return false;
  const ifd0 = tiff + u32(b, tiff + 4, little);
  if (ifd0 + 2 > end) return false;
  const n = u16(b, ifd0, little);
  for (let i = 0; i < n; i++) {
    const entry = ifd0 + 2 + i * 12;
    if (entry + 12 > end) return false;
    if (u16(b, entry, little) === 0x8825) return true;
  }
  return false;
}
