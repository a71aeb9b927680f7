import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Transport } from '../../miniprogram/services/transport';
import { FakeCloud, ok } from './fake-transport';
import { homeView } from './fixtures';
import { installHttpBridge } from './http-bridge';
import { freshClient, load } from './load';
import { closedPort, startTinyServer, type TinyServer } from './tiny-server';

let server: TinyServer;
let uninstall: () => void;

beforeAll(async () => {
  server = await startTinyServer();
  uninstall = installHttpBridge();
});
afterAll(async () => {
  uninstall();
  await server.close();
});

/** The client talking HTTP to `base` the way it talks to the local cloud. */
function clientAt(base: string, timeoutMs = 1000) {
  const client = freshClient();
  client.setTransport(client.localTransport(base), { timeoutMs });
  return client;
}

describe('client, local mode (HTTP to the local cloud)', () => {
  test('posts {action, payload} to /functions/api as the chosen demo identity', async () => {
    const client = clientAt(server.url);
    const r = await client.api('activities.detail', { id: 'act-1' });
    expect(r).toEqual({
      ok: true,
      data: { event: { action: 'activities.detail', payload: { id: 'act-1' } }, caller: 'demo-worker-li' },
    });
  });

  test('posts exports.* to /functions/export and every other action to /functions/api', async () => {
    const client = clientAt(server.url);
    await client.api('exports.registrations', { activityId: 'act-1' });
    expect(server.received.at(-1)).toMatchObject({ method: 'POST', url: '/functions/export' });
    await client.api('registrations.list', { activityId: 'act-1' });
    expect(server.received.at(-1)).toMatchObject({ method: 'POST', url: '/functions/api' });
  });

  test('turns a refused connection into NETWORK, never a throw', async () => {
    const r = await clientAt(await closedPort()).api('home.get', {});
    expect(r).toEqual({ ok: false, code: 'NETWORK', message: '网络不稳定，请检查网络后重试' });
  });

  test('turns silence past the time budget into TIMEOUT', async () => {
    const client = freshClient();
    client.setTransport(client.localTransport(`${server.url}/silent#`), { timeoutMs: 200 });
    const r = await client.api('home.get', {});
    expect(r).toEqual({ ok: false, code: 'TIMEOUT', message: '请求超时，请稍后重试' });
  });

  test.each([
    ['an HTTP 500 error page', '/status/500'],
    ['an answer that is not JSON', '/not-json'],
    ['JSON that is not a Result', '/malformed'],
  ])('turns %s into INTERNAL', async (_what, path) => {
    const r = await clientAt(`${server.url}${path}#`).api('home.get', {});
    expect(r).toEqual({ ok: false, code: 'INTERNAL', message: '系统繁忙，请稍后再试' });
  });

  test('keeps a well-formed refusal that came with an HTTP error status', async () => {
    const r = await clientAt(`${server.url}/status/403-result#`).api('home.get', {});
    expect(r).toEqual({ ok: false, code: 'FORBIDDEN', message: '仅限本机访问' });
  });

  test('answers an error code it does not know as INTERNAL, keeping the message', async () => {
    const r = await clientAt(`${server.url}/unknown-code#`).api('home.get', {});
    expect(r).toEqual({ ok: false, code: 'INTERNAL', message: '新的错误' });
  });

  test('uploads to /storage/upload with the cloud path and reports progress', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wcp-client-'));
    const file = join(dir, 'a.jpg');
    writeFileSync(file, Buffer.alloc(200 * 1024, 3));
    const progress: number[] = [];
    const r = await clientAt(server.url).upload(file, 'entries/c1/SY-0003/x.jpg', (p) => progress.push(p.progress));
    expect(r).toEqual({ ok: true, data: { fileID: 'cloud://local/entries/c1/SY-0003/x.jpg' } });
    expect(progress.at(-1)).toBe(100);
    expect(server.received.at(-1)?.headers['x-local-openid']).toBe('demo-worker-li');
  });

  test('answers a failed upload as a Result', async () => {
    const r = await clientAt(await closedPort()).upload('/nonexistent/file.jpg', 'p/x.jpg');
    expect(r.ok).toBe(false);
  });
});

describe('client, any transport', () => {
  test('cuts off a transport that never answers', async () => {
    const client = freshClient();
    const stuck: Transport = { kind: 'stuck', call: () => new Promise(() => undefined), upload: () => new Promise(() => undefined) };
    client.setTransport(stuck, { timeoutMs: 50 });
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const pending = client.api('home.get', {});
    jest.advanceTimersByTime(50 + 2000);
    jest.useRealTimers();
    expect(await pending).toEqual({ ok: false, code: 'TIMEOUT', message: '请求超时，请稍后重试' });
  });

  test('turns a transport that throws into a Result', async () => {
    const client = freshClient();
    const broken: Transport = {
      kind: 'broken',
      call: () => {
        throw new Error('boom');
      },
      upload: () => Promise.reject(new Error('boom')),
    };
    client.setTransport(broken);
    expect(await client.api('home.get', {})).toEqual({ ok: false, code: 'INTERNAL', message: '系统繁忙，请稍后再试' });
    expect((await client.upload('a', 'b')).ok).toBe(false);
  });

  test('passes a field error through for the form to show', async () => {
    const client = freshClient();
    client.setTransport(new FakeCloud().refuse('profile.save', 'INVALID_PAYLOAD', '请输入 11 位手机号', 'payload.phone'));
    expect(await client.api('profile.save', { realName: '李明', phone: '1', unitId: 'u', enterprise: '医院' })).toEqual({
      ok: false,
      code: 'INVALID_PAYLOAD',
      message: '请输入 11 位手机号',
      field: 'payload.phone',
    });
  });
});

describe('client, cloud mode', () => {
  type CallOptions = { name: string; data: unknown; success(res: { result: unknown }): void; fail(e: { errMsg: string }): void };
  const cloud = () => (globalThis as unknown as { wx: { cloud: Record<string, unknown> } }).wx.cloud;

  test('initialises wx.cloud once with the environment and calls the api function', async () => {
    const inits: unknown[] = [];
    const calls: unknown[] = [];
    const saved = { ...cloud() };
    Object.assign(cloud(), {
      init: (c: unknown) => inits.push(c),
      callFunction: (o: CallOptions) => {
        calls.push({ name: o.name, data: o.data });
        setTimeout(() => o.success({ result: ok(homeView()) }), 0);
      },
    });
    try {
      const page = await load('pages/home', { runtime: { mode: 'cloud', envId: 'wcp-prod-1a2b' } });
      page.client.initBackend();
      page.client.initBackend();
      expect(inits).toEqual([{ env: 'wcp-prod-1a2b', traceUser: true }]);
      expect(calls).toEqual([{ name: 'api', data: { action: 'home.get', payload: {} } }]);
      expect(page.text()).toContain('关于举办2026年职工文化比赛的通知');
    } finally {
      Object.assign(cloud(), saved);
    }
  });

  test('calls the export function for exports.*', async () => {
    const names: string[] = [];
    const saved = { ...cloud() };
    Object.assign(cloud(), {
      callFunction: (o: CallOptions) => {
        names.push(o.name);
        setTimeout(() => o.success({ result: ok({}) }), 0);
      },
    });
    try {
      const client = freshClient({ mode: 'cloud', envId: 'env' });
      await client.api('exports.results', { activityId: 'act-1', trackId: 'essay' });
      await client.api('home.get', {});
      expect(names).toEqual(['export', 'api']);
    } finally {
      Object.assign(cloud(), saved);
    }
  });

  test.each([
    ['cloud.callFunction:fail Error: errCode: -1 | errMsg: request:fail', 'NETWORK'],
    ['cloud.callFunction:fail errCode: -504003 | errMsg: Invoking task timed out after 20 seconds', 'TIMEOUT'],
    ['cloud.callFunction:fail errCode: -504002 functions execute fail', 'INTERNAL'],
  ])('sorts "%s" as %s', async (errMsg, code) => {
    const saved = { ...cloud() };
    Object.assign(cloud(), { callFunction: (o: CallOptions) => setTimeout(() => o.fail({ errMsg }), 0) });
    try {
      const client = freshClient({ mode: 'cloud', envId: 'env' });
      const r = await client.api('home.get', {});
      expect(r.ok ? null : r.code).toBe(code);
    } finally {
      Object.assign(cloud(), saved);
    }
  });
});
