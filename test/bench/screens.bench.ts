/**
 * Page dumps for `npm run screenshots`: every page of app.json (subpackages included) in its
 * states, written as standalone HTML by test/component/dump.ts; scripts/screenshots.mjs turns
 * them into PNGs with headless Chromium.
 *   filled   against the bench's local cloud with the demo data, as the page's demo identity
 *   loading  the first call held (a typed stand-in transport)
 *   error    the first call lost to the network
 *   empty    the page's "nothing to show" answer, from FakeCloud (EMPTY below)
 * plus a few extra filled variants (EXTRA below). Output: WCP_SCREENS_DIR (default
 * screenshots/html) with a manifest.json.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ActionName } from '../../miniprogram/core/actions';
import type { Delivery, Transport } from '../../miniprogram/services/transport';
import { dumpHtml } from '../component/dump';
import { FakeCloud, ok } from '../component/fake-transport';
import { detail, me, NOW } from '../component/fixtures';
import { load, type RenderedPage } from '../component/load';
import { appPages, DEFAULT_IDENTITY, excerpt, installLiveBridge, prepareAll, ROOT, setupOf, waitIdle, type AppPage, type LiveBridge } from './live';

const OUT = process.env.WCP_SCREENS_DIR ?? join(ROOT, 'screenshots/html');

/** A staff member as session.me answers (staff pages check the role first). */
const staff = (): FakeCloud => new FakeCloud().on('session.me', ok({ me: me({ role: 'staff' }), consentVersion: '2026-11' }));

/** Each page's "nothing to show" answers. A page missing here gets no empty state (listed in the manifest). */
const EMPTY: Record<string, () => FakeCloud> = {
  'pages/home/index': () => new FakeCloud().on('home.get', ok({ announcements: [], open: [], deadlines: [], serverNow: NOW })),
  'pages/activities/index': () => new FakeCloud().on('activities.list', ok({ items: [], next: null, serverNow: NOW })),
  // A first visit: no profile yet, the privacy notice first.
  'pages/me/index': () => new FakeCloud().on('session.me', ok({ me: null, consentVersion: '2026-11' })),
  // An activity that is gone (withdrawn, or a stale link).
  'pages/activity/index': () => new FakeCloud().refuse('activities.detail', 'NOT_FOUND', '活动不存在或尚未发布'),
  'pages/register/index': () => new FakeCloud().refuse('activities.detail', 'NOT_FOUND', '活动不存在或尚未发布'),
  // Opened from an activity the worker has no registration for.
  'pages/registration/index': () => new FakeCloud().on('activities.detail', ok(detail())),
  'pages/registrations/index': () => new FakeCloud().on('registrations.mine', ok({ items: [], next: null })),
  'pages/entries/index': () => new FakeCloud().on('entries.mine', ok({ items: [] })),
  'pages/entry/index': () => new FakeCloud().refuse('entries.open', 'NOT_FOUND', '作品不存在'),
  'packages/worker/results/index': () => new FakeCloud().on('results.mine', ok({ items: [] })),
  'packages/worker/gallery/index': () => new FakeCloud().on('results.gallery', ok({ items: [], state: null })),
  'packages/judge/queue/index': () => new FakeCloud().on('judging.queue', ok({ items: [], finals: 0, assigned: 0 })),
  'packages/staff/announcements/index': () => staff().on('announcements.list', ok({ items: [], next: null })),
  'packages/staff/activities/index': () => staff().on('activities.staffList', ok({ items: [], next: null })),
  'packages/staff/moderation/index': () => staff().on('moderation.queue', ok({ items: [] })),
  // An activity without 意见征集.
  'packages/worker/opinion/index': () => new FakeCloud().on('opinions.get', ok({ activityTitle: '片区职工文化交流研讨会', solicitation: null, mine: null, serverNow: NOW })),
  'packages/staff/opinions/index': () =>
    staff().on('opinions.summary', ok({ activityTitle: '片区职工文化交流研讨会', solicitation: null, respondents: 0, hiddenCount: 0, questions: [], items: [], next: null, serverNow: NOW })),
  'packages/staff/people/index': () => staff().on('users.search', ok({ items: [], viewer: { userId: 'u-staff', admin: false } })),
  'packages/staff/units/index': () => staff().on('units.staffList', ok({ units: [] })),
  // A withdrawn announcement (a stale link).
  'pages/announcement/index': () => new FakeCloud().refuse('announcements.detail', 'NOT_FOUND', '公告不存在或已撤回'),
  'packages/judge/index/index': () => new FakeCloud().on('judging.panels', ok({ panels: [] })),
  'packages/staff/index/index': () => staff().on('activities.staffList', ok({ items: [], next: null })),
};

/** More filled screens worth a look: [page, state name, identity, query]. */
const EXTRA: Array<[string, string, string, Record<string, string>?]> = [
  ['pages/me/index', 'filled-new-user', 'demo-worker-new'],
  ['pages/activity/index', 'filled-course-full', DEFAULT_IDENTITY, { id: 'act_course_video' }],
  ['packages/staff/index/index', 'filled-worker-refused', DEFAULT_IDENTITY],
];

// Simulate registers WeChat's <image> as an empty element, so a dump would show a blank where a
// picture is (a check-in QR code, a photo). For the screenshots it becomes an <img> that keeps the
// image's box (its class sizes it) and fits the picture as mode="aspectFit" would. Mocks outlive
// jest.resetModules(), so every fresh copy of j-component that load() requires gets this.
jest.doMock('j-component', () => {
  const real = jest.requireActual<{ register(def: Record<string, unknown>): unknown }>('j-component');
  const register = real.register.bind(real);
  real.register = (def) =>
    def.id === 'image'
      ? register({
          id: 'image',
          tagName: 'wx-image',
          // j-component sets only id, style and data-* on plain HTML nodes: dump() copies data-wx-src to src.
          template: '<img data-wx-src="{{src}}" style="display:block;width:100%;height:100%;object-fit:{{mode === \'aspectFill\' ? \'cover\' : \'contain\'}}" />',
          properties: { src: { type: String, value: '' }, mode: { type: String, value: 'scaleToFill' } },
        })
      : register(def);
  return real;
});

/** Holds every call until released: the loading state. */
class HoldingTransport implements Transport {
  readonly kind = 'bench-hold';
  calls = 0;
  private readonly waiting: Array<(d: Delivery) => void> = [];
  call(_action: ActionName): Promise<Delivery> {
    this.calls += 1;
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  upload(): Promise<Delivery> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  release(): void {
    for (const r of this.waiting.splice(0)) r({ delivered: false, code: 'NETWORK', detail: 'released' });
  }
}

/** Every call lost to the network: the error state. */
class FailingTransport implements Transport {
  readonly kind = 'bench-fail';
  call(): Promise<Delivery> {
    return Promise.resolve({ delivered: false, code: 'NETWORK', detail: 'bench: network down' });
  }
  upload(): Promise<Delivery> {
    return this.call();
  }
}

interface Shot {
  page: string;
  state: string;
  html: string | null;
  identity?: string;
  text?: string;
  note?: string;
}

const manifest: Shot[] = [];
let bridge: LiveBridge;
let prepared: unknown[] = [];

const slug = (page: AppPage): string => page.path.replace(/\/index$/, '').replace(/\//g, '-');

function dump(page: AppPage, state: string, rendered: RenderedPage, extra: Partial<Shot> = {}): void {
  for (const img of Array.from(rendered.comp.dom.querySelectorAll('img[data-wx-src]'))) img.setAttribute('src', img.getAttribute('data-wx-src') ?? '');
  const file = join(OUT, `${slug(page)}--${state}.html`);
  dumpHtml(rendered, file, `${page.path} · ${state}`);
  manifest.push({ page: page.path, state, html: file, text: excerpt(rendered, 120), ...extra });
}

beforeAll(async () => {
  prepared = await prepareAll();
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  bridge = installLiveBridge();
});

afterAll(() => {
  bridge.uninstall();
  writeFileSync(join(OUT, 'manifest.json'), `${JSON.stringify({ prepared, shots: manifest }, null, 2)}\n`);
});

describe.each(appPages().map((p) => [p.path, p] as const))('%s', (_path, page) => {
  // Resolved queries are known once beforeAll has run: read the setup inside each test.
  const opened = () => {
    const { identity, query } = setupOf(page);
    return { identity, query, storage: { 'wcp.local-identity': identity } };
  };

  test('filled (local cloud, demo data)', async () => {
    const { identity, query, storage } = opened();
    const rendered = await load(page.dir, { storage, query });
    await waitIdle(bridge);
    dump(page, 'filled', rendered, { identity });
  });

  test('loading, error, empty', async () => {
    const { query, storage } = opened();
    const hold = new HoldingTransport();
    const loading = await load(page.dir, { storage, query, transport: hold, timeoutMs: 600000 });
    if (hold.calls === 0) {
      manifest.push({ page: page.path, state: 'loading/error/empty', html: null, note: 'the page makes no cloud call: only its filled state' });
      return;
    }
    dump(page, 'loading', loading);
    hold.release();
    await loading.settle();

    dump(page, 'error', await load(page.dir, { storage, query, transport: new FailingTransport() }));

    const empty = EMPTY[page.path];
    if (empty) dump(page, 'empty', await load(page.dir, { storage, query, transport: empty() }));
    else manifest.push({ page: page.path, state: 'empty', html: null, note: 'no empty answer set up in test/bench/screens.bench.ts (EMPTY)' });
  });

  const extras = EXTRA.filter(([p]) => p === page.path);
  if (extras.length > 0) {
    // One object per row: jest takes a function with more parameters than a row has for a `done` callback.
    test.each(extras.map(([, state, who, q]) => [state, { who, q }] as const))('%s', async (state, o) => {
      const rendered = await load(page.dir, { storage: { 'wcp.local-identity': o.who }, query: o.q ?? opened().query });
      await waitIdle(bridge);
      dump(page, state, rendered, { identity: o.who });
    });
  }
});
