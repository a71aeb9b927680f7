/**
 * What a newcomer gets from `npm start`: the demo data served through the HTTP face, seeded once,
 * kept across restarts, and nothing acknowledged lost when the process is killed.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { call, startProcess } from './process';

let dataDir: string;
beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'wcp-start-'));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('npm start', () => {
  it('serves the demo data and answers an api call over HTTP', async () => {
    const p = await startProcess(dataDir);
    try {
      expect(p.output()).toContain('Seeded the demo data');
      const home = await call(p.url, 'demo-worker-li', 'home.get', {});
      expect(home.ok).toBe(true);
      const titles = JSON.stringify(home);
      expect(titles).toContain('职工文化比赛');
      const health = await (await fetch(`${p.url}/_control/health`)).json();
      expect(health).toMatchObject({ ok: true, functions: expect.arrayContaining(['api', 'cron', 'events']) });
    } finally {
      await p.stop();
    }
  });

  it('keeps the data, and the first seeding, across a restart', async () => {
    const p = await startProcess(dataDir);
    try {
      expect(p.output()).toContain('kept');
      const me = await call(p.url, 'demo-worker-li', 'session.me', {});
      expect(me).toMatchObject({ ok: true, data: { me: { realName: '李明' } } });
    } finally {
      await p.stop();
    }
  });

  it('loses no acknowledged write when killed with SIGKILL in a burst, and opens again', async () => {
    const p = await startProcess(dataDir);
    const acknowledged: string[] = [];
    let n = 0;
    let dead = false;
    // Eight writers keep the engine busy; the process is killed mid-burst once 30 writes are acknowledged.
    const writer = async () => {
      while (!dead) {
        const w = `kill-test-${n++}`;
        try {
          const c = await call(p.url, w, 'profile.consent', { version: '2026-11' });
          if (c.ok) acknowledged.push(w);
          if (acknowledged.length >= 30 && !dead) {
            dead = true;
            p.child.kill('SIGKILL');
          }
        } catch {
          // The connection died with the process: not acknowledged, may or may not be stored.
          dead = true;
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, writer));
    expect(acknowledged.length).toBeGreaterThanOrEqual(30);

    const again = await startProcess(dataDir);
    try {
      for (const w of acknowledged) {
        const me = await call(again.url, w, 'session.me', {});
        expect(me).toMatchObject({ ok: true, data: { me: { consented: true } } });
      }
    } finally {
      await again.stop();
    }
  });
});
