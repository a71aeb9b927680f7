/**
 * A small QR Code encoder (ISO/IEC 18004): byte mode, error correction level M, versions 1–40,
 * the mask chosen by the standard's penalty rules. Enough for a check-in code of a few hundred
 * characters; no dependency, no wx, no Node (it runs on the phone). Draw the matrix with
 * `qrDataUri` (utils/png.ts) or on a canvas.
 */

// Level M, by version (index 0 unused).
const ECC_PER_BLOCK = [
  -1, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28,
  28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
];
const NUM_BLOCKS = [
  -1, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35,
  37, 38, 40, 43, 45, 47, 49,
];
/** Format bits for level M (the two error-correction bits, before the mask number). */
const LEVEL_M_BITS = 0b00;

export type QrMatrix = boolean[][];

const get = (arr: readonly number[], i: number): number => arr[i] ?? 0;

/** UTF-8 bytes of a string (the phone's JS engine may lack TextEncoder). */
export function utf8(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return out;
}

function rawDataModules(ver: number): number {
  let n = (16 * ver + 128) * ver + 64;
  if (ver >= 2) {
    const align = Math.floor(ver / 7) + 2;
    n -= (25 * align - 10) * align - 55;
    if (ver >= 7) n -= 36;
  }
  return n;
}

function dataCodewords(ver: number): number {
  return Math.floor(rawDataModules(ver) / 8) - get(ECC_PER_BLOCK, ver) * get(NUM_BLOCKS, ver);
}

/** Multiplication in GF(2^8) modulo x^8 + x^4 + x^3 + x^2 + 1. */
function gfMul(x: number, y: number): number {
  let z = 0;
  for (let i = 7; i >= 0; i--) {
    z = (z << 1) ^ ((z >>> 7) * 0x11d);
    z ^= ((y >>> i) & 1) * x;
  }
  return z & 0xff;
}

function rsGenerator(degree: number): number[] {
  const g = new Array<number>(degree).fill(0);
  g[degree - 1] = 1;
  let root = 1;
  for (let i = 0; i < degree; i++) {
    for (let j = 0; j < degree; j++) {
      g[j] = gfMul(get(g, j), root) ^ (j + 1 < degree ? get(g, j + 1) : 0);
    }
    root = gfMul(root, 2);
  }
  return g;
}

function rsRemainder(data: readonly number[], gen: readonly number[]): number[] {
  const rem = gen.map(() => 0);
  for (const b of data) {
    const factor = b ^ (rem.shift() ?? 0);
    rem.push(0);
    for (let i = 0; i < gen.length; i++) rem[i] = get(rem, i) ^ gfMul(get(gen, i), factor);
  }
  return rem;
}

function alignmentCentres(ver: number): number[] {
  if (ver === 1) return [];
  const size = ver * 4 + 17;
  const count = Math.floor(ver / 7) + 2;
  const step = ver === 32 ? 26 : Math.ceil((ver * 4 + 4) / (count * 2 - 2)) * 2;
  const out = [6];
  for (let pos = size - 7; out.length < count; pos -= step) out.splice(1, 0, pos);
  return out;
}

const bitAt = (x: number, i: number): boolean => ((x >>> i) & 1) !== 0;

function masked(mask: number, x: number, y: number): boolean {
  switch (mask) {
    case 0:
      return (x + y) % 2 === 0;
    case 1:
      return y % 2 === 0;
    case 2:
      return x % 3 === 0;
    case 3:
      return (x + y) % 3 === 0;
    case 4:
      return (Math.floor(x / 3) + Math.floor(y / 2)) % 2 === 0;
    case 5:
      return ((x * y) % 2) + ((x * y) % 3) === 0;
    case 6:
      return (((x * y) % 2) + ((x * y) % 3)) % 2 === 0;
    default:
      return (((x + y) % 2) + ((x * y) % 3)) % 2 === 0;
  }
}

/** The smallest version that holds `n` bytes at level M. */
export function versionFor(n: number): number {
  for (let ver = 1; ver <= 40; ver++) {
    if (4 + (ver <= 9 ? 8 : 16) + n * 8 <= dataCodewords(ver) * 8) return ver;
  }
  throw new RangeError('text too long for a QR code');
}

/** The data and error-correction codewords of `bytes`, interleaved as they are placed. */
function codewordsOf(bytes: readonly number[], ver: number): number[] {
  const bits: number[] = [];
  const push = (val: number, len: number): void => {
    for (let i = len - 1; i >= 0; i--) bits.push((val >>> i) & 1);
  };
  push(0b0100, 4); // byte mode
  push(bytes.length, ver <= 9 ? 8 : 16);
  for (const b of bytes) push(b, 8);
  const capacity = dataCodewords(ver) * 8;
  push(0, Math.min(4, capacity - bits.length));
  push(0, (8 - (bits.length % 8)) % 8);
  for (let pad = 0xec; bits.length < capacity; pad ^= 0xec ^ 0x11) push(pad, 8);
  const data: number[] = [];
  for (let i = 0; i < bits.length; i += 8) {
    let b = 0;
    for (let j = 0; j < 8; j++) b = (b << 1) | get(bits, i + j);
    data.push(b);
  }

  const blocks = get(NUM_BLOCKS, ver);
  const eccLen = get(ECC_PER_BLOCK, ver);
  const raw = Math.floor(rawDataModules(ver) / 8);
  const shortBlocks = blocks - (raw % blocks);
  const shortLen = Math.floor(raw / blocks);
  const gen = rsGenerator(eccLen);
  const all: number[][] = [];
  for (let i = 0, k = 0; i < blocks; i++) {
    const dat = data.slice(k, k + shortLen - eccLen + (i < shortBlocks ? 0 : 1));
    k += dat.length;
    const ecc = rsRemainder(dat, gen);
    // A placeholder keeps short and long blocks aligned for interleaving; it is skipped below.
    if (i < shortBlocks) dat.push(-1);
    all.push(dat.concat(ecc));
  }
  const out: number[] = [];
  const width = all[0]?.length ?? 0;
  for (let i = 0; i < width; i++) {
    for (const block of all) {
      const v = block[i] ?? -1;
      if (v >= 0) out.push(v);
    }
  }
  return out;
}

/**
 * The module matrix of `text` (true = dark), rows top to bottom. `mask` (0–7) forces a mask;
 * otherwise the one with the lowest penalty is used, as a reader expects.
 */
export function qrMatrix(text: string, mask?: number): QrMatrix {
  const bytes = utf8(text);
  const ver = versionFor(bytes.length);
  const size = ver * 4 + 17;
  const m: QrMatrix = Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
  const fn: boolean[][] = Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
  const set = (x: number, y: number, dark: boolean): void => {
    const row = m[y];
    const frow = fn[y];
    if (!row || !frow || x < 0 || x >= size) return;
    row[x] = dark;
    frow[x] = true;
  };

  // Timing patterns, finders (with separators), alignment patterns.
  for (let i = 0; i < size; i++) {
    set(6, i, i % 2 === 0);
    set(i, 6, i % 2 === 0);
  }
  for (const [cx, cy] of [
    [3, 3],
    [size - 4, 3],
    [3, size - 4],
  ] as const) {
    for (let dy = -4; dy <= 4; dy++) {
      for (let dx = -4; dx <= 4; dx++) {
        const d = Math.max(Math.abs(dx), Math.abs(dy));
        const x = cx + dx;
        const y = cy + dy;
        if (x >= 0 && x < size && y >= 0 && y < size) set(x, y, d !== 2 && d !== 4);
      }
    }
  }
  const centres = alignmentCentres(ver);
  const last = centres.length - 1;
  centres.forEach((cx, i) => {
    centres.forEach((cy, j) => {
      if ((i === 0 && j === 0) || (i === 0 && j === last) || (i === last && j === 0)) return;
      for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) set(cx + dx, cy + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
    });
  });

  const drawFormat = (msk: number): void => {
    const d = (LEVEL_M_BITS << 3) | msk;
    let rem = d;
    for (let i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
    const b = ((d << 10) | rem) ^ 0x5412;
    for (let i = 0; i <= 5; i++) set(8, i, bitAt(b, i));
    set(8, 7, bitAt(b, 6));
    set(8, 8, bitAt(b, 7));
    set(7, 8, bitAt(b, 8));
    for (let i = 9; i < 15; i++) set(14 - i, 8, bitAt(b, i));
    for (let i = 0; i < 8; i++) set(size - 1 - i, 8, bitAt(b, i));
    for (let i = 8; i < 15; i++) set(8, size - 15 + i, bitAt(b, i));
    set(8, size - 8, true); // the dark module
  };
  drawFormat(0); // reserves the format areas before the data is placed
  if (ver >= 7) {
    let rem = ver;
    for (let i = 0; i < 12; i++) rem = (rem << 1) ^ ((rem >>> 11) * 0x1f25);
    const b = (ver << 12) | rem;
    for (let i = 0; i < 18; i++) {
      const a = size - 11 + (i % 3);
      const c = Math.floor(i / 3);
      set(a, c, bitAt(b, i));
      set(c, a, bitAt(b, i));
    }
  }

  // Data in the zigzag order: two-module columns from the right, alternately up and down.
  const words = codewordsOf(bytes, ver);
  let idx = 0;
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    for (let v = 0; v < size; v++) {
      for (let j = 0; j < 2; j++) {
        const x = right - j;
        const up = ((right + 1) & 2) === 0;
        const y = up ? size - 1 - v : v;
        const row = m[y];
        if (row && !fn[y]?.[x] && idx < words.length * 8) {
          row[x] = bitAt(get(words, idx >>> 3), 7 - (idx & 7));
          idx++;
        }
      }
    }
  }

  const applyMask = (msk: number): void => {
    for (let y = 0; y < size; y++) {
      const row = m[y];
      const frow = fn[y];
      if (!row || !frow) continue;
      for (let x = 0; x < size; x++) if (!frow[x] && masked(msk, x, y)) row[x] = !row[x];
    }
  };
  let best = mask ?? 0;
  if (mask === undefined) {
    let lowest = Infinity;
    for (let msk = 0; msk < 8; msk++) {
      applyMask(msk);
      drawFormat(msk);
      const p = penalty(m);
      if (p < lowest) {
        lowest = p;
        best = msk;
      }
      applyMask(msk); // XOR again undoes it
    }
  }
  applyMask(best);
  drawFormat(best);
  return m;
}

/** The standard's penalty score (rules N1–N4) of a finished matrix. */
export function penalty(m: QrMatrix): number {
  const size = m.length;
  const at = (x: number, y: number): boolean => m[y]?.[x] === true;
  let score = 0;
  const finderA = [true, false, true, true, true, false, true, false, false, false, false];
  const finderB = [false, false, false, false, true, false, true, true, true, false, true];
  for (let pass = 0; pass < 2; pass++) {
    for (let a = 0; a < size; a++) {
      let colour = false;
      let run = 0;
      for (let b = 0; b < size; b++) {
        const c = pass === 0 ? at(b, a) : at(a, b);
        if (b === 0 || c !== colour) {
          if (run >= 5) score += 3 + (run - 5);
          colour = c;
          run = 1;
        } else run++;
        if (b + 11 <= size) {
          let matchA = true;
          let matchB = true;
          for (let k = 0; k < 11; k++) {
            const v = pass === 0 ? at(b + k, a) : at(a, b + k);
            if (v !== finderA[k]) matchA = false;
            if (v !== finderB[k]) matchB = false;
          }
          if (matchA) score += 40;
          if (matchB) score += 40;
        }
      }
      if (run >= 5) score += 3 + (run - 5);
    }
  }
  let dark = 0;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const c = at(x, y);
      if (c) dark++;
      if (x + 1 < size && y + 1 < size && c === at(x + 1, y) && c === at(x, y + 1) && c === at(x + 1, y + 1)) score += 3;
    }
  }
  const total = size * size;
  const k = Math.ceil(Math.abs(dark * 20 - total * 10) / total) - 1;
  return score + Math.max(0, k) * 10;
}
