/**
 * `npm run bench`: runs every stage, prints one table and writes the same figures to
 * .bench/results.json, each beside its budget with a pass/fail mark, plus the machine and date.
 * Bundled by scripts/bench/run.mjs into .bench/build/main.js and run from there.
 *
 *   npm run bench [-- --only=packages,functions,pages,scale,engine,results] [--burst-seconds=60]
 *                    [--workers=2000] [--catalogue=10000] [--strict]
 *
 * Each stage runs in its own process (`main.js --stage=<name> --out=<file>`), so one stage's heap,
 * threads and unhandled rejections (miniprogram-ci) never touch another's timings.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { engineStage } from './engine';
import { functionsStage } from './functions';
import { packagesStage } from './packages';
import { below, figure, log, machine, max, table, type Figure } from './report';
import { resultsStage } from './results';
import { DEFAULT_SCALE, scaleStage, type ScaleOptions } from './scale';
import { LIMITS } from '../../miniprogram/core/limits';

/** The repository root: this file runs as <root>/.bench/build/main.js. */
const ROOT = resolve(__dirname, '..', '..');
const OUT_DIR = join(ROOT, '.bench');
const STAGES = ['packages', 'functions', 'pages', 'scale', 'engine', 'results'] as const;
type StageName = (typeof STAGES)[number];
const STAGE_TIMEOUT_MS = 8 * 60 * 1000;

interface StageResult {
  figures: Figure[];
  detail: unknown;
}

function parseArgs(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of argv) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(a);
    if (!m?.[1]) throw new Error(`unknown argument ${a}`);
    out[m[1]] = m[2] ?? 'true';
  }
  return out;
}

function scaleOptions(args: Record<string, string>): ScaleOptions {
  const num = (k: string, d: number): number => {
    if (args[k] === undefined) return d;
    const n = Number(args[k]);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${k} must be a positive number`);
    return n;
  };
  return {
    workers: num('workers', DEFAULT_SCALE.workers),
    capacity: num('capacity', DEFAULT_SCALE.capacity),
    burstSeconds: num('burst-seconds', DEFAULT_SCALE.burstSeconds),
    saturationConcurrency: num('concurrency', DEFAULT_SCALE.saturationConcurrency),
    catalogue: num('catalogue', DEFAULT_SCALE.catalogue),
  };
}

// ---- inside a stage process -----------------------------------------------------------------

async function runStage(name: StageName, args: Record<string, string>): Promise<StageResult> {
  switch (name) {
    case 'packages':
      return packagesStage(ROOT, process.cwd());
    case 'functions':
      return functionsStage(ROOT);
    case 'scale':
      return scaleStage(scaleOptions(args));
    case 'engine':
      return engineStage();
    case 'results':
      return resultsStage();
    case 'pages':
      throw new Error('the pages stage runs jest from the main process');
  }
}

// ---- the pages stage: jest with test/bench/jest.config.js -------------------------------------

interface PageRow {
  page: string;
  pkg: string;
  identity: string;
  calls: number;
  engineReads: number;
  engineWrites: number;
  setDataCount: number;
  firstSetDataBytes: number;
  maxSetDataBytes: number;
  nodes: number;
  showsError: boolean;
  local?: boolean;
  text: string;
}

function pagesStage(): StageResult {
  const out = join(OUT_DIR, 'pages.json');
  rmSync(out, { force: true });
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/jest/bin/jest.js'), '-c', join(ROOT, 'test/bench/jest.config.js'), join(ROOT, 'test/bench/pages.bench.ts')],
    { cwd: ROOT, env: { ...process.env, TZ: 'UTC', WCP_BENCH_SKIP_BUILD: '1', WCP_BENCH_PAGES_OUT: out }, stdio: ['ignore', 'ignore', 'inherit'], timeout: STAGE_TIMEOUT_MS },
  );
  if (!existsSync(out)) throw new Error(`jest wrote no ${out} (exit ${String(r.status)})`);
  const { pages } = JSON.parse(readFileSync(out, 'utf8')) as { pages: PageRow[] };
  const figures: Figure[] = [];
  const S = 'pages';
  for (const p of pages) {
    const calls = figure(S, `${p.page}: cloud calls`, p.calls, 'count', max(1), { note: `as ${p.identity}` });
    if (p.showsError) {
      calls.pass = false;
      calls.note = `the screen shows an error: ${p.text.slice(0, 60)}`;
    } else if (p.calls === 0 && !p.local) {
      // A page that needs a query and got none draws its "missing" state without calling: not a figure.
      calls.pass = null;
      calls.note = `no call: opened without the query it needs? (PAGE_SETUP in test/bench/live.ts) shows: ${p.text.slice(0, 40)}`;
    }
    figures.push(calls);
    figures.push(figure(S, `${p.page}: database operations`, p.engineReads + p.engineWrites, 'count', null, { note: `${p.engineReads} reads, ${p.engineWrites} writes` }));
    figures.push(figure(S, `${p.page}: first setData`, p.firstSetDataBytes, 'B', max(LIMITS.setDataBudgetBytes), { note: `${p.setDataCount} setData in all` }));
    figures.push(figure(S, `${p.page}: biggest setData`, p.maxSetDataBytes, 'B', max(LIMITS.setDataBudgetBytes)));
    figures.push(figure(S, `${p.page}: WXML nodes`, p.nodes, 'count', below(1000)));
  }
  if (r.status !== 0) figures.push(figure(S, 'jest run', r.status, 'count', { op: '==', value: 0 }, { note: 'a page failed to render: see the output above' }));
  return { figures, detail: { pages } };
}

// ---- the orchestrator -----------------------------------------------------------------------

function runStageProcess(name: StageName, args: Record<string, string>): StageResult {
  const work = mkdtempSync(join(tmpdir(), `wcp-bench-${name}-`));
  const outFile = join(work, 'stage.json');
  const passthrough = Object.entries(args)
    .filter(([k]) => !['only', 'strict', 'stage', 'out'].includes(k))
    .map(([k, v]) => `--${k}=${v}`);
  try {
    const r = spawnSync(process.execPath, ['--enable-source-maps', __filename, `--stage=${name}`, `--out=${outFile}`, ...passthrough], {
      // miniprogram-ci leaves a 32-hex-digit folder in its working directory: keep it out of the repo.
      cwd: work,
      env: { ...process.env, TZ: 'UTC' },
      stdio: ['ignore', 'inherit', 'inherit'],
      timeout: STAGE_TIMEOUT_MS,
    });
    if (!existsSync(outFile)) throw new Error(`stage ${name} failed (exit ${String(r.status)}${r.signal ? `, ${r.signal}` : ''})`);
    return JSON.parse(readFileSync(outFile, 'utf8')) as StageResult;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function orchestrate(args: Record<string, string>): Promise<number> {
  const only = args.only ? (args.only.split(',').map((s) => s.trim()) as StageName[]) : [...STAGES];
  for (const s of only) if (!STAGES.includes(s)) throw new Error(`unknown stage ${s}; stages: ${STAGES.join(', ')}`);
  const started = new Date();
  const m = machine();
  log(`${m.cpu}, ${m.cores} cores, Node ${m.node}; stages: ${only.join(', ')}`);
  const figures: Figure[] = [];
  const stages: Record<string, { seconds: number; detail?: unknown; error?: string }> = {};
  for (const name of STAGES) {
    if (!only.includes(name)) continue;
    const t0 = Date.now();
    log(`stage ${name}…`);
    try {
      const r = name === 'pages' ? pagesStage() : runStageProcess(name, args);
      figures.push(...r.figures);
      stages[name] = { seconds: (Date.now() - t0) / 1000, detail: r.detail };
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      figures.push(figure(name, `stage ${name}`, null, 'text', null, { display: 'error', note: message.split('\n')[0] ?? '' }));
      figures[figures.length - 1]!.pass = false;
      stages[name] = { seconds: (Date.now() - t0) / 1000, error: message };
    }
    log(`stage ${name} done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  const durationS = (Date.now() - started.getTime()) / 1000;
  const loadAtEnd = Math.round((loadavg()[0] ?? 0) * 100) / 100;
  const failed = figures.filter((f) => f.pass === false);

  const header = [
    `Benchmark ${started.toISOString()} on ${m.cpu} (${m.cores} cores, ${m.memoryGB} GB), Node ${m.node}, ${m.platform}; ${durationS.toFixed(0)} s; load average ${m.loadAverage} at start, ${loadAtEnd} at end`,
    '',
  ];
  process.stdout.write(`${header.join('\n')}${table(figures)}\n\n`);
  process.stdout.write(failed.length ? `${failed.length} figure(s) over budget or failed:\n${failed.map((f) => `  - ${f.stage}: ${f.name}`).join('\n')}\n` : 'Every figure is within its budget.\n');

  mkdirSync(OUT_DIR, { recursive: true });
  const file = join(OUT_DIR, 'results.json');
  writeFileSync(
    file,
    `${JSON.stringify({ date: started.toISOString(), durationSeconds: Math.round(durationS), machine: { ...m, loadAverageAtEnd: loadAtEnd }, options: { stages: only, scale: scaleOptions(args) }, figures, failed: failed.map((f) => `${f.stage}: ${f.name}`), stages }, null, 2)}\n`,
  );
  process.stdout.write(`Written to ${file}\n`);
  return args.strict === 'true' && failed.length > 0 ? 1 : 0;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.stage) {
    const result = await runStage(args.stage as StageName, args);
    if (!args.out) throw new Error('--out is required with --stage');
    writeFileSync(args.out, JSON.stringify(result));
    // Stages may leave handles (miniprogram-ci's background calls): end the process.
    process.exit(0);
  }
  process.exitCode = await orchestrate(args);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
