/**
 * 意见建议征集 through the local cloud: the demo's open survey on the sports meet (5 answers seeded),
 * answers and edits, counts under concurrency, windows, bad payloads, staff's summary, replies and
 * hiding, and privacy (no OPENID anywhere).
 */
import { COLLECTIONS, CONSENT_VERSION, DAY, HOUR, type OpinionSummary, type PayloadOf } from '../../../miniprogram/core';
import { opinionId } from '../../../miniprogram/core/rules/opinion';
import { userKey } from '../../../cloudfunctions/shared/ids';
import { ID_SECRET, data, startHarness, type Harness } from '../harness';
import { changes, describeChanges, snapshot } from '../security/snapshot';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

const SPORTS = 'act_sports_2022';
const LI = 'demo-worker-li';
const WANG = 'demo-worker-wang';
const STAFF = 'demo-staff-chen';
const uid = (openid: string) => userKey(ID_SECRET, openid);

type Answers = PayloadOf<'opinions.submit'>['answers'];
const answers = (join: number, events: number[], advice = ''): Answers => [
  { questionId: 'join', choices: [join], text: '' },
  { questionId: 'events', choices: events, text: '' },
  ...(advice ? [{ questionId: 'advice', choices: [], text: advice }] : []),
];
const submit = (openid: string, a: Answers, activityId = SPORTS) => h.api(openid, 'opinions.submit', { activityId, answers: a, consent: true });

async function member(openid: string, phone = '13900000000') {
  data(await h.api(openid, 'profile.consent', { version: CONSENT_VERSION }));
  data(await h.api(openid, 'profile.save', { realName: '测试职工', phone, unitId: 'unit_linping', enterprise: '测试企业' }));
}

async function summary(activityId = SPORTS, cursor?: string): Promise<OpinionSummary> {
  return data(await h.api(STAFF, 'opinions.summary', cursor ? { activityId, cursor } : { activityId }));
}

/** Every text answer staff can list, page after page. */
async function allItems(activityId = SPORTS): Promise<OpinionSummary['items']> {
  const out: OpinionSummary['items'] = [];
  let cursor: string | undefined;
  do {
    const s = await summary(activityId, cursor);
    out.push(...s.items);
    cursor = s.next ?? undefined;
  } while (cursor);
  return out;
}

/** "label: count" for each option of a question. */
function counts(s: OpinionSummary, questionId: string): Record<string, number> {
  const q = s.questions.find((x) => x.id === questionId)!;
  return Object.fromEntries(q.options.map((o) => [o.label, o.count]));
}

/** A published lecture of the staff's, for solicitations of the test's own. */
async function lecture(title: string): Promise<string> {
  const now = Date.now();
  const id = data(
    await h.api(STAFF, 'activities.save', {
      kind: 'lecture', title, summary: '', body: '', time: { start: now + 10 * DAY, end: now + 10 * DAY + 2 * HOUR }, place: '区工人文化宫',
      capacity: 0, signup: { start: now - DAY, end: now + 9 * DAY }, planItem: '宣讲活动', questions: [], requiresVerified: false, requiresApproval: false, competition: null,
    }),
  ).id;
  data(await h.api(STAFF, 'activities.setStatus', { id, status: 'published' }));
  return id;
}

const openCall = (activityId: string, more: Partial<PayloadOf<'opinions.save'>> = {}): PayloadOf<'opinions.save'> => ({
  activityId,
  mode: 'open',
  title: '宣讲主题征集',
  intro: '您希望宣讲团讲哪些内容？',
  questions: [],
  window: { start: Date.now() - HOUR, end: Date.now() + 5 * DAY },
  ...more,
});

describe('a worker answering the survey', () => {
  it('sees the open survey on the activity page and on its own page, unanswered', async () => {
    const d = data(await h.api(LI, 'activities.detail', { id: SPORTS }));
    expect(d.opinion).toMatchObject({ mode: 'survey', title: '运动会项目意见征集', state: 'open', answered: false, replied: false });
    const g = data(await h.api(LI, 'opinions.get', { activityId: SPORTS }));
    expect(g.solicitation?.questions.map((q) => q.id)).toEqual(['join', 'events', 'advice']);
    expect(g.solicitation?.state).toBe('open');
    expect(g.mine).toBeNull();
  });

  it('answers once; the card says answered and the counts include the answer', async () => {
    const before = await summary();
    expect(before.respondents).toBe(5);
    expect(counts(before, 'join')).toEqual({ 一定参加: 3, 可能参加: 1, 不参加: 1 });

    const r = data(await submit(LI, answers(1, [2, 3], '羽毛球希望分男女组')));
    expect(r.mine.answers).toEqual(answers(1, [2, 3], '羽毛球希望分男女组'));
    expect(data(await h.api(LI, 'activities.detail', { id: SPORTS })).opinion?.state).toBe('answered');

    const after = await summary();
    expect(after.respondents).toBe(6);
    expect(counts(after, 'join')).toEqual({ 一定参加: 3, 可能参加: 2, 不参加: 1 });
    expect(counts(after, 'events')).toMatchObject({ 羽毛球: 3, 跳绳: 2 });
    const join = after.questions.find((q) => q.id === 'join')!;
    expect(join.answered).toBe(6);
    expect(join.options.map((o) => o.percent)).toEqual([50, 33.3, 16.7]);
  });

  it('edits the answer until it closes: counts move, never double', async () => {
    data(await submit(LI, answers(0, [5])));
    const s = await summary();
    expect(s.respondents).toBe(6);
    expect(counts(s, 'join')).toEqual({ 一定参加: 4, 可能参加: 1, 不参加: 1 });
    expect(counts(s, 'events')).toMatchObject({ 羽毛球: 2, 跳绳: 1, 乒乓球: 2 });
    // The text answer was taken back: it leaves the list of text answers.
    expect(s.items.some((i) => i.answers.some((a) => a.text === '羽毛球希望分男女组'))).toBe(false);
    const docs = await h.cloud.engine.find(COLLECTIONS.opinions, { userId: uid(LI) });
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({ _id: opinionId(SPORTS, await h.idKey(LI)), edits: 1, hasText: false });
  });

  it('answers the same again without writing anything (a retry)', async () => {
    const before = await snapshot(h);
    data(await submit(LI, answers(0, [5])));
    expect(describeChanges(changes(before, await snapshot(h)))).toBe('');
  });

  it('counts exactly under concurrency: 24 workers at once, and one worker sending twice at once', async () => {
    const N = 24;
    const workers = Array.from({ length: N }, (_, i) => `op-conc-${i}`);
    await Promise.all(workers.map((w, i) => member(w, `1390000${String(1000 + i)}`)));
    const base = await summary();
    const results = await Promise.all(workers.map((w, i) => submit(w, answers(2, [i % 2 === 0 ? 4 : 3], `并发意见 ${i}`))));
    for (const r of results) expect(r.ok).toBe(true);
    // The same worker, twice at once, with different answers: one document, counted once.
    const twice = await Promise.all([submit('op-conc-0', answers(2, [0])), submit('op-conc-0', answers(2, [1]))]);
    expect(twice.some((r) => r.ok)).toBe(true);
    for (const r of twice) if (!r.ok) expect(r.code).toBe('CONFLICT');

    const s = await summary();
    expect(s.respondents).toBe(base.respondents + N);
    expect(counts(s, 'join').不参加).toBe(counts(base, 'join').不参加! + N);
    const events = s.questions.find((q) => q.id === 'events')!;
    expect(events.answered).toBe(base.questions.find((q) => q.id === 'events')!.answered + N);
    const total = (x: OpinionSummary) => x.questions.find((q) => q.id === 'events')!.options.reduce((n, o) => n + o.count, 0);
    expect(total(s)).toBe(total(base) + N);
    expect(await h.cloud.engine.find(COLLECTIONS.opinions, { userId: uid('op-conc-0') })).toHaveLength(1);
  });

  it('pages the text answers for staff, newest first, without repeats', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const s = await summary(SPORTS, cursor);
      seen.push(...s.items.map((i) => i.id));
      cursor = s.next ?? undefined;
      pages++;
    } while (cursor && pages < 10);
    const withText = await h.cloud.engine.find(COLLECTIONS.opinions, { activityId: SPORTS, hasText: true });
    expect(pages).toBe(2);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual(withText.map((d) => String(d._id)).sort());
  });
});

describe('refusals', () => {
  it('refuses bad answers with a clear message, and writes nothing', async () => {
    await member('op-bad');
    const cases: [Answers, boolean, string][] = [
      [[{ questionId: 'nope', choices: [0], text: '' }], true, 'payload.answers[0].questionId'],
      [[...answers(0, [0]).slice(1), { questionId: 'join', choices: [0, 1], text: '' }], true, 'payload.answers[1].choices'],
      [[{ questionId: 'join', choices: [7], text: '' }, ...answers(0, [0]).slice(1)], true, 'payload.answers[0].choices'],
      [[{ questionId: 'join', choices: [], text: '一定参加' }, ...answers(0, [0]).slice(1)], true, 'payload.answers[0].text'],
      [[{ questionId: 'join', choices: [0], text: '' }], true, 'payload.answers'],
      [[...answers(0, [0]), { questionId: 'advice', choices: [0], text: '' }], true, 'payload.answers[2].choices'],
      [[...answers(0, [0]), { questionId: 'advice', choices: [], text: '长'.repeat(501) }], true, 'payload.answers[2].text'],
      [answers(0, [0]), false, 'payload.consent'],
    ];
    const before = await snapshot(h);
    for (const [a, consent, field] of cases) {
      const r = await h.api('op-bad', 'opinions.submit', { activityId: SPORTS, answers: a, consent });
      expect(r).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD', field });
      if (!r.ok) expect(r.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    const smuggled = await h.raw('/functions/api', JSON.stringify({ action: 'opinions.submit', payload: { activityId: SPORTS, answers: answers(0, [0]), consent: true, openid: 'x' } }), { 'X-Local-Openid': 'op-bad' });
    expect(smuggled.json).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD', field: 'payload.openid' });
    expect(describeChanges(changes(before, await snapshot(h)))).toBe('');
  });

  it('refuses risky text (msgSecCheck) and writes nothing; text for review is flagged for staff', async () => {
    await member('op-risky');
    const before = await snapshot(h);
    expect(await submit('op-risky', answers(0, [0], '这是违禁测试内容'))).toMatchObject({ ok: false, code: 'CONTENT_RISKY' });
    expect(describeChanges(changes(before, await snapshot(h)))).toBe('');
    data(await submit('op-risky', answers(0, [0], '这条需要复审测试一下')));
    const [doc] = await h.cloud.engine.find(COLLECTIONS.opinions, { _id: opinionId(SPORTS, await h.idKey('op-risky')) });
    expect(doc?.flagged).toBe(true);
    expect((await allItems()).find((i) => i.id === doc?._id)?.flagged).toBe(true);
  });

  it('refuses staff actions to a worker, and changes nothing', async () => {
    const id = opinionId(SPORTS, await h.idKey(WANG));
    const before = await snapshot(h);
    expect(await h.api(WANG, 'opinions.summary', { activityId: SPORTS })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await h.api(WANG, 'opinions.reply', { opinionId: id, text: '我自己回复' })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await h.api(WANG, 'opinions.hide', { opinionId: id, hidden: true, reason: '不想让别人看' })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await h.api(WANG, 'opinions.save', openCall(SPORTS))).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await h.api('op-never-consented', 'opinions.submit', { activityId: SPORTS, answers: answers(0, [0]), consent: true })).toMatchObject({ ok: false, code: 'CONSENT_REQUIRED' });
    expect(describeChanges(changes(before, await snapshot(h)))).toBe('');
  });

  it('refuses answers before the window opens and after it closes, judged on server time', async () => {
    const id = await lecture('意见征集时间窗测试讲座');
    const now = Date.now();
    data(await h.api(STAFF, 'opinions.save', openCall(id, { window: { start: now + 2 * DAY, end: now + 5 * DAY } })));
    const text: Answers = [{ questionId: 'suggestion', choices: [], text: '希望多讲讲劳动法' }];
    expect(data(await h.api(LI, 'activities.detail', { id })).opinion?.state).toBe('before');
    expect(await submit(LI, text, id)).toMatchObject({ ok: false, code: 'NOT_OPEN_YET' });
    await h.control('clock', { offsetMs: 3 * DAY });
    try {
      data(await submit(LI, text, id));
    } finally {
      await h.control('clock', { offsetMs: 0 });
    }
    // The sports survey closes at the end of the 14th China day after seeding.
    await h.control('clock', { offsetMs: 16 * DAY });
    try {
      const before = await snapshot(h);
      expect(await submit(WANG, answers(1, [1]))).toMatchObject({ ok: false, code: 'CLOSED' });
      expect(data(await h.api(WANG, 'activities.detail', { id: SPORTS })).opinion?.state).toBe('closed');
      expect(data(await h.api(WANG, 'opinions.get', { activityId: SPORTS })).mine?.answers).toEqual(answers(0, [0, 1, 2], '建议增加家属亲子项目。'));
      expect(describeChanges(changes(before, await snapshot(h)))).toBe('');
    } finally {
      await h.control('clock', { offsetMs: 0 });
    }
  });

  it('answers NOT_FOUND for an activity without a solicitation, and for a draft', async () => {
    expect(data(await h.api(LI, 'opinions.get', { activityId: 'act_outreach_01' })).solicitation).toBeNull();
    expect(data(await h.api(LI, 'activities.detail', { id: 'act_outreach_01' })).opinion).toBeNull();
    expect(await submit(LI, answers(0, [0]), 'act_outreach_01')).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    const now = Date.now();
    const draft = data(
      await h.api(STAFF, 'activities.save', {
        kind: 'lecture', title: '尚未发布的讲座', summary: '', body: '', time: { start: now + 10 * DAY, end: now + 10 * DAY + HOUR }, place: '文化宫',
        capacity: 0, signup: { start: now, end: now + 9 * DAY }, planItem: '宣讲活动', questions: [], requiresVerified: false, requiresApproval: false, competition: null,
      }),
    ).id;
    data(await h.api(STAFF, 'opinions.save', openCall(draft)));
    expect(await h.api(LI, 'opinions.get', { activityId: draft })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });
});

describe('staff', () => {
  it('see name, unit and a masked phone with each text answer, never an OPENID', async () => {
    const s = await summary();
    const items = await allItems();
    const wangId = opinionId(SPORTS, await h.idKey(WANG));
    const wang = items.find((i) => i.id === wangId)!;
    expect(wang).toMatchObject({ realName: '王芳', unitName: '临平街道总工会', phone: '138****0002' });
    expect(wang.answers.find((a) => a.questionId === 'advice')?.text).toBe('建议增加家属亲子项目。');
    expect(wang.answers.find((a) => a.questionId === 'events')?.choices).toEqual(['拔河', '趣味接力', '羽毛球']);
    const text = JSON.stringify([s, items]);
    for (const o of [LI, WANG, 'demo-author-01', 'op-conc-1']) expect(text).not.toContain(o);
    // Nor in any stored answer.
    const docs = JSON.stringify(await h.cloud.engine.find(COLLECTIONS.opinions, {}));
    expect(docs).not.toMatch(/demo-(worker|author)|op-conc-|op-risky/);
  });

  it('reply to an answer; the worker sees the reply on it and on the card', async () => {
    const id = opinionId(SPORTS, await h.idKey(WANG));
    data(await h.api(STAFF, 'opinions.reply', { opinionId: id, text: '感谢建议，我们会考虑增加亲子项目。' }));
    const g = data(await h.api(WANG, 'opinions.get', { activityId: SPORTS }));
    expect(g.mine?.reply?.text).toBe('感谢建议，我们会考虑增加亲子项目。');
    expect(data(await h.api(WANG, 'activities.detail', { id: SPORTS })).opinion).toMatchObject({ state: 'answered', replied: true });
    expect((await allItems()).find((i) => i.id === id)?.reply?.text).toBe('感谢建议，我们会考虑增加亲子项目。');
    const audit = await h.cloud.engine.find(COLLECTIONS.audit, { what: 'opinion.reply', objectId: id });
    expect(audit).toHaveLength(1);
  });

  it('hide an abusive answer: not counted, marked for staff, and its author cannot edit it; showing it again counts it', async () => {
    await member('op-abusive');
    data(await submit('op-abusive', answers(2, [4], '全是废话没意思')));
    const id = opinionId(SPORTS, await h.idKey('op-abusive'));
    const before = await summary();
    expect(await h.api(STAFF, 'opinions.hide', { opinionId: id, hidden: true, reason: '' })).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD', field: 'payload.reason' });
    data(await h.api(STAFF, 'opinions.hide', { opinionId: id, hidden: true, reason: '人身攻击' }));
    const s = await summary();
    expect(s.respondents).toBe(before.respondents - 1);
    expect(s.hiddenCount).toBe(before.hiddenCount + 1);
    expect(counts(s, 'events').象棋).toBe(counts(before, 'events').象棋! - 1);
    expect((await allItems()).find((i) => i.id === id)).toMatchObject({ hidden: true, hiddenReason: '人身攻击' });
    expect(await submit('op-abusive', answers(0, [0], '改一下'))).toMatchObject({ ok: false, code: 'INVALID_STATE' });
    expect(data(await h.api('op-abusive', 'opinions.get', { activityId: SPORTS })).mine?.hidden).toBe(true);

    data(await h.api(STAFF, 'opinions.hide', { opinionId: id, hidden: false, reason: '' }));
    expect((await summary()).respondents).toBe(before.respondents);
  });

  it('create a solicitation with checked windows and questions', async () => {
    const id = await lecture('意见征集规则测试讲座');
    const now = Date.now();
    const bad: [Partial<PayloadOf<'opinions.save'>>, string][] = [
      [{ window: { start: now + DAY, end: now } }, 'payload.window'],
      [{ window: { start: now, end: now + 10 * 60_000 } }, 'payload.window'],
      [{ window: { start: now, end: now + 100 * DAY } }, 'payload.window'],
      [{ window: { start: now + 30 * DAY, end: now + 50 * DAY } }, 'payload.window.end'],
      [{ window: { start: now - 3 * DAY, end: now - DAY } }, 'payload.window.end'],
      [{ intro: '' }, 'payload.intro'],
      [{ questions: [{ id: 'q1', type: 'text', label: '问题', required: false, options: [] }] }, 'payload.questions'],
      [{ mode: 'survey', questions: [] }, 'payload.questions'],
      [{ mode: 'survey', questions: [{ id: 'q1', type: 'single', label: '只有一个选项', required: true, options: ['是'] }] }, 'payload.questions[0].options'],
      [{ mode: 'survey', questions: [{ id: 'q1', type: 'text', label: '简答', required: true, options: ['是'] }] }, 'payload.questions[0].options'],
      [{ mode: 'survey', questions: [{ id: 'q1', type: 'text', label: 'a', required: true, options: [] }, { id: 'q1', type: 'text', label: 'b', required: true, options: [] }] }, 'payload.questions'],
    ];
    const before = await snapshot(h);
    for (const [more, field] of bad) {
      const r = await h.api(STAFF, 'opinions.save', openCall(id, more));
      expect(r).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD', field });
    }
    expect(await h.api(STAFF, 'opinions.save', openCall('act_nope'))).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(describeChanges(changes(before, await snapshot(h)))).toBe('');

    expect(data(await h.api(STAFF, 'opinions.save', openCall(id)))).toEqual({ activityId: id, locked: false });
    const g = data(await h.api(LI, 'opinions.get', { activityId: id }));
    expect(g.solicitation).toMatchObject({ mode: 'open', intro: '您希望宣讲团讲哪些内容？', questions: [{ id: 'suggestion', type: 'text', required: true }] });
    expect(await h.cloud.engine.find(COLLECTIONS.audit, { what: 'opinion.create', objectId: `sol_${id}` })).toHaveLength(1);
  });

  it('never counts an answer against questions that changed under it (staff edit racing the first answer)', async () => {
    for (let round = 0; round < 4; round++) {
      const id = await lecture(`意见征集竞争测试讲座 ${round}`);
      const survey = openCall(id, { mode: 'survey', intro: '', questions: [{ id: 'topic', type: 'single', label: '主题', required: true, options: ['甲', '乙', '丙'] }] });
      data(await h.api(STAFF, 'opinions.save', survey));
      const shrunk = { ...survey, questions: [{ ...survey.questions[0]!, options: ['甲', '乙'] }] };
      const [saved, answered] = await Promise.all([h.api(STAFF, 'opinions.save', shrunk), submit(LI, [{ questionId: 'topic', choices: [2], text: '' }], id)]);
      const [sol] = await h.cloud.engine.find(COLLECTIONS.solicitations, { _id: `sol_${id}` });
      const stored = (sol!.questions as { options: string[] }[])[0]!.options;
      if (answered.ok) {
        // The answer chose 丙: the stored questions must still have it, and be locked.
        expect(stored).toEqual(['甲', '乙', '丙']);
        expect(sol!.locked).toBe(true);
        expect(saved).toMatchObject({ ok: false });
      } else {
        expect(['CONFLICT', 'INVALID_PAYLOAD']).toContain(answered.code);
        expect(await h.cloud.engine.find(COLLECTIONS.opinions, { activityId: id })).toHaveLength(0);
      }
    }
  });

  it('cannot change the questions once answers exist, but can move the closing time', async () => {
    const id = await lecture('意见征集锁定测试讲座');
    const survey = openCall(id, { mode: 'survey', intro: '', questions: [{ id: 'topic', type: 'single', label: '最想听的主题', required: true, options: ['劳动法', '心理健康'] }] });
    data(await h.api(STAFF, 'opinions.save', survey));
    // Unanswered: the questions may change.
    survey.questions[0]!.options.push('职业技能');
    data(await h.api(STAFF, 'opinions.save', survey));
    data(await submit(LI, [{ questionId: 'topic', choices: [2], text: '' }], id));

    const before = await snapshot(h);
    const changed = { ...survey, questions: [{ ...survey.questions[0]!, options: ['劳动法', '心理健康'] }] };
    expect(await h.api(STAFF, 'opinions.save', changed)).toMatchObject({ ok: false, code: 'INVALID_STATE', field: 'payload.questions' });
    expect(await h.api(STAFF, 'opinions.save', { ...survey, window: { ...survey.window, start: survey.window.start + HOUR } })).toMatchObject({ ok: false, code: 'INVALID_STATE' });
    expect(describeChanges(changes(before, await snapshot(h)))).toBe('');

    // Closing early: a closing time now is accepted once answers exist.
    const closeNow = { ...survey, window: { ...survey.window, end: Date.now() + 1000 } };
    expect(data(await h.api(STAFF, 'opinions.save', closeNow))).toEqual({ activityId: id, locked: true });
    await new Promise((r) => setTimeout(r, 1100));
    expect(await submit(LI, [{ questionId: 'topic', choices: [0], text: '' }], id)).toMatchObject({ ok: false, code: 'CLOSED' });
    const s = await summary(id);
    expect(s.solicitation).toMatchObject({ state: 'closed', locked: true });
    expect(counts(s, 'topic')).toEqual({ 劳动法: 0, 心理健康: 0, 职业技能: 1 });
  });
});
