/** WeChat's 7-field timer cron (s m h D M W Y), read in UTC+8. */
import { CronError, cronMatches, nextFire, parseCron, timerEvent } from '../../../local-cloud/src/scheduler/cron';

/** Epoch ms of a wall-clock time in China (UTC+8). */
const cst = (iso: string): number => Date.parse(`${iso}+08:00`);

test('every five minutes', () => {
  const s = parseCron('0 */5 * * * * *');
  expect(cronMatches(s, cst('2022-04-01T12:05:00'))).toBe(true);
  expect(cronMatches(s, cst('2022-04-01T12:05:01'))).toBe(false);
  expect(cronMatches(s, cst('2022-04-01T12:06:00'))).toBe(false);
  expect(nextFire(s, cst('2022-04-01T12:05:00'))).toBe(cst('2022-04-01T12:10:00'));
});

test('the hour is read in UTC+8, not the machine zone', () => {
  const twoAm = parseCron('0 0 2 * * * *');
  expect(cronMatches(twoAm, cst('2022-04-01T02:00:00'))).toBe(true);
  expect(cronMatches(twoAm, Date.parse('2022-04-01T02:00:00Z'))).toBe(false);
  expect(nextFire(twoAm, cst('2022-04-01T03:00:00'))).toBe(cst('2022-04-02T02:00:00'));
});

test('lists, ranges, steps, names, year', () => {
  const s = parseCron('30 15 9-17/4 * JAN-MAR MON-FRI 2022');
  expect(cronMatches(s, cst('2022-02-01T09:15:30'))).toBe(true); // Tuesday
  expect(cronMatches(s, cst('2022-02-01T13:15:30'))).toBe(true);
  expect(cronMatches(s, cst('2022-02-01T11:15:30'))).toBe(false);
  expect(cronMatches(s, cst('2022-02-05T09:15:30'))).toBe(false); // Saturday
  expect(cronMatches(s, cst('2022-04-01T09:15:30'))).toBe(false);
  expect(cronMatches(s, cst('2023-02-01T09:15:30'))).toBe(false);
  const l = parseCron('0 0,30 8 1,15 * * *');
  expect(cronMatches(l, cst('2022-05-15T08:30:00'))).toBe(true);
  expect(cronMatches(l, cst('2022-05-16T08:30:00'))).toBe(false);
});

test('day of month and day of week both set: either matches (classic cron)', () => {
  const s = parseCron('0 0 0 1 * 0 *');
  expect(cronMatches(s, cst('2022-05-01T00:00:00'))).toBe(true); // the 1st (a Sunday too)
  expect(cronMatches(s, cst('2022-06-01T00:00:00'))).toBe(true); // the 1st, a Wednesday
  expect(cronMatches(s, cst('2022-06-05T00:00:00'))).toBe(true); // a Sunday
  expect(cronMatches(s, cst('2022-06-06T00:00:00'))).toBe(false);
});

test('malformed expressions are refused', () => {
  for (const bad of ['0 */5 * * * *', '60 * * * * * *', '* * 24 * * * *', '0 0 0 0 * * *', '* * * * 13 * *', 'a * * * * * *', '0 5-1 * * * * *', '0 */0 * * * * *']) {
    expect(() => parseCron(bad)).toThrow(CronError);
  }
});

test('the timer event, as SCF sends it', () => {
  expect(timerEvent('tick', Date.parse('2022-04-01T04:05:00.000Z'))).toEqual({
    Type: 'Timer',
    TriggerName: 'tick',
    Time: '2022-04-01T04:05:00Z',
    Message: '',
  });
});
