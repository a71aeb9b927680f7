import { ok } from './fake-transport';
import { load } from './load';
import { asRole, moderationItem, NOW } from './staff-fixtures';
import { deviceCalls, restoreDevice, stubDevice } from './staff-wx';
import { wxLog } from './wx-log';

beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(NOW));
afterEach(() => {
  jest.restoreAllMocks();
  restoreDevice();
});

const PAGE = 'packages/staff/moderation';
const essay = '天还没亮，车间里的灯已经亮了。'.repeat(20);

const queue = () =>
  ok({
    items: [
      moderationItem(),
      moderationItem({ entryId: 'ent-photo-1', code: 'SY-2026-0003', kind: 'photo', trackName: '摄影', title: '劳动之美', text: '清晨的码头\n夜班的医生', media: ['http://127.0.0.1:3720/storage/tmp/a.jpg', 'http://127.0.0.1:3720/storage/tmp/b.jpg'] }),
      moderationItem({ entryId: 'ent-essay-1', code: 'ZW-2026-0011', kind: 'essay', trackName: '征文', title: '车间里的灯光', text: essay, media: [], moderation: 'rejected' }),
    ],
  });

describe('作品审核', () => {
  test('shows a loading state, then the entries waiting for review', async () => {
    const cloud = asRole();
    const held = cloud.hold('moderation.queue');
    const page = await load(PAGE, { transport: cloud });
    expect(page.text()).toContain('正在加载');
    held.resolve(queue());
    await page.settle();
    const text = page.text();
    expect(text).toContain('微视频待审核SP-2026-0007车间的一天2026年职工文化比赛 · 微视频提交于 6月10日 07:00');
    expect(text).toContain('▶ 播放视频');
    expect(text).toContain('简介：记录一线职工从清晨到傍晚的工作。');
    expect(text).toContain('摄影待审核SY-2026-0003劳动之美');
    expect(text).toContain('征文已驳回ZW-2026-0011车间里的灯光');
    expect(text).toContain('改为通过');
    // A long text is cut on the list; the whole of it opens on request.
    expect(text).toContain('阅读全文');
    expect(text).not.toContain(essay);
  });

  test('says so when nothing is waiting', async () => {
    const page = await load(PAGE, { transport: asRole().on('moderation.queue', ok({ items: [] })) });
    expect(page.text()).toContain('没有等待审核的作品');
  });

  test('shows an error with a retry when the queue does not arrive', async () => {
    const cloud = asRole().drop('moderation.queue', 'TIMEOUT').on('moderation.queue', queue());
    const page = await load(PAGE, { transport: cloud });
    expect(page.text()).toContain('请求超时');
    await page.tap('重新加载');
    expect(page.text()).toContain('车间的一天');
  });

  test('refuses the page to a worker', async () => {
    const page = await load(PAGE, { transport: asRole('worker').refuse('moderation.queue', 'FORBIDDEN') });
    expect(page.text()).toContain('仅限工会工作人员使用');
    expect(page.text()).not.toContain('车间的一天');
  });

  test('plays the video only when asked, and shows photos full screen', async () => {
    stubDevice('previewImage', () => ({}));
    const page = await load(PAGE, { transport: asRole().on('moderation.queue', queue()) });
    expect(page.comp.dom.querySelectorAll('wx-video')).toHaveLength(0);
    await page.tap('▶ 播放视频');
    const video = page.comp.dom.querySelectorAll('wx-video');
    expect(video).toHaveLength(1);
    const photos = page.comp.dom.querySelectorAll('wx-image[class*="photo"]');
    expect(photos).toHaveLength(2);
    await page.tap(photos[1]!);
    expect(deviceCalls).toEqual([
      { name: 'previewImage', options: { urls: ['http://127.0.0.1:3720/storage/tmp/a.jpg', 'http://127.0.0.1:3720/storage/tmp/b.jpg'], current: 'http://127.0.0.1:3720/storage/tmp/b.jpg' } },
    ]);
  });

  test('draws three thumbnails of a long photo entry, the rest a tap away', async () => {
    stubDevice('previewImage', () => ({}));
    const urls = Array.from({ length: 5 }, (_, i) => `http://127.0.0.1:3720/storage/tmp/${i}.jpg`);
    const cloud = asRole().on('moderation.queue', ok({ items: [moderationItem({ kind: 'photo', code: 'SY-2026-0009', media: urls })] }));
    const page = await load(PAGE, { transport: cloud });
    expect(page.comp.dom.querySelectorAll('wx-image[class*="photo"]')).toHaveLength(3);
    await page.tap('+2 张');
    expect(deviceCalls).toEqual([{ name: 'previewImage', options: { urls, current: urls[3] } }]);
  });

  test('opens the whole text to read', async () => {
    const page = await load(PAGE, { transport: asRole().on('moderation.queue', queue()) });
    await page.tap('阅读全文');
    expect(page.text()).toContain(`ZW-2026-0011 · 车间里的灯光关闭${essay}`);
  });

  test('approves an entry, which leaves the queue', async () => {
    const cloud = asRole().on('moderation.queue', queue()).on('moderation.decide', ok({ moderation: 'approved' as const }));
    const page = await load(PAGE, { transport: cloud });
    await page.tap('通过');
    expect(cloud.callsOf('moderation.decide')).toEqual([{ entryId: 'ent-video-1', approve: true, reason: '' }]);
    expect(page.text()).not.toContain('车间的一天');
    expect(wxLog().toasts).toContain('已通过');
  });

  test('asks for a reason the author will see before rejecting', async () => {
    const cloud = asRole().on('moderation.queue', queue()).on('moderation.decide', ok({ moderation: 'rejected' as const }));
    const page = await load(PAGE, { transport: cloud });
    wxLog().modalAnswers.push({ confirm: true, content: '' });
    await page.tap('不通过');
    expect(wxLog().modals[0]?.title).toBe('不通过：SP-2026-0007');
    expect(cloud.callsOf('moderation.decide')).toEqual([]);
    expect(wxLog().toasts).toContain('请填写不通过的理由（至少 2 个字），作者会看到');

    wxLog().modalAnswers.push({ confirm: true, content: '画面含有商业广告' });
    await page.tap('不通过');
    expect(cloud.callsOf('moderation.decide')).toEqual([{ entryId: 'ent-video-1', approve: false, reason: '画面含有商业广告' }]);
    expect(page.text()).toContain('微视频已驳回SP-2026-0007车间的一天');
  });

  test('looks again when the entry changed while staff were reviewing it', async () => {
    const cloud = asRole().on('moderation.queue', queue()).refuse('moderation.decide', 'CONFLICT', '作品刚刚被更新，请刷新后再审核');
    const page = await load(PAGE, { transport: cloud });
    await page.tap('通过');
    expect(wxLog().toasts).toContain('作品刚刚被更新，请刷新后再审核');
    expect(cloud.callsOf('moderation.queue')).toHaveLength(2);
  });
});
