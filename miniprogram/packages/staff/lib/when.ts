/**
 * Dates and times as staff pick them: China wall-clock readings ("2026-06-20", "14:00") from the
 * native date and time pickers, turned into instants with core/time's fixed UTC+8 arithmetic and
 * back. The phone's own zone is never consulted: a staff member abroad still means Beijing time.
 */
import { fromChina, toChina, type Window } from '../../../core/time';
import { formatDateTime, formatEnd } from '../../../utils/format';

const pad = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** The picker readings of an instant: { date: 'YYYY-MM-DD', time: 'HH:mm' } in China. */
export function readings(instant: number): { date: string; time: string } {
  const c = toChina(instant);
  return { date: `${c.year}-${pad(c.month)}-${pad(c.day)}`, time: `${pad(c.hour)}:${pad(c.minute)}` };
}

/** The instant a date and a time picked in China mean, or null when either is missing or malformed. */
export function instantOf(date: string, time: string): number | null {
  const d = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(date.trim());
  const t = /^(\d{1,2}):(\d{2})$/.exec(time.trim());
  if (!d || !t) return null;
  const [year, month, day, hour, minute] = [d[1], d[2], d[3], t[1], t[2]].map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return null;
  const at = fromChina(year, month, day, hour, minute);
  // 2 月 30 日 rolls over: refuse a date that is not on the calendar.
  const back = toChina(at);
  return back.month === month && back.day === day ? at : null;
}

/** A window as four picker readings. */
export interface WindowForm {
  startDate: string;
  startTime: string;
  endDate: string;
  endTime: string;
}

export function windowForm(w: Window | null): WindowForm {
  if (!w) return { startDate: '', startTime: '', endDate: '', endTime: '' };
  const s = readings(w.start);
  const e = readings(w.end);
  return { startDate: s.date, startTime: s.time, endDate: e.date, endTime: e.time };
}

/** The window the readings mean, or null while any of them is missing. */
export function windowOf(f: WindowForm): Window | null {
  const start = instantOf(f.startDate, f.startTime);
  const end = instantOf(f.endDate, f.endTime);
  return start === null || end === null ? null : { start, end };
}

/** "6月20日 14:00 至 6月20日 16:00" for the line under a window's pickers; blank while incomplete. */
export function windowText(f: WindowForm, now: number): string {
  const w = windowOf(f);
  if (!w) return '';
  return `${formatDateTime(w.start, now)} 至 ${formatEnd(w.end, now)}`;
}

/** Today's date in China, the pickers' lower bound. */
export function todayReading(now: number): string {
  return readings(now).date;
}
