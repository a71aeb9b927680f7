#!/usr/bin/env node
// Deploys with miniprogram-ci, or (with --dry-run, runnable here without WeChat's servers) checks
// everything a deploy depends on:
//  - each function's config.json: timeout set and within the cloud's range; triggers only where
//    the code is a timer function, at most one timer, a 7-field cron; openapi permissions equal to
//    the open APIs the built bundle calls (missing = the call fails in the cloud; extra = warning);
//  - each function's package.json pins wx-server-sdk, and any other package it leaves to the cloud's
//    npm install, to the exact version the project tests with (the root package.json's); a bundle
//    may require only Node's built-ins and those packages;
//  - database/security-rules.json closes every collection of database/collections.json.
//
// Real deploy: WCP_APPID, WCP_ENV and WCP_UPLOAD_KEY (the upload key's content, from a CI secret;
// never a committed file) in the environment, then `npm run deploy`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dryRun = process.argv.includes('--dry-run');
const readJson = (p) => JSON.parse(readFileSync(join(root, p), 'utf8'));

const errors = [];
const warnings = [];
const rootPkg = readJson('package.json');
const sdkVersion = rootPkg.devDependencies['wx-server-sdk'];
const tested = { ...rootPkg.dependencies, ...rootPkg.devDependencies };
// Every function with sources (as scripts/build.mjs builds them): api, cron, events, export.
const FUNCTIONS = readdirSync(join(root, 'cloudfunctions'))
  .filter((d) => existsSync(join(root, 'cloudfunctions', d, 'src', 'index.ts')))
  .sort();

/** The open APIs a bundle calls, as `namespace.method` (e.g. security.msgSecCheck). */
export function openApisCalled(source) {
  const found = new Set();
  for (const m of source.matchAll(/\bopenapi\s*\.\s*([A-Za-z]+)\s*\.\s*([A-Za-z]+)\s*\(/g)) found.add(`${m[1]}.${m[2]}`);
  return found;
}

for (const fn of FUNCTIONS) {
  const dir = `cloudfunctions/${fn}`;
  const config = readJson(`${dir}/config.json`);
  const pkg = readJson(`${dir}/package.json`);
  if (pkg.dependencies?.['wx-server-sdk'] !== sdkVersion)
    errors.push(`${fn}: package.json must pin wx-server-sdk to exactly ${sdkVersion} (has ${pkg.dependencies?.['wx-server-sdk']})`);
  for (const [dep, version] of Object.entries(pkg.dependencies ?? {}))
    if (version !== tested[dep]) errors.push(`${fn}: package.json must pin ${dep} to exactly ${tested[dep] ?? '(not in the root package.json)'}, the version tested (has ${version})`);
  if (!Number.isInteger(config.timeout) || config.timeout < 1 || config.timeout > 60)
    errors.push(`${fn}: config.json timeout must be 1..60 s (has ${config.timeout})`);
  const triggers = config.triggers ?? [];
  const timers = triggers.filter((t) => t.type === 'timer');
  if (timers.length > 1) errors.push(`${fn}: a function may have one timer trigger (has ${timers.length})`);
  for (const t of timers) {
    if (String(t.config).trim().split(/\s+/).length !== 7) errors.push(`${fn}: timer "${t.name}" needs a 7-field cron expression`);
  }
  if (fn !== 'cron' && timers.length > 0) errors.push(`${fn}: only cron answers the timer`);
  if (fn === 'cron' && timers.length !== 1) errors.push('cron: needs its timer trigger');

  const bundle = join(root, dir, 'index.js');
  if (!existsSync(bundle)) {
    errors.push(`${fn}: no built index.js (run npm run build first)`);
    continue;
  }
  const called = openApisCalled(readFileSync(bundle, 'utf8'));
  const declared = new Set(config.permissions?.openapi ?? []);
  for (const api of called) if (!declared.has(api)) errors.push(`${fn}: calls openapi.${api} but config.json does not declare it`);
  for (const api of declared) if (!called.has(api)) warnings.push(`${fn}: declares ${api} but never calls it`);
  const requires = [...readFileSync(bundle, 'utf8').matchAll(/require\("([^".][^"]*)"\)/g)].map((m) => m[1]);
  const installed = new Set(Object.keys(pkg.dependencies ?? {}));
  const external = requires.filter((r) => !installed.has(r) && !/^(node:)?[a-z_]+$/.test(r));
  if (external.length) errors.push(`${fn}: bundle requires packages the cloud will not install: ${[...new Set(external)].join(', ')}`);
  console.log(`✓ ${fn}: timeout ${config.timeout} s, ${(statSync(bundle).size / 1024).toFixed(0)} KB bundle, openapi [${[...declared].join(', ')}], triggers [${triggers.map((t) => t.name).join(', ')}]`);
}

const { collections } = readJson('database/collections.json');
const rules = readJson('database/security-rules.json');
for (const name of Object.keys(collections)) {
  const rule = rules[name];
  if (!rule) errors.push(`database: collection ${name} has no security rule`);
  else if (rule.read !== false || rule.write !== false) errors.push(`database: collection ${name} is open to clients (${JSON.stringify(rule)})`);
}
for (const name of Object.keys(rules)) if (name !== '//' && !collections[name]) warnings.push(`database: rule for unknown collection ${name}`);
console.log(`✓ database: ${Object.keys(collections).length} collections, all closed to direct client access`);

for (const w of warnings) console.warn(`! ${w}`);
if (errors.length) {
  for (const e of errors) console.error(`✗ ${e}`);
  process.exit(1);
}

if (dryRun) {
  console.log('dry run: configuration is consistent; nothing was uploaded.');
  process.exit(0);
}

const appid = process.env.WCP_APPID;
const env = process.env.WCP_ENV;
const key = process.env.WCP_UPLOAD_KEY;
if (!appid || !env || !key) {
  console.error('Set WCP_APPID, WCP_ENV and WCP_UPLOAD_KEY (the upload key from a secret) to deploy, or pass --dry-run.');
  process.exit(2);
}
// The app talks to the real cloud environment in the uploaded build.
execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), '--mode=cloud', `--env=${env}`], { stdio: 'inherit' });
const ci = (await import('miniprogram-ci')).default;
const keyDir = mkdtempSync(join(tmpdir(), 'wcp-key-'));
const privateKeyPath = join(keyDir, 'upload.key');
writeFileSync(privateKeyPath, key, { mode: 0o600 });
try {
  const project = new ci.Project({
    appid,
    type: 'miniProgram',
    projectPath: root,
    privateKeyPath,
    ignores: ['node_modules/**/*'],
  });
  for (const fn of FUNCTIONS) {
    console.log(`uploading function ${fn} to ${env}…`);
    await ci.cloud.uploadFunction({ project, env, name: fn, path: join(root, 'cloudfunctions', fn), remoteNpmInstall: true });
  }
  const version = process.env.WCP_VERSION ?? rootPkg.version;
  console.log(`uploading the app ${version}…`);
  await ci.packNpmManually({
    packageJsonPath: join(root, 'package.json'),
    miniprogramNpmDistDir: join(root, 'miniprogram'),
  });
  // TDesign's icon stylesheet cut to the icons the app names: 110 KB → 9 KB of the main package.
  const { trimIcons } = await import('./trim-icons.mjs');
  trimIcons(root);
  await ci.upload({ project, version, desc: process.env.WCP_DESC ?? 'deploy', setting: { es6: true, minify: true } });
  console.log('done. Create the collections, indexes and security rules of database/ in the console if this environment is new.');
} finally {
  rmSync(keyDir, { recursive: true, force: true });
}
