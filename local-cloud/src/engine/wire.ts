/**
 * The HTTP encoding of the engine's answers, for the server that wraps it (POST /admin).
 *
 * @cloudbase/node-sdk (dist/utils/tcbapirequester.js) POSTs `{ action, ...params, envName, … }`
 * as JSON to `<URL>?env=<env>&seqId=…` and then:
 *   - if the HTTP status is not 200, throws `{ code: <status number>, message }`: the string code is
 *     lost, so errors must NOT use HTTP error statuses;
 *   - parses the body; if `body.code` is truthy, throws a TcbError `{ code, message, requestId }`
 *     (processReturn), the code runTransaction compares with 'DATABASE_TRANSACTION_CONFLICT' and
 *     wx-server-sdk maps to errCode (DATABASE_COLLECTION_NOT_EXIST → -502005, unknown → -501001);
 *   - otherwise returns the body as is to @cloudbase/database, which reads `body.data.…`, except
 *     `database.startTransaction`, whose `body.transactionId` is read at the top level
 *     (transaction/index.js `this._id = res.transactionId`), and the legacy transaction.js actions
 *     that read `body.updated`, `body.upserted`, `body.deleted` at the top level.
 *
 * So, for every action:
 *   success → HTTP 200, `content-type: application/json`, body `responseBody(action, data, requestId)`
 *             = `{ "requestId": "…", "data": <data> }` (+ top-level fields listed above)
 *   EngineError (or any failure) → HTTP 200, `content-type: application/json`,
 *             body `errorBody(err, requestId)` = `{ "requestId": "…", "code": "<CODE>", "message": "…" }`
 */
import { EngineError, ErrorCodes } from './errors';

const TOP_LEVEL_DATA = new Set(['database.startTransaction', 'database.updateDocInTransaction', 'database.deleteDocInTransaction']);

export function responseBody(action: string, data: unknown, requestId: string): Record<string, unknown> {
  if (TOP_LEVEL_DATA.has(action) && data !== null && typeof data === 'object' && !Array.isArray(data)) {
    return { ...(data as Record<string, unknown>), requestId, data };
  }
  return { requestId, data };
}

export function errorBody(err: unknown, requestId: string): { requestId: string; code: string; message: string } {
  if (err instanceof EngineError) return { requestId, code: err.code, message: err.message };
  const message = err instanceof Error ? err.message : String(err);
  return { requestId, code: ErrorCodes.SYS_ERR, message };
}
