import { readFileSync } from 'fs';
import { join } from 'path';
import { jpegHasGps, sniff } from '../../miniprogram/core/rules/files';

const media = (name: string) => new Uint8Array(readFileSync(join(__dirname, '../fixtures/media', name)));

describe('file sniffing from the first bytes', () => {
  it('recognises a JPEG, a PNG and an MP4 by their magic numbers', () => {
    expect(sniff(media('photo-clean.jpg'))).toBe('jpeg');
    expect(sniff(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('png');
    expect(sniff(new Uint8Array([0, 0, 0, 0x20, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d]))).toBe('mp4');
  });

  it('does not take a text file renamed .jpg for a picture', () => {
    expect(sniff(new TextEncoder().encode('<script>alert(1)</script>'))).toBe('unknown');
  });

  it('finds GPS data in a JPEG that was not re-encoded', () => {
    expect(jpegHasGps(media('photo-with-gps.jpg'))).toBe(true);
  });

  it('passes a JPEG without EXIF', () => {
    expect(jpegHasGps(media('photo-clean.jpg'))).toBe(false);
  });

  it('does not read past truncated bytes', () => {
    const cut = media('photo-with-gps.jpg').subarray(0, 30);
    expect(jpegHasGps(cut)).toBe(false);
  });
});
