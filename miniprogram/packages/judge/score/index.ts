/**
 * Scoring one anonymised entry, one hand on the phone. The work first (an essay in large, well
 * spaced type with a size switch; photos that open full screen with zoom; a playable video), then
 * one row per criterion with its weight and maximum: the score typed or stepped by half points,
 * checked as typed, and the judge's total computed live with the scoring rule from core. A draft
 * is saved with 保存草稿; 提交评分 asks first, because a final score is locked until staff return
 * it. 上一件 / 下一件 step through the judge's queue (a draft being edited is saved first).
 * Nothing out of range, off the half-point grid or missing a required comment is ever sent.
 * First screen: one call (`judging.entry`).
 */
import { ACTIONS } from '../../../core/actions';
import type { BlindEntry } from '../../../core/judging';
import { judgeTotal, type Rubric } from '../../../core/rules/scoring';
import { TRACK_LABEL } from '../../../core/domain';
import { api } from '../../../services/client';
import { parseScore, rememberQueue, rememberedQueue, scoreText, stepScore, type ParsedScore } from '../common';

type View = 'loading' | 'error' | 'ready';

interface CriterionVM {
  id: string;
  name: string;
  meta: string;
  value: string;
  error: string;
}

interface Private {
  scoreId: string;
  activityId: string;
  trackId: string;
  rubric: Rubric;
  /** What is on screen differs from what the server has. */
  dirty: boolean;
  /** Moving to another entry: further taps wait. */
  busy: boolean;
}

const FONT_SIZES = ['标准', '大', '特大'];
const FONT_KEY = 'wcp.judge.fontSize';
/** Characters of an essay per setData (about 18 KB of UTF-8): a long essay arrives in pieces. */
const CHUNK_CHARS = 6000;

const priv = new WeakMap<object, Private>();

function storedFont(): number {
  try {
    const v: unknown = wx.getStorageSync(FONT_KEY);
    return typeof v === 'number' && v >= 0 && v < FONT_SIZES.length ? v : 1;
  } catch {
    return 1;
  }
}

/** Paragraphs, each indented two full-width spaces as Chinese prose is set. */
function paragraphs(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => `\u3000\u3000${p}`);
}

/**
 * The essay in pieces of about CHUNK_CHARS characters, cut at a paragraph's end where one is near:
 * one inline text node each (however many paragraphs), sent one piece per setData, so neither the
 * node count nor any setData grows with the essay, and a piece cut mid-paragraph reads on unbroken.
 */
function blocks(text: string): string[] {
  const full = paragraphs(text).join('\n');
  const out: string[] = [];
  for (let i = 0; i < full.length; ) {
    let end = Math.min(full.length, i + CHUNK_CHARS);
    if (end < full.length) {
      const nl = full.lastIndexOf('\n', end - 1);
      if (nl > i + CHUNK_CHARS / 2) end = nl + 1;
      else if (/[\ud800-\udbff]/.test(full.charAt(end - 1))) end -= 1; // never halve a surrogate pair
    }
    out.push(full.slice(i, end));
    i = end;
  }
  return out;
}

function minutes(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return m ? `${m} 分 ${s} 秒` : `${s} 秒`;
}

function criteriaVM(e: BlindEntry): CriterionVM[] {
  return e.rubric.criteria.map((c) => ({
    id: c.id,
    name: c.name,
    meta: `权重 ${c.weight} · 满分 ${c.max}`,
    value: scoreText(e.scores[c.id]),
    error: '',
  }));
}

/** The judge's total, or why there is none yet. */
function liveTotal(rubric: Rubric, parsed: ParsedScore[]): { total: string; note: string } {
  if (parsed.some((p) => p.kind === 'bad')) return { total: '—', note: '请更正标红的分数' };
  const blanks = parsed.filter((p) => p.kind === 'blank').length;
  if (blanks) return { total: '—', note: `还有 ${blanks} 项未打分` };
  const scores: Record<string, number> = {};
  rubric.criteria.forEach((c, i) => {
    const p = parsed[i];
    if (p?.kind === 'ok') scores[c.id] = p.value;
  });
  const t = judgeTotal(rubric, scores);
  return t.ok ? { total: t.data.rounded.text, note: '' } : { total: '—', note: t.message };
}

Component({
  data: {
    view: 'loading' as View,
    errorText: '',
    canRetry: true,
    code: '',
    kind: '',
    title: '',
    paras: [] as string[],
    photos: [] as { url: string; caption: string }[],
    video: null as { url: string; cover: string; description: string; length: string } | null,
    fontSizes: FONT_SIZES,
    fontSize: 1,
    position: '',
    hasPrev: false,
    hasNext: false,
    criteria: [] as CriterionVM[],
    comment: '',
    commentRequired: false,
    commentError: '',
    total: '—',
    totalNote: '',
    locked: false,
    /** 复评 (round 2) badge; 初评 closed when 复评 started. */
    round2: false,
    roundClosed: false,
    returnedReason: '',
    saving: false,
    submitting: false,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>): void {
      priv.set(this, {
        scoreId: query.scoreId ?? '',
        activityId: query.activityId ?? '',
        trackId: query.trackId ?? '',
        rubric: { criteria: [] },
        dirty: false,
        busy: false,
      });
      void this.load();
    },
    onUnload(): void {
      this.allowLeaving();
    },

    async load(): Promise<void> {
      const p = priv.get(this);
      if (!p?.scoreId) {
        this.setData({ view: 'error', errorText: '缺少评审任务编号，请从作品列表进入', canRetry: false });
        return;
      }
      if (this.data.view !== 'loading') this.setData({ view: 'loading' });
      const r = await api('judging.entry', { scoreId: p.scoreId });
      if (p.scoreId !== priv.get(this)?.scoreId) return;
      if (!r.ok) {
        this.setData({ view: 'error', errorText: r.message, canRetry: r.code !== 'NOT_FOUND' && r.code !== 'FORBIDDEN' });
        return;
      }
      this.show(r.data);
    },

    show(e: BlindEntry): void {
      const p = priv.get(this);
      if (!p) return;
      p.rubric = e.rubric;
      p.dirty = false;
      this.allowLeaving();
      const criteria = criteriaVM(e);
      const live = liveTotal(e.rubric, criteria.map((c, i) => parseScore(e.rubric.criteria[i]!, c.value)));
      // A long essay: its first block now, the others right after, one per setData.
      const essay = blocks(e.text);
      this.setData(
        {
          view: 'ready',
          code: e.code,
          kind: TRACK_LABEL[e.kind],
          title: e.title,
          paras: essay.slice(0, 1),
          photos: e.photos,
          video: e.video ? { url: e.video.url, cover: e.video.cover, description: e.video.description, length: minutes(e.video.seconds) } : null,
          fontSize: storedFont(),
          position: e.count ? `第 ${e.index + 1} / ${e.count} 件` : '',
          hasPrev: e.index > 0,
          hasNext: e.index >= 0 && e.index < e.count - 1,
          criteria,
          comment: e.comment,
          commentRequired: e.commentRequired,
          commentError: '',
          total: live.total,
          totalNote: live.note,
          locked: e.state === 'final' || e.locked,
          round2: e.round === 2,
          roundClosed: e.locked && e.state !== 'final',
          returnedReason: e.state === 'final' ? '' : e.returnedReason,
        },
        () => this.appendBlocks(essay, 1),
      );
    },
    appendBlocks(essay: string[], from: number): void {
      if (from >= essay.length) return;
      this.setData({ [`paras[${from}]`]: essay[from]! }, () => this.appendBlocks(essay, from + 1));
    },

    // ---- reading ------------------------------------------------------------------------------
    setFont(e: WechatMiniprogram.BaseEvent<Record<string, never>, { size?: number }>): void {
      const size = Number(e.currentTarget.dataset.size);
      if (!(size >= 0 && size < FONT_SIZES.length)) return;
      this.setData({ fontSize: size });
      try {
        wx.setStorageSync(FONT_KEY, size);
      } catch {
        // A full device store only loses the preference.
      }
    },
    previewPhoto(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index?: number }>): void {
      const urls = this.data.photos.map((x) => x.url).filter(Boolean);
      const current = this.data.photos[Number(e.currentTarget.dataset.index)]?.url;
      if (current) wx.previewImage({ current, urls });
    },

    // ---- scoring ------------------------------------------------------------------------------
    onScore(e: WechatMiniprogram.CustomEvent<{ value?: string }, Record<string, never>, { index?: number }>): void {
      this.setScore(Number(e.currentTarget.dataset.index), e.detail.value ?? '');
    },
    inc(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index?: number }>): void {
      this.step(Number(e.currentTarget.dataset.index), 0.5);
    },
    dec(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index?: number }>): void {
      this.step(Number(e.currentTarget.dataset.index), -0.5);
    },
    step(index: number, delta: 0.5 | -0.5): void {
      const c = priv.get(this)?.rubric.criteria[index];
      const vm = this.data.criteria[index];
      if (!c || !vm || this.data.locked) return;
      const next = stepScore(c, vm.value, delta);
      if (next !== null) this.setScore(index, next);
    },
    setScore(index: number, value: string): void {
      const p = priv.get(this);
      const c = p?.rubric.criteria[index];
      if (!p || !c || this.data.locked) return;
      const parsed = this.data.criteria.map((vm, i) => (i === index ? parseScore(c, value) : parseScore(p.rubric.criteria[i]!, vm.value)));
      const mine = parsed[index]!;
      const live = liveTotal(p.rubric, parsed);
      this.setData({
        [`criteria[${index}].value`]: value,
        [`criteria[${index}].error`]: mine.kind === 'bad' ? mine.message : '',
        total: live.total,
        totalNote: live.note,
      });
      this.markDirty();
    },
    onComment(e: WechatMiniprogram.CustomEvent<{ value?: string }>): void {
      if (this.data.locked) return;
      this.setData({ comment: e.detail.value ?? '', commentError: '' });
      this.markDirty();
    },
    markDirty(): void {
      const p = priv.get(this);
      if (!p || p.dirty) return;
      p.dirty = true;
      if (typeof wx.enableAlertBeforeUnload === 'function') {
        wx.enableAlertBeforeUnload({ message: '本件评分还没有保存，确定离开吗？' });
      }
    },
    allowLeaving(): void {
      if (typeof wx.disableAlertBeforeUnload === 'function') wx.disableAlertBeforeUnload();
    },

    /**
     * What is on screen as a save payload, or null after marking every problem: a score out of
     * range or off the grid, and (for a final score) a blank criterion or a missing comment.
     */
    collect(final: boolean): { scores: { criterionId: string; score: number }[]; comment: string } | null {
      const p = priv.get(this);
      if (!p) return null;
      const patch: Record<string, string> = {};
      const scores: { criterionId: string; score: number }[] = [];
      let problem = '';
      p.rubric.criteria.forEach((c, i) => {
        const parsed = parseScore(c, this.data.criteria[i]?.value ?? '');
        let message = '';
        if (parsed.kind === 'bad') message = parsed.message;
        else if (parsed.kind === 'blank' && final) message = `请为「${c.name}」打分`;
        else if (parsed.kind === 'ok') scores.push({ criterionId: c.id, score: parsed.value });
        patch[`criteria[${i}].error`] = message;
        problem ||= message;
      });
      const comment = this.data.comment.trim();
      let commentError = '';
      if (final && this.data.commentRequired && !comment) commentError = '本比赛要求填写评语';
      const parsedPayload = ACTIONS['judging.save'].payload.parse({ scoreId: p.scoreId, scores, comment });
      if (!parsedPayload.ok && parsedPayload.issue.path.startsWith('payload.comment')) commentError = `评语${parsedPayload.issue.message}`;
      patch.commentError = commentError;
      problem ||= commentError;
      if (!problem && !parsedPayload.ok) problem = parsedPayload.issue.message;
      this.setData(patch);
      if (problem) {
        wx.showToast({ title: problem, icon: 'none' });
        return null;
      }
      return { scores, comment };
    },

    /** Sends the draft; answers whether the server has it. */
    async saveDraft(quiet = false): Promise<boolean> {
      const p = priv.get(this);
      if (!p || this.data.locked || this.data.saving) return false;
      const body = this.collect(false);
      if (!body) return false;
      this.setData({ saving: true });
      const r = await api('judging.save', { scoreId: p.scoreId, ...body });
      this.setData({ saving: false });
      if (!r.ok) {
        if (r.field === 'payload.comment') this.setData({ commentError: r.message });
        wx.showToast({ title: r.message, icon: 'none' });
        // Submitted meanwhile (another phone): show the locked score.
        if (r.code === 'INVALID_STATE') void this.load();
        return false;
      }
      p.dirty = false;
      this.allowLeaving();
      if (!quiet) wx.showToast({ title: '草稿已保存', icon: 'success' });
      return true;
    },
    onSave(): void {
      void this.saveDraft();
    },

    async submit(): Promise<void> {
      const p = priv.get(this);
      if (!p || this.data.locked || this.data.submitting || this.data.saving) return;
      if (!this.collect(true)) return;
      const confirmed = await wx
        .showModal({
          title: '提交评分',
          content: `本件合计 ${this.data.total} 分。提交后评分将锁定，不能再修改；如需修改，须由工作人员退回。确定提交吗？`,
          confirmText: '确定提交',
          cancelText: '再看看',
        })
        .then((res) => res.confirm, () => false);
      if (!confirmed) return;
      this.setData({ submitting: true });
      // The server locks what it has: what is on screen goes first.
      const saved = await this.saveDraft(true);
      if (!saved) {
        this.setData({ submitting: false });
        return;
      }
      const r = await api('judging.submit', { scoreId: p.scoreId });
      this.setData({ submitting: false });
      if (!r.ok) {
        if (r.field === 'payload.comment') this.setData({ commentError: r.message });
        wx.showToast({ title: r.message, icon: 'none' });
        if (r.code === 'CONFLICT' || r.code === 'INVALID_STATE') void this.load();
        return;
      }
      this.setData({ locked: true, total: r.data.total, totalNote: '', returnedReason: '' });
      wx.showToast({ title: '评分已提交', icon: 'success' });
    },

    // ---- moving through the queue -------------------------------------------------------------
    prev(): void {
      void this.move(-1);
    },
    next(): void {
      void this.move(1);
    },
    async move(delta: 1 | -1): Promise<void> {
      const p = priv.get(this);
      if (!p || p.busy) return;
      p.busy = true;
      try {
        const target = await this.neighbour(delta);
        if (!target) {
          wx.showToast({ title: delta > 0 ? '已是最后一件' : '已是第一件', icon: 'none' });
          return;
        }
        if (p.dirty && !this.data.locked) {
          const valid = this.data.criteria.every((c, i) => parseScore(p.rubric.criteria[i]!, c.value).kind !== 'bad');
          if (valid) {
            if (!(await this.saveDraft(true))) return;
          } else {
            const leave = await wx
              .showModal({ title: '分数有误', content: '本件有分数需要更正，离开将不保存本次修改。', confirmText: '放弃修改', cancelText: '返回更正' })
              .then((res) => res.confirm, () => false);
            if (!leave) return;
          }
        }
        p.scoreId = target;
        p.dirty = false;
        this.allowLeaving();
        if (typeof wx.pageScrollTo === 'function') wx.pageScrollTo({ scrollTop: 0, duration: 0 });
        await this.load();
      } finally {
        p.busy = false;
      }
    },
    /** The score id before or after this one in the judge's queue (the queue page's, else asked for). */
    async neighbour(delta: 1 | -1): Promise<string | null> {
      const p = priv.get(this);
      if (!p) return null;
      let order = rememberedQueue(p.activityId, p.trackId);
      if ((!order || !order.includes(p.scoreId)) && p.activityId && p.trackId) {
        const r = await api('judging.queue', { activityId: p.activityId, trackId: p.trackId });
        if (!r.ok) {
          wx.showToast({ title: r.message, icon: 'none' });
          return null;
        }
        order = r.data.items.map((i) => i.scoreId);
        rememberQueue(p.activityId, p.trackId, order);
      }
      const at = order ? order.indexOf(p.scoreId) : -1;
      return at < 0 ? null : (order?.[at + delta] ?? null);
    },

    onStateAction(): void {
      if (this.data.canRetry) void this.load();
      else wx.navigateBack({ delta: 1 });
    },
  },
});
