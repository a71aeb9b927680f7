/**
 * Local mode only: act as one of the demo people (worker, judge, staff) that the local cloud
 * knows. In cloud mode WeChat decides who the caller is, and this page refuses to do anything.
 */
import type { DemoIdentity } from '../../config/types';
import { chooseIdentity, currentIdentity, demoIdentities, isLocalMode } from '../../services/identity';

const ROLE_LABEL: Record<DemoIdentity['role'], string> = {
  worker: '职工',
  judge: '评委',
  staff: '工作人员',
  admin: '管理员',
};

interface ItemVM {
  openid: string;
  label: string;
  role: string;
  current: boolean;
}

Component({
  data: {
    local: false,
    items: [] as ItemVM[],
  },
  methods: {
    onLoad(): void {
      if (!isLocalMode()) {
        this.setData({ local: false });
        return;
      }
      const current = currentIdentity()?.openid ?? '';
      this.setData({
        local: true,
        items: demoIdentities().map((i) => ({
          openid: i.openid,
          label: i.label,
          role: ROLE_LABEL[i.role],
          current: i.openid === current,
        })),
      });
    },
    pick(e: WechatMiniprogram.BaseEvent<Record<string, never>, { openid?: string }>): void {
      const chosen = chooseIdentity(e.currentTarget.dataset.openid ?? '');
      if (!chosen) return;
      this.setData({ items: this.data.items.map((i) => ({ ...i, current: i.openid === chosen.openid })) });
      wx.showToast({ title: `已切换为${chosen.label.replace(/（.*$/, '')}`, icon: 'none' });
      // The 我的 page reloads itself on show when the identity changed.
      setTimeout(() => wx.navigateBack({ delta: 1 }), 600);
    },
  },
});
