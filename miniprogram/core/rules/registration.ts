/** Who may register for an activity, and when: pure rules shared by the app and the functions. */
import type { ErrorCode } from '../errors';
import type { ActivityDoc, RegistrationState, UserDoc } from '../domain';
import { windowState } from '../time';

/** States that hold a seat (awaiting approval holds it too, so approval never overruns capacity). */
export const HOLDS_SEAT: readonly RegistrationState[] = ['confirmed', 'pending'];
export const ACTIVE_STATES: readonly RegistrationState[] = ['confirmed', 'pending', 'waitlisted'];

export function isProfileComplete(u: Pick<UserDoc, 'realName' | 'phone' | 'unitId' | 'enterprise'>): boolean {
  return Boolean(u.realName && u.phone && u.unitId && u.enterprise);
}

export interface Refusal {
  code: ErrorCode;
  message: string;
}

export function registrationRefusal(a: ActivityDoc, user: UserDoc | null, now: number): Refusal | null {
  if (a.status !== 'published') return { code: 'INVALID_STATE', message: '活动未开放报名' };
  const state = windowState(a.signup, now);
  if (state === 'before') return { code: 'NOT_OPEN_YET', message: '报名尚未开始' };
  if (state === 'after') return { code: 'CLOSED', message: '报名已截止' };
  if (!user || !isProfileComplete(user)) return { code: 'PROFILE_REQUIRED', message: '报名前请先完善个人资料' };
  if (a.requiresVerified && !user.verified) return { code: 'FORBIDDEN', message: '本活动仅限工会会员报名，您的资料尚未通过会员名册核验' };
  return null;
}

/** The reason recorded on a registration cancelled because its person deleted their account. */
export const ACCOUNT_DELETED_REASON = '账号已注销';

/**
 * Account deletion cancels an active registration for an activity that has not ended (its seat goes
 * to the waitlist); one for an activity that has ended stays as it was, for the record.
 */
export function cancelledOnDeletion(a: Pick<ActivityDoc, 'time'>, state: RegistrationState, now: number): boolean {
  return ACTIVE_STATES.includes(state) && now < a.time.end;
}

/**
 * A worker may cancel until the activity starts (for a competition: until submissions close), so
 * that a freed seat can still go to the waitlist.
 */
export function cancelRefusal(a: Pick<ActivityDoc, 'competition' | 'time'>, state: RegistrationState, now: number): Refusal | null {
  if (state === 'cancelled' || state === 'rejected') return { code: 'INVALID_STATE', message: '该报名已取消' };
  const until = a.competition ? a.competition.windows.submission.end : a.time.start;
  if (now >= until) return { code: 'CLOSED', message: '已过取消期限' };
  return null;
}
