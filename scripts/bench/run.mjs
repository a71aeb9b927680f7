#!/usr/bin/env node
// `npm run bench`: builds the functions and the local cloud (scripts/build.mjs), bundles the
// benchmark's TypeScript (scripts/bench/main.ts) with esbuild into .bench/build/main.js, and runs
// it with the arguments given (see scripts/bench/main.ts and docs/BENCH.md).
import { execFileSync, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
// Two levels below the root, like local-cloud/dist: the bundled modules find the repository
// (and database/collections.json) from __dirname as they do from their sources.
const outfile = join(root, '.bench/build/main.js');
await build({
  entryPoints: [join(root, 'scripts/bench/main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
const r = spawnSync(process.execPath, ['--enable-source-maps', outfile, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
