/**
 * 首页: pinned notices, what is open for sign-up, and the deadlines coming up. One call
 * (`home.get`) fills the whole screen, so it appears at once or not at all.
 */
import { api } from '../../services/client';
import { announcementVM, cardVM, deadlineVM, type AnnouncementVM, type CardVM, type DeadlineVM } from '../../utils/view';

type Status = 'loading' | 'error' | 'ready';

Component({
  data: {
    status: 'loading' as Status,
    errorText: '',
    announcements: [] as AnnouncementVM[],
    open: [] as CardVM[],
    deadlines: [] as DeadlineVM[],
  },
  methods: {
    onLoad(): void {
      void this.load();
    },
    async onPullDownRefresh(): Promise<void> {
      await this.load(true);
      wx.stopPullDownRefresh();
    },
    onShareAppMessage(): WechatMiniprogram.Page.ICustomShareContent {
      return { title: '区工人文化宫 · 职工文化活动', path: '/pages/home/index' };
    },
    async load(keepContent = false): Promise<void> {
      // A pull-to-refresh keeps what is on screen until the new answer arrives.
      const showLoading = !keepContent || this.data.status !== 'ready';
      if (showLoading && this.data.status !== 'loading') this.setData({ status: 'loading' });
      const r = await api('home.get', {});
      if (!r.ok) {
        if (keepContent && this.data.status === 'ready') {
          wx.showToast({ title: r.message, icon: 'none' });
          return;
        }
        this.setData({ status: 'error', errorText: r.message });
        return;
      }
      const now = r.data.serverNow;
      this.setData({
        status: 'ready',
        announcements: r.data.announcements.map((a) => announcementVM(a, now)),
        open: r.data.open.map((c) => cardVM(c, now)),
        deadlines: r.data.deadlines.map((d) => deadlineVM(d, now)),
      });
    },
    retry(): void {
      void this.load();
    },
    allActivities(): void {
      wx.switchTab({ url: '/pages/activities/index' });
    },
  },
});
