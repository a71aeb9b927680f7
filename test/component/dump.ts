/**
 * Writes what a rendered page shows as one standalone HTML file (DOM, TDesign's and the app's
 * WXSS at 1rpx = 1px, display rules for WeChat's built-in tags), so it can be screenshotted with
 * headless Chromium at a 750px-wide window:
 *   chromium --headless --no-sandbox --disable-gpu --screenshot=out.png --window-size=750,1334 page.html
 * (Debian's Chromium needs fonts-noto-cjk or every Chinese label is a box.)
 */
/* eslint-disable @typescript-eslint/no-require-imports -- simulate's own WXSS compiler, from the registry the page was loaded in */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { APP_ROOT, type RenderedPage, type SimComponent } from './load';

// WeChat's built-in components are custom elements in the simulated DOM; give them the layout
// they have on a phone.
const BUILT_IN_TAGS = `
wx-view, wx-scroll-view, wx-swiper, wx-swiper-item, wx-form, wx-button, wx-input, wx-textarea,
wx-picker, wx-picker-view, wx-navigator, wx-cover-view, wx-movable-area, wx-rich-text, wx-video,
wx-canvas, wx-map, wx-camera, wx-web-view, wx-progress, wx-editor { display: block; }
wx-text, wx-label, wx-icon { display: inline; }
wx-image, wx-checkbox, wx-radio, wx-switch { display: inline-block; }
wx-scroll-view { overflow: auto; }
wx-button { font: inherit; }
wx-input { min-height: 1.4em; }
html, body { margin: 0; padding: 0; }
page { display: block; min-height: 100vh; }
`;

/** app.wxss as simulate styles a page: its classes prefixed with the page's tag, rpx as px. */
function appStyles(): string {
  const wxss = require('miniprogram-simulate/src/wxss') as { compile(css: string, o: { prefix: string }): string };
  const css = wxss.compile(readFileSync(join(APP_ROOT, 'app.wxss'), 'utf8'), { prefix: 'main' });
  return css.replace(/(\d+(?:\.\d+)?)rpx/gi, '$1px');
}

const escapeHtml = (s: string): string => s.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c] ?? c);

export function dumpHtml(page: RenderedPage | SimComponent, file: string, title = 'page'): string {
  const comp = 'comp' in page ? page.comp : page;
  const injected = Array.from(document.querySelectorAll('style'))
    .map((s) => s.textContent ?? '')
    .join('\n');
  const html = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=750">
<title>${escapeHtml(title)}</title>
<style>${BUILT_IN_TAGS}</style>
<style>${appStyles()}</style>
<style>${injected}</style>
</head>
<body><page>${comp.dom.outerHTML}</page></body>
</html>
`;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, html);
  return html;
}
