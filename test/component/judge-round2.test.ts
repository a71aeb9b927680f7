/**
 * The judge's pages in 复评, with a fake cloud: the queue puts 复评 first with a badge and marks
 * 初评 left unscored as closed; the score page shows the 复评 badge, and a 初评 entry closed by
 * 复评 read-only.
 */
import { FakeCloud, ok } from './fake-transport';
import { NOW, SPRING, blindEntry, queue, queueItem } from './judging-fixtures';
import { load } from './load';
import { wxLog } from './wx-log';

beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(NOW));
afterEach(() => jest.restoreAllMocks());

const r2 = (n: number) => queueItem(n, { scoreId: `sc2_ZW-2026-${String(n).padStart(4, '0')}_u-zhao`, round: 2 });

describe('评委评审: 复评', () => {
  test('the queue shows 复评 first with a badge, 初评 closed, and opens the next 复评 entry', async () => {
    const items = [
      r2(3),
      r2(5),
      queueItem(1, { state: 'final', total: '88.00', locked: true }),
      queueItem(2, { state: 'draft', locked: true }),
    ];
    const page = await load('packages/judge/queue', { transport: new FakeCloud().on('judging.queue', ok(queue(items))), query: SPRING });
    const text = page.text();
    expect(text).toContain('作品（复评在前，按编号）');
    expect(text).toContain('复评：已提交 0 / 2 件（初评已结束）');
    expect(text).toMatch(/复评ZW-2026-0003待评复评ZW-2026-0005待评ZW-2026-000188\.00 分已提交ZW-2026-0002初评已结束/);
    await page.tap('开始评审');
    expect(wxLog().navigations[0]?.url).toContain(`scoreId=${encodeURIComponent(r2(3).scoreId)}`);
  });

  test('the score page badges 复评 and scores it as usual', async () => {
    const page = await load('packages/judge/score', {
      transport: new FakeCloud().on('judging.entry', ok(blindEntry({ scoreId: r2(3).scoreId, code: 'ZW-2026-0003', round: 2 }))),
      query: { scoreId: r2(3).scoreId, ...SPRING },
    });
    expect(page.text()).toContain('征文复评ZW-2026-0003');
    expect(page.text()).toContain('提交评分');
  });

  test('a 初评 entry closed by 复评 is read-only, saying why', async () => {
    const page = await load('packages/judge/score', {
      transport: new FakeCloud().on('judging.entry', ok(blindEntry({ state: 'draft', locked: true, scores: { theme: 8 } }))),
      query: { scoreId: queueItem(2).scoreId, ...SPRING },
    });
    expect(page.text()).toContain('复评已开始，初评已结束：这件作品的初评不能再打分。');
    expect(page.text()).not.toContain('提交评分');
    expect(page.comp.dom.querySelectorAll('.main--criterion wx-input')).toHaveLength(0);
  });
});
