/**
 * Values the local cloud copies from WeChat cloud development. Where a value could not be found in
 * WeChat's documentation it says so; docs/LOCAL-CLOUD.md lists them too.
 */

/**
 * getWXContext().SOURCE values. Documented enum (Cloud.getWXContext, developers.weixin.qq.com
 * …/reference-sdk-api/utils/Cloud.getWXContext): wx_devtools, wx_client, wx_http, wx_trigger
 * (云函数定时触发器调用), wx_paycallback, wx_crawler, wx_localdebug, wx_unknown, scf (云函数调用云函数).
 * "SOURCE follows the call chain, comma-separated": a function called by a function called by the
 * app sees 'wx_client,scf'.
 */
export const SOURCE = {
  client: 'wx_client',
  timer: 'wx_trigger',
  functionCall: 'scf',
  /**
   * NOT DOCUMENTED by WeChat: the enum has no entry for a message push (消息推送) into a function.
   * The local cloud uses this value, which is none of the client sources; a function that must
   * answer only the platform should refuse the client sources (wx_client, wx_devtools,
   * wx_localdebug, wx_http, wx_unknown, and any chain starting with one) rather than compare with
   * this string.
   */
  messagePush: 'wx_msgpush',
} as const;

/** The time a function may run when its config.json sets none (WeChat: 3 s). */
export const DEFAULT_TIMEOUT_S = 3;
/** Console range for the timeout (社区: 1–60 s on WeChat's console). */
export const MAX_TIMEOUT_S = 60;

/**
 * wx.cloud.callFunction's data: "recommended threshold 100 KB" (Cloud.callFunction doc), and the
 * CloudBase gateway refuses text request bodies over 100 KB (EXCEED_MAX_PAYLOAD_SIZE).
 */
export const MAX_CLIENT_EVENT_BYTES = 100 * 1024;
/** wx-server-sdk's error table: -604001 'cloudfunction result size exceed limit (1MB)'. */
export const MAX_CLIENT_RESULT_BYTES = 1024 * 1024;
/** SCF: synchronous request and response ≤ 6 MB each (function-to-function calls). */
export const MAX_SCF_PAYLOAD_BYTES = 6 * 1024 * 1024;

/** wx-server-sdk error codes (TCB_ERR_CODE / ERR_CODE in wx-server-sdk/index.js). */
export const ERR = {
  SYS_ERR: -501001,
  INVALID_PARAM: -501007,
  /** Seen from the cloud for an unknown function name ('FunctionName parameter could not be found'). */
  FUNCTION_NOT_FOUND: -501000,
  FUNCTIONS_EXECUTE_FAIL: -504002,
  /** 'errCode: -504003  | errMsg: Invoking task timed out after 3 seconds' (seen in the wild). */
  FUNCTIONS_TIMEOUT: -504003,
  RESULT_TOO_LARGE: -604001,
  OPENAPI_NOT_FOUND: -604100,
  OPENAPI_NO_PERMISSION: -604101,
  OPENAPI_ILLEGAL_SOURCE: -604104,
} as const;

/** Storage: getTempFileURL / deleteFile take at most 50 file IDs a call. */
export const MAX_FILE_IDS_PER_CALL = 50;
/** Private-file temp URL lifetime: "10 minutes" (SDK page); maxAge may ask up to 1 day. */
export const DEFAULT_TEMP_URL_MAX_AGE_S = 600;
export const MAX_TEMP_URL_MAX_AGE_S = 86400;

export const DEFAULT_PORT = 3720;
export const DEFAULT_ENV_ID = 'local';
/** The app's AppID inside the local cloud (getWXContext().APPID). */
export const DEFAULT_APP_ID = 'wx00000000000000aa';
/** Original ID of the mini-program (ToUserName of message pushes). */
export const DEFAULT_ORIGINAL_ID = 'gh_000000000000';
