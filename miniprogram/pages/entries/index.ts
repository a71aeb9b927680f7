/**
 * 我的作品: the worker's entries in every competition (`entries.mine`, one call): the blind code,
 * draft / submitted (which version) / withdrawn, and where moderation stands. Tapping one opens
 * the editor.
 */
import { trackTitle } from '../../utils/view';
import type { EntryCard } from '../../core/domain';
import { api } from '../../services/client';
import { version } from '../../services/changes';
import { formatDateTime } from '../../utils/format';
import { ENTRY_STATE_LABEL, ENTRY_STATE_TONE, MODERATION_TONE, moderationLabel, type Tone } from '../../utils/status';
import { entryByIdUrl } from '../../utils/urls';

type ListState = 'loading' | 'error' | 'empty' | 'ready';

interface ItemVM {
  id: string;
  title: string;
  track: string;
  code: string;
  state: string;
  tone: Tone;
  moderation: string;
  moderationTone: Tone;
  when: string;
}

const seen = new WeakMap<object, number>();

function itemVM(e: EntryCard, now: number): ItemVM {
  const state = e.state === 'submitted' && e.version > 1 ? `已提交第 ${e.version} 版` : ENTRY_STATE_LABEL[e.state];
  return {
    id: e.id,
    title: e.activityTitle,
    track: trackTitle(e.kind, e.trackName),
    code: `作品编号 ${e.code}`,
    state,
    tone: ENTRY_STATE_TONE[e.state],
    moderation: e.state === 'submitted' ? moderationLabel(e.moderation, e.kind) : '',
    moderationTone: MODERATION_TONE[e.moderation],
    when: e.submittedAt ? `提交于 ${formatDateTime(e.submittedAt, now)}` : '尚未提交',
  };
}

Component({
  data: {
    state: 'loading' as ListState,
    errorText: '',
    list: [] as ItemVM[],
  },
  methods: {
    onLoad(): void {
      void this.load();
    },
    onShow(): void {
      const v = seen.get(this);
      if (v !== undefined && v !== version('entries')) void this.load(true);
    },
    async onPullDownRefresh(): Promise<void> {
      await this.load(true);
      wx.stopPullDownRefresh();
    },

    async load(keepContent = false): Promise<void> {
      seen.set(this, version('entries'));
      if ((!keepContent || this.data.state !== 'ready') && this.data.state !== 'loading') this.setData({ state: 'loading' });
      const r = await api('entries.mine', {});
      if (!r.ok) {
        if (keepContent && this.data.state === 'ready') {
          wx.showToast({ title: r.message, icon: 'none' });
          return;
        }
        this.setData({ state: 'error', errorText: r.message });
        return;
      }
      const now = Date.now();
      this.setData({ state: r.data.items.length ? 'ready' : 'empty', list: r.data.items.map((e) => itemVM(e, now)) });
    },
    retry(): void {
      void this.load();
    },
    browse(): void {
      wx.switchTab({ url: '/pages/activities/index' });
    },
    open(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id?: string }>): void {
      const id = e.currentTarget.dataset.id;
      if (id) wx.navigateTo({ url: entryByIdUrl(id) });
    },
  },
});
