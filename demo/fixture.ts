/**
 * Demo data written for the product, modelled on the district Workers' Cultural Palace's annual
 * plan (2022 “新思想、新担当” 实施方案): the culture competition (征文 / 摄影 / 微视频), the sports
 * meet, 余工学堂 courses, outreach and exchange events, announcements, units, and demo people.
 * Every window is relative to `now`, the moment the data is first seeded, so that a newcomer can
 * register, submit, judge and publish on the day they clone the project.
 */
import type { ActivityDoc, AnnouncementDoc, CompetitionSettings, UnitDoc, UserDoc } from '../miniprogram/core/domain';
import type { OpinionAnswer, SolicitationDoc } from '../miniprogram/core/opinion';
import { DEFAULT_TIERS, type TrackJudging } from '../miniprogram/core/judging';
import { scoringSettings } from '../miniprogram/core/rules/scoring';
import { DAY, HOUR, startOfChinaDay } from '../miniprogram/core/time';
import identities from './identities.json';

export interface DemoPerson {
  openid: string;
  role: UserDoc['role'];
  realName: string;
  phone: string;
  unitId: string;
  enterprise: string;
  /** Has a completed profile (the "new user" has not even consented). */
  profile: boolean;
}

/** A submitted, approved essay of the competition in judging, by a demo author. */
export interface DemoEssay {
  author: DemoPerson;
  title: string;
  text: string;
}

export interface DemoData {
  units: UnitDoc[];
  people: DemoPerson[];
  /** Authors of the entries already submitted (they are not in the identity switcher). */
  authors: DemoPerson[];
  essays: DemoEssay[];
  /** Judges seated on the panel of the competition in judging. */
  judges: string[];
  activities: ActivityDoc[];
  announcements: AnnouncementDoc[];
  /** 意见征集: an open survey before the sports meet. */
  solicitations: SolicitationDoc[];
  /** Answers to it, by demo people (by OPENID: the seed derives their user ids). */
  opinions: DemoOpinion[];
}

export interface DemoOpinion {
  activityId: string;
  author: string;
  answers: OpinionAnswer[];
  at: number;
}

/** The default rubrics: 内容 / 表达 / 创意, weights 50/30/20, out of 10 each. */
function judgingFor(criteria: [string, string, number][]): TrackJudging {
  return {
    rubric: { criteria: criteria.map(([id, name, weight]) => ({ id, name, weight, max: 10 })) },
    scoring: scoringSettings({ tiers: DEFAULT_TIERS }),
    commentRequired: false,
  };
}

const ESSAY_JUDGING = judgingFor([
  ['content', '思想内容', 50],
  ['writing', '文字表达', 30],
  ['creativity', '创新特色', 20],
]);
const PHOTO_JUDGING = judgingFor([
  ['theme', '主题立意', 40],
  ['composition', '构图用光', 40],
  ['craft', '后期技术', 20],
]);
const VIDEO_JUDGING = judgingFor([
  ['theme', '主题内容', 40],
  ['story', '叙事剪辑', 40],
  ['sound', '声画质量', 20],
]);

const AUTHORS: [string, string, string][] = [
  ['张伟', 'unit_linping', '临平纺织有限公司'],
  ['刘洋', 'unit_nanyuan', '南苑社区卫生服务中心'],
  ['陈静', 'unit_xingqiao', '星桥精密机械厂'],
  ['杨帆', 'unit_donghu', '东湖物流园'],
  ['黄磊', 'unit_devzone', '开发区新材料公司'],
  ['周敏', 'unit_hospital', '区人民医院'],
  ['吴刚', 'unit_education', '区实验小学'],
  ['徐丽', 'unit_transport', '区公交公司'],
  ['孙涛', 'unit_organs', '区档案馆'],
  ['马超', 'unit_linping', '临平街道环卫所'],
  ['朱红', 'unit_nanyuan', '南苑电子厂'],
  ['胡军', 'unit_xingqiao', '星桥建材市场'],
];

const ESSAY_TITLES = ['车间里的灯光', '我和我的公交线', '凌晨四点的街道', '一封写给病人的信', '讲台三十年', '流水线上的诗', '守护', '扁担与快递', '档案里的故事', '春天的工地', '焊花', '回家的路'];
const PARAGRAPHS = [
  '天还没亮，车间里的灯已经亮了。师傅们换上工装，检查设备，一天的忙碌就这样开始。',
  '我在这个岗位上工作了十二年，见证了工厂从小作坊变成现代化的企业，也见证了身边同事的成长。',
  '疫情防控最紧张的那段时间，大家主动留守岗位，保障生产不停、服务不断，这份坚守让我深受感动。',
  '劳动最光荣，奋斗最幸福。每一位普通劳动者，都在平凡的岗位上创造着不平凡的价值。',
  '下班的路上，看着城市的灯火一盏盏亮起，我知道，这里面也有我们的一份付出。',
];


const UNITS: [string, string, string][] = [
  ['unit_linping', '临平街道总工会', '街道'],
  ['unit_nanyuan', '南苑街道总工会', '街道'],
  ['unit_xingqiao', '星桥街道总工会', '街道'],
  ['unit_donghu', '东湖街道总工会', '街道'],
  ['unit_devzone', '经济技术开发区总工会', '园区'],
  ['unit_hospital', '区人民医院工会', '局属'],
  ['unit_education', '区教育局工会', '局属'],
  ['unit_transport', '区交通运输局工会', '局属'],
  ['unit_organs', '区级机关工会', '局属'],
  ['unit_hall', '区工人文化宫', '局属'],
];

const PEOPLE: Omit<DemoPerson, 'openid' | 'role'>[] = [
  { realName: '李明', phone: '13857100001', unitId: 'unit_hospital', enterprise: '区人民医院', profile: true },
  { realName: '王芳', phone: '13857100002', unitId: 'unit_linping', enterprise: '临平纺织有限公司', profile: true },
  { realName: '', phone: '', unitId: '', enterprise: '', profile: false },
  { realName: '赵敏', phone: '13857100004', unitId: 'unit_education', enterprise: '区第一中学', profile: true },
  { realName: '钱进', phone: '13857100005', unitId: 'unit_organs', enterprise: '区文联', profile: true },
  { realName: '孙丽', phone: '13857100006', unitId: 'unit_devzone', enterprise: '开发区管委会', profile: true },
  { realName: '陈晓', phone: '13857100007', unitId: 'unit_hall', enterprise: '区工人文化宫', profile: true },
  { realName: '周强', phone: '13857100008', unitId: 'unit_hall', enterprise: '区总工会', profile: true },
];

function window(start: number, end: number) {
  return { start, end };
}

export function buildDemo(now: number): DemoData {
  // Windows end at the end of a China day (staff say "截止到某日"), counted from today in China.
  const today = startOfChinaDay(now);
  const dayEnd = (d: number) => today + (d + 1) * DAY;
  const at = (d: number, h: number) => today + d * DAY + h * HOUR;

  const units: UnitDoc[] = UNITS.map(([id, name, group], order) => ({ _id: id, name, group, order }));

  const people: DemoPerson[] = identities.map((who, i) => {
    const p = PEOPLE[i];
    if (!p) throw new Error(`demo/identities.json has more people than the fixture (${who.openid})`);
    const role = who.role === 'staff' || who.role === 'admin' ? who.role : 'worker';
    return { openid: who.openid, role, ...p };
  });

  const authors: DemoPerson[] = AUTHORS.map(([realName, unitId, enterprise], i) => ({
    openid: `demo-author-${String(i + 1).padStart(2, '0')}`,
    role: 'worker',
    realName,
    phone: `1385710${String(1000 + i).slice(-4)}`,
    unitId,
    enterprise,
    profile: true,
  }));
  const essays: DemoEssay[] = authors.map((author, i) => ({
    author,
    title: ESSAY_TITLES[i] ?? `征文 ${i + 1}`,
    // 300–3000 characters, as the track requires: paragraphs in a different order per author.
    text: Array.from({ length: 8 }, (_, k) => PARAGRAPHS[(i + k) % PARAGRAPHS.length]).join('\n\n'),
  }));
  const judges = ['demo-judge-zhao', 'demo-judge-qian', 'demo-judge-sun'];

  const stamp = { createdAt: now, updatedAt: now };
  const base = {
    taken: 0,
    waitlisted: 0,
    questions: [],
    requiresVerified: false,
    requiresApproval: false,
    ...stamp,
  };

  const openCompetition: CompetitionSettings = {
    year: 2022,
    blind: true,
    tracks: [
      { id: 'essay', kind: 'essay', name: '征文', limits: { minChars: 800, maxChars: 5000 } },
      { id: 'photo', kind: 'photo', name: '摄影', limits: { maxPhotos: 6, maxBytes: 10 * 1024 * 1024 } },
      { id: 'video', kind: 'video', name: '微视频', limits: { maxSeconds: 300, maxBytes: 200 * 1024 * 1024 } },
    ],
    windows: {
      registration: window(today - 3 * DAY, dayEnd(20)),
      submission: window(today - 3 * DAY, dayEnd(25)),
      judging: window(dayEnd(25), dayEnd(35)),
      publicity: window(dayEnd(35), dayEnd(42)),
      appeal: window(dayEnd(35), dayEnd(40)),
    },
    judging: { essay: ESSAY_JUDGING, photo: PHOTO_JUDGING, video: VIDEO_JUDGING },
  };

  const judgingCompetition: CompetitionSettings = {
    year: 2022,
    blind: true,
    tracks: [{ id: 'essay', kind: 'essay', name: '征文', limits: { minChars: 300, maxChars: 3000 } }],
    windows: {
      registration: window(today - 40 * DAY, dayEnd(-20)),
      submission: window(today - 40 * DAY, dayEnd(-3)),
      judging: window(dayEnd(-3), dayEnd(10)),
      publicity: window(dayEnd(10), dayEnd(17)),
      appeal: window(dayEnd(10), dayEnd(15)),
    },
    judging: { essay: ESSAY_JUDGING },
  };

  const activities: ActivityDoc[] = [
    {
      ...base,
      _id: 'act_culture_2022',
      kind: 'competition',
      title: '“克时艰、增信心、促发展”职工文化比赛',
      summary: '征文、摄影、微视频三个赛道，面向全区职工征集作品。',
      body:
        '一、参赛对象：全区各级工会会员。\n' +
        '二、作品要求：征文 800–5000 字；摄影每人 1–6 幅，单张不超过 10MB；微视频不超过 5 分钟、200MB。\n' +
        '三、评审：评委匿名评审，去掉一个最高分和一个最低分后取平均分。\n' +
        '四、奖项：一、二、三等奖和优秀奖，获奖作品不超过参赛作品的三分之一。',
      status: 'published',
      time: window(today - 3 * DAY, dayEnd(42)),
      place: '线上提交',
      capacity: 0,
      signup: openCompetition.windows.registration,
      planItem: '职工文化比赛',
      competition: openCompetition,
    },
    {
      ...base,
      _id: 'act_essay_spring',
      kind: 'competition',
      title: '“中国梦·劳动美”职工征文比赛（春季）',
      summary: '已截止投稿，评委评审中。',
      body: '征文 300–3000 字，主题围绕“中国梦·劳动美”。评审结束后公示 7 天。',
      status: 'published',
      time: window(today - 40 * DAY, dayEnd(17)),
      place: '线上提交',
      capacity: 0,
      // Its authors, registered (the seed writes their registrations and entries).
      taken: authors.length,
      signup: judgingCompetition.windows.registration,
      planItem: '职工文化比赛',
      competition: judgingCompetition,
    },
    {
      ...base,
      _id: 'act_sports_2022',
      kind: 'sports',
      title: '2022 年区职工运动会',
      summary: '拔河、趣味接力、羽毛球、跳绳、象棋五个项目，以基层工会为单位组队参赛。',
      body: '每名职工最多报名 2 个项目；团体项目每个基层工会限报 1 队。',
      status: 'published',
      time: window(at(45, 8), at(46, 17)),
      place: '区体育中心',
      capacity: 600,
      taken: 212,
      signup: window(today - DAY, dayEnd(30)),
      planItem: '职工运动会',
    },
    {
      ...base,
      _id: 'act_course_photo',
      kind: 'training',
      title: '余工学堂｜手机摄影入门',
      summary: '用手机拍出好照片：构图、光线与后期。',
      body: '请携带手机，课程约 2 小时。',
      status: 'published',
      time: window(at(6, 14), at(6, 16)),
      place: '区工人文化宫 三楼多功能厅',
      capacity: 30,
      taken: 27,
      signup: window(today - 5 * DAY, at(5, 18)),
      planItem: '余工学堂公益培训',
    },
    {
      ...base,
      _id: 'act_course_video',
      kind: 'training',
      title: '余工学堂｜短视频剪辑实操',
      summary: '手机剪辑短视频，从脚本到成片。',
      body: '名额已满可报名候补，有人取消时按顺序递补。',
      status: 'published',
      time: window(at(9, 19), at(9, 21)),
      place: '临平街道教学点',
      capacity: 20,
      taken: 20,
      waitlisted: 3,
      signup: window(today - 5 * DAY, at(8, 18)),
      planItem: '余工学堂公益培训',
    },
    {
      ...base,
      _id: 'act_course_health',
      kind: 'training',
      title: '余工学堂｜职场心理健康讲座',
      summary: '压力管理与情绪调适。',
      body: '线上直播，报名后可观看回放。',
      status: 'published',
      time: window(at(12, 19), at(12, 20)),
      place: '云课堂（线上）',
      capacity: 0,
      signup: window(today - 2 * DAY, at(12, 12)),
      planItem: '余工学堂公益培训',
    },
    {
      ...base,
      _id: 'act_lecture_values',
      kind: 'lecture',
      title: '“社会主义核心价值观”宣讲进企业',
      summary: '宣讲团走进基层企业。',
      body: '由区宣讲团成员主讲。',
      status: 'closed',
      time: window(at(-20, 14), at(-20, 16)),
      place: '经济技术开发区 职工之家',
      capacity: 120,
      taken: 96,
      signup: window(today - 35 * DAY, at(-21, 18)),
      planItem: '宣讲活动',
    },
    {
      ...base,
      _id: 'act_outreach_01',
      kind: 'outreach',
      title: '文体用品进企业（第 1 场）',
      summary: '为一线职工送去文体用品。',
      body: '与区文广旅体局联合开展，全年 22 场。',
      status: 'published',
      time: window(at(15, 9), at(15, 11)),
      place: '星桥街道 某制造企业',
      capacity: 0,
      signup: window(today - DAY, at(14, 18)),
      planItem: '文体用品进企业',
    },
    {
      ...base,
      _id: 'act_exchange_01',
      kind: 'exchange',
      title: '片区职工文化交流研讨会',
      summary: '品牌示范点经验交流。',
      body: '各片区联谊会文体骨干参加。',
      status: 'published',
      time: window(at(20, 14), at(20, 17)),
      place: '南苑街道 职工文化中心',
      capacity: 60,
      taken: 12,
      signup: window(today, at(18, 18)),
      planItem: '文化交流研讨',
    },
  ];

  const announcements: AnnouncementDoc[] = [
    {
      _id: 'ann_culture_notice',
      category: 'notice',
      title: '关于举办“克时艰、增信心、促发展”职工文化比赛的通知',
      body: '各基层工会：为丰富职工文化生活，区工人文化宫举办职工文化比赛，设征文、摄影、微视频三个赛道……',
      pinned: true,
      activityId: 'act_culture_2022',
      publishAt: now - 3 * DAY,
      withdrawn: false,
      reads: 0,
      createdAt: now - 3 * DAY,
    },
    {
      _id: 'ann_training_plan',
      category: 'training',
      title: '“余工学堂”年度公益培训规划发布',
      body: '全年开展各类公益培训不少于 80 场，欢迎职工网上报名。',
      pinned: true,
      activityId: null,
      publishAt: now - 10 * DAY,
      withdrawn: false,
      reads: 0,
      createdAt: now - 10 * DAY,
    },
    {
      _id: 'ann_sports_signup',
      category: 'notice',
      title: '2022 年区职工运动会开始报名',
      body: '请各基层工会组织职工报名，每人最多 2 个项目。',
      pinned: false,
      activityId: 'act_sports_2022',
      publishAt: now - DAY,
      withdrawn: false,
      reads: 0,
      createdAt: now - DAY,
    },
    {
      _id: 'ann_brand_news',
      category: 'news',
      title: '品牌示范点交流研讨活动在南苑街道举行',
      body: '来自各片区的文体骨干交流了阵地建设经验。',
      pinned: false,
      activityId: null,
      publishAt: now - 5 * DAY,
      withdrawn: false,
      reads: 0,
      createdAt: now - 5 * DAY,
    },
  ];

  // 意见征集 before the sports meet (the plan: 广泛征求意见建议, 选取 3–5 项内容), open now.
  const sportsSurvey: SolicitationDoc = {
    _id: 'sol_act_sports_2022',
    activityId: 'act_sports_2022',
    mode: 'survey',
    title: '运动会项目意见征集',
    intro: '今年运动会拟从下列项目中选取 3–5 项，请告诉我们您的想法。',
    questions: [
      { id: 'join', type: 'single', label: '您是否打算参加本届运动会？', required: true, options: ['一定参加', '可能参加', '不参加'] },
      { id: 'events', type: 'multi', label: '您最希望设置哪些项目？', required: true, options: ['拔河', '趣味接力', '羽毛球', '跳绳', '象棋', '乒乓球'] },
      { id: 'advice', type: 'text', label: '对运动会的其他意见建议', required: false, options: [] },
    ],
    window: window(today - 2 * DAY, dayEnd(14)),
    locked: true,
    rev: 1,
    createdAt: now - 2 * DAY,
    updatedAt: now - 2 * DAY,
  };
  const said = (author: string, join: number, events: number[], advice: string, hoursAgo: number): DemoOpinion => ({
    activityId: 'act_sports_2022',
    author,
    answers: [
      { questionId: 'join', choices: [join], text: '' },
      { questionId: 'events', choices: events, text: '' },
      ...(advice ? [{ questionId: 'advice', choices: [], text: advice }] : []),
    ],
    at: now - hoursAgo * HOUR,
  });
  const opinions: DemoOpinion[] = [
    said('demo-author-01', 0, [0, 1, 3], '希望比赛安排在周末，方便倒班的职工参加。', 40),
    said('demo-author-02', 1, [2, 5], '', 30),
    said('demo-author-03', 0, [0, 4], '象棋可以按基层工会组队，增加交流。', 20),
    said('demo-author-04', 2, [1], '', 10),
    said('demo-worker-wang', 0, [0, 1, 2], '建议增加家属亲子项目。', 3),
  ];

  return { units, people, authors, essays, judges, activities, announcements, solicitations: [sportsSurvey], opinions };
}
