/**
 * 我的报名: every registration of the worker, newest first, twenty at a time (`registrations.mine`),
 * each with its state and when it was made; a confirmed one shows its check-in QR on tap (one
 * picture at a time, in a sheet, so the list stays light). Further pages are appended by index.
 */
import type { RegistrationView } from '../../core/domain';
import { api } from '../../services/client';
import { version } from '../../services/changes';
import { formatDateTime } from '../../utils/format';
import { REG_STATE_LABEL, REG_STATE_TONE, type Tone } from '../../utils/status';
import { Pager, type MoreState } from '../../utils/pager';
import { registrationUrl } from '../../utils/urls';

type ListState = 'loading' | 'error' | 'empty' | 'ready';

interface ItemVM {
  id: string;
  activityId: string;
  title: string;
  state: string;
  tone: Tone;
  when: string;
  note: string;
  /** The check-in code (confirmed only). */
  code: string;
}

interface Paging {
  pager: Pager<RegistrationView>;
  /** The version of `registrations` last drawn (services/changes): another page changed them since. */
  seen: number;
}

const paging = new WeakMap<object, Paging>();

function itemVM(r: RegistrationView, now: number): ItemVM {
  let note = '';
  if (r.state === 'waitlisted') note = '有人取消时按顺序递补';
  else if (r.state === 'pending') note = '等待工作人员审核';
  else if (r.state === 'rejected') note = r.reason ? `原因：${r.reason}` : '';
  return {
    id: r.id,
    activityId: r.activityId,
    title: r.activityTitle,
    state: REG_STATE_LABEL[r.state],
    tone: REG_STATE_TONE[r.state],
    when: `报名于 ${formatDateTime(r.createdAt, now)}`,
    note,
    code: r.state === 'confirmed' && r.checkinCode ? r.checkinCode : '',
  };
}

Component({
  data: {
    state: 'loading' as ListState,
    errorText: '',
    list: [] as ItemVM[],
    more: 'idle' as MoreState,
    qr: null as { title: string; code: string } | null,
  },
  methods: {
    onLoad(): void {
      void this.reload();
    },
    onShow(): void {
      const p = paging.get(this);
      if (p && p.seen !== version('registrations')) void this.reload(true);
    },
    async onPullDownRefresh(): Promise<void> {
      await this.reload(true);
      wx.stopPullDownRefresh();
    },
    onReachBottom(): void {
      void this.loadMore();
    },

    paging(): Paging {
      let p = paging.get(this);
      if (!p) {
        p = { pager: new Pager(), seen: version('registrations') };
        paging.set(this, p);
      }
      return p;
    },

    async reload(keepContent = false): Promise<void> {
      const p = this.paging();
      p.seen = version('registrations');
      if ((!keepContent || this.data.state !== 'ready') && this.data.state !== 'loading') this.setData({ state: 'loading' });
      const r = await p.pager.first(() => api('registrations.mine', {}));
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
        list: r.data.items.map((x) => itemVM(x, now)),
        more: p.pager.more(),
      });
    },

    async loadMore(): Promise<void> {
      const { pager } = this.paging();
      if (!pager.canLoadMore() || this.data.state !== 'ready') return;
      this.setData({ more: 'loading' });
      const now = Date.now();
      const patch = await pager.next((cursor) => api('registrations.mine', { cursor }), (x) => itemVM(x, now));
      if (patch) this.setData(patch);
    },

    retry(): void {
      void this.reload();
    },
    retryMore(): void {
      void this.loadMore();
    },
    browse(): void {
      wx.switchTab({ url: '/pages/activities/index' });
    },
    open(e: WechatMiniprogram.BaseEvent<Record<string, never>, { activity?: string }>): void {
      const id = e.currentTarget.dataset.activity;
      if (id) wx.navigateTo({ url: registrationUrl(id) });
    },
    showQr(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index?: number }>): void {
      const item = this.data.list[Number(e.currentTarget.dataset.index)];
      if (item?.code) this.setData({ qr: { title: item.title, code: item.code } });
    },
    hideQr(): void {
      this.setData({ qr: null });
    },
    onQrVisible(e: WechatMiniprogram.CustomEvent<{ visible: boolean }>): void {
      if (!e.detail.visible) this.hideQr();
    },
  },
});
