/**
 * What the judge's pages share: the words for a score's state, the page addresses, the invitation
 * code in a scanned 小程序码, the check of a typed score, and the queue order the score page
 * steps through. Pure but for the in-memory queue order (no wx).
 */
import { ACTIONS } from '../../core/actions';
import type { QueueItem } from '../../core/judging';
import type { Criterion } from '../../core/rules/scoring';

/** How a judge reads an assignment: 待评 / 草稿 / 已提交 / 已退回 (a final score staff sent back). */
export type ScoreStage = 'todo' | 'draft' | 'final' | 'returned';

export const STAGE_LABEL: Record<ScoreStage, string> = {
  todo: '待评',
  draft: '草稿',
  final: '已提交',
  returned: '已退回',
};

export const STAGE_THEME: Record<ScoreStage, 'default' | 'primary' | 'success' | 'danger'> = {
  todo: 'default',
  draft: 'primary',
  final: 'success',
  returned: 'danger',
};

export function stageOf(item: Pick<QueueItem, 'state' | 'returnedReason'>): ScoreStage {
  if (item.state === 'final') return 'final';
  if (item.returnedReason) return 'returned';
  return item.state === 'draft' ? 'draft' : 'todo';
}

const q = encodeURIComponent;

export const queueUrl = (activityId: string, trackId: string, title = ''): string =>
  `/packages/judge/queue/index?activityId=${q(activityId)}&trackId=${q(trackId)}${title ? `&title=${q(title)}` : ''}`;

export const scoreUrl = (scoreId: string, activityId: string, trackId: string): string =>
  `/packages/judge/score/index?scoreId=${q(scoreId)}&activityId=${q(activityId)}&trackId=${q(trackId)}`;

/**
 * The invitation code in a scanned 小程序码: WeChat opens the page with `scene` URI-encoded
 * (`j%3DABCD2345`), sometimes twice. Answers the code, or null when the scene is not an invitation.
 */
export function inviteCodeFromScene(scene: string | undefined): string | null {
  if (!scene) return null;
  let s = scene;
  for (let i = 0; i < 2 && /%[0-9A-Fa-f]{2}/.test(s); i++) {
    try {
      s = decodeURIComponent(s);
    } catch {
      return null;
    }
  }
  const m = /(?:^|&)j=([^&]*)/.exec(s.trim());
  if (!m) return null;
  const code = (m[1] ?? '').trim().toUpperCase();
  return code || null;
}

/** The invitation code as typed, checked as the server checks it: '' when fine, else why not. */
export function inviteCodeProblem(code: string): string {
  const c = code.trim();
  if (!c) return '请输入邀请码';
  if (c.length !== 8) return '邀请码为 8 位字母或数字';
  // Codes leave out the look-alikes: a typed 0 or O is a misreading.
  if (/[01OI]/i.test(c)) return '邀请码里没有 0、1、O、I，请核对后重新输入';
  const r = ACTIONS['judging.join'].payload.parse({ code });
  return r.ok ? '' : r.issue.message;
}

/** A typed score: blank, a number that fits the criterion, or what is wrong with it. */
export type ParsedScore = { kind: 'blank' } | { kind: 'ok'; value: number } | { kind: 'bad'; message: string };

/** Checks what a judge typed for one criterion, in the words of the scoring rule's own messages. */
export function parseScore(c: Pick<Criterion, 'name' | 'max'>, text: string): ParsedScore {
  const t = text.trim();
  if (t === '') return { kind: 'blank' };
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(t)) return { kind: 'bad', message: `「${c.name}」的分数应为数字` };
  const value = Number(t);
  if (!Number.isFinite(value) || value < 0 || value > c.max) return { kind: 'bad', message: `「${c.name}」的分数应在 0 到 ${c.max} 之间` };
  if (!Number.isInteger(value * 2)) return { kind: 'bad', message: `「${c.name}」的分数以 0.5 分为单位` };
  return { kind: 'ok', value };
}

/** A score as the input shows it: 8, 8.5. */
export const scoreText = (v: number | undefined): string => (v === undefined ? '' : String(v));

/** One half-point up or down from what is typed, kept within 0..max. */
export function stepScore(c: Pick<Criterion, 'max'>, text: string, delta: 0.5 | -0.5): string | null {
  const t = text.trim();
  const current = t === '' ? null : Number(t);
  if (current === null) return delta > 0 ? scoreText(Math.min(c.max, 0.5)) : null;
  if (!Number.isFinite(current)) return null;
  // From a value off the half-point grid, the first step lands on the grid.
  const snapped = delta > 0 ? Math.floor(current * 2) / 2 + 0.5 : Math.ceil(current * 2) / 2 - 0.5;
  const next = Math.min(c.max, Math.max(0, snapped));
  return next === current ? null : scoreText(next);
}

// ---- the queue order, for 上一件 / 下一件 ------------------------------------------------------

const orders = new Map<string, string[]>();
const key = (activityId: string, trackId: string): string => `${activityId}\u0000${trackId}`;

/** The queue page keeps its order here, so the score page can step without another call. */
export function rememberQueue(activityId: string, trackId: string, scoreIds: string[]): void {
  orders.set(key(activityId, trackId), scoreIds.slice());
}

export function rememberedQueue(activityId: string, trackId: string): string[] | null {
  return orders.get(key(activityId, trackId)) ?? null;
}
