/**
 * One valid sample payload for every action of the contract, built from the demo data, shared by
 * the authorisation matrix and the bad-input generator. A new action without a sample fails both
 * suites (they check that the table's keys are exactly ACTION_NAMES; SampleTable also makes it a
 * type error).
 *
 * The objects the samples address belong to the OWNER (demo-worker-li): `setUpSamples` registers
 * them for the open competition (essay / photo / video) and opens their entries, through the api,
 * as the app would. It also builds a judging scenario on the competition that is in judging
 * (act_essay_spring / essay): three submitted entries (the owner's, a worker's, staff's, submitted
 * with the clock moved back into the submission window, beside the demo's own), a judge of THIS
 * competition (demo-judge-zhao, seated by the demo data or invited here, assigned every entry) and
 * a judge of ANOTHER competition only (OTHER_JUDGE, on act_culture_2022 / essay).
 *
 * A sample may `prepare` its object before a call (run once before the refused calls and again
 * before each allowed caller, so that e.g. each staff caller finds a final score to return), and
 * `done` undoes what prepare changed for everyone (the clock).
 */
import {
  ACTION_NAMES,
  CONSENT_VERSION,
  DAY,
  type ActionName,
  type ErrorCode,
  type PayloadOf,
  type Result,
  type TrackJudging,
} from '../../../miniprogram/core';
import { DEFAULT_SCORING } from '../../../miniprogram/core/rules/scoring';
import { opinionId } from '../../../miniprogram/core/rules/opinion';
import { demoIdKey } from '../../../demo/seed';
import { userKey } from '../../../cloudfunctions/shared/ids';
import { ID_SECRET, data, media, type Harness } from '../harness';
import { withFunctionEnv } from './inprocess';

export const OWNER = 'demo-worker-li';
export const WORKER = 'demo-worker-wang';
export const STAFF = 'demo-staff-chen';
export const ADMIN = 'demo-admin';
/** On the panel of the competition the judging samples address. */
export const JUDGE = 'demo-judge-zhao';
/**
 * On the panel of another competition only: a person of the suite's own (the demo judges all sit
 * on the judged competition's panel), who consents, fills in a profile and joins by invitation.
 */
export const OTHER_JUDGE = 'sec-judge-other';

export const COMPETITION = 'act_culture_2022';
/** An activity only the owner is registered for (the object of registrations.cancel). */
export const OWNERS_COURSE = 'act_course_health';
/** An open activity nobody is registered for (registrations.create succeeds once per caller). */
export const OPEN_ACTIVITY = 'act_outreach_01';
/** The competition in judging, and its track: the object of the judging and results samples. */
export const JUDGED = { activityId: 'act_essay_spring', trackId: 'essay' } as const;
/** Another competition's track: OTHER_JUDGE's panel. */
export const OTHER_PANEL = { activityId: COMPETITION, trackId: 'essay' } as const;
/** A third panel, where judging.join's callers take seats (so they never sit on JUDGED's). */
export const JOIN_PANEL = { activityId: COMPETITION, trackId: 'photo' } as const;
/** The activity with the demo's open 意见征集 survey, and a demo author who answered it. */
export const SURVEYED = 'act_sports_2022';
const SURVEY_AUTHOR = 'demo-author-01';
/** Inside the appeal window of JUDGED (today + 11 d … today + 16 d). */
const APPEAL_OFFSET = 12 * DAY;

export interface SampleState {
  h: Harness;
  /** The owner's entries in the open competition. */
  entries: { essay: string; photo: string; video: string };
  /** Set by prepare() of uploads.confirm. */
  upload: { uploadId: string; fileID: string };
  judged: {
    /** Entries in JUDGED by author (the owner's first), with their codes. */
    entries: { who: string; entryId: string; code: string }[];
    /** JUDGE's assignment for each of those entries, by author. */
    scores: Record<string, string>;
    criteria: { id: string; max: number }[];
  };
  joinCode: string;
  appealId: string;
  certCode: string;
  /** Staff samples' objects, made by their prepare(). */
  staff: {
    announcementId: string;
    draftActivity: string;
    approvalActivity: string;
    pendingRegistration: string;
    checkinCode: string;
    rosterFileID: string;
    /** Set by prepare() of announcements.imageConfirm. */
    imageTicketId: string;
    imageFileID: string;
  };
}

export interface Sample<K extends ActionName> {
  /** A payload the schema accepts and, called by a caller with the right, the handler accepts. */
  payload(s: SampleState): PayloadOf<K>;
  /** Puts the sample's object in the state the next allowed call needs. */
  prepare?(s: SampleState): Promise<void>;
  /** Undoes for everyone what prepare changed (the clock). */
  done?(s: SampleState): Promise<void>;
  /** Run order: 0 by default; later phases of a lifecycle after; destroying the caller last. */
  order?: number;
  /**
   * The action succeeds once per object (finalising results): allowed callers after the first
   * success may get these codes instead of ok.
   */
  afterFirst?: ErrorCode[];
}

export type SampleTable = { [K in ActionName]: Sample<K> };

let essays = 0;
/** A valid essay of about 900 characters, different each time (so a submit always has changes). */
export function freshEssay(): { kind: 'essay'; title: string; text: string } {
  essays++;
  return { kind: 'essay', title: `我的岗位 第${essays}稿`, text: `第${essays}稿。` + '劳动创造美好生活，奋斗成就出彩人生。'.repeat(50) };
}

function must<T>(what: string, r: Result<T>): T {
  if (!r.ok) throw new Error(`${what}: ${r.code} ${r.message}`);
  return r.data;
}

const setClock = (h: Harness, offsetMs: number) => h.control('clock', { offsetMs });

// ---- the judging scenario, step by step (each step idempotent) --------------------------------

const fullMarks = (s: SampleState) => s.judged.criteria.map((c) => ({ criterionId: c.id, score: c.max }));
const halfMarks = (s: SampleState) => s.judged.criteria.map((c) => ({ criterionId: c.id, score: Math.floor(c.max) / 2 }));

async function scoreState(s: SampleState, scoreId: string) {
  return must('judging.entry', await s.h.api(JUDGE, 'judging.entry', { scoreId })).state;
}

/** The score is final (saved with these marks and submitted). */
async function ensureFinal(s: SampleState, scoreId: string, marks = halfMarks(s)): Promise<void> {
  if ((await scoreState(s, scoreId)) === 'final') return;
  must('judging.save', await s.h.api(JUDGE, 'judging.save', { scoreId, scores: marks, comment: '结构清楚' }));
  must('judging.submit', await s.h.api(JUDGE, 'judging.submit', { scoreId }));
}

/** The score is a complete draft, ready to submit (returned by staff first if final). */
async function ensureDraft(s: SampleState, scoreId: string): Promise<void> {
  if ((await scoreState(s, scoreId)) === 'final') {
    must('judging.return', await s.h.api(STAFF, 'judging.return', { scoreId, reason: '请再看一遍' }));
  }
  must('judging.save', await s.h.api(JUDGE, 'judging.save', { scoreId, scores: halfMarks(s), comment: '结构清楚' }));
}

async function resultsState(s: SampleState) {
  return must('results.preview', await s.h.api(STAFF, 'results.preview', { ...JUDGED })).results?.state ?? null;
}

/** JUDGED's results are in 公示 (computed and published by staff). */
async function ensurePublicity(s: SampleState): Promise<void> {
  const state = await resultsState(s);
  if (state === 'publicity' || state === 'final') return;
  must('results.compute', await s.h.api(STAFF, 'results.compute', { ...JUDGED }));
  must('results.publish', await s.h.api(STAFF, 'results.publish', { ...JUDGED, overrideReason: '安全测试：评委缺席' }));
}

/** An open appeal on one of JUDGED's entries (filed inside the appeal window). */
async function ensureOpenAppeal(s: SampleState): Promise<void> {
  await ensurePublicity(s);
  await setClock(s.h, APPEAL_OFFSET);
  for (const e of s.judged.entries) {
    const mine = must('results.mine', await s.h.api(e.who, 'results.mine', {})).items.find((x) => x.entryId === e.entryId);
    if (mine?.appeal?.state === 'open') {
      s.appealId = `ap_${e.code}`;
      return;
    }
    if (mine?.appeal) continue;
    s.appealId = must('appeals.file', await s.h.api(e.who, 'appeals.file', { entryId: e.entryId, reason: '评分与作品质量不符，请复核。' })).appealId;
    return;
  }
  throw new Error('no entry of the judged competition is left to appeal');
}

/** JUDGED's results are final, with the owner's entry awarded (it holds the only full marks). */
async function ensureResultsFinal(s: SampleState): Promise<void> {
  if ((await resultsState(s)) === 'final') return;
  await ensurePublicity(s);
  for (const e of s.judged.entries) {
    const mine = must('results.mine', await s.h.api(e.who, 'results.mine', {})).items.find((x) => x.entryId === e.entryId);
    if (mine?.appeal?.state === 'open') must('appeals.resolve', await s.h.api(STAFF, 'appeals.resolve', { appealId: `ap_${e.code}`, answer: '维持原结果', recheck: false }));
  }
  must('results.finalize', await s.h.api(STAFF, 'results.finalize', { ...JUDGED }));
}

/** A demo judge on JUDGED's panel whom no other sample relies on (the object of judging.conflict). */
const CONFLICT_JUDGE = 'demo-judge-qian';

/** JUDGED's track asks for 复评 (two finalists): arranged in the database, as no action configures judging. */
async function ensureRound2Settings(s: SampleState): Promise<void> {
  await withFunctionEnv(s.h, async () => {
    const cloud = await import('../../../cloudfunctions/shared/cloud');
    await cloud.updateWhere('activities', { _id: JUDGED.activityId }, { [`competition.judging.${JUDGED.trackId}.round2`]: cloud._.set({ count: 2 }) });
  });
}

// ---- staff samples' objects --------------------------------------------------------------------

const HOUR = 3600_000;
let serial = 0;
/** The CSV units.import's sample reads, per local cloud (uploaded once, by its prepare()). */
const unitsImportFile = new WeakMap<Harness, string>();
const uid = (openid: string) => userKey(ID_SECRET, openid);

/** A lecture as staff would write it: sign-up open now, held next week. */
function lecture(title: string, more: Partial<PayloadOf<'activities.save'>> = {}): PayloadOf<'activities.save'> {
  const now = Date.now();
  return {
    kind: 'lecture',
    title,
    summary: '安全测试用的活动',
    body: '<script>alert(1)</script>{{a}} 正文照原样保存。',
    time: { start: now + 7 * DAY, end: now + 7 * DAY + 2 * HOUR },
    place: '区工人文化宫 三楼',
    capacity: 50,
    signup: { start: now - DAY, end: now + 6 * DAY },
    planItem: '宣讲活动',
    questions: [],
    requiresVerified: false,
    requiresApproval: false,
    competition: null,
    ...more,
  };
}

async function publishedActivity(h: Harness, title: string, more: Partial<PayloadOf<'activities.save'>> = {}): Promise<string> {
  const id = must('activities.save', await h.api(STAFF, 'activities.save', lecture(title, more))).id;
  must('activities.setStatus', await h.api(STAFF, 'activities.setStatus', { id, status: 'published' }));
  return id;
}

/** WORKER's registration for `activityId`, made afresh (cancelled first if active). */
async function freshRegistration(h: Harness, activityId: string) {
  const first = await h.api(WORKER, 'registrations.create', { activityId, tracks: [], answers: [] });
  if (first.ok) return first.data.registration;
  if (first.code !== 'ALREADY_EXISTS') throw new Error(`registrations.create: ${first.code} ${first.message}`);
  must('registrations.cancel', await h.api(WORKER, 'registrations.cancel', { activityId }));
  return must('registrations.create', await h.api(WORKER, 'registrations.create', { activityId, tracks: [], answers: [] })).registration;
}

// ---- the table ---------------------------------------------------------------------------------

export const SAMPLES: SampleTable = {
  'session.me': { payload: () => ({}) },
  'profile.consent': { payload: () => ({ version: CONSENT_VERSION }) },
  'profile.save': {
    payload: () => ({ realName: '测试员', phone: '13800001111', unitId: 'unit_linping', enterprise: '临平测试有限公司' }),
  },
  'profile.export': { payload: () => ({}) },
  'profile.delete': { payload: () => ({ confirm: '删除' }), order: 99 },
  'units.list': { payload: () => ({}) },
  'home.get': { payload: () => ({}) },
  'announcements.detail': { payload: () => ({ id: 'ann_culture_notice' }) },
  'activities.list': { payload: () => ({ kind: 'competition', q: '职工' }) },
  'activities.detail': { payload: () => ({ id: COMPETITION }) },
  'registrations.create': { payload: () => ({ activityId: OPEN_ACTIVITY, tracks: [], answers: [] }) },
  'registrations.cancel': {
    payload: () => ({ activityId: OWNERS_COURSE }),
    async prepare({ h }) {
      const r = await h.api(OWNER, 'registrations.create', { activityId: OWNERS_COURSE, tracks: [], answers: [] });
      if (!r.ok && r.code !== 'ALREADY_EXISTS') throw new Error(`prepare registrations.cancel: ${r.code} ${r.message}`);
    },
  },
  'registrations.mine': { payload: () => ({}) },
  'entries.mine': { payload: () => ({}) },
  'entries.open': { payload: () => ({ activityId: COMPETITION, trackId: 'essay' }) },
  'entries.get': { payload: (s) => ({ entryId: s.entries.essay }) },
  'entries.saveDraft': {
    payload: (s) => ({ entryId: s.entries.essay, content: { kind: 'essay', title: '我的岗位', text: '还没写完的草稿。' } }),
  },
  'entries.submit': {
    payload: (s) => ({ entryId: s.entries.essay }),
    async prepare({ h, entries }) {
      data(await h.api(OWNER, 'entries.saveDraft', { entryId: entries.essay, content: freshEssay() }));
    },
  },
  'entries.withdraw': {
    payload: (s) => ({ entryId: s.entries.essay }),
    async prepare({ h, entries }) {
      const e = data(await h.api(OWNER, 'entries.get', { entryId: entries.essay }));
      if (e.state === 'submitted') return;
      data(await h.api(OWNER, 'entries.saveDraft', { entryId: entries.essay, content: freshEssay() }));
      data(await h.api(OWNER, 'entries.submit', { entryId: entries.essay }));
    },
  },
  'uploads.ticket': { payload: (s) => ({ entryId: s.entries.photo, purpose: 'photo', ext: 'jpg', size: 1000 }) },
  'uploads.confirm': {
    payload: (s) => ({ uploadId: s.upload.uploadId, fileID: s.upload.fileID }),
    async prepare(s) {
      const bytes = media('photo-clean.jpg');
      const t = data(await s.h.api(OWNER, 'uploads.ticket', { entryId: s.entries.photo, purpose: 'photo', ext: 'jpg', size: bytes.length }));
      const up = await s.h.upload(OWNER, t.cloudPath, bytes);
      if (up.status !== 200) throw new Error(`prepare uploads.confirm: upload answered ${up.status}`);
      s.upload = { uploadId: t.uploadId, fileID: (up.json as { fileID: string }).fileID };
    },
  },

  // ---- judging: judges ----
  'judging.join': {
    payload: (s) => ({ code: s.joinCode }),
    async prepare(s) {
      // A fresh, unused code for the next caller (a code is single use).
      s.joinCode = must('judging.invite', await s.h.api(STAFF, 'judging.invite', { ...JOIN_PANEL, count: 1, days: 7 })).invitations[0]!.code;
    },
  },
  'judging.panels': { payload: () => ({}) },
  'judging.queue': { payload: () => ({ ...JUDGED }) },
  'judging.entry': { payload: (s) => ({ scoreId: s.judged.scores[OWNER]! }) },
  'judging.save': {
    payload: (s) => ({ scoreId: s.judged.scores[WORKER]!, scores: halfMarks(s), comment: '立意尚可' }),
    async prepare(s) {
      if ((await scoreState(s, s.judged.scores[WORKER]!)) === 'final')
        must('judging.return', await s.h.api(STAFF, 'judging.return', { scoreId: s.judged.scores[WORKER]!, reason: '请再看一遍' }));
    },
  },
  'judging.submit': {
    payload: (s) => ({ scoreId: s.judged.scores[STAFF]! }),
    prepare: (s) => ensureDraft(s, s.judged.scores[STAFF]!),
  },
  // ---- judging: staff ----
  'judging.invite': { payload: () => ({ ...JUDGED, count: 1, days: 7 }) },
  'judging.assign': { payload: () => ({ ...JUDGED, mode: 'all', k: 1 }) },
  'judging.progress': { payload: () => ({ ...JUDGED }) },
  'judging.return': {
    payload: (s) => ({ scoreId: s.judged.scores[STAFF]!, reason: '分数偏差较大，请复核' }),
    prepare: (s) => ensureFinal(s, s.judged.scores[STAFF]!),
  },
  // A dry run (writes nothing), late: a real start would lock 初评 for the samples after it.
  'judging.startRound2': {
    payload: () => ({ ...JUDGED, judges: [], mode: 'all', k: 1, overrideReason: '安全测试：评委缺席', dryRun: true }),
    prepare: ensureRound2Settings,
    order: 98,
  },
  // A demo judge of JUDGED (not JUDGE, whose assignments the other samples use) and the worker's entry.
  'judging.conflict': {
    payload: (s) => ({ ...JUDGED, code: s.judged.entries[1]!.code, judgeId: uid(CONFLICT_JUDGE), declare: true, reason: '安全测试：亲属关系' }),
  },
  // ---- results ----
  'results.compute': { payload: () => ({ ...JUDGED }) },
  'results.preview': { payload: () => ({ ...JUDGED }) },
  'results.publish': {
    payload: () => ({ ...JUDGED, overrideReason: '安全测试：评委缺席' }),
    async prepare(s) {
      // Back to a fresh preview, so that each caller has something to publish.
      if ((await resultsState(s)) !== 'final') must('results.compute', await s.h.api(STAFF, 'results.compute', { ...JUDGED }));
    },
  },
  'results.mine': { payload: () => ({}) },
  'results.gallery': { payload: () => ({ ...JUDGED }), prepare: ensurePublicity },
  'appeals.file': {
    payload: (s) => ({ entryId: s.judged.entries[0]!.entryId, reason: '评分与作品质量不符，请复核。' }),
    async prepare(s) {
      await ensurePublicity(s);
      await setClock(s.h, APPEAL_OFFSET);
    },
    done: (s) => setClock(s.h, 0).then(() => undefined),
  },
  'appeals.resolve': {
    payload: (s) => ({ appealId: s.appealId, answer: '经复核，维持原评分。', recheck: false }),
    prepare: ensureOpenAppeal,
    done: (s) => setClock(s.h, 0).then(() => undefined),
  },
  'results.finalize': {
    payload: () => ({ ...JUDGED }),
    async prepare(s) {
      if ((await resultsState(s)) !== 'final') await ensurePublicity(s);
      for (const e of s.judged.entries) {
        const mine = must('results.mine', await s.h.api(e.who, 'results.mine', {})).items.find((x) => x.entryId === e.entryId);
        if (mine?.appeal?.state === 'open') must('appeals.resolve', await s.h.api(STAFF, 'appeals.resolve', { appealId: `ap_${e.code}`, answer: '维持原结果', recheck: false }));
      }
    },
    order: 10,
    afterFirst: ['INVALID_STATE'],
  },
  'certificates.get': { payload: (s) => ({ entryId: s.judged.entries[0]!.entryId }), prepare: ensureResultsFinal, order: 11 },
  'certificates.verify': {
    payload: (s) => ({ code: s.certCode }),
    async prepare(s) {
      await ensureResultsFinal(s);
      s.certCode = must('certificates.get', await s.h.api(OWNER, 'certificates.get', { entryId: s.judged.entries[0]!.entryId })).data.verifyCode;
    },
    order: 11,
  },
  'subscriptions.record': { payload: () => ({ templateId: 'TEMPLATE_RESULT_NOTICE', accepted: true }) },

  // ---- staff: people, units, roster ----
  'users.search': { payload: () => ({ q: '李', role: 'worker' }) },
  'users.reveal': { payload: () => ({ userId: uid(OWNER) }) },
  'users.setRole': { payload: () => ({ userId: uid(WORKER), role: 'worker' }) },
  'units.staffList': { payload: () => ({}) },
  'units.save': { payload: () => ({ name: `安全测试工会${++serial}`, group: '测试', order: 99 }) },
  'roster.import': {
    payload: (s) => ({ fileID: s.staff.rosterFileID, dryRun: true }),
    async prepare(s) {
      if (s.staff.rosterFileID) return;
      const csv = Buffer.from('姓名,手机号或工号,基层工会\n李明,13857100001,区人民医院工会\n王芳,13857100002,临平街道总工会\n', 'utf8');
      const up = await s.h.upload(STAFF, `roster/security-${Date.now()}.csv`, csv);
      if (up.status !== 200) throw new Error(`prepare roster.import: upload answered ${up.status}`);
      s.staff.rosterFileID = (up.json as { fileID: string }).fileID;
    },
  },
  'units.import': {
    payload: (s) => ({ fileID: unitsImportFile.get(s.h) ?? '', dryRun: true }),
    async prepare(s) {
      if (unitsImportFile.has(s.h)) return;
      const csv = Buffer.from('名称,分组,排序\n临平街道总工会,街道,0\n安全测试导入工会,园区,98\n', 'utf8');
      const up = await s.h.upload(STAFF, `units-import/security-${Date.now()}.csv`, csv);
      if (up.status !== 200) throw new Error(`prepare units.import: upload answered ${up.status}`);
      unitsImportFile.set(s.h, (up.json as { fileID: string }).fileID);
    },
  },
  // ---- staff: announcements ----
  'announcements.list': { payload: () => ({}) },
  'announcements.save': {
    payload: () => ({ category: 'notice', title: '安全测试公告', body: '<view bindtap="x">{{a}}</view> 照原样保存。', images: [], pinned: false, activityId: COMPETITION, publishAt: Date.now() }),
  },
  'announcements.withdraw': {
    payload: (s) => ({ id: s.staff.announcementId }),
    async prepare(s) {
      // A fresh announcement for each caller: withdrawing is once.
      s.staff.announcementId = must('announcements.save', await s.h.api(STAFF, 'announcements.save', { category: 'news', title: '待撤回的公告', body: '正文', images: [], pinned: false, activityId: null, publishAt: Date.now() })).id;
    },
  },
  'announcements.get': { payload: () => ({ id: 'ann_culture_notice' }) },
  'announcements.imageTicket': { payload: () => ({ announcementId: 'ann_culture_notice', ext: 'jpg', size: 20_000 }) },
  'announcements.imageConfirm': {
    payload: (s) => ({ ticketId: s.staff.imageTicketId, fileID: s.staff.imageFileID }),
    async prepare(s) {
      // A fresh ticket and upload for each caller (a confirmed ticket answers ok again, but fresh is stricter).
      const bytes = media('photo-clean.jpg');
      const t = must('announcements.imageTicket', await s.h.api(STAFF, 'announcements.imageTicket', { announcementId: 'ann_culture_notice', ext: 'jpg', size: bytes.length }));
      const up = await s.h.upload(STAFF, t.cloudPath, bytes);
      if (up.status !== 200) throw new Error(`prepare announcements.imageConfirm: upload answered ${up.status}`);
      s.staff.imageTicketId = t.ticketId;
      s.staff.imageFileID = (up.json as { fileID: string }).fileID;
    },
  },
  // ---- staff: activities ----
  'activities.staffList': { payload: () => ({ status: 'published', kind: 'competition' }) },
  'activities.get': { payload: () => ({ id: COMPETITION }) },
  'activities.save': { payload: () => lecture('安全测试讲座') },
  'activities.setStatus': {
    payload: (s) => ({ id: s.staff.draftActivity, status: 'published' }),
    async prepare(s) {
      if (!s.staff.draftActivity) s.staff.draftActivity = must('activities.save', await s.h.api(STAFF, 'activities.save', lecture('待发布的讲座'))).id;
    },
  },
  // ---- staff: registrations ----
  'registrations.list': { payload: () => ({ activityId: COMPETITION }) },
  'registrations.decide': {
    payload: (s) => ({ registrationId: s.staff.pendingRegistration, approve: true, reason: '' }),
    async prepare(s) {
      if (!s.staff.approvalActivity) s.staff.approvalActivity = await publishedActivity(s.h, '需审核的讲座', { requiresApproval: true });
      const r = await freshRegistration(s.h, s.staff.approvalActivity);
      if (r.state !== 'pending') throw new Error(`prepare registrations.decide: the registration is ${r.state}, not pending`);
      s.staff.pendingRegistration = r.id;
    },
  },
  'registrations.checkin': {
    payload: (s) => ({ code: s.staff.checkinCode }),
    async prepare(s) {
      // A fresh confirmed registration: a code checks in once.
      const r = await freshRegistration(s.h, 'act_exchange_01');
      if (!r.checkinCode) throw new Error(`prepare registrations.checkin: the registration is ${r.state}, without a code`);
      s.staff.checkinCode = r.checkinCode;
    },
  },
  // ---- staff: Excel exports (served by the `export` function) ----
  'exports.results': {
    payload: () => ({ ...JUDGED }),
    async prepare(s) {
      // Results must have been computed once: then any state exports.
      if ((await resultsState(s)) === null) must('results.compute', await s.h.api(STAFF, 'results.compute', { ...JUDGED }));
    },
  },
  'exports.registrations': { payload: () => ({ activityId: COMPETITION }) },
  // ---- staff: moderation ----
  'moderation.queue': { payload: () => ({}) },
  'moderation.decide': { payload: (s) => ({ entryId: s.judged.entries[1]!.entryId, approve: true, reason: '' }) },
  // ---- 意见征集: the demo's open survey on the sports meet; staff edit another activity's ----
  'opinions.get': { payload: () => ({ activityId: SURVEYED }) },
  'opinions.submit': {
    payload: () => ({
      activityId: SURVEYED,
      answers: [
        { questionId: 'join', choices: [0], text: '' },
        { questionId: 'events', choices: [0, 2], text: '' },
      ],
      consent: true,
    }),
  },
  'opinions.save': {
    payload: () => ({
      activityId: 'act_course_photo',
      mode: 'survey',
      title: '课程内容意见征集',
      intro: '<b>{{x}}</b> 照原样保存。',
      questions: [
        { id: 'level', type: 'single', label: '您的摄影基础', required: true, options: ['零基础', '会一些', '比较熟练'] },
        { id: 'wish', type: 'text', label: '最想学的内容', required: false, options: [] },
      ],
      window: { start: Date.now() - HOUR, end: Date.now() + 3 * DAY },
    }),
  },
  'opinions.summary': { payload: () => ({ activityId: SURVEYED }) },
  'opinions.reply': { payload: () => ({ opinionId: opinionId(SURVEYED, demoIdKey(ID_SECRET, SURVEY_AUTHOR)), text: '感谢建议，周末场次正在安排。' }) },
  'opinions.hide': {
    payload: () => ({ opinionId: opinionId(SURVEYED, demoIdKey(ID_SECRET, SURVEY_AUTHOR)), hidden: true, reason: '安全测试：隐藏' }),
    async prepare({ h }) {
      must('opinions.hide', await h.api(STAFF, 'opinions.hide', { opinionId: opinionId(SURVEYED, demoIdKey(ID_SECRET, SURVEY_AUTHOR)), hidden: false, reason: '' }));
    },
    async done({ h }) {
      must('opinions.hide', await h.api(STAFF, 'opinions.hide', { opinionId: opinionId(SURVEYED, demoIdKey(ID_SECRET, SURVEY_AUTHOR)), hidden: false, reason: '' }));
    },
  },
};

/**
 * The sample of an action, or a failure that says what to do: an action added to the contract
 * without a sample fails its tests.
 */
export function sampleOf<K extends ActionName>(action: K): Sample<K> {
  const sample = (SAMPLES as Partial<SampleTable>)[action];
  if (!sample) throw new Error(`No sample payload for the action ${action}: add one to test/cloud/security/samples.ts`);
  return sample as Sample<K>;
}

/** The actions in the order the suites run them (actions without a sample too, so that they fail). */
export function runOrder(): ActionName[] {
  const order = (a: ActionName) => (SAMPLES as Partial<SampleTable>)[a]?.order ?? 0;
  return [...ACTION_NAMES].sort((a, b) => order(a) - order(b));
}

/** Judging settings for a track the demo data leaves without (one award: the best entry's). */
const JUDGING: TrackJudging = {
  rubric: {
    criteria: [
      { id: 'theme', name: '主题立意', weight: 60, max: 10 },
      { id: 'craft', name: '文字表达', weight: 40, max: 10 },
    ],
  },
  scoring: { ...DEFAULT_SCORING, tiers: [{ id: 'first', name: '一等奖', count: 1 }] },
  commentRequired: false,
};

/**
 * The judging settings of the tracks the suite judges: the demo data's, or where it has none the
 * suite's own. No api action configures judging, so that is arranged in the database, through the
 * same wx-server-sdk the functions use. Answers the judged track's criteria.
 */
async function judgingSettings(h: Harness): Promise<{ id: string; max: number }[]> {
  let criteria: { id: string; max: number }[] = [];
  for (const p of [JUDGED, OTHER_PANEL, JOIN_PANEL]) {
    const detail = must('activities.detail', await h.api(OWNER, 'activities.detail', { id: p.activityId }));
    let j = detail.activity.competition?.judging?.[p.trackId];
    if (!j) {
      await withFunctionEnv(h, async () => {
        const cloud = await import('../../../cloudfunctions/shared/cloud');
        const n = await cloud.updateWhere('activities', { _id: p.activityId }, { [`competition.judging.${p.trackId}`]: cloud._.set(JUDGING) });
        if (n !== 1) throw new Error(`could not configure judging on ${p.activityId}`);
      });
      j = JUDGING;
    }
    if (p === JUDGED) criteria = j.rubric.criteria.map((c) => ({ id: c.id, max: c.max }));
  }
  return criteria;
}

async function joinPanel(h: Harness, judge: string, panel: { activityId: string; trackId: string }): Promise<void> {
  const code = must('judging.invite', await h.api(STAFF, 'judging.invite', { ...panel, count: 1, days: 7 })).invitations[0]!.code;
  must(`judging.join (${judge})`, await h.api(judge, 'judging.join', { code }));
}

/**
 * Registers `registered` (and the owner) for the open competition (all three tracks), opens the
 * owner's entries, and builds the judging scenario.
 */
export async function setUpSamples(h: Harness, registered: string[]): Promise<SampleState> {
  must('profile.consent', await h.api(OTHER_JUDGE, 'profile.consent', { version: CONSENT_VERSION }));
  must('profile.save', await h.api(OTHER_JUDGE, 'profile.save', { realName: '外赛评委', phone: '13900002222', unitId: 'unit_transport', enterprise: '区交通运输局' }));
  for (const who of new Set([OWNER, ...registered])) {
    must(`register ${who}`, await h.api(who, 'registrations.create', { activityId: COMPETITION, tracks: ['essay', 'photo', 'video'], answers: [] }));
  }
  const open = async (trackId: string) => must('entries.open', await h.api(OWNER, 'entries.open', { activityId: COMPETITION, trackId })).id;
  const entries = { essay: await open('essay'), photo: await open('photo'), video: await open('video') };
  const s: SampleState = {
    h,
    entries,
    upload: { uploadId: '', fileID: '' },
    judged: { entries: [], scores: {}, criteria: [] },
    joinCode: '',
    appealId: '',
    certCode: '',
    staff: { announcementId: '', draftActivity: '', approvalActivity: '', pendingRegistration: '', checkinCode: '', rosterFileID: '', imageTicketId: '', imageFileID: '' },
  };

  s.judged.criteria = await judgingSettings(h);
  // Entries in the competition that is in judging: submitted back when its windows were open.
  await setClock(h, -25 * DAY);
  try {
    for (const who of [OWNER, WORKER, STAFF]) {
      must(`register ${who} (judged)`, await h.api(who, 'registrations.create', { activityId: JUDGED.activityId, tracks: [JUDGED.trackId], answers: [] }));
      const e = must('entries.open (judged)', await h.api(who, 'entries.open', { ...JUDGED }));
      must('entries.saveDraft (judged)', await h.api(who, 'entries.saveDraft', { entryId: e.id, content: freshEssay() }));
      const sub = must('entries.submit (judged)', await h.api(who, 'entries.submit', { entryId: e.id }));
      if (sub.moderation !== 'approved') throw new Error(`judged entry of ${who} is ${sub.moderation}, not approved`);
      s.judged.entries.push({ who, entryId: e.id, code: e.code });
    }
  } finally {
    await setClock(h, 0);
  }
  await joinPanel(h, JUDGE, JUDGED);
  await joinPanel(h, OTHER_JUDGE, OTHER_PANEL);
  must('judging.assign', await h.api(STAFF, 'judging.assign', { ...JUDGED, mode: 'all', k: 1 }));
  const queue = must('judging.queue', await h.api(JUDGE, 'judging.queue', { ...JUDGED }));
  for (const e of s.judged.entries) {
    const item = queue.items.find((x) => x.code === e.code);
    if (!item) throw new Error(`${JUDGE} was not assigned ${e.code}`);
    s.judged.scores[e.who] = item.scoreId;
  }
  // The owner's entry holds the only full marks: it takes the one award.
  await ensureFinal(s, s.judged.scores[OWNER]!, fullMarks(s));
  return s;
}
