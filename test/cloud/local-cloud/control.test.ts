/**
 * The control routes (health, timer, invocations, errors), the SDK endpoint's refusals, the
 * loopback-only rule, and the timer scheduler on the cloud's clock.
 */
import os from 'node:os';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalCloud } from '../../../local-cloud/src/index';
import { HttpError } from '../../../local-cloud/src/errors';
import type { CloudParts } from '../../../local-cloud/src/server/parts';
import { route } from '../../../local-cloud/src/server/server';
import { callFunction, control, request, startFixtureCloud, waitFor } from './helpers';

let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await startFixtureCloud();
});

afterAll(async () => {
  await cloud.stop();
});

test('GET /_control/health', async () => {
  const h = (await control(cloud, 'health')).json<Record<string, unknown>>();
  expect(h).toMatchObject({ ok: true, envId: 'local', port: cloud.port, offsetMs: 0 });
  expect(h['functions']).toEqual(['caller', 'cron', 'db', 'events', 'files', 'noperm', 'openapi', 'slow', 'whoami']);
});

test('POST /_control/timer/<fn> fires the timer trigger: SOURCE wx_trigger and the timer event', async () => {
  const r = await control(cloud, 'timer/cron', 'POST');
  expect(r.status).toBe(200);
  const out = r.json<{ ok: boolean; result: { ok: boolean; source: string; openid: string | null; event: Record<string, string> } }>();
  expect(out.ok).toBe(true);
  expect(out.result).toMatchObject({ ok: true, source: 'wx_trigger', openid: null });
  expect(out.result.event).toMatchObject({ Type: 'Timer', TriggerName: 'everyFiveMinutes' });
  expect(out.result.event['Time']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  expect((await control(cloud, 'timer/whoami', 'POST')).status).toBe(409); // no timer trigger
  expect((await control(cloud, 'timer/nope', 'POST')).status).toBe(404);
  expect((await control(cloud, 'timer/cron', 'GET')).status).toBe(405);
});

test('GET /_control/invocations lists recent invocations with source and caller', async () => {
  await callFunction(cloud, 'whoami', { tag: 'listed' }, 'oListed');
  const list = (await control(cloud, 'invocations?fn=whoami')).json<{ invocations: Array<Record<string, unknown>> }>().invocations;
  expect(list.at(-1)).toMatchObject({ function: 'whoami', source: 'wx_client', openid: 'oListed', outcome: 'ok', event: { tag: 'listed' } });
});

test('control errors: unknown route 404, wrong method 405, bad JSON 400', async () => {
  expect((await control(cloud, 'nope')).status).toBe(404);
  expect((await control(cloud, 'stats/reset')).status).toBe(405);
  expect((await control(cloud, 'health', 'POST')).status).toBe(405);
  const bad = await request(`${cloud.url}/_control/clock`, { method: 'POST', body: '{nope' });
  expect(bad.status).toBe(400);
});

describe('POST /admin (the SDK endpoint)', () => {
  const admin = (body: string, query = 'env=local', method = 'POST'): ReturnType<typeof request> =>
    request(`${cloud.url}/admin?${query}`, { method, headers: { 'Content-Type': 'application/json' }, body });

  test('errors in the shape node-sdk expects: HTTP 200 { code, message, requestId }', async () => {
    const cases: Array<[string, string, string]> = [
      ['{nope', 'env=local', 'INVALID_PARAM'],
      ['{"action":"nothing.here"}', 'env=local', 'INVALID_PARAM'],
      ['{"action":"database.getDocument","collectionName":"x"}', 'env=other', 'INVALID_ENV'],
      ['{}', 'env=local', 'INVALID_PARAM'],
    ];
    for (const [body, query, code] of cases) {
      const r = await admin(body, query);
      expect(r.status).toBe(200);
      expect(r.json()).toMatchObject({ code });
    }
    expect((await request(`${cloud.url}/admin?env=local`)).status).toBe(405);
  });

  test('database actions reach the engine', async () => {
    const r = await admin(JSON.stringify({ action: 'database.insertDocument', collectionName: 'direct', data: ['{"a":1}'] }));
    expect(r.json()).toMatchObject({ requestId: expect.any(String) as unknown, data: { insertedIds: [expect.stringMatching(/^[0-9a-f]{32}$/)] } });
  });

  test('wx.openApi outside a function: protobuf answer with errorCode -604104', async () => {
    const boundary = 'b0undary';
    const body = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="action"\r\n\r\nwx.openApi\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="apiName"\r\n\r\nsubscribeMessage.send\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="requestData"\r\nContent-Type: application/octet-stream\r\n\r\n\r\n` +
        `--${boundary}--\r\n`,
    );
    const r = await request(`${cloud.url}/admin?env=local`, { method: 'POST', headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` }, body });
    expect(r.headers['content-type']).toBe('application/octet-stream');
    // field 3 (errorCode), varint of -604104 as int32
    const tag = r.body.indexOf(0x18);
    expect(tag).toBeGreaterThanOrEqual(0);
    let v = 0n;
    for (let i = tag + 1, shift = 0n; i < r.body.length; i++, shift += 7n) {
      const b = r.body[i] ?? 0;
      v |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) break;
    }
    expect(Number(BigInt.asIntN(64, v))).toBe(-604104);
  });
});

describe('loopback only', () => {
  test('a request from another address is refused with 403 before any route runs', async () => {
    const fake = { socket: { remoteAddress: '192.168.1.20' }, url: '/functions/whoami', method: 'POST', resume: () => undefined } as unknown as IncomingMessage;
    const p = {} as CloudParts; // never touched: the check comes first
    await expect(route(p, fake, {} as ServerResponse)).rejects.toMatchObject({ status: 403 });
    await expect(route(p, fake, {} as ServerResponse)).rejects.toBeInstanceOf(HttpError);
    const fake6 = { ...fake, socket: { remoteAddress: '::ffff:10.0.0.9' } } as unknown as IncomingMessage;
    await expect(route(p, fake6, {} as ServerResponse)).rejects.toMatchObject({ status: 403 });
  });

  test('over the network: a local cloud bound to all interfaces still refuses a non-loopback caller', async () => {
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (!external) return; // no non-loopback interface on this machine: the unit test above covers it
    const open = await startFixtureCloudOn('0.0.0.0');
    try {
      const r = await request(`http://${external.address}:${open.port}/_control/health`);
      expect(r.status).toBe(403);
      expect((await request(`http://127.0.0.1:${open.port}/_control/health`)).status).toBe(200);
    } finally {
      await open.stop();
    }
  });
});

async function startFixtureCloudOn(host: string): Promise<LocalCloud> {
  return startFixtureCloud({ host });
}

test('the scheduler fires a timer trigger on its cron, on the shifted clock (UTC+8)', async () => {
  const sched = await startFixtureCloud({ scheduler: true });
  try {
    // put the cloud's clock 1.5 s before the next 5-minute boundary: "0 */5 * * * * *" fires then
    const period = 5 * 60 * 1000;
    const target = Math.ceil((Date.now() + 60_000) / period) * period;
    sched.clock.setOffset(target - (Date.now() + 1500));
    const inv = await waitFor(() => sched.invocations('cron').find((i) => i.source === 'wx_trigger'), 5000);
    expect(inv.outcome).toBe('ok');
    expect(inv.event).toMatchObject({ Type: 'Timer', TriggerName: 'everyFiveMinutes', Time: new Date(target).toISOString().replace('.000Z', 'Z') });
  } finally {
    await sched.stop();
  }
});
