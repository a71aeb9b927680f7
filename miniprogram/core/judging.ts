/**
 * Judging and results: stored documents and the views judges, staff and entrants receive.
 * A judge's views carry the entry code only: never the author's name, unit, enterprise, phone,
 * user id or OPENID (a test scans every judge-facing response for them).
 */
import type { EntryContent, TrackKind } from './domain';
import type { AwardTier, Rubric, ScoringSettings } from './rules/scoring';

/** Per-track judging settings, part of the competition. */
export interface TrackJudging {
  rubric: Rubric;
  scoring: ScoringSettings;
  /** Judges must write a comment with a final score. */
  commentRequired: boolean;
}

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
  /** Position in the judge's queue, for next/previous. */
  index: number;
  count: number;
}

export interface ProgressView {
  judges: { name: string; assigned: number; finals: number }[];
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
