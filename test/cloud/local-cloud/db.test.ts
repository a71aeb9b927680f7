/**
 * The database through the real engine and the real SDK from a function: a document added and read
 * back, serverDate and Date inside the function on the shifted clock, engine and invocation stats.
 */
import type { LocalCloud } from '../../../local-cloud/src/index';
import { callFunction, control, startFixtureCloud } from './helpers';

let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await startFixtureCloud();
});

afterAll(async () => {
  await cloud.stop();
});

interface Added {
  id: string;
  doc: { _id: string; text: string; owner: string | null; fnNow: number };
  at: number;
}

test('a function adds a document and reads it back through the SDK', async () => {
  const r = await callFunction(cloud, 'db', { action: 'add', text: '第一条' }, 'oWriter');
  expect(r.status).toBe(200);
  const out = r.json<Added>();
  expect(out.id).toMatch(/^[0-9a-f]{32}$/);
  expect(out.doc).toMatchObject({ _id: out.id, text: '第一条', owner: 'oWriter' });
  expect(Math.abs(out.at - Date.now())).toBeLessThan(2000);
  const count = (await callFunction(cloud, 'db', { action: 'count' }, 'oWriter')).json<{ total: number }>();
  expect(count.total).toBe(1);
});

test('the clock offset is seen by serverDate and by Date in the function', async () => {
  const offset = 30 * 24 * 3600 * 1000;
  await control(cloud, 'clock', 'POST', { offsetMs: offset });
  try {
    const out = (await callFunction(cloud, 'db', { action: 'add', text: 'later' }, 'oWriter')).json<Added>();
    expect(Math.abs(out.at - (Date.now() + offset))).toBeLessThan(2000);
    expect(Math.abs(out.doc.fnNow - (Date.now() + offset))).toBeLessThan(2000);
  } finally {
    await control(cloud, 'clock', 'POST', { offsetMs: 0 });
  }
});

test('GET /_control/stats: engine reads/writes and invocations per function; reset', async () => {
  expect((await control(cloud, 'stats/reset', 'POST')).status).toBe(200);
  await callFunction(cloud, 'db', { action: 'add', text: 'counted' }, 'oWriter');
  const stats = (await control(cloud, 'stats')).json<{
    engine: { reads: number; writes: number; byAction: Record<string, number> };
    functions: Record<string, { invocations: number; errors: number; instances: number }>;
  }>();
  expect(stats.engine.writes).toBe(1);
  expect(stats.engine.reads).toBe(1);
  expect(stats.engine.byAction).toEqual({ 'database.insertDocument': 1, 'database.getDocument': 1 });
  expect(stats.functions['db']).toMatchObject({ invocations: 1, errors: 0 });
  expect(stats.functions['db']?.instances).toBeGreaterThanOrEqual(1);
});
