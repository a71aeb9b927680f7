/**
 * 扫码签到 at the venue door, for any activity: scan the worker's QR, read the answer in big
 * type (the name and activity, or why not: forged, already used, not confirmed), scan the next.
 * The check-ins of this visit are listed under it, newest first. First screen: the staff check.
 */
import { formatDateTime } from '../../../utils/format';
import { checkin, outcomeVM, scan, type OutcomeVM } from '../lib/checkin';
import { showGate, type PageView } from '../lib/guard';

interface DoneVM {
  key: string;
  title: string;
  meta: string;
  ok: boolean;
}

const MAX_HISTORY = 50;
const codes = new WeakMap<object, { code: string; n: number }>();

Component({
  data: {
    view: 'loading' as PageView,
    errorText: '',
    busy: false,
    outcome: null as OutcomeVM | null,
    history: [] as DoneVM[],
    count: 0,
  },
  methods: {
    onLoad(): void {
      codes.set(this, { code: '', n: 0 });
      void this.load();
    },
    load(): Promise<void> {
      return showGate(this);
    },
    retry(): void {
      void this.load();
    },

    async scan(): Promise<void> {
      if (this.data.busy) return;
      const scanned = await scan();
      if (!scanned) return;
      if ('error' in scanned) {
        this.setData({ outcome: { tone: 'warning', title: '无法扫码', lines: [scanned.error], canResend: false } });
        return;
      }
      await this.send(scanned.text);
    },
    async resend(): Promise<void> {
      const c = codes.get(this);
      if (c?.code && !this.data.busy) await this.send(c.code);
    },
    async send(text: string): Promise<void> {
      const c = codes.get(this)!;
      this.setData({ busy: true });
      const o = await checkin(text);
      if (o.kind === 'cancelled') {
        this.setData({ busy: false });
        return;
      }
      c.code = o.code;
      const now = Date.now();
      const patch: Record<string, unknown> = { busy: false, outcome: outcomeVM(o, now) };
      if (o.kind !== 'failed') {
        c.n += 1;
        const done: DoneVM =
          o.kind === 'ok'
            ? { key: `d${c.n}`, title: `${o.name} · 签到成功`, meta: `${o.activityTitle} · ${formatDateTime(o.at, now)}`, ok: true }
            : { key: `d${c.n}`, title: o.title, meta: formatDateTime(now, now), ok: false };
        patch.history = [done, ...this.data.history].slice(0, MAX_HISTORY);
        if (o.kind === 'ok') patch.count = this.data.count + 1;
      }
      this.setData(patch);
    },
  },
});
