/**
 * The app's own QR encoder and PNG writer (the check-in code is drawn on the phone, with no
 * library; the local cloud's wxacode stand-in draws the same matrix): checked module by module
 * against an independent encoder (Kazuhiko Arase's, as vendored by qrcode-terminal), and end to
 * end by reading the PNG back with a QR reader.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS test-only helpers without types */
import { inflateSync } from 'node:zlib';
import { base64, deflateFixed, qrDataUri, qrPng } from '../../miniprogram/utils/png';
import { penalty, qrMatrix, utf8, versionFor } from '../../miniprogram/utils/qr';

interface AraseQr {
  addData(s: string): void;
  make(): void;
  makeImpl(test: boolean, mask: number): void;
  getModuleCount(): number;
  isDark(row: number, col: number): boolean;
  typeNumber: number;
}
const AraseQRCode = require('qrcode-terminal/vendor/QRCode') as new (type: number, level: number) => AraseQr;
const LEVEL_M = (require('qrcode-terminal/vendor/QRCode/QRErrorCorrectLevel') as { M: number }).M;
const { PNG } = require('pngjs') as { PNG: { sync: { read(b: Buffer): { width: number; height: number; data: Buffer } } } };
const QrCodeReader = require('qrcode-reader') as new () => {
  callback: (err: unknown, value: { result: string } | undefined) => void;
  decode(img: { width: number; height: number; data: Buffer }): void;
};

const show = (m: boolean[][]): string => m.map((row) => row.map((d) => (d ? '#' : '.')).join('')).join('\n');

function arase(text: string, mask: number): string {
  const q = new AraseQRCode(-1, LEVEL_M);
  q.addData(text);
  q.make();
  q.makeImpl(false, mask);
  const n = q.getModuleCount();
  return Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => (q.isDark(r, c) ? '#' : '.')).join('')).join('\n');
}

function readQr(png: Buffer): Promise<string> {
  const img = PNG.sync.read(png);
  return new Promise((resolve, reject) => {
    const reader = new QrCodeReader();
    reader.callback = (e, v) => (e || !v ? reject(e ?? new Error('no QR found')) : resolve(v.result));
    reader.decode(img);
  });
}

// A check-in code as the server signs it: c1.<registration id>.<signature>.
const CHECKIN = 'c1.reg_act_culture_2022_u_3f9a0c1be27d4a5f8e6b1c2d3e4f5a6b.Zx8Lk2mN4pQ7rS9tUvW1yA';

describe('QR encoder', () => {
  test('matches an independent encoder module for module, for every mask and several versions', () => {
    const texts = ['A', 'HELLO WORLD', 'https://example.com/checkin?x=1', CHECKIN, 'x'.repeat(150), 'y'.repeat(300)];
    const versions = new Set<number>();
    for (const text of texts) {
      versions.add(versionFor(text.length));
      for (let mask = 0; mask < 8; mask++) expect(show(qrMatrix(text, mask))).toBe(arase(text, mask));
    }
    // 1-module-wide versions through one with version information blocks (7+) and many RS blocks.
    expect([...versions].sort((a, b) => a - b)).toEqual([1, 3, 5, 8, 13]);
  });

  test('chooses the mask with the lowest penalty', () => {
    for (const text of ['A', CHECKIN, '签到码：李明', 'z'.repeat(90)]) {
      const mine = qrMatrix(text);
      const masks = Array.from({ length: 8 }, (_, k) => penalty(qrMatrix(text, k)));
      expect(penalty(mine)).toBe(Math.min(...masks));
    }
  });

  test('encodes text as UTF-8 bytes', () => {
    expect(utf8('A签😀')).toEqual([0x41, 0xe7, 0xad, 0xbe, 0xf0, 0x9f, 0x98, 0x80]);
    expect(utf8('A签😀')).toEqual([...Buffer.from('A签😀', 'utf8')]);
  });

  test('refuses text no QR code can hold', () => {
    expect(() => qrMatrix('x'.repeat(3000))).toThrow(RangeError);
  });
});

describe('QR picture', () => {
  test('its DEFLATE stream inflates back to the input', () => {
    const data = Array.from({ length: 5000 }, (_, i) => (Math.floor(i / 50) % 3 === 0 ? 0xff : (i * 7) % 256));
    const zlib = Buffer.from([0x78, 0x01, ...deflateFixed(data, [50, 1])]);
    expect([...inflateSync(zlib, { finishFlush: 2 })]).toEqual(data);
  });

  test('base64 matches Node for every length remainder', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 255]) {
      const bytes = Array.from({ length: n }, (_, i) => (i * 37) % 256);
      expect(base64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    }
  });

  test('is a valid PNG, 8 pixels a module with a quiet zone, that a QR reader reads back', async () => {
    const m = qrMatrix(CHECKIN);
    const png = Buffer.from(qrPng(m));
    const img = PNG.sync.read(png);
    expect(img.width).toBe((m.length + 8) * 8);
    expect(img.height).toBe(img.width);
    // Top-left finder's corner module is dark, the quiet zone light.
    const px = (x: number, y: number) => img.data[(y * img.width + x) * 4];
    expect(px(4 * 8 + 3, 4 * 8 + 3)).toBe(0);
    expect(px(3, 3)).toBe(255);
    expect(await readQr(png)).toBe(CHECKIN);
  });

  test('stays small enough for a setData', () => {
    const uri = qrDataUri(CHECKIN);
    expect(uri.startsWith('data:image/png;base64,')).toBe(true);
    expect(uri.length).toBeLessThan(6 * 1024);
  });
});
