/**
 * The e-certificate as a list of drawing operations: pure (no wx, no canvas), so it can be
 * checked in tests, replayed on the phone's `<canvas type="2d">` (certificate-paint.ts) and turned
 * into SVG for a screenshot. Portrait, A4 proportions; every position scales with the width.
 *
 * Text widths are estimated (a CJK character is one em, Latin letters and digits about half), which
 * is enough to centre and wrap: the canvas draws centred text around the given x itself.
 */
import type { CertificateData } from '../core/judging';
import { toChina } from '../core/time';

export type Align = 'left' | 'center' | 'right';

export interface Font {
  size: number;
  weight: 'normal' | 'bold';
  family: 'serif' | 'sans-serif';
}

/** What a text op is, for tests and for whoever reads the ops. */
export type TextRole = 'title' | 'subtitle' | 'name' | 'unit' | 'body' | 'award' | 'closing' | 'issuer' | 'date' | 'verify';

export type DrawOp =
  | { op: 'rect'; x: number; y: number; w: number; h: number; fill?: string; stroke?: string; lineWidth?: number }
  | { op: 'line'; x1: number; y1: number; x2: number; y2: number; stroke: string; lineWidth: number }
  /** `y` is the text's alphabetic baseline; `x` its left edge, centre or right edge by `align`. */
  | { op: 'text'; role: TextRole; text: string; x: number; y: number; font: Font; color: string; align: Align };

/** The design's size; everything is laid out in these units and scaled to the canvas. */
export const BASE_WIDTH = 600;
export const ASPECT = 297 / 210;

const COLORS = {
  paper: '#fffdf6',
  gold: '#b8862b',
  red: '#c4271b',
  ink: '#1f1f1f',
  soft: '#5b5b5b',
  faint: '#8a8a8a',
};

/** Estimated width of `text` at `size`: one em for CJK and full-width marks, about half for the rest. */
export function textWidth(text: string, size: number): number {
  let em = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    em += c > 0x2e80 || (c >= 0x2010 && c <= 0x201f) ? 1 : c === 0x20 ? 0.3 : 0.56;
  }
  return em * size;
}

/** Breaks `text` into lines no wider than `max` (by estimate), preferring not to split Latin runs. */
export function wrap(text: string, size: number, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  const tokens = text.match(/[A-Za-z0-9-]+|\s+|./gu) ?? [];
  for (const token of tokens) {
    if (line && textWidth(line + token, size) > max) {
      lines.push(line.trimEnd());
      line = token.trimStart();
    } else line += token;
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines;
}

/** 2026年6月30日, on China's calendar. */
export function chinaDate(instant: number): string {
  const c = toChina(instant);
  return `${c.year}年${c.month}月${c.day}日`;
}

export function layoutCertificate(data: CertificateData, width: number, height = Math.round(width * ASPECT)): DrawOp[] {
  const s = width / BASE_WIDTH;
  const cx = width / 2;
  const ops: DrawOp[] = [];
  const font = (size: number, weight: Font['weight'] = 'normal', family: Font['family'] = 'serif'): Font => ({ size: size * s, weight, family });
  const text = (role: TextRole, t: string, x: number, y: number, f: Font, color: string, align: Align = 'center'): void => {
    ops.push({ op: 'text', role, text: t, x, y, font: f, color, align });
  };

  // Paper and a double gold frame.
  ops.push({ op: 'rect', x: 0, y: 0, w: width, h: height, fill: COLORS.paper });
  ops.push({ op: 'rect', x: 18 * s, y: 18 * s, w: width - 36 * s, h: height - 36 * s, stroke: COLORS.gold, lineWidth: 6 * s });
  ops.push({ op: 'rect', x: 32 * s, y: 32 * s, w: width - 64 * s, h: height - 64 * s, stroke: COLORS.gold, lineWidth: 1.5 * s });

  // Title.
  text('title', '荣誉证书', cx, 150 * s, font(56, 'bold'), COLORS.red);
  text('subtitle', 'CERTIFICATE OF HONOR', cx, 186 * s, font(15, 'normal', 'sans-serif'), COLORS.gold);
  ops.push({ op: 'line', x1: cx - 120 * s, y1: 208 * s, x2: cx + 120 * s, y2: 208 * s, stroke: COLORS.gold, lineWidth: 1.5 * s });

  // The person, centred, on a rule.
  const name = data.name || '获奖者';
  const nameFont = font(44, 'bold');
  text('name', name, cx, 300 * s, nameFont, COLORS.ink);
  const ruleHalf = Math.max(textWidth(name, nameFont.size) / 2 + 24 * s, 110 * s);
  ops.push({ op: 'line', x1: cx - ruleHalf, y1: 316 * s, x2: cx + ruleHalf, y2: 316 * s, stroke: COLORS.ink, lineWidth: 1 * s });
  let y = 352 * s;
  if (data.unitName) {
    text('unit', data.unitName, cx, y, font(22), COLORS.soft);
    y += 18 * s;
  }

  // What for: the competition, the track and the entry code, wrapped to the frame.
  const bodyFont = font(24);
  const body = `您的作品（编号 ${data.code}）在${data.activityTitle}${data.trackName ? `「${data.trackName}」` : ''}评选中荣获`;
  y += 50 * s;
  for (const line of wrap(body, bodyFont.size, width - 150 * s).slice(0, 3)) {
    text('body', line, cx, y, bodyFont, COLORS.ink);
    y += 42 * s;
  }

  // The award, large and red.
  const awardY = Math.max(y + 56 * s, 560 * s);
  text('award', data.award, cx, awardY, font(60, 'bold'), COLORS.red);
  text('closing', '特发此证，以资鼓励。', cx, awardY + 62 * s, font(24), COLORS.ink);

  // Issuer and date, right-aligned above the foot.
  const right = width - 80 * s;
  text('issuer', data.issuer, right, height - 128 * s, font(26, 'bold'), COLORS.ink, 'right');
  text('date', chinaDate(data.issuedAt), right, height - 92 * s, font(22), COLORS.soft, 'right');

  // The verification code at the bottom: anyone can check it on the public page.
  ops.push({ op: 'line', x1: 70 * s, y1: height - 72 * s, x2: width - 70 * s, y2: height - 72 * s, stroke: COLORS.gold, lineWidth: 0.8 * s });
  text('verify', `证书验证码 ${data.verifyCode} · 微信小程序「证书验证」可查验真伪`, cx, height - 46 * s, font(15, 'normal', 'sans-serif'), COLORS.faint);
  return ops;
}

/** The CSS font shorthand a canvas context takes. */
export function cssFont(f: Font): string {
  const family = f.family === 'serif' ? '"Songti SC", "SimSun", "Noto Serif CJK SC", serif' : '"PingFang SC", "Microsoft YaHei", sans-serif';
  return `${f.weight === 'bold' ? 'bold ' : ''}${Math.round(f.size * 100) / 100}px ${family}`;
}
