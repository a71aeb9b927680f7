/**
 * Union staff's hub (a subpackage: workers never download it): the competitions, and under each
 * one its tracks, each leading to its 评审管理 page (invitations, assignment, progress, results).
 * First screen, one call: the competitions as staff see them (`activities.staffList` with
 * kind 'competition': drafts too, newest first, twenty at a time). It is staff-only, so the
 * router's refusal is the staff check; the check only spares a worker a useless screen, every
 * staff action being refused by the server to anyone else.
 */
import { trackTitle } from '../../../utils/view';
import type { ActivityStatus } from '../../../core/domain';
import type { StaffActivityView } from '../../../core/staff';
import { api } from '../../../services/client';
import { formatRange } from '../../../utils/format';
import { forgetStaff, staffFirst, toHome, type PageView } from '../lib/guard';

type View = PageView;
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

const STATUS_LABEL: Record<ActivityStatus, string> = { draft: '草稿', published: '进行中', closed: '已结束', archived: '往届' };

function competitionVM(c: StaffActivityView, now: number): CompetitionVM {
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
      const list = await staffFirst('activities.staffList', { kind: 'competition' });
      if (list === 'refused') {
        this.setData({ view: 'refused' });
        return;
      }
      if (!list.ok) {
        this.setData({ view: 'error', errorText: list.message });
        return;
      }
      const cursor = list.data.next;
      const p = paging.get(this);
      if (p) p.cursor = cursor;
      const now = Date.now();
      this.setData({
        view: list.data.items.length ? 'ready' : 'empty',
        competitions: list.data.items.map((c) => competitionVM(c, now)),
        more: Boolean(cursor),
      });
    },
    async loadMore(): Promise<void> {
      const p = paging.get(this);
      if (!p || p.busy || !p.cursor || this.data.view !== 'ready') return;
      p.busy = true;
      this.setData({ loadingMore: true });
      const r = await api('activities.staffList', { kind: 'competition', cursor: p.cursor });
      p.busy = false;
      if (!r.ok) {
        if (r.code === 'FORBIDDEN') forgetStaff();
        this.setData({ loadingMore: false });
        wx.showToast({ title: r.message, icon: 'none' });
        return;
      }
      p.cursor = r.data.next;
      const patch: Record<string, unknown> = { loadingMore: false, more: Boolean(p.cursor) };
      const from = this.data.competitions.length;
      const now = Date.now();
      r.data.items.forEach((c, i) => (patch[`competitions[${from + i}]`] = competitionVM(c, now)));
      this.setData(patch);
    },
    retry(): void {
      void this.load();
    },
    toHome(): void {
      toHome();
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
      const r = await api('activities.get', { id: c.id });
      if (!r.ok) {
        if (r.code === 'FORBIDDEN') forgetStaff();
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
