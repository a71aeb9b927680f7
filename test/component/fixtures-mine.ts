/**
 * A worker's own things as the api answers them, around the same fixed moment as fixtures.ts
 * (10 June 2026, 10:00 in China): registrations and entries, with a submission window that is
 * open at that moment.
 */
import type { ActivityDetail, EntryCard, EntryContent, EntryView, RegistrationView, Track } from '../../miniprogram/core/domain';
import { DAY, HOUR, fromChina } from '../../miniprogram/core/time';
import { card, competition, detail, NOW } from './fixtures';

export { NOW };

/** Submissions open from 1 May to the end of 30 June 2026. */
export const SUBMISSION = { start: fromChina(2026, 5, 1), end: fromChina(2026, 7, 1) };

export const TRACKS: Record<Track['kind'], Track> = {
  essay: { id: 'essay', kind: 'essay', name: '职工征文', limits: { minChars: 800, maxChars: 3000 } },
  photo: { id: 'photo', kind: 'photo', name: '职工摄影', limits: { maxPhotos: 6, maxBytes: 10 * 1024 * 1024 } },
  video: { id: 'video', kind: 'video', name: '职工微视频', limits: { maxSeconds: 300, maxBytes: 200 * 1024 * 1024 } },
};

export const CHECKIN_CODE = 'c1.reg_act-comp_u-li.Zx8Lk2mN4pQ7rS9tUvW1yA';

export function registration(over: Partial<RegistrationView> = {}): RegistrationView {
  const r: RegistrationView = {
    id: 'reg_act-comp_u-li',
    activityId: 'act-comp',
    activityTitle: '2026年职工文化比赛（征文·摄影·微视频）',
    state: 'confirmed',
    tracks: ['essay', 'photo'],
    createdAt: NOW - 2 * DAY,
    reason: '',
    checkinCode: null,
    waitlistPosition: null,
    ...over,
  };
  if (r.state === 'confirmed' && over.checkinCode === undefined) r.checkinCode = CHECKIN_CODE;
  return r;
}

/** The competition of fixtures.ts with submissions open now. */
export function openCompetition(): ActivityDetail {
  const d = detail();
  const comp = competition();
  comp.windows.submission = SUBMISSION;
  d.activity.competition = comp;
  d.activity.next = 'register';
  return d;
}

/** A course (not a competition) with `left` seats of `capacity`. */
export function course(over: Partial<ActivityDetail['activity']> = {}, mine: RegistrationView | null = null): ActivityDetail {
  const d = detail({
    ...card({
      id: 'act-course',
      kind: 'training',
      title: '余工学堂｜短视频剪辑实操',
      place: '临平街道教学点',
      time: { start: fromChina(2026, 6, 19, 19, 0), end: fromChina(2026, 6, 19, 21, 0) },
      signup: { start: fromChina(2026, 6, 5), end: fromChina(2026, 6, 18, 18, 0) },
      capacity: 20,
      left: 4,
    }),
    summary: '手机剪辑短视频，从脚本到成片。',
    competition: null,
    ...over,
  });
  d.mine = mine;
  d.announcements = [];
  return d;
}

export function emptyDraft(kind: Track['kind']): EntryContent {
  if (kind === 'essay') return { kind, title: '', text: '' };
  if (kind === 'photo') return { kind, title: '', photos: [] };
  return { kind, title: '', description: '', videoUploadId: '', coverUploadId: '', seconds: 0 };
}

/**
 * An entry as `entries.open` answers it. `track` is sent along (as the editor reads it when the
 * server sends it) unless `withTrack` is false.
 */
export function entryView(kind: Track['kind'] = 'essay', over: Partial<EntryView> = {}, withTrack = true): EntryView {
  const code = { essay: 'ZW-2026-0007', photo: 'SY-2026-0003', video: 'SP-2026-0001' }[kind];
  const view: Omit<EntryView, 'track'> & { track?: Track } = {
    id: `ent_act-comp_${kind}_u-li`,
    code,
    activityId: 'act-comp',
    activityTitle: '2026年职工文化比赛（征文·摄影·微视频）',
    trackId: kind,
    trackName: TRACKS[kind].name,
    kind,
    state: 'draft',
    moderation: 'none',
    moderationReason: '',
    draft: emptyDraft(kind),
    draftSavedAt: NOW - HOUR,
    version: 0,
    submittedAt: null,
    unsubmittedChanges: true,
    media: [],
    submission: SUBMISSION,
    serverNow: NOW,
    ...over,
  };
  // Without a track: an old server's answer, for the editor's fallback.
  return (withTrack ? { ...view, track: TRACKS[kind] } : view) as EntryView;
}

export function entryCard(over: Partial<EntryCard> = {}): EntryCard {
  return {
    id: 'ent_act-comp_essay_u-li',
    code: 'ZW-2026-0007',
    activityId: 'act-comp',
    activityTitle: '2026年职工文化比赛（征文·摄影·微视频）',
    trackName: '职工征文',
    kind: 'essay',
    state: 'draft',
    moderation: 'none',
    version: 0,
    submittedAt: null,
    ...over,
  };
}
