/** The words staff read for statuses, categories, kinds and the annual plan. Pure. */
import type { ActivityKind, ActivityStatus, AnnouncementCategory, Role } from '../../../core/domain';
import { ACTIVITY_KINDS, ANNOUNCEMENT_CATEGORY_LABEL } from '../../../core/domain';

export const ACTIVITY_STATUS_LABEL: Record<ActivityStatus, string> = {
  draft: '草稿',
  published: '已发布',
  closed: '已结束',
  archived: '已归档',
};

/** What the button that moves an activity to a status says. */
export function moveLabel(from: ActivityStatus, to: ActivityStatus): string {
  if (to === 'published') return from === 'closed' ? '重新发布' : '发布';
  if (to === 'closed') return '结束报名';
  if (to === 'archived') return '归档';
  return '改为草稿';
}

/** What the confirmation of a move says will happen. */
export function moveConfirm(from: ActivityStatus, to: ActivityStatus): string {
  if (to === 'published')
    return from === 'closed' ? '重新发布后，职工可以再次看到并在报名时间内报名。' : '发布后，职工即可在活动列表中看到并报名。';
  if (to === 'closed') return '结束后不再接受报名，已有的报名记录保留。';
  return '归档后活动不再显示在职工的活动列表中，也不能再改变状态。';
}

/** The editor's names for the kinds (the catalogue's tags are shorter). */
export const KIND_NAME: Record<ActivityKind, string> = {
  lecture: '宣讲活动',
  competition: '文化比赛（征文、摄影、微视频）',
  sports: '运动会',
  training: '余工学堂培训',
  exchange: '文化交流',
  outreach: '进企业服务',
};

export const KIND_OPTIONS: Array<{ value: ActivityKind; label: string }> = ACTIVITY_KINDS.map((k) => ({ value: k, label: KIND_NAME[k] }));

/** The annual plan's items an activity counts toward (2022 实施方案). */
export const PLAN_ITEMS: string[] = [
  '职工文化比赛',
  '职工运动会',
  '宣讲活动',
  '余工学堂公益培训',
  '云课堂',
  '文化交流研讨',
  '文体用品进企业',
  '劳模进企业',
  '职工“双证制”工程',
  '两张网阵地建设',
  '品牌示范点建设',
];

/** The plan item a new activity of a kind most likely counts toward. */
export const DEFAULT_PLAN_ITEM: Record<ActivityKind, string> = {
  lecture: '宣讲活动',
  competition: '职工文化比赛',
  sports: '职工运动会',
  training: '余工学堂公益培训',
  exchange: '文化交流研讨',
  outreach: '文体用品进企业',
};

export const CATEGORY_OPTIONS: Array<{ value: AnnouncementCategory; label: string }> = (
  ['notice', 'training', 'publicity', 'news'] as const
).map((c) => ({ value: c, label: ANNOUNCEMENT_CATEGORY_LABEL[c] }));

export const ROLE_LABEL: Record<Role, string> = { worker: '职工', staff: '工作人员', admin: '管理员' };

/** A server's `field` ("payload.competition.windows.judging.end") without the payload prefix. */
export function fieldPath(field: string | undefined): string {
  return (field ?? '').replace(/^payload\.?/, '');
}
