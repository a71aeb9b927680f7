/**
 * 活动详情: what it is, when and where, how many seats are left, the state of every window
 * (sign-up, and for a competition submission, judging, publicity, appeal) judged against the
 * server's clock, the tracks of a competition, and the rules. Sharing sends the page itself;
 * nothing is ever given for sharing.
 */
import type { ActivityDetail, NextStep, Track } from '../../core/domain';
import { TRACK_LABEL } from '../../core/domain';
import { errorMessage } from '../../core/errors';
import type { Window } from '../../core/time';
import { api } from '../../services/client';
import { NEXT_LABEL, formatRange, kindLabel, seatsText, windowText } from '../../utils/format';
import { announcementVM, type AnnouncementVM } from '../../utils/view';

type Status = 'loading' | 'error' | 'ready';

interface InfoVM {
  title: string;
  kind: string;
  summary: string;
  time: string;
  place: string;
  seats: string;
  planItem: string;
  body: string;
}

interface WindowVM {
  name: string;
  text: string;
  state: 'before' | 'open' | 'after';
}

interface TrackVM {
  id: string;
  name: string;
  limits: string;
}

interface ActionVM {
  label: string;
  note: string;
}

const shared = new WeakMap<object, { id: string; title: string }>();

const mb = (bytes: number): string => `${Math.round(bytes / (1024 * 1024))} MB`;

function trackLimits(t: Track): string {
  switch (t.kind) {
    case 'essay':
      return `${t.limits.minChars}–${t.limits.maxChars} 字`;
    case 'photo':
      return `最多 ${t.limits.maxPhotos} 张，每张不超过 ${mb(t.limits.maxBytes)}`;
    case 'video': {
      const s = t.limits.maxSeconds;
      const length = s % 60 === 0 ? `${s / 60} 分钟` : `${s} 秒`;
      return `时长不超过 ${length}，文件不超过 ${mb(t.limits.maxBytes)}`;
    }
  }
}

// Registration and submission arrive in later versions; until then the button says what the
// step will be and why it cannot be taken yet.
const ACTION_NOTE: Record<NextStep, string> = {
  register: '网上报名即将开放，请留意通知公告',
  waitlist: '候补报名即将开放，请留意通知公告',
  registered: '您已报名，请按时参加',
  submit: '作品提交即将开放，请留意通知公告',
  results: '结果查询即将开放',
  view: '',
};

function windowsOf(d: ActivityDetail): WindowVM[] {
  const now = d.serverNow;
  const row = (name: string, w: Window): WindowVM => ({ name, ...windowText(w, now) });
  const comp = d.activity.competition;
  if (!comp) return [row('报名', d.activity.signup)];
  const w = comp.windows;
  return [
    row('报名', w.registration),
    row('作品提交', w.submission),
    row('评审', w.judging),
    row('结果公示', w.publicity),
    row('申诉', w.appeal),
  ];
}

Component({
  data: {
    status: 'loading' as Status,
    errorText: '',
    canRetry: true,
    info: null as InfoVM | null,
    windows: [] as WindowVM[],
    tracks: [] as TrackVM[],
    announcements: [] as AnnouncementVM[],
    action: null as ActionVM | null,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>): void {
      const id = query.id ?? '';
      shared.set(this, { id, title: '' });
      void this.load();
    },
    onShareAppMessage(): WechatMiniprogram.Page.ICustomShareContent {
      const s = shared.get(this);
      return {
        title: s?.title || '区工人文化宫活动',
        path: s?.id ? `/pages/activity/index?id=${encodeURIComponent(s.id)}` : '/pages/home/index',
      };
    },
    async load(): Promise<void> {
      const s = shared.get(this);
      if (!s?.id) {
        this.setData({ status: 'error', errorText: errorMessage('NOT_FOUND'), canRetry: false });
        return;
      }
      if (this.data.status !== 'loading') this.setData({ status: 'loading' });
      const r = await api('activities.detail', { id: s.id });
      if (!r.ok) {
        // Retrying cannot bring back an activity that does not exist.
        this.setData({ status: 'error', errorText: r.message, canRetry: r.code !== 'NOT_FOUND' });
        return;
      }
      const d = r.data;
      const a = d.activity;
      s.title = a.title;
      const comp = a.competition;
      this.setData({
        status: 'ready',
        info: {
          title: a.title,
          kind: kindLabel(a.kind),
          summary: a.summary,
          time: formatRange(a.time, d.serverNow),
          place: a.place,
          seats: a.capacity > 0 ? `${seatsText(a.capacity, a.left)}（共 ${a.capacity} 个）` : seatsText(a.capacity, a.left),
          planItem: a.planItem,
          body: a.body,
        },
        windows: windowsOf(d),
        tracks: comp
          ? comp.tracks.map((t) => ({ id: t.id, name: `${TRACK_LABEL[t.kind]} · ${t.name}`, limits: trackLimits(t) }))
          : [],
        announcements: d.announcements.map((x) => announcementVM(x, d.serverNow)),
        action: a.next === 'view' ? null : { label: NEXT_LABEL[a.next], note: ACTION_NOTE[a.next] },
      });
    },
    onStateAction(): void {
      if (this.data.canRetry) void this.load();
      else wx.switchTab({ url: '/pages/activities/index' });
    },
  },
});
