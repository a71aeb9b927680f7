/**
 * TCB-style errors raised by the engine.
 *
 * `code` is the string code the CloudBase server puts in its answer (`{ code, message, requestId }`),
 * which @cloudbase/node-sdk turns into a thrown TcbError with the same `code` and wx-server-sdk
 * maps to a numeric `errCode` through its TCB_ERR_CODE table (see wire.ts for the exact format).
 */
export const ErrorCodes = {
  /** Unknown action, malformed params (not JSON, wrong types). wx-server-sdk: -501007. */
  INVALID_PARAM: 'INVALID_PARAM',
  /** Anything that has no better code (engine closed or failed). wx-server-sdk: -501001. */
  SYS_ERR: 'SYS_ERR',
  /** Generic database failure: duplicate key (E11000), bad update, bad query. wx-server-sdk: -502001. */
  DATABASE_REQUEST_FAILED: 'DATABASE_REQUEST_FAILED',
  /** An operator the query language does not know. wx-server-sdk: -502002 (sic, two R). */
  DATABASE_INVALID_OPERRATOR: 'DATABASE_INVALID_OPERRATOR',
  /** The collection is not declared (database/collections.json) nor created. wx-server-sdk: -502005. */
  DATABASE_COLLECTION_NOT_EXIST: 'DATABASE_COLLECTION_NOT_EXIST',
  /** createCollection of a collection that exists ("如果集合已经存在会创建失败"). */
  DATABASE_COLLECTION_ALREADY_EXIST: 'DATABASE_COLLECTION_ALREADY_EXIST',
  /** runTransaction retries exactly on this code (@cloudbase/database transaction/index.js). */
  DATABASE_TRANSACTION_CONFLICT: 'DATABASE_TRANSACTION_CONFLICT',
  /** Unknown, finished or timed-out transaction (docs.cloudbase.net error-code DATABASE_TRANSACTION_FAIL). */
  DATABASE_TRANSACTION_FAIL: 'DATABASE_TRANSACTION_FAIL',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export class EngineError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'EngineError';
    this.code = code;
  }
}

export function isEngineError(e: unknown): e is EngineError {
  return e instanceof EngineError;
}

/** Wraps anything thrown by mingo or by our own code into an EngineError. */
export function toEngineError(e: unknown): EngineError {
  if (e instanceof EngineError) return e;
  const message = e instanceof Error ? e.message : String(e);
  if (/unknown|unregistered|not (a )?(registered|supported|found)|invalid operator|unrecognized/i.test(message) && /operator|\$/.test(message)) {
    return new EngineError(ErrorCodes.DATABASE_INVALID_OPERRATOR, message);
  }
  return new EngineError(ErrorCodes.DATABASE_REQUEST_FAILED, message);
}
