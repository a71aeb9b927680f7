/**
 * 意见征集 (subpackage `worker`: the main package is over its size budget): an activity's survey
 * or open call for suggestions. While it is open the worker answers, and may change the answer
 * until it closes (one answer per worker, kept by the server); before and after, it is shown read
 * only, with staff's reply. Consent is asked for every answer: staff see the name and unit with it.
 * First screen: one call (`opinions.get`).
 */
import type { PayloadOf } from '../../../core/actions';
import { errorMessage } from '../../../core/errors';
import { LIMITS } from '../../../core/limits';
import { OPINION_QUESTION_TYPE_LABEL, type MyOpinionView, type OpinionGetView, type OpinionQuestionType, type SolicitationView } from '../../../core/opinion';
import { api } from '../../../services/client';
import { bump, returnAfterProfile } from '../../../services/changes';
import { formatDateTime, formatEnd } from '../../../utils/format';
import { opinionUrl } from '../../../utils/urls';

type Status = 'loading' | 'error' | 'empty' | 'ready';
type Answers = PayloadOf<'opinions.submit'>['answers'];

interface OptionVM {
  value: string;
  label: string;
  checked: boolean;
}

interface QuestionVM {
  id: string;
  type: OpinionQuestionType;
  label: string;
  hint: string;
  required: boolean;
  options: OptionVM[];
  /** single: the chosen option's index as text, '' for none. */
  value: string;
  text: string;
  maxlength: number;
  error: string;
  /** Read-only view: what was answered. */
  shown: string;
}

interface MineVM {
  note: string;
  hidden: boolean;
  reply: string;
  replyAt: string;
}

const ids = new WeakMap<object, string>();

function questionsOf(sol: SolicitationView, mine: MyOpinionView | null): QuestionVM[] {
  const answerOf = new Map((mine?.answers ?? []).map((a) => [a.questionId, a]));
  const maxlength = sol.mode === 'open' ? LIMITS.opinionOpenTextMax : LIMITS.opinionTextMax;
  return sol.questions.map((q) => {
    const a = answerOf.get(q.id);
    const chosen = new Set(a?.choices ?? []);
    return {
      id: q.id,
      type: q.type,
      // An open call's one question is its prompt, shown above: no label of its own.
      label: sol.mode === 'open' ? '' : q.label,
      hint: sol.mode === 'open' ? '' : OPINION_QUESTION_TYPE_LABEL[q.type] + (q.type === 'multi' ? '，可选多项' : ''),
      required: q.required,
      options: q.options.map((label, i) => ({ value: String(i), label, checked: chosen.has(i) })),
      value: q.type === 'single' && a?.choices[0] !== undefined ? String(a.choices[0]) : '',
      text: a?.text ?? '',
      maxlength,
      error: '',
      shown: a ? (q.type === 'text' ? a.text : a.choices.map((i) => q.options[i] ?? '').join('、')) : '未作答',
    };
  });
}

function mineOf(mine: MyOpinionView | null, now: number): MineVM | null {
  if (!mine) return null;
  const edited = mine.updatedAt !== mine.createdAt;
  return {
    note: `${formatDateTime(mine.createdAt, now)} 提交${edited ? `，${formatDateTime(mine.updatedAt, now)} 修改` : ''}`,
    hidden: mine.hidden,
    reply: mine.reply?.text ?? '',
    replyAt: mine.reply ? formatDateTime(mine.reply.at, now) : '',
  };
}

function windowLine(sol: SolicitationView, now: number): string {
  if (sol.state === 'before') return `${formatDateTime(sol.window.start, now)} 开始征集，${formatEnd(sol.window.end, now)} 截止`;
  if (sol.state === 'open') return `正在征集，${formatEnd(sol.window.end, now)} 截止`;
  return `征集已于 ${formatEnd(sol.window.end, now)} 截止`;
}

Component({
  data: {
    status: 'loading' as Status,
    errorText: '',
    canRetry: true,
    activityTitle: '',
    title: '',
    intro: '',
    windowLine: '',
    state: 'open' as SolicitationView['state'],
    /** The form is shown (open, and not hidden by staff). */
    editable: false,
    questions: [] as QuestionVM[],
    consent: false,
    consentError: '',
    mine: null as MineVM | null,
    submitting: false,
    formError: '',
    submitLabel: '提交',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>): void {
      ids.set(this, query.id ?? '');
      void this.load();
    },

    async load(): Promise<void> {
      const id = ids.get(this) ?? '';
      if (!id) {
        this.setData({ status: 'error', errorText: errorMessage('NOT_FOUND'), canRetry: false });
        return;
      }
      if (this.data.status !== 'loading') this.setData({ status: 'loading' });
      const r = await api('opinions.get', { activityId: id });
      if (!r.ok) {
        this.setData({ status: 'error', errorText: r.message, canRetry: r.code !== 'NOT_FOUND' });
        return;
      }
      this.show(r.data);
    },

    show(d: OpinionGetView): void {
      const sol = d.solicitation;
      if (!sol) {
        this.setData({ status: 'empty', activityTitle: d.activityTitle, errorText: '这个活动目前没有意见征集' });
        return;
      }
      const mine = mineOf(d.mine, d.serverNow);
      this.setData({
        status: 'ready',
        activityTitle: d.activityTitle,
        title: sol.title,
        intro: sol.intro,
        windowLine: windowLine(sol, d.serverNow),
        state: sol.state,
        editable: sol.state === 'open' && !(mine?.hidden ?? false),
        questions: questionsOf(sol, d.mine),
        // Answered before: the consent was given then; it is asked again only for a first answer.
        consent: d.mine !== null,
        consentError: '',
        mine,
        formError: '',
        submitLabel: d.mine ? '保存修改' : '提交',
      });
    },

    onStateAction(): void {
      if (this.data.status === 'error' && this.data.canRetry) void this.load();
      else wx.navigateBack({ delta: 1 });
    },

    onSingle(e: WechatMiniprogram.CustomEvent<{ value?: unknown }, Record<string, never>, { index?: number }>): void {
      const i = Number(e.currentTarget.dataset.index);
      if (!this.data.questions[i]) return;
      this.setData({ [`questions[${i}].value`]: String(e.detail.value ?? ''), [`questions[${i}].error`]: '', formError: '' });
    },

    onMulti(e: WechatMiniprogram.CustomEvent<{ checked: boolean }, Record<string, never>, { index?: number; option?: number }>): void {
      const i = Number(e.currentTarget.dataset.index);
      const k = Number(e.currentTarget.dataset.option);
      if (!this.data.questions[i]?.options[k]) return;
      this.setData({ [`questions[${i}].options[${k}].checked`]: Boolean(e.detail.checked), [`questions[${i}].error`]: '', formError: '' });
    },

    onText(e: WechatMiniprogram.CustomEvent<{ value?: unknown }, Record<string, never>, { index?: number }>): void {
      const i = Number(e.currentTarget.dataset.index);
      if (!this.data.questions[i]) return;
      const v = e.detail.value;
      this.setData({ [`questions[${i}].text`]: typeof v === 'string' ? v : '', [`questions[${i}].error`]: '', formError: '' });
    },

    onConsent(e: WechatMiniprogram.CustomEvent<{ checked: boolean }>): void {
      this.setData({ consent: Boolean(e.detail.checked), consentError: '', formError: '' });
    },

    /** Every question in order (blank ones too, so a field error's index is the question's). */
    collect(): Answers | null {
      const patch: Record<string, unknown> = {};
      let bad = false;
      const answers: Answers = this.data.questions.map((q, i) => {
        const choices = q.type === 'single' ? (q.value === '' ? [] : [Number(q.value)]) : q.type === 'multi' ? q.options.filter((o) => o.checked).map((o) => Number(o.value)) : [];
        const text = q.type === 'text' ? q.text.trim() : '';
        if (q.required && choices.length === 0 && text === '') {
          patch[`questions[${i}].error`] = q.type === 'text' ? '请填写此项' : '请选择';
          bad = true;
        } else if ([...text].length > q.maxlength) {
          patch[`questions[${i}].error`] = `不能超过 ${q.maxlength} 个字`;
          bad = true;
        }
        return { questionId: q.id, choices, text };
      });
      if (!bad && answers.every((a) => a.choices.length === 0 && a.text === '')) {
        patch.formError = '请至少回答一个问题';
        bad = true;
      }
      if (!this.data.consent) {
        patch.consentError = '请勾选同意后再提交';
        bad = true;
      }
      if (bad) {
        if (!patch.formError) patch.formError = '请完成上面标红的项目';
        this.setData(patch);
        return null;
      }
      return answers;
    },

    onSubmit(): void {
      if (this.data.submitting || !this.data.editable) return;
      const answers = this.collect();
      if (answers) void this.submit(answers);
    },

    async submit(answers: Answers): Promise<void> {
      const activityId = ids.get(this) ?? '';
      this.setData({ submitting: true, formError: '' });
      const r = await api('opinions.submit', { activityId, answers, consent: this.data.consent });
      this.setData({ submitting: false });
      if (r.ok) {
        bump('opinions');
        const first = this.data.mine === null;
        this.setData({ mine: mineOf(r.data.mine, r.data.mine.updatedAt), submitLabel: '保存修改' });
        wx.showToast({ title: first ? '已提交，感谢您的意见' : '已保存修改', icon: 'none' });
        return;
      }
      if (r.code === 'CONSENT_REQUIRED' || r.code === 'PROFILE_REQUIRED') {
        const go = await wx
          .showModal({ title: '请先阅读隐私说明', content: '提交意见前请先在「我的」中阅读并同意个人信息保护说明。完成后会回到这里。', confirmText: '去阅读', cancelText: '暂不' })
          .then((res) => res.confirm, () => false);
        if (go) {
          returnAfterProfile(opinionUrl(activityId));
          wx.switchTab({ url: '/pages/me/index' });
        }
        return;
      }
      if (r.code === 'CLOSED' || r.code === 'CONFLICT' || r.code === 'INVALID_STATE') {
        // The solicitation or the answer changed meanwhile: show where things stand now.
        wx.showToast({ title: r.message, icon: 'none' });
        await this.load();
        return;
      }
      const m = /^payload\.answers\[(\d+)\]/.exec(r.field ?? '');
      if (m && this.data.questions[Number(m[1])]) this.setData({ [`questions[${Number(m[1])}].error`]: r.message, formError: r.message });
      else if (r.field === 'payload.consent') this.setData({ consentError: r.message, formError: r.message });
      else this.setData({ formError: r.message });
      wx.showToast({ title: r.message, icon: 'none' });
    },
  },
});
