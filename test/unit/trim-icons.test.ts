/**
 * scripts/trim-icons.mjs keeps every icon the app can show: the names written in the app's own
 * templates and those TDesign's components use for themselves, including the ones checkbox
 * builds by concatenation. Run as a process (the script is an ES module).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');

interface Report {
  kept: string[];
  glyphs: number;
  bytes: number;
  fullBytes: number;
}

const report = JSON.parse(execFileSync(process.execPath, [join(ROOT, 'scripts/trim-icons.mjs'), '--check', '--json'], { encoding: 'utf8' }).trim().split('\n').pop()!) as Report;

function wxmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'miniprogram_npm') return [];
    return statSync(path).isDirectory() ? wxmlFiles(path) : name.endsWith('.wxml') ? [path] : [];
  });
}

test('keeps every icon named in the app’s templates', () => {
  const named = new Set<string>();
  for (const file of wxmlFiles(join(ROOT, 'miniprogram'))) {
    const text = readFileSync(file, 'utf8');
    // <t-icon name="…">, and icon="…" on components (literal names, also inside a {{ … ? 'a' : 'b' }}).
    for (const m of text.matchAll(/<t-icon[^>]*\sname="([^"]+)"/g)) for (const w of m[1]!.match(/[a-z0-9-]{2,}/g) ?? []) named.add(w);
    for (const m of text.matchAll(/\sicon="([^"]+)"/g)) for (const w of m[1]!.match(/'([a-z0-9-]+)'|^([a-z0-9-]+)$/g) ?? []) named.add(w.replace(/'/g, ''));
  }
  named.delete('status');
  expect(named.size).toBeGreaterThan(3);
  const kept = new Set(report.kept);
  // A checkbox with icon="rectangle" draws check-rectangle-filled (a name TDesign concatenates).
  const missing = [...named].filter((n) => n !== 'rectangle' && !kept.has(n));
  expect(missing).toEqual([]);
});

test('keeps the icons TDesign’s components draw themselves', () => {
  for (const name of ['chevron-right', 'close-circle-filled', 'check-circle-filled', 'error-circle-filled', 'info-circle-filled', 'check', 'check-rectangle-filled', 'minus-rectangle-filled', 'search', 'close']) {
    expect(report.kept).toContain(name);
  }
});

test('leaves a tenth of the stylesheet or less', () => {
  expect(report.glyphs).toBeGreaterThan(2000);
  expect(report.bytes).toBeLessThan(report.fullBytes / 10);
});
