import { DAY, HOUR } from '../../miniprogram/core/time';
import { ANNOUNCEMENT_IMAGE_GRACE, imageFate } from '../../miniprogram/core/rules/announcement';
import type { AnnouncementImageDoc } from '../../miniprogram/core/domain';

const T0 = Date.UTC(2022, 4, 1, 2);
const row = (state: AnnouncementImageDoc['state'], updatedAt?: number) => ({ state, createdAt: T0, expiresAt: T0 + 2 * HOUR, ...(updatedAt === undefined ? {} : { updatedAt }) });

describe('imageFate: what the timer does with an announcement image', () => {
  it('gives every orphan a day of grace', () => {
    expect(ANNOUNCEMENT_IMAGE_GRACE).toBe(DAY);
  });

  it('deletes an unused ticket a day after it expired, not before', () => {
    expect(imageFate(row('issued'), false, T0 + 2 * HOUR + DAY)).toBe('wait');
    expect(imageFate(row('issued'), false, T0 + 2 * HOUR + DAY + 1)).toBe('delete');
  });

  it('deletes a refused file a day after the refusal', () => {
    expect(imageFate(row('rejected', T0 + HOUR), false, T0 + HOUR + DAY)).toBe('wait');
    expect(imageFate(row('rejected', T0 + HOUR), false, T0 + HOUR + DAY + 1)).toBe('delete');
  });

  it('deletes a confirmed or dropped file its announcement does not show, a day on', () => {
    for (const state of ['uploaded', 'removed'] as const) {
      expect(imageFate(row(state, T0), false, T0 + DAY)).toBe('wait');
      expect(imageFate(row(state, T0), false, T0 + DAY + 1)).toBe('delete');
    }
  });

  it('records a file its announcement shows as attached, however old, instead of deleting it', () => {
    for (const state of ['uploaded', 'removed'] as const) expect(imageFate(row(state, T0), true, T0 + 30 * DAY)).toBe('attach');
  });

  it('never touches attached or deleted rows', () => {
    for (const state of ['attached', 'deleted'] as const) {
      expect(imageFate(row(state, T0), false, T0 + 365 * DAY)).toBe('wait');
      expect(imageFate(row(state, T0), true, T0 + 365 * DAY)).toBe('wait');
    }
  });
});
