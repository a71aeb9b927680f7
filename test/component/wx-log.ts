/**
 * What the app asked WeChat to do, kept on globalThis: pages, the setup and the tests each see
 * their own copy of this module after jest.resetModules(), but one shared record.
 */
export interface ModalAnswer {
  confirm: boolean;
  /** What an editable modal answers. */
  content?: string;
}

export interface WxLog {
  navigations: Array<{ kind: string; url: string }>;
  toasts: string[];
  modals: Array<{ title: string; content: string }>;
  /** Answers for the next wx.showModal calls, in order; a modal with none queued is cancelled. */
  modalAnswers: ModalAnswer[];
  pullDownStopped: number;
  storage: Map<string, unknown>;
  /** The page stack getCurrentPages() answers. */
  pages: unknown[];
  /**
   * The device APIs the app called (media, files, subscriptions), in order, with their options
   * and how many cloud calls a test's counter showed at that moment (see `mark`).
   */
  apiCalls: Array<{ name: string; options: Record<string, unknown>; mark: number }>;
  /** What `mark` reads when a device API is called, e.g. `() => cloud.calls.length`. */
  mark: () => number;
  /**
   * A test's answers for device APIs, by name: return the success result, or `{ errMsg }` with
   * ":fail" in it to fail. Unset: setup's defaults (the sample files in test/fixtures/media).
   */
  stubs: Partial<Record<string, (options: Record<string, unknown>) => Record<string, unknown>>>;
  reset(): void;
}

const KEY = '__wcpWxLog';

export function wxLog(): WxLog {
  const g = globalThis as unknown as Record<string, WxLog | undefined>;
  const existing = g[KEY];
  if (existing) return existing;
  const log: WxLog = {
    navigations: [],
    toasts: [],
    modals: [],
    modalAnswers: [],
    pullDownStopped: 0,
    storage: new Map(),
    pages: [],
    apiCalls: [],
    mark: () => 0,
    stubs: {},
    reset() {
      log.navigations.length = 0;
      log.toasts.length = 0;
      log.modals.length = 0;
      log.modalAnswers.length = 0;
      log.pullDownStopped = 0;
      log.storage.clear();
      log.pages.length = 0;
      log.apiCalls.length = 0;
      log.mark = () => 0;
      log.stubs = {};
    },
  };
  g[KEY] = log;
  return log;
}
