/**
 * The staff pages against the real local cloud with the demo data, through the HTTP bridge: the
 * real functions and wx-server-sdk, as 陈干事 (demo-staff-chen). The activities list and an
 * activity's registrations from the seeded data; a lecture created in the editor, published, and
 * found on the list; a worker's signed check-in code scanned once, then refused when reused;
 * people with masked phones and one number opened; a worker turned away; and the registrations
 * exported to Excel by the export function, downloaded from its temp URL and opened.
 */
import * as http from 'node:http';
import type { LocalCloud } from '../../local-cloud/src';
import { load } from './load';
import { startLiveCloud, type LiveCloud } from './live-cloud';
import { restoreDevice, scans } from './staff-wx';
import { button, shows } from './ui';
import { wxLog } from './wx-log';

const CHEN = { 'wcp.local-identity': 'demo-staff-chen' };
const LI = { 'wcp.local-identity': 'demo-worker-li' };

let cloud: LocalCloud;
let live: LiveCloud | undefined;

/** A call as a demo user straight to the local cloud (fetch is not there under jsdom). */
function call(openid: string, action: string, payload: unknown): Promise<{ ok: boolean; data?: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ action, payload });
    const req = http.request(`${cloud.url}/functions/api`, { method: 'POST', headers: { 'content-type': 'application/json', 'X-Local-Openid': openid } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { ok: boolean }));
    });
    req.on('error', reject);
    req.end(body);
  });
}


beforeAll(async () => {
  live = await startLiveCloud('staff');
  cloud = live.cloud;
}, 60_000);

afterAll(async () => {
  restoreDevice();
  await live?.stop();
});

describe('staff pages against the local cloud', () => {
  test('the activities list shows the demo catalogue by status', async () => {
    const page = await load('packages/staff/activities', { storage: CHEN });
    await shows(page, '2022 年区职工运动会');
    expect(page.text()).toContain('已报名 212 / 600');
    expect(page.text()).toContain('“克时艰、增信心、促发展”职工文化比赛');
    await page.tap('已结束');
    await shows(page, '“社会主义核心价值观”宣讲进企业');
    expect(page.text()).toContain('重新发布归档');
  }, 60_000);

  test("an activity's registrations, with masked phones", async () => {
    const page = await load('packages/staff/registrations', { storage: CHEN, query: { id: 'act_essay_spring', title: encodeURIComponent('“中国梦·劳动美”职工征文比赛（春季）') } });
    await shows(page, '张伟');
    expect(page.text()).toContain('138****1000');
    expect(page.text()).toContain('已报名');
    expect(page.text()).not.toMatch(/1385710\d{4}/);
  }, 60_000);

  test('a lecture made in the editor is saved, published and listed', async () => {
    const edit = await load('packages/staff/activity-edit', { storage: CHEN });
    await shows(edit, '活动类型');
    await edit.tap('宣讲活动');
    await edit.type('名称', '劳模进企业宣讲（第 2 场）');
    await edit.type('简介', '全国劳模讲述奋斗故事');
    await edit.type('地点', '星桥街道 职工之家');
    await edit.type('名额', '80');
    await edit.tap('＋ 选择题');
    await edit.type('问题', '是否需要午餐');
    await edit.type('选项', '需要、不需要');
    wxLog().modalAnswers.push({ confirm: true });
    await edit.tap(button(edit, '保存'));
    for (let i = 0; i < 400 && !wxLog().navigations.length; i++) await new Promise((r) => setTimeout(r, 25));
    expect(wxLog().toasts).toContain('已发布');
    expect(wxLog().navigations).toEqual([{ kind: 'navigateBack', url: '1' }]);

    const list = await load('packages/staff/activities', { storage: CHEN });
    await shows(list, '劳模进企业宣讲（第 2 场）');
    expect(list.text()).toContain('已报名 0 / 80');
  }, 60_000);

  test("a worker's check-in code works once; the second scan is refused", async () => {
    // The online lecture: nobody registered yet, so the worker is the first row of the list.
    const reg = await call('demo-worker-li', 'registrations.create', { activityId: 'act_course_health', tracks: [], answers: [] });
    expect(reg.ok).toBe(true);
    const mine = await call('demo-worker-li', 'registrations.mine', {});
    const items = (mine.data?.items ?? []) as Array<{ activityId: string; checkinCode: string | null }>;
    const code = items.find((r) => r.activityId === 'act_course_health')?.checkinCode ?? '';
    expect(code).toMatch(/^c1\./);

    scans(code, code);
    const page = await load('packages/staff/registrations', { storage: CHEN, query: { id: 'act_course_health', title: encodeURIComponent('余工学堂｜职场心理健康讲座') } });
    await shows(page, '李明');
    await page.tap(button(page, '扫码签到'));
    await shows(page, '签到成功：李明');
    await shows(page, '已签到');
    await page.tap(button(page, '继续扫码'));
    await shows(page, '已签到过');
    expect(page.text()).toContain('这个签到码已经用过，不能重复签到');
  }, 60_000);

  test('people are listed with masked phones, and one number opens on request', async () => {
    const page = await load('packages/staff/people', { storage: CHEN });
    await shows(page, '李明');
    expect(page.text()).toContain('138****0001');
    expect(page.text()).not.toContain('13857100001');
    await page.type(page.comp.dom.querySelector('wx-input')!, '李明');
    await page.tap('搜索');
    await shows(page, '李明职工');
    for (let i = 0; i < 400 && page.text().includes('刘洋'); i++) await new Promise((r) => setTimeout(r, 25));
    expect(page.text()).not.toContain('刘洋');
    await page.tap(page.find('查看号码')!);
    await shows(page, '13857100001');
    expect(page.text()).toContain('本次查看已记录');
  }, 60_000);

  test('a worker is turned away', async () => {
    const page = await load('packages/staff/activities', { storage: LI });
    await shows(page, '仅限工会工作人员使用');
  }, 60_000);
});

describe('导出报名表 against the local cloud', () => {
  test('the export function builds the workbook, the phone downloads its temp URL and opens it', async () => {
    const g = globalThis as unknown as { wx: Record<string, unknown> };
    const saved = { downloadFile: g.wx.downloadFile, openDocument: g.wx.openDocument };
    const got: { bytes?: Buffer; opened?: Record<string, unknown> } = {};
    // WeChat's downloadFile, for real: GET the temp URL the export answered.
    g.wx.downloadFile = (o: { url: string; success: (r: unknown) => void; fail: (r: unknown) => void }) => {
      http.get(o.url, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          got.bytes = Buffer.concat(chunks);
          o.success({ statusCode: res.statusCode, tempFilePath: 'wxfile://tmp/export.xlsx', errMsg: 'downloadFile:ok' });
        });
      }).on('error', (e) => o.fail({ errMsg: `downloadFile:fail ${e.message}` }));
    };
    g.wx.openDocument = (o: Record<string, unknown> & { success: (r: unknown) => void }) => {
      got.opened = o;
      setTimeout(() => o.success({ errMsg: 'openDocument:ok' }), 0);
    };
    try {
      const page = await load('packages/staff/registrations', { storage: CHEN, query: { id: 'act_essay_spring', title: encodeURIComponent('“中国梦·劳动美”职工征文比赛（春季）') } });
      await shows(page, '张伟');
      await page.tap(button(page, '导出报名表'));
      for (let i = 0; i < 800 && !wxLog().toasts.some((t) => t.startsWith('已导出')); i++) await new Promise((r) => setTimeout(r, 25));
      expect(wxLog().toasts.find((t) => t.startsWith('已导出'))).toMatch(/^已导出 \d+ 条报名$/);
      // A real .xlsx (a zip), opened as a workbook with the menu to forward it.
      expect(got.bytes?.subarray(0, 2).toString('latin1')).toBe('PK');
      expect(got.opened).toMatchObject({ filePath: 'wxfile://tmp/export.xlsx', fileType: 'xlsx', showMenu: true });
      expect(cloud.invocations('export').length).toBeGreaterThanOrEqual(1);
    } finally {
      Object.assign(g.wx, saved);
    }
  }, 60_000);
});
