/** Where the registration and entry pages live, with their queries. */
const q = encodeURIComponent;

export const registerUrl = (activityId: string): string => `/pages/register/index?id=${q(activityId)}`;

/** The worker's registration for an activity; `from=register` right after registering. */
export const registrationUrl = (activityId: string, from = ''): string =>
  `/pages/registration/index?id=${q(activityId)}${from ? `&from=${q(from)}` : ''}`;

/** The entry editor for a track (creates the entry, with its code, on first open). */
export const entryUrl = (activityId: string, trackId: string): string =>
  `/pages/entry/index?activityId=${q(activityId)}&trackId=${q(trackId)}`;

/** An announcement, in full. */
export const announcementUrl = (id: string): string => `/pages/announcement/index?id=${q(id)}`;

/** 意见征集 of an activity: answer it, or see one's answer and staff's reply (subpackage `worker`). */
export const opinionUrl = (activityId: string): string => `/packages/worker/opinion/index?id=${q(activityId)}`;

/** The entry editor for an existing entry. */
export const entryByIdUrl = (entryId: string): string => `/pages/entry/index?entryId=${q(entryId)}`;
