/**
 * One collection in memory: documents in insertion ("natural") order, version stamps for
 * optimistic transactions, and sorted secondary indexes built from database/collections.json.
 *
 * Queries are always decided by mingo (`Query.test`); indexes only narrow the candidate set (a
 * superset of the matches) or deliver candidates already in `orderBy` order so that a limited query
 * stops early. Results never depend on which indexes exist: without a sort they come back in
 * natural order, and ties in a sort keep natural order, exactly as mingo's stable sort does on a
 * full scan (tested in test/cloud/engine/indexes.test.ts).
 */
import { Query } from 'mingo';
import { compare, resolve } from 'mingo/util';
import type { Doc, DocId } from './types';
import { stringifyEJSON } from './ejson';

export interface Entry {
  id: DocId;
  doc: Doc;
  /** Commit stamp of the last write (optimistic concurrency). */
  ver: number;
  /** Natural-order position: assigned at insert, kept by updates. */
  seq: number;
}

export interface IndexSpec {
  name: string;
  fields: Array<[string, 1 | -1]>;
  unique: boolean;
}

interface IdxEntry {
  key: unknown[];
  id: DocId;
  seq: number;
}

type Bound = { v: unknown; incl: boolean };
interface FieldConstraint {
  /** Equality points (from `f: v`, `$eq` or `$in`); the field equals one of them. */
  eq?: unknown[];
  lo?: Bound;
  hi?: Bound;
}
type Constraints = Map<string, FieldConstraint>;

/** mingo's type order (util/_internal.js SORT_ORDER) for the scalar types an index holds. */
function typeRank(v: unknown): number {
  if (v === null || v === undefined) return 2;
  switch (typeof v) {
    case 'number':
      return 3;
    case 'string':
      return 4;
    case 'boolean':
      return 9;
    default:
      return v instanceof Date ? 10 : 99;
  }
}

/**
 * mingo's `compare` (the order its $sort uses), with fast paths for two values of the same scalar
 * type (same results: mingo compares those with `<` / `>`, Dates by time).
 */
export function cmpValue(a: unknown, b: unknown): number {
  const ta = typeof a;
  if (ta === typeof b) {
    if (ta === 'number' || ta === 'string') return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
    if (a instanceof Date && b instanceof Date) {
      const x = a.getTime();
      const y = b.getTime();
      return x < y ? -1 : x > y ? 1 : 0;
    }
  }
  return compare(a, b);
}

/** Values kept in the sorted part of an index. Anything else (arrays, objects, NaN) goes to `side`. */
function isIndexable(v: unknown): boolean {
  if (v === null) return true;
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return !Number.isNaN(v);
    case 'object':
      return v instanceof Date && !Number.isNaN(v.getTime());
    default:
      return false;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const p = Object.getPrototypeOf(v) as object | null;
  return p === null || Object.getPrototypeOf(p) === null;
}

/** Key of a unique index: missing and null are the same key, as in the cloud. */
function uniqueKeyString(key: unknown[]): string {
  let s = '';
  for (const v of key) {
    if (v === null || v === undefined) s += 'n';
    else if (typeof v === 'number') s += `d${v}`;
    else if (typeof v === 'string') s += `s${JSON.stringify(v)}`;
    else if (typeof v === 'boolean') s += v ? 'T' : 'F';
    else if (v instanceof Date) s += `t${v.getTime()}`;
    else s += `o${stringifyEJSON(v)}`;
    s += '\u0001';
  }
  return s;
}

function binarySearch<T>(arr: T[], lo: number, hi: number, before: (x: T) => boolean): number {
  // First index in [lo, hi) where before(x) is false; `before` must be monotone (true…true false…false).
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(arr[mid] as T)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class SortedIndex {
  entries: IdxEntry[] = [];
  /** Documents whose key holds a value that cannot be ordered here (array, object, NaN). */
  readonly side = new Set<DocId>();
  /** unique key string → _id, for unique indexes. */
  readonly uniq: Map<string, DocId> | undefined;

  /** Direction of each key field. */
  private readonly dirs: number[];
  /** Field paths, `undefined` where the path has no dot (read directly). */
  private readonly paths: string[];

  constructor(readonly spec: IndexSpec) {
    this.uniq = spec.unique ? new Map() : undefined;
    this.dirs = spec.fields.map(([, d]) => d);
    this.paths = spec.fields.map(([f]) => f);
  }

  private valueOf(doc: Doc, path: string): unknown {
    return path.includes('.') ? resolve(doc, path) : doc[path];
  }

  /** The index key of a document, or undefined when it must live in `side`. Missing → null. */
  keyOf(doc: Doc): unknown[] | undefined {
    const key: unknown[] = [];
    let ok = true;
    for (const f of this.paths) {
      let v: unknown = this.valueOf(doc, f);
      if (v === undefined) v = null;
      if (!isIndexable(v)) ok = false;
      key.push(v);
    }
    return ok ? key : undefined;
  }

  /** Raw key for uniqueness (side documents included). */
  rawKey(doc: Doc): unknown[] {
    return this.paths.map((f) => this.valueOf(doc, f));
  }

  uniqueKey(doc: Doc): string {
    return uniqueKeyString(this.rawKey(doc));
  }

  cmpKey(a: unknown[], b: unknown[], n = this.dirs.length): number {
    const dirs = this.dirs;
    for (let i = 0; i < n; i++) {
      const c = cmpValue(a[i], b[i]);
      if (c !== 0) return c * (dirs[i] as number);
    }
    return 0;
  }

  private cmpEntry(a: IdxEntry, b: IdxEntry): number {
    return this.cmpKey(a.key, b.key) || a.seq - b.seq;
  }

  add(doc: Doc, id: DocId, seq: number): void {
    if (this.uniq) this.uniq.set(this.uniqueKey(doc), id);
    const key = this.keyOf(doc);
    if (key === undefined) {
      this.side.add(id);
      return;
    }
    const e: IdxEntry = { key, id, seq };
    const at = binarySearch(this.entries, 0, this.entries.length, (x) => this.cmpEntry(x, e) < 0);
    this.entries.splice(at, 0, e);
  }

  remove(doc: Doc, id: DocId, seq: number): void {
    if (this.uniq) {
      const k = this.uniqueKey(doc);
      if (this.uniq.get(k) === id) this.uniq.delete(k);
    }
    if (this.side.delete(id)) return;
    const key = this.keyOf(doc);
    if (key === undefined) return;
    const probe: IdxEntry = { key, id, seq };
    const at = binarySearch(this.entries, 0, this.entries.length, (x) => this.cmpEntry(x, probe) < 0);
    const found = this.entries[at];
    if (found !== undefined && found.id === id) {
      this.entries.splice(at, 1);
      return;
    }
    // Should not happen; fall back to a scan so the index never keeps a stale entry.
    const i = this.entries.findIndex((x) => x.id === id);
    if (i >= 0) this.entries.splice(i, 1);
  }

  /** Same sorted key for both documents (a write that does not touch the indexed fields). */
  sameKey(a: Doc, b: Doc): boolean {
    const ka = this.keyOf(a);
    const kb = this.keyOf(b);
    if (ka === undefined || kb === undefined) return false;
    for (let i = 0; i < ka.length; i++) {
      const x = ka[i];
      const y = kb[i];
      if (cmpValue(x, y) !== 0 || typeof x !== typeof y) return false;
    }
    return true;
  }

  rebuild(all: Iterable<Entry>): void {
    this.entries = [];
    this.side.clear();
    this.uniq?.clear();
    for (const e of all) {
      if (this.uniq) this.uniq.set(this.uniqueKey(e.doc), e.id);
      const key = this.keyOf(e.doc);
      if (key === undefined) this.side.add(e.id);
      else this.entries.push({ key, id: e.id, seq: e.seq });
    }
    this.entries.sort((a, b) => this.cmpEntry(a, b));
  }

  /** [start, end) of the entries whose first `n` key fields equal `prefix`. */
  block(prefix: unknown[], lo = 0, hi = this.entries.length): [number, number] {
    const n = prefix.length;
    if (n === 0) return [lo, hi];
    const start = binarySearch(this.entries, lo, hi, (x) => this.cmpKey(x.key, prefix, n) < 0);
    const end = binarySearch(this.entries, start, hi, (x) => this.cmpKey(x.key, prefix, n) <= 0);
    return [start, end];
  }

  /**
   * Within a block sharing the first `j` fields, the entries whose field `j` lies in [lo, hi]
   * (value order, type-bracketed like MongoDB: `$gt: 5` stops at the last number).
   */
  rangeIn(block: [number, number], j: number, lo: Bound | undefined, hi: Bound | undefined): [number, number] {
    const dir = this.spec.fields[j]?.[1] ?? 1;
    const rank = typeRank((lo ?? hi)?.v);
    const val = (x: IdxEntry): unknown => x.key[j];
    // "below" = strictly before the wanted range in value order; "above" = strictly after.
    const below = (x: IdxEntry): boolean => {
      const v = val(x);
      const r = typeRank(v);
      if (r !== rank) return r < rank;
      if (!lo) return false;
      const c = cmpValue(v, lo.v);
      return lo.incl ? c < 0 : c <= 0;
    };
    const above = (x: IdxEntry): boolean => {
      const v = val(x);
      const r = typeRank(v);
      if (r !== rank) return r > rank;
      if (!hi) return false;
      const c = cmpValue(v, hi.v);
      return hi.incl ? c > 0 : c >= 0;
    };
    const [b0, b1] = block;
    if (dir === 1) {
      const s = binarySearch(this.entries, b0, b1, below);
      const e = binarySearch(this.entries, s, b1, (x) => !above(x));
      return [s, e];
    }
    const s = binarySearch(this.entries, b0, b1, above);
    const e = binarySearch(this.entries, s, b1, (x) => !below(x));
    return [s, e];
  }
}

/** Pulls index-usable constraints out of a (decoded) MongoDB filter; conservative. */
export function extractConstraints(filter: Record<string, unknown>, out: Constraints = new Map()): Constraints {
  for (const k of Object.keys(filter)) {
    const v = filter[k];
    if (k === '$and') {
      if (Array.isArray(v)) for (const sub of v) if (isPlainObject(sub)) extractConstraints(sub, out);
      continue;
    }
    if (k.charCodeAt(0) === 36) continue; // $or, $nor, $expr, … narrow nothing
    const c: FieldConstraint = out.get(k) ?? {};
    let used = false;
    if (isPlainObject(v)) {
      const keys = Object.keys(v);
      if (keys.length === 0 || keys.some((x) => x.charCodeAt(0) !== 36)) continue; // sub-document equality
      for (const op of keys) {
        const x = v[op];
        switch (op) {
          case '$eq':
            if (isIndexable(x) && c.eq === undefined) {
              c.eq = [x];
              used = true;
            }
            break;
          case '$in':
            if (Array.isArray(x) && x.every(isIndexable) && c.eq === undefined) {
              c.eq = x;
              used = true;
            }
            break;
          case '$gt':
          case '$gte':
            if (isIndexable(x) && x !== null && c.lo === undefined) {
              c.lo = { v: x, incl: op === '$gte' };
              used = true;
            }
            break;
          case '$lt':
          case '$lte':
            if (isIndexable(x) && x !== null && c.hi === undefined) {
              c.hi = { v: x, incl: op === '$lte' };
              used = true;
            }
            break;
          default:
            break;
        }
      }
      // A range with bounds of two types matches nothing in MongoDB; keep only the lower one.
      if (c.lo && c.hi && typeRank(c.lo.v) !== typeRank(c.hi.v)) delete c.hi;
    } else if (isIndexable(v) && c.eq === undefined) {
      c.eq = [v];
      used = true;
    }
    if (used) out.set(k, c);
  }
  return out;
}

const MAX_POINTS = 1024;

interface Plan {
  index: SortedIndex;
  ranges: Array<[number, number]>;
  count: number;
}

interface OrderedPlan {
  index: SortedIndex;
  range: [number, number];
  forward: boolean;
  sortFields: string[];
}

export interface SelectOptions {
  sort?: Array<[string, 1 | -1]>;
  skip?: number;
  limit?: number;
}

export const QUERY_OPTIONS = { scriptEnabled: false } as const;

export class Collection {
  readonly docs = new Map<DocId, Entry>();
  readonly indexes: SortedIndex[] = [];
  private nextSeq = 1;
  /** Counters for tests: which path the last select took. */
  lastPlan = '';

  constructor(
    readonly name: string,
    specs: IndexSpec[],
  ) {
    // The cloud always has the _id index; keep it sorted for orderBy('_id') and `_id > last` paging.
    this.indexes.push(new SortedIndex({ name: '_id_', fields: [['_id', 1]], unique: false }));
    for (const s of specs) this.indexes.push(new SortedIndex(s));
  }

  get size(): number {
    return this.docs.size;
  }

  get(id: DocId): Entry | undefined {
    return this.docs.get(id);
  }

  /** Applies one document change in memory (no validation; see Engine.commit). */
  put(id: DocId, doc: Doc | null, ver: number, bulk = false): void {
    const before = this.docs.get(id);
    if (doc === null) {
      if (!before) return;
      this.docs.delete(id);
      if (!bulk) for (const ix of this.indexes) ix.remove(before.doc, id, before.seq);
      return;
    }
    if (before) {
      const entry: Entry = { id, doc, ver, seq: before.seq };
      this.docs.set(id, entry);
      if (!bulk) {
        for (const ix of this.indexes) {
          if (ix.uniq === undefined && ix.sameKey(before.doc, doc)) continue;
          ix.remove(before.doc, id, before.seq);
          ix.add(doc, id, entry.seq);
        }
      }
      return;
    }
    const entry: Entry = { id, doc, ver, seq: this.nextSeq++ };
    this.docs.set(id, entry);
    if (!bulk) for (const ix of this.indexes) ix.add(doc, id, entry.seq);
  }

  rebuildIndexes(): void {
    for (const ix of this.indexes) ix.rebuild(this.docs.values());
  }

  /** Best narrowing plan for the constraints, or undefined for a full scan. */
  private narrowPlan(cons: Constraints): Plan | undefined {
    let best: Plan | undefined;
    for (const ix of this.indexes) {
      const fields = ix.spec.fields;
      let prefixes: unknown[][] = [[]];
      let j = 0;
      for (; j < fields.length; j++) {
        const c = cons.get((fields[j] as [string, number])[0]);
        if (!c?.eq) break;
        if (prefixes.length * c.eq.length > MAX_POINTS) break;
        const next: unknown[][] = [];
        for (const p of prefixes) for (const v of c.eq) next.push([...p, v]);
        prefixes = next;
      }
      const rc = j < fields.length ? cons.get((fields[j] as [string, number])[0]) : undefined;
      const range = rc && !rc.eq && (rc.lo || rc.hi) ? rc : undefined;
      if (j === 0 && !range) continue;
      const ranges: Array<[number, number]> = [];
      let count = ix.side.size;
      for (const p of prefixes) {
        let r = ix.block(p);
        if (range) r = ix.rangeIn(r, j, range.lo, range.hi);
        if (r[1] > r[0]) {
          ranges.push(r);
          count += r[1] - r[0];
        }
      }
      if (!best || count < best.count) best = { index: ix, ranges, count };
    }
    return best;
  }

  private orderedPlan(cons: Constraints, sort: Array<[string, 1 | -1]>): OrderedPlan | undefined {
    let best: OrderedPlan | undefined;
    let bestSize = Infinity;
    for (const ix of this.indexes) {
      if (ix.side.size > 0) continue;
      const fields = ix.spec.fields;
      // Leading fields fixed to a single value by the filter, then exactly the sort fields.
      let j = 0;
      const prefix: unknown[] = [];
      while (j < fields.length) {
        const f = (fields[j] as [string, 1 | -1])[0];
        if (f === sort[0]?.[0]) break;
        const c = cons.get(f);
        if (!c?.eq || c.eq.length !== 1) break;
        prefix.push(c.eq[0]);
        j++;
      }
      if (j + sort.length > fields.length) continue;
      let same = true;
      let opposite = true;
      for (let i = 0; i < sort.length; i++) {
        const [f, d] = fields[j + i] as [string, 1 | -1];
        const [sf, sd] = sort[i] as [string, 1 | -1];
        if (f !== sf) {
          same = false;
          opposite = false;
          break;
        }
        if (d !== sd) same = false;
        if (d === sd) opposite = false;
      }
      if (!same && !opposite) continue;
      let range = ix.block(prefix);
      const rc = cons.get((fields[j] as [string, 1 | -1])[0]);
      if (rc && (rc.lo || rc.hi) && !rc.eq) range = ix.rangeIn(range, j, rc.lo, rc.hi);
      else if (rc?.eq && rc.eq.length === 1) range = ix.block([...prefix, rc.eq[0]], range[0], range[1]);
      const size = range[1] - range[0];
      if (size < bestSize) {
        bestSize = size;
        best = { index: ix, range, forward: same, sortFields: sort.map(([f]) => f) };
      }
    }
    return best;
  }

  /**
   * Candidate documents (a superset of the matches) in natural order, and whether a full scan
   * was needed.
   */
  candidates(filter: Record<string, unknown>): Doc[] {
    const cons = extractConstraints(filter);
    const idc = cons.get('_id');
    if (idc?.eq) {
      this.lastPlan = 'id';
      const out: Entry[] = [];
      const seen = new Set<DocId>();
      for (const v of idc.eq) {
        if ((typeof v === 'string' || typeof v === 'number') && !seen.has(v)) {
          seen.add(v);
          const e = this.docs.get(v);
          if (e) out.push(e);
        }
      }
      out.sort((a, b) => a.seq - b.seq);
      return out.map((e) => e.doc);
    }
    const plan = cons.size > 0 ? this.narrowPlan(cons) : undefined;
    if (!plan || plan.count >= this.docs.size) {
      this.lastPlan = 'scan';
      return Array.from(this.docs.values(), (e) => e.doc);
    }
    this.lastPlan = `index:${plan.index.spec.name}`;
    return this.materialise(plan);
  }

  private materialise(plan: Plan): Doc[] {
    const out: Entry[] = [];
    const ix = plan.index;
    for (const [s, e] of plan.ranges) {
      for (let i = s; i < e; i++) {
        const id = (ix.entries[i] as IdxEntry).id;
        const en = this.docs.get(id);
        if (en) out.push(en);
      }
    }
    for (const id of ix.side) {
      const en = this.docs.get(id);
      if (en) out.push(en);
    }
    // Restore natural order (and drop duplicates from overlapping $in points).
    out.sort((a, b) => a.seq - b.seq);
    const docs: Doc[] = [];
    let last: Entry | undefined;
    for (const e of out) {
      if (e !== last) docs.push(e.doc);
      last = e;
    }
    return docs;
  }

  /** Matching documents, sorted, skipped and limited (no projection). */
  select(filter: Record<string, unknown>, opts: SelectOptions = {}): Doc[] {
    const query = new Query(filter, QUERY_OPTIONS);
    const skip = opts.skip ?? 0;
    const limit = opts.limit ?? Infinity;
    const sort = opts.sort && opts.sort.length > 0 ? opts.sort : undefined;
    if (sort && Number.isFinite(limit)) {
      const cons = extractConstraints(filter);
      const ordered = this.orderedPlan(cons, sort);
      if (ordered) {
        const narrow = cons.get('_id')?.eq ? { count: cons.get('_id')?.eq?.length ?? 0 } : cons.size > 0 ? this.narrowPlan(cons) : undefined;
        const rangeSize = ordered.range[1] - ordered.range[0];
        const matches = Math.max(1, Math.min(narrow?.count ?? this.docs.size, rangeSize));
        const orderedCost = Math.min(rangeSize, ((skip + limit) * rangeSize) / matches);
        const narrowCost = (narrow?.count ?? this.docs.size) * 2;
        if (orderedCost <= narrowCost) {
          this.lastPlan = `ordered:${ordered.index.spec.name}`;
          return this.scanOrdered(ordered, query, skip, limit);
        }
      }
    }
    const cands = this.candidates(filter);
    const plan = this.lastPlan;
    let cursor = query.find<Doc>(cands);
    if (sort) cursor = cursor.sort(Object.fromEntries(sort));
    if (skip > 0) cursor = cursor.skip(skip);
    if (Number.isFinite(limit)) cursor = cursor.limit(limit);
    const res = cursor.all();
    this.lastPlan = plan;
    return res;
  }

  count(filter: Record<string, unknown>): number {
    const query = new Query(filter, QUERY_OPTIONS);
    let n = 0;
    for (const d of this.candidates(filter)) if (query.test(d)) n++;
    return n;
  }

  private scanOrdered(plan: OrderedPlan, query: Query, skip: number, limit: number): Doc[] {
    const ix = plan.index;
    const entries = ix.entries;
    const [s, e] = plan.range;
    const out: Doc[] = [];
    let skipped = 0;
    // Sort-key equality for tie runs: ties come out in natural order, as with mingo's stable sort.
    const sortIdx = plan.sortFields.map((f) => ix.spec.fields.findIndex(([x]) => x === f));
    const sameSortKey = (a: IdxEntry, b: IdxEntry): boolean => sortIdx.every((i) => cmpValue(a.key[i], b.key[i]) === 0);
    const emit = (en: IdxEntry): boolean => {
      const entry = this.docs.get(en.id);
      if (!entry || !query.test(entry.doc)) return false;
      if (skipped < skip) {
        skipped++;
        return false;
      }
      out.push(entry.doc);
      return out.length >= limit;
    };
    let i = plan.forward ? s : e - 1;
    while (plan.forward ? i < e : i >= s) {
      const first = entries[i] as IdxEntry;
      // Collect the run of entries with the same sort key.
      let j = i;
      const run: IdxEntry[] = [first];
      for (;;) {
        const nj = plan.forward ? j + 1 : j - 1;
        if (plan.forward ? nj >= e : nj < s) break;
        const nx = entries[nj] as IdxEntry;
        if (!sameSortKey(first, nx)) break;
        run.push(nx);
        j = nj;
      }
      if (run.length > 1) run.sort((a, b) => a.seq - b.seq);
      for (const en of run) if (emit(en)) return out;
      i = plan.forward ? j + 1 : j - 1;
    }
    return out;
  }
}
