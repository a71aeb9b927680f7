/**
 * 意见建议征集: before an activity, staff solicit workers' opinions, either with a short survey
 * (single choice, multiple choice, short text) or with an open call for suggestions (a prompt and
 * free text). One solicitation per activity (`solicitations`), one answer per worker and
 * solicitation (`opinions`, id derived from the activity and the opaque user id). Views never
 * carry an OPENID; staff see the author's name and unit, and a masked phone.
 */
import type { Window } from './time';

export const OPINION_QUESTION_TYPES = ['single', 'multi', 'text'] as const;
export type OpinionQuestionType = (typeof OPINION_QUESTION_TYPES)[number];
export const OPINION_QUESTION_TYPE_LABEL: Record<OpinionQuestionType, string> = { single: '单选', multi: '多选', text: '简答' };

/** survey: up to 10 questions; open: a prompt and one free-text answer (an open call for suggestions). */
export const SOLICITATION_MODES = ['survey', 'open'] as const;
export type SolicitationMode = (typeof SOLICITATION_MODES)[number];
export const SOLICITATION_MODE_LABEL: Record<SolicitationMode, string> = { survey: '问卷调查', open: '征集建议' };

export interface OpinionQuestion {
  id: string;
  type: OpinionQuestionType;
  label: string;
  required: boolean;
  /** Choice questions: 2–10 options, answered by index. Empty for text. */
  options: string[];
}

export interface SolicitationDoc {
  /** sol_<activity>: one per activity. */
  _id: string;
  activityId: string;
  mode: SolicitationMode;
  title: string;
  /** The survey's introduction, or the open call's prompt. */
  intro: string;
  questions: OpinionQuestion[];
  /** Half-open [start, end), judged in China time (core/time.ts). */
  window: Window;
  /**
   * Set by the first answer (a conditional update on `rev`): from then on the questions cannot
   * change, only the closing time (and the wording of the title and introduction).
   */
  locked: boolean;
  /** Bumped by every staff edit. */
  rev: number;
  createdAt: number;
  updatedAt: number;
}

export interface OpinionAnswer {
  questionId: string;
  /** Indices of the chosen options (single: at most one). Empty for text questions. */
  choices: number[];
  /** Text questions only. */
  text: string;
}

export interface OpinionReply {
  text: string;
  at: number;
}

export interface OpinionDoc {
  /** op_<activity>_<user>: one answer per worker and solicitation, so a retry never duplicates. */
  _id: string;
  activityId: string;
  userId: string;
  answers: OpinionAnswer[];
  /**
   * What the summary counts, derived from `answers`: the id of every answered question and
   * `<question>.<option index>` for every chosen option. An edit replaces it, so counts move and
   * never double (the summary aggregates over answers at read time).
   */
  tally: string[];
  /** Has a text answer: listed for staff to read and reply to. */
  hasText: boolean;
  /** msgSecCheck asked for a human look ("review"): staff see it marked. */
  flagged: boolean;
  /** Hidden by staff (abusive): neither counted nor shown to other staff as normal. */
  hidden: boolean;
  hiddenReason: string;
  reply: OpinionReply | null;
  /** Edits after the first answer; guards concurrent edits. */
  edits: number;
  createdAt: number;
  updatedAt: number;
}

// ---- views -------------------------------------------------------------------------------------

export type SolicitationState = 'before' | 'open' | 'closed';
/** The card on the activity page: open / answered / closed (and not yet open). */
export type OpinionCardState = SolicitationState | 'answered';

export interface OpinionCard {
  mode: SolicitationMode;
  title: string;
  state: OpinionCardState;
  window: Window;
  answered: boolean;
  /** Staff replied to the caller's answer. */
  replied: boolean;
}

export interface SolicitationView {
  activityId: string;
  mode: SolicitationMode;
  title: string;
  intro: string;
  questions: OpinionQuestion[];
  window: Window;
  state: SolicitationState;
}

export interface MyOpinionView {
  answers: OpinionAnswer[];
  createdAt: number;
  updatedAt: number;
  hidden: boolean;
  reply: OpinionReply | null;
}

export interface OpinionGetView {
  activityTitle: string;
  solicitation: SolicitationView | null;
  mine: MyOpinionView | null;
  serverNow: number;
}

export interface OptionTally {
  label: string;
  count: number;
  /** Of the respondents who answered the question, one decimal (a multiple-choice question's add up to more than 100). */
  percent: number;
}

export interface QuestionTally {
  id: string;
  label: string;
  type: OpinionQuestionType;
  /** Respondents who answered this question. */
  answered: number;
  options: OptionTally[];
}

export interface StaffOpinionItem {
  id: string;
  /** The author as staff may see them: name and unit, the phone masked; never an OPENID. */
  realName: string;
  unitName: string;
  phone: string;
  /** Text answers, with their question; the choices made, as labels. */
  answers: { questionId: string; label: string; text: string; choices: string[] }[];
  flagged: boolean;
  hidden: boolean;
  hiddenReason: string;
  reply: OpinionReply | null;
  edited: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface OpinionSummary {
  activityTitle: string;
  solicitation: (SolicitationView & { locked: boolean }) | null;
  /** Answers counted (hidden ones are not). */
  respondents: number;
  hiddenCount: number;
  questions: QuestionTally[];
  /** Answers with text, newest first, a page at a time. */
  items: StaffOpinionItem[];
  next: string | null;
  serverNow: number;
}
