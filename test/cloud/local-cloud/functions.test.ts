/**
 * POST /functions/<name> and the function runner: the caller's identity per invocation (also under
 * concurrency), warm instances, timeouts, errors as the cloud answers them, function-to-function
 * calls, the clock inside functions.
 */
import type { LocalCloud } from '../../../local-cloud/src/index';
import { callFunction, control, request, startFixtureCloud } from './helpers';

interface Who {
  ctx: Record<string, unknown>;
  after: Record<string, unknown>;
  event: Record<string, unknown>;
  warm: number;
  now: number;
  date: string;
  dateString: string;
  requestId: string;
  functionName: string;
  timeLimitMs: number;
}

let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await startFixtureCloud({ poolSize: 4 });
});

afterAll(async () => {
  await cloud.stop();
});

describe('identity', () => {
  test('X-Local-Openid becomes getWXContext().OPENID, SOURCE is wx_client, ENV is the env', async () => {
    const r = await callFunction(cloud, 'whoami', { hello: 'world' }, 'oUserA');
    expect(r.status).toBe(200);
    const who = r.json<Who>();
    expect(who.ctx).toMatchObject({ OPENID: 'oUserA', APPID: cloud.appId, SOURCE: 'wx_client', ENV: 'local', CLIENTIP: '127.0.0.1' });
    expect(who.event).toEqual({ hello: 'world' });
    expect(who.functionName).toBe('whoami');
    expect(who.timeLimitMs).toBe(3000); // config.json sets no timeout: the cloud's 3 s
    expect(r.headers['x-request-id']).toBe(who.requestId);
  });

  test('no header: no OPENID in the context', async () => {
    const who = (await callFunction(cloud, 'whoami', {})).json<Who>();
    expect(who.ctx['OPENID']).toBeUndefined();
    expect(who.ctx['SOURCE']).toBe('wx_client');
  });

  test('50 concurrent invocations with distinct openids each see their own caller, before and after an await', async () => {
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) => callFunction(cloud, 'whoami', { i, delayMs: (i * 7) % 23 }, `oUser${i}`)),
    );
    replies.forEach((r, i) => {
      expect(r.status).toBe(200);
      const who = r.json<Who>();
      expect(who.event['i']).toBe(i);
      expect(who.ctx['OPENID']).toBe(`oUser${i}`);
      expect(who.after['OPENID']).toBe(`oUser${i}`);
    });
    // the identity never leaks into the local cloud's own process
    expect(process.env['WX_OPENID']).toBeUndefined();
    // one invocation at a time per instance, at most poolSize instances
    expect(cloud.runner.stats()['whoami']?.instances).toBeLessThanOrEqual(4);
  });

  test('a client call of a trigger-only function gets SOURCE wx_client (and the function refuses)', async () => {
    const r = await callFunction(cloud, 'cron', {}, 'oSneaky');
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({ ok: false, refused: true, source: 'wx_client' });
    const r2 = await callFunction(cloud, 'events', { Event: 'wxa_media_check', result: { suggest: 'pass' } }, 'oSneaky');
    expect(r2.json()).toMatchObject({ ok: false, refused: true, source: 'wx_client' });
  });

  test('cloud.callFunction inside a function: the callee sees the caller and SOURCE wx_client,scf', async () => {
    const r = await callFunction(cloud, 'caller', { name: 'whoami', data: { nested: true } }, 'oChain');
    expect(r.status).toBe(200);
    const { result } = r.json<{ result: Who }>();
    expect(result.ctx).toMatchObject({ OPENID: 'oChain', SOURCE: 'wx_client,scf' });
    expect(result.event).toEqual({ nested: true });
  });

  // wx-server-sdk 4.0.2 over node-sdk 3.17.2: node-sdk throws the TcbError { code, message } and
  // wx-server-sdk turns any thrown Error into errCode -1 'callFunction:fail <message>'
  test('cloud.callFunction of a failing or unknown function fails in the caller', async () => {
    type Failed = { error: { errCode: number; errMsg: string } };
    const bad = (await callFunction(cloud, 'caller', { name: 'slow', data: { action: 'throw', message: 'inner' } })).json<Failed>();
    expect(bad.error.errCode).toBe(-1);
    expect(bad.error.errMsg).toMatch(/^callFunction:fail Error: boom: inner/);
    const missing = (await callFunction(cloud, 'caller', { name: 'nope' })).json<Failed>();
    expect(missing.error.errMsg).toContain('FunctionName parameter could not be found: nope');
  });
});

describe('instances', () => {
  test('module state is kept between invocations (warm), and the first is cold', async () => {
    const fresh = await startFixtureCloud({ poolSize: 1 });
    try {
      const a = await callFunction(fresh, 'whoami', {});
      const b = await callFunction(fresh, 'whoami', {});
      expect(a.headers['x-cold-start']).toBe('1');
      expect(b.headers['x-cold-start']).toBe('0');
      expect(b.json<Who>().warm).toBe(a.json<Who>().warm + 1);
    } finally {
      await fresh.stop();
    }
  });
});

describe('failures answer like the cloud', () => {
  test('a throw in main: HTTP 500, errCode -504002 with the error', async () => {
    const r = await callFunction(cloud, 'slow', { action: 'throw', message: 'bad input' });
    expect(r.status).toBe(500);
    const body = r.json<{ errCode: number; errMsg: string }>();
    expect(body.errCode).toBe(-504002);
    expect(body.errMsg).toMatch(/^errCode: -504002 functions execute fail \| errMsg: Error: boom: bad input/);
  });

  test('running past config.json timeout (1 s): the instance is ended, -504003, and the next call works', async () => {
    const t0 = Date.now();
    const r = await callFunction(cloud, 'slow', { action: 'sleep', ms: 5000 });
    const took = Date.now() - t0;
    expect(r.status).toBe(504);
    const body = r.json<{ errCode: number; errMsg: string }>();
    expect(body.errCode).toBe(-504003);
    expect(body.errMsg).toContain('Invoking task timed out after 1 seconds');
    expect(took).toBeGreaterThanOrEqual(950);
    expect(took).toBeLessThan(3000);
    const next = await callFunction(cloud, 'slow', { action: 'sleep', ms: 10 });
    expect(next.status).toBe(200);
    expect(next.json()).toEqual({ slept: 10 });
  });

  test('a CPU-bound loop past the timeout is ended too', async () => {
    const r = await callFunction(cloud, 'slow', { action: 'spin', ms: 4000 });
    expect(r.status).toBe(504);
    expect(r.json<{ errCode: number }>().errCode).toBe(-504003);
  });

  test('process.exit in a function: -504002, the instance is replaced', async () => {
    const r = await callFunction(cloud, 'slow', { action: 'exit' });
    expect(r.status).toBe(500);
    expect(r.json<{ errCode: number; errMsg: string }>().errMsg).toContain('code exit unexpected');
    expect((await callFunction(cloud, 'slow', {})).status).toBe(200);
  });

  test('a result over 1 MB: errCode -604001', async () => {
    const r = await callFunction(cloud, 'slow', { action: 'big', bytes: 1024 * 1024 + 10 });
    expect(r.status).toBe(502);
    expect(r.json<{ errCode: number }>().errCode).toBe(-604001);
    const ok = await callFunction(cloud, 'slow', { action: 'big', bytes: 1000 * 1000 });
    expect(ok.status).toBe(200);
  });
});

describe('bad requests change nothing', () => {
  test('unknown function: 404 -501000', async () => {
    const r = await callFunction(cloud, 'nope', {});
    expect(r.status).toBe(404);
    expect(r.json<{ errCode: number }>().errCode).toBe(-501000);
    expect((await callFunction(cloud, '..%2Fetc', {})).status).toBe(404);
  });

  test('malformed JSON: 400', async () => {
    const before = cloud.invocations('whoami').length;
    const r = await request(`${cloud.url}/functions/whoami`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"a":' });
    expect(r.status).toBe(400);
    expect(r.json<{ errCode: number; errMsg: string }>().errMsg).toMatch(/invalid JSON/);
    expect(cloud.invocations('whoami').length).toBe(before);
  });

  test('an event that is not an object: 400', async () => {
    const r = await request(`${cloud.url}/functions/whoami`, { method: 'POST', body: '[1,2]' });
    expect(r.status).toBe(400);
  });

  test('wrong method: 405 with Allow', async () => {
    const r = await request(`${cloud.url}/functions/whoami`);
    expect(r.status).toBe(405);
    expect(r.headers['allow']).toBe('POST');
  });

  test('a multipart body: 415; a JSON body sent as a form (curl -d) is read as JSON', async () => {
    const r = await request(`${cloud.url}/functions/whoami`, { method: 'POST', headers: { 'Content-Type': 'multipart/form-data; boundary=x' }, body: '--x--' });
    expect(r.status).toBe(415);
    const form = await request(`${cloud.url}/functions/whoami`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: '{"a":1}' });
    expect(form.status).toBe(200);
    const bad = await request(`${cloud.url}/functions/whoami`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'a=1' });
    expect(bad.status).toBe(400);
  });

  test('a malformed X-Local-Openid: 400', async () => {
    const r = await request(`${cloud.url}/functions/whoami`, { method: 'POST', headers: { 'X-Local-Openid': 'a b' }, body: '{}' });
    expect(r.status).toBe(400);
  });

  test('an event over 100 KB: 413', async () => {
    const r = await callFunction(cloud, 'whoami', { text: 'x'.repeat(101 * 1024) });
    expect(r.status).toBe(413);
  });

  test('an unknown route: 404', async () => {
    expect((await request(`${cloud.url}/nothing`)).status).toBe(404);
  });
});

describe('the clock', () => {
  afterEach(async () => {
    await control(cloud, 'clock', 'POST', { offsetMs: 0 });
  });

  test('the offset is seen by Date.now(), new Date() and Date() inside functions', async () => {
    const day = 24 * 3600 * 1000;
    const set = await control(cloud, 'clock', 'POST', { offsetMs: 10 * day });
    expect(set.json<{ offsetMs: number }>().offsetMs).toBe(10 * day);
    const who = (await callFunction(cloud, 'whoami', {})).json<Who>();
    expect(Math.abs(who.now - (Date.now() + 10 * day))).toBeLessThan(2000);
    expect(Math.abs(Date.parse(who.date) - (Date.now() + 10 * day))).toBeLessThan(2000);
    expect(Math.abs(Date.parse(who.dateString) - (Date.now() + 10 * day))).toBeLessThan(3000);
    await control(cloud, 'clock', 'POST', { advanceMs: day });
    const got = await control(cloud, 'clock');
    expect(got.json<{ offsetMs: number }>().offsetMs).toBe(11 * day);
    const who2 = (await callFunction(cloud, 'whoami', {})).json<Who>();
    expect(Math.abs(who2.now - (Date.now() + 11 * day))).toBeLessThan(2000);
  });

  test('bad clock bodies are refused', async () => {
    expect((await control(cloud, 'clock', 'POST', { offsetMs: 'x' })).status).toBe(400);
    expect((await control(cloud, 'clock', 'POST', { offsetMs: 1, advanceMs: 1 })).status).toBe(400);
    expect((await control(cloud, 'clock', 'POST', { nope: 1 })).status).toBe(400);
    expect(cloud.clock.offsetMs).toBe(0);
  });
});
