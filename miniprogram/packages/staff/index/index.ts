/**
 * Union staff's hub (a subpackage: workers never download it): the competitions, and under each
 * one its tracks, each leading to its 评审管理 page (invitations, assignment, progress, results).
 * The role check here only spares a worker a useless screen; every staff action is refused by the
 * server to anyone else. First screen: `session.me` and the competition list, asked together.
 */
import { trackTitle } from '../../../utils/view';
import type { ActivityCard } from '../../../core/domain';
import { api } from '../../../services/client';
import { formatRange } from '../../../utils/format';

type View = 'loading' | 'error' | 'refused' | 'empty' | 'ready';
type TracksState = 'closed' | 'loading' | 'error' | 'open';

interface TrackVM {
  id: string;
  name: string;
  url: string;
}

interface CompetitionVM {
  id: string;
  title: string;
  meta: string;
  tracks: TracksState;
  tracksError: string;
  list: TrackVM[];
}

interface Paging {
  cursor: string | null;
  busy: boolean;
}

const paging = new WeakMap<object, Paging>();

const STATUS_LABEL: Record<ActivityCard['status'], string> = { draft: '草稿', published: '进行中', closed: '已结束', archived: '往届' };

function competitionVM(c: ActivityCard, now: number): CompetitionVM {
  return { id: c.id, title: c.title, meta: `${STATUS_LABEL[c.status]} · ${formatRange(c.time, now)}`, tracks: 'closed', tracksError: '', list: [] };
}

const judgingUrl = (activityId: string, trackId: string, title: string): string =>
  `/packages/staff/judging/index?activityId=${encodeURIComponent(activityId)}&trackId=${encodeURIComponent(trackId)}&title=${encodeURIComponent(title)}`;

Component({
  data: {
    view: 'loading' as View,
    errorText: '',
    competitions: [] as CompetitionVM[],
    more: false,
    loadingMore: false,
  },
  methods: {
    onLoad(): void {
      paging.set(this, { cursor: null, busy: false });
      void this.load();
    },
    async onPullDownRefresh(): Promise<void> {
      await this.load(true);
      wx.stopPullDownRefresh();
    },
    onReachBottom(): void {
      void this.loadMore();
    },

    async load(quiet = false): Promise<void> {
      if (!quiet && this.data.view !== 'loading') this.setData({ view: 'loading' });
      // Both at once: the list is public, and the role decides whether it is shown.
      const [me, list] = await Promise.all([api('session.me', {}), api('activities.list', { kind: 'competition' })]);
      if (!me.ok) {
        this.setData({ view: 'error', errorText: me.message });
        return;
      }
      const role = me.data.me?.consented ? me.data.me.role : null;
      if (role !== 'staff' && role !== 'admin') {
        this.setData({ view: 'refused' });
        return;
      }
      if (!list.ok) {
        this.setData({ view: 'error', errorText: list.message });
        return;
      }
      const p = paging.get(this);
      if (p) p.cursor = list.data.next;
      const now = list.data.serverNow;
      this.setData({
        view: list.data.items.length ? 'ready' : 'empty',
        competitions: list.data.items.map((c) => competitionVM(c, now)),
        more: Boolean(list.data.next),
      });
    },
    async loadMore(): Promise<void> {
      const p = paging.get(this);
      if (!p || p.busy || !p.cursor || this.data.view !== 'ready') return;
      p.busy = true;
      this.setData({ loadingMore: true });
      const r = await api('activities.list', { kind: 'competition', cursor: p.cursor });
      p.busy = false;
      if (!r.ok) {
        this.setData({ loadingMore: false });
        wx.showToast({ title: r.message, icon: 'none' });
        return;
      }
      p.cursor = r.data.next;
      const patch: Record<string, unknown> = { loadingMore: false, more: Boolean(r.data.next) };
      const from = this.data.competitions.length;
      r.data.items.forEach((c, i) => (patch[`competitions[${from + i}]`] = competitionVM(c, r.data.serverNow)));
      this.setData(patch);
    },
    retry(): void {
      void this.load();
    },
    toHome(): void {
      wx.switchTab({ url: '/pages/home/index' });
    },

    /** Opens a competition's tracks (asked for once, on the first tap). */
    async toggle(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index?: number }>): Promise<void> {
      const i = Number(e.currentTarget.dataset.index);
      const c = this.data.competitions[i];
      if (!c) return;
      if (c.tracks === 'open') {
        this.setData({ [`competitions[${i}].tracks`]: 'closed' });
        return;
      }
      if (c.tracks === 'loading') return;
      if (c.list.length) {
        this.setData({ [`competitions[${i}].tracks`]: 'open' });
        return;
      }
      this.setData({ [`competitions[${i}].tracks`]: 'loading' });
      const r = await api('activities.detail', { id: c.id });
      if (!r.ok) {
        this.setData({ [`competitions[${i}].tracks`]: 'error', [`competitions[${i}].tracksError`]: r.message });
        return;
      }
      const tracks = r.data.activity.competition?.tracks ?? [];
      this.setData({
        [`competitions[${i}].tracks`]: tracks.length ? 'open' : 'error',
        [`competitions[${i}].tracksError`]: tracks.length ? '' : '这个比赛还没有设置赛道',
        [`competitions[${i}].list`]: tracks.map((t) => ({ id: t.id, name: trackTitle(t.kind, t.name), url: judgingUrl(c.id, t.id, `${c.title}·${t.name}`) })),
      });
    },
  },
});
