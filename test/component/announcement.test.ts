/** 通知公告: one announcement for workers, its paragraphs and images, from home and activity pages. */
import type { AnnouncementView } from '../../miniprogram/core/domain';
import { LIMITS } from '../../miniprogram/core/limits';
import { FakeCloud, ok } from './fake-transport';
import { announcement, homeView, NOW } from './fixtures';
import { load } from './load';
import { deviceCalls, restoreDevice, stubDevice } from './staff-wx';
import { wxLog } from './wx-log';

beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(NOW));
afterEach(() => {
  jest.restoreAllMocks();
  restoreDevice();
});

const PAGE = 'pages/announcement';

function view(over: Partial<AnnouncementView> = {}): AnnouncementView {
  return {
    ...announcement(),
    body: '各基层工会：\n\n为丰富职工文化生活，现举办比赛。\n<view bindtap="x">照原样显示</view>',
    reads: 41,
    images: ['http://127.0.0.1/a.jpg', 'http://127.0.0.1/b.jpg'],
    ...over,
  };
}

describe('通知公告', () => {
  test('shows a loading state, then the title, paragraphs and images from one call', async () => {
    const cloud = new FakeCloud();
    const held = cloud.hold('announcements.detail');
    const page = await load(PAGE, { transport: cloud, query: { id: 'ann-1' } });
    expect(page.text()).toContain('正在加载');
    expect(await held.payload).toEqual({ id: 'ann-1' });
    held.resolve(ok({ announcement: view() }));
    await page.settle();
    const text = page.text();
    expect(text).toContain(announcement().title);
    expect(text).toContain('阅读 41');
    expect(text).toContain('置顶');
    // Blank lines dropped; markup shown as the text it is.
    expect(page.comp.instance.data.paragraphs).toEqual(['各基层工会：', '为丰富职工文化生活，现举办比赛。', '<view bindtap="x">照原样显示</view>']);
    expect(text).toContain('<view bindtap="x">照原样显示</view>');
    expect(page.comp.dom.querySelectorAll('wx-image')).toHaveLength(2);
    expect(cloud.calls).toHaveLength(1);
    for (const r of page.setDataLog) expect(r.bytes).toBeLessThan(LIMITS.setDataBudgetBytes);
  });

  test('opens an image full screen among the others', async () => {
    const page = await load(PAGE, { transport: new FakeCloud().on('announcements.detail', ok({ announcement: view() })), query: { id: 'ann-1' } });
    stubDevice('previewImage', () => ({}));
    await page.tap(page.comp.dom.querySelectorAll('wx-image')[1]!);
    expect(deviceCalls.find((c) => c.name === 'previewImage')?.options).toMatchObject({ current: 'http://127.0.0.1/b.jpg', urls: ['http://127.0.0.1/a.jpg', 'http://127.0.0.1/b.jpg'] });
  });

  test('says a withdrawn announcement is gone, with no retry', async () => {
    const page = await load(PAGE, { transport: new FakeCloud().refuse('announcements.detail', 'NOT_FOUND', '公告不存在或已撤回'), query: { id: 'ann-1' } });
    expect(page.text()).toContain('这条公告已撤回或不存在');
    expect(page.find('重新加载')).toBeNull();
  });

  test('shows an error with a retry when the network fails', async () => {
    const cloud = new FakeCloud().drop('announcements.detail', 'NETWORK').on('announcements.detail', ok({ announcement: view({ images: [] }) }));
    const page = await load(PAGE, { transport: cloud, query: { id: 'ann-1' } });
    expect(page.text()).toContain('网络不稳定');
    await page.tap('重新加载');
    expect(page.text()).toContain(announcement().title);
    expect(page.comp.dom.querySelectorAll('wx-image')).toHaveLength(0);
  });

  test('is opened from the home page', async () => {
    const page = await load('pages/home', { transport: new FakeCloud().on('home.get', ok(homeView())) });
    await page.tap(announcement().title);
    expect(wxLog().navigations).toEqual([{ kind: 'navigateTo', url: '/pages/announcement/index?id=ann-1' }]);
  });
});
