/**
 * Conflicts of interest declared by staff, through the local cloud, on the demo competition in
 * judging assigned afresh with 2 judges per entry: the judge's assignment goes and another judge
 * takes the entry; the judge's save and submit are refused with CONFLICT_OF_INTEREST and change
 * nothing; a final score must be returned first; clearing lets assignment give the pair again. The
 * automatic rule (own unit or enterprise) is the same check.
 */
import { COLLECTIONS, type EntryDoc, type PanelDoc, type UserDoc } from '../../../miniprogram/core';
import { userKey } from '../../../cloudfunctions/shared/ids';
import { ID_SECRET, data, startHarness, type Harness } from '../harness';
import { withFunctionEnv } from '../security/inprocess';

let h: Harness;
const STAFF = 'demo-staff-chen';
const JUDGES = ['demo-judge-zhao', 'demo-judge-qian', 'demo-judge-sun'];
const SPRING = { activityId: 'act_essay_spring', trackId: 'essay' };
const uid = (openid: string) => userKey(ID_SECRET, openid);
const openidOf = new Map(JUDGES.map((o) => [uid(o), o]));
const marks = (s: number) => ['content', 'writing', 'creativity'].map((criterionId) => ({ criterionId, score: s }));

let entries: EntryDoc[];
let seats: PanelDoc[];
const conflicted = (seat: PanelDoc, e: EntryDoc) => seat.unitId === e.unitId || seat.enterprise === e.enterprise;

/** An entry whose three judges are all eligible, with the judge who holds it and the one who does not. */
async function pairWithSpareJudge(skip: string[] = []): Promise<{ entry: EntryDoc; holder: string; spare: string; scoreId: string }> {
  const scores = await h.cloud.engine.find(COLLECTIONS.scores, { activityId: SPRING.activityId, round: 1 });
  for (const e of entries) {
    if (skip.includes(e.code) || seats.some((s) => conflicted(s, e))) continue;
    const held = scores.filter((s) => s.entryId === e._id);
    if (held.length !== 2) continue;
    const spare = seats.find((s) => !held.some((x) => x.judgeId === s.userId))!;
    return { entry: e, holder: String(held[0]!.judgeId), spare: spare.userId, scoreId: String(held[0]!._id) };
  }
  throw new Error('no entry with a spare judge');
}

beforeAll(async () => {
  h = await startHarness();
  // The demo assigned every judge to every entry; start again with 2 per entry so a spare judge exists.
  await withFunctionEnv(h, async () => {
    const cloud = await import('../../../cloudfunctions/shared/cloud');
    await cloud.removeWhere('scores', { activityId: SPRING.activityId });
  });
  data(await h.api(STAFF, 'judging.assign', { ...SPRING, mode: 'k', k: 2 }));
  entries = (await h.cloud.engine.find(COLLECTIONS.entries, { activityId: SPRING.activityId })) as unknown as EntryDoc[];
  seats = (await h.cloud.engine.find(COLLECTIONS.panels, { activityId: SPRING.activityId })) as unknown as PanelDoc[];
}, 60_000);
afterAll(() => h.stop());

describe('a conflict declared by staff', () => {
  let pair: Awaited<ReturnType<typeof pairWithSpareJudge>>;

  it('removes the judge\'s assignment and gives the entry another judge (2 per entry)', async () => {
    pair = await pairWithSpareJudge();
    const r = data(await h.api(STAFF, 'judging.conflict', { ...SPRING, code: pair.entry.code, judgeId: pair.holder, declare: true, reason: '评委为作者的直系亲属' }));
    expect(r).toEqual({ declared: true, removed: 1, reassigned: 1 });
    const holderQueue = data(await h.api(openidOf.get(pair.holder)!, 'judging.queue', SPRING));
    expect(holderQueue.items.map((i) => i.code)).not.toContain(pair.entry.code);
    const spareQueue = data(await h.api(openidOf.get(pair.spare)!, 'judging.queue', SPRING));
    expect(spareQueue.items.map((i) => i.code)).toContain(pair.entry.code);
    const p = data(await h.api(STAFF, 'judging.progress', SPRING));
    expect(p.conflicts).toEqual([expect.objectContaining({ judgeId: pair.holder, code: pair.entry.code, reason: '评委为作者的直系亲属' })]);
    expect(p.entries.find((e) => e.code === pair.entry.code)?.assigned).toBe(2);
    const audit = await h.cloud.engine.find(COLLECTIONS.audit, { what: 'judging.conflict.declare' });
    expect(audit).toEqual([expect.objectContaining({ by: uid(STAFF), detail: expect.objectContaining({ code: pair.entry.code, removed: 1, reassigned: 1 }) })]);
  });

  it('refuses the judge\'s save, submit and view of the pair with CONFLICT_OF_INTEREST, changing nothing', async () => {
    const judge = openidOf.get(pair.holder)!;
    const before = await h.cloud.engine.find(COLLECTIONS.scores);
    for (const r of [
      await h.api(judge, 'judging.save', { scoreId: pair.scoreId, scores: marks(8), comment: '' }),
      await h.api(judge, 'judging.submit', { scoreId: pair.scoreId }),
      await h.api(judge, 'judging.entry', { scoreId: pair.scoreId }),
    ])
      expect(r).toMatchObject({ ok: false, code: 'CONFLICT_OF_INTEREST' });
    expect(await h.cloud.engine.find(COLLECTIONS.scores)).toEqual(before);
    // Another judge's id for the same entry is still just "not found" to this judge.
    const other = (await h.cloud.engine.find(COLLECTIONS.scores, { entryId: pair.entry._id }))[0]!;
    expect(await h.api(judge, 'judging.save', { scoreId: String(other._id), scores: marks(8), comment: '' })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });

  it('is idempotent: declaring it again removes and adds nothing', async () => {
    const r = data(await h.api(STAFF, 'judging.conflict', { ...SPRING, code: pair.entry.code, judgeId: pair.holder, declare: true, reason: '再次确认回避' }));
    expect(r).toEqual({ declared: true, removed: 0, reassigned: 0 });
  });

  it('is refused over a final score until staff return it', async () => {
    const other = await pairWithSpareJudge([pair.entry.code]);
    const judge = openidOf.get(other.holder)!;
    data(await h.api(judge, 'judging.save', { scoreId: other.scoreId, scores: marks(7), comment: '' }));
    data(await h.api(judge, 'judging.submit', { scoreId: other.scoreId }));
    const declare = { ...SPRING, code: other.entry.code, judgeId: other.holder, declare: true, reason: '与作者同一科室' };
    const before = await h.cloud.engine.find(COLLECTIONS.panels, { _id: `pm_${SPRING.activityId}_essay_${other.holder}` });
    expect(await h.api(STAFF, 'judging.conflict', declare)).toMatchObject({ ok: false, code: 'SCORE_FINAL' });
    expect(await h.cloud.engine.find(COLLECTIONS.panels, { _id: `pm_${SPRING.activityId}_essay_${other.holder}` })).toEqual(before);
    expect((await h.cloud.engine.find(COLLECTIONS.scores, { _id: other.scoreId }))[0]?.state).toBe('final');

    data(await h.api(STAFF, 'judging.return', { scoreId: other.scoreId, reason: '需回避，退回' }));
    expect(data(await h.api(STAFF, 'judging.conflict', declare))).toEqual({ declared: true, removed: 1, reassigned: 1 });
    expect(await h.cloud.engine.find(COLLECTIONS.scores, { _id: other.scoreId })).toEqual([]);
  });

  it('when cleared, lets assignment give the pair again', async () => {
    data(await h.api(STAFF, 'judging.conflict', { ...SPRING, code: pair.entry.code, judgeId: pair.holder, declare: false, reason: '经核实无亲属关系' }));
    const p = data(await h.api(STAFF, 'judging.progress', SPRING));
    expect(p.conflicts.map((c) => c.code)).not.toContain(pair.entry.code);
    data(await h.api(STAFF, 'judging.assign', { ...SPRING, mode: 'all', k: 1 }));
    const q = data(await h.api(openidOf.get(pair.holder)!, 'judging.queue', SPRING));
    expect(q.items.map((i) => i.code)).toContain(pair.entry.code);
    expect(await h.cloud.engine.find(COLLECTIONS.audit, { what: 'judging.conflict.clear' })).toHaveLength(1);
  });

  it('answers an unknown judge or entry with NOT_FOUND, and a judge with FORBIDDEN, changing nothing', async () => {
    const before = await h.cloud.engine.find(COLLECTIONS.panels);
    const base = { ...SPRING, code: pair.entry.code, judgeId: pair.holder, declare: true, reason: '测试' };
    expect(await h.api(STAFF, 'judging.conflict', { ...base, judgeId: uid('demo-worker-li') })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await h.api(STAFF, 'judging.conflict', { ...base, code: 'ZW-2022-9999' })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await h.api(JUDGES[0]!, 'judging.conflict', base)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await h.cloud.engine.find(COLLECTIONS.panels)).toEqual(before);
  });
});

describe('the automatic conflict rule', () => {
  it('refuses a save on an entry from the judge\'s own unit, whatever put the assignment there', async () => {
    // 赵敏 and 吴刚 are both 区教育局工会: assignment never pairs them; a stray assignment is refused too.
    const [wu] = (await h.cloud.engine.find(COLLECTIONS.users, { realName: '吴刚' })) as unknown as UserDoc[];
    const his = entries.find((e) => e.userId === wu!._id)!;
    const zhao = uid('demo-judge-zhao');
    const id = `sc1_${his.code}_${zhao}`;
    expect(await h.cloud.engine.find(COLLECTIONS.scores, { _id: id })).toEqual([]);
    await h.cloud.engine.insertMany(COLLECTIONS.scores, [
      { _id: id, ...SPRING, round: 1, entryId: his._id, entryCode: his.code, judgeId: zhao, state: 'assigned', scores: {}, comment: '', returnedReason: '', submittedAt: null, updatedAt: 0 },
    ]);
    const r = await h.api('demo-judge-zhao', 'judging.save', { scoreId: id, scores: marks(9), comment: '' });
    expect(r).toMatchObject({ ok: false, code: 'CONFLICT_OF_INTEREST' });
    expect(r.ok ? '' : r.message).toMatch(/同单位/);
    expect((await h.cloud.engine.find(COLLECTIONS.scores, { _id: id }))[0]?.state).toBe('assigned');
  });
});

describe('复评 in the settings', () => {
  it('holds publication until 复评 starts, unless a reason is recorded', async () => {
    await withFunctionEnv(h, async () => {
      const cloud = await import('../../../cloudfunctions/shared/cloud');
      await cloud.updateWhere('activities', { _id: SPRING.activityId }, { 'competition.judging.essay.round2': cloud._.set({ share: { num: 1, den: 4 } }) });
    });
    data(await h.api(STAFF, 'results.compute', SPRING));
    const preview = data(await h.api(STAFF, 'results.preview', SPRING)).results!;
    expect(preview.round2).toBe('pending');
    expect(preview.warnings[0]).toMatch(/复评/);
    const r = await h.api(STAFF, 'results.publish', SPRING);
    expect(r).toMatchObject({ ok: false, code: 'INVALID_STATE' });
    expect(r.ok ? '' : r.message).toMatch(/复评/);
    // 初评 incomplete: 复评 starts only with a recorded reason, which the state keeps.
    expect(await h.api(STAFF, 'judging.startRound2', { ...SPRING, judges: [], mode: 'k', k: 2, dryRun: true })).toMatchObject({ ok: false, code: 'INVALID_STATE' });
    const q = data(await h.api('demo-judge-qian', 'judging.queue', SPRING));
    for (const item of q.items.slice(0, 6)) {
      data(await h.api('demo-judge-qian', 'judging.save', { scoreId: item.scoreId, scores: marks(Number(item.code.slice(-2)) / 2), comment: '' }));
      data(await h.api('demo-judge-qian', 'judging.submit', { scoreId: item.scoreId }));
    }
    const dry = data(await h.api(STAFF, 'judging.startRound2', { ...SPRING, judges: [], mode: 'k', k: 2, dryRun: true, overrideReason: '一位评委缺席' }));
    // ⌊12 × 1/4⌋ = 3, from the entries 钱进 scored (distinct marks: no tie).
    expect(dry.k).toBe(3);
    expect(dry.finalists.map((f) => f.rank)).toEqual([1, 2, 3]);
    expect(dry.missing).toBeGreaterThan(0);
    expect(await h.cloud.engine.find(COLLECTIONS.judgingStates, { round2: { $ne: null } })).toEqual([]);
  });

  it('starts once when two staff start it at the same moment', async () => {
    const start = { ...SPRING, judges: [], mode: 'all' as const, k: 1, dryRun: false, overrideReason: '一位评委缺席' };
    const [a, b] = await Promise.all([h.api(STAFF, 'judging.startRound2', start), h.api('demo-admin', 'judging.startRound2', start)]);
    const won = [a, b].filter((r) => r.ok);
    expect(won).toHaveLength(1);
    expect([a, b].find((r) => !r.ok)).toMatchObject({ ok: false, code: 'INVALID_STATE' });
    const r2 = await h.cloud.engine.find(COLLECTIONS.scores, { round: 2 });
    expect(new Set(r2.map((x) => x._id)).size).toBe(r2.length);
    expect(r2.length).toBe(won[0]!.ok ? won[0]!.data.created : -1);
    expect(await h.cloud.engine.find(COLLECTIONS.audit, { what: 'judging.round2.start' })).toHaveLength(1);
    const [state] = await h.cloud.engine.find(COLLECTIONS.judgingStates);
    expect(state).toMatchObject({ round2: { override: { reason: '一位评委缺席' } } });
  });
});
