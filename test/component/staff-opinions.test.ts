/**
 * 意见征集, the staff page: loading, error, refused, empty (create one), the summary with counts and
 * percentages, the text answers with masked phones, paging, reply, hide, edit and close.
 */
import type { OpinionSummary, StaffOpinionItem } from '../../miniprogram/core/opinion';
import { DAY, HOUR } from '../../miniprogram/core/time';
import { ok } from './fake-transport';
import { load } from './load';
import { asRole, NOW } from './staff-fixtures';
import { button } from './ui';
import { wxLog } from './wx-log';

beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(NOW));
afterEach(() => jest.restoreAllMocks());

const PAGE = 'packages/staff/opinions';
const query = { id: 'act-sports', title: encodeURIComponent('2026 年区职工运动会') };

function item(over: Partial<StaffOpinionItem> = {}): StaffOpinionItem {
  return {
    id: 'op_act-sports_u-wang',
    realName: '王芳',
    unitName: '临平街道总工会',
    phone: '138****0002',
    answers: [
      { questionId: 'join', label: '您是否打算参加？', text: '', choices: ['一定参加'] },
      { questionId: 'advice', label: '其他意见建议', text: '建议增加家属亲子项目。', choices: [] },
    ],
    flagged: false,
    hidden: false,
    hiddenReason: '',
    reply: null,
    edited: false,
    createdAt: NOW - 3 * HOUR,
    updatedAt: NOW - 3 * HOUR,
    ...over,
  };
}

function summary(over: Partial<OpinionSummary> = {}): OpinionSummary {
  return {
    activityTitle: '2026 年区职工运动会',
    solicitation: {
      activityId: 'act-sports',
      mode: 'survey',
      title: '运动会项目意见征集',
      intro: '今年运动会拟选取 3–5 项。',
      questions: [
        { id: 'join', type: 'single', label: '您是否打算参加？', required: true, options: ['一定参加', '可能参加', '不参加'] },
        { id: 'advice', type: 'text', label: '其他意见建议', required: false, options: [] },
      ],
      window: { start: NOW - 2 * DAY, end: NOW + 10 * DAY },
      state: 'open',
      locked: true,
    },
    respondents: 3,
    hiddenCount: 1,
    questions: [
      { id: 'join', label: '您是否打算参加？', type: 'single', answered: 3, options: [{ label: '一定参加', count: 2, percent: 66.7 }, { label: '可能参加', count: 1, percent: 33.3 }, { label: '不参加', count: 0, percent: 0 }] },
      { id: 'advice', label: '其他意见建议', type: 'text', answered: 2, options: [] },
    ],
    items: [item(), item({ id: 'op_act-sports_u-x', realName: '张伟', phone: '138****1000', flagged: true, answers: [{ questionId: 'advice', label: '其他意见建议', text: '希望周末举办', choices: [] }] })],
    next: null,
    serverNow: NOW,
    ...over,
  };
}

describe('意见征集 (staff)', () => {
  test('shows loading, then the counts with percentages and the text answers, phones masked', async () => {
    const cloud = asRole();
    const held = cloud.hold('opinions.summary');
    const page = await load(PAGE, { transport: cloud, query });
    expect(page.text()).toContain('正在加载');
    expect(await held.payload).toEqual({ activityId: 'act-sports' });
    held.resolve(ok(summary()));
    await page.settle();
    const text = page.text();
    expect(text).toContain('运动会项目意见征集');
    expect(text).toContain('征集中');
    expect(text).toContain('统计（3 人参与，另有 1 条已隐藏，不计入）');
    expect(text).toContain('一定参加2 人 · 66.7%');
    expect(text).toContain('可能参加1 人 · 33.3%');
    expect(text).toContain('2 人填写，内容见下方');
    expect(text).toContain('王芳138****0002');
    expect(text).toContain('临平街道总工会');
    expect(text).toContain('建议增加家属亲子项目。');
    expect(text).toContain('待复核');
    expect(text).toContain('立即截止');
    expect(cloud.calls.map((c) => c.action).sort()).toEqual(['opinions.summary']);
  });

  test('shows an error with a retry', async () => {
    const cloud = asRole().drop('opinions.summary', 'NETWORK').on('opinions.summary', ok(summary()));
    const page = await load(PAGE, { transport: cloud, query });
    expect(page.text()).toContain('网络不稳定');
    await page.tap('重新加载');
    expect(page.text()).toContain('运动会项目意见征集');
  });

  test('turns a worker away', async () => {
    const page = await load(PAGE, { transport: asRole('worker').refuse('opinions.summary', 'FORBIDDEN'), query });
    expect(page.text()).toContain('仅限工会工作人员使用');
  });

  test('creates an open call where there is none yet', async () => {
    const cloud = asRole()
      .once('opinions.summary', ok(summary({ solicitation: null, questions: [], items: [], respondents: 0, hiddenCount: 0 })))
      .on('opinions.summary', ok(summary({ items: [], respondents: 0, hiddenCount: 0 })));
    let sent: unknown = null;
    cloud.on('opinions.save', (p) => {
      sent = p;
      return ok({ activityId: p.activityId, locked: false });
    });
    const page = await load(PAGE, { transport: cloud, query });
    expect(page.text()).toContain('这个活动还没有意见征集');
    await page.tap('创建意见征集');
    await page.tap('征集建议');
    await page.type('标题', '运动会意见建议');
    await page.type(page.comp.dom.querySelector('wx-textarea')!, '您对今年运动会有什么建议？');
    await page.tap(button(page, '保存'));
    expect(sent).toMatchObject({
      activityId: 'act-sports',
      mode: 'open',
      title: '运动会意见建议',
      intro: '您对今年运动会有什么建议？',
      questions: [],
      window: { start: NOW - (NOW % 60000), end: expect.any(Number) as number },
    });
    expect(wxLog().toasts).toContain('已保存');
    expect(page.text()).toContain('运动会项目意见征集');
  });

  test('writes a survey: questions, types, options one a line', async () => {
    const cloud = asRole().once('opinions.summary', ok(summary({ solicitation: null, questions: [], items: [] }))).on('opinions.summary', ok(summary()));
    let sent: { questions: unknown[] } | null = null;
    cloud.on('opinions.save', (p) => {
      sent = p;
      return ok({ activityId: p.activityId, locked: false });
    });
    const page = await load(PAGE, { transport: cloud, query });
    await page.tap('创建意见征集');
    await page.type('标题', '课程意见征集');
    await page.type('题目1', '您的摄影基础');
    const areas = () => page.comp.dom.querySelectorAll('wx-textarea');
    await page.type(areas()[1]!, '零基础\n会一些\n\n比较熟练');
    await page.tap('＋ 添加问题');
    await page.type('题目2', '最想学的内容');
    // The second question's 简答 (each question has its own type pills).
    const text = Array.from(page.comp.dom.querySelectorAll('*')).filter((x) => x.children.length === 0 && x.textContent === '简答');
    expect(text).toHaveLength(2);
    await page.tap(text[1]!);
    await page.tap(button(page, '保存'));
    expect(sent!.questions).toEqual([
      { id: 'q1', type: 'single', label: '您的摄影基础', required: true, options: ['零基础', '会一些', '比较熟练'] },
      { id: 'q2', type: 'text', label: '最想学的内容', required: false, options: [] },
    ]);
  });

  test('shows the server refusal of an edit where it belongs', async () => {
    const cloud = asRole().on('opinions.summary', ok(summary())).refuse('opinions.save', 'INVALID_PAYLOAD', '征集应在活动结束后 30 天内截止', 'payload.window.end');
    const page = await load(PAGE, { transport: cloud, query });
    await page.tap('编辑');
    expect(page.text()).toContain('已有职工作答：问题和开始时间不能再修改');
    await page.tap(button(page, '保存'));
    expect(page.text()).toContain('征集应在活动结束后 30 天内截止');
  });

  test('replies to an answer', async () => {
    const cloud = asRole().on('opinions.summary', ok(summary()));
    let sent: unknown = null;
    cloud.on('opinions.reply', (p) => {
      sent = p;
      return ok({ replied: true as const, at: NOW });
    });
    const page = await load(PAGE, { transport: cloud, query });
    wxLog().modalAnswers.push({ confirm: true, content: ' 感谢建议，我们会考虑。 ' });
    await page.tap(page.find('回复')!);
    expect(sent).toEqual({ opinionId: 'op_act-sports_u-wang', text: '感谢建议，我们会考虑。' });
    expect(page.text()).toContain('已回复：感谢建议，我们会考虑。');
    expect(page.text()).toContain('修改回复');
  });

  test('hides an abusive answer with a reason, then reads the counts again', async () => {
    const cloud = asRole()
      .once('opinions.summary', ok(summary()))
      .on('opinions.summary', ok(summary({ respondents: 2, hiddenCount: 2, items: [item({ hidden: true, hiddenReason: '人身攻击' })] })));
    let sent: unknown = null;
    cloud.on('opinions.hide', (p) => {
      sent = p;
      return ok({ hidden: p.hidden });
    });
    const page = await load(PAGE, { transport: cloud, query });
    wxLog().modalAnswers.push({ confirm: true, content: '人身攻击' });
    await page.tap(page.find('隐藏')!);
    await page.settle();
    expect(sent).toEqual({ opinionId: 'op_act-sports_u-wang', hidden: true, reason: '人身攻击' });
    expect(page.text()).toContain('统计（2 人参与，另有 2 条已隐藏，不计入）');
    expect(page.text()).toContain('隐藏理由：人身攻击');
    expect(page.text()).toContain('恢复显示');
  });

  test('pages through many answers', async () => {
    const first = Array.from({ length: 20 }, (_, i) => item({ id: `op-${i}`, realName: `职工${i}` }));
    const cloud = asRole().once('opinions.summary', ok(summary({ items: first, next: 'c20' })));
    cloud.once('opinions.summary', ok(summary({ items: [item({ id: 'op-20', realName: '职工20' })], next: null })));
    const page = await load(PAGE, { transport: cloud, query });
    expect(page.text()).toContain('上拉加载更多');
    await page.run('onReachBottom');
    expect(cloud.calls.filter((c) => c.action === 'opinions.summary').map((c) => c.payload)).toEqual([{ activityId: 'act-sports' }, { activityId: 'act-sports', cursor: 'c20' }]);
    expect(page.text()).toContain('职工20');
    expect(page.text()).toContain('没有更多了');
  });

  test('closes early, after asking', async () => {
    const cloud = asRole().on('opinions.summary', ok(summary()));
    let sent: { window: { start: number; end: number }; questions: unknown[] } | null = null;
    cloud.on('opinions.save', (p) => {
      sent = p;
      return ok({ activityId: p.activityId, locked: true });
    });
    const page = await load(PAGE, { transport: cloud, query });
    wxLog().modalAnswers.push({ confirm: true });
    await page.tap('立即截止');
    expect(sent!.window).toEqual({ start: NOW - 2 * DAY, end: NOW });
    expect(sent!.questions).toHaveLength(2);
    expect(wxLog().toasts).toContain('已截止');
  });
});
