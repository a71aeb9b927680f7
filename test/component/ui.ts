/**
 * Small finders for what a person aims at on a crowded screen: a button by its label (not the
 * same words elsewhere, e.g. the 报名 window above the 报名 button), a field by its kind.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS test-only helpers without types */
import { norm, type RenderedPage } from './load';

const { PNG } = require('pngjs') as { PNG: { sync: { read(b: Buffer): { width: number; height: number; data: Buffer } } } };
const QrCodeReader = require('qrcode-reader') as new () => {
  callback: (err: unknown, value: { result: string } | undefined) => void;
  decode(img: { width: number; height: number; data: Buffer }): void;
};

/** The button (TDesign's, a native <button> inside) reading exactly `label`. */
export function button(page: RenderedPage, label: string): Element {
  const found = Array.from(page.comp.dom.querySelectorAll('wx-button')).find((b) => norm(b.textContent) === label);
  if (!found) {
    const labels = Array.from(page.comp.dom.querySelectorAll('wx-button')).map((b) => norm(b.textContent));
    throw new Error(`no button reads "${label}"; the buttons read: ${JSON.stringify(labels)}`);
  }
  return found;
}

export function buttons(page: RenderedPage): string[] {
  return Array.from(page.comp.dom.querySelectorAll('wx-button')).map((b) => norm(b.textContent));
}

/** Whether the button reading `label` is disabled (TDesign marks it with a class). */
export function isDisabled(el: Element): boolean {
  for (let e: Element | null = el; e; e = e.parentElement) {
    if (/t-button--disabled/.test(e.getAttribute('class') ?? '')) return true;
  }
  return false;
}

/** The n-th native textarea on screen. */
export function textarea(page: RenderedPage, n = 0): Element {
  const el = page.comp.dom.querySelectorAll('wx-textarea')[n];
  if (!el) throw new Error('no textarea on screen');
  return el;
}

/** A child component by its id (`<checkin-qr id="qr">`), as j-component finds it. */
function child(page: RenderedPage, id: string): { data: Record<string, unknown> } | null {
  const comp = page.comp as unknown as { querySelector(selector: string): { data: Record<string, unknown> } | null };
  return comp.querySelector(`#${id}`);
}

/** Reads the check-in QR picture on screen (component `#qr`) as the scanner at the venue would. */
export function scanQr(page: RenderedPage, id = 'qr'): Promise<string> {
  const src = String(child(page, id)?.data.src ?? '');
  const prefix = 'data:image/png;base64,';
  if (!src.startsWith(prefix)) return Promise.reject(new Error(`no QR picture on screen (src: "${src.slice(0, 40)}")`));
  const img = PNG.sync.read(Buffer.from(src.slice(prefix.length), 'base64'));
  return new Promise((resolve, reject) => {
    const reader = new QrCodeReader();
    reader.callback = (e, v) => (e || !v ? reject(e ?? new Error('unreadable')) : resolve(v.result));
    reader.decode(img);
  });
}

/** Lets WeChat's callbacks and the cloud's answers run until `done()` holds (or `ms` pass). */
export async function until(page: RenderedPage, done: () => boolean, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  // Date.now may be mocked to a fixed moment; count rounds as well.
  for (let round = 0; !done() && (Date.now() < end || round < 50) && round < ms / 10; round++) {
    await page.settle();
    await new Promise((r) => setTimeout(r, 10));
  }
  if (!done()) throw new Error(`still waiting; the screen shows: ${page.text()}`);
}

/** Real HTTP answers take real time (live-cloud tests): wait for what the screen should show. */
export async function shows(page: RenderedPage, text: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!page.text().includes(text)) {
    if (Date.now() > end) throw new Error(`"${text}" never appeared; the screen shows: ${page.text()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
