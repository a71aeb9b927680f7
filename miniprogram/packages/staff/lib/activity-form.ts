/**
 * The activity editor's form, and the pure steps around it: a blank form with sensible windows,
 * the form of an activity being edited, the payload of `activities.save` with every problem
 * found before sending (the contract's own schema, then core/staff.ts `windowProblems`), and the
 * place on the form a server's `field` points at.
 */
import { activityInput, type PayloadOf } from '../../../core/actions';
import type { ActivityKind, CompetitionWindows, Track, TrackKind } from '../../../core/domain';
import { windowProblems, type StaffActivityDetail } from '../../../core/staff';
import { DAY, HOUR, startOfChinaDay, toChina, type Window } from '../../../core/time';
import { DEFAULT_PLAN_ITEM } from './labels';
import { windowForm, windowOf, type WindowForm } from './when';

export type ActivityPayload = PayloadOf<'activities.save'>;

export const WINDOW_KEYS = ['registration', 'submission', 'judging', 'publicity', 'appeal'] as const;
export type WindowKey = (typeof WINDOW_KEYS)[number];

export const WINDOW_LABEL: Record<WindowKey, string> = {
  registration: '报名期',
  submission: '作品提交期',
  judging: '评审期',
  publicity: '公示期',
  appeal: '申诉期',
};

export const WINDOW_HINT: Record<WindowKey, string> = {
  registration: '职工报名参赛的时间',
  submission: '不早于报名开始；报名应在提交截止前结束',
  judging: '在作品提交截止之后',
  publicity: '在评审结束之后，公示获奖名单',
  appeal: '在公示期之内',
};

export interface QuestionForm {
  id: string;
  label: string;
  type: 'text' | 'choice';
  required: boolean;
  /** Choices as typed: separated by 、，, or line breaks. */
  options: string;
}

export interface TrackForm {
  id: TrackKind;
  on: boolean;
  name: string;
  minChars: string;
  maxChars: string;
  maxPhotos: string;
  maxMB: string;
  maxSeconds: string;
  /** 复评: how many of 初评 go on ('' = no 复评), and what was stored (sent only when changed). */
  round2: string;
  round2Loaded: string;
}

export interface ActivityForm {
  kind: ActivityKind | '';
  title: string;
  summary: string;
  body: string;
  place: string;
  capacity: string;
  planItem: string;
  time: WindowForm;
  signup: WindowForm;
  requiresVerified: boolean;
  requiresApproval: boolean;
  questions: QuestionForm[];
  tracks: TrackForm[];
  windows: Record<WindowKey, WindowForm>;
  /** The competition's year, kept from the stored activity (new ones take the registration's year). */
  year: number;
}

/** Where an error shows on the form (flat keys: setData paths cannot hold dots). */
export type ErrorKey =
  | 'kind'
  | 'title'
  | 'summary'
  | 'body'
  | 'place'
  | 'capacity'
  | 'planItem'
  | 'time'
  | 'signup'
  | 'questions'
  | 'tracks'
  | 'competition'
  | `w_${WindowKey}`;

export type Errors = Partial<Record<ErrorKey, string>>;

/** The order errors are met scrolling down the form: the first one is where the page scrolls. */
export const ERROR_ORDER: ErrorKey[] = [
  'kind',
  'title',
  'summary',
  'body',
  'place',
  'capacity',
  'planItem',
  'time',
  'signup',
  'tracks',
  'competition',
  'w_registration',
  'w_submission',
  'w_judging',
  'w_publicity',
  'w_appeal',
  'questions',
];

const TRACK_DEFAULTS: Record<TrackKind, Omit<TrackForm, 'on'>> = {
  essay: { id: 'essay', name: '征文', minChars: '800', maxChars: '5000', maxPhotos: '0', maxMB: '0', maxSeconds: '0', round2: '', round2Loaded: '' },
  photo: { id: 'photo', name: '摄影', minChars: '0', maxChars: '0', maxPhotos: '6', maxMB: '10', maxSeconds: '0', round2: '', round2Loaded: '' },
  video: { id: 'video', name: '微视频', minChars: '0', maxChars: '0', maxPhotos: '0', maxMB: '200', maxSeconds: '300', round2: '', round2Loaded: '' },
};

function defaultTracks(on: boolean): TrackForm[] {
  return (['essay', 'photo', 'video'] as const).map((k) => ({ ...TRACK_DEFAULTS[k], on }));
}

/** A new activity: an afternoon a week from today, sign-up open from now until the evening before. */
export function blankForm(now: number): ActivityForm {
  const today = startOfChinaDay(now);
  const at = (d: number, h: number): number => today + d * DAY + h * HOUR;
  const w = (s: number, e: number): WindowForm => windowForm({ start: s, end: e });
  return {
    kind: '',
    title: '',
    summary: '',
    body: '',
    place: '',
    capacity: '0',
    planItem: '',
    time: w(at(7, 14), at(7, 16)),
    signup: w(at(0, 9), at(6, 18)),
    requiresVerified: false,
    requiresApproval: false,
    questions: [],
    tracks: defaultTracks(true),
    windows: {
      registration: w(at(0, 9), at(30, 0)),
      submission: w(at(0, 9), at(30, 0)),
      judging: w(at(30, 0), at(40, 0)),
      publicity: w(at(40, 0), at(47, 0)),
      appeal: w(at(40, 0), at(45, 0)),
    },
    year: toChina(now).year,
  };
}

/** The kind chosen on a blank form also suggests its plan item (left alone once picked). */
export function planItemFor(kind: ActivityKind, current: string): string {
  return current || DEFAULT_PLAN_ITEM[kind];
}

function trackForm(t: Track): TrackForm {
  const mb = (bytes: number): string => String(Math.round(bytes / (1024 * 1024)));
  const base = { ...TRACK_DEFAULTS[t.kind], on: true, name: t.name };
  if (t.kind === 'essay') return { ...base, minChars: String(t.limits.minChars), maxChars: String(t.limits.maxChars) };
  if (t.kind === 'photo') return { ...base, maxPhotos: String(t.limits.maxPhotos), maxMB: mb(t.limits.maxBytes) };
  return { ...base, maxSeconds: String(t.limits.maxSeconds), maxMB: mb(t.limits.maxBytes) };
}

/**
 * The form of a stored activity (`activities.get`). An activity whose document does not record
 * `requiresApproval` comes with null (or, from an older function, without it): then it is reported
 * as unknown, so the editor can ask rather than silently turn approval off.
 */
export function formOf(d: StaffActivityDetail, now: number): { form: ActivityForm; approvalKnown: boolean } {
  const a = d as Omit<StaffActivityDetail, 'requiresApproval'> & { requiresApproval?: boolean | null };
  const blank = blankForm(now);
  const comp = a.competition;
  const tracks = defaultTracks(false).map((t) => {
    const stored = comp?.tracks.find((x) => x.id === t.id);
    if (!stored) return t;
    // 复评 set as a count shows here; one set as a share (by the api) is left as it is.
    const count = comp?.judging?.[t.id]?.round2?.count;
    const r2 = count ? String(count) : '';
    return { ...trackForm(stored), round2: r2, round2Loaded: r2 };
  });
  return {
    approvalKnown: typeof a.requiresApproval === 'boolean',
    form: {
      kind: a.kind,
      title: a.title,
      summary: a.summary,
      body: a.body,
      place: a.place,
      capacity: String(a.capacity),
      planItem: a.planItem,
      time: windowForm(a.time),
      signup: windowForm(a.signup),
      requiresVerified: a.requiresVerified,
      requiresApproval: a.requiresApproval ?? false,
      questions: a.questions.map((q) => ({ id: q.id, label: q.label, type: q.type, required: q.required, options: (q.options ?? []).join('、') })),
      tracks: comp ? tracks : blank.tracks,
      windows: comp
        ? (Object.fromEntries(WINDOW_KEYS.map((k) => [k, windowForm(comp.windows[k])])) as Record<WindowKey, WindowForm>)
        : blank.windows,
      year: comp?.year ?? blank.year,
    },
  };
}

export function splitOptions(text: string): string[] {
  return text
    .split(/[、，,;；\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The next free question id (q1, q2…), never reusing one of the stored questions'. */
export function nextQuestionId(questions: QuestionForm[]): string {
  const n = questions.reduce((max, q) => Math.max(max, Number(/^q(\d+)$/.exec(q.id)?.[1] ?? 0)), 0);
  return `q${n + 1}`;
}

/** The form key a schema path or a server `field` points at. */
export function errorKeyOf(field: string | undefined): ErrorKey | null {
  const path = (field ?? '').replace(/^payload\.?/, '');
  if (!path) return null;
  const w = /^competition\.windows\.(\w+)/.exec(path);
  if (w) return (WINDOW_KEYS as readonly string[]).includes(w[1] ?? '') ? (`w_${w[1]}` as ErrorKey) : 'competition';
  if (path.startsWith('competition.tracks')) return 'tracks';
  if (path.startsWith('competition')) return 'competition';
  const head = path.split(/[.[]/)[0] ?? '';
  const direct: ErrorKey[] = ['kind', 'title', 'summary', 'body', 'place', 'capacity', 'planItem', 'time', 'signup', 'questions'];
  if ((direct as string[]).includes(head)) return head as ErrorKey;
  if (head === 'requiresVerified' || head === 'requiresApproval') return 'questions';
  return null;
}

/** For a competition the sign-up window is its registration window: errors go there. */
export function placeError(key: ErrorKey, isCompetition: boolean): ErrorKey {
  return key === 'signup' && isCompetition ? 'w_registration' : key;
}

const intOf = (s: string): number | null => (/^\s*\d+\s*$/.test(s) ? Number(s.trim()) : null);

/** The payload, or the problems found on the form (each under its field). */
export function payloadOf(form: ActivityForm, id: string | null): { payload: ActivityPayload; errors: null } | { payload: null; errors: Errors } {
  const errors: Errors = {};
  const need = (key: ErrorKey, ok: boolean, message: string): void => {
    if (!ok && !errors[key]) errors[key] = message;
  };
  const isCompetition = form.kind === 'competition';
  need('kind', form.kind !== '', '请选择活动类型');
  need('title', form.title.trim() !== '', '请填写活动名称');
  need('place', form.place.trim() !== '', '请填写活动地点');
  need('planItem', form.planItem !== '', '请选择计入的年度计划项目');
  const capacity = intOf(form.capacity);
  need('capacity', capacity !== null, '请填写名额（整数，0 表示不限）');

  const time = windowOf(form.time);
  need('time', time !== null, '请选择活动的开始和结束时间');
  const windows: Partial<Record<WindowKey, Window>> = {};
  if (isCompetition) {
    for (const k of WINDOW_KEYS) {
      const w = windowOf(form.windows[k]);
      if (w) windows[k] = w;
      else need(`w_${k}`, false, `请选择${WINDOW_LABEL[k]}的开始和结束时间`);
    }
  }
  const signup = isCompetition ? (windows.registration ?? null) : windowOf(form.signup);
  if (!isCompetition) need('signup', signup !== null, '请选择报名的开始和结束时间');

  const questions = form.questions.map((q) => ({
    id: q.id,
    label: q.label.trim(),
    type: q.type,
    required: q.required,
    options: q.type === 'choice' ? splitOptions(q.options) : [],
  }));
  const emptyQuestion = questions.find((q) => !q.label);
  need('questions', !emptyQuestion, '请填写每个问题的内容，或删去不用的问题');
  const fewChoices = questions.find((q) => q.type === 'choice' && q.options.length < 2);
  need('questions', !fewChoices, `选择题「${fewChoices?.label ?? ''}」至少需要两个选项`);

  const tracks = form.tracks.filter((t) => t.on);
  let competition: ActivityPayload['competition'] = null;
  if (isCompetition) {
    need('tracks', tracks.length > 0, '请至少开设一个赛道');
    const parsed = tracks.map((t) => ({
      id: t.id,
      name: t.name.trim(),
      minChars: intOf(t.minChars),
      maxChars: intOf(t.maxChars),
      maxPhotos: intOf(t.maxPhotos),
      maxMB: intOf(t.maxMB),
      maxSeconds: intOf(t.maxSeconds),
      round2: t.round2.trim() === t.round2Loaded ? undefined : t.round2.trim() === '' ? 0 : intOf(t.round2),
    }));
    need('tracks', parsed.every((t) => t.name !== ''), '请填写每个赛道的名称');
    need('tracks', parsed.every((t) => [t.minChars, t.maxChars, t.maxPhotos, t.maxMB, t.maxSeconds].every((n) => n !== null)), '赛道的限制请填写整数');
    need('tracks', parsed.every((t) => t.round2 === undefined || (t.round2 !== null && t.round2 <= 1000)), '复评作品数请填写 0 到 1000 的整数（不设复评请留空）');
    for (const t of parsed) {
      if (t.id === 'essay') need('tracks', (t.maxChars ?? 0) >= 1 && (t.minChars ?? 0) <= (t.maxChars ?? 0), '征文的字数上限应大于下限');
      if (t.id === 'photo') need('tracks', (t.maxPhotos ?? 0) >= 1 && (t.maxMB ?? 0) >= 1, '摄影赛道需要照片数量和大小上限');
      if (t.id === 'video') need('tracks', (t.maxSeconds ?? 0) >= 1 && (t.maxMB ?? 0) >= 1, '微视频赛道需要时长和大小上限');
    }
    const reg = windows.registration;
    competition = {
      year: reg ? toChina(reg.start).year : form.year,
      tracks: parsed.map((t) => ({
        id: t.id,
        name: t.name,
        minChars: t.minChars ?? 0,
        maxChars: t.maxChars ?? 0,
        maxPhotos: t.maxPhotos ?? 0,
        maxMB: t.maxMB ?? 0,
        maxSeconds: t.maxSeconds ?? 0,
        ...(t.round2 === undefined ? {} : { round2: { count: t.round2 ?? 0, percent: 0 } }),
      })),
      windows: windows as CompetitionWindows,
    };
    // An existing competition keeps its year (its entry codes carry it).
    if (id) competition.year = form.year;
  }
  if (Object.keys(errors).length) return { payload: null, errors };

  const payload: ActivityPayload = {
    ...(id ? { id } : {}),
    kind: form.kind as ActivityKind,
    title: form.title.trim(),
    summary: form.summary.trim(),
    body: form.body.trim(),
    time: time!,
    place: form.place.trim(),
    capacity: capacity!,
    signup: signup!,
    planItem: form.planItem,
    questions,
    requiresVerified: form.requiresVerified,
    requiresApproval: form.requiresApproval,
    competition,
  };
  // The contract's own checks (lengths, ranges), then the windows' order, as the server will.
  const parsed = activityInput.parse(payload, 'payload');
  if (!parsed.ok) {
    const key = placeError(errorKeyOf(parsed.issue.path) ?? 'title', isCompetition);
    return { payload: null, errors: { [key]: parsed.issue.message } };
  }
  const problem = windowProblems(payload.time, payload.signup, competition?.windows ?? null);
  if (problem) {
    const key = placeError(errorKeyOf(problem.field) ?? 'time', isCompetition);
    return { payload: null, errors: { [key]: problem.message } };
  }
  return { payload, errors: null };
}
