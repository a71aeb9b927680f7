/**
 * The check-in code as a QR picture, drawn on the phone from the code the server signed (utils/qr
 * + utils/png: no canvas, no download). Staff scan it at the venue. The picture is made here, in
 * the component, so a page's setData carries only the code.
 */
import { qrDataUri } from '../../utils/png';

Component({
  options: { virtualHost: true },
  properties: {
    code: { type: String, value: '' },
    /** Under the picture; blank for none. */
    caption: { type: String, value: '到场后请向工作人员出示此码签到' },
  },
  data: {
    src: '',
    failed: false,
  },
  observers: {
    code(code: string): void {
      if (!code) {
        this.setData({ src: '', failed: false });
        return;
      }
      try {
        this.setData({ src: qrDataUri(code), failed: false });
      } catch {
        // Longer than any QR code holds: never for a server-signed code.
        this.setData({ src: '', failed: true });
      }
    },
  },
});
