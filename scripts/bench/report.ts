/**
 * Figures, budgets and the printed table. Every stage answers a list of Figure rows; main.ts
 * prints them and writes the same rows to .bench/results.json.
 */
import os from 'node:os';

export type Op = '<=' | '<' | '==' | '>=';

export interface Budget {
  op: Op;
  value: number;
}

export interface Figure {
  /** The stage that measured it: packages, functions, pages, scale, engine, results. */
  stage: string;
  /** What was measured, e.g. "main package" or "pages/home/index: cloud calls". */
  name: string;
  /** null when not measured (n/a). */
  value: number | null;
  /** B (shown as KB), ms, count, req/s, s. */
  unit: 'B' | 'ms' | 'count' | 'req/s' | 's' | 'text';
  budget: Budget | null;
  /** true/false against the budget; null when there is no budget or no value. */
  pass: boolean | null;
  /** Shown instead of the value (e.g. "n/a (not built yet)"). */
  display?: string;
  note?: string;
}

export function check(value: number | null, budget: Budget | null): boolean | null {
  if (value === null || budget === null) return null;
  switch (budget.op) {
    case '<=':
      return value <= budget.value;
    case '<':
      return value < budget.value;
    case '==':
      return value === budget.value;
    case '>=':
      return value >= budget.value;
  }
}

export function figure(
  stage: string,
  name: string,
  value: number | null,
  unit: Figure['unit'],
  budget: Budget | null = null,
  extra: { note?: string; display?: string } = {},
): Figure {
  const f: Figure = { stage, name, value, unit, budget, pass: check(value, budget) };
  if (extra.note) f.note = extra.note;
  if (extra.display) f.display = extra.display;
  return f;
}

export const max = (value: number): Budget => ({ op: '<=', value });
export const below = (value: number): Budget => ({ op: '<', value });
export const exactly = (value: number): Budget => ({ op: '==', value });

export function formatValue(value: number | null, unit: Figure['unit']): string {
  if (value === null) return 'n/a';
  switch (unit) {
    case 'B':
      return value < 1024 ? `${value} B` : `${(value / 1024).toFixed(1)} KB`;
    case 'ms':
      return `${value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0)} ms`;
    case 'req/s':
      return `${value.toFixed(1)} req/s`;
    case 's':
      return `${value.toFixed(1)} s`;
    default:
      return String(value);
  }
}

export function formatBudget(f: Figure): string {
  if (!f.budget) return '—';
  const op = f.budget.op === '<=' ? '≤' : f.budget.op === '>=' ? '≥' : f.budget.op === '==' ? '=' : '<';
  return `${op} ${formatValue(f.budget.value, f.unit)}`;
}

export function mark(f: Figure): string {
  return f.pass === null ? '' : f.pass ? 'pass' : 'FAIL';
}

/** A plain text table (fixed columns, CJK-safe enough: our names are ASCII). */
export function table(figures: Figure[]): string {
  const rows = figures.map((f) => [f.stage, f.name, f.display ?? formatValue(f.value, f.unit), formatBudget(f), mark(f), f.note ?? '']);
  const head = ['stage', 'figure', 'value', 'budget', 'mark', 'note'];
  const width = (s: string): number => [...s].reduce((w, ch) => w + (/[\u1100-\uffff]/.test(ch) && !/[≤≥—]/.test(ch) ? 2 : 1), 0);
  const pad = (s: string, n: number): string => s + ' '.repeat(Math.max(0, n - width(s)));
  const widths = head.map((h, i) => Math.min(i === 5 ? 200 : 60, Math.max(width(h), ...rows.map((r) => width(r[i] ?? '')))));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => pad(c, widths[i] ?? 0))
      .join(' | ')
      .trimEnd();
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('-|-')];
  let stage = '';
  for (const r of rows) {
    if (r[0] !== stage && stage !== '') out.push(widths.map((w) => '-'.repeat(w)).join('-|-'));
    stage = r[0] ?? '';
    out.push(line(r));
  }
  return out.join('\n');
}

export interface Machine {
  cpu: string;
  cores: number;
  node: string;
  platform: string;
  memoryGB: number;
  /** 1-minute load average when the run started (other work on the machine skews timings). */
  loadAverage: number;
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    memoryGB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    loadAverage: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
  };
}

// ---- statistics -------------------------------------------------------------------------------

export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  // nearest rank: the smallest value with at least q of the samples at or below it
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] as number;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export function summary(xs: number[]): { n: number; p50: number; p90: number; p99: number; max: number; mean: number } {
  const s = [...xs].sort((a, b) => a - b);
  return {
    n: s.length,
    p50: quantile(s, 0.5),
    p90: quantile(s, 0.9),
    p99: quantile(s, 0.99),
    max: s[s.length - 1] ?? NaN,
    mean: s.reduce((a, b) => a + b, 0) / Math.max(1, s.length),
  };
}

export const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** Small deterministic PRNG (mulberry32): the same data every run. */
export function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}
