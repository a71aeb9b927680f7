/**
 * The subscription ledger (core/rules/subscriptions.ts) in the database: read, apply, write back
 * guarded by the version (compare-and-set, retried), so the app's report, WeChat's pushes and the
 * sends of results.publish never overwrite one another.
 */
import { COLLECTIONS } from '../../miniprogram/core';
import { applyLedgerEvent, emptyLedger, ledgerId, normaliseLedger, type LedgerEvent, type SubscriptionLedger } from '../../miniprogram/core/rules/subscriptions';
import { _, getById, insert, isDuplicateKeyError, updateWhere } from './cloud';

type Stored<T> = T & Record<string, unknown>;

const ATTEMPTS = 8;

/** Applies one event to a user's ledger for a template; answers the ledger after it and whether it changed. */
export async function applyToLedger(userId: string, templateId: string, e: LedgerEvent, now: number): Promise<{ ledger: SubscriptionLedger; changed: boolean }> {
  const id = ledgerId(userId, templateId);
  for (let i = 0; i < ATTEMPTS; i++) {
    const doc = await getById<Stored<SubscriptionLedger>>(COLLECTIONS.subscriptions, id);
    const before = doc ? normaliseLedger(doc, now) : emptyLedger(userId, templateId, now);
    const { ledger, changed } = applyLedgerEvent(before, e);
    if (!changed) return { ledger, changed };
    const next = { ...ledger, version: before.version + 1 };
    if (!doc) {
      try {
        await insert(COLLECTIONS.subscriptions, { ...next });
        return { ledger: next, changed };
      } catch (x) {
        if (!isDuplicateKeyError(x)) throw x;
        continue;
      }
    }
    const { _id, ...fields } = next;
    // Older documents have no version: they match on its absence.
    const guard = doc.version === undefined ? _.exists(false) : before.version;
    const n = await updateWhere(COLLECTIONS.subscriptions, { _id: id, version: guard }, {
      ...fields,
      unmatchedApp: _.set(next.unmatchedApp),
      unmatchedPush: _.set(next.unmatchedPush),
      applied: _.set(next.applied),
      lastError: next.lastError === null ? null : _.set(next.lastError),
    });
    if (n === 1) return { ledger: next, changed };
  }
  throw new Error(`subscription ledger ${id}: too many concurrent writes`);
}

/** Spends one opt-in (a message is about to be sent); false when none is left. */
export async function spendOptIn(userId: string, templateId: string): Promise<boolean> {
  return (await updateWhere(COLLECTIONS.subscriptions, { _id: ledgerId(userId, templateId), balance: _.gt(0) }, { balance: _.inc(-1), version: _.inc(1) })) === 1;
}

/** WeChat refused the send (no opt-in after all): the ledger is emptied. */
export async function clearOptIns(userId: string, templateId: string): Promise<void> {
  await updateWhere(COLLECTIONS.subscriptions, { _id: ledgerId(userId, templateId) }, { balance: 0, version: _.inc(1) });
}
