/**
 * 公告管理: every announcement, newest first, twenty at a time (`announcements.list`), each with
 * its category, 置顶, whether it is out, scheduled or withdrawn, and how often it was read;
 * withdrawing asks first. 发布公告 opens the editor, 编辑 opens it on one announcement; back here
 * the list reloads if it saved.
 * First screen: the first page, one staff-only call (its refusal is the staff check).
 */
import { ANNOUNCEMENT_CATEGORY_LABEL } from '../../../core/domain';
import type { StaffAnnouncementView } from '../../../core/staff';
import { api } from '../../../services/client';
import { formatDateTime } from '../../../utils/format';
import { Pager, type MoreState } from '../../../utils/pager';
import { staffVersion } from '../lib/changes';
import { staffFirst, type PageView } from '../lib/guard';
import { STAFF_URLS } from '../lib/urls';

type Tone = 'primary' | 'success' | 'warning' | 'danger' | 'default';

interface ItemVM {
  id: string;
  title: string;
  category: string;
  pinned: boolean;
  status: string;
  tone: Tone;
  meta: string;
  canWithdraw: boolean;
}

interface Private {
  pager: Pager<StaffAnnouncementView>;
  seen: number;
}

const priv = new WeakMap<object, Private>();

function itemVM(a: StaffAnnouncementView, now: number): ItemVM {
  const scheduled = !a.withdrawn && a.publishAt > now;
  const status = a.withdrawn ? '已撤回' : scheduled ? '定时发布' : '已发布';
  const tone: Tone = a.withdrawn ? 'default' : scheduled ? 'warning' : 'success';
  const when = scheduled ? `将于 ${formatDateTime(a.publishAt, now)} 发布` : `发布于 ${formatDateTime(a.publishAt, now)}`;
  const parts = [when, `阅读 ${a.reads}`];
  if (a.activityId) parts.push('已关联活动');
  return {
    id: a.id,
    title: a.title,
    category: ANNOUNCEMENT_CATEGORY_LABEL[a.category],
    pinned: a.pinned && !a.withdrawn,
    status,
    tone,
    meta: parts.join(' · '),
    canWithdraw: !a.withdrawn,
  };
}

Component({
  data: {
    view: 'loading' as PageView,
    errorText: '',
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
      if (p && p.seen !== staffVersion('announcements')) void this.reload(true);
    },
    async onPullDownRefresh(): Promise<void> {
      await this.reload(true);
      wx.stopPullDownRefresh();
    },
    onReachBottom(): void {
      void this.loadMore();
    },

    state(): Private {
      let p = priv.get(this);
      if (!p) {
        p = { pager: new Pager(), seen: staffVersion('announcements') };
        priv.set(this, p);
      }
      return p;
    },

    async reload(keepContent = false): Promise<void> {
      const p = this.state();
      p.seen = staffVersion('announcements');
      if ((!keepContent || this.data.view !== 'ready') && this.data.view !== 'loading') this.setData({ view: 'loading' });
      const r = await p.pager.first(() => staffFirst('announcements.list', {}));
      if (r === 'stale') return;
      if (r === 'refused') {
        this.setData({ view: 'refused' });
        return;
      }
      if (!r.ok) {
        const message = r.message;
        if (keepContent && this.data.view === 'ready') {
          wx.showToast({ title: message, icon: 'none' });
          return;
        }
        this.setData({ view: 'error', errorText: message });
        return;
      }
      const now = Date.now();
      this.setData({
        view: r.data.items.length ? 'ready' : 'empty',
        list: r.data.items.map((a) => itemVM(a, now)),
        more: p.pager.more(),
      });
    },

    async loadMore(): Promise<void> {
      const { pager } = this.state();
      if (!pager.canLoadMore() || this.data.view !== 'ready') return;
      this.setData({ more: 'loading' });
      const now = Date.now();
      const patch = await pager.next((cursor) => api('announcements.list', { cursor }), (a) => itemVM(a, now));
      if (patch) this.setData(patch);
    },

    retry(): void {
      void this.reload();
    },
    retryMore(): void {
      void this.loadMore();
    },
    create(): void {
      wx.navigateTo({ url: STAFF_URLS.newAnnouncement() });
    },
    edit(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index?: number }>): void {
      const item = this.data.list[Number(e.currentTarget.dataset.index)];
      if (item) wx.navigateTo({ url: STAFF_URLS.editAnnouncement(item.id) });
    },

    async withdraw(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index?: number }>): Promise<void> {
      const i = Number(e.currentTarget.dataset.index);
      const item = this.data.list[i];
      if (!item || !item.canWithdraw || this.data.busyId) return;
      const sure = await wx
        .showModal({
          title: '撤回公告',
          content: `撤回「${item.title}」后，职工将不再看到这条公告。撤回后不能恢复，如需再次发布请重新编写。`,
          confirmText: '撤回',
          confirmColor: '#d54941',
          cancelText: '取消',
        })
        .then((res) => res.confirm, () => false);
      if (!sure) return;
      this.setData({ busyId: item.id });
      const r = await api('announcements.withdraw', { id: item.id });
      this.setData({ busyId: '' });
      if (!r.ok && r.code !== 'NOT_FOUND') {
        wx.showToast({ title: r.message, icon: 'none' });
        return;
      }
      // Withdrawn now, or already withdrawn by someone else: either way it is no longer out.
      this.setData({ [`list[${i}].status`]: '已撤回', [`list[${i}].tone`]: 'default', [`list[${i}].canWithdraw`]: false, [`list[${i}].pinned`]: false });
      wx.showToast({ title: r.ok ? '已撤回' : r.message, icon: r.ok ? 'success' : 'none' });
    },
  },
});
