import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dumpHtml } from './dump';
import { FakeCloud, ok } from './fake-transport';
import { homeView } from './fixtures';
import { load } from './load';

test('writes a rendered page as standalone HTML with its styles, ready for a screenshot', async () => {
  const page = await load('pages/home', { transport: new FakeCloud().on('home.get', ok(homeView())) });
  const file = join(mkdtempSync(join(tmpdir(), 'wcp-dump-')), 'home.html');
  dumpHtml(page, file, '首页');
  const html = readFileSync(file, 'utf8');

  expect(html.startsWith('<!doctype html>')).toBe(true);
  expect(html).toContain('<meta charset="utf-8">');
  expect(html).toContain('wx-view, wx-scroll-view');
  // The app's own styles, prefixed like the page's classes, in px.
  expect(html).toContain('.main--section-title');
  expect(html).not.toMatch(/\d+rpx/);
  // TDesign's styles as simulate injected them.
  expect(html).toContain('.t-cell--t-cell');
  expect(html).toContain('关于举办2026年职工文化比赛的通知');
});
