/**
 * 意见征集 of one activity, for staff: the survey (or open call) and its window, edited here; the
 * summary (counts per option with percentages, aggregated by the server over the answers, hidden
 * ones left out); the text answers, newest first, twenty at a time, with the author's name, unit
 * and masked phone; a reply to an answer (the worker sees it), and hiding an abusive one.
 * Once anyone has answered, the questions are fixed: only the closing time (and wording) changes.
 * First screen: `opinions.summary`, one staff-only call (its refusal is the staff check).
 */
import type { PayloadOf } from '../../../core/actions';
import { LIMITS } from '../../../core/limits';
import {
  OPINION_QUESTION_TYPE_LABEL,
  SOLICITATION_MODE_LABEL,
  type OpinionQuestionType,
  type OpinionSummary,
  type SolicitationMode,
  type StaffOpinionItem,
} from '../../../core/opinion';
import { DAY } from '../../../core/time';
import { api } from '../../../services/client';
import { formatDateTime, formatEnd } from '../../../utils/format';
import { staffFirst, forgetStaff, type PageView } from '../lib/guard';
import { askText } from '../lib/ask';
import { queryText } from '../lib/urls';
import { readings, windowForm, windowOf, type WindowForm } from '../lib/when';
import { Pager, type MoreState } from '../../../utils/pager';

type SavePayload = PayloadOf<'opinions.save'>;

interface QuestionForm {
  id: string;
  type: OpinionQuestionType;
  label: string;
  required: boolean;
  /** One option a line. */
  options: string;
}

interface Form {
  mode: SolicitationMode;
  title: string;
  intro: string;
  window: WindowForm;
  questions: QuestionForm[];
}

interface InfoVM {
  mode: string;
  title: string;
  intro: string;
  window: string;
  state: string;
  tone: string;
  locked: boolean;
  open: boolean;
}

interface TallyVM {
  id: string;
  label: string;
  type: string;
  answered: string;
  options: { label: string; count: number; percent: string; width: string }[];
}

interface ItemVM {
  id: string;
  name: string;
  phone: string;
  unit: string;
  when: string;
  lines: { label: string; text: string }[];
  flagged: boolean;
  hidden: boolean;
  hiddenReason: string;
  reply: string;
}

interface Private {
  id: string;
  title: string;
  /** The text answers drawn (replied to and hidden by index), the cursor, which answer is current. */
  pager: Pager<StaffOpinionItem>;
  summary: OpinionSummary | null;
}

const priv = new WeakMap<object, Private>();

const STATE_LABEL = { before: ['未开始', 'default'], open: ['征集中', 'success'], closed: ['已截止', 'default'] } as const;

function infoOf(s: OpinionSummary): InfoVM | null {
  const sol = s.solicitation;
  if (!sol) return null;
  const [state, tone] = STATE_LABEL[sol.state];
  return {
    mode: SOLICITATION_MODE_LABEL[sol.mode],
    title: sol.title,
    intro: sol.intro,
    window: `${formatDateTime(sol.window.start, s.serverNow)} 至 ${formatEnd(sol.window.end, s.serverNow)}（北京时间）`,
    state,
    tone,
    locked: sol.locked,
    open: sol.state !== 'closed',
  };
}

function talliesOf(s: OpinionSummary): TallyVM[] {
  return s.questions.map((q, i) => ({
    id: q.id,
    label: s.solicitation?.mode === 'open' ? '意见建议' : `${i + 1}. ${q.label}`,
    type: OPINION_QUESTION_TYPE_LABEL[q.type],
    answered: q.type === 'text' ? `${q.answered} 人填写，内容见下方` : `${q.answered} 人作答`,
    options: q.options.map((o) => ({ label: o.label, count: o.count, percent: `${o.percent}%`, width: `${Math.min(100, o.percent)}%` })),
  }));
}

function itemVM(o: StaffOpinionItem, now: number): ItemVM {
  return {
    id: o.id,
    name: o.realName,
    phone: o.phone,
    unit: o.unitName,
    when: `${formatDateTime(o.createdAt, now)} 提交${o.edited ? `，${formatDateTime(o.updatedAt, now)} 修改` : ''}`,
    lines: o.answers.map((a) => ({ label: a.label, text: a.text || a.choices.join('、') })),
    flagged: o.flagged,
    hidden: o.hidden,
    hiddenReason: o.hiddenReason,
    reply: o.reply ? `${o.reply.text}（${formatDateTime(o.reply.at, now)}）` : '',
  };
}

/** A new solicitation starts now and runs a week (to the end of that China day). */
function newForm(now: number): Form {
  const end = readings(now + 7 * DAY);
  const start = readings(now);
  return { mode: 'survey', title: '', intro: '', window: { startDate: start.date, startTime: start.time, endDate: end.date, endTime: '23:59' }, questions: [{ id: 'q1', type: 'single', label: '', required: true, options: '' }] };
}

function formOf(s: OpinionSummary): Form | null {
  const sol = s.solicitation;
  if (!sol) return null;
  return {
    mode: sol.mode,
    title: sol.title,
    intro: sol.intro,
    window: windowForm(sol.window),
    questions: sol.mode === 'open' ? [] : sol.questions.map((q) => ({ id: q.id, type: q.type, label: q.label, required: q.required, options: q.options.join('\n') })),
  };
}

const optionLines = (text: string): string[] => text.split('\n').map((x) => x.trim()).filter(Boolean);

function nextQuestionId(qs: QuestionForm[]): string {
  let n = qs.length + 1;
  while (qs.some((q) => q.id === `q${n}`)) n++;
  return `q${n}`;
}

Component({
  data: {
    view: 'loading' as PageView,
    errorText: '',
    title: '',
    info: null as InfoVM | null,
    respondents: 0,
    hiddenCount: 0,
    tallies: [] as TallyVM[],
    list: [] as ItemVM[],
    more: 'end' as MoreState,
    busyId: '',
    editing: false,
    form: null as Form | null,
    locked: false,
    modes: [
      { value: 'survey', label: '问卷调查' },
      { value: 'open', label: '征集建议' },
    ],
    types: (['single', 'multi', 'text'] as const).map((value) => ({ value, label: OPINION_QUESTION_TYPE_LABEL[value] })),
    maxQuestions: LIMITS.opinionQuestionsMax,
    windowError: '',
    formError: '',
    saving: false,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>): void {
      priv.set(this, { id: queryText(query.id), title: queryText(query.title), pager: new Pager<StaffOpinionItem>(), summary: null });
      void this.reload();
    },
    async onPullDownRefresh(): Promise<void> {
      await this.reload(true);
      wx.stopPullDownRefresh();
    },
    onReachBottom(): void {
      void this.loadMore();
    },

    async reload(keepContent = false): Promise<void> {
      const p = priv.get(this);
      if (!p) return;
      if (!p.id) {
        this.setData({ view: 'error', errorText: '没有指定活动，请从活动管理进入' });
        return;
      }
      if ((!keepContent || this.data.view === 'error') && this.data.view !== 'loading') this.setData({ view: 'loading' });
      const r = await p.pager.first(() => staffFirst('opinions.summary', { activityId: p.id }));
      if (r === 'stale') return;
      if (r === 'refused') {
        this.setData({ view: 'refused' });
        return;
      }
      if (!r.ok) {
        if (keepContent && (this.data.view === 'ready' || this.data.view === 'empty')) wx.showToast({ title: r.message, icon: 'none' });
        else this.setData({ view: 'error', errorText: r.message });
        return;
      }
      this.show(r.data);
    },

    show(s: OpinionSummary): void {
      const p = priv.get(this)!;
      p.summary = s;
      this.setData({
        view: s.solicitation ? 'ready' : 'empty',
        title: s.activityTitle || p.title,
        info: infoOf(s),
        respondents: s.respondents,
        hiddenCount: s.hiddenCount,
        tallies: talliesOf(s),
        list: s.items.map((x) => itemVM(x, s.serverNow)),
        more: p.pager.more(),
        locked: s.solicitation?.locked ?? false,
      });
    },

    async loadMore(): Promise<void> {
      const p = priv.get(this);
      if (!p?.pager.canLoadMore() || this.data.editing) return;
      this.setData({ more: 'loading' });
      const patch = await p.pager.next((cursor) => api('opinions.summary', { activityId: p.id, cursor }), (x, page) => itemVM(x, page.serverNow));
      if (patch) this.setData(patch);
    },

    retry(): void {
      void this.reload();
    },
    retryMore(): void {
      void this.loadMore();
    },

    // ---- replies and hiding -------------------------------------------------------------------------
    itemAt(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index?: number }>): { i: number; o: StaffOpinionItem } | null {
      const i = Number(e.currentTarget.dataset.index);
      const o = priv.get(this)?.pager.items[i];
      return o ? { i, o } : null;
    },

    async reply(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index?: number }>): Promise<void> {
      const at = this.itemAt(e);
      if (!at || this.data.busyId) return;
      const text = await askText({
        title: `回复 ${at.o.realName}`,
        placeholder: '回复内容（职工会在自己的意见下看到）',
        initial: at.o.reply?.text ?? '',
        confirmText: '发送',
        min: 2,
        tooShort: '回复至少 2 个字',
      });
      if (text === null) return;
      this.setData({ busyId: at.o.id });
      const r = await api('opinions.reply', { opinionId: at.o.id, text });
      this.setData({ busyId: '' });
      if (!r.ok) {
        if (r.code === 'FORBIDDEN') forgetStaff();
        wx.showToast({ title: r.message, icon: 'none' });
        return;
      }
      at.o.reply = { text, at: r.data.at };
      this.setData({ [`list[${at.i}]`]: itemVM(at.o, r.data.at) });
      wx.showToast({ title: '已回复', icon: 'none' });
    },

    async toggleHidden(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index?: number }>): Promise<void> {
      const at = this.itemAt(e);
      if (!at || this.data.busyId) return;
      const hide = !at.o.hidden;
      let reason = '';
      if (hide) {
        const written = await askText({ title: '隐藏这条意见', placeholder: '隐藏理由（如：人身攻击、广告）', confirmText: '隐藏', danger: true, min: 2, tooShort: '请写明隐藏理由' });
        if (written === null) return;
        reason = written;
      }
      this.setData({ busyId: at.o.id });
      const r = await api('opinions.hide', { opinionId: at.o.id, hidden: hide, reason });
      this.setData({ busyId: '' });
      if (!r.ok) {
        if (r.code === 'FORBIDDEN') forgetStaff();
        wx.showToast({ title: r.message, icon: 'none' });
        return;
      }
      wx.showToast({ title: hide ? '已隐藏，不再计入统计' : '已恢复显示', icon: 'none' });
      // The counts changed: read them again (the list keeps its place).
      void this.reload(true);
    },

    // ---- the editor ---------------------------------------------------------------------------------
    startEdit(): void {
      const p = priv.get(this);
      const form = (p?.summary && formOf(p.summary)) ?? newForm(p?.summary?.serverNow ?? Date.now());
      this.setData({ editing: true, form, windowError: '', formError: '' });
    },
    cancelEdit(): void {
      this.setData({ editing: false, form: null, formError: '', windowError: '' });
    },
    pickMode(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value?: string }>): void {
      const v = e.currentTarget.dataset.value;
      if (this.data.locked || (v !== 'survey' && v !== 'open') || !this.data.form) return;
      const patch: Record<string, unknown> = { 'form.mode': v, formError: '' };
      if (v === 'survey' && this.data.form.questions.length === 0) patch['form.questions'] = [{ id: 'q1', type: 'single', label: '', required: true, options: '' }];
      this.setData(patch);
    },
    onField(e: WechatMiniprogram.CustomEvent<{ value?: unknown }, Record<string, never>, { field?: string }>): void {
      const f = e.currentTarget.dataset.field;
      if (f !== 'title' && f !== 'intro') return;
      this.setData({ [`form.${f}`]: String(e.detail.value ?? ''), formError: '' });
    },
    onWindow(e: WechatMiniprogram.CustomEvent<{ value: WindowForm }>): void {
      this.setData({ 'form.window': e.detail.value, windowError: '' });
    },
    onQuestion(e: WechatMiniprogram.CustomEvent<{ value?: unknown }, Record<string, never>, { index?: number; field?: string }>): void {
      const i = Number(e.currentTarget.dataset.index);
      const f = e.currentTarget.dataset.field;
      if (this.data.locked || !this.data.form?.questions[i] || (f !== 'label' && f !== 'options')) return;
      this.setData({ [`form.questions[${i}].${f}`]: String(e.detail.value ?? ''), formError: '' });
    },
    pickType(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index?: number; value?: string }>): void {
      const i = Number(e.currentTarget.dataset.index);
      const v = e.currentTarget.dataset.value;
      if (this.data.locked || !this.data.form?.questions[i] || (v !== 'single' && v !== 'multi' && v !== 'text')) return;
      this.setData({ [`form.questions[${i}].type`]: v });
    },
    toggleRequired(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index?: number }>): void {
      const i = Number(e.currentTarget.dataset.index);
      const q = this.data.form?.questions[i];
      if (this.data.locked || !q) return;
      this.setData({ [`form.questions[${i}].required`]: !q.required });
    },
    addQuestion(): void {
      const qs = this.data.form?.questions ?? [];
      if (this.data.locked || qs.length >= LIMITS.opinionQuestionsMax) return;
      this.setData({ [`form.questions[${qs.length}]`]: { id: nextQuestionId(qs), type: 'single', label: '', required: false, options: '' } });
    },
    removeQuestion(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index?: number }>): void {
      const i = Number(e.currentTarget.dataset.index);
      const qs = this.data.form?.questions ?? [];
      if (this.data.locked || !qs[i]) return;
      this.setData({ 'form.questions': qs.filter((_, k) => k !== i) });
    },

    payload(): SavePayload | null {
      const p = priv.get(this);
      const f = this.data.form;
      if (!p || !f) return null;
      const w = windowOf(f.window);
      if (!w) {
        this.setData({ windowError: '请选择开始和截止的日期与时间' });
        return null;
      }
      if (!f.title.trim()) {
        this.setData({ formError: '请填写标题' });
        return null;
      }
      const questions = f.mode === 'open' ? [] : f.questions.map((q) => ({ id: q.id, type: q.type, label: q.label.trim(), required: q.required, options: q.type === 'text' ? [] : optionLines(q.options) }));
      const blank = questions.findIndex((q) => !q.label);
      if (blank >= 0) {
        this.setData({ formError: `请填写第 ${blank + 1} 个问题` });
        return null;
      }
      return { activityId: p.id, mode: f.mode, title: f.title.trim(), intro: f.intro.trim(), questions, window: w };
    },

    async save(): Promise<void> {
      if (this.data.saving) return;
      const payload = this.payload();
      if (!payload) return;
      await this.send(payload, '已保存');
    },

    /** Closes it now: the closing time moved to the server's now. */
    async closeNow(): Promise<void> {
      const p = priv.get(this);
      const sol = p?.summary?.solicitation;
      if (!p || !sol || this.data.saving) return;
      const go = await wx
        .showModal({ title: '立即截止', content: '截止后职工不能再提交或修改意见。确定现在截止吗？', confirmText: '截止' })
        .then((x) => x.confirm, () => false);
      if (!go) return;
      const now = Math.max(Date.now(), p.summary!.serverNow);
      await this.send(
        { activityId: p.id, mode: sol.mode, title: sol.title, intro: sol.intro, questions: sol.mode === 'open' ? [] : sol.questions, window: { start: sol.window.start, end: Math.max(now, sol.window.start + 1) } },
        '已截止',
      );
    },

    async send(payload: SavePayload, done: string): Promise<void> {
      this.setData({ saving: true, formError: '', windowError: '' });
      const r = await api('opinions.save', payload);
      this.setData({ saving: false });
      if (!r.ok) {
        if (r.code === 'FORBIDDEN') forgetStaff();
        if (r.field?.startsWith('payload.window')) this.setData({ windowError: r.message });
        else this.setData({ formError: r.message });
        wx.showToast({ title: r.message, icon: 'none' });
        return;
      }
      this.setData({ editing: false, form: null });
      wx.showToast({ title: done, icon: 'none' });
      await this.reload(true);
    },
  },
});
