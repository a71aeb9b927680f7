/** Races that the cloud would expose: the guarded updates must let exactly one side win. */
import { COLLECTIONS } from '../../../miniprogram/core';
import { data, startHarness, type Harness } from '../harness';

let h: Harness;
const STAFF = 'demo-staff-chen';
const SPRING = { activityId: 'act_essay_spring', trackId: 'essay' };
const full = (n: number) => [
  { criterionId: 'content', score: n },
  { criterionId: 'writing', score: n },
  { criterionId: 'creativity', score: n },
];

beforeAll(async () => {
  h = await startHarness();
  await h.api('demo-admin', 'profile.consent', { version: '2026-11' });
});
afterAll(() => h.stop());

it('keeps a final score when a save races the submit', async () => {
  const q = data(await h.api('demo-judge-zhao', 'judging.queue', SPRING));
  const scoreId = q.items[0]!.scoreId;
  data(await h.api('demo-judge-zhao', 'judging.save', { scoreId, scores: full(8), comment: '' }));
  const [submit, save] = await Promise.all([
    h.api('demo-judge-zhao', 'judging.submit', { scoreId }),
    h.api('demo-judge-zhao', 'judging.save', { scoreId, scores: full(2), comment: '' }),
  ]);
  const [doc] = await h.cloud.engine.find(COLLECTIONS.scores, { _id: scoreId });
  const content = (doc!.scores as Record<string, number>).content;
  if (submit.ok && save.ok) {
    // The save landed first and the submit locked what it saved.
    expect(doc).toMatchObject({ state: 'final' });
    expect(content).toBe(2);
  } else if (submit.ok) {
    // The submit landed first: the save was refused and the final score is untouched.
    expect(save).toMatchObject({ ok: false, code: 'INVALID_STATE' });
    expect(doc).toMatchObject({ state: 'final' });
    expect(content).toBe(8);
  } else {
    expect(submit.code).toBe('CONFLICT');
    expect(doc).toMatchObject({ state: 'draft' });
  }
});

it('lets one of two staff members publish, never both', async () => {
  for (const judge of ['demo-judge-zhao', 'demo-judge-qian', 'demo-judge-sun']) {
    const q = data(await h.api(judge, 'judging.queue', SPRING));
    for (const item of q.items) {
      if (item.state === 'final') continue;
      data(await h.api(judge, 'judging.save', { scoreId: item.scoreId, scores: full(5 + (Number(item.code.slice(-2)) % 5)), comment: '' }));
      data(await h.api(judge, 'judging.submit', { scoreId: item.scoreId }));
    }
  }
  data(await h.api(STAFF, 'results.compute', SPRING));
  const reason = { ...SPRING, overrideReason: '并发测试：已复核' };
  const results = await Promise.all([h.api(STAFF, 'results.publish', reason), h.api('demo-admin', 'results.publish', reason)]);
  expect(results.filter((r) => r.ok)).toHaveLength(1);
  expect(await h.cloud.engine.find(COLLECTIONS.announcements, { category: 'publicity' })).toHaveLength(1);
});

it('hands out each invitation once when two judges race for it', async () => {
  const inv = data(await h.api(STAFF, 'judging.invite', { activityId: 'act_culture_2022', trackId: 'essay', count: 1, days: 3 }));
  const code = inv.invitations[0]!.code;
  const racers = ['demo-worker-li', 'demo-worker-wang', 'demo-author-01', 'demo-author-02'];
  const r = await Promise.all(racers.map((w) => h.api(w, 'judging.join', { code })));
  expect(r.filter((x) => x.ok)).toHaveLength(1);
  expect(await h.cloud.engine.find(COLLECTIONS.panels, { activityId: 'act_culture_2022', trackId: 'essay' })).toHaveLength(1);
});

it('numbers entries uniquely when twenty workers open entries at once', async () => {
  const workers = Array.from({ length: 20 }, (_, i) => `race-${i}`);
  for (const w of workers) {
    await h.api(w, 'profile.consent', { version: '2026-11' });
    data(await h.api(w, 'profile.save', { realName: '测试职工', phone: '13900000000', unitId: 'unit_linping', enterprise: '测试企业' }));
    data(await h.api(w, 'registrations.create', { activityId: 'act_culture_2022', tracks: ['photo'], answers: [] }));
  }
  const opened = await Promise.all(workers.map((w) => h.api(w, 'entries.open', { activityId: 'act_culture_2022', trackId: 'photo' })));
  const codes = opened.map((r) => data(r).code);
  expect(new Set(codes).size).toBe(20);
});
