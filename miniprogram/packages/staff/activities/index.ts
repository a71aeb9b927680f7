/**
 * 活动管理: the catalogue as staff see it, one tab per status (草稿 / 已发布 / 已结束 / 已归档),
 * newest first, twenty at a time (`activities.staffList`). Each activity shows its kind, plan
 * item, time, sign-up window and seats, and leads to its editor, its registrations and a new
 * announcement about it; its status moves only as core/staff.ts `canMove` allows, after a
 * confirmation. First screen: the 已发布 tab, one staff-only call (its refusal is the staff check).
 */
import { ACTIVITY_KIND_LABEL, ACTIVITY_STATUSES, type ActivityStatus } from '../../../core/domain';
import { canMove, type StaffActivityView } from '../../../core/staff';
import { api } from '../../../services/client';
import { formatRange } from '../../../utils/format';
import { bumpStaff, staffVersion } from '../lib/changes';
import { staffFirst, forgetStaff, type PageView } from '../lib/guard';
import { ACTIVITY_STATUS_LABEL, moveConfirm, moveLabel } from '../lib/labels';
import { STAFF_URLS } from '../lib/urls';

type MoreState = 'idle' | 'loading' | 'error' | 'end';

interface MoveVM {
  to: ActivityStatus;
  label: string;
}

interface ItemVM {
  id: string;
  title: string;
  kind: string;
  plan: string;
  meta: string;
  seats: string;
  moves: MoveVM[];
}

interface TabCache {
  items: StaffActivityView[];
  cursor: string | null;
}

interface Private {
  seq: number;
  busy: boolean;
  seen: number;
  /** Each tab as last loaded; dropped when an activity moves in or out of it. */
  tabs: Partial<Record<ActivityStatus, TabCache>>;
}

const priv = new WeakMap<object, Private>();

const TABS: Array<{ value: ActivityStatus; label: string }> = (['published', 'draft', 'closed', 'archived'] as const).map((s) => ({
  value: s,
  label: ACTIVITY_STATUS_LABEL[s],
}));

function seatsText(a: StaffActivityView): string {
  const taken = a.capacity > 0 ? `已报名 ${a.taken} / ${a.capacity}` : `已报名 ${a.taken}（不限名额）`;
  return a.waitlisted > 0 ? `${taken} · 候补 ${a.waitlisted}` : taken;
}

function itemVM(a: StaffActivityView, now: number): ItemVM {
  return {
    id: a.id,
    title: a.title,
    kind: ACTIVITY_KIND_LABEL[a.kind],
    plan: a.planItem,
    meta: `活动：${formatRange(a.time, now)}\n报名：${formatRange(a.signup, now)}`,
    seats: seatsText(a),
    moves: ACTIVITY_STATUSES.filter((to) => canMove(a.status, to)).map((to) => ({ to, label: moveLabel(a.status, to) })),
  };
}

const isStatus = (v: unknown): v is ActivityStatus => typeof v === 'string' && (ACTIVITY_STATUSES as readonly string[]).includes(v);

Component({
  data: {
    view: 'loading' as PageView,
    errorText: '',
    tabs: TABS,
    tab: 'published' as ActivityStatus,
    /** The tab's own state under the tabs. */
    listView: 'loading' as 'loading' | 'error' | 'empty' | 'ready',
    listError: '',
    list: [] as ItemVM[],
    more: 'idle' as MoreState,
    busyId: '',
  },
  methods: {
    onLoad(): void {
      void this.reload();
    },
    onShow(): void {
      const p = priv.get(this);
      if (p && p.seen !== staffVersion('activities')) {
        p.tabs = {};
        void this.reload(true);
      }
    },
    async onPullDownRefresh(): Promise<void> {
      this.state().tabs = {};
      await this.reload(true);
      wx.stopPullDownRefresh();
    },
    onReachBottom(): void {
      void this.loadMore();
    },

    state(): Private {
      let p = priv.get(this);
      if (!p) {
        p = { seq: 0, busy: false, seen: staffVersion('activities'), tabs: {} };
        priv.set(this, p);
      }
      return p;
    },

    /** The whole page: the current tab, whose refusal is the staff check (first load, retry). */
    async reload(keepContent = false): Promise<void> {
      const p = this.state();
      const seq = ++p.seq;
      const tab = this.data.tab;
      p.busy = true;
      p.seen = staffVersion('activities');
      if ((!keepContent || this.data.view !== 'ready') && this.data.view !== 'loading') this.setData({ view: 'loading' });
      const r = await staffFirst('activities.staffList', { status: tab });
      if (seq !== p.seq) return;
      p.busy = false;
      if (r === 'refused') {
        this.setData({ view: 'refused' });
        return;
      }
      if (!r.ok) {
        const message = r.message;
        if (keepContent && this.data.view === 'ready') wx.showToast({ title: message, icon: 'none' });
        else this.setData({ view: 'error', errorText: message });
        return;
      }
      p.tabs[tab] = { items: r.data.items, cursor: r.data.next };
      this.setData({ view: 'ready', ...this.tabData(tab) });
    },

    /** What the list under the tabs shows for a cached tab. */
    tabData(tab: ActivityStatus): Record<string, unknown> {
      const cache = this.state().tabs[tab];
      if (!cache) return { listView: 'loading', list: [] };
      const now = Date.now();
      return {
        listView: cache.items.length ? 'ready' : 'empty',
        list: cache.items.map((a) => itemVM(a, now)),
        more: cache.cursor ? 'idle' : 'end',
      };
    },

    async loadTab(tab: ActivityStatus): Promise<void> {
      const p = this.state();
      const seq = ++p.seq;
      p.busy = true;
      this.setData({ listView: 'loading', list: [] });
      const r = await api('activities.staffList', { status: tab });
      if (seq !== p.seq) return;
      p.busy = false;
      if (!r.ok) {
        this.setData({ listView: 'error', listError: r.message });
        return;
      }
      p.tabs[tab] = { items: r.data.items, cursor: r.data.next };
      if (this.data.tab === tab) this.setData(this.tabData(tab));
    },

    onTab(e: WechatMiniprogram.CustomEvent<{ value?: unknown }>): void {
      const tab = e.detail.value;
      if (!isStatus(tab) || tab === this.data.tab) return;
      const cached = this.state().tabs[tab];
      this.setData({ tab, ...(cached ? this.tabData(tab) : {}) });
      if (!cached) void this.loadTab(tab);
    },

    async loadMore(): Promise<void> {
      const p = this.state();
      const tab = this.data.tab;
      const cache = p.tabs[tab];
      if (p.busy || !cache?.cursor || this.data.listView !== 'ready') return;
      const seq = p.seq;
      p.busy = true;
      this.setData({ more: 'loading' });
      const r = await api('activities.staffList', { status: tab, cursor: cache.cursor });
      if (seq !== p.seq) return;
      p.busy = false;
      if (!r.ok) {
        this.setData({ more: 'error' });
        return;
      }
      const now = Date.now();
      const patch: Record<string, unknown> = {};
      r.data.items.forEach((a, i) => {
        patch[`list[${cache.items.length + i}]`] = itemVM(a, now);
      });
      cache.items.push(...r.data.items);
      cache.cursor = r.data.next;
      patch.more = cache.cursor ? 'idle' : 'end';
      this.setData(patch);
    },

    retry(): void {
      void this.reload();
    },
    retryTab(): void {
      void this.loadTab(this.data.tab);
    },
    retryMore(): void {
      void this.loadMore();
    },

    create(): void {
      wx.navigateTo({ url: STAFF_URLS.newActivity });
    },
    itemAt(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index?: number }>): StaffActivityView | null {
      return this.state().tabs[this.data.tab]?.items[Number(e.currentTarget.dataset.index)] ?? null;
    },
    edit(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index?: number }>): void {
      const a = this.itemAt(e);
      if (a) wx.navigateTo({ url: STAFF_URLS.editActivity(a.id) });
    },
    registrations(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index?: number }>): void {
      const a = this.itemAt(e);
      if (a) wx.navigateTo({ url: STAFF_URLS.registrations(a.id, a.title) });
    },
    opinions(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index?: number }>): void {
      const a = this.itemAt(e);
      if (a) wx.navigateTo({ url: STAFF_URLS.opinions(a.id, a.title) });
    },
    announce(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index?: number }>): void {
      const a = this.itemAt(e);
      if (a) wx.navigateTo({ url: STAFF_URLS.newAnnouncement(a.id, a.title) });
    },

    async move(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index?: number; to?: string }>): Promise<void> {
      const a = this.itemAt(e);
      const to = e.currentTarget.dataset.to;
      if (!a || !isStatus(to) || !canMove(a.status, to) || this.data.busyId) return;
      const label = moveLabel(a.status, to);
      const sure = await wx
        .showModal({
          title: `${label}「${a.title}」`,
          content: moveConfirm(a.status, to),
          confirmText: label,
          confirmColor: to === 'archived' ? '#d54941' : '#0052d9',
          cancelText: '取消',
        })
        .then((res) => res.confirm, () => false);
      if (!sure) return;
      this.setData({ busyId: a.id });
      const r = await api('activities.setStatus', { id: a.id, status: to });
      this.setData({ busyId: '' });
      const p = this.state();
      if (!r.ok) {
        if (r.code === 'FORBIDDEN') forgetStaff();
        wx.showToast({ title: r.message, icon: 'none' });
        // Someone else moved it meanwhile: show the lists as they are now.
        if (r.code === 'INVALID_STATE' || r.code === 'CONFLICT') {
          p.tabs = {};
          void this.loadTab(this.data.tab);
        }
        return;
      }
      // It left this tab and joined another: drop both caches, show this one without it.
      const tab = this.data.tab;
      const cache = p.tabs[tab];
      if (cache) cache.items = cache.items.filter((x) => x.id !== a.id);
      p.tabs[to] = undefined;
      bumpStaff('activities');
      p.seen = staffVersion('activities');
      this.setData(this.tabData(tab));
      wx.showToast({ title: `已${label}`, icon: 'success' });
    },
  },
});
