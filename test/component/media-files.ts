/**
 * Files for the device-API stand-ins (wx.chooseMedia and friends): the committed sample photo
 * and small generated videos, copied to temporary files as WeChat's temp paths would be.
 */
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';

export const MEDIA_DIR = join(__dirname, '../fixtures/media');
export const SAMPLE_PHOTO = join(MEDIA_DIR, 'photo-clean.jpg');

let dir = '';
let count = 0;

export function tempDir(): string {
  if (!dir) dir = mkdtempSync(join(tmpdir(), 'wcp-wxfile-'));
  return dir;
}

/** A copy of `src` under a fresh temporary name, as compressImage/compressVideo answer. */
export function tempCopy(src: string, ext = extname(src) || '.bin'): string {
  const dest = join(tempDir(), `tmp_${++count}${ext}`);
  copyFileSync(src, dest);
  return dest;
}

/** A small MP4: an ISO BMFF `ftyp` box (what the server sniffs), then filler bytes. */
export function sampleVideo(bytes = 64 * 1024): string {
  const ftyp = Buffer.from([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d, 0, 0, 2, 0, 0x69, 0x73, 0x6f, 0x6d, 0x6d, 0x70, 0x34, 0x31]);
  const file = join(tempDir(), `video_${++count}.mp4`);
  writeFileSync(file, Buffer.concat([ftyp, Buffer.alloc(Math.max(0, bytes - ftyp.length), 7)]));
  return file;
}
