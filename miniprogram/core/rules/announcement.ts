/**
 * Announcement images, shared by the editor (checks before an upload starts) and the api function
 * (the same checks on what actually arrived, never trusting the phone).
 */
import type { AnnouncementImageDoc, AnnouncementImageState } from '../domain';
import { LIMITS } from '../limits';
import { DAY } from '../time';
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

/** How long an image file outlives its use before the timer deletes it (a day, so an editor open meanwhile loses nothing). */
export const ANNOUNCEMENT_IMAGE_GRACE = DAY;

/** Images a save may put into their announcement: confirmed, saved before, or dropped and not yet deleted. */
export const SAVABLE_IMAGE_STATES: readonly AnnouncementImageState[] = ['uploaded', 'attached', 'removed'];

/**
 * What the timer does with an announcement image row, given whether its announcement shows the file
 * now: `attach` (it is in use: record it), `delete` (file and row), or `wait`.
 *  - a ticket never confirmed: a day after it expired (the file may sit at its path all the same);
 *  - a file refused at confirm: a day after the refusal;
 *  - a confirmed file never saved into its announcement (or whose announcement was never saved),
 *    and one a later edit dropped: a day after confirmation / removal, unless the announcement
 *    shows it again by then.
 * Attached images stay however old (a withdrawn announcement keeps its images: staff still open it).
 */
export function imageFate(
  row: Pick<AnnouncementImageDoc, 'state' | 'expiresAt' | 'createdAt' | 'updatedAt'>,
  shown: boolean,
  now: number,
): 'attach' | 'delete' | 'wait' {
  const since = row.updatedAt ?? row.createdAt;
  switch (row.state) {
    case 'issued':
      return now > row.expiresAt + ANNOUNCEMENT_IMAGE_GRACE ? 'delete' : 'wait';
    case 'rejected':
      return now > since + ANNOUNCEMENT_IMAGE_GRACE ? 'delete' : 'wait';
    case 'uploaded':
    case 'removed':
      if (shown) return 'attach';
      return now > since + ANNOUNCEMENT_IMAGE_GRACE ? 'delete' : 'wait';
    default:
      return 'wait';
  }
}
