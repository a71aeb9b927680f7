/**
 * Union staff's entrance (a subpackage: workers never download it). The role check here only
 * spares a worker a useless screen; every staff action is refused by the server to anyone else.
 */
import { api } from '../../../services/client';

type View = 'loading' | 'error' | 'refused' | 'soon';

Component({
  data: {
    view: 'loading' as View,
    errorText: '',
  },
  methods: {
    onLoad(): void {
      void this.load();
    },
    async load(): Promise<void> {
      if (this.data.view !== 'loading') this.setData({ view: 'loading' });
      const r = await api('session.me', {});
      if (!r.ok) {
        this.setData({ view: 'error', errorText: r.message });
        return;
      }
      const role = r.data.me?.consented ? r.data.me.role : null;
      this.setData({ view: role === 'staff' || role === 'admin' ? 'soon' : 'refused' });
    },
    retry(): void {
      void this.load();
    },
    toHome(): void {
      wx.switchTab({ url: '/pages/home/index' });
    },
  },
});
