/** Finders for the staff pages' controls: TDesign switches, native pickers, a window's four pickers. */
import { norm, type RenderedPage } from './load';

/** TDesign switches on screen, in order (tap one to flip it). */
export function switches(page: RenderedPage): Element[] {
  return Array.from(page.comp.dom.querySelectorAll('[class*="t-switch__body"]'));
}

/** Native pickers on screen, in order. */
export function pickers(page: RenderedPage): Element[] {
  return Array.from(page.comp.dom.querySelectorAll('wx-picker'));
}

/** The window field labelled `label` (活动时间, 报名时间, 报名期…). */
export function windowField(page: RenderedPage, label: string): Element {
  const fields = Array.from(page.comp.dom.querySelectorAll('[class~="window-field--wf"], [class*="window-field--wf "]'));
  const found = fields.find((f) => norm(f.querySelector('[class*="window-field--wf__label"]')?.textContent).startsWith(label));
  if (!found) throw new Error(`no window field labelled "${label}"`);
  return found;
}

/** Picks a window's start and end (China wall clock: "2026-06-20", "14:00") as a person would. */
export async function pickWindow(page: RenderedPage, label: string, w: { startDate?: string; startTime?: string; endDate?: string; endTime?: string }): Promise<void> {
  const [startDate, startTime, endDate, endTime] = Array.from(windowField(page, label).querySelectorAll('wx-picker'));
  if (w.startDate) await page.fire(startDate!, 'change', { value: w.startDate });
  if (w.startTime) await page.fire(startTime!, 'change', { value: w.startTime });
  if (w.endDate) await page.fire(windowField(page, label).querySelectorAll('wx-picker')[2] ?? endDate!, 'change', { value: w.endDate });
  if (w.endTime) await page.fire(windowField(page, label).querySelectorAll('wx-picker')[3] ?? endTime!, 'change', { value: w.endTime });
}

/** The text of the window field labelled `label`, error included. */
export function windowText(page: RenderedPage, label: string): string {
  return norm(windowField(page, label).textContent);
}
