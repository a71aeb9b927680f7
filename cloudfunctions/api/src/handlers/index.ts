import type { Handlers } from '../../../shared/router';
import { activityDetail, announcementDetail, home, listActivities, listUnits } from './catalog';
import { confirmUpload, getEntry, myEntries, openEntry, saveDraft, submitEntry, uploadTicket, withdrawEntry } from './entries';
import { cancelRegistration, createRegistration, myRegistrations } from './registrations';
import { consent, deleteProfile, exportProfile, saveProfile, sessionMe } from './profile';

/** Every action of the contract, or the build fails. */
export const handlers: Handlers = {
  'session.me': sessionMe,
  'profile.consent': consent,
  'profile.save': saveProfile,
  'profile.export': exportProfile,
  'profile.delete': deleteProfile,
  'units.list': listUnits,
  'home.get': home,
  'announcements.detail': announcementDetail,
  'activities.list': listActivities,
  'activities.detail': activityDetail,
  'registrations.create': createRegistration,
  'registrations.cancel': cancelRegistration,
  'registrations.mine': myRegistrations,
  'entries.mine': myEntries,
  'entries.open': openEntry,
  'entries.get': getEntry,
  'entries.saveDraft': saveDraft,
  'entries.submit': submitEntry,
  'entries.withdraw': withdrawEntry,
  'uploads.ticket': uploadTicket,
  'uploads.confirm': confirmUpload,
};
