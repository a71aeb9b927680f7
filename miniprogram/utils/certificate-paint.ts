/**
 * Replays certificate-layout.ts's operations on a canvas 2D context. The context is typed by what
 * is used, so this file needs neither wx nor the DOM.
 */
import { cssFont, type DrawOp } from './certificate-layout';

export interface Context2D {
  fillStyle: unknown;
  strokeStyle: unknown;
  lineWidth: number;
  font: string;
  textAlign: string;
  textBaseline: string;
  fillRect(x: number, y: number, w: number, h: number): void;
  strokeRect(x: number, y: number, w: number, h: number): void;
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  stroke(): void;
  fillText(text: string, x: number, y: number): void;
}

export function paintCertificate(ctx: Context2D, ops: readonly DrawOp[]): void {
  for (const o of ops) {
    if (o.op === 'rect') {
      if (o.fill) {
        ctx.fillStyle = o.fill;
        ctx.fillRect(o.x, o.y, o.w, o.h);
      }
      if (o.stroke) {
        ctx.strokeStyle = o.stroke;
        ctx.lineWidth = o.lineWidth ?? 1;
        ctx.strokeRect(o.x, o.y, o.w, o.h);
      }
    } else if (o.op === 'line') {
      ctx.strokeStyle = o.stroke;
      ctx.lineWidth = o.lineWidth;
      ctx.beginPath();
      ctx.moveTo(o.x1, o.y1);
      ctx.lineTo(o.x2, o.y2);
      ctx.stroke();
    } else {
      ctx.fillStyle = o.color;
      ctx.font = cssFont(o.font);
      ctx.textAlign = o.align;
      ctx.textBaseline = 'alphabetic';
      ctx.fillText(o.text, o.x, o.y);
    }
  }
}
