/**
 * Keyset paging for lists newest first: the cursor is "<value>_<id>" of the last row shown, and the
 * next page is a range query on an indexed field (never a deep skip(), which reads every row it
 * skips). The id breaks ties, so rows sharing a time are neither skipped nor repeated at a page
 * boundary.
 */
import { _ } from './cloud';

export interface Cursor {
  value: number;
  id: string;
}

/** null: the first page; 'bad': a cursor this server never made. */
export function parseCursor(c: string | undefined): Cursor | null | 'bad' {
  if (c === undefined) return null;
  const i = c.indexOf('_');
  const value = Number(c.slice(0, i));
  const id = c.slice(i + 1);
  if (i <= 0 || !Number.isSafeInteger(value) || id === '') return 'bad';
  return { value, id };
}

/** The rows after the cursor, for a list ordered by (field desc, _id desc). */
export function after(field: string, cursor: Cursor): Record<string, unknown> {
  return _.or([{ [field]: _.lt(cursor.value) }, { [field]: cursor.value, _id: _.lt(cursor.id) }]) as unknown as Record<string, unknown>;
}

/**
 * A page from `size + 1` rows read: the first `size`, and the cursor of the next page when there
 * is one.
 */
export function page<T extends { _id: string }>(rows: T[], size: number, value: (row: T) => number): { rows: T[]; next: string | null } {
  const shown = rows.slice(0, size);
  const last = shown[shown.length - 1];
  return { rows: shown, next: rows.length > size && last ? `${value(last)}_${last._id}` : null };
}
