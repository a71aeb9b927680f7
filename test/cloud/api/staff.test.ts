/** What staff run from their phones, through the local cloud. */
import { COLLECTIONS, DAY, HOUR, type ActivityDoc } from '../../../miniprogram/core';
import { data, startHarness, type Harness } from '../harness';

let h: Harness;
const STAFF = 'demo-staff-chen';
const ADMIN = 'demo-admin';
const LI = 'demo-worker-li';

beforeAll(async () => {
  h = await startHarness();
  await h.api(ADMIN, 'profile.consent', { version: '2026-11' });
});
afterAll(() => h.stop());

function activityInput(now: number, over: Record<string, unknown> = {}) {
  return {
    kind: 'training' as const,
    title: '余工学堂｜太极拳入门',
    summary: '强身健体',
    body: '请穿运动鞋。',
    time: { start: now + 10 * DAY, end: now + 10 * DAY + 2 * HOUR },
    place: '区工人文化宫 二楼',
    capacity: 2,
    signup: { start: now - HOUR, end: now + 9 * DAY },
    planItem: '余工学堂公益培训',
    questions: [{ id: 'q1', label: '是否有基础', type: 'choice' as const, required: true, options: ['有', '没有'] }],
    requiresVerified: false,
    requiresApproval: true,
    competition: null,
    ...over,
  };
}

describe('people', () => {
  it('lists workers with masked phones, and audits opening one', async () => {
    const r = data(await h.api(STAFF, 'users.search', { q: '李' }));
    expect(r.items[0]).toMatchObject({ realName: '李明', phone: '138****0001' });
    const phone = data(await h.api(STAFF, 'users.reveal', { userId: r.items[0]!.userId }));
    expect(phone.phone).toBe('13857100001');
    const trail = await h.cloud.engine.find(COLLECTIONS.audit, { what: 'user.reveal' });
    expect(trail).toHaveLength(1);
    expect(trail[0]!.by).not.toBe(r.items[0]!.userId);
  });

  it('lets only admins grant the staff role, audited', async () => {
    const wang = data(await h.api(STAFF, 'users.search', { q: '王芳' })).items[0]!;
    expect(await h.api(STAFF, 'users.setRole', { userId: wang.userId, role: 'staff' })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(data(await h.api(ADMIN, 'users.setRole', { userId: wang.userId, role: 'staff' }))).toEqual({ role: 'staff' });
    expect(data(await h.api('demo-worker-wang', 'session.me', {})).me?.role).toBe('staff');
    data(await h.api(ADMIN, 'users.setRole', { userId: wang.userId, role: 'worker' }));
    expect((await h.cloud.engine.find(COLLECTIONS.audit, { what: 'user.setRole' })).length).toBe(2);
  });

  it('imports a roster only when every row is good, reporting row by row', async () => {
    const bad = '姓名,手机号或工号,基层工会\n李明,13857100001,区人民医院工会\n无名,123,不存在的工会\n';
    const up1 = await h.upload(STAFF, 'roster/bad.csv', Buffer.from(bad));
    const r1 = data(await h.api(STAFF, 'roster.import', { fileID: (up1.json as { fileID: string }).fileID, dryRun: false }));
    expect(r1).toMatchObject({ applied: false, accepted: 1, refused: 1 });
    expect(r1.rows[1]).toMatchObject({ line: 3, problem: '没有名为「不存在的工会」的基层工会' });
    expect(r1.rows[0]!.key).toBe('138****0001');
    // Refused whole: the roster in force is still the demo's.
    expect((await h.cloud.engine.find(COLLECTIONS.meta, { _id: 'roster' }))[0]).toMatchObject({ by: 'seed' });

    await h.api('roster-person', 'profile.consent', { version: '2026-11' });
    data(await h.api('roster-person', 'profile.save', { realName: '周八', phone: '13900009999', unitId: 'unit_linping', enterprise: '临平纺织有限公司' }));
    expect(data(await h.api('roster-person', 'session.me', {})).me?.verified).toBe(false);
    const good = '姓名,手机号或工号,基层工会\n周八,13900009999,临平街道总工会\n"郑九",GH-001,临平街道总工会\n';
    const up2 = await h.upload(STAFF, 'roster/good.csv', Buffer.from(good));
    const r2 = data(await h.api(STAFF, 'roster.import', { fileID: (up2.json as { fileID: string }).fileID, dryRun: false }));
    expect(r2).toMatchObject({ applied: true, accepted: 2, refused: 0, verifiedUsers: 1 });
    expect(data(await h.api('roster-person', 'session.me', {})).me?.verified).toBe(true);
  });
});

describe('announcements', () => {
  it('schedules, pins, shows on the home page when due, and withdraws', async () => {
    const now = h.cloud.clock.now();
    const { id } = data(await h.api(STAFF, 'announcements.save', { category: 'training', title: '太极拳课程开课通知', body: '欢迎报名', images: [], pinned: true, activityId: null, publishAt: now + DAY }));
    expect(data(await h.api(LI, 'home.get', {})).announcements.map((a) => a.id)).not.toContain(id);
    await h.control('clock', { offsetMs: DAY + 1000 });
    try {
      expect(data(await h.api(LI, 'home.get', {})).announcements[0]?.id).toBe(id);
      data(await h.api(LI, 'announcements.detail', { id }));
      const list = data(await h.api(STAFF, 'announcements.list', {}));
      expect(list.items.find((a) => a.id === id)?.reads).toBe(1);
      data(await h.api(STAFF, 'announcements.withdraw', { id }));
      expect(await h.api(LI, 'announcements.detail', { id })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    } finally {
      await h.control('clock', { offsetMs: 0 });
    }
  });

  it('refuses an announcement from a worker', async () => {
    const r = await h.api(LI, 'announcements.save', { category: 'notice', title: '我要发公告', body: 'x', images: [], pinned: true, activityId: null, publishAt: h.cloud.clock.now() });
    expect(r).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });
});

describe('activities and registrations', () => {
  let id = '';

  it('refuses inverted windows, naming the field, and stores nothing', async () => {
    const now = h.cloud.clock.now();
    const before = (await h.cloud.engine.find(COLLECTIONS.activities)).length;
    const r = await h.api(STAFF, 'activities.save', activityInput(now, { signup: { start: now + DAY, end: now } }));
    expect(r).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD', field: 'payload.signup' });
    expect((await h.cloud.engine.find(COLLECTIONS.activities)).length).toBe(before);
  });

  it('creates a draft, publishes it, and workers register with answers, awaiting approval', async () => {
    const now = h.cloud.clock.now();
    id = data(await h.api(STAFF, 'activities.save', activityInput(now))).id;
    expect(await h.api(LI, 'registrations.create', { activityId: id, tracks: [], answers: [{ questionId: 'q1', answer: '有' }] })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    data(await h.api(STAFF, 'activities.setStatus', { id, status: 'published' }));
    expect(await h.api(LI, 'registrations.create', { activityId: id, tracks: [], answers: [] })).toMatchObject({ ok: false, field: 'payload.answers' });
    expect(await h.api(LI, 'registrations.create', { activityId: id, tracks: [], answers: [{ questionId: 'q1', answer: '也许' }] })).toMatchObject({ ok: false, field: 'payload.answers' });
    const reg = data(await h.api(LI, 'registrations.create', { activityId: id, tracks: [], answers: [{ questionId: 'q1', answer: '有' }] }));
    expect(reg.registration.state).toBe('pending');
  });

  it('refuses a capacity below the seats held', async () => {
    const now = h.cloud.clock.now();
    data(await h.api('demo-worker-wang', 'registrations.create', { activityId: id, tracks: [], answers: [{ questionId: 'q1', answer: '没有' }] }));
    const r = await h.api(STAFF, 'activities.save', { ...activityInput(now), id, capacity: 1 });
    expect(r).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD', field: 'payload.capacity' });
  });

  it('approves and rejects with a reason the worker sees; a rejection frees the seat', async () => {
    const list = data(await h.api(STAFF, 'registrations.list', { activityId: id }));
    expect(list.items.map((r) => r.phone)).toEqual(['138****0001', '138****0002']);
    data(await h.api(STAFF, 'registrations.decide', { registrationId: list.items[0]!.id, approve: true, reason: '' }));
    expect(await h.api(STAFF, 'registrations.decide', { registrationId: list.items[1]!.id, approve: false, reason: '' })).toMatchObject({ ok: false, field: 'payload.reason' });
    data(await h.api(STAFF, 'registrations.decide', { registrationId: list.items[1]!.id, approve: false, reason: '本期仅限有基础的学员' }));
    const mine = data(await h.api('demo-worker-wang', 'registrations.mine', {}));
    expect(mine.items.find((r) => r.activityId === id)).toMatchObject({ state: 'rejected', reason: '本期仅限有基础的学员' });
    const [a] = (await h.cloud.engine.find(COLLECTIONS.activities, { _id: id })) as unknown as ActivityDoc[];
    expect(a?.taken).toBe(1);
  });

  it('checks a worker in once with their signed QR, and refuses a forged or reused one', async () => {
    const li = data(await h.api(LI, 'registrations.mine', {})).items.find((r) => r.activityId === id)!;
    expect(li.checkinCode).toBeTruthy();
    expect(data(await h.api(STAFF, 'registrations.checkin', { code: li.checkinCode! }))).toMatchObject({ name: '李明' });
    expect(await h.api(STAFF, 'registrations.checkin', { code: li.checkinCode! })).toMatchObject({ ok: false, code: 'ALREADY_EXISTS' });
    const forged = li.checkinCode!.replace(/\.[\w-]{16}$/, '.AAAAAAAAAAAAAAAA');
    expect(await h.api(STAFF, 'registrations.checkin', { code: forged })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await h.api(LI, 'registrations.checkin', { code: li.checkinCode! })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });

  it('moves the status only along draft → published → closed → archived', async () => {
    expect(await h.api(STAFF, 'activities.setStatus', { id, status: 'draft' })).toMatchObject({ ok: false, code: 'INVALID_STATE' });
    data(await h.api(STAFF, 'activities.setStatus', { id, status: 'closed' }));
    data(await h.api(STAFF, 'activities.setStatus', { id, status: 'archived' }));
  });
});

describe('moderation', () => {
  it('shows submitted videos to staff and applies their decision with a reason', async () => {
    // A video entry straight into review (the upload path is covered by the entry tests).
    await h.cloud.engine.insertMany(COLLECTIONS.entries, [
      {
        _id: 'ent_video_review', code: 'SP-2022-0099', activityId: 'act_culture_2022', trackId: 'video', kind: 'video', userId: 'u_x', unitId: 'unit_linping', enterprise: 'e',
        state: 'submitted', draft: {}, draftSavedAt: 0, moderation: 'review', moderationReason: '', createdAt: 0, updatedAt: 0,
        versions: [{ version: 1, submittedAt: 0, content: { kind: 'video', title: '车间的一天', description: '一线职工', videoUploadId: '', coverUploadId: '', seconds: 60 } }],
      },
    ]);
    const q = data(await h.api(STAFF, 'moderation.queue', {}));
    expect(q.items.map((i) => i.code)).toContain('SP-2022-0099');
    expect(await h.api(STAFF, 'moderation.decide', { entryId: 'ent_video_review', approve: false, reason: '' })).toMatchObject({ ok: false, field: 'payload.reason' });
    data(await h.api(STAFF, 'moderation.decide', { entryId: 'ent_video_review', approve: false, reason: '画面含有商业广告' }));
    const [e] = await h.cloud.engine.find(COLLECTIONS.entries, { _id: 'ent_video_review' });
    expect(e).toMatchObject({ moderation: 'rejected', moderationReason: '画面含有商业广告' });
    expect(await h.api(LI, 'moderation.queue', {})).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });
});
