/**
 * The certificate's drawing operations as a standalone SVG, and a 2D context that records what a
 * page drew on it: jsdom has no canvas, so tests read the layout, and a screenshot can be taken of
 * the SVG (e.g. `chromium --headless --screenshot=cert.png --window-size=600,849 cert.svg`;
 * Debian's Chromium needs fonts-noto-cjk for the Chinese text).
 */
import type { DrawOp, Font } from '../../miniprogram/utils/certificate-layout';

const esc = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
const n = (x: number): string => String(Math.round(x * 100) / 100);
const ANCHOR = { left: 'start', center: 'middle', right: 'end' } as const;
const FAMILY: Record<Font['family'], string> = {
  serif: "'Noto Serif CJK SC', 'Songti SC', 'SimSun', serif",
  'sans-serif': "'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif",
};

export function certificateSvg(ops: readonly DrawOp[], width: number, height: number): string {
  const body = ops.map((o) => {
    if (o.op === 'rect') {
      const fill = o.fill ? `fill="${esc(o.fill)}"` : 'fill="none"';
      const stroke = o.stroke ? ` stroke="${esc(o.stroke)}" stroke-width="${n(o.lineWidth ?? 1)}"` : '';
      return `<rect x="${n(o.x)}" y="${n(o.y)}" width="${n(o.w)}" height="${n(o.h)}" ${fill}${stroke}/>`;
    }
    if (o.op === 'line') {
      return `<line x1="${n(o.x1)}" y1="${n(o.y1)}" x2="${n(o.x2)}" y2="${n(o.y2)}" stroke="${esc(o.stroke)}" stroke-width="${n(o.lineWidth)}"/>`;
    }
    return (
      `<text data-role="${o.role}" x="${n(o.x)}" y="${n(o.y)}" text-anchor="${ANCHOR[o.align]}" ` +
      `font-family="${FAMILY[o.font.family]}" font-size="${n(o.font.size)}" font-weight="${o.font.weight}" fill="${esc(o.color)}">${esc(o.text)}</text>`
    );
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${n(width)}" height="${n(height)}" viewBox="0 0 ${n(width)} ${n(height)}">\n${body.join('\n')}\n</svg>\n`;
}

export interface DrawnText {
  text: string;
  x: number;
  y: number;
  font: string;
  align: string;
  color: unknown;
}

/** A canvas 2D context that keeps what was drawn, in the order it was drawn. */
export function recordingContext() {
  const texts: DrawnText[] = [];
  const calls: string[] = [];
  const ctx = {
    fillStyle: '' as unknown,
    strokeStyle: '' as unknown,
    lineWidth: 1,
    font: '',
    textAlign: 'start',
    textBaseline: 'alphabetic',
    scaled: [1, 1] as [number, number],
    scale(x: number, y: number) {
      ctx.scaled = [x, y];
      calls.push('scale');
    },
    fillRect() {
      calls.push('fillRect');
    },
    strokeRect() {
      calls.push('strokeRect');
    },
    beginPath() {
      calls.push('beginPath');
    },
    moveTo() {
      calls.push('moveTo');
    },
    lineTo() {
      calls.push('lineTo');
    },
    stroke() {
      calls.push('stroke');
    },
    fillText(text: string, x: number, y: number) {
      calls.push('fillText');
      texts.push({ text, x, y, font: ctx.font, align: ctx.textAlign, color: ctx.fillStyle });
    },
  };
  return { ctx, texts, calls };
}
