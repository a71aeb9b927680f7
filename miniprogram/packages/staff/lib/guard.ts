/**
 * Who may use the staff pages. The server refuses every staff action to anyone else; this check
 * only spares a worker a screen of buttons that would all be refused, and tells them why. A
 * staff or admin answer is kept for the life of the app (the pages of this subpackage then need
 * no second round trip); a refusal is asked again each time, so a newly granted role shows at once.
 */
import { ACTIONS, type ActionName, type PayloadOf, type ResultOf } from '../../../core/actions';
import type { Role } from '../../../core/domain';
import { err, type Result } from '../../../core/result';
import { api } from '../../../services/client';

export type Gate =
  | { kind: 'staff'; role: 'staff' | 'admin'; userId: string }
  | { kind: 'refused' }
  | { kind: 'error'; message: string };

let known: { role: 'staff' | 'admin'; userId: string } | null = null;

const isStaffRole = (r: Role | undefined): r is 'staff' | 'admin' => r === 'staff' || r === 'admin';

/** Staff or admin, a refusal, or why it could not be told (with a retry). */
export async function checkStaff(): Promise<Gate> {
  if (known) return { kind: 'staff', ...known };
  const r = await api('session.me', {});
  if (!r.ok) return { kind: 'error', message: r.message };
  const me = r.data.me;
  if (!me || !me.consented || !isStaffRole(me.role)) return { kind: 'refused' };
  known = { role: me.role, userId: me.userId };
  return { kind: 'staff', ...known };
}

/** The server said FORBIDDEN to a staff action: the role was taken away; ask again next time. */
export function forgetStaff(): void {
  known = null;
}

/** A page's state after the gate and its first call. */
export type PageView = 'loading' | 'error' | 'refused' | 'empty' | 'ready';

/** The refusal every staff page shows, and where it leads. */
export const REFUSAL = {
  title: '仅限工会工作人员使用',
  text: '您的账号没有工作人员权限。如需开通，请联系区工人文化宫管理员。',
};

export function toHome(): void {
  wx.switchTab({ url: '/pages/home/index' });
}

/**
 * A staff page's first call together with the gate, in one round trip: the call's answer, or
 * 'refused' when the caller is not (or no longer) staff. A failed gate answers as the call's error.
 */
export async function asStaff<T>(call: Promise<Result<T>>): Promise<Result<T> | 'refused'> {
  const [gate, r] = await Promise.all([checkStaff(), call]);
  if (gate.kind === 'refused' || (!r.ok && r.code === 'FORBIDDEN')) {
    forgetStaff();
    return 'refused';
  }
  if (gate.kind === 'error') return err('NETWORK', gate.message);
  return r;
}

/**
 * A staff page's first call, in one round trip. A staff-only action is its own gate: the router
 * refuses anyone else (FORBIDDEN, or CONSENT_REQUIRED before consent), so no separate staff check
 * is asked. An action open to everyone would still go with the check (`asStaff`); no page's first
 * read is one now (the units page asks units.staffList, the hub activities.staffList).
 */
export async function staffFirst<K extends ActionName>(action: K, payload: PayloadOf<K>): Promise<Result<ResultOf<K>> | 'refused'> {
  const access = ACTIONS[action].access;
  if (access !== 'staff' && access !== 'admin') return asStaff(api(action, payload));
  const r = await api(action, payload);
  if (!r.ok && (r.code === 'FORBIDDEN' || r.code === 'CONSENT_REQUIRED')) {
    forgetStaff();
    return 'refused';
  }
  return r;
}

/** A page with nothing to read first (a scanner, an import): the staff check alone decides what it shows. */
export async function showGate(page: { data: { view: PageView }; setData(patch: Record<string, unknown>): void }): Promise<void> {
  if (page.data.view !== 'loading') page.setData({ view: 'loading' });
  const gate = await checkStaff();
  if (gate.kind === 'error') page.setData({ view: 'error', errorText: gate.message });
  else page.setData({ view: gate.kind === 'refused' ? 'refused' : 'ready' });
}
