/**
 * 人员管理: the app's users by name (`users.search`, fifty at a time), phones masked. 查看号码
 * opens one number (`users.reveal`), which the server records with who looked and when: the
 * page says so before anyone taps. Admins grant and take back the staff role (`users.setRole`);
 * admins themselves come from the deployment, never from here. The member roster import is one
 * tap away. First screen, one call: `users.search` (staff-only: the router's refusal is the staff
 * check) answers the first fifty and who is asking (admin or not, and their own id).
 */
import type { Role } from '../../../core/domain';
import type { StaffUserView } from '../../../core/staff';
import { api } from '../../../services/client';
import { forgetStaff, staffFirst, type PageView } from '../lib/guard';
import { ROLE_LABEL } from '../lib/labels';
import { STAFF_URLS } from '../lib/urls';

type RoleFilter = Role | '';

interface UserVM {
  userId: string;
  name: string;
  phone: string;
  unit: string;
  role: string;
  roleTone: 'default' | 'primary' | 'warning';
  verified: boolean;
  revealed: string;
  canGrant: boolean;
  canRevoke: boolean;
  self: boolean;
}

interface Private {
  seq: number;
  admin: boolean;
  me: string;
  items: StaffUserView[];
}

const priv = new WeakMap<object, Private>();

const ROLE_FILTERS: Array<{ value: RoleFilter; label: string }> = [
  { value: '', label: '全部' },
  { value: 'worker', label: '职工' },
  { value: 'staff', label: '工作人员' },
  { value: 'admin', label: '管理员' },
];

const ROLE_TONE: Record<Role, UserVM['roleTone']> = { worker: 'default', staff: 'primary', admin: 'warning' };

function userVM(u: StaffUserView, p: Private, revealed = ''): UserVM {
  const self = u.userId === p.me;
  return {
    userId: u.userId,
    name: u.realName || '（未填写姓名）',
    phone: u.phone || '未填写手机号',
    unit: [u.unitName, u.enterprise].filter(Boolean).join(' · '),
    role: ROLE_LABEL[u.role],
    roleTone: ROLE_TONE[u.role],
    verified: u.verified,
    revealed,
    canGrant: p.admin && !self && u.role === 'worker',
    canRevoke: p.admin && !self && u.role === 'staff',
    self,
  };
}

const isRoleFilter = (v: unknown): v is RoleFilter => ROLE_FILTERS.some((f) => f.value === v);

Component({
  data: {
    view: 'loading' as PageView,
    errorText: '',
    admin: false,
    q: '',
    roles: ROLE_FILTERS,
    role: '' as RoleFilter,
    listView: 'loading' as 'loading' | 'error' | 'empty' | 'ready',
    listError: '',
    list: [] as UserVM[],
    busyId: '',
  },
  methods: {
    onLoad(): void {
      priv.set(this, { seq: 0, admin: false, me: '', items: [] });
      void this.load();
    },

    query(): { q: string; role?: Role } {
      const q = this.data.q.trim().slice(0, 20);
      return this.data.role ? { q, role: this.data.role } : { q };
    },

    async load(): Promise<void> {
      const p = priv.get(this)!;
      const seq = ++p.seq;
      if (this.data.view !== 'loading') this.setData({ view: 'loading' });
      const r = await staffFirst('users.search', this.query());
      if (seq !== p.seq) return;
      if (r === 'refused') {
        this.setData({ view: 'refused' });
        return;
      }
      if (!r.ok) {
        this.setData({ view: 'error', errorText: r.message });
        return;
      }
      p.admin = r.data.viewer.admin;
      p.me = r.data.viewer.userId;
      this.show(r.data.items, { view: 'ready', admin: p.admin });
    },
    retry(): void {
      void this.load();
    },

    show(items: StaffUserView[], extra: Record<string, unknown> = {}): void {
      const p = priv.get(this)!;
      p.items = items;
      this.setData({ ...extra, listView: items.length ? 'ready' : 'empty', list: items.map((u) => userVM(u, p)) });
    },

    async search(): Promise<void> {
      const p = priv.get(this)!;
      const seq = ++p.seq;
      this.setData({ listView: 'loading', list: [] });
      const r = await api('users.search', this.query());
      if (seq !== p.seq) return;
      if (!r.ok) {
        this.setData({ listView: 'error', listError: r.message });
        return;
      }
      this.show(r.data.items);
    },
    onQuery(e: WechatMiniprogram.CustomEvent<{ value?: string }>): void {
      this.setData({ q: e.detail.value ?? '' });
    },
    onSubmit(): void {
      void this.search();
    },
    onClear(): void {
      this.setData({ q: '' });
      void this.search();
    },
    pickRole(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value?: string }>): void {
      const value = e.currentTarget.dataset.value ?? '';
      if (!isRoleFilter(value) || value === this.data.role) return;
      this.setData({ role: value });
      void this.search();
    },
    toRoster(): void {
      wx.navigateTo({ url: STAFF_URLS.roster });
    },

    at(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index?: number }>): { i: number; u: StaffUserView } | null {
      const i = Number(e.currentTarget.dataset.index);
      const u = priv.get(this)?.items[i];
      return u ? { i, u } : null;
    },

    async reveal(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index?: number }>): Promise<void> {
      const hit = this.at(e);
      if (!hit || this.data.busyId) return;
      this.setData({ busyId: hit.u.userId });
      const r = await api('users.reveal', { userId: hit.u.userId });
      this.setData({ busyId: '' });
      if (!r.ok) {
        if (r.code === 'FORBIDDEN') forgetStaff();
        wx.showToast({ title: r.message, icon: 'none' });
        return;
      }
      this.setData({ [`list[${hit.i}].revealed`]: r.data.phone || '未填写手机号' });
    },
    call(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index?: number }>): void {
      const phone = this.data.list[Number(e.currentTarget.dataset.index)]?.revealed ?? '';
      if (/^\d{11}$/.test(phone)) wx.makePhoneCall({ phoneNumber: phone }).catch(() => undefined);
    },

    async setRole(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index?: number; role?: string }>): Promise<void> {
      const hit = this.at(e);
      const role = e.currentTarget.dataset.role;
      if (!hit || this.data.busyId || (role !== 'staff' && role !== 'worker')) return;
      const grant = role === 'staff';
      const sure = await wx
        .showModal({
          title: grant ? `设 ${hit.u.realName} 为工作人员` : `取消 ${hit.u.realName} 的工作人员权限`,
          content: grant
            ? '工作人员可以发布公告、管理活动和报名、审核作品、查看人员名单。此操作会被记录。'
            : '取消后，对方将不能再进入工作人员后台。此操作会被记录。',
          confirmText: grant ? '确定设置' : '确定取消',
          confirmColor: grant ? '#0052d9' : '#d54941',
          cancelText: '再想想',
        })
        .then((x) => x.confirm, () => false);
      if (!sure) return;
      this.setData({ busyId: hit.u.userId });
      const r = await api('users.setRole', { userId: hit.u.userId, role });
      this.setData({ busyId: '' });
      if (!r.ok) {
        wx.showToast({ title: r.message, icon: 'none' });
        return;
      }
      const p = priv.get(this)!;
      const next = { ...hit.u, role: r.data.role };
      p.items[hit.i] = next;
      this.setData({ [`list[${hit.i}]`]: userVM(next, p, this.data.list[hit.i]?.revealed ?? '') });
      wx.showToast({ title: grant ? '已设为工作人员' : '已取消工作人员', icon: 'success' });
    },
  },
});
