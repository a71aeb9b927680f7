import { COLLECTIONS } from '../../miniprogram/core';
import { insert } from './cloud';

/** The audit trail: who (opaque user id, never the OPENID) did what to which object, when. */
/** Who acts: a caller of the api, or the timer acting for the staff member who queued the work. */
export interface Actor {
  userId: string;
  now: number;
  requestId: string;
}

export async function audit(ctx: Actor, what: string, objectId: string, detail: Record<string, unknown>): Promise<void> {
  await insert(COLLECTIONS.audit, { at: ctx.now, by: ctx.userId, what, objectId, detail, requestId: ctx.requestId });
}
