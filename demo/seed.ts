/**
 * Seeds the demo data into a local cloud's database, once: a `meta/seed` document records when,
 * so a restart keeps whatever the developer did since (idempotent `npm start`).
 */
import {
  COLLECTIONS,
  CONSENT_VERSION,
  type EntryDoc,
  type OpinionDoc,
  type PanelDoc,
  type RegistrationDoc,
  type ScoreDoc,
  type UserDoc,
} from '../miniprogram/core';
import { entryCode } from '../miniprogram/core/rules/entry';
import { checkAnswers, opinionId } from '../miniprogram/core/rules/opinion';
import { deriveKey, panelId, scoreId, userKey } from '../cloudfunctions/shared/ids';
import { buildDemo, type DemoData, type DemoPerson } from './fixture';

/** A demo person's UserDoc.idKey: derived rather than random only so that a re-seeded demo keeps its ids. */
export function demoIdKey(idSecret: string, openid: string): string {
  return `k_${deriveKey(idSecret, 'demo-id-key', openid)}`;
}

export interface SeedTarget {
  insertMany(coll: string, docs: Record<string, unknown>[]): Promise<void>;
  find(coll: string, query?: Record<string, unknown>): Promise<Record<string, unknown>[]>;
}

export interface SeedReport {
  seeded: boolean;
  seededAt: number;
}

export async function seedDemo(db: SeedTarget, opts: { idSecret: string; now: number }): Promise<SeedReport> {
  const [meta] = await db.find(COLLECTIONS.meta, { _id: 'seed' });
  if (meta && typeof meta.seededAt === 'number') return { seeded: false, seededAt: meta.seededAt };

  const { now } = opts;
  const demo = buildDemo(now);
  const toUser = (p: DemoPerson): UserDoc => ({
    _id: userKey(opts.idSecret, p.openid),
    openid: p.openid,
    role: p.role,
    consentVersion: p.profile ? CONSENT_VERSION : null,
    consentAt: p.profile ? now : null,
    realName: p.realName,
    phone: p.phone,
    unitId: p.unitId,
    enterprise: p.enterprise,
    verified: p.profile,
    createdAt: now,
    updatedAt: now,
    idKey: demoIdKey(opts.idSecret, p.openid),
  });
  const users = [...demo.people, ...demo.authors].map(toUser);
  // The new user has never opened the app: no document at all.
  const stored = users.filter((u) => u.consentVersion !== null);
  const byOpenid = new Map(users.map((u) => [u.openid, u]));

  // The competition in judging: its entries submitted and approved, its panel seated and assigned.
  const spring = demo.activities.find((a) => a._id === 'act_essay_spring')!;
  const year = spring.competition!.year;
  const submittedAt = spring.competition!.windows.submission.end - 2 * 24 * 3600_000;
  const registrations: RegistrationDoc[] = [];
  const entries: EntryDoc[] = demo.essays.map((e, i) => {
    const u = byOpenid.get(e.author.openid)!;
    const regId = `reg_${spring._id}_${u.idKey}`;
    registrations.push({
      _id: regId, activityId: spring._id, userId: u._id, state: 'confirmed', tracks: ['essay'], answers: [], seq: submittedAt,
      realName: u.realName, phone: u.phone, unitId: u.unitId, reason: '', checkedInAt: null, createdAt: submittedAt, updatedAt: submittedAt,
    });
    const content = { kind: 'essay' as const, title: e.title, text: e.text };
    return {
      _id: `ent_${spring._id}_essay_${u.idKey}`,
      code: entryCode('essay', year, i + 1),
      activityId: spring._id,
      trackId: 'essay',
      kind: 'essay',
      userId: u._id,
      unitId: u.unitId,
      enterprise: u.enterprise,
      state: 'submitted',
      draft: content,
      draftSavedAt: submittedAt,
      versions: [{ version: 1, submittedAt, content }],
      moderation: 'approved',
      moderationReason: '',
      createdAt: submittedAt,
      updatedAt: submittedAt,
    };
  });
  registrations.push(...crowd(demo, spring._id));
  const panels: PanelDoc[] = demo.judges.map((openid) => {
    const u = byOpenid.get(openid)!;
    return { _id: panelId(spring._id, 'essay', u._id), activityId: spring._id, trackId: 'essay', userId: u._id, unitId: u.unitId, enterprise: u.enterprise, name: u.realName, joinedAt: now, invitationId: 'seeded' };
  });
  const scores: ScoreDoc[] = [];
  for (const e of entries) {
    for (const j of panels) {
      // The same conflict rule as judging.assign: never a judge from the author's unit or enterprise.
      if (j.unitId === e.unitId || j.enterprise === e.enterprise) continue;
      scores.push({
        _id: scoreId(1, e.code, j.userId), activityId: spring._id, trackId: 'essay', round: 1, entryId: e._id, entryCode: e.code, judgeId: j.userId,
        state: 'assigned', scores: {}, comment: '', returnedReason: '', submittedAt: null, updatedAt: now,
      });
    }
  }

  await insertMissing(db, COLLECTIONS.units, demo.units);
  await insertMissing(db, COLLECTIONS.users, stored);
  await insertMissing(db, COLLECTIONS.activities, demo.activities);
  await insertMissing(db, COLLECTIONS.announcements, demo.announcements);
  await insertMissing(db, COLLECTIONS.registrations, registrations);
  await insertMissing(db, COLLECTIONS.entries, entries);
  await insertMissing(db, COLLECTIONS.counters, [{ _id: `seq_code_${year}_essay`, n: entries.length, updatedAt: now }]);
  await insertMissing(db, COLLECTIONS.panels, panels);
  await insertMissing(db, COLLECTIONS.scores, scores);
  // 意见征集: the survey and its answers, counted as the api counts them (the tally of core's rule).
  const opinions: OpinionDoc[] = demo.opinions.map((o) => {
    const sol = demo.solicitations.find((x) => x.activityId === o.activityId)!;
    const checked = checkAnswers(sol, o.answers, true);
    if (!checked.ok) throw new Error(`demo opinion of ${o.author}: ${checked.message}`);
    const author = byOpenid.get(o.author)!;
    const userId = author._id;
    return {
      _id: opinionId(o.activityId, author.idKey), activityId: o.activityId, userId, answers: checked.answers, tally: checked.tally, hasText: checked.texts.length > 0,
      flagged: false, hidden: false, hiddenReason: '', reply: null, edits: 0, createdAt: o.at, updatedAt: o.at,
    };
  });
  await insertMissing(db, COLLECTIONS.solicitations, demo.solicitations);
  await insertMissing(db, COLLECTIONS.opinions, opinions);
  // The member roster (会员名册) the demo people are verified against.
  await insertMissing(db, COLLECTIONS.meta, [{ _id: 'roster', importedAt: now, by: 'seed', count: stored.length, members: stored.map((u) => ({ name: u.realName, key: u.phone, unitId: u.unitId })) }]);
  // Written last: a seed interrupted half-way is finished on the next start.
  await db.insertMany(COLLECTIONS.meta, [{ _id: 'seed', seededAt: now }]);
  return { seeded: true, seededAt: now };
}

async function insertMissing<T extends { _id: string }>(db: SeedTarget, coll: string, docs: T[]): Promise<void> {
  const have = new Set((await db.find(coll, { _id: { $in: docs.map((d) => d._id) } })).map((d) => d._id));
  const missing = docs.filter((d) => !have.has(d._id)).map((d) => ({ ...d }) as Record<string, unknown>);
  if (missing.length > 0) await db.insertMany(coll, missing);
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '高', '罗'];
const GIVEN = ['建国', '丽华', '志强', '秀英', '海燕', '伟', '芳', '军', '敏', '静', '磊', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '霞', '平', '刚', '桂英', '晓东'];

/**
 * The people behind each activity's seat counts (`taken`, `waitlisted`), so that staff lists,
 * exports and check-in show as many registrations as the activity says. They are registrations
 * only, with the name, phone and unit copied in as at sign-up: no account, so no one to log in as.
 */
function crowd(demo: DemoData, skip: string): RegistrationDoc[] {
  const out: RegistrationDoc[] = [];
  let n = 0;
  for (const a of demo.activities) {
    if (a._id === skip) continue;
    const seats = a.taken ?? 0;
    const waiting = a.waitlisted ?? 0;
    for (let i = 0; i < seats + waiting; i++, n++) {
      const key = String(n).padStart(4, '0');
      const at = a.signup.start + (i + 1) * 7 * 60_000;
      const unit = demo.units[n % demo.units.length]!;
      out.push({
        _id: `reg_${a._id}_k_crowd${key}`, activityId: a._id, userId: `u_crowd${key}`, state: i < seats ? 'confirmed' : 'waitlisted', tracks: [], answers: [],
        seq: at, realName: `${SURNAMES[n % SURNAMES.length]!}${GIVEN[(n * 7) % GIVEN.length]!}`, phone: `1390571${key}`, unitId: unit._id, reason: '', checkedInAt: null,
        createdAt: at, updatedAt: at,
      });
    }
  }
  return out;
}

