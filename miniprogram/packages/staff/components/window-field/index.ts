/**
 * A window (start and end) picked on China's wall clock: four native pickers, date and time for
 * each end, large enough for a thumb. It only reads and reports the readings ("2026-06-20",
 * "14:00"); the page turns them into instants with core/time's fromChina, and shows its error
 * under the field (`error`).
 */
import { windowText, type WindowForm } from '../../lib/when';

type Part = keyof WindowForm;

const PARTS: Part[] = ['startDate', 'startTime', 'endDate', 'endTime'];

Component({
  properties: {
    label: { type: String, value: '' },
    hint: { type: String, value: '' },
    value: { type: Object, value: { startDate: '', startTime: '', endDate: '', endTime: '' } },
    error: { type: String, value: '' },
    /** The earliest date the pickers offer (yyyy-mm-dd), e.g. today for new windows. */
    start: { type: String, value: '' },
  },
  data: {
    text: '',
  },
  observers: {
    value(v: WindowForm): void {
      this.setData({ text: windowText(v, Date.now()) });
    },
  },
  methods: {
    onPick(e: WechatMiniprogram.CustomEvent<{ value?: string }, Record<string, never>, { part?: string }>): void {
      const part = PARTS.find((p) => p === e.currentTarget.dataset.part);
      if (!part) return;
      const next: WindowForm = { ...(this.data.value as WindowForm), [part]: String(e.detail.value ?? '') };
      // A start picked after the end (or no end yet): the end follows on the same day.
      if (part === 'startDate' && (!next.endDate || next.endDate < next.startDate)) next.endDate = next.startDate;
      this.triggerEvent('change', { value: next });
    },
  },
});
