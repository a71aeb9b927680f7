/**
 * Contract: the real wx-server-sdk 4.0.2 against the local engine (harness.ts). Each test cites
 * the documented behaviour it pins: "limits doc" = /work/shared/reference/wechat-platform-limits.md,
 * "WX-ref" = developers.weixin.qq.com/miniprogram/dev/wxcloudservice/wxcloud/reference-sdk-api/….
 * With CONTRACT_TARGET=cloud the same tests run against a real environment (see harness.ts).
 */
import { type Harness, type IndexDef, p, rejection, startHarness } from './harness';

let h: Harness;
const COLL: Record<string, IndexDef[]> = {
  items: [{ name: 'kind_rank', keys: { kind: 1, rank: -1 } }],
  bulk: [],
  ledger: [],
};

beforeAll(async () => {
  h = await startHarness(COLL);
});
afterAll(async () => {
  await h.close();
});

interface Item {
  _id?: string;
  kind: string;
  rank: number;
  name: string;
  tags?: string[];
  at?: Date;
}

const items: Item[] = [
  { _id: 'i1', kind: 'a', rank: 3, name: 'alpha', tags: ['x'], at: new Date(Date.UTC(2024, 0, 1)) },
  { _id: 'i2', kind: 'a', rank: 1, name: 'beta', tags: ['x', 'y'] },
  { _id: 'i3', kind: 'b', rank: 2, name: 'gamma', tags: [] },
  { _id: 'i4', kind: 'a', rank: 2, name: 'delta' },
  { _id: 'i5', kind: 'c', rank: 5, name: 'eps', tags: ['y'] },
];

describe('add / doc().get()', () => {
  beforeAll(async () => {
    for (const it of items) await p(h.db.collection('items').add({ data: it }));
  });

  test('add() answers the new _id (WX-ref Collection.add: "_id: 新增的记录 _id"); ids are generated when absent', async () => {
    const r = (await p(h.db.collection('ledger').add({ data: { note: 'auto id' } }))) as { _id: string; errMsg: string };
    expect(r.errMsg).toBe('collection.add:ok');
    expect(typeof r._id).toBe('string');
    expect(r._id.length).toBeGreaterThanOrEqual(20);
  });

  test('doc(id).get() answers the document; Dates come back as Date objects', async () => {
    const r = (await p(h.db.collection('items').doc('i1').get())) as { data: Item };
    expect(r.data).toEqual(items[0]);
    expect(r.data.at).toBeInstanceOf(Date);
  });

  test('doc(id).get() of a missing document rejects: "document.get:fail document with _id … does not exist" (wx-server-sdk DocumentReference.get)', async () => {
    const err = await rejection(h.db.collection('items').doc('no-such-id').get());
    expect(err.message).toMatch(/document\.get:fail document with _id no-such-id does not exist/);
  });

  test('an existing _id cannot be added twice (duplicate key): errCode -502001 DATABASE_REQUEST_FAILED', async () => {
    const err = await rejection(h.db.collection('items').add({ data: { _id: 'i1', kind: 'z', rank: 0, name: 'dup' } }));
    expect(err.errCode).toBe(-502001);
  });

  test('a collection that does not exist: errCode -502005 (docs.cloudbase.net error-code DATABASE_COLLECTION_NOT_EXIST)', async () => {
    const err = await rejection(h.db.collection('no_such_collection').where({}).get());
    expect(err.errCode).toBe(-502005);
    const err2 = await rejection(h.db.collection('no_such_collection').add({ data: { a: 1 } }));
    expect(err2.errCode).toBe(-502005);
  });
});

describe('where / orderBy / skip / limit / field / count', () => {
  const _ = (): Harness['db']['command'] => h.db.command;
  const names = (r: unknown): string[] => (r as { data: Item[] }).data.map((d) => d.name);

  test('where with commands (limits doc §1 "Commands": eq neq lt lte gt gte in nin and or, exists)', async () => {
    const c = h.db.collection('items');
    expect(names(await p(c.where({ kind: 'a', rank: _().gte(2) }).orderBy('rank', 'asc').get()))).toEqual(['delta', 'alpha']);
    expect(names(await p(c.where({ rank: _().gt(1).and(_().lt(5)) }).orderBy('name', 'asc').get()))).toEqual(['alpha', 'delta', 'gamma']);
    expect(names(await p(c.where(_().or([{ kind: 'c' }, { rank: _().lte(1) }])).orderBy('rank', 'asc').get()))).toEqual(['beta', 'eps']);
    expect(names(await p(c.where({ kind: _().in(['b', 'c']) }).orderBy('rank', 'desc').get()))).toEqual(['eps', 'gamma']);
    expect(names(await p(c.where({ kind: _().nin(['a']), rank: _().neq(5) }).get()))).toEqual(['gamma']);
    expect(names(await p(c.where({ tags: _().exists(false) }).get()))).toEqual(['delta']);
    expect(names(await p(c.where({ tags: 'y' }).orderBy('rank', 'asc').get()))).toEqual(['beta', 'eps']);
    expect(names(await p(c.where({ name: h.db.RegExp({ regexp: '^[ab]', options: 'i' }) }).orderBy('name', 'asc').get()))).toEqual(['alpha', 'beta']);
    expect(names(await p(c.where({ at: _().lt(new Date(Date.UTC(2025, 0, 1))) }).get()))).toEqual(['alpha']);
  });

  test('orderBy on two fields, skip, limit, field()', async () => {
    const r = (await p(h.db.collection('items').orderBy('kind', 'asc').orderBy('rank', 'desc').skip(1).limit(3).field({ name: true, rank: true }).get())) as {
      data: Array<Record<string, unknown>>;
    };
    expect(r.data).toEqual([
      { _id: 'i4', name: 'delta', rank: 2 },
      { _id: 'i2', name: 'beta', rank: 1 },
      { _id: 'i3', name: 'gamma', rank: 2 },
    ]);
  });

  test('count() (WX-ref Collection.count: "total: 结果数量")', async () => {
    expect(await p(h.db.collection('items').where({ kind: 'a' }).count())).toMatchObject({ total: 3 });
    expect(await p(h.db.collection('items').count())).toMatchObject({ total: 5 });
  });
});

describe('get() limits (limits doc §1: "get() from a cloud function: Default 100. Maximum 1000 with .limit()")', () => {
  beforeAll(async () => {
    const docs = Array.from({ length: 1100 }, (_, i) => ({ i }));
    for (let k = 0; k < docs.length; k += 50) {
      await Promise.all(docs.slice(k, k + 50).map((d) => p(h.db.collection('bulk').add({ data: d }))));
    }
  }, 20_000);

  test('without limit(): 100 documents', async () => {
    const r = (await p(h.db.collection('bulk').get())) as { data: unknown[] };
    expect(r.data).toHaveLength(100);
    if (h.engine) expect(h.requests.filter((x) => x.action === 'database.getDocument').at(-1)?.params.limit).toBe(100);
  });

  test('limit(1000): 1000 documents; limit(5000): still 1000', async () => {
    expect(((await p(h.db.collection('bulk').limit(1000).get())) as { data: unknown[] }).data).toHaveLength(1000);
    expect(((await p(h.db.collection('bulk').limit(5000).get())) as { data: unknown[] }).data).toHaveLength(1000);
  });
});

describe('update commands, set, remove, serverDate', () => {
  const _ = (): Harness['db']['command'] => h.db.command;
  const doc = (): ReturnType<ReturnType<Harness['db']['collection']>['doc']> => h.db.collection('ledger').doc('u');
  const read = async (): Promise<Record<string, unknown>> => ((await p(doc().get())) as { data: Record<string, unknown> }).data;

  beforeEach(async () => {
    await p(doc().set({ data: { n: 10, m: 2, lo: 5, hi: 5, gone: 1, old: 'o', arr: [1, 2, 3], set: ['a'], obj: { keep: 1 } } }));
  });

  test.each<[string, () => Record<string, unknown>, Record<string, unknown>]>([
    ['inc', () => ({ n: _().inc(5) }), { n: 15 }],
    ['mul', () => ({ m: _().mul(3) }), { m: 6 }],
    ['min / max', () => ({ lo: _().min(1), hi: _().max(9) }), { lo: 1, hi: 9 }],
    ['set (replaces a sub-object)', () => ({ obj: _().set({ only: true }) }), { obj: { only: true } }],
    ['plain nested object merges (flattened to dotted paths)', () => ({ obj: { added: 2 } }), { obj: { keep: 1, added: 2 } }],
    ['push', () => ({ arr: _().push(4, 5) }), { arr: [1, 2, 3, 4, 5] }],
    ['push each/position/slice/sort', () => ({ arr: _().push({ each: [9, 0], position: 1, sort: -1, slice: 3 }) }), { arr: [9, 3, 2] }],
    ['unshift', () => ({ arr: _().unshift(0) }), { arr: [0, 1, 2, 3] }],
    ['pop', () => ({ arr: _().pop() }), { arr: [1, 2] }],
    ['shift', () => ({ arr: _().shift() }), { arr: [2, 3] }],
    ['pull', () => ({ arr: _().pull(_().gte(2)) }), { arr: [1] }],
    ['pullAll', () => ({ arr: _().pullAll([1, 3]) }), { arr: [2] }],
    ['addToSet', () => ({ set: _().addToSet('b') }), { set: ['a', 'b'] }],
    ['rename', () => ({ old: _().rename('renamed') }), { renamed: 'o' }],
  ])('%s', async (_name, data, expected) => {
    const r = (await p(doc().update({ data: data() }))) as { stats: { updated: number } };
    expect(r.stats.updated).toBe(1);
    expect(await read()).toMatchObject(expected);
  });

  test('remove() → field deleted', async () => {
    await p(doc().update({ data: { gone: _().remove() } }));
    expect('gone' in (await read())).toBe(false);
  });

  test('doc(id).update() of a missing document: stats.updated 0 (WX-ref Document.update: "updated: 成功更新的记录数量")', async () => {
    const r = (await p(h.db.collection('ledger').doc('missing').update({ data: { a: 1 } }))) as { stats: { updated: number } };
    expect(r.stats.updated).toBe(0);
  });

  test('set() replaces the document and keeps _id; set() of a new id creates it (WX-ref Document.set: "如果记录不存在则创建")', async () => {
    const r = (await p(doc().set({ data: { only: 'this' } }))) as { _id: string; stats: { updated: number; created: number } };
    expect(r.stats).toEqual({ updated: 1, created: 0 });
    expect(await read()).toEqual({ _id: 'u', only: 'this' });
    const c = (await p(h.db.collection('ledger').doc('fresh').set({ data: { v: 1 } }))) as { stats: { updated: number; created: number } };
    expect(c.stats).toEqual({ updated: 0, created: 1 });
  });

  test('where().update() and where().remove() act on every match', async () => {
    const c = h.db.collection('ledger');
    await Promise.all(['w1', 'w2', 'w3'].map((id) => p(c.add({ data: { _id: id, grp: 'w', v: 0 } }))));
    expect(await p(c.where({ grp: 'w' }).update({ data: { v: _().inc(1) } }))).toMatchObject({ stats: { updated: 3 } });
    expect(await p(c.where({ grp: 'w' }).remove())).toMatchObject({ stats: { removed: 3 } });
    expect(await p(c.doc('u').remove())).toMatchObject({ stats: { removed: 1 } });
  });

  test('serverDate() is the server clock (plus offset) and reads back as a Date (WX-ref Database.serverDate)', async () => {
    const offsetMs = h.engine ? 86_400_000 : 0; // the local cloud's clock can be moved (/_control/clock)
    h.clock.offsetMs = offsetMs;
    const before = Date.now() + offsetMs;
    // WX-ref Database.serverDate documents `{ offset }` (ms); wx-server-sdk's typings omit it.
    const serverDate = h.db.serverDate as unknown as (opts?: { offset: number }) => unknown;
    await p(doc().update({ data: { at: serverDate(), later: serverDate({ offset: 60_000 }) } }));
    const after = Date.now() + offsetMs;
    h.clock.offsetMs = 0;
    const d = await read();
    expect(d.at).toBeInstanceOf(Date);
    const at = (d.at as Date).getTime();
    expect(at).toBeGreaterThanOrEqual(before - (h.engine ? 0 : 5_000));
    expect(at).toBeLessThanOrEqual(after + (h.engine ? 0 : 5_000));
    expect((d.later as Date).getTime() - at).toBe(60_000);
  });
});

describe('aggregate', () => {
  const $ = (): Harness['db']['command']['aggregate'] => h.db.command.aggregate;

  test('match / group / sort / project through the SDK', async () => {
    const r = (await p(
      h.db
        .collection('items')
        .aggregate()
        .match({ kind: h.db.command.in(['a', 'b']) })
        .group({ _id: '$kind', n: $().sum(1), top: $().max('$rank') })
        .sort({ _id: 1 })
        .limit(10)
        .end(),
    )) as { list: unknown[] };
    expect(r.list).toEqual([
      { _id: 'a', n: 3, top: 3 },
      { _id: 'b', n: 1, top: 2 },
    ]);
  });

  test('without .limit() an aggregate returns 20 rows (limits doc §1: "Without .limit() it returns only 20 rows, even in a cloud function")', async () => {
    const r = (await p(h.db.collection('bulk').aggregate().match({ i: h.db.command.gte(0) }).end())) as { list: unknown[] };
    expect(r.list).toHaveLength(20);
    const r2 = (await p(h.db.collection('bulk').aggregate().match({ i: h.db.command.gte(0) }).limit(500).end())) as { list: unknown[] };
    expect(r2.list).toHaveLength(500);
  });

  test('unwind / sortByCount / lookup', async () => {
    const tags = (await p(h.db.collection('items').aggregate().unwind('$tags').sortByCount('$tags').limit(5).end())) as { list: unknown[] };
    expect(tags.list).toEqual([
      { _id: 'x', count: 2 },
      { _id: 'y', count: 2 },
    ]);
    await p(h.db.collection('ledger').add({ data: { _id: 'ref', item: 'i3' } }));
    const joined = (await p(
      h.db.collection('ledger').aggregate().match({ _id: 'ref' }).lookup({ from: 'items', localField: 'item', foreignField: '_id', as: 'item' }).limit(1).end(),
    )) as { list: Array<{ item: Item[] }> };
    expect(joined.list[0]?.item[0]?.name).toBe('gamma');
  });
});
