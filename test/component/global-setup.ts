/**
 * Makes sure miniprogram/miniprogram_npm exists and matches the installed TDesign and dayjs, the
 * way DevTools' "构建 npm" would leave it: pages render their real TDesign components in tests.
 * Built once (4–7 s, offline) and kept; rebuilt only when a version changes.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '../..');
const npmDir = join(root, 'miniprogram/miniprogram_npm');
const stampFile = join(npmDir, '.built-from');

function installed(): string {
  const version = (name: string): string =>
    (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  return `tdesign-miniprogram@${version('tdesign-miniprogram')} dayjs@${version('dayjs')}\n`;
}

export function ensureMiniprogramNpm(): void {
  const want = installed();
  const have = existsSync(stampFile) ? readFileSync(stampFile, 'utf8') : '';
  if (have === want && existsSync(join(npmDir, 'tdesign-miniprogram/button/button.js'))) return;
  execFileSync(process.execPath, [join(__dirname, 'pack-npm.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
  writeFileSync(stampFile, want);
}

export default function globalSetup(): void {
  ensureMiniprogramNpm();
}
