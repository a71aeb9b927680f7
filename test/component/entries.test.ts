import { FakeCloud, ok } from './fake-transport';
import { entryCard, NOW } from './fixtures-mine';
import { load } from './load';
import { wxLog } from './wx-log';

describe('我的作品', () => {
  beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(NOW));
  afterEach(() => jest.restoreAllMocks());

  test('shows a loading state, then each entry with its code, version and review', async () => {
    const cloud = new FakeCloud();
    const held = cloud.hold('entries.mine');
    const page = await load('pages/entries', { transport: cloud });
    expect(page.text()).toContain('正在加载');
    held.resolve(
      ok({
        items: [
          entryCard(),
          entryCard({ id: 'e2', code: 'SY-2026-0003', kind: 'photo', trackName: '职工摄影', state: 'submitted', version: 2, moderation: 'pending', submittedAt: NOW - 3600000 }),
          entryCard({ id: 'e3', code: 'SP-2026-0001', kind: 'video', trackName: '职工微视频', state: 'submitted', version: 1, moderation: 'review', submittedAt: NOW }),
          entryCard({ id: 'e4', code: 'ZW-2026-0011', state: 'withdrawn', version: 1 }),
        ],
      }),
    );
    await page.settle();
    const text = page.text();
    expect(text).toContain('征文 · 职工征文草稿');
    expect(text).toContain('作品编号 ZW-2026-0007尚未提交');
    expect(text).toContain('摄影 · 职工摄影已提交第 2 版');
    expect(text).toContain('作品编号 SY-2026-0003审核中提交于 6月10日 09:00');
    expect(text).toContain('作品编号 SP-2026-0001等待人工审核');
    expect(text).toContain('已撤回');
    expect(cloud.calls).toHaveLength(1);
  });

  test('opens the editor of an entry', async () => {
    const page = await load('pages/entries', { transport: new FakeCloud().on('entries.mine', ok({ items: [entryCard()] })) });
    await page.tap('征文 · 职工征文');
    expect(wxLog().navigations).toEqual([{ kind: 'navigateTo', url: '/pages/entry/index?entryId=ent_act-comp_essay_u-li' }]);
  });

  test('says when there are no entries yet, and leads to the competitions', async () => {
    const page = await load('pages/entries', { transport: new FakeCloud().on('entries.mine', ok({ items: [] })) });
    expect(page.text()).toContain('您还没有参赛作品');
    await page.tap('去看看比赛');
    expect(wxLog().navigations).toEqual([{ kind: 'switchTab', url: '/pages/activities/index' }]);
  });

  test('offers to try again when the list cannot load', async () => {
    const cloud = new FakeCloud().refuse('entries.mine', 'INTERNAL').on('entries.mine', ok({ items: [entryCard()] }));
    const page = await load('pages/entries', { transport: cloud });
    expect(page.text()).toContain('系统繁忙');
    await page.tap('重新加载');
    expect(page.text()).toContain('ZW-2026-0007');
  });
});
