/**
 * Open-API stand-ins through the real wx-server-sdk (protobuf CommApiData / CommOpenApiResp):
 * msgSecCheck verdicts and limits, mediaCheckAsync verdicts pushed to `events` as the platform,
 * subscribeMessage.send recorded, wxacode.getUnlimited a real QR code, config.json permissions.
 */
import type { LocalCloud } from '../../../local-cloud/src/index';
import { encodeQr } from '../../../local-cloud/src/openapi/qr';
import { callFunction, control, startFixtureCloud, waitFor } from './helpers';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PNG } = require('pngjs') as { PNG: { sync: { read(b: Buffer): { width: number; height: number; data: Buffer } } } };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const QrCodeReader = require('qrcode-reader') as new () => {
  callback: (err: unknown, value: { result: string } | undefined) => void;
  decode(img: { width: number; height: number; data: Buffer }): void;
};

let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await startFixtureCloud();
});

afterAll(async () => {
  await cloud.stop();
});

type Failed = { error: { errCode: number; errMsg: string } };

describe('security.msgSecCheck (v2)', () => {
  test('pass by default; risky for the banned word; review for the review word', async () => {
    const pass = (await callFunction(cloud, 'openapi', { action: 'msg', content: '今天的比赛很精彩' }, 'oA')).json();
    expect(pass).toMatchObject({ errCode: 0, result: { suggest: 'pass', label: 100 } });
    expect(typeof pass['traceId']).toBe('string');
    const risky = (await callFunction(cloud, 'openapi', { action: 'msg', content: '这是违禁测试内容' }, 'oA')).json();
    expect(risky).toMatchObject({ errCode: 0, result: { suggest: 'risky', label: 20001 } });
    const review = (await callFunction(cloud, 'openapi', { action: 'msg', content: '复审测试' }, 'oA')).json();
    expect(review).toMatchObject({ result: { suggest: 'review' } });
  });

  test('the banned words are settable through /_control/moderation', async () => {
    await control(cloud, 'moderation', 'POST', { bannedWords: ['坏词'] });
    const r = (await callFunction(cloud, 'openapi', { action: 'msg', content: '一个坏词' }, 'oA')).json();
    expect(r).toMatchObject({ result: { suggest: 'risky' } });
    expect((await control(cloud, 'moderation', 'POST', { text: [{ contains: 'x', suggest: 'maybe' }] })).status).toBe(400);
    const reset = (await control(cloud, 'moderation', 'POST', { reset: true })).json<{ text: Array<{ contains: string }>; delayMs: number }>();
    expect(reset.text.map((r) => r.contains)).toEqual(['违禁测试', '复审测试']);
    expect(reset.delayMs).toBe(1000);
    expect((await callFunction(cloud, 'openapi', { action: 'msg', content: '一个坏词' }, 'oA')).json()).toMatchObject({ result: { suggest: 'pass' } });
  });

  test('content over 2500 characters is refused with an errcode', async () => {
    const r = (await callFunction(cloud, 'openapi', { action: 'msg', content: '字'.repeat(2501) }, 'oA')).json<Failed>();
    expect(r.error.errCode).toBe(47001);
    const ok = (await callFunction(cloud, 'openapi', { action: 'msg', content: '字'.repeat(2500) }, 'oA')).json();
    expect(ok).toMatchObject({ errCode: 0 });
  });
});

describe('security.mediaCheckAsync (v2)', () => {
  test('answers a trace_id at once; the verdict reaches `events` later as a message push', async () => {
    await control(cloud, 'moderation', 'POST', { delayMs: 200, media: [{ contains: 'bad-photo', suggest: 'risky', label: 20002 }] });
    const t0 = Date.now();
    const r = (await callFunction(cloud, 'openapi', { action: 'media', url: 'https://example.com/bad-photo.jpg' }, 'oMedia')).json<{ traceId: string; errCode: number }>();
    expect(r.errCode).toBe(0);
    expect(r.traceId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/);
    const inv = await waitFor(() => cloud.invocations('events').find((i) => (i.event as { trace_id?: string } | undefined)?.trace_id === r.traceId), 5000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
    expect(inv.source).toBe('wx_msgpush');
    expect(inv.openid).toBe('oMedia');
    expect(inv.event).toMatchObject({
      ToUserName: expect.stringMatching(/^gh_/) as unknown,
      FromUserName: 'oMedia',
      MsgType: 'event',
      Event: 'wxa_media_check',
      appid: cloud.appId,
      trace_id: r.traceId,
      version: 2,
      errcode: 0,
      result: { suggest: 'risky', label: 20002 },
      detail: [{ strategy: 'content_model', errcode: 0, suggest: 'risky', label: 20002 }],
    });
    expect(typeof (inv.event as { CreateTime: unknown }).CreateTime).toBe('number');
    // the events fixture accepted it as coming from the platform
    expect(inv.result).toMatchObject({ ok: true, source: 'wx_msgpush', openid: 'oMedia' });
    const mod = (await control(cloud, 'moderation')).json<{ mediaChecks: Array<{ traceId: string; state: string; deliveredTo: string }> }>();
    expect(mod.mediaChecks.find((c) => c.traceId === r.traceId)).toMatchObject({ state: 'delivered', deliveredTo: 'events' });
  });

  test('flush delivers pending verdicts at once (pass by default)', async () => {
    await control(cloud, 'moderation', 'POST', { delayMs: 60_000 });
    const r = (await callFunction(cloud, 'openapi', { action: 'media', url: 'https://example.com/fine.jpg' }, 'oMedia')).json<{ traceId: string }>();
    const flushed = (await control(cloud, 'moderation/flush', 'POST')).json<{ delivered: Array<{ traceId: string; verdict: { suggest: string } }> }>();
    expect(flushed.delivered.map((d) => d.traceId)).toContain(r.traceId);
    const inv = cloud.invocations('events').find((i) => (i.event as { trace_id?: string } | undefined)?.trace_id === r.traceId);
    expect(inv?.result).toMatchObject({ ok: true, event: { result: { suggest: 'pass', label: 100 } } });
  });
});

describe('subscribeMessage.send', () => {
  beforeEach(async () => {
    await control(cloud, 'messages', 'DELETE');
  });

  test('recorded and readable through /_control/messages', async () => {
    const data = { thing1: { value: '摄影比赛结果已公布' }, time2: { value: '2022-06-30 10:00' } };
    const r = (await callFunction(cloud, 'openapi', { action: 'send', data }, 'oSub')).json();
    expect(r).toMatchObject({ errCode: 0 });
    const msgs = (await control(cloud, 'messages')).json<{ messages: Array<Record<string, unknown>> }>().messages;
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toMatchObject({ touser: 'oSub', templateId: 'TPL_RESULT', page: 'pages/home/index', data, miniprogramState: 'developer', from: 'openapi' });
    expect(cloud.sent).toHaveLength(1);
    expect((await control(cloud, 'messages?touser=nobody')).json<{ messages: unknown[] }>().messages).toHaveLength(0);
    await control(cloud, 'messages', 'DELETE');
    expect(cloud.sent).toHaveLength(0);
  });

  test('a thing value over 20 characters: 47003, nothing recorded', async () => {
    const r = (await callFunction(cloud, 'openapi', { action: 'send', data: { thing1: { value: '一'.repeat(21) } } }, 'oSub')).json<Failed>();
    expect(r.error.errCode).toBe(47003);
    expect(cloud.sent).toHaveLength(0);
  });

  test('a fault set through /_control/faults fails the next send (43101), then it works again', async () => {
    await control(cloud, 'faults', 'POST', { openapi: { 'subscribeMessage.send': { errcode: 43101, errmsg: 'user refuse to accept the msg', count: 1 } } });
    const data = { thing1: { value: '通知' } };
    const failed = (await callFunction(cloud, 'openapi', { action: 'send', data }, 'oSub')).json<Failed>();
    expect(failed.error.errCode).toBe(43101);
    expect(failed.error.errMsg).toContain('user refuse to accept the msg');
    const ok = (await callFunction(cloud, 'openapi', { action: 'send', data }, 'oSub')).json();
    expect(ok).toMatchObject({ errCode: 0 });
    expect(cloud.sent).toHaveLength(1);
  });
});

function decodeQr(png: Buffer): Promise<string> {
  const img = PNG.sync.read(png);
  return new Promise((resolve, reject) => {
    const q = new QrCodeReader();
    q.callback = (err, value) => (err || !value ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(value.result));
    q.decode({ width: img.width, height: img.height, data: img.data });
  });
}

/** The module matrix read back from the PNG (4-module quiet zone, square modules). */
function sampleModules(png: Buffer, size: number): boolean[][] {
  const img = PNG.sync.read(png);
  const scale = img.width / (size + 8);
  return Array.from({ length: size }, (_, y) =>
    Array.from({ length: size }, (_, x) => {
      const px = Math.floor((x + 4 + 0.5) * scale);
      const py = Math.floor((y + 4 + 0.5) * scale);
      return (img.data[(py * img.width + px) * 4] ?? 255) < 128;
    }),
  );
}

describe('wxacode.getUnlimited', () => {
  test('a real QR code PNG carrying page and scene', async () => {
    const r = (await callFunction(cloud, 'openapi', { action: 'code', scene: 'e=A7K2', page: 'pages/activity/index', width: 430 }, 'oStaff')).json<{ contentType: string; base64: string }>();
    expect(r.contentType).toBe('image/png');
    const png = Buffer.from(r.base64, 'base64');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    const text = 'pages/activity/index?scene=e%3DA7K2';
    expect(await decodeQr(png)).toBe(text);
    // the image is exactly the encoder's matrix
    const m = encodeQr(text);
    expect(sampleModules(png, m.length)).toEqual(m);
    const img = PNG.sync.read(png);
    expect(img.width).toBeLessThanOrEqual(430);
    expect(img.width).toBeGreaterThan(300);
  });

  test('scene over 32 characters: 40169; a page not in app.json: 41030 unless check_path is false', async () => {
    const long = (await callFunction(cloud, 'openapi', { action: 'code', scene: 'x'.repeat(33) })).json<Failed>();
    expect(long.error.errCode).toBe(40169);
    const badPage = (await callFunction(cloud, 'openapi', { action: 'code', scene: 'a', page: 'pages/nope/index' })).json<Failed>();
    expect(badPage.error.errCode).toBe(41030);
    const unchecked = (await callFunction(cloud, 'openapi', { action: 'code', scene: 'a', page: 'pages/nope/index', checkPath: false })).json();
    expect(unchecked['contentType']).toBe('image/png');
  });
});

test('an API not listed in config.json permissions.openapi fails as in the cloud (-604101)', async () => {
  const before = cloud.sent.length;
  const r = (await callFunction(cloud, 'noperm', {}, 'oA')).json<Failed>();
  expect(r.error.errCode).toBe(-604101);
  expect(cloud.sent).toHaveLength(before);
});
