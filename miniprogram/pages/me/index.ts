/**
 * 我的: the worker's profile. WeChat requires, and the server enforces, that the privacy notice
 * and consent come before any personal field, so the form is not even rendered until the worker
 * agrees. Then: name, phone, 基层工会 and employer, with each error under its field; a copy of
 * everything stored; and deletion. The first screen is one call (`session.me`); the unit list is
 * fetched only when the picker opens.
 */
import { ACTIONS } from '../../core/actions';
import type { MeView, UnitView } from '../../core/domain';
import { api } from '../../services/client';
import { takeReturnAfterProfile } from '../../services/changes';
import { currentIdentity, isLocalMode } from '../../services/identity';
import { formatDateTime } from '../../utils/format';

type View = 'loading' | 'error' | 'notice' | 'profile';
type UnitsState = 'idle' | 'loading' | 'error' | 'ready';
type Field = 'realName' | 'phone' | 'unitId' | 'enterprise';

interface Form {
  realName: string;
  phone: string;
  unitId: string;
  unitName: string;
  enterprise: string;
}

interface UnitGroup {
  group: string;
  units: Array<{ id: string; name: string }>;
}

interface Private {
  consentVersion: string;
  /** The demo identity the screen was loaded as (local mode), to reload after a switch. */
  loadedAs: string;
}

const FIELDS: Field[] = ['realName', 'phone', 'unitId', 'enterprise'];
const EMPTY_MESSAGE: Record<Field, string> = {
  realName: '请填写姓名',
  phone: '请填写手机号',
  unitId: '请选择所在的基层工会',
  enterprise: '请填写工作单位',
};
const noErrors = (): Record<Field, string> => ({ realName: '', phone: '', unitId: '', enterprise: '' });
const blankForm = (): Form => ({ realName: '', phone: '', unitId: '', unitName: '', enterprise: '' });

const priv = new WeakMap<object, Private>();

function formOf(me: MeView): Form {
  return { realName: me.realName, phone: me.phone, unitId: me.unitId, unitName: me.unitName, enterprise: me.enterprise };
}

function statusOf(me: MeView): string {
  if (!me.profileComplete) return '请完善以下资料，报名和参赛时需要使用';
  return me.verified ? '资料已完善，已核验为工会会员' : '资料已完善，待与工会会员名册核对';
}

function isField(path: string | undefined): Field | null {
  const name = path?.replace(/^payload\./, '');
  return FIELDS.find((f) => f === name) ?? null;
}

function groupUnits(units: UnitView[]): UnitGroup[] {
  const groups: UnitGroup[] = [];
  for (const u of units) {
    let g = groups.find((x) => x.group === u.group);
    if (!g) {
      g = { group: u.group, units: [] };
      groups.push(g);
    }
    g.units.push({ id: u.id, name: u.name });
  }
  return groups;
}

Component({
  data: {
    view: 'loading' as View,
    errorText: '',
    consenting: false,
    form: blankForm(),
    errors: noErrors(),
    statusText: '',
    saving: false,
    isStaff: false,
    isJudge: false,
    local: isLocalMode(),
    identity: '',
    unitsOpen: false,
    units: 'idle' as UnitsState,
    unitsError: '',
    unitGroups: [] as UnitGroup[],
    exported: null as { rows: Array<{ label: string; value: string }>; when: string } | null,
    exporting: false,
    deleting: false,
  },
  methods: {
    onLoad(): void {
      void this.load();
    },
    onShow(): void {
      // Back from the identity switcher: the screen belongs to someone else now.
      const p = priv.get(this);
      if (p && isLocalMode() && (currentIdentity()?.openid ?? '') !== p.loadedAs) void this.load();
    },

    async load(): Promise<void> {
      const who = currentIdentity();
      priv.set(this, { consentVersion: priv.get(this)?.consentVersion ?? '', loadedAs: who?.openid ?? '' });
      if (this.data.view !== 'loading') this.setData({ view: 'loading' });

      const r = await api('session.me', {});
      // Sent with the answer, so that the first screen is a single setData.
      const identity = who?.label ?? '';
      if (!r.ok) {
        this.setData({ view: 'error', errorText: r.message, identity });
        return;
      }
      const p = priv.get(this);
      if (p) p.consentVersion = r.data.consentVersion;
      const me = r.data.me;
      if (!me || !me.consented) {
        this.setData({ view: 'notice', exported: null, identity });
        return;
      }
      this.showProfile(me, { identity });
    },
    showProfile(me: MeView, extra: Record<string, unknown> = {}): void {
      this.setData({
        ...extra,
        view: 'profile',
        form: formOf(me),
        errors: noErrors(),
        statusText: statusOf(me),
        isStaff: me.role === 'staff' || me.role === 'admin',
        isJudge: me.judging,
      });
    },
    retry(): void {
      void this.load();
    },

    async agree(): Promise<void> {
      if (this.data.consenting) return;
      this.setData({ consenting: true });
      const r = await api('profile.consent', { version: priv.get(this)?.consentVersion ?? '' });
      this.setData({ consenting: false });
      if (!r.ok) {
        wx.showToast({ title: r.message, icon: 'none' });
        // The notice changed since it was shown: show the new one.
        if (r.field === 'payload.version') void this.load();
        return;
      }
      this.showProfile(r.data.me);
      if (r.data.me.profileComplete) this.returnIfAsked();
    },
    /** Sent here to complete the profile (e.g. from 报名): back to where the worker was. */
    returnIfAsked(): void {
      const url = takeReturnAfterProfile();
      if (url) wx.navigateTo({ url });
    },
    decline(): void {
      wx.switchTab({ url: '/pages/home/index' });
    },

    setField(field: Exclude<Field, 'unitId'>, value: string): void {
      const patch: Record<string, unknown> = { [`form.${field}`]: value };
      if (this.data.errors[field]) patch[`errors.${field}`] = '';
      this.setData(patch);
    },
    // Bound to both change and clear: TDesign's clear button empties the input without a change event.
    onRealName(e: WechatMiniprogram.CustomEvent<{ value?: string }>): void {
      this.setField('realName', e.detail.value ?? '');
    },
    onPhone(e: WechatMiniprogram.CustomEvent<{ value?: string }>): void {
      this.setField('phone', e.detail.value ?? '');
    },
    onEnterprise(e: WechatMiniprogram.CustomEvent<{ value?: string }>): void {
      this.setField('enterprise', e.detail.value ?? '');
    },

    openUnits(): void {
      this.setData({ unitsOpen: true });
      if (this.data.units !== 'ready' && this.data.units !== 'loading') void this.loadUnits();
    },
    closeUnits(): void {
      this.setData({ unitsOpen: false });
    },
    onUnitsVisible(e: WechatMiniprogram.CustomEvent<{ visible: boolean }>): void {
      if (!e.detail.visible) this.closeUnits();
    },
    async loadUnits(): Promise<void> {
      this.setData({ units: 'loading' });
      const r = await api('units.list', {});
      if (!r.ok) {
        this.setData({ units: 'error', unitsError: r.message });
        return;
      }
      this.setData({ units: r.data.units.length ? 'ready' : 'error', unitsError: '暂无可选的基层工会', unitGroups: groupUnits(r.data.units) });
    },
    pickUnit(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id?: string; name?: string }>): void {
      const { id, name } = e.currentTarget.dataset;
      if (!id) return;
      this.setData({ 'form.unitId': id, 'form.unitName': name ?? '', 'errors.unitId': '', unitsOpen: false });
    },

    async save(): Promise<void> {
      if (this.data.saving) return;
      const f = this.data.form;
      const payload = { realName: f.realName.trim(), phone: f.phone.trim(), unitId: f.unitId, enterprise: f.enterprise.trim() };
      // The same rules the server applies, so most mistakes are shown without a round trip.
      const errors = noErrors();
      let invalid = false;
      for (const field of FIELDS) {
        if (!payload[field]) {
          errors[field] = EMPTY_MESSAGE[field];
          invalid = true;
        }
      }
      if (!invalid) {
        const parsed = ACTIONS['profile.save'].payload.parse(payload, 'payload');
        const field = parsed.ok ? null : isField(parsed.issue.path);
        if (!parsed.ok && field) {
          errors[field] = parsed.issue.message;
          invalid = true;
        }
      }
      if (invalid) {
        this.setData({ errors });
        return;
      }

      this.setData({ saving: true, errors });
      const r = await api('profile.save', payload);
      this.setData({ saving: false });
      if (!r.ok) {
        // What the worker typed stays on screen; only the message changes.
        const field = isField(r.field);
        if (field) this.setData({ [`errors.${field}`]: r.message });
        else if (r.code === 'CONSENT_REQUIRED') void this.load();
        else wx.showToast({ title: r.message, icon: 'none' });
        return;
      }
      this.showProfile(r.data.me);
      wx.showToast({ title: '已保存', icon: 'success' });
      if (r.data.me.profileComplete) this.returnIfAsked();
    },

    async exportData(): Promise<void> {
      if (this.data.exporting) return;
      this.setData({ exporting: true });
      const r = await api('profile.export', {});
      this.setData({ exporting: false });
      if (!r.ok) {
        wx.showToast({ title: r.message, icon: 'none' });
        return;
      }
      const d = r.data;
      this.setData({
        exported: {
          when: `导出于 ${formatDateTime(d.exportedAt, d.exportedAt)}`,
          rows: [
            { label: '姓名', value: d.me.realName || '未填写' },
            { label: '手机号', value: d.me.phone || '未填写' },
            { label: '基层工会', value: d.me.unitName || '未填写' },
            { label: '工作单位', value: d.me.enterprise || '未填写' },
            { label: '会员核验', value: d.me.verified ? '已核验' : '未核验' },
            { label: '报名记录', value: `${d.registrations} 条` },
            { label: '参赛作品', value: `${d.entries} 件` },
            { label: '意见建议', value: `${d.opinions} 条` },
          ],
        },
      });
    },
    hideExport(): void {
      this.setData({ exported: null });
    },

    async deleteData(): Promise<void> {
      if (this.data.deleting) return;
      const confirmed = await wx
        .showModal({
          title: '删除我的数据',
          content: '将删除您的姓名、手机号、所在工会和工作单位。已提交的报名和作品会保留在活动档案中，但不再与您关联。删除后无法恢复。',
          confirmText: '删除',
          confirmColor: '#d54941',
          cancelText: '取消',
        })
        .then((res) => res.confirm, () => false);
      if (!confirmed) return;
      this.setData({ deleting: true });
      const r = await api('profile.delete', { confirm: '删除' });
      this.setData({ deleting: false });
      if (!r.ok) {
        wx.showToast({ title: r.message, icon: 'none' });
        return;
      }
      this.setData({ view: 'notice', form: blankForm(), errors: noErrors(), exported: null, isStaff: false });
      wx.showToast({ title: '已删除', icon: 'success' });
    },
  },
});
