/**
 * Judges' entrance (a subpackage: only judges download it): the panels the judge sits on, with
 * their progress and the judging deadline, and the way onto a new panel: an 8-character invitation
 * code, typed here or carried by the 小程序码 staff send (`scene=j%3D<code>`: joined at once).
 * Judging rights are panel seats granted by invitation, checked by the server on every call.
 * First screen: one call (`judging.panels`).
 */
import type { Err } from '../../../core/result';
import type { PanelView } from '../../../core/judging';
import { TRACK_LABEL } from '../../../core/domain';
import { api } from '../../../services/client';
import { formatEnd } from '../../../utils/format';
import { inviteCodeFromScene, inviteCodeProblem, queueUrl } from '../common';

type View = 'loading' | 'error' | 'needProfile' | 'ready';

interface PanelVM {
  key: string;
  url: string;
  title: string;
  track: string;
  percent: number;
  progress: string;
  ends: string;
  done: boolean;
}

function panelVM(p: PanelView, now: number): PanelVM {
  const percent = p.assigned ? Math.round((p.finals / p.assigned) * 100) : 0;
  return {
    key: `${p.activityId}/${p.trackId}`,
    url: queueUrl(p.activityId, p.trackId, `${p.activityTitle}·${p.trackName}`),
    title: p.activityTitle,
    track: `${TRACK_LABEL[p.kind]} · ${p.trackName}`,
    percent,
    progress: p.assigned ? `已提交 ${p.finals} / ${p.assigned} 件` : '尚未分配作品',
    ends: now >= p.judgingEnds ? '评审已结束' : `评审截止 ${formatEnd(p.judgingEnds, now)}`,
    done: p.assigned > 0 && p.finals === p.assigned,
  };
}

/** Refusals that mean "fill in your profile first", not "try again". */
const needsProfile = (e: Err): boolean => e.code === 'CONSENT_REQUIRED' || e.code === 'PROFILE_REQUIRED';

const shown = new WeakMap<object, { loaded: boolean }>();

Component({
  data: {
    view: 'loading' as View,
    errorText: '',
    profileText: '',
    panels: [] as PanelVM[],
    code: '',
    codeError: '',
    joining: false,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>): void {
      shown.set(this, { loaded: false });
      const code = inviteCodeFromScene(query.scene);
      if (code) void this.joinThenLoad(code);
      else void this.load();
    },
    onShow(): void {
      // Back from scoring: the progress changed.
      const s = shown.get(this);
      if (s?.loaded && this.data.view === 'ready') void this.load(true);
    },
    async onPullDownRefresh(): Promise<void> {
      await this.load(true);
      wx.stopPullDownRefresh();
    },

    async load(quiet = false): Promise<void> {
      if (!quiet && this.data.view !== 'loading') this.setData({ view: 'loading' });
      const r = await api('judging.panels', {});
      const s = shown.get(this);
      if (s) s.loaded = true;
      if (!r.ok) {
        if (quiet && this.data.view === 'ready') return;
        if (needsProfile(r)) this.setData({ view: 'needProfile', profileText: '评委需要先在「我的」页面阅读隐私说明并填写资料，系统据此回避与您同单位的作品。' });
        else this.setData({ view: 'error', errorText: r.message });
        return;
      }
      const now = Date.now();
      this.setData({ view: 'ready', panels: r.data.panels.map((p) => panelVM(p, now)) });
    },
    retry(): void {
      void this.load();
    },

    /** Opened from a scanned invitation: take the seat, then show every panel. */
    async joinThenLoad(code: string): Promise<void> {
      this.setData({ code });
      const joined = await this.join(code);
      if (joined !== 'profile') await this.load(joined === 'joined' && this.data.view === 'ready');
    },

    onCode(e: WechatMiniprogram.CustomEvent<{ value?: string }>): void {
      const code = (e.detail.value ?? '').toUpperCase();
      this.setData({ code, codeError: '' });
    },
    async submitCode(): Promise<void> {
      if (this.data.joining) return;
      const code = this.data.code.trim().toUpperCase();
      const problem = inviteCodeProblem(code);
      if (problem) {
        this.setData({ codeError: problem });
        return;
      }
      const joined = await this.join(code);
      if (joined === 'joined') this.setData({ code: '' });
    },

    /** Takes a seat; says whether it worked, or why the judge must fill in a profile first. */
    async join(code: string): Promise<'joined' | 'refused' | 'profile'> {
      const problem = inviteCodeProblem(code);
      if (problem) {
        this.setData({ codeError: problem });
        return 'refused';
      }
      this.setData({ joining: true, codeError: '' });
      const r = await api('judging.join', { code });
      this.setData({ joining: false });
      if (!r.ok) {
        if (needsProfile(r)) {
          this.setData({ view: 'needProfile', profileText: `${r.message}。完善后请回到本页，用邀请码 ${code} 加入评审。` });
          return 'profile';
        }
        this.setData({ codeError: r.message });
        return 'refused';
      }
      const vm = panelVM(r.data.panel, Date.now());
      const others = this.data.panels.filter((p) => p.key !== vm.key);
      this.setData({ panels: [vm, ...others], code: '' });
      wx.showToast({ title: '已加入评审', icon: 'success' });
      return 'joined';
    },

    open(e: WechatMiniprogram.BaseEvent<Record<string, never>, { url?: string }>): void {
      const url = e.currentTarget.dataset.url;
      if (url) wx.navigateTo({ url });
    },
    toProfile(): void {
      wx.switchTab({ url: '/pages/me/index' });
    },
  },
});
