/**
 * 基层工会: the units workers pick in their profile (and the roster names), in picker order, with a
 * search over name and 镇街/系统 group, and a form to add one or edit one (name, group, place in
 * the picker) saved with `units.save`. The model has no kind, parent or active flag (UnitDoc):
 * a unit is a name under a group. 批量导入 opens packages/staff/units-import (a CSV), and the list is
 * read again on the way back. First screen, one call: `units.staffList` (the rows of the public
 * units.list, asked as staff: the router's refusal is the staff check).
 */
import { ACTIONS } from '../../../core/actions';
import type { UnitView } from '../../../core/domain';
import { api } from '../../../services/client';
import { forgetStaff, staffFirst, type PageView } from '../lib/guard';
import { fieldPath } from '../lib/labels';
import { STAFF_URLS } from '../lib/urls';

type Field = 'name' | 'group' | 'order';

interface Form {
  id: string;
  name: string;
  group: string;
  order: string;
}

interface ItemVM {
  id: string;
  name: string;
  meta: string;
}

const FIELDS: Field[] = ['name', 'group', 'order'];
const noErrors = (): Record<Field, string> => ({ name: '', group: '', order: '' });

const all = new WeakMap<object, UnitView[]>();
/** Pages that opened the import: the list is read again when they show again. */
const importing = new WeakSet<object>();

function itemVM(u: UnitView): ItemVM {
  return { id: u.id, name: u.name, meta: `${u.group} · 排序 ${u.order}` };
}

/** Units whose name or group contains every word of the query. */
function matching(units: UnitView[], q: string): UnitView[] {
  const words = q.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return units;
  return units.filter((u) => words.every((w) => `${u.name} ${u.group}`.toLowerCase().includes(w)));
}

function asField(path: string | undefined): Field | null {
  const name = fieldPath(path);
  return FIELDS.find((f) => f === name) ?? null;
}

Component({
  data: {
    view: 'loading' as PageView,
    errorText: '',
    q: '',
    list: [] as ItemVM[],
    total: 0,
    groups: [] as string[],
    formOpen: false,
    form: { id: '', name: '', group: '', order: '' } as Form,
    errors: noErrors(),
    formError: '',
    saving: false,
  },
  methods: {
    onLoad(): void {
      void this.load();
    },
    onShow(): void {
      // Back from 批量导入: the list may have new or moved units.
      if (!importing.has(this)) return;
      importing.delete(this);
      void this.load(true);
    },
    openImport(): void {
      importing.add(this);
      wx.navigateTo({ url: STAFF_URLS.unitsImport });
    },
    async onPullDownRefresh(): Promise<void> {
      await this.load(true);
      wx.stopPullDownRefresh();
    },

    async load(keepContent = false): Promise<void> {
      if ((!keepContent || this.data.view === 'error') && this.data.view !== 'loading') this.setData({ view: 'loading' });
      const r = await staffFirst('units.staffList', {});
      if (r === 'refused') {
        this.setData({ view: 'refused' });
        return;
      }
      if (!r.ok) {
        if (keepContent && this.data.view !== 'loading') {
          wx.showToast({ title: r.message, icon: 'none' });
          return;
        }
        this.setData({ view: 'error', errorText: r.message });
        return;
      }
      this.show(r.data.units);
    },
    show(units: UnitView[]): void {
      all.set(this, units);
      const shown = matching(units, this.data.q);
      this.setData({
        view: shown.length ? 'ready' : 'empty',
        list: shown.map(itemVM),
        total: units.length,
        groups: [...new Set(units.map((u) => u.group))],
      });
    },
    retry(): void {
      void this.load();
    },

    // ---- search (over the list already here: a district has tens of units, not thousands) ----------
    onQuery(e: WechatMiniprogram.CustomEvent<{ value?: string }>): void {
      this.setData({ q: e.detail.value ?? '' });
      this.show(all.get(this) ?? []);
    },
    onClear(): void {
      this.setData({ q: '' });
      this.show(all.get(this) ?? []);
    },

    // ---- the form ------------------------------------------------------------------------------------
    create(): void {
      const units = all.get(this) ?? [];
      const next = units.reduce((m, u) => Math.max(m, u.order + 1), 0);
      this.setData({ formOpen: true, form: { id: '', name: '', group: '', order: String(Math.min(next, 9999)) }, errors: noErrors(), formError: '' });
    },
    edit(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id?: string }>): void {
      const u = (all.get(this) ?? []).find((x) => x.id === e.currentTarget.dataset.id);
      if (!u) return;
      this.setData({ formOpen: true, form: { id: u.id, name: u.name, group: u.group, order: String(u.order) }, errors: noErrors(), formError: '' });
    },
    close(): void {
      if (!this.data.saving) this.setData({ formOpen: false });
    },
    onPopupVisible(e: WechatMiniprogram.CustomEvent<{ visible: boolean }>): void {
      if (!e.detail.visible) this.close();
    },
    onName(e: WechatMiniprogram.CustomEvent<{ value?: string }>): void {
      this.setData({ 'form.name': e.detail.value ?? '', 'errors.name': '', formError: '' });
    },
    onGroup(e: WechatMiniprogram.CustomEvent<{ value?: string }>): void {
      this.setData({ 'form.group': e.detail.value ?? '', 'errors.group': '', formError: '' });
    },
    pickGroup(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value?: string }>): void {
      this.setData({ 'form.group': e.currentTarget.dataset.value ?? '', 'errors.group': '', formError: '' });
    },
    onOrder(e: WechatMiniprogram.CustomEvent<{ value?: string }>): void {
      this.setData({ 'form.order': e.detail.value ?? '', 'errors.order': '', formError: '' });
    },

    async save(): Promise<void> {
      if (this.data.saving) return;
      const f = this.data.form;
      const errors = noErrors();
      const order = /^\d{1,4}$/.test(f.order.trim()) ? Number(f.order.trim()) : NaN;
      const payload = { ...(f.id ? { id: f.id } : {}), name: f.name.trim(), group: f.group.trim(), order };
      if (!payload.name) errors.name = '请填写工会名称';
      if (!payload.group) errors.group = '请填写所属镇街或系统';
      if (Number.isNaN(order)) errors.order = '请填写 0–9999 的整数，数字小的排在前面';
      if (!errors.name && !errors.group && !errors.order) {
        const parsed = ACTIONS['units.save'].payload.parse(payload, 'payload');
        if (!parsed.ok) {
          const field = asField(parsed.issue.path);
          if (field) errors[field] = parsed.issue.message;
          else this.setData({ formError: parsed.issue.message });
        }
      }
      if (errors.name || errors.group || errors.order || this.data.formError) {
        this.setData({ errors });
        return;
      }
      this.setData({ saving: true, errors: noErrors(), formError: '' });
      const r = await api('units.save', payload);
      this.setData({ saving: false });
      if (!r.ok) {
        if (r.code === 'FORBIDDEN') forgetStaff();
        // Two units of one name would be one choice in the picker: shown under the name.
        const field = r.code === 'ALREADY_EXISTS' ? 'name' : asField(r.field);
        if (field) this.setData({ [`errors.${field}`]: r.message });
        else this.setData({ formError: r.message });
        return;
      }
      const units = (all.get(this) ?? []).filter((u) => u.id !== r.data.id);
      units.push({ id: r.data.id, name: payload.name, group: payload.group, order });
      units.sort((a, b) => a.order - b.order);
      this.setData({ formOpen: false });
      this.show(units);
      wx.showToast({ title: f.id ? '已保存' : '已添加', icon: 'success' });
    },
  },
});
