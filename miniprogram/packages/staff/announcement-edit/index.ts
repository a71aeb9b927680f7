/**
 * 发布公告 / 编辑公告: category, title, body (plain text in paragraphs), images, 置顶, an activity
 * it belongs to (picked from the staff list, fetched only when the picker opens), and when it goes
 * out: now, or at a date and time picked on China's wall clock (core/time's fromChina, never the
 * phone's zone). Opened with `?id=`, it loads the announcement in full (`announcements.get`, staff
 * only: its refusal is the staff check); a withdrawn one is shown as such and cannot be changed, and a
 * published one keeps its publication time unless staff reschedule it.
 *
 * Images: picked with wx.chooseMedia and re-encoded on the phone (no EXIF, so no GPS), each
 * uploaded to a path the server issues and read back by the server before a save may use it,
 * with its progress shown; they can be moved and removed, up to LIMITS.announcementImagesMax.
 * Each problem is shown under its field, the server's too (by `field`); a refused save keeps
 * everything typed. First screen: the staff check alone, or the announcement when editing (one call either way).
 */
import { ACTIONS, type PayloadOf } from '../../../core/actions';
import type { AnnouncementCategory } from '../../../core/domain';
import { LIMITS } from '../../../core/limits';
import { announcementImageRefusal } from '../../../core/rules/announcement';
import type { StaffAnnouncementDetail } from '../../../core/staff';
import { DAY, startOfChinaDay } from '../../../core/time';
import { api } from '../../../services/client';
import { pickPhotos } from '../../../services/media';
import { UploadQueue, type UploadItem, type UploadStatus } from '../../../services/uploads';
import { formatDateTime, formatRange } from '../../../utils/format';
import { bumpStaff } from '../lib/changes';
import { staffFirst, checkStaff, forgetStaff, type PageView } from '../lib/guard';
import { announcementImages } from '../lib/images';
import { ACTIVITY_STATUS_LABEL, CATEGORY_OPTIONS, fieldPath } from '../lib/labels';
import { queryText } from '../lib/urls';
import { instantOf, readings, todayReading } from '../lib/when';

type Payload = PayloadOf<'announcements.save'>;
type Field = 'category' | 'title' | 'body' | 'images' | 'activityId' | 'publishAt';
type PickerState = 'idle' | 'loading' | 'error' | 'ready';
type View = PageView | 'withdrawn';

const FIELDS: Field[] = ['category', 'title', 'body', 'images', 'activityId', 'publishAt'];

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

/** One image on screen: an uploaded one (kept or new) or one still on its way. */
interface ImageVM {
  key: string;
  /** The phone's file while it uploads, the server's URL once it is there. */
  src: string;
  status: UploadStatus;
  progress: number;
  /** 上传中 37% / 检查中 / the reason it failed. */
  label: string;
  retryable: boolean;
}

/** What the page keeps besides its data. */
interface Private {
  /** The announcement being edited ('' for a new one). */
  editId: string;
  /** Its id for images: the edited one, or the one the first image ticket reserved. */
  imagesId: string;
  /** When editing one already out: its publication time, kept unless staff reschedule. */
  publishedAt: number | null;
  /** File IDs by key, in screen order (a key without a file ID is still uploading). */
  images: Array<{ key: string; fileID: string; src: string }>;
  queue: UploadQueue | null;
  /** An activity the editor was opened for (from the activities list). */
  prefill: Pick<Form, 'activityId' | 'activityTitle'>;
}

const priv = new WeakMap<object, Private>();

const noErrors = (): Record<Field, string> => ({ category: '', title: '', body: '', images: '', activityId: '', publishAt: '' });

const STATUS_LABEL: Record<UploadStatus, string> = { waiting: '等待上传', uploading: '上传中', checking: '检查中', done: '', failed: '上传失败' };

function imageVM(slot: { key: string; src: string }, item: UploadItem | undefined): ImageVM {
  if (!item) return { key: slot.key, src: slot.src, status: 'done', progress: 100, label: '', retryable: false };
  const label = item.status === 'failed' ? item.message || STATUS_LABEL.failed : item.status === 'uploading' ? `上传中 ${item.progress}%` : item.status === 'waiting' && item.message ? item.message : STATUS_LABEL[item.status];
  return { key: slot.key, src: item.status === 'done' && item.url ? item.url : slot.src, status: item.status, progress: item.progress, label, retryable: item.retryable };
}

/** The form of an announcement loaded for editing. */
function formFrom(a: StaffAnnouncementDetail, now: number): Form {
  const scheduled = a.state === 'scheduled';
  const at = readings(scheduled ? a.publishAt : startOfChinaDay(now) + DAY + 9 * 3600_000);
  return {
    category: a.category,
    title: a.title,
    body: a.body,
    pinned: a.pinned,
    activityId: a.activityId ?? '',
    activityTitle: a.activityId ? a.activityTitle || '（活动已删除）' : '',
    scheduled,
    date: at.date,
    time: at.time,
  };
}

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
    view: 'loading' as View,
    errorText: '',
    editing: false,
    /** Set when editing an announcement already out: "已于 … 发布". */
    publishedText: '',
    images: [] as ImageVM[],
    imagesMax: LIMITS.announcementImagesMax as number,
    uploading: false,
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
      const editId = queryText(query.id);
      priv.set(this, {
        editId,
        imagesId: editId,
        publishedAt: null,
        images: [],
        queue: null,
        prefill: { activityId: queryText(query.activityId), activityTitle: queryText(query.title) || queryText(query.activityId) },
      });
      if (editId) {
        wx.setNavigationBarTitle({ title: '编辑公告' });
        this.setData({ editing: true });
      }
      void this.load();
    },
    onUnload(): void {
      priv.get(this)?.queue?.dispose();
    },

    state(): Private {
      const p = priv.get(this);
      if (p) return p;
      const fresh: Private = { editId: '', imagesId: '', publishedAt: null, images: [], queue: null, prefill: { activityId: '', activityTitle: '' } };
      priv.set(this, fresh);
      return fresh;
    },

    async load(): Promise<void> {
      const p = this.state();
      if (this.data.view !== 'loading') this.setData({ view: 'loading' });
      if (!p.editId) {
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
        this.setData({ view: 'ready', form: { ...blankForm(now), ...p.prefill }, today: todayReading(now) });
        return;
      }
      const r = await staffFirst('announcements.get', { id: p.editId });
      if (r === 'refused') {
        this.setData({ view: 'refused' });
        return;
      }
      if (!r.ok) {
        this.setData({ view: 'error', errorText: r.code === 'NOT_FOUND' ? '这条公告不存在或已被删除' : r.message });
        return;
      }
      const a = r.data.announcement;
      const now = Date.now();
      p.queue?.dispose();
      p.queue = null;
      p.images = a.images.map((img, i) => ({ key: `kept${i}`, fileID: img.fileID, src: img.url }));
      p.publishedAt = a.state === 'published' ? a.publishAt : null;
      const form = formFrom(a, now);
      this.setData({
        view: a.state === 'withdrawn' ? 'withdrawn' : 'ready',
        form,
        today: todayReading(now),
        errors: noErrors(),
        formError: '',
        publishedText: p.publishedAt === null ? '' : `已于 ${formatDateTime(p.publishedAt, now)} 发布`,
        whenText: form.scheduled ? this.whenOf(form.date, form.time) : '',
        images: this.imagesVM(),
      });
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
    // ---- images ------------------------------------------------------------------------------------
    imagesVM(): ImageVM[] {
      const p = this.state();
      return p.images.map((slot) => imageVM(slot, p.queue?.get(slot.key)));
    },
    queue(): UploadQueue {
      const p = this.state();
      if (!p.queue) {
        p.queue = new UploadQueue(
          announcementImages(p.imagesId, (id) => (p.imagesId = id)),
          { onChange: (item) => this.onUpload(item) },
        );
      }
      return p.queue;
    },
    onUpload(item: UploadItem): void {
      const p = this.state();
      const i = p.images.findIndex((s) => s.key === item.key);
      const slot = p.images[i];
      if (!slot) return;
      if (item.status === 'done') slot.fileID = item.uploadId;
      const patch: Record<string, unknown> = { [`images[${i}]`]: imageVM(slot, item), uploading: Boolean(p.queue?.busy()) };
      if (item.status === 'done' && this.data.errors.images) patch['errors.images'] = '';
      this.setData(patch);
    },
    async addImages(): Promise<void> {
      const p = this.state();
      const room = LIMITS.announcementImagesMax - p.images.length;
      if (room <= 0) {
        wx.showToast({ title: `最多 ${LIMITS.announcementImagesMax} 张图片`, icon: 'none' });
        return;
      }
      // Each photo a new JPEG made on the phone: the original's EXIF (GPS, owner) is not carried over.
      const problems = await pickPhotos(
        room,
        (ext, size) => announcementImageRefusal(ext, size)?.message ?? null,
        (file) => {
          const item = this.queue().add({ localPath: file.path, purpose: 'photo', ext: file.ext, size: file.size });
          p.images.push({ key: item.key, fileID: '', src: file.path });
          this.setData({ images: this.imagesVM(), uploading: true });
        },
      );
      if (problems === null) return;
      this.setData({ 'errors.images': problems, formError: '' });
    },
    retryImage(e: WechatMiniprogram.BaseEvent<Record<string, never>, { key?: string }>): void {
      const key = e.currentTarget.dataset.key;
      if (key) this.state().queue?.retry(key);
    },
    removeImage(e: WechatMiniprogram.BaseEvent<Record<string, never>, { key?: string }>): void {
      const p = this.state();
      const key = e.currentTarget.dataset.key;
      const i = p.images.findIndex((s) => s.key === key);
      if (!key || i < 0) return;
      p.queue?.remove(key);
      p.images.splice(i, 1);
      this.setData({ images: this.imagesVM(), uploading: Boolean(p.queue?.busy()), 'errors.images': '' });
    },
    /** Moves an image one place earlier (data-step -1) or later (+1). */
    moveImage(e: WechatMiniprogram.BaseEvent<Record<string, never>, { key?: string; step?: number }>): void {
      const p = this.state();
      const { key, step } = e.currentTarget.dataset;
      const i = p.images.findIndex((s) => s.key === key);
      const j = i + Number(step);
      if (i < 0 || j < 0 || j >= p.images.length) return;
      const [slot] = p.images.splice(i, 1);
      p.images.splice(j, 0, slot!);
      this.setData({ images: this.imagesVM() });
    },
    previewImage(e: WechatMiniprogram.BaseEvent<Record<string, never>, { key?: string }>): void {
      const urls = this.data.images.map((x) => x.src).filter(Boolean);
      const current = this.data.images.find((x) => x.key === e.currentTarget.dataset.key)?.src;
      if (current) wx.previewImage({ current, urls });
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
      const p = this.state();
      // Out already and not rescheduled: it keeps its time (and its place in the list).
      let publishAt = p.publishedAt ?? Date.now();
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
      if (p.images.some((x) => !x.fileID)) {
        errors.images = p.queue?.busy() ? '图片还在上传，请稍候再保存' : '有图片上传失败，请重试或删除';
        bad = true;
      }
      const payload = {
        ...(p.editId || p.imagesId ? { id: p.editId || p.imagesId } : {}),
        category: (f.category || 'notice') as AnnouncementCategory,
        title: f.title.trim(),
        body: f.body.trim(),
        images: p.images.map((x) => x.fileID).filter(Boolean),
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
      if (this.data.saving || this.data.view !== 'ready') return;
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
      wx.showToast({ title: this.data.editing ? '已保存' : this.data.form.scheduled ? '已定时发布' : '已发布', icon: 'success' });
      wx.navigateBack({ delta: 1 });
    },
  },
});
