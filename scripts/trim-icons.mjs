#!/usr/bin/env node
// Trims TDesign's icon stylesheet in miniprogram/miniprogram_npm to the icons this app can name.
//
// Why: every TDesign component that can show an icon (button, cell, input, tag, …) uses t-icon,
// so its stylesheet (one `.t-icon-<name>:before` rule for each of ~2,350 glyphs, 110 KB) is in the
// main package whatever the pages do: a fifth of the 500 KB budget. The font itself is loaded
// from TDesign's CDN; only the rules are shipped.
//
// Which icons are kept: every glyph name that appears as a word in the app's own sources
// (miniprogram/, outside miniprogram_npm: `icon="scan"`, `name="check-circle-filled"`) or in
// TDesign's component sources (their built-in icons: `chevron-right`, `close-circle-filled`…),
// plus the names TDesign builds by concatenation in the same file ('check-' + icon + '-filled'
// in checkbox: every glyph starting with a literal 'x-' and ending with a literal '-y' of that
// file). Names the app computes at run time from data are not found: there are none (a test,
// test/unit/trim-icons.test.ts, checks the app's icon names are kept).
//
// The full stylesheet is always read from node_modules (the package as published), so running
// this again after a change is exact, never a trim of a trim. `--check` reports without writing; `--json` prints what is kept.
// Run by test/component/pack-npm.mjs after building miniprogram_npm, by the deploy before the
// upload, and by the bench before measuring. DevTools' own "构建 npm" leaves the full
// stylesheet: run `node scripts/trim-icons.mjs` after it.
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(here, '..');

const WORD = /[a-z0-9]+(?:-[a-z0-9]+)*/g;
const RULE = /\.t-icon-([a-z0-9-]+):before\{[^}]*\}\n?/g;

function* files(dir, exts, skip) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (skip(path)) continue;
    const st = statSync(path);
    if (st.isDirectory()) yield* files(path, exts, skip);
    else if (exts.some((e) => name.endsWith(e)) && !name.endsWith('.d.ts')) yield path;
  }
}

/** The glyph names a source text can name (words, and 'prefix-' … '-suffix' pairs of one file). */
export function namesIn(text, glyphs) {
  const out = new Set();
  for (const w of text.match(WORD) ?? []) if (glyphs.has(w)) out.add(w);
  const prefixes = [...text.matchAll(/['"`]([a-z0-9-]+-)['"`]/g)].map((m) => m[1]);
  const suffixes = [...text.matchAll(/['"`](-[a-z0-9-]+)['"`]/g)].map((m) => m[1]);
  if (prefixes.length && suffixes.length) {
    for (const g of glyphs) if (prefixes.some((p) => g.startsWith(p)) && suffixes.some((s) => g.endsWith(s))) out.add(g);
  }
  return out;
}

/** The trimmed stylesheet and what was kept, from the published one and the sources. */
export function trimmed(root = ROOT) {
  const dist = join(root, 'node_modules/tdesign-miniprogram/miniprogram_dist');
  const full = readFileSync(join(dist, 'icon/icon.wxss'), 'utf8');
  const glyphs = new Set([...full.matchAll(RULE)].map((m) => m[1]));
  const keep = new Set();
  const sources = [
    ...files(join(root, 'miniprogram'), ['.ts', '.wxml', '.json', '.wxs'], (p) => p.includes('miniprogram_npm')),
    // TDesign's own sources, but not the icon component's (its stylesheet names every glyph).
    ...files(dist, ['.js', '.wxml', '.wxs', '.json'], (p) => p === join(dist, 'icon') || p === join(dist, 'miniprogram_npm')),
  ];
  for (const file of sources) for (const n of namesIn(readFileSync(file, 'utf8'), glyphs)) keep.add(n);
  const css = full.replace(RULE, (rule, name) => (keep.has(name) ? rule : ''));
  return { css, fullBytes: Buffer.byteLength(full), bytes: Buffer.byteLength(css), glyphs: glyphs.size, kept: [...keep].sort() };
}

/** Writes the trimmed stylesheet into miniprogram_npm (atomically; only when it changed). */
export function trimIcons(root = ROOT, { write = true } = {}) {
  const target = join(root, 'miniprogram/miniprogram_npm/tdesign-miniprogram/icon/icon.wxss');
  if (!existsSync(target)) return null;
  const t = trimmed(root);
  const changed = readFileSync(target, 'utf8') !== t.css;
  if (write && changed) {
    const tmp = `${target}.${process.pid}.tmp`;
    writeFileSync(tmp, t.css);
    renameSync(tmp, target);
  }
  return { ...t, changed };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = trimIcons(ROOT, { write: !process.argv.includes('--check') });
  if (process.argv.includes('--json')) {
    const t = r ?? trimmed(ROOT);
    console.log(JSON.stringify({ kept: t.kept, glyphs: t.glyphs, bytes: t.bytes, fullBytes: t.fullBytes }));
  } else if (!r) {
    console.log('no miniprogram_npm yet: build it first (node test/component/pack-npm.mjs)');
  } else {
    const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
    console.log(`TDesign icons: kept ${r.kept.length} of ${r.glyphs} glyph rules, ${kb(r.fullBytes)} → ${kb(r.bytes)}${r.changed ? '' : ' (already so)'}`);
  }
}
