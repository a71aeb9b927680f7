import { COLLECTIONS } from '../../miniprogram/core';
import { insert } from './cloud';
import type { Ctx } from './router';

/** The audit trail: who (opaque user id, never the OPENID) did what to which object, when. */
export async function audit(ctx: Ctx, what: string, objectId: string, detail: Record<string, unknown>): Promise<void> {
  await insert(COLLECTIONS.audit, { at: ctx.now, by: ctx.userId, what, objectId, detail, requestId: ctx.requestId });
}
