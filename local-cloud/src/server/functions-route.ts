/** POST /functions/<name>: the app (or a script, or a test) calls a function, as wx.cloud.callFunction does. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ERR, MAX_CLIENT_EVENT_BYTES, MAX_CLIENT_RESULT_BYTES, SOURCE } from '../constants';
import { HttpError } from '../errors';
import type { InvokeOutcome } from '../runner/pool';
import { isRecord, type Identity } from '../types';
import { methodNotAllowed, parseJson, readBody, sendJson } from './http-util';
import type { CloudParts } from './parts';

const OPENID_RE = /^[A-Za-z0-9_-]{1,128}$/;

/** errMsg as the app sees it after "cloud.callFunction:fail Error: ". */
export function cloudErrMsg(errCode: number, detail: string): string {
  const text: Record<number, string> = {
    [ERR.FUNCTIONS_EXECUTE_FAIL]: 'functions execute fail',
    [ERR.FUNCTIONS_TIMEOUT]: '',
    [ERR.SYS_ERR]: 'resource system error',
    [ERR.INVALID_PARAM]: 'invalid parameters',
    [ERR.RESULT_TOO_LARGE]: 'cloudfunction result size exceed limit (1MB)',
  };
  return `errCode: ${errCode} ${text[errCode] ?? ''} | errMsg: ${detail}`;
}

export function statusOf(out: Exclude<InvokeOutcome, { ok: true }>): number {
  switch (out.kind) {
    case 'not-found':
      return 404;
    case 'timeout':
      return 504;
    case 'too-large':
      return 502;
    default:
      return 500;
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function clientIp(req: IncomingMessage): string | undefined {
  const a = req.socket.remoteAddress;
  return a?.startsWith('::ffff:') ? a.slice(7) : a;
}

/** The caller chosen by X-Local-Openid (and, optionally, X-Local-Unionid). */
export function callerOf(req: IncomingMessage, appId: string): Identity {
  const openid = header(req, 'x-local-openid');
  const unionid = header(req, 'x-local-unionid');
  if (openid !== undefined && !OPENID_RE.test(openid)) {
    throw new HttpError(400, ERR.INVALID_PARAM, 'X-Local-Openid must be 1–128 characters of [A-Za-z0-9_-]');
  }
  if (unionid !== undefined && !OPENID_RE.test(unionid)) {
    throw new HttpError(400, ERR.INVALID_PARAM, 'X-Local-Unionid must be 1–128 characters of [A-Za-z0-9_-]');
  }
  const id: Identity = { APPID: appId, SOURCE: SOURCE.client };
  if (openid) id.OPENID = openid;
  if (unionid) id.UNIONID = unionid;
  const ip = clientIp(req);
  if (ip) id.CLIENTIP = ip;
  return id;
}

export async function handleFunction(p: CloudParts, req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
  if (req.method !== 'POST') throw methodNotAllowed(['POST']);
  if (!p.runner.functionDir(name)) {
    req.resume();
    throw new HttpError(404, ERR.FUNCTION_NOT_FOUND, cloudErrMsg(ERR.FUNCTION_NOT_FOUND, `FunctionName parameter could not be found: ${name}`));
  }
  // the body is read as JSON whatever its Content-Type (so `curl -d '{…}'` works), except multipart
  const ct = header(req, 'content-type');
  if (ct !== undefined && /^multipart\//i.test(ct)) {
    req.resume();
    throw new HttpError(415, ERR.INVALID_PARAM, `the event must be JSON (Content-Type: application/json), not ${ct}`);
  }
  const identity = callerOf(req, p.appId);
  const body = await readBody(req, MAX_CLIENT_EVENT_BYTES);
  const event = parseJson(body) ?? {};
  if (!isRecord(event)) throw new HttpError(400, ERR.INVALID_PARAM, 'the event (callFunction data) must be a JSON object');
  let text: string;
  try {
    text = JSON.stringify(event);
  } catch {
    // Nested thousands deep: parseable, but no function could handle it; refused before running.
    throw new HttpError(400, ERR.INVALID_PARAM, 'the event is nested too deeply');
  }
  const out = await p.runner.invoke(name, text, identity, { maxResultBytes: MAX_CLIENT_RESULT_BYTES });
  const headers = {
    'X-Request-Id': out.requestId,
    'X-Cold-Start': out.cold ? '1' : '0',
    'X-Invocation-Ms': out.ms.toFixed(1),
  };
  if (out.ok) {
    sendJson(res, 200, out.json, headers);
    return;
  }
  sendJson(res, statusOf(out), { errCode: out.errCode, errMsg: cloudErrMsg(out.errCode, out.errMsg), requestId: out.requestId }, headers);
}
