import { ok } from './fake-transport';
import { load } from './load';
import { asRole } from './staff-fixtures';
import { wxLog } from './wx-log';

const noCompetitions = () => asRole().on('activities.staffList', ok({ items: [], next: null }));

describe('工作人员后台: the daily work', () => {
  test('leads to announcements, activities, check-in, moderation and people', async () => {
    const page = await load('packages/staff/index', { transport: noCompetitions() });
    const text = page.text();
    for (const label of ['公告管理', '活动管理', '扫码签到', '作品审核', '人员管理']) expect(text).toContain(label);
    for (const label of ['公告管理', '活动管理', '扫码签到', '作品审核', '人员管理']) await page.tap(label);
    expect(wxLog().navigations.map((n) => n.url)).toEqual([
      '/packages/staff/announcements/index',
      '/packages/staff/activities/index',
      '/packages/staff/checkin/index',
      '/packages/staff/moderation/index',
      '/packages/staff/people/index',
    ]);
  });

  test('shows none of it to a worker', async () => {
    const cloud = asRole('worker').on('activities.staffList', ok({ items: [], next: null }));
    const page = await load('packages/staff/index', { transport: cloud });
    expect(page.text()).toContain('仅限工会工作人员使用');
    expect(page.text()).not.toContain('公告管理');
    // The staff-only list is the check: one call, refused by the router.
    expect(cloud.calls.map((c) => c.action)).toEqual(['activities.staffList']);
  });
});
