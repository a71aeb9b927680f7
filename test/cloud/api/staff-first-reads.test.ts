/**
 * The staff-only reads that open staff pages in one call (the router's refusal is the staff
 * check): units.staffList, activities.get, activities.staffList by kind, and users.search saying
 * who is asking. Staff get them; a worker and a first-time visitor are refused, and nothing changes.
 */
import { COLLECTIONS, type ActivityDoc } from '../../../miniprogram/core';
import { data, startHarness, type Harness } from '../harness';

let h: Harness;
const STAFF = 'demo-staff-chen';
const ADMIN = 'demo-admin';
const WORKER = 'demo-worker-li';
const VISITOR = 'first-time-visitor';

beforeAll(async () => {
  h = await startHarness();
  await h.api(ADMIN, 'profile.consent', { version: '2026-11' });
});
afterAll(() => h.stop());

/** Every document of the collections these reads touch, to show a refusal changed nothing. */
async function snapshot(): Promise<unknown[]> {
  return Promise.all([COLLECTIONS.units, COLLECTIONS.activities, COLLECTIONS.users, COLLECTIONS.audit].map((c) => h.cloud.engine.find(c, {})));
}

/** A draft competition (copied from the demo's), and an older activity that does not record 报名需审核. */
async function insertDrafts(): Promise<void> {
  const [culture] = (await h.cloud.engine.find(COLLECTIONS.activities, { _id: 'act_culture_2022' })) as unknown as ActivityDoc[];
  const { requiresApproval: _gone, ...older } = { ...culture!, _id: 'act_older_lecture', kind: 'lecture' as const, title: '旧版讲座', competition: undefined };
  await h.cloud.engine.insertMany(COLLECTIONS.activities, [
    { ...culture!, _id: 'act_comp_draft', title: '2027年职工摄影比赛（草稿）', status: 'draft' },
    JSON.parse(JSON.stringify(older)) as Record<string, unknown>,
  ]);
}

beforeAll(insertDrafts);

describe('units.staffList', () => {
  it('gives staff the units in picker order, the same rows as the public units.list', async () => {
    const staff = data(await h.api(STAFF, 'units.staffList', {}));
    expect(staff.units.length).toBeGreaterThan(0);
    expect(staff).toEqual(data(await h.api(WORKER, 'units.list', {})));
    expect(staff.units.map((u) => u.order)).toEqual([...staff.units.map((u) => u.order)].sort((a, b) => a - b));
  });

  it('refuses a worker and a first-time visitor, changing nothing', async () => {
    const before = await snapshot();
    expect(await h.api(WORKER, 'units.staffList', {})).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await h.api(VISITOR, 'units.staffList', {})).toMatchObject({ ok: false, code: 'CONSENT_REQUIRED' });
    expect(await snapshot()).toEqual(before);
  });
});

describe('activities.get', () => {
  it("gives staff a competition in full: tracks, windows and each track's judging settings", async () => {
    const { activity } = data(await h.api(STAFF, 'activities.get', { id: 'act_culture_2022' }));
    const [stored] = (await h.cloud.engine.find(COLLECTIONS.activities, { _id: 'act_culture_2022' })) as unknown as ActivityDoc[];
    expect(activity).toMatchObject({
      id: 'act_culture_2022',
      kind: 'competition',
      status: 'published',
      title: stored!.title,
      summary: stored!.summary,
      body: stored!.body,
      place: stored!.place,
      capacity: stored!.capacity,
      taken: stored!.taken,
      waitlisted: stored!.waitlisted,
      planItem: stored!.planItem,
      questions: stored!.questions,
      requiresVerified: stored!.requiresVerified,
      requiresApproval: stored!.requiresApproval,
    });
    expect(activity.competition).toEqual(stored!.competition);
    expect(activity.competition?.judging).toBeDefined();
  });

  it('gives staff a draft (hidden from workers), and says when 报名需审核 is not recorded', async () => {
    expect(data(await h.api(STAFF, 'activities.get', { id: 'act_comp_draft' })).activity).toMatchObject({ status: 'draft', title: '2027年职工摄影比赛（草稿）' });
    expect(await h.api(WORKER, 'activities.detail', { id: 'act_comp_draft' })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(data(await h.api(STAFF, 'activities.get', { id: 'act_older_lecture' })).activity).toMatchObject({ requiresApproval: null, competition: null });
  });

  it('says when there is no such activity', async () => {
    expect(await h.api(STAFF, 'activities.get', { id: 'act_nowhere' })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });

  it('refuses a worker and a first-time visitor, changing nothing', async () => {
    const before = await snapshot();
    expect(await h.api(WORKER, 'activities.get', { id: 'act_culture_2022' })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await h.api(WORKER, 'activities.get', { id: 'act_comp_draft' })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await h.api(VISITOR, 'activities.get', { id: 'act_culture_2022' })).toMatchObject({ ok: false, code: 'CONSENT_REQUIRED' });
    expect(await snapshot()).toEqual(before);
  });
});

describe('activities.staffList by kind', () => {
  it('lists only competitions, drafts too, newest first, and pages by start time', async () => {
    expect(await h.api(STAFF, 'activities.staffList', { kind: 'competition', cursor: '12345' })).toMatchObject({ ok: false, field: 'payload.cursor' });
    const { items } = data(await h.api(STAFF, 'activities.staffList', { kind: 'competition' }));
    expect(items.map((a) => a.kind)).toEqual(items.map(() => 'competition'));
    expect(items.map((a) => a.id)).toEqual(expect.arrayContaining(['act_culture_2022', 'act_essay_spring', 'act_comp_draft']));
    const starts = items.map((a) => a.time.start);
    expect(starts).toEqual([...starts].sort((a, b) => b - a));
    const first = items[0]!;
    const rest = data(await h.api(STAFF, 'activities.staffList', { kind: 'competition', cursor: `${first.time.start}_${first.id}` }));
    expect(rest.items.every((a) => a.kind === 'competition' && a.time.start <= first.time.start && a.id !== first.id)).toBe(true);
    // With a status too: the published ones only.
    const published = data(await h.api(STAFF, 'activities.staffList', { kind: 'competition', status: 'published' }));
    expect(published.items.map((a) => a.id)).not.toContain('act_comp_draft');
    expect(published.items.length).toBeGreaterThan(0);
  });

  it('refuses a worker, changing nothing', async () => {
    const before = await snapshot();
    expect(await h.api(WORKER, 'activities.staffList', { kind: 'competition' })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await snapshot()).toEqual(before);
  });
});

describe('users.search says who is asking', () => {
  it('answers staff with their own id, not an admin; an admin as an admin', async () => {
    const chen = data(await h.api(STAFF, 'session.me', {})).me!;
    expect(data(await h.api(STAFF, 'users.search', { q: '' })).viewer).toEqual({ userId: chen.userId, admin: false });
    const admin = data(await h.api(ADMIN, 'session.me', {})).me!;
    const r = data(await h.api(ADMIN, 'users.search', { q: '李' }));
    expect(r.viewer).toEqual({ userId: admin.userId, admin: true });
    expect(r.items[0]).toMatchObject({ realName: '李明', phone: '138****0001' });
  });

  it('refuses a worker, changing nothing', async () => {
    const before = await snapshot();
    expect(await h.api(WORKER, 'users.search', { q: '' })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await snapshot()).toEqual(before);
  });
});

describe('activities.staffList paging', () => {
  it('neither skips nor repeats activities that start at the same time across a page boundary', async () => {
    const [culture] = (await h.cloud.engine.find(COLLECTIONS.activities, { _id: 'act_culture_2022' })) as unknown as ActivityDoc[];
    const start = Date.UTC(2030, 0, 1);
    const twins = Array.from({ length: 25 }, (_, i) => ({
      ...culture!, _id: `act_twin_${String(i).padStart(2, '0')}`, kind: 'exchange' as const, title: `同时开始 ${i}`, competition: null, time: { start, end: start + 3_600_000 },
    }));
    await h.cloud.engine.insertMany(COLLECTIONS.activities, twins as unknown as Record<string, unknown>[]);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 5; pages++) {
      const page = data(await h.api(STAFF, 'activities.staffList', { kind: 'exchange', ...(cursor ? { cursor } : {}) }));
      seen.push(...page.items.map((a) => a.id).filter((id) => id.startsWith('act_twin_')));
      if (!page.next) break;
      cursor = page.next;
    }
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
  });
});
