import { ErrorCode, errorMessage } from './errors';

/** What every cloud action answers: never a throw (a throw reaches the app as an opaque -504002). */
export type Result<T> = Ok<T> | Err;
export interface Ok<T> {
  ok: true;
  data: T;
}
export interface Err {
  ok: false;
  code: ErrorCode;
  message: string;
  /** Which payload field was wrong, for forms ("payload.title"). */
  field?: string;
}

export function ok<T>(data: T): Ok<T> {
  return { ok: true, data };
}

export function err(code: ErrorCode, message?: string, field?: string): Err {
  const e: Err = { ok: false, code, message: message ?? errorMessage(code) };
  if (field !== undefined) e.field = field;
  return e;
}
