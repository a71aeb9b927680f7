import { COLLECTIONS, CONSENT_VERSION, DAY } from '../../../miniprogram/core';
import { data, startHarness, type Harness } from '../harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

const LI = 'demo-worker-li';
const WANG = 'demo-worker-wang';

async function member(openid: string, unitId = 'unit_linping') {
  await h.api(openid, 'profile.consent', { version: CONSENT_VERSION });
  const r = await h.api(openid, 'profile.save', { realName: '测试职工', phone: '13900000000', unitId, enterprise: '测试企业' });
  if (!r.ok) throw new Error(r.message);
}

describe('registering for an activity', () => {
  it('confirms a seat and shows a signed check-in code', async () => {
    const r = data(await h.api(LI, 'registrations.create', { activityId: 'act_course_photo', tracks: [], answers: [] }));
    expect(r.registration.state).toBe('confirmed');
    expect(r.registration.checkinCode).toMatch(/^c1\.reg_act_course_photo_k_[\w-]+\.[\w-]{16}$/);
    expect(r.registration.checkinCode).not.toContain(LI);
    const [a] = await h.cloud.engine.find(COLLECTIONS.activities, { _id: 'act_course_photo' });
    expect(a?.taken).toBe(28);
  });

  it('refuses a second registration and changes nothing', async () => {
    const r = await h.api(LI, 'registrations.create', { activityId: 'act_course_photo', tracks: [], answers: [] });
    expect(r).toMatchObject({ ok: false, code: 'ALREADY_EXISTS' });
    const [a] = await h.cloud.engine.find(COLLECTIONS.activities, { _id: 'act_course_photo' });
    expect(a?.taken).toBe(28);
  });

  it('puts a worker on the waitlist when the course is full', async () => {
    const r = data(await h.api(LI, 'registrations.create', { activityId: 'act_course_video', tracks: [], answers: [] }));
    expect(r.registration.state).toBe('waitlisted');
    expect(r.registration.checkinCode).toBeNull();
  });

  it('asks for the profile first', async () => {
    await h.api('consented-only', 'profile.consent', { version: CONSENT_VERSION });
    const r = await h.api('consented-only', 'registrations.create', { activityId: 'act_course_photo', tracks: [], answers: [] });
    expect(r).toMatchObject({ ok: false, code: 'PROFILE_REQUIRED' });
  });

  it('requires a track for a competition and only its own tracks', async () => {
    expect(await h.api(WANG, 'registrations.create', { activityId: 'act_culture_2022', tracks: [], answers: [] })).toMatchObject({ ok: false, field: 'payload.tracks' });
    expect(await h.api(WANG, 'registrations.create', { activityId: 'act_culture_2022', tracks: ['dance'], answers: [] })).toMatchObject({ ok: false, field: 'payload.tracks' });
    const ok = data(await h.api(WANG, 'registrations.create', { activityId: 'act_culture_2022', tracks: ['essay', 'photo'], answers: [] }));
    expect(ok.registration.tracks).toEqual(['essay', 'photo']);
  });

  it('refuses a registration after the window, judged on server time', async () => {
    // The photo course's sign-up ends 5 days after seeding at 18:00 China time.
    await h.control('clock', { offsetMs: 6 * DAY });
    try {
      await member('late-worker');
      const r = await h.api('late-worker', 'registrations.create', { activityId: 'act_course_photo', tracks: [], answers: [] });
      expect(r).toMatchObject({ ok: false, code: 'CLOSED' });
    } finally {
      await h.control('clock', { offsetMs: 0 });
    }
  });

  it('lists my registrations', async () => {
    const mine = data(await h.api(LI, 'registrations.mine', {}));
    expect(mine.items.map((r) => r.activityId).sort()).toEqual(['act_course_photo', 'act_course_video']);
    expect(mine.items.find((r) => r.activityId === 'act_course_photo')?.activityTitle).toBe('余工学堂｜手机摄影入门');
  });
});

describe('capacity under concurrent requests', () => {
  it('confirms exactly 50 of 200 simultaneous registrations, waitlists 150, duplicates none, fails none', async () => {
    const [template] = await h.cloud.engine.find(COLLECTIONS.activities, { _id: 'act_exchange_01' });
    await h.cloud.engine.insertMany(COLLECTIONS.activities, [{ ...template, _id: 'act_burst', capacity: 50, taken: 0, waitlisted: 0 }]);
    const workers = Array.from({ length: 200 }, (_, i) => `burst-${i}`);
    for (let i = 0; i < workers.length; i += 20) await Promise.all(workers.slice(i, i + 20).map((w) => member(w)));

    const results = await Promise.all(
      workers.flatMap((w) => [
        h.api(w, 'registrations.create', { activityId: 'act_burst', tracks: [], answers: [] }),
        // A double tap from a tenth of them: never a second registration.
        ...(workers.indexOf(w) % 10 === 0 ? [h.api(w, 'registrations.create', { activityId: 'act_burst', tracks: [], answers: [] })] : []),
      ]),
    );
    const failures = results.filter((r) => !r.ok && r.code !== 'ALREADY_EXISTS');
    expect(failures).toEqual([]);
    const regs = await h.cloud.engine.find(COLLECTIONS.registrations, { activityId: 'act_burst' });
    expect(regs).toHaveLength(200);
    expect(regs.filter((r) => r.state === 'confirmed')).toHaveLength(50);
    expect(regs.filter((r) => r.state === 'waitlisted')).toHaveLength(150);
    const [a] = await h.cloud.engine.find(COLLECTIONS.activities, { _id: 'act_burst' });
    expect(a).toMatchObject({ taken: 50, waitlisted: 150 });
  });

  it('gives a cancelled seat to the first on the waitlist', async () => {
    const regs = await h.cloud.engine.find(COLLECTIONS.registrations, { activityId: 'act_burst' });
    const confirmed = regs.find((r) => r.state === 'confirmed')!;
    const firstWaiting = regs.filter((r) => r.state === 'waitlisted').sort((x, y) => Number(x.seq) - Number(y.seq))[0]!;
    const who = `burst-${(await h.cloud.engine.find(COLLECTIONS.users, { _id: confirmed.userId }))[0]!.openid}`.replace('burst-burst-', 'burst-');
    const r = data(await h.api(who, 'registrations.cancel', { activityId: 'act_burst' }));
    expect(r.registration.state).toBe('cancelled');
    const [promoted] = await h.cloud.engine.find(COLLECTIONS.registrations, { _id: firstWaiting._id });
    expect(promoted?.state).toBe('confirmed');
    const [a] = await h.cloud.engine.find(COLLECTIONS.activities, { _id: 'act_burst' });
    expect(a).toMatchObject({ taken: 50, waitlisted: 149 });
  });

  it('holds capacity when 40 cancel and 40 register at once', async () => {
    const regs = await h.cloud.engine.find(COLLECTIONS.registrations, { activityId: 'act_burst', state: 'confirmed' });
    const users = await h.cloud.engine.find(COLLECTIONS.users, { _id: { $in: regs.slice(0, 40).map((r) => r.userId) } });
    const newcomers = Array.from({ length: 40 }, (_, i) => `late-burst-${i}`);
    for (const w of newcomers) await member(w);
    await Promise.all([
      ...users.map((u) => h.api(String(u.openid), 'registrations.cancel', { activityId: 'act_burst' })),
      ...newcomers.map((w) => h.api(w, 'registrations.create', { activityId: 'act_burst', tracks: [], answers: [] })),
    ]);
    const after = await h.cloud.engine.find(COLLECTIONS.registrations, { activityId: 'act_burst' });
    const held = after.filter((r) => r.state === 'confirmed').length;
    const [a] = await h.cloud.engine.find(COLLECTIONS.activities, { _id: 'act_burst' });
    expect(held).toBe(50);
    expect(a?.taken).toBe(50);
    expect(after.filter((r) => r.state === 'waitlisted').length).toBe(a?.waitlisted);
  });
});
