/**
 * WeChat's subscription-message pushes (subscribe_msg_popup_event / _change_event / _sent_event)
 * delivered to the `events` function through the local cloud (/_control/push), applied to the
 * per-user ledger that subscriptions.record and results.publish use: once per push however often
 * it is delivered, once per opt-in whether the app or the push reports it first, bad pushes
 * ignored with nothing written, never an OPENID stored.
 */
import { COLLECTIONS } from '../../../miniprogram/core';
import { userKey } from '../../../cloudfunctions/shared/ids';
import { ID_SECRET, data, startHarness, type Harness } from '../harness';
import { changes, describeChanges, snapshot } from '../security/snapshot';

let h: Harness;
const LI = 'demo-worker-li';
const WANG = 'demo-worker-wang';
const ledger = async (openid: string, template: string) => (await h.cloud.engine.find(COLLECTIONS.subscriptions, { _id: `sub_${userKey(ID_SECRET, openid)}_${template}` }))[0];

interface PushAnswer {
  function: string;
  ok: boolean;
  result?: { ok: boolean; data?: { handled: string; changed: number }; code?: string };
}
const push = (message: Record<string, unknown>) => h.control('push', { MsgType: 'event', ToUserName: 'gh_000000000000', ...message }) as Promise<PushAnswer>;
const popup = (openid: string, createTime: number | string, list: unknown) => push({ Event: 'subscribe_msg_popup_event', FromUserName: openid, CreateTime: createTime, List: list });
const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  h = await startHarness();
}, 60_000);
afterAll(() => h.stop());

describe('subscribe_msg_popup_event', () => {
  it('counts an accept once, however often WeChat delivers the push', async () => {
    const t = now() - 3600;
    const first = await popup(LI, t, [{ TemplateId: 'TPL_A', SubscribeStatusString: 'accept', PopupScene: '0' }]);
    expect(first).toMatchObject({ function: 'events', ok: true, result: { ok: true, data: { handled: 'subscribe_msg_popup_event', changed: 1 } } });
    const again = await popup(LI, String(t), { TemplateId: 'TPL_A', SubscribeStatusString: 'accept', PopupScene: '0' });
    expect(again.result).toMatchObject({ ok: true, data: { changed: 0 } });
    expect(await ledger(LI, 'TPL_A')).toMatchObject({ balance: 1, accepts: 1, lastStatus: 'accept' });
    // A later tap is a new opt-in.
    await popup(LI, t + 60, [{ TemplateId: 'TPL_A', SubscribeStatusString: 'accept' }]);
    expect(await ledger(LI, 'TPL_A')).toMatchObject({ balance: 2, accepts: 2 });
  });

  it('and the app\'s own report of the same tap count as one opt-in', async () => {
    const r = data(await h.api(LI, 'subscriptions.record', { templateId: 'TPL_B', accepted: true }));
    expect(r.balance).toBe(1);
    await popup(LI, now(), [{ TemplateId: 'TPL_B', SubscribeStatusString: 'accept' }]);
    expect(await ledger(LI, 'TPL_B')).toMatchObject({ balance: 1, accepts: 1, unmatchedApp: [], unmatchedPush: [] });
    // The push first, then the app: still one.
    await popup(WANG, now(), [{ TemplateId: 'TPL_B', SubscribeStatusString: 'accept' }]);
    expect(data(await h.api(WANG, 'subscriptions.record', { templateId: 'TPL_B', accepted: true })).balance).toBe(1);
  });

  it('records a reject per template without touching the other templates of the push', async () => {
    await popup(LI, now() - 10, [
      { TemplateId: 'TPL_A', SubscribeStatusString: 'reject' },
      { TemplateId: 'TPL_C', SubscribeStatusString: 'accept' },
    ]);
    expect(await ledger(LI, 'TPL_A')).toMatchObject({ balance: 2, rejects: 1, lastStatus: 'reject' });
    expect(await ledger(LI, 'TPL_C')).toMatchObject({ balance: 1, accepts: 1 });
  });
});

describe('subscribe_msg_change_event', () => {
  it('a reject in the settings ends the opt-ins left, once', async () => {
    const msg = { Event: 'subscribe_msg_change_event', FromUserName: LI, CreateTime: now(), List: [{ TemplateId: 'TPL_A', SubscribeStatusString: 'reject' }] };
    expect((await push(msg)).result).toMatchObject({ ok: true, data: { changed: 1 } });
    expect((await push(msg)).result).toMatchObject({ ok: true, data: { changed: 0 } });
    expect(await ledger(LI, 'TPL_A')).toMatchObject({ balance: 0, rejects: 2 });
  });
});

describe('subscribe_msg_sent_event', () => {
  it('records a failed send (ErrorCode ≠ 0) once, and a delivered one', async () => {
    const failed = { Event: 'subscribe_msg_sent_event', FromUserName: LI, CreateTime: now(), List: { TemplateId: 'TPL_C', MsgID: '1864323726461255680', ErrorCode: '20001', ErrorStatus: 'fail: user refuse to accept the msg' } };
    await push(failed);
    await push(failed);
    await push({ ...failed, List: { ...failed.List, MsgID: '1864323726461255681', ErrorCode: 0, ErrorStatus: 'success' } });
    expect(await ledger(LI, 'TPL_C')).toMatchObject({ failedSends: 1, sent: 1, lastError: { code: 20001, status: 'fail: user refuse to accept the msg' }, balance: 1 });
  });
});

describe('bad pushes', () => {
  it('are ignored safely: nothing written, never INTERNAL', async () => {
    const before = await snapshot(h);
    const cases: Record<string, unknown>[] = [
      { Event: 'subscribe_msg_popup_event', CreateTime: now(), List: [{ TemplateId: 'TPL_A', SubscribeStatusString: 'accept' }] },
      { Event: 'subscribe_msg_popup_event', FromUserName: LI, CreateTime: 'yesterday', List: [{ TemplateId: 'TPL_A', SubscribeStatusString: 'accept' }] },
      { Event: 'subscribe_msg_popup_event', FromUserName: LI, CreateTime: now() + 1, List: 'accept' },
      { Event: 'subscribe_msg_popup_event', FromUserName: LI, CreateTime: now() + 2, List: [null, 7, [], { TemplateId: 'TPL_A' }, { TemplateId: 'TPL_A', SubscribeStatusString: 'maybe' }] },
      { Event: 'subscribe_msg_popup_event', FromUserName: LI, CreateTime: now() + 3, List: [{ TemplateId: '../users', SubscribeStatusString: 'accept' }, { TemplateId: { $gt: '' }, SubscribeStatusString: 'accept' }] },
      { Event: 'subscribe_msg_sent_event', FromUserName: LI, CreateTime: now() + 4, List: [{ TemplateId: 'TPL_A', MsgID: '1', ErrorCode: 'NaN' }] },
      // Someone with no account: nothing is created for them.
      { Event: 'subscribe_msg_popup_event', FromUserName: 'never-seen-openid', CreateTime: now(), List: [{ TemplateId: 'TPL_A', SubscribeStatusString: 'accept' }] },
    ];
    for (const c of cases) {
      const r = await push(c);
      expect(r.ok).toBe(true);
      expect(r.result?.code).not.toBe('INTERNAL');
      if (r.result?.ok) expect(r.result.data?.changed).toBe(0);
      else expect(r.result?.code).toBe('BAD_REQUEST');
    }
    expect(describeChanges(changes(before, await snapshot(h)))).toBe('');
  });

  it('from a client are refused (FORBIDDEN), changing nothing', async () => {
    const before = await snapshot(h);
    const r = await h.raw('/functions/events', JSON.stringify({ MsgType: 'event', Event: 'subscribe_msg_popup_event', FromUserName: LI, CreateTime: now(), List: [{ TemplateId: 'TPL_A', SubscribeStatusString: 'accept' }] }), { 'X-Local-Openid': LI });
    expect(r.json).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(describeChanges(changes(before, await snapshot(h)))).toBe('');
  });

  it('leave no OPENID in the ledger', async () => {
    const docs = await h.cloud.engine.find(COLLECTIONS.subscriptions);
    expect(docs.length).toBeGreaterThan(0);
    expect(JSON.stringify(docs)).not.toMatch(/demo-worker/);
  });
});
