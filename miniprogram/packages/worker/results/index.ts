/**
 * 我的成绩: the worker's entries whose results are out, during 公示 and once final: rank, award and
 * score; an appeal while the appeal window is open (one per entry, a reason of at least 10
 * characters) and staff's answer; the e-certificate once results are final. First screen: one
 * call (`results.mine`).
 */
import { ACTIONS } from '../../../core/actions';
import type { MyResult } from '../../../core/judging';
import { api } from '../../../services/client';

type View = 'loading' | 'error' | 'consent' | 'empty' | 'ready';

interface ResultVM {
  entryId: string;
  heading: string;
  track: string;
  code: string;
  state: string;
  final: boolean;
  rank: string;
  award: string;
  score: string;
  canAppeal: boolean;
  appeal: string;
  answer: string;
  certificate: boolean;
}

function resultVM(r: MyResult): ResultVM {
  return {
    entryId: r.entryId,
    heading: r.activityTitle,
    track: r.trackName,
    code: r.code,
    state: r.state === 'final' ? '最终结果' : '公示中',
    final: r.state === 'final',
    rank: r.rank === null ? '未排名' : `第 ${r.rank} 名`,
    award: r.award ?? '未获奖',
    score: r.score === null ? '—' : `${r.score} 分`,
    canAppeal: r.appealOpen,
    appeal: r.appeal ? (r.appeal.state === 'answered' ? '申诉已答复' : '申诉已提交，工作人员处理后会在这里答复') : '',
    answer: r.appeal?.state === 'answered' ? r.appeal.answer : '',
    certificate: r.certificate,
  };
}

Component({
  data: {
    view: 'loading' as View,
    errorText: '',
    items: [] as ResultVM[],
    appealing: '',
    reason: '',
    reasonError: '',
    sending: false,
  },
  methods: {
    onLoad(): void {
      void this.load();
    },
    async onPullDownRefresh(): Promise<void> {
      await this.load(true);
      wx.stopPullDownRefresh();
    },

    async load(quiet = false): Promise<void> {
      if (!quiet && this.data.view !== 'loading') this.setData({ view: 'loading' });
      const r = await api('results.mine', {});
      if (!r.ok) {
        if (quiet && this.data.view === 'ready') {
          wx.showToast({ title: r.message, icon: 'none' });
          return;
        }
        if (r.code === 'CONSENT_REQUIRED') this.setData({ view: 'consent' });
        else this.setData({ view: 'error', errorText: r.message });
        return;
      }
      this.setData({ view: r.data.items.length ? 'ready' : 'empty', items: r.data.items.map(resultVM) });
    },
    onStateAction(): void {
      if (this.data.view === 'consent') wx.switchTab({ url: '/pages/me/index' });
      else void this.load();
    },

    openAppeal(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id?: string }>): void {
      const id = e.currentTarget.dataset.id ?? '';
      this.setData({ appealing: id, reason: '', reasonError: '' });
    },
    cancelAppeal(): void {
      this.setData({ appealing: '', reason: '', reasonError: '' });
    },
    onReason(e: WechatMiniprogram.CustomEvent<{ value?: string }>): void {
      this.setData({ reason: e.detail.value ?? '', reasonError: '' });
    },
    async sendAppeal(): Promise<void> {
      const entryId = this.data.appealing;
      if (!entryId || this.data.sending) return;
      const reason = this.data.reason.trim();
      const parsed = ACTIONS['appeals.file'].payload.parse({ entryId, reason });
      if (!parsed.ok) {
        this.setData({ reasonError: reason ? `申诉理由${parsed.issue.message}` : '请写明申诉理由（至少 10 个字）' });
        return;
      }
      this.setData({ sending: true });
      const r = await api('appeals.file', parsed.value);
      this.setData({ sending: false });
      if (!r.ok) {
        if (r.field === 'payload.reason') {
          this.setData({ reasonError: r.message });
          return;
        }
        wx.showToast({ title: r.message, icon: 'none' });
        // Already filed or closed meanwhile: show where things stand.
        if (r.code === 'ALREADY_EXISTS' || r.code === 'CLOSED' || r.code === 'INVALID_STATE') {
          this.setData({ appealing: '' });
          void this.load(true);
        }
        return;
      }
      const i = this.data.items.findIndex((x) => x.entryId === entryId);
      this.setData({
        appealing: '',
        reason: '',
        [`items[${i}].canAppeal`]: false,
        [`items[${i}].appeal`]: '申诉已提交，工作人员处理后会在这里答复',
      });
      wx.showToast({ title: '申诉已提交', icon: 'success' });
    },

    openCertificate(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id?: string }>): void {
      const id = e.currentTarget.dataset.id;
      if (id) wx.navigateTo({ url: `/packages/worker/certificate/index?entryId=${encodeURIComponent(id)}` });
    },
  },
});
