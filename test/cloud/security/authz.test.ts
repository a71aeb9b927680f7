/**
 * The authorisation matrix, generated from the contract: for every action in ACTION_NAMES and every
 * kind of caller, the outcome expected from the action's two declarations (`access`, then the
 * `object` right) is compared with what the api function answers through the local cloud's HTTP
 * face. Refused calls must change nothing (checked on the engine, per action); allowed calls may
 * only touch the caller's own documents.
 */
import {
  ACTIONS,
  ACTION_NAMES,
  COLLECTIONS,
  CONSENT_VERSION,
  type Access,
  type ActionName,
  type ErrorCode,
  type ObjectRight,
  type Result,
  type Role,
} from '../../../miniprogram/core';
import { userKey } from '../../../cloudfunctions/shared/ids';
import { ID_SECRET, data, startHarness, type Harness } from '../harness';
import { ADMIN, JUDGE, OTHER_JUDGE, OWNER, SAMPLES, STAFF, WORKER, runOrder, sampleOf, setUpSamples, type SampleState } from './samples';
import { changes, describeChanges, snapshot, type Change } from './snapshot';

// ---- callers ------------------------------------------------------------------------------------

interface Caller {
  key: string;
  /** The X-Local-Openid sent for this action (null: no header at all). */
  openid(action: ActionName): string | null;
  consented: boolean;
  role: Role;
  /** Owns the objects the samples address (entries, registration, upload). */
  owner: boolean;
  /** A judge on the panel of the sample's competition ('this') or of another competition ('other'). */
  panel: 'this' | 'other' | null;
}

const person = (key: string, openid: string, role: Role, more: Partial<Caller> = {}): Caller => ({
  key,
  openid: () => openid,
  consented: true,
  role,
  owner: false,
  panel: null,
  ...more,
});

/** Callers every action is tried with. */
const BASE_CALLERS: Caller[] = [
  { key: 'no identity', openid: () => null, consented: false, role: 'worker', owner: false, panel: null },
  // A first-time visitor: an openid the database has never seen (a fresh one per action, so that
  // one action's allowed call, e.g. profile.consent, cannot change what the next one sees).
  { key: 'newcomer (no profile)', openid: (a) => `sec-newcomer-${ACTION_NAMES.indexOf(a)}`, consented: false, role: 'worker', owner: false, panel: null },
  person(`worker (${WORKER})`, WORKER, 'worker'),
  person(`staff (${STAFF})`, STAFF, 'staff'),
  person(`admin (${ADMIN})`, ADMIN, 'admin'),
];

/**
 * Callers that exist because some action declares this object right: with 'owner' actions, the
 * owner of the samples' objects; with 'panel-judge' actions, a judge of the sample competition's
 * panel and a judge of another competition's panel (samples.ts seats them). A new right must be
 * added here (Record<ObjectRight, …> makes it a type error until it is).
 */
const CALLERS_FOR_RIGHT: Record<ObjectRight, Caller[]> = {
  none: [],
  self: [],
  owner: [person(`owner (${OWNER})`, OWNER, 'worker', { owner: true })],
  'panel-judge': [
    person(`judge of another competition (${OTHER_JUDGE})`, OTHER_JUDGE, 'worker', { panel: 'other' }),
    person(`judge of this competition (${JUDGE})`, JUDGE, 'worker', { panel: 'this' }),
  ],
};

const RIGHTS = new Set(ACTION_NAMES.map((a) => ACTIONS[a].object));
const CALLERS: Caller[] = [...BASE_CALLERS, ...[...RIGHTS].flatMap((r) => CALLERS_FOR_RIGHT[r])];

// ---- the expectation, from the declarations alone --------------------------------------------

interface Expectation {
  allowed: boolean;
  /** For a refusal: the codes that are acceptable. */
  codes: ErrorCode[];
}

const RANK: Record<Exclude<Access, 'anyone'>, number> = { member: 1, staff: 2, admin: 3 };
const ROLE_RANK: Record<Role, number> = { worker: 1, staff: 2, admin: 3 };
const allowed: Expectation = { allowed: true, codes: [] };
const refused = (...codes: ErrorCode[]): Expectation => ({ allowed: false, codes });

function expectationFor(def: { access: Access; object: ObjectRight }, c: Omit<Caller, 'openid' | 'key'> & { identified: boolean }): Expectation {
  // 1. the access gate
  if (!c.identified) return refused('UNAUTHENTICATED');
  if (def.access !== 'anyone') {
    if (!c.consented) return refused('CONSENT_REQUIRED');
    if (ROLE_RANK[c.role] < RANK[def.access]) return refused('FORBIDDEN');
  }
  // 2. the object right (someone else's object answers like a missing one, or is forbidden)
  switch (def.object) {
    case 'owner':
      return c.owner ? allowed : refused('NOT_FOUND', 'FORBIDDEN');
    case 'panel-judge':
      return c.panel === 'this' ? allowed : refused('NOT_FOUND', 'FORBIDDEN');
    case 'self':
    case 'none':
      return allowed;
  }
}

// ---- known bugs: the action's test is marked failing (see the comment on each) -----------------

const KNOWN_BUGS: Partial<Record<ActionName, string>> = {};

// ---- the run ------------------------------------------------------------------------------------

let h: Harness;
let state: SampleState;

beforeAll(async () => {
  h = await startHarness();
  const consented = CALLERS.filter((c) => c.consented).map((c) => c.openid(ACTION_NAMES[0]!)).filter((x): x is string => x !== null);
  state = await setUpSamples(h, consented);
}, 120_000);
afterAll(() => h.stop());

/** The owner of a document: its userId, or for a user document its id. */
function ownerOf(c: Change): string | undefined {
  const doc = c.before ?? c.after;
  if (!doc) return undefined;
  if (typeof doc.userId === 'string') return doc.userId;
  if (typeof c.before?.userId === 'string') return c.before.userId;
  return c.coll === COLLECTIONS.users ? c.id : undefined;
}

interface Cell {
  caller: Caller;
  expected: Expectation;
  got?: Result<unknown>;
  foreign?: Change[];
  /** Codes that also pass for this allowed call (the action already succeeded once on the object). */
  alsoOk?: ErrorCode[];
  /** An OPENID found in the answer (none may leave the server). */
  leak?: string;
}

const OPENIDS = [...new Set(CALLERS.map((c) => c.openid(ACTION_NAMES[0]!)).filter((x): x is string => x !== null))];
const openidIn = (r: unknown): string | undefined => {
  const text = JSON.stringify(r) ?? '';
  return OPENIDS.find((o) => text.includes(o)) ?? (/sec-newcomer-\d+/.exec(text)?.[0] ?? undefined);
};

const show = (e: Expectation): string => (e.allowed ? 'ok' : e.codes.join(' | '));
const gotText = (r: Result<unknown> | undefined): string =>
  r === undefined ? '(not called)' : typeof r !== 'object' || r === null ? `not a Result: ${JSON.stringify(r)}` : r.ok ? 'ok' : `${r.code}`;

function mismatch(cell: Cell): boolean {
  const r = cell.got;
  if (!r || typeof r !== 'object') return true;
  if (cell.leak) return true;
  if (cell.expected.allowed) return (!r.ok && !(cell.alsoOk ?? []).includes(r.code)) || (cell.foreign?.length ?? 0) > 0;
  return r.ok || !cell.expected.codes.includes(r.code);
}

function table(action: ActionName, cells: Cell[]): string {
  const w = Math.max(...cells.map((c) => c.caller.key.length)) + 2;
  const lines = [`${action}  (access: ${ACTIONS[action].access}, object: ${ACTIONS[action].object})`, `    ${'caller'.padEnd(w)}${'expected'.padEnd(24)}got`];
  for (const c of cells) {
    const bad = mismatch(c);
    const detail = c.got && !c.got.ok && bad ? `  “${c.got.message}”` : '';
    const expected = show(c.expected) + (c.alsoOk?.length ? ` (or ${c.alsoOk.join(' | ')})` : '');
    lines.push(`  ${bad ? '✗' : ' '} ${c.caller.key.padEnd(w)}${expected.padEnd(24)}${gotText(c.got)}${detail}`);
    if (c.foreign?.length) lines.push(`      changed someone else's documents:\n${describeChanges(c.foreign)}`);
    if (c.leak) lines.push(`      the answer carries the OPENID ${c.leak}`);
  }
  return lines.join('\n');
}

describe('the expectation is derived from the declarations', () => {
  const as = (role: Role, more: Partial<{ consented: boolean; owner: boolean; panel: 'this' | 'other' | null; identified: boolean }> = {}) => ({
    role,
    consented: true,
    owner: false,
    panel: null,
    identified: true,
    ...more,
  });

  it('refuses a caller without identity before anything else', () => {
    expect(expectationFor({ access: 'anyone', object: 'none' }, as('admin', { identified: false }))).toEqual(refused('UNAUTHENTICATED'));
  });

  it('asks for consent before member, staff and admin actions', () => {
    for (const access of ['member', 'staff', 'admin'] as const) {
      expect(expectationFor({ access, object: 'none' }, as('admin', { consented: false }))).toEqual(refused('CONSENT_REQUIRED'));
    }
    expect(expectationFor({ access: 'anyone', object: 'self' }, as('worker', { consented: false }))).toEqual(allowed);
  });

  it('forbids a staff action to a worker and an admin action to staff', () => {
    expect(expectationFor({ access: 'staff', object: 'none' }, as('worker'))).toEqual(refused('FORBIDDEN'));
    expect(expectationFor({ access: 'admin', object: 'none' }, as('staff'))).toEqual(refused('FORBIDDEN'));
    expect(expectationFor({ access: 'staff', object: 'none' }, as('admin'))).toEqual(allowed);
  });

  it("lets only the owner reach an owner's object, whatever the role", () => {
    expect(expectationFor({ access: 'member', object: 'owner' }, as('admin'))).toEqual(refused('NOT_FOUND', 'FORBIDDEN'));
    expect(expectationFor({ access: 'member', object: 'owner' }, as('worker', { owner: true }))).toEqual(allowed);
  });

  it("lets only a judge of this competition's panel reach a panel object", () => {
    expect(expectationFor({ access: 'member', object: 'panel-judge' }, as('worker', { panel: 'other' }))).toEqual(refused('NOT_FOUND', 'FORBIDDEN'));
    expect(expectationFor({ access: 'member', object: 'panel-judge' }, as('worker', { owner: true }))).toEqual(refused('NOT_FOUND', 'FORBIDDEN'));
    expect(expectationFor({ access: 'member', object: 'panel-judge' }, as('worker', { panel: 'this' }))).toEqual(allowed);
  });

  it('tries every action with a caller for each object right it declares', () => {
    const keys = CALLERS.map((c) => c.key);
    for (const r of RIGHTS) for (const c of CALLERS_FOR_RIGHT[r]) expect(keys).toContain(c.key);
  });
});

describe('the timer and the message push, called by a client', () => {
  const fake = {
    ToUserName: 'gh_000000000000',
    FromUserName: OWNER,
    CreateTime: 1650000000,
    MsgType: 'event',
    Event: 'wxa_media_check',
    trace_id: 'forged',
    version: 2,
    errcode: 0,
    result: { suggest: 'pass', label: 100 },
  };

  for (const fn of ['cron', 'events'] as const) {
    for (const who of [null, OWNER, ADMIN]) {
      it(`${fn} refuses a client${who ? ` (${who})` : ' without identity'} with FORBIDDEN and changes nothing`, async () => {
        const before = await snapshot(h);
        const r = await h.raw(`/functions/${fn}`, JSON.stringify(fn === 'events' ? fake : {}), who ? { 'X-Local-Openid': who } : {});
        expect(r.status).toBe(200);
        expect(r.json).toMatchObject({ ok: false, code: 'FORBIDDEN' });
        expect(describeChanges(changes(before, await snapshot(h)))).toBe('');
      });
    }
  }

  it('events refuses a forged verdict for a real upload, which keeps its state', async () => {
    const photo = state.entries.photo;
    const t = data(await h.api(OWNER, 'uploads.ticket', { entryId: photo, purpose: 'photo', ext: 'jpg', size: 1000 }));
    const before = await snapshot(h);
    const r = await h.raw('/functions/events', JSON.stringify({ ...fake, trace_id: t.uploadId, result: { suggest: 'pass', label: 100 } }), { 'X-Local-Openid': OWNER });
    expect(r.json).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(describeChanges(changes(before, await snapshot(h)))).toBe('');
  });
});

describe('identifiers and privacy', () => {
  const WHO = 'sec-delete-me';
  const PERSON = { realName: '删除测试', phone: '13700001234', unitId: 'unit_linping', enterprise: '临平某纺织厂' };

  /** Every document (but the audit trail) that still carries one of these strings, and where. */
  async function traces(needles: string[]): Promise<string[]> {
    const found: string[] = [];
    const snap = await snapshot(h);
    for (const [coll, docs] of Object.entries(snap)) {
      for (const [id, doc] of docs) {
        const text = `${id} ${JSON.stringify(doc)}`;
        for (const n of needles) if (text.includes(n)) found.push(`${coll}/${id} carries ${n === PERSON.realName || n === PERSON.phone ? n : n === WHO ? 'the OPENID' : 'the user id'}`);
      }
    }
    return found;
  }

  // Registration, entry and answer ids carry the account's random id key (UserDoc.idKey), not the
  // user id: once the account is gone, what stays for the record cannot be tied back to the person.
  it('profile.delete leaves no document that carries the person (user id, name, phone, OPENID)', async () => {
    data(await h.api(WHO, 'profile.consent', { version: CONSENT_VERSION }));
    data(await h.api(WHO, 'profile.save', PERSON));
    data(await h.api(WHO, 'registrations.create', { activityId: 'act_culture_2022', tracks: ['essay', 'photo'], answers: [] }));
    const essay = data(await h.api(WHO, 'entries.open', { activityId: 'act_culture_2022', trackId: 'essay' }));
    data(await h.api(WHO, 'entries.saveDraft', { entryId: essay.id, content: { kind: 'essay', title: '我的草稿', text: '写了一半' } }));
    const photo = data(await h.api(WHO, 'entries.open', { activityId: 'act_culture_2022', trackId: 'photo' }));
    data(await h.api(WHO, 'uploads.ticket', { entryId: photo.id, purpose: 'photo', ext: 'jpg', size: 1000 }));
    data(await h.api(WHO, 'subscriptions.record', { templateId: 'TEMPLATE_RESULT_NOTICE', accepted: true }));
    const me = userKey(ID_SECRET, WHO);
    expect((await traces([me])).length).toBeGreaterThan(0);

    const idKey = await h.idKey(WHO);
    data(await h.api(WHO, 'profile.delete', { confirm: '删除' }));
    expect(await traces([me, WHO, PERSON.realName, PERSON.phone])).toEqual([]);
    // The audit trail still records what was done to those documents, no longer by whom.
    const trail = await h.cloud.engine.find(COLLECTIONS.audit, {});
    const own = trail.filter((a) => String(a.objectId).endsWith(`_${idKey}`));
    expect(own.length).toBeGreaterThan(0);
    expect(own.filter((a) => JSON.stringify(a).includes(me))).toEqual([]);

    // The same person coming back is a new account: new ids, none of the old documents.
    data(await h.api(WHO, 'profile.consent', { version: CONSENT_VERSION }));
    expect(data(await h.api(WHO, 'entries.mine', {})).items).toEqual([]);
    data(await h.api(WHO, 'profile.save', PERSON));
    data(await h.api(WHO, 'registrations.create', { activityId: 'act_culture_2022', tracks: ['essay'], answers: [] }));
    const again = data(await h.api(WHO, 'entries.open', { activityId: 'act_culture_2022', trackId: 'essay' }));
    expect(again.id).not.toBe(essay.id);
  });

  it('never stores the OPENID anywhere but the user document', async () => {
    const snap = await snapshot(h);
    const found: string[] = [];
    for (const [coll, docs] of Object.entries(snap)) {
      if (coll === COLLECTIONS.users) continue;
      for (const [id, doc] of docs) {
        const text = `${id} ${JSON.stringify(doc)}`;
        for (const o of OPENIDS) if (text.includes(o)) found.push(`${coll}/${id}: ${o}`);
      }
    }
    expect(found).toEqual([]);
  });
});

describe('the authorisation matrix', () => {
  it('has a sample payload for every action of the contract, and no other', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...ACTION_NAMES].sort());
  });

  for (const action of runOrder()) {
    const def = ACTIONS[action];
    const bug = KNOWN_BUGS[action];
    const test = bug ? it.failing : it;
    test(`${action} (${def.access}, ${def.object}) answers each caller as its declarations say, never with an OPENID, and a refusal changes nothing`, async () => {
      const sample = sampleOf(action);
      try {
        await sample.prepare?.(state);
        const parsed = def.payload.parse(sample.payload(state), 'payload');
        if (!parsed.ok) throw new Error(`the sample for ${action} is not valid: ${parsed.issue.path} ${parsed.issue.message}`);
        const cells: Cell[] = CALLERS.map((caller) => ({
          caller,
          expected: expectationFor(def, { ...caller, identified: caller.openid(action) !== null }),
        }));

        // Refused calls first, as one batch around one snapshot: nothing may change.
        const before = await snapshot(h);
        for (const cell of cells.filter((c) => !c.expected.allowed)) {
          cell.got = (await h.api(cell.caller.openid(action), action, sample.payload(state))) as Result<unknown>;
          cell.leak = openidIn(cell.got);
        }
        let base = await snapshot(h);
        const leaked = changes(before, base);

        // Then allowed calls, one at a time, each after its own prepare. A worker's call (anyone,
        // member) may touch only the caller's own documents; staff work on everyone's by design.
        const ownOnly = def.access === 'anyone' || def.access === 'member';
        let succeeded = false;
        for (const cell of cells.filter((c) => c.expected.allowed)) {
          const openid = cell.caller.openid(action)!;
          if (sample.prepare) {
            await sample.prepare(state);
            base = await snapshot(h);
          }
          const s0 = base;
          cell.got = (await h.api(openid, action, sample.payload(state))) as Result<unknown>;
          cell.leak = openidIn(cell.got);
          if (succeeded && sample.afterFirst) cell.alsoOk = sample.afterFirst;
          if (cell.got.ok) succeeded = true;
          const me = userKey(ID_SECRET, openid);
          base = await snapshot(h);
          cell.foreign = ownOnly
            ? changes(s0, base).filter((c) => {
                const owner = ownerOf(c);
                return owner !== undefined && owner !== me;
              })
            : [];
        }

        const problems: string[] = [];
        if (cells.some(mismatch)) problems.push(table(action, cells));
        if (leaked.length) problems.push(`${action}: refused calls changed the database:\n${describeChanges(leaked)}`);
        if (problems.length) throw new Error(`\n${problems.join('\n\n')}\n`);
      } finally {
        await sample.done?.(state);
      }
    });
  }
});
