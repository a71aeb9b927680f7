/**
 * Indexes from collections.json narrow the candidates and serve orderBy in index order, but never
 * change a result: the same queries on an indexed and an unindexed copy of the data answer the same
 * documents in the same order (ties in natural order). Plus the performance target: a filtered,
 * sorted, limited query over 100k documents in ≤ 5 ms with an index.
 */
import { Engine } from '../../../local-cloud/src/engine';
import { add, ej, type IndexDef, type Opened, openEngine, query, rmrf, updateDoc } from './helpers';

/** Small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INDEXES: IndexDef[] = [
  { name: 'status_t', keys: { status: 1, t: -1 } },
  { name: 'n', keys: { n: 1 } },
  { name: 'gk_n', keys: { 'g.k': 1, n: -1 } },
  { name: 't', keys: { t: 1 } },
];

describe('indexed and unindexed answers are identical', () => {
  let withIx: Opened;
  let without: Opened;
  const r = rng(42);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const base = Date.UTC(2024, 0, 1);

  function randomDoc(i: number): Record<string, unknown> {
    const d: Record<string, unknown> = { _id: `d${String(i).padStart(4, '0')}` };
    const status = pick<unknown>(['open', 'closed', 'draft', null, undefined, 'open', 'closed', ['open', 'x']]);
    if (status !== undefined) d.status = status;
    const n = pick<unknown>([0, 1, 2, 3, 5, 8, 13, 21, 2.5, -1, '5', undefined, new Date(base + 5)]);
    if (n !== undefined) d.n = n;
    d.t = r() < 0.8 ? new Date(base + Math.floor(r() * 20) * 3600_000) : base + Math.floor(r() * 20) * 3600_000;
    if (r() < 0.9) d.g = { k: Math.floor(r() * 4) };
    return d;
  }

  function randomFilter(): Record<string, unknown> {
    const parts: Record<string, unknown>[] = [];
    const k = Math.floor(r() * 3);
    for (let i = 0; i < k; i++) {
      parts.push(
        pick<() => Record<string, unknown>>([
          () => ({ status: pick<unknown>(['open', 'closed', 'draft', null, 'x']) }),
          () => ({ status: { $in: ['open', 'draft'] } }),
          () => ({ n: { [pick(['$gt', '$gte', '$lt', '$lte'])]: pick([0, 2, 5, 13]) } }),
          () => ({ n: { $gte: 1, $lt: 13 } }),
          () => ({ n: pick<unknown>([1, 5, '5', 2.5]) }),
          () => ({ 'g.k': pick([0, 1, 2, 3]) }),
          () => ({ t: { $gte: new Date(base + 5 * 3600_000) } }),
          () => ({ t: { $lt: base + 10 * 3600_000 } }),
          () => ({ $or: [{ status: 'draft' }, { n: { $gt: 8 } }] }),
          () => ({ n: { $ne: 5 } }),
          () => ({ _id: { $in: ['d0003', 'd0100', 'd0200', 'zz'] } }),
        ])(),
      );
    }
    if (parts.length === 0) return {};
    if (parts.length === 1) return parts[0] as Record<string, unknown>;
    return r() < 0.5 ? { $and: parts } : Object.assign({}, ...parts);
  }

  const SORTS: Array<Record<string, 1 | -1> | undefined> = [undefined, { t: -1 }, { t: 1 }, { n: 1 }, { n: -1 }, { status: 1, t: -1 }, { status: -1, t: 1 }, { 'g.k': 1, n: -1 }, { _id: -1 }, { n: 1, _id: 1 }];

  beforeAll(async () => {
    withIx = await openEngine({ c: INDEXES });
    without = await openEngine({ c: [] });
    const docs = Array.from({ length: 400 }, (_, i) => randomDoc(i));
    await withIx.engine.insertMany('c', docs);
    await without.engine.insertMany('c', docs);
    // Updates and deletes through execute so the indexes are maintained incrementally too.
    for (let i = 0; i < 150; i++) {
      const id = `d${String(Math.floor(r() * 400)).padStart(4, '0')}`;
      const upd = pick<Record<string, unknown>>([
        { $set: { status: pick(['open', 'closed', 'draft']) } },
        { $set: { n: pick([1, 2, 100]) } },
        { $unset: { status: '' } },
        { $set: { t: new Date(base + Math.floor(r() * 20) * 3600_000) } },
        { $set: { status: ['draft', 'y'] } },
      ]);
      await updateDoc(withIx.engine, 'c', id, upd);
      await updateDoc(without.engine, 'c', id, upd);
    }
    for (let i = 0; i < 30; i++) {
      const id = `d${String(Math.floor(r() * 400)).padStart(4, '0')}`;
      for (const e of [withIx.engine, without.engine]) {
        await e.execute('database.removeDocument', { collectionName: 'c', queryType: 'DOC', query: JSON.stringify({ _id: id }), multi: false });
      }
    }
    const extra = Array.from({ length: 50 }, (_, i) => randomDoc(1000 + i));
    await add(withIx.engine, 'c', ...extra);
    await add(without.engine, 'c', ...extra);
  });
  afterAll(async () => {
    for (const x of [withIx, without]) {
      await x.engine.close();
      await rmrf(x.dir);
    }
  });

  test('600 random queries (filters, sorts, skip, limit, count, aggregate $match)', async () => {
    const plans = new Set<string>();
    for (let i = 0; i < 600; i++) {
      const filter = randomFilter();
      const order = pick(SORTS);
      const limit = pick([1, 3, 10, 50, 100]);
      const offset = pick([0, 0, 2, 7]);
      const a = await query(withIx.engine, 'c', filter, { order, limit, offset });
      plans.add(withIx.engine.lastPlan('c').split(':')[0] ?? '');
      const b = await query(without.engine, 'c', filter, { order, limit, offset });
      expect({ filter, order, limit, offset, ids: a.map((d) => d._id) }).toEqual({ filter, order, limit, offset, ids: b.map((d) => d._id) });
      if (i % 10 === 0) {
        const count = { collectionName: 'c', queryType: 'WHERE', query: ej(filter) };
        expect(await withIx.engine.execute('database.calculateDocument', count)).toEqual(await without.engine.execute('database.calculateDocument', count));
      }
    }
    // Every access path was exercised.
    expect([...plans].sort()).toEqual(['id', 'index', 'ordered', 'scan']);
  });
});

describe('plans', () => {
  let o: Opened;
  beforeAll(async () => {
    o = await openEngine({ e: [{ name: 'comp_status_at', keys: { comp: 1, status: 1, at: -1 } }, { name: 'at', keys: { at: -1 } }] });
    await o.engine.insertMany(
      'e',
      Array.from({ length: 2000 }, (_, i) => ({ comp: `c${i % 10}`, status: i % 3 ? 'ok' : 'new', at: i, score: i % 7 })),
    );
  });
  afterAll(async () => {
    await o.engine.close();
    await rmrf(o.dir);
  });

  test('equality prefix + orderBy on the next field walks the index in order and stops at the limit', async () => {
    const r = await query(o.engine, 'e', { comp: 'c3', status: 'ok' }, { order: { at: -1 }, limit: 5 });
    expect(o.engine.lastPlan('e')).toBe('ordered:comp_status_at');
    expect(r.map((d) => d.at)).toEqual([1993, 1973, 1963, 1943, 1933]);
  });

  test('reverse direction is served by the same index', async () => {
    await query(o.engine, 'e', {}, { order: { at: 1 }, limit: 3 });
    expect(o.engine.lastPlan('e')).toBe('ordered:at');
  });

  test('equality on an index prefix narrows the candidates', async () => {
    const expected = Array.from({ length: 2000 }, (_, i) => i).filter((i) => (i % 10 === 1 || i % 10 === 2) && i % 7 === 3).length;
    expect(await query(o.engine, 'e', { comp: { $in: ['c1', 'c2'] }, score: 3 }, { limit: 1000 })).toHaveLength(expected);
    expect(o.engine.lastPlan('e')).toBe('index:comp_status_at');
  });

  test('no usable index: full scan', async () => {
    await query(o.engine, 'e', { score: 3 });
    expect(o.engine.lastPlan('e')).toBe('scan');
  });
});

test('a filtered, sorted, limited query over 100k documents takes ≤ 5 ms with an index', async () => {
  const o = await openEngine({ entries: [{ name: 'comp_status_created', keys: { compId: 1, status: 1, createdAt: -1 } }] });
  try {
    const t0 = performance.now();
    const N = 100_000;
    const base = Date.UTC(2024, 0, 1);
    await o.engine.insertMany(
      'entries',
      Array.from({ length: N }, (_, i) => ({
        compId: `comp${i % 20}`,
        status: ['submitted', 'approved', 'rejected', 'draft'][Math.floor(i / 20) % 4],
        createdAt: base + i * 1000,
        score: i % 100,
        title: `entry ${i}`,
      })),
    );
    const seedMs = performance.now() - t0;
    const e: Engine = o.engine;
    const run = (): Promise<Record<string, unknown>[]> =>
      query(e, 'entries', { compId: 'comp7', status: 'approved', score: { $gte: 50 } }, { order: { createdAt: -1 }, limit: 20, offset: 20 });
    await run(); // warm-up
    const times: number[] = [];
    let r: Record<string, unknown>[] = [];
    for (let i = 0; i < 25; i++) {
      const s = performance.now();
      r = await run();
      times.push(performance.now() - s);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)] as number;
    expect(r).toHaveLength(20);
    expect(e.lastPlan('entries')).toBe('ordered:comp_status_created');
    console.log(`100k docs: seeded in ${seedMs.toFixed(0)} ms; filtered+sorted+limited query median ${median.toFixed(2)} ms`);
    expect(median).toBeLessThanOrEqual(5);
  } finally {
    await o.engine.close();
    await rmrf(o.dir);
  }
}, 30_000);
