/**
 * 发布公告: category, title, body, 置顶, an activity it belongs to (picked from the staff list,
 * fetched only when the picker opens), and when it goes out: now, or at a date and time picked
 * on China's wall clock (core/time's fromChina, never the phone's zone). Each problem is shown
 * under its field, the server's too (by `field`); a refused save keeps everything typed.
 * First screen: the staff check only.
 */
import { ACTIONS, type PayloadOf } from '../../../core/actions';
import type { AnnouncementCategory } from '../../../core/domain';
import { DAY, startOfChinaDay } from '../../../core/time';
import { api } from '../../../services/client';
import { formatDateTime, formatRange } from '../../../utils/format';
import { bumpStaff } from '../lib/changes';
import { checkStaff, forgetStaff, type PageView } from '../lib/guard';
import { ACTIVITY_STATUS_LABEL, CATEGORY_OPTIONS, fieldPath } from '../lib/labels';
import { queryText } from '../lib/urls';
import { instantOf, readings, todayReading } from '../lib/when';

type Payload = PayloadOf<'announcements.save'>;
type Field = 'category' | 'title' | 'body' | 'activityId' | 'publishAt';
type PickerState = 'idle' | 'loading' | 'error' | 'ready';

const FIELDS: Field[] = ['category', 'title', 'body', 'activityId', 'publishAt'];

interface Form {
  category: AnnouncementCategory | '';
  title: string;
  body: string;
  pinned: boolean;
  activityId: string;
  activityTitle: string;
  /** Publish now, or at date + time (China). */
  scheduled: boolean;
  date: string;
  time: string;
}

interface ActivityOption {
  id: string;
  title: string;
  hint: string;
}

/** An activity the editor was opened for (from the activities list). */
const prefill = new WeakMap<object, Pick<Form, 'activityId' | 'activityTitle'>>();

const noErrors = (): Record<Field, string> => ({ category: '', title: '', body: '', activityId: '', publishAt: '' });

function blankForm(now: number): Form {
  // A scheduled notice most often goes out the next morning.
  const tomorrow = readings(startOfChinaDay(now) + DAY);
  return { category: '', title: '', body: '', pinned: false, activityId: '', activityTitle: '', scheduled: false, date: tomorrow.date, time: '09:00' };
}

function asField(path: string): Field | null {
  const name = fieldPath(path).split(/[.[]/)[0];
  return FIELDS.find((f) => f === name) ?? null;
}

Component({
  data: {
    view: 'loading' as PageView,
    errorText: '',
    categories: CATEGORY_OPTIONS,
    form: blankForm(Date.now()),
    errors: noErrors(),
    formError: '',
    whenText: '',
    today: todayReading(Date.now()),
    saving: false,
    pickerOpen: false,
    picker: 'idle' as PickerState,
    pickerError: '',
    options: [] as ActivityOption[],
  },
  methods: {
    onLoad(query: Record<string, string | undefined>): void {
      prefill.set(this, { activityId: queryText(query.activityId), activityTitle: queryText(query.title) || queryText(query.activityId) });
      void this.load();
    },

    async load(): Promise<void> {
      if (this.data.view !== 'loading') this.setData({ view: 'loading' });
      const gate = await checkStaff();
      if (gate.kind === 'error') {
        this.setData({ view: 'error', errorText: gate.message });
        return;
      }
      if (gate.kind === 'refused') {
        this.setData({ view: 'refused' });
        return;
      }
      // Defaults from today's date, as the page opens (the app may have been open since yesterday).
      const now = Date.now();
      this.setData({ view: 'ready', form: { ...blankForm(now), ...prefill.get(this) }, today: todayReading(now) });
    },
    retry(): void {
      void this.load();
    },

    // ---- fields ------------------------------------------------------------------------------------
    clear(field: Field): Record<string, unknown> {
      const patch: Record<string, unknown> = { formError: '' };
      if (this.data.errors[field]) patch[`errors.${field}`] = '';
      return patch;
    },
    pickCategory(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value?: AnnouncementCategory }>): void {
      const value = e.currentTarget.dataset.value;
      if (value) this.setData({ ...this.clear('category'), 'form.category': value });
    },
    onTitle(e: WechatMiniprogram.CustomEvent<{ value?: string }>): void {
      this.setData({ ...this.clear('title'), 'form.title': e.detail.value ?? '' });
    },
    onBody(e: WechatMiniprogram.CustomEvent<{ value?: string }>): void {
      this.setData({ ...this.clear('body'), 'form.body': e.detail.value ?? '' });
    },
    onPinned(e: WechatMiniprogram.CustomEvent<{ value?: boolean }>): void {
      this.setData({ 'form.pinned': Boolean(e.detail.value) });
    },
    publishNow(): void {
      this.setData({ ...this.clear('publishAt'), 'form.scheduled': false, whenText: '' });
    },
    publishLater(): void {
      this.setData({ ...this.clear('publishAt'), 'form.scheduled': true, whenText: this.whenOf(this.data.form.date, this.data.form.time) });
    },
    onDate(e: WechatMiniprogram.CustomEvent<{ value?: string }>): void {
      const date = String(e.detail.value ?? '');
      this.setData({ ...this.clear('publishAt'), 'form.date': date, whenText: this.whenOf(date, this.data.form.time) });
    },
    onTime(e: WechatMiniprogram.CustomEvent<{ value?: string }>): void {
      const time = String(e.detail.value ?? '');
      this.setData({ ...this.clear('publishAt'), 'form.time': time, whenText: this.whenOf(this.data.form.date, time) });
    },
    whenOf(date: string, time: string): string {
      const at = instantOf(date, time);
      return at === null ? '' : `将于 ${formatDateTime(at, Date.now())}（北京时间）发布`;
    },

    // ---- the activity it belongs to ------------------------------------------------------------------
    openActivities(): void {
      this.setData({ pickerOpen: true });
      if (this.data.picker !== 'ready' && this.data.picker !== 'loading') void this.loadActivities();
    },
    closeActivities(): void {
      this.setData({ pickerOpen: false });
    },
    onPickerVisible(e: WechatMiniprogram.CustomEvent<{ visible: boolean }>): void {
      if (!e.detail.visible) this.closeActivities();
    },
    async loadActivities(): Promise<void> {
      this.setData({ picker: 'loading' });
      const r = await api('activities.staffList', {});
      if (!r.ok) {
        this.setData({ picker: 'error', pickerError: r.message });
        return;
      }
      const now = Date.now();
      const options = r.data.items
        .filter((a) => a.status !== 'archived')
        .map((a) => ({ id: a.id, title: a.title, hint: `${ACTIVITY_STATUS_LABEL[a.status]} · ${formatRange(a.time, now)}` }));
      this.setData({ picker: 'ready', options });
    },
    pickActivity(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id?: string; title?: string }>): void {
      const { id = '', title = '' } = e.currentTarget.dataset;
      this.setData({ ...this.clear('activityId'), 'form.activityId': id, 'form.activityTitle': id ? title : '', pickerOpen: false });
    },

    // ---- save --------------------------------------------------------------------------------------
    /** The form as a payload, or null with each problem under its field. */
    collect(): Payload | null {
      const f = this.data.form;
      const errors = noErrors();
      let bad = false;
      if (!f.category) {
        errors.category = '请选择公告类别';
        bad = true;
      }
      let publishAt = Date.now();
      if (f.scheduled) {
        const at = instantOf(f.date, f.time);
        if (at === null) {
          errors.publishAt = '请选择发布的日期和时间';
          bad = true;
        } else if (at <= Date.now()) {
          errors.publishAt = '定时发布的时间已经过去，请重新选择，或改为立即发布';
          bad = true;
        } else publishAt = at;
      }
      const payload = {
        category: (f.category || 'notice') as AnnouncementCategory,
        title: f.title.trim(),
        body: f.body.trim(),
        images: [],
        pinned: f.pinned,
        activityId: f.activityId || null,
        publishAt,
      };
      if (!payload.title) {
        errors.title = '请填写标题';
        bad = true;
      }
      if (!payload.body) {
        errors.body = '请填写正文';
        bad = true;
      }
      if (!bad) {
        const parsed = ACTIONS['announcements.save'].payload.parse(payload, 'payload');
        const field = parsed.ok ? null : asField(parsed.issue.path);
        if (!parsed.ok) {
          if (field) errors[field] = parsed.issue.message;
          else this.setData({ formError: parsed.issue.message });
          bad = true;
        }
      }
      if (bad) {
        this.setData({ errors, formError: this.data.formError || '请修改上面标红的内容' });
        return null;
      }
      return payload;
    },

    async save(): Promise<void> {
      if (this.data.saving) return;
      const payload = this.collect();
      if (!payload) return;
      this.setData({ saving: true, errors: noErrors(), formError: '' });
      const r = await api('announcements.save', payload);
      this.setData({ saving: false });
      if (!r.ok) {
        // What was typed stays; only the message appears, under the field the server named.
        if (r.code === 'FORBIDDEN') forgetStaff();
        const field = asField(r.field ?? '');
        if (field) this.setData({ [`errors.${field}`]: r.message, formError: '请修改上面标红的内容' });
        else this.setData({ formError: r.message });
        wx.showToast({ title: r.message, icon: 'none' });
        return;
      }
      bumpStaff('announcements');
      wx.showToast({ title: this.data.form.scheduled ? '已定时发布' : '已发布', icon: 'success' });
      wx.navigateBack({ delta: 1 });
    },
  },
});
