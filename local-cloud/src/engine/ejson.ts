/**
 * MongoDB Extended JSON, the way @cloudbase/database speaks it.
 *
 * The SDK serialises every query, update, document and aggregation stage with
 * `bson.EJSON.stringify(value, { relaxed: false })` (utils/utils.js stringifyByEJSON), so the
 * engine receives canonical EJSON: `{"$numberInt":"1"}`, `{"$numberDouble":"1.5"}`,
 * `{"$numberLong":"1099511627776"}`, `{"$date":{"$numberLong":"1000"}}`,
 * `{"$regularExpression":{"pattern":"x","options":"i"}}`, plus CloudBase's own
 * `{"$tcb_server_date":{"offset":{"$numberInt":"0"}}}` for `db.serverDate({ offset })`.
 *
 * It decodes answers with `bson.EJSON.parse(item)` (relaxed by default): `list` items and
 * `modifyAndReturnDoc`'s `doc` must be EJSON *strings*; a `{"$date":{"$numberLong":"…"}}` comes
 * back as a JS Date, a `$regularExpression` as a bson BSONRegExp, plain JSON numbers as numbers.
 *
 * This module has no dependency on `bson`: it handles the subset above, which is all the SDK
 * produces, and leaves any other `$`-object (e.g. `$minKey`, `$binary`) as a plain object.
 */

export interface DecodeContext {
  /** Epoch ms used for `$tcb_server_date` (the engine's clock, fixed for one request). */
  now: number;
}

const REGEX_FLAGS = new Set(['i', 'm', 's', 'u']);

function onlyKey(o: Record<string, unknown>, key: string): boolean {
  let n = 0;
  for (const k in o) {
    if (k !== key) return false;
    n++;
  }
  return n === 1;
}

function decodeNumberString(s: unknown): number | undefined {
  if (typeof s !== 'string') return undefined;
  if (s === 'NaN') return NaN;
  if (s === 'Infinity' || s === '+Infinity') return Infinity;
  if (s === '-Infinity') return -Infinity;
  const n = Number(s);
  return Number.isNaN(n) ? undefined : n;
}

function makeRegExp(pattern: unknown, options: unknown): RegExp | undefined {
  if (typeof pattern !== 'string') return undefined;
  const flags = typeof options === 'string' ? [...new Set(options.split(''))].filter((f) => REGEX_FLAGS.has(f)).join('') : '';
  try {
    return new RegExp(pattern, flags);
  } catch {
    return undefined;
  }
}

/** Converts one EJSON wrapper object to its JS value; returns the object unchanged otherwise. */
function reviveWrapper(o: Record<string, unknown>, ctx: DecodeContext | undefined): unknown {
  // Fast exit: every wrapper has a first key starting with '$'.
  let first: string | undefined;
  for (const k in o) {
    first = k;
    break;
  }
  if (first === undefined || first.charCodeAt(0) !== 36 /* $ */) return o;
  switch (first) {
    case '$numberInt':
    case '$numberDouble':
    case '$numberLong':
    case '$numberDecimal': {
      if (!onlyKey(o, first)) return o;
      const n = decodeNumberString(o[first]);
      return n === undefined ? o : n;
    }
    case '$date': {
      if (!onlyKey(o, '$date')) return o;
      const v = o.$date;
      // Inner `{"$numberLong": "…"}` was already revived to a number (the reviver runs bottom-up).
      if (typeof v === 'number') return new Date(v);
      if (typeof v === 'string') return new Date(Date.parse(v));
      return o;
    }
    case '$regularExpression': {
      if (!onlyKey(o, '$regularExpression')) return o;
      const spec = o.$regularExpression;
      if (spec === null || typeof spec !== 'object') return o;
      const r = spec as Record<string, unknown>;
      return makeRegExp(r.pattern, r.options) ?? o;
    }
    case '$oid': {
      // db.ObjectId / console-made ids: the engine keeps ids as strings (string or number _id only).
      if (!onlyKey(o, '$oid') || typeof o.$oid !== 'string') return o;
      return o.$oid;
    }
    case '$undefined':
      return onlyKey(o, '$undefined') ? null : o;
    case '$tcb_server_date': {
      if (!onlyKey(o, '$tcb_server_date') || ctx === undefined) return o;
      const spec = o.$tcb_server_date;
      let offset = 0;
      if (spec !== null && typeof spec === 'object') {
        const off = (spec as Record<string, unknown>).offset;
        if (typeof off === 'number' && Number.isFinite(off)) offset = off;
      }
      return new Date(ctx.now + offset);
    }
    default:
      return o;
  }
}

/** Replaces EJSON wrappers in a freshly parsed JSON value (bottom-up, in place where possible). */
function revive(value: unknown, ctx: DecodeContext | undefined): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (v !== null && typeof v === 'object') value[i] = revive(v, ctx);
    }
    return value;
  }
  const o = value as Record<string, unknown>;
  for (const k in o) {
    const v = o[k];
    if (v === null || typeof v !== 'object') continue;
    const r = revive(v, ctx);
    if (r === v) continue;
    // JSON.parse makes "__proto__" an own property; assigning it would set the prototype instead.
    if (k === '__proto__') Object.defineProperty(o, k, { value: r, enumerable: true, writable: true, configurable: true });
    else o[k] = r;
  }
  return reviveWrapper(o, ctx);
}

/**
 * Parses an EJSON string (canonical or relaxed) into JS values: numbers, Dates, RegExps.
 * `$tcb_server_date` becomes `new Date(ctx.now + offset)`.
 */
export function parseEJSON(text: string, ctx?: DecodeContext): unknown {
  const value: unknown = JSON.parse(text);
  // No `"$` anywhere: plain JSON, nothing to revive.
  if (text.indexOf('"$') === -1) return value;
  return revive(value, ctx);
}

/**
 * Decodes an already-parsed JSON value that may hold EJSON wrappers (used for params that are
 * sent as JSON values rather than strings). Returns fresh objects.
 */
export function decodeEJSONValue(value: unknown, ctx?: DecodeContext): unknown {
  return parseEJSON(JSON.stringify(value) ?? 'null', ctx);
}

function encodeReplacer(this: unknown, key: string, value: unknown): unknown {
  // `value` is after toJSON (a Date is already a string here); look at the raw value instead.
  const raw = (this as Record<string, unknown>)[key];
  if (raw instanceof Date) {
    const t = raw.getTime();
    return { $date: { $numberLong: Number.isNaN(t) ? '0' : String(t) } };
  }
  if (typeof raw === 'number') {
    if (Number.isFinite(raw)) return raw;
    return { $numberDouble: Number.isNaN(raw) ? 'NaN' : raw > 0 ? 'Infinity' : '-Infinity' };
  }
  if (raw instanceof RegExp) {
    return { $regularExpression: { pattern: raw.source, options: raw.flags.split('').sort().join('') } };
  }
  if (typeof raw === 'bigint') return { $numberLong: raw.toString() };
  return value;
}

/**
 * Encodes a stored value as relaxed EJSON that `bson.EJSON.parse` (4.x, the SDK's) reads back into
 * the same JS values: Dates as `{"$date":{"$numberLong":"<ms>"}}` (exact to the millisecond and
 * valid for any year), non-finite numbers as `$numberDouble`, RegExps as `$regularExpression`.
 */
export function stringifyEJSON(value: unknown): string {
  return JSON.stringify(value, encodeReplacer) ?? 'null';
}
