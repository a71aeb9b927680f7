/**
 * Strict payload schemas. One schema gives both the TypeScript type of a payload (Infer) and its
 * run-time check, so the client and the router cannot drift apart. Objects refuse unknown keys
 * (an `openid` smuggled into a payload is an error, not ignored); strings are bounded; numbers
 * are finite; nesting is bounded by the schema itself.
 */

export interface Issue {
  path: string;
  message: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; issue: Issue };

export interface Schema<T> {
  readonly kind: string;
  parse(input: unknown, path?: string): Parsed<T>;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

const fail = (path: string, message: string): { ok: false; issue: Issue } => ({
  ok: false,
  issue: { path, message },
});

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number' && Number.isNaN(v)) return 'NaN';
  return typeof v;
}

export interface StringOptions {
  min?: number;
  max: number;
  pattern?: RegExp;
  /** Human description of the pattern, for the error message. */
  patternHint?: string;
  /** Message for a wrong length where "至少 N 个字" would confuse (a phone number). */
  lengthHint?: string;
  /** Trim surrounding whitespace before checking and returning. Default true. */
  trim?: boolean;
  /** Allow line breaks (essays, comments). Default false: single-line fields refuse them. */
  multiline?: boolean;
}

// Control characters other than tab/newline never belong in user text.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u2028\u2029]/;

export function string(opts: StringOptions): Schema<string> {
  return {
    kind: 'string',
    parse(input, path = 'payload') {
      if (typeof input !== 'string') return fail(path, `应为文本，收到 ${typeName(input)}`);
      const v = opts.trim === false ? input : input.trim();
      const len = [...v].length;
      if (opts.min !== undefined && len < opts.min)
        return fail(path, len === 0 ? '不能为空' : (opts.lengthHint ?? `至少 ${opts.min} 个字`));
      if (len > opts.max) return fail(path, opts.lengthHint ?? `不能超过 ${opts.max} 个字`);
      if (CONTROL.test(v)) return fail(path, '含有不可见的控制字符');
      if (!opts.multiline && /[\r\n]/.test(v)) return fail(path, '不能包含换行');
      if (opts.pattern && !opts.pattern.test(v)) return fail(path, opts.patternHint ?? '格式不正确');
      return { ok: true, value: v };
    },
  };
}

export interface NumberOptions {
  min: number;
  max: number;
  /** Whole numbers only. */
  int?: boolean;
  /** Allowed step from 0, e.g. 0.5 for half points. */
  step?: number;
}

export function number(opts: NumberOptions): Schema<number> {
  return {
    kind: 'number',
    parse(input, path = 'payload') {
      if (typeof input !== 'number' || !Number.isFinite(input))
        return fail(path, `应为数字，收到 ${typeName(input)}`);
      if (opts.int && !Number.isInteger(input)) return fail(path, '应为整数');
      if (input < opts.min || input > opts.max) return fail(path, `应在 ${opts.min} 到 ${opts.max} 之间`);
      if (opts.step !== undefined) {
        const k = input / opts.step;
        if (Math.abs(k - Math.round(k)) > 1e-9) return fail(path, `应为 ${opts.step} 的整数倍`);
      }
      return { ok: true, value: input };
    },
  };
}

export const int = (min: number, max: number): Schema<number> => number({ min, max, int: true });

export function boolean(): Schema<boolean> {
  return {
    kind: 'boolean',
    parse(input, path = 'payload') {
      if (typeof input !== 'boolean') return fail(path, `应为是/否，收到 ${typeName(input)}`);
      return { ok: true, value: input };
    },
  };
}

export function literal<const T extends readonly (string | number | boolean)[]>(
  ...values: T
): Schema<T[number]> {
  return {
    kind: 'literal',
    parse(input, path = 'payload') {
      if (!values.includes(input as T[number])) return fail(path, `取值无效`);
      return { ok: true, value: input as T[number] };
    },
  };
}

export interface ArrayOptions {
  min?: number;
  max: number;
  unique?: boolean;
}

export function array<T>(item: Schema<T>, opts: ArrayOptions): Schema<T[]> {
  return {
    kind: 'array',
    parse(input, path = 'payload') {
      if (!Array.isArray(input)) return fail(path, `应为列表，收到 ${typeName(input)}`);
      if (opts.min !== undefined && input.length < opts.min) return fail(path, `至少 ${opts.min} 项`);
      if (input.length > opts.max) return fail(path, `最多 ${opts.max} 项`);
      const out: T[] = [];
      for (let i = 0; i < input.length; i++) {
        const r = item.parse(input[i], `${path}[${i}]`);
        if (!r.ok) return r;
        out.push(r.value);
      }
      if (opts.unique && new Set(out.map((v) => JSON.stringify(v))).size !== out.length)
        return fail(path, '有重复项');
      return { ok: true, value: out };
    },
  };
}

interface OptionalSchema<T> extends Schema<T | undefined> {
  readonly optional: true;
}

export function optional<T>(inner: Schema<T>): OptionalSchema<T> {
  return {
    kind: `optional ${inner.kind}`,
    optional: true,
    parse(input, path = 'payload') {
      if (input === undefined) return { ok: true, value: undefined };
      return inner.parse(input, path);
    },
  };
}

export function nullable<T>(inner: Schema<T>): Schema<T | null> {
  return {
    kind: `nullable ${inner.kind}`,
    parse(input, path = 'payload') {
      if (input === null) return { ok: true, value: null };
      return inner.parse(input, path);
    },
  };
}

type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends OptionalSchema<unknown> ? K : never }[keyof S];
type RequiredKeys<S extends Shape> = Exclude<keyof S, OptionalKeys<S>>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};
export type ObjectOf<S extends Shape> = Simplify<
  { [K in RequiredKeys<S>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Exclude<Infer<S[K]>, undefined> }
>;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A strict object: unknown keys are refused. */
export function object<S extends Shape>(shape: S): Schema<ObjectOf<S>> & { shape: S } {
  return {
    kind: 'object',
    shape,
    parse(input, path = 'payload') {
      if (!isPlainObject(input)) return fail(path, `应为对象，收到 ${typeName(input)}`);
      for (const key of Object.keys(input)) {
        if (!Object.prototype.hasOwnProperty.call(shape, key)) return fail(`${path}.${key}`, '不允许的字段');
      }
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(shape)) {
        const r = (shape[key] as Schema<unknown>).parse(input[key], `${path}.${key}`);
        if (!r.ok) {
          if (input[key] === undefined) return fail(`${path}.${key}`, '缺少必填项');
          return r;
        }
        if (r.value !== undefined) out[key] = r.value;
      }
      return { ok: true, value: out as ObjectOf<S> };
    },
  };
}

/** A tagged union on a literal `kind`-like field. */
type Tagged<K extends string, V extends Record<string, Schema<Record<string, unknown>>>> = {
  [T in keyof V & string]: Simplify<{ [P in K]: T } & Infer<V[T]>>;
}[keyof V & string];

export function union<K extends string, V extends Record<string, Schema<Record<string, unknown>>>>(
  tag: K,
  variants: V,
): Schema<Tagged<K, V>> {
  return {
    kind: 'union',
    parse(input, path = 'payload') {
      if (!isPlainObject(input)) return fail(path, `应为对象，收到 ${typeName(input)}`);
      const t = input[tag];
      if (typeof t !== 'string' || !Object.prototype.hasOwnProperty.call(variants, t))
        return fail(`${path}.${tag}`, '取值无效');
      const { [tag]: _omit, ...rest } = input;
      const r = (variants[t] as Schema<Record<string, unknown>>).parse(rest, path);
      if (!r.ok) return r;
      return { ok: true, value: { [tag]: t, ...r.value } as Tagged<K, V> };
    },
  };
}

// Identifiers produced by the server: short, URL- and path-safe. Nothing else may be used as an id.
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const id = (): Schema<string> =>
  string({ min: 1, max: 64, pattern: ID_PATTERN, patternHint: '编号格式不正确', trim: false });

/** An instant in epoch milliseconds (2000-01-01 .. 2100-01-01). */
export const instant = (): Schema<number> => number({ min: 946684800000, max: 4102444800000, int: true });
