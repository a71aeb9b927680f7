import type { CloudProcess } from './cloud-process';

export default async function globalTeardown(): Promise<void> {
  const g = globalThis as unknown as { __wcpBenchCloud?: CloudProcess };
  await g.__wcpBenchCloud?.stop();
  if (process.env.WCP_BENCH_CLOUD_STARTED === '1') {
    delete process.env.WCP_BENCH_CLOUD_URL;
    delete process.env.WCP_BENCH_CLOUD_STARTED;
  }
}
