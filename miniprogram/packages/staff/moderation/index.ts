/**
 * 作品审核: submitted entries waiting for a person (every video; texts and photos the automatic
 * check flagged), oldest first (`moderation.queue`), and those already rejected, which can still
 * be let through. Staff read the text in full, look at photos full screen (wx.previewImage) and
 * play the video, then approve, or reject with a reason the author sees.
 * First screen: the queue, one staff-only call (its refusal is the staff check); a video player is made only when
 * staff tap to play, and the full text only when they open it.
 */
import type { ModerationItem } from '../../../core/staff';
import { TRACK_LABEL } from '../../../core/domain';
import { api } from '../../../services/client';
import { formatDateTime } from '../../../utils/format';
import { forgetStaff, staffFirst, type PageView } from '../lib/guard';
import { askText } from '../lib/ask';

const EXCERPT = 120;
/** Thumbnails drawn per entry; the rest open in the full-screen viewer. */
const THUMBS = 3;
/** Entries drawn at a time (the queue holds up to fifty): the rest follow on 显示更多. */
const STEP = 20;

interface ItemVM {
  entryId: string;
  code: string;
  where: string;
  kind: string;
  state: string;
  rejected: boolean;
  title: string;
  textLabel: string;
  excerpt: string;
  hasMore: boolean;
  /** The first few photos; `morePhotos` more open full screen. */
  photos: string[];
  morePhotos: number;
  video: string;
  cover: string;
  playing: boolean;
  when: string;
}

const queue = new WeakMap<object, ModerationItem[]>();

const isVideoUrl = (u: string): boolean => /\.mp4(\?|#|$)/i.test(u);

function itemVM(m: ModerationItem, now: number): ItemVM {
  const media = m.media.filter(Boolean);
  const video = m.kind === 'video' ? (media.find(isVideoUrl) ?? media[0] ?? '') : '';
  const chars = [...m.text];
  return {
    entryId: m.entryId,
    code: m.code,
    where: `${m.activityTitle} · ${m.trackName}`,
    kind: TRACK_LABEL[m.kind],
    state: m.moderation === 'rejected' ? '已驳回' : '待审核',
    rejected: m.moderation === 'rejected',
    title: m.title || '（无标题）',
    textLabel: m.kind === 'essay' ? '正文' : m.kind === 'video' ? '简介' : '图片说明',
    excerpt: chars.length > EXCERPT ? `${chars.slice(0, EXCERPT).join('')}…` : m.text,
    hasMore: chars.length > EXCERPT,
    photos: m.kind === 'photo' ? media.slice(0, THUMBS) : [],
    morePhotos: m.kind === 'photo' ? Math.max(0, media.length - THUMBS) : 0,
    video,
    cover: m.kind === 'video' ? (media.find((u) => u !== video) ?? '') : '',
    playing: false,
    when: `提交于 ${formatDateTime(m.submittedAt, now)}`,
  };
}

Component({
  data: {
    view: 'loading' as PageView,
    errorText: '',
    list: [] as ItemVM[],
    /** Entries in the queue not drawn yet. */
    hidden: 0,
    busyId: '',
    reading: null as { title: string; text: string } | null,
  },
  methods: {
    onLoad(): void {
      void this.reload();
    },
    async onPullDownRefresh(): Promise<void> {
      await this.reload(true);
      wx.stopPullDownRefresh();
    },

    async reload(keepContent = false): Promise<void> {
      if ((!keepContent || this.data.view !== 'ready') && this.data.view !== 'loading') this.setData({ view: 'loading' });
      const r = await staffFirst('moderation.queue', {});
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
      this.show(r.data.items);
    },
    /** The queue from the top, as many entries drawn as before (at least a first step). */
    show(items: ModerationItem[]): void {
      queue.set(this, items);
      const now = Date.now();
      const drawn = Math.min(items.length, Math.max(STEP, this.data.list.length));
      this.setData({ view: items.length ? 'ready' : 'empty', list: items.slice(0, drawn).map((m) => itemVM(m, now)), hidden: items.length - drawn });
    },
    showMore(): void {
      const items = queue.get(this) ?? [];
      const from = this.data.list.length;
      const now = Date.now();
      const patch: Record<string, unknown> = {};
      items.slice(from, from + STEP).forEach((m, k) => {
        patch[`list[${from + k}]`] = itemVM(m, now);
      });
      patch.hidden = Math.max(0, items.length - from - STEP);
      this.setData(patch);
    },
    retry(): void {
      void this.reload();
    },

    at(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index?: number }>): { i: number; m: ModerationItem } | null {
      const i = Number(e.currentTarget.dataset.index);
      const m = queue.get(this)?.[i];
      return m ? { i, m } : null;
    },

    // ---- looking -------------------------------------------------------------------------------------
    read(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index?: number }>): void {
      const hit = this.at(e);
      if (hit) this.setData({ reading: { title: `${hit.m.code} · ${hit.m.title}`, text: hit.m.text } });
    },
    closeReading(): void {
      this.setData({ reading: null });
    },
    onReadingVisible(e: WechatMiniprogram.CustomEvent<{ visible: boolean }>): void {
      if (!e.detail.visible) this.closeReading();
    },
    /** Every photo of the entry full screen, from the one tapped (or the first not drawn). */
    preview(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index?: number; at?: number }>): void {
      const hit = this.at(e);
      const urls = hit ? hit.m.media.filter(Boolean) : [];
      const current = urls[Number(e.currentTarget.dataset.at ?? 0)] ?? urls[0];
      if (current) wx.previewImage({ urls, current });
    },
    play(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index?: number }>): void {
      const i = Number(e.currentTarget.dataset.index);
      if (this.data.list[i]?.video) this.setData({ [`list[${i}].playing`]: true });
    },
    onVideoError(): void {
      wx.showToast({ title: '视频无法播放，链接可能已过期，请下拉刷新', icon: 'none' });
    },

    // ---- deciding --------------------------------------------------------------------------------------
    async decide(i: number, m: ModerationItem, approve: boolean, reason: string): Promise<boolean> {
      this.setData({ busyId: m.entryId });
      const r = await api('moderation.decide', { entryId: m.entryId, approve, reason });
      this.setData({ busyId: '' });
      if (!r.ok) {
        if (r.code === 'FORBIDDEN') forgetStaff();
        wx.showToast({ title: r.message, icon: 'none' });
        // A newer version arrived, or the author withdrew it: look again at what is there now.
        if (r.code === 'CONFLICT' || r.code === 'NOT_FOUND') void this.reload(true);
        return false;
      }
      const items = [...(queue.get(this) ?? [])];
      if (approve) items.splice(i, 1);
      else items[i] = { ...m, moderation: 'rejected' };
      this.show(items);
      return true;
    },
    async approve(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index?: number }>): Promise<void> {
      const hit = this.at(e);
      if (!hit || this.data.busyId) return;
      if (await this.decide(hit.i, hit.m, true, '')) wx.showToast({ title: '已通过', icon: 'success' });
    },
    async reject(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index?: number }>): Promise<void> {
      const hit = this.at(e);
      if (!hit || this.data.busyId || hit.m.moderation === 'rejected') return;
      const reason = await askText({
        title: `不通过：${hit.m.code}`,
        placeholder: '请填写理由，作者会看到',
        confirmText: '不通过',
        danger: true,
        min: 2,
        tooShort: '请填写不通过的理由（至少 2 个字），作者会看到',
      });
      if (reason === null) return;
      if (await this.decide(hit.i, hit.m, false, reason)) wx.showToast({ title: '已设为不通过', icon: 'success' });
    },
  },
});
