/**
 * Message push (消息推送): asynchronous media-check verdicts and subscription events. Answers
 * only the platform's push (SOURCE), never a client, so nobody can post a fake verdict.
 */
import { COLLECTIONS, err, ok, type EntryDoc, type MediaVerdict, type ModerationState, type Result, type UploadDoc } from '../../../miniprogram/core';
import { uploadIdsOf } from '../../../miniprogram/core/rules/entry';
import type { LedgerEvent, SubscribeStatus } from '../../../miniprogram/core/rules/subscriptions';
import { _, caller, collection, getById, list, updateWhere } from '../../shared/cloud';
import { userIdFor } from '../../shared/ids';
import { isMessagePush } from '../../shared/sources';
import { applyToLedger } from '../../shared/subscriptions';

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

// ---- subscribe_msg_event: the opt-in ledger --------------------------------------------------

/**
 * WeChat's subscription-message pushes (消息推送, JSON): the user's choice in the popup, a change in
 * the settings (only 拒收 is pushed), and the outcome of a send. Items come as `List`, an array, or
 * a single object when there is one (seen in the wild); XML-shaped JSON nests them one level
 * deeper (`SubscribeMsgPopupEvent.List`). CreateTime and ErrorCode may be numbers or strings.
 */
const SUBSCRIBE_EVENTS = {
  subscribe_msg_popup_event: { kind: 'popup', wrapper: 'SubscribeMsgPopupEvent' },
  subscribe_msg_change_event: { kind: 'change', wrapper: 'SubscribeMsgChangeEvent' },
  subscribe_msg_sent_event: { kind: 'sent', wrapper: 'SubscribeMsgSentEvent' },
} as const;
type SubscribeKind = (typeof SUBSCRIBE_EVENTS)[keyof typeof SUBSCRIBE_EVENTS];

const TEMPLATE_ID = /^[A-Za-z0-9_-]{1,128}$/;
const MAX_ITEMS = 20;

function itemsOf(e: Record<string, unknown>, wrapper: string): Record<string, unknown>[] {
  const nested = e[wrapper] as Record<string, unknown> | undefined;
  const raw = e.List ?? (typeof nested === 'object' && nested !== null ? nested.List : undefined);
  const list = Array.isArray(raw) ? raw : raw !== undefined ? [raw] : [];
  return list.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x)).slice(0, MAX_ITEMS);
}

/** A whole number given as a number or a string of digits (WeChat sends both), else null. */
function whole(v: unknown): number | null {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d{1,15}$/.test(v)) return Number(v);
  return null;
}

function statusOf(v: unknown): SubscribeStatus | null {
  if (v === 'accept' || v === 'acceptWithAudio' || v === 'acceptWithAlert') return 'accept';
  if (v === 'reject') return 'reject';
  return null;
}

async function subscribeEvent(e: Record<string, unknown>, how: SubscribeKind): Promise<Result<Handled>> {
  const handled = String(e.Event);
  const openid = e.FromUserName;
  const createTime = whole(e.CreateTime);
  if (typeof openid !== 'string' || openid.length === 0 || openid.length > 128 || createTime === null || createTime <= 0) return err('BAD_REQUEST');
  // The ledger is keyed by the opaque user id; pushes about someone who has no account change nothing.
  const userId = userIdFor(openid);
  if (!(await getById(COLLECTIONS.users, userId))) return ok({ handled, changed: 0 });
  const at = createTime * 1000;
  let changed = 0;
  for (const item of itemsOf(e, how.wrapper)) {
    const templateId = item.TemplateId;
    if (typeof templateId !== 'string' || !TEMPLATE_ID.test(templateId)) continue;
    let event: LedgerEvent;
    if (how.kind === 'sent') {
      const code = whole(item.ErrorCode);
      const msgId = typeof item.MsgID === 'string' || typeof item.MsgID === 'number' ? String(item.MsgID) : '';
      if (code === null) continue;
      const status = typeof item.ErrorStatus === 'string' ? item.ErrorStatus.slice(0, 100) : '';
      event = { source: 'push', kind: 'sent', errorCode: code, errorStatus: status, key: `sent:${createTime}:${msgId}`, at };
    } else {
      const status = statusOf(item.SubscribeStatusString);
      if (!status) continue;
      event = { source: 'push', kind: how.kind, status, key: `${how.kind}:${createTime}`, at };
    }
    if ((await applyToLedger(userId, templateId, event, Date.now())).changed) changed++;
  }
  return ok({ handled, changed });
}

export async function main(event: unknown): Promise<Result<Handled>> {
  if (!isMessagePush(caller().source)) return err('FORBIDDEN');
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return err('BAD_REQUEST');
  const e = event as Record<string, unknown>;
  if (e.MsgType !== 'event' || typeof e.Event !== 'string') return err('BAD_REQUEST');
  if (e.Event === 'wxa_media_check') return mediaCheck(e);
  if (e.Event in SUBSCRIBE_EVENTS) return subscribeEvent(e, SUBSCRIBE_EVENTS[e.Event as keyof typeof SUBSCRIBE_EVENTS]);
  return ok({ handled: e.Event, changed: 0 });
}
