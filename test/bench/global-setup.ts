/**
 * Builds what the pages need (the functions, the local cloud, miniprogram_npm) and starts a local
 * cloud with the demo data for the bench's page renders, unless WCP_BENCH_CLOUD_URL names one.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureMiniprogramNpm } from '../component/global-setup';
import { ROOT, startCloudProcess, type CloudProcess } from './cloud-process';

export default async function globalSetup(): Promise<void> {
  process.env.TZ = process.env.TZ || 'UTC';
  if (process.env.WCP_BENCH_SKIP_BUILD !== '1') {
    execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  ensureMiniprogramNpm();
  if (!process.env.WCP_BENCH_CLOUD_URL) {
    const cloud = await startCloudProcess();
    (globalThis as unknown as { __wcpBenchCloud?: CloudProcess }).__wcpBenchCloud = cloud;
    process.env.WCP_BENCH_CLOUD_URL = cloud.url;
    process.env.WCP_BENCH_CLOUD_STARTED = '1';
  }
}
