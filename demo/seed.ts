/**
 * Seeds the demo data into a local cloud's database, once: a `meta/seed` document records when,
 * so a restart keeps whatever the developer did since (idempotent `npm start`).
 */
import { COLLECTIONS, CONSENT_VERSION, type UserDoc } from '../miniprogram/core';
import { userKey } from '../cloudfunctions/shared/ids';
import { buildDemo } from './fixture';

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
  const users: UserDoc[] = demo.people.map((p) => ({
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
  }));
  // The new user has never opened the app: no document at all.
  const stored = users.filter((u) => u.consentVersion !== null);

  await insertMissing(db, COLLECTIONS.units, demo.units);
  await insertMissing(db, COLLECTIONS.users, stored);
  await insertMissing(db, COLLECTIONS.activities, demo.activities);
  await insertMissing(db, COLLECTIONS.announcements, demo.announcements);
  // Written last: a seed interrupted half-way is finished on the next start.
  await db.insertMany(COLLECTIONS.meta, [{ _id: 'seed', seededAt: now }]);
  return { seeded: true, seededAt: now };
}

async function insertMissing(db: SeedTarget, coll: string, docs: { _id: string }[]): Promise<void> {
  const have = new Set((await db.find(coll, { _id: { $in: docs.map((d) => d._id) } })).map((d) => d._id));
  const missing = docs.filter((d) => !have.has(d._id)).map((d) => ({ ...d }) as Record<string, unknown>);
  if (missing.length > 0) await db.insertMany(coll, missing);
}
