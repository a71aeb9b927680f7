/**
 * The paging of a list page fed by a cursor (`{ items, next }`, twenty at a time): which request is
 * current (a pull to refresh started while a page loads makes the older answer stale, so it is
 * dropped rather than drawn over the new list), whether one is in flight, the cursor, and how many
 * rows are drawn, so that a further page is appended by index (`list[20]`, …) in one small setData
 * instead of sending the whole list again. The rows themselves are kept (`items`) for pages that act
 * on a row by its index.
 */
import type { Result } from '../core/result';

export type MoreState = 'idle' | 'loading' | 'error' | 'end';

export interface CursorPage<T> {
  items: T[];
  next: string | null;
}

export class Pager<T> {
  /** The rows drawn so far, in order. */
  items: T[] = [];
  private seq = 0;
  private busy = false;
  private cursor: string | null = null;

  /**
   * Loads the first page (again): its answer, or 'stale' when a newer first page was asked for
   * meanwhile. `refused` passes through (a staff page whose first read was refused).
   */
  async first<R extends CursorPage<T>>(load: () => Promise<Result<R> | 'refused'>): Promise<Result<R> | 'refused' | 'stale'> {
    const seq = ++this.seq;
    this.busy = true;
    const r = await load();
    if (seq !== this.seq) return 'stale';
    this.busy = false;
    if (r !== 'refused' && r.ok) {
      this.cursor = r.data.next;
      this.items = [...r.data.items];
    }
    return r;
  }

  /** The state of the "more" row after the first page. */
  more(): MoreState {
    return this.cursor ? 'idle' : 'end';
  }

  /** Whether a further page can be asked for now. */
  canLoadMore(): boolean {
    return !this.busy && this.cursor !== null;
  }

  /**
   * The next page as a setData patch appending it to `field` (and the "more" row's state), or null
   * when there is nothing to ask for or the answer went stale.
   */
  async next<VM, P extends CursorPage<T> = CursorPage<T>>(
    load: (cursor: string) => Promise<Result<P>>,
    vm: (item: T, page: P) => VM,
    field = 'list',
  ): Promise<Record<string, unknown> | null> {
    const cursor = this.cursor;
    if (this.busy || cursor === null) return null;
    const seq = this.seq;
    this.busy = true;
    const r = await load(cursor);
    if (seq !== this.seq) return null;
    this.busy = false;
    if (!r.ok) return { more: 'error' satisfies MoreState };
    this.cursor = r.data.next;
    const patch: Record<string, unknown> = { more: this.more() };
    r.data.items.forEach((item, i) => (patch[`${field}[${this.items.length + i}]`] = vm(item, r.data)));
    this.items.push(...r.data.items);
    return patch;
  }
}
