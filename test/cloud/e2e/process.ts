/**
 * `npm start`'s local cloud as a separate process (the built local-cloud/dist/main.js), for
 * end-to-end tests through the HTTP face, and for killing it.
 */
import { functionOf, isActionName } from '../../../miniprogram/core';
import { spawn, type ChildProcess } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ROOT } from '../harness';

export interface Started {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

export function startProcess(dataDir: string, extra: string[] = []): Promise<Started> {
  const child = spawn(process.execPath, [join(ROOT, 'local-cloud/dist/main.js'), '--port', '0', '--data', dataDir, '--no-timers', ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOCAL_CLOUD_PORT: '' },
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`local cloud did not start:\n${out}`)), 20_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m && /Ctrl-C stops/.test(out)) {
        clearTimeout(timer);
        resolve({
          url: m[1]!,
          child,
          output: () => out,
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null || child.signalCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`local cloud exited with ${code}:\n${out}`));
    });
  });
}

export async function call(url: string, openid: string | null, action: string, payload: unknown): Promise<{ ok: boolean; data?: never; code?: string; message?: string } & Record<string, unknown>> {
  // The function that serves the action, as the app's client picks it (exports.* → export).
  const fn = isActionName(action) ? functionOf(action) : 'api';
  const res = await fetch(`${url}/functions/${fn}`, {
    method: 'POST',
    body: JSON.stringify({ action, payload }),
    headers: { 'content-type': 'application/json', ...(openid ? { 'X-Local-Openid': openid } : {}) },
  });
  return (await res.json()) as never;
}

/**
 * Starts `npm start`'s local cloud in a fresh data folder before the file's tests and stops it
 * after; the returned getter gives the running process.
 */
export function useStartedCloud(name: string): () => Started {
  let p: Started | undefined;
  let dataDir = '';
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), `wcp-${name}-`));
    p = await startProcess(dataDir);
  });
  afterAll(async () => {
    await p?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return () => {
    if (!p) throw new Error('the local cloud is not started');
    return p;
  };
}

/** An api call that must succeed: its data, or a thrown error naming who, what and why. */
export async function must<T = Record<string, unknown>>(url: string, who: string, action: string, payload: unknown): Promise<T> {
  const r = await call(url, who, action, payload);
  if (!r.ok) throw new Error(`${who} ${action}: ${String(r.code)} ${String(r.message)}`);
  return r.data as T;
}
