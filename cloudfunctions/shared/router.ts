/**
 * The router of the app-facing functions, `api` and `export`, each over its own actions of the
 * one table (core/actions.ts functionOf). Pipeline for every call: shape of the event → an action
 * this function serves → caller from getWXContext() (never from the payload) → coarse role →
 * strict payload → handler. Answers a Result, never throws: an unexpected failure is logged with
 * the request id and answered as INTERNAL.
 */
import {
  ACTIONS,
  CONSENT_VERSION,
  LIMITS,
  err,
  isActionName,
  type Access,
  type ActionName,
  type ApiAction,
  type PayloadOf,
  type Result,
  type ResultOf,
  type Role,
  type UserDoc,
  COLLECTIONS,
} from '../../miniprogram/core';
import { caller, getById } from './cloud';
import { settings } from './config';
import { userIdFor } from './ids';

export interface Ctx {
  requestId: string;
  openid: string;
  userId: string;
  /** The key in the ids of the caller's own documents (UserDoc.idKey); '' before consent. */
  idKey: string;
  /** The stored user, or null for a first-time visitor. */
  user: UserDoc | null;
  /** Effective role: admins from the deployment setting are admins whatever the document says. */
  role: Role;
  now: number;
}

export type Handler<K extends ActionName> = (ctx: Ctx, payload: PayloadOf<K>) => Promise<Result<ResultOf<K>>>;
/** The handler table of one function: every action it serves (by default the api's), and no other. */
export type Handlers<A extends ActionName = ApiAction> = { [K in A]: Handler<K> };

const RANK: Record<Role, number> = { worker: 1, staff: 2, admin: 3 };

function allowed(access: Access, ctx: Ctx): Result<null> | null {
  if (access === 'anyone') return null;
  if (!ctx.user || ctx.user.consentVersion !== CONSENT_VERSION) return err('CONSENT_REQUIRED');
  if (access === 'member') return null;
  if (RANK[ctx.role] < RANK[access]) return err('FORBIDDEN');
  return null;
}

function depth(v: unknown, limit: number): number {
  if (typeof v !== 'object' || v === null) return 0;
  if (limit <= 0) return 1;
  let d = 0;
  for (const x of Object.values(v)) d = Math.max(d, depth(x, limit - 1));
  return d + 1;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface InvocationContext {
  request_id?: string;
  requestId?: string;
}

/** A function's main for the actions of its handler table; any other action is UNKNOWN_ACTION. */
export function createRouter<A extends ActionName>(handlers: Handlers<A>) {
  const serves = (action: unknown): action is A => isActionName(action) && Object.prototype.hasOwnProperty.call(handlers, action);
  return async function main(event: unknown, context?: InvocationContext): Promise<Result<unknown>> {
    const requestId = context?.request_id ?? context?.requestId ?? `local-${Date.now().toString(36)}`;
    try {
      if (!isPlainObject(event)) return err('BAD_REQUEST');
      // The platform adds userInfo to events from the app; nothing else may ride along.
      const { action, payload, userInfo: _userInfo, ...rest } = event;
      if (Object.keys(rest).length > 0) return err('BAD_REQUEST', `请求中有不允许的字段：${Object.keys(rest)[0]}`);
      if (!serves(action)) return err('UNKNOWN_ACTION');
      if (depth(payload, LIMITS.maxEventDepth + 1) > LIMITS.maxEventDepth) return err('INVALID_PAYLOAD', '提交的内容层级过深');
      if (JSON.stringify(payload ?? {}).length > LIMITS.maxEventBytes) return err('INVALID_PAYLOAD', '提交的内容过大');

      const who = caller();
      if (!who.openid) return err('UNAUTHENTICATED');
      const userId = userIdFor(who.openid);
      const user = await getById<UserDoc & Record<string, unknown>>(COLLECTIONS.users, userId);
      const role: Role = settings().adminOpenids.has(who.openid) ? 'admin' : (user?.role ?? 'worker');
      const ctx: Ctx = { requestId, openid: who.openid, userId, idKey: user?.idKey ?? '', user, role, now: Date.now() };

      const def = ACTIONS[action];
      const denied = allowed(def.access, ctx);
      if (denied) return denied;

      const parsed = def.payload.parse(payload === undefined ? {} : payload, 'payload');
      if (!parsed.ok) return err('INVALID_PAYLOAD', parsed.issue.message, parsed.issue.path);

      const handler = handlers[action] as Handler<ActionName>;
      return await handler(ctx, parsed.value as PayloadOf<ActionName>);
    } catch (e) {
      console.error(JSON.stringify({ level: 'error', requestId, error: e instanceof Error ? e.stack ?? e.message : String(e) }));
      return err('INTERNAL', `系统繁忙，请稍后再试（${requestId.slice(-8)}）`);
    }
  };
}
