/**
 * 活动: the catalogue of every kind of activity, filtered by kind and status, searched by title,
 * twenty at a time. Further pages are appended by index (`list[20]` …) so a setData carries only
 * the new cards, never the list again.
 */
import type { PayloadOf } from '../../core/actions';
import { ACTIVITY_KINDS, ACTIVITY_KIND_LABEL, type ActivityCard } from '../../core/domain';
import { api } from '../../services/client';
import { Pager, type MoreState } from '../../utils/pager';
import { cardVM, type CardVM } from '../../utils/view';

type Filters = PayloadOf<'activities.list'>;
type Status = NonNullable<Filters['status']>;
type Kind = NonNullable<Filters['kind']>;
type ListState = 'loading' | 'error' | 'empty' | 'ready';

interface Paging {
  /** Answers to an older query are dropped when they arrive after a newer one was sent. */
  pager: Pager<ActivityCard>;
  kind: Kind | null;
  status: Status | null;
  q: string;
}

const paging = new WeakMap<object, Paging>();

const KIND_TABS = [{ value: 'all', label: '全部' }, ...ACTIVITY_KINDS.map((k) => ({ value: k, label: ACTIVITY_KIND_LABEL[k] }))];
const STATUS_OPTIONS = [
  { value: 'all', label: '全部' },
  { value: 'published', label: '进行中' },
  { value: 'closed', label: '已结束' },
  { value: 'archived', label: '往届' },
];

const isKind = (v: unknown): v is Kind => typeof v === 'string' && (ACTIVITY_KINDS as readonly string[]).includes(v);
const isStatus = (v: unknown): v is Status => v === 'published' || v === 'closed' || v === 'archived';

Component({
  data: {
    kindTabs: KIND_TABS,
    statusOptions: STATUS_OPTIONS,
    kindValue: 'all',
    statusValue: 'all',
    state: 'loading' as ListState,
    errorText: '',
    filtered: false,
    list: [] as CardVM[],
    more: 'idle' as MoreState,
  },
  methods: {
    onLoad(): void {
      void this.reload();
    },
    async onPullDownRefresh(): Promise<void> {
      await this.reload(true);
      wx.stopPullDownRefresh();
    },
    onReachBottom(): void {
      void this.loadMore();
    },
    onShareAppMessage(): WechatMiniprogram.Page.ICustomShareContent {
      return { title: '区工人文化宫 · 全部活动', path: '/pages/activities/index' };
    },

    pager(): Paging {
      let p = paging.get(this);
      if (!p) {
        p = { pager: new Pager(), kind: null, status: null, q: '' };
        paging.set(this, p);
      }
      return p;
    },
    filters(): Filters {
      const p = this.pager();
      const f: Filters = {};
      if (p.kind) f.kind = p.kind;
      if (p.status) f.status = p.status;
      if (p.q) f.q = p.q;
      return f;
    },

    async reload(keepContent = false): Promise<void> {
      const p = this.pager();
      const filtered = Boolean(p.kind || p.status || p.q);
      const d = this.data;
      const alreadyBlank = d.state === 'loading' && d.list.length === 0 && d.filtered === filtered;
      if ((!keepContent || d.state !== 'ready') && !alreadyBlank) {
        this.setData({ state: 'loading', list: [], more: 'idle', filtered });
      }
      const r = await p.pager.first(() => api('activities.list', this.filters()));
      if (r === 'stale' || r === 'refused') return;
      if (!r.ok) {
        if (keepContent && this.data.state === 'ready') {
          wx.showToast({ title: r.message, icon: 'none' });
          return;
        }
        this.setData({ state: 'error', errorText: r.message });
        return;
      }
      const now = Date.now();
      this.setData({
        state: r.data.items.length ? 'ready' : 'empty',
        list: r.data.items.map((c) => cardVM(c, now)),
        more: p.pager.more(),
        filtered,
      });
    },

    async loadMore(): Promise<void> {
      const { pager } = this.pager();
      if (!pager.canLoadMore() || this.data.state !== 'ready') return;
      this.setData({ more: 'loading' });
      const now = Date.now();
      const patch = await pager.next((cursor) => api('activities.list', { ...this.filters(), cursor }), (c) => cardVM(c, now));
      if (patch) this.setData(patch);
    },

    onKind(e: WechatMiniprogram.CustomEvent<{ value: string }>): void {
      const value = e.detail.value;
      this.pager().kind = isKind(value) ? value : null;
      this.setData({ kindValue: isKind(value) ? value : 'all' });
      void this.reload();
    },
    onStatus(e: WechatMiniprogram.CustomEvent<{ value: string }>): void {
      const value = e.detail.value;
      this.pager().status = isStatus(value) ? value : null;
      this.setData({ statusValue: isStatus(value) ? value : 'all' });
      void this.reload();
    },
    onSearch(e: WechatMiniprogram.CustomEvent<{ value: string }>): void {
      this.pager().q = (e.detail.value ?? '').trim().slice(0, 30);
      void this.reload();
    },
    onClearSearch(): void {
      this.pager().q = '';
      void this.reload();
    },
    clearFilters(): void {
      const p = this.pager();
      p.kind = null;
      p.status = null;
      p.q = '';
      this.setData({ kindValue: 'all', statusValue: 'all' });
      void this.reload();
    },
    retry(): void {
      void this.reload();
    },
    retryMore(): void {
      void this.loadMore();
    },
  },
});
