/**
 * "Changes nothing", checked on the durable engine itself: every collection of the domain except
 * the audit trail (a refused call may be audited), read around a batch of calls and compared.
 */
import { isDeepStrictEqual } from 'util';
import { COLLECTIONS } from '../../../miniprogram/core';
import type { Harness } from '../harness';

export type Snapshot = Record<string, Map<string, Record<string, unknown>>>;

export const WATCHED = Object.values(COLLECTIONS).filter((c) => c !== COLLECTIONS.audit);

export async function snapshot(h: Harness): Promise<Snapshot> {
  const out: Snapshot = {};
  await Promise.all(
    WATCHED.map(async (coll) => {
      const docs = await h.cloud.engine.find(coll);
      out[coll] = new Map(docs.map((d) => [String(d._id), d]));
    }),
  );
  return out;
}

export interface Change {
  coll: string;
  id: string;
  before: Record<string, unknown> | undefined;
  after: Record<string, unknown> | undefined;
}

export function changes(a: Snapshot, b: Snapshot): Change[] {
  const out: Change[] = [];
  for (const coll of WATCHED) {
    const x = a[coll] ?? new Map<string, Record<string, unknown>>();
    const y = b[coll] ?? new Map<string, Record<string, unknown>>();
    for (const id of new Set([...x.keys(), ...y.keys()])) {
      const before = x.get(id);
      const after = y.get(id);
      if (!isDeepStrictEqual(before, after)) out.push({ coll, id, before, after });
    }
  }
  return out;
}

/** One line per change, for failure messages. */
export function describeChanges(list: Change[], max = 10): string {
  const lines = list.slice(0, max).map((c) => {
    const what = c.before === undefined ? 'added' : c.after === undefined ? 'removed' : 'changed';
    const fields =
      c.before && c.after
        ? Object.keys({ ...c.before, ...c.after })
            .filter((k) => !isDeepStrictEqual(c.before?.[k], c.after?.[k]))
            .join(', ')
        : '';
    return `  ${c.coll}/${c.id} ${what}${fields ? ` (${fields})` : ''}`;
  });
  if (list.length > max) lines.push(`  … and ${list.length - max} more`);
  return lines.join('\n');
}
