/**
 * The registration and entry pages against the real local cloud with the demo data, through the
 * HTTP bridge: the real functions, the real wx-server-sdk, storage that checks every uploaded
 * file, and an upload the local cloud drops on purpose (fault injection), which the upload queue
 * retries to completion with a new ticket.
 */
import * as http from 'node:http';
import type { LocalCloud } from '../../local-cloud/src';
import { load, type RenderedPage } from './load';
import { startLiveCloud, type LiveCloud } from './live-cloud';
import { button, scanQr, textarea, until } from './ui';
import { wxLog } from './wx-log';

const LI = { 'wcp.local-identity': 'demo-worker-li' };
const WANG = { 'wcp.local-identity': 'demo-worker-wang' };

let cloud: LocalCloud;
let live: LiveCloud | undefined;

/** The local cloud's control routes (fetch is not there under jsdom). */
function control(path: string, body?: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(`${cloud.url}/_control/${path}`, { method: data ? 'POST' : 'GET', headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown));
    });
    req.on('error', reject);
    req.end(data);
  });
}

beforeAll(async () => {
  live = await startLiveCloud('live');
  cloud = live.cloud;
}, 60_000);

afterAll(async () => {
  await live?.stop();
});

/** Real HTTP answers take real time: wait for what the screen should show. */
const shows = (page: RenderedPage, text: string) => until(page, () => page.text().includes(text), 20_000);

describe('against the local cloud', () => {
  test('a demo worker registers for the culture competition and gets a check-in QR', async () => {
    const page = await load('pages/register', { query: { id: 'act_culture_2022' }, storage: LI });
    await shows(page, '选择参赛项目');
    expect(page.text()).toContain('“克时艰、增信心、促发展”职工文化比赛');
    expect(page.text()).toContain('征文800–5,000 字');
    await page.tap('征文');
    await page.tap('摄影');
    await page.tap(button(page, '确认报名'));
    await until(page, () => wxLog().navigations.length > 0, 20_000);
    expect(wxLog().navigations).toEqual([{ kind: 'redirectTo', url: '/pages/registration/index?id=act_culture_2022&from=register' }]);
    expect(wxLog().apiCalls.map((c) => c.name)).toEqual(['requestSubscribeMessage']);

    const result = await load('pages/registration', { query: { id: 'act_culture_2022', from: 'register' }, storage: LI });
    await shows(result, '报名成功');
    expect(result.text()).toContain('已报名');
    expect(result.text()).toContain('征文提交作品');
    expect(result.text()).toContain('摄影提交作品');
    expect(await scanQr(result)).toMatch(/^c1\.reg_act_culture_2022_k_[\w-]+\.[\w-]+$/);
  });

  test('a full course puts the worker on the waitlist', async () => {
    const page = await load('pages/register', { query: { id: 'act_course_video' }, storage: WANG });
    await shows(page, '候补报名');
    expect(page.text()).toContain('名额已满');
    await page.tap(button(page, '候补报名'));
    await until(page, () => wxLog().navigations.length > 0, 20_000);

    const result = await load('pages/registration', { query: { id: 'act_course_video', from: 'register' }, storage: WANG });
    await shows(result, '已进入候补名单');
    expect(result.text()).toContain('候补中');
  });

  test('an essay: typed, saved, counted and submitted', async () => {
    const page = await load('pages/entry', { query: { activityId: 'act_culture_2022', trackId: 'essay' }, storage: LI });
    await shows(page, '作品编号');
    expect(page.text()).toMatch(/作品编号 ZW-2022-\d{4}/);
    expect(page.text()).toContain('要求：800–5,000 字');
    const text = '劳动创造美好生活，奋斗书写精彩人生。'.repeat(50);
    await page.type('标题', '我的岗位我的家');
    await page.type(textarea(page), text);
    expect(page.text()).toContain('900 / 5,000 字');
    await page.tap(button(page, '提交作品'));
    await shows(page, '已提交第 1 版');
    expect(page.text()).toContain('已通过');
  });

  test('photos: an upload the local cloud drops is retried to completion with a new ticket', async () => {
    await control('faults', { uploadDrop: { count: 1, afterBytes: 100 } });
    const page = await load('pages/entry', { query: { activityId: 'act_culture_2022', trackId: 'photo' }, storage: LI });
    await shows(page, '＋ 添加照片');
    await page.type('标题', '一线的早晨');
    await page.tap('＋ 添加照片');
    await shows(page, '已上传');

    const uploads = ((await control('uploads')) as { uploads: Array<{ route: string; state: string; cloudPath: string }> }).uploads.filter((u) => u.route === 'app');
    expect(uploads.map((u) => u.state)).toEqual(['dropped', 'done']);
    // Each attempt went to its own server-issued path, under the entry's code, never the worker.
    const [first, second] = uploads;
    expect(first?.cloudPath).not.toBe(second?.cloudPath);
    expect(second?.cloudPath).toMatch(/^entries\/act_culture_2022\/SY-2022-\d{4}\/[\w-]+\.jpg$/);

    await page.tap(button(page, '提交作品'));
    await shows(page, '已提交第 1 版');
    // Images are checked asynchronously: pending until the verdict arrives.
    expect(page.text()).toContain('审核中');
  });
});
