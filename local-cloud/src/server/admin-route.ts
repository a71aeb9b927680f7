/**
 * POST /admin?env=…: the SDK endpoint. wx-server-sdk (through @cloudbase/node-sdk) sends every
 * database, storage, function and open-API call here, from the function workers
 * (TCB_CONTEXT_CNFG points them at /admin?w=<instance token>&).
 *
 * Answers as the SDK expects: HTTP 200 with `{ requestId, data }`, or `{ code, message, requestId }`
 * for an error; `wx.openApi` is answered with a protobuf CommOpenApiResp (binary).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ERR, MAX_SCF_PAYLOAD_BYTES, SOURCE } from '../constants';
import { responseBody } from '../engine/wire';
import { ApiError } from '../errors';
import type { OpenApiAnswer } from '../openapi';
import { encodeCommOpenApiResp } from '../openapi/protobuf';
import { isRecord, type Identity } from '../types';
import { methodNotAllowed, readBody, sendJson } from './http-util';
import { boundaryOf, MultipartError, parseMultipart } from './multipart';
import type { CloudParts } from './parts';

/** Fields node-sdk adds to every request (credentials and routing), not part of the action. */
export const AUTH_FIELDS = [
  'action',
  'envName',
  'wxCloudApiToken',
  'wxCloudbaseAccesstoken',
  'tcb_sessionToken',
  'sessionToken',
  'crossAuthorizationToken',
] as const;

const MAX_ADMIN_BODY = 64 * 1024 * 1024;

function stripAuth(params: Record<string, unknown>): Record<string, unknown> {
  const auth: readonly string[] = AUTH_FIELDS;
  return Object.fromEntries(Object.entries(params).filter(([k]) => !auth.includes(k)));
}

function errorCodeOf(e: unknown): { code: string; message: string } | null {
  if (e instanceof ApiError) return { code: e.code, message: e.message };
  const code: unknown = e instanceof Error ? (e as Error & { code?: unknown }).code : undefined;
  if (e instanceof Error && typeof code === 'string') return { code, message: e.message };
  return null;
}

export async function handleAdmin(p: CloudParts, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  if (req.method !== 'POST') throw methodNotAllowed(['POST']);
  const requestId = randomBytes(16).toString('hex');
  const fail = (code: string, message: string): void => sendJson(res, 200, { code, message, requestId });

  const body = await readBody(req, MAX_ADMIN_BODY);
  let params: Record<string, unknown>;
  let requestData: Buffer | null = null;
  const boundary = boundaryOf(req.headers['content-type']);
  if (boundary) {
    try {
      params = {};
      for (const part of parseMultipart(body, boundary)) {
        if (part.name === 'requestData') requestData = part.data;
        else params[part.name] = part.data.toString('utf8');
      }
    } catch (e) {
      fail('INVALID_PARAM', `malformed multipart body: ${(e as MultipartError).message}`);
      return;
    }
  } else {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      fail('INVALID_PARAM', 'the request body must be JSON');
      return;
    }
    if (!isRecord(parsed)) {
      fail('INVALID_PARAM', 'the request body must be a JSON object');
      return;
    }
    params = parsed;
  }

  const action = params['action'];
  if (typeof action !== 'string' || action.length === 0) {
    fail('INVALID_PARAM', 'missing action');
    return;
  }
  const env = url.searchParams.get('env') ?? (typeof params['envName'] === 'string' ? params['envName'] : '');
  if (env !== '' && env !== p.envId) {
    fail('INVALID_ENV', `env ${env} does not exist (the local cloud serves env ${p.envId})`);
    return;
  }
  const token = url.searchParams.get('w');
  const caller = token ? p.runner.caller(token) : null;

  try {
    let data: unknown;
    if (action.startsWith('database.')) {
      // transaction actions carry fields at the top level too (engine/wire.ts)
      sendJson(res, 200, responseBody(action, await p.engine.execute(action, stripAuth(params)), requestId));
      return;
    } else if (action === 'storage.getUploadMetadata') {
      data = p.store.getUploadMetadata(params);
    } else if (action === 'storage.batchGetDownloadUrl') {
      data = await p.store.batchGetDownloadUrl(params);
    } else if (action === 'storage.batchDeleteFile') {
      data = await p.store.batchDeleteFile(params);
    } else if (action === 'functions.invokeFunction') {
      data = await invokeFromFunction(p, params, caller?.identity ?? null);
    } else if (action === 'wx.openApi') {
      sendOpenApi(res, openApi(p, params, requestData, caller?.fn ?? null));
      return;
    } else {
      throw new ApiError('INVALID_PARAM', `action ${action} is not supported by the local cloud`);
    }
    sendJson(res, 200, { requestId, data: data ?? {} });
  } catch (e) {
    const known = errorCodeOf(e);
    if (known) {
      fail(known.code, known.message);
      return;
    }
    p.log(`[admin] ${action} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    fail('SYS_ERR', e instanceof Error ? e.message : String(e));
  }
}

/** functions.invokeFunction (cloud.callFunction inside a function): the callee sees SOURCE '<chain>,scf'. */
async function invokeFromFunction(p: CloudParts, params: Record<string, unknown>, parent: Identity | null): Promise<unknown> {
  const name = params['function_name'];
  if (typeof name !== 'string' || name.length === 0) throw new ApiError('INVALID_PARAM', '函数名不能为空');
  const raw = params['request_data'];
  const text = typeof raw === 'string' && raw.length > 0 ? raw : '{}';
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch {
    throw new ApiError('INVALID_PARAM', 'request_data must be JSON');
  }
  if (!isRecord(event)) throw new ApiError('INVALID_PARAM', 'request_data must be a JSON object');
  const identity: Identity = parent ? { ...parent, SOURCE: `${parent.SOURCE},${SOURCE.functionCall}` } : { APPID: p.appId, SOURCE: SOURCE.functionCall };
  const out = await p.runner.invoke(name, text, identity, { nested: true, maxResultBytes: MAX_SCF_PAYLOAD_BYTES });
  if (out.ok) return { response_data: out.json };
  switch (out.kind) {
    case 'not-found':
      throw new ApiError('FUNCTIONS_REQUEST_FAIL', `FunctionName parameter could not be found: ${name}`);
    case 'timeout':
      throw new ApiError('FUNCTIONS_TIME_LIMIT_EXCEEDED', out.errMsg);
    default:
      throw new ApiError('FUNCTIONS_EXECUTE_FAIL', out.errMsg);
  }
}

function openApi(p: CloudParts, params: Record<string, unknown>, requestData: Buffer | null, fn: string | null): OpenApiAnswer {
  const apiName = params['apiName'];
  if (typeof apiName !== 'string' || requestData === null) return { kind: 'system', errorCode: ERR.OPENAPI_NOT_FOUND };
  let permissions: string[] = [];
  if (fn !== null) {
    try {
      permissions = p.runner.config(fn).openapi;
    } catch {
      return { kind: 'system', errorCode: -604103 };
    }
  }
  return p.openapi.call(apiName, requestData, fn, permissions);
}

function sendOpenApi(res: ServerResponse, answer: OpenApiAnswer): void {
  let pb: Buffer;
  if (answer.kind === 'system') {
    pb = encodeCommOpenApiResp({ respData: Buffer.alloc(0), contentType: '', errorCode: answer.errorCode, httpCode: 200 });
  } else if (answer.kind === 'json') {
    pb = encodeCommOpenApiResp({ respData: Buffer.from(JSON.stringify(answer.body)), contentType: 'application/json; charset=utf-8', httpCode: 200 });
  } else {
    pb = encodeCommOpenApiResp({ respData: answer.body, contentType: answer.contentType, httpCode: 200 });
  }
  // not 'application/json; charset=utf-8': node-sdk would parse the body as JSON
  res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(pb.length) });
  res.end(pb);
}
