/**
 * The worker's results pages with a fake cloud: 我的成绩 (appeals, certificates), the winners'
 * gallery, the e-certificate drawn on a canvas, and the public verification page.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { layoutCertificate, textWidth, type DrawOp } from '../../miniprogram/utils/certificate-layout';
import { certificateSvg, recordingContext } from './certificate-render';
import { fromChina } from '../../miniprogram/core/time';
import { FakeCloud, ok } from './fake-transport';
import { detail, me } from './fixtures';
import { NOW, SPRING, certificate, galleryItem, myResult } from './judging-fixtures';
import { load } from './load';
import { wxLog } from './wx-log';

beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(NOW));
afterEach(() => jest.restoreAllMocks());

describe('我的成绩', () => {
  test('shows a loading state, then rank, award and score', async () => {
    const cloud = new FakeCloud();
    const held = cloud.hold('results.mine');
    const page = await load('packages/worker/results', { transport: cloud });
    expect(page.text()).toContain('正在加载');
    held.resolve(ok({ items: [myResult(), myResult({ entryId: 'ent-2', code: 'SY-2026-0011', trackName: '职工摄影', rank: 9, award: null, score: '71.25', appealOpen: false, state: 'final' })] }));
    await page.settle();
    const text = page.text();
    expect(text).toContain('“中国梦·劳动美”职工征文比赛公示中');
    expect(text).toContain('职工征文 · 作品编号 ZW-2026-0007');
    expect(text).toContain('二等奖奖项第 2 名名次88.67 分得分');
    expect(text).toContain('最终结果');
    expect(text).toContain('未获奖奖项第 9 名名次71.25 分得分');
    expect(cloud.calls).toHaveLength(1);
  });

  test('says when no results are out yet', async () => {
    const page = await load('packages/worker/results', { transport: new FakeCloud().on('results.mine', ok({ items: [] })) });
    expect(page.text()).toContain('暂无已公布的比赛成绩');
  });

  test('offers a retry when results cannot load', async () => {
    const cloud = new FakeCloud().drop('results.mine').on('results.mine', ok({ items: [myResult()] }));
    const page = await load('packages/worker/results', { transport: cloud });
    expect(page.text()).toContain('网络不稳定');
    await page.tap('重新加载');
    expect(page.text()).toContain('二等奖');
  });

  test('sends someone without consent to 我的', async () => {
    const page = await load('packages/worker/results', { transport: new FakeCloud().refuse('results.mine', 'CONSENT_REQUIRED') });
    expect(page.text()).toContain('请先在「我的」页面阅读并同意隐私说明');
    await page.tap('前往我的');
    expect(wxLog().navigations).toEqual([{ kind: 'switchTab', url: '/pages/me/index' }]);
  });

  test('files an appeal with a reason of at least ten characters', async () => {
    const cloud = new FakeCloud().on('results.mine', ok({ items: [myResult()] })).on('appeals.file', ok({ appealId: 'ap_ZW-2026-0007' }));
    const page = await load('packages/worker/results', { transport: cloud });
    expect(page.text()).toContain('公示期内对结果有异议，可提出一次申诉');
    await page.tap('提出申诉');
    await page.type('申诉理由', '分数太低');
    await page.tap('提交申诉');
    expect(page.text()).toContain('申诉理由至少 10 个字');
    expect(cloud.callsOf('appeals.file')).toEqual([]);

    await page.type('申诉理由', '我的作品字数符合要求，但评语说超出字数，请复核。');
    await page.tap('提交申诉');
    expect(cloud.callsOf('appeals.file')).toEqual([{ entryId: 'ent-li', reason: '我的作品字数符合要求，但评语说超出字数，请复核。' }]);
    expect(wxLog().toasts).toEqual(['申诉已提交']);
    expect(page.text()).toContain('申诉已提交，工作人员处理后会在这里答复');
    expect(page.text()).not.toContain('提出申诉');
  });

  test("shows staff's answer to an appeal", async () => {
    const answered = myResult({ appealOpen: false, appeal: { state: 'answered', answer: '经复核，评分无误，维持原结果。' } });
    const page = await load('packages/worker/results', { transport: new FakeCloud().on('results.mine', ok({ items: [answered] })) });
    expect(page.text()).toContain('申诉已答复答复：经复核，评分无误，维持原结果。');
    expect(page.text()).not.toContain('提出申诉');
  });

  test('opens the certificate of a final award', async () => {
    const final = myResult({ state: 'final', appealOpen: false, certificate: true });
    const page = await load('packages/worker/results', { transport: new FakeCloud().on('results.mine', ok({ items: [final] })) });
    await page.tap('查看电子证书');
    expect(wxLog().navigations).toEqual([{ kind: 'navigateTo', url: '/packages/worker/certificate/index?entryId=ent-li' }]);
  });
});

describe('links to results', () => {
  test("活动详情 leads to each track's winners once results are out", async () => {
    const published = { ...detail({ next: 'results' }), serverNow: fromChina(2026, 7, 17, 9, 0) };
    const page = await load('pages/activity', { transport: new FakeCloud().on('activities.detail', ok(published)), query: { id: 'act-comp' } });
    expect(page.text()).toContain('征文 · 职工征文800–3000 字获奖作品');
    await page.tap('摄影 · 职工摄影');
    expect(wxLog().navigations[0]?.url).toBe(
      `/packages/worker/gallery/index?activityId=act-comp&trackId=photo&title=${encodeURIComponent('2026年职工文化比赛（征文·摄影·微视频）·职工摄影')}`,
    );
    await page.tap('查看我的成绩');
    expect(wxLog().navigations[1]?.url).toBe('/packages/worker/results/index');
  });

  test('活动详情 shows no winners before results are out', async () => {
    const page = await load('pages/activity', { transport: new FakeCloud().on('activities.detail', ok(detail())), query: { id: 'act-comp' } });
    expect(page.text()).not.toContain('获奖作品');
  });

  test('我的 leads to 我的成绩 and 证书验证', async () => {
    const page = await load('pages/me', { transport: new FakeCloud().on('session.me', ok({ me: me(), consentVersion: '2026-11' })) });
    await page.tap('我的成绩');
    await page.tap('证书验证');
    expect(wxLog().navigations.map((n) => n.url)).toEqual(['/packages/worker/results/index', '/packages/worker/verify/index']);
  });
});

describe('获奖作品', () => {
  const open = (cloud: FakeCloud) => load('packages/worker/gallery', { transport: cloud, query: { ...SPRING, title: encodeURIComponent('摄影比赛·职工摄影') } });

  test("shows loading, then the winners' works with award, title, author, unit and cover", async () => {
    const cloud = new FakeCloud();
    const held = cloud.hold('results.gallery');
    const page = await open(cloud);
    expect(page.text()).toContain('正在加载');
    expect(await held.payload).toEqual(SPRING);
    held.resolve(ok({ items: [galleryItem(), galleryItem({ code: 'ZW-2026-0002', award: '二等奖', rank: 2, title: '焊花里的春天', author: '李明', unitName: '区人民医院工会', kind: 'essay', cover: '' })], state: 'publicity' as const }));
    await page.settle();
    const text = page.text();
    expect(text).toContain('摄影比赛·职工摄影');
    expect(text).toContain('公示中，结果以最终公布为准');
    expect(text).toContain('一等奖SY-2026-0003晨曦中的塔吊王芳 · 临平街道总工会');
    expect(text).toContain('征文二等奖ZW-2026-0002焊花里的春天李明 · 区人民医院工会');
    expect(page.comp.dom.querySelectorAll('wx-image')).toHaveLength(1);
  });

  test('says when results are not published yet', async () => {
    const page = await open(new FakeCloud().on('results.gallery', ok({ items: [], state: null })));
    expect(page.text()).toContain('评审结果尚未公布');
  });

  test('says when a published track has no winners', async () => {
    const page = await open(new FakeCloud().on('results.gallery', ok({ items: [], state: 'final' as const })));
    expect(page.text()).toContain('本类别暂无获奖作品');
  });

  test('offers a retry when the gallery cannot load', async () => {
    const cloud = new FakeCloud().drop('results.gallery').on('results.gallery', ok({ items: [galleryItem()], state: 'final' as const }));
    const page = await open(cloud);
    await page.tap('重新加载');
    expect(page.text()).toContain('晨曦中的塔吊');
    expect(page.text()).toContain('最终结果');
  });
});

/** The canvas the page finds with its selector query, and what was drawn on it. */
function fakeCanvas(width = 343, height = 485) {
  const rec = recordingContext();
  const canvas = { width: 0, height: 0, getContext: () => rec.ctx };
  const chain = {
    in: () => chain,
    select: () => chain,
    fields: () => chain,
    exec: (cb: (res: unknown[]) => void) => setTimeout(() => cb([{ node: canvas, width, height }]), 0),
  };
  jest.spyOn(wx, 'createSelectorQuery').mockReturnValue(chain as never);
  return { canvas, ...rec };
}

describe('电子证书', () => {
  const textOps = (ops: DrawOp[]) => ops.filter((o): o is Extract<DrawOp, { op: 'text' }> => o.op === 'text');

  test('lays the certificate out: name centred, award line present, verify code at the bottom', () => {
    const width = 600;
    const height = 849;
    const ops = layoutCertificate(certificate(), width, height);
    const texts = textOps(ops);
    const name = texts.find((t) => t.role === 'name')!;
    expect(name).toMatchObject({ text: '李明', x: width / 2, align: 'center' });
    const award = texts.find((t) => t.role === 'award')!;
    expect(award.text).toBe('二等奖');
    expect(award.x).toBe(width / 2);
    expect(texts.some((t) => t.role === 'body' && t.text.includes('荣获'))).toBe(true);
    expect(texts.map((t) => t.text).join('')).toContain('“中国梦·劳动美”职工征文比赛「职工征文」');
    const verify = texts.find((t) => t.role === 'verify')!;
    expect(verify.text).toContain('K7M2P9QX4R');
    expect(Math.max(...texts.map((t) => t.y))).toBe(verify.y);
    expect(verify.y).toBeGreaterThan(height * 0.9);
    // Everything inside the frame, nothing overlapping the next line.
    for (const t of texts) {
      const w = textWidth(t.text, t.font.size);
      const left = t.align === 'center' ? t.x - w / 2 : t.align === 'right' ? t.x - w : t.x;
      expect(left).toBeGreaterThanOrEqual(32);
      expect(left + w).toBeLessThanOrEqual(width - 32);
    }
    const ys = texts.filter((t) => t.align === 'center').map((t) => t.y);
    for (let i = 1; i < ys.length; i++) expect(ys[i]! - ys[i - 1]!).toBeGreaterThan(15);
    expect(texts.find((t) => t.role === 'date')?.text).toBe('2026年6月30日');
  });

  test('wraps a long competition title and still fits the frame', () => {
    const long = certificate({ activityTitle: '“克时艰、增信心、促发展”2026 年度全区职工文化比赛暨第五届职工读书征文活动', trackName: '职工征文（散文与诗歌）' });
    const texts = textOps(layoutCertificate(long, 600, 849));
    const body = texts.filter((t) => t.role === 'body');
    expect(body.length).toBeGreaterThan(1);
    for (const t of body) expect(textWidth(t.text, t.font.size)).toBeLessThanOrEqual(450);
    const award = texts.find((t) => t.role === 'award')!;
    expect(award.y).toBeGreaterThan(body[body.length - 1]!.y);
    expect(award.y).toBeLessThan(texts.find((t) => t.role === 'issuer')!.y - 60);
  });

  test('draws the certificate with the name centred', async () => {
    const { canvas, texts, ctx } = fakeCanvas(343, 485);
    const cloud = new FakeCloud().on('certificates.get', ok({ data: certificate(), signature: 'sig' }));
    const page = await load('packages/worker/certificate', { transport: cloud, query: { entryId: 'ent-li' } });
    await page.settle();
    expect(cloud.callsOf('certificates.get')).toEqual([{ entryId: 'ent-li' }]);
    // Sized to the screen's pixels (device pixel ratio 2 in the tests' device).
    expect(canvas.width).toBe(686);
    expect(canvas.height).toBe(970);
    expect(ctx.scaled).toEqual([2, 2]);
    const name = texts.find((t) => t.text === '李明');
    expect(name).toMatchObject({ x: 343 / 2, align: 'center' });
    expect(name?.font).toMatch(/^bold /);
    expect(texts.some((t) => t.text === '二等奖')).toBe(true);
    expect(texts[texts.length - 1]?.text).toContain('K7M2P9QX4R');
    expect(page.text()).toContain('证书验证码 K7M2P9QX4R');

    // The SVG a screenshot can be taken of.
    const svg = certificateSvg(layoutCertificate(certificate(), 600, 849), 600, 849);
    expect(svg).toContain('<text data-role="name" x="300"');
    expect(svg).toContain('text-anchor="middle"');
    // WCP_CERT_SVG_DIR=<dir> keeps it for a screenshot (chromium --screenshot … certificate.svg).
    if (process.env.WCP_CERT_SVG_DIR) writeFileSync(join(process.env.WCP_CERT_SVG_DIR, 'certificate.svg'), svg);
  });

  test('saves the certificate to the album and shares it as a picture', async () => {
    fakeCanvas();
    const toFile = jest.spyOn(wx, 'canvasToTempFilePath').mockImplementation(((o: { success?: (r: { tempFilePath: string }) => void }) => {
      setTimeout(() => o.success?.({ tempFilePath: 'wxfile://tmp/cert.png' }), 0);
    }) as never);
    const save = jest.spyOn(wx, 'saveImageToPhotosAlbum').mockImplementation(((o: { success?: () => void }) => {
      setTimeout(() => o.success?.(), 0);
    }) as never);
    const share = jest.spyOn(wx, 'showShareImageMenu').mockImplementation(() => undefined as never);
    const page = await load('packages/worker/certificate', { transport: new FakeCloud().on('certificates.get', ok({ data: certificate(), signature: 'sig' })), query: { entryId: 'ent-li' } });
    await page.settle();
    await page.tap('保存到相册');
    await page.settle();
    expect(toFile).toHaveBeenCalledWith(expect.objectContaining({ fileType: 'png' }));
    expect(save).toHaveBeenCalledWith(expect.objectContaining({ filePath: 'wxfile://tmp/cert.png' }));
    expect(wxLog().toasts).toEqual(['已保存到相册']);
    await page.tap('分享图片');
    await page.settle();
    expect(share).toHaveBeenCalledWith({ path: 'wxfile://tmp/cert.png' });
    expect(await page.run('onShareAppMessage')).toEqual({ title: '“中国梦·劳动美”职工征文比赛「二等奖」证书', path: '/packages/worker/verify/index?code=K7M2P9QX4R' });
  });

  test('asks for album permission when saving is refused', async () => {
    fakeCanvas();
    jest.spyOn(wx, 'canvasToTempFilePath').mockImplementation(((o: { success?: (r: { tempFilePath: string }) => void }) => {
      setTimeout(() => o.success?.({ tempFilePath: 'wxfile://tmp/cert.png' }), 0);
    }) as never);
    jest.spyOn(wx, 'saveImageToPhotosAlbum').mockImplementation(((o: { fail?: (e: { errMsg: string }) => void }) => {
      setTimeout(() => o.fail?.({ errMsg: 'saveImageToPhotosAlbum:fail auth deny' }), 0);
    }) as never);
    const page = await load('packages/worker/certificate', { transport: new FakeCloud().on('certificates.get', ok({ data: certificate(), signature: 'sig' })), query: { entryId: 'ent-li' } });
    await page.settle();
    await page.tap('保存到相册');
    await page.settle();
    expect(wxLog().modals[0]?.title).toBe('需要相册权限');
  });

  test('shows loading, then says when there is no certificate', async () => {
    fakeCanvas();
    const cloud = new FakeCloud();
    const held = cloud.hold('certificates.get');
    const page = await load('packages/worker/certificate', { transport: cloud, query: { entryId: 'ent-li' } });
    expect(page.text()).toContain('正在加载');
    held.resolve({ ok: false, code: 'NOT_FOUND', message: '该作品没有电子证书' });
    await page.settle();
    expect(page.text()).toContain('该作品没有电子证书');
    expect(page.text()).not.toContain('重新加载');
  });

  test('offers a retry when the certificate cannot load', async () => {
    fakeCanvas();
    const cloud = new FakeCloud().drop('certificates.get').on('certificates.get', ok({ data: certificate(), signature: 'sig' }));
    const page = await load('packages/worker/certificate', { transport: cloud, query: { entryId: 'ent-li' } });
    await page.tap('重新加载');
    expect(page.text()).toContain('证书验证码 K7M2P9QX4R');
  });
});

describe('证书验证', () => {
  test('confirms a genuine certificate with its data', async () => {
    const cloud = new FakeCloud().on('certificates.verify', ok({ valid: true, data: certificate() }));
    const page = await load('packages/worker/verify', { transport: cloud });
    expect(cloud.calls).toHaveLength(0);
    await page.type('验证码', 'k7m2p9qx4r');
    await page.tap('查验');
    expect(cloud.callsOf('certificates.verify')).toEqual([{ code: 'K7M2P9QX4R' }]);
    const text = page.text();
    expect(text).toContain('证书真实有效');
    expect(text).toContain('获奖人李明');
    expect(text).toContain('奖项二等奖');
    expect(text).toContain('颁发日期2026年6月30日');
  });

  test('says a forged code is not genuine', async () => {
    const cloud = new FakeCloud().on('certificates.verify', ok({ valid: false, data: null }));
    const page = await load('packages/worker/verify', { transport: cloud });
    await page.type('验证码', 'ABCDEFGH23');
    await page.tap('查验');
    expect(page.text()).toContain('未通过验证');
    expect(page.text()).toContain('没有验证码为 ABCDEFGH23 的证书');
    expect(page.text()).not.toContain('证书真实有效');
  });

  test('refuses a malformed code without asking the server', async () => {
    const cloud = new FakeCloud();
    const page = await load('packages/worker/verify', { transport: cloud });
    await page.type('验证码', 'ABC123');
    await page.tap('查验');
    expect(page.text()).toContain('验证码为 10 位字母或数字');
    await page.type('验证码', 'ABCDEFGH10');
    await page.tap('查验');
    expect(page.text()).toContain('不含 0、1、O、I');
    expect(cloud.calls).toHaveLength(0);
  });

  test('checks a code scanned from a certificate', async () => {
    jest.spyOn(wx, 'scanCode').mockImplementation(((o: { success?: (r: { result: string }) => void }) => {
      setTimeout(() => o.success?.({ result: 'https://example.org/verify?code=K7M2P9QX4R' }), 0);
    }) as never);
    const cloud = new FakeCloud().on('certificates.verify', ok({ valid: true, data: certificate() }));
    const page = await load('packages/worker/verify', { transport: cloud });
    await page.tap('扫一扫');
    await page.settle();
    expect(cloud.callsOf('certificates.verify')).toEqual([{ code: 'K7M2P9QX4R' }]);
    expect(page.text()).toContain('证书真实有效');
  });

  test('checks at once when opened from a shared certificate, and offers a retry on a lost network', async () => {
    const cloud = new FakeCloud().drop('certificates.verify').on('certificates.verify', ok({ valid: true, data: certificate() }));
    const page = await load('packages/worker/verify', { transport: cloud, query: { code: 'K7M2P9QX4R' } });
    expect(page.text()).toContain('网络不稳定');
    await page.tap('重新查验');
    expect(page.text()).toContain('证书真实有效');
    expect(cloud.callsOf('certificates.verify')).toHaveLength(2);
  });
});
