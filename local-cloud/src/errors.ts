/**
 * An error answered on the SDK endpoint (POST /admin) in the shape @cloudbase/node-sdk expects:
 * HTTP 200 with `{ code, message, requestId }`; wx-server-sdk maps `code` through its
 * TCB_ERR_CODE table (e.g. INVALID_PARAM → -501007, STORAGE_FILE_NONEXIST → -503003,
 * FUNCTIONS_EXECUTE_FAIL → -504002; unknown codes → -501001).
 */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** An error answered on the app-facing routes: HTTP status + `{ errCode, errMsg }`. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    readonly errCode: number,
    readonly errMsg: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(errMsg);
  }
}
