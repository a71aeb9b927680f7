/**
 * A local cloud in its own process, as `npm start` runs it (node local-cloud/dist/main.js): a
 * fresh data folder seeded with the demo data, a free port, no timers. The benchmark's page
 * figures and the screenshots render pages against it over HTTP.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(__dirname, '../..');

export interface CloudProcess {
  url: string;
  pid: number;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startCloudProcess(): Promise<CloudProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wcp-bench-cloud-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [join(ROOT, 'local-cloud/dist/main.js'), '--port', '0', '--data', dataDir, '--no-timers', '--quiet'],
    { cwd: ROOT, env: { ...process.env, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the local cloud did not start in 30 s:\n${output}`)), 30000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the local cloud exited (${String(code)}) before it listened:\n${output}`));
    });
  });
  // Keep draining its output so the pipe never fills.
  child.stdout?.resume();
  child.stderr?.resume();
  const pid = child.pid ?? 0;
  return {
    url,
    pid,
    dataDir,
    stop: () =>
      new Promise<void>((resolve) => {
        const done = (): void => {
          rmSync(dataDir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null || child.signalCode !== null) return done();
        const force = setTimeout(() => child.kill('SIGKILL'), 10000);
        child.once('exit', () => {
          clearTimeout(force);
          done();
        });
        child.kill('SIGTERM');
      }),
  };
}
