/**
 * Timer triggers: WeChat's 7-field cron (second minute hour day month weekday year), read in
 * UTC+8 (functions/triggers.md), and a scheduler that fires each function's trigger on the local
 * cloud's clock.
 */

export interface CronSpec {
  second: Set<number>;
  minute: Set<number>;
  hour: Set<number>;
  day: Set<number>;
  month: Set<number>;
  weekday: Set<number>;
  year: Set<number> | null;
  dayRestricted: boolean;
  weekdayRestricted: boolean;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

export class CronError extends Error {
  override name = 'CronError';
}

function field(text: string, min: number, max: number, names: string[] | null, nameBase: number): { set: Set<number>; any: boolean } {
  const set = new Set<number>();
  let any = false;
  const num = (s: string): number => {
    const upper = s.toUpperCase();
    if (names) {
      const i = names.indexOf(upper);
      if (i >= 0) return i + nameBase;
    }
    if (!/^\d+$/.test(s)) throw new CronError(`"${s}" is not a number`);
    const n = Number(s);
    if (n < min || n > max) throw new CronError(`${n} is outside ${min}–${max}`);
    return n;
  };
  for (const item of text.split(',')) {
    if (item === '') throw new CronError(`empty item in "${text}"`);
    const [range = '', stepText] = item.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new CronError(`bad step in "${item}"`);
    let lo: number;
    let hi: number;
    if (range === '*' || range === '?') {
      lo = min;
      hi = max;
      if (stepText === undefined) any = true;
    } else if (range.includes('-')) {
      const [a = '', b = ''] = range.split('-');
      lo = num(a);
      hi = num(b);
      if (lo > hi) throw new CronError(`bad range "${range}"`);
    } else {
      lo = num(range);
      hi = stepText === undefined ? lo : max;
    }
    for (let v = lo; v <= hi; v += step) set.add(v);
  }
  return { set, any };
}

export function parseCron(expr: string): CronSpec {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 7) throw new CronError(`a timer trigger needs 7 fields (s m h D M W Y), got ${parts.length}: "${expr}"`);
  const [s = '', m = '', h = '', d = '', mo = '', w = '', y = ''] = parts;
  const day = field(d, 1, 31, null, 0);
  const weekday = field(w, 0, 7, DAYS, 0);
  if (weekday.set.has(7)) {
    weekday.set.delete(7);
    weekday.set.add(0);
  }
  const year = field(y, 1970, 2099, null, 0);
  return {
    second: field(s, 0, 59, null, 0).set,
    minute: field(m, 0, 59, null, 0).set,
    hour: field(h, 0, 23, null, 0).set,
    day: day.set,
    month: field(mo, 1, 12, MONTHS, 1).set,
    weekday: weekday.set,
    year: year.any ? null : year.set,
    dayRestricted: !day.any,
    weekdayRestricted: !weekday.any,
  };
}

const UTC8 = 8 * 3600 * 1000;

/** Whether the second starting at epoch ms `t` matches `spec`, read in UTC+8. */
export function cronMatches(spec: CronSpec, t: number): boolean {
  const d = new Date(t + UTC8);
  if (!spec.second.has(d.getUTCSeconds())) return false;
  if (!spec.minute.has(d.getUTCMinutes())) return false;
  if (!spec.hour.has(d.getUTCHours())) return false;
  if (!spec.month.has(d.getUTCMonth() + 1)) return false;
  if (spec.year && !spec.year.has(d.getUTCFullYear())) return false;
  const dayOk = spec.day.has(d.getUTCDate());
  const wdOk = spec.weekday.has(d.getUTCDay());
  // as in classic cron: when both are restricted, either matches
  if (spec.dayRestricted && spec.weekdayRestricted) return dayOk || wdOk;
  return dayOk && wdOk;
}

/** The next second (epoch ms, after `from`) that matches, within `horizonMs`; null if none. */
export function nextFire(spec: CronSpec, from: number, horizonMs = 366 * 24 * 3600 * 1000): number | null {
  let t = Math.floor(from / 1000) * 1000 + 1000;
  const end = from + horizonMs;
  while (t <= end) {
    const d = new Date(t + UTC8);
    // skip whole minutes/hours that cannot match, to keep this fast
    if (!spec.hour.has(d.getUTCHours())) {
      t += (60 - d.getUTCMinutes()) * 60000 - d.getUTCSeconds() * 1000;
      continue;
    }
    if (!spec.minute.has(d.getUTCMinutes())) {
      t += (60 - d.getUTCSeconds()) * 1000;
      continue;
    }
    if (cronMatches(spec, t)) return t;
    t += 1000;
  }
  return null;
}

/** The event a timer trigger passes to the function (SCF timer trigger format). */
export function timerEvent(triggerName: string, t: number): Record<string, string> {
  return {
    Type: 'Timer',
    TriggerName: triggerName,
    Time: new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    Message: '',
  };
}

export interface SchedulerOptions {
  now: () => number;
  /** the functions with a timer trigger, re-read now and then */
  triggers: () => Array<{ fn: string; name: string; cron: string }>;
  fire: (fn: string, triggerName: string, t: number) => void;
  onError: (message: string) => void;
}

/** Fires each function's timer trigger on the clock (now() includes the offset). */
export class Scheduler {
  private timer: NodeJS.Timeout | null = null;
  private last = 0;
  private specs: Array<{ fn: string; name: string; spec: CronSpec }> = [];
  private specsAt = 0;
  private readonly bad = new Set<string>();

  constructor(private readonly opts: SchedulerOptions) {}

  start(): void {
    if (this.timer) return;
    this.last = Math.floor(this.opts.now() / 1000);
    this.timer = setInterval(() => this.tick(), 250);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private refresh(): void {
    const specs: typeof this.specs = [];
    for (const t of this.opts.triggers()) {
      try {
        specs.push({ fn: t.fn, name: t.name, spec: parseCron(t.cron) });
      } catch (e) {
        const key = `${t.fn}:${t.cron}`;
        if (!this.bad.has(key)) {
          this.bad.add(key);
          this.opts.onError(`timer trigger of ${t.fn} ignored: ${(e as Error).message}`);
        }
      }
    }
    this.specs = specs;
  }

  private tick(): void {
    const nowMs = this.opts.now();
    if (nowMs - this.specsAt > 5000) {
      this.specsAt = nowMs;
      this.refresh();
    }
    const sec = Math.floor(nowMs / 1000);
    // after a clock jump, look at the last two seconds only (missed fires are not replayed)
    const from = Math.max(this.last + 1, sec - 1);
    for (let s = from; s <= sec; s++) {
      for (const { fn, name, spec } of this.specs) if (cronMatches(spec, s * 1000)) this.opts.fire(fn, name, s * 1000);
    }
    this.last = sec;
  }
}
