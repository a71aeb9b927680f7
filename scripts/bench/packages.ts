/**
 * Package sizes from a real offline compile: miniprogram-ci's getCompiledResult compiles the app
 * as an upload would (TypeScript plugin, minification, unused-file filtering per
 * project.config.json) into a file map; the bytes of each file are summed per package (the main
 * package = everything outside a subpackage root, as WeChat splits it).
 *
 * Runs in its own process (main.ts spawns it, with a temporary working directory): miniprogram-ci
 * starts background network calls that may end in unhandled rejections, and compiling leaves an
 * empty 32-hex-digit folder in the working directory.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { figure, log, max, type Figure } from './report';

const KB = 1024;
export const MAIN_BUDGET = 500 * KB;
export const SUBPACKAGE_BUDGET = 1024 * KB;
const DEAD_PROXY = 'http://127.0.0.1:9';

interface AppJson {
  pages: string[];
  subPackages?: Array<{ root: string; name?: string; pages: string[] }>;
  subpackages?: Array<{ root: string; name?: string; pages: string[] }>;
}

export function readAppJson(root: string): AppJson {
  return JSON.parse(readFileSync(join(root, 'miniprogram/app.json'), 'utf8')) as AppJson;
}

export function subpackagesOf(app: AppJson): Array<{ root: string; name: string }> {
  return (app.subPackages ?? app.subpackages ?? []).map((p) => ({ root: p.root.replace(/^\/+|\/+$/g, ''), name: p.name ?? p.root }));
}

/** miniprogram/miniprogram_npm as test/component/global-setup.ts keeps it: rebuilt when a version changes. */
export function ensureMiniprogramNpm(root: string): void {
  const npmDir = join(root, 'miniprogram/miniprogram_npm');
  const stampFile = join(npmDir, '.built-from');
  const version = (name: string): string =>
    (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  const want = `tdesign-miniprogram@${version('tdesign-miniprogram')} dayjs@${version('dayjs')}\n`;
  const have = existsSync(stampFile) ? readFileSync(stampFile, 'utf8') : '';
  if (have !== want || !existsSync(join(npmDir, 'tdesign-miniprogram/button/button.js'))) {
    log('building miniprogram_npm (test/component/pack-npm.mjs)…');
    execFileSync(process.execPath, [join(root, 'test/component/pack-npm.mjs')], { stdio: ['ignore', 'ignore', 'inherit'], cwd: root });
    writeFileSync(stampFile, want);
  }
  // As the deploy ships it: TDesign's icon stylesheet cut to the icons the app names (a build
  // kept from before, or DevTools' "构建 npm", has the full one).
  execFileSync(process.execPath, [join(root, 'scripts/trim-icons.mjs')], { stdio: ['ignore', 'inherit', 'inherit'], cwd: root });
}

interface Ci {
  proxy(url: string): void;
  DefaultProjectAttr: unknown;
  Project: new (o: Record<string, unknown>) => unknown;
  getCompiledResult(o: Record<string, unknown>, savePath?: string): Promise<Record<string, string | Buffer>>;
}

export interface PackageSizes {
  files: Record<string, number>;
  packages: Array<{ name: string; root: string; bytes: number; files: number }>;
  zipBytes: number;
  compileMs: number;
}

export async function compileSizes(root: string, zipPath: string): Promise<PackageSizes> {
  for (const k of ['HTTPS_PROXY', 'HTTP_PROXY', 'https_proxy', 'http_proxy']) process.env[k] = DEAD_PROXY;
  process.on('unhandledRejection', () => undefined);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS package, loaded after the proxy is set
  const ci = require('miniprogram-ci') as Ci;
  ci.proxy(DEAD_PROXY);
  const project = new ci.Project({
    appid: 'touristappid',
    type: 'miniProgram',
    projectPath: root,
    // No upload happens: the key is never used, but the constructor insists on one.
    privateKey: 'offline-compile-no-key',
    // Undocumented: without it the project asks WeChat's servers for its attributes.
    attr: async () => ci.DefaultProjectAttr,
    ignores: ['node_modules/**/*', '.bench/**/*', '.local-cloud/**/*', 'screenshots/**/*', 'coverage/**/*'],
  });
  const t0 = Date.now();
  const result = await ci.getCompiledResult(
    { project, version: '0.0.0-bench', desc: 'bench', setting: { useProjectConfig: true }, onProgressUpdate: () => undefined },
    zipPath,
  );
  const compileMs = Date.now() - t0;

  const files: Record<string, number> = {};
  for (const [path, content] of Object.entries(result)) files[path.replace(/^\.\//, '')] = Buffer.byteLength(content);
  const subs = subpackagesOf(readAppJson(root));
  const packages = [{ name: 'main', root: '', bytes: 0, files: 0 }, ...subs.map((s) => ({ name: s.name, root: s.root, bytes: 0, files: 0 }))];
  for (const [path, bytes] of Object.entries(files)) {
    const pkg = packages.find((p) => p.root !== '' && path.startsWith(`${p.root}/`)) ?? packages[0]!;
    pkg.bytes += bytes;
    pkg.files += 1;
  }
  return { files, packages, zipBytes: existsSync(zipPath) ? statSync(zipPath).size : 0, compileMs };
}

export async function packagesStage(root: string, workDir: string): Promise<{ figures: Figure[]; detail: unknown }> {
  ensureMiniprogramNpm(root);
  const sizes = await compileSizes(root, join(workDir, 'compiled.zip'));
  log(`compiled the app offline in ${sizes.compileMs} ms`);
  // The biggest contributors by folder (a TDesign component, a page, core/…), for the notes and the JSON.
  const byFolder: Record<string, number> = {};
  for (const [path, bytes] of Object.entries(sizes.files)) {
    const sub = sizes.packages.find((q) => q.root !== '' && path.startsWith(`${q.root}/`));
    const parts = (sub ? path.slice(sub.root.length + 1) : path).split('/');
    const depth = parts[0] === 'miniprogram_npm' ? 3 : Math.min(2, parts.length - 1) || 1;
    const key = [...(sub ? [sub.root] : []), ...parts.slice(0, depth)].join('/');
    byFolder[key] = (byFolder[key] ?? 0) + bytes;
  }
  const biggest = Object.entries(byFolder).sort((a, b) => b[1] - a[1]);
  const kb = (n: number): string => `${(n / KB).toFixed(1)} KB`;

  const figures: Figure[] = [];
  let total = 0;
  for (const p of sizes.packages) {
    total += p.bytes;
    const isMain = p.root === '';
    const top = biggest
      .filter(([folder]) => (isMain ? !sizes.packages.some((q) => q.root !== '' && folder.startsWith(q.root)) : folder.startsWith(p.root)))
      .slice(0, 3)
      .map(([folder, bytes]) => `${folder.replace('miniprogram_npm/', '')} ${kb(bytes)}`);
    figures.push(
      figure('packages', isMain ? 'main package' : `subpackage ${p.root}`, p.bytes, 'B', max(isMain ? MAIN_BUDGET : SUBPACKAGE_BUDGET), {
        note: `${p.files} files; largest: ${top.join(', ')}`,
      }),
    );
  }
  figures.push(figure('packages', 'all packages', total, 'B', null, { note: `zip ${(sizes.zipBytes / KB).toFixed(1)} KB; platform limit 2 MB per package` }));
  return { figures, detail: { compileMs: sizes.compileMs, zipBytes: sizes.zipBytes, packages: sizes.packages, biggest: biggest.slice(0, 20) } };
}
