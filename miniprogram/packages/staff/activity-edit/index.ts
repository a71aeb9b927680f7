/**
 * 新建 / 编辑活动, one form for every kind (宣讲, 文化比赛, 运动会, 余工学堂, 文化交流, 进企业):
 * title, summary, body, time, place, seats, the sign-up window, the plan item it counts toward,
 * questions asked at sign-up, and who may sign up; a competition adds its tracks (征文 / 摄影 /
 * 微视频 with their limits) and its five windows. Every time is picked on China's wall clock.
 * Problems are found before sending (the contract's schema and `windowProblems`) and, from the
 * server, by its `field`; each shows under its own field, and a refused save keeps the form.
 * First screen, one call: when editing, the activity as staff see it (`activities.get`, staff-only:
 * the router's refusal is the staff check); a new one, the staff check alone.
 */
import type { ActivityKind, ActivityStatus } from '../../../core/domain';
import { errorMessage } from '../../../core/errors';
import { api } from '../../../services/client';
import {
  ERROR_ORDER,
  WINDOW_HINT,
  WINDOW_KEYS,
  WINDOW_LABEL,
  blankForm,
  errorKeyOf,
  formOf,
  nextQuestionId,
  payloadOf,
  placeError,
  planItemFor,
  type ActivityForm,
  type Errors,
  type WindowKey,
} from '../lib/activity-form';
import { bumpStaff } from '../lib/changes';
import { checkStaff, forgetStaff, staffFirst, type PageView } from '../lib/guard';
import { ACTIVITY_STATUS_LABEL, KIND_OPTIONS, PLAN_ITEMS } from '../lib/labels';
import { queryText } from '../lib/urls';
import { todayReading, type WindowForm } from '../lib/when';

type TextField = 'title' | 'summary' | 'body' | 'place' | 'capacity';
type TrackField = 'name' | 'minChars' | 'maxChars' | 'maxPhotos' | 'maxMB' | 'maxSeconds' | 'round2';

const TEXT_FIELDS: TextField[] = ['title', 'summary', 'body', 'place', 'capacity'];
const TRACK_FIELDS: TrackField[] = ['name', 'minChars', 'maxChars', 'maxPhotos', 'maxMB', 'maxSeconds', 'round2'];

interface Private {
  id: string | null;
  status: ActivityStatus | null;
}

const priv = new WeakMap<object, Private>();

const WINDOW_ROWS = WINDOW_KEYS.map((k) => ({ key: k, label: WINDOW_LABEL[k], hint: WINDOW_HINT[k] }));

Component({
  data: {
    view: 'loading' as PageView,
    errorText: '',
    canRetry: true,
    editing: false,
    statusText: '',
    kinds: KIND_OPTIONS,
    planItems: PLAN_ITEMS,
    windowRows: WINDOW_ROWS,
    form: blankForm(Date.now()),
    errors: {} as Errors,
    /** Editing an activity whose 需审核 setting could not be read: ask staff to confirm it. */
    approvalUnknown: false,
    today: todayReading(Date.now()),
    formError: '',
    saving: false,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>): void {
      priv.set(this, { id: queryText(query.id) || null, status: null });
      void this.load();
    },

    async load(): Promise<void> {
      const p = priv.get(this);
      if (!p) return;
      if (this.data.view !== 'loading') this.setData({ view: 'loading' });
      const now = Date.now();
      if (!p.id) {
        const gate = await checkStaff();
        if (gate.kind === 'refused') this.setData({ view: 'refused' });
        else if (gate.kind === 'error') this.setData({ view: 'error', errorText: gate.message, canRetry: true });
        else {
          if (typeof wx.setNavigationBarTitle === 'function') wx.setNavigationBarTitle({ title: '新建活动' });
          this.setData({ view: 'ready', form: blankForm(now), today: todayReading(now) });
        }
        return;
      }
      const r = await staffFirst('activities.get', { id: p.id });
      if (r === 'refused') {
        this.setData({ view: 'refused' });
        return;
      }
      if (!r.ok) {
        this.setData({ view: 'error', errorText: r.code === 'NOT_FOUND' ? errorMessage('NOT_FOUND') : r.message, canRetry: r.code !== 'NOT_FOUND' });
        return;
      }
      const { form, approvalKnown } = formOf(r.data.activity, now);
      p.status = r.data.activity.status;
      this.setData({
        view: 'ready',
        editing: true,
        statusText: `当前状态：${ACTIVITY_STATUS_LABEL[r.data.activity.status]}`,
        form,
        approvalUnknown: !approvalKnown,
        today: todayReading(now),
      });
    },
    onStateAction(): void {
      if (this.data.canRetry) void this.load();
      else wx.navigateBack({ delta: 1 });
    },

    // ---- fields --------------------------------------------------------------------------------------
    /** A change to the form, with the error of that place cleared. */
    change(patch: Record<string, unknown>, key: keyof Errors | null): void {
      const next: Record<string, unknown> = { ...patch };
      if (key && this.data.errors[key]) next[`errors.${key}`] = '';
      if (this.data.formError) next.formError = '';
      this.setData(next);
    },
    pickKind(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value?: ActivityKind }>): void {
      const kind = e.currentTarget.dataset.value;
      if (!kind) return;
      this.change({ 'form.kind': kind, 'form.planItem': planItemFor(kind, this.data.form.planItem) }, 'kind');
    },
    onText(e: WechatMiniprogram.CustomEvent<{ value?: string }, Record<string, never>, { field?: string }>): void {
      const field = TEXT_FIELDS.find((f) => f === e.currentTarget.dataset.field);
      if (field) this.change({ [`form.${field}`]: e.detail.value ?? '' }, field);
    },
    onPlanItem(e: WechatMiniprogram.CustomEvent<{ value?: string | number }>): void {
      const item = PLAN_ITEMS[Number(e.detail.value)];
      if (item) this.change({ 'form.planItem': item }, 'planItem');
    },
    onWindow(e: WechatMiniprogram.CustomEvent<{ value: WindowForm }, Record<string, never>, { key?: string }>): void {
      // Only the field's own event (its readings); never a picker's raw change passing through.
      const value = e.detail.value as unknown;
      if (typeof value !== 'object' || value === null) return;
      const key = e.currentTarget.dataset.key ?? '';
      if (key === 'time' || key === 'signup') this.change({ [`form.${key}`]: e.detail.value }, key);
      else if ((WINDOW_KEYS as readonly string[]).includes(key)) {
        const errKey = `w_${key as WindowKey}` as const;
        this.change({ [`form.windows.${key}`]: e.detail.value }, errKey);
      }
    },
    onSwitch(e: WechatMiniprogram.CustomEvent<{ value?: boolean }, Record<string, never>, { field?: string }>): void {
      const field = e.currentTarget.dataset.field;
      if (field === 'requiresVerified' || field === 'requiresApproval') {
        const patch: Record<string, unknown> = { [`form.${field}`]: Boolean(e.detail.value) };
        if (field === 'requiresApproval') patch.approvalUnknown = false;
        this.change(patch, null);
      }
    },

    // ---- tracks ---------------------------------------------------------------------------------------
    toggleTrack(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index?: number }>): void {
      const i = Number(e.currentTarget.dataset.index);
      const t = this.data.form.tracks[i];
      if (t) this.change({ [`form.tracks[${i}].on`]: !t.on }, 'tracks');
    },
    onTrackField(e: WechatMiniprogram.CustomEvent<{ value?: string }, Record<string, never>, { index?: number; field?: string }>): void {
      const i = Number(e.currentTarget.dataset.index);
      const field = TRACK_FIELDS.find((f) => f === e.currentTarget.dataset.field);
      if (field && this.data.form.tracks[i]) this.change({ [`form.tracks[${i}].${field}`]: e.detail.value ?? '' }, 'tracks');
    },

    // ---- questions --------------------------------------------------------------------------------------
    addQuestion(e: WechatMiniprogram.BaseEvent<Record<string, never>, { type?: string }>): void {
      const type = e.currentTarget.dataset.type === 'choice' ? 'choice' : 'text';
      const qs = this.data.form.questions;
      if (qs.length >= 10) {
        wx.showToast({ title: '最多 10 个问题', icon: 'none' });
        return;
      }
      this.change({ [`form.questions[${qs.length}]`]: { id: nextQuestionId(qs), label: '', type, required: true, options: '' } }, 'questions');
    },
    removeQuestion(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index?: number }>): void {
      const i = Number(e.currentTarget.dataset.index);
      this.change({ 'form.questions': this.data.form.questions.filter((_, k) => k !== i) }, 'questions');
    },
    onQuestion(e: WechatMiniprogram.CustomEvent<{ value?: string }, Record<string, never>, { index?: number; field?: string }>): void {
      const i = Number(e.currentTarget.dataset.index);
      const field = e.currentTarget.dataset.field;
      if (!this.data.form.questions[i] || (field !== 'label' && field !== 'options')) return;
      this.change({ [`form.questions[${i}].${field}`]: e.detail.value ?? '' }, 'questions');
    },
    onQuestionRequired(e: WechatMiniprogram.CustomEvent<{ value?: boolean }, Record<string, never>, { index?: number }>): void {
      const i = Number(e.currentTarget.dataset.index);
      if (this.data.form.questions[i]) this.change({ [`form.questions[${i}].required`]: Boolean(e.detail.value) }, 'questions');
    },

    // ---- save ---------------------------------------------------------------------------------------------
    showErrors(errors: Errors): void {
      const first = ERROR_ORDER.find((k) => errors[k]);
      this.setData({ errors, formError: `有 ${Object.values(errors).filter(Boolean).length} 处需要修改，请看标红的说明` });
      if (first && typeof wx.pageScrollTo === 'function') wx.pageScrollTo({ selector: `#f-${first}`, duration: 200, offsetTop: -80 });
    },

    async save(): Promise<void> {
      const p = priv.get(this);
      if (!p || this.data.saving) return;
      const built = payloadOf(this.data.form as ActivityForm, p.id);
      if (!built.payload) {
        this.showErrors(built.errors);
        return;
      }
      this.setData({ saving: true, errors: {}, formError: '' });
      const r = await api('activities.save', built.payload);
      this.setData({ saving: false });
      if (!r.ok) {
        // Everything typed stays on screen; the message goes where the server points.
        if (r.code === 'FORBIDDEN') forgetStaff();
        const key = errorKeyOf(r.field);
        if (key) this.showErrors({ [placeError(key, this.data.form.kind === 'competition')]: r.message });
        else this.setData({ formError: r.message });
        wx.showToast({ title: r.message, icon: 'none' });
        return;
      }
      bumpStaff('activities');
      if (p.id) {
        wx.showToast({ title: '已保存', icon: 'success' });
        wx.navigateBack({ delta: 1 });
        return;
      }
      // A new activity is a draft until published: offer that now.
      p.id = r.data.id;
      p.status = 'draft';
      const publish = await wx
        .showModal({ title: '已保存为草稿', content: '职工还看不到这个活动。现在发布吗？', confirmText: '立即发布', cancelText: '稍后发布' })
        .then((res) => res.confirm, () => false);
      if (publish) {
        const s = await api('activities.setStatus', { id: r.data.id, status: 'published' });
        bumpStaff('activities');
        wx.showToast({ title: s.ok ? '已发布' : s.message, icon: s.ok ? 'success' : 'none' });
      }
      wx.navigateBack({ delta: 1 });
    },
  },
});
