/**
 * WeChat device APIs the staff pages use (the camera's scanCode, chooseMessageFile from a chat,
 * previewImage, makePhoneCall), answered by the test and recorded. Promise style and callback
 * style both work, answered after a tick as WeChat does; an answer whose errMsg contains ":fail"
 * fails. `restoreDevice()` puts simulate's own fakes back.
 */
type Answer = (options: Record<string, unknown>) => Record<string, unknown>;

const g = globalThis as unknown as { wx: Record<string, unknown> };
const saved = new Map<string, unknown>();

export const deviceCalls: Array<{ name: string; options: Record<string, unknown> }> = [];

export function stubDevice(name: string, answer: Answer): void {
  if (!saved.has(name)) saved.set(name, g.wx[name]);
  g.wx[name] = (options: Record<string, unknown> & { success?: (r: unknown) => void; fail?: (r: unknown) => void; complete?: (r: unknown) => void } = {}) => {
    deviceCalls.push({ name, options });
    const res = { errMsg: `${name}:ok`, ...answer(options) };
    const ok = !String(res.errMsg).includes(':fail');
    if (options.success || options.fail || options.complete) {
      setTimeout(() => {
        (ok ? options.success : options.fail)?.(res);
        options.complete?.(res);
      }, 0);
      return undefined;
    }
    return new Promise((resolve, reject) => setTimeout(() => (ok ? resolve(res) : reject(res)), 0));
  };
}

/** Answers scanCode with each text in turn (then a cancel). */
export function scans(...texts: string[]): void {
  const queue = [...texts];
  stubDevice('scanCode', () => {
    const text = queue.shift();
    return text === undefined ? { errMsg: 'scanCode:fail cancel' } : { result: text, scanType: 'QR_CODE', charSet: 'utf-8' };
  });
}

export function restoreDevice(): void {
  for (const [name, fn] of saved) g.wx[name] = fn;
  saved.clear();
  deviceCalls.length = 0;
}
