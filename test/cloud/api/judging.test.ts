/**
 * A whole competition through the local cloud: invitations, assignment with conflicts, blind
 * scoring, returns, results, publication, appeals, finalisation and certificates, and a scan of
 * every response a judge receives for anything about an author.
 */
import { COLLECTIONS, DAY, type EntryDoc, type UserDoc } from '../../../miniprogram/core';
import { data, startHarness, type Harness } from '../harness';

let h: Harness;
const STAFF = 'demo-staff-chen';
const ZHAO = 'demo-judge-zhao';
const QIAN = 'demo-judge-qian';
const SUN = 'demo-judge-sun';
const SPRING = { activityId: 'act_essay_spring', trackId: 'essay' };

/** Everything a judge was answered, for the blind scan at the end. */
const judgeResponses: unknown[] = [];
async function asJudge<T>(p: Promise<T>): Promise<T> {
  const r = await p;
  judgeResponses.push(r);
  return r;
}

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

const full = (content: number, writing: number, creativity: number) => [
  { criterionId: 'content', score: content },
  { criterionId: 'writing', score: writing },
  { criterionId: 'creativity', score: creativity },
];

describe('judges', () => {
  it('see only the competitions they sit on', async () => {
    const panels = data(await asJudge(h.api(ZHAO, 'judging.panels', {})));
    expect(panels.panels.map((p) => p.activityId)).toEqual(['act_essay_spring']);
    expect(data(await h.api('demo-worker-li', 'judging.panels', {})).panels).toEqual([]);
    expect(data(await h.api(ZHAO, 'session.me', {})).me?.judging).toBe(true);
  });

  it('are never assigned an entry from their own unit', async () => {
    const q = data(await asJudge(h.api(ZHAO, 'judging.queue', SPRING)));
    // 赵敏 is 区教育局工会: the essay by 吴刚 of the same unit is not in her queue.
    expect(q.assigned).toBe(11);
    const [wu] = await h.cloud.engine.find(COLLECTIONS.users, { realName: '吴刚' });
    const [his] = await h.cloud.engine.find(COLLECTIONS.entries, { userId: wu!._id });
    expect(q.items.map((i) => i.code)).not.toContain(his!.code);
  });

  it('refuse a queue to someone not on the panel', async () => {
    expect(await h.api('demo-worker-li', 'judging.queue', SPRING)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });

  it('read an entry by its code only', async () => {
    const q = data(await h.api(QIAN, 'judging.queue', SPRING));
    const e = data(await asJudge(h.api(QIAN, 'judging.entry', { scoreId: q.items[0]!.scoreId })));
    expect(e.code).toMatch(/^ZW-2022-\d{4}$/);
    expect(e.text.length).toBeGreaterThan(300);
    expect(e.rubric.criteria.map((c) => c.weight)).toEqual([50, 30, 20]);
  });

  it('cannot open another judge\'s assignment', async () => {
    const q = data(await h.api(QIAN, 'judging.queue', SPRING));
    expect(await h.api(SUN, 'judging.entry', { scoreId: q.items[0]!.scoreId })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await h.api(SUN, 'judging.save', { scoreId: q.items[0]!.scoreId, scores: full(9, 9, 9), comment: '' })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });

  it('refuse a score outside a criterion\'s range and keep the draft as it was', async () => {
    const q = data(await h.api(QIAN, 'judging.queue', SPRING));
    const scoreId = q.items[0]!.scoreId;
    expect(await h.api(QIAN, 'judging.save', { scoreId, scores: full(11, 8, 8), comment: '' })).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD' });
    expect(await h.api(QIAN, 'judging.save', { scoreId, scores: full(8.3, 8, 8), comment: '' })).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD' });
    const [doc] = await h.cloud.engine.find(COLLECTIONS.scores, { _id: scoreId });
    expect(doc?.state).toBe('assigned');
  });

  it('save a draft, then submit it final, after which it is locked', async () => {
    const q = data(await h.api(QIAN, 'judging.queue', SPRING));
    const scoreId = q.items[0]!.scoreId;
    const saved = data(await asJudge(h.api(QIAN, 'judging.save', { scoreId, scores: full(8.5, 7, 9), comment: '立意好' })));
    // 100 × (50·8.5 + 30·7 + 20·9) / (100·10) = 81.5
    expect(saved.total).toBe('81.50');
    expect(data(await asJudge(h.api(QIAN, 'judging.submit', { scoreId }))).total).toBe('81.50');
    expect(await h.api(QIAN, 'judging.save', { scoreId, scores: full(1, 1, 1), comment: '' })).toMatchObject({ ok: false, code: 'INVALID_STATE' });
    expect(await h.api(QIAN, 'judging.submit', { scoreId })).toMatchObject({ ok: false, code: 'INVALID_STATE' });
  });

  it('cannot submit an incomplete score', async () => {
    const q = data(await h.api(QIAN, 'judging.queue', SPRING));
    const scoreId = q.items[1]!.scoreId;
    data(await h.api(QIAN, 'judging.save', { scoreId, scores: [{ criterionId: 'content', score: 8 }], comment: '' }));
    expect(await h.api(QIAN, 'judging.submit', { scoreId })).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD' });
  });

  it('get a returned score back to edit, with staff\'s reason', async () => {
    const q = data(await h.api(QIAN, 'judging.queue', SPRING));
    const scoreId = q.items[0]!.scoreId;
    expect(await h.api(QIAN, 'judging.return', { scoreId, reason: '请复核' })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    data(await h.api(STAFF, 'judging.return', { scoreId, reason: '分数与评语不一致，请复核' }));
    const again = data(await asJudge(h.api(QIAN, 'judging.queue', SPRING)));
    expect(again.items[0]).toMatchObject({ state: 'draft', returnedReason: '分数与评语不一致，请复核' });
    const audit = await h.cloud.engine.find(COLLECTIONS.audit, { objectId: scoreId });
    expect(audit.map((a) => a.what)).toEqual(['score.save', 'score.submit', 'score.return']);
  });
});

describe('staff', () => {
  it('invite a judge with a single-use code and a QR', async () => {
    const inv = data(await h.api(STAFF, 'judging.invite', { activityId: 'act_culture_2022', trackId: 'photo', count: 2, days: 7 }));
    expect(inv.invitations).toHaveLength(2);
    const [a, b] = inv.invitations;
    expect(a!.code).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
    const png = await fetch(a!.qrUrl);
    expect(png.headers.get('content-type')).toBe('image/png');
    const joined = data(await asJudge(h.api(ZHAO, 'judging.join', { code: a!.code })));
    expect(joined.panel).toMatchObject({ activityId: 'act_culture_2022', trackId: 'photo', assigned: 0 });
    // Single use: nobody else can take the same seat; the same judge may scan again.
    expect(await h.api(SUN, 'judging.join', { code: a!.code })).toMatchObject({ ok: false, code: 'ALREADY_EXISTS' });
    expect((await h.api(ZHAO, 'judging.join', { code: a!.code })).ok).toBe(true);
    await h.control('clock', { offsetMs: 8 * DAY });
    try {
      expect(await h.api(SUN, 'judging.join', { code: b!.code })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    } finally {
      await h.control('clock', { offsetMs: 0 });
    }
  });

  it('refuse staff actions to workers and judges', async () => {
    expect(await h.api(ZHAO, 'judging.invite', { activityId: 'act_culture_2022', trackId: 'photo', count: 1, days: 1 })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await h.api('demo-worker-li', 'results.compute', SPRING)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });

  it('see progress per judge and per entry', async () => {
    const p = data(await h.api(STAFF, 'judging.progress', SPRING));
    expect(p.judges.map((j) => j.name).sort()).toEqual(['孙丽', '赵敏', '钱进']);
    expect(p.totalAssigned).toBe(p.entries.reduce((n, e) => n + e.assigned, 0));
  });

  it('refuse to publish while scores are missing, unless a reason is recorded', async () => {
    data(await h.api(STAFF, 'results.compute', SPRING));
    const r = await h.api(STAFF, 'results.publish', SPRING);
    expect(r).toMatchObject({ ok: false, code: 'INVALID_STATE' });
    const [res] = await h.cloud.engine.find(COLLECTIONS.results, { _id: 'res_act_essay_spring_essay' });
    expect(res?.state).toBe('preview');
  });
});

describe('a whole competition', () => {
  it('scores, computes, publishes, takes an appeal and finalises with certificates', async () => {
    // Every judge scores every assigned entry: higher codes score higher, judges disagree a little.
    for (const [judge, bias] of [[ZHAO, 0], [QIAN, 0.5], [SUN, -0.5]] as const) {
      const q = data(await asJudge(h.api(judge, 'judging.queue', SPRING)));
      for (const item of q.items) {
        if (item.state === 'final') continue;
        const n = Number(item.code.slice(-2));
        const s = Math.min(10, Math.max(0, 4 + n * 0.5 + bias));
        data(await asJudge(h.api(judge, 'judging.save', { scoreId: item.scoreId, scores: full(s, s, s), comment: '' })));
        data(await asJudge(h.api(judge, 'judging.submit', { scoreId: item.scoreId })));
      }
    }
    await h.control('stats/reset', {});
    const computed = data(await h.api(STAFF, 'results.compute', SPRING));
    expect(computed.missingScores).toBe(0);
    const preview = data(await h.api(STAFF, 'results.preview', SPRING)).results!;
    expect(preview.participants).toBe(12);
    expect(preview.cap).toBe(4);
    expect(preview.rows[0]).toMatchObject({ code: 'ZW-2022-0012', rank: 1 });
    expect(preview.rows.filter((r) => r.award).length).toBeLessThanOrEqual(4);

    await h.api(ZHAO, 'profile.consent', { version: '2026-11' });
    const author = (await h.cloud.engine.find(COLLECTIONS.users, { realName: '胡军' }))[0] as unknown as UserDoc;
    await h.api(author.openid, 'subscriptions.record', { templateId: 'TEMPLATE_RESULT_NOTICE', accepted: true });
    await h.control('messages', undefined, 'DELETE');

    const pub = data(await h.api(STAFF, 'results.publish', SPRING));
    expect(pub.notified).toBe(1);
    const sent = (await h.control('messages')) as { messages: { touser: string }[] };
    expect(sent.messages.map((m) => m.touser)).toEqual([author.openid]);
    const ann = data(await h.api('anyone', 'announcements.detail', { id: pub.announcementId }));
    expect(ann.announcement.category).toBe('publicity');

    const mine = data(await h.api(author.openid, 'results.mine', {}));
    expect(mine.items[0]).toMatchObject({ code: 'ZW-2022-0012', rank: 1, award: '一等奖', state: 'publicity', appealOpen: true });
    const gallery = data(await h.api('anyone', 'results.gallery', SPRING));
    expect(gallery.items[0]).toMatchObject({ code: 'ZW-2022-0012', author: '胡军', award: '一等奖' });

    const loser = (await h.cloud.engine.find(COLLECTIONS.users, { realName: '张伟' }))[0] as unknown as UserDoc;
    const [loserEntry] = (await h.cloud.engine.find(COLLECTIONS.entries, { userId: loser._id })) as unknown as EntryDoc[];
    const appeal = data(await h.api(loser.openid, 'appeals.file', { entryId: loserEntry!._id, reason: '我认为评分没有体现文章的真实性，请复核。' }));
    expect(await h.api(loser.openid, 'appeals.file', { entryId: loserEntry!._id, reason: '再申诉一次，请复核我的作品评分。' })).toMatchObject({ ok: false, code: 'ALREADY_EXISTS' });
    expect(await h.api(STAFF, 'results.finalize', SPRING)).toMatchObject({ ok: false, code: 'INVALID_STATE' });
    data(await h.api(STAFF, 'appeals.resolve', { appealId: appeal.appealId, answer: '经复核，评分无误，维持原结果。', recheck: false }));
    expect(data(await h.api(loser.openid, 'results.mine', {})).items[0]?.appeal).toEqual({ state: 'answered', answer: '经复核，评分无误，维持原结果。' });

    const fin = data(await h.api(STAFF, 'results.finalize', SPRING));
    expect(fin.certificates).toBe(preview.rows.filter((r) => r.award).length);
    const cert = data(await h.api(author.openid, 'certificates.get', { entryId: mine.items[0]!.entryId }));
    expect(cert.data).toMatchObject({ name: '胡军', award: '一等奖', code: 'ZW-2022-0012' });
    expect(data(await h.api('a-stranger', 'certificates.verify', { code: cert.data.verifyCode }))).toMatchObject({ valid: true, data: { name: '胡军' } });
    expect(data(await h.api('a-stranger', 'certificates.verify', { code: 'ABCDEFGHJK' }))).toEqual({ valid: false, data: null });
    expect(await h.api(loser.openid, 'certificates.get', { entryId: mine.items[0]!.entryId })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });

  it('never tells a judge anything about an author', async () => {
    const people = (await h.cloud.engine.find(COLLECTIONS.users)) as unknown as UserDoc[];
    const units = await h.cloud.engine.find(COLLECTIONS.units);
    const entries = (await h.cloud.engine.find(COLLECTIONS.entries)) as unknown as EntryDoc[];
    const authors = new Set(entries.map((e) => e.userId));
    const forbidden = people
      .filter((u) => authors.has(u._id))
      .flatMap((u) => [u._id, u.openid, u.realName, u.phone, u.enterprise])
      .concat(entries.map((e) => e._id))
      .concat(units.filter((u) => entries.some((e) => e.unitId === u._id)).map((u) => String(u.name)))
      .filter((x) => x && x.length >= 2);
    expect(judgeResponses.length).toBeGreaterThan(50);
    const text = JSON.stringify(judgeResponses);
    const leaks = forbidden.filter((f) => text.includes(f));
    expect(leaks).toEqual([]);
  });
});
