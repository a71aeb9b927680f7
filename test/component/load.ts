/**
 * Renders a page of the app with miniprogram-simulate, as a user would meet it: its real WXML
 * (the official template compiler), its real TDesign components from miniprogram_npm, onLoad
 * and onShow called with the query. Then lets a test look at the text on screen and tap, type and
 * scroll the way a person would.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- the page, the client and simulate must be
   required after jest.resetModules(), from one module registry, so imports cannot do. */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { RuntimeConfig } from '../../miniprogram/config/types';
import type { ActionName, PayloadOf, ResultOf } from '../../miniprogram/core/actions';
import type { Result } from '../../miniprogram/core/result';
import type { Transport, UploadProgress } from '../../miniprogram/services/transport';
import { wxLog } from './wx-log';

export const APP_ROOT = resolve(__dirname, '../../miniprogram');

/** The parts of a j-component node a test touches. */
export interface SimComponent {
  dom: HTMLElement;
  instance: PageInstance;
  data: Record<string, unknown>;
  attach(parent: Element): void;
  detach(): void;
}

export interface PageInstance {
  data: Record<string, unknown>;
  setData(data: Record<string, unknown>, cb?: () => void): void;
  [method: string]: unknown;
}

interface Exparser {
  Event: {
    create(name: string, detail: unknown, options: Record<string, unknown>): unknown;
    dispatchEvent(target: unknown, event: unknown): void;
  };
}

/** The client as tests use it (typed here: the client itself is written against WeChat's typings). */
export interface ClientModule {
  setTransport(next: Transport | null, options?: { timeoutMs?: number }): void;
  api<K extends ActionName>(action: K, payload: PayloadOf<K>): Promise<Result<ResultOf<K>>>;
  upload(localPath: string, cloudPath: string, onProgress?: (p: UploadProgress) => void): Promise<Result<{ fileID: string }>>;
  localTransport(baseUrl: string): Transport;
  cloudTransport(): Transport;
  initBackend(): void;
}

const RUNTIME_MODULE = join(APP_ROOT, 'config/runtime');

// The generated runtime config, overridden for one load (e.g. cloud mode) or restored.
function useRuntime(override: Partial<RuntimeConfig> | undefined): void {
  if (!override) {
    jest.dontMock(RUNTIME_MODULE);
    return;
  }
  const actual = jest.requireActual<{ runtime: RuntimeConfig }>(RUNTIME_MODULE).runtime;
  jest.doMock(RUNTIME_MODULE, () => ({ runtime: { ...actual, ...override } }));
}

/** A fresh copy of the app's client, as a page would get it. */
export function freshClient(runtime?: Partial<RuntimeConfig>): ClientModule {
  jest.resetModules();
  useRuntime(runtime);
  return require(join(APP_ROOT, 'services/client')) as ClientModule;
}

interface Simulate {
  load(path: string, options: Record<string, unknown>): string;
  render(id: string, props?: Record<string, unknown>): SimComponent;
}

export interface LoadOptions {
  /** The page's query, as onLoad receives it. */
  query?: Record<string, string>;
  /** Answers the client's calls; omitted, the client uses its configured transport (local HTTP). */
  transport?: Transport;
  /** The client's time budget for a call (ms). */
  timeoutMs?: number;
  /** wx storage before the page loads (storage starts empty for every load). */
  storage?: Record<string, unknown>;
  /** Overrides of the generated runtime config for this load, e.g. `{ mode: 'cloud' }`. */
  runtime?: Partial<RuntimeConfig>;
}

export interface SetDataRecord {
  keys: string[];
  /** UTF-8 bytes of the JSON that crosses to the render layer. */
  bytes: number;
}

export interface RenderedPage {
  comp: SimComponent;
  /** The very client module the page calls through. */
  client: ClientModule;
  instance: PageInstance;
  /** The stylesheet simulate injected for this page and its components (1rpx = 1px). */
  styles(): string;
  /** Every setData the page made, in order. */
  setDataLog: SetDataRecord[];
  /** The visible text, whitespace collapsed. */
  text(): string;
  /** Element nodes on screen (WeChat advises fewer than 1000). */
  nodeCount(): number;
  /** Taps the element showing `label` (exactly, else containing it; the innermost one), or the element given. */
  tap(target: string | Element): Promise<void>;
  /** Types into the input of the field labelled `label` (TDesign t-input) or the input given. */
  type(target: string | Element, value: string): Promise<void>;
  /** Fires an event on an element, as the native component would. */
  fire(el: Element, name: string, detail?: unknown): Promise<void>;
  /** Calls a page method (lifecycle hooks: onReachBottom, onPullDownRefresh…) and settles. */
  run(method: string, ...args: unknown[]): Promise<unknown>;
  /** Waits for pending answers and the re-render that follows. */
  settle(): Promise<void>;
  find(label: string): Element | null;
}

/** Lets pending promise callbacks and zero-delay timers run (fake answers, WeChat callbacks). */
export async function settle(rounds = 4): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setTimeout(r, 0));
}

// npm components are named as in the app's JSON ("tdesign-miniprogram/button/button"); WeChat
// finds them in miniprogram_npm, simulate only by path.
function remapUsingComponents(pageDir: string): Record<string, string> {
  const map: Record<string, string> = {};
  const seen = new Set<string>();
  const visit = (componentPath: string): void => {
    if (seen.has(componentPath)) return;
    seen.add(componentPath);
    const json = JSON.parse(readFileSync(`${componentPath}.json`, 'utf8')) as { usingComponents?: Record<string, string> };
    for (const [tag, target] of Object.entries(json.usingComponents ?? {})) {
      if (target.startsWith('/')) {
        map[tag] = target;
        visit(join(APP_ROOT, target));
      } else if (target.startsWith('.')) {
        visit(join(dirname(componentPath), target));
      } else {
        map[tag] = `/miniprogram_npm/${target}`;
      }
    }
  };
  visit(join(pageDir, 'index'));
  return map;
}

// Simulate compiles every WXML file under the app root with the official compiler (≈0.4 s);
// the result is the same for every page of a test file, so compile once per file.
function cacheTemplateCompiler(): void {
  const compiler = require('miniprogram-compiler') as { wxmlToJs: (root: string, opts?: unknown) => string };
  const g = globalThis as unknown as { __wcpWxmlJs?: Map<string, string> };
  const cache = (g.__wcpWxmlJs ??= new Map());
  const original = compiler.wxmlToJs;
  if ((original as { cached?: boolean }).cached) return;
  const cached = (root: string, opts?: unknown): string => {
    const hit = cache.get(root);
    if (hit !== undefined) return hit;
    // wcc's output for the whole app passed the 1 MB default buffer of spawnSync (ENOBUFS).
    const js = original.call(compiler, root, { maxBuffer: 32 * 1024 * 1024, ...(opts as object | undefined) });
    cache.set(root, js);
    return js;
  };
  (cached as { cached?: boolean }).cached = true;
  compiler.wxmlToJs = cached;
}

// Simulate's built-in <input>/<textarea> render nothing; show their value, as a phone does.
function showNativeInputValues(): void {
  const jComponent = require('j-component') as { register(def: Record<string, unknown>): void };
  for (const name of ['input', 'textarea']) {
    jComponent.register({
      id: name,
      tagName: `wx-${name}`,
      template: '{{value}}',
      properties: { value: { type: String, value: '' } },
    });
  }
}

export async function load(page: string, options: LoadOptions = {}): Promise<RenderedPage> {
  // Every load starts from fresh modules (freshClient resets them): simulate registers components
  // by running their JS, which jest would otherwise serve from its cache for the second page.
  const client = freshClient(options.runtime);
  const log = wxLog();
  log.reset();
  for (const [k, v] of Object.entries(options.storage ?? {})) log.storage.set(k, v);

  if (options.transport) client.setTransport(options.transport, { timeoutMs: options.timeoutMs });
  else client.setTransport(null, { timeoutMs: options.timeoutMs });

  const simulate = require('miniprogram-simulate') as Simulate;
  const exparser = require('miniprogram-exparser') as Exparser;
  cacheTemplateCompiler();
  showNativeInputValues();

  const pageDir = join(APP_ROOT, page);
  const id = simulate.load(join(pageDir, 'index'), {
    rootPath: APP_ROOT,
    compiler: 'official',
    usingComponents: remapUsingComponents(pageDir),
  });
  // One page on screen at a time: the previous page of the file and its styles go.
  document.body.innerHTML = '';
  document.head.querySelectorAll('style').forEach((s) => s.remove());
  const comp = simulate.render(id);
  const parent = document.createElement('page-root');
  document.body.appendChild(parent);
  comp.attach(parent);
  const instance = comp.instance;
  log.pages.splice(0, log.pages.length, instance);

  const setDataLog: SetDataRecord[] = [];
  const originalSetData = instance.setData.bind(instance);
  instance.setData = (data, cb) => {
    setDataLog.push({ keys: Object.keys(data), bytes: Buffer.byteLength(JSON.stringify(data), 'utf8') });
    originalSetData(data, cb);
  };

  const fire = async (el: Element, name: string, detail: unknown = {}): Promise<void> => {
    exparser.Event.dispatchEvent(
      el,
      exparser.Event.create(name, detail, {
        bubbles: true,
        composed: true,
        capturePhase: true,
        extraFields: { touches: [], changedTouches: [] },
      }),
    );
    await settle();
  };

  // The innermost element reading exactly `label`, else the innermost one containing it: the
  // element a finger lands on.
  const find = (label: string): Element | null => {
    const elements = Array.from(comp.dom.querySelectorAll('*'));
    for (const matches of [(t: string) => t === label, (t: string) => t.includes(label)]) {
      const all = elements.filter((el) => matches(norm(el.textContent)));
      const innermost = all.find((el) => !all.some((other) => other !== el && el.contains(other)));
      if (innermost) return innermost;
    }
    return null;
  };

  const rendered: RenderedPage = {
    comp,
    client,
    instance,
    setDataLog,
    styles: () => Array.from(document.querySelectorAll('style')).map((s) => s.textContent ?? '').join('\n'),
    text: () => norm(comp.dom.textContent),
    nodeCount: () => comp.dom.querySelectorAll('*').length,
    find,
    fire,
    settle: () => settle(),
    async tap(target) {
      const el = typeof target === 'string' ? find(target) : target;
      if (!el) throw new Error(`nothing on screen reads "${String(target)}"; the screen shows: ${rendered.text()}`);
      await fire(el, 'tap', { x: 0, y: 0 });
    },
    async type(target, value) {
      let input: Element | null = null;
      if (typeof target === 'string') {
        // From the label up to the field that holds it, then down to its input.
        for (let el = find(target); el && !input; el = el.parentElement) input = el.querySelector('wx-input, wx-textarea');
        if (!input) throw new Error(`no field labelled "${target}"`);
      } else input = target;
      await fire(input, 'input', { value, cursor: value.length, keyCode: 0 });
    },
    async run(method, ...args) {
      const fn = instance[method];
      if (typeof fn !== 'function') throw new Error(`the page has no method ${method}`);
      const out = (fn as (...a: unknown[]) => unknown).apply(instance, args);
      await Promise.resolve(out);
      await settle();
      return out;
    },
  };

  const onLoad = instance.onLoad;
  if (typeof onLoad === 'function') (onLoad as (q: Record<string, string>) => void).call(instance, options.query ?? {});
  const onShow = instance.onShow;
  if (typeof onShow === 'function') (onShow as () => void).call(instance);
  await settle();
  return rendered;
}

export function norm(text: string | null | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}
