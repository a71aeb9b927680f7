/**
 * The subscription ledger (core/rules/subscriptions.ts): one opt-in per tap whichever report
 * arrives first (the app's or WeChat's push), a push applied once, rejects and failed sends
 * recorded.
 */
import { APPLIED_KEEP, MATCH_WINDOW_MS, applyLedgerEvent, emptyLedger, normaliseLedger, type LedgerEvent, type SubscriptionLedger } from '../../miniprogram/core/rules/subscriptions';

const T = 1_700_000_000_000;
function run(events: LedgerEvent[], start: SubscriptionLedger = emptyLedger('u_1', 'TPL', T)): SubscriptionLedger {
  return events.reduce((l, e) => applyLedgerEvent(l, e).ledger, start);
}
const app = (at: number): LedgerEvent => ({ source: 'app', status: 'accept', at });
const popup = (at: number, status: 'accept' | 'reject' = 'accept'): LedgerEvent => ({ source: 'push', kind: 'popup', status, key: `popup:${Math.floor(at / 1000)}`, at });

describe('the subscription ledger', () => {
  it('counts an accept reported by the app and by the push once, in either order', () => {
    expect(run([app(T + 2000), popup(T)]).balance).toBe(1);
    expect(run([popup(T), app(T + 2000)]).balance).toBe(1);
    expect(run([popup(T), app(T + 2000)])).toMatchObject({ accepts: 1, unmatchedApp: [], unmatchedPush: [] });
  });

  it('counts two taps as two, and reports too far apart as separate opt-ins', () => {
    expect(run([app(T), app(T + 5000), popup(T), popup(T + 5000)]).balance).toBe(2);
    expect(run([app(T), popup(T + MATCH_WINDOW_MS + 1000)]).balance).toBe(2);
  });

  it('applies a push once, however often it is delivered', () => {
    const once = run([popup(T)]);
    const r = applyLedgerEvent(once, popup(T));
    expect(r.changed).toBe(false);
    expect(r.ledger).toBe(once);
    expect(run([popup(T), popup(T), popup(T)]).balance).toBe(1);
  });

  it('keeps only the latest push keys', () => {
    const many = run(Array.from({ length: APPLIED_KEEP + 10 }, (_, i) => popup(T + i * 3600_000)));
    expect(many.applied).toHaveLength(APPLIED_KEEP);
    expect(many.balance).toBe(APPLIED_KEEP + 10);
  });

  it('records a popup reject without spending opt-ins; a reject in the settings ends them', () => {
    const l = run([popup(T), popup(T + 60_000, 'reject')]);
    expect(l).toMatchObject({ balance: 1, rejects: 1, lastStatus: 'reject' });
    const changed = run([{ source: 'push', kind: 'change', status: 'reject', key: 'change:1', at: T + 120_000 }], l);
    expect(changed).toMatchObject({ balance: 0, rejects: 2 });
  });

  it('records failed and delivered sends', () => {
    const l = run([
      { source: 'push', kind: 'sent', errorCode: 20001, errorStatus: 'fail: user refuse', key: 'sent:1:a', at: T },
      { source: 'push', kind: 'sent', errorCode: 20001, errorStatus: 'fail: user refuse', key: 'sent:1:a', at: T },
      { source: 'push', kind: 'sent', errorCode: 0, errorStatus: 'success', key: 'sent:2:b', at: T },
    ]);
    expect(l).toMatchObject({ failedSends: 1, sent: 1, lastError: { code: 20001, status: 'fail: user refuse', at: T } });
  });

  it('never changes the ledger it is given', () => {
    const l = run([app(T)]);
    const copy = structuredClone(l);
    applyLedgerEvent(l, popup(T));
    expect(l).toEqual(copy);
  });

  it('reads an older document (balance only) as a ledger', () => {
    const l = normaliseLedger({ _id: 'sub_u_1_TPL', userId: 'u_1', templateId: 'TPL', balance: 3 }, T);
    expect(l).toMatchObject({ balance: 3, accepts: 0, applied: [], version: 0 });
    expect(run([app(T)], l).balance).toBe(4);
  });
});
