/**
 * 活动详情: what it is, when and where, how many seats are left, the state of every window
 * (sign-up, and for a competition submission, judging, publicity, appeal) judged against the
 * server's clock, the tracks of a competition, and the rules. Sharing sends the page itself;
 * nothing is ever given for sharing. The bottom button leads to 报名 (or 候补), or, once the worker
 * has registered, shows where they stand (已报名 / 候补中 / 待审核) and leads to their registration;
 * while submissions are open each registered track leads to its entry editor.
 */
import type { ActivityDetail, Track } from '../../core/domain';
import { errorMessage } from '../../core/errors';
import { windowState, type Window } from '../../core/time';
import { api } from '../../services/client';
import { version } from '../../services/changes';
import { rememberTracks } from '../../services/tracks';
import { formatDateTime, formatEnd, formatRange, kindLabel, seatsText, windowText } from '../../utils/format';
import { REG_STATE_LABEL, REG_STATE_TONE, isActive, type Tone } from '../../utils/status';
import { entryUrl, opinionUrl, registerUrl, registrationUrl } from '../../utils/urls';
import { announcementVM, type AnnouncementVM, trackTitle } from '../../utils/view';

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
  /** The entry editor, for a registered track while submissions are open. */
  url: string;
  note: string;
}

interface ActionVM {
  label: string;
  note: string;
  /** Where the button leads; blank: shown but not available here. */
  url: string;
}

/** The 意见征集 card: what state it is in for this worker, and where a tap leads. */
interface OpinionVM {
  title: string;
  text: string;
  note: string;
  url: string;
}

function opinionOf(d: ActivityDetail): OpinionVM | null {
  const o = d.opinion;
  if (!o) return null;
  const now = d.serverNow;
  const until = `截止于 ${formatEnd(o.window.end, now)}`;
  const text =
    o.state === 'before'
      ? `${formatDateTime(o.window.start, now)} 开始征集`
      : o.state === 'open'
        ? `正在征集，${until}`
        : o.state === 'answered'
          ? `您已提交，${formatEnd(o.window.end, now)} 前可以修改`
          : o.answered
            ? '已截止，感谢您的参与'
            : '已截止';
  const note = o.replied ? '有回复' : o.state === 'open' ? '去填写' : o.answered ? '查看' : '';
  return { title: o.title, text, note, url: o.state === 'before' && !o.answered ? '' : opinionUrl(d.activity.id) };
}

interface MineVM {
  label: string;
  tone: Tone;
  url: string;
}

const shared = new WeakMap<object, { id: string; title: string; seen: number; opinions: number }>();

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

/** What the bottom button does for this worker now. */
function actionOf(d: ActivityDetail): ActionVM | null {
  const a = d.activity;
  const mine = d.mine && isActive(d.mine.state) ? d.mine : null;
  if (mine) {
    const comp = a.competition;
    const open = comp && mine.state === 'confirmed' && windowState(comp.windows.submission, d.serverNow) === 'open';
    const only = open && mine.tracks.length === 1 ? mine.tracks[0] : undefined;
    if (only) return { label: '提交作品', note: '', url: entryUrl(a.id, only) };
    const note =
      mine.state === 'confirmed'
        ? open
          ? '在上方「比赛类别」中选择项目提交作品'
          : '您已报名，请按时参加'
        : mine.state === 'pending'
          ? '报名正在等待审核'
          : '您在候补名单中，有人取消时按顺序递补';
    return { label: '查看我的报名', note, url: registrationUrl(a.id) };
  }
  switch (a.next) {
    case 'register':
      return { label: '报名', note: '', url: registerUrl(a.id) };
    case 'waitlist':
      return { label: '候补报名', note: '名额已满，报名后进入候补名单，有人取消时按顺序递补', url: registerUrl(a.id) };
    case 'results':
      return { label: '查看我的成绩', note: a.competition ? '各类别获奖作品见上方「比赛类别」' : '', url: '/packages/worker/results/index' };
    default:
      return null;
  }
}

const galleryUrl = (activityId: string, trackId: string, title: string): string =>
  `/packages/worker/gallery/index?activityId=${encodeURIComponent(activityId)}&trackId=${encodeURIComponent(trackId)}&title=${encodeURIComponent(title)}`;

function tracksOf(d: ActivityDetail): TrackVM[] {
  const a = d.activity;
  const comp = a.competition;
  if (!comp) return [];
  const mine = d.mine?.state === 'confirmed' ? d.mine : null;
  const open = windowState(comp.windows.submission, d.serverNow) === 'open';
  // Results come out from the publicity window on (as core's nextStep has it): each track's winners.
  const published = windowState(comp.windows.publicity, d.serverNow) !== 'before';
  return comp.tracks.map((t) => {
    const entered = mine?.tracks.includes(t.id) ?? false;
    const gallery = published && !(entered && open);
    return {
      id: t.id,
      name: trackTitle(t.kind, t.name),
      limits: trackLimits(t),
      url: entered && open ? entryUrl(a.id, t.id) : gallery ? galleryUrl(a.id, t.id, `${a.title}·${t.name}`) : '',
      note: gallery ? '获奖作品' : entered ? (open ? '提交作品' : '已报名') : '',
    };
  });
}

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
    mine: null as MineVM | null,
    opinion: null as OpinionVM | null,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>): void {
      const id = query.id ?? '';
      shared.set(this, { id, title: '', seen: version('registrations'), opinions: version('opinions') });
      void this.load();
    },
    onShow(): void {
      // Back from registering or cancelling (or answering 意见征集): the button and the standing have changed.
      const s = shared.get(this);
      if (s && this.data.status === 'ready' && (s.seen !== version('registrations') || s.opinions !== version('opinions'))) void this.load();
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
      s.seen = version('registrations');
      s.opinions = version('opinions');
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
      rememberTracks(a.id, a.competition?.tracks);
      const mine = d.mine && isActive(d.mine.state) ? d.mine : null;
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
        tracks: tracksOf(d),
        announcements: d.announcements.map((x) => announcementVM(x, d.serverNow)),
        action: actionOf(d),
        mine: mine ? { label: REG_STATE_LABEL[mine.state], tone: REG_STATE_TONE[mine.state], url: registrationUrl(a.id) } : null,
        opinion: opinionOf(d),
      });
    },
    onAction(): void {
      const url = this.data.action?.url;
      if (url) wx.navigateTo({ url });
    },
    openMine(): void {
      const url = this.data.mine?.url;
      if (url) wx.navigateTo({ url });
    },
    onStateAction(): void {
      if (this.data.canRetry) void this.load();
      else wx.switchTab({ url: '/pages/activities/index' });
    },
  },
});
