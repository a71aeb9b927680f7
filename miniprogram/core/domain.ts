/**
 * The domain as stored and as shown. Stored documents (…Doc) live only on the server; views
 * (…View, …Card) are what actions answer. A view never carries an OPENID.
 */
import type { TrackJudging } from './judging';
import type { OpinionCard } from './opinion';
import type { Window } from './time';

export const COLLECTIONS = {
  users: 'users',
  units: 'units',
  activities: 'activities',
  registrations: 'registrations',
  entries: 'entries',
  uploads: 'uploads',
  panels: 'panels',
  invitations: 'invitations',
  scores: 'scores',
  /** One per judged track: assignment plans, 复评 finalists (js_<activity>_<track>). */
  judgingStates: 'judgingStates',
  results: 'results',
  appeals: 'appeals',
  certificates: 'certificates',
  subscriptions: 'subscriptions',
  announcements: 'announcements',
  /** Upload tickets of announcement images (staff): announcements/<id>/<random>.<ext>. */
  announcementImages: 'announcementImages',
  /** 意见征集: one solicitation per activity, one answer per worker (core/opinion.ts). */
  solicitations: 'solicitations',
  opinions: 'opinions',
  counters: 'counters',
  audit: 'audit',
  /** Excel exports stored for staff (exports/<activity>/…): cron deletes them after a day. */
  exportFiles: 'exportFiles',
  meta: 'meta',
} as const;
export type CollectionName = (typeof COLLECTIONS)[keyof typeof COLLECTIONS];

export type Role = 'worker' | 'staff' | 'admin';

export const ACTIVITY_KINDS = ['lecture', 'competition', 'sports', 'training', 'exchange', 'outreach'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];
export const ACTIVITY_KIND_LABEL: Record<ActivityKind, string> = {
  lecture: '宣讲',
  competition: '文化比赛',
  sports: '运动会',
  training: '余工学堂',
  exchange: '文化交流',
  outreach: '进企业',
};

export const ACTIVITY_STATUSES = ['draft', 'published', 'closed', 'archived'] as const;
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];

export const TRACK_KINDS = ['essay', 'photo', 'video'] as const;
export type TrackKind = (typeof TRACK_KINDS)[number];
/** Entry-code prefixes: 征文 ZW, 摄影 SY, 微视频 SP (e.g. ZW-2022-0042). */
export const TRACK_CODE: Record<TrackKind, string> = { essay: 'ZW', photo: 'SY', video: 'SP' };
export const TRACK_LABEL: Record<TrackKind, string> = { essay: '征文', photo: '摄影', video: '微视频' };

export interface EssayLimits {
  minChars: number;
  maxChars: number;
}
export interface PhotoLimits {
  maxPhotos: number;
  maxBytes: number;
}
export interface VideoLimits {
  maxSeconds: number;
  maxBytes: number;
}

export type Track =
  | { id: string; kind: 'essay'; name: string; limits: EssayLimits }
  | { id: string; kind: 'photo'; name: string; limits: PhotoLimits }
  | { id: string; kind: 'video'; name: string; limits: VideoLimits };

export interface CompetitionWindows {
  registration: Window;
  submission: Window;
  judging: Window;
  publicity: Window;
  appeal: Window;
}

export interface CompetitionSettings {
  tracks: Track[];
  windows: CompetitionWindows;
  blind: boolean;
  year: number;
  /** Per track id: rubric, scoring numbers, comment rule. */
  judging?: Record<string, TrackJudging>;
}

/** A question an activity's registration asks. */
export interface Question {
  id: string;
  label: string;
  type: 'text' | 'choice';
  required: boolean;
  options?: string[];
}

export interface ActivityDoc {
  _id: string;
  kind: ActivityKind;
  title: string;
  summary: string;
  /** Rules and description, plain text with line breaks. */
  body: string;
  status: ActivityStatus;
  /** When the activity itself happens. */
  time: Window;
  place: string;
  /** 0 = no limit. */
  capacity: number;
  /** Seats taken (confirmed + awaiting approval). Maintained by conditional updates only. */
  taken: number;
  waitlisted: number;
  signup: Window;
  /** The annual-plan item it counts toward, e.g. 文体用品进企业. */
  planItem: string;
  questions: Question[];
  requiresVerified: boolean;
  /** Registrations wait for staff approval (and hold their seat while they wait). */
  requiresApproval: boolean;
  competition?: CompetitionSettings;
  createdAt: number;
  updatedAt: number;
}

export interface UnitDoc {
  _id: string;
  name: string;
  /** 镇街/局 grouping shown in the picker. */
  group: string;
  order: number;
}

export interface UserDoc {
  _id: string;
  /** Private: never in any response. */
  openid: string;
  role: Role;
  consentVersion: string | null;
  consentAt: number | null;
  realName: string;
  phone: string;
  unitId: string;
  enterprise: string;
  verified: boolean;
  createdAt: number;
  updatedAt: number;
  /**
   * Random per account, made at first consent: the key in the ids of the person's registrations,
   * entries and answers (not the user id, an HMAC of the OPENID). Deleting the account destroys
   * it, so what stays for a competition's record cannot be tied back to the person, and a person
   * who returns starts with new ids.
   */
  idKey: string;
}

export type AnnouncementCategory = 'notice' | 'training' | 'publicity' | 'news';
export const ANNOUNCEMENT_CATEGORY_LABEL: Record<AnnouncementCategory, string> = {
  notice: '通知',
  training: '培训公告',
  publicity: '公示',
  news: '信息报道',
};

export interface AnnouncementDoc {
  _id: string;
  category: AnnouncementCategory;
  title: string;
  body: string;
  pinned: boolean;
  activityId: string | null;
  publishAt: number;
  withdrawn: boolean;
  reads: number;
  createdAt: number;
  /** File IDs of its images, in order (absent on announcements written before images). */
  images?: string[];
}

/** A server-issued path for one image of an announcement, and what the server found there. */
export interface AnnouncementImageDoc {
  _id: string;
  /** The announcement it belongs to; a new announcement's id is reserved by its first ticket. */
  announcementId: string;
  /** The staff member it was issued to. */
  userId: string;
  ext: 'jpg' | 'png';
  /** announcements/<announcement id>/<random>.<ext> */
  cloudPath: string;
  fileID: string | null;
  /**
   * issued → uploaded (confirmed) or rejected (refused at confirm); uploaded → attached (saved into
   * the announcement) → removed (dropped by a later edit; may be attached again); the timer ends
   * unused tickets, rejected, unattached and removed files in `deleted` (the file is gone, the row
   * stays as the record). See core/rules/announcement.ts imageFate.
   */
  state: AnnouncementImageState;
  declaredSize: number;
  size: number | null;
  createdAt: number;
  expiresAt: number;
  /** When the row reached its state (confirm, reject, attach, remove, delete); the grace periods count from it. */
  updatedAt?: number;
}

export type AnnouncementImageState = 'issued' | 'uploaded' | 'rejected' | 'attached' | 'removed' | 'deleted';

// ---- views -------------------------------------------------------------------------------------

export interface MeView {
  userId: string;
  role: Role;
  consented: boolean;
  profileComplete: boolean;
  realName: string;
  /** The worker's own phone, unmasked: only ever sent to its owner. */
  phone: string;
  unitId: string;
  unitName: string;
  enterprise: string;
  verified: boolean;
  /** Sits on at least one judging panel: shows the 评委评审 entry. */
  judging: boolean;
}

export interface UnitView {
  id: string;
  name: string;
  group: string;
  /** Place in the picker (staff edit it). */
  order: number;
}

/** What the worker can do now with an activity, for the card's button. */
export type NextStep = 'register' | 'waitlist' | 'registered' | 'submit' | 'results' | 'view';

export interface ActivityCard {
  id: string;
  kind: ActivityKind;
  title: string;
  place: string;
  time: Window;
  signup: Window;
  status: ActivityStatus;
  capacity: number;
  left: number | null;
  next: NextStep;
}

export interface AnnouncementCard {
  id: string;
  category: AnnouncementCategory;
  title: string;
  publishAt: number;
  pinned: boolean;
  activityId: string | null;
}

export interface AnnouncementView extends AnnouncementCard {
  body: string;
  reads: number;
  /** Temporary URLs of its images, in order. */
  images: string[];
}

export interface Deadline {
  activityId: string;
  title: string;
  label: string;
  at: number;
  kind: 'signup' | 'submission' | 'start';
  /** For a submission deadline: the tracks the worker registered for (to open the editor). */
  trackIds: string[];
}

export interface HomeView {
  announcements: AnnouncementCard[];
  open: ActivityCard[];
  deadlines: Deadline[];
  serverNow: number;
}

export interface ActivityDetail {
  activity: ActivityCard & {
    summary: string;
    body: string;
    planItem: string;
    questions: Question[];
    requiresVerified: boolean;
    requiresApproval: boolean;
    competition: CompetitionSettings | null;
  };
  announcements: AnnouncementCard[];
  /** The caller's registration, if any. */
  mine: RegistrationView | null;
  /** The activity's 意见征集, for its card (state for the caller), or null. */
  opinion: OpinionCard | null;
  serverNow: number;
}

export type RegistrationState = 'confirmed' | 'pending' | 'waitlisted' | 'cancelled' | 'rejected';

export interface RegistrationDoc {
  /** reg_<activity>_<user>: deterministic, so a retried registration can never duplicate. */
  _id: string;
  activityId: string;
  userId: string;
  state: RegistrationState;
  /** Competition tracks entered (empty for other activities). */
  tracks: string[];
  answers: { questionId: string; answer: string }[];
  /** Order on the waitlist: the instant the worker first asked. */
  seq: number;
  /** Snapshot for staff lists and check-in (masked wherever listed). */
  realName: string;
  phone: string;
  unitId: string;
  reason: string;
  checkedInAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface RegistrationView {
  id: string;
  activityId: string;
  activityTitle: string;
  state: RegistrationState;
  tracks: string[];
  createdAt: number;
  /** Reason given by staff for a rejection. */
  reason: string;
  /** Signed check-in code to show as a QR at the venue (confirmed only). */
  checkinCode: string | null;
  /** 候补第 N 位: filled where a single registration is shown; null otherwise. */
  waitlistPosition: number | null;
}

// ---- entries ----------------------------------------------------------------------------------

export type EntryState = 'draft' | 'submitted' | 'withdrawn';
/**
 * Moderation of the submitted version. Drafts are private (none). Text is checked when submitted;
 * images asynchronously (pending until the verdict arrives); videos wait for staff (review).
 */
export type ModerationState = 'none' | 'pending' | 'review' | 'approved' | 'rejected';

export interface PhotoItem {
  uploadId: string;
  caption: string;
}

export type EntryContent =
  | { kind: 'essay'; title: string; text: string }
  | { kind: 'photo'; title: string; photos: PhotoItem[] }
  | { kind: 'video'; title: string; description: string; videoUploadId: string; coverUploadId: string; seconds: number };

export interface EntryVersion {
  version: number;
  submittedAt: number;
  content: EntryContent;
}

export interface EntryDoc {
  /** ent_<activity>_<track>_<user>: one entry per worker and track. */
  _id: string;
  /** The blind code judges see, e.g. ZW-2022-0042. */
  code: string;
  activityId: string;
  trackId: string;
  kind: TrackKind;
  userId: string;
  /** For judging conflicts only; never in a judge's payload. */
  unitId: string;
  enterprise: string;
  state: EntryState;
  draft: EntryContent;
  draftSavedAt: number;
  /** Submitted versions, newest last; the last one is what judges see. */
  versions: EntryVersion[];
  moderation: ModerationState;
  moderationReason: string;
  createdAt: number;
  updatedAt: number;
}

export type UploadPurpose = 'photo' | 'video' | 'cover';
export type UploadState = 'issued' | 'uploaded' | 'rejected' | 'deleted';
export type MediaVerdict = 'pending' | 'pass' | 'review' | 'risky';

export interface UploadDoc {
  _id: string;
  userId: string;
  activityId: string;
  entryId: string;
  purpose: UploadPurpose;
  ext: 'jpg' | 'png' | 'mp4';
  /** Server-issued: entries/<activity>/<entry code>/<random>.<ext>. */
  cloudPath: string;
  fileID: string | null;
  state: UploadState;
  declaredSize: number;
  size: number | null;
  traceId: string | null;
  verdict: MediaVerdict | null;
  createdAt: number;
  expiresAt: number;
}

export interface MediaView {
  uploadId: string;
  /** Temporary URL for the owner's preview; expires. */
  url: string;
  caption: string;
  verdict: MediaVerdict | null;
}

export interface EntryView {
  id: string;
  code: string;
  activityId: string;
  activityTitle: string;
  trackId: string;
  trackName: string;
  /** The track with its limits: the editor needs no second call. */
  track: Track;
  kind: TrackKind;
  state: EntryState;
  moderation: ModerationState;
  moderationReason: string;
  draft: EntryContent;
  draftSavedAt: number;
  version: number;
  submittedAt: number | null;
  /** Whether the draft differs from the last submitted version. */
  unsubmittedChanges: boolean;
  media: MediaView[];
  submission: Window;
  serverNow: number;
}

export interface EntryCard {
  id: string;
  code: string;
  activityId: string;
  activityTitle: string;
  trackName: string;
  kind: TrackKind;
  state: EntryState;
  moderation: ModerationState;
  version: number;
  submittedAt: number | null;
}

export interface UploadTicket {
  uploadId: string;
  cloudPath: string;
  expiresAt: number;
  maxBytes: number;
}

export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page, null at the end. */
  next: string | null;
}
