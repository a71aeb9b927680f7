/**
 * Registration and entry states, track limits and small numbers, in the words a worker reads.
 * Pure: pages hand the results to setData.
 */
import type { EntryState, ModerationState, RegistrationState, RegistrationView, Track, TrackKind } from '../core/domain';
import { toChina } from '../core/time';

export type Tone = 'primary' | 'warning' | 'success' | 'danger' | 'default';

export const REG_STATE_LABEL: Record<RegistrationState, string> = {
  confirmed: '已报名',
  pending: '待审核',
  waitlisted: '候补中',
  cancelled: '已取消',
  rejected: '未通过',
};

export const REG_STATE_TONE: Record<RegistrationState, Tone> = {
  confirmed: 'success',
  pending: 'primary',
  waitlisted: 'warning',
  cancelled: 'default',
  rejected: 'danger',
};

/** The registrations that still count (hold a seat or a place in the queue). */
export const isActive = (s: RegistrationState): boolean => s === 'confirmed' || s === 'pending' || s === 'waitlisted';

/**
 * One line under the state. The waitlist position is not sent by the server, so a waitlisted
 * worker is told how the queue works rather than where they stand in it.
 */
export function registrationNote(r: Pick<RegistrationView, 'state' | 'reason'>): string {
  switch (r.state) {
    case 'confirmed':
      return '请按时参加';
    case 'pending':
      return '报名已提交，正在等待工作人员审核，审核期间为您保留名额';
    case 'waitlisted':
      return '名额已满，您在候补名单中。有人取消时按报名先后顺序递补，递补成功会通知您';
    case 'cancelled':
      return '您已取消报名';
    case 'rejected':
      return r.reason ? `未通过审核：${r.reason}` : '未通过审核，如有疑问请联系工作人员';
  }
}

export const ENTRY_STATE_LABEL: Record<EntryState, string> = {
  draft: '草稿',
  submitted: '已提交',
  withdrawn: '已撤回',
};

export const ENTRY_STATE_TONE: Record<EntryState, Tone> = {
  draft: 'default',
  submitted: 'success',
  withdrawn: 'warning',
};

/** Moderation of the submitted version; videos always wait for a person. */
export function moderationLabel(m: ModerationState, kind: TrackKind): string {
  switch (m) {
    case 'none':
      return '';
    case 'pending':
      return '审核中';
    case 'review':
      return kind === 'video' ? '等待人工审核' : '人工复核中';
    case 'approved':
      return '已通过';
    case 'rejected':
      return '未通过';
  }
}

export const MODERATION_TONE: Record<ModerationState, Tone> = {
  none: 'default',
  pending: 'primary',
  review: 'warning',
  approved: 'success',
  rejected: 'danger',
};

const mb = (bytes: number): string => `${Math.round((bytes / (1024 * 1024)) * 10) / 10}MB`;

export function durationText(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} 秒`;
  return s % 60 === 0 ? `${s / 60} 分钟` : `${Math.floor(s / 60)} 分 ${s % 60} 秒`;
}

/** A track's limits in one line: "800–5,000 字", "1–6 张，每张不超过 10MB"… */
export function limitsText(t: Track): string {
  switch (t.kind) {
    case 'essay':
      return `${thousands(t.limits.minChars)}–${thousands(t.limits.maxChars)} 字`;
    case 'photo':
      return `1–${t.limits.maxPhotos} 张，每张不超过 ${mb(t.limits.maxBytes)}`;
    case 'video':
      return `时长不超过 ${durationText(t.limits.maxSeconds)}，文件不超过 ${mb(t.limits.maxBytes)}`;
  }
}

/** 1234 → "1,234". */
export function thousands(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

const pad = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** "HH:mm" on China's wall clock. */
export function clockText(instant: number): string {
  const c = toChina(instant);
  return `${pad(c.hour)}:${pad(c.minute)}`;
}
