/**
 * Announcement images, shared by the editor (checks before an upload starts) and the api function
 * (the same checks on what actually arrived, never trusting the phone).
 */
import { LIMITS } from '../limits';
import type { Refusal } from './registration';

export type AnnouncementImageExt = 'jpg' | 'png';

const mb = (bytes: number): string => `${Math.round((bytes / 1024 / 1024) * 10) / 10}MB`;

/** Why this file may not become an announcement image, or null. */
export function announcementImageRefusal(ext: string, size: number): Refusal | null {
  if (ext !== 'jpg' && ext !== 'png') return { code: 'FILE_REJECTED', message: '图片请使用 JPG 或 PNG 格式' };
  if (size <= 0) return { code: 'FILE_REJECTED', message: '文件是空的' };
  if (size > LIMITS.announcementImageMaxBytes)
    return { code: 'FILE_REJECTED', message: `图片太大（${mb(size)}），不能超过 ${mb(LIMITS.announcementImageMaxBytes)}` };
  return null;
}

/** The path part of a cloud file ID (cloud://<env>.<bucket>/<path>), or null. */
export function cloudPathOf(fileID: string): string | null {
  return /^cloud:\/\/[^/]+\/(.+)$/.exec(fileID)?.[1] ?? null;
}

/** Whether a cloud path lies under an announcement's own image folder. */
export function isAnnouncementImagePath(path: string, announcementId: string): boolean {
  return path.startsWith(`announcements/${announcementId}/`) && !path.slice(`announcements/${announcementId}/`.length).includes('/');
}

/**
 * The announcement's state as staff see it: withdrawn wins, then scheduled (publishes later),
 * else published.
 */
export function announcementState(a: { withdrawn: boolean; publishAt: number }, now: number): 'published' | 'scheduled' | 'withdrawn' {
  if (a.withdrawn) return 'withdrawn';
  return a.publishAt > now ? 'scheduled' : 'published';
}

/** Body text as paragraphs: split on line breaks, blank lines dropped, each trimmed. */
export function paragraphsOf(body: string): string[] {
  return body
    .split(/\r?\n/)
    .map((x) => x.trim())
    .filter((x) => x !== '');
}
