/**
 * Time rules. Instants are epoch milliseconds. China has had no daylight saving since 1991, so
 * every window is judged with fixed UTC+8 arithmetic, never with the machine's zone, `Intl` time
 * zones or dayjs' timezone plugin (Android WeChat lacks the zone data; cloud functions run in UTC).
 */

export const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;
export const MINUTE = 60 * 1000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export interface ChinaDate {
  year: number;
  month: number; // 1-12
  day: number; // 1-31
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday, as Date#getUTCDay. */
  weekday: number;
}

/** The wall-clock reading in China at an instant. */
export function toChina(instant: number): ChinaDate {
  const d = new Date(instant + CHINA_OFFSET_MS);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: d.getUTCDay(),
  };
}

/** The instant at a China wall-clock reading. */
export function fromChina(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  return Date.UTC(year, month - 1, day, hour, minute, second) - CHINA_OFFSET_MS;
}

/** Midnight in China at the start of the China calendar day containing `instant`. */
export function startOfChinaDay(instant: number): number {
  const c = toChina(instant);
  return fromChina(c.year, c.month, c.day);
}

/** The end of a China calendar day given as yyyy-mm-dd: 23:59:59.999 China time, as staff mean "截止到 6 月 30 日". */
export function endOfChinaDay(year: number, month: number, day: number): number {
  return fromChina(year, month, day + 1) - 1;
}

/** A half-open window [start, end): open from `start` inclusive until `end` exclusive. */
export interface Window {
  start: number;
  end: number;
}

export type WindowState = 'before' | 'open' | 'after';

export function windowState(w: Window, now: number): WindowState {
  if (now < w.start) return 'before';
  if (now >= w.end) return 'after';
  return 'open';
}

export function isOpen(w: Window, now: number): boolean {
  return windowState(w, now) === 'open';
}

export function isValidWindow(w: Window): boolean {
  return Number.isInteger(w.start) && Number.isInteger(w.end) && w.start < w.end;
}

/** Two windows overlap when they share any instant. */
export function overlaps(a: Window, b: Window): boolean {
  return a.start < b.end && b.start < a.end;
}

const pad = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** yyyy-mm-dd in China, for ids and grouping (display uses dayjs in the app). */
export function chinaDayKey(instant: number): string {
  const c = toChina(instant);
  return `${c.year}-${pad(c.month)}-${pad(c.day)}`;
}

/** Whole China calendar days from `now`'s day to `instant`'s day (negative when past). */
export function chinaDaysUntil(instant: number, now: number): number {
  return Math.round((startOfChinaDay(instant) - startOfChinaDay(now)) / DAY);
}
