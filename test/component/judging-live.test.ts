/**
 * The judge's queue and score page against the real local cloud with the demo data, through the
 * HTTP bridge: the real functions and wx-server-sdk, the demo competition in judging
 * ('act_essay_spring', track 'essay') with its entries assigned to the demo judges. 赵老师 opens
 * the queue, scores the first essay, saves a draft and submits it, and the queue shows it locked.
 */
import { startLiveCloud, type LiveCloud } from './live-cloud';
import { load, type RenderedPage } from './load';
import { wxLog } from './wx-log';

const ZHAO = { 'wcp.local-identity': 'demo-judge-zhao' };
const SPRING = { activityId: 'act_essay_spring', trackId: 'essay' };

let live: LiveCloud | undefined;

/** Waits until the page shows `text` (real HTTP answers take more than a few ticks). */
async function until(page: RenderedPage, text: string, ms = 15000): Promise<void> {
  const end = Date.now() + ms;
  while (!page.text().includes(text)) {
    if (Date.now() > end) throw new Error(`"${text}" never appeared; the screen shows: ${page.text()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  live = await startLiveCloud('judging');
}, 60_000);

afterAll(async () => {
  await live?.stop();
});

test("the demo judge's panel, queue and scoring, against the local cloud", async () => {
  const panels = await load('packages/judge/index', { storage: ZHAO });
  await until(panels, '“中国梦·劳动美”职工征文比赛（春季）');
  expect(panels.text()).toMatch(/已提交 0 \/ \d+ 件/);

  const queue = await load('packages/judge/queue', { storage: ZHAO, query: SPRING });
  await until(queue, '开始评审');
  const codes = queue.text().match(/ZW-\d{4}-\d{4}/g) ?? [];
  expect(codes.length).toBeGreaterThan(3);
  expect(queue.text()).toContain('待评');
  // Blind: the judge never sees an author.
  for (const name of ['李明', '王芳']) expect(queue.text()).not.toContain(name);
  await queue.tap('开始评审');
  const url = wxLog().navigations.at(-1)?.url ?? '';
  const scoreId = decodeURIComponent(/scoreId=([^&]+)/.exec(url)?.[1] ?? '');
  expect(scoreId).toMatch(/^sc1_ZW-/);

  const score = await load('packages/judge/score', { storage: ZHAO, query: { scoreId, ...SPRING } });
  await until(score, '保存草稿');
  expect(score.text()).toContain(codes[0]!);
  expect(score.text()).toContain(`第 1 / ${codes.length} 件`);
  expect(score.comp.dom.querySelectorAll('.main--essay__block').length).toBeGreaterThan(0);

  const inputs = Array.from(score.comp.dom.querySelectorAll('.main--criterion wx-input'));
  expect(inputs.length).toBeGreaterThan(0);
  for (const input of inputs) await score.type(input, '8');
  expect(score.text()).toContain('合计80.00 分');
  await score.tap('保存草稿');
  await until(score, '合计80.00 分');
  for (let i = 0; i < 200 && !wxLog().toasts.includes('草稿已保存'); i++) await new Promise((r) => setTimeout(r, 25));
  expect(wxLog().toasts).toContain('草稿已保存');

  wxLog().modalAnswers.push({ confirm: true });
  await score.tap('提交评分');
  await until(score, '评分已提交并锁定');
  expect(score.text()).toContain('已提交80.00 分');

  const after = await load('packages/judge/queue', { storage: ZHAO, query: SPRING });
  await until(after, '继续评审');
  expect(after.text()).toContain(`${codes[0]}80.00 分已提交`);
  expect(after.text()).toContain(`已提交 1 / ${codes.length} 件`);
}, 60_000);
