/**
 * 扫码签到: the camera reads the worker's QR, the server checks its signature and that it was not
 * used before (`registrations.checkin`), and staff see at once who it is, or why not. What is
 * scanned is checked against the contract first, so a stranger's QR (a web address, a payment
 * code) is refused without a call. A failed network keeps the code, to send again without
 * rescanning.
 */
import { ACTIONS } from '../../../core/actions';
import { api } from '../../../services/client';
import { formatDateTime } from '../../../utils/format';

export type CheckinOutcome =
  | { kind: 'ok'; code: string; name: string; activityTitle: string; at: number }
  | { kind: 'refused'; code: string; title: string; message: string }
  | { kind: 'failed'; code: string; message: string }
  | { kind: 'cancelled' };

/** What the result panel shows: one line in big type, the details under it. */
export interface OutcomeVM {
  tone: 'success' | 'danger' | 'warning';
  title: string;
  lines: string[];
  /** A network failure can be sent again with the same code. */
  canResend: boolean;
}

/** Opens the camera; answers the text of the QR, or null when staff closed the camera. */
export async function scan(): Promise<{ text: string } | { error: string } | null> {
  try {
    const res = await wx.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] });
    return { text: String(res.result ?? '') };
  } catch (e) {
    const msg = String((e as { errMsg?: string } | null)?.errMsg ?? '');
    if (/cancel/i.test(msg)) return null;
    return { error: '无法打开摄像头，请在微信设置中允许使用摄像头后重试' };
  }
}

/** The registration id inside a check-in code (c1.<registration>.<signature>). */
export function registrationOf(code: string): string {
  return code.split('.')[1] ?? '';
}

export async function checkin(text: string): Promise<CheckinOutcome> {
  const code = text.trim();
  const parsed = ACTIONS['registrations.checkin'].payload.parse({ code }, 'payload');
  if (!parsed.ok) return { kind: 'refused', code, title: '不是签到码', message: '扫到的不是本小程序的报名签到码。请让报名者打开“我的报名”，出示签到码。' };
  const r = await api('registrations.checkin', { code });
  if (r.ok) return { kind: 'ok', code, name: r.data.name, activityTitle: r.data.activityTitle, at: r.data.checkedInAt };
  switch (r.code) {
    case 'FORBIDDEN':
      return { kind: 'refused', code, title: '签到码无效', message: '签到码校验未通过（可能是伪造或被改动的），请核对报名者身份。' };
    case 'ALREADY_EXISTS':
      return { kind: 'refused', code, title: '已签到过', message: '这个签到码已经用过，不能重复签到。如是截图转给他人使用，请核对身份。' };
    case 'INVALID_STATE':
      return { kind: 'refused', code, title: '不能签到', message: `${r.message}。只有报名成功的职工可以签到。` };
    case 'INVALID_PAYLOAD':
      return { kind: 'refused', code, title: '不是签到码', message: r.message };
    default:
      return { kind: 'failed', code, message: r.message };
  }
}

export function outcomeVM(o: Exclude<CheckinOutcome, { kind: 'cancelled' }>, now: number): OutcomeVM {
  if (o.kind === 'ok') {
    return { tone: 'success', title: `签到成功：${o.name}`, lines: [o.activityTitle, `签到时间 ${formatDateTime(o.at, now)}`], canResend: false };
  }
  if (o.kind === 'refused') return { tone: 'danger', title: o.title, lines: [o.message], canResend: false };
  return { tone: 'warning', title: '签到未完成', lines: [o.message, '签到码已保留，可直接重新提交。'], canResend: true };
}
