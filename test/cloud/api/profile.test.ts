import { CONSENT_VERSION, COLLECTIONS, DAY } from '../../../miniprogram/core';
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

describe("deleting an account gives its seats back", () => {
  const GONE = 'leaving-worker';
  const FIRST = 'waiting-first';
  const SECOND = 'waiting-second';
  const HOLDER = 'seat-holder';
  const reg = async (openid: string, activityId: string) => data(await h.api(openid, 'registrations.create', { activityId, tracks: [], answers: [] })).registration;
  const regDoc = async (id: string) => (await h.cloud.engine.find(COLLECTIONS.registrations, { _id: id }))[0]!;
  const activity = async (id: string) => (await h.cloud.engine.find(COLLECTIONS.activities, { _id: id }))[0]!;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    const [template] = await h.cloud.engine.find(COLLECTIONS.activities, { _id: 'act_exchange_01' });
    const now = h.cloud.clock.now();
    await h.cloud.engine.insertMany(COLLECTIONS.activities, [
      // One seat, wanted by three.
      { ...template, _id: 'act_one_seat', capacity: 1, taken: 0, waitlisted: 0 },
      // One seat, held by someone else: the leaving worker only waits.
      { ...template, _id: 'act_queue', capacity: 1, taken: 0, waitlisted: 0 },
      // Already over: what happened stays on record.
      { ...template, _id: 'act_over', capacity: 1, taken: 1, waitlisted: 1, time: { start: now - 3 * DAY, end: now - 2 * DAY }, signup: { start: now - 9 * DAY, end: now - 4 * DAY } },
    ]);
    for (const w of [GONE, FIRST, SECOND, HOLDER]) {
      await h.api(w, 'profile.consent', { version: CONSENT_VERSION });
      data(await h.api(w, 'profile.save', profile));
    }
    expect((await reg(GONE, 'act_one_seat')).state).toBe('confirmed');
    expect((await reg(FIRST, 'act_one_seat')).state).toBe('waitlisted');
    expect((await reg(SECOND, 'act_one_seat')).state).toBe('waitlisted');
    expect((await reg(HOLDER, 'act_queue')).state).toBe('confirmed');
    expect((await reg(GONE, 'act_queue')).state).toBe('waitlisted');
    // The ended activity's registrations, as they were left when it ran.
    for (const w of [GONE, FIRST, SECOND]) keys[w] = await h.idKey(w);
    const gone = keys[GONE]!;
    const [me] = await h.cloud.engine.find(COLLECTIONS.users, { openid: GONE });
    const past = { activityId: 'act_over', tracks: [], answers: [], realName: profile.realName, phone: profile.phone, unitId: profile.unitId, reason: '', checkedInAt: null, createdAt: now - 5 * DAY, updatedAt: now - 5 * DAY, seq: now - 5 * DAY };
    await h.cloud.engine.insertMany(COLLECTIONS.registrations, [
      { ...past, _id: `reg_act_over_${gone}`, userId: me!._id, state: 'confirmed' },
      { ...past, _id: 'reg_act_over_someone', userId: 'u_someone', state: 'waitlisted', seq: now - 4 * DAY },
    ]);
  });

  it("cancels a deleted worker's registration and gives the seat to the first on the waitlist", async () => {
    const [gone, first, second] = [keys[GONE]!, keys[FIRST]!, keys[SECOND]!];
    const before = await activity('act_one_seat');
    expect(before).toMatchObject({ taken: 1, waitlisted: 2 });
    expect(await h.api(GONE, 'profile.delete', { confirm: '删除' })).toEqual({ ok: true, data: { deleted: true } });

    expect(await regDoc(`reg_act_one_seat_${gone}`)).toMatchObject({ state: 'cancelled', reason: '账号已注销', userId: 'deleted', realName: '', phone: '' });
    expect((await regDoc(`reg_act_one_seat_${first}`)).state).toBe('confirmed');
    expect((await regDoc(`reg_act_one_seat_${second}`)).state).toBe('waitlisted');
    expect(await activity('act_one_seat')).toMatchObject({ taken: 1, waitlisted: 1 });
    // The promoted worker sees a confirmed seat with a check-in code; the next one moved up.
    const mine = data(await h.api(FIRST, 'registrations.mine', {})).items.find((r) => r.activityId === 'act_one_seat');
    expect(mine?.checkinCode).toMatch(/^c1\./);
    expect(data(await h.api(SECOND, 'activities.detail', { id: 'act_one_seat' })).mine?.waitlistPosition).toBe(1);
  });

  it('takes a deleted worker off a waitlist without touching the seat held by someone else', async () => {
    expect(await regDoc(`reg_act_queue_${keys[GONE]!}`)).toMatchObject({ state: 'cancelled', reason: '账号已注销', userId: 'deleted' });
    const rows = await h.cloud.engine.find(COLLECTIONS.registrations, { activityId: 'act_queue' });
    expect(rows.map((r) => r.state).sort()).toEqual(['cancelled', 'confirmed']);
    expect(await activity('act_queue')).toMatchObject({ taken: 1, waitlisted: 0 });
  });

  it("leaves an ended activity's registrations and seats as they were, anonymised", async () => {
    expect(await regDoc(`reg_act_over_${keys[GONE]!}`)).toMatchObject({ state: 'confirmed', reason: '', userId: 'deleted', realName: '', phone: '', unitId: '' });
    expect(await regDoc('reg_act_over_someone')).toMatchObject({ state: 'waitlisted' });
    expect(await activity('act_over')).toMatchObject({ taken: 1, waitlisted: 1 });
  });

  it('counts the cancellations on the deletion in the audit trail, without naming the registrations', async () => {
    const deletions = await h.cloud.engine.find(COLLECTIONS.audit, { what: 'profile.delete', 'detail.cancelled': 2 });
    expect(deletions).toHaveLength(1);
    expect(await h.cloud.engine.find(COLLECTIONS.audit, { what: 'registration.cancel', by: deletions[0]!.by })).toHaveLength(0);
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
