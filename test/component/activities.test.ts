import { FakeCloud, ok } from './fake-transport';
import { card, cards, NOW } from './fixtures';
import { load } from './load';

beforeEach(() => {
  // Cards are worded against the phone's clock (a list carries no server time).
  jest.spyOn(Date, 'now').mockReturnValue(NOW);
});
afterEach(() => jest.restoreAllMocks());

const page1 = () => ok({ items: cards(20), next: 'c20', serverNow: NOW });

describe('活动', () => {
  test('shows a loading state, then the first twenty activities', async () => {
    const cloud = new FakeCloud();
    const held = cloud.hold('activities.list');
    const page = await load('pages/activities', { transport: cloud });
    expect(page.text()).toContain('正在加载');

    held.resolve(page1());
    await page.settle();
    expect(page.text()).toContain('活动 1 号');
    expect(page.text()).toContain('活动 20 号');
    expect(page.text()).toContain('上拉加载更多');
    expect(cloud.callsOf('activities.list')).toEqual([{}]);
  });

  test('shows time, place, seats left and the next step on every card', async () => {
    const items = [
      card({ id: 'a', title: '职工篮球赛', kind: 'sports', next: 'register', left: 3 }),
      card({ id: 'b', title: '书法培训', kind: 'training', next: 'waitlist', left: 0 }),
      card({ id: 'c', title: '文化交流座谈', kind: 'exchange', next: 'registered' }),
      card({ id: 'd', title: '职工征文比赛', kind: 'competition', next: 'submit', capacity: 0, left: null }),
      card({ id: 'e', title: '职工摄影比赛', kind: 'competition', next: 'results' }),
      card({ id: 'f', title: '文体用品进企业', kind: 'outreach', next: 'view' }),
    ];
    const page = await load('pages/activities', { transport: new FakeCloud().on('activities.list', ok({ items, next: null, serverNow: NOW })) });
    const text = page.text();
    expect(text).toContain('运动会职工篮球赛时间：6月20日 14:00–16:00 地点：区工人文化宫 三楼报告厅剩余 3 个名额报名');
    expect(text).toContain('余工学堂书法培训');
    expect(text).toContain('名额已满候补');
    expect(text).toContain('已报名');
    expect(text).toContain('不限名额提交作品');
    expect(text).toContain('查看结果');
    expect(text).toContain('进企业文体用品进企业');
    expect(text).toContain('没有更多了');
  });

  test('loads the next page at the bottom, sending only the new cards', async () => {
    const cloud = new FakeCloud()
      .once('activities.list', page1())
      .once('activities.list', ok({ items: cards(5, 21), next: null, serverNow: NOW }));
    const page = await load('pages/activities', { transport: cloud });
    await page.run('onReachBottom');

    expect(cloud.callsOf('activities.list')).toEqual([{}, { cursor: 'c20' }]);
    expect(page.text()).toContain('活动 25 号');
    expect(page.text()).toContain('没有更多了');
    const appended = page.setDataLog.at(-1);
    expect(appended?.keys).toEqual(['more', 'list[20]', 'list[21]', 'list[22]', 'list[23]', 'list[24]']);
  });

  test('asks for nothing more at the end of the list', async () => {
    const cloud = new FakeCloud().on('activities.list', ok({ items: cards(3), next: null, serverNow: NOW }));
    const page = await load('pages/activities', { transport: cloud });
    await page.run('onReachBottom');
    expect(cloud.callsOf('activities.list')).toHaveLength(1);
  });

  test('offers a retry when the next page fails, and keeps the cards already shown', async () => {
    const cloud = new FakeCloud()
      .once('activities.list', page1())
      .drop('activities.list', 'NETWORK')
      .once('activities.list', ok({ items: cards(2, 21), next: null, serverNow: NOW }));
    const page = await load('pages/activities', { transport: cloud });
    await page.run('onReachBottom');
    expect(page.text()).toContain('活动 20 号');
    expect(page.text()).toContain('加载失败，点此重试');

    await page.tap('加载失败，点此重试');
    expect(page.text()).toContain('活动 22 号');
    expect(cloud.callsOf('activities.list')).toEqual([{}, { cursor: 'c20' }, { cursor: 'c20' }]);
  });

  test('filters by kind and by status', async () => {
    const cloud = new FakeCloud().on('activities.list', ok({ items: cards(2), next: null, serverNow: NOW }));
    const page = await load('pages/activities', { transport: cloud });
    await page.tap('运动会');
    await page.tap('已结束');
    await page.tap('全部');
    expect(cloud.callsOf('activities.list')).toEqual([
      {},
      { kind: 'sports' },
      { kind: 'sports', status: 'closed' },
      { status: 'closed' },
    ]);
  });

  test('searches by title', async () => {
    const cloud = new FakeCloud().on('activities.list', ok({ items: [card({ title: '职工摄影比赛' })], next: null, serverNow: NOW }));
    const page = await load('pages/activities', { transport: cloud });
    const search = page.comp.dom.querySelector('wx-input');
    if (!search) throw new Error('no search field');
    await page.type(search, ' 摄影 ');
    await page.fire(search, 'confirm', { value: ' 摄影 ' });
    expect(cloud.callsOf('activities.list')).toEqual([{}, { q: '摄影' }]);
    expect(page.text()).toContain('职工摄影比赛');
  });

  test('says when nothing matches, and clears the filters', async () => {
    const cloud = new FakeCloud()
      .once('activities.list', page1())
      .once('activities.list', ok({ items: [], next: null, serverNow: NOW }))
      .once('activities.list', page1());
    const page = await load('pages/activities', { transport: cloud });
    await page.tap('往届');
    expect(page.text()).toContain('没有找到符合条件的活动');

    await page.tap('清除筛选');
    expect(cloud.callsOf('activities.list')).toEqual([{}, { status: 'archived' }, {}]);
    expect(page.text()).toContain('活动 1 号');
  });

  test('says so when there are no activities at all', async () => {
    const page = await load('pages/activities', {
      transport: new FakeCloud().on('activities.list', ok({ items: [], next: null, serverNow: NOW })),
    });
    expect(page.text()).toContain('暂无活动，请稍后再来看看');
    expect(page.text()).not.toContain('清除筛选');
  });

  test('offers to try again when the catalogue cannot load', async () => {
    const cloud = new FakeCloud().drop('activities.list', 'TIMEOUT').on('activities.list', page1());
    const page = await load('pages/activities', { transport: cloud });
    expect(page.text()).toContain('请求超时，请稍后重试');
    await page.tap('重新加载');
    expect(page.text()).toContain('活动 1 号');
  });

  test('shows the answer to the latest filter, not a slower earlier one', async () => {
    const cloud = new FakeCloud();
    const first = cloud.hold('activities.list');
    cloud.on('activities.list', ok({ items: [card({ id: 'sp', title: '趣味运动会' })], next: null, serverNow: NOW }));
    const page = await load('pages/activities', { transport: cloud });
    await page.tap('运动会');
    first.resolve(ok({ items: [card({ id: 'old', title: '过期的答复' })], next: null, serverNow: NOW }));
    await page.settle();
    expect(page.text()).toContain('趣味运动会');
    expect(page.text()).not.toContain('过期的答复');
  });

  test('reloads from the first page on pull-down', async () => {
    const cloud = new FakeCloud()
      .once('activities.list', page1())
      .once('activities.list', ok({ items: cards(1, 99), next: null, serverNow: NOW }));
    const page = await load('pages/activities', { transport: cloud });
    await page.run('onPullDownRefresh');
    expect(cloud.callsOf('activities.list')).toEqual([{}, {}]);
    expect(page.text()).toContain('活动 99 号');
    expect(page.text()).not.toContain('活动 20 号');
  });
});
