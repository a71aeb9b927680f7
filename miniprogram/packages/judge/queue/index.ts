/**
 * A judge's queue for one track: every assigned entry by its blind code, its state (待评 / 草稿 /
 * 已提交 / 已退回 with staff's reason) and the judge's own total, under a progress bar. The bottom
 * bar opens the next entry still to score. First screen: one call (`judging.queue`); coming back
 * from the score page refreshes it.
 */
import type { QueueItem } from '../../../core/judging';
import { api } from '../../../services/client';
import { STAGE_LABEL, STAGE_THEME, rememberQueue, scoreUrl, stageOf } from '../common';

type View = 'loading' | 'error' | 'empty' | 'ready';

interface ItemVM {
  scoreId: string;
  code: string;
  /** 复评 (round 2): shown as a badge. */
  round2: boolean;
  stage: string;
  theme: string;
  total: string;
  reason: string;
}

interface Private {
  activityId: string;
  trackId: string;
  /** Shown above the progress; sent with the first answer, so the first screen is one setData. */
  title: string;
  loaded: boolean;
  /** The first entry still to score, for the bottom bar. */
  next: string | null;
}

const priv = new WeakMap<object, Private>();

function itemVM(i: QueueItem): ItemVM {
  const stage = stageOf(i);
  // 初评 left unsubmitted when 复评 started can no longer be scored.
  const closed = i.locked && i.state !== 'final';
  return {
    scoreId: i.scoreId,
    code: i.code,
    round2: i.round === 2,
    stage: closed ? '初评已结束' : STAGE_LABEL[stage],
    theme: closed ? 'default' : STAGE_THEME[stage],
    total: i.total ? `${i.total} 分` : '',
    reason: stage === 'returned' ? `退回原因：${i.returnedReason}` : '',
  };
}

Component({
  data: {
    view: 'loading' as View,
    errorText: '',
    canRetry: true,
    title: '',
    items: [] as ItemVM[],
    percent: 0,
    summary: '',
    sectionTitle: '作品（按编号）',
    nextLabel: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>): void {
      let title = query.title ?? '';
      try {
        title = decodeURIComponent(title);
      } catch {
        // Not encoded: keep it as it came.
      }
      priv.set(this, { activityId: query.activityId ?? '', trackId: query.trackId ?? '', title, loaded: false, next: null });
      void this.load();
    },
    onShow(): void {
      if (priv.get(this)?.loaded) void this.load(true);
    },
    async onPullDownRefresh(): Promise<void> {
      await this.load(true);
      wx.stopPullDownRefresh();
    },

    async load(quiet = false): Promise<void> {
      const p = priv.get(this);
      if (!p?.activityId || !p.trackId) {
        this.setData({ view: 'error', errorText: '缺少比赛或赛道，请从评委评审页进入', canRetry: false });
        return;
      }
      if (!quiet && this.data.view !== 'loading') this.setData({ view: 'loading' });
      const r = await api('judging.queue', { activityId: p.activityId, trackId: p.trackId });
      p.loaded = true;
      if (!r.ok) {
        if (quiet && this.data.view === 'ready') return;
        this.setData({ view: 'error', errorText: r.message, canRetry: r.code !== 'FORBIDDEN' });
        return;
      }
      const { items, finals, assigned } = r.data;
      rememberQueue(p.activityId, p.trackId, items.map((i) => i.scoreId));
      const next = items.find((i) => i.state !== 'final' && !i.locked) ?? null;
      p.next = next?.scoreId ?? null;
      const round2 = items.filter((i) => i.round === 2);
      // The round in hand: 复评 once it has started.
      const started = (round2.length ? round2 : items).some((i) => i.state !== 'assigned');
      this.setData({
        view: items.length ? 'ready' : 'empty',
        title: p.title,
        items: items.map(itemVM),
        percent: assigned ? Math.round((finals / assigned) * 100) : 0,
        summary:
          finals === assigned && assigned > 0
            ? `已全部提交（${finals} 件），感谢您的辛勤评审`
            : round2.length
              ? `复评：已提交 ${round2.filter((i) => i.state === 'final').length} / ${round2.length} 件（初评已结束）`
              : `已提交 ${finals} / ${assigned} 件`,
        sectionTitle: round2.length ? '作品（复评在前，按编号）' : '作品（按编号）',
        nextLabel: next ? (started ? '继续评审' : '开始评审') : '',
      });
    },
    onStateAction(): void {
      if (this.data.canRetry) void this.load();
      else wx.navigateBack({ delta: 1 });
    },

    open(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id?: string }>): void {
      const id = e.currentTarget.dataset.id;
      if (id) this.go(id);
    },
    openNext(): void {
      const next = priv.get(this)?.next;
      if (next) this.go(next);
    },
    go(scoreId: string): void {
      const p = priv.get(this);
      if (p) wx.navigateTo({ url: scoreUrl(scoreId, p.activityId, p.trackId) });
    },
  },
});
