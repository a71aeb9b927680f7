/**
 * One activity in a list. Kept to plain views (about ten nodes) so that a catalogue of a hundred
 * cards stays under WeChat's node budget; the whole card is the touch target.
 */
import { activityUrl, type CardVM } from '../../utils/view';

Component({
  options: { virtualHost: true },
  properties: {
    card: { type: Object, value: {} },
  },
  methods: {
    onTap(): void {
      const card = this.data.card as Partial<CardVM>;
      if (!card.id) return;
      wx.navigateTo({ url: activityUrl(card.id) });
    },
  },
});
