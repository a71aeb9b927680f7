/**
 * What miniprogram-simulate's `wx` lacks for our pages, installed before every component test
 * file: working storage, `wx.cloud` (absent from simulate; here it refuses until a test stands
 * one in), `getApp`/`getCurrentPages`, a fixed device, and a record of what the app asked WeChat
 * to do (navigate, toast, modal) so tests can assert on it. Device APIs (chooseMedia,
 * compressImage, compressVideo, getFileInfo, requestSubscribeMessage) answer with real temporary
 * files and can be stubbed per test through wxLog().stubs.
 */
import 'miniprogram-simulate';
import { readFileSync, statSync } from 'node:fs';
import { SAMPLE_PHOTO, sampleVideo, tempCopy } from './media-files';
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

// ---- device APIs: media, files, subscriptions ---------------------------------------------------
// Each call is recorded (wxLog().apiCalls); a test may answer one with wxLog().stubs[name]. The
// defaults pick the committed sample photo and a small MP4, and "re-encode" by copying to a new
// temporary file, so uploads through the HTTP bridge send real bytes from disk.

type DeviceCallbacks = Callbacks & Record<string, unknown>;

/** A device API: recorded, answered by a test's stub or the default, after a tick, as WeChat does. */
function deviceApi(name: string, fallback: (o: Record<string, unknown>) => Record<string, unknown>) {
  return (options: DeviceCallbacks = {}): Promise<Record<string, unknown>> | undefined => {
    log.apiCalls.push({ name, options, mark: log.mark() });
    let res: Record<string, unknown>;
    try {
      res = (log.stubs[name] ?? fallback)(options);
    } catch (e) {
      res = { errMsg: `${name}:fail ${(e as Error).message}` };
    }
    const ok = !String(res.errMsg ?? '').includes(':fail');
    const full = { errMsg: `${name}:ok`, ...res };
    const hasCallbacks = Boolean(options.success || options.fail || options.complete);
    if (hasCallbacks) {
      setTimeout(() => {
        (ok ? options.success : options.fail)?.(full as never);
        options.complete?.(full);
      }, 0);
      return undefined;
    }
    return new Promise((resolve, reject) => setTimeout(() => (ok ? resolve(full) : reject(full)), 0));
  };
}

const mediaDefaults = {
  chooseMedia: (o: Record<string, unknown>) => {
    const video = Array.isArray(o.mediaType) && o.mediaType.includes('video');
    if (video) {
      const path = sampleVideo();
      return { type: 'video', tempFiles: [{ tempFilePath: path, size: statSync(path).size, duration: 42, width: 1280, height: 720, fileType: 'video', thumbTempFilePath: tempCopy(SAMPLE_PHOTO) }] };
    }
    const path = tempCopy(SAMPLE_PHOTO);
    return { type: 'image', tempFiles: [{ tempFilePath: path, size: statSync(path).size, duration: 0, width: 640, height: 480, fileType: 'image', thumbTempFilePath: '' }] };
  },
  compressImage: (o: Record<string, unknown>) => ({ tempFilePath: tempCopy(String(o.src), '.jpg') }),
  compressVideo: (o: Record<string, unknown>) => {
    const path = tempCopy(String(o.src), '.mp4');
    return { tempFilePath: path, size: statSync(path).size / 1024 };
  },
  getFileInfo: (o: Record<string, unknown>) => ({ size: statSync(String(o.filePath)).size, digest: '' }),
  requestSubscribeMessage: (o: Record<string, unknown>) =>
    Object.fromEntries((Array.isArray(o.tmplIds) ? o.tmplIds : []).map((id) => [String(id), 'accept'])),
};

const fileSystem = {
  getFileInfo: deviceApi('getFileInfo', mediaDefaults.getFileInfo),
  readFileSync: (path: string) => readFileSync(path),
};

Object.assign(g.wx, {
  chooseMedia: deviceApi('chooseMedia', mediaDefaults.chooseMedia),
  compressImage: deviceApi('compressImage', mediaDefaults.compressImage),
  compressVideo: deviceApi('compressVideo', mediaDefaults.compressVideo),
  // Deprecated in the typings, still on phones: the same answer as the file system manager's.
  getFileInfo: deviceApi('getFileInfo', mediaDefaults.getFileInfo),
  getFileSystemManager: () => fileSystem,
  requestSubscribeMessage: deviceApi('requestSubscribeMessage', mediaDefaults.requestSubscribeMessage),
});

const app = { globalData: {} };
g.getApp = () => app;
// The load() helper puts the rendered page here; TDesign looks pages up for its toasts and dialogs.
g.getCurrentPages = () => log.pages;

