/**
 * The time rules run under TZ=UTC (the cloud's zone) and again under TZ=Asia/Shanghai (npm test
 * does both), where a double shift would show.
 */
import {
  CHINA_OFFSET_MS,
  chinaDayKey,
  chinaDaysUntil,
  endOfChinaDay,
  fromChina,
  overlaps,
  startOfChinaDay,
  toChina,
  windowState,
} from '../../miniprogram/core/time';

describe('China time, whatever the machine zone', () => {
  it('reads 2022-06-30 23:30 China time from the UTC instant 15:30', () => {
    const instant = Date.UTC(2022, 5, 30, 15, 30);
    expect(toChina(instant)).toMatchObject({ year: 2022, month: 6, day: 30, hour: 23, minute: 30 });
  });

  it('turns a China wall-clock time into the instant 8 hours earlier in UTC', () => {
    expect(fromChina(2022, 7, 1, 0, 0)).toBe(Date.UTC(2022, 5, 30, 16, 0));
    expect(new Date(fromChina(2022, 7, 1)).toISOString()).toBe('2022-06-30T16:00:00.000Z');
  });

  it('puts 00:30 China time on the new China day although it is still yesterday in UTC', () => {
    const instant = fromChina(2022, 7, 1, 0, 30);
    expect(chinaDayKey(instant)).toBe('2022-07-01');
    expect(startOfChinaDay(instant)).toBe(fromChina(2022, 7, 1));
  });

  it('ends "截止到 6 月 30 日" at 23:59:59.999 China time', () => {
    const end = endOfChinaDay(2022, 6, 30);
    expect(toChina(end)).toMatchObject({ month: 6, day: 30, hour: 23, minute: 59, second: 59 });
    expect(end + 1).toBe(fromChina(2022, 7, 1));
  });

  it('rolls month and year ends over', () => {
    expect(chinaDayKey(fromChina(2022, 12, 31, 23, 59) + 60_000)).toBe('2023-01-01');
    expect(endOfChinaDay(2024, 2, 29) + 1).toBe(fromChina(2024, 3, 1));
  });

  it('counts China calendar days, not 24-hour spans', () => {
    const now = fromChina(2022, 6, 29, 23, 0);
    expect(chinaDaysUntil(fromChina(2022, 6, 30, 1, 0), now)).toBe(1);
    expect(chinaDaysUntil(fromChina(2022, 6, 29, 0, 1), now)).toBe(0);
    expect(chinaDaysUntil(fromChina(2022, 6, 28, 23, 0), now)).toBe(-1);
  });

  it('uses the fixed +8 offset', () => {
    expect(CHINA_OFFSET_MS).toBe(28_800_000);
  });
});

describe('windows', () => {
  const w = { start: fromChina(2022, 4, 1), end: endOfChinaDay(2022, 5, 31) + 1 };

  it('is not yet open a millisecond before its start', () => {
    expect(windowState(w, w.start - 1)).toBe('before');
  });
  it('is open from its first millisecond', () => {
    expect(windowState(w, w.start)).toBe('open');
  });
  it('is still open at 23:59 China time on its last day', () => {
    expect(windowState(w, fromChina(2022, 5, 31, 23, 59))).toBe('open');
  });
  it('is closed at midnight China time after its last day', () => {
    expect(windowState(w, fromChina(2022, 6, 1))).toBe('after');
  });
  it('finds overlapping windows and not touching ones', () => {
    expect(overlaps(w, { start: w.end - 1, end: w.end + 10 })).toBe(true);
    expect(overlaps(w, { start: w.end, end: w.end + 10 })).toBe(false);
  });
});
