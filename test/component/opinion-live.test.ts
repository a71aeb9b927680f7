/**
 * 意见征集 against the real local cloud with the demo data (the open survey on the sports meet,
 * five answers seeded): a demo worker answers on the worker page, staff see the answer counted and
 * reply, and the worker sees the reply.
 */
import type { LocalCloud } from '../../local-cloud/src';
import { load } from './load';
import { startLiveCloud, type LiveCloud } from './live-cloud';
import { button, shows } from './ui';
import { wxLog } from './wx-log';

const LI = { 'wcp.local-identity': 'demo-worker-li' };
const CHEN = { 'wcp.local-identity': 'demo-staff-chen' };

let cloud: LocalCloud;
let live: LiveCloud | undefined;


beforeAll(async () => {
  live = await startLiveCloud('opinion');
  cloud = live.cloud;
}, 60_000);

afterAll(async () => {
  await live?.stop();
});

describe('意见征集 against the local cloud', () => {
  test('a worker answers, staff see it counted and reply, the worker sees the reply', async () => {
    expect(cloud.url).toMatch(/^http/);
    const card = await load('pages/activity', { query: { id: 'act_sports_2022' }, storage: LI });
    await shows(card, '运动会项目意见征集');
    expect(card.text()).toContain('去填写');

    const page = await load('packages/worker/opinion', { query: { id: 'act_sports_2022' }, storage: LI });
    await shows(page, '您是否打算参加本届运动会？');
    await page.tap('可能参加');
    await page.tap('乒乓球');
    await page.type('对运动会的其他意见建议', '希望增加乒乓球混双');
    await page.tap('我同意工作人员查看我的姓名和所在工会，用于汇总和回复意见');
    await page.tap(button(page, '提交'));
    await shows(page, '保存修改');
    expect(wxLog().toasts).toContain('已提交，感谢您的意见');

    const staff = await load('packages/staff/opinions', { query: { id: 'act_sports_2022' }, storage: CHEN });
    await shows(staff, '统计（6 人参与）');
    expect(staff.text()).toContain('可能参加2 人 · 33.3%');
    expect(staff.text()).toContain('李明138****0001');
    expect(staff.text()).toContain('希望增加乒乓球混双');
    wxLog().modalAnswers.push({ confirm: true, content: '已列入备选项目，谢谢！' });
    await staff.tap(staff.find('回复')!);
    await shows(staff, '已回复：已列入备选项目，谢谢！');

    const again = await load('packages/worker/opinion', { query: { id: 'act_sports_2022' }, storage: LI });
    await shows(again, '工作人员回复');
    expect(again.text()).toContain('已列入备选项目，谢谢！');
  }, 60_000);
});
