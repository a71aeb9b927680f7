/**
 * One local cloud with the demo data for a component test file, and the HTTP bridge pointed at it:
 * pages rendered after `startLiveCloud()` talk to the real functions through real HTTP.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedDemo } from '../../demo/seed';
import { startLocalCloud, type LocalCloud } from '../../local-cloud/src';
import { runtime } from '../../miniprogram/config/runtime';
import { installHttpBridge } from './http-bridge';
import { installNodeGlobals } from './node-globals';

const ROOT = join(__dirname, '../..');
export const LIVE_ID_SECRET = 'component-live-secret-0123456789';

export interface LiveCloud {
  cloud: LocalCloud;
  stop(): Promise<void>;
}

export async function startLiveCloud(name: string): Promise<LiveCloud> {
  installNodeGlobals();
  for (const built of ['local-cloud/dist/worker.js', 'cloudfunctions/api/index.js']) {
    if (!existsSync(join(ROOT, built))) throw new Error(`${built} is missing: run \`node scripts/build.mjs\` first`);
  }
  const dataDir = mkdtempSync(join(tmpdir(), `wcp-component-${name}-`));
  const cloud = await startLocalCloud({
    port: 0,
    dataDir,
    functionsDir: join(ROOT, 'cloudfunctions'),
    quiet: true,
    scheduler: false,
    functionEnv: { WCP_ID_SECRET: LIVE_ID_SECRET, WCP_ADMIN_OPENIDS: 'demo-admin' },
  });
  await seedDemo(cloud.engine, { idSecret: LIVE_ID_SECRET, now: cloud.clock.now() });
  const uninstall = installHttpBridge({ rewrite: { from: runtime.localUrl, to: cloud.url } });
  return {
    cloud,
    async stop() {
      uninstall();
      await cloud.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
