/**
 * Reads through `execute`, with the params the SDK sends (see helpers.ts and engine.ts for the
 * captured shapes). Documented behaviours are cited from /work/shared/reference/wechat-platform-limits.md
 * ("limits doc") or the WeChat SDK reference (WX-ref).
 */
import { type EngineError } from '../../../local-cloud/src/engine';
import { add, decodeList, ej, getParams, type Opened, openEngine, query, rmrf } from './helpers';

let o: Opened;
const people = [
  { _id: 'p1', name: 'Ann', age: 30, city: 'Wuhan', tags: ['a', 'b'], addr: { zip: 430000, street: 'Jiefang' }, scores: [{ k: 'x', v: 5 }], at: new Date(Date.UTC(2024, 0, 1)) },
  { _id: 'p2', name: 'bob', age: 25, city: 'Beijing', tags: ['b'], addr: { zip: 100000 }, scores: [{ k: 'x', v: 9 }, { k: 'y', v: 1 }], at: new Date(Date.UTC(2024, 5, 1)) },
  { _id: 'p3', name: 'Cai', age: 35, city: 'Wuhan', tags: [], addr: { zip: 430070 }, scores: [], nick: null },
  { _id: 'p4', name: 'Dan', age: 25, city: 'Shanghai', tags: ['a', 'c', 'd'], scores: [{ k: 'y', v: 7 }], at: 1718000000000 },
  { _id: 'p5', name: 'eve', age: 41, city: 'Beijing', tags: ['c'], addr: { zip: 100080 }, scores: [] },
];

beforeAll(async () => {
  o = await openEngine({ people: [{ name: 'by_city_age', keys: { city: 1, age: -1 } }], empty: [], many: [] });
  await add(o.engine, 'people', ...people);
});
afterAll(async () => {
  await o.engine.close();
  await rmrf(o.dir);
});

const ids = (docs: Record<string, unknown>[]): unknown[] => docs.map((d) => d._id);

describe('query operators (db.command → MongoDB operators, limits doc §1 "Commands")', () => {
  const cases: Array<[string, Record<string, unknown>, string[]]> = [
    ['eq (plain value)', { city: 'Wuhan' }, ['p1', 'p3']],
    ['eq', { age: { $eq: 25 } }, ['p2', 'p4']],
    ['neq', { city: { $ne: 'Wuhan' } }, ['p2', 'p4', 'p5']],
    ['gt', { age: { $gt: 30 } }, ['p3', 'p5']],
    ['gte', { age: { $gte: 30 } }, ['p1', 'p3', 'p5']],
    ['lt', { age: { $lt: 30 } }, ['p2', 'p4']],
    ['lte', { age: { $lte: 30 } }, ['p1', 'p2', 'p4']],
    ['in', { city: { $in: ['Beijing', 'Shanghai'] } }, ['p2', 'p4', 'p5']],
    ['nin', { city: { $nin: ['Beijing', 'Shanghai'] } }, ['p1', 'p3']],
    ['and (gt().and(lt()) as the SDK encodes it)', { $and: [{ age: { $gt: 25 } }, { age: { $lt: 40 } }] }, ['p1', 'p3']],
    ['or', { $or: [{ city: 'Shanghai' }, { age: { $gt: 40 } }] }, ['p4', 'p5']],
    ['nor', { $nor: [{ city: 'Wuhan' }, { age: 25 }] }, ['p5']],
    ['not', { age: { $not: { $eq: 25 } } }, ['p1', 'p3', 'p5']],
    ['exists true', { addr: { $exists: true } }, ['p1', 'p2', 'p3', 'p5']],
    ['exists false', { addr: { $exists: false } }, ['p4']],
    ['null matches null and missing', { nick: null }, ['p1', 'p2', 'p3', 'p4', 'p5']],
    ['size', { tags: { $size: 2 } }, ['p1']],
    ['elemMatch', { scores: { $elemMatch: { k: 'x', v: { $gt: 6 } } } }, ['p2']],
    ['all', { tags: { $all: ['a', 'c'] } }, ['p4']],
    ['mod', { age: { $mod: [5, 0] } }, ['p1', 'p2', 'p3', 'p4']],
    ['regex (db.RegExp)', { name: /^[a-c]/i }, ['p1', 'p2', 'p3']],
    ['regex operator', { name: { $regex: '^e', $options: '' } }, ['p5']],
    ['array contains', { tags: 'b' }, ['p1', 'p2']],
    ['nested path (where({ addr: { zip } }) is flattened to addr.zip)', { 'addr.zip': { $gte: 430000 } }, ['p1', 'p3']],
    ['path into array of objects', { 'scores.k': 'y' }, ['p2', 'p4']],
    ['dates compare as dates', { at: { $gte: new Date(Date.UTC(2024, 2, 1)) } }, ['p2']],
    ['epoch-ms numbers compare as numbers', { at: { $gt: 1700000000000 } }, ['p4']],
    ['_id in', { _id: { $in: ['p5', 'p1', 'nope'] } }, ['p1', 'p5']],
  ];
  test.each(cases)('%s', async (_name, q, expected) => {
    expect(ids(await query(o.engine, 'people', q))).toEqual(expected);
  });

  test('canonical EJSON exactly as captured from the SDK: where({ a: _.gt(1).and(_.lt(5)), b: _.in([1, 2]) })', async () => {
    const data = await o.engine.execute('database.getDocument', {
      collectionName: 'people',
      queryType: 'WHERE',
      query: '{"$and":[{"age":{"$gt":{"$numberInt":"26"}}},{"age":{"$lt":{"$numberInt":"40"}}}],"city":{"$in":["Wuhan","Nowhere"]}}',
      limit: 100,
    });
    expect(ids(decodeList(data))).toEqual(['p1', 'p3']);
  });
});

describe('orderBy / skip / limit / field', () => {
  test('multi-key orderBy, ties in insertion order', async () => {
    const r = await query(o.engine, 'people', {}, { order: { age: 1, name: -1 } });
    expect(ids(r)).toEqual(['p2', 'p4', 'p1', 'p3', 'p5']);
    const r2 = await query(o.engine, 'people', {}, { order: { city: 1, age: -1 } });
    expect(ids(r2)).toEqual(['p5', 'p2', 'p4', 'p3', 'p1']);
  });

  test('skip and limit after the sort', async () => {
    const r = await query(o.engine, 'people', {}, { order: { age: -1 }, offset: 1, limit: 2 });
    expect(ids(r)).toEqual(['p3', 'p1']);
  });

  test('field(): inclusion keeps _id; exclusion drops fields', async () => {
    const [inc] = await query(o.engine, 'people', { _id: 'p1' }, { projection: { name: 1, 'addr.zip': 1 } });
    expect(inc).toEqual({ _id: 'p1', name: 'Ann', addr: { zip: 430000 } });
    const [exc] = await query(o.engine, 'people', { _id: 'p2' }, { projection: { scores: 0, tags: 0, addr: 0, at: 0 } });
    expect(exc).toEqual({ _id: 'p2', name: 'bob', age: 25, city: 'Beijing' });
  });

  test('doc(id).field() on a DOC query', async () => {
    const data = await o.engine.execute('database.getDocument', {
      collectionName: 'people',
      query: ej({ _id: 'p3' }),
      queryType: 'DOC',
      multi: false,
      projection: '{"age":{"$numberInt":"1"}}',
    });
    expect(decodeList(data)).toEqual([{ _id: 'p3', age: 35 }]);
  });

  test('doc(id).get() of a missing document answers an empty list (the SDK turns it into "does not exist")', async () => {
    const data = await o.engine.execute('database.getDocument', { collectionName: 'people', query: ej({ _id: 'zzz' }), queryType: 'DOC', multi: false });
    expect(data).toEqual({ list: [] });
  });

  test('count() → calculateDocument { total }', async () => {
    expect(await o.engine.execute('database.calculateDocument', { collectionName: 'people', queryType: 'WHERE', query: ej({ city: 'Wuhan' }) })).toEqual({ total: 2 });
    expect(await o.engine.execute('database.calculateDocument', { collectionName: 'people', queryType: 'WHERE' })).toEqual({ total: 5 });
  });
});

describe('get() limits (limits doc §1: "get() from a cloud function: Default 100. Maximum 1000 with .limit()")', () => {
  beforeAll(async () => {
    await o.engine.insertMany(
      'many',
      Array.from({ length: 1200 }, (_, i) => ({ i })),
    );
  });

  test('the SDK sends limit 100 when no limit is set: 100 documents', async () => {
    // Captured: collection.get() → { queryType: 'WHERE', limit: 100 }
    expect(await query(o.engine, 'many', {})).toHaveLength(100);
  });

  test('no limit param at all (another client) also answers 100', async () => {
    const data = await o.engine.execute('database.getDocument', { collectionName: 'many', queryType: 'WHERE' });
    expect(decodeList(data)).toHaveLength(100);
  });

  test('limit above 1000 is clamped to 1000 (the SDK clamps too: `limit < 1000 ? limit : 1000`)', async () => {
    expect(await query(o.engine, 'many', {}, { limit: 5000 })).toHaveLength(1000);
    expect(await query(o.engine, 'many', {}, { limit: 1000 })).toHaveLength(1000);
    expect(await query(o.engine, 'many', {}, { limit: 7, offset: 1195 })).toHaveLength(5);
  });

  test('a negative or fractional limit is an INVALID_PARAM', async () => {
    await expect(o.engine.execute('database.getDocument', { ...getParams('many'), limit: -1 })).rejects.toMatchObject({ code: 'INVALID_PARAM' });
    await expect(o.engine.execute('database.getDocument', { ...getParams('many'), limit: 1.5 })).rejects.toMatchObject({ code: 'INVALID_PARAM' });
  });
});

describe('collections (database/collections.json)', () => {
  test('a collection that is not declared: DATABASE_COLLECTION_NOT_EXIST for reads and writes', async () => {
    for (const [action, params] of [
      ['database.getDocument', getParams('ghost')],
      ['database.calculateDocument', { collectionName: 'ghost', queryType: 'WHERE' }],
      ['database.insertDocument', { collectionName: 'ghost', data: [ej({ a: 1 })] }],
      ['database.modifyDocument', { collectionName: 'ghost', queryType: 'DOC', query: ej({ _id: 'x' }), data: ej({ $set: { a: 1 } }), merge: true }],
      ['database.removeDocument', { collectionName: 'ghost', queryType: 'WHERE', query: ej({}), multi: true }],
      ['database.aggregateDocuments', { collectionName: 'ghost', stages: [] }],
    ] as const) {
      const err = (await o.engine.execute(action, params).catch((e: unknown) => e)) as EngineError;
      expect(err.code).toBe('DATABASE_COLLECTION_NOT_EXIST');
    }
  });

  test('a declared collection without data reads empty', async () => {
    expect(await query(o.engine, 'empty', {})).toEqual([]);
  });

  test('createCollection (database.addCollection) creates it, durably; a second create fails', async () => {
    // WX-ref Database.createCollection: "创建集合，如果集合已经存在会创建失败"
    expect(await o.engine.execute('database.addCollection', { collectionName: 'made' })).toEqual({});
    await add(o.engine, 'made', { x: 1 });
    await expect(o.engine.execute('database.addCollection', { collectionName: 'made' })).rejects.toMatchObject({ code: 'DATABASE_COLLECTION_ALREADY_EXIST' });
    await expect(o.engine.execute('database.addCollection', { collectionName: 'people' })).rejects.toMatchObject({ code: 'DATABASE_COLLECTION_ALREADY_EXIST' });
    await o.reopen();
    expect(await query(o.engine, 'made', {})).toHaveLength(1);
  });

  test('without collections.json every name is allowed: reads of an unknown name are empty, writes create it', async () => {
    const open = await openEngine(undefined);
    try {
      expect(await query(open.engine, 'anything', {})).toEqual([]);
      await add(open.engine, 'anything', { a: 1 });
      expect(await query(open.engine, 'anything', {})).toHaveLength(1);
    } finally {
      await open.engine.close();
      await rmrf(open.dir);
    }
  });

  test('an unknown query operator is DATABASE_INVALID_OPERRATOR; an invalid projection DATABASE_REQUEST_FAILED', async () => {
    await expect(query(o.engine, 'people', { age: { $frob: 1 } })).rejects.toMatchObject({ code: 'DATABASE_INVALID_OPERRATOR' });
    await expect(query(o.engine, 'people', {}, { projection: { name: 1, age: 0 } })).rejects.toMatchObject({ code: 'DATABASE_REQUEST_FAILED' });
  });

  test('an unknown action is an INVALID_PARAM', async () => {
    await expect(o.engine.execute('database.dropEverything', {})).rejects.toMatchObject({ code: 'INVALID_PARAM' });
  });
});

describe('stats()', () => {
  test('counts reads (queries, counts, aggregates, doc gets) and writes', async () => {
    o.engine.resetStats();
    await query(o.engine, 'people', {});
    await o.engine.execute('database.calculateDocument', { collectionName: 'people', queryType: 'WHERE' });
    await o.engine.execute('database.aggregateDocuments', { collectionName: 'people', stages: [] });
    await o.engine.execute('database.getDocument', { collectionName: 'people', query: ej({ _id: 'p1' }), queryType: 'DOC' });
    await add(o.engine, 'people', { name: 'Fay' });
    await o.engine.find('people'); // helpers are not counted
    const s = o.engine.stats();
    expect(s.reads).toBe(4);
    expect(s.writes).toBe(1);
    expect(s.byAction['database.getDocument']).toBe(2);
    expect(s.byAction['database.insertDocument']).toBe(1);
  });
});
