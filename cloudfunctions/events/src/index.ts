/**
 * Message push (消息推送): asynchronous media-check verdicts and subscription events. Answers
 * only the platform's push (SOURCE), never a client, so nobody can post a fake verdict.
 */
import { err, ok, type Result } from '../../../miniprogram/core';
import { caller } from '../../shared/cloud';
import { SOURCE, originOf } from '../../shared/sources';

export async function main(event: unknown): Promise<Result<{ handled: string }>> {
  if (originOf(caller().source) !== SOURCE.messagePush) return err('FORBIDDEN');
  if (typeof event !== 'object' || event === null) return err('BAD_REQUEST');
  const e = event as Record<string, unknown>;
  if (e.MsgType !== 'event' || typeof e.Event !== 'string') return err('BAD_REQUEST');
  // Verdicts are applied to entries by the moderation module (issue: worker entries).
  return ok({ handled: e.Event });
}
