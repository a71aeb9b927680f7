import type { ActivityDoc, UserDoc } from '../../miniprogram/core/domain';
import { cancelRefusal, cancelledOnDeletion, registrationRefusal } from '../../miniprogram/core/rules/registration';
import { nextStep } from '../../miniprogram/core/rules/activity';
import { fromChina } from '../../miniprogram/core/time';

const activity = (over: Partial<ActivityDoc> = {}): ActivityDoc => ({
  _id: 'act_course',
  kind: 'training',
  title: '手机摄影入门',
  summary: '',
  body: '',
  status: 'published',
  time: { start: fromChina(2022, 5, 20, 14), end: fromChina(2022, 5, 20, 16) },
  place: '文化宫',
  capacity: 30,
  taken: 0,
  waitlisted: 0,
  signup: { start: fromChina(2022, 5, 1), end: fromChina(2022, 5, 19, 18) },
  planItem: '余工学堂公益培训',
  questions: [],
  requiresVerified: false,
  requiresApproval: false,
  createdAt: 0,
  updatedAt: 0,
  ...over,
});

const worker: UserDoc = {
  _id: 'u_x',
  idKey: 'k_x',
  openid: 'o',
  role: 'worker',
  consentVersion: 'v',
  consentAt: 0,
  realName: '李明',
  phone: '13800001111',
  unitId: 'unit_a',
  enterprise: '某公司',
  verified: false,
  createdAt: 0,
  updatedAt: 0,
};

describe('registration rules', () => {
  it('refuses a registration one minute after the China-time deadline', () => {
    const r = registrationRefusal(activity(), worker, fromChina(2022, 5, 19, 18, 1));
    expect(r?.code).toBe('CLOSED');
  });

  it('accepts a registration one minute before the deadline', () => {
    expect(registrationRefusal(activity(), worker, fromChina(2022, 5, 19, 17, 59))).toBeNull();
  });

  it('asks for the profile before the first registration', () => {
    const r = registrationRefusal(activity(), { ...worker, phone: '' }, fromChina(2022, 5, 10));
    expect(r?.code).toBe('PROFILE_REQUIRED');
  });

  it('keeps members-only activities for verified members', () => {
    const r = registrationRefusal(activity({ requiresVerified: true }), worker, fromChina(2022, 5, 10));
    expect(r?.code).toBe('FORBIDDEN');
    expect(registrationRefusal(activity({ requiresVerified: true }), { ...worker, verified: true }, fromChina(2022, 5, 10))).toBeNull();
  });

  it('lets a worker cancel until the activity starts', () => {
    expect(cancelRefusal(activity(), 'confirmed', fromChina(2022, 5, 20, 13, 59))).toBeNull();
    expect(cancelRefusal(activity(), 'confirmed', fromChina(2022, 5, 20, 14))?.code).toBe('CLOSED');
  });

  it('on account deletion, cancels active registrations of an activity until it ends, and no others', () => {
    const during = fromChina(2022, 5, 20, 15, 59);
    for (const state of ['confirmed', 'pending', 'waitlisted'] as const) expect(cancelledOnDeletion(activity(), state, during)).toBe(true);
    for (const state of ['cancelled', 'rejected'] as const) expect(cancelledOnDeletion(activity(), state, during)).toBe(false);
    // Half-open: at the end instant the activity is over and its registrations are the record.
    expect(cancelledOnDeletion(activity(), 'confirmed', fromChina(2022, 5, 20, 16))).toBe(false);
  });

  it('offers the waitlist when no seat is left', () => {
    expect(nextStep(activity({ taken: 30 }), fromChina(2022, 5, 10), null)).toBe('waitlist');
    expect(nextStep(activity({ taken: 29 }), fromChina(2022, 5, 10), null)).toBe('register');
  });
});
