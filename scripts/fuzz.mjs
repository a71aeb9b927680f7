#!/usr/bin/env node
// The bad-input fuzzer: test/cloud/security/bad-input.test.ts with 1,000 malformed payloads per
// action (the generator is test/cloud/security/generate.ts) and a seed from the command line or a
// random one, printed first and last so that any failure can be replayed.
//
//   npm run fuzz                          # random seed, 1,000 per action
//   npm run fuzz -- --seed=1234           # replay a seed
//   npm run fuzz -- --count=5000 --only=judging   # more cases, only actions matching /judging/
//
// Builds the functions first (the cloud tests run the built index.js).
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k, v ?? 'true'];
  }),
);
const known = new Set(['seed', 'count', 'only']);
for (const k of Object.keys(args)) {
  if (!known.has(k)) {
    console.error(`unknown option --${k} (use --seed=<n>, --count=<n>, --only=<action pattern>)`);
    process.exit(2);
  }
}

const seed = args.seed !== undefined ? Number(args.seed) : randomInt(0, 2 ** 32);
const count = args.count !== undefined ? Number(args.count) : 1000;
if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) {
  console.error(`--seed must be an integer in [0, 2^32), got ${args.seed}`);
  process.exit(2);
}
if (!Number.isInteger(count) || count < 1) {
  console.error(`--count must be a positive integer, got ${args.count}`);
  process.exit(2);
}

console.log(`fuzz: seed ${seed}, ${count} cases per action${args.only ? `, actions matching ${args.only}` : ''}`);

const build = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const jestArgs = ['--selectProjects', 'cloud', '--testPathPatterns', 'test/cloud/security/bad-input', '--runInBand'];
if (args.only) jestArgs.push('-t', args.only);
const run = spawnSync(process.execPath, [join(root, 'node_modules/jest/bin/jest.js'), ...jestArgs], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, TZ: 'UTC', FUZZ_SEED: String(seed), FUZZ_COUNT: String(count), FUZZ_STATS: '1' },
});

const status = run.status ?? 1;
console.log(`fuzz: seed ${seed}, ${count} cases per action: ${status === 0 ? 'no failures' : 'FAILED'}${status === 0 ? '' : ` (replay: npm run fuzz -- --seed=${seed} --count=${count})`}`);
process.exit(status);
