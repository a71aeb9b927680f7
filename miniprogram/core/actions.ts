/**
 * The contract between the app and the `api` cloud function: one table, action name → who may
 * call it, the payload schema, and the result type. The router needs a handler for every entry
 * and the client can only send what a schema accepts: a missing handler or a wrong payload is a
 * compile error on both sides.
 */
import type {
  ActivityCard,
  ActivityDetail,
  AnnouncementView,
  HomeView,
  MeView,
  Page,
  EntryCard,
  EntryView,
  RegistrationView,
  UnitView,
  UploadTicket,
} from './domain';
import { ACTIVITY_KINDS, ACTIVITY_STATUSES } from './domain';
import type { StaffActivityView, StaffAnnouncementView, StaffRegistrationView, StaffUserView, ModerationItem, RosterReport } from './staff';
import type { AnnouncementImageTicket, StaffActivityDetail, StaffAnnouncementDetail, StaffViewer } from './staff';
import type { BlindEntry, CertificateData, GalleryItem, MyResult, PanelView, ProgressView, QueueItem, ResultsDoc } from './judging';
import type { ExportFile } from './exports';
import type { UnitImportReport } from './units';
import type { MyOpinionView, OpinionGetView, OpinionSummary } from './opinion';
import { OPINION_QUESTION_TYPES, SOLICITATION_MODES } from './opinion';
import { LIMITS } from './limits';
import * as s from './schema';

/**
 * The coarse role an action requires. `anyone` = any caller WeChat identified (a first-time
 * visitor has no profile yet); `member` = a user who has given consent; then worker < staff < admin.
 */
export type Access = 'anyone' | 'member' | 'staff' | 'admin';

/**
 * The right tied to the object, checked inside the handler; declared here so the authorisation
 * matrix can be generated from the table.
 */
export type ObjectRight = 'none' | 'self' | 'owner' | 'panel-judge';

export interface ActionDef<P, R> {
  access: Access;
  object: ObjectRight;
  payload: s.Schema<P>;
  /** Phantom: the result type, never set at run time. */
  readonly __result?: R;
}

const def =
  <R>() =>
  <P>(spec: { access: Access; object: ObjectRight; payload: s.Schema<P> }): ActionDef<P, R> =>
    spec;

const empty = s.object({});
const emptyOrId = s.string({ max: 64, pattern: /^[A-Za-z0-9_-]*$/, patternHint: '编号格式不正确', trim: false });
const title = s.string({ max: 40 });
const fileIdSchema = s.string({ min: 10, max: 300, pattern: /^cloud:\/\/[A-Za-z0-9._-]+\/[A-Za-z0-9/._-]+$/, patternHint: '文件编号格式不正确', trim: false });
const windowSchema = s.object({ start: s.instant(), end: s.instant() });

/** An activity as staff write it; windows are checked for order and overlap by rules/staff.ts. */
export const activityInput = s.object({
  id: s.optional(s.id()),
  kind: s.literal(...ACTIVITY_KINDS),
  title: s.string({ min: 4, max: 60 }),
  summary: s.string({ max: 120 }),
  body: s.string({ max: 10000, multiline: true }),
  time: windowSchema,
  place: s.string({ min: 2, max: 60 }),
  capacity: s.int(0, 100000),
  signup: windowSchema,
  planItem: s.string({ min: 2, max: 30 }),
  questions: s.array(
    s.object({
      id: s.id(),
      label: s.string({ min: 1, max: 60 }),
      type: s.literal('text', 'choice'),
      required: s.boolean(),
      options: s.array(s.string({ min: 1, max: 30 }), { max: 10, unique: true }),
    }),
    { max: 10 },
  ),
  requiresVerified: s.boolean(),
  requiresApproval: s.boolean(),
  competition: s.nullable(
    s.object({
      year: s.int(2000, 2100),
      tracks: s.array(
        s.object({
          id: s.literal('essay', 'photo', 'video'),
          name: s.string({ min: 1, max: 10 }),
          minChars: s.int(0, 100000),
          maxChars: s.int(0, 100000),
          maxPhotos: s.int(0, 20),
          maxMB: s.int(0, 1024),
          maxSeconds: s.int(0, 3600),
          /** 复评 after 初评: how many go on, a count or a percentage of the participants (0 and 0: none). Absent: unchanged. */
          round2: s.optional(s.object({ count: s.int(0, 1000), percent: s.int(0, 100) })),
        }),
        { min: 1, max: 3, unique: true },
      ),
      windows: s.object({ registration: windowSchema, submission: windowSchema, judging: windowSchema, publicity: windowSchema, appeal: windowSchema }),
    }),
  ),
});

/** An entry's content, by track kind. Track limits (characters, photo count) are checked by rules/entry.ts. */
export const entryContent = s.union('kind', {
  essay: s.object({ title, text: s.string({ max: 20000, multiline: true, trim: false }) }),
  photo: s.object({
    title,
    photos: s.array(s.object({ uploadId: s.id(), caption: s.string({ max: 100 }) }), { max: 20 }),
  }),
  video: s.object({
    title,
    description: s.string({ max: 500, multiline: true }),
    videoUploadId: emptyOrId,
    coverUploadId: emptyOrId,
    seconds: s.number({ min: 0, max: 3600 }),
  }),
});
const cursor = s.optional(s.string({ max: 200, pattern: /^[A-Za-z0-9_=-]+$/, trim: false }));

export const ACTIONS = {
  /** Who am I: the app's first call. Creates nothing. */
  'session.me': def<{ me: MeView | null; consentVersion: string }>()({
    access: 'anyone',
    object: 'self',
    payload: empty,
  }),
  'profile.consent': def<{ me: MeView }>()({
    access: 'anyone',
    object: 'self',
    payload: s.object({ version: s.string({ min: 1, max: 20 }) }),
  }),
  'profile.save': def<{ me: MeView }>()({
    access: 'member',
    object: 'self',
    payload: s.object({
      realName: s.string({ min: 2, max: LIMITS.realNameMax, pattern: /^[\u4e00-\u9fa5A-Za-z·• ]+$/, patternHint: '姓名只能包含中文、字母和间隔号' }),
      phone: s.string({ min: 11, max: 11, pattern: /^1[3-9]\d{9}$/, patternHint: '请输入 11 位手机号', lengthHint: '请输入 11 位手机号', trim: true }),
      unitId: s.id(),
      enterprise: s.string({ min: 2, max: LIMITS.enterpriseMax }),
    }),
  }),
  /** Everything stored about the caller (a worker can see their own data). */
  'profile.export': def<{ me: MeView; registrations: number; entries: number; opinions: number; exportedAt: number }>()({
    access: 'member',
    object: 'self',
    payload: empty,
  }),
  /** Delete the caller's personal data; registrations and entries lose their link to a person. */
  'profile.delete': def<{ deleted: true }>()({
    access: 'member',
    object: 'self',
    payload: s.object({ confirm: s.literal('删除') }),
  }),
  'units.list': def<{ units: UnitView[] }>()({
    access: 'anyone',
    object: 'none',
    payload: empty,
  }),
  'home.get': def<HomeView>()({
    access: 'anyone',
    object: 'none',
    payload: empty,
  }),
  'announcements.detail': def<{ announcement: AnnouncementView }>()({
    access: 'anyone',
    object: 'none',
    payload: s.object({ id: s.id() }),
  }),
  'activities.list': def<Page<ActivityCard> & { serverNow: number }>()({
    access: 'anyone',
    object: 'none',
    payload: s.object({
      kind: s.optional(s.literal(...ACTIVITY_KINDS)),
      status: s.optional(s.literal(...ACTIVITY_STATUSES.filter((x) => x !== 'draft'))),
      q: s.optional(s.string({ max: 30 })),
      cursor,
    }),
  }),
  'activities.detail': def<ActivityDetail>()({
    access: 'anyone',
    object: 'none',
    payload: s.object({ id: s.id() }),
  }),
  /** Register for an activity (a competition: with its tracks). Waitlisted when full. */
  'registrations.create': def<{ registration: RegistrationView }>()({
    access: 'member',
    object: 'self',
    payload: s.object({
      activityId: s.id(),
      tracks: s.array(s.id(), { max: 3, unique: true }),
      answers: s.array(
        s.object({ questionId: s.id(), answer: s.string({ min: 1, max: 200, multiline: true }) }),
        { max: 10 },
      ),
    }),
  }),
  'registrations.cancel': def<{ registration: RegistrationView }>()({
    access: 'member',
    object: 'owner',
    payload: s.object({ activityId: s.id() }),
  }),
  'registrations.mine': def<Page<RegistrationView>>()({
    access: 'member',
    object: 'self',
    payload: s.object({ cursor }),
  }),
  'entries.mine': def<{ items: EntryCard[] }>()({
    access: 'member',
    object: 'self',
    payload: empty,
  }),
  /** The editor's one call: the worker's entry in a track, created (with its code) on first open. */
  'entries.open': def<EntryView>()({
    access: 'member',
    object: 'self',
    payload: s.object({ activityId: s.id(), trackId: s.id() }),
  }),
  'entries.get': def<EntryView>()({
    access: 'member',
    object: 'owner',
    payload: s.object({ entryId: s.id() }),
  }),
  'entries.saveDraft': def<{ draftSavedAt: number }>()({
    access: 'member',
    object: 'owner',
    payload: s.object({ entryId: s.id(), content: entryContent }),
  }),
  'entries.submit': def<EntryView>()({
    access: 'member',
    object: 'owner',
    payload: s.object({ entryId: s.id() }),
  }),
  'entries.withdraw': def<EntryView>()({
    access: 'member',
    object: 'owner',
    payload: s.object({ entryId: s.id() }),
  }),
  /** A server-issued, unique upload path for one file of an entry. */
  'uploads.ticket': def<UploadTicket>()({
    access: 'member',
    object: 'owner',
    payload: s.object({
      entryId: s.id(),
      purpose: s.literal('photo', 'video', 'cover'),
      ext: s.literal('jpg', 'png', 'mp4'),
      size: s.int(1, 1024 * 1024 * 1024),
    }),
  }),
  /** The file is uploaded: the server checks its real type and size before the entry may use it. */
  'uploads.confirm': def<{ uploadId: string; size: number; url: string }>()({
    access: 'member',
    object: 'owner',
    payload: s.object({
      uploadId: s.id(),
      fileID: fileIdSchema,
    }),
  }),
  // ---- judging (judges: rights are panel seats, checked in the handler) -------------------------
  /** Take a seat on a panel with an invitation code (typed, or scanned from its QR). */
  'judging.join': def<{ panel: PanelView }>()({
    access: 'member',
    object: 'self',
    payload: s.object({ code: s.string({ min: 8, max: 8, pattern: /^[A-HJ-NP-Z2-9]{8}$/, patternHint: '邀请码为 8 位字母或数字', trim: true }) }),
  }),
  'judging.panels': def<{ panels: PanelView[] }>()({
    access: 'member',
    object: 'self',
    payload: empty,
  }),
  'judging.queue': def<{ items: QueueItem[]; finals: number; assigned: number }>()({
    access: 'member',
    object: 'panel-judge',
    payload: s.object({ activityId: s.id(), trackId: s.id() }),
  }),
  'judging.entry': def<BlindEntry>()({
    access: 'member',
    object: 'panel-judge',
    payload: s.object({ scoreId: s.id() }),
  }),
  'judging.save': def<{ total: string | null; savedAt: number }>()({
    access: 'member',
    object: 'panel-judge',
    payload: s.object({
      scoreId: s.id(),
      scores: s.array(s.object({ criterionId: s.id(), score: s.number({ min: 0, max: 1000, step: 0.5 }) }), { max: 20 }),
      comment: s.string({ max: 500, multiline: true }),
    }),
  }),
  'judging.submit': def<{ total: string }>()({
    access: 'member',
    object: 'panel-judge',
    payload: s.object({ scoreId: s.id() }),
  }),
  // ---- judging (staff) --------------------------------------------------------------------------
  'judging.invite': def<{ invitations: { code: string; expiresAt: number; qrUrl: string }[] }>()({
    access: 'staff',
    object: 'none',
    payload: s.object({ activityId: s.id(), trackId: s.id(), count: s.int(1, 20), days: s.int(1, 30) }),
  }),
  /** Assigns a round's scoring (round 2: the finalists, to the judges of 复评); adds what is missing, idempotent. */
  'judging.assign': def<{ created: number; conflicts: number; judges: number; entries: number }>()({
    access: 'staff',
    object: 'none',
    payload: s.object({ activityId: s.id(), trackId: s.id(), mode: s.literal('all', 'k'), k: s.int(1, 50), round: s.optional(s.literal(1, 2)) }),
  }),
  'judging.progress': def<ProgressView>()({
    access: 'staff',
    object: 'none',
    payload: s.object({ activityId: s.id(), trackId: s.id(), round: s.optional(s.literal(1, 2)) }),
  }),
  /**
   * Starts 复评: picks the finalists from 初评 (scoring rule 7), records them, locks 初评 and assigns
   * the finalists to the judges of 复评 (`judges`: panel user ids; empty = the whole panel). With
   * 初评 scores missing only with a recorded reason. `dryRun` answers who would go on, writing nothing.
   */
  'judging.startRound2': def<{ finalists: { code: string; rank: number; score: string }[]; k: number; missing: number; started: boolean; created: number }>()({
    access: 'staff',
    object: 'none',
    payload: s.object({
      activityId: s.id(),
      trackId: s.id(),
      judges: s.array(s.id(), { max: 50, unique: true }),
      mode: s.literal('all', 'k'),
      k: s.int(1, 50),
      overrideReason: s.optional(s.string({ min: 4, max: 200 })),
      dryRun: s.boolean(),
    }),
  }),
  /**
   * Declares (or clears) a conflict of interest between a judge and an entry, with a reason.
   * Declaring removes the judge's unsubmitted scores of the entry (a final one must be returned
   * first) and, with k judges per entry, gives the entry another judge.
   */
  'judging.conflict': def<{ declared: boolean; removed: number; reassigned: number }>()({
    access: 'staff',
    object: 'none',
    payload: s.object({
      activityId: s.id(),
      trackId: s.id(),
      code: s.string({ min: 4, max: 20, pattern: /^[A-Z]{2}-\d{4}-\d{4,6}$/, patternHint: '作品编号格式不正确', trim: true }),
      judgeId: s.id(),
      declare: s.boolean(),
      reason: s.string({ min: 2, max: 200 }),
    }),
  }),
  'judging.return': def<{ returned: true }>()({
    access: 'staff',
    object: 'none',
    payload: s.object({ scoreId: s.id(), reason: s.string({ min: 2, max: 200 }) }),
  }),
  // ---- results ----------------------------------------------------------------------------------
  'results.compute': def<{ state: 'preview' | 'computing'; missingScores: number | null }>()({
    access: 'staff',
    object: 'none',
    payload: s.object({ activityId: s.id(), trackId: s.id() }),
  }),
  /**
   * The computed results, 200 rows from `from` (a 5,000-entry table would pass the platform's 1 MB
   * answer limit); rows flagged for 复核 always come along. `totalRows` says how many there are.
   */
  'results.preview': def<{ results: (Omit<ResultsDoc, '_id'> & { totalRows: number; from: number }) | null }>()({
    access: 'staff',
    object: 'none',
    payload: s.object({ activityId: s.id(), trackId: s.id(), from: s.optional(s.int(0, 100000)) }),
  }),
  /** Publish for the 公示 period. With scores missing only with a recorded reason. */
  'results.publish': def<{ publishedAt: number; announcementId: string; notified: number }>()({
    access: 'staff',
    object: 'none',
    payload: s.object({ activityId: s.id(), trackId: s.id(), overrideReason: s.optional(s.string({ min: 4, max: 200 })) }),
  }),
  'results.finalize': def<{ finalAt: number; certificates: number }>()({
    access: 'staff',
    object: 'none',
    payload: s.object({ activityId: s.id(), trackId: s.id() }),
  }),
  'results.mine': def<{ items: MyResult[] }>()({
    access: 'member',
    object: 'self',
    payload: empty,
  }),
  'results.gallery': def<{ items: GalleryItem[]; state: 'publicity' | 'final' | null }>()({
    access: 'anyone',
    object: 'none',
    payload: s.object({ activityId: s.id(), trackId: s.id() }),
  }),
  'appeals.file': def<{ appealId: string }>()({
    access: 'member',
    object: 'owner',
    payload: s.object({ entryId: s.id(), reason: s.string({ min: 10, max: 500, multiline: true }) }),
  }),
  'appeals.resolve': def<{ resolved: true }>()({
    access: 'staff',
    object: 'none',
    payload: s.object({ appealId: s.id(), answer: s.string({ min: 2, max: 500, multiline: true }), recheck: s.boolean() }),
  }),
  'certificates.get': def<{ data: CertificateData; signature: string }>()({
    access: 'member',
    object: 'owner',
    payload: s.object({ entryId: s.id() }),
  }),
  /** Public: anyone can check a certificate's code. */
  'certificates.verify': def<{ valid: boolean; data: CertificateData | null }>()({
    access: 'anyone',
    object: 'none',
    payload: s.object({ code: s.string({ min: 10, max: 10, pattern: /^[A-HJ-NP-Z2-9]{10}$/, patternHint: '验证码为 10 位字母或数字', trim: true }) }),
  }),
  /** The app records what the worker agreed to in wx.requestSubscribeMessage: one opt-in = one message. */
  'subscriptions.record': def<{ balance: number }>()({
    access: 'member',
    object: 'self',
    payload: s.object({ templateId: s.string({ min: 1, max: 64, pattern: /^[A-Za-z0-9_-]+$/ }), accepted: s.boolean() }),
  }),
  // ---- staff: people ------------------------------------------------------------------------------
  /** The first fifty by name, and who is asking (the people page's one call: role controls for admins). */
  'users.search': def<{ items: StaffUserView[]; viewer: StaffViewer }>()({
    access: 'staff',
    object: 'none',
    payload: s.object({ q: s.string({ max: 20 }), role: s.optional(s.literal('worker', 'staff', 'admin')) }),
  }),
  /** Opens one record unmasked; who opened it is audited. */
  'users.reveal': def<{ phone: string }>()({
    access: 'staff',
    object: 'none',
    payload: s.object({ userId: s.id() }),
  }),
  'users.setRole': def<{ role: 'worker' | 'staff' }>()({
    access: 'admin',
    object: 'none',
    payload: s.object({ userId: s.id(), role: s.literal('worker', 'staff') }),
  }),
  /** The units as units.list has them, for staff's units page: staff-only, so the answer is the staff check. */
  'units.staffList': def<{ units: UnitView[] }>()({
    access: 'staff',
    object: 'none',
    payload: empty,
  }),
  'units.save': def<{ id: string }>()({
    access: 'staff',
    object: 'none',
    payload: s.object({ id: s.optional(s.id()), name: s.string({ min: 2, max: 40 }), group: s.string({ min: 1, max: 20 }), order: s.int(0, 9999) }),
  }),
  /** Imports the member roster (会员名册) from a CSV uploaded from a chat: all rows or none. */
  'roster.import': def<RosterReport>()({
    access: 'staff',
    object: 'none',
    payload: s.object({ fileID: fileIdSchema, dryRun: s.boolean() }),
  }),
  /**
   * Imports 基层工会 from a CSV uploaded from a chat (名称,分组,排序): all rows or none, a report row
   * by row; same-name units updated, new ones created, none deleted. dryRun writes nothing.
   */
  'units.import': def<UnitImportReport>()({
    access: 'staff',
    object: 'none',
    payload: s.object({ fileID: fileIdSchema, dryRun: s.boolean() }),
  }),
  // ---- staff: announcements ----------------------------------------------------------------------
  'announcements.list': def<{ items: StaffAnnouncementView[]; next: string | null }>()({
    access: 'staff',
    object: 'none',
    payload: s.object({ cursor }),
  }),
  'announcements.save': def<{ id: string }>()({
    access: 'staff',
    object: 'none',
    payload: s.object({
      id: s.optional(s.id()),
      category: s.literal('notice', 'training', 'publicity', 'news'),
      title: s.string({ min: 4, max: 60 }),
      body: s.string({ min: 1, max: 10000, multiline: true }),
      images: s.array(fileIdSchema, { max: LIMITS.announcementImagesMax, unique: true }),
      pinned: s.boolean(),
      activityId: s.nullable(s.id()),
      publishAt: s.instant(),
    }),
  }),
  'announcements.withdraw': def<{ withdrawn: true }>()({
    access: 'staff',
    object: 'none',
    payload: s.object({ id: s.id() }),
  }),
  /** One announcement in full, for the editor: withdrawn and scheduled ones too. */
  'announcements.get': def<{ announcement: StaffAnnouncementDetail }>()({
    access: 'staff',
    object: 'none',
    payload: s.object({ id: s.id() }),
  }),
  /** A server-issued path for one image (no announcement id yet: the ticket reserves one). */
  'announcements.imageTicket': def<AnnouncementImageTicket>()({
    access: 'staff',
    object: 'none',
    payload: s.object({ announcementId: s.optional(s.id()), ext: s.literal('jpg', 'png'), size: s.int(1, 1024 * 1024 * 1024) }),
  }),
  /** The image is uploaded: the server reads it back (real type, size, no GPS) before a save may use it. */
  'announcements.imageConfirm': def<{ fileID: string; url: string; size: number }>()({
    access: 'staff',
    object: 'none',
    payload: s.object({ ticketId: s.id(), fileID: fileIdSchema }),
  }),
  // ---- staff: activities -------------------------------------------------------------------------
  'activities.staffList': def<{ items: StaffActivityView[]; next: string | null }>()({
    access: 'staff',
    object: 'none',
    payload: s.object({ status: s.optional(s.literal(...ACTIVITY_STATUSES)), kind: s.optional(s.literal(...ACTIVITY_KINDS)), cursor }),
  }),
  /** One activity in full for the editor: drafts too, with its competition settings. */
  'activities.get': def<{ activity: StaffActivityDetail }>()({
    access: 'staff',
    object: 'none',
    payload: s.object({ id: s.id() }),
  }),
  'activities.save': def<{ id: string }>()({
    access: 'staff',
    object: 'none',
    payload: activityInput,
  }),
  'activities.setStatus': def<{ status: (typeof ACTIVITY_STATUSES)[number] }>()({
    access: 'staff',
    object: 'none',
    payload: s.object({ id: s.id(), status: s.literal(...ACTIVITY_STATUSES) }),
  }),
  // ---- staff: registrations ----------------------------------------------------------------------
  'registrations.list': def<{ items: StaffRegistrationView[]; next: string | null }>()({
    access: 'staff',
    object: 'none',
    payload: s.object({ activityId: s.id(), state: s.optional(s.literal('confirmed', 'pending', 'waitlisted', 'cancelled', 'rejected')), cursor }),
  }),
  'registrations.decide': def<{ state: 'confirmed' | 'rejected' }>()({
    access: 'staff',
    object: 'none',
    payload: s.object({ registrationId: s.id(), approve: s.boolean(), reason: s.string({ max: 200 }) }),
  }),
  /** Check-in at the venue: the worker's signed QR, once. */
  'registrations.checkin': def<{ name: string; activityTitle: string; checkedInAt: number }>()({
    access: 'staff',
    object: 'none',
    payload: s.object({ code: s.string({ min: 10, max: 200, pattern: /^c1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{16}$/, patternHint: '不是有效的签到码', trim: true }) }),
  }),
  // ---- staff: Excel exports (served by the `export` function, not `api`: see functionOf) --------
  /** A track's results with every judge's scores per criterion, and the rule's settings: an .xlsx behind a temp URL. */
  'exports.results': def<ExportFile>()({
    access: 'staff',
    object: 'none',
    payload: s.object({ activityId: s.id(), trackId: s.id() }),
  }),
  /** An activity's registrations (phones masked, answers, times in China time): an .xlsx behind a temp URL. */
  'exports.registrations': def<ExportFile>()({
    access: 'staff',
    object: 'none',
    payload: s.object({ activityId: s.id() }),
  }),
  // ---- staff: moderation -------------------------------------------------------------------------
  'moderation.queue': def<{ items: ModerationItem[] }>()({
    access: 'staff',
    object: 'none',
    payload: empty,
  }),
  'moderation.decide': def<{ moderation: 'approved' | 'rejected' }>()({
    access: 'staff',
    object: 'none',
    payload: s.object({ entryId: s.id(), approve: s.boolean(), reason: s.string({ max: 200 }) }),
  }),
  // ---- 意见征集 (opinion solicitation; rules in core/rules/opinion.ts) -----------------------------
  /** The activity's solicitation, the caller's answer and staff's reply to it. */
  'opinions.get': def<OpinionGetView>()({
    access: 'anyone',
    object: 'self',
    payload: s.object({ activityId: s.id() }),
  }),
  /** Answer (or edit one's answer until it closes): one per worker; text checked with msgSecCheck. */
  'opinions.submit': def<{ mine: MyOpinionView }>()({
    access: 'member',
    object: 'self',
    payload: s.object({
      activityId: s.id(),
      answers: s.array(
        s.object({
          questionId: s.id(),
          choices: s.array(s.int(0, LIMITS.opinionOptionsMax - 1), { max: LIMITS.opinionOptionsMax, unique: true }),
          text: s.string({ max: LIMITS.opinionOpenTextMax, multiline: true }),
        }),
        { max: LIMITS.opinionQuestionsMax },
      ),
      /** The worker agrees that staff see their name and unit with the answer. */
      consent: s.boolean(),
    }),
  }),
  /** Create or edit an activity's solicitation; once answered only the closing time (and wording) may change. */
  'opinions.save': def<{ activityId: string; locked: boolean }>()({
    access: 'staff',
    object: 'none',
    payload: s.object({
      activityId: s.id(),
      mode: s.literal(...SOLICITATION_MODES),
      title: s.string({ min: 2, max: 40 }),
      intro: s.string({ max: 500, multiline: true }),
      questions: s.array(
        s.object({
          id: s.id(),
          type: s.literal(...OPINION_QUESTION_TYPES),
          label: s.string({ min: 1, max: 100 }),
          required: s.boolean(),
          options: s.array(s.string({ min: 1, max: 40 }), { max: LIMITS.opinionOptionsMax, unique: true }),
        }),
        { max: LIMITS.opinionQuestionsMax },
      ),
      window: windowSchema,
    }),
  }),
  /** Counts per option (aggregated over the answers at read time), the text answers a page at a time. */
  'opinions.summary': def<OpinionSummary>()({
    access: 'staff',
    object: 'none',
    payload: s.object({ activityId: s.id(), cursor }),
  }),
  'opinions.reply': def<{ replied: true; at: number }>()({
    access: 'staff',
    object: 'none',
    payload: s.object({ opinionId: s.id(), text: s.string({ min: 2, max: 500, multiline: true }) }),
  }),
  /** Hide an abusive answer (not counted, marked for staff), or show it again. */
  'opinions.hide': def<{ hidden: boolean }>()({
    access: 'staff',
    object: 'none',
    payload: s.object({ opinionId: s.id(), hidden: s.boolean(), reason: s.string({ max: 200 }) }),
  }),
} as const;

export type Actions = typeof ACTIONS;
export type ActionName = keyof Actions;
export type PayloadOf<K extends ActionName> = s.Infer<Actions[K]['payload']>;
export type ResultOf<K extends ActionName> = Actions[K] extends ActionDef<unknown, infer R> ? R : never;

export const ACTION_NAMES = Object.keys(ACTIONS) as ActionName[];

export function isActionName(name: unknown): name is ActionName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(ACTIONS, name);
}

/**
 * The cloud function that serves an action: `exports.*` run in `export` (its own timeout and
 * memory, so `api` stays lean), everything else in `api`. The client routes by it and each
 * function's router serves exactly its own actions (a missing handler is a compile error).
 */
export type FunctionName = 'api' | 'export';
export type ExportAction = Extract<ActionName, `exports.${string}`>;
export type ApiAction = Exclude<ActionName, ExportAction>;
export type FunctionOf<K extends ActionName> = K extends ExportAction ? 'export' : 'api';

export function functionOf<K extends ActionName>(action: K): FunctionOf<K> {
  return (action.startsWith('exports.') ? 'export' : 'api') as FunctionOf<K>;
}

/** The `api` function's event. */
export interface ApiEvent<K extends ActionName = ActionName> {
  action: K;
  payload: PayloadOf<K>;
}
