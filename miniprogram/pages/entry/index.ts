/**
 * 作品编辑: a worker's entry in one track, opened with the activity and track (`entries.open`,
 * which creates the entry and its blind code the first time) or with the entry's id
 * (`entries.get`, from 我的作品): one call for the first screen.
 *
 *  - 征文: title and text with a live 字数 (whitespace excluded, as the competition counts) against
 *    the track's limits; drafts saved to the server 3 s after typing stops and when the page is
 *    hidden, and kept on the phone too, so nothing typed is lost offline: a newer copy on the
 *    phone is offered back when the editor opens.
 *  - 摄影: 1–N photos, re-encoded on the phone (which drops GPS), checked against the track before
 *    any upload, uploaded one by one with progress and retry, captioned, reordered, removed.
 *  - 微视频: one video (length and size checked, compressed when large) and a cover picture.
 *
 * Submitting makes a new version until the deadline; withdrawing takes the entry out of judging.
 * The deadline is judged on the server's clock.
 */
import { trackTitle } from '../../utils/view';
import type { PayloadOf } from '../../core/actions';
import type { EntryContent, EntryView, MediaView, Track } from '../../core/domain';
import { errorMessage } from '../../core/errors';
import { charCount, contentRefusal, fileRefusal } from '../../core/rules/entry';
import { windowState, type WindowState } from '../../core/time';
import { api } from '../../services/client';
import { bump } from '../../services/changes';
import { clearLocalDraft, loadLocalDraft, saveLocalDraft, type LocalDraft } from '../../services/drafts';
import { chooseVideo, compressVideo, pickPhotos } from '../../services/media';
import { knownTrack, rememberTracks } from '../../services/tracks';
import { UploadQueue, isUploadExt, type UploadItem, type UploadStatus } from '../../services/uploads';
import { formatDateTime, windowText } from '../../utils/format';
import {
  ENTRY_STATE_TONE,
  MODERATION_TONE,
  clockText,
  durationText,
  limitsText,
  moderationLabel,
  thousands,
  type Tone,
} from '../../utils/status';

/** Server autosave: this long after the worker stops typing. */
const AUTOSAVE_MS = 3000;
/** The phone copy of an essay: this long after the last keystroke. */
const LOCAL_MS = 800;
/** After a picture is added, moved or removed. */
const STRUCTURE_SAVE_MS = 800;
/** Videos above this are compressed on the phone before upload, even when within the limit. */
const COMPRESS_ABOVE = 50 * 1024 * 1024;

type Status = 'loading' | 'error' | 'ready';
type Kind = Track['kind'];

interface Slot {
  /** The upload queue's key for a file added here; the upload id for one already on the server. */
  key: string;
  uploadId: string;
  caption: string;
  preview: string;
}

interface MediaVM {
  key: string;
  preview: string;
  caption: string;
  status: UploadStatus;
  text: string;
  progress: number;
  failed: boolean;
  retryable: boolean;
  first: boolean;
  last: boolean;
}

interface Private {
  query: { activityId: string; trackId: string; entryId: string };
  view: EntryView | null;
  track: Track | null;
  /** Date.now() − the server's clock. */
  skew: number;
  title: string;
  text: string;
  description: string;
  seconds: number;
  photos: Slot[];
  video: Slot | null;
  cover: Slot | null;
  queue: UploadQueue | null;
  /** Edits the server does not have yet. */
  dirty: boolean;
  /** The draft differs from the submitted version. */
  changed: boolean;
  saving: Promise<boolean> | null;
  saveTimer: ReturnType<typeof setTimeout> | null;
  localTimer: ReturnType<typeof setTimeout> | null;
  /** A newer phone copy on offer: kept untouched until the worker decides. */
  offered: LocalDraft | null;
  lastCount: string;
  closed: boolean;
  /** Leaving is confirmed first while files are uploading. */
  guarded: boolean;
}

const priv = new WeakMap<object, Private>();

const STATUS_TEXT: Record<UploadStatus, string> = {
  waiting: '等待上传',
  uploading: '上传中',
  checking: '正在检查文件…',
  done: '已上传',
  failed: '上传失败',
};

function statusText(item: UploadItem | undefined): string {
  if (!item) return STATUS_TEXT.done;
  if (item.status === 'waiting' && item.message) return item.message;
  if (item.status === 'uploading') return `上传中 ${item.progress}%`;
  if (item.status === 'failed') return item.message ? `上传失败：${item.message}` : STATUS_TEXT.failed;
  return STATUS_TEXT[item.status];
}

function countVM(track: Track | null, text: string): { text: string; over: boolean; hint: string } {
  const n = charCount(text);
  if (track?.kind !== 'essay') return { text: `${thousands(n)} 字`, over: false, hint: '' };
  const { minChars, maxChars } = track.limits;
  return {
    text: `${thousands(n)} / ${thousands(maxChars)} 字`,
    over: n > maxChars,
    hint: n > maxChars ? `超出 ${thousands(n - maxChars)} 字，请删减` : n < minChars ? `至少 ${thousands(minChars)} 字，还差 ${thousands(minChars - n)} 字` : '',
  };
}

function mediaOf(view: EntryView, uploadId: string): MediaView | undefined {
  return uploadId ? view.media.find((m) => m.uploadId === uploadId) : undefined;
}

Component({
  data: {
    status: 'loading' as Status,
    errorText: '',
    errorAction: '重新加载',
    kind: 'essay' as Kind,
    head: { activity: '', track: '', code: '', limits: '' },
    state: { label: '', tone: 'default' as Tone, moderation: '', moderationTone: 'default' as Tone, reason: '', when: '' },
    deadline: { text: '', state: 'open' as WindowState },
    editable: false,
    title: '',
    // essay
    text: '',
    count: { text: '', over: false, hint: '' },
    restore: null as { when: string; count: string } | null,
    // photo
    photos: [] as MediaVM[],
    maxPhotos: 0,
    // video
    video: null as MediaVM | null,
    cover: null as MediaVM | null,
    description: '',
    duration: '',
    videoBusy: '',
    pickError: '',
    // saving and submitting
    saveText: '',
    saveFailed: false,
    submitLabel: '提交作品',
    canSubmit: false,
    canWithdraw: false,
    submitting: false,
    withdrawing: false,
    actionNote: '',
    actionError: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>): void {
      priv.set(this, {
        query: { activityId: query.activityId ?? '', trackId: query.trackId ?? '', entryId: query.entryId ?? '' },
        view: null,
        track: null,
        skew: 0,
        title: '',
        text: '',
        description: '',
        seconds: 0,
        photos: [],
        video: null,
        cover: null,
        queue: null,
        dirty: false,
        changed: false,
        saving: null,
        saveTimer: null,
        localTimer: null,
        offered: null,
        lastCount: '',
        closed: false,
        guarded: false,
      });
      void this.load();
    },
    onHide(): void {
      this.flush();
    },
    onUnload(): void {
      this.flush();
      const p = priv.get(this);
      if (!p) return;
      p.queue?.dispose();
      if (p.localTimer) clearTimeout(p.localTimer);
    },

    // ---- loading ------------------------------------------------------------------------------

    async load(): Promise<void> {
      const p = priv.get(this);
      if (!p) return;
      const q = p.query;
      if (!q.entryId && !(q.activityId && q.trackId)) {
        this.setData({ status: 'error', errorText: errorMessage('NOT_FOUND'), errorAction: '返回' });
        return;
      }
      if (this.data.status !== 'loading') this.setData({ status: 'loading' });
      const r = q.entryId ? await api('entries.get', { entryId: q.entryId }) : await api('entries.open', { activityId: q.activityId, trackId: q.trackId });
      if (!r.ok) {
        const action = r.code === 'FORBIDDEN' && q.activityId ? '查看活动' : ['NETWORK', 'TIMEOUT', 'INTERNAL', 'RATE_LIMITED'].includes(r.code) ? '重新加载' : '返回';
        this.setData({ status: 'error', errorText: r.message, errorAction: action });
        return;
      }
      const view = r.data;
      // The track's limits: sent with the entry when the server does, else known from the activity
      // page the worker came from, else asked for.
      let track: Track | null = view.track ?? knownTrack(view.activityId, view.trackId);
      if (!track) {
        const d = await api('activities.detail', { id: view.activityId });
        if (d.ok) {
          rememberTracks(view.activityId, d.data.activity.competition?.tracks);
          track = knownTrack(view.activityId, view.trackId);
        } else {
          this.setData({ status: 'error', errorText: d.message, errorAction: '重新加载' });
          return;
        }
      }
      if (!track || track.kind !== view.kind) {
        this.setData({ status: 'error', errorText: '作品所属的比赛项目已不存在', errorAction: '返回' });
        return;
      }
      this.start(view, track);
    },

    /** The first screen, in one setData. */
    start(view: EntryView, track: Track): void {
      const p = priv.get(this)!;
      p.view = view;
      p.track = track;
      p.skew = Date.now() - view.serverNow;
      p.changed = view.unsubmittedChanges;
      p.queue?.dispose();
      p.queue = new UploadQueue(view.id, { onChange: (item) => this.onUpload(item) });
      const d = view.draft;
      p.title = d.title;
      const first: Record<string, unknown> = {
        status: 'ready',
        kind: track.kind,
        head: { activity: view.activityTitle, track: trackTitle(track.kind, view.trackName), code: view.code, limits: limitsText(track) },
        title: d.title,
        ...this.stateVM(),
        ...this.phaseVM(),
        saveText: view.draftSavedAt && view.draftSavedAt !== view.submittedAt ? `草稿保存于 ${formatDateTime(view.draftSavedAt, view.serverNow)}` : '',
        saveFailed: false,
      };
      if (d.kind === 'essay') {
        p.text = d.text;
        first.text = d.text;
        first.count = countVM(track, d.text);
        const local = loadLocalDraft(view.id);
        if (local && local.savedAt > view.draftSavedAt && (local.text !== d.text || local.title !== d.title)) {
          p.offered = local;
          first.restore = { when: formatDateTime(local.savedAt, view.serverNow), count: `${thousands(charCount(local.text))} 字` };
        } else if (local) clearLocalDraft(view.id);
      } else if (d.kind === 'photo') {
        p.photos = d.photos.map((x) => ({ key: x.uploadId, uploadId: x.uploadId, caption: x.caption, preview: mediaOf(view, x.uploadId)?.url ?? '' }));
        first.photos = this.photosVM();
        first.maxPhotos = track.kind === 'photo' ? track.limits.maxPhotos : 0;
      } else {
        p.description = d.description;
        p.seconds = d.seconds;
        p.video = d.videoUploadId ? { key: d.videoUploadId, uploadId: d.videoUploadId, caption: '', preview: '' } : null;
        p.cover = d.coverUploadId ? { key: d.coverUploadId, uploadId: d.coverUploadId, caption: '', preview: mediaOf(view, d.coverUploadId)?.url ?? '' } : null;
        first.description = d.description;
        first.duration = d.seconds ? durationText(d.seconds) : '';
        first.video = this.slotVM(p.video);
        first.cover = this.slotVM(p.cover);
      }
      this.setData(first);
    },

    onStateAction(): void {
      const a = this.data.errorAction;
      const q = priv.get(this)?.query;
      if (a === '重新加载') void this.load();
      else if (a === '查看活动' && q?.activityId) wx.redirectTo({ url: `/pages/activity/index?id=${encodeURIComponent(q.activityId)}` });
      else wx.navigateBack({ delta: 1 });
    },

    // ---- what is shown --------------------------------------------------------------------------

    now(): number {
      return Date.now() - (priv.get(this)?.skew ?? 0);
    },
    phase(): WindowState {
      const p = priv.get(this);
      if (!p?.view) return 'after';
      if (p.closed) return 'after';
      return windowState(p.view.submission, this.now());
    },

    stateVM(): Record<string, unknown> {
      const v = priv.get(this)!.view!;
      const label = v.state === 'submitted' ? `已提交第 ${v.version} 版` : v.state === 'withdrawn' ? '已撤回' : '草稿（未提交）';
      const moderation = v.state === 'submitted' ? moderationLabel(v.moderation, v.kind) : '';
      return {
        state: {
          label,
          tone: ENTRY_STATE_TONE[v.state],
          moderation,
          moderationTone: MODERATION_TONE[v.moderation],
          reason: v.state === 'submitted' && v.moderation === 'rejected' ? v.moderationReason || '内容不符合要求' : '',
          when: v.state === 'submitted' && v.submittedAt ? `提交于 ${formatDateTime(v.submittedAt, this.now())}` : '',
        },
      };
    },

    /** The deadline and what can be done now. */
    phaseVM(): Record<string, unknown> {
      const p = priv.get(this)!;
      const v = p.view!;
      const now = this.now();
      const phase = this.phase();
      const w = windowText(v.submission, now);
      const deadline = { text: phase === 'after' ? '作品提交已截止' : `作品提交${w.text}`, state: phase };
      if (phase !== 'open') {
        return {
          deadline,
          editable: false,
          submitLabel: phase === 'after' ? '提交已截止' : '尚未开始',
          canSubmit: false,
          canWithdraw: false,
          actionNote: phase === 'after' ? '作品提交已截止，不能再修改、提交或撤回' : `作品提交 ${formatDateTime(v.submission.start, now)} 开始`,
        };
      }
      const changed = p.changed || p.dirty;
      let submitLabel = '提交作品';
      let canSubmit = true;
      let actionNote = '截止前可以修改后重新提交';
      if (v.state === 'withdrawn') submitLabel = '重新提交';
      if (v.state === 'submitted') {
        submitLabel = changed ? '提交新版本' : '已提交';
        canSubmit = changed;
        actionNote = changed ? `提交后将替换为第 ${v.version + 1} 版` : '修改后可以提交新版本；撤回后不参加评审';
      }
      return { deadline, editable: true, submitLabel, canSubmit, canWithdraw: v.state === 'submitted', actionNote };
    },

    slotVM(slot: Slot | null, index = 0, count = 1): MediaVM | null {
      if (!slot) return null;
      const item = priv.get(this)?.queue?.get(slot.key);
      const status: UploadStatus = item?.status ?? 'done';
      return {
        key: slot.key,
        preview: slot.preview,
        caption: slot.caption,
        status,
        text: statusText(item),
        progress: item?.progress ?? 100,
        failed: status === 'failed',
        retryable: item?.retryable ?? false,
        first: index === 0,
        last: index === count - 1,
      };
    },

    photosVM(): MediaVM[] {
      const photos = priv.get(this)!.photos;
      return photos.map((s, i) => this.slotVM(s, i, photos.length)!);
    },

    // ---- editing ----------------------------------------------------------------------------------

    /** Something changed: save it (typing: after a pause; pictures: soon) and keep a phone copy. */
    edited(typing: boolean): void {
      const p = priv.get(this);
      if (!p?.view) return;
      const first = !p.dirty && !p.changed;
      p.dirty = true;
      p.changed = true;
      if (p.saveTimer) clearTimeout(p.saveTimer);
      p.saveTimer = setTimeout(() => {
        p.saveTimer = null;
        void this.saveNow();
      }, typing ? AUTOSAVE_MS : STRUCTURE_SAVE_MS);
      if (p.view.kind === 'essay' && !p.offered) {
        if (p.localTimer) clearTimeout(p.localTimer);
        p.localTimer = setTimeout(() => {
          p.localTimer = null;
          this.writeLocal();
        }, LOCAL_MS);
      }
      const patch: Record<string, unknown> = {};
      if (this.data.saveText !== '有未保存的修改' && !p.saving) {
        patch.saveText = '有未保存的修改';
        patch.saveFailed = false;
      }
      if (first) Object.assign(patch, this.phaseVM());
      if (Object.keys(patch).length) this.setData(patch);
    },

    writeLocal(): void {
      const p = priv.get(this);
      if (!p?.view || p.view.kind !== 'essay' || p.offered) return;
      saveLocalDraft(p.view.id, { title: p.title, text: p.text, savedAt: this.now() });
    },

    /** Before the page goes: the phone copy now, and the server copy. */
    flush(): void {
      const p = priv.get(this);
      if (!p?.view || !p.dirty) return;
      if (p.localTimer) {
        clearTimeout(p.localTimer);
        p.localTimer = null;
      }
      this.writeLocal();
      void this.saveNow();
    },

    onTitle(e: WechatMiniprogram.CustomEvent<{ value?: string }>): void {
      const p = priv.get(this);
      if (!p || !this.data.editable) return;
      p.title = e.detail.value ?? '';
      this.edited(true);
    },

    onText(e: WechatMiniprogram.CustomEvent<{ value?: string }>): void {
      const p = priv.get(this);
      if (!p || !this.data.editable) return;
      p.text = e.detail.value ?? '';
      // Only the count goes to the render layer: the text stays in the textarea.
      const count = countVM(p.track, p.text);
      const key = `${count.text}|${count.hint}`;
      if (key !== p.lastCount) {
        p.lastCount = key;
        this.setData({ count });
      }
      this.edited(true);
    },

    onDescription(e: WechatMiniprogram.CustomEvent<{ value?: string }>): void {
      const p = priv.get(this);
      if (!p || !this.data.editable) return;
      p.description = e.detail.value ?? '';
      this.edited(true);
    },

    onCaption(e: WechatMiniprogram.CustomEvent<{ value?: string }, Record<string, never>, { key?: string }>): void {
      const p = priv.get(this);
      const slot = p?.photos.find((s) => s.key === e.currentTarget.dataset.key);
      if (!slot || !this.data.editable) return;
      slot.caption = e.detail.value ?? '';
      this.edited(true);
    },

    onRestore(): void {
      const p = priv.get(this);
      const local = p?.offered;
      if (!p || !local) return;
      p.offered = null;
      p.title = local.title;
      p.text = local.text;
      this.setData({ restore: null, title: local.title, text: local.text, count: countVM(p.track, local.text) });
      this.edited(false);
    },

    onDiscardRestore(): void {
      const p = priv.get(this);
      if (!p?.view) return;
      p.offered = null;
      clearLocalDraft(p.view.id);
      this.setData({ restore: null });
    },

    content(): EntryContent {
      const p = priv.get(this)!;
      const kind = p.view!.kind;
      if (kind === 'essay') return { kind, title: p.title, text: p.text };
      if (kind === 'photo') return { kind, title: p.title, photos: p.photos.filter((s) => s.uploadId).map((s) => ({ uploadId: s.uploadId, caption: s.caption })) };
      return { kind, title: p.title, description: p.description, videoUploadId: p.video?.uploadId ?? '', coverUploadId: p.cover?.uploadId ?? '', seconds: p.seconds };
    },

    setSave(saveText: string, saveFailed: boolean): void {
      if (this.data.saveText !== saveText || this.data.saveFailed !== saveFailed) this.setData({ saveText, saveFailed });
    },

    /** Saves the draft on the server now; answers whether the server has what is on screen. */
    async saveNow(): Promise<boolean> {
      const p = priv.get(this);
      if (!p?.view || !p.track) return false;
      if (p.saveTimer) {
        clearTimeout(p.saveTimer);
        p.saveTimer = null;
      }
      if (p.saving) await p.saving;
      if (!p.dirty) return true;
      if (this.phase() !== 'open') return false;
      const view = p.view;
      const essay = view.kind === 'essay';
      const content = this.content();
      if (essay) this.writeLocal();
      const refusal = contentRefusal(p.track, content, false);
      if (refusal) {
        this.setSave(`${refusal.message}，未保存到服务器${essay ? '，已保存在本机' : ''}`, true);
        return false;
      }
      p.dirty = false;
      this.setSave('正在保存…', false);
      const run = (async (): Promise<boolean> => {
        const r = await api('entries.saveDraft', { entryId: view.id, content: content as PayloadOf<'entries.saveDraft'>['content'] });
        if (!r.ok) {
          p.dirty = true;
          if (r.code === 'CLOSED') this.closeNow(r.message);
          this.setSave(essay ? '保存失败，已保存在本机' : `保存失败：${r.message}`, true);
          return false;
        }
        view.draftSavedAt = r.data.draftSavedAt;
        if (!p.dirty && essay && !p.offered) clearLocalDraft(view.id);
        this.setSave(p.dirty ? '有未保存的修改' : `已保存 ${clockText(r.data.draftSavedAt)}`, false);
        return true;
      })();
      p.saving = run;
      const saved = await run;
      p.saving = null;
      if (saved && p.dirty && !p.saveTimer) this.edited(true);
      return saved && !p.dirty;
    },

    /** The deadline passed while the page was open. */
    closeNow(message: string): void {
      const p = priv.get(this);
      if (!p) return;
      p.closed = true;
      this.setData({ ...this.phaseVM(), actionError: message });
    },

    // ---- pictures and video ---------------------------------------------------------------------

    onUpload(item: UploadItem): void {
      const p = priv.get(this);
      if (!p) return;
      const i = p.photos.findIndex((s) => s.key === item.key);
      const slot = i >= 0 ? p.photos[i] : p.video?.key === item.key ? p.video : p.cover?.key === item.key ? p.cover : null;
      if (!slot) return;
      if (item.status === 'done' && !slot.uploadId) {
        slot.uploadId = item.uploadId;
        this.edited(false);
      }
      if (i >= 0) {
        // A photo still being added is drawn with the whole list once it is in it.
        if (i < this.data.photos.length) this.setData({ [`photos[${i}]`]: this.slotVM(slot, i, p.photos.length) });
      } else if (slot === p.video) this.setData({ video: this.slotVM(slot) });
      else this.setData({ cover: this.slotVM(slot) });
      this.guardLeaving();
    },

    /** While files upload, going back asks first: an upload cannot resume once the page is gone. */
    guardLeaving(): void {
      const p = priv.get(this);
      if (!p) return;
      const busy = Boolean(p.queue?.busy());
      if (busy === p.guarded) return;
      p.guarded = busy;
      try {
        if (busy) wx.enableAlertBeforeUnload({ message: '还有文件正在上传，离开将中断上传。确定离开吗？' });
        else wx.disableAlertBeforeUnload();
      } catch {
        // Base libraries before 2.12 have neither; leaving simply stops the uploads.
      }
    },

    async onAddPhotos(): Promise<void> {
      const p = priv.get(this);
      const track = p?.track;
      if (!p?.queue || track?.kind !== 'photo' || !this.data.editable) return;
      const room = track.limits.maxPhotos - p.photos.length;
      if (room <= 0) {
        wx.showToast({ title: `最多 ${track.limits.maxPhotos} 张照片`, icon: 'none' });
        return;
      }
      const queue = p.queue;
      // Each photo a new JPEG made on the phone: the original's EXIF (GPS, owner) is not carried over.
      const problems = await pickPhotos(
        room,
        (ext, size) => fileRefusal(track, 'photo', ext, size)?.message ?? null,
        (file) => {
          const item = queue.add({ localPath: file.path, purpose: 'photo', ext: file.ext, size: file.size });
          p.photos.push({ key: item.key, uploadId: '', caption: '', preview: file.path });
          this.setData({ photos: this.photosVM() });
        },
      );
      if (problems === null) return;
      this.setData({ pickError: problems });
    },

    slotByKey(key: string | undefined): Slot | null {
      const p = priv.get(this);
      if (!p || !key) return null;
      return p.photos.find((s) => s.key === key) ?? (p.video?.key === key ? p.video : p.cover?.key === key ? p.cover : null);
    },

    onRetry(e: WechatMiniprogram.BaseEvent<Record<string, never>, { key?: string }>): void {
      const p = priv.get(this);
      const key = e.currentTarget.dataset.key;
      if (!p?.queue || !key || !this.data.editable) return;
      p.queue.retry(key);
    },

    onRemove(e: WechatMiniprogram.BaseEvent<Record<string, never>, { key?: string }>): void {
      const p = priv.get(this);
      const key = e.currentTarget.dataset.key;
      const slot = this.slotByKey(key);
      if (!p || !slot || !key || !this.data.editable) return;
      p.queue?.remove(key);
      if (slot === p.video) {
        p.video = null;
        p.seconds = 0;
        this.setData({ video: null, duration: '' });
      } else if (slot === p.cover) {
        p.cover = null;
        this.setData({ cover: null });
      } else {
        p.photos = p.photos.filter((s) => s !== slot);
        this.setData({ photos: this.photosVM() });
      }
      if (slot.uploadId) this.edited(false);
    },

    move(key: string | undefined, by: -1 | 1): void {
      const p = priv.get(this);
      if (!p || !key || !this.data.editable) return;
      const i = p.photos.findIndex((s) => s.key === key);
      const j = i + by;
      const a = p.photos[i];
      const b = p.photos[j];
      if (!a || !b) return;
      p.photos[i] = b;
      p.photos[j] = a;
      this.setData({ photos: this.photosVM() });
      if (a.uploadId && b.uploadId) this.edited(false);
    },
    onMoveUp(e: WechatMiniprogram.BaseEvent<Record<string, never>, { key?: string }>): void {
      this.move(e.currentTarget.dataset.key, -1);
    },
    onMoveDown(e: WechatMiniprogram.BaseEvent<Record<string, never>, { key?: string }>): void {
      this.move(e.currentTarget.dataset.key, 1);
    },

    async onPickVideo(): Promise<void> {
      const p = priv.get(this);
      const track = p?.track;
      if (!p?.queue || track?.kind !== 'video' || !this.data.editable) return;
      const { maxSeconds, maxBytes } = track.limits;
      const picked = await chooseVideo(maxSeconds);
      if (!picked.ok) {
        if (!picked.cancelled) this.setData({ pickError: picked.message });
        return;
      }
      const f = picked.value;
      if (f.duration > maxSeconds + 0.5) {
        this.setData({ pickError: `视频时长 ${durationText(f.duration)}，超过了 ${durationText(maxSeconds)}的上限，请剪辑后再选择` });
        return;
      }
      let file = { path: f.path, size: f.size, ext: f.ext };
      if (file.ext !== 'mp4' || file.size > maxBytes || file.size > COMPRESS_ABOVE) {
        this.setData({ videoBusy: '正在压缩视频，请稍候…', pickError: '' });
        const c = await compressVideo(file.path);
        this.setData({ videoBusy: '' });
        if (c.ok) file = c.value;
      }
      const refusal = fileRefusal(track, 'video', file.ext, file.size);
      if (refusal || !isUploadExt(file.ext)) {
        this.setData({ pickError: refusal?.message ?? '视频请使用 MP4 格式' });
        return;
      }
      if (p.video) p.queue.remove(p.video.key);
      const item = p.queue.add({ localPath: file.path, purpose: 'video', ext: file.ext, size: file.size });
      p.video = { key: item.key, uploadId: '', caption: '', preview: f.thumb };
      p.seconds = Math.round(f.duration);
      this.setData({ video: this.slotVM(p.video), duration: durationText(p.seconds), pickError: '' });
    },

    async onPickCover(): Promise<void> {
      const p = priv.get(this);
      const track = p?.track;
      if (!p?.queue || track?.kind !== 'video' || !this.data.editable) return;
      const queue = p.queue;
      const problem = await pickPhotos(
        1,
        (ext, size) => fileRefusal(track, 'cover', ext, size)?.message ?? null,
        (file) => {
          if (p.cover) queue.remove(p.cover.key);
          const item = queue.add({ localPath: file.path, purpose: 'cover', ext: file.ext, size: file.size });
          p.cover = { key: item.key, uploadId: '', caption: '', preview: file.path };
          this.setData({ cover: this.slotVM(p.cover) });
        },
      );
      if (problem === null) return;
      this.setData({ pickError: problem ? `封面：${problem}` : '' });
    },

    // ---- submitting -------------------------------------------------------------------------------

    /** Whether the submission window is still open, on the server's clock; says so when not. */
    stillOpen(): boolean {
      const phase = this.phase();
      if (phase === 'open') return true;
      const message = phase === 'after' ? '作品提交已截止' : '作品提交尚未开始';
      this.setData({ ...this.phaseVM(), actionError: message });
      wx.showToast({ title: message, icon: 'none' });
      return false;
    },

    async onSubmit(): Promise<void> {
      const p = priv.get(this);
      if (!p?.view || !p.track || this.data.submitting || !this.stillOpen()) return;
      const queue = p.queue;
      if (queue?.busy()) {
        this.fail('还有文件正在上传，请等上传完成后再提交');
        return;
      }
      if (queue?.list().some((x) => x.status === 'failed')) {
        this.fail('有文件上传失败，请重试或删除后再提交');
        return;
      }
      const refusal = contentRefusal(p.track, this.content(), true);
      if (refusal) {
        this.fail(refusal.message);
        return;
      }
      this.setData({ submitting: true, actionError: '' });
      if (p.dirty || p.saving) {
        if (!(await this.saveNow())) {
          this.setData({ submitting: false });
          this.fail('作品没能保存到服务器，请检查网络后再提交');
          return;
        }
      }
      const r = await api('entries.submit', { entryId: p.view.id });
      this.setData({ submitting: false });
      if (!r.ok) {
        if (r.code === 'CLOSED') this.closeNow(r.message);
        this.fail(r.message);
        return;
      }
      this.adopt(r.data);
      if (p.view.kind === 'essay') clearLocalDraft(p.view.id);
      wx.showToast({ title: r.data.version > 1 ? `已提交第 ${r.data.version} 版` : '已提交', icon: 'success' });
    },

    async onWithdraw(): Promise<void> {
      const p = priv.get(this);
      if (!p?.view || this.data.withdrawing || !this.stillOpen()) return;
      const sure = await wx
        .showModal({
          title: '撤回作品',
          content: '撤回后作品不参加评审。截止前可以修改后重新提交。确定撤回吗？',
          confirmText: '撤回',
          confirmColor: '#d54941',
          cancelText: '不撤回',
        })
        .then((res) => res.confirm, () => false);
      if (!sure) return;
      this.setData({ withdrawing: true });
      const r = await api('entries.withdraw', { entryId: p.view.id });
      this.setData({ withdrawing: false });
      if (!r.ok) {
        if (r.code === 'CLOSED') this.closeNow(r.message);
        this.fail(r.message);
        return;
      }
      this.adopt(r.data);
      wx.showToast({ title: '已撤回', icon: 'success' });
    },

    /** The server's answer to a submit or withdraw: state, version, moderation; the editor's text stays. */
    adopt(view: EntryView): void {
      const p = priv.get(this)!;
      const old = p.view!;
      p.view = { ...view, draftSavedAt: Math.max(view.draftSavedAt, old.draftSavedAt) };
      p.changed = p.dirty || view.unsubmittedChanges;
      bump('entries');
      this.setData({ ...this.stateVM(), ...this.phaseVM(), actionError: '' });
    },

    fail(message: string): void {
      this.setData({ actionError: message });
      wx.showToast({ title: message, icon: 'none' });
    },
  },
});
