/**
 * Bad input, for every action: payloads derived from the action's valid sample by a seeded
 * generator (generate.ts). Every payload the schema refuses must be answered INVALID_PAYLOAD with
 * a message (never INTERNAL, never a throw) and change nothing; a payload that turns out valid
 * after its JSON trip may succeed or be refused, but never with INTERNAL, and a refusal leaves
 * nothing half-written.
 *
 * FUZZ_COUNT (default 100) cases per action, FUZZ_SEED (default fixed) for the generator; the seed
 * is printed with any failure. `npm run fuzz` runs this file with 1,000 per action and a new seed.
 * Payloads the schema refuses are sent in-process to the harness's local cloud (inprocess.ts: fast,
 * they never reach a handler), a few of them also through the HTTP face to show both paths answer
 * the same; payloads that are valid after all go through the HTTP face, to the handlers.
 */
import { ACTIONS, ACTION_NAMES, functionOf, type ActionName, type Result } from '../../../miniprogram/core';
import { data, media, startHarness, type Harness } from '../harness';
import { arrived, generateCases, preview, seedFor, type Case } from './generate';
import { inProcessApi, type InProcess } from './inprocess';
import { ADMIN, COMPETITION, JUDGE, OWNER, SAMPLES, STAFF, runOrder, sampleOf, setUpSamples, type SampleState } from './samples';
import { changes, describeChanges, snapshot } from './snapshot';

const COUNT = Number(process.env.FUZZ_COUNT ?? 100);
const SEED = process.env.FUZZ_SEED !== undefined && process.env.FUZZ_SEED !== '' ? Number(process.env.FUZZ_SEED) : 0x5eed2026;
const CONCURRENCY = 8;
/** Cases per action that also go through the HTTP face. */
const OVER_HTTP = 5;
const MAX_CLIENT_EVENT = 100 * 1024;

if (!Number.isInteger(COUNT) || COUNT < 1) throw new Error(`FUZZ_COUNT must be a positive integer, got ${process.env.FUZZ_COUNT}`);
if (!Number.isInteger(SEED) || SEED < 0 || SEED >= 2 ** 32) throw new Error(`FUZZ_SEED must be an integer in [0, 2^32), got ${process.env.FUZZ_SEED}`);

const reproduce = `FUZZ_SEED=${SEED} FUZZ_COUNT=${COUNT} npx jest --selectProjects cloud --testPathPatterns test/cloud/security/bad-input`;

/** Per action: cases the schema refused, cases valid after all (and how many of those succeeded). */
const stats: { action: string; refusedBySchema: number; validAfterAll: number; succeeded: number }[] = [];

let h: Harness;
let api: InProcess;
let state: SampleState;

beforeAll(async () => {
  h = await startHarness();
  state = await setUpSamples(h, []);
  api = await inProcessApi(h);
}, 120_000);
afterAll(async () => {
  if (process.env.FUZZ_STATS) {
    const total = stats.reduce((n, x) => n + x.refusedBySchema + x.validAfterAll, 0);
    console.log(
      `bad input, seed ${SEED}, ${COUNT} per action, ${total} calls:\n` +
        stats.map((x) => `  ${x.action.padEnd(22)} refused by schema ${String(x.refusedBySchema).padStart(5)}   valid after all ${String(x.validAfterAll).padStart(4)} (${x.succeeded} ok)`).join('\n'),
    );
  }
  api?.close();
  await h?.stop();
});

/** Someone the access gate lets through, who owns the sample's object: what is tested is the payload. */
function callerFor(action: ActionName): string {
  const def = ACTIONS[action];
  if (def.object === 'panel-judge') return JUDGE;
  if (def.access === 'admin') return ADMIN;
  if (def.access === 'staff') return STAFF;
  return OWNER;
}

function topLevelFields(action: ActionName): string[] {
  const shape = (ACTIONS[action].payload as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}

async function inBatches<T>(items: T[], n: number, fn: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

type Answer = Result<unknown> | { thrown: string };

function notAResult(r: Answer): string | null {
  if (typeof r !== 'object' || r === null) return `not a Result: ${preview(r)}`;
  if ('thrown' in r) return `threw: ${r.thrown.split('\n').slice(0, 3).join(' | ')}`;
  if (typeof r.ok !== 'boolean') return `not a Result: ${preview(r)}`;
  if (!r.ok && r.code === 'INTERNAL') return `INTERNAL: ${r.message}`;
  if (!r.ok && (typeof r.message !== 'string' || r.message === '')) return `${r.code} without a message`;
  return null;
}

function refusalProblem(r: Answer): string | null {
  const bad = notAResult(r);
  if (bad) return bad;
  const x = r as Result<unknown>;
  if (x.ok) return 'accepted (ok: true) a payload its schema refuses';
  if (x.code !== 'INVALID_PAYLOAD') return `answered ${x.code} (“${x.message}”), not INVALID_PAYLOAD`;
  if (x.field !== undefined && !/^payload([.[]|$)/.test(x.field)) return `field ${x.field} is not a payload path`;
  return null;
}

interface Failure {
  c: Case;
  problem: string;
}

function report(action: ActionName, caller: string, failures: Failure[], extra: string[] = []): string {
  const lines = [
    `${action} (as ${caller}): ${failures.length} of ${COUNT} cases failed. Seed ${SEED} — reproduce with:`,
    `  ${reproduce} -t '${action}'`,
    ...failures.slice(0, 12).map((f) => `  • ${f.c.note}\n      sent: ${preview(f.c.payload, 200)}\n      → ${f.problem}`),
  ];
  if (failures.length > 12) lines.push(`  … and ${failures.length - 12} more`);
  return [...lines, ...extra].join('\n');
}

describe('bad input', () => {
  it('has a sample for every action to derive malformed payloads from', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...ACTION_NAMES].sort());
  });

  for (const action of runOrder()) {
    it(`${action}: ${COUNT} malformed payloads are refused with INVALID_PAYLOAD (never INTERNAL, never a throw) and change nothing`, async () => {
      const sample = sampleOf(action);
      const schema = ACTIONS[action].payload;
      const caller = callerFor(action);
      try {
        await sample.prepare?.(state);
        const cases = generateCases(sample.payload(state), { count: COUNT, seed: seedFor(SEED, action), topLevelFields: topLevelFields(action) });
        const invalid: Case[] = [];
        const valid: Case[] = [];
        for (const c of cases) {
          const got = arrived(c.payload);
          (schema.parse(got === undefined ? {} : got, 'payload').ok ? valid : invalid).push(c);
        }
        // Generating and classifying is synchronous work: let the sockets it kept idle settle.
        await new Promise((r) => setTimeout(r, 20));
        const failures: Failure[] = [];
        const extra: string[] = [];

        // 1. What the schema refuses: one batch, concurrently, around one snapshot.
        const before = await snapshot(h);
        await inBatches(invalid, CONCURRENCY, async (c) => {
          const problem = refusalProblem(await api.call(caller, action, c.payload));
          if (problem) failures.push({ c, problem });
        });
        const leaked = changes(before, await snapshot(h));
        if (leaked.length) extra.push(`  refused payloads changed the database:\n${describeChanges(leaked)}`);

        // The same answers through the HTTP face, for a few of them.
        for (const c of invalid.filter((x) => Buffer.byteLength(JSON.stringify({ action, payload: x.payload })) < MAX_CLIENT_EVENT).slice(0, OVER_HTTP)) {
          const r = await h.raw(`/functions/${functionOf(action)}`, JSON.stringify({ action, payload: c.payload }), { 'X-Local-Openid': caller });
          const problem = r.status !== 200 ? `HTTP ${r.status}: ${preview(r.json)}` : refusalProblem(r.json as Answer);
          if (problem) failures.push({ c, problem: `over HTTP: ${problem}` });
        }

        // 2. What is valid after all (text with markup, other well-formed ids…), through the HTTP
        //    face to the handlers: any Result but INTERNAL; a refusal leaves nothing behind.
        let succeeded = 0;
        let base = valid.length ? await snapshot(h) : null;
        for (const c of valid) {
          const s0 = base!;
          const res = await h.raw(`/functions/${functionOf(action)}`, JSON.stringify({ action, payload: c.payload }), { 'X-Local-Openid': caller });
          const r = (res.status === 200 ? res.json : { thrown: `HTTP ${res.status}: ${preview(res.json)}` }) as Answer;
          const problem = notAResult(r);
          base = await snapshot(h);
          if (problem) failures.push({ c, problem: `(valid after all) ${problem}` });
          else if ((r as Result<unknown>).ok) succeeded++;
          else {
            const left = changes(s0, base);
            if (left.length) failures.push({ c, problem: `(valid after all) refused with ${(r as { code: string }).code} but changed:\n${describeChanges(left)}` });
          }
        }

        stats.push({ action, refusedBySchema: invalid.length, validAfterAll: valid.length, succeeded });
        if (failures.length || extra.length) throw new Error(`\n${report(action, caller, failures, extra)}\n`);
        expect(invalid.length + valid.length).toBe(COUNT);
      } finally {
        await sample.done?.(state);
      }
    }, Math.max(30_000, COUNT * 120));
  }
});

describe('what arrives, and what is kept', () => {
  it('receives NaN and Infinity as null and refuses them as not a number', async () => {
    const t = { entryId: state.entries.photo, purpose: 'photo', ext: 'jpg' };
    for (const size of [NaN, Infinity, -Infinity]) {
      const r = await api.call(OWNER, 'uploads.ticket', { ...t, size });
      expect(r).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD', field: 'payload.size', message: '应为数字，收到 null' });
    }
  });

  it('receives -0 as 0, below the smallest size', async () => {
    const r = await api.call(OWNER, 'uploads.ticket', { entryId: state.entries.photo, purpose: 'photo', ext: 'jpg', size: -0 });
    expect(r).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD', field: 'payload.size' });
  });

  it('refuses query operators where an id belongs', async () => {
    for (const entryId of [{ $ne: null }, { $regex: '.*' }, ['$ne', null]]) {
      expect(await api.call(OWNER, 'entries.get', { entryId })).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD', field: 'payload.entryId' });
    }
  });

  it('refuses path traversal in ids', async () => {
    for (const entryId of ['../../etc/passwd', '..%2f..%2fusers', '..', `${state.entries.essay}/../x`]) {
      expect(await api.call(OWNER, 'entries.get', { entryId })).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD', field: 'payload.entryId' });
    }
  });

  it('refuses an own "__proto__" or "constructor" key in a payload and in nested content', async () => {
    const polluted = JSON.parse('{"entryId":"x","__proto__":{"isAdmin":true}}') as unknown;
    expect(await api.call(OWNER, 'entries.get', polluted)).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD', field: 'payload.__proto__' });
    const content = JSON.parse('{"kind":"essay","title":"t","text":"x","constructor":{"prototype":{"a":1}}}') as unknown;
    expect(await api.call(OWNER, 'entries.saveDraft', { entryId: state.entries.essay, content })).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD', field: 'payload.content.constructor' });
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('refuses action names that are Object.prototype keys as unknown actions', async () => {
    for (const action of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '']) {
      expect(await api.call(OWNER, action, {})).toMatchObject({ ok: false, code: 'UNKNOWN_ACTION' });
    }
  });

  it('keeps script and WXML in an essay as inert text, returned exactly as written', async () => {
    const text = ['<script>alert(1)</script>', '{{a}}', '<view bindtap="steal">点我</view>', '\u202e反转', 'a\u200bb'].join('\n');
    data(await h.api(OWNER, 'entries.saveDraft', { entryId: state.entries.essay, content: { kind: 'essay', title: '{{title}}<b>', text } }));
    const e = data(await h.api(OWNER, 'entries.get', { entryId: state.entries.essay }));
    expect(e.draft).toEqual({ kind: 'essay', title: '{{title}}<b>', text });
  });

  it('refuses a lone surrogate in a single-line field only where a pattern applies, and never fails on it', async () => {
    const r = await api.call(OWNER, 'activities.list', { q: '职工\ud800' });
    expect(notAResult(r as Answer)).toBeNull();
    const id = await api.call(OWNER, 'activities.detail', { id: `${COMPETITION}\udfff` });
    expect(id).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD', field: 'payload.id' });
  });
});

describe('file IDs in uploads.confirm', () => {
  async function ticket() {
    const bytes = media('photo-clean.jpg');
    const t = data(await h.api(OWNER, 'uploads.ticket', { entryId: state.entries.photo, purpose: 'photo', ext: 'jpg', size: bytes.length }));
    return { t, bytes };
  }

  it('accepts the file at exactly the issued path', async () => {
    const { t, bytes } = await ticket();
    const up = await h.upload(OWNER, t.cloudPath, bytes);
    expect(data(await h.api(OWNER, 'uploads.confirm', { uploadId: t.uploadId, fileID: (up.json as { fileID: string }).fileID })).uploadId).toBe(t.uploadId);
  });

  // Found by this suite: a suffix check let a file uploaded to <any prefix>/<issued path> through,
  // putting a path of the author's choosing in front of judges. The path must now match exactly.
  it('refuses a file uploaded elsewhere whose path merely ends with the issued path', async () => {
    const { t, bytes } = await ticket();
    const up = await h.upload(OWNER, `elsewhere/${t.cloudPath}`, bytes);
    expect(up.status).toBe(200);
    const r = await h.api(OWNER, 'uploads.confirm', { uploadId: t.uploadId, fileID: (up.json as { fileID: string }).fileID });
    expect(r).toMatchObject({ ok: false, code: 'FILE_REJECTED' });
  });

  it('refuses traversal and foreign buckets around the issued path', async () => {
    const { t, bytes } = await ticket();
    const up = await h.upload(OWNER, t.cloudPath, bytes);
    const good = (up.json as { fileID: string }).fileID;
    const host = good.slice('cloud://'.length, good.indexOf('/', 'cloud://'.length));
    for (const fileID of [`cloud://${host}/../${t.cloudPath}`, `cloud://${host}/x/../${t.cloudPath}`, `cloud://other.bucket-1250000000/${t.cloudPath}`, `cloud://${host}//${t.cloudPath}`]) {
      const r = await h.api(OWNER, 'uploads.confirm', { uploadId: t.uploadId, fileID });
      expect({ fileID, r }).toEqual({ fileID, r: expect.objectContaining({ ok: false }) as unknown });
      expect((r as { code: string }).code).not.toBe('INTERNAL');
    }
  });
});
