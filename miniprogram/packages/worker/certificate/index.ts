/**
 * 电子证书: the certificate of an awarded entry, drawn on the phone (`<canvas type="2d">`) from the
 * data the server signed, with its verification code at the bottom. It can be saved to the album
 * or shared as a picture; sharing the page itself sends the public verification page for its code.
 * The layout is a pure module (utils/certificate-layout.ts); this page only replays it.
 */
import type { CertificateData } from '../../../core/judging';
import { api } from '../../../services/client';
import { ASPECT, layoutCertificate } from '../../../utils/certificate-layout';
import { paintCertificate, type Context2D } from '../../../utils/certificate-paint';

type View = 'loading' | 'error' | 'ready';

interface CanvasNode {
  width: number;
  height: number;
  getContext(kind: '2d'): Context2D & { scale(x: number, y: number): void };
}

interface Private {
  entryId: string;
  data: CertificateData | null;
  canvas: CanvasNode | null;
}

const priv = new WeakMap<object, Private>();

function pixelRatio(): number {
  try {
    return (typeof wx.getWindowInfo === 'function' ? wx.getWindowInfo() : wx.getSystemInfoSync()).pixelRatio || 2;
  } catch {
    return 2;
  }
}

/** The picture of the certificate as a local file, for the album or a chat. */
function exportImage(canvas: CanvasNode): Promise<string | null> {
  return new Promise((resolve) => {
    wx.canvasToTempFilePath({
      canvas: canvas as unknown as WechatMiniprogram.IAnyObject,
      fileType: 'png',
      success: (res) => resolve(res.tempFilePath),
      fail: () => resolve(null),
    });
  });
}

Component({
  data: {
    view: 'loading' as View,
    errorText: '',
    canRetry: true,
    award: '',
    verifyCode: '',
    drawn: false,
    saving: false,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>): void {
      priv.set(this, { entryId: query.entryId ?? '', data: null, canvas: null });
      void this.load();
    },
    onShareAppMessage(): WechatMiniprogram.Page.ICustomShareContent {
      const d = priv.get(this)?.data;
      if (!d) return { title: '区工人文化宫 · 证书验证', path: '/packages/worker/verify/index' };
      return { title: `${d.activityTitle}「${d.award}」证书`, path: `/packages/worker/verify/index?code=${d.verifyCode}` };
    },

    async load(): Promise<void> {
      const p = priv.get(this);
      if (!p?.entryId) {
        this.setData({ view: 'error', errorText: '缺少作品编号，请从「我的成绩」进入', canRetry: false });
        return;
      }
      if (this.data.view !== 'loading') this.setData({ view: 'loading' });
      const r = await api('certificates.get', { entryId: p.entryId });
      if (!r.ok) {
        this.setData({ view: 'error', errorText: r.message, canRetry: r.code !== 'NOT_FOUND' });
        return;
      }
      p.data = r.data.data;
      this.setData({ view: 'ready', award: r.data.data.award, verifyCode: r.data.data.verifyCode, drawn: false }, () => this.draw());
    },
    onStateAction(): void {
      if (this.data.canRetry) void this.load();
      else wx.navigateBack({ delta: 1 });
    },

    /** Sizes the canvas to the screen's pixels and draws the layout on it. */
    draw(): void {
      wx.createSelectorQuery()
        .in(this)
        .select('#certificate')
        .fields({ node: true, size: true })
        .exec((res: Array<{ node?: CanvasNode; width?: number; height?: number } | null>) => {
          const p = priv.get(this);
          const found = res[0];
          const canvas = found?.node;
          if (!p?.data || !canvas || !found.width) return;
          const width = found.width;
          const height = found.height || Math.round(width * ASPECT);
          const dpr = pixelRatio();
          canvas.width = Math.round(width * dpr);
          canvas.height = Math.round(height * dpr);
          const ctx = canvas.getContext('2d');
          ctx.scale(dpr, dpr);
          paintCertificate(ctx, layoutCertificate(p.data, width, height));
          p.canvas = canvas;
          this.setData({ drawn: true });
        });
    },

    async save(): Promise<void> {
      const canvas = priv.get(this)?.canvas;
      if (!canvas || this.data.saving) return;
      this.setData({ saving: true });
      const path = await exportImage(canvas);
      if (!path) {
        this.setData({ saving: false });
        wx.showToast({ title: '生成图片失败，请重试', icon: 'none' });
        return;
      }
      wx.saveImageToPhotosAlbum({
        filePath: path,
        success: () => {
          this.setData({ saving: false });
          wx.showToast({ title: '已保存到相册', icon: 'success' });
        },
        fail: (e) => {
          this.setData({ saving: false });
          if (/cancel/i.test(e.errMsg)) return;
          if (/auth|deny|denied|authorize/i.test(e.errMsg)) {
            void wx
              .showModal({ title: '需要相册权限', content: '请在设置中允许“保存到相册”，再保存证书。', confirmText: '去设置' })
              .then((res) => {
                if (res.confirm) wx.openSetting({});
              }, () => undefined);
            return;
          }
          wx.showToast({ title: '保存失败，请重试', icon: 'none' });
        },
      });
    },

    async share(): Promise<void> {
      const canvas = priv.get(this)?.canvas;
      if (!canvas) return;
      const path = await exportImage(canvas);
      if (!path) {
        wx.showToast({ title: '生成图片失败，请重试', icon: 'none' });
        return;
      }
      wx.showShareImageMenu({ path });
    },

    toVerify(): void {
      wx.navigateTo({ url: `/packages/worker/verify/index?code=${this.data.verifyCode}` });
    },
  },
});
