import { DAY, HOUR, MINUTE, fromChina } from '../../miniprogram/core/time';
import {
  formatDate,
  formatDateTime,
  formatEnd,
  formatRange,
  relativeDeadline,
  seatsText,
  windowText,
} from '../../miniprogram/utils/format';

const NOW = fromChina(2026, 6, 10, 10, 0);

describe('dates are shown on China time, whatever the zone of the machine', () => {
  test('a date and time, with the year only when it is not this year', () => {
    expect(formatDateTime(fromChina(2026, 6, 30, 18, 0), NOW)).toBe('6月30日 18:00');
    expect(formatDateTime(fromChina(2025, 12, 31, 23, 59), NOW)).toBe('2025年12月31日 23:59');
    expect(formatDate(fromChina(2026, 1, 1), NOW)).toBe('1月1日');
  });

  test('the first minutes of a China day belong to that day, though UTC is still on the day before', () => {
    expect(formatDateTime(fromChina(2026, 7, 1, 0, 30), NOW)).toBe('7月1日 00:30');
  });

  test('an end at midnight reads as 24:00 of the day before', () => {
    expect(formatEnd(fromChina(2026, 7, 1), NOW)).toBe('6月30日 24:00');
    expect(formatEnd(fromChina(2026, 6, 30, 18, 0), NOW)).toBe('6月30日 18:00');
  });

  test('a range within a day, and across days', () => {
    expect(formatRange({ start: fromChina(2026, 6, 20, 14, 0), end: fromChina(2026, 6, 20, 16, 30) }, NOW)).toBe(
      '6月20日 14:00–16:30',
    );
    expect(formatRange({ start: fromChina(2026, 6, 20, 9, 0), end: fromChina(2026, 6, 23) }, NOW)).toBe(
      '6月20日 09:00 至 6月22日 24:00',
    );
  });
});

describe('windows in words', () => {
  const w = { start: fromChina(2026, 6, 1, 9, 0), end: fromChina(2026, 7, 1) };
  test.each([
    ['the day before it opens', fromChina(2026, 5, 31, 12, 0), 'before', '未开始，6月1日 09:00 开始'],
    ['the instant it opens', w.start, 'open', '进行中，截止于 6月30日 24:00'],
    ['its last millisecond', w.end - 1, 'open', '进行中，截止于 6月30日 24:00'],
    ['the instant it ends', w.end, 'after', '已截止'],
  ])('%s: %s, %s', (_when, now, state, text) => {
    expect(windowText(w, now)).toEqual({ state, text });
  });
});

describe('deadlines the way a reminder says them', () => {
  test.each([
    ['in half an hour', NOW + 30 * MINUTE, '还剩 30 分钟'],
    ['in seconds', NOW + 20 * 1000, '还剩 1 分钟'],
    ['this evening', fromChina(2026, 6, 10, 18, 0), '今天 18:00 截止'],
    ['tomorrow morning', fromChina(2026, 6, 11, 9, 0), '明天 09:00 截止'],
    ['in three days', NOW + 3 * DAY, '还剩 3 天'],
    ['in a week', NOW + 7 * DAY + HOUR, '还剩 7 天'],
    ['in three weeks', fromChina(2026, 6, 30, 18, 0), '还剩 20 天'],
    ['now', NOW, '已截止'],
  ])('%s: %s', (_when, at, text) => {
    expect(relativeDeadline(at, NOW)).toBe(text);
  });
});

test('seats in words', () => {
  expect(seatsText(0, null)).toBe('不限名额');
  expect(seatsText(50, 0)).toBe('名额已满');
  expect(seatsText(50, 12)).toBe('剩余 12 个名额');
});
