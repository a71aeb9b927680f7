/** The api router's pipeline, through the local cloud's HTTP face with the real wx-server-sdk. */
import { COLLECTIONS } from '../../../miniprogram/core';
import { startHarness, type Harness } from '../harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

const LI = 'demo-worker-li';

describe('the api router', () => {
  it('refuses an unknown action', async () => {
    const r = await h.raw('/functions/api', JSON.stringify({ action: 'users.dropAll', payload: {} }), { 'X-Local-Openid': LI });
    expect(r.json).toMatchObject({ ok: false, code: 'UNKNOWN_ACTION' });
  });

  it('refuses a caller WeChat did not identify', async () => {
    expect(await h.api(null, 'home.get', {})).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
  });

  it('refuses an event that is not an object before the function runs', async () => {
    const r = await h.raw('/functions/api', '[1,2,3]', { 'X-Local-Openid': LI });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ errCode: -501007 });
  });

  it('answers BAD_REQUEST when the event has no action', async () => {
    const r = await h.raw('/functions/api', JSON.stringify({ payload: {} }), { 'X-Local-Openid': LI });
    expect(r.json).toMatchObject({ ok: false, code: 'UNKNOWN_ACTION' });
  });

  it('refuses extra fields beside action and payload', async () => {
    const r = await h.raw('/functions/api', JSON.stringify({ action: 'home.get', payload: {}, openid: 'demo-admin' }), { 'X-Local-Openid': LI });
    expect(r.json).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
  });

  it('refuses an openid smuggled into a payload, naming the field', async () => {
    const r = await h.api(LI, 'activities.detail', { id: 'act_culture_2022', openid: 'demo-admin' } as never);
    expect(r).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD', field: 'payload.openid' });
  });

  it('refuses a payload of the wrong type with a Chinese message', async () => {
    const r = await h.api(LI, 'activities.detail', { id: 42 } as never);
    expect(r).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD', field: 'payload.id' });
    if (!r.ok) expect(r.message).toMatch(/应为文本/);
  });

  it('refuses deeply nested payloads before validating them', async () => {
    let deep: unknown = {};
    for (let i = 0; i < 50; i++) deep = { a: deep };
    const r = await h.api(LI, 'home.get', deep as never);
    expect(r).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD' });
  });

  it('answers malformed JSON with a 400 and runs nothing', async () => {
    const r = await h.raw('/functions/api', '{"action":', { 'X-Local-Openid': LI });
    expect(r.status).toBe(400);
  });

  it('asks a first-time visitor for consent before member actions', async () => {
    const r = await h.api('someone-new', 'registrations.mine', {});
    expect(r).toMatchObject({ ok: false, code: 'CONSENT_REQUIRED' });
  });

  it('changes nothing when it refuses', async () => {
    const before = (await h.cloud.engine.find(COLLECTIONS.users)).length;
    await h.api('someone-new', 'profile.save', { realName: '张三', phone: '13800001111', unitId: 'unit_linping', enterprise: '某公司' });
    await h.api('someone-new', 'profile.consent', { version: 'not-the-current-one' });
    expect((await h.cloud.engine.find(COLLECTIONS.users)).length).toBe(before);
  });

  it('never answers with an OPENID', async () => {
    const me = await h.api(LI, 'session.me', {});
    expect(JSON.stringify(me)).not.toContain(LI);
  });
});
