/**
 * Scale, through the local cloud's HTTP face (the real api function, the real wx-server-sdk, the
 * durable engine), started in this process with the demo data as test/cloud/harness.ts does:
 *
 *  - a registration deadline burst: N distinct workers (made members first, untimed) registering
 *    for one activity of capacity C, arrivals spread uniformly over a window (open loop: each
 *    request leaves at its time whether or not earlier ones have been answered); then the same
 *    workers again, closed loop at a fixed concurrency, for the saturation throughput;
 *  - the catalogue: 10,000 activities inserted with engine.insertMany, then paged through with
 *    activities.list and its cursor, timing every page and counting its engine reads.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { ACTIVITY_KINDS, COLLECTIONS, CONSENT_VERSION, DAY, HOUR, LIMITS, type Result } from '../../miniprogram/core';
import { startHarness, type Harness } from '../../test/cloud/harness';
import { exactly, figure, log, max, median, rng, round, summary, type Figure } from './report';

export interface ScaleOptions {
  workers: number;
  capacity: number;
  /** The window arrivals are spread over, in seconds. */
  burstSeconds: number;
  /** Concurrency of the closed-loop phase. */
  saturationConcurrency: number;
  catalogue: number;
}

export const DEFAULT_SCALE: ScaleOptions = { workers: 2000, capacity: 500, burstSeconds: 60, saturationConcurrency: 32, catalogue: 10_000 };
export const BURST_P99_BUDGET_MS = 200;

interface Stats {
  engine: { reads: number; writes: number; byAction: Record<string, number> };
  functions: Record<string, { invocations: number; errors: number; timeouts: number; coldStarts: number }>;
}

const workerId = (i: number): string => `bench-worker-${String(i).padStart(5, '0')}`;

/** Runs `task` for every item with at most `concurrency` at a time. */
async function pool<T>(items: T[], concurrency: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await task(items[i] as T, i);
      }
    }),
  );
}

async function makeMembers(h: Harness, openids: string[]): Promise<void> {
  const units = ['unit_linping', 'unit_nanyuan', 'unit_hospital'];
  await pool(openids, 16, async (openid, i) => {
    const c = await h.api(openid, 'profile.consent', { version: CONSENT_VERSION });
    if (!c.ok) throw new Error(`consent for ${openid}: ${c.code} ${c.message}`);
    const p = await h.api(openid, 'profile.save', {
      realName: '测试职工',
      phone: `139${String(10000000 + i).slice(-8)}`,
      unitId: units[i % units.length] as string,
      enterprise: '测试企业',
    });
    if (!p.ok) throw new Error(`profile for ${openid}: ${p.code} ${p.message}`);
  });
}

async function burstActivity(h: Harness, id: string, title: string, capacity: number): Promise<void> {
  const [template] = await h.cloud.engine.find(COLLECTIONS.activities, { _id: 'act_exchange_01' });
  if (!template) throw new Error('the demo activity act_exchange_01 is missing: the demo data changed');
  await h.cloud.engine.insertMany(COLLECTIONS.activities, [{ ...template, _id: id, title, capacity, taken: 0, waitlisted: 0 }]);
}

interface Outcome {
  ms: number;
  answer: 'confirmed' | 'waitlisted' | 'already' | 'lost';
  detail?: string;
}

async function register(h: Harness, openid: string, activityId: string): Promise<Outcome> {
  const t0 = performance.now();
  let r: Result<{ registration: { state: string } }> | null = null;
  let detail = '';
  try {
    r = await h.api(openid, 'registrations.create', { activityId, tracks: [], answers: [] });
  } catch (e) {
    detail = String(e);
  }
  const ms = performance.now() - t0;
  if (r && r.ok) {
    const state = r.data.registration.state;
    return { ms, answer: state === 'confirmed' ? 'confirmed' : state === 'waitlisted' ? 'waitlisted' : 'lost', detail: state };
  }
  if (r && !r.ok && r.code === 'ALREADY_EXISTS') return { ms, answer: 'already' };
  return { ms, answer: 'lost', detail: detail || JSON.stringify(r).slice(0, 200) };
}

async function countRegistrations(h: Harness, activityId: string): Promise<{ total: number; confirmed: number; waitlisted: number; taken: number; distinctUsers: number }> {
  const regs = await h.cloud.engine.find(COLLECTIONS.registrations, { activityId });
  const [a] = await h.cloud.engine.find(COLLECTIONS.activities, { _id: activityId });
  return {
    total: regs.length,
    confirmed: regs.filter((r) => r.state === 'confirmed').length,
    waitlisted: regs.filter((r) => r.state === 'waitlisted').length,
    taken: Number(a?.taken ?? NaN),
    distinctUsers: new Set(regs.map((r) => r.userId)).size,
  };
}

async function burst(h: Harness, o: ScaleOptions): Promise<{ figures: Figure[]; detail: unknown }> {
  const figures: Figure[] = [];
  const openids = Array.from({ length: o.workers }, (_, i) => workerId(i));
  const t0 = performance.now();
  await makeMembers(h, openids);
  const setupS = (performance.now() - t0) / 1000;
  log(`made ${o.workers} members (consent + profile) in ${setupS.toFixed(1)} s`);

  // ---- open loop: arrivals spread uniformly over the window ----
  const A = 'act_bench_burst';
  await burstActivity(h, A, '基准测试：截止前报名高峰', o.capacity);
  await h.control('stats/reset', {});
  const interval = (o.burstSeconds * 1000) / o.workers;
  const outcomes: Promise<Outcome>[] = [];
  const lateness: number[] = [];
  const start = performance.now();
  for (let i = 0; i < o.workers; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    lateness.push(Math.max(0, performance.now() - due));
    outcomes.push(register(h, openids[i] as string, A));
  }
  const done = await Promise.all(outcomes);
  const elapsedS = (performance.now() - start) / 1000;
  const stats = (await h.control('stats')) as Stats;
  const lat = summary(done.map((d) => d.ms));
  const lost = done.filter((d) => d.answer === 'lost');
  const counted = await countRegistrations(h, A);
  log(`burst: ${o.workers} registrations over ${o.burstSeconds} s: p50 ${lat.p50.toFixed(1)} ms, p99 ${lat.p99.toFixed(1)} ms, lost ${lost.length}`);

  const S = 'scale';
  const label = `burst (${o.workers} workers, capacity ${o.capacity}, arrivals over ${o.burstSeconds} s)`;
  figures.push(figure(S, `${label}: throughput`, round(o.workers / elapsedS, 1), 'req/s', null, { note: `offered ${(o.workers / o.burstSeconds).toFixed(1)} req/s` }));
  figures.push(figure(S, 'burst: latency p50', round(lat.p50, 1), 'ms'));
  figures.push(figure(S, 'burst: latency p99', round(lat.p99, 1), 'ms', max(BURST_P99_BUDGET_MS), { note: `max ${lat.max.toFixed(0)} ms` }));
  figures.push(figure(S, 'burst: requests lost', lost.length, 'count', exactly(0), { note: 'not answered ok, waitlisted or ALREADY_EXISTS' }));
  figures.push(figure(S, 'burst: confirmed', counted.confirmed, 'count', exactly(o.capacity), { note: `activity.taken ${counted.taken}` }));
  figures.push(figure(S, 'burst: waitlisted', counted.waitlisted, 'count', exactly(o.workers - o.capacity)));
  figures.push(figure(S, 'burst: registrations stored', counted.total, 'count', exactly(o.workers), { note: `${counted.distinctUsers} distinct workers` }));
  figures.push(
    figure(S, 'burst: engine ops per registration', round((stats.engine.reads + stats.engine.writes) / o.workers, 2), 'count', null, {
      note: `${(stats.engine.reads / o.workers).toFixed(2)} reads + ${(stats.engine.writes / o.workers).toFixed(2)} writes`,
    }),
  );

  // ---- closed loop: the same workers for a second activity, as fast as the cloud answers ----
  const B = 'act_bench_saturation';
  await burstActivity(h, B, '基准测试：满负荷报名', o.capacity);
  const sat: Outcome[] = [];
  const s0 = performance.now();
  await pool(openids, o.saturationConcurrency, async (openid) => {
    sat.push(await register(h, openid, B));
  });
  const satS = (performance.now() - s0) / 1000;
  const satLat = summary(sat.map((d) => d.ms));
  const satCounted = await countRegistrations(h, B);
  const satLost = sat.filter((d) => d.answer === 'lost').length;
  log(`saturation: ${(o.workers / satS).toFixed(1)} req/s at concurrency ${o.saturationConcurrency}, p99 ${satLat.p99.toFixed(1)} ms`);
  figures.push(
    figure(S, `saturation (${o.saturationConcurrency} in flight): throughput`, round(o.workers / satS, 1), 'req/s', null, {
      note: `p50 ${satLat.p50.toFixed(0)} ms, p99 ${satLat.p99.toFixed(0)} ms`,
    }),
  );
  figures.push(
    figure(S, 'saturation: lost / over capacity', satLost + Math.max(0, satCounted.confirmed - o.capacity), 'count', exactly(0), {
      note: `${satCounted.confirmed} confirmed, ${satCounted.waitlisted} waitlisted`,
    }),
  );

  return {
    figures,
    detail: {
      setupSeconds: round(setupS, 1),
      burst: {
        windowSeconds: o.burstSeconds,
        elapsedSeconds: round(elapsedS, 2),
        latencyMs: Object.fromEntries(Object.entries(lat).map(([k, v]) => [k, round(v, 2)])),
        schedulerLatenessMs: { p99: round(summary(lateness).p99, 2), max: round(summary(lateness).max, 2) },
        answers: Object.fromEntries(['confirmed', 'waitlisted', 'already', 'lost'].map((k) => [k, done.filter((d) => d.answer === k).length])),
        lostSamples: lost.slice(0, 5),
        stored: counted,
        engine: stats.engine,
        functions: stats.functions,
      },
      saturation: {
        concurrency: o.saturationConcurrency,
        seconds: round(satS, 2),
        latencyMs: Object.fromEntries(Object.entries(satLat).map(([k, v]) => [k, round(v, 2)])),
        stored: satCounted,
        lost: satLost,
      },
    },
  };
}

/** 10,000 activities of every kind, a year either side of now, starts on the half hour (ties on purpose). */
async function seedCatalogue(h: Harness, n: number, now: number): Promise<number> {
  const [template] = await h.cloud.engine.find(COLLECTIONS.activities, { _id: 'act_exchange_01' });
  if (!template) throw new Error('the demo activity act_exchange_01 is missing');
  const r = rng(20260610);
  const docs: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const start = now + Math.round((r() * 730 - 365) * 48) * (HOUR / 2);
    const capacity = r() < 0.3 ? 0 : 20 + Math.floor(r() * 200);
    docs.push({
      ...template,
      _id: `act_cat_${String(i).padStart(5, '0')}`,
      kind: ACTIVITY_KINDS[Math.floor(r() * ACTIVITY_KINDS.length)],
      title: `目录活动 ${i} 号`,
      status: start < now - 30 * DAY ? 'closed' : r() < 0.95 ? 'published' : 'draft',
      time: { start, end: start + 2 * HOUR },
      signup: { start: start - 20 * DAY, end: start - DAY },
      capacity,
      taken: capacity ? Math.floor(r() * capacity) : 0,
      waitlisted: 0,
    });
  }
  const t0 = performance.now();
  await h.cloud.engine.insertMany(COLLECTIONS.activities, docs);
  return performance.now() - t0;
}

async function catalogue(h: Harness, o: ScaleOptions): Promise<{ figures: Figure[]; detail: unknown }> {
  const now = h.cloud.clock.now();
  const insertMs = await seedCatalogue(h, o.catalogue, now);
  log(`inserted ${o.catalogue} activities in ${insertMs.toFixed(0)} ms`);
  const listed = await h.cloud.engine.find(COLLECTIONS.activities, { status: { $in: ['published', 'closed'] } });
  const expected = listed.length;

  const who = 'demo-worker-li';
  // Warm the instances (not counted).
  await h.api(who, 'activities.list', {});
  const ms: number[] = [];
  const reads: number[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  let cursor: string | null | undefined;
  let pages = 0;
  let failed = '';
  do {
    await h.control('stats/reset', {});
    const t0 = performance.now();
    const r = await h.api(who, 'activities.list', cursor ? { cursor } : {});
    ms.push(performance.now() - t0);
    const stats = (await h.control('stats')) as Stats;
    reads.push(stats.engine.reads);
    pages += 1;
    if (!r.ok) {
      failed = `${r.code}: ${r.message}`;
      break;
    }
    for (const item of r.data.items) {
      if (seen.has(item.id)) duplicates += 1;
      seen.add(item.id);
    }
    cursor = r.data.next;
  } while (cursor && pages < 100_000);
  const t = summary(ms);
  log(`catalogue: ${pages} pages, p50 ${t.p50.toFixed(1)} ms, p99 ${t.p99.toFixed(1)} ms, reads/page ${median(reads)}`);

  const S = 'scale';
  const figures = [
    figure(S, `catalogue (${o.catalogue} + demo activities): pages of ${LIMITS.pageSize}`, pages, 'count', null, { note: `insertMany ${insertMs.toFixed(0)} ms` }),
    figure(S, 'catalogue: ms per page p50', round(t.p50, 1), 'ms'),
    figure(S, 'catalogue: ms per page p99', round(t.p99, 1), 'ms', null, { note: `last page ${(ms[ms.length - 1] ?? 0).toFixed(1)} ms, max ${t.max.toFixed(0)} ms` }),
    figure(S, 'catalogue: engine reads per page (max)', Math.max(...reads), 'count', null, { note: `median ${median(reads)}` }),
    figure(S, 'catalogue: cards seen once each', seen.size, 'count', exactly(expected), {
      note: `${duplicates} duplicates${failed ? `; stopped: ${failed}` : ''}`,
    }),
  ];
  return {
    figures,
    detail: { insertMs: round(insertMs, 1), expected, seen: seen.size, duplicates, pages, msPerPage: Object.fromEntries(Object.entries(t).map(([k, v]) => [k, round(v, 2)])), readsPerPage: { median: median(reads), max: Math.max(...reads), min: Math.min(...reads) } },
  };
}

export async function scaleStage(o: ScaleOptions): Promise<{ figures: Figure[]; detail: unknown }> {
  const h = await startHarness();
  try {
    const b = await burst(h, o);
    const c = await catalogue(h, o);
    return { figures: [...b.figures, ...c.figures], detail: { options: o, burst: b.detail, catalogue: c.detail } };
  } finally {
    await h.stop();
  }
}
