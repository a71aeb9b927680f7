import type { OpinionQuestion, SolicitationDoc } from '../../miniprogram/core/opinion';
import {
  cardState,
  checkAnswers,
  opinionId,
  percent,
  solicitationProblem,
  storedQuestions,
  tallyQuestions,
  type SolicitationInput,
} from '../../miniprogram/core/rules/opinion';
import { DAY, HOUR, fromChina } from '../../miniprogram/core/time';

const NOW = fromChina(2022, 8, 1, 10);
const activity = { time: { start: fromChina(2022, 9, 20, 8), end: fromChina(2022, 9, 21, 17) } };

const questions: OpinionQuestion[] = [
  { id: 'join', type: 'single', label: '是否参加', required: true, options: ['参加', '不参加'] },
  { id: 'events', type: 'multi', label: '希望的项目', required: false, options: ['拔河', '跳绳', '象棋'] },
  { id: 'advice', type: 'text', label: '其他建议', required: false, options: [] },
];

const input = (more: Partial<SolicitationInput> = {}): SolicitationInput => ({
  mode: 'survey',
  title: '运动会意见征集',
  intro: '',
  questions,
  // Open from now until the end of 15 August, China time.
  window: { start: NOW, end: fromChina(2022, 8, 16) },
  ...more,
});

const stored = (more: Partial<SolicitationDoc> = {}): SolicitationDoc => ({
  _id: 'sol_act',
  activityId: 'act',
  ...input(),
  locked: false,
  rev: 1,
  createdAt: NOW,
  updatedAt: NOW,
  ...more,
});

describe('a solicitation staff save', () => {
  it('accepts a survey inside its bounds', () => {
    expect(solicitationProblem(input(), activity, null, NOW)).toBeNull();
  });

  it('closes after it opens, stays open at least an hour and at most 90 days', () => {
    expect(solicitationProblem(input({ window: { start: NOW, end: NOW } }), activity, null, NOW)?.message).toBe('截止时间应晚于开始时间');
    expect(solicitationProblem(input({ window: { start: NOW, end: NOW + 30 * 60_000 } }), activity, null, NOW)?.message).toBe('征集时间至少 1 小时');
    expect(solicitationProblem(input({ window: { start: NOW - 60 * DAY, end: NOW + 31 * DAY } }), activity, null, NOW)?.message).toBe('征集时间不能超过 90 天');
  });

  it('closes at most 30 days after the activity ends, and not before now for a new one', () => {
    const late = { start: NOW, end: activity.time.end + 30 * DAY + 1 };
    expect(solicitationProblem(input({ window: late }), activity, null, NOW)?.field).toBe('payload.window.end');
    expect(solicitationProblem(input({ window: { start: NOW - 2 * DAY, end: NOW } }), activity, null, NOW)?.message).toBe('截止时间应晚于现在');
  });

  it('needs a prompt and no questions for an open call, and stores its one text question', () => {
    expect(solicitationProblem(input({ mode: 'open', questions: [], intro: '请提' }), activity, null, NOW)?.field).toBe('payload.intro');
    expect(solicitationProblem(input({ mode: 'open', intro: '您希望运动会设置哪些项目？' }), activity, null, NOW)?.field).toBe('payload.questions');
    expect(solicitationProblem(input({ mode: 'open', questions: [], intro: '您希望运动会设置哪些项目？' }), activity, null, NOW)).toBeNull();
    expect(storedQuestions({ mode: 'open', questions: [] })).toEqual([{ id: 'suggestion', type: 'text', label: '意见建议', required: true, options: [] }]);
  });

  it('needs two options for a choice question and none for a text question', () => {
    const one = [{ ...questions[0]!, options: ['参加'] }];
    expect(solicitationProblem(input({ questions: one }), activity, null, NOW)).toMatchObject({ field: 'payload.questions[0].options' });
    const text = [{ ...questions[2]!, options: ['x'] }];
    expect(solicitationProblem(input({ questions: text }), activity, null, NOW)).toMatchObject({ field: 'payload.questions[0].options' });
    expect(solicitationProblem(input({ questions: [] }), activity, null, NOW)?.message).toBe('问卷至少需要一个问题');
  });

  it('once answered, keeps its questions and opening time but may move its closing time, even to now', () => {
    const locked = stored({ locked: true });
    const changed = input({ questions: [{ ...questions[0]!, label: '改了问题' }, ...questions.slice(1)] });
    expect(solicitationProblem(changed, activity, locked, NOW)).toMatchObject({ field: 'payload.questions', locked: true });
    expect(solicitationProblem(input({ window: { start: NOW + HOUR, end: fromChina(2022, 8, 16) } }), activity, locked, NOW)).toMatchObject({ locked: true });
    expect(solicitationProblem(input({ window: { start: NOW, end: NOW + HOUR } }), activity, locked, NOW + 2 * HOUR)).toBeNull();
    // Not answered yet: anything may change.
    expect(solicitationProblem(changed, activity, stored(), NOW)).toBeNull();
  });
});

describe("a worker's answers", () => {
  const sol = { mode: 'survey' as const, questions };

  it('are kept in question order with a tally of answered questions and chosen options', () => {
    const r = checkAnswers(
      sol,
      [
        { questionId: 'advice', choices: [], text: '  周末举办  ' },
        { questionId: 'events', choices: [2, 0], text: '' },
        { questionId: 'join', choices: [0], text: '' },
      ],
      true,
    );
    expect(r).toEqual({
      ok: true,
      answers: [
        { questionId: 'join', choices: [0], text: '' },
        { questionId: 'events', choices: [0, 2], text: '' },
        { questionId: 'advice', choices: [], text: '周末举办' },
      ],
      tally: ['join.0', 'join', 'events.0', 'events.2', 'events', 'advice'],
      texts: ['周末举办'],
    });
  });

  it('leave out optional questions left blank', () => {
    const r = checkAnswers(sol, [{ questionId: 'join', choices: [1], text: '' }, { questionId: 'advice', choices: [], text: '   ' }], true);
    expect(r).toMatchObject({ ok: true, tally: ['join.1', 'join'], texts: [] });
  });

  it('are refused without consent, with a required question unanswered, or with answers that do not fit', () => {
    const join = { questionId: 'join', choices: [0], text: '' };
    expect(checkAnswers(sol, [join], false)).toMatchObject({ ok: false, field: 'payload.consent' });
    expect(checkAnswers(sol, [], true)).toMatchObject({ ok: false, field: 'payload.answers', message: '请选择「是否参加」' });
    expect(checkAnswers(sol, [join, join], true)).toMatchObject({ ok: false, field: 'payload.answers[1]' });
    expect(checkAnswers(sol, [{ ...join, choices: [0, 1] }], true)).toMatchObject({ ok: false, message: '「是否参加」只能选一项' });
    expect(checkAnswers(sol, [{ ...join, choices: [2] }], true)).toMatchObject({ ok: false, field: 'payload.answers[0].choices' });
    expect(checkAnswers(sol, [join, { questionId: 'other', choices: [], text: 'x' }], true)).toMatchObject({ ok: false, field: 'payload.answers[1].questionId' });
    expect(checkAnswers(sol, [join, { questionId: 'advice', choices: [], text: '字'.repeat(501) }], true)).toMatchObject({ ok: false, message: '「其他建议」不能超过 500 个字' });
  });

  it('of an open call may run to 1000 characters', () => {
    const open = { mode: 'open' as const, questions: storedQuestions({ mode: 'open', questions: [] }) };
    expect(checkAnswers(open, [{ questionId: 'suggestion', choices: [], text: '字'.repeat(1000) }], true).ok).toBe(true);
    expect(checkAnswers(open, [{ questionId: 'suggestion', choices: [], text: '' }], true)).toMatchObject({ ok: false, message: '请填写「意见建议」' });
  });

  it('have one id per worker and activity', () => {
    expect(opinionId('act_sports', 'u_abc')).toBe('op_act_sports_u_abc');
  });
});

describe('the card and the summary', () => {
  const w = { start: fromChina(2022, 8, 1), end: fromChina(2022, 8, 16) };

  it('shows not yet open, open, answered and closed, judged in China time', () => {
    expect(cardState(w, fromChina(2022, 7, 31, 23, 59), false)).toBe('before');
    expect(cardState(w, fromChina(2022, 8, 1), false)).toBe('open');
    expect(cardState(w, fromChina(2022, 8, 15, 23, 59), true)).toBe('answered');
    expect(cardState(w, fromChina(2022, 8, 16), true)).toBe('closed');
  });

  it('counts each option against the respondents who answered its question, to one decimal', () => {
    const counts = new Map([
      ['join', 3],
      ['join.0', 2],
      ['join.1', 1],
      ['events', 2],
      ['events.0', 2],
      ['events.2', 1],
    ]);
    const t = tallyQuestions(questions, counts);
    expect(t[0]).toEqual({ id: 'join', label: '是否参加', type: 'single', answered: 3, options: [{ label: '参加', count: 2, percent: 66.7 }, { label: '不参加', count: 1, percent: 33.3 }] });
    expect(t[1]!.options.map((o) => o.percent)).toEqual([100, 0, 50]);
    expect(t[2]).toMatchObject({ answered: 0, options: [] });
    expect(percent(1, 0)).toBe(0);
    expect(percent(1, 8)).toBe(12.5);
  });
});
