/**
 * The timer. Answers only its trigger (SOURCE wx_trigger): a client calling it gets FORBIDDEN.
 * Work is done in resumable batches, each well inside the timeout.
 */
import { COLLECTIONS, err, ok, type Result } from '../../../miniprogram/core';
import { caller, updateWhere, insert, isDuplicateKeyError } from '../../shared/cloud';
import { SOURCE, originOf } from '../../shared/sources';

export interface TickReport {
  at: number;
  tasks: Record<string, number>;
}

export async function main(_event: unknown): Promise<Result<TickReport>> {
  if (originOf(caller().source) !== SOURCE.timer) return err('FORBIDDEN');
  const at = Date.now();
  // Heartbeat: lets staff (and tests) see that the timer runs.
  const changed = await updateWhere(COLLECTIONS.meta, { _id: 'cron' }, { lastTickAt: at });
  if (changed === 0) {
    try {
      await insert(COLLECTIONS.meta, { _id: 'cron', lastTickAt: at });
    } catch (e) {
      if (!isDuplicateKeyError(e)) throw e;
    }
  }
  return ok({ at, tasks: {} });
}
