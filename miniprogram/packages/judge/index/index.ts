/**
 * Judges' entrance (a subpackage: only judges download it). Judging rights are memberships of a
 * competition's panel, granted by invitation, so any worker who has consented may open this
 * page; the server decides what each judge may see. Scoring arrives in a later version.
 */
import { api } from '../../../services/client';

type View = 'loading' | 'error' | 'needProfile' | 'soon';

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
      const me = r.data.me;
      this.setData({ view: me && me.consented && me.profileComplete ? 'soon' : 'needProfile' });
    },
    retry(): void {
      void this.load();
    },
    toProfile(): void {
      wx.switchTab({ url: '/pages/me/index' });
    },
  },
});
