/**
 * Staff views as the api answers them, around the fixed moment of fixtures.ts (10 June 2026,
 * 10:00 in China), and a fake cloud that already knows the caller is staff.
 */
import type { ActivityDetail } from '../../miniprogram/core/domain';
import type { StaffActivityDetail, StaffActivityView, StaffAnnouncementView, StaffRegistrationView, StaffUserView, ModerationItem, RosterReport } from '../../miniprogram/core/staff';
import { DAY, HOUR, fromChina } from '../../miniprogram/core/time';
import { FakeCloud, ok } from './fake-transport';
import { detail, me, NOW } from './fixtures';

export { NOW };

/** A fake cloud whose session.me answers a member with `role`. */
export function asRole(role: 'worker' | 'staff' | 'admin' = 'staff'): FakeCloud {
  return new FakeCloud().as(role).on('session.me', ok({ me: me({ role, userId: `u-${role}`, realName: role === 'worker' ? '李明' : '陈晓' }), consentVersion: '2026-11' }));
}

export function staffAnnouncement(over: Partial<StaffAnnouncementView> = {}): StaffAnnouncementView {
  return {
    id: 'ann-1',
    category: 'notice',
    title: '关于举办2026年职工文化比赛的通知',
    pinned: true,
    publishAt: NOW - 2 * DAY,
    withdrawn: false,
    reads: 128,
    activityId: 'act-comp',
    ...over,
  };
}

export function staffActivity(over: Partial<StaffActivityView> = {}): StaffActivityView {
  return {
    id: 'act-course',
    kind: 'training',
    title: '余工学堂｜手机摄影入门',
    status: 'published',
    time: { start: fromChina(2026, 6, 20, 14, 0), end: fromChina(2026, 6, 20, 16, 0) },
    signup: { start: fromChina(2026, 6, 1, 9, 0), end: fromChina(2026, 6, 19, 18, 0) },
    capacity: 30,
    taken: 27,
    waitlisted: 2,
    planItem: '余工学堂公益培训',
    ...over,
  };
}

export function staffActivities(count: number, status: StaffActivityView['status'] = 'published', from = 1): StaffActivityView[] {
  return Array.from({ length: count }, (_, i) =>
    staffActivity({ id: `act-${from + i}`, title: `活动 ${from + i} 号`, status, time: { start: fromChina(2026, 7, 1, 9) - (from + i) * HOUR, end: fromChina(2026, 7, 1, 11) - (from + i) * HOUR } }),
  );
}

/** An activity as activities.get answers it (the editor's one call): fixtures.ts's detail() by default. */
export function staffDetail(d: ActivityDetail = detail(), over: Partial<StaffActivityDetail> = {}): { activity: StaffActivityDetail } {
  const a = d.activity;
  return {
    activity: {
      id: a.id,
      kind: a.kind,
      title: a.title,
      status: a.status,
      time: a.time,
      signup: a.signup,
      capacity: a.capacity,
      taken: a.left === null ? 0 : a.capacity - a.left,
      waitlisted: 0,
      planItem: a.planItem,
      summary: a.summary,
      body: a.body,
      place: a.place,
      questions: a.questions,
      requiresVerified: a.requiresVerified,
      requiresApproval: a.requiresApproval,
      competition: a.competition,
      ...over,
    },
  };
}

export function staffRegistration(over: Partial<StaffRegistrationView> = {}): StaffRegistrationView {
  return {
    id: 'reg-1',
    realName: '李明',
    phone: '138****0001',
    unitName: '区人民医院工会',
    state: 'confirmed',
    tracks: [],
    answers: [],
    createdAt: NOW - DAY,
    checkedInAt: null,
    reason: '',
    ...over,
  };
}

export function staffUser(over: Partial<StaffUserView> = {}): StaffUserView {
  return {
    userId: 'u-li',
    realName: '李明',
    phone: '138****0001',
    unitName: '区人民医院工会',
    enterprise: '区人民医院',
    role: 'worker',
    verified: true,
    ...over,
  };
}

export function moderationItem(over: Partial<ModerationItem> = {}): ModerationItem {
  return {
    entryId: 'ent-video-1',
    code: 'SP-2026-0007',
    activityTitle: '2026年职工文化比赛',
    trackName: '微视频',
    kind: 'video',
    moderation: 'review',
    title: '车间的一天',
    text: '记录一线职工从清晨到傍晚的工作。',
    media: ['http://127.0.0.1:3720/storage/tmp/video.mp4', 'http://127.0.0.1:3720/storage/tmp/cover.jpg'],
    submittedAt: NOW - 3 * HOUR,
    ...over,
  };
}

export function rosterReport(over: Partial<RosterReport> = {}): RosterReport {
  return {
    rows: [
      { line: 2, name: '李明', key: '138****0001', unitName: '区人民医院工会', problem: null },
      { line: 3, name: '王芳', key: '138****0002', unitName: '临平街道总工会', problem: null },
    ],
    accepted: 2,
    refused: 0,
    applied: false,
    verifiedUsers: 0,
    ...over,
  };
}
