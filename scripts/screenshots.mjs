#!/usr/bin/env node
// `npm run screenshots`: every page of app.json (subpackages included) rendered in its filled
// (local cloud + demo data), loading, error and empty states, dumped to HTML by
// test/component/dump.ts (jest: test/bench/screens.bench.ts) and screenshotted with Debian's
// headless Chromium into screenshots/ (git-ignored), with screenshots/index.html to browse them.
//
// The dumps style 1rpx as 1px, so a 750 px wide window is a phone's 375 pt screen at device scale
// 2: the PNGs are 750×1624, an iPhone X-class first screen (375×812 @2x).
//
// Installs Chromium and a Chinese font with apt-get when they are missing (Debian's Chromium has
// no CJK font: every label would be a box).
//   node scripts/screenshots.mjs [--only=<substring of a page path>] [--no-install]
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { setTimeout, clearTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'screenshots');
const htmlDir = join(outDir, 'html');
const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')).map(([k, v]) => [k, v ?? 'true']));
const WIDTH = 750;
const HEIGHT = 1624;
const PARALLEL = 2;

const say = (line) => process.stderr.write(`[screenshots] ${line}\n`);

function has(cmd, cmdArgs) {
  const r = spawnSync(cmd, cmdArgs, { encoding: 'utf8' });
  return r.status === 0 ? r.stdout : null;
}

function ensureTools() {
  const chromium = has('sh', ['-c', 'command -v chromium']);
  const cjk = (has('fc-list', [':lang=zh']) ?? '').trim();
  const missing = [...(chromium ? [] : ['chromium']), ...(cjk ? [] : ['fonts-noto-cjk'])];
  if (missing.length === 0) return;
  if (args['no-install']) throw new Error(`missing: ${missing.join(', ')} (apt-get install -y ${missing.join(' ')})`);
  say(`installing ${missing.join(', ')} with apt-get…`);
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const run = (cmd) => execFileSync(sudo.length ? 'sudo' : cmd[0], sudo.length ? cmd : cmd.slice(1), { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  run(['apt-get', 'update']);
  run(['apt-get', 'install', '-y', '--no-install-recommends', ...missing]);
  if (missing.includes('fonts-noto-cjk')) spawnSync('fc-cache', ['-f'], { stdio: 'ignore' });
}

function renderHtml() {
  say('building, then rendering every page and state (jest: test/bench/screens.bench.ts)…');
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const jestArgs = [join(root, 'node_modules/jest/bin/jest.js'), '-c', join(root, 'test/bench/jest.config.js'), join(root, 'test/bench/screens.bench.ts')];
  if (args.only) jestArgs.push('-t', args.only);
  const r = spawnSync(process.execPath, jestArgs, {
    cwd: root,
    env: { ...process.env, TZ: 'UTC', WCP_BENCH_SKIP_BUILD: '1', WCP_SCREENS_DIR: htmlDir },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (!existsSync(join(htmlDir, 'manifest.json'))) throw new Error(`jest wrote no manifest (exit ${r.status})`);
  if (r.status !== 0) {
    say('some renders failed (see above); screenshotting the rest');
    process.exitCode = 1;
  }
  return JSON.parse(readFileSync(join(htmlDir, 'manifest.json'), 'utf8'));
}

// What the dumps lack for a faithful picture, added to each HTML before its screenshot:
//  - <page> is the root of the screen on a phone: a first child's top margin must not collapse
//    through it (the dump's white <body> would show above the page's background);
//  - WeChat's own style for a native <button>: its border is drawn by ::after (TDesign sets only
//    the border's colour, width and radius), so outline buttons would have no border;
//  - TDesign's icon font is loaded from tdesign.gtimg.com, which the screenshot cannot reach:
//    the icons in use get a stand-in character (others stay boxes).
const ICONS = {
  'chevron-right': '›',
  'chevron-left': '‹',
  'chevron-down': '⌄',
  'chevron-up': '⌃',
  search: '⌕',
  'error-circle': '!',
  'error-circle-filled': '!',
  'info-circle': 'i',
  'info-circle-filled': 'i',
  'close-circle-filled': '×',
  close: '×',
  check: '✓',
  'check-circle': '✓',
  'check-circle-filled': '✓',
  add: '+',
  'time': '◷',
  image: '▣',
  'video': '▶',
  delete: '×',
  'qrcode': '▦',
};
const PLATFORM_CSS = `
page { display: flow-root !important; }
wx-button { position: relative; }
wx-button::after { content: " "; width: 200%; height: 200%; position: absolute; top: 0; left: 0;
  border: 1px solid rgba(0,0,0,.2); transform: scale(.5); transform-origin: 0 0; box-sizing: border-box; border-radius: 10px; pointer-events: none; }
${Object.entries(ICONS)
  .map(([name, ch]) => `[class*="t-icon-${name} "]::before, [class$="t-icon-${name}"]::before { content: "${ch}" !important; font-family: sans-serif !important; font-weight: 600; }`)
  .join('\n')}
`;

function withPlatformStyles(html) {
  const text = readFileSync(html, 'utf8');
  if (text.includes('data-screenshot-platform')) return;
  writeFileSync(html, text.replace('<title>', `<style data-screenshot-platform>${PLATFORM_CSS}</style>\n<title>`));
}

function screenshot(html, png) {
  withPlatformStyles(html);
  return new Promise((resolve) => {
    const profile = mkdtempSync(join(tmpdir(), 'wcp-chromium-'));
    const child = spawn(
      'chromium',
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--hide-scrollbars',
        '--force-device-scale-factor=1',
        `--user-data-dir=${profile}`,
        `--screenshot=${png}`,
        `--window-size=${WIDTH},${HEIGHT}`,
        `file://${html}`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60000);
    child.on('close', (code) => {
      clearTimeout(timer);
      rmSync(profile, { recursive: true, force: true });
      const ok = existsSync(png) && statSync(png).size > 0;
      resolve(ok ? null : `chromium exited ${code}: ${stderr.split('\n').filter(Boolean).slice(-2).join(' ')}`);
    });
  });
}

async function main() {
  ensureTools();
  mkdirSync(outDir, { recursive: true });
  if (!args.only) for (const f of readdirSync(outDir)) if (f.endsWith('.png')) rmSync(join(outDir, f));
  const manifest = renderHtml();
  const shots = manifest.shots.filter((s) => s.html);
  say(`screenshotting ${shots.length} dumps at ${WIDTH}×${HEIGHT}…`);
  const failures = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (next < shots.length) {
        const shot = shots[next++];
        shot.png = join(outDir, basename(shot.html).replace(/\.html$/, '.png'));
        const error = await screenshot(shot.html, shot.png);
        if (error) {
          failures.push(`${shot.page} ${shot.state}: ${error}`);
          shot.png = null;
        }
      }
    }),
  );

  // A contact sheet to look through them.
  const byPage = new Map();
  for (const s of manifest.shots) byPage.set(s.page, [...(byPage.get(s.page) ?? []), s]);
  const esc = (t) => String(t).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
  const sections = [...byPage]
    .map(
      ([page, list]) =>
        `<h2>${esc(page)}</h2><div class="row">${list
          .map((s) =>
            s.png
              ? `<figure><a href="${esc(basename(s.png))}"><img src="${esc(basename(s.png))}" width="300"></a><figcaption>${esc(s.state)}${s.identity ? ` · ${esc(s.identity)}` : ''}</figcaption></figure>`
              : `<p class="note">${esc(s.state)}: ${esc(s.note ?? 'no screenshot')}</p>`,
          )
          .join('')}</div>`,
    )
    .join('\n');
  writeFileSync(
    join(outDir, 'index.html'),
    `<!doctype html><meta charset="utf-8"><title>Screenshots</title><style>body{font:14px sans-serif;margin:16px}.row{display:flex;flex-wrap:wrap;gap:12px}figure{margin:0}img{border:1px solid #ccc}figcaption{text-align:center}.note{color:#888}</style><h1>Screenshots ${esc(new Date().toISOString())}</h1>${sections}\n`,
  );
  writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

  const made = manifest.shots.filter((s) => s.png).length;
  say(`${made} screenshots in ${outDir} (open screenshots/index.html)`);
  for (const s of manifest.shots.filter((x) => !x.html)) say(`  no ${s.state} for ${s.page}: ${s.note}`);
  for (const f of failures) say(`  FAILED ${f}`);
  if (failures.length) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
