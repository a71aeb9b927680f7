/**
 * Entry rules shared by the editor (live counts, checks before upload) and the api function
 * (the same checks again, never trusting the phone).
 */
import type { ActivityDoc, EntryContent, RegistrationDoc, Track, TrackKind, UploadPurpose } from '../domain';
import { TRACK_CODE } from '../domain';
import { LIMITS } from '../limits';
import { windowState } from '../time';
import type { Refusal } from './registration';

/** 字数 as Chinese competitions count it: every character except whitespace. */
export function charCount(text: string): number {
  let n = 0;
  for (const ch of text) if (!/\s/.test(ch)) n++;
  return n;
}

/** ZW-2022-0042: track code, competition year, a per-track sequence number. */
export function entryCode(kind: TrackKind, year: number, n: number): string {
  return `${TRACK_CODE[kind]}-${year}-${String(n).padStart(4, '0')}`;
}

export const COVER_MAX_BYTES = 2 * 1024 * 1024;
export const TITLE_MAX = 40;
export const CAPTION_MAX = 100;

export const ALLOWED_EXT: Record<UploadPurpose, readonly ('jpg' | 'png' | 'mp4')[]> = {
  photo: ['jpg', 'png'],
  cover: ['jpg', 'png'],
  video: ['mp4'],
};

export function maxBytesFor(track: Track, purpose: UploadPurpose): number {
  if (purpose === 'cover') return COVER_MAX_BYTES;
  if (purpose === 'photo' && track.kind === 'photo') return track.limits.maxBytes;
  if (purpose === 'video' && track.kind === 'video') return track.limits.maxBytes;
  return 0;
}

export function purposeFits(track: Track, purpose: UploadPurpose): boolean {
  return (track.kind === 'photo' && purpose === 'photo') || (track.kind === 'video' && (purpose === 'video' || purpose === 'cover'));
}

const mb = (bytes: number): string => `${Math.round((bytes / 1024 / 1024) * 10) / 10}MB`;

/** Checks a file before its upload starts (on the phone) and when a ticket is asked for (server). */
export function fileRefusal(track: Track, purpose: UploadPurpose, ext: string, size: number): Refusal | null {
  if (!purposeFits(track, purpose)) return { code: 'FILE_REJECTED', message: '该赛道不接受这种文件' };
  if (!(ALLOWED_EXT[purpose] as readonly string[]).includes(ext))
    return { code: 'FILE_REJECTED', message: purpose === 'video' ? '视频请使用 MP4 格式' : '图片请使用 JPG 或 PNG 格式' };
  const max = maxBytesFor(track, purpose);
  if (size <= 0) return { code: 'FILE_REJECTED', message: '文件是空的' };
  if (size > max) return { code: 'FILE_REJECTED', message: `文件太大（${mb(size)}），不能超过 ${mb(max)}` };
  return null;
}

/**
 * Problems with an entry's content. Drafts may be incomplete but never over a maximum; a
 * submission must be complete.
 */
export function contentRefusal(track: Track, c: EntryContent, forSubmit: boolean): Refusal | null {
  if (c.kind !== track.kind) return { code: 'INVALID_PAYLOAD', message: '作品类型与赛道不符' };
  if (forSubmit && !c.title) return { code: 'INVALID_PAYLOAD', message: '请填写作品标题' };
  if (c.kind === 'essay' && track.kind === 'essay') {
    const n = charCount(c.text);
    if (n > track.limits.maxChars) return { code: 'INVALID_PAYLOAD', message: `正文 ${n} 字，超过了 ${track.limits.maxChars} 字的上限` };
    if (forSubmit && n < track.limits.minChars) return { code: 'INVALID_PAYLOAD', message: `正文 ${n} 字，至少需要 ${track.limits.minChars} 字` };
  }
  if (c.kind === 'photo' && track.kind === 'photo') {
    if (c.photos.length > track.limits.maxPhotos) return { code: 'INVALID_PAYLOAD', message: `最多 ${track.limits.maxPhotos} 张照片` };
    if (forSubmit && c.photos.length === 0) return { code: 'INVALID_PAYLOAD', message: '请至少上传 1 张照片' };
  }
  if (c.kind === 'video' && track.kind === 'video') {
    if (c.seconds > track.limits.maxSeconds) return { code: 'INVALID_PAYLOAD', message: `视频时长不能超过 ${Math.floor(track.limits.maxSeconds / 60)} 分钟` };
    if (forSubmit && (!c.videoUploadId || !c.coverUploadId)) return { code: 'INVALID_PAYLOAD', message: '请上传视频和封面' };
  }
  return null;
}

/** Whether the worker may submit (or replace, or withdraw) an entry in this track now. */
export function submissionRefusal(a: ActivityDoc, trackId: string, reg: RegistrationDoc | null, now: number): Refusal | null {
  const comp = a.competition;
  if (!comp || a.status !== 'published') return { code: 'INVALID_STATE', message: '该活动不接受作品' };
  if (!comp.tracks.some((t) => t.id === trackId)) return { code: 'NOT_FOUND', message: '没有这个赛道' };
  if (!reg || reg.state !== 'confirmed') return { code: 'FORBIDDEN', message: '请先报名参赛' };
  if (!reg.tracks.includes(trackId)) return { code: 'FORBIDDEN', message: '您没有报名这个赛道' };
  const state = windowState(comp.windows.submission, now);
  if (state === 'before') return { code: 'NOT_OPEN_YET', message: '作品提交尚未开始' };
  if (state === 'after') return { code: 'CLOSED', message: '作品提交已截止' };
  return null;
}

/** Pieces for msgSecCheck v2 (at most 2500 characters each), never splitting a character. */
export function secCheckPieces(text: string, size: number = LIMITS.secCheckChunk): string[] {
  const chars = [...text];
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}

/** The upload ids an entry's content refers to. */
export function uploadIdsOf(c: EntryContent): string[] {
  if (c.kind === 'photo') return c.photos.map((p) => p.uploadId);
  if (c.kind === 'video') return [c.videoUploadId, c.coverUploadId].filter(Boolean);
  return [];
}

export function emptyContent(kind: TrackKind): EntryContent {
  if (kind === 'essay') return { kind, title: '', text: '' };
  if (kind === 'photo') return { kind, title: '', photos: [] };
  return { kind, title: '', description: '', videoUploadId: '', coverUploadId: '', seconds: 0 };
}
