/**
 * The per-user, per-template ledger of subscription-message opt-ins (一次性订阅: one opt-in = one
 * message), and how the two reports of an opt-in land in it: the app's (`subscriptions.record`,
 * right after wx.requestSubscribeMessage answered) and WeChat's message push
 * (`subscribe_msg_popup_event`). Both report the same tap, so an accept from one source that
 * falls within MATCH_WINDOW_MS of an unmatched accept from the other is the same opt-in and
 * counts once; either alone still counts (a lost app call, or a deployment without the push).
 *
 * A push is applied once: its key (event, CreateTime, MsgID) is kept in `applied` (the latest
 * APPLIED_KEEP), so WeChat's retries and duplicate deliveries change nothing. Pure: the cloud
 * reads the ledger, applies an event here and writes it back guarded by `version`.
 */

export type SubscribeStatus = 'accept' | 'reject';

export interface SubscriptionLedger {
  /** sub_<user id>_<template id>: the opaque user id, never the OPENID. */
  _id: string;
  userId: string;
  templateId: string;
  /** Opt-ins left: messages that may still be sent. */
  balance: number;
  accepts: number;
  rejects: number;
  /** Messages WeChat reported delivered / not delivered (subscribe_msg_sent_event). */
  sent: number;
  failedSends: number;
  lastStatus: SubscribeStatus | null;
  lastError: { code: number; status: string; at: number } | null;
  /** Instants of accepts reported by one source and not (yet) by the other. */
  unmatchedApp: number[];
  unmatchedPush: number[];
  /** Keys of the pushes applied, latest last. */
  applied: string[];
  /** Bumped on every write (compare-and-set). */
  version: number;
  updatedAt: number;
}

/** What happened, as far as the ledger is concerned. */
export type LedgerEvent =
  | { source: 'app'; status: SubscribeStatus; at: number }
  | { source: 'push'; kind: 'popup' | 'change'; status: SubscribeStatus; key: string; at: number }
  | { source: 'push'; kind: 'sent'; errorCode: number; errorStatus: string; key: string; at: number };

/** The app's report and the push of the same tap arrive within this of each other. */
export const MATCH_WINDOW_MS = 10 * 60_000;
/** Unmatched reports older than this are dropped (the other report is not coming). */
const UNMATCHED_MAX_AGE_MS = 24 * 3600_000;
const UNMATCHED_KEEP = 20;
export const APPLIED_KEEP = 50;

export const ledgerId = (userId: string, templateId: string): string => `sub_${userId}_${templateId}`;

export function emptyLedger(userId: string, templateId: string, now: number): SubscriptionLedger {
  return {
    _id: ledgerId(userId, templateId),
    userId,
    templateId,
    balance: 0,
    accepts: 0,
    rejects: 0,
    sent: 0,
    failedSends: 0,
    lastStatus: null,
    lastError: null,
    unmatchedApp: [],
    unmatchedPush: [],
    applied: [],
    version: 0,
    updatedAt: now,
  };
}

/** A stored ledger, with the fields an older document lacks filled in. */
export function normaliseLedger(doc: Partial<SubscriptionLedger> & { _id: string; userId: string; templateId: string }, now: number): SubscriptionLedger {
  const base = emptyLedger(doc.userId, doc.templateId, now);
  const num = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) ? v : d);
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : []);
  return {
    ...base,
    _id: doc._id,
    balance: Math.max(0, num(doc.balance, 0)),
    accepts: num(doc.accepts, 0),
    rejects: num(doc.rejects, 0),
    sent: num(doc.sent, 0),
    failedSends: num(doc.failedSends, 0),
    lastStatus: doc.lastStatus === 'accept' || doc.lastStatus === 'reject' ? doc.lastStatus : null,
    lastError: doc.lastError ?? null,
    unmatchedApp: list(doc.unmatchedApp),
    unmatchedPush: list(doc.unmatchedPush),
    applied: Array.isArray(doc.applied) ? doc.applied.filter((x): x is string => typeof x === 'string') : [],
    version: num(doc.version, 0),
    updatedAt: num(doc.updatedAt, now),
  };
}

/** Takes the unmatched instant closest to `at` within the window out of `list`; true if one matched. */
function takeMatch(list: number[], at: number): boolean {
  let best = -1;
  for (let i = 0; i < list.length; i++) {
    const d = Math.abs(list[i]! - at);
    if (d <= MATCH_WINDOW_MS && (best < 0 || d < Math.abs(list[best]! - at))) best = i;
  }
  if (best < 0) return false;
  list.splice(best, 1);
  return true;
}

const fresh = (list: number[], at: number): number[] => list.filter((t) => at - t <= UNMATCHED_MAX_AGE_MS).slice(-UNMATCHED_KEEP);

/**
 * The ledger after an event, and whether anything changed (a push already applied changes
 * nothing). Never mutates its input.
 */
export function applyLedgerEvent(before: SubscriptionLedger, e: LedgerEvent): { ledger: SubscriptionLedger; changed: boolean } {
  if (e.source === 'push' && before.applied.includes(e.key)) return { ledger: before, changed: false };
  const l: SubscriptionLedger = {
    ...before,
    unmatchedApp: fresh(before.unmatchedApp, e.at),
    unmatchedPush: fresh(before.unmatchedPush, e.at),
    applied: e.source === 'push' ? [...before.applied, e.key].slice(-APPLIED_KEEP) : before.applied,
    lastError: before.lastError,
    updatedAt: e.at,
  };
  if (e.source === 'push' && e.kind === 'sent') {
    if (e.errorCode === 0) l.sent++;
    else {
      l.failedSends++;
      l.lastError = { code: e.errorCode, status: e.errorStatus, at: e.at };
    }
    return { ledger: l, changed: true };
  }
  l.lastStatus = e.status;
  if (e.status === 'reject') {
    l.rejects++;
    // Refusing in the settings (订阅消息管理 → 拒收) ends every opt-in: a send would fail.
    if (e.source === 'push' && e.kind === 'change') l.balance = 0;
    return { ledger: l, changed: true };
  }
  if (e.source === 'push' && e.kind === 'change') return { ledger: l, changed: true };
  // An accept: counted once whichever source reports it first.
  const mine = e.source === 'app' ? l.unmatchedApp : l.unmatchedPush;
  const theirs = e.source === 'app' ? l.unmatchedPush : l.unmatchedApp;
  if (!takeMatch(theirs, e.at)) {
    l.accepts++;
    l.balance++;
    mine.push(e.at);
  }
  return { ledger: l, changed: true };
}
