/**
 * Update semantics: operator updates through mingo's updater (MongoDB semantics: `$set`, `$unset`,
 * `$inc`, `$mul`, `$min`, `$max`, `$rename`, `$push` with `$each/$position/$slice/$sort`, `$pull`,
 * `$pullAll`, `$addToSet`, `$pop`, positional `$`), whole-document replacement for `set()`, and
 * the document an upsert creates.
 */
import { update as mingoUpdate } from 'mingo';
import { isEqual } from 'mingo/util';
import { EngineError, ErrorCodes } from './errors';
import type { Doc, DocId } from './types';
import { QUERY_OPTIONS } from './collection';

/** A plain object (its prototype is some realm's Object.prototype, or null). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const p = Object.getPrototypeOf(v) as object | null;
  return p === null || Object.getPrototypeOf(p) === null;
}

/**
 * Deep copy of a stored value (plain objects, arrays, Dates, RegExps). Not structuredClone: that
 * builds objects of the outer realm when called inside a vm context (jest), which mingo's equality
 * then mistakes for class instances.
 */
export function clone<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(clone) as T;
  // Tag checks rather than instanceof, so Dates and RegExps from another realm are copied too.
  const tag = Object.prototype.toString.call(v);
  if (tag === '[object Date]') return new Date((v as unknown as Date).getTime()) as T;
  if (tag === '[object RegExp]') return new RegExp((v as unknown as RegExp).source, (v as unknown as RegExp).flags) as T;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const x = clone((v as Record<string, unknown>)[k]);
    if (k === '__proto__') Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
    else out[k] = x;
  }
  return out as T;
}

const UPDATE_OPERATORS = new Set([
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$rename',
  '$push',
  '$pull',
  '$pullAll',
  '$addToSet',
  '$pop',
  '$currentDate',
  '$bit',
]);

function fail(message: string): never {
  throw new EngineError(ErrorCodes.DATABASE_REQUEST_FAILED, message);
}

/** Checks that `data` is an operator update document (`{ $set: {…}, … }`). */
export function assertOperatorUpdate(data: unknown): asserts data is Record<string, Record<string, unknown>> {
  if (!isPlainObject(data)) fail('update data must be an object');
  for (const k of Object.keys(data)) {
    if (k.charCodeAt(0) !== 36) fail(`update data mixes a plain field '${k}' with update operators`);
    if (!UPDATE_OPERATORS.has(k)) throw new EngineError(ErrorCodes.DATABASE_INVALID_OPERRATOR, `unknown update operator ${k}`);
    if (!isPlainObject(data[k])) fail(`${k} takes an object`);
    for (const path of Object.keys(data[k] as object)) {
      if (path === '_id' || path.startsWith('_id.')) fail(`Performing an update on the path '_id' would modify the immutable field '_id'`);
    }
  }
  const renames = data.$rename;
  if (renames) {
    for (const to of Object.values(renames)) {
      if (to === '_id') fail(`Performing an update on the path '_id' would modify the immutable field '_id'`);
    }
  }
}

/** Checks a document to insert or a replacement: no `$` field names at any level. */
export function assertStorable(doc: unknown, what: string): asserts doc is Doc {
  if (!isPlainObject(doc)) fail(`${what} must be an object`);
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const x of v) walk(x);
      return;
    }
    if (!isPlainObject(v)) return;
    for (const k of Object.keys(v)) {
      if (k.charCodeAt(0) === 36) fail(`field names cannot start with '$' (${k}) in ${what}`);
      walk(v[k]);
    }
  };
  walk(doc);
}

export function assertValidId(id: unknown): asserts id is DocId {
  if (typeof id === 'string' ? id.length === 0 : typeof id !== 'number' || !Number.isFinite(id)) {
    throw new EngineError(ErrorCodes.INVALID_PARAM, '_id must be a non-empty string or a finite number');
  }
}

/**
 * Applies an operator update to a copy of `doc`. Returns the new document and whether anything
 * changed (MongoDB's nModified: an update that sets the same values changes nothing).
 */
export function applyOperatorUpdate(doc: Doc, data: Record<string, Record<string, unknown>>, filter: Record<string, unknown>): { doc: Doc; changed: boolean } {
  const next = clone(doc);
  const positional = Object.values(data).some((fields) => Object.keys(fields).some((p) => p.includes('$')));
  try {
    mingoUpdate(next, data as never, undefined, positional ? (filter as never) : undefined, {
      cloneMode: 'deep',
      queryOptions: QUERY_OPTIONS,
    });
  } catch (e) {
    if (e instanceof EngineError) throw e;
    fail(e instanceof Error ? e.message : String(e));
  }
  if (!isEqual(next._id, doc._id)) fail(`Performing an update on the path '_id' would modify the immutable field '_id'`);
  return { doc: next, changed: !isEqual(next, doc) };
}

/** `set()`: the replacement keeps the document's `_id`. */
export function applyReplacement(doc: Doc, data: Doc): { doc: Doc; changed: boolean } {
  if (data._id !== undefined && !isEqual(data._id, doc._id)) fail(`the replacement changes the immutable field '_id'`);
  const next: Doc = { _id: doc._id };
  for (const [k, v] of Object.entries(data)) if (k !== '_id') next[k] = clone(v);
  return { doc: next, changed: !isEqual(next, doc) };
}

/** Equality fields of a filter (what MongoDB copies into an upserted document). */
function equalityFields(filter: Record<string, unknown>, out: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(filter)) {
    if (k === '$and' && Array.isArray(v)) {
      for (const sub of v) if (isPlainObject(sub)) equalityFields(sub, out);
      continue;
    }
    if (k.charCodeAt(0) === 36) continue;
    if (isPlainObject(v)) {
      const keys = Object.keys(v);
      if (keys.length === 1 && keys[0] === '$eq') out[k] = v.$eq;
      else if (keys.length > 0 && keys.every((x) => x.charCodeAt(0) !== 36)) out[k] = v;
      continue;
    }
    if (v instanceof RegExp) continue;
    out[k] = v;
  }
}

/** The document an upsert inserts when nothing matched. */
export function buildUpsert(filter: Record<string, unknown>, data: unknown, merge: boolean, newId: () => DocId): Doc {
  if (!merge) {
    assertStorable(data, 'the replacement');
    const id = (filter._id ?? data._id ?? newId()) as unknown;
    assertValidId(id);
    const doc: Doc = { _id: id };
    for (const [k, v] of Object.entries(data)) if (k !== '_id') doc[k] = v;
    return doc;
  }
  assertOperatorUpdate(data);
  const base: Doc = {};
  const eq: Record<string, unknown> = {};
  equalityFields(filter, eq);
  // Dotted equality paths become nested fields, as MongoDB does.
  const seed: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(eq)) if (k !== '_id') seed[k] = v;
  if (eq._id !== undefined) base._id = eq._id;
  if (Object.keys(seed).length > 0) {
    try {
      mingoUpdate(base, { $set: seed } as never, undefined, undefined, { cloneMode: 'deep' });
    } catch (e) {
      fail(e instanceof Error ? e.message : String(e));
    }
  }
  if (base._id === undefined) base._id = newId();
  assertValidId(base._id);
  const { doc } = applyOperatorUpdate(base, data, {});
  return doc;
}
