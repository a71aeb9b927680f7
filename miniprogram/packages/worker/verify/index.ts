/**
 * 证书验证, public: anyone (an employer, a colleague) types or scans the 10-character code printed
 * at the bottom of an e-certificate and learns whether the palace issued it, and to whom. The
 * server checks its own signature over the certificate's data, so an edited picture or an invented
 * code is not genuine. Opened with `?code=` (a shared certificate), it checks at once; otherwise
 * the first screen makes no call.
 */
import { ACTIONS } from '../../../core/actions';
import type { CertificateData } from '../../../core/judging';
import { api } from '../../../services/client';
import { chinaDate } from '../../../utils/certificate-layout';

type Verdict = 'none' | 'checking' | 'genuine' | 'forged' | 'error';

/** The code in whatever a scan read: the bare code, a link carrying `code=`, or a line of text around it. */
function codeFromScan(text: string): string | null {
  const s = text.trim().toUpperCase();
  const param = /[?&]CODE=([A-HJ-NP-Z2-9]{10})(?:&|$)/.exec(s);
  if (param?.[1]) return param[1];
  const inside = /(?:^|[^A-Z0-9])([A-HJ-NP-Z2-9]{10})(?:[^A-Z0-9]|$)/.exec(s);
  return inside?.[1] ?? null;
}

function rows(d: CertificateData): Array<{ label: string; value: string }> {
  return [
    { label: '获奖人', value: d.name || '（已注销）' },
    { label: '所在工会', value: d.unitName || '—' },
    { label: '比赛', value: d.activityTitle },
    { label: '类别', value: d.trackName },
    { label: '作品编号', value: d.code },
    { label: '奖项', value: d.award },
    { label: '颁发单位', value: d.issuer },
    { label: '颁发日期', value: chinaDate(d.issuedAt) },
  ];
}

Component({
  data: {
    code: '',
    codeError: '',
    verdict: 'none' as Verdict,
    checked: '',
    message: '',
    details: [] as Array<{ label: string; value: string }>,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>): void {
      let raw = query.code ?? '';
      try {
        raw = decodeURIComponent(raw);
      } catch {
        // Not encoded after all: read it as it is.
      }
      const code = codeFromScan(raw);
      if (code) void this.check(code);
    },
    onShareAppMessage(): WechatMiniprogram.Page.ICustomShareContent {
      return { title: '区工人文化宫 · 电子证书验证', path: '/packages/worker/verify/index' };
    },

    onCode(e: WechatMiniprogram.CustomEvent<{ value?: string }>): void {
      this.setData({ code: (e.detail.value ?? '').toUpperCase(), codeError: '' });
    },
    submit(): void {
      const code = this.data.code.trim().toUpperCase();
      if (!code) {
        this.setData({ codeError: '请输入证书底部的 10 位验证码' });
        return;
      }
      const parsed = ACTIONS['certificates.verify'].payload.parse({ code });
      if (!parsed.ok) {
        this.setData({ codeError: code.length !== 10 ? '验证码为 10 位字母或数字' : `${parsed.issue.message}（不含 0、1、O、I）` });
        return;
      }
      void this.check(parsed.value.code);
    },
    scan(): void {
      wx.scanCode({
        onlyFromCamera: false,
        success: (res) => {
          const code = codeFromScan(res.result ?? '');
          if (!code) {
            wx.showToast({ title: '没有识别到证书验证码', icon: 'none' });
            return;
          }
          void this.check(code);
        },
      });
    },

    async check(code: string): Promise<void> {
      if (this.data.verdict === 'checking') return;
      this.setData({ verdict: 'checking', code, codeError: '' });
      const r = await api('certificates.verify', { code });
      if (!r.ok) {
        if (r.code === 'INVALID_PAYLOAD') this.setData({ verdict: 'none', codeError: r.message });
        else this.setData({ verdict: 'error', message: r.message });
        return;
      }
      if (!r.data.valid || !r.data.data) {
        this.setData({ verdict: 'forged', checked: code, details: [] });
        return;
      }
      this.setData({ verdict: 'genuine', checked: code, details: rows(r.data.data) });
    },
    retry(): void {
      void this.check(this.data.code.trim().toUpperCase());
    },
  },
});
