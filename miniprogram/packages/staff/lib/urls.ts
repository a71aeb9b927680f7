/** Where the staff pages live, with their queries. */
const q = encodeURIComponent;
const ROOT = '/packages/staff';

export const STAFF_URLS = {
  announcements: `${ROOT}/announcements/index`,
  /** The editor, optionally with an activity attached already (from the activities list). */
  newAnnouncement: (activityId = '', title = ''): string =>
    `${ROOT}/announcement-edit/index${activityId ? `?activityId=${q(activityId)}&title=${q(title)}` : ''}`,
  /** The editor with an announcement loaded (`announcements.get`). */
  editAnnouncement: (id: string): string => `${ROOT}/announcement-edit/index?id=${q(id)}`,
  activities: `${ROOT}/activities/index`,
  newActivity: `${ROOT}/activity-edit/index`,
  editActivity: (id: string): string => `${ROOT}/activity-edit/index?id=${q(id)}`,
  registrations: (activityId: string, title = ''): string =>
    `${ROOT}/registrations/index?id=${q(activityId)}${title ? `&title=${q(title)}` : ''}`,
  /** 意见征集 of an activity: edit, summary, replies. */
  opinions: (activityId: string, title = ''): string => `${ROOT}/opinions/index?id=${q(activityId)}${title ? `&title=${q(title)}` : ''}`,
  checkin: `${ROOT}/checkin/index`,
  moderation: `${ROOT}/moderation/index`,
  people: `${ROOT}/people/index`,
  roster: `${ROOT}/roster/index`,
  units: `${ROOT}/units/index`,
  /** 批量导入基层工会 from a CSV (units.import). */
  unitsImport: `${ROOT}/units-import/index`,
};

/** A query value as sent: WeChat hands page queries over still URI-encoded. */
export function queryText(v: string | undefined): string {
  if (!v) return '';
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}
