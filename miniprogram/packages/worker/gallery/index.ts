/**
 * 获奖作品 of one competition track (宣传 and 表彰): once results are published, the winners'
 * works with their award, title, author and union, and a cover for photos and videos. Public, and
 * shareable. First screen: one call (`results.gallery`).
 */
import { TRACK_LABEL } from '../../../core/domain';
import type { GalleryItem } from '../../../core/judging';
import { api } from '../../../services/client';

type View = 'loading' | 'error' | 'unpublished' | 'empty' | 'ready';

interface ItemVM {
  code: string;
  award: string;
  theme: string;
  title: string;
  byline: string;
  kind: string;
  cover: string;
}

const AWARD_THEME: Record<string, string> = { 一等奖: 'danger', 二等奖: 'warning', 三等奖: 'primary' };

function itemVM(g: GalleryItem): ItemVM {
  return {
    code: g.code,
    award: g.award,
    theme: AWARD_THEME[g.award] ?? 'default',
    title: g.title || '（无题）',
    byline: g.unitName ? `${g.author} · ${g.unitName}` : g.author,
    kind: TRACK_LABEL[g.kind],
    cover: g.cover,
  };
}

const query = new WeakMap<object, { activityId: string; trackId: string; title: string }>();

Component({
  data: {
    view: 'loading' as View,
    errorText: '',
    title: '',
    stateText: '',
    items: [] as ItemVM[],
  },
  methods: {
    onLoad(q: Record<string, string | undefined>): void {
      let title = q.title ?? '';
      try {
        title = decodeURIComponent(title);
      } catch {
        // Not encoded: keep it as it came.
      }
      query.set(this, { activityId: q.activityId ?? '', trackId: q.trackId ?? '', title });
      void this.load();
    },
    async onPullDownRefresh(): Promise<void> {
      await this.load();
      wx.stopPullDownRefresh();
    },
    onShareAppMessage(): WechatMiniprogram.Page.ICustomShareContent {
      const q = query.get(this);
      const path = q ? `/packages/worker/gallery/index?activityId=${encodeURIComponent(q.activityId)}&trackId=${encodeURIComponent(q.trackId)}&title=${encodeURIComponent(q.title)}` : '/pages/home/index';
      return { title: q?.title ? `${q.title} 获奖作品` : '获奖作品展示', path };
    },

    async load(): Promise<void> {
      const q = query.get(this);
      if (!q?.activityId || !q.trackId) {
        this.setData({ view: 'error', errorText: '缺少比赛或赛道' });
        return;
      }
      const r = await api('results.gallery', { activityId: q.activityId, trackId: q.trackId });
      if (!r.ok) {
        this.setData({ view: 'error', errorText: r.message });
        return;
      }
      const { items, state } = r.data;
      if (state === null) {
        this.setData({ view: 'unpublished', title: q.title });
        return;
      }
      this.setData({
        view: items.length ? 'ready' : 'empty',
        title: q.title,
        stateText: state === 'final' ? '最终结果' : '公示中，结果以最终公布为准',
        items: items.map(itemVM),
      });
    },
    retry(): void {
      this.setData({ view: 'loading' });
      void this.load();
    },

    preview(e: WechatMiniprogram.BaseEvent<Record<string, never>, { url?: string }>): void {
      const current = e.currentTarget.dataset.url;
      const urls = this.data.items.map((i) => i.cover).filter(Boolean);
      if (current) wx.previewImage({ current, urls });
    },
  },
});
