/**
 * Stand-ins for the open APIs (云调用) the app uses: security.msgSecCheck,
 * security.mediaCheckAsync (verdict pushed later to the message-push function),
 * subscribeMessage.send (recorded) and wxacode.getUnlimited (a real QR code PNG).
 *
 * Requests arrive as wx-server-sdk sends them: snake_case keys, each value JSON text in a
 * protobuf `CommApiData` (see ./protobuf.ts). Answers are WeChat's JSON (`errcode`, …), or a buffer.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { Clock } from '../clock';
import { ERR, SOURCE } from '../constants';
import type { Identity } from '../types';
import { isRecord } from '../types';
import { decodeCommApiData, type KeyValuePair } from './protobuf';
import { encodeQr, qrPng } from './qr';

export interface Verdict {
  suggest: 'pass' | 'review' | 'risky';
  label: number;
}

export interface ModerationRule extends Verdict {
  /** text: a substring of the content; media: a substring of media_url */
  contains: string;
}

export interface ModerationSettings {
  text: ModerationRule[];
  media: ModerationRule[];
  /** delay before a mediaCheckAsync verdict is pushed, ms */
  delayMs: number;
}

export const DEFAULT_MODERATION: ModerationSettings = {
  text: [
    { contains: '违禁测试', suggest: 'risky', label: 20001 },
    { contains: '复审测试', suggest: 'review', label: 21000 },
  ],
  media: [],
  delayMs: 1000,
};

export interface SentMessage {
  touser: string;
  templateId: string;
  page: string | null;
  data: Record<string, unknown>;
  miniprogramState: string | null;
  lang: string | null;
  /** the function that sent it */
  from: string;
  sentAt: number;
  msgid: number;
}

export interface MediaCheck {
  traceId: string;
  openid: string;
  mediaUrl: string;
  mediaType: number;
  verdict: Verdict;
  requestedAt: number;
  state: 'pending' | 'delivered' | 'failed';
  /** the function the verdict went to and how it answered */
  deliveredTo?: string;
  deliveryError?: string;
}

export interface OpenApiFault {
  errcode: number;
  errmsg: string;
  /** how many calls fail; null = until cleared */
  remaining: number | null;
}

/** What a stand-in answers: WeChat's JSON, or a binary body (wxacode). */
export type OpenApiAnswer =
  | { kind: 'json'; body: Record<string, unknown> }
  | { kind: 'buffer'; contentType: string; body: Buffer }
  | { kind: 'system'; errorCode: number };

export interface OpenApiOptions {
  clock: Clock;
  appId: string;
  originalId: string;
  /** delivers a message push: runs `fn` with `event` as the platform */
  push: (fn: string, event: Record<string, unknown>, identity: Identity) => Promise<{ ok: boolean; error?: string }>;
  /** (MsgType/Event) → function, as set in 云开发 → 设置 → 消息推送 */
  messagePush: Record<string, string>;
  /** the app's app.json, to check wxacode pages (check_path) */
  appJson: string | null;
}

const SUPPORTED = ['security.msgSecCheck', 'security.mediaCheckAsync', 'subscribeMessage.send', 'wxacode.getUnlimited'];

const wxErr = (errcode: number, errmsg: string): OpenApiAnswer => ({ kind: 'json', body: { errcode, errmsg } });

function traceId(): string {
  const h = randomBytes(12).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 16)}-${h.slice(16, 24)}`;
}

/** Request pairs back to an object (values are JSON text; media pairs stay buffers). */
export function pairsToObject(pairs: KeyValuePair[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of pairs) {
    if (p.contentType) {
      out[p.key] = { contentType: p.contentType, filename: p.filename, value: p.value };
      continue;
    }
    const text = p.value.toString('utf8');
    try {
      out[p.key] = JSON.parse(text) as unknown;
    } catch {
      out[p.key] = text;
    }
  }
  return out;
}

export class OpenApi {
  readonly sent: SentMessage[] = [];
  readonly mediaChecks: MediaCheck[] = [];
  moderation: ModerationSettings = structuredClone(DEFAULT_MODERATION);
  readonly faults = new Map<string, OpenApiFault>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly deliveries = new Set<Promise<void>>();
  private msgid = 1_000_000;
  private appPages: { pages: Set<string>; home: string } | null | undefined;

  constructor(private readonly opts: OpenApiOptions) {}

  /**
   * Runs one open-API call from function `fn` (null: not from a function), whose config.json
   * lists `permissions`. `requestData` is the protobuf CommApiData the SDK sent.
   */
  call(apiName: string, requestData: Buffer, fn: string | null, permissions: readonly string[]): OpenApiAnswer {
    if (fn === null) return { kind: 'system', errorCode: ERR.OPENAPI_ILLEGAL_SOURCE };
    if (!SUPPORTED.includes(apiName)) return { kind: 'system', errorCode: ERR.OPENAPI_NOT_FOUND };
    if (!permissions.includes(apiName)) return { kind: 'system', errorCode: ERR.OPENAPI_NO_PERMISSION };
    let req: Record<string, unknown>;
    try {
      req = pairsToObject(decodeCommApiData(requestData).pairs);
    } catch {
      return wxErr(47001, 'data format error');
    }
    const fault = this.faults.get(apiName);
    if (fault && fault.remaining !== 0) {
      if (fault.remaining !== null) fault.remaining--;
      return wxErr(fault.errcode, fault.errmsg);
    }
    switch (apiName) {
      case 'security.msgSecCheck':
        return this.msgSecCheck(req);
      case 'security.mediaCheckAsync':
        return this.mediaCheckAsync(req);
      case 'subscribeMessage.send':
        return this.subscribeSend(req, fn);
      default:
        return this.getUnlimited(req);
    }
  }

  private textVerdict(text: string): Verdict {
    for (const r of this.moderation.text) if (r.contains && text.includes(r.contains)) return { suggest: r.suggest, label: r.label };
    return { suggest: 'pass', label: 100 };
  }

  private msgSecCheck(req: Record<string, unknown>): OpenApiAnswer {
    const content = req['content'];
    if (typeof content !== 'string' || content.length === 0) return wxErr(47001, 'data format error: content must be a non-empty string');
    // the documented limit is 2500 characters
    if ([...content].length > 2500) return wxErr(47001, 'data format error: content exceeds 2500 characters');
    const extra = ['title', 'nickname', 'signature'].map((k) => req[k]).filter((v): v is string => typeof v === 'string');
    const verdict = this.textVerdict([content, ...extra].join('\n'));
    if (req['version'] !== 2) {
      // v1 (no longer updated since 2021-09-01): errcode 87014 means risky content
      return verdict.suggest === 'risky' ? wxErr(87014, 'risky content') : { kind: 'json', body: { errcode: 0, errmsg: 'ok' } };
    }
    if (typeof req['openid'] !== 'string' || req['openid'].length === 0) return wxErr(40003, 'invalid openid');
    const scene = req['scene'];
    if (scene !== 1 && scene !== 2 && scene !== 3 && scene !== 4) return wxErr(40003, 'invalid scene: 1 资料, 2 评论, 3 论坛, 4 社交日志');
    const hit = this.moderation.text.find((r) => r.contains && content.includes(r.contains));
    return {
      kind: 'json',
      body: {
        errcode: 0,
        errmsg: 'ok',
        result: verdict,
        detail: [
          { strategy: 'content_model', errcode: 0, suggest: verdict.suggest, label: verdict.label, prob: 90 },
          ...(hit ? [{ strategy: 'keyword', errcode: 0, suggest: verdict.suggest, label: verdict.label, level: 20, keyword: hit.contains }] : []),
        ],
        trace_id: traceId(),
      },
    };
  }

  private mediaCheckAsync(req: Record<string, unknown>): OpenApiAnswer {
    const mediaUrl = req['media_url'];
    const mediaType = req['media_type'];
    const openid = req['openid'];
    if (typeof mediaUrl !== 'string' || !/^https?:\/\//.test(mediaUrl)) return wxErr(47001, 'data format error: media_url must be an http(s) URL');
    if (req['version'] !== 2) return wxErr(47001, 'data format error: only version 2 is supported');
    if (typeof openid !== 'string' || openid.length === 0) return wxErr(40003, 'invalid openid');
    const scene = req['scene'];
    if (scene !== 1 && scene !== 2 && scene !== 3 && scene !== 4) return wxErr(40003, 'invalid scene: 1 资料, 2 评论, 3 论坛, 4 社交日志');
    let verdict: Verdict = { suggest: 'pass', label: 100 };
    // a media_type other than 1 (audio) or 2 (image) is answered 'pass' by the cloud
    if (mediaType === 1 || mediaType === 2) {
      for (const r of this.moderation.media) {
        if (r.contains && mediaUrl.includes(r.contains)) {
          verdict = { suggest: r.suggest, label: r.label };
          break;
        }
      }
    }
    const check: MediaCheck = {
      traceId: traceId(),
      openid,
      mediaUrl,
      mediaType: typeof mediaType === 'number' ? mediaType : 0,
      verdict,
      requestedAt: this.opts.clock.now(),
      state: 'pending',
    };
    this.mediaChecks.push(check);
    if (this.mediaChecks.length > 500) this.mediaChecks.splice(0, this.mediaChecks.length - 500);
    const timer = setTimeout(() => this.deliver(check), Math.max(0, this.moderation.delayMs));
    this.timers.set(check.traceId, timer);
    return { kind: 'json', body: { errcode: 0, errmsg: 'ok', trace_id: check.traceId } };
  }

  /** The function configured for a message push `<MsgType>/<Event>` (云开发 → 消息推送), if any. */
  pushTarget(msgType: string, event: string): string | undefined {
    return Object.prototype.hasOwnProperty.call(this.opts.messagePush, `${msgType}/${event}`) ? this.opts.messagePush[`${msgType}/${event}`] : undefined;
  }

  /**
   * A message push as the platform would send it (e.g. subscribe_msg_popup_event), filled with
   * ToUserName and CreateTime when they are missing: identity OPENID = FromUserName, APPID, SOURCE
   * wx_msgpush.
   */
  pushEvent(message: Record<string, unknown>): { fn: string; event: Record<string, unknown>; identity: Identity } | null {
    const fn = this.pushTarget(String(message['MsgType']), String(message['Event']));
    if (!fn) return null;
    const event: Record<string, unknown> = { ToUserName: this.opts.originalId, CreateTime: Math.floor(this.opts.clock.now() / 1000), ...message };
    const from = event['FromUserName'];
    const identity: Identity = { APPID: this.opts.appId, SOURCE: SOURCE.messagePush, ...(typeof from === 'string' && from ? { OPENID: from } : {}) };
    return { fn, event, identity };
  }

  /** The message push the cloud sends for a finished media check (event `wxa_media_check`). */
  mediaCheckEvent(check: MediaCheck): Record<string, unknown> {
    return {
      ToUserName: this.opts.originalId,
      FromUserName: check.openid,
      CreateTime: Math.floor(this.opts.clock.now() / 1000),
      MsgType: 'event',
      Event: 'wxa_media_check',
      appid: this.opts.appId,
      trace_id: check.traceId,
      version: 2,
      detail: [{ strategy: 'content_model', errcode: 0, suggest: check.verdict.suggest, label: check.verdict.label, prob: 90 }],
      errcode: 0,
      errmsg: 'ok',
      result: { suggest: check.verdict.suggest, label: check.verdict.label },
    };
  }

  private deliver(check: MediaCheck): Promise<void> {
    const t = this.timers.get(check.traceId);
    if (t) clearTimeout(t);
    this.timers.delete(check.traceId);
    const fn = this.opts.messagePush['event/wxa_media_check'];
    const p = (async () => {
      if (!fn) {
        check.state = 'failed';
        check.deliveryError = 'no message-push function configured for event wxa_media_check';
        return;
      }
      check.deliveredTo = fn;
      const identity: Identity = { OPENID: check.openid, APPID: this.opts.appId, SOURCE: SOURCE.messagePush };
      const r = await this.opts.push(fn, this.mediaCheckEvent(check), identity);
      check.state = r.ok ? 'delivered' : 'failed';
      if (r.error !== undefined) check.deliveryError = r.error;
    })();
    this.deliveries.add(p);
    void p.finally(() => this.deliveries.delete(p));
    return p;
  }

  /** Delivers every pending media-check verdict now; resolves when the pushes have run. */
  async flush(): Promise<MediaCheck[]> {
    const pending = this.mediaChecks.filter((c) => c.state === 'pending' && this.timers.has(c.traceId));
    await Promise.all(pending.map((c) => this.deliver(c)));
    await Promise.all([...this.deliveries]);
    return pending;
  }

  private subscribeSend(req: Record<string, unknown>, fn: string): OpenApiAnswer {
    const touser = req['touser'];
    const templateId = req['template_id'];
    const data = req['data'];
    if (typeof touser !== 'string' || touser.length === 0) return wxErr(40003, 'invalid openid');
    if (typeof templateId !== 'string' || templateId.length === 0) return wxErr(40037, 'invalid template_id');
    if (!isRecord(data)) return wxErr(47003, 'argument invalid! data is empty');
    const limits: Array<[RegExp, number]> = [
      [/^thing\d+$/, 20],
      [/^phrase\d+$/, 5],
      [/^number\d+$/, 32],
      [/^letter\d+$/, 32],
      [/^character_string\d+$/, 32],
      [/^name\d+$/, 20],
    ];
    for (const [key, v] of Object.entries(data)) {
      if (!isRecord(v) || (typeof v['value'] !== 'string' && typeof v['value'] !== 'number')) {
        return wxErr(47003, `argument invalid! data.${key}.value is empty`);
      }
      const value = String(v['value']);
      const lim = limits.find(([re]) => re.test(key));
      if (lim && [...value].length > lim[1]) return wxErr(47003, `argument invalid! data.${key}.value invalid`);
    }
    const page = req['page'];
    const state = req['miniprogram_state'];
    if (state !== undefined && state !== 'developer' && state !== 'trial' && state !== 'formal') {
      return wxErr(47003, 'argument invalid! miniprogram_state must be developer, trial or formal');
    }
    const lang = req['lang'];
    const msgid = this.msgid++;
    this.sent.push({
      touser,
      templateId,
      page: typeof page === 'string' ? page : null,
      data,
      miniprogramState: typeof state === 'string' ? state : null,
      lang: typeof lang === 'string' ? lang : null,
      from: fn,
      sentAt: this.opts.clock.now(),
      msgid,
    });
    return { kind: 'json', body: { errcode: 0, errmsg: 'ok', msgid } };
  }

  private pages(): { pages: Set<string>; home: string } | null {
    if (this.appPages !== undefined) return this.appPages;
    this.appPages = null;
    if (!this.opts.appJson) return null;
    try {
      const app = JSON.parse(fs.readFileSync(this.opts.appJson, 'utf8')) as unknown;
      if (!isRecord(app) || !Array.isArray(app['pages'])) return null;
      const pages = new Set<string>();
      for (const p of app['pages']) if (typeof p === 'string') pages.add(p);
      const subs = app['subPackages'] ?? app['subpackages'];
      if (Array.isArray(subs)) {
        for (const s of subs) {
          if (!isRecord(s) || typeof s['root'] !== 'string' || !Array.isArray(s['pages'])) continue;
          const root = s['root'].replace(/\/+$/, '');
          for (const p of s['pages']) if (typeof p === 'string') pages.add(`${root}/${p}`);
        }
      }
      const home = [...pages][0] ?? 'pages/index/index';
      this.appPages = { pages, home };
    } catch {
      this.appPages = null;
    }
    return this.appPages;
  }

  private getUnlimited(req: Record<string, unknown>): OpenApiAnswer {
    const scene = req['scene'];
    if (typeof scene !== 'string' || scene.length === 0 || scene.length > 32 || !/^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]+$/.test(scene)) {
      return wxErr(40169, 'invalid length for scene, or the data is not json string');
    }
    const page = req['page'];
    const app = this.pages();
    if (page !== undefined && typeof page !== 'string') return wxErr(47001, 'data format error: page must be a string');
    if (typeof page === 'string') {
      if (page.startsWith('/') || page.includes('?')) return wxErr(41030, 'invalid page: no leading "/" and no query string');
      if (req['check_path'] !== false && app && !app.pages.has(page)) return wxErr(41030, `invalid page: ${page} is not a page of app.json`);
    }
    const env = req['env_version'];
    if (env !== undefined && env !== 'release' && env !== 'trial' && env !== 'develop') return wxErr(47001, 'data format error: env_version');
    let width = 430;
    if (typeof req['width'] === 'number') width = Math.min(1280, Math.max(280, Math.floor(req['width'])));
    const target = typeof page === 'string' && page.length > 0 ? page : (app?.home ?? 'pages/index/index');
    const png = qrPng(encodeQr(`${target}?scene=${encodeURIComponent(scene)}`), width);
    return { kind: 'buffer', contentType: 'image/png', body: png };
  }

  setFault(api: string, fault: OpenApiFault | null): void {
    if (fault) this.faults.set(api, fault);
    else this.faults.delete(api);
  }

  async stop(): Promise<void> {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.deliveries]);
  }
}
