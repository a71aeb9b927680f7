/**
 * Over `npm start`'s demo data, through the HTTP face only: the demo judges score the competition
 * that is in judging, and the demo staff member computes and publishes its results.
 */
import { call, must, useStartedCloud } from './process';

const started = useStartedCloud('judge');
const SPRING = { activityId: 'act_essay_spring', trackId: 'essay' };

const ok = <T = Record<string, unknown>>(who: string, action: string, payload: unknown): Promise<T> => must<T>(started().url, who, action, payload);

it('the demo judges score the spring essays and staff publish the results', async () => {
  for (const judge of ['demo-judge-zhao', 'demo-judge-qian', 'demo-judge-sun']) {
    const { panels } = await ok<{ panels: { activityId: string }[] }>(judge, 'judging.panels', {});
    expect(panels.map((x) => x.activityId)).toContain('act_essay_spring');
    const q = await ok<{ items: { scoreId: string; code: string }[] }>(judge, 'judging.queue', SPRING);
    for (const item of q.items) {
      const entry = await ok<{ text: string; rubric: { criteria: { id: string; max: number }[] } }>(judge, 'judging.entry', { scoreId: item.scoreId });
      // Distinct scores per essay, so the demo has a clear order.
      const n = Number(item.code.slice(-4));
      const scores = entry.rubric.criteria.map((c) => ({ criterionId: c.id, score: Math.min(c.max, 3.5 + n * 0.5) }));
      await ok(judge, 'judging.save', { scoreId: item.scoreId, scores, comment: '结构完整，情感真挚。' });
      await ok(judge, 'judging.submit', { scoreId: item.scoreId });
    }
  }
  const staff = 'demo-staff-chen';
  const progress = await ok<{ totalAssigned: number; totalFinal: number }>(staff, 'judging.progress', SPRING);
  expect(progress.totalFinal).toBe(progress.totalAssigned);
  expect(await ok(staff, 'results.compute', SPRING)).toEqual({ state: 'preview', missingScores: 0 });
  const { results } = await ok<{ results: { rows: { award: string | null }[]; cap: number } }>(staff, 'results.preview', SPRING);
  const awarded = results.rows.filter((r) => r.award).length;
  expect(awarded).toBeGreaterThan(0);
  expect(awarded).toBeLessThanOrEqual(results.cap);
  // Ties in a small demo may leave spread alerts; publishing over them needs a recorded reason.
  const pub = await call(started().url, staff, 'results.publish', SPRING);
  const published = pub.ok ? pub : await call(started().url, staff, 'results.publish', { ...SPRING, overrideReason: '演示：评委分差已当面复核' });
  expect(published.ok).toBe(true);
  const gallery = await ok<{ items: unknown[]; state: string }>('demo-worker-li', 'results.gallery', SPRING);
  expect(gallery.state).toBe('publicity');
  expect(gallery.items.length).toBe(awarded);
});
