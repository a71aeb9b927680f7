/**
 * The announcement editor on an existing announcement (`?id=`: announcements.get) and its images:
 * picked, re-encoded, uploaded to server-issued paths with progress, moved and removed.
 */
import type { StaffAnnouncementDetail } from '../../miniprogram/core/staff';
import { DAY, fromChina } from '../../miniprogram/core/time';
import type { Delivery, UploadRequest } from '../../miniprogram/services/transport';
import { FakeCloud, ok } from './fake-transport';
import { load, norm, type RenderedPage } from './load';
import { SAMPLE_PHOTO, tempCopy } from './media-files';
import { asRole, NOW, staffAnnouncement } from './staff-fixtures';
import { switches } from './staff-ui';
import { button, isDisabled, until } from './ui';
import { wxLog } from './wx-log';

beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(NOW));
afterEach(() => jest.restoreAllMocks());

const EDIT = 'packages/staff/announcement-edit';
const LIST = 'packages/staff/announcements';
const IMG = (n: number) => `cloud://local.env/announcements/ann-1/img${n}.jpg`;

function detail(over: Partial<StaffAnnouncementDetail> = {}): StaffAnnouncementDetail {
  return {
    id: 'ann-1',
    category: 'training',
    title: '余工学堂七月课程预告',
    body: '第一段：课程安排。\n第二段：报名方式。',
    images: [
      { fileID: IMG(1), url: 'http://127.0.0.1/img1.jpg' },
      { fileID: IMG(2), url: 'http://127.0.0.1/img2.jpg' },
    ],
    pinned: true,
    activityId: 'act-course',
    activityTitle: '余工学堂｜手机摄影入门',
    publishAt: NOW - 2 * DAY,
    withdrawn: false,
    reads: 12,
    state: 'published',
    ...over,
  };
}

const stored = (req: UploadRequest): Delivery => ({ delivered: true, status: 200, body: { fileID: `cloud://local.env/${req.cloudPath}` } });

/** Tickets t1, t2… under the given announcement id (a new one reserves `ann-new`). */
function imageCloud(cloud: FakeCloud): FakeCloud {
  let n = 0;
  return cloud
    .on('announcements.imageTicket', (p) => {
      n += 1;
      const id = p.announcementId ?? 'ann-new';
      return ok({ ticketId: `t${n}`, announcementId: id, cloudPath: `announcements/${id}/f${n}.${p.ext}`, expiresAt: NOW + 7200000, maxBytes: 5 * 1024 * 1024 });
    })
    .on('announcements.imageConfirm', (p) => ok({ fileID: p.fileID, url: `http://127.0.0.1/${p.ticketId}.jpg`, size: 1000 }));
}

// Page classes carry simulate's `main--` prefix.
const images = (page: RenderedPage): Element[] => Array.from(page.comp.dom.querySelectorAll('.main--image')).filter((el) => !el.className.includes('main--image--add'));
// The rendered <image> does not reflect src as an attribute: read what the page bound to it.
const imageSrcs = (page: RenderedPage): string[] => (page.comp.instance.data.images as Array<{ src: string }>).map((x) => x.src);
const tool = (page: RenderedPage, i: number, label: string): Element =>
  Array.from(images(page)[i]!.querySelectorAll('.main--image__tool')).find((el) => norm(el.textContent) === label)!;

describe('编辑公告', () => {
  test('loads the announcement in one call, and saves it under its id keeping its time', async () => {
    const cloud = asRole().on('announcements.save', ok({ id: 'ann-1' }));
    const held = cloud.hold('announcements.get');
    const page = await load(EDIT, { transport: cloud, query: { id: 'ann-1' } });
    expect(page.text()).toContain('正在加载');
    expect(await held.payload).toEqual({ id: 'ann-1' });
    held.resolve(ok({ announcement: detail() }));
    await page.settle();
    const text = page.text();
    expect(text).toContain('余工学堂七月课程预告');
    expect(text).toContain('第一段：课程安排。');
    expect(text).toContain('关联活动余工学堂｜手机摄影入门');
    expect(text).toContain('2/9');
    expect(text).toContain('保持原发布时间');
    expect(text).toContain('已于 6月8日 10:00 发布');
    expect(page.comp.dom.querySelector('.main--chip--on')?.textContent).toContain('培训公告');
    expect(imageSrcs(page)).toEqual(['http://127.0.0.1/img1.jpg', 'http://127.0.0.1/img2.jpg']);
    // A staff-only read is its own staff check: one call.
    expect(cloud.calls.map((c) => c.action).sort()).toEqual(['announcements.get']);

    await page.type('标题', '余工学堂七月课程预告（更新）');
    await page.tap(switches(page)[0]!);
    await page.tap(button(page, '保存修改'));
    expect(cloud.callsOf('announcements.save')).toEqual([
      {
        id: 'ann-1',
        category: 'training',
        title: '余工学堂七月课程预告（更新）',
        body: '第一段：课程安排。\n第二段：报名方式。',
        images: [IMG(1), IMG(2)],
        pinned: false,
        activityId: 'act-course',
        publishAt: NOW - 2 * DAY,
      },
    ]);
    expect(wxLog().toasts).toContain('已保存');
    expect(wxLog().navigations).toEqual([{ kind: 'navigateBack', url: '1' }]);
  });

  test('opens a scheduled announcement on its date and time, and can publish it now instead', async () => {
    const at = fromChina(2026, 6, 20, 8, 30);
    const cloud = asRole().on('announcements.get', ok({ announcement: detail({ state: 'scheduled', publishAt: at, images: [] }) })).on('announcements.save', ok({ id: 'ann-1' }));
    const page = await load(EDIT, { transport: cloud, query: { id: 'ann-1' } });
    expect(page.text()).toContain('将于 6月20日 08:30（北京时间）发布');
    expect(page.text()).toContain('0/9');
    await page.tap('立即发布');
    await page.tap(button(page, '保存修改'));
    expect(cloud.callsOf('announcements.save')[0]).toMatchObject({ id: 'ann-1', publishAt: NOW, images: [] });
  });

  test('shows a withdrawn announcement as withdrawn, with nothing to save', async () => {
    const cloud = asRole().on('announcements.get', ok({ announcement: detail({ withdrawn: true, state: 'withdrawn' }) }));
    const page = await load(EDIT, { transport: cloud, query: { id: 'ann-1' } });
    expect(page.text()).toContain('已撤回');
    expect(page.text()).toContain('不能再修改');
    expect(page.find('保存修改')).toBeNull();
    expect(cloud.callsOf('announcements.save')).toEqual([]);
  });

  test('shows an error with a retry when the announcement does not arrive', async () => {
    const cloud = asRole().drop('announcements.get', 'NETWORK').on('announcements.get', ok({ announcement: detail() }));
    const page = await load(EDIT, { transport: cloud, query: { id: 'ann-1' } });
    expect(page.text()).toContain('网络不稳定');
    await page.tap('重新加载');
    expect(page.text()).toContain('余工学堂七月课程预告');
  });

  test('refuses the page to a worker', async () => {
    const cloud = asRole('worker').refuse('announcements.get', 'FORBIDDEN');
    const page = await load(EDIT, { transport: cloud, query: { id: 'ann-1' } });
    expect(page.text()).toContain('仅限工会工作人员使用');
    expect(page.text()).not.toContain('余工学堂七月课程预告');
  });

  test('is opened from the list with the announcement id', async () => {
    const page = await load(LIST, { transport: asRole().on('announcements.list', ok({ items: [staffAnnouncement()], next: null })) });
    await page.tap('编辑');
    expect(wxLog().navigations).toEqual([{ kind: 'navigateTo', url: '/packages/staff/announcement-edit/index?id=ann-1' }]);
  });
});

describe('公告图片', () => {
  test('uploads a picked photo with its progress, re-encoded first, and saves it after the kept ones', async () => {
    let release: () => void = () => undefined;
    const uploaded: string[] = [];
    const cloud = imageCloud(asRole().on('announcements.get', ok({ announcement: detail() })).on('announcements.save', ok({ id: 'ann-1' }))).onUpload((req) => {
      uploaded.push(req.cloudPath);
      req.onProgress({ progress: 40, sent: 400, total: 1000 });
      return new Promise((r) => (release = () => r(stored(req))));
    });
    const page = await load(EDIT, { transport: cloud, query: { id: 'ann-1' } });
    await page.tap('添加图片');
    await until(page, () => page.text().includes('上传中 40%'));
    expect(wxLog().apiCalls.find((c) => c.name === 'chooseMedia')?.options).toMatchObject({ count: 7, mediaType: ['image'], sizeType: ['compressed'] });
    expect(wxLog().apiCalls.find((c) => c.name === 'compressImage')?.options).toMatchObject({ quality: 80 });
    expect(cloud.callsOf('announcements.imageTicket')[0]).toMatchObject({ announcementId: 'ann-1', ext: 'jpg' });
    // Saving waits for the upload.
    expect(isDisabled(button(page, '图片上传中…'))).toBe(true);
    release();
    await until(page, () => !page.text().includes('上传中'));
    expect(uploaded).toEqual(['announcements/ann-1/f1.jpg']);
    expect(cloud.callsOf('announcements.imageConfirm')).toEqual([{ ticketId: 't1', fileID: 'cloud://local.env/announcements/ann-1/f1.jpg' }]);
    expect(imageSrcs(page)[2]).toBe('http://127.0.0.1/t1.jpg');
    expect(page.text()).toContain('3/9');
    await page.tap(button(page, '保存修改'));
    expect(cloud.callsOf('announcements.save')[0]?.images).toEqual([IMG(1), IMG(2), 'cloud://local.env/announcements/ann-1/f1.jpg']);
  });

  test('moves and removes images, and saves them in the order shown', async () => {
    const cloud = asRole().on('announcements.get', ok({ announcement: detail({ images: [1, 2, 3].map((n) => ({ fileID: IMG(n), url: `http://127.0.0.1/img${n}.jpg` })) }) })).on('announcements.save', ok({ id: 'ann-1' }));
    const page = await load(EDIT, { transport: cloud, query: { id: 'ann-1' } });
    await page.tap(tool(page, 2, '‹'));
    expect(imageSrcs(page)).toEqual(['http://127.0.0.1/img1.jpg', 'http://127.0.0.1/img3.jpg', 'http://127.0.0.1/img2.jpg']);
    await page.tap(tool(page, 0, '×'));
    expect(imageSrcs(page)).toEqual(['http://127.0.0.1/img3.jpg', 'http://127.0.0.1/img2.jpg']);
    // The first cannot move earlier.
    await page.tap(tool(page, 0, '‹'));
    expect(imageSrcs(page)).toEqual(['http://127.0.0.1/img3.jpg', 'http://127.0.0.1/img2.jpg']);
    await page.tap(button(page, '保存修改'));
    expect(cloud.callsOf('announcements.save')[0]?.images).toEqual([IMG(3), IMG(2)]);
  });

  test('a new announcement gets its id from the first ticket, and every image goes under it', async () => {
    const two = [tempCopy(SAMPLE_PHOTO), tempCopy(SAMPLE_PHOTO)];
    const cloud = imageCloud(asRole()).on('announcements.save', ok({ id: 'ann-new' })).onUpload(async (req) => stored(req));
    const page = await load(EDIT, { transport: cloud });
    wxLog().stubs.chooseMedia = () => ({ tempFiles: two.map((p) => ({ tempFilePath: p, size: 1000, fileType: 'image', duration: 0, thumbTempFilePath: '' })) });
    await page.tap('添加图片');
    await until(page, () => cloud.callsOf('announcements.imageConfirm').length === 2 && !page.text().includes('上传中'));
    // Two uploads at once, yet one reservation: the second ticket waited for the first's id.
    expect(cloud.callsOf('announcements.imageTicket').map((t) => t.announcementId)).toEqual([undefined, 'ann-new']);
    await page.tap('通知');
    await page.type('标题', '职工书画展开幕');
    await page.type('正文', '欢迎参观。');
    await page.tap(button(page, '发布'));
    expect(cloud.callsOf('announcements.save')[0]).toMatchObject({
      id: 'ann-new',
      images: ['cloud://local.env/announcements/ann-new/f1.jpg', 'cloud://local.env/announcements/ann-new/f2.jpg'],
    });
  });

  test('shows why the server refused an image, and will not save until it is removed', async () => {
    const cloud = imageCloud(asRole().on('announcements.get', ok({ announcement: detail({ images: [] }) })))
      .refuse('announcements.imageConfirm', 'FILE_REJECTED', '图片含有位置信息（GPS），请重新选择，小程序会自动去除')
      .on('announcements.save', ok({ id: 'ann-1' }))
      .onUpload(async (req) => stored(req));
    const page = await load(EDIT, { transport: cloud, query: { id: 'ann-1' } });
    await page.tap('添加图片');
    await until(page, () => page.text().includes('位置信息'));
    // A file the server refused needs another file, not a retry.
    expect(images(page)[0]!.querySelector('.main--image__retry')).toBeNull();
    await page.tap(button(page, '保存修改'));
    expect(page.text()).toContain('有图片上传失败，请重试或删除');
    expect(cloud.callsOf('announcements.save')).toEqual([]);
    await page.tap(tool(page, 0, '×'));
    await page.tap(button(page, '保存修改'));
    expect(cloud.callsOf('announcements.save')[0]?.images).toEqual([]);
  });

  test('refuses a photo over the size limit before uploading anything', async () => {
    const cloud = imageCloud(asRole().on('announcements.get', ok({ announcement: detail({ images: [] }) })));
    const page = await load(EDIT, { transport: cloud, query: { id: 'ann-1' } });
    wxLog().stubs.getFileInfo = () => ({ size: 6 * 1024 * 1024 });
    await page.tap('添加图片');
    await until(page, () => page.text().includes('不能超过'));
    expect(page.text()).toContain('图片太大（6MB），不能超过 5MB');
    expect(cloud.callsOf('announcements.imageTicket')).toEqual([]);
    expect(images(page)).toHaveLength(0);
  });
});
