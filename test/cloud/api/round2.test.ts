/**
 * 复评 (round 2) through the local cloud, on the demo competition in judging (12 essays, judges
 * 赵敏, 钱进, 孙丽): refused while 初评 is incomplete, finalists picked by scoring rule 7 as
 * computed by hand below, 初评 locked, 复评 assigned to its judges only, the finalists placed by
 * their 复评 scores, publication refused while 复评 scores are missing.
 */
import { COLLECTIONS, type PayloadOf } from '../../../miniprogram/core';
import { userKey } from '../../../cloudfunctions/shared/ids';
import { ID_SECRET, data, startHarness, type Harness } from '../harness';
import { withFunctionEnv } from '../security/inprocess';

let h: Harness;
const STAFF = 'demo-staff-chen';
const ZHAO = 'demo-judge-zhao';
const QIAN = 'demo-judge-qian';
const SUN = 'demo-judge-sun';
const JUDGES = [ZHAO, QIAN, SUN];
const SPRING = { activityId: 'act_essay_spring', trackId: 'essay' };
const START: PayloadOf<'judging.startRound2'> = { ...SPRING, judges: [userKey(ID_SECRET, ZHAO), userKey(ID_SECRET, SUN)], mode: 'all', k: 1, dryRun: false };

const marks = (s: number) => [
  { criterionId: 'content', score: s },
  { criterionId: 'writing', score: s },
  { criterionId: 'creativity', score: s },
];
/** Every judge gives an entry the same marks, so its score is 10 × the mark (weights 50/30/20 of 10). */
const seq = (code: string) => Number(code.slice(-2));
const ROUND1: Record<number, number> = { 12: 9.5, 11: 9, 10: 8.5, 9: 8.5 };
const round1Mark = (code: string) => ROUND1[seq(code)] ?? seq(code) * 0.5;
/** 复评 turns the order round: 0009 best, then 0010, 0011, 0012. */
const ROUND2: Record<number, number> = { 9: 9.5, 10: 9, 11: 8.5, 12: 8 };

async function scoreAll(judge: string, round: 1 | 2, mark: (code: string) => number): Promise<number> {
  const q = data(await h.api(judge, 'judging.queue', SPRING));
  let n = 0;
  for (const item of q.items) {
    if (item.round !== round || item.state === 'final') continue;
    data(await h.api(judge, 'judging.save', { scoreId: item.scoreId, scores: marks(mark(item.code)), comment: '' }));
    data(await h.api(judge, 'judging.submit', { scoreId: item.scoreId }));
    n++;
  }
  return n;
}

beforeAll(async () => {
  h = await startHarness();
  // The demo track asks for no 复评; this competition's settings ask for the top 3 (no action edits a rubric).
  await withFunctionEnv(h, async () => {
    const cloud = await import('../../../cloudfunctions/shared/cloud');
    await cloud.updateWhere('activities', { _id: SPRING.activityId }, { 'competition.judging.essay.round2': cloud._.set({ count: 3 }) });
  });
}, 60_000);
afterAll(() => h.stop());

describe('复评', () => {
  it('is offered on the progress board when the settings ask for it', async () => {
    const p = data(await h.api(STAFF, 'judging.progress', SPRING));
    expect(p).toMatchObject({ round: 1, currentRound: 1, round2Available: true, round2: null });
  });

  it('does not start while 初评 scores are missing, unless a reason is recorded, and writes nothing', async () => {
    const r = await h.api(STAFF, 'judging.startRound2', START);
    expect(r).toMatchObject({ ok: false, code: 'INVALID_STATE' });
    expect(r.ok ? '' : r.message).toMatch(/份初评评分未提交/);
    expect(await h.cloud.engine.find(COLLECTIONS.judgingStates)).toEqual([]);
    expect(await h.cloud.engine.find(COLLECTIONS.scores, { round: 2 })).toEqual([]);
  });

  it('picks the top 3 of 初评 with the tie at 3rd place, as computed by hand (dry run writes nothing)', async () => {
    for (const j of JUDGES) await scoreAll(j, 1, round1Mark);
    // 初评: 0012 95.00, 0011 90.00, 0010 and 0009 85.00 (same score, same mean: tied 3rd), 0008 40.00 …
    const dry = data(await h.api(STAFF, 'judging.startRound2', { ...START, dryRun: true }));
    expect(dry).toMatchObject({ k: 3, missing: 0, started: false, created: 0 });
    expect(dry.finalists).toEqual([
      { code: 'ZW-2022-0012', rank: 1, score: '95.00' },
      { code: 'ZW-2022-0011', rank: 2, score: '90.00' },
      { code: 'ZW-2022-0009', rank: 3, score: '85.00' },
      { code: 'ZW-2022-0010', rank: 3, score: '85.00' },
    ]);
    expect(await h.cloud.engine.find(COLLECTIONS.scores, { round: 2 })).toEqual([]);
  });

  it('refuses a judge who is not on the panel', async () => {
    const r = await h.api(STAFF, 'judging.startRound2', { ...START, judges: [userKey(ID_SECRET, 'demo-worker-li')] });
    expect(r).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD', field: 'payload.judges' });
    expect(await h.cloud.engine.find(COLLECTIONS.scores, { round: 2 })).toEqual([]);
  });

  it('starts: records the finalists, assigns them to the judges of 复评 only, audited', async () => {
    const started = data(await h.api(STAFF, 'judging.startRound2', START));
    expect(started.started).toBe(true);
    expect(started.finalists.map((f) => f.code).sort()).toEqual(['ZW-2022-0009', 'ZW-2022-0010', 'ZW-2022-0011', 'ZW-2022-0012']);
    const finalists = new Set(started.finalists.map((f) => f.code));

    const round2Of = async (judge: string) => data(await h.api(judge, 'judging.queue', SPRING)).items.filter((i) => i.round === 2);
    const [zhao, qian, sun] = await Promise.all(JUDGES.map(round2Of));
    expect(qian).toEqual([]);
    for (const item of [...zhao!, ...sun!]) expect(finalists.has(item.code)).toBe(true);
    expect(new Set([...zhao!, ...sun!].map((i) => i.code))).toEqual(finalists);
    expect(zhao!.length + sun!.length).toBe(started.created);
    // 复评 comes first in the queue; 初评 stays, read-only.
    const q = data(await h.api(ZHAO, 'judging.queue', SPRING));
    expect(q.items[0]).toMatchObject({ round: 2, locked: false, state: 'assigned' });
    expect(q.items.filter((i) => i.round === 1).every((i) => i.locked && i.state === 'final')).toBe(true);
    const entry = data(await h.api(ZHAO, 'judging.entry', { scoreId: zhao![0]!.scoreId }));
    expect(entry).toMatchObject({ round: 2, locked: false, state: 'assigned', scores: {} });

    const [state] = await h.cloud.engine.find(COLLECTIONS.judgingStates);
    expect(state).toMatchObject({ _id: 'js_act_essay_spring_essay', round2: { k: 3, judges: START.judges, startedBy: userKey(ID_SECRET, STAFF), override: null } });
    const audit = await h.cloud.engine.find(COLLECTIONS.audit, { what: 'judging.round2.start' });
    expect(audit).toHaveLength(1);

    const p = data(await h.api(STAFF, 'judging.progress', SPRING));
    expect(p).toMatchObject({ round: 2, currentRound: 2, round2Available: false, round2: { finalists: 4, k: 3, judges: 2 } });
    expect(p.entries.map((e) => e.code).sort()).toEqual([...finalists].sort());
    expect(p.judges.map((j) => j.name).sort()).toEqual(['孙丽', '赵敏']);
    expect(data(await h.api(STAFF, 'judging.progress', { ...SPRING, round: 1 })).entries).toHaveLength(12);
  });

  it('locks 初评: no save, submit, return or new assignment, and no second start', async () => {
    const q = data(await h.api(QIAN, 'judging.queue', SPRING));
    const r1 = q.items[0]!;
    const before = await h.cloud.engine.find(COLLECTIONS.scores, { _id: r1.scoreId });
    expect(await h.api(STAFF, 'judging.return', { scoreId: r1.scoreId, reason: '请复核这一份' })).toMatchObject({ ok: false, code: 'INVALID_STATE' });
    expect(await h.api(QIAN, 'judging.save', { scoreId: r1.scoreId, scores: marks(1), comment: '' })).toMatchObject({ ok: false, code: 'INVALID_STATE' });
    expect(await h.api(STAFF, 'judging.assign', { ...SPRING, mode: 'all', k: 1 })).toMatchObject({ ok: false, code: 'INVALID_STATE' });
    expect(await h.api(STAFF, 'judging.startRound2', START)).toMatchObject({ ok: false, code: 'INVALID_STATE' });
    expect(await h.cloud.engine.find(COLLECTIONS.scores, { _id: r1.scoreId })).toEqual(before);
    // Assigning round 2 again adds nothing (idempotent).
    expect(data(await h.api(STAFF, 'judging.assign', { ...SPRING, mode: 'all', k: 1, round: 2 })).created).toBe(0);
  });

  it('computes with 复评 pending and refuses to publish while its scores are missing', async () => {
    const c = data(await h.api(STAFF, 'results.compute', SPRING));
    const r2 = (await h.cloud.engine.find(COLLECTIONS.scores, { round: 2 })).length;
    expect(c.missingScores).toBe(r2);
    const preview = data(await h.api(STAFF, 'results.preview', SPRING)).results!;
    expect(preview).toMatchObject({ round2: 'started', round2Missing: r2 });
    const pub = await h.api(STAFF, 'results.publish', SPRING);
    expect(pub).toMatchObject({ ok: false, code: 'INVALID_STATE' });
    expect(pub.ok ? '' : pub.message).toMatch(/复评/);
    const [res] = await h.cloud.engine.find(COLLECTIONS.results, { _id: 'res_act_essay_spring_essay' });
    expect(res?.state).toBe('preview');
  });

  it('places the finalists by their 复评 scores above everyone else, then publishes', async () => {
    for (const j of [ZHAO, SUN]) await scoreAll(j, 2, (code) => ROUND2[seq(code)]!);
    const c = data(await h.api(STAFF, 'results.compute', SPRING));
    expect(c.missingScores).toBe(0);
    const preview = data(await h.api(STAFF, 'results.preview', SPRING)).results!;
    // 复评: 0009 95.00, 0010 90.00, 0011 85.00, 0012 80.00; then 初评 order from 0008 (40.00) down.
    expect(preview.rows.slice(0, 6).map((r) => [r.code, r.rank, r.round, r.score])).toEqual([
      ['ZW-2022-0009', 1, 2, '95.00'],
      ['ZW-2022-0010', 2, 2, '90.00'],
      ['ZW-2022-0011', 3, 2, '85.00'],
      ['ZW-2022-0012', 4, 2, '80.00'],
      ['ZW-2022-0008', 5, 1, '40.00'],
      ['ZW-2022-0007', 6, 1, '35.00'],
    ]);
    // 12 participants: cap 4 = 一等奖 1, 二等奖 2, 三等奖 1 (cut from 3), 优秀奖 0.
    expect(preview.rows.slice(0, 5).map((r) => r.award)).toEqual(['一等奖', '二等奖', '二等奖', '三等奖', null]);
    expect(data(await h.api(STAFF, 'results.publish', SPRING)).publishedAt).toBeGreaterThan(0);
  });
});
