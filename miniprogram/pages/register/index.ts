/**
 * 报名: choose the competition's tracks (other activities have none), answer the activity's own
 * questions, confirm. The confirm tap first asks WeChat for a subscription (it only works in the
 * synchronous part of a tap), then registers; the result (confirmed with a check-in code,
 * waitlisted, awaiting approval) is shown on the registration page. A worker whose profile is
 * incomplete is taken to 我的 and brought back here afterwards, with what they filled in kept.
 * First screen: one call (`activities.detail`).
 */
import { trackTitle } from '../../utils/view';
import type { PayloadOf } from '../../core/actions';
import type { ActivityDetail, Question } from '../../core/domain';
import { errorMessage } from '../../core/errors';
import { windowState } from '../../core/time';
import { api } from '../../services/client';
import { bump, returnAfterProfile } from '../../services/changes';
import { askForResultNotice } from '../../services/subscribe';
import { rememberTracks } from '../../services/tracks';
import { formatDateTime, formatRange, seatsText } from '../../utils/format';
import { REG_STATE_LABEL, isActive, limitsText, registrationNote } from '../../utils/status';
import { registerUrl, registrationUrl } from '../../utils/urls';

type Status = 'loading' | 'error' | 'closed' | 'already' | 'ready';
type Payload = PayloadOf<'registrations.create'>;

interface TrackVM {
  id: string;
  name: string;
  limits: string;
  checked: boolean;
}

interface QuestionVM {
  id: string;
  label: string;
  type: Question['type'];
  required: boolean;
  options: Array<{ value: string; label: string }>;
  value: string;
  error: string;
}

interface Filled {
  tracks: string[];
  answers: Record<string, string>;
}

/** What the worker filled in, kept on the phone while they complete their profile. */
const FORM_KEY = 'wcp.register-form';
const ids = new WeakMap<object, string>();

function keptForm(activityId: string): Filled | null {
  try {
    const v = wx.getStorageSync(FORM_KEY) as { activityId?: unknown; tracks?: unknown; answers?: unknown } | '';
    if (!v || v.activityId !== activityId || !Array.isArray(v.tracks) || typeof v.answers !== 'object' || v.answers === null) return null;
    return { tracks: v.tracks.filter((t): t is string => typeof t === 'string'), answers: v.answers as Record<string, string> };
  } catch {
    return null;
  }
}

function keepForm(activityId: string, f: Filled | null): void {
  try {
    if (f) wx.setStorageSync(FORM_KEY, { activityId, ...f });
    else wx.removeStorageSync(FORM_KEY);
  } catch {
    // Without storage the worker fills the form in again.
  }
}

function closedText(d: ActivityDetail): string {
  const a = d.activity;
  if (a.status !== 'published') return '该活动目前不接受报名';
  const state = windowState(a.signup, d.serverNow);
  if (state === 'before') return `报名尚未开始，${formatDateTime(a.signup.start, d.serverNow)} 开始报名`;
  if (state === 'after') return '报名已截止';
  return '';
}

Component({
  data: {
    status: 'loading' as Status,
    errorText: '',
    canRetry: true,
    activityId: '',
    title: '',
    meta: '',
    seats: '',
    full: false,
    notes: [] as string[],
    tracks: [] as TrackVM[],
    tracksError: '',
    questions: [] as QuestionVM[],
    formError: '',
    confirmLabel: '确认报名',
    submitting: false,
    mineLabel: '',
    mineNote: '',
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
      const r = await api('activities.detail', { id });
      if (!r.ok) {
        this.setData({ status: 'error', errorText: r.message, canRetry: r.code !== 'NOT_FOUND' });
        return;
      }
      const d = r.data;
      const a = d.activity;
      rememberTracks(a.id, a.competition?.tracks);
      const head = {
        activityId: a.id,
        title: a.title,
        meta: `时间：${formatRange(a.time, d.serverNow)}\n地点：${a.place}`,
      };
      if (d.mine && isActive(d.mine.state)) {
        this.setData({ ...head, status: 'already', mineLabel: REG_STATE_LABEL[d.mine.state], mineNote: registrationNote(d.mine) });
        return;
      }
      const closed = closedText(d);
      if (closed) {
        this.setData({ ...head, status: 'closed', errorText: closed });
        return;
      }
      const kept = keptForm(a.id);
      const full = a.capacity > 0 && a.left === 0;
      const notes: string[] = [];
      if (full) notes.push('名额已满：现在报名将进入候补名单，有人取消时按报名先后顺序递补。');
      if (a.requiresVerified) notes.push('本活动仅限工会会员报名，报名时将与会员名册核对。');
      this.setData({
        ...head,
        status: 'ready',
        seats: a.capacity > 0 ? `${seatsText(a.capacity, a.left)}（共 ${a.capacity} 个）` : seatsText(a.capacity, a.left),
        full,
        notes,
        tracks: (a.competition?.tracks ?? []).map((t) => ({
          id: t.id,
          name: trackTitle(t.kind, t.name),
          limits: limitsText(t),
          checked: kept?.tracks.includes(t.id) ?? false,
        })),
        questions: a.questions.map((q) => ({
          id: q.id,
          label: q.label,
          type: q.type,
          required: q.required,
          options: (q.options ?? []).map((o) => ({ value: o, label: o })),
          value: kept?.answers[q.id] ?? '',
          error: '',
        })),
        confirmLabel: full ? '候补报名' : '确认报名',
      });
    },

    onStateAction(): void {
      if (this.data.status === 'error' && this.data.canRetry) void this.load();
      else if (this.data.status === 'already') wx.redirectTo({ url: registrationUrl(this.data.activityId) });
      else wx.navigateBack({ delta: 1 });
    },

    keep(): void {
      const answers: Record<string, string> = {};
      for (const q of this.data.questions) if (q.value) answers[q.id] = q.value;
      keepForm(this.data.activityId, { tracks: this.data.tracks.filter((t) => t.checked).map((t) => t.id), answers });
    },

    onTrack(e: WechatMiniprogram.CustomEvent<{ checked: boolean }, Record<string, never>, { index?: number }>): void {
      const i = Number(e.currentTarget.dataset.index);
      if (!this.data.tracks[i]) return;
      this.setData({ [`tracks[${i}].checked`]: Boolean(e.detail.checked), tracksError: '', formError: '' });
    },

    onAnswer(e: WechatMiniprogram.CustomEvent<{ value?: unknown }, Record<string, never>, { index?: number }>): void {
      const i = Number(e.currentTarget.dataset.index);
      if (!this.data.questions[i]) return;
      const v = e.detail.value;
      this.setData({ [`questions[${i}].value`]: typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v), [`questions[${i}].error`]: '', formError: '' });
    },

    /** The form as a payload, or null with each problem shown where it is. */
    collect(): Payload | null {
      const d = this.data;
      const patch: Record<string, unknown> = {};
      let bad = false;
      const tracks = d.tracks.filter((t) => t.checked).map((t) => t.id);
      if (d.tracks.length > 0 && tracks.length === 0) {
        patch.tracksError = '请至少选择一个参赛项目';
        bad = true;
      }
      const answers: Payload['answers'] = [];
      d.questions.forEach((q, i) => {
        const answer = q.value.trim();
        if (!answer) {
          if (q.required) {
            patch[`questions[${i}].error`] = q.type === 'choice' ? '请选择一项' : '请填写此项';
            bad = true;
          }
          return;
        }
        answers.push({ questionId: q.id, answer });
      });
      if (bad) {
        patch.formError = '请完成上面标红的项目';
        this.setData(patch);
        return null;
      }
      return { activityId: d.activityId, tracks, answers };
    },

    /**
     * The confirm tap. Everything before `register()` is synchronous: WeChat allows the
     * subscription dialog only there, so it is asked for first, then the registration is sent
     * without waiting for the worker's answer.
     */
    onConfirm(): void {
      if (this.data.submitting || this.data.status !== 'ready') return;
      const payload = this.collect();
      if (!payload) return;
      void askForResultNotice();
      void this.register(payload);
    },

    async register(payload: Payload): Promise<void> {
      this.setData({ submitting: true, formError: '' });
      const r = await api('registrations.create', payload);
      this.setData({ submitting: false });
      if (r.ok) {
        keepForm(payload.activityId, null);
        bump('registrations');
        wx.redirectTo({ url: registrationUrl(payload.activityId, 'register') });
        return;
      }
      if (r.code === 'PROFILE_REQUIRED' || r.code === 'CONSENT_REQUIRED') {
        await this.toProfile(r.code === 'CONSENT_REQUIRED' ? '报名前请先阅读个人信息保护说明并完善个人资料' : r.message);
        return;
      }
      if (r.code === 'ALREADY_EXISTS') {
        bump('registrations');
        wx.redirectTo({ url: registrationUrl(payload.activityId) });
        return;
      }
      if (r.field === 'payload.tracks') {
        this.setData({ tracksError: r.message, formError: r.message });
        return;
      }
      this.setData({ formError: r.message });
      wx.showToast({ title: r.message, icon: 'none' });
    },

    async toProfile(message: string): Promise<void> {
      const go = await wx
        .showModal({ title: '请先完善个人资料', content: `${message}。完善后会回到这里继续报名，已填写的内容会保留。`, confirmText: '去完善', cancelText: '暂不' })
        .then((res) => res.confirm, () => false);
      if (!go) return;
      this.keep();
      returnAfterProfile(registerUrl(this.data.activityId));
      wx.switchTab({ url: '/pages/me/index' });
    },
  },
});
