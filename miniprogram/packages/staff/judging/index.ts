/**
 * 评审管理 for one competition track, for staff: 进度 (per judge and per entry, entries whose
 * totals spread too far flagged 复核, a final score sent back to its judge with a reason), 评委
 * (single-use invitations with their 小程序码 and a code to copy; assignment, all-to-all or k judges
 * per entry) and 结果 (compute, preview the ranking with awards, rechecks, warnings and the cap,
 * publish for 公示, overriding missing scores or rechecks only with a recorded reason, then make
 * final, which issues the certificates). 复评: when the track's settings ask for it, 开始复评 shows
 * how many entries go on (a dry run) and asks before it starts; the board then shows 复评, with 初评
 * a tap away. 回避: from an entry row staff pick a judge and give a reason; declared conflicts are
 * listed with 解除. First screen: one call (`judging.progress`); the results are asked for when
 * their tab is opened.
 */
import { ACTIONS } from '../../../core/actions';
import type { ProgressView, ResultsDoc, ResultsState, ScoreState } from '../../../core/judging';
import { api } from '../../../services/client';
import { formatDateTime, formatEnd } from '../../../utils/format';
import { exportAndOpen, STEP_TEXT } from '../lib/export';

type Tab = 'progress' | 'judges' | 'results';
type Load = 'loading' | 'error' | 'ready';
type ResultsLoad = 'idle' | 'loading' | 'error' | 'none' | 'ready';
type Results = Omit<ResultsDoc, '_id'>;

type ProgressEntry = ProgressView['entries'][number];

interface JudgeVM {
  name: string;
  text: string;
  percent: number;
}
interface EntryVM {
  code: string;
  /** The round shown: 复评 rows carry a badge. */
  round2: boolean;
  text: string;
  spread: string;
  recheck: boolean;
  scores: { scoreId: string; label: string; canReturn: boolean }[];
}
interface ChipVM {
  id: string;
  name: string;
  on: boolean;
}
interface ConflictVM {
  key: string;
  judgeId: string;
  code: string;
  text: string;
}
interface InvitationVM {
  code: string;
  expires: string;
  qrUrl: string;
}
interface RowVM {
  key: string;
  rank: string;
  code: string;
  score: string;
  award: string;
  recheck: boolean;
}

interface Private {
  activityId: string;
  trackId: string;
  /** Sent with the first answer, so the first screen is one setData. */
  title: string;
  /** Every entry of the board; the page shows them PAGE_ROWS at a time. */
  entries: EntryVM[];
  rows: RowVM[];
  results: Results | null;
  /** The round the board shows; null = the current one. */
  round: 1 | 2 | null;
}

const PAGE_ROWS = 50;
const STATE_LABEL: Record<ResultsState, string> = { computing: '计算中', preview: '预览（未公布）', publicity: '公示中', final: '已确定' };
const SCORE_STATE: Record<ScoreState, string> = { assigned: '待评', draft: '草稿', final: '已提交' };

const priv = new WeakMap<object, Private>();

function entryVM(e: ProgressEntry, round: 1 | 2): EntryVM {
  return {
    code: e.code,
    round2: round === 2,
    text: `已提交 ${e.finals} / ${e.assigned}`,
    spread: e.spread === null ? '' : `分差 ${e.spread}`,
    recheck: e.recheck,
    scores: e.scores.map((s) => ({
      scoreId: s.scoreId,
      label: `${s.judge}：${SCORE_STATE[s.state]}${s.total ? ` ${s.total} 分` : ''}`,
      canReturn: s.state === 'final',
    })),
  };
}

function rowVM(r: Results['rows'][number]): RowVM {
  return { key: r.entryId, rank: r.rank === null ? '—' : String(r.rank), code: r.code, score: r.score ?? '—', award: r.award ?? '', recheck: r.recheck };
}

function facts(r: Results, now: number): string[] {
  const awarded = r.rows.filter((x) => x.award).length;
  const rechecks = r.rows.filter((x) => x.recheck).length;
  const out = [`参赛作品 ${r.participants} 件，获奖上限 ${r.cap} 名，拟获奖 ${awarded} 名`];
  out.push(r.missingScores ? `还有 ${r.missingScores} 份评分未提交` : '全部评分已提交');
  if (rechecks) out.push(`${rechecks} 件作品评委分差过大，需复核`);
  out.push(`计算于 ${formatDateTime(r.computedAt, now)}`);
  if (r.publishedAt) out.push(`公示于 ${formatDateTime(r.publishedAt, now)}`);
  if (r.publishOverride) out.push(`发布理由：${r.publishOverride.reason}`);
  if (r.finalAt) out.push(`确定于 ${formatDateTime(r.finalAt, now)}`);
  return out;
}

Component({
  data: {
    title: '',
    tab: 'progress' as Tab,
    // 进度
    progress: 'loading' as Load,
    progressError: '',
    percent: 0,
    summary: '',
    rechecks: 0,
    judges: [] as JudgeVM[],
    entries: [] as EntryVM[],
    moreEntries: 0,
    // 复评
    round: 1 as 1 | 2,
    currentRound: 1 as 1 | 2,
    roundText: '',
    round2Available: false,
    r2Judges: [] as ChipVM[],
    r2Mode: 'all' as 'all' | 'k',
    r2K: 2,
    // 回避
    conflicts: [] as ConflictVM[],
    autoConflictText: '',
    conflictCode: '',
    conflictJudges: [] as ChipVM[],
    conflictReason: '',
    conflictError: '',
    // 评委
    inviteCount: 1,
    inviteDays: 7,
    inviting: false,
    invitations: [] as InvitationVM[],
    assignMode: 'all' as 'all' | 'k',
    assignK: 3,
    assigning: false,
    assignResult: '',
    // 结果
    results: 'idle' as ResultsLoad,
    resultsError: '',
    resultsState: '' as ResultsState | '',
    stateLabel: '',
    facts: [] as string[],
    warnings: [] as string[],
    rows: [] as RowVM[],
    moreRows: 0,
    busy: '',
    refusal: '',
    overrideReason: '',
    overrideError: '',
    exportStep: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>): void {
      let title = query.title ?? '';
      try {
        title = decodeURIComponent(title);
      } catch {
        // Not encoded: keep it as it came.
      }
      priv.set(this, { activityId: query.activityId ?? '', trackId: query.trackId ?? '', title, entries: [], rows: [], results: null, round: null });
      void this.loadProgress();
    },
    async onPullDownRefresh(): Promise<void> {
      if (this.data.tab === 'results') await this.loadResults();
      else await this.loadProgress(true);
      wx.stopPullDownRefresh();
    },
    track(): { activityId: string; trackId: string } {
      const p = priv.get(this);
      return { activityId: p?.activityId ?? '', trackId: p?.trackId ?? '' };
    },

    onTab(e: WechatMiniprogram.CustomEvent<{ value: string }>): void {
      const tab = e.detail.value as Tab;
      this.setData({ tab });
      if (tab === 'results' && this.data.results === 'idle') void this.loadResults();
    },

    // ---- 进度 -------------------------------------------------------------------------------
    async loadProgress(quiet = false): Promise<void> {
      const t = this.track();
      if (!t.activityId || !t.trackId) {
        this.setData({ progress: 'error', progressError: '缺少比赛或赛道，请从工作人员后台进入' });
        return;
      }
      if (!quiet && this.data.progress !== 'loading') this.setData({ progress: 'loading' });
      const round = priv.get(this)?.round ?? null;
      const r = await api('judging.progress', round ? { ...t, round } : t);
      if (!r.ok) {
        if (quiet && this.data.progress === 'ready') wx.showToast({ title: r.message, icon: 'none' });
        else this.setData({ progress: 'error', progressError: r.message });
        return;
      }
      const v = r.data;
      const entries = v.entries as ProgressEntry[];
      // Entries to recheck first: they are what staff act on.
      const sorted = [...entries].sort((a, b) => Number(b.recheck) - Number(a.recheck));
      const all = sorted.map((e) => entryVM(e, v.round));
      const p = priv.get(this);
      if (p) p.entries = all;
      const name = v.round === 2 ? '复评' : '初评';
      const keep = new Map(this.data.r2Judges.map((c) => [c.id, c.on]));
      this.setData({
        progress: 'ready',
        title: priv.get(this)?.title ?? '',
        round: v.round,
        currentRound: v.currentRound,
        roundText: v.round2
          ? `${v.round === 2 ? '正在查看复评' : '正在查看初评（已锁定）'}：${v.round2.finalists} 件作品进入复评，${v.round2.judges} 位复评评委`
          : '',
        round2Available: v.round2Available,
        r2Judges: v.round2Available ? v.judges.map((j) => ({ id: j.id, name: j.name, on: keep.get(j.id) ?? true })) : [],
        conflicts: v.conflicts.map((c) => ({ key: `${c.judgeId}|${c.code}`, judgeId: c.judgeId, code: c.code, text: `${c.judge} 回避 ${c.code}：${c.reason}` })),
        autoConflictText: v.autoConflicts ? `按本单位、本企业自动回避 ${v.autoConflicts} 次` : '',
        conflictJudges: v.judges.map((j) => ({ id: j.id, name: j.name, on: false })),
        percent: v.totalAssigned ? Math.round((v.totalFinal / v.totalAssigned) * 100) : 0,
        summary: v.totalAssigned ? `${v.round2 ? `${name}：` : ''}已提交 ${v.totalFinal} / ${v.totalAssigned} 份评分` : '尚未分配作品',
        rechecks: entries.filter((e) => e.recheck).length,
        judges: v.judges.map((j) => ({ name: j.name, text: `${j.finals} / ${j.assigned}`, percent: j.assigned ? Math.round((j.finals / j.assigned) * 100) : 0 })),
        entries: all.slice(0, PAGE_ROWS),
        moreEntries: Math.max(0, all.length - PAGE_ROWS),
      });
    },
    showMoreEntries(): void {
      const p = priv.get(this);
      if (!p) return;
      const from = this.data.entries.length;
      const patch: Record<string, unknown> = { moreEntries: Math.max(0, p.entries.length - from - PAGE_ROWS) };
      p.entries.slice(from, from + PAGE_ROWS).forEach((e, i) => (patch[`entries[${from + i}]`] = e));
      this.setData(patch);
    },
    retryProgress(): void {
      void this.loadProgress();
    },
    /** Between 初评 (locked) and 复评 once 复评 has started. */
    switchRound(): void {
      const p = priv.get(this);
      if (!p) return;
      p.round = this.data.round === 2 ? 1 : 2;
      void this.loadProgress();
    },

    // ---- 复评 -------------------------------------------------------------------------------
    toggleR2Judge(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index?: number }>): void {
      const i = Number(e.currentTarget.dataset.index);
      const chip = this.data.r2Judges[i];
      if (chip) this.setData({ [`r2Judges[${i}].on`]: !chip.on });
    },
    onR2Mode(e: WechatMiniprogram.CustomEvent<{ value: string }>): void {
      this.setData({ r2Mode: e.detail.value === 'k' ? 'k' : 'all' });
    },
    onR2K(e: WechatMiniprogram.CustomEvent<{ value: number }>): void {
      this.setData({ r2K: Number(e.detail.value) });
    },
    /**
     * 开始复评: a dry run says who goes on (and refuses while 初评 scores are missing: staff may go
     * on with a recorded reason), then staff confirm, then it starts.
     */
    async startRound2(): Promise<void> {
      if (this.data.busy) return;
      const judges = this.data.r2Judges.filter((c) => c.on).map((c) => c.id);
      if (judges.length === 0) {
        wx.showToast({ title: '请至少选择一位复评评委', icon: 'none' });
        return;
      }
      const base = { ...this.track(), judges: judges.length === this.data.r2Judges.length ? [] : judges, mode: this.data.r2Mode, k: this.data.r2K };
      this.setData({ busy: 'round2' });
      let overrideReason: string | undefined;
      let dry = await api('judging.startRound2', { ...base, dryRun: true });
      if (!dry.ok && dry.code === 'INVALID_STATE' && dry.message.includes('初评评分未提交')) {
        this.setData({ busy: '' });
        const reason = await wx
          .showModal({ title: '初评尚未完成', content: '', editable: true, placeholderText: `${dry.message.split('；')[0]}。仍要开始，请填写理由（记录在案）`, confirmText: '继续' })
          .then((res) => (res.confirm ? (res.content ?? '').trim() : null), () => null);
        if (reason === null) return;
        if (reason.length < 4) {
          wx.showToast({ title: '理由至少 4 个字', icon: 'none' });
          return;
        }
        overrideReason = reason;
        this.setData({ busy: 'round2' });
        dry = await api('judging.startRound2', { ...base, overrideReason, dryRun: true });
      }
      this.setData({ busy: '' });
      if (!dry.ok) {
        void wx.showModal({ title: '暂不能开始复评', content: dry.message, showCancel: false, confirmText: '知道了' });
        return;
      }
      const f = dry.data.finalists;
      const ties = f.length > dry.data.k ? `（前 ${dry.data.k} 名，并列的一并进入）` : '';
      const who = base.judges.length ? `${judges.length} 位复评评委` : `全部 ${judges.length} 位评委`;
      const confirmed = await wx
        .showModal({
          title: '开始复评',
          content: `将有 ${f.length} 件作品进入复评${ties}：${f.map((x) => x.code).join('、')}。由${who}重新评分。开始后初评评分锁定，不能再修改或退回。`,
          confirmText: '开始复评',
        })
        .then((res) => res.confirm, () => false);
      if (!confirmed) return;
      this.setData({ busy: 'round2' });
      const r = await api('judging.startRound2', { ...base, ...(overrideReason ? { overrideReason } : {}), dryRun: false });
      this.setData({ busy: '' });
      if (!r.ok) {
        void wx.showModal({ title: '未能开始复评', content: r.message, showCancel: false, confirmText: '知道了' });
        return;
      }
      wx.showToast({ title: `复评已开始，${r.data.finalists.length} 件作品`, icon: 'none' });
      const p = priv.get(this);
      if (p) p.round = null;
      await this.loadProgress(true);
    },

    // ---- 回避 -------------------------------------------------------------------------------
    openConflict(e: WechatMiniprogram.BaseEvent<Record<string, never>, { code?: string }>): void {
      const code = e.currentTarget.dataset.code ?? '';
      this.setData({
        conflictCode: this.data.conflictCode === code ? '' : code,
        conflictJudges: this.data.conflictJudges.map((c) => ({ ...c, on: false })),
        conflictReason: '',
        conflictError: '',
      });
    },
    pickConflictJudge(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index?: number }>): void {
      const i = Number(e.currentTarget.dataset.index);
      this.setData({ conflictJudges: this.data.conflictJudges.map((c, j) => ({ ...c, on: j === i })), conflictError: '' });
    },
    onConflictReason(e: WechatMiniprogram.CustomEvent<{ value?: string }>): void {
      this.setData({ conflictReason: e.detail.value ?? '', conflictError: '' });
    },
    cancelConflict(): void {
      this.setData({ conflictCode: '', conflictReason: '', conflictError: '' });
    },
    async declareConflict(): Promise<void> {
      if (this.data.busy) return;
      const judge = this.data.conflictJudges.find((c) => c.on);
      if (!judge) {
        this.setData({ conflictError: '请选择需要回避的评委' });
        return;
      }
      const parsed = ACTIONS['judging.conflict'].payload.parse({ ...this.track(), code: this.data.conflictCode, judgeId: judge.id, declare: true, reason: this.data.conflictReason });
      if (!parsed.ok) {
        this.setData({ conflictError: this.data.conflictReason.trim() ? `回避原因${parsed.issue.message}` : '请填写回避原因' });
        return;
      }
      this.setData({ busy: 'conflict' });
      const r = await api('judging.conflict', parsed.value);
      this.setData({ busy: '' });
      if (!r.ok) {
        this.setData({ conflictError: r.message });
        return;
      }
      this.setData({ conflictCode: '', conflictReason: '', conflictError: '' });
      const more = r.data.reassigned ? `，已改派 ${r.data.reassigned} 位评委` : '';
      wx.showToast({ title: `已设回避${r.data.removed ? `，撤回 ${r.data.removed} 份评审任务` : ''}${more}`, icon: 'none' });
      await this.loadProgress(true);
    },
    async clearConflict(e: WechatMiniprogram.BaseEvent<Record<string, never>, { judge?: string; code?: string }>): Promise<void> {
      const { judge, code } = e.currentTarget.dataset;
      if (!judge || !code || this.data.busy) return;
      const reason = await wx
        .showModal({ title: '解除回避', content: '', editable: true, placeholderText: '解除原因（至少 2 个字，记录在案）', confirmText: '解除' })
        .then((res) => (res.confirm ? (res.content ?? '') : null), () => null);
      if (reason === null) return;
      const parsed = ACTIONS['judging.conflict'].payload.parse({ ...this.track(), code, judgeId: judge, declare: false, reason });
      if (!parsed.ok) {
        wx.showToast({ title: reason.trim() ? `解除原因${parsed.issue.message}` : '请填写解除原因', icon: 'none' });
        return;
      }
      this.setData({ busy: 'conflict' });
      const r = await api('judging.conflict', parsed.value);
      this.setData({ busy: '' });
      if (!r.ok) {
        wx.showToast({ title: r.message, icon: 'none' });
        return;
      }
      wx.showToast({ title: '已解除回避，可再次分配', icon: 'none' });
      await this.loadProgress(true);
    },

    /** Sends a final score back to its judge, with the reason they will read. */
    async returnScore(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id?: string; label?: string }>): Promise<void> {
      const scoreId = e.currentTarget.dataset.id;
      if (!scoreId || this.data.busy) return;
      const answer = await wx
        .showModal({ title: '退回评分', content: '', editable: true, placeholderText: '退回原因（评委可见，至少 2 个字）', confirmText: '退回' })
        .then((res) => (res.confirm ? (res.content ?? '') : null), () => null);
      if (answer === null) return;
      const parsed = ACTIONS['judging.return'].payload.parse({ scoreId, reason: answer });
      if (!parsed.ok) {
        wx.showToast({ title: answer.trim() ? `退回原因${parsed.issue.message}` : '请填写退回原因', icon: 'none' });
        return;
      }
      this.setData({ busy: 'return' });
      const r = await api('judging.return', parsed.value);
      this.setData({ busy: '' });
      if (!r.ok) {
        wx.showToast({ title: r.message, icon: 'none' });
        return;
      }
      wx.showToast({ title: '已退回评委', icon: 'success' });
      void this.loadProgress(true);
    },

    // ---- 评委: invitations and assignment ------------------------------------------------------
    onInviteCount(e: WechatMiniprogram.CustomEvent<{ value: number }>): void {
      this.setData({ inviteCount: Number(e.detail.value) });
    },
    onInviteDays(e: WechatMiniprogram.CustomEvent<{ value: number }>): void {
      this.setData({ inviteDays: Number(e.detail.value) });
    },
    async invite(): Promise<void> {
      if (this.data.inviting) return;
      const payload = { ...this.track(), count: this.data.inviteCount, days: this.data.inviteDays };
      const parsed = ACTIONS['judging.invite'].payload.parse(payload);
      if (!parsed.ok) {
        wx.showToast({ title: parsed.issue.message, icon: 'none' });
        return;
      }
      this.setData({ inviting: true });
      const r = await api('judging.invite', parsed.value);
      this.setData({ inviting: false });
      if (!r.ok) {
        wx.showToast({ title: r.message, icon: 'none' });
        return;
      }
      const now = Date.now();
      const fresh = r.data.invitations.map((i) => ({ code: i.code, expires: `有效期至 ${formatEnd(i.expiresAt, now)}，仅限一人使用`, qrUrl: i.qrUrl }));
      this.setData({ invitations: [...fresh, ...this.data.invitations] });
    },
    copyCode(e: WechatMiniprogram.BaseEvent<Record<string, never>, { code?: string }>): void {
      const code = e.currentTarget.dataset.code;
      if (code) wx.setClipboardData({ data: code });
    },
    previewQr(e: WechatMiniprogram.BaseEvent<Record<string, never>, { url?: string }>): void {
      const url = e.currentTarget.dataset.url;
      const urls = this.data.invitations.map((i) => i.qrUrl).filter(Boolean);
      if (url) wx.previewImage({ current: url, urls });
    },

    onAssignMode(e: WechatMiniprogram.CustomEvent<{ value: string }>): void {
      this.setData({ assignMode: e.detail.value === 'k' ? 'k' : 'all' });
    },
    onAssignK(e: WechatMiniprogram.CustomEvent<{ value: number }>): void {
      this.setData({ assignK: Number(e.detail.value) });
    },
    async assign(): Promise<void> {
      if (this.data.assigning) return;
      this.setData({ assigning: true, assignResult: '' });
      // Once 复评 has started, assignment completes 复评 (初评 is locked).
      const round = this.data.currentRound === 2 ? { round: 2 as const } : {};
      const r = await api('judging.assign', { ...this.track(), mode: this.data.assignMode, k: this.data.assignK, ...round });
      this.setData({ assigning: false });
      if (!r.ok) {
        this.setData({ assignResult: r.message });
        return;
      }
      const d = r.data;
      this.setData({
        assignResult: `${round.round ? '复评' : ''}新分配 ${d.created} 份评审任务（${d.judges} 位评委，${d.entries} 件作品${d.conflicts ? `，回避 ${d.conflicts} 次` : ''}）`,
      });
      void this.loadProgress(true);
    },

    // ---- 结果 -------------------------------------------------------------------------------
    async loadResults(): Promise<void> {
      this.setData({ results: 'loading' });
      const r = await api('results.preview', this.track());
      if (!r.ok) {
        this.setData({ results: 'error', resultsError: r.message });
        return;
      }
      this.showResults(r.data.results);
    },
    showResults(res: Results | null): void {
      const p = priv.get(this);
      if (!p) return;
      p.results = res;
      if (!res) {
        p.rows = [];
        this.setData({ results: 'none', resultsState: '', rows: [], moreRows: 0, refusal: '' });
        return;
      }
      p.rows = res.rows.map(rowVM);
      const now = Date.now();
      this.setData({
        results: 'ready',
        resultsState: res.state,
        stateLabel: STATE_LABEL[res.state],
        facts: facts(res, now),
        warnings: res.warnings,
        rows: p.rows.slice(0, PAGE_ROWS),
        moreRows: Math.max(0, p.rows.length - PAGE_ROWS),
        refusal: '',
        overrideError: '',
      });
    },
    showMoreRows(): void {
      const p = priv.get(this);
      if (!p) return;
      const from = this.data.rows.length;
      const patch: Record<string, unknown> = { moreRows: Math.max(0, p.rows.length - from - PAGE_ROWS) };
      p.rows.slice(from, from + PAGE_ROWS).forEach((row, i) => (patch[`rows[${from + i}]`] = row));
      this.setData(patch);
    },
    retryResults(): void {
      void this.loadResults();
    },

    async compute(): Promise<void> {
      if (this.data.busy) return;
      this.setData({ busy: 'compute' });
      const r = await api('results.compute', this.track());
      if (!r.ok) {
        this.setData({ busy: '' });
        wx.showToast({ title: r.message, icon: 'none' });
        return;
      }
      const preview = await api('results.preview', this.track());
      this.setData({ busy: '' });
      if (!preview.ok) {
        this.setData({ results: 'error', resultsError: preview.message });
        return;
      }
      this.showResults(preview.data.results);
      const missing = r.data.missingScores;
      wx.showToast({ title: r.data.state === 'computing' ? '正在计算，请稍后刷新' : missing ? `已计算，仍有 ${missing} 份评分未提交` : '已计算', icon: 'none' });
    },

    async publish(): Promise<void> {
      if (this.data.busy) return;
      const confirmed = await wx
        .showModal({ title: '发布公示', content: '发布后结果进入公示期：发布公示公告，通知参赛者，获奖作品进入展示。确定发布吗？', confirmText: '发布' })
        .then((res) => res.confirm, () => false);
      if (!confirmed) return;
      await this.sendPublish();
    },
    onOverrideReason(e: WechatMiniprogram.CustomEvent<{ value?: string }>): void {
      this.setData({ overrideReason: e.detail.value ?? '', overrideError: '' });
    },
    async publishOverride(): Promise<void> {
      if (this.data.busy) return;
      const reason = this.data.overrideReason.trim();
      const parsed = ACTIONS['results.publish'].payload.parse({ ...this.track(), overrideReason: reason });
      if (!reason || !parsed.ok) {
        this.setData({ overrideError: reason ? `发布理由${parsed.ok ? '' : parsed.issue.message}` : '请填写发布理由，理由将记录在案' });
        return;
      }
      await this.sendPublish(reason);
    },
    async sendPublish(overrideReason?: string): Promise<void> {
      this.setData({ busy: 'publish' });
      const payload = overrideReason ? { ...this.track(), overrideReason } : this.track();
      const r = await api('results.publish', payload);
      this.setData({ busy: '' });
      if (!r.ok) {
        const res = priv.get(this)?.results;
        const blocked = !!res && (res.missingScores > 0 || res.rows.some((x) => x.recheck));
        // Refused for missing scores or rechecks: staff may still publish, with a recorded reason.
        if (r.code === 'INVALID_STATE' && blocked && !overrideReason) this.setData({ refusal: r.message });
        else if (overrideReason && r.field === 'payload.overrideReason') this.setData({ overrideError: r.message });
        else wx.showToast({ title: r.message, icon: 'none' });
        return;
      }
      this.setData({ refusal: '', overrideReason: '' });
      wx.showToast({ title: r.data.notified ? `已发布，通知 ${r.data.notified} 人` : '已发布公示', icon: 'success' });
      await this.loadResults();
    },
    cancelOverride(): void {
      this.setData({ refusal: '', overrideReason: '', overrideError: '' });
    },

    async finalize(): Promise<void> {
      if (this.data.busy) return;
      const confirmed = await wx
        .showModal({ title: '确定最终结果', content: '确定后结果不能再更改，并为获奖者生成电子证书。请确认申诉均已处理。', confirmText: '确定' })
        .then((res) => res.confirm, () => false);
      if (!confirmed) return;
      this.setData({ busy: 'finalize' });
      const r = await api('results.finalize', this.track());
      this.setData({ busy: '' });
      if (!r.ok) {
        wx.showModal({ title: '暂不能确定结果', content: r.message, showCancel: false, confirmText: '知道了' });
        return;
      }
      wx.showToast({ title: `已确定，生成证书 ${r.data.certificates} 张`, icon: 'none' });
      await this.loadResults();
    },

    /** 导出 Excel: every judge's scores per criterion, totals, the aggregate, rank and award, and the rule. */
    async exportExcel(): Promise<void> {
      if (this.data.busy) return;
      this.setData({ busy: 'export', exportStep: STEP_TEXT.building });
      const o = await exportAndOpen('exports.results', this.track(), (step) => this.setData({ exportStep: STEP_TEXT[step] }));
      this.setData({ busy: '', exportStep: '' });
      if (o.ok) wx.showToast({ title: `已导出 ${o.rows} 件作品的评审结果`, icon: 'none' });
      else void wx.showModal({ title: '导出失败', content: o.message, showCancel: false, confirmText: '知道了' });
    },
  },
});
