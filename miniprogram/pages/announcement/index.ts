/**
 * 通知公告: one announcement, opened from the home page or an activity. Its body is plain text in
 * paragraphs (shown as typed, never as markup), its images below, each opening full screen with
 * wx.previewImage. One call (`announcements.detail`, which also counts the read); a withdrawn or
 * not-yet-published announcement answers NOT_FOUND and is shown as gone, without a retry.
 */
import { ANNOUNCEMENT_CATEGORY_LABEL } from '../../core/domain';
import { paragraphsOf } from '../../core/rules/announcement';
import { api } from '../../services/client';
import { formatDateTime } from '../../utils/format';
import { activityUrl } from '../../utils/view';

type Status = 'loading' | 'error' | 'gone' | 'ready';

const ids = new WeakMap<object, string>();

Component({
  data: {
    status: 'loading' as Status,
    errorText: '',
    title: '',
    meta: '',
    pinned: false,
    paragraphs: [] as string[],
    images: [] as string[],
    activityUrl: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>): void {
      let id = query.id ?? '';
      try {
        id = decodeURIComponent(id);
      } catch {
        // Not encoded after all.
      }
      ids.set(this, id);
      void this.load();
    },
    onShareAppMessage(): WechatMiniprogram.Page.ICustomShareContent {
      return { title: this.data.title || '区工人文化宫 · 通知公告', path: `/pages/announcement/index?id=${encodeURIComponent(ids.get(this) ?? '')}` };
    },
    async load(): Promise<void> {
      const id = ids.get(this) ?? '';
      if (!id) {
        this.setData({ status: 'gone', errorText: '没有指定要查看的公告' });
        return;
      }
      if (this.data.status !== 'loading') this.setData({ status: 'loading' });
      const r = await api('announcements.detail', { id });
      if (!r.ok) {
        // Withdrawn or not out yet: trying again would not bring it back.
        this.setData(r.code === 'NOT_FOUND' ? { status: 'gone', errorText: '这条公告已撤回或不存在' } : { status: 'error', errorText: r.message });
        return;
      }
      const a = r.data.announcement;
      this.setData({
        status: 'ready',
        title: a.title,
        meta: `${ANNOUNCEMENT_CATEGORY_LABEL[a.category]} · ${formatDateTime(a.publishAt, Date.now())} · 阅读 ${a.reads}`,
        pinned: a.pinned,
        paragraphs: paragraphsOf(a.body),
        images: a.images,
        activityUrl: a.activityId ? activityUrl(a.activityId) : '',
      });
    },
    retry(): void {
      void this.load();
    },
    preview(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index?: number }>): void {
      const i = Number(e.currentTarget.dataset.index);
      const current = this.data.images[i];
      if (current) wx.previewImage({ current, urls: this.data.images });
    },
    toActivity(): void {
      if (this.data.activityUrl) wx.navigateTo({ url: this.data.activityUrl });
    },
  },
});
