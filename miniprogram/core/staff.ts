/** Views staff receive, and the pure rules behind staff edits. Phones are masked in every list. */
import type { ActivityKind, ActivityStatus, AnnouncementCategory, CompetitionSettings, CompetitionWindows, ModerationState, Question, RegistrationState, Role, TrackKind } from './domain';
import type { Window } from './time';
import { isValidWindow } from './time';

export interface StaffUserView {
  userId: string;
  realName: string;
  /** 138****1234 */
  phone: string;
  unitName: string;
  enterprise: string;
  role: Role;
  verified: boolean;
}

export interface StaffAnnouncementView {
  id: string;
  category: AnnouncementCategory;
  title: string;
  pinned: boolean;
  publishAt: number;
  withdrawn: boolean;
  reads: number;
  activityId: string | null;
}

/** One announcement as staff edit it: everything it holds, whatever its state. */
export interface StaffAnnouncementDetail {
  id: string;
  category: AnnouncementCategory;
  title: string;
  /** Plain text; paragraphs separated by line breaks. */
  body: string;
  /** In order: the file ID (what a save sends back) and a temporary URL to show it. */
  images: { fileID: string; url: string }[];
  pinned: boolean;
  activityId: string | null;
  /** The linked activity's title ('' when none, or when it no longer exists). */
  activityTitle: string;
  publishAt: number;
  withdrawn: boolean;
  reads: number;
  state: 'published' | 'scheduled' | 'withdrawn';
}

/** A server-issued path for one announcement image. */
export interface AnnouncementImageTicket {
  ticketId: string;
  /** The announcement the image belongs to: reserved by this ticket when the editor had none yet. */
  announcementId: string;
  cloudPath: string;
  expiresAt: number;
  maxBytes: number;
}

export interface StaffActivityView {
  id: string;
  kind: ActivityKind;
  title: string;
  status: ActivityStatus;
  time: Window;
  signup: Window;
  capacity: number;
  taken: number;
  waitlisted: number;
  planItem: string;
}

/**
 * One activity in full, for the editor (`activities.get`): drafts too, with everything a save
 * sends back (questions, who may sign up, the competition's tracks, windows and judging settings).
 */
export interface StaffActivityDetail extends StaffActivityView {
  summary: string;
  body: string;
  place: string;
  questions: Question[];
  requiresVerified: boolean;
  /** null: not recorded on an older document (the editor asks staff to confirm it). */
  requiresApproval: boolean | null;
  competition: CompetitionSettings | null;
}

/** Who is asking, with the first page of people (the people page shows role controls to admins). */
export interface StaffViewer {
  userId: string;
  admin: boolean;
}

export interface StaffRegistrationView {
  id: string;
  realName: string;
  phone: string;
  unitName: string;
  state: RegistrationState;
  tracks: string[];
  answers: { questionId: string; answer: string }[];
  createdAt: number;
  checkedInAt: number | null;
  reason: string;
}

export interface ModerationItem {
  entryId: string;
  code: string;
  activityTitle: string;
  trackName: string;
  kind: TrackKind;
  moderation: ModerationState;
  title: string;
  /** Text to read, or media temporary URLs to look at. */
  text: string;
  media: string[];
  submittedAt: number;
}

export interface RosterRow {
  line: number;
  name: string;
  /** Phone or 工号, as given (masked in the report). */
  key: string;
  unitName: string;
  problem: string | null;
}

export interface RosterReport {
  rows: RosterRow[];
  accepted: number;
  refused: number;
  /** False when any row was refused: then nothing was applied. */
  applied: boolean;
  verifiedUsers: number;
}

/** 138****1234: enough to recognise, not enough to call. */
export function maskPhone(phone: string): string {
  return /^\d{11}$/.test(phone) ? `${phone.slice(0, 3)}****${phone.slice(7)}` : phone ? '****' : '';
}

export interface WindowProblem {
  field: string;
  message: string;
}

/**
 * A competition's windows must each run forward and follow one another: registration and
 * submission open together or in order, judging after submissions close, 公示 after judging, and
 * appeals inside 公示.
 */
export function windowProblems(time: Window, signup: Window, w: CompetitionWindows | null): WindowProblem | null {
  const named: [string, string, Window][] = [
    ['time', '活动时间', time],
    ['signup', '报名时间', signup],
  ];
  if (w) {
    named.push(['competition.windows.registration', '报名期', w.registration], ['competition.windows.submission', '作品提交期', w.submission], ['competition.windows.judging', '评审期', w.judging], ['competition.windows.publicity', '公示期', w.publicity], ['competition.windows.appeal', '申诉期', w.appeal]);
  }
  for (const [field, label, win] of named) if (!isValidWindow(win)) return { field: `payload.${field}`, message: `${label}的结束时间应晚于开始时间` };
  if (!w) return null;
  if (w.submission.start < w.registration.start) return { field: 'payload.competition.windows.submission', message: '作品提交不能早于报名开始' };
  if (w.judging.start < w.submission.end) return { field: 'payload.competition.windows.judging', message: '评审应在作品提交截止之后开始' };
  if (w.publicity.start < w.judging.end) return { field: 'payload.competition.windows.publicity', message: '公示应在评审结束之后开始' };
  if (w.appeal.start < w.publicity.start || w.appeal.end > w.publicity.end) return { field: 'payload.competition.windows.appeal', message: '申诉期应在公示期之内' };
  if (w.registration.end > w.submission.end) return { field: 'payload.competition.windows.registration', message: '报名应在作品提交截止前结束' };
  return null;
}

/** Allowed status moves: draft → published → closed → archived, and closed → published to reopen. */
export function canMove(from: ActivityStatus, to: ActivityStatus): boolean {
  const allowed: Record<ActivityStatus, ActivityStatus[]> = {
    draft: ['published', 'archived'],
    published: ['closed'],
    closed: ['published', 'archived'],
    archived: [],
  };
  return allowed[from].includes(to);
}

/** Parses a roster CSV (姓名,手机号或工号,基层工会): quoted fields, a header row optional. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((x) => x.trim() !== ''));
}
