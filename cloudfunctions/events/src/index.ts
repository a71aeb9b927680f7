/**
 * Message push (消息推送): asynchronous media-check verdicts and subscription events. Answers
 * only the platform's push (SOURCE), never a client, so nobody can post a fake verdict.
 */
import { COLLECTIONS, err, ok, type EntryDoc, type MediaVerdict, type ModerationState, type Result, type UploadDoc } from '../../../miniprogram/core';
import { uploadIdsOf } from '../../../miniprogram/core/rules/entry';
import { _, caller, collection, getById, list, updateWhere } from '../../shared/cloud';
import { isMessagePush } from '../../shared/sources';

type Stored<T> = T & Record<string, unknown>;

export interface Handled {
  handled: string;
  changed: number;
}

function verdictOf(e: Record<string, unknown>): MediaVerdict | null {
  const result = e.result as { suggest?: unknown } | undefined;
  const s = result?.suggest;
  return s === 'pass' || s === 'review' || s === 'risky' ? s : null;
}

/** An entry's moderation once its images' verdicts are in: any risky rejects, any review waits for staff. */
export function moderationAfter(verdicts: (MediaVerdict | null)[]): ModerationState {
  if (verdicts.includes('risky')) return 'rejected';
  if (verdicts.includes('review')) return 'review';
  if (verdicts.every((v) => v === 'pass')) return 'approved';
  return 'pending';
}

async function mediaCheck(e: Record<string, unknown>): Promise<Result<Handled>> {
  const traceId = e.trace_id;
  const verdict = verdictOf(e);
  if (typeof traceId !== 'string' || !verdict) return err('BAD_REQUEST');
  const [upload] = await list<Stored<UploadDoc>>(collection(COLLECTIONS.uploads).where({ traceId }).limit(1));
  // A verdict for a file that is gone (replaced, deleted) changes nothing.
  if (!upload) return ok({ handled: 'wxa_media_check', changed: 0 });
  await updateWhere(COLLECTIONS.uploads, { _id: upload._id }, { verdict });
  const entry = await getById<Stored<EntryDoc>>(COLLECTIONS.entries, upload.entryId);
  const last = entry?.versions[entry.versions.length - 1];
  if (!entry || !last || entry.moderation !== 'pending') return ok({ handled: 'wxa_media_check', changed: 1 });
  const ids = uploadIdsOf(last.content);
  const uploads = await list<Stored<UploadDoc>>(collection(COLLECTIONS.uploads).where({ _id: _.in(ids) }).limit(ids.length));
  const next = moderationAfter(ids.map((id) => uploads.find((u) => u._id === id)?.verdict ?? null));
  if (next === 'pending') return ok({ handled: 'wxa_media_check', changed: 1 });
  const reason = next === 'rejected' ? '有照片未通过内容安全检测' : '';
  const n = await updateWhere(COLLECTIONS.entries, { _id: entry._id, moderation: 'pending', versions: _.size(entry.versions.length) }, { moderation: next, moderationReason: reason });
  return ok({ handled: 'wxa_media_check', changed: 1 + n });
}

export async function main(event: unknown): Promise<Result<Handled>> {
  if (!isMessagePush(caller().source)) return err('FORBIDDEN');
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return err('BAD_REQUEST');
  const e = event as Record<string, unknown>;
  if (e.MsgType !== 'event' || typeof e.Event !== 'string') return err('BAD_REQUEST');
  if (e.Event === 'wxa_media_check') return mediaCheck(e);
  // Other pushes (subscribe_msg_event: the opt-in ledger) are recorded by later modules.
  return ok({ handled: e.Event, changed: 0 });
}
