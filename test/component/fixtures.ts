/**
 * Typed views as the api answers them, around one fixed moment (10 June 2026, 10:00 in China),
 * so that dates on screen are predictable whatever day and zone the tests run in.
 */
import type {
  ActivityCard,
  ActivityDetail,
  AnnouncementCard,
  CompetitionSettings,
  HomeView,
  MeView,
  UnitView,
} from '../../miniprogram/core/domain';
import { DAY, HOUR, fromChina } from '../../miniprogram/core/time';

export const NOW = fromChina(2026, 6, 10, 10, 0);

export function card(over: Partial<ActivityCard> = {}): ActivityCard {
  return {
    id: 'act-lecture-1',
    kind: 'lecture',
    title: '劳模进企业宣讲会',
    place: '区工人文化宫 三楼报告厅',
    time: { start: fromChina(2026, 6, 20, 14, 0), end: fromChina(2026, 6, 20, 16, 0) },
    signup: { start: fromChina(2026, 6, 1, 9, 0), end: fromChina(2026, 6, 18, 0, 0) },
    status: 'published',
    capacity: 120,
    left: 36,
    next: 'register',
    ...over,
  };
}

export function announcement(over: Partial<AnnouncementCard> = {}): AnnouncementCard {
  return {
    id: 'ann-1',
    category: 'notice',
    title: '关于举办2026年职工文化比赛的通知',
    publishAt: NOW - 2 * DAY,
    pinned: true,
    activityId: null,
    ...over,
  };
}

export function homeView(over: Partial<HomeView> = {}): HomeView {
  return {
    announcements: [announcement(), announcement({ id: 'ann-2', title: '余工学堂七月课程预告', category: 'training', pinned: false })],
    open: [
      card(),
      card({ id: 'act-photo', kind: 'competition', title: '“劳动之美”职工摄影比赛', capacity: 0, left: null }),
    ],
    deadlines: [{ activityId: 'act-lecture-1', title: '劳模进企业宣讲会', label: '报名截止', at: NOW + 3 * DAY, kind: 'signup', trackIds: [] }],
    serverNow: NOW,
    ...over,
  };
}

/** Twenty cards at a time, as the catalogue pages; `from` numbers them across pages. */
export function cards(count: number, from = 1): ActivityCard[] {
  return Array.from({ length: count }, (_, i) => {
    const n = from + i;
    return card({
      id: `act-${n}`,
      title: `活动 ${n} 号`,
      time: { start: fromChina(2026, 7, 1, 9, 0) - n * HOUR, end: fromChina(2026, 7, 1, 11, 0) - n * HOUR },
    });
  });
}

export function competition(): CompetitionSettings {
  const w = (m1: number, d1: number, m2: number, d2: number) => ({
    start: fromChina(2026, m1, d1),
    end: fromChina(2026, m2, d2),
  });
  return {
    tracks: [
      { id: 'essay', kind: 'essay', name: '职工征文', limits: { minChars: 800, maxChars: 3000 } },
      { id: 'photo', kind: 'photo', name: '职工摄影', limits: { maxPhotos: 6, maxBytes: 10 * 1024 * 1024 } },
      { id: 'video', kind: 'video', name: '职工微视频', limits: { maxSeconds: 300, maxBytes: 200 * 1024 * 1024 } },
    ],
    windows: {
      registration: w(4, 1, 7, 1),
      submission: w(5, 1, 6, 10),
      judging: w(7, 1, 7, 15),
      publicity: w(7, 16, 7, 23),
      appeal: w(7, 16, 7, 21),
    },
    blind: true,
    year: 2026,
  };
}

export function detail(over: Partial<ActivityDetail['activity']> = {}): ActivityDetail {
  return {
    activity: {
      ...card({
        id: 'act-comp',
        kind: 'competition',
        title: '2026年职工文化比赛（征文·摄影·微视频）',
        time: { start: fromChina(2026, 4, 1), end: fromChina(2026, 7, 31) },
        signup: { start: fromChina(2026, 4, 1), end: fromChina(2026, 7, 1) },
        capacity: 0,
        left: null,
      }),
      summary: '以“劳动创造幸福”为主题，面向全区职工征集征文、摄影和微视频作品。',
      body: '一、参赛对象：全区在职职工。\n二、作品要求：原创，未在其他比赛中获奖。',
      planItem: '职工文化比赛',
      questions: [],
      requiresVerified: false,
      requiresApproval: false,
      competition: competition(),
      ...over,
    },
    announcements: [announcement({ id: 'ann-comp', title: '比赛评审安排说明', pinned: false })],
    mine: null,
    opinion: null,
    serverNow: NOW,
  };
}

export function me(over: Partial<MeView> = {}): MeView {
  return {
    userId: 'u-li',
    role: 'worker',
    consented: true,
    profileComplete: true,
    realName: '李明',
    phone: '13812345678',
    unitId: 'unit-hospital',
    unitName: '区人民医院工会',
    enterprise: '区人民医院',
    verified: true,
    judging: false,
    ...over,
  };
}

export const CONSENT_VERSION_SEEN = '2026-11';

export function units(): UnitView[] {
  return [
    { id: 'unit-hospital', name: '区人民医院工会', group: '卫健系统', order: 0 },
    { id: 'unit-linping', name: '临平街道总工会', group: '街道', order: 1 },
    { id: 'unit-nanyuan', name: '南苑街道总工会', group: '街道', order: 2 },
  ];
}
