/**
 * The local engine on its own (local-cloud/src/engine, no HTTP, no functions): 100,000 documents
 * in two collections, one with the index the query needs and one without; the same filtered,
 * sorted, limited query on each, and a $match + $group aggregation. Params are built the way
 * wx-server-sdk sends them (EJSON strings), as the engine tests do.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Engine } from '../../local-cloud/src/engine';
import { decodeList, ej, getParams } from '../../test/cloud/engine/helpers';
import { figure, log, max, median, rng, round, type Figure } from './report';

export const DOCS = 100_000;
export const RUNS = 20;
export const INDEXED_QUERY_BUDGET_MS = 5;

const STATUSES = ['submitted', 'approved', 'rejected', 'draft'];

function docs(n: number): Record<string, unknown>[] {
  const r = rng(42);
  const base = Date.UTC(2026, 0, 1);
  return Array.from({ length: n }, (_, i) => ({
    _id: `e${String(i).padStart(6, '0')}`,
    compId: `comp${i % 20}`,
    trackId: ['essay', 'photo', 'video'][i % 3],
    status: STATUSES[Math.floor(r() * STATUSES.length)],
    createdAt: base + i * 1000,
    score: Math.floor(r() * 100),
    title: `作品 ${i}`,
    unitId: `unit_${Math.floor(r() * 40)}`,
  }));
}

async function timed(runs: number, fn: () => Promise<unknown>): Promise<{ median: number; samples: number[] }> {
  await fn(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return { median: median(samples), samples: samples.map((s) => round(s, 2)) };
}

export async function engineStage(): Promise<{ figures: Figure[]; detail: unknown }> {
  const dir = mkdtempSync(join(tmpdir(), 'wcp-bench-engine-'));
  const collectionsFile = join(dir, 'collections.json');
  writeFileSync(
    collectionsFile,
    JSON.stringify({
      collections: {
        indexed: { indexes: [{ name: 'comp_status_created', keys: { compId: 1, status: 1, createdAt: -1 } }] },
        plain: { indexes: [] },
      },
    }),
  );
  const engine = await Engine.open({ dataDir: join(dir, 'data'), collectionsFile, now: () => Date.UTC(2026, 5, 10) });
  try {
    const all = docs(DOCS);
    const t0 = performance.now();
    await engine.insertMany('indexed', all);
    const insertIndexedMs = performance.now() - t0;
    const t1 = performance.now();
    await engine.insertMany('plain', all);
    const insertPlainMs = performance.now() - t1;
    log(`engine: inserted ${DOCS} documents in ${insertIndexedMs.toFixed(0)} ms (indexed), ${insertPlainMs.toFixed(0)} ms (plain)`);

    const filter = { compId: 'comp7', status: 'approved', score: { $gte: 50 } };
    const opts = { order: { createdAt: -1 as const }, limit: 20, offset: 20 };
    let rows = 0;
    const query = (coll: string) => async (): Promise<void> => {
      rows = decodeList(await engine.execute('database.getDocument', getParams(coll, filter, opts))).length;
    };
    const indexed = await timed(RUNS, query('indexed'));
    const indexedPlan = engine.lastPlan('indexed');
    const indexedRows = rows;
    const plain = await timed(RUNS, query('plain'));
    const plainPlan = engine.lastPlan('plain');

    const pipeline = [
      { stageKey: '$match', stageValue: ej({ status: { $in: ['submitted', 'approved'] } }) },
      { stageKey: '$group', stageValue: ej({ _id: '$compId', n: { $sum: 1 }, avg: { $avg: '$score' }, best: { $max: '$score' } }) },
      { stageKey: '$sort', stageValue: ej({ _id: 1 }) },
      { stageKey: '$limit', stageValue: '100' },
    ];
    let groups = 0;
    const aggregation = await timed(RUNS, async () => {
      groups = decodeList(await engine.execute('database.aggregateDocuments', { collectionName: 'indexed', stages: pipeline })).length;
    });
    log(`engine: indexed ${indexed.median.toFixed(2)} ms (${indexedPlan}), plain ${plain.median.toFixed(2)} ms (${plainPlan}), aggregation ${aggregation.median.toFixed(1)} ms`);

    const S = 'engine';
    const figures: Figure[] = [
      figure(S, `${DOCS / 1000}k docs: filtered+sorted+limited query, with index`, round(indexed.median, 2), 'ms', max(INDEXED_QUERY_BUDGET_MS), {
        note: `median of ${RUNS}; plan ${indexedPlan}; ${indexedRows} rows`,
      }),
      figure(S, `${DOCS / 1000}k docs: the same query, no index`, round(plain.median, 2), 'ms', null, { note: `median of ${RUNS}; plan ${plainPlan}` }),
      figure(S, `${DOCS / 1000}k docs: aggregate $match + $group`, round(aggregation.median, 1), 'ms', null, { note: `median of ${RUNS}; ${groups} groups` }),
      figure(S, `${DOCS / 1000}k docs: insertMany (durable log)`, round(insertIndexedMs, 0), 'ms', null, { note: `without index ${insertPlainMs.toFixed(0)} ms` }),
    ];
    return {
      figures,
      detail: {
        docs: DOCS,
        filter,
        options: opts,
        indexed: { plan: indexedPlan, ...indexed },
        plain: { plan: plainPlan, ...plain },
        aggregation: { pipeline, ...aggregation },
        insertMs: { indexed: round(insertIndexedMs, 1), plain: round(insertPlainMs, 1) },
      },
    };
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
