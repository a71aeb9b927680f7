/** /_control/…: the loopback-only control surface for tests, scripts and developers (JSON). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SOURCE } from '../constants';
import { HttpError } from '../errors';
import { DEFAULT_MODERATION, type ModerationRule, type Verdict } from '../openapi';
import { timerEvent } from '../scheduler/cron';
import type { InvokeOutcome } from '../runner/pool';
import { isRecord } from '../types';
import { methodNotAllowed, parseJson, readBody, sendJson } from './http-util';
import type { CloudParts } from './parts';

const bad = (msg: string): HttpError => new HttpError(400, -1, msg);

async function jsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const v = parseJson(await readBody(req, 1024 * 1024)) ?? {};
  if (!isRecord(v)) throw bad('the body must be a JSON object');
  return v;
}

function onlyKeys(o: Record<string, unknown>, allowed: string[], where: string): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) throw bad(`${where}: unknown field "${k}" (allowed: ${allowed.join(', ')})`);
}

const DEFAULT_LABEL: Record<Verdict['suggest'], number> = { pass: 100, review: 21000, risky: 20001 };

function parseRules(v: unknown, where: string): ModerationRule[] {
  if (!Array.isArray(v)) throw bad(`${where} must be an array of { contains, suggest, label? }`);
  return v.map((r, i) => {
    if (!isRecord(r)) throw bad(`${where}[${i}] must be an object`);
    onlyKeys(r, ['contains', 'suggest', 'label'], `${where}[${i}]`);
    const { contains, suggest, label } = r;
    if (typeof contains !== 'string' || contains.length === 0) throw bad(`${where}[${i}].contains must be a non-empty string`);
    if (suggest !== 'pass' && suggest !== 'review' && suggest !== 'risky') throw bad(`${where}[${i}].suggest must be pass, review or risky`);
    if (label !== undefined && (typeof label !== 'number' || !Number.isInteger(label))) throw bad(`${where}[${i}].label must be an integer`);
    return { contains, suggest, label: typeof label === 'number' ? label : DEFAULT_LABEL[suggest] };
  });
}

/** Fires `fn`'s timer trigger now, as the cloud does (SOURCE wx_trigger, event { Type: 'Timer', … }). */
export async function fireTimer(p: CloudParts, fn: string, at?: number): Promise<InvokeOutcome> {
  if (!p.runner.functionDir(fn)) throw new HttpError(404, -501000, `no function ${fn}`);
  let timer;
  try {
    timer = p.runner.config(fn).timer;
  } catch (e) {
    throw new HttpError(500, -501001, (e as Error).message);
  }
  if (!timer) throw new HttpError(409, -1, `function ${fn} has no timer trigger in its config.json`);
  const event = timerEvent(timer.name, at ?? p.clock.now());
  return p.runner.invoke(fn, JSON.stringify(event), { APPID: p.appId, SOURCE: SOURCE.timer });
}

function outcomeJson(out: InvokeOutcome): Record<string, unknown> {
  return out.ok
    ? { ok: true, requestId: out.requestId, result: JSON.parse(out.json) as unknown, ms: out.ms }
    : { ok: false, requestId: out.requestId, errCode: out.errCode, errMsg: out.errMsg, ms: out.ms };
}

export async function handleControl(p: CloudParts, req: IncomingMessage, res: ServerResponse, sub: string, url: URL): Promise<void> {
  const m = req.method ?? 'GET';
  const parts = sub.split('/').filter(Boolean);
  const [head, arg] = parts;

  switch (head) {
    case 'health': {
      if (m !== 'GET') throw methodNotAllowed(['GET']);
      sendJson(res, 200, {
        ok: true,
        envId: p.envId,
        port: p.port(),
        uptimeMs: Date.now() - p.startedAt,
        now: p.clock.now(),
        offsetMs: p.clock.offsetMs,
        functions: p.runner.listFunctions(),
      });
      return;
    }
    case 'clock': {
      if (m === 'POST') {
        const b = await jsonBody(req);
        onlyKeys(b, ['offsetMs', 'advanceMs'], 'clock');
        if (b['offsetMs'] !== undefined && b['advanceMs'] !== undefined) throw bad('send offsetMs or advanceMs, not both');
        if (typeof b['offsetMs'] === 'number' && Number.isFinite(b['offsetMs'])) p.clock.setOffset(b['offsetMs']);
        else if (typeof b['advanceMs'] === 'number' && Number.isFinite(b['advanceMs'])) p.clock.advance(b['advanceMs']);
        else throw bad('clock: send { offsetMs: number } or { advanceMs: number }');
      } else if (m !== 'GET') throw methodNotAllowed(['GET', 'POST']);
      sendJson(res, 200, { offsetMs: p.clock.offsetMs, now: p.clock.now(), iso: new Date(p.clock.now()).toISOString() });
      return;
    }
    case 'moderation': {
      if (arg === 'flush') {
        if (m !== 'POST') throw methodNotAllowed(['POST']);
        const done = await p.openapi.flush();
        sendJson(res, 200, { delivered: done });
        return;
      }
      if (arg !== undefined) break;
      if (m === 'POST') {
        const b = await jsonBody(req);
        onlyKeys(b, ['text', 'media', 'delayMs', 'bannedWords', 'reset'], 'moderation');
        if (b['reset'] === true) p.openapi.moderation = structuredClone(DEFAULT_MODERATION);
        const next = { ...p.openapi.moderation };
        if (b['text'] !== undefined) next.text = parseRules(b['text'], 'text');
        if (b['media'] !== undefined) next.media = parseRules(b['media'], 'media');
        if (b['bannedWords'] !== undefined) {
          const w = b['bannedWords'];
          if (!Array.isArray(w) || !w.every((x): x is string => typeof x === 'string' && x.length > 0)) throw bad('bannedWords must be non-empty strings');
          next.text = [...w.map((contains): ModerationRule => ({ contains, suggest: 'risky', label: 20001 })), ...next.text];
        }
        if (b['delayMs'] !== undefined) {
          const d = b['delayMs'];
          if (typeof d !== 'number' || !Number.isFinite(d) || d < 0) throw bad('delayMs must be a number ≥ 0');
          next.delayMs = d;
        }
        p.openapi.moderation = next;
      } else if (m !== 'GET') throw methodNotAllowed(['GET', 'POST']);
      sendJson(res, 200, { ...p.openapi.moderation, mediaChecks: p.openapi.mediaChecks });
      return;
    }
    case 'timer': {
      if (!arg) break;
      if (m !== 'POST') throw methodNotAllowed(['POST']);
      req.resume();
      const out = await fireTimer(p, arg);
      sendJson(res, 200, outcomeJson(out));
      return;
    }
    case 'faults': {
      if (m === 'DELETE') {
        p.faults.uploadDrop = null;
        for (const api of [...p.openapi.faults.keys()]) p.openapi.setFault(api, null);
      } else if (m === 'POST') {
        const b = await jsonBody(req);
        onlyKeys(b, ['uploadDrop', 'openapi'], 'faults');
        if (b['uploadDrop'] !== undefined) {
          const u = b['uploadDrop'];
          if (u === null) p.faults.uploadDrop = null;
          else {
            if (!isRecord(u)) throw bad('uploadDrop must be { count, afterBytes } or null');
            onlyKeys(u, ['count', 'afterBytes'], 'uploadDrop');
            const count = u['count'] ?? 1;
            const after = u['afterBytes'];
            if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) throw bad('uploadDrop.count must be an integer ≥ 1');
            if (typeof after !== 'number' || !Number.isInteger(after) || after < 0) throw bad('uploadDrop.afterBytes must be an integer ≥ 0');
            p.faults.uploadDrop = { remaining: count, afterBytes: after };
          }
        }
        if (b['openapi'] !== undefined) {
          const o = b['openapi'];
          if (!isRecord(o)) throw bad('openapi must be { "<api>": { errcode, errmsg?, count? } | null }');
          for (const [api, f] of Object.entries(o)) {
            if (f === null) {
              p.openapi.setFault(api, null);
              continue;
            }
            if (!isRecord(f)) throw bad(`openapi.${api} must be an object or null`);
            onlyKeys(f, ['errcode', 'errmsg', 'count'], `openapi.${api}`);
            const { errcode, errmsg, count } = f;
            if (typeof errcode !== 'number' || !Number.isInteger(errcode) || errcode === 0) throw bad(`openapi.${api}.errcode must be a non-zero integer`);
            if (errmsg !== undefined && typeof errmsg !== 'string') throw bad(`openapi.${api}.errmsg must be a string`);
            if (count !== undefined && (typeof count !== 'number' || !Number.isInteger(count) || count < 1)) throw bad(`openapi.${api}.count must be an integer ≥ 1`);
            p.openapi.setFault(api, {
              errcode,
              errmsg: typeof errmsg === 'string' ? errmsg : `local fault ${errcode}`,
              remaining: typeof count === 'number' ? count : null,
            });
          }
        }
      } else if (m !== 'GET') throw methodNotAllowed(['GET', 'POST', 'DELETE']);
      sendJson(res, 200, { uploadDrop: p.faults.uploadDrop, openapi: Object.fromEntries(p.openapi.faults) });
      return;
    }
    case 'push': {
      // A platform message push (消息推送) delivered now, e.g. { MsgType: 'event', Event: 'subscribe_msg_popup_event', FromUserName, List }.
      if (arg !== undefined) break;
      if (m !== 'POST') throw methodNotAllowed(['POST']);
      const b = await jsonBody(req);
      if (typeof b['MsgType'] !== 'string' || typeof b['Event'] !== 'string') throw bad('push: send the message as the platform would: { MsgType, Event, FromUserName, … }');
      const target = p.openapi.pushEvent(b);
      if (!target) throw new HttpError(409, -1, `no message-push function configured for ${b['MsgType']}/${b['Event']}`);
      const out = await p.runner.invoke(target.fn, JSON.stringify(target.event), target.identity);
      sendJson(res, 200, { function: target.fn, event: target.event, ...outcomeJson(out) });
      return;
    }
    case 'messages': {
      if (m === 'DELETE') {
        p.openapi.sent.length = 0;
        sendJson(res, 200, { messages: [] });
        return;
      }
      if (m !== 'GET') throw methodNotAllowed(['GET', 'DELETE']);
      const touser = url.searchParams.get('touser');
      sendJson(res, 200, { messages: touser ? p.openapi.sent.filter((s) => s.touser === touser) : p.openapi.sent });
      return;
    }
    case 'stats': {
      if (arg === 'reset') {
        if (m !== 'POST') throw methodNotAllowed(['POST']);
        p.engine.resetStats();
        p.runner.resetStats();
        sendJson(res, 200, { ok: true });
        return;
      }
      if (arg !== undefined) break;
      if (m !== 'GET') throw methodNotAllowed(['GET']);
      sendJson(res, 200, { engine: p.engine.stats(), functions: p.runner.stats() });
      return;
    }
    case 'invocations': {
      if (m !== 'GET') throw methodNotAllowed(['GET']);
      sendJson(res, 200, { invocations: p.runner.invocations(url.searchParams.get('fn') ?? undefined) });
      return;
    }
    case 'uploads': {
      if (m !== 'GET') throw methodNotAllowed(['GET']);
      sendJson(res, 200, { uploads: p.store.uploads });
      return;
    }
    default:
      break;
  }
  req.resume();
  throw new HttpError(404, -1, `no control route /_control/${sub}`);
}
