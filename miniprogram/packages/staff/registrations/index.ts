/**
 * 报名名单 of one activity: who registered, oldest first, twenty at a time
 * (`registrations.list`), phones masked, filtered by state. Staff approve or reject a registration
 * awaiting review (a rejection needs a reason, which the worker sees), move someone up from the
 * waitlist (it takes a real seat), check people in by scanning their QR (扫码签到), and export the
 * whole list as an Excel workbook to open or forward (导出报名表).
 * First screen: the first page, one staff-only call (its refusal is the staff check).
 */
import type { RegistrationState } from '../../../core/domain';
import type { StaffRegistrationView } from '../../../core/staff';
import { api } from '../../../services/client';
import { formatDateTime } from '../../../utils/format';
import { Pager, type MoreState } from '../../../utils/pager';
import { REG_STATE_LABEL, REG_STATE_TONE, type Tone } from '../../../utils/status';
import { checkin, outcomeVM, registrationOf, scan, type OutcomeVM } from '../lib/checkin';
import { exportAndOpen, STEP_TEXT } from '../lib/export';
import { staffFirst, forgetStaff, type PageView } from '../lib/guard';
import { askText } from '../lib/ask';
import { queryText } from '../lib/urls';

type Filter = RegistrationState | '';

interface ItemVM {
  id: string;
  name: string;
  phone: string;
  unit: string;
  state: string;
  tone: Tone;
  when: string;
  checkin: string;
  answers: string;
  reason: string;
  canDecide: boolean;
  canPromote: boolean;
}

interface Private {
  id: string;
  /** The activity's title, from the list that opened the page (drawn with the first answer). */
  title: string;
  /** The rows drawn (acted on by index), the cursor, and which answer is current. */
  pager: Pager<StaffRegistrationView>;
  /** The last scanned code, kept for a resend after a network failure. */
  code: string;
}

const priv = new WeakMap<object, Private>();

const FILTERS: Array<{ value: Filter; label: string }> = [
  { value: '', label: '全部' },
  { value: 'pending', label: '待审核' },
  { value: 'confirmed', label: '已报名' },
  { value: 'waitlisted', label: '候补' },
  { value: 'rejected', label: '未通过' },
  { value: 'cancelled', label: '已取消' },
];

function itemVM(r: StaffRegistrationView, now: number): ItemVM {
  return {
    id: r.id,
    name: r.realName || '（已删除个人资料）',
    phone: r.phone,
    unit: r.unitName,
    state: REG_STATE_LABEL[r.state],
    tone: REG_STATE_TONE[r.state],
    when: `报名于 ${formatDateTime(r.createdAt, now)}`,
    checkin: r.checkedInAt ? `已签到 ${formatDateTime(r.checkedInAt, now)}` : '',
    answers: r.answers.length ? `报名信息：${r.answers.map((a) => a.answer).join('；')}` : '',
    reason: r.reason && (r.state === 'rejected' || r.state === 'confirmed') ? `${r.state === 'rejected' ? '未通过理由' : '备注'}：${r.reason}` : '',
    canDecide: r.state === 'pending',
    canPromote: r.state === 'waitlisted',
  };
}

const isFilter = (v: unknown): v is Filter => FILTERS.some((f) => f.value === v);

Component({
  data: {
    view: 'loading' as PageView,
    errorText: '',
    title: '',
    filters: FILTERS,
    filter: '' as Filter,
    listView: 'loading' as 'loading' | 'error' | 'empty' | 'ready',
    listError: '',
    list: [] as ItemVM[],
    more: 'idle' as MoreState,
    busyId: '',
    scanOpen: false,
    scanning: false,
    outcome: null as OutcomeVM | null,
    exporting: false,
    exportStep: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>): void {
      priv.set(this, { id: queryText(query.id), title: queryText(query.title), pager: new Pager<StaffRegistrationView>(), code: '' });
      void this.reload();
    },
    async onPullDownRefresh(): Promise<void> {
      await this.reload(true);
      wx.stopPullDownRefresh();
    },
    onReachBottom(): void {
      void this.loadMore();
    },

    payload(cursor?: string): { activityId: string; state?: RegistrationState; cursor?: string } {
      const p = priv.get(this)!;
      const f = this.data.filter;
      return { activityId: p.id, ...(f ? { state: f } : {}), ...(cursor ? { cursor } : {}) };
    },

    async reload(keepContent = false): Promise<void> {
      const p = priv.get(this);
      if (!p) return;
      if (!p.id) {
        this.setData({ view: 'error', errorText: '没有指定活动，请从活动管理进入' });
        return;
      }
      if ((!keepContent || this.data.view !== 'ready') && this.data.view !== 'loading') this.setData({ view: 'loading' });
      const r = await p.pager.first(() => staffFirst('registrations.list', this.payload()));
      if (r === 'stale') return;
      if (r === 'refused') {
        this.setData({ view: 'refused' });
        return;
      }
      if (!r.ok) {
        const message = r.message;
        if (keepContent && this.data.view === 'ready') wx.showToast({ title: message, icon: 'none' });
        else this.setData({ view: 'error', errorText: message });
        return;
      }
      this.show({ view: 'ready', title: p.title });
    },

    /** The first page, as the pager holds it. */
    show(extra: Record<string, unknown> = {}): void {
      const { pager } = priv.get(this)!;
      const now = Date.now();
      this.setData({ ...extra, listView: pager.items.length ? 'ready' : 'empty', list: pager.items.map((x) => itemVM(x, now)), more: pager.more() });
    },

    async loadList(): Promise<void> {
      const p = priv.get(this);
      if (!p) return;
      this.setData({ listView: 'loading', list: [] });
      const r = await p.pager.first(() => api('registrations.list', this.payload()));
      if (r === 'stale' || r === 'refused') return;
      if (!r.ok) {
        this.setData({ listView: 'error', listError: r.message });
        return;
      }
      this.show();
    },

    pickFilter(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value?: string }>): void {
      const value = e.currentTarget.dataset.value ?? '';
      if (!isFilter(value) || value === this.data.filter) return;
      this.setData({ filter: value });
      void this.loadList();
    },

    async loadMore(): Promise<void> {
      const pager = priv.get(this)?.pager;
      if (!pager?.canLoadMore() || this.data.listView !== 'ready') return;
      this.setData({ more: 'loading' });
      const now = Date.now();
      const patch = await pager.next((cursor) => api('registrations.list', this.payload(cursor)), (x) => itemVM(x, now));
      if (patch) this.setData(patch);
    },

    retry(): void {
      void this.reload();
    },
    retryList(): void {
      void this.loadList();
    },
    retryMore(): void {
      void this.loadMore();
    },

    // ---- decisions ----------------------------------------------------------------------------------
    at(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index?: number }>): { i: number; r: StaffRegistrationView } | null {
      const i = Number(e.currentTarget.dataset.index);
      const r = priv.get(this)?.pager.items[i];
      return r ? { i, r } : null;
    },

    /** Applies a decision and shows the registration as it is now. */
    async decide(i: number, r: StaffRegistrationView, approve: boolean, reason: string): Promise<boolean> {
      this.setData({ busyId: r.id });
      const res = await api('registrations.decide', { registrationId: r.id, approve, reason });
      this.setData({ busyId: '' });
      if (!res.ok) {
        if (res.code === 'FORBIDDEN') forgetStaff();
        wx.showToast({ title: res.message, icon: 'none' });
        // Decided by someone else meanwhile: show the list as it is.
        if (res.code === 'INVALID_STATE' || res.code === 'CONFLICT') void this.loadList();
        return false;
      }
      const next: StaffRegistrationView = { ...r, state: res.data.state, reason };
      const p = priv.get(this)!;
      p.pager.items[i] = next;
      this.setData({ [`list[${i}]`]: itemVM(next, Date.now()) });
      return true;
    },

    async approve(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index?: number }>): Promise<void> {
      const hit = this.at(e);
      if (!hit || this.data.busyId || hit.r.state !== 'pending') return;
      if (await this.decide(hit.i, hit.r, true, '')) wx.showToast({ title: '已通过', icon: 'success' });
    },

    async reject(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index?: number }>): Promise<void> {
      const hit = this.at(e);
      if (!hit || this.data.busyId || hit.r.state !== 'pending') return;
      const reason = await askText({
        title: `不通过：${hit.r.realName}`,
        placeholder: '请填写理由，报名者会看到',
        confirmText: '不通过',
        danger: true,
        min: 2,
        tooShort: '请填写不通过的理由（至少 2 个字），报名者会看到',
      });
      if (reason === null) return;
      if (await this.decide(hit.i, hit.r, false, reason)) wx.showToast({ title: '已设为不通过', icon: 'success' });
    },

    async promote(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index?: number }>): Promise<void> {
      const hit = this.at(e);
      if (!hit || this.data.busyId || hit.r.state !== 'waitlisted') return;
      const sure = await wx
        .showModal({
          title: `递补：${hit.r.realName}`,
          content: '递补将占用一个名额，报名者将收到报名成功的结果。名额已满时需先在活动中增加名额。',
          confirmText: '递补',
          cancelText: '取消',
        })
        .then((x) => x.confirm, () => false);
      if (!sure) return;
      if (await this.decide(hit.i, hit.r, true, '')) wx.showToast({ title: '已递补', icon: 'success' });
    },

    // ---- 导出报名表 (Excel, from the export function) ------------------------------------------------
    async exportList(): Promise<void> {
      const p = priv.get(this);
      if (!p?.id || this.data.exporting) return;
      this.setData({ exporting: true, exportStep: STEP_TEXT.building });
      const o = await exportAndOpen('exports.registrations', { activityId: p.id }, (step) => this.setData({ exportStep: STEP_TEXT[step] }));
      this.setData({ exporting: false, exportStep: '' });
      if (o.ok) wx.showToast({ title: `已导出 ${o.rows} 条报名`, icon: 'none' });
      else void wx.showModal({ title: '导出失败', content: o.message, showCancel: false, confirmText: '知道了' });
    },

    // ---- 扫码签到 ------------------------------------------------------------------------------------------
    async scanCheckin(): Promise<void> {
      if (this.data.scanning) return;
      const scanned = await scan();
      if (!scanned) return;
      if ('error' in scanned) {
        this.setData({ scanOpen: true, outcome: { tone: 'warning', title: '无法扫码', lines: [scanned.error], canResend: false } });
        return;
      }
      await this.send(scanned.text);
    },
    async resend(): Promise<void> {
      const code = priv.get(this)?.code;
      if (code && !this.data.scanning) await this.send(code);
    },
    async send(text: string): Promise<void> {
      const p = priv.get(this)!;
      this.setData({ scanning: true, scanOpen: true });
      const o = await checkin(text);
      if (o.kind === 'cancelled') {
        this.setData({ scanning: false });
        return;
      }
      p.code = o.code;
      const vm = outcomeVM(o, Date.now());
      const patch: Record<string, unknown> = { scanning: false, outcome: vm };
      if (o.kind === 'ok') {
        const regId = registrationOf(o.code);
        if (!regId.startsWith(`reg_${p.id}_`) && o.activityTitle !== this.data.title) {
          vm.lines.push('注意：这是另一个活动的报名，已为该活动签到。');
        }
        const i = p.pager.items.findIndex((x) => x.id === regId);
        const item = p.pager.items[i];
        if (item) {
          p.pager.items[i] = { ...item, checkedInAt: o.at };
          patch[`list[${i}].checkin`] = `已签到 ${formatDateTime(o.at, Date.now())}`;
        }
      }
      this.setData(patch);
    },
    closeScan(): void {
      this.setData({ scanOpen: false });
    },
    onScanVisible(e: WechatMiniprogram.CustomEvent<{ visible: boolean }>): void {
      if (!e.detail.visible) this.closeScan();
    },
  },
});
