import { COLLECTIONS } from '../../miniprogram/core';
import { getById, insert, isDuplicateKeyError, updateWhere } from './cloud';

/**
 * Next number of a named sequence (entry codes). Compare-and-set on a counter document: lock-free,
 * no transaction (which would give up after 3 conflicts), never hands out a number twice.
 */
export async function nextNumber(name: string, now: number): Promise<number> {
  const id = `seq_${name}`;
  for (let attempt = 0; attempt < 50; attempt++) {
    const doc = await getById<{ _id: string; n: number }>(COLLECTIONS.counters, id);
    if (!doc) {
      try {
        await insert(COLLECTIONS.counters, { _id: id, n: 1, updatedAt: now });
        return 1;
      } catch (e) {
        if (!isDuplicateKeyError(e)) throw e;
        continue;
      }
    }
    if ((await updateWhere(COLLECTIONS.counters, { _id: id, n: doc.n }, { n: doc.n + 1, updatedAt: now })) === 1) return doc.n + 1;
  }
  throw new Error(`counter ${name} is too contended`);
}
