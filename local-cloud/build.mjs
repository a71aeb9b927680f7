/**
 * Builds the local cloud with esbuild: src/main.ts → dist/main.js (the CLI of `npm start`),
 * src/runner/worker.ts → dist/worker.js (function instances; worker_threads cannot load TypeScript),
 * src/index.ts → dist/index.js (startLocalCloud for plain-JS scripts).
 * Packages from node_modules stay external (wx-server-sdk is loaded by the functions themselves).
 */
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export async function buildLocalCloud({ logLevel = 'warning' } = {}) {
  await build({
    absWorkingDir: here,
    entryPoints: {
      main: 'src/main.ts',
      worker: 'src/runner/worker.ts',
      index: 'src/index.ts',
    },
    outdir: path.join(here, 'dist'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    sourcemap: true,
    logLevel,
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildLocalCloud({ logLevel: 'info' });
}
