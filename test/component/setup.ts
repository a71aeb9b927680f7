/**
 * What miniprogram-simulate's `wx` lacks for our pages, installed before every component test
 * file: working storage, `wx.cloud` (absent from simulate; here it refuses until a test stands
 * one in), `getApp`/`getCurrentPages`, a fixed device, and a record of what the app asked WeChat
 * to do (navigate, toast, modal) so tests can assert on it.
 */
import 'miniprogram-simulate';
import { wxLog, type ModalAnswer } from './wx-log';

type Callbacks = {
  success?: (res: Record<string, unknown>) => void;
  fail?: (res: { errMsg: string }) => void;
  complete?: (res: Record<string, unknown>) => void;
};

const g = globalThis as unknown as {
  wx: Record<string, unknown>;
  getApp: () => Record<string, unknown>;
  getCurrentPages: () => unknown[];
};

/** A WeChat async API: callbacks when given, a promise otherwise, answered after a tick as WeChat does. */
function asyncApi<O extends Callbacks>(name: string, answer: (options: O) => Record<string, unknown>) {
  return (options: O = {} as O): Promise<Record<string, unknown>> | undefined => {
    const res = { errMsg: `${name}:ok`, ...answer(options) };
    const settle = (): void => {
      options.success?.(res);
      options.complete?.(res);
    };
    if (options.success || options.fail || options.complete) {
      setTimeout(settle, 0);
      return undefined;
    }
    return new Promise((resolve) => setTimeout(() => resolve(res), 0));
  };
}

const log = wxLog();
const storage = log.storage;

const device = {
  brand: 'devtools',
  model: 'iPhone 13',
  system: 'iOS 16.0',
  platform: 'ios',
  pixelRatio: 2,
  screenWidth: 375,
  screenHeight: 812,
  windowWidth: 375,
  windowHeight: 728,
  statusBarHeight: 44,
  safeArea: { left: 0, right: 375, top: 44, bottom: 778, width: 375, height: 734 },
  language: 'zh_CN',
  version: '8.0.50',
  SDKVersion: '3.7.2',
  theme: 'light',
};

const navigate = (kind: 'navigateTo' | 'switchTab' | 'redirectTo' | 'reLaunch') =>
  asyncApi<Callbacks & { url?: string }>(kind, (o) => {
    log.navigations.push({ kind, url: o.url ?? '' });
    return {};
  });

const cloudUnavailable = (name: string) => (options: Callbacks = {}) => {
  const res = { errMsg: `cloud.${name}:fail wx.cloud is not available in component tests` };
  setTimeout(() => options.fail?.(res), 0);
  return { abort() {}, onProgressUpdate() {}, offProgressUpdate() {} };
};

Object.assign(g.wx, {
  getStorageSync: (key: string) => (storage.has(key) ? storage.get(key) : ''),
  setStorageSync: (key: string, value: unknown) => void storage.set(key, value),
  removeStorageSync: (key: string) => void storage.delete(key),
  clearStorageSync: () => storage.clear(),
  getStorageInfoSync: () => ({ keys: [...storage.keys()], currentSize: 0, limitSize: 10240 }),

  getSystemInfoSync: () => ({ ...device }),
  getWindowInfo: () => ({ ...device }),
  getDeviceInfo: () => ({ ...device }),
  getAppBaseInfo: () => ({ ...device, host: { env: 'WeChat' }, enableDebug: false }),

  navigateTo: navigate('navigateTo'),
  switchTab: navigate('switchTab'),
  redirectTo: navigate('redirectTo'),
  reLaunch: navigate('reLaunch'),
  navigateBack: asyncApi<Callbacks & { delta?: number }>('navigateBack', (o) => {
    log.navigations.push({ kind: 'navigateBack', url: String(o.delta ?? 1) });
    return {};
  }),
  showToast: asyncApi<Callbacks & { title?: string }>('showToast', (o) => {
    log.toasts.push(o.title ?? '');
    return {};
  }),
  showModal: asyncApi<Callbacks & { title?: string; content?: string }>('showModal', (o) => {
    log.modals.push({ title: o.title ?? '', content: o.content ?? '' });
    const answer: ModalAnswer = log.modalAnswers.shift() ?? { confirm: false };
    return { confirm: answer.confirm, cancel: !answer.confirm, content: answer.content ?? '' };
  }),
  stopPullDownRefresh: asyncApi('stopPullDownRefresh', () => {
    log.pullDownStopped += 1;
    return {};
  }),

  cloud: {
    init: () => undefined,
    callFunction: cloudUnavailable('callFunction'),
    uploadFile: cloudUnavailable('uploadFile'),
  },
});

const app = { globalData: {} };
g.getApp = () => app;
// The load() helper puts the rendered page here; TDesign looks pages up for its toasts and dialogs.
g.getCurrentPages = () => log.pages;

