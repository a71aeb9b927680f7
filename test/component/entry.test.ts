import type { EntryView } from '../../miniprogram/core/domain';
import { fromChina, MINUTE } from '../../miniprogram/core/time';
import type { Delivery, UploadRequest } from '../../miniprogram/services/transport';
import { FakeCloud, ok } from './fake-transport';
import { entryView, NOW, SUBMISSION, TRACKS } from './fixtures-mine';
import { load, norm, type RenderedPage } from './load';
import { SAMPLE_PHOTO, sampleVideo, tempCopy } from './media-files';
import { button, buttons, isDisabled, textarea, until } from './ui';
import { wxLog } from './wx-log';

const ESSAY_ID = 'ent_act-comp_essay_u-li';
const essay = (text: string, title = '我的岗位') => ({ kind: 'essay' as const, title, text });
const long = (n: number) => '劳动创造幸福。'.repeat(Math.ceil(n / 7)).slice(0, n);

const open = (cloud: FakeCloud, kind: 'essay' | 'photo' | 'video' = 'essay', storage?: Record<string, unknown>) =>
  load('pages/entry', { transport: cloud, query: { activityId: 'act-comp', trackId: kind }, storage });

/** Every element reading exactly `label` (the same link on several rows). */
const all = (page: RenderedPage, label: string): Element[] =>
  Array.from(page.comp.dom.querySelectorAll('*')).filter((el) => norm(el.textContent) === label && !Array.from(el.children).some((c) => norm(c.textContent) === label));

const stored = (req: UploadRequest): Delivery => ({ delivered: true, status: 200, body: { fileID: `cloud://local.env/${req.cloudPath}` } });

/** Tickets t1, t2…; confirm answers a preview URL; drafts are saved at NOW + 1 min. */
function entryCloud(view: EntryView): FakeCloud {
  let n = 0;
  return new FakeCloud()
    .on('entries.open', ok(view))
    .on('entries.saveDraft', ok({ draftSavedAt: NOW + MINUTE }))
    .on('uploads.ticket', (p) => {
      n += 1;
      return ok({ uploadId: `t${n}`, cloudPath: `entries/act-comp/${view.code}/f${n}.${p.ext}`, expiresAt: NOW + 7200000, maxBytes: p.size });
    })
    .on('uploads.confirm', (p) => ok({ uploadId: p.uploadId, size: 1000, url: `http://127.0.0.1/storage/${p.uploadId}` }));
}

beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(NOW));
afterEach(() => jest.restoreAllMocks());

describe('作品编辑：打开', () => {
  test('shows a loading state, then the editor from one call', async () => {
    const cloud = new FakeCloud();
    const held = cloud.hold('entries.open');
    const page = await open(cloud);
    expect(page.text()).toContain('正在加载');
    expect(await held.payload).toEqual({ activityId: 'act-comp', trackId: 'essay' });
    held.resolve(ok(entryView('essay', { draft: essay('车间里的春天', '') })));
    await page.settle();
    const text = page.text();
    expect(text).toContain('征文 · 职工征文');
    expect(text).toContain('作品编号 ZW-2026-0007');
    expect(text).toContain('评审时评委只看到作品编号，看不到作者');
    expect(text).toContain('要求：800–3,000 字');
    expect(text).toContain('草稿（未提交）');
    expect(text).toContain('作品提交进行中，截止于 6月30日 24:00');
    expect(text).toContain('6 / 3,000 字');
    expect(cloud.calls).toHaveLength(1);
  });

  test('opens an entry from 我的作品 by its id', async () => {
    const cloud = new FakeCloud().on('entries.get', ok(entryView('essay')));
    const page = await load('pages/entry', { transport: cloud, query: { entryId: ESSAY_ID } });
    expect(cloud.calls).toEqual([{ action: 'entries.get', payload: { entryId: ESSAY_ID } }]);
    expect(page.text()).toContain('ZW-2026-0007');
  });

  test("asks for the track's limits when the entry does not carry them", async () => {
    const d = (await import('./fixtures-mine')).openCompetition();
    const cloud = new FakeCloud().on('entries.open', ok(entryView('essay', {}, false))).on('activities.detail', ok(d));
    const page = await open(cloud);
    expect(cloud.calls.map((c) => c.action)).toEqual(['entries.open', 'activities.detail']);
    expect(page.text()).toContain('0 / 3,000 字');
  });

  test('leads to the activity when the worker has not registered for the track', async () => {
    const cloud = new FakeCloud().refuse('entries.open', 'FORBIDDEN', '请先报名参赛');
    const page = await open(cloud);
    expect(page.text()).toContain('请先报名参赛');
    await page.tap('查看活动');
    expect(wxLog().navigations).toEqual([{ kind: 'redirectTo', url: '/pages/activity/index?id=act-comp' }]);
  });

  test('offers to try again when the entry cannot load', async () => {
    const cloud = new FakeCloud().drop('entries.open').on('entries.open', ok(entryView('essay')));
    const page = await open(cloud);
    expect(page.text()).toContain('网络不稳定');
    await page.tap('重新加载');
    expect(page.text()).toContain('ZW-2026-0007');
  });
});

describe('作品编辑：征文', () => {
  test('counts characters like 字数 (whitespace excluded)', async () => {
    const page = await open(entryCloud(entryView('essay')));
    await page.type(textarea(page), '劳动 创造\n幸福　生活 \t！');
    expect(page.text()).toContain('9 / 3,000 字');
    expect(page.text()).toContain('至少 800 字，还差 791 字');

    await page.type(textarea(page), `${long(3000)} 多`);
    const count = page.find('3,001 / 3,000 字');
    expect(count?.getAttribute('class')).toContain('count--over');
    expect(page.text()).toContain('超出 1 字，请删减');
  });

  test('sends only the count to the screen while the worker types', async () => {
    const page = await open(entryCloud(entryView('essay')));
    const before = page.setDataLog.length;
    await page.type(textarea(page), long(2000));
    const sent = page.setDataLog.slice(before);
    expect(sent.flatMap((r) => r.keys)).not.toContain('text');
    expect(Math.max(...sent.map((r) => r.bytes))).toBeLessThan(200);
  });

  test('saves the draft to the server 3 s after typing stops', async () => {
    jest.restoreAllMocks();
    const cloud = entryCloud(entryView('essay'));
    const page = await open(cloud);
    await page.type(textarea(page), '第一段。');
    await page.type('标题', '车间的早晨');
    expect(page.text()).toContain('有未保存的修改');
    await new Promise((r) => setTimeout(r, 2000));
    expect(cloud.callsOf('entries.saveDraft')).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 1300));
    await page.settle();
    expect(cloud.callsOf('entries.saveDraft')).toEqual([{ entryId: ESSAY_ID, content: essay('第一段。', '车间的早晨') }]);
    expect(page.text()).toContain('已保存 10:01');
    // Saved on the server: the phone copy is no longer needed.
    expect(wxLog().storage.has(`wcp.draft.${ESSAY_ID}`)).toBe(false);
  });

  test('keeps the essay locally when saving fails and offers to restore it', async () => {
    const view = entryView('essay', { draft: essay('旧的开头。') });
    const cloud = entryCloud(view).drop('entries.saveDraft');
    const page = await open(cloud);
    await page.type(textarea(page), '旧的开头。离线时写下的新一段。');
    await page.run('onHide');
    expect(cloud.callsOf('entries.saveDraft')).toHaveLength(1);
    expect(page.text()).toContain('保存失败，已保存在本机');
    expect(wxLog().storage.get(`wcp.draft.${ESSAY_ID}`)).toMatchObject({ title: '我的岗位', text: '旧的开头。离线时写下的新一段。' });

    // Later, the editor opens again with the server's older draft.
    const again = entryCloud(view);
    const page2 = await open(again, 'essay', Object.fromEntries(wxLog().storage));
    expect(page2.text()).toContain('这台手机上有一份较新的草稿（6月10日 10:00，15 字），还没有保存到服务器');
    expect(textarea(page2).textContent).toBe('旧的开头。');
    await page2.tap('恢复本机草稿');
    expect(textarea(page2).textContent).toBe('旧的开头。离线时写下的新一段。');
    expect(page2.text()).toContain('15 / 3,000 字');
    await page2.run('onHide');
    expect(again.callsOf('entries.saveDraft')).toEqual([{ entryId: ESSAY_ID, content: essay('旧的开头。离线时写下的新一段。') }]);
    expect(page2.text()).toContain('已保存 10:01');
    expect(wxLog().storage.has(`wcp.draft.${ESSAY_ID}`)).toBe(false);
  });

  test('drops the phone copy when the worker prefers the server draft', async () => {
    const view = entryView('essay', { draft: essay('服务器上的。') });
    const page = await open(entryCloud(view), 'essay', { [`wcp.draft.${ESSAY_ID}`]: { title: '我的岗位', text: '手机上的。', savedAt: NOW - MINUTE } });
    await page.tap('不用了');
    expect(page.text()).not.toContain('较新的草稿');
    expect(wxLog().storage.has(`wcp.draft.${ESSAY_ID}`)).toBe(false);
    expect(textarea(page).textContent).toBe('服务器上的。');
  });

  test('offers no restore when the phone copy is older than the server draft', async () => {
    const view = entryView('essay', { draft: essay('服务器上的。'), draftSavedAt: NOW - MINUTE });
    const page = await open(entryCloud(view), 'essay', { [`wcp.draft.${ESSAY_ID}`]: { title: '', text: '手机上的旧稿。', savedAt: NOW - 10 * MINUTE } });
    expect(page.text()).not.toContain('较新的草稿');
    expect(wxLog().storage.has(`wcp.draft.${ESSAY_ID}`)).toBe(false);
  });

  test('refuses to submit an essay under the minimum, before sending it', async () => {
    const cloud = entryCloud(entryView('essay', { draft: essay(long(100)) }));
    const page = await open(cloud);
    await page.tap(button(page, '提交作品'));
    expect(page.text()).toContain('正文 100 字，至少需要 800 字');
    expect(cloud.callsOf('entries.submit')).toHaveLength(0);
  });

  test('submits, offers a new version after a change, and withdraws after a confirm', async () => {
    const text = long(900);
    const draft = entryView('essay', { draft: essay(text) });
    const submitted = (version: number, t = text) =>
      entryView('essay', { draft: essay(t), state: 'submitted', version, submittedAt: NOW, moderation: 'approved', unsubmittedChanges: false });
    const cloud = entryCloud(draft).once('entries.submit', ok(submitted(1))).once('entries.submit', ok(submitted(2, `${text}补`)));
    const page = await open(cloud);

    await page.tap(button(page, '提交作品'));
    expect(cloud.callsOf('entries.submit')).toEqual([{ entryId: ESSAY_ID }]);
    expect(page.text()).toContain('已提交第 1 版');
    expect(page.text()).toContain('已通过');
    expect(isDisabled(button(page, '已提交'))).toBe(true);
    expect(wxLog().toasts).toContain('已提交');

    await page.type(textarea(page), `${text}补`);
    expect(page.text()).toContain('提交后将替换为第 2 版');
    await page.tap(button(page, '提交新版本'));
    // The change is saved first, then submitted.
    expect(cloud.calls.map((c) => c.action).slice(-2)).toEqual(['entries.saveDraft', 'entries.submit']);
    expect(page.text()).toContain('已提交第 2 版');

    cloud.on('entries.withdraw', ok(entryView('essay', { draft: essay(`${text}补`), state: 'withdrawn', version: 2, moderation: 'approved' })));
    await page.tap(button(page, '撤回'));
    expect(wxLog().modals.at(-1)?.content).toContain('撤回后作品不参加评审');
    expect(cloud.callsOf('entries.withdraw')).toHaveLength(0);
    wxLog().modalAnswers.push({ confirm: true });
    await page.tap(button(page, '撤回'));
    expect(cloud.callsOf('entries.withdraw')).toEqual([{ entryId: ESSAY_ID }]);
    expect(page.text()).toContain('已撤回');
    expect(buttons(page)).toEqual(['重新提交']);
  });

  test('cannot submit after the deadline', async () => {
    const after = fromChina(2026, 7, 1, 8, 0);
    const view = entryView('essay', { draft: essay(long(900)), state: 'submitted', version: 1, moderation: 'approved', unsubmittedChanges: false, serverNow: after });
    const cloud = entryCloud(view);
    const page = await open(cloud);
    expect(page.text()).toContain('作品提交已截止');
    expect(page.text()).toContain('不能再修改、提交或撤回');
    const submit = button(page, '提交已截止');
    expect(isDisabled(submit)).toBe(true);
    expect(buttons(page)).not.toContain('撤回');
    await page.tap(submit);
    await page.type(textarea(page), '截止后再改');
    await page.run('onHide');
    expect(cloud.calls.map((c) => c.action)).toEqual(['entries.open']);
  });

  test('cannot submit once the deadline passes while the editor is open', async () => {
    const cloud = entryCloud(entryView('essay', { draft: essay(long(900)) }));
    const page = await open(cloud);
    (Date.now as jest.Mock).mockReturnValue(SUBMISSION.end + MINUTE);
    await page.tap(button(page, '提交作品'));
    expect(cloud.callsOf('entries.submit')).toHaveLength(0);
    expect(wxLog().toasts).toContain('作品提交已截止');
    expect(isDisabled(button(page, '提交已截止'))).toBe(true);
  });

  test('shows the refusal when the server closes submissions first', async () => {
    const cloud = entryCloud(entryView('essay', { draft: essay(long(900)) })).refuse('entries.submit', 'CLOSED', '作品提交已截止');
    const page = await open(cloud);
    await page.tap(button(page, '提交作品'));
    expect(page.text()).toContain('作品提交已截止');
    expect(isDisabled(button(page, '提交已截止'))).toBe(true);
  });

  test('shows where moderation stands', async () => {
    const sub = { state: 'submitted' as const, version: 1, submittedAt: NOW, unsubmittedChanges: false };
    const pending = await open(entryCloud(entryView('essay', { ...sub, moderation: 'pending' })));
    expect(pending.text()).toContain('已提交第 1 版审核中');
    const rejected = await open(entryCloud(entryView('essay', { ...sub, moderation: 'rejected', moderationReason: '内容与主题无关' })));
    expect(rejected.text()).toContain('未通过');
    expect(rejected.text()).toContain('未通过原因：内容与主题无关');
    const video = await open(entryCloud(entryView('video', { ...sub, moderation: 'review' })), 'video');
    expect(video.text()).toContain('等待人工审核');
  });
});

describe('作品编辑：摄影', () => {
  const PHOTO_ID = 'ent_act-comp_photo_u-li';

  test('refuses a photo over the track\'s limit before uploading', async () => {
    const cloud = entryCloud(entryView('photo'));
    const page = await open(cloud, 'photo');
    wxLog().stubs.getFileInfo = () => ({ size: 11 * 1024 * 1024 });
    await page.tap('＋ 添加照片');
    await until(page, () => page.text().includes('不能超过'));
    expect(page.text()).toContain('文件太大（11MB），不能超过 10MB');
    expect(cloud.callsOf('uploads.ticket')).toHaveLength(0);
    expect(page.text()).toContain('照片（0 / 6 张）');
  });

  test('takes the photos that pass and says which of several did not', async () => {
    const cloud = entryCloud(entryView('photo')).onUpload(async (req) => stored(req));
    const page = await open(cloud, 'photo');
    wxLog().stubs.chooseMedia = () => ({ tempFiles: [tempCopy(SAMPLE_PHOTO), tempCopy(SAMPLE_PHOTO)].map((p) => ({ tempFilePath: p, size: 1000, fileType: 'image', duration: 0, thumbTempFilePath: '' })) });
    let n = 0;
    // The second re-encoded photo is over the track's 10 MB.
    wxLog().stubs.getFileInfo = () => ({ size: ++n === 2 ? 11 * 1024 * 1024 : 2048 });
    await page.tap('＋ 添加照片');
    await until(page, () => page.text().includes('第 2 张：'));
    expect(page.text()).toContain('第 2 张：文件太大（11MB），不能超过 10MB');
    expect(page.text()).toContain('照片（1 / 6 张）');
    expect(cloud.callsOf('uploads.ticket')).toHaveLength(1);
  });

  test('re-encodes each photo on the phone, then uploads the new file', async () => {
    const uploaded: string[] = [];
    const cloud = entryCloud(entryView('photo')).onUpload(async (req) => {
      uploaded.push(req.localPath);
      return stored(req);
    });
    const page = await open(cloud, 'photo');
    await page.tap('＋ 添加照片');
    await until(page, () => page.text().includes('已上传'));
    const calls = wxLog().apiCalls;
    const choose = calls.find((c) => c.name === 'chooseMedia');
    expect(choose?.options).toMatchObject({ count: 6, mediaType: ['image'], sizeType: ['compressed'] });
    const compress = calls.find((c) => c.name === 'compressImage');
    expect(compress?.options).toMatchObject({ quality: 80 });
    expect(compress?.options.src).not.toBe(uploaded[0]);
    expect(uploaded).toHaveLength(1);
    expect(cloud.callsOf('uploads.ticket')[0]).toMatchObject({ entryId: PHOTO_ID, purpose: 'photo', ext: 'jpg' });
    expect(page.text()).toContain('已上传');
  });

  test('shows per-file progress and retries a failed upload with a new ticket, keeping uploaded files', async () => {
    const two = [tempCopy(SAMPLE_PHOTO), tempCopy(SAMPLE_PHOTO)];
    let n = 0;
    let releaseFirst: () => void = () => undefined;
    const uploads: string[] = [];
    const cloud = entryCloud(entryView('photo')).onUpload((req) => {
      n += 1;
      uploads.push(req.cloudPath);
      if (n === 1) {
        req.onProgress({ progress: 50, sent: 500, total: 1000 });
        return new Promise((r) => (releaseFirst = () => r(stored(req))));
      }
      // The second photo is cut off twice: once retried by itself, then left to the worker.
      if (n === 2 || n === 3) return Promise.resolve({ delivered: false, code: 'NETWORK', detail: 'uploadFile:fail socket hang up' });
      return Promise.resolve(stored(req));
    });
    const page = await open(cloud, 'photo');
    wxLog().stubs.chooseMedia = () => ({ tempFiles: two.map((p) => ({ tempFilePath: p, size: 1000, fileType: 'image', duration: 0, thumbTempFilePath: '' })) });
    await page.tap('＋ 添加照片');
    await until(page, () => page.text().includes('上传失败'));

    expect(page.text()).toContain('上传中 50%');
    expect(page.text()).toContain('上传失败：网络不稳定，请检查网络后重试');
    releaseFirst();
    await page.settle();
    expect(all(page, '已上传')).toHaveLength(1);

    await page.tap('重试');
    await until(page, () => all(page, '已上传').length === 2);
    expect(cloud.callsOf('uploads.ticket')).toHaveLength(4);
    // The first photo went up once; the second three times, each time to a new path.
    expect(uploads).toEqual(['f1', 'f2', 'f3', 'f4'].map((f) => `entries/act-comp/SY-2026-0003/${f}.jpg`));
    expect(cloud.callsOf('uploads.confirm').map((c) => c.uploadId)).toEqual(['t1', 't4']);

    await page.run('onHide');
    expect(cloud.callsOf('entries.saveDraft').at(-1)?.content).toEqual({
      kind: 'photo',
      title: '',
      photos: [
        { uploadId: 't1', caption: '' },
        { uploadId: 't4', caption: '' },
      ],
    });
  });

  test('captions, reorders and removes photos, and saves that order', async () => {
    const view = entryView('photo', {
      draft: { kind: 'photo', title: '一线', photos: ['p1', 'p2', 'p3'].map((uploadId) => ({ uploadId, caption: uploadId === 'p1' ? '清晨' : '' })) },
      media: ['p1', 'p2', 'p3'].map((uploadId) => ({ uploadId, url: `http://cdn/${uploadId}.jpg`, caption: '', verdict: null })),
    });
    const cloud = entryCloud(view);
    const page = await open(cloud, 'photo');
    expect(all(page, '已上传')).toHaveLength(3);
    expect(page.text()).toContain('照片（3 / 6 张）');

    await page.tap(all(page, '下移')[0]!);
    await page.tap(all(page, '删除')[2]!);
    const captions = page.comp.dom.querySelectorAll('wx-input');
    // The title, then one caption per photo.
    expect(captions).toHaveLength(3);
    await page.type(captions[1]!, '午后');
    await page.run('onHide');
    expect(cloud.callsOf('entries.saveDraft').at(-1)?.content).toEqual({
      kind: 'photo',
      title: '一线',
      photos: [
        { uploadId: 'p2', caption: '午后' },
        { uploadId: 'p1', caption: '清晨' },
      ],
    });
  });

  test('says which photos still need attention before submitting', async () => {
    const cloud = entryCloud(entryView('photo', { draft: { kind: 'photo', title: '一线', photos: [] } })).onUpload(async () => ({ delivered: false, code: 'INTERNAL', detail: 'x' }));
    const page = await open(cloud, 'photo');
    await page.tap(button(page, '提交作品'));
    expect(page.text()).toContain('请至少上传 1 张照片');
    await page.tap('＋ 添加照片');
    await until(page, () => page.text().includes('上传失败'));
    await page.tap(button(page, '提交作品'));
    expect(page.text()).toContain('有文件上传失败，请重试或删除后再提交');
    expect(cloud.callsOf('entries.submit')).toHaveLength(0);
  });
});

describe('作品编辑：微视频', () => {
  test('refuses a video longer than the track allows, before uploading', async () => {
    const cloud = entryCloud(entryView('video'));
    const page = await open(cloud, 'video');
    wxLog().stubs.chooseMedia = () => ({ tempFiles: [{ tempFilePath: sampleVideo(), size: 4096, duration: 400, fileType: 'video', thumbTempFilePath: '' }] });
    await page.tap('＋ 选择视频');
    await until(page, () => page.text().includes('视频时长'));
    expect(page.text()).toContain('视频时长 6 分 40 秒，超过了 5 分钟的上限，请剪辑后再选择');
    expect(cloud.callsOf('uploads.ticket')).toHaveLength(0);
  });

  test('compresses a large video, uploads it and a cover, and saves both with the length', async () => {
    const cloud = entryCloud(entryView('video')).onUpload(async (req) => stored(req));
    const page = await open(cloud, 'video');
    const video = sampleVideo(8192);
    wxLog().stubs.chooseMedia = (o) =>
      (o.mediaType as string[]).includes('video')
        ? { tempFiles: [{ tempFilePath: video, size: 120 * 1024 * 1024, duration: 42, fileType: 'video', thumbTempFilePath: '' }] }
        : { tempFiles: [{ tempFilePath: tempCopy(SAMPLE_PHOTO), size: 1000, fileType: 'image', duration: 0, thumbTempFilePath: '' }] };
    await page.tap('＋ 选择视频');
    await until(page, () => page.text().includes('已上传'));
    const choose = wxLog().apiCalls.find((c) => c.name === 'chooseMedia');
    expect(choose?.options).toMatchObject({ mediaType: ['video'], maxDuration: 60, count: 1 });
    expect(wxLog().apiCalls.find((c) => c.name === 'compressVideo')?.options).toMatchObject({ src: video, quality: 'medium' });
    expect(cloud.callsOf('uploads.ticket')[0]).toMatchObject({ purpose: 'video', ext: 'mp4', size: 8192 });
    expect(page.text()).toContain('42 秒已上传');

    await page.tap('＋ 选择封面图片');
    await until(page, () => cloud.callsOf('uploads.confirm').length === 2);
    expect(cloud.callsOf('uploads.ticket')[1]).toMatchObject({ purpose: 'cover', ext: 'jpg' });
    await page.type('标题', '车间的一天');
    await page.run('onHide');
    expect(cloud.callsOf('entries.saveDraft').at(-1)?.content).toEqual({
      kind: 'video',
      title: '车间的一天',
      description: '',
      videoUploadId: 't1',
      coverUploadId: 't2',
      seconds: 42,
    });
    expect(TRACKS.video.kind).toBe('video');
  });
});
