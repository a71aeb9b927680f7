/**
 * Writes through `execute`. Update documents are the ones the SDK's UpdateSerializer produces
 * (captured from wx-server-sdk 4.0.2, e.g. `_.unshift(1)` → `$push: { k: { $each: [1], $position: 0 } }`,
 * `_.shift()` → `$pop: { j: -1 }`, `_.remove()` → `$unset: { c: '' }`, nested plain objects are
 * flattened to dotted `$set` paths).
 */
import { type EngineError } from '../../../local-cloud/src/engine';
import { add, decodeList, ej, type Opened, openEngine, query, rmrf, updateDoc } from './helpers';

let o: Opened;
beforeAll(async () => {
  o = await openEngine({
    docs: [],
    users: [
      { name: 'openid_unique', keys: { openid: 1 }, unique: true },
      { name: 'team_no_unique', keys: { team: 1, no: 1 }, unique: true },
    ],
  });
});
afterAll(async () => {
  await o.engine.close();
  await rmrf(o.dir);
});

async function get(id: string): Promise<Record<string, unknown> | undefined> {
  return (await query(o.engine, 'docs', { _id: id }))[0];
}

describe('insertDocument (collection.add)', () => {
  test('auto _id: 32 hex digits, first field; insertedIds in order', async () => {
    const ids = await add(o.engine, 'docs', { a: 1 }, { a: 2 });
    expect(ids).toHaveLength(2);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
    const [d] = await query(o.engine, 'docs', { _id: ids[0] });
    expect(Object.keys(d ?? {})[0]).toBe('_id');
  });

  test('an existing _id fails with a duplicate key error; a multi-document add is all-or-nothing', async () => {
    await add(o.engine, 'docs', { _id: 'dup', v: 1 });
    const err = (await add(o.engine, 'docs', { _id: 'dup', v: 2 }).catch((e: unknown) => e)) as EngineError;
    expect(err.code).toBe('DATABASE_REQUEST_FAILED');
    expect(err.message).toMatch(/E11000 duplicate key/);
    await expect(add(o.engine, 'docs', { _id: 'new-1' }, { _id: 'dup' })).rejects.toMatchObject({ code: 'DATABASE_REQUEST_FAILED' });
    expect(await get('new-1')).toBeUndefined();
    expect((await get('dup'))?.v).toBe(1);
  });

  test('numeric _id (doc(123)) is distinct from the string "123"', async () => {
    await add(o.engine, 'docs', { _id: 123, n: 'number' }, { _id: '123', n: 'string' });
    expect((await query(o.engine, 'docs', { _id: 123 }))[0]?.n).toBe('number');
    expect((await query(o.engine, 'docs', { _id: '123' }))[0]?.n).toBe('string');
  });

  test('field names starting with $ are refused', async () => {
    await expect(o.engine.execute('database.insertDocument', { collectionName: 'docs', data: ['{"$bad":1}'] })).rejects.toMatchObject({ code: 'DATABASE_REQUEST_FAILED' });
  });
});

describe('modifyDocument with update operators (doc.update / where.update)', () => {
  beforeEach(async () => {
    await o.engine.execute('database.removeDocument', { collectionName: 'docs', queryType: 'DOC', query: ej({ _id: 'u' }), multi: false });
    await add(o.engine, 'docs', {
      _id: 'u',
      n: 10,
      m: 3,
      lo: 5,
      hi: 5,
      gone: true,
      old: 'x',
      arr: [1, 2, 3],
      set: ['a'],
      nested: { keep: 1, x: 0 },
      objs: [{ k: 1 }, { k: 2 }],
    });
  });

  test.each<[string, Record<string, unknown>, (d: Record<string, unknown>) => void]>([
    ['inc', { $inc: { n: 5, fresh: 2 } }, (d) => expect([d.n, d.fresh]).toEqual([15, 2])],
    ['mul', { $mul: { m: 2.5, none: 3 } }, (d) => expect([d.m, d.none]).toEqual([7.5, 0])],
    ['min / max', { $min: { lo: 1 }, $max: { hi: 9 } }, (d) => expect([d.lo, d.hi]).toEqual([1, 9])],
    ['set a field / _.set(object) replaces the sub-object', { $set: { nested: { only: true } } }, (d) => expect(d.nested).toEqual({ only: true })],
    ['dotted set merges (update({ nested: { x: 1 } }) is flattened by the SDK)', { $set: { 'nested.x': 1 } }, (d) => expect(d.nested).toEqual({ keep: 1, x: 1 })],
    ['remove → $unset', { $unset: { gone: '' } }, (d) => expect('gone' in d).toBe(false)],
    ['rename', { $rename: { old: 'renamed' } }, (d) => expect([d.old, d.renamed]).toEqual([undefined, 'x'])],
    ['push (values)', { $push: { arr: { $each: [4, 5] } } }, (d) => expect(d.arr).toEqual([1, 2, 3, 4, 5])],
    ['push with position/slice/sort', { $push: { arr: { $each: [9, 0], $position: 1, $sort: -1, $slice: 3 } } }, (d) => expect(d.arr).toEqual([9, 3, 2])],
    ['unshift → push $position 0', { $push: { arr: { $each: [0], $position: 0 } } }, (d) => expect(d.arr).toEqual([0, 1, 2, 3])],
    ['pop → $pop 1', { $pop: { arr: 1 } }, (d) => expect(d.arr).toEqual([1, 2])],
    ['shift → $pop -1', { $pop: { arr: -1 } }, (d) => expect(d.arr).toEqual([2, 3])],
    ['pull with a condition', { $pull: { arr: { $gte: 2 } } }, (d) => expect(d.arr).toEqual([1])],
    ['pull matching objects', { $pull: { objs: { k: 2 } } }, (d) => expect(d.objs).toEqual([{ k: 1 }])],
    ['pullAll', { $pullAll: { arr: [1, 3] } }, (d) => expect(d.arr).toEqual([2])],
    ['addToSet', { $addToSet: { set: 'z' } }, (d) => expect(d.set).toEqual(['a', 'z'])],
    ['addToSet $each', { $addToSet: { set: { $each: ['a', 'b', 'b'] } } }, (d) => expect(d.set).toEqual(['a', 'b'])],
  ])('%s', async (_name, update, check) => {
    expect(await updateDoc(o.engine, 'docs', 'u', update)).toEqual({ updated: 1 });
    const d = await get('u');
    expect(d?._id).toBe('u');
    check(d ?? {});
  });

  test('the exact update string the SDK sends for several commands at once', async () => {
    // Captured from doc('abc').update({ data: { a: _.inc(1), c: _.remove(), k: _.unshift(1), sd: db.serverDate() } }) (shortened)
    const data =
      '{"$inc":{"n":{"$numberInt":"1"}},"$set":{"sd":{"$tcb_server_date":{"offset":{"$numberInt":"0"}}},"nested.x":{"$numberInt":"1"}},' +
      '"$unset":{"gone":""},"$push":{"arr":{"$each":[{"$numberInt":"1"}],"$position":{"$numberInt":"0"}}}}';
    const r = await o.engine.execute('database.modifyDocument', {
      collectionName: 'docs',
      data,
      query: '{"_id":"u"}',
      queryType: 'DOC',
      multi: false,
      merge: true,
      upsert: false,
    });
    expect(r).toEqual({ updated: 1 });
    const d = await get('u');
    expect(d).toMatchObject({ n: 11, nested: { keep: 1, x: 1 }, arr: [1, 1, 2, 3], sd: new Date(o.clock.t) });
    expect(d && 'gone' in d).toBe(false);
  });

  test('an update that changes nothing reports updated 0 (MongoDB nModified)', async () => {
    expect(await updateDoc(o.engine, 'docs', 'u', { $set: { n: 10 } })).toEqual({ updated: 0 });
  });

  test('doc(id).update() of a missing document: updated 0, nothing created', async () => {
    expect(await updateDoc(o.engine, 'docs', 'missing-doc', { $set: { a: 1 } })).toEqual({ updated: 0 });
    expect(await get('missing-doc')).toBeUndefined();
  });

  test('_id cannot be updated; unknown operators are refused', async () => {
    await expect(updateDoc(o.engine, 'docs', 'u', { $set: { _id: 'other' } })).rejects.toMatchObject({ code: 'DATABASE_REQUEST_FAILED' });
    await expect(updateDoc(o.engine, 'docs', 'u', { $frobnicate: { a: 1 } })).rejects.toMatchObject({ code: 'DATABASE_INVALID_OPERRATOR' });
    await expect(updateDoc(o.engine, 'docs', 'u', { $set: { arr: 1 }, $push: { arr: 2 } })).rejects.toMatchObject({ code: 'DATABASE_REQUEST_FAILED' });
  });

  test('where().update() updates every match (multi: true); multi false updates one', async () => {
    await add(o.engine, 'docs', { _id: 'w1', grp: 'g' }, { _id: 'w2', grp: 'g' }, { _id: 'w3', grp: 'h' });
    const many = await o.engine.execute('database.modifyDocument', {
      collectionName: 'docs',
      queryType: 'WHERE',
      multi: true,
      merge: true,
      upsert: false,
      data: ej({ $set: { seen: true } }),
      query: ej({ grp: 'g' }),
    });
    expect(many).toEqual({ updated: 2 });
    const one = await o.engine.execute('database.modifyDocument', {
      collectionName: 'docs',
      queryType: 'WHERE',
      multi: false,
      merge: true,
      upsert: false,
      data: ej({ $set: { once: true } }),
      query: ej({ grp: { $in: ['g', 'h'] } }),
    });
    expect(one).toEqual({ updated: 1 });
    expect((await query(o.engine, 'docs', { once: true })).map((d) => d._id)).toEqual(['w1']);
  });

  test('updateAndReturn (modifyAndReturnDoc) answers the updated document as EJSON', async () => {
    const r = (await o.engine.execute('database.modifyAndReturnDoc', {
      collectionName: 'docs',
      queryType: 'WHERE',
      data: ej({ $inc: { n: 1 } }),
      query: ej({ _id: 'u' }),
    })) as { updated: number; doc: string };
    expect(r.updated).toBe(1);
    expect(decodeList({ list: [r.doc] })[0]).toMatchObject({ _id: 'u', n: 11 });
  });
});

describe('set() (replace, upsert) and serverDate', () => {
  const setParams = (id: string, data: Record<string, unknown>): Record<string, unknown> => ({
    collectionName: 'docs',
    queryType: 'DOC',
    data: ej(data),
    multi: false,
    merge: false,
    upsert: true,
    query: ej({ _id: id }),
  });

  test('set() replaces the whole document and keeps _id', async () => {
    await add(o.engine, 'docs', { _id: 's1', a: 1, b: 2 });
    expect(await o.engine.execute('database.modifyDocument', setParams('s1', { c: 3 }))).toEqual({ updated: 1 });
    expect(await get('s1')).toEqual({ _id: 's1', c: 3 });
  });

  test('set() of a missing document creates it: updated 0, upsert_id', async () => {
    expect(await o.engine.execute('database.modifyDocument', setParams('s2', { c: 4 }))).toEqual({ updated: 0, upsert_id: 's2' });
    expect(await get('s2')).toEqual({ _id: 's2', c: 4 });
  });

  test('serverDate() is the engine clock plus its offset, stored as a Date', async () => {
    o.clock.t = Date.UTC(2025, 4, 1, 12, 0, 0);
    await o.engine.execute('database.insertDocument', {
      collectionName: 'docs',
      data: ['{"_id":"sd","at":{"$tcb_server_date":{"offset":{"$numberInt":"0"}}},"later":{"$tcb_server_date":{"offset":{"$numberInt":"60000"}}}}'],
    });
    const d = await get('sd');
    expect(d?.at).toEqual(new Date(Date.UTC(2025, 4, 1, 12, 0, 0)));
    expect(d?.later).toEqual(new Date(Date.UTC(2025, 4, 1, 12, 1, 0)));
    // and in a query: where({ at: _.lte(db.serverDate()) })
    expect((await query(o.engine, 'docs', { _id: 'sd' }))[0]?._id).toBe('sd');
    const q = await o.engine.execute('database.getDocument', {
      collectionName: 'docs',
      queryType: 'WHERE',
      limit: 10,
      query: '{"later":{"$lte":{"$tcb_server_date":{"offset":{"$numberInt":"60000"}}}}}',
    });
    expect(decodeList(q).map((x) => x._id)).toEqual(['sd']);
  });

  test('epoch-ms numbers and Dates are both stored as given', async () => {
    await add(o.engine, 'docs', { _id: 'times', ms: 1718000000000, date: new Date(1718000000000) });
    const d = await get('times');
    expect(d?.ms).toBe(1718000000000);
    expect(d?.date).toEqual(new Date(1718000000000));
  });

  test('where().update() with upsert (raw params) builds the document from the equality fields', async () => {
    const r = (await o.engine.execute('database.modifyDocument', {
      collectionName: 'docs',
      queryType: 'WHERE',
      multi: false,
      merge: true,
      upsert: true,
      data: ej({ $inc: { hits: 1 } }),
      query: ej({ slug: 'page-1', 'meta.kind': 'page' }),
    })) as { updated: number; upsert_id: string };
    expect(r.updated).toBe(0);
    const [d] = await query(o.engine, 'docs', { _id: r.upsert_id });
    expect(d).toEqual({ _id: r.upsert_id, slug: 'page-1', meta: { kind: 'page' }, hits: 1 });
  });
});

describe('removeDocument', () => {
  test('doc.remove and where.remove report deleted counts', async () => {
    await add(o.engine, 'docs', { _id: 'r1', del: 1 }, { _id: 'r2', del: 1 }, { _id: 'r3', del: 1 });
    expect(await o.engine.execute('database.removeDocument', { collectionName: 'docs', queryType: 'DOC', query: ej({ _id: 'r1' }), multi: false })).toEqual({ deleted: 1 });
    expect(await o.engine.execute('database.removeDocument', { collectionName: 'docs', queryType: 'DOC', query: ej({ _id: 'r1' }), multi: false })).toEqual({ deleted: 0 });
    expect(await o.engine.execute('database.removeDocument', { collectionName: 'docs', queryType: 'WHERE', query: ej({ del: 1 }), multi: true })).toEqual({ deleted: 2 });
    expect(await query(o.engine, 'docs', { del: 1 })).toEqual([]);
  });
});

describe('unique indexes (collections.json "unique": true)', () => {
  test('insert and update cannot create a second document with the same key', async () => {
    await add(o.engine, 'users', { _id: 'a', openid: 'o-a', team: 1, no: 1 });
    await expect(add(o.engine, 'users', { _id: 'b', openid: 'o-a', team: 1, no: 2 })).rejects.toMatchObject({ code: 'DATABASE_REQUEST_FAILED' });
    await add(o.engine, 'users', { _id: 'b', openid: 'o-b', team: 1, no: 2 });
    await expect(updateDoc(o.engine, 'users', 'b', { $set: { no: 1 } })).rejects.toMatchObject({ code: 'DATABASE_REQUEST_FAILED' });
    expect(await updateDoc(o.engine, 'users', 'b', { $set: { no: 3 } })).toEqual({ updated: 1 });
    // the freed key can be reused
    await add(o.engine, 'users', { _id: 'c', openid: 'o-c', team: 1, no: 2 });
  });

  test('swapping keys inside one batch is allowed', async () => {
    const tx = ((await o.engine.execute('database.startTransaction', {})) as { transactionId: string }).transactionId;
    await updateDoc(o.engine, 'users', 'a', { $set: { openid: 'o-b' } }, tx);
    await updateDoc(o.engine, 'users', 'b', { $set: { openid: 'o-a' } }, tx);
    await o.engine.execute('database.commitTransaction', { transactionId: tx });
    expect((await o.engine.find('users', { _id: 'a' }))[0]?.openid).toBe('o-b');
  });

  test('missing and null are one key: only one document may lack the field (limits doc §1 "Indexes")', async () => {
    await add(o.engine, 'users', { _id: 'n1', team: 9, no: 1 });
    await expect(add(o.engine, 'users', { _id: 'n2', openid: null, team: 9, no: 2 })).rejects.toMatchObject({ code: 'DATABASE_REQUEST_FAILED' });
  });
});
