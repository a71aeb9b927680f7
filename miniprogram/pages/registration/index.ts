/**
 * One registration: its state (confirmed with the check-in QR, waiting for approval, on the
 * waitlist, cancelled, rejected with the reason), the tracks entered with the way to each entry
 * while submissions are open, and cancelling while the rules allow it. Opened right after
 * registering (`from=register`) it says how the registration went. First screen: one call
 * (`activities.detail`, which carries the caller's registration).
 */
import { trackTitle } from '../../utils/view';
import type { ActivityDetail, ActivityDoc, RegistrationView } from '../../core/domain';
import { errorMessage } from '../../core/errors';
import { cancelRefusal } from '../../core/rules/registration';
import { windowState } from '../../core/time';
import { api } from '../../services/client';
import { bump, version } from '../../services/changes';
import { rememberTracks } from '../../services/tracks';
import { formatDateTime, formatEnd, formatRange } from '../../utils/format';
import { REG_STATE_LABEL, REG_STATE_TONE, isActive, registrationNote, type Tone } from '../../utils/status';
import { entryUrl, registerUrl } from '../../utils/urls';

type Status = 'loading' | 'error' | 'empty' | 'ready';

interface TrackVM {
  id: string;
  name: string;
  url: string;
  note: string;
}

interface Private {
  id: string;
  from: string;
  detail: ActivityDetail | null;
  /** The phone's clock minus the server's, when the detail arrived. */
  skew: number;
  seen: number;
}

const priv = new WeakMap<object, Private>();

const JUST_DONE: Record<RegistrationView['state'], string> = {
  confirmed: '报名成功',
  pending: '报名已提交，等待审核',
  waitlisted: '已进入候补名单',
  cancelled: '',
  rejected: '',
};

/** The activity fields the cancel rule reads, from the detail view. */
function ruleActivity(d: ActivityDetail): ActivityDoc {
  const a = d.activity;
  return { time: a.time, competition: a.competition ?? undefined } as ActivityDoc;
}

Component({
  data: {
    status: 'loading' as Status,
    errorText: '',
    canRetry: true,
    title: '',
    meta: '',
    banner: '',
    stateLabel: '',
    tone: 'default' as Tone,
    note: '',
    created: '',
    code: '',
    tracks: [] as TrackVM[],
    tracksNote: '',
    canCancel: false,
    cancelNote: '',
    cancelling: false,
    canRegisterAgain: false,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>): void {
      priv.set(this, { id: query.id ?? '', from: query.from ?? '', detail: null, skew: 0, seen: version('registrations') });
      void this.load();
    },
    onShow(): void {
      const p = priv.get(this);
      if (p?.detail && p.seen !== version('registrations')) void this.load();
    },

    async load(): Promise<void> {
      const p = priv.get(this);
      if (!p?.id) {
        this.setData({ status: 'error', errorText: errorMessage('NOT_FOUND'), canRetry: false });
        return;
      }
      p.seen = version('registrations');
      if (this.data.status !== 'loading') this.setData({ status: 'loading' });
      const r = await api('activities.detail', { id: p.id });
      if (!r.ok) {
        this.setData({ status: 'error', errorText: r.message, canRetry: r.code !== 'NOT_FOUND' });
        return;
      }
      p.detail = r.data;
      p.skew = Date.now() - r.data.serverNow;
      rememberTracks(r.data.activity.id, r.data.activity.competition?.tracks);
      this.show(r.data, r.data.mine);
    },

    /** Everything on screen from the detail and the registration (after a cancel, the new one). */
    show(d: ActivityDetail, mine: RegistrationView | null): void {
      const a = d.activity;
      const now = d.serverNow;
      const head = { title: a.title, meta: `时间：${formatRange(a.time, now)}\n地点：${a.place}` };
      const signupOpen = a.status === 'published' && windowState(a.signup, now) === 'open';
      if (!mine) {
        this.setData({ ...head, status: 'empty', canRegisterAgain: signupOpen });
        return;
      }
      const p = priv.get(this);
      const refusal = isActive(mine.state) ? cancelRefusal(ruleActivity(d), mine.state, now) : null;
      const until = a.competition ? a.competition.windows.submission.end : a.time.start;

      let tracks: TrackVM[] = [];
      let tracksNote = '';
      const comp = a.competition;
      if (comp) {
        const sub = windowState(comp.windows.submission, now);
        const canSubmit = mine.state === 'confirmed' && sub === 'open';
        tracks = comp.tracks
          .filter((t) => mine.tracks.includes(t.id))
          .map((t) => ({
            id: t.id,
            name: trackTitle(t.kind, t.name),
            url: canSubmit ? entryUrl(a.id, t.id) : '',
            note: canSubmit ? '提交作品' : '',
          }));
        if (mine.state === 'confirmed') {
          tracksNote =
            sub === 'open'
              ? `作品提交截止于 ${formatEnd(comp.windows.submission.end, now)}`
              : sub === 'before'
                ? `作品提交 ${formatDateTime(comp.windows.submission.start, now)} 开始`
                : '作品提交已截止';
        } else if (isActive(mine.state)) tracksNote = '报名确认后即可提交作品';
      }

      this.setData({
        ...head,
        status: 'ready',
        banner: p?.from === 'register' ? JUST_DONE[mine.state] : '',
        stateLabel: REG_STATE_LABEL[mine.state],
        tone: REG_STATE_TONE[mine.state],
        note: registrationNote(mine),
        created: `报名时间：${formatDateTime(mine.createdAt, now)}`,
        code: mine.state === 'confirmed' && mine.checkinCode ? mine.checkinCode : '',
        tracks,
        tracksNote,
        canCancel: isActive(mine.state) && !refusal,
        cancelNote: isActive(mine.state) ? (refusal ? refusal.message : `${formatEnd(until, now)} 前可以取消`) : '',
        canRegisterAgain: mine.state === 'cancelled' && signupOpen,
      });
    },

    onStateAction(): void {
      if (this.data.status === 'error' && this.data.canRetry) void this.load();
      else if (this.data.status === 'empty' && this.data.canRegisterAgain) this.registerAgain();
      else wx.switchTab({ url: '/pages/activities/index' });
    },

    registerAgain(): void {
      const p = priv.get(this);
      if (p?.id) wx.navigateTo({ url: registerUrl(p.id) });
    },

    async onCancel(): Promise<void> {
      const p = priv.get(this);
      const d = p?.detail;
      if (!p || !d || this.data.cancelling || !this.data.canCancel) return;
      // The rule again, on the server's clock as it is now: the page may have been open a while.
      const state = d.mine?.state;
      const refusal = state ? cancelRefusal(ruleActivity(d), state, Date.now() - p.skew) : null;
      if (refusal) {
        this.setData({ canCancel: false, cancelNote: refusal.message });
        wx.showToast({ title: refusal.message, icon: 'none' });
        return;
      }
      const waitlisted = state === 'waitlisted';
      const sure = await wx
        .showModal({
          title: '取消报名',
          content: waitlisted
            ? '取消后将退出候补名单。报名截止前可以重新报名，但需要重新排队。'
            : '取消后您的名额将按顺序让给候补的职工。报名截止前可以重新报名，但名额满后只能候补。',
          confirmText: '取消报名',
          confirmColor: '#d54941',
          cancelText: '再想想',
        })
        .then((res) => res.confirm, () => false);
      if (!sure) return;
      this.setData({ cancelling: true });
      const r = await api('registrations.cancel', { activityId: p.id });
      this.setData({ cancelling: false });
      if (!r.ok) {
        wx.showToast({ title: r.message, icon: 'none' });
        return;
      }
      bump('registrations');
      p.seen = version('registrations');
      p.from = '';
      d.mine = r.data.registration;
      this.show({ ...d, serverNow: Date.now() - p.skew }, r.data.registration);
      wx.showToast({ title: '已取消报名', icon: 'success' });
    },
  },
});
