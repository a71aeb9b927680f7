/**
 * 意见征集, the worker's page (subpackage `worker`) and its card on the activity page: loading,
 * empty, error and filled states, answering (tap → submit), editing, consent, closed and replied.
 */
import type { MyOpinionView, OpinionCard, OpinionGetView, SolicitationView } from '../../miniprogram/core/opinion';
import { FakeCloud, ok } from './fake-transport';
import { detail, NOW } from './fixtures';
import { load, type RenderedPage } from './load';
import { button } from './ui';
import { wxLog } from './wx-log';

const DAY = 86400000;
const open = (cloud: FakeCloud, id = 'act-sports') => load('packages/worker/opinion', { transport: cloud, query: { id } });
const submit = (page: RenderedPage, label = '提交') => page.tap(button(page, label));

function survey(over: Partial<SolicitationView> = {}): SolicitationView {
  return {
    activityId: 'act-sports',
    mode: 'survey',
    title: '运动会项目意见征集',
    intro: '今年运动会拟从下列项目中选取 3–5 项，请告诉我们您的想法。',
    questions: [
      { id: 'join', type: 'single', label: '您是否打算参加？', required: true, options: ['一定参加', '可能参加', '不参加'] },
      { id: 'events', type: 'multi', label: '希望设置哪些项目', required: false, options: ['拔河', '跳绳', '象棋'] },
      { id: 'advice', type: 'text', label: '其他意见建议', required: false, options: [] },
    ],
    window: { start: NOW - DAY, end: NOW + 10 * DAY },
    state: 'open',
    ...over,
  };
}

const view = (over: Partial<OpinionGetView> = {}): OpinionGetView => ({ activityTitle: '2026 年区职工运动会', solicitation: survey(), mine: null, serverNow: NOW, ...over });
const mine = (over: Partial<MyOpinionView> = {}): MyOpinionView => ({
  answers: [
    { questionId: 'join', choices: [1], text: '' },
    { questionId: 'events', choices: [0, 2], text: '' },
    { questionId: 'advice', choices: [], text: '希望安排在周末' },
  ],
  createdAt: NOW - 2 * 3600000,
  updatedAt: NOW - 2 * 3600000,
  hidden: false,
  reply: null,
  ...over,
});

describe('意见征集 (worker)', () => {
  test('shows loading, then the survey from one call', async () => {
    const cloud = new FakeCloud();
    const held = cloud.hold('opinions.get');
    const page = await open(cloud);
    expect(page.text()).toContain('正在加载');
    expect(await held.payload).toEqual({ activityId: 'act-sports' });
    held.resolve(ok(view()));
    await page.settle();
    const text = page.text();
    expect(text).toContain('运动会项目意见征集');
    expect(text).toContain('正在征集');
    expect(text).toContain('1. 您是否打算参加？（单选）');
    expect(text).toContain('2. 希望设置哪些项目（多选，可选多项）');
    expect(text).toContain('我同意工作人员查看我的姓名和所在工会');
    expect(cloud.calls).toHaveLength(1);
  });

  test('offers to try again when it cannot load', async () => {
    const cloud = new FakeCloud().drop('opinions.get').on('opinions.get', ok(view()));
    const page = await open(cloud);
    expect(page.text()).toContain('网络不稳定');
    await page.tap('重新加载');
    expect(page.text()).toContain('运动会项目意见征集');
  });

  test('says so when the activity has no solicitation', async () => {
    const page = await open(new FakeCloud().on('opinions.get', ok(view({ solicitation: null }))));
    expect(page.text()).toContain('这个活动目前没有意见征集');
    await page.tap('返回');
    expect(wxLog().navigations).toEqual([{ kind: 'navigateBack', url: '1' }]);
  });

  test('asks for the required question and consent before sending anything', async () => {
    const cloud = new FakeCloud().on('opinions.get', ok(view()));
    const page = await open(cloud);
    await submit(page);
    expect(page.text()).toContain('请选择');
    expect(page.text()).toContain('请勾选同意后再提交');
    expect(cloud.calls.map((c) => c.action)).toEqual(['opinions.get']);
  });

  test('answers: tap the options, write, consent, submit', async () => {
    const cloud = new FakeCloud().on('opinions.get', ok(view()));
    let sent: unknown = null;
    cloud.on('opinions.submit', (p) => {
      sent = p;
      return ok({ mine: mine({ answers: p.answers.filter((a) => a.choices.length || a.text), createdAt: NOW, updatedAt: NOW }) });
    });
    const page = await open(cloud);
    await page.tap('一定参加');
    await page.tap('拔河');
    await page.tap('象棋');
    await page.type('其他意见建议', '  希望增加亲子项目 ');
    await page.tap('我同意工作人员查看我的姓名和所在工会，用于汇总和回复意见');
    await submit(page);
    expect(sent).toEqual({
      activityId: 'act-sports',
      answers: [
        { questionId: 'join', choices: [0], text: '' },
        { questionId: 'events', choices: [0, 2], text: '' },
        { questionId: 'advice', choices: [], text: '希望增加亲子项目' },
      ],
      consent: true,
    });
    expect(wxLog().toasts).toContain('已提交，感谢您的意见');
    expect(page.text()).toContain('您的意见：');
    expect(page.text()).toContain('保存修改');
  });

  test('opens an earlier answer for editing until it closes, and shows the reply', async () => {
    const cloud = new FakeCloud().on('opinions.get', ok(view({ mine: mine({ reply: { text: '感谢建议，周末场次正在安排。', at: NOW - 3600000 } }) })));
    let sent: { answers: { questionId: string; choices: number[] }[] } | null = null;
    cloud.on('opinions.submit', (p) => {
      sent = p;
      return ok({ mine: mine({ updatedAt: NOW }) });
    });
    const page = await open(cloud);
    expect(page.text()).toContain('工作人员回复');
    expect(page.text()).toContain('感谢建议，周末场次正在安排。');
    await page.tap('不参加');
    await submit(page, '保存修改');
    expect(sent!.answers[0]).toEqual({ questionId: 'join', choices: [2], text: '' });
    expect(wxLog().toasts).toContain('已保存修改');
  });

  test('shows the answer read only once closed', async () => {
    const page = await open(new FakeCloud().on('opinions.get', ok(view({ solicitation: survey({ state: 'closed', window: { start: NOW - 10 * DAY, end: NOW - DAY } }), mine: mine() }))));
    const text = page.text();
    expect(text).toContain('征集已于');
    expect(text).toContain('可能参加');
    expect(text).toContain('拔河、象棋');
    expect(text).toContain('希望安排在周末');
    expect(text).not.toContain('保存修改');
  });

  test('says when the worker missed it, or it has not opened yet', async () => {
    const closed = await open(new FakeCloud().on('opinions.get', ok(view({ solicitation: survey({ state: 'closed' }) }))));
    expect(closed.text()).toContain('征集已截止，您没有提交意见');
    const before = await open(new FakeCloud().on('opinions.get', ok(view({ solicitation: survey({ state: 'before', window: { start: NOW + DAY, end: NOW + 5 * DAY } }) }))));
    expect(before.text()).toContain('征集尚未开始');
  });

  test('shows a refusal beside its question', async () => {
    const cloud = new FakeCloud().on('opinions.get', ok(view({ mine: mine() }))).refuse('opinions.submit', 'CONTENT_RISKY', '内容未通过安全检测，请修改后再提交', 'payload.answers');
    const page = await open(cloud);
    await submit(page, '保存修改');
    expect(page.text()).toContain('内容未通过安全检测，请修改后再提交');
    cloud.refuse('opinions.submit', 'INVALID_PAYLOAD', '「其他意见建议」不能超过 500 个字', 'payload.answers[2].text');
    await submit(page, '保存修改');
    expect(page.text()).toContain('「其他意见建议」不能超过 500 个字');
  });

  test('reloads when the survey closed meanwhile', async () => {
    const cloud = new FakeCloud()
      .once('opinions.get', ok(view({ mine: mine() })))
      .once('opinions.get', ok(view({ mine: mine(), solicitation: survey({ state: 'closed' }) })))
      .refuse('opinions.submit', 'CLOSED', '意见征集已截止，不能再提交或修改');
    const page = await open(cloud);
    await submit(page, '保存修改');
    await page.settle();
    expect(wxLog().toasts).toContain('意见征集已截止，不能再提交或修改');
    expect(page.text()).toContain('征集已于');
    expect(page.text()).not.toContain('保存修改');
  });

  test('an open call: the prompt, one text box', async () => {
    const call = survey({ mode: 'open', title: '宣讲主题征集', intro: '您希望宣讲团讲哪些内容？', questions: [{ id: 'suggestion', type: 'text', label: '意见建议', required: true, options: [] }] });
    const cloud = new FakeCloud().on('opinions.get', ok(view({ solicitation: call })));
    let sent: unknown = null;
    cloud.on('opinions.submit', (p) => {
      sent = p;
      return ok({ mine: mine({ answers: p.answers }) });
    });
    const page = await open(cloud);
    expect(page.text()).toContain('您希望宣讲团讲哪些内容？');
    await page.type(page.comp.dom.querySelector('wx-textarea')!, '劳动法与职工权益');
    await page.tap('我同意工作人员查看我的姓名和所在工会，用于汇总和回复意见');
    await submit(page);
    expect(sent).toMatchObject({ answers: [{ questionId: 'suggestion', choices: [], text: '劳动法与职工权益' }] });
  });

  test('a hidden answer cannot be edited', async () => {
    const page = await open(new FakeCloud().on('opinions.get', ok(view({ mine: mine({ hidden: true }) }))));
    expect(page.text()).toContain('您的意见已被工作人员隐藏');
    expect(page.text()).not.toContain('保存修改');
  });
});

describe('活动详情: the 意见征集 card', () => {
  const card = (over: Partial<OpinionCard> = {}): OpinionCard => ({ mode: 'survey', title: '运动会项目意见征集', state: 'open', window: { start: NOW - DAY, end: NOW + 10 * DAY }, answered: false, replied: false, ...over });
  const withCard = (c: OpinionCard | null) => {
    const d = detail();
    d.opinion = c;
    return d;
  };

  test('invites the worker to answer, and leads to the page', async () => {
    const page = await load('pages/activity', { transport: new FakeCloud().on('activities.detail', ok(withCard(card()))), query: { id: 'act-comp' } });
    expect(page.text()).toContain('意见征集');
    expect(page.text()).toContain('正在征集');
    expect(page.text()).toContain('去填写');
    await page.tap('运动会项目意见征集');
    expect(wxLog().navigations).toEqual([{ kind: 'navigateTo', url: '/packages/worker/opinion/index?id=act-comp' }]);
  });

  test('says answered, replied and closed', async () => {
    const answered = await load('pages/activity', { transport: new FakeCloud().on('activities.detail', ok(withCard(card({ state: 'answered', answered: true, replied: true })))), query: { id: 'act-comp' } });
    expect(answered.text()).toContain('您已提交');
    expect(answered.text()).toContain('有回复');
    const closed = await load('pages/activity', { transport: new FakeCloud().on('activities.detail', ok(withCard(card({ state: 'closed' })))), query: { id: 'act-comp' } });
    expect(closed.text()).toContain('已截止');
  });

  test('is absent without a solicitation', async () => {
    const page = await load('pages/activity', { transport: new FakeCloud().on('activities.detail', ok(withCard(null))), query: { id: 'act-comp' } });
    expect(page.text()).not.toContain('意见征集');
  });
});
