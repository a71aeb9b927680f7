/**
 * Over `npm start`'s demo data, through the HTTP face only: the demo staff member creates a
 * competition, opens it, and, moving the local cloud's clock, takes it through submissions and
 * judging to publication — what a newcomer can do by hand in DevTools local mode. On the way they
 * ask the workers' opinions before the competition (意见征集) and export registrations and results
 * to Excel.
 */
import { call, must, useStartedCloud } from './process';

const started = useStartedCloud('staff');
const STAFF = 'demo-staff-chen';
const DAY = 86_400_000;
const HOUR = 3_600_000;

const ok = <T = Record<string, unknown>>(who: string, action: string, payload: unknown): Promise<T> => must<T>(started().url, who, action, payload);

async function clock(offsetMs: number): Promise<void> {
  await fetch(`${started().url}/_control/clock`, { method: 'POST', body: JSON.stringify({ offsetMs }), headers: { 'content-type': 'application/json' } });
}

it('staff create a competition, open it, and take it through judging to publication', async () => {
  const health = (await (await fetch(`${started().url}/_control/health`)).json()) as { now: number };
  const now = health.now;
  const w = (start: number, end: number) => ({ start: now + start, end: now + end });
  const { id } = await ok<{ id: string }>(STAFF, 'activities.save', {
    kind: 'competition',
    title: '“劳动之美”职工征文比赛',
    summary: '征文一个赛道',
    body: '征文 300–3000 字。',
    time: w(-HOUR, 10 * DAY),
    place: '线上提交',
    capacity: 0,
    signup: w(-HOUR, 2 * DAY),
    planItem: '职工文化比赛',
    questions: [],
    requiresVerified: false,
    requiresApproval: false,
    competition: {
      year: 2022,
      // 初评 by three judges, then the best two (and any tie) go on to 复评.
      tracks: [{ id: 'essay', name: '征文', minChars: 300, maxChars: 3000, maxPhotos: 0, maxMB: 0, maxSeconds: 0, round2: { count: 2, percent: 0 } }],
      windows: { registration: w(-HOUR, 2 * DAY), submission: w(-HOUR, 3 * DAY), judging: w(3 * DAY, 5 * DAY), publicity: w(5 * DAY, 10 * DAY), appeal: w(5 * DAY, 8 * DAY) },
    },
  });
  await ok(STAFF, 'activities.setStatus', { id, status: 'published' });

  // 意见征集 before the activity: a one-question survey, answered by two workers.
  await ok(STAFF, 'opinions.save', {
    activityId: id,
    mode: 'survey',
    title: '征文主题意见征集',
    intro: '请告诉我们您最想写的主题。',
    questions: [{ id: 'theme', type: 'single', label: '您最想写的主题', required: true, options: ['岗位故事', '家乡变化', '师徒传承'] }],
    window: w(-HOUR, 2 * DAY),
  });
  for (const [who, choice] of [['demo-worker-li', 0], ['demo-worker-wang', 2]] as const)
    await ok(who, 'opinions.submit', { activityId: id, answers: [{ questionId: 'theme', choices: [choice], text: '' }], consent: true });
  const summary = await ok<{ respondents: number; questions: { options: { label: string; count: number }[] }[] }>(STAFF, 'opinions.summary', { activityId: id });
  expect(summary.respondents).toBe(2);
  expect(summary.questions[0]!.options.map((o) => o.count)).toEqual([1, 0, 1]);

  const authors = ['demo-worker-li', 'demo-worker-wang', 'demo-author-01', 'demo-author-02'];
  for (const [i, who] of authors.entries()) {
    await ok(who, 'registrations.create', { activityId: id, tracks: ['essay'], answers: [] });
    const entry = await ok<{ id: string }>(who, 'entries.open', { activityId: id, trackId: 'essay' });
    await ok(who, 'entries.saveDraft', { entryId: entry.id, content: { kind: 'essay', title: `劳动之美 ${i + 1}`, text: '平凡的岗位上，每一天都有值得记下的瞬间。'.repeat(20 + i) } });
    await ok(who, 'entries.submit', { entryId: entry.id });
  }

  const { invitations } = await ok<{ invitations: { code: string }[] }>(STAFF, 'judging.invite', { activityId: id, trackId: 'essay', count: 3, days: 7 });
  const judges = ['demo-judge-zhao', 'demo-judge-qian', 'demo-judge-sun'];
  for (const [i, judge] of judges.entries()) await ok(judge, 'judging.join', { code: invitations[i]!.code });

  await clock(3 * DAY + HOUR);
  try {
    const assigned = await ok<{ created: number }>(STAFF, 'judging.assign', { activityId: id, trackId: 'essay', mode: 'all', k: 1 });
    expect(assigned.created).toBeGreaterThan(0);
    const scoreRound = async (round: 1 | 2): Promise<number> => {
      let scored = 0;
      for (const [j, judge] of judges.entries()) {
        const q = await ok<{ items: { scoreId: string; code: string; round: number; state: string }[] }>(judge, 'judging.queue', { activityId: id, trackId: 'essay' });
        for (const item of q.items) {
          if (item.round !== round || item.state === 'final') continue;
          const n = Number(item.code.slice(-4));
          const s = Math.min(10, 5 + ((n + round) % 5) + j * 0.5);
          await ok(judge, 'judging.save', { scoreId: item.scoreId, scores: [{ criterionId: 'content', score: s }, { criterionId: 'writing', score: s }, { criterionId: 'creativity', score: s }], comment: '' });
          await ok(judge, 'judging.submit', { scoreId: item.scoreId });
          scored++;
        }
      }
      return scored;
    };
    expect(await scoreRound(1)).toBe(authors.length * judges.length);

    // 复评: the board offers it; two of the panel score the finalists.
    const board = await ok<{ round2Available: boolean; judges: { id: string }[] }>(STAFF, 'judging.progress', { activityId: id, trackId: 'essay' });
    expect(board.round2Available).toBe(true);
    const round2 = await ok<{ started: boolean; finalists: { code: string }[] }>(STAFF, 'judging.startRound2', {
      activityId: id, trackId: 'essay', judges: board.judges.slice(0, 2).map((j) => j.id), mode: 'all', k: 1, dryRun: false,
    });
    expect(round2.started).toBe(true);
    expect(round2.finalists.length).toBeGreaterThanOrEqual(2);
    expect(await scoreRound(2)).toBe(round2.finalists.length * 2);
    await clock(5 * DAY + HOUR);
    expect(await ok(STAFF, 'results.compute', { activityId: id, trackId: 'essay' })).toEqual({ state: 'preview', missingScores: 0 });
    const first = await call(started().url, STAFF, 'results.publish', { activityId: id, trackId: 'essay' });
    const published = first.ok ? first : await call(started().url, STAFF, 'results.publish', { activityId: id, trackId: 'essay', overrideReason: '分差已复核，维持评分' });
    expect(published.ok).toBe(true);
    const mine = await ok<{ items: { state: string; rank: number | null }[] }>('demo-worker-li', 'results.mine', {});
    expect(mine.items.find((x) => x.state === 'publicity')?.rank).toBeGreaterThan(0);

    // Both workbooks, served by the export function and fetched from their temp URLs.
    for (const [action, payload, rows] of [
      ['exports.results', { activityId: id, trackId: 'essay' }, authors.length],
      ['exports.registrations', { activityId: id }, authors.length],
    ] as const) {
      const file = await ok<{ url: string; rows: number }>(STAFF, action, payload);
      expect(file.rows).toBe(rows);
      const bytes = Buffer.from(await (await fetch(file.url)).arrayBuffer());
      expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK'); // an .xlsx is a zip
    }
  } finally {
    await clock(0);
  }
});
