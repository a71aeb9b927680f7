/**
 * Typed judging and results views as the api answers them, around the same fixed moment as
 * fixtures.ts (10 June 2026, 10:00 in China).
 */
import type { ActivityCard } from '../../miniprogram/core/domain';
import type {
  BlindEntry,
  CertificateData,
  GalleryItem,
  MyResult,
  PanelView,
  ProgressView,
  QueueItem,
  ResultRow,
  ResultsDoc,
} from '../../miniprogram/core/judging';
import type { Rubric } from '../../miniprogram/core/rules/scoring';
import { DAY, fromChina } from '../../miniprogram/core/time';
import { card, NOW } from './fixtures';

export { NOW };

export const SPRING = { activityId: 'act-essay', trackId: 'essay' };

export function rubric(): Rubric {
  return {
    criteria: [
      { id: 'content', name: '思想内容', weight: 50, max: 10 },
      { id: 'structure', name: '结构布局', weight: 30, max: 10 },
      { id: 'language', name: '语言表达', weight: 20, max: 10 },
    ],
  };
}

export function panel(over: Partial<PanelView> = {}): PanelView {
  return {
    activityId: SPRING.activityId,
    activityTitle: '“中国梦·劳动美”职工征文比赛',
    trackId: SPRING.trackId,
    trackName: '职工征文',
    kind: 'essay',
    assigned: 12,
    finals: 3,
    judgingEnds: fromChina(2026, 6, 21),
    ...over,
  };
}

export function queueItem(n: number, over: Partial<QueueItem> = {}): QueueItem {
  return {
    scoreId: `sc1_ZW-2026-${String(n).padStart(4, '0')}_u-zhao`,
    code: `ZW-2026-${String(n).padStart(4, '0')}`,
    round: 1,
    locked: false,
    state: 'assigned',
    total: null,
    returnedReason: '',
    ...over,
  };
}

export function queue(items: QueueItem[]) {
  return { items, finals: items.filter((i) => i.state === 'final').length, assigned: items.length };
}

export const ESSAY = '春天的清晨，车间里机器的轰鸣声唤醒了沉睡的城市。\n\n我是一名普通的电焊工，二十年来……\n焊花飞溅，照亮了我们劳动者的梦想。';

export function blindEntry(over: Partial<BlindEntry> = {}): BlindEntry {
  return {
    scoreId: queueItem(2).scoreId,
    code: 'ZW-2026-0002',
    kind: 'essay',
    title: '焊花里的春天',
    text: ESSAY,
    photos: [],
    video: null,
    rubric: rubric(),
    commentRequired: false,
    state: 'assigned',
    scores: {},
    comment: '',
    returnedReason: '',
    round: 1,
    locked: false,
    index: 1,
    count: 3,
    ...over,
  };
}

export function progress(over: Partial<ProgressView> = {}): ProgressView {
  return {
    round: 1,
    currentRound: 1,
    round2Available: false,
    round2: null,
    conflicts: [],
    autoConflicts: 0,
    judges: [
      { id: 'u_zhao', name: '赵老师', assigned: 8, finals: 8 },
      { id: 'u_qian', name: '钱老师', assigned: 8, finals: 5 },
      { id: 'u_sun', name: '孙老师', assigned: 8, finals: 0 },
    ],
    entries: [
      { code: 'ZW-2026-0001', finals: 2, assigned: 2, spread: '4.50', recheck: false, scores: [] },
      { code: 'ZW-2026-0002', finals: 2, assigned: 2, spread: '26.00', recheck: true, scores: [{ scoreId: 'sc1_ZW-2026-0002_u_zhao', judge: '赵老师', state: 'final', total: '88.00' }, { scoreId: 'sc1_ZW-2026-0002_u_qian', judge: '钱老师', state: 'final', total: '62.00' }] },
      { code: 'ZW-2026-0003', finals: 1, assigned: 2, spread: '0.00', recheck: false, scores: [] },
    ],
    totalAssigned: 24,
    totalFinal: 13,
    ...over,
  };
}

export function resultRow(n: number, over: Partial<ResultRow> = {}): ResultRow {
  return {
    entryId: `ent-${n}`,
    code: `ZW-2026-${String(n).padStart(4, '0')}`,
    rank: n,
    award: null,
    score: (95 - n).toFixed(2),
    mean: (95 - n).toFixed(2),
    spread: '3.00',
    judges: 3,
    recheck: false,
    totals: ['90.00', '93.00', '92.00'],
    ...over,
  };
}

type Preview = Omit<ResultsDoc, '_id'> & { totalRows: number; from: number };

export function results(over: Partial<Preview> = {}): Preview {
  return {
    activityId: SPRING.activityId,
    trackId: SPRING.trackId,
    state: 'preview',
    participants: 12,
    cap: 4,
    rows: [
      resultRow(1, { award: '一等奖' }),
      resultRow(2, { award: '二等奖' }),
      resultRow(3, { award: '三等奖', recheck: true, spread: '26.00' }),
      resultRow(4, { award: '三等奖' }),
      resultRow(5),
    ],
    warnings: ['三等奖 3 名超出获奖总数上限，已从优秀奖起削减'],
    missingScores: 2,
    computedAt: NOW - DAY,
    computedBy: 'u-chen',
    publishedAt: null,
    publishOverride: null,
    finalAt: null,
    version: 1,
    totalRows: 5,
    from: 0,
    ...over,
  };
}

export function myResult(over: Partial<MyResult> = {}): MyResult {
  return {
    entryId: 'ent-li',
    activityId: 'act-comp',
    trackId: 'essay',
    code: 'ZW-2026-0007',
    activityTitle: '“中国梦·劳动美”职工征文比赛',
    trackName: '职工征文',
    state: 'publicity',
    rank: 2,
    award: '二等奖',
    score: '88.67',
    appealOpen: true,
    appeal: null,
    certificate: false,
    ...over,
  };
}

export function galleryItem(over: Partial<GalleryItem> = {}): GalleryItem {
  return {
    code: 'SY-2026-0003',
    award: '一等奖',
    rank: 1,
    title: '晨曦中的塔吊',
    author: '王芳',
    unitName: '临平街道总工会',
    kind: 'photo',
    cover: 'http://127.0.0.1:3720/storage/tmp/cover-3.jpg',
    ...over,
  };
}

export function certificate(over: Partial<CertificateData> = {}): CertificateData {
  return {
    verifyCode: 'K7M2P9QX4R',
    name: '李明',
    unitName: '区人民医院工会',
    activityTitle: '“中国梦·劳动美”职工征文比赛',
    trackName: '职工征文',
    award: '二等奖',
    code: 'ZW-2026-0007',
    issuedAt: fromChina(2026, 6, 30, 9, 0),
    issuer: '区工人文化宫',
    ...over,
  };
}

export function competitionCard(over: Partial<ActivityCard> = {}): ActivityCard {
  return card({ id: 'act-essay', kind: 'competition', title: '“中国梦·劳动美”职工征文比赛', capacity: 0, left: null, next: 'view', ...over });
}
