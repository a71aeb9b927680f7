/**
 * Abuse of the local cloud's HTTP face (docs/LOCAL-CLOUD.md, "POST /functions/<name>"): malformed
 * bodies and methods, oversized events, unknown and traversing function names, forged callers and
 * headers that try to choose the invocation's SOURCE. Each is answered with its documented error
 * (or, where the face lets it through by design, refused by the function) and changes nothing.
 */
import * as http from 'http';
import * as net from 'net';
import { COLLECTIONS } from '../../../miniprogram/core';
import { startHarness, type Harness } from '../harness';
import { changes, describeChanges, snapshot, type Snapshot } from './snapshot';

let h: Harness;
let port: number;
beforeAll(async () => {
  h = await startHarness();
  port = Number(new URL(h.url).port);
});
afterAll(() => h.stop());

const LI = 'demo-worker-li';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: unknown;
}

/** One request with exactly these headers and body (chunked when `body` is an array of chunks). */
function send(method: string, path: string, body?: string | Buffer | Buffer[], headers: Record<string, string | string[]> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown = undefined;
        try {
          json = JSON.parse(text);
        } catch {
          /* not JSON */
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    // The server may answer (413) and close before the whole body is written.
    req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'EPIPE' || (e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e)));
    if (Array.isArray(body)) {
      for (const c of body) req.write(c);
      req.end();
    } else req.end(body);
  });
}

/** Bytes straight onto a socket: for requests no HTTP client would send. Answers the status line. */
function rawRequest(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(text));
    let out = '';
    socket.on('data', (c: Buffer) => (out += c.toString('latin1')));
    socket.on('end', () => resolve(out.split('\r\n')[0] ?? ''));
    socket.on('close', () => resolve(out.split('\r\n')[0] ?? ''));
    socket.on('error', reject);
  });
}

const api = (body: string | Buffer | Buffer[], headers: Record<string, string | string[]> = {}) =>
  send('POST', '/functions/api', body, { 'content-type': 'application/json', 'x-local-openid': LI, ...headers });

const invocations = (fn = 'api') => h.cloud.invocations(fn).length;

let before: Snapshot;
let calls: number;
beforeEach(async () => {
  before = await snapshot(h);
  calls = invocations();
});
afterEach(async () => {
  expect(describeChanges(changes(before, await snapshot(h)))).toBe('');
});

describe('malformed bodies', () => {
  it('answers a body that is not JSON with 400 -501007 and runs nothing', async () => {
    for (const body of ['{"action":', 'action=home.get', "{'action':'home.get'}", '\u0000\u0001', '{"action":"home.get"}}']) {
      const r = await api(body);
      expect({ body, status: r.status, errCode: (r.json as { errCode?: number })?.errCode }).toEqual({ body, status: 400, errCode: -501007 });
    }
    expect(invocations()).toBe(calls);
  });

  it('answers an event that is not an object with 400 -501007 and runs nothing', async () => {
    for (const body of ['[1,2,3]', '"home.get"', '42', 'true', '[{"action":"session.me"}]']) {
      const r = await api(body);
      expect({ body, status: r.status, errCode: (r.json as { errCode?: number })?.errCode }).toEqual({ body, status: 400, errCode: -501007 });
    }
    expect(invocations()).toBe(calls);
  });

  it('treats an empty body (and a JSON null) as the empty event, as callFunction without data: no action, refused by the router', async () => {
    for (const body of ['', 'null']) {
      const r = await api(body);
      expect({ body, status: r.status, json: r.json }).toEqual({ body, status: 200, json: expect.objectContaining({ ok: false, code: 'UNKNOWN_ACTION' }) as unknown });
    }
  });

  it('refuses a multipart body with 415 and runs nothing', async () => {
    const boundary = 'xYzZY';
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="action"\r\n\r\nhome.get\r\n--${boundary}--\r\n`;
    const r = await api(body, { 'content-type': `multipart/form-data; boundary=${boundary}` });
    expect(r.status).toBe(415);
    expect(r.json).toMatchObject({ errCode: -501007 });
    expect(invocations()).toBe(calls);
  });

  it('reads JSON whatever the Content-Type says, and refuses a form-encoded body as not JSON', async () => {
    const ok = await api(JSON.stringify({ action: 'units.list', payload: {} }), { 'content-type': 'text/plain' });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ ok: true });
    const form = await api('action=units.list&payload=', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(400);
  });

  it('refuses a 10 MB body with 413 before reading it, with or without a Content-Length', async () => {
    const big = Buffer.alloc(10 * 1024 * 1024, 0x61);
    const declared = await api(big);
    expect(declared.status).toBe(413);
    expect(declared.json).toMatchObject({ errCode: -1 });
    expect(String((declared.json as { errMsg: string }).errMsg)).toContain('data exceed max size');
    const chunks = Array.from({ length: 10 }, () => Buffer.alloc(1024 * 1024, 0x61));
    const streamed = await api(chunks, { 'transfer-encoding': 'chunked' });
    expect(streamed.status).toBe(413);
    expect(invocations()).toBe(calls);
  });

  it('refuses an event just over 100 KB with 413, one just under reaches the router', async () => {
    const pad = (n: number) => JSON.stringify({ action: 'home.get', payload: { x: 'a'.repeat(n) } });
    const over = await api(pad(100 * 1024));
    expect(over.status).toBe(413);
    const under = await api(pad(90 * 1024));
    expect(under.status).toBe(200);
    expect(under.json).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD' });
  });

  // Found by this suite: JSON.stringify of a parsed event thousands deep used to overflow the stack (500).
  it('answers an event nested 50,000 deep (inside 100 KB) with a 4xx, not a server error', async () => {
    const depth = 50_000;
    for (const body of [
      `{"action":"home.get","payload":{},"userInfo":${'['.repeat(depth)}${']'.repeat(depth)}}`,
      `{"action":"home.get","payload":${'['.repeat(depth)}${']'.repeat(depth)}}`,
    ]) {
      const r = await api(body);
      expect({ status: r.status, json: r.json }).toEqual({ status: 400, json: expect.objectContaining({ errCode: -501007 }) as unknown });
    }
  });

  it('lets an event nested 1,000 deep in userInfo through to the router, which ignores it', async () => {
    const depth = 1_000;
    const r = await api(`{"action":"units.list","payload":{},"userInfo":${'['.repeat(depth)}${']'.repeat(depth)}}`);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ ok: true });
  });

  it('refuses a payload nested 1,000 deep in the router, before validation', async () => {
    const depth = 1_000;
    const r = await api(`{"action":"units.list","payload":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD', message: '提交的内容层级过深' });
  });

  it('refuses an own "__proto__" beside action and payload', async () => {
    const r = await api('{"action":"session.me","payload":{},"__proto__":{"role":"admin"}}');
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
  });
});

describe('methods and names', () => {
  it('answers any method but POST with 405 and an Allow header', async () => {
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
      const r = await send(method, '/functions/api', method === 'GET' ? undefined : '{}', { 'x-local-openid': LI, ...(method === 'GET' ? {} : { 'content-length': '2' }) });
      expect({ method, status: r.status, allow: r.headers.allow }).toEqual({ method, status: 405, allow: 'POST' });
    }
    const head = await send('HEAD', '/functions/api', undefined, { 'x-local-openid': LI });
    expect(head.status).toBe(405);
    expect(invocations()).toBe(calls);
  });

  it('answers an unknown function with 404 -501000', async () => {
    for (const name of ['nope', 'API', 'api2', 'shared', '_control']) {
      const r = await send('POST', `/functions/${name}`, '{}', { 'content-type': 'application/json', 'x-local-openid': LI });
      expect({ name, status: r.status, errCode: (r.json as { errCode?: number })?.errCode }).toEqual({ name, status: 404, errCode: -501000 });
    }
  });

  it('never resolves a function name outside the functions folder', async () => {
    for (const name of ['..%2fapi', '%2e%2e%2fcloudfunctions%2fapi', '..%2f..%2fcloudfunctions%2fapi', 'api%00', 'api%2f..%2fapi', '%2fetc%2fpasswd', '.', '..']) {
      const r = await send('POST', `/functions/${name}`, JSON.stringify({ action: 'session.me', payload: {} }), { 'content-type': 'application/json', 'x-local-openid': LI });
      expect({ name, status: r.status }).toEqual({ name, status: 404 });
    }
    const malformed = await send('POST', '/functions/%E0%A4%A', '{}', { 'content-type': 'application/json' });
    expect(malformed.status).toBe(400);
    expect(invocations()).toBe(calls);
  });
});

describe('forged callers', () => {
  it('refuses an empty X-Local-Openid with 400', async () => {
    const r = await api(JSON.stringify({ action: 'session.me', payload: {} }), { 'x-local-openid': '' });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ errCode: -501007 });
  });

  it('refuses an X-Local-Openid with a comma, a space, a slash or non-ASCII, and one of 129 characters', async () => {
    for (const openid of [`${LI},demo-admin`, 'demo-admin ,x', 'a b', 'demo/admin', 'demo-admin;', 'x'.repeat(129), '李明']) {
      const r = await api(JSON.stringify({ action: 'session.me', payload: {} }), { 'x-local-openid': Buffer.from(openid, 'utf8').toString('latin1') });
      expect({ openid, status: r.status }).toEqual({ openid, status: 400 });
    }
    expect(invocations()).toBe(calls);
  });

  it('refuses two X-Local-Openid headers (a caller and an admin) with 400', async () => {
    const r = await api(JSON.stringify({ action: 'session.me', payload: {} }), { 'x-local-openid': [LI, 'demo-admin'] });
    expect(r.status).toBe(400);
    expect(invocations()).toBe(calls);
  });

  it('refuses an X-Local-Openid that smuggles a second header through a line break', async () => {
    const body = JSON.stringify({ action: 'session.me', payload: {} });
    const req = (header: string) =>
      `POST /functions/api HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${header}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
    for (const header of [`X-Local-Openid: ${LI}\r\n demo-admin`, `X-Local-Openid: ${LI}\nX-Local-Openid: demo-admin`, `X-Local-Openid: ${LI}\rdemo-admin`, `X-Local-Openid: demo-admin\u0000`]) {
      const status = await rawRequest(req(header));
      expect({ header, status }).toEqual({ header, status: expect.stringMatching(/^HTTP\/1\.1 4\d\d /) as unknown as string });
    }
    expect(invocations()).toBe(calls);
  });

  it('refuses a header block over the server limit with a 4xx', async () => {
    const r = await api(JSON.stringify({ action: 'session.me', payload: {} }), { 'x-padding': 'a'.repeat(20 * 1024) });
    expect([400, 431]).toContain(r.status);
    expect(invocations()).toBe(calls);
  });

  it('takes the caller from X-Local-Openid only: an openid in the event or the payload is refused', async () => {
    const inEvent = await send('POST', '/functions/api', JSON.stringify({ action: 'session.me', payload: {}, openid: 'demo-admin', OPENID: 'demo-admin' }), { 'content-type': 'application/json' });
    expect(inEvent.json).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
    const userInfo = await send('POST', '/functions/api', JSON.stringify({ action: 'session.me', payload: {}, userInfo: { openId: 'demo-admin', appId: 'x' } }), { 'content-type': 'application/json' });
    expect(userInfo.json).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
  });
});

describe('headers that try to choose SOURCE', () => {
  const SOURCE_HEADERS: Record<string, string>[] = [
    { 'x-local-source': 'wx_trigger' },
    { 'x-wx-source': 'wx_trigger' },
    { source: 'wx_trigger' },
    { 'tcb-source': 'wx_trigger' },
    { 'x-tcb-source': 'wx_msgpush' },
    { 'x-local-context': JSON.stringify({ SOURCE: 'wx_trigger', OPENID: 'demo-admin' }) },
    { 'x-wx-context-keys': 'SOURCE', 'x-wx-source-chain': 'wx_trigger,scf' },
  ];

  it('leave a client call a client call: cron and events refuse it, and the invocation is recorded as wx_client', async () => {
    const n = h.cloud.invocations().length;
    for (const headers of SOURCE_HEADERS) {
      for (const [fn, event] of [
        ['cron', { Type: 'Timer', TriggerName: 'tick', Time: '2022-05-01T00:00:00Z', Message: '' }],
        ['events', { MsgType: 'event', Event: 'wxa_media_check', trace_id: 'x', result: { suggest: 'pass', label: 100 } }],
      ] as const) {
        const r = await send('POST', `/functions/${fn}`, JSON.stringify(event), { 'content-type': 'application/json', 'x-local-openid': LI, ...headers });
        expect({ fn, headers, status: r.status, json: r.json }).toEqual({ fn, headers, status: 200, json: expect.objectContaining({ ok: false, code: 'FORBIDDEN' }) as unknown });
      }
    }
    const recorded = h.cloud.invocations().slice(n - h.cloud.invocations().length);
    expect(recorded.length).toBe(SOURCE_HEADERS.length * 2);
    expect(new Set(recorded.map((x) => x.source))).toEqual(new Set(['wx_client']));
  });

  it('cannot make the api see another caller', async () => {
    const r = await api(JSON.stringify({ action: 'session.me', payload: {} }), { 'x-wx-openid': 'demo-admin', 'x-local-context': '{"OPENID":"demo-admin"}' });
    expect(r.json).toMatchObject({ ok: true, data: { me: { role: 'worker' } } });
  });

  it('keeps the timer heartbeat untouched', async () => {
    const metas = await h.cloud.engine.find(COLLECTIONS.meta);
    expect(metas.find((m) => m._id === 'cron')).toBeUndefined();
  });
});

describe('the export function, the other face the app calls', () => {
  const exportCall = (body: string, headers: Record<string, string> = {}) =>
    send('POST', '/functions/export', body, { 'content-type': 'application/json', 'x-local-openid': LI, ...headers });
  const STAFF = 'demo-staff-chen';

  it('answers a body that is not JSON or not an object with 400, and any method but POST with 405, running nothing', async () => {
    const n = invocations('export');
    for (const body of ['{"action":', '[1]', '"exports.results"']) expect((await exportCall(body)).status).toBe(400);
    for (const method of ['GET', 'PUT']) expect((await send(method, '/functions/export', method === 'GET' ? undefined : '{}', { 'x-local-openid': LI, ...(method === 'GET' ? {} : { 'content-length': '2' }) })).status).toBe(405);
    expect(invocations('export')).toBe(n);
  });

  it('serves its own actions only: an api action is unknown there, an export action is unknown to api', async () => {
    expect((await exportCall(JSON.stringify({ action: 'session.me', payload: {} }), { 'x-local-openid': STAFF })).json).toMatchObject({ ok: false, code: 'UNKNOWN_ACTION' });
    expect((await exportCall(JSON.stringify({ action: 'users.setRole', payload: {} }), { 'x-local-openid': 'demo-admin' })).json).toMatchObject({ ok: false, code: 'UNKNOWN_ACTION' });
    expect((await api(JSON.stringify({ action: 'exports.registrations', payload: { activityId: 'act_culture_2022' } }), { 'x-local-openid': STAFF })).json).toMatchObject({ ok: false, code: 'UNKNOWN_ACTION' });
  });

  it('takes the caller from X-Local-Openid only: an openid in the event is refused, userInfo and other headers choose nobody', async () => {
    const payload = { activityId: 'act_culture_2022' };
    expect((await exportCall(JSON.stringify({ action: 'exports.registrations', payload, openid: STAFF }))).json).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
    const smuggled = await send('POST', '/functions/export', JSON.stringify({ action: 'exports.registrations', payload, userInfo: { openId: STAFF, appId: 'x' } }), { 'content-type': 'application/json' });
    expect(smuggled.json).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
    const forged = await exportCall(JSON.stringify({ action: 'exports.registrations', payload }), { 'x-wx-openid': STAFF, 'x-local-context': `{"OPENID":"${STAFF}"}` });
    expect(forged.json).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });
});
