import { CONSENT_VERSION, COLLECTIONS } from '../../../miniprogram/core';
import { data, startHarness, type Harness } from '../harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

const NEW = 'fresh-worker-1';
const SPORTS = 'act_sports_2022';
const profile = { realName: '张三', phone: '13800001111', unitId: 'unit_linping', enterprise: '临平纺织有限公司' };

describe('consent and profile', () => {
  it('knows nobody before consent, and stores nothing', async () => {
    const r = data(await h.api(NEW, 'session.me', {}));
    expect(r).toEqual({ me: null, consentVersion: CONSENT_VERSION });
  });

  it('refuses a profile before consent', async () => {
    expect(await h.api(NEW, 'profile.save', profile)).toMatchObject({ ok: false, code: 'CONSENT_REQUIRED' });
  });

  it('records consent once, however often it is sent', async () => {
    const results = await Promise.all([1, 2, 3].map(() => h.api(NEW, 'profile.consent', { version: CONSENT_VERSION })));
    for (const r of results) expect(r.ok).toBe(true);
    const users = await h.cloud.engine.find(COLLECTIONS.users, { openid: NEW });
    expect(users).toHaveLength(1);
    expect(users[0]!._id).toMatch(/^u_/);
    expect(String(users[0]!._id)).not.toContain(NEW);
  });

  it('saves the profile and shows it back to its owner', async () => {
    const r = data(await h.api(NEW, 'profile.save', profile));
    expect(r.me).toMatchObject({ realName: '张三', phone: '13800001111', unitName: '临平街道总工会', profileComplete: true });
  });

  it('refuses a unit that does not exist', async () => {
    const r = await h.api(NEW, 'profile.save', { ...profile, unitId: 'unit_nowhere' });
    expect(r).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD', field: 'payload.unitId' });
  });

  it('refuses a malformed phone number and keeps the stored one', async () => {
    const r = await h.api(NEW, 'profile.save', { ...profile, phone: '12345' });
    expect(r).toMatchObject({ ok: false, field: 'payload.phone' });
    expect(data(await h.api(NEW, 'session.me', {})).me?.phone).toBe('13800001111');
  });

  it('shows a worker what is stored about them', async () => {
    const r = data(await h.api(NEW, 'profile.export', {}));
    expect(r.me.realName).toBe('张三');
    expect(r.registrations).toBe(0);
  });

  it('counts a worker\'s answers to opinion calls in what is stored about them', async () => {
    const survey = data(await h.api(NEW, 'opinions.get', { activityId: SPORTS }));
    const answers = (survey.solicitation?.questions ?? []).flatMap((q) =>
      q.type === 'text' ? [] : [{ questionId: q.id, choices: [0], text: '' }],
    );
    data(await h.api(NEW, 'opinions.submit', { activityId: SPORTS, answers, consent: true }));
    expect(data(await h.api(NEW, 'profile.export', {})).opinions).toBe(1);
  });

  it('deletes a worker\'s data on request, their answers to opinion calls too', async () => {
    const [me] = await h.cloud.engine.find(COLLECTIONS.users, { openid: NEW });
    expect(await h.cloud.engine.find(COLLECTIONS.opinions, { userId: me!._id })).toHaveLength(1);
    expect(await h.api(NEW, 'profile.delete', { confirm: '删除' })).toEqual({ ok: true, data: { deleted: true } });
    expect(await h.cloud.engine.find(COLLECTIONS.opinions, { userId: me!._id })).toHaveLength(0);
    expect(await h.cloud.engine.find(COLLECTIONS.users, { openid: NEW })).toHaveLength(0);
    expect(data(await h.api(NEW, 'session.me', {})).me).toBeNull();
  });
});

describe('roles', () => {
  it('makes the deployment\'s admin an admin whatever the document says', async () => {
    await h.api('demo-admin', 'profile.consent', { version: CONSENT_VERSION });
    expect(data(await h.api('demo-admin', 'session.me', {})).me?.role).toBe('admin');
  });

  it('reads the staff role from the seeded user', async () => {
    expect(data(await h.api('demo-staff-chen', 'session.me', {})).me?.role).toBe('staff');
  });
});
