/**
 * The judge's pages with a fake cloud: the panels and the way onto one, the queue, and scoring an
 * entry with one hand (what is typed is checked before anything is sent).
 */
import { FakeCloud, ok } from './fake-transport';
import { ESSAY, NOW, blindEntry, panel, queue, queueItem, SPRING } from './judging-fixtures';
import { load, type RenderedPage } from './load';
import { wxLog } from './wx-log';

const scoreInputs = (page: RenderedPage): Element[] => Array.from(page.comp.dom.querySelectorAll('.main--criterion wx-input'));
const scoreValues = (page: RenderedPage): string[] => scoreInputs(page).map((i) => i.textContent ?? '');

async function typeScore(page: RenderedPage, index: number, value: string): Promise<void> {
  const input = scoreInputs(page)[index];
  if (!input) throw new Error(`no score input ${index}`);
  await page.type(input, value);
}

const openScore = (cloud: FakeCloud, scoreId = queueItem(2).scoreId) =>
  load('packages/judge/score', { transport: cloud, query: { scoreId, ...SPRING } });

beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(NOW));
afterEach(() => jest.restoreAllMocks());

describe('评委评审: my panels', () => {
  test('shows a loading state, then my panels with their progress and deadline', async () => {
    const cloud = new FakeCloud();
    const held = cloud.hold('judging.panels');
    const page = await load('packages/judge/index', { transport: cloud });
    expect(page.text()).toContain('正在加载');

    held.resolve(ok({ panels: [panel(), panel({ trackId: 'photo', trackName: '职工摄影', kind: 'photo', assigned: 4, finals: 4 })] }));
    await page.settle();
    const text = page.text();
    expect(text).toContain('“中国梦·劳动美”职工征文比赛');
    expect(text).toContain('征文 · 职工征文');
    expect(text).toContain('已提交 3 / 12 件');
    expect(text).toContain('评审截止 6月20日 24:00');
    expect(text).toContain('摄影 · 职工摄影');
    expect(text).toContain('已提交 4 / 4 件');
    expect(cloud.calls.map((c) => c.action)).toEqual(['judging.panels']);
  });

  test('opens the queue of a panel', async () => {
    const page = await load('packages/judge/index', { transport: new FakeCloud().on('judging.panels', ok({ panels: [panel()] })) });
    await page.tap('征文 · 职工征文');
    expect(wxLog().navigations).toEqual([
      {
        kind: 'navigateTo',
        url: `/packages/judge/queue/index?activityId=act-essay&trackId=essay&title=${encodeURIComponent('“中国梦·劳动美”职工征文比赛·职工征文')}`,
      },
    ]);
  });

  test('explains how judges are invited when I sit on no panel', async () => {
    const page = await load('packages/judge/index', { transport: new FakeCloud().on('judging.panels', ok({ panels: [] })) });
    expect(page.text()).toContain('您还没有加入任何评审');
    expect(page.text()).toContain('评委由区工人文化宫工作人员邀请');
    expect(page.text()).toContain('输入邀请码');
  });

  test('offers to try again when the panels cannot load', async () => {
    const cloud = new FakeCloud().drop('judging.panels').on('judging.panels', ok({ panels: [panel()] }));
    const page = await load('packages/judge/index', { transport: cloud });
    expect(page.text()).toContain('网络不稳定');
    await page.tap('重新加载');
    expect(page.text()).toContain('已提交 3 / 12 件');
  });

  test('sends someone who has not consented to the profile first', async () => {
    const cloud = new FakeCloud().refuse('judging.panels', 'CONSENT_REQUIRED');
    const page = await load('packages/judge/index', { transport: cloud });
    expect(page.text()).toContain('请先完善个人资料');
    await page.tap('去完善资料');
    expect(wxLog().navigations).toEqual([{ kind: 'switchTab', url: '/pages/me/index' }]);
  });

  test('joins a panel with a code from a scanned QR', async () => {
    const cloud = new FakeCloud()
      .on('judging.join', ok({ panel: panel({ finals: 0 }) }))
      .on('judging.panels', ok({ panels: [panel({ finals: 0 })] }));
    const page = await load('packages/judge/index', { transport: cloud, query: { scene: 'j%3DKXH7M2PQ' } });
    expect(cloud.callsOf('judging.join')).toEqual([{ code: 'KXH7M2PQ' }]);
    expect(cloud.calls.map((c) => c.action)).toEqual(['judging.join', 'judging.panels']);
    expect(wxLog().toasts).toEqual(['已加入评审']);
    expect(page.text()).toContain('已提交 0 / 12 件');
  });

  test('says why a scanned invitation cannot be used, and keeps the code', async () => {
    const cloud = new FakeCloud()
      .refuse('judging.join', 'ALREADY_EXISTS', '邀请码已被使用，请向工作人员索取新的邀请码')
      .on('judging.panels', ok({ panels: [] }));
    const page = await load('packages/judge/index', { transport: cloud, query: { scene: 'j%3DKXH7M2PQ' } });
    expect(page.text()).toContain('邀请码已被使用，请向工作人员索取新的邀请码');
    expect(page.comp.dom.querySelector('wx-input')?.textContent).toBe('KXH7M2PQ');
  });

  test('asks for the profile before a scanned invitation can seat the judge', async () => {
    const cloud = new FakeCloud().refuse('judging.join', 'PROFILE_REQUIRED', '请先完善个人资料（姓名、单位），以便自动回避本单位作品');
    const page = await load('packages/judge/index', { transport: cloud, query: { scene: 'j%3DKXH7M2PQ' } });
    expect(page.text()).toContain('请先完善个人资料（姓名、单位），以便自动回避本单位作品');
    expect(page.text()).toContain('KXH7M2PQ');
    expect(cloud.calls.map((c) => c.action)).toEqual(['judging.join']);
  });

  test('joins with a typed code, checking it before sending', async () => {
    const cloud = new FakeCloud()
      .on('judging.panels', ok({ panels: [] }))
      .on('judging.join', ok({ panel: panel({ finals: 0, assigned: 0 }) }));
    const page = await load('packages/judge/index', { transport: cloud });
    await page.type('邀请码', 'kxh7');
    await page.tap('加入评审');
    expect(page.text()).toContain('邀请码为 8 位字母或数字');
    expect(cloud.callsOf('judging.join')).toEqual([]);

    await page.type('邀请码', 'kxh7m2pq');
    await page.tap('加入评审');
    expect(cloud.callsOf('judging.join')).toEqual([{ code: 'KXH7M2PQ' }]);
    expect(page.text()).toContain('尚未分配作品');
    expect(page.text()).not.toContain('您还没有加入任何评审');
  });
});

describe('评委评审: the queue', () => {
  const items = [
    queueItem(1, { state: 'final', total: '86.50' }),
    queueItem(2, { state: 'draft', total: '72.00' }),
    queueItem(3, { state: 'draft', total: '80.00', returnedReason: '评语与分数不一致，请复核' }),
    queueItem(4),
  ];

  test('shows loading, then every entry with its state, my total and the progress', async () => {
    const cloud = new FakeCloud();
    const held = cloud.hold('judging.queue');
    const page = await load('packages/judge/queue', { transport: cloud, query: { ...SPRING, title: '征文比赛·职工征文' } });
    expect(page.text()).toContain('正在加载');
    expect(await held.payload).toEqual(SPRING);
    held.resolve(ok(queue(items)));
    await page.settle();
    const text = page.text();
    expect(text).toContain('征文比赛·职工征文');
    expect(text).toContain('已提交 1 / 4 件');
    expect(text).toContain('ZW-2026-000186.50 分已提交');
    expect(text).toContain('ZW-2026-000272.00 分草稿');
    expect(text).toContain('ZW-2026-000380.00 分已退回退回原因：评语与分数不一致，请复核');
    expect(text).toContain('ZW-2026-0004待评');
    expect(text).toContain('继续评审');
  });

  test('opens an entry, and the next one still to score from the bottom bar', async () => {
    const page = await load('packages/judge/queue', { transport: new FakeCloud().on('judging.queue', ok(queue(items))), query: SPRING });
    await page.tap('ZW-2026-0004');
    await page.tap('继续评审');
    expect(wxLog().navigations.map((n) => n.url)).toEqual([
      `/packages/judge/score/index?scoreId=${items[3]!.scoreId}&activityId=act-essay&trackId=essay`,
      `/packages/judge/score/index?scoreId=${items[1]!.scoreId}&activityId=act-essay&trackId=essay`,
    ]);
  });

  test('thanks the judge when everything is submitted', async () => {
    const done = [queueItem(1, { state: 'final', total: '86.50' }), queueItem(2, { state: 'final', total: '70.00' })];
    const page = await load('packages/judge/queue', { transport: new FakeCloud().on('judging.queue', ok(queue(done))), query: SPRING });
    expect(page.text()).toContain('已全部提交（2 件），感谢您的辛勤评审');
    expect(page.text()).not.toContain('继续评审');
  });

  test('says when nothing is assigned yet', async () => {
    const page = await load('packages/judge/queue', { transport: new FakeCloud().on('judging.queue', ok(queue([]))), query: SPRING });
    expect(page.text()).toContain('暂未给您分配作品');
  });

  test("shows the server's refusal to someone not on the panel, without a retry", async () => {
    const cloud = new FakeCloud().refuse('judging.queue', 'FORBIDDEN', '您不在该赛道的评委名单中');
    const page = await load('packages/judge/queue', { transport: cloud, query: SPRING });
    expect(page.text()).toContain('您不在该赛道的评委名单中');
    expect(page.text()).not.toContain('重新加载');
  });

  test('refreshes when the judge comes back from scoring', async () => {
    const cloud = new FakeCloud().once('judging.queue', ok(queue(items))).on('judging.queue', ok(queue(items.map((i) => ({ ...i, state: 'final' as const, total: '90.00', returnedReason: '' })))));
    const page = await load('packages/judge/queue', { transport: cloud, query: SPRING });
    await page.run('onShow');
    expect(page.text()).toContain('已全部提交（4 件）');
  });
});

describe('评委评审: scoring an entry', () => {
  test('shows a loading state, then the anonymised essay and the rubric', async () => {
    const cloud = new FakeCloud();
    const held = cloud.hold('judging.entry');
    const page = await openScore(cloud);
    expect(page.text()).toContain('正在加载');
    expect(await held.payload).toEqual({ scoreId: queueItem(2).scoreId });
    held.resolve(ok(blindEntry()));
    await page.settle();
    const text = page.text();
    expect(text).toContain('ZW-2026-0002');
    expect(text).toContain('第 2 / 3 件');
    expect(text).toContain('焊花里的春天');
    expect(text).toContain('春天的清晨，车间里机器的轰鸣声唤醒了沉睡的城市。');
    expect(text).toContain('匿名评审');
    expect(text).toContain('思想内容权重 50 · 满分 10');
    expect(text).toContain('还有 3 项未打分');
    // Each paragraph on its own line, indented as Chinese prose is set.
    expect(page.comp.dom.querySelector('.main--essay__block')?.textContent).toBe(
      ESSAY.split('\n')
        .filter((p) => p.trim())
        .map((p) => `\u3000\u3000${p}`)
        .join('\n'),
    );
    expect(cloud.calls).toHaveLength(1);
  });

  test('offers to try again when the entry cannot load', async () => {
    const cloud = new FakeCloud().drop('judging.entry', 'TIMEOUT').on('judging.entry', ok(blindEntry()));
    const page = await openScore(cloud);
    expect(page.text()).toContain('请求超时');
    await page.tap('重新加载');
    expect(page.text()).toContain('焊花里的春天');
  });

  test("says an entry that is not the judge's is not there, without a retry", async () => {
    const page = await openScore(new FakeCloud().refuse('judging.entry', 'NOT_FOUND', '没有找到这项评审任务'));
    expect(page.text()).toContain('没有找到这项评审任务');
    await page.tap('返回');
    expect(wxLog().navigations).toEqual([{ kind: 'navigateBack', url: '1' }]);
  });

  test('enlarges the essay text and remembers the choice', async () => {
    const page = await openScore(new FakeCloud().on('judging.entry', ok(blindEntry())));
    expect(page.comp.dom.querySelector('.main--essay')?.className).toContain('main--essay--1');
    await page.tap('特大');
    expect(page.comp.dom.querySelector('.main--essay')?.className).toContain('main--essay--2');
    expect(wxLog().storage.get('wcp.judge.fontSize')).toBe(2);
  });

  test('opens a photo full screen with the others to swipe through', async () => {
    const preview = jest.spyOn(wx, 'previewImage').mockImplementation(() => undefined as never);
    const photos = [
      { url: 'http://127.0.0.1:3720/storage/tmp/a.jpg', caption: '清晨的塔吊' },
      { url: 'http://127.0.0.1:3720/storage/tmp/b.jpg', caption: '' },
    ];
    const page = await openScore(new FakeCloud().on('judging.entry', ok(blindEntry({ kind: 'photo', text: '', photos }))));
    expect(page.text()).toContain('清晨的塔吊');
    const second = page.comp.dom.querySelectorAll('.main--photo__img')[1];
    if (second) await page.tap(second);
    expect(preview).toHaveBeenCalledWith({ current: photos[1]!.url, urls: photos.map((p) => p.url) });
    preview.mockRestore();
  });

  test('plays a video entry with its cover', async () => {
    const video = { url: 'http://127.0.0.1:3720/storage/tmp/v.mp4', cover: 'http://127.0.0.1:3720/storage/tmp/c.jpg', seconds: 185, description: '一位公交司机的一天' };
    const page = await openScore(new FakeCloud().on('judging.entry', ok(blindEntry({ kind: 'video', text: '', video }))));
    const player = page.comp.dom.querySelector('wx-video');
    expect(player).not.toBeNull();
    expect(page.text()).toContain('时长 3 分 5 秒');
    expect(page.text()).toContain('一位公交司机的一天');
  });

  test('shows the live total as criteria are scored', async () => {
    const page = await openScore(new FakeCloud().on('judging.entry', ok(blindEntry())));
    await typeScore(page, 0, '8.5');
    expect(page.text()).toContain('还有 2 项未打分');
    await typeScore(page, 1, '7');
    expect(page.text()).toContain('还有 1 项未打分');
    await typeScore(page, 2, '9');
    // 100 × (50·8.5 + 30·7 + 20·9) / (100·10)
    expect(page.text()).toContain('合计81.50 分');

    await page.tap(page.comp.dom.querySelectorAll('.main--criterion')[2]!.querySelectorAll('wx-button')[1]!);
    expect(scoreValues(page)[2]).toBe('9.5');
    expect(page.text()).toContain('合计82.50 分');
  });

  test('refuses a score over the criterion\'s maximum without calling the cloud', async () => {
    const cloud = new FakeCloud().on('judging.entry', ok(blindEntry()));
    const page = await openScore(cloud);
    await typeScore(page, 0, '11');
    await typeScore(page, 1, '8.3');
    await typeScore(page, 2, '9');
    expect(page.text()).toContain('「思想内容」的分数应在 0 到 10 之间');
    expect(page.text()).toContain('「结构布局」的分数以 0.5 分为单位');
    expect(page.text()).toContain('请更正标红的分数');

    await page.tap('保存草稿');
    await page.tap('提交评分');
    expect(cloud.callsOf('judging.save')).toEqual([]);
    expect(cloud.callsOf('judging.submit')).toEqual([]);
    expect(wxLog().modals).toEqual([]);
    expect(wxLog().toasts[0]).toBe('「思想内容」的分数应在 0 到 10 之间');
  });

  test('saves a partial draft', async () => {
    const cloud = new FakeCloud().on('judging.entry', ok(blindEntry())).on('judging.save', ok({ total: null, savedAt: Date.now() }));
    const page = await openScore(cloud);
    await typeScore(page, 0, '8');
    await page.type(page.comp.dom.querySelector('wx-textarea')!, '立意新颖');
    await page.tap('保存草稿');
    expect(cloud.callsOf('judging.save')).toEqual([{ scoreId: queueItem(2).scoreId, scores: [{ criterionId: 'content', score: 8 }], comment: '立意新颖' }]);
    expect(wxLog().toasts).toEqual(['草稿已保存']);
  });

  test('asks for every criterion and the required comment before a final submit', async () => {
    const cloud = new FakeCloud().on('judging.entry', ok(blindEntry({ commentRequired: true })));
    const page = await openScore(cloud);
    expect(page.text()).toContain('评语（必填）');
    await typeScore(page, 0, '8');
    await typeScore(page, 1, '8');
    await page.tap('提交评分');
    expect(page.text()).toContain('请为「语言表达」打分');
    await typeScore(page, 2, '8');
    await page.tap('提交评分');
    expect(page.text()).toContain('本比赛要求填写评语');
    expect(cloud.calls.map((c) => c.action)).toEqual(['judging.entry']);
  });

  test('locks the score after final submit', async () => {
    const cloud = new FakeCloud()
      .on('judging.entry', ok(blindEntry({ scores: { content: 8.5, structure: 7 }, state: 'draft' })))
      .on('judging.save', ok({ total: '81.50', savedAt: Date.now() }))
      .on('judging.submit', ok({ total: '81.50' }));
    const page = await openScore(cloud);
    expect(scoreValues(page)).toEqual(['8.5', '7', '']);
    await typeScore(page, 2, '9');

    wxLog().modalAnswers.push({ confirm: false });
    await page.tap('提交评分');
    expect(wxLog().modals[0]).toEqual({ title: '提交评分', content: expect.stringContaining('提交后评分将锁定') as string });
    expect(cloud.callsOf('judging.submit')).toEqual([]);

    wxLog().modalAnswers.push({ confirm: true });
    await page.tap('提交评分');
    expect(cloud.calls.map((c) => c.action)).toEqual(['judging.entry', 'judging.save', 'judging.submit']);
    expect(cloud.callsOf('judging.save')[0]?.scores).toEqual([
      { criterionId: 'content', score: 8.5 },
      { criterionId: 'structure', score: 7 },
      { criterionId: 'language', score: 9 },
    ]);
    expect(page.text()).toContain('评分已提交并锁定');
    expect(page.text()).toContain('已提交81.50 分');
    expect(page.text()).not.toContain('保存草稿');
    expect(page.text()).not.toContain('提交评分');

    // Nothing on screen can change it now.
    expect(scoreInputs(page)).toHaveLength(0);
    expect(page.comp.dom.querySelectorAll('wx-textarea')).toHaveLength(0);
    expect(page.text()).toContain('思想内容权重 50 · 满分 108.5 分');
    expect(page.text()).toContain('语言表达权重 20 · 满分 109 分');
  });

  test('opens a submitted score locked', async () => {
    const page = await openScore(new FakeCloud().on('judging.entry', ok(blindEntry({ state: 'final', scores: { content: 9, structure: 9, language: 9 } }))));
    expect(page.text()).toContain('评分已提交并锁定');
    expect(page.text()).toContain('已提交90.00 分');
    expect(page.comp.dom.querySelectorAll('.main--criterion wx-button')).toHaveLength(0);
    expect(scoreInputs(page)).toHaveLength(0);
    expect(page.text()).toContain('结构布局权重 30 · 满分 109 分');
  });

  test("shows staff's reason on a returned score", async () => {
    const page = await openScore(new FakeCloud().on('judging.entry', ok(blindEntry({ state: 'draft', scores: { content: 9, structure: 9, language: 9 }, returnedReason: '评语与分数不一致' }))));
    expect(page.text()).toContain('工作人员退回了您的评分：评语与分数不一致。请修改后重新提交。');
    expect(page.text()).toContain('提交评分');
  });

  test('steps to the next entry, saving the draft first', async () => {
    const q = queue([queueItem(1), queueItem(2), queueItem(3)]);
    const cloud = new FakeCloud()
      .once('judging.entry', ok(blindEntry()))
      .once('judging.entry', ok(blindEntry({ scoreId: queueItem(3).scoreId, code: 'ZW-2026-0003', title: '夜班', index: 2 })))
      .on('judging.queue', ok(q))
      .on('judging.save', ok({ total: null, savedAt: Date.now() }));
    const page = await openScore(cloud);
    await typeScore(page, 0, '8');
    await page.tap('下一件 ›');
    expect(cloud.calls.map((c) => c.action)).toEqual(['judging.entry', 'judging.queue', 'judging.save', 'judging.entry']);
    expect(cloud.callsOf('judging.entry')[1]).toEqual({ scoreId: queueItem(3).scoreId });
    expect(page.text()).toContain('夜班');
    expect(page.text()).toContain('第 3 / 3 件');

    await page.tap('下一件 ›');
    expect(wxLog().toasts).toContain('已是最后一件');
  });

  test('asks before leaving an entry whose scores need correcting', async () => {
    const cloud = new FakeCloud().on('judging.entry', ok(blindEntry())).on('judging.queue', ok(queue([queueItem(1), queueItem(2), queueItem(3)])));
    const page = await openScore(cloud);
    await typeScore(page, 0, '12');
    wxLog().modalAnswers.push({ confirm: false });
    await page.tap('‹ 上一件');
    expect(wxLog().modals[0]?.title).toBe('分数有误');
    expect(cloud.callsOf('judging.entry')).toHaveLength(1);
    expect(cloud.callsOf('judging.save')).toEqual([]);
  });
});
