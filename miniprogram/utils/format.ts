/**
 * Display formatting. Every instant is shown on China's wall clock at a fixed +08:00 (dayjs' utc
 * plugin, `.utcOffset(480)`), never through the phone's zone, `Intl` or dayjs' timezone plugin:
 * Android WeChat lacks zone data, and a worker abroad still means Beijing time. Window rules
 * (open or not) come from core/time.ts; this file only words them.
 */
import dayjs from 'dayjs';
import { ACTIVITY_KIND_LABEL, type ActivityKind, type NextStep } from '../core/domain';
import { chinaDaysUntil, toChina, windowState, HOUR, MINUTE, type Window } from '../core/time';
import utc from './vendor/dayjs-utc';

dayjs.extend(utc);

const CHINA_OFFSET_MINUTES = 480;

const china = (instant: number) => dayjs(instant).utcOffset(CHINA_OFFSET_MINUTES);

const sameYear = (a: number, b: number): boolean => toChina(a).year === toChina(b).year;

/** "6月30日", with the year when it is not the current one ("2025年6月30日"). */
export function formatDate(instant: number, now: number): string {
  return china(instant).format(sameYear(instant, now) ? 'M月D日' : 'YYYY年M月D日');
}

/** "6月30日 18:00" (year added when not the current one). */
export function formatDateTime(instant: number, now: number): string {
  return china(instant).format(sameYear(instant, now) ? 'M月D日 HH:mm' : 'YYYY年M月D日 HH:mm');
}

/**
 * The end of a half-open window as people say it: an end at midnight is "24:00" of the day
 * before ("截止于 6月30日 24:00"), not "7月1日 00:00", which reads as a day later than meant.
 */
export function formatEnd(end: number, now: number): string {
  const c = toChina(end);
  if (c.hour === 0 && c.minute === 0 && c.second === 0) {
    return `${formatDate(end - 1, now)} 24:00`;
  }
  return formatDateTime(end, now);
}

/** "6月30日 14:00–16:00", or both ends in full when the window spans days. */
export function formatRange(w: Window, now: number): string {
  const start = formatDateTime(w.start, now);
  const endChina = toChina(w.end);
  const startChina = toChina(w.start);
  const sameDay =
    endChina.year === startChina.year && endChina.month === startChina.month && endChina.day === startChina.day;
  if (sameDay) return `${start}–${china(w.end).format('HH:mm')}`;
  return `${start} 至 ${formatEnd(w.end, now)}`;
}

/** The state of a window in words: 未开始（…开始） / 进行中，截止于 … / 已截止. */
export function windowText(w: Window, now: number): { state: 'before' | 'open' | 'after'; text: string } {
  const state = windowState(w, now);
  if (state === 'before') return { state, text: `未开始，${formatDateTime(w.start, now)} 开始` };
  if (state === 'open') return { state, text: `进行中，截止于 ${formatEnd(w.end, now)}` };
  return { state, text: '已截止' };
}

/** How long until a deadline, the way a reminder says it. */
export function relativeDeadline(at: number, now: number): string {
  const left = at - now;
  if (left <= 0) return '已截止';
  if (left < HOUR) return `还剩 ${Math.max(1, Math.ceil(left / MINUTE))} 分钟`;
  const days = chinaDaysUntil(at, now);
  const time = china(at).format('HH:mm');
  if (days === 0) return `今天 ${time} 截止`;
  if (days === 1) return `明天 ${time} 截止`;
  return `还剩 ${days} 天`;
}

export function kindLabel(kind: ActivityKind): string {
  return ACTIVITY_KIND_LABEL[kind];
}

/** Seats in words: "不限名额", "名额已满", "剩余 12 个名额". */
export function seatsText(capacity: number, left: number | null): string {
  if (capacity <= 0 || left === null) return '不限名额';
  if (left <= 0) return '名额已满';
  return `剩余 ${left} 个名额`;
}

export const NEXT_LABEL: Record<NextStep, string> = {
  register: '报名',
  waitlist: '候补',
  registered: '已报名',
  submit: '提交作品',
  results: '查看结果',
  view: '查看',
};

