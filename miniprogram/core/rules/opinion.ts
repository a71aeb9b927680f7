/**
 * The rules of 意见建议征集, pure and shared by the app and the functions: what a solicitation may
 * look like (and what may still change once answers exist), what an answer must contain, the state
 * a worker sees, and the summary's counts and percentages.
 */
import { LIMITS } from '../limits';
import type {
  MyOpinionView,
  OpinionAnswer,
  OpinionCardState,
  OpinionDoc,
  OpinionQuestion,
  OptionTally,
  QuestionTally,
  SolicitationDoc,
  SolicitationMode,
  SolicitationState,
} from '../opinion';
import { DAY, HOUR, windowState, type Window } from '../time';

export const solicitationId = (activityId: string): string => `sol_${activityId}`;
/** Deterministic: one answer per worker and solicitation, whatever the retries. */
export const opinionId = (activityId: string, idKey: string): string => `op_${activityId}_${idKey}`;

/** The one question of an open call for suggestions. */
export const SUGGESTION_QUESTION_ID = 'suggestion';

export interface Problem {
  field: string;
  message: string;
  /** Refused because answers exist (INVALID_STATE), not because the input is wrong. */
  locked?: true;
}

export interface SolicitationInput {
  mode: SolicitationMode;
  title: string;
  intro: string;
  questions: OpinionQuestion[];
  window: Window;
}

/** The questions as stored: an open call gets its one free-text question. */
export function storedQuestions(input: Pick<SolicitationInput, 'mode' | 'questions'>): OpinionQuestion[] {
  if (input.mode === 'open') return [{ id: SUGGESTION_QUESTION_ID, type: 'text', label: '意见建议', required: true, options: [] }];
  return input.questions.map((q) => ({ id: q.id, type: q.type, label: q.label, required: q.required, options: q.type === 'text' ? [] : q.options }));
}

const sameQuestions = (a: OpinionQuestion[], b: OpinionQuestion[]): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * What is wrong with a solicitation staff want to save, or null. `activity` bounds the window
 * (it closes at most LIMITS.opinionAfterActivityDays after the activity ends); `existing` is the
 * stored one: once answers exist (locked), the questions and the opening time stay as they are.
 */
export function solicitationProblem(input: SolicitationInput, activity: { time: Window }, existing: SolicitationDoc | null, now: number): Problem | null {
  const w = input.window;
  if (!(w.start < w.end)) return { field: 'payload.window', message: '截止时间应晚于开始时间' };
  // Closing early once answers exist may make it short; a new one runs at least an hour.
  if (!existing?.locked && w.end - w.start < HOUR) return { field: 'payload.window', message: '征集时间至少 1 小时' };
  if (w.end - w.start > LIMITS.opinionWindowMaxDays * DAY) return { field: 'payload.window', message: `征集时间不能超过 ${LIMITS.opinionWindowMaxDays} 天` };
  if (w.end > activity.time.end + LIMITS.opinionAfterActivityDays * DAY)
    return { field: 'payload.window.end', message: `征集应在活动结束后 ${LIMITS.opinionAfterActivityDays} 天内截止` };
  if (w.start > now + 365 * DAY) return { field: 'payload.window.start', message: '开始时间不能晚于一年以后' };

  if (input.mode === 'open') {
    if (input.questions.length > 0) return { field: 'payload.questions', message: '征集建议不设问题，请把要征求的内容写在说明中' };
    if ([...input.intro].length < 4) return { field: 'payload.intro', message: '请写明要征求哪方面的意见建议（至少 4 个字）' };
  } else {
    if (input.questions.length === 0) return { field: 'payload.questions', message: '问卷至少需要一个问题' };
    if (input.questions.length > LIMITS.opinionQuestionsMax) return { field: 'payload.questions', message: `问卷最多 ${LIMITS.opinionQuestionsMax} 个问题` };
    if (new Set(input.questions.map((q) => q.id)).size !== input.questions.length) return { field: 'payload.questions', message: '问题编号重复' };
    for (let i = 0; i < input.questions.length; i++) {
      const q = input.questions[i]!;
      const field = `payload.questions[${i}]`;
      if (q.type === 'text') {
        if (q.options.length > 0) return { field: `${field}.options`, message: `简答题「${q.label}」不设选项` };
      } else {
        if (q.options.length < 2) return { field: `${field}.options`, message: `选择题「${q.label}」至少需要两个选项` };
        if (q.options.length > LIMITS.opinionOptionsMax) return { field: `${field}.options`, message: `选择题「${q.label}」最多 ${LIMITS.opinionOptionsMax} 个选项` };
      }
    }
  }

  if (existing?.locked) {
    if (existing.mode !== input.mode || !sameQuestions(existing.questions, storedQuestions(input)))
      return { field: 'payload.questions', message: '已有职工作答，问题不能再修改（可以修改截止时间）', locked: true };
    if (existing.window.start !== w.start) return { field: 'payload.window.start', message: '已有职工作答，开始时间不能再修改', locked: true };
  } else if (w.end <= now) {
    return { field: 'payload.window.end', message: '截止时间应晚于现在' };
  }
  return null;
}

export function solicitationState(w: Window, now: number): SolicitationState {
  const s = windowState(w, now);
  return s === 'after' ? 'closed' : s;
}

/** The activity page's card: open / answered / closed (and not yet open). */
export function cardState(w: Window, now: number, answered: boolean): OpinionCardState {
  const s = solicitationState(w, now);
  return s === 'open' && answered ? 'answered' : s;
}

export interface CheckedAnswers {
  ok: true;
  /** In the order of the questions, unanswered ones left out. */
  answers: OpinionAnswer[];
  tally: string[];
  /** The text answers, for the content check. */
  texts: string[];
}

const textMax = (mode: SolicitationMode): number => (mode === 'open' ? LIMITS.opinionOpenTextMax : LIMITS.opinionTextMax);

/** Checks a worker's answers against the solicitation's questions. */
export function checkAnswers(sol: Pick<SolicitationDoc, 'mode' | 'questions'>, answers: OpinionAnswer[], consent: boolean): CheckedAnswers | ({ ok: false } & Problem) {
  const bad = (field: string, message: string) => ({ ok: false as const, field, message });
  if (!consent) return bad('payload.consent', '请先勾选同意：工作人员可以看到您的姓名和所在工会，以便汇总和回复');
  const byId = new Map<string, { a: OpinionAnswer; i: number }>();
  for (let i = 0; i < answers.length; i++) {
    const a = answers[i]!;
    if (byId.has(a.questionId)) return bad(`payload.answers[${i}]`, '同一个问题回答了两次');
    byId.set(a.questionId, { a, i });
  }
  const known = new Set(sol.questions.map((q) => q.id));
  for (const [id, { i }] of byId) if (!known.has(id)) return bad(`payload.answers[${i}].questionId`, '问卷中没有这个问题，请刷新后重新填写');

  const out: OpinionAnswer[] = [];
  const tally: string[] = [];
  const texts: string[] = [];
  for (const q of sol.questions) {
    const found = byId.get(q.id);
    const field = found ? `payload.answers[${found.i}]` : 'payload.answers';
    const a = found?.a;
    const text = a?.text.trim() ?? '';
    const choices = a ? [...a.choices].sort((x, y) => x - y) : [];
    if (q.type === 'text') {
      if (choices.length > 0) return bad(`${field}.choices`, `「${q.label}」是简答题，不能选择选项`);
      if ([...text].length > textMax(sol.mode)) return bad(`${field}.text`, `「${q.label}」不能超过 ${textMax(sol.mode)} 个字`);
      if (text === '') {
        if (q.required) return bad(field, `请填写「${q.label}」`);
        continue;
      }
      out.push({ questionId: q.id, choices: [], text });
      texts.push(text);
    } else {
      if (text !== '') return bad(`${field}.text`, `「${q.label}」是选择题，请选择选项`);
      if (choices.some((c) => c >= q.options.length)) return bad(`${field}.choices`, `「${q.label}」没有这个选项，请刷新后重新填写`);
      if (q.type === 'single' && choices.length > 1) return bad(`${field}.choices`, `「${q.label}」只能选一项`);
      if (choices.length === 0) {
        if (q.required) return bad(field, `请选择「${q.label}」`);
        continue;
      }
      out.push({ questionId: q.id, choices, text: '' });
      tally.push(...choices.map((c) => `${q.id}.${c}`));
    }
    tally.push(q.id);
  }
  if (out.length === 0) return bad('payload.answers', '请至少回答一个问题');
  return { ok: true, answers: out, tally, texts };
}

export const sameAnswers = (a: OpinionAnswer[], b: OpinionAnswer[]): boolean => JSON.stringify(a) === JSON.stringify(b);

/** One decimal, half up: 2 of 3 → 66.7. */
export function percent(count: number, of: number): number {
  if (of <= 0) return 0;
  return Math.round((count * 1000) / of) / 10;
}

/**
 * The per-question counts from the tally's group counts (`q` → answered, `q.i` → chose option i).
 * Percentages are of the respondents who answered the question.
 */
export function tallyQuestions(questions: OpinionQuestion[], counts: ReadonlyMap<string, number>): QuestionTally[] {
  return questions.map((q) => {
    const answered = counts.get(q.id) ?? 0;
    const options: OptionTally[] = q.options.map((label, i) => {
      const count = counts.get(`${q.id}.${i}`) ?? 0;
      return { label, count, percent: percent(count, answered) };
    });
    return { id: q.id, label: q.label, type: q.type, answered, options };
  });
}

export function myOpinionView(o: OpinionDoc): MyOpinionView {
  return { answers: o.answers, createdAt: o.createdAt, updatedAt: o.updatedAt, hidden: o.hidden, reply: o.reply };
}
