import { COLLECTIONS, DAY, LIMITS, type ActivityDoc } from '../../../miniprogram/core';
import { data, startHarness, type Harness } from '../harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

const LI = 'demo-worker-li';

describe('home', () => {
  it('shows pinned announcements first, open activities and deadlines, in one call', async () => {
    await h.control('stats/reset', {});
    const home = data(await h.api(LI, 'home.get', {}));
    expect(home.announcements[0]?.pinned).toBe(true);
    expect(home.open.map((a) => a.id)).toContain('act_culture_2022');
    expect(home.open.every((a) => a.signup.start <= home.serverNow && home.serverNow < a.signup.end)).toBe(true);
    expect(home.deadlines.length).toBeGreaterThan(0);
    const stats = (await h.control('stats')) as { functions: Record<string, { invocations: number }>; engine: { reads: number } };
    expect(stats.functions.api?.invocations).toBe(1);
    // The user, announcements, open activities, my registrations, my standing: a handful of reads.
    expect(stats.engine.reads).toBeLessThanOrEqual(6);
  });
});

describe('the catalogue', () => {
  it('lists published and closed activities, never drafts', async () => {
    await h.cloud.engine.insertMany(COLLECTIONS.activities, [
      { ...(await h.cloud.engine.find(COLLECTIONS.activities, { _id: 'act_exchange_01' }))[0], _id: 'act_draft_x', status: 'draft', title: '草稿活动' },
    ]);
    const page = data(await h.api(LI, 'activities.list', {}));
    expect(page.items.some((a) => a.id === 'act_draft_x')).toBe(false);
    expect(page.items.some((a) => a.status === 'closed')).toBe(true);
    expect(await h.api(LI, 'activities.detail', { id: 'act_draft_x' })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });

  it('filters by kind and finds by title', async () => {
    const training = data(await h.api(LI, 'activities.list', { kind: 'training' }));
    expect(training.items.length).toBe(3);
    expect(training.items.every((a) => a.kind === 'training')).toBe(true);
    const found = data(await h.api(LI, 'activities.list', { q: '摄影' }));
    expect(found.items.map((a) => a.id)).toEqual(['act_course_photo']);
  });

  it('treats search text literally', async () => {
    const r = data(await h.api(LI, 'activities.list', { q: '.*' }));
    expect(r.items).toEqual([]);
  });

  it('pages 20 at a time with a cursor, without repeats or gaps', async () => {
    const [template] = await h.cloud.engine.find(COLLECTIONS.activities, { _id: 'act_exchange_01' });
    const many: ActivityDoc[] = Array.from({ length: 45 }, (_, i) => ({
      ...(template as unknown as ActivityDoc),
      _id: `act_bulk_${String(i).padStart(2, '0')}`,
      title: `批量活动 ${i}`,
      // Some share a start time: the cursor must still be exact.
      time: { start: h.seededAt + Math.floor(i / 3) * DAY, end: h.seededAt + Math.floor(i / 3) * DAY + 3600_000 },
    }));
    await h.cloud.engine.insertMany(COLLECTIONS.activities, many.map((a) => ({ ...a })));
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = data(await h.api(LI, 'activities.list', cursor ? { kind: 'exchange', cursor } : { kind: 'exchange' }));
      expect(page.items.length).toBeLessThanOrEqual(LIMITS.pageSize);
      seen.push(...page.items.map((a) => a.id));
      cursor = page.next ?? undefined;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(46);
  });

  it('refuses a forged cursor', async () => {
    expect(await h.api(LI, 'activities.list', { cursor: 'abc' })).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD' });
  });

  it('shows an activity with its competition tracks and windows', async () => {
    const d = data(await h.api(LI, 'activities.detail', { id: 'act_culture_2022' }));
    expect(d.activity.competition?.tracks.map((t) => t.kind)).toEqual(['essay', 'photo', 'video']);
    expect(d.announcements[0]?.id).toBe('ann_culture_notice');
    expect(d.mine).toBeNull();
  });

  it('lists the units a worker chooses from, in order', async () => {
    const r = data(await h.api('anyone-at-all', 'units.list', {}));
    expect(r.units[0]).toEqual({ id: 'unit_linping', name: '临平街道总工会', group: '街道', order: 0 });
    expect(r.units).toHaveLength(10);
  });
});
