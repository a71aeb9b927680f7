/**
 * Picking photos and videos on the phone, as promises that never reject: the album or camera
 * (`wx.chooseMedia`), re-encoding a photo (`wx.compressImage`, which writes a new JPEG and so drops
 * its EXIF: GPS position, camera owner), shrinking a video (`wx.compressVideo`) and the real size
 * of a file. A worker who backs out of the picker gets `cancelled`, not an error.
 */

export interface Picked {
  path: string;
  size: number;
  /** Lower case, without the dot; "jpeg" is "jpg". */
  ext: string;
  /** Seconds (videos). */
  duration: number;
  /** The video's first frame, as the picker made it. */
  thumb: string;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; cancelled: boolean; message: string };

const failed = <T>(errMsg: string | undefined, message: string): Outcome<T> => {
  const cancelled = /cancel/i.test(errMsg ?? '');
  return { ok: false, cancelled, message: cancelled ? '' : message };
};

export function extOf(path: string): string {
  const m = /\.([A-Za-z0-9]+)(?:[?#].*)?$/.exec(path);
  const ext = (m?.[1] ?? '').toLowerCase();
  return ext === 'jpeg' ? 'jpg' : ext;
}

function picked(f: WechatMiniprogram.MediaFile): Picked {
  return { path: f.tempFilePath, size: f.size, ext: extOf(f.tempFilePath), duration: f.duration ?? 0, thumb: f.thumbTempFilePath ?? '' };
}

/** Up to `count` photos from the album or the camera, already compressed by WeChat. */
export function choosePhotos(count: number): Promise<Outcome<Picked[]>> {
  return new Promise((resolve) => {
    wx.chooseMedia({
      count: Math.max(1, Math.min(20, count)),
      mediaType: ['image'],
      sizeType: ['compressed'],
      sourceType: ['album', 'camera'],
      success: (res) => resolve({ ok: true, value: res.tempFiles.map(picked) }),
      fail: (e) => resolve(failed(e.errMsg, '无法打开相册，请在设置中允许访问相册和相机')),
    });
  });
}

/** One video; recording is capped at `maxSeconds` (WeChat allows 3–60 s for the camera). */
export function chooseVideo(maxSeconds: number): Promise<Outcome<Picked>> {
  return new Promise((resolve) => {
    wx.chooseMedia({
      count: 1,
      mediaType: ['video'],
      sourceType: ['album', 'camera'],
      maxDuration: Math.max(3, Math.min(60, Math.floor(maxSeconds))),
      success: (res) => {
        const f = res.tempFiles[0];
        resolve(f ? { ok: true, value: picked(f) } : { ok: false, cancelled: true, message: '' });
      },
      fail: (e) => resolve(failed(e.errMsg, '无法打开相册，请在设置中允许访问相册和相机')),
    });
  });
}

/** The real size of a local file in bytes. */
export function fileSize(path: string): Promise<number | null> {
  return new Promise((resolve) => {
    try {
      wx.getFileSystemManager().getFileInfo({
        filePath: path,
        success: (res) => resolve(res.size),
        fail: () => resolve(null),
      });
    } catch {
      resolve(null);
    }
  });
}

/**
 * Re-encodes a photo as a new JPEG (quality 80): the metadata of the original (GPS, owner) is
 * not copied, and the server refuses a JPEG that still carries GPS. Answers the new file.
 */
export function reencodePhoto(path: string): Promise<Outcome<{ path: string; size: number; ext: string }>> {
  return new Promise((resolve) => {
    wx.compressImage({
      src: path,
      quality: 80,
      success: (res) => {
        void fileSize(res.tempFilePath).then((size) =>
          resolve(size === null ? { ok: false, cancelled: false, message: '照片处理失败，请重新选择' } : { ok: true, value: { path: res.tempFilePath, size, ext: extOf(res.tempFilePath) || 'jpg' } }),
        );
      },
      fail: (e) => resolve(failed(e.errMsg, '照片处理失败，请重新选择')),
    });
  });
}

/** Shrinks a video (quality "medium"): a new MP4. */
export function compressVideo(path: string): Promise<Outcome<{ path: string; size: number; ext: string }>> {
  return new Promise((resolve) => {
    wx.compressVideo({
      src: path,
      quality: 'medium',
      // Used only by base libraries that ignore `quality`: about what "medium" gives.
      bitrate: 1600,
      fps: 30,
      resolution: 1,
      success: (res) => {
        // WeChat answers the size in kB; the file itself is the authority.
        void fileSize(res.tempFilePath).then((size) =>
          resolve({ ok: true, value: { path: res.tempFilePath, size: size ?? Math.round(res.size * 1024), ext: extOf(res.tempFilePath) || 'mp4' } }),
        );
      },
      fail: (e) => resolve(failed(e.errMsg, '视频压缩失败，请换一个较短的视频')),
    });
  });
}

/** A photo ready to upload: re-encoded on the phone, of a type and size the caller accepted. */
export interface ReadyPhoto {
  path: string;
  size: number;
  ext: 'jpg' | 'png';
}

/**
 * Up to `room` photos from the album or camera, each re-encoded (`reencodePhoto`) and checked by
 * `refusal` (answers why a photo cannot go, or null). `take` gets each accepted photo as soon as it
 * is ready, so it shows at once; the answer is the refused ones, one line each ("第 2 张：…"), or
 * null when the worker backed out of the picker.
 */
export async function pickPhotos(
  room: number,
  refusal: (ext: 'jpg' | 'png', size: number) => string | null,
  take: (photo: ReadyPhoto) => void,
): Promise<string | null> {
  const picked = await choosePhotos(room);
  if (!picked.ok) return picked.cancelled ? null : picked.message;
  const files = picked.value.slice(0, room);
  const problems: string[] = [];
  for (const [n, f] of files.entries()) {
    const prefix = files.length > 1 ? `第 ${n + 1} 张：` : '';
    const re = await reencodePhoto(f.path);
    if (!re.ok) {
      problems.push(prefix + re.message);
      continue;
    }
    const { path, size, ext } = re.value;
    const why = ext === 'jpg' || ext === 'png' ? refusal(ext, size) : '图片请使用 JPG 或 PNG 格式';
    if (why !== null || (ext !== 'jpg' && ext !== 'png')) {
      problems.push(prefix + (why ?? '图片请使用 JPG 或 PNG 格式'));
      continue;
    }
    take({ path, size, ext });
  }
  return problems.join('\n');
}
