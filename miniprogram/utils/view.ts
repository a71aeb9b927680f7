/**
 * Domain views → the few strings a screen shows. Pages hand these to setData instead of the
 * views themselves, so each setData carries only what is rendered, already worded.
 */
import type { ActivityCard, AnnouncementCard, Deadline, NextStep, TrackKind } from '../core/domain';
import { ANNOUNCEMENT_CATEGORY_LABEL, TRACK_LABEL } from '../core/domain';
import { NEXT_LABEL, formatDate, formatRange, kindLabel, relativeDeadline, seatsText, formatDateTime } from './format';
import { announcementUrl, registrationUrl } from './urls';

export const activityUrl = (id: string): string => `/pages/activity/index?id=${encodeURIComponent(id)}`;

export type Tone = 'primary' | 'warning' | 'success' | 'default';

export interface CardVM {
  id: string;
  title: string;
  kind: string;
  /** Time and place, on two lines. */
  meta: string;
  seats: string;
  full: boolean;
  next: string;
  tone: Tone;
}

const NEXT_TONE: Record<NextStep, Tone> = {
  register: 'primary',
  waitlist: 'warning',
  registered: 'success',
  submit: 'primary',
  results: 'default',
  view: 'default',
};

export function cardVM(c: ActivityCard, now: number): CardVM {
  return {
    id: c.id,
    title: c.title,
    kind: kindLabel(c.kind),
    meta: `时间：${formatRange(c.time, now)}\n地点：${c.place}`,
    seats: seatsText(c.capacity, c.left),
    full: c.capacity > 0 && c.left === 0,
    next: NEXT_LABEL[c.next],
    tone: NEXT_TONE[c.next],
  };
}

export interface AnnouncementVM {
  id: string;
  title: string;
  meta: string;
  /** The announcement's own page (body and images). */
  url: string;
}

export function announcementVM(a: AnnouncementCard, now: number): AnnouncementVM {
  const parts = [ANNOUNCEMENT_CATEGORY_LABEL[a.category], formatDate(a.publishAt, now)];
  if (a.pinned) parts.unshift('置顶');
  return { id: a.id, title: a.title, meta: parts.join(' · '), url: announcementUrl(a.id) };
}

export interface DeadlineVM {
  activityId: string;
  url: string;
  title: string;
  when: string;
  left: string;
}

/** The label home.get gives a submission deadline of a competition the worker entered. */
const SUBMISSION_DEADLINE = '作品提交截止';

export function deadlineVM(d: Deadline, now: number): DeadlineVM {
  return {
    activityId: d.activityId,
    // A submission deadline leads to the worker's registration, which lists each entered track
    // with its entry editor (a deadline does not say which tracks).
    url: d.label === SUBMISSION_DEADLINE ? registrationUrl(d.activityId) : activityUrl(d.activityId),
    title: d.title,
    when: `${d.label}：${formatDateTime(d.at, now)}`,
    left: relativeDeadline(d.at, now),
  };
}


/** 征文 · 职工征文, or just 征文 when the track is named after its kind (no "征文 · 征文"). */
export function trackTitle(kind: TrackKind, name: string): string {
  const label = TRACK_LABEL[kind];
  return name === label ? name : `${label} · ${name}`;
}
