/**
 * Judging and results: stored documents and the views judges, staff and entrants receive.
 * A judge's views carry the entry code only: never the author's name, unit, enterprise, phone,
 * user id or OPENID (a test scans every judge-facing response for them).
 */
import type { EntryContent, TrackKind } from './domain';
import type { AwardTier, Rubric, ScoringSettings, Share } from './rules/scoring';

/**
 * 复评 (round 2) of a track: how many of 初评 go on, a count or a share of the participants
 * (rounded down, at least 1); entries tied with the last are all carried over (scoring rule 7).
 * The judges of 复评 are chosen when staff start it (they sit on the panel by then).
 */
export interface Round2Settings {
  count?: number;
  share?: Share;
}

/** Per-track judging settings, part of the competition. */
export interface TrackJudging {
  rubric: Rubric;
  scoring: ScoringSettings;
  /** Judges must write a comment with a final score. */
  commentRequired: boolean;
  /** 复评 after 初评; absent or null: one round. */
  round2?: Round2Settings | null;
}

/** How a round's scoring was assigned: every eligible judge, or k per entry (balanced). */
export interface AssignmentPlan {
  mode: 'all' | 'k';
  k: number;
}

/** One finalist of 复评, as picked from 初评 when it started. */
export interface Finalist {
  entryId: string;
  code: string;
  /** 初评 rank and score (2 dp). */
  rank: number;
  score: string;
}

/**
 * The judging state of one track: js_<activity>_<track>. Written by the first assignment (its plan)
 * and by the start of 复评, which records the finalists and locks 初评: from then on no round-1
 * score is saved, submitted or returned.
 */
export interface JudgingStateDoc {
  _id: string;
  activityId: string;
  trackId: string;
  /** The plan of each round's assignment, by round ("1", "2"). */
  plans: { [round: string]: AssignmentPlan };
  round2: {
    /** Sorted by entry id (results page through them by id range). */
    finalists: Finalist[];
    /** The k of the settings at the start (ties may carry more). */
    k: number;
    /** The judges of 复评 (user ids of panel seats). */
    judges: string[];
    startedAt: number;
    startedBy: string;
    /** Started with 初评 scores missing: who and why. */
    override: { reason: string; missing: number } | null;
  } | null;
  updatedAt: number;
}

/** A conflict of interest declared by staff between a judge (the seat) and an entry. */
export interface DeclaredConflict {
  reason: string;
  by: string;
  at: number;
}

export type ConflictKind = 'unit' | 'enterprise' | 'declared';

/**
 * Default tiers: fixed counts for the prizes and a share for 优秀奖; the ⌊participants / 3⌋ cap
 * cuts them from the lowest tier up in small competitions.
 */
export const DEFAULT_TIERS: AwardTier[] = [
  { id: 'first', name: '一等奖', count: 1 },
  { id: 'second', name: '二等奖', count: 2 },
  { id: 'third', name: '三等奖', count: 3 },
  { id: 'merit', name: '优秀奖', share: { num: 1, den: 10 } },
];

/**
 * Appeals are taken from publication (公示 starts when staff publish) until the appeal window's
 * end, so publishing early never shortens the time entrants have.
 */
export function appealOpen(resultsState: string, appealEnd: number, now: number): boolean {
  return resultsState === 'publicity' && now < appealEnd;
}

/** A judge's seat on a track's panel: pm_<activity>_<track>_<user>. */
export interface PanelDoc {
  _id: string;
  activityId: string;
  trackId: string;
  userId: string;
  /** For conflicts: a judge never scores an entry from their own unit or enterprise. */
  unitId: string;
  enterprise: string;
  /** Shown to staff only. */
  name: string;
  joinedAt: number;
  invitationId: string;
  /** Conflicts declared by staff, by entry code (blind codes: no dot, no author). */
  conflicts?: Record<string, DeclaredConflict>;
}

export const CONFLICT_LABEL: Record<ConflictKind, string> = { unit: '同单位', enterprise: '同企业', declared: '人工回避' };

/**
 * Why a judge must not score an entry, or null: the automatic rule (the author's own unit or
 * enterprise) and the conflicts staff declared, in one place for assignment, save and submit.
 */
export function conflictOf(
  seat: Pick<PanelDoc, 'unitId' | 'enterprise' | 'conflicts'>,
  entry: { code: string; unitId?: string | null; enterprise?: string | null },
): ConflictKind | null {
  if (seat.conflicts && Object.prototype.hasOwnProperty.call(seat.conflicts, entry.code)) return 'declared';
  if (seat.unitId && entry.unitId && seat.unitId === entry.unitId) return 'unit';
  if (seat.enterprise && entry.enterprise && seat.enterprise === entry.enterprise) return 'enterprise';
  return null;
}

/**
 * How many of 初评 go into 复评 (the k of pickFinalists): the count, or the share of the
 * participants rounded down, at least 1 when there is anyone; null when the settings ask for none.
 */
export function finalistTarget(r: Round2Settings | null | undefined, participants: number): number | null {
  if (!r) return null;
  let k: number | null = null;
  if (typeof r.count === 'number' && r.count > 0) k = r.count;
  else if (r.share && r.share.den > 0 && r.share.num > 0) k = Math.floor((participants * r.share.num) / r.share.den);
  if (k === null) return null;
  return participants > 0 ? Math.max(1, Math.min(k, participants)) : 0;
}

export interface InvitationDoc {
  _id: string;
  /** 8 characters, unambiguous alphabet: typed or scanned (QR scene `j=<code>`). */
  code: string;
  activityId: string;
  trackId: string;
  expiresAt: number;
  usedBy: string | null;
  usedAt: number | null;
  createdBy: string;
  createdAt: number;
  qrFileID: string | null;
}

export type ScoreState = 'assigned' | 'draft' | 'final';

/** One judge's assignment and score for one entry in one round: sc_<round>_<entry>_<judge>. */
export interface ScoreDoc {
  _id: string;
  activityId: string;
  trackId: string;
  round: 1 | 2;
  entryId: string;
  entryCode: string;
  judgeId: string;
  state: ScoreState;
  /** criterion id → points (half points allowed). */
  scores: Record<string, number>;
  comment: string;
  /** Why staff returned a final score for editing (shown to the judge). */
  returnedReason: string;
  submittedAt: number | null;
  updatedAt: number;
}

export type ResultsState = 'computing' | 'preview' | 'publicity' | 'final';

export interface ResultRow {
  entryId: string;
  code: string;
  rank: number | null;
  award: string | null;
  score: string | null;
  mean: string | null;
  spread: string | null;
  judges: number;
  recheck: boolean;
  /** Per-judge totals (2 dp, for information), keyed by an anonymous judge index. */
  totals: string[];
  /** The round whose scores placed the entry (2 for the finalists of 复评). */
  round?: 1 | 2;
  finalist?: boolean;
}

/** The results of one track: res_<activity>_<track>. */
export interface ResultsDoc {
  _id: string;
  activityId: string;
  trackId: string;
  state: ResultsState;
  participants: number;
  cap: number;
  rows: ResultRow[];
  warnings: string[];
  missingScores: number;
  computedAt: number;
  computedBy: string;
  publishedAt: number | null;
  publishOverride: { by: string; reason: string; at: number } | null;
  finalAt: number | null;
  /**
   * 复评: 'none' (one round), 'pending' (the settings ask for it, not started: publish needs an
   * override), 'started' (finalists placed by their 复评 scores). Absent on older documents: 'none'.
   */
  round2?: 'none' | 'pending' | 'started';
  /** 复评 scores not yet final (included in missingScores). */
  round2Missing?: number;
  /** Bumped on every write: guards publish/finalise against a concurrent recompute. */
  version: number;
}

export type AppealState = 'open' | 'answered';

export interface AppealDoc {
  _id: string;
  activityId: string;
  trackId: string;
  entryId: string;
  userId: string;
  reason: string;
  state: AppealState;
  answer: string;
  /** The answer sent the entry back to 复核. */
  recheck: boolean;
  createdAt: number;
  answeredAt: number | null;
  answeredBy: string | null;
}

// ---- views -------------------------------------------------------------------------------------

export interface PanelView {
  activityId: string;
  activityTitle: string;
  trackId: string;
  trackName: string;
  kind: TrackKind;
  assigned: number;
  finals: number;
  judgingEnds: number;
}

export interface QueueItem {
  scoreId: string;
  code: string;
  /** 1 初评, 2 复评 (shown as a badge). */
  round: 1 | 2;
  /** 初评 once 复评 has started: read-only. */
  locked: boolean;
  state: ScoreState;
  /** The judge's own total (2 dp) once scored. */
  total: string | null;
  returnedReason: string;
}

/** What a judge sees of an entry: its code and the work, nothing about its author. */
export interface BlindEntry {
  scoreId: string;
  code: string;
  kind: TrackKind;
  title: string;
  text: string;
  photos: { url: string; caption: string }[];
  video: { url: string; cover: string; seconds: number; description: string } | null;
  rubric: Rubric;
  commentRequired: boolean;
  state: ScoreState;
  scores: Record<string, number>;
  comment: string;
  returnedReason: string;
  round: 1 | 2;
  /** 初评 once 复评 has started: read-only. */
  locked: boolean;
  /** Position in the judge's queue, for next/previous. */
  index: number;
  count: number;
}

export interface ProgressView {
  /** The round shown (the current one unless asked). */
  round: 1 | 2;
  /** 2 once 复评 has started. */
  currentRound: 1 | 2;
  /** The track's 复评 settings ask for it and it has not started. */
  round2Available: boolean;
  round2: { finalists: number; k: number; judges: number; startedAt: number } | null;
  /** Conflicts staff declared, for the board (judge by name; the entry by its code). */
  conflicts: { judgeId: string; judge: string; code: string; reason: string; at: number }[];
  /** Pairs left out by the automatic rule (own unit or enterprise). */
  autoConflicts: number;
  judges: { id: string; name: string; assigned: number; finals: number }[];
  entries: {
    code: string;
    finals: number;
    assigned: number;
    spread: string | null;
    recheck: boolean;
    /** Each judge's score of the entry: staff return one by its id. */
    scores: { scoreId: string; judge: string; state: ScoreState; total: string | null }[];
  }[];
  totalAssigned: number;
  totalFinal: number;
}

export interface MyResult {
  entryId: string;
  activityId: string;
  trackId: string;
  code: string;
  activityTitle: string;
  trackName: string;
  state: ResultsState;
  rank: number | null;
  award: string | null;
  score: string | null;
  appealOpen: boolean;
  appeal: { state: AppealState; answer: string } | null;
  certificate: boolean;
}

export interface GalleryItem {
  code: string;
  award: string;
  rank: number;
  title: string;
  /** The author's name, shown only for published winners (表彰). */
  author: string;
  unitName: string;
  kind: TrackKind;
  cover: string;
}

/** The data a certificate is drawn from, as signed by the server. */
export interface CertificateData {
  verifyCode: string;
  name: string;
  unitName: string;
  activityTitle: string;
  trackName: string;
  award: string;
  code: string;
  issuedAt: number;
  issuer: string;
}

export type { EntryContent };
