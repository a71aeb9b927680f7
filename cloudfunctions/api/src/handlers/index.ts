import { assign, blindEntry, invite, joinPanel, myPanels, progress, queue, returnScore, saveScore, submitScore } from './judging';
import { compute, fileAppeal, finalize, gallery, getCertificate, myResults, preview, publish, recordSubscription, resolveAppeal, verifyCertificate } from './results';
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
  'judging.join': joinPanel,
  'judging.panels': myPanels,
  'judging.queue': queue,
  'judging.entry': blindEntry,
  'judging.save': saveScore,
  'judging.submit': submitScore,
  'judging.invite': invite,
  'judging.assign': assign,
  'judging.progress': progress,
  'judging.return': returnScore,
  'results.compute': compute,
  'results.preview': preview,
  'results.publish': publish,
  'results.finalize': finalize,
  'results.mine': myResults,
  'results.gallery': gallery,
  'appeals.file': fileAppeal,
  'appeals.resolve': resolveAppeal,
  'certificates.get': getCertificate,
  'certificates.verify': verifyCertificate,
  'subscriptions.record': recordSubscription,
};
