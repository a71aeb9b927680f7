/**
 * A seeded generator of malformed payloads. From an action's valid sample (and the top-level
 * fields its schema declares) it derives, for every field, wrong types and missing fields, then
 * random mutations: extra and prototype keys, huge strings, deep nesting, odd numbers, long arrays,
 * script / WXML / NoSQL injection, path traversal and unicode oddities, alone or combined.
 *
 * Everything is reproducible from (seed, action): the same seed gives the same cases. The payloads
 * are JS values; what reaches the function is their JSON (`arrived`): NaN and ±Infinity become
 * null, -0 becomes 0, `undefined` fields disappear, lone surrogates survive as \uXXXX escapes.
 *
 * Used by bad-input.test.ts (100 per action in npm test) and scripts/fuzz.mjs (1,000 per action).
 */

// ---- PRNG ---------------------------------------------------------------------------------------

/** mulberry32: a tiny, good-enough 32-bit PRNG. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A per-action seed: FNV-1a of the label, mixed with the run's seed. */
export function seedFor(seed: number, label: string): number {
  let x = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < label.length; i++) x = Math.imul(x ^ label.charCodeAt(i), 0x01000193) >>> 0;
  return x >>> 0;
}

export class Rng {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new Error('pick from an empty list');
    return xs[this.int(xs.length)] as T;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

// ---- paths in a JSON tree -------------------------------------------------------------------------

type Key = string | number;
type Path = Key[];

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep copy of a JSON-like value that keeps own keys such as "__proto__" as data. */
export function clone<T>(v: T): T {
  if (Array.isArray(v)) return v.map(clone) as T;
  if (isObj(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) define(out, k, clone(v[k]));
    return out as T;
  }
  return v;
}

/** Sets an own data property, even for "__proto__". */
function define(o: Record<string, unknown>, k: string, value: unknown): void {
  Object.defineProperty(o, k, { value, enumerable: true, writable: true, configurable: true });
}

function paths(v: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (isObj(v)) for (const k of Object.keys(v)) paths(v[k], [...at, k], out);
  return out;
}

function getAt(v: unknown, p: Path): unknown {
  let cur = v;
  for (const k of p) {
    if (Array.isArray(cur) && typeof k === 'number') cur = cur[k];
    else if (isObj(cur) && typeof k === 'string') cur = Object.prototype.hasOwnProperty.call(cur, k) ? cur[k] : undefined;
    else return undefined;
  }
  return cur;
}

/** A one-level copy (own keys kept as data, "__proto__" included). */
function shallow<T>(v: T): T {
  if (Array.isArray(v)) return [...v] as T;
  if (isObj(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) define(out, k, v[k]);
    return out as T;
  }
  return v;
}

/**
 * A copy of `root` with `value` at `p` (the root itself when p is empty). Only the containers on
 * the path are copied; the rest is shared (cases are never mutated once made). A step through
 * something that is not a container (an earlier mutation replaced it) makes an object there.
 */
function setAt(root: unknown, p: Path, value: unknown): unknown {
  if (p.length === 0) return value;
  const [k, ...rest] = p as [Key, ...Key[]];
  const copy: unknown = Array.isArray(root) || isObj(root) ? shallow(root) : {};
  const child = Array.isArray(copy) ? copy[k as number] : (copy as Record<string, unknown>)[String(k)];
  const next = setAt(isObj(child) || Array.isArray(child) ? child : undefined, rest, value);
  if (Array.isArray(copy) && typeof k === 'number') copy[k] = next;
  else define(copy as Record<string, unknown>, String(k), next);
  return copy;
}

function removeAt(root: unknown, p: Path): unknown {
  if (p.length === 0) return undefined;
  if (!Array.isArray(root) && !isObj(root)) return root;
  const [k, ...rest] = p as [Key, ...Key[]];
  const copy = shallow(root);
  if (rest.length === 0) {
    if (Array.isArray(copy)) copy.splice(k as number, 1);
    else Reflect.deleteProperty(copy as Record<string, unknown>, String(k));
    return copy;
  }
  const child = Array.isArray(copy) ? copy[k as number] : (copy as Record<string, unknown>)[String(k)];
  if (Array.isArray(copy)) copy[k as number] = removeAt(child, rest);
  else define(copy as Record<string, unknown>, String(k), removeAt(child, rest));
  return copy;
}

export const pathText = (p: Path): string => ['payload', ...p.map((k) => (typeof k === 'number' ? `[${k}]` : k))].join('.').replace(/\.\[/g, '[');

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

// ---- ingredients --------------------------------------------------------------------------------

const OF_EVERY_TYPE: unknown[] = [0, 1, -1, 1.5, 42, 1e21, '', 'x', '0', 'true', 'null', true, false, null, [], [1, 2], {}, { a: 1 }, ['x']];

export const EXTRA_KEYS = ['openid', '_openid', 'OPENID', '_id', 'userId', 'role', '__proto__', 'constructor', 'prototype', 'isAdmin', '$where', 'userInfo'];
const EXTRA_VALUES: unknown[] = ['demo-admin', 'admin', true, 1, null, {}, { $ne: null }, { isAdmin: true, role: 'admin' }, ['demo-admin']];

const ODD_NUMBERS: unknown[] = [NaN, Infinity, -Infinity, -0, -1, -0.5, 0.5, 0.25, 1.0000001, 1e308, -1e308, 5e-324, 2 ** 31, -(2 ** 31), 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, 0x7fffffff + 1, 1e-7];

export const INJECTIONS = [
  '<script>alert(1)</script>',
  '"><script>alert(document.cookie)</script>',
  '{{a}}',
  '{{ constructor.constructor("return this")() }}',
  '<view bindtap="steal">点我</view>',
  '<wxs module="m">module.exports = 1</wxs>',
  '<img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '<template is="x" data="{{...a}}"/>',
  "' OR '1'='1",
  '{"$gt": ""}',
  '$where',
  '${7*7}',
  '\\u003cscript\\u003e',
  '<!--',
  ']]>',
];

export const NOSQL: unknown[] = [{ $ne: null }, { $gt: '' }, { $regex: '.*' }, { $where: 'sleep(1000)' }, { $in: ['act_culture_2022'] }, { $exists: true }, { _id: { $ne: '' } }, ['$ne', null]];

export const TRAVERSALS = [
  '../../etc/passwd',
  '..%2f..%2fetc%2fpasswd',
  '%2e%2e%2f%2e%2e%2f',
  '..\\..\\windows\\win.ini',
  'cloud://x/../../etc/passwd',
  'cloud://6c6f-local-1250000000/../../.local-cloud/db',
  '/etc/passwd',
  'file:///etc/passwd',
  'entries/../../users',
  '....//....//etc',
  'a/./b/../../..',
  '..',
  '.',
  'x\u0000.jpg',
  '%00',
];

export const UNICODE = [
  '\u202e', // right-to-left override
  '\u202d',
  '\u200b', // zero width space
  '\u200d',
  '\ufeff', // BOM
  '\ud800', // lone high surrogate
  '\udfff', // lone low surrogate
  '\u0000',
  '\u0007',
  '\u2028',
  '\r\n',
  '\u0301', // combining acute
  '\u00a0',
  '\u3000',
  'ａｃｔ＿ｃｕｌｔｕｒｅ', // fullwidth
  'асt_culture_2022', // Cyrillic а, с
  '𝒜𝒷𝒸',
  '👩‍👩‍👧‍👦',
  '\uffff',
];

function deep(levels: number, leaf: unknown = 'x', rng?: Rng): unknown {
  let v = leaf;
  for (let i = 0; i < levels; i++) v = rng?.chance(0.3) ? [v] : { a: v };
  return v;
}

const huge = (rng: Rng): string => {
  const unit = rng.pick(['A', '字', '<', '\u200b', 'a1_']);
  return unit.repeat(Math.ceil(100_000 / unit.length));
};

/** Strings shaped like `was` that a pattern may accept: someone else's id, a file ID elsewhere. */
function wellFormedLike(was: string): string[] {
  const file = /^cloud:\/\/([^/]+)\/(.+)$/.exec(was);
  if (file) {
    const [, host, path] = file as unknown as [string, string, string];
    const dir = path.slice(0, path.lastIndexOf('/') + 1);
    return [
      'cloud://x/../../etc/passwd',
      `cloud://${host}/../${path}`,
      `cloud://${host}/elsewhere/${path}`,
      `cloud://other-env.bucket-1250000000/${path}`,
      `cloud://${host}/${path}/..`,
      `cloud://${host}/${dir}../../../users/all.json`,
      `cloud://${host}/.local-cloud/${path}`,
      `cloud://${host}/${dir}someone-else.jpg`,
      `cloud://${host}//${path}`,
    ];
  }
  if (/^[A-Za-z0-9_-]+$/.test(was)) {
    return ['x', '0', '-', '_', 'A'.repeat(64), `${was}_`, `${was}x`.slice(-64), was.toUpperCase(), `u_${'a'.repeat(22)}`, was.replace(/[a-z]/, 'Z'), `reg_${was}`, `ent_${was}_essay_u_x`];
  }
  return ['', ' ', `${was} `, ` ${was}`, `${was}！`, was.slice(0, 1), `${was}\t`, `${was}\n第二行`];
}

// ---- mutations ----------------------------------------------------------------------------------

export interface Case {
  /** What was done, e.g. "wrong type at payload.entryId: number". */
  note: string;
  payload: unknown;
}

interface Tree {
  sample: unknown;
  all: Path[];
  strings: Path[];
  numbers: Path[];
  arrays: Path[];
  objects: Path[];
  /** Object paths except the root. */
  fields: Path[];
}

function treeOf(sample: unknown, topLevel: string[]): Tree {
  const all = paths(sample);
  // Top-level fields the schema declares but the sample leaves out (optional ones) are fields too.
  if (isObj(sample)) for (const k of topLevel) if (!Object.prototype.hasOwnProperty.call(sample, k)) all.push([k]);
  const at = (p: Path) => getAt(sample, p);
  return {
    sample,
    all,
    strings: all.filter((p) => typeof at(p) === 'string'),
    numbers: all.filter((p) => typeof at(p) === 'number'),
    arrays: all.filter((p) => Array.isArray(at(p))),
    objects: all.filter((p) => isObj(at(p))),
    fields: all.filter((p) => p.length > 0),
  };
}

const short = (v: unknown): string => {
  let s: string;
  if (typeof v === 'number') s = Object.is(v, -0) ? '-0' : String(v);
  else if (typeof v === 'string') s = JSON.stringify(v.length > 40 ? `${v.slice(0, 20)}…(${v.length} chars)` : v);
  else s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
};

type Mutator = (t: Tree, cur: unknown, rng: Rng) => { note: string; payload: unknown };

const pickPath = (rng: Rng, preferred: Path[], fallback: Path[]): Path => (preferred.length ? rng.pick(preferred) : rng.pick(fallback));

const MUTATORS: Record<string, Mutator> = {
  wrongType(t, cur, rng) {
    const p = pickPath(rng, t.fields, t.all);
    const was = typeName(getAt(cur, p));
    const v = rng.pick(OF_EVERY_TYPE.filter((x) => typeName(x) !== was));
    return { note: `wrong type at ${pathText(p)}: ${short(v)}`, payload: setAt(cur, p, clone(v)) };
  },
  missing(t, cur, rng) {
    const p = pickPath(rng, t.fields.filter((x) => getAt(cur, x) !== undefined), t.all);
    if (p.length === 0) return { note: 'payload missing', payload: undefined };
    return { note: `missing ${pathText(p)}`, payload: removeAt(cur, p) };
  },
  extraField(t, cur, rng) {
    const p = pickPath(rng, t.objects.filter((x) => isObj(getAt(cur, x))), [[]]);
    const k = rng.pick(EXTRA_KEYS);
    const v = rng.pick(EXTRA_VALUES);
    const target = getAt(cur, p);
    if (!isObj(target)) return { note: `extra field ${k} as payload`, payload: { [k]: v } };
    const copy = shallow(target);
    define(copy, k, clone(v));
    return { note: `extra field ${pathText([...p, k])}: ${short(v)}`, payload: setAt(cur, p, copy) };
  },
  prototypePollution(t, cur, rng) {
    const p = pickPath(rng, t.objects.filter((x) => isObj(getAt(cur, x))), [[]]);
    const target = getAt(cur, p);
    const copy = isObj(target) ? shallow(target) : {};
    const which = rng.pick(['__proto__', 'constructor']);
    define(copy, which, which === '__proto__' ? { isAdmin: true, role: 'admin', userId: 'u_x' } : { prototype: { isAdmin: true } });
    return { note: `${which} at ${pathText(p)}`, payload: setAt(cur, p, copy) };
  },
  hugeString(t, cur, rng) {
    const p = pickPath(rng, t.strings, t.all);
    return { note: `100k-char string at ${pathText(p)}`, payload: setAt(cur, p, huge(rng)) };
  },
  deepNesting(t, cur, rng) {
    const p = rng.chance(0.3) ? [] : pickPath(rng, t.fields, t.all);
    return { note: `100-deep nesting at ${pathText(p)}`, payload: setAt(cur, p, deep(100, getAt(cur, p) ?? 'x', rng)) };
  },
  oddNumber(t, cur, rng) {
    const p = pickPath(rng, rng.chance(0.7) ? t.numbers : [], t.fields.length ? t.fields : t.all);
    const v = rng.pick(ODD_NUMBERS);
    return { note: `number ${short(v)} at ${pathText(p)}`, payload: setAt(cur, p, v) };
  },
  longArray(t, cur, rng) {
    const p = pickPath(rng, rng.chance(0.7) ? t.arrays : [], t.fields.length ? t.fields : t.all);
    const n = rng.pick([21, 100, 1000, 10_000, 30_000]);
    const existing = getAt(cur, p);
    const first: unknown = Array.isArray(existing) && existing.length ? existing[0] : undefined;
    // Copies of a small item only: 30,000 copies of a 100k string would be 3 GB of JSON.
    const item = first !== undefined && jsonLength(first) <= 200 ? first : rng.pick(['x', 1, {}, null, 'essay']);
    return { note: `array of ${n} at ${pathText(p)}`, payload: setAt(cur, p, Array.from({ length: n }, () => item)) };
  },
  injection(t, cur, rng) {
    const p = pickPath(rng, t.strings, t.all);
    const s = rng.pick(INJECTIONS);
    const was = getAt(cur, p);
    const v = typeof was === 'string' && rng.chance(0.5) ? `${was}${s}` : s;
    return { note: `injection at ${pathText(p)}: ${short(v)}`, payload: setAt(cur, p, v) };
  },
  nosql(t, cur, rng) {
    const p = pickPath(rng, t.strings, t.all);
    const v = rng.pick(NOSQL);
    return { note: `query operator at ${pathText(p)}: ${short(v)}`, payload: setAt(cur, p, clone(v)) };
  },
  traversal(t, cur, rng) {
    const p = pickPath(rng, t.strings, t.all);
    const s = rng.pick(TRAVERSALS);
    const was = getAt(cur, p);
    const v = typeof was === 'string' && rng.chance(0.4) ? `${was}/${s}` : typeof was === 'string' && rng.chance(0.3) ? `${s}${was}` : s;
    return { note: `path traversal at ${pathText(p)}: ${short(v)}`, payload: setAt(cur, p, v) };
  },
  unicode(t, cur, rng) {
    const p = pickPath(rng, t.strings, t.all);
    const odd = rng.pick(UNICODE);
    const was = getAt(cur, p);
    const base = typeof was === 'string' ? was : '';
    const where = rng.int(3);
    const v = where === 0 ? odd + base : where === 1 ? base + odd : base.slice(0, base.length >> 1) + odd + base.slice(base.length >> 1);
    return { note: `unicode at ${pathText(p)}: ${short(v)}`, payload: setAt(cur, p, v) };
  },
  /** Well-formed but foreign: another id, a file ID elsewhere (schema-valid: the handler must answer). */
  wellFormed(t, cur, rng) {
    const p = pickPath(rng, t.strings, t.all);
    const was = getAt(cur, p);
    const v = typeof was === 'string' ? rng.pick(wellFormedLike(was)) : rng.pick(['x', 'A'.repeat(64)]);
    return { note: `well-formed stranger at ${pathText(p)}: ${short(v)}`, payload: setAt(cur, p, v) };
  },
  wholePayload(t, _cur, rng) {
    const v = rng.pick<unknown>([null, [], 'payload', 0, true, [t.sample], deep(100), Array.from({ length: 1000 }, () => t.sample), { ...(isObj(t.sample) ? t.sample : {}), ...{ nested: t.sample } }]);
    return { note: `payload replaced by ${short(v)}`, payload: v };
  },
};

export const MUTATION_KINDS = Object.keys(MUTATORS);

/** Length of a value's JSON, or Infinity when it cannot be written (too big). */
function jsonLength(v: unknown): number {
  try {
    return (JSON.stringify(v) ?? '').length;
  } catch {
    return Infinity;
  }
}

/** No case is bigger than this as JSON: past the event limits already, and cheap to make. */
export const MAX_CASE_CHARS = 1_000_000;

/**
 * `count` cases for one action: first every field with a wrong type and missing, then one of each
 * mutation kind, then random mutations (a third of them combining two or three).
 */
export function generateCases(sample: unknown, opts: { count: number; seed: number; topLevelFields?: string[] }): Case[] {
  const rng = new Rng(opts.seed);
  const t = treeOf(clone(sample), opts.topLevelFields ?? []);
  const out: Case[] = [];

  // Systematic: each field, a wrong type (two different ones) and missing.
  for (const p of t.fields) {
    const was = typeName(getAt(t.sample, p));
    const others = OF_EVERY_TYPE.filter((x) => typeName(x) !== was);
    for (let i = 0; i < 2; i++) {
      const v = rng.pick(others);
      out.push({ note: `wrong type at ${pathText(p)}: ${short(v)}`, payload: setAt(t.sample, p, clone(v)) });
    }
    if (getAt(t.sample, p) !== undefined) out.push({ note: `missing ${pathText(p)}`, payload: removeAt(t.sample, p) });
  }
  // Each kind once.
  for (const kind of MUTATION_KINDS) out.push(MUTATORS[kind]!(t, t.sample, rng));
  // Random, sometimes combined.
  while (out.length < opts.count) {
    const n = rng.chance(0.33) ? 2 + rng.int(2) : 1;
    let cur: unknown = t.sample;
    const notes: string[] = [];
    for (let i = 0; i < n; i++) {
      const m = MUTATORS[rng.pick(MUTATION_KINDS)]!(t, cur, rng);
      if (jsonLength(m.payload) > MAX_CASE_CHARS) break;
      cur = m.payload;
      notes.push(m.note);
    }
    if (notes.length) out.push({ note: notes.join(' + '), payload: cur });
  }
  return out.slice(0, opts.count);
}

/** What the function receives: the payload after the event's JSON round trip (undefined: left out). */
export function arrived(payload: unknown): unknown {
  return (JSON.parse(JSON.stringify({ payload })) as { payload?: unknown }).payload;
}

/** A short, printable form of a case's payload, for failure messages. */
export function preview(payload: unknown, max = 300): string {
  let s: string;
  try {
    s = JSON.stringify(payload) ?? 'undefined';
  } catch (e) {
    s = `(unprintable: ${(e as Error).message})`;
  }
  return s.length > max ? `${s.slice(0, max)}…(${s.length} chars)` : s;
}
