/**
 * Transactions: startTransaction → getDocument/insertDocument/modifyDocument/removeDocument with a
 * transactionId (single documents only) → commitTransaction | abortTransaction.
 *
 * limits doc §1 "Transactions": "doc()/add() single-record operations only, no where batches …
 * Snapshot isolation with write locks. runTransaction retries on conflict, 3 times by default …
 * Must commit or abort within 30 s".
 */
import { type Engine } from '../../../local-cloud/src/engine';
import { add, decodeList, ej, type Opened, openEngine, query, rmrf, updateDoc } from './helpers';

let o: Opened;
let e: Engine;
beforeEach(async () => {
  o = await openEngine({ acc: [], log: [] });
  e = o.engine;
  await add(e, 'acc', { _id: 'a', amount: 100 }, { _id: 'b', amount: 0 });
});
afterEach(async () => {
  await o.engine.close();
  await rmrf(o.dir);
});

async function start(): Promise<string> {
  return ((await e.execute('database.startTransaction', {})) as { transactionId: string }).transactionId;
}
async function txGet(tx: string, id: string, coll = 'acc'): Promise<Record<string, unknown> | undefined> {
  return decodeList(await e.execute('database.getDocument', { collectionName: coll, query: ej({ _id: id }), transactionId: tx, queryType: 'DOC', multi: false }))[0];
}
const commit = (tx: string): Promise<unknown> => e.execute('database.commitTransaction', { transactionId: tx });
const abort = (tx: string): Promise<unknown> => e.execute('database.abortTransaction', { transactionId: tx });
const amounts = async (): Promise<unknown[]> => (await query(e, 'acc', {})).map((d) => d.amount);

test('reads see the transaction’s own writes; others see nothing until commit, then everything', async () => {
  const tx = await start();
  await updateDoc(e, 'acc', 'a', { $inc: { amount: -10 } }, tx);
  await updateDoc(e, 'acc', 'b', { $inc: { amount: 10 } }, tx);
  const ins = (await e.execute('database.insertDocument', { collectionName: 'log', data: [ej({ what: 'transfer' })], transactionId: tx })) as { insertedIds: string[] };
  expect((await txGet(tx, 'a'))?.amount).toBe(90);
  expect(await txGet(tx, ins.insertedIds[0] as string, 'log')).toMatchObject({ what: 'transfer' });
  expect(await amounts()).toEqual([100, 0]);
  expect(await query(e, 'log', {})).toEqual([]);
  expect(await commit(tx)).toEqual({});
  expect(await amounts()).toEqual([90, 10]);
  expect(await query(e, 'log', {})).toHaveLength(1);
});

test('concurrent transactions on the same document: the second committer gets DATABASE_TRANSACTION_CONFLICT', async () => {
  const t1 = await start();
  const t2 = await start();
  const a1 = (await txGet(t1, 'a'))?.amount as number;
  const a2 = (await txGet(t2, 'a'))?.amount as number;
  await updateDoc(e, 'acc', 'a', { $set: { amount: a1 + 1 } }, t1);
  await updateDoc(e, 'acc', 'a', { $set: { amount: a2 + 1 } }, t2);
  await commit(t1);
  await expect(commit(t2)).rejects.toMatchObject({ code: 'DATABASE_TRANSACTION_CONFLICT' });
  expect(await amounts()).toEqual([101, 0]);
  // The conflicting transaction is over; runTransaction starts a new one and succeeds.
  const t3 = await start();
  await updateDoc(e, 'acc', 'a', { $set: { amount: ((await txGet(t3, 'a'))?.amount as number) + 1 } }, t3);
  await commit(t3);
  expect(await amounts()).toEqual([102, 0]);
});

test('no global lock: transactions on different documents, or only reading the same one, both commit', async () => {
  const t1 = await start();
  const t2 = await start();
  await txGet(t1, 'b');
  await txGet(t2, 'b');
  await updateDoc(e, 'acc', 'a', { $inc: { amount: 1 } }, t1);
  await e.execute('database.insertDocument', { collectionName: 'log', data: [ej({ n: 2 })], transactionId: t2 });
  await commit(t2);
  await commit(t1);
  expect(await amounts()).toEqual([101, 0]);
});

test('a plain write to a document an open transaction has read or written is not lost: the transaction conflicts', async () => {
  const t1 = await start();
  await updateDoc(e, 'acc', 'a', { $inc: { amount: 5 } }, t1);
  expect(await updateDoc(e, 'acc', 'a', { $inc: { amount: 1000 } })).toEqual({ updated: 1 }); // never waits, never fails
  await expect(commit(t1)).rejects.toMatchObject({ code: 'DATABASE_TRANSACTION_CONFLICT' });
  expect(await amounts()).toEqual([1100, 0]);

  const t2 = await start();
  await txGet(t2, 'b');
  await e.execute('database.removeDocument', { collectionName: 'acc', queryType: 'DOC', query: ej({ _id: 'b' }), multi: false });
  await updateDoc(e, 'acc', 'a', { $set: { note: 'b was read' } }, t2);
  await expect(commit(t2)).rejects.toMatchObject({ code: 'DATABASE_TRANSACTION_CONFLICT' });
});

test('after a reopen, a transaction that read a document conflicts when a plain write deletes it', async () => {
  e = await o.reopen();
  const t = await start();
  expect((await txGet(t, 'b'))?.amount).toBe(0);
  await e.execute('database.removeDocument', { collectionName: 'acc', queryType: 'DOC', query: ej({ _id: 'b' }), multi: false });
  await updateDoc(e, 'acc', 'a', { $inc: { amount: -1 } }, t);
  await expect(commit(t)).rejects.toMatchObject({ code: 'DATABASE_TRANSACTION_CONFLICT' });
  expect(await amounts()).toEqual([100]);
});

test('a transaction insert races a plain insert of the same _id: conflict at commit', async () => {
  const t = await start();
  await e.execute('database.insertDocument', { collectionName: 'log', data: [ej({ _id: 'same', by: 'tx' })], transactionId: t });
  await add(e, 'log', { _id: 'same', by: 'plain' });
  await expect(commit(t)).rejects.toMatchObject({ code: 'DATABASE_TRANSACTION_CONFLICT' });
  expect((await query(e, 'log', {}))[0]?.by).toBe('plain');
});

test('set (upsert) and remove inside a transaction; remove then read sees nothing', async () => {
  const t = await start();
  const setParams = { collectionName: 'acc', queryType: 'DOC', data: ej({ amount: 7 }), multi: false, merge: false, upsert: true, query: ej({ _id: 'c' }), transactionId: t };
  expect(await e.execute('database.modifyDocument', setParams)).toEqual({ updated: 0, upsert_id: 'c' });
  expect(await e.execute('database.removeDocument', { collectionName: 'acc', queryType: 'DOC', query: ej({ _id: 'b' }), multi: false, transactionId: t })).toEqual({ deleted: 1 });
  expect(await txGet(t, 'b')).toBeUndefined();
  expect(await updateDoc(e, 'acc', 'b', { $set: { x: 1 } }, t)).toEqual({ updated: 0 });
  await commit(t);
  expect((await query(e, 'acc', {})).map((d) => [d._id, d.amount])).toEqual([
    ['a', 100],
    ['c', 7],
  ]);
});

test('abort discards every write', async () => {
  const t = await start();
  await updateDoc(e, 'acc', 'a', { $set: { amount: 0 } }, t);
  await e.execute('database.insertDocument', { collectionName: 'log', data: [ej({ n: 1 })], transactionId: t });
  expect(await abort(t)).toEqual({});
  expect(await amounts()).toEqual([100, 0]);
  expect(await query(e, 'log', {})).toEqual([]);
  await expect(commit(t)).rejects.toMatchObject({ code: 'DATABASE_TRANSACTION_FAIL' });
});

test('a transaction older than 30 s is aborted (limits doc: "Must commit or abort within 30 s")', async () => {
  const t = await start();
  await updateDoc(e, 'acc', 'a', { $set: { amount: 1 } }, t);
  o.clock.t += 29_000;
  await txGet(t, 'a');
  o.clock.t += 2_000;
  await expect(txGet(t, 'a')).rejects.toMatchObject({ code: 'DATABASE_TRANSACTION_FAIL' });
  await expect(commit(t)).rejects.toMatchObject({ code: 'DATABASE_TRANSACTION_FAIL' });
  expect(await amounts()).toEqual([100, 0]);
});

test('only single-document operations: a where() read with a transactionId is refused', async () => {
  const t = await start();
  // Captured: transaction.collection('c').where({ a: 1 }).get() → getDocument WHERE + transactionId
  await expect(
    e.execute('database.getDocument', { collectionName: 'acc', queryType: 'WHERE', transactionId: t, query: ej({ amount: 100 }), limit: 100 }),
  ).rejects.toMatchObject({ code: 'INVALID_PARAM' });
  await expect(e.execute('database.getDocument', { collectionName: 'acc', queryType: 'DOC', transactionId: 'no-such-tx', query: ej({ _id: 'a' }) })).rejects.toMatchObject({
    code: 'DATABASE_TRANSACTION_FAIL',
  });
});

test('a unique-key clash found at commit aborts the transaction', async () => {
  const u = await openEngine({ users: [{ name: 'nick', keys: { nick: 1 }, unique: true }] });
  try {
    const ue = u.engine;
    const t = ((await ue.execute('database.startTransaction', {})) as { transactionId: string }).transactionId;
    await ue.execute('database.insertDocument', { collectionName: 'users', data: [ej({ _id: 'x', nick: 'n' })], transactionId: t });
    await add(ue, 'users', { _id: 'y', nick: 'n' });
    await expect(ue.execute('database.commitTransaction', { transactionId: t })).rejects.toMatchObject({ code: 'DATABASE_REQUEST_FAILED' });
    expect(await ue.find('users')).toEqual([{ _id: 'y', nick: 'n' }]);
  } finally {
    await u.engine.close();
    await rmrf(u.dir);
  }
});

test('legacy transaction.js actions (getInTransaction / updateDocInTransaction / deleteDocInTransaction)', async () => {
  const t = await start();
  expect(JSON.parse((await e.execute('database.getInTransaction', { collectionName: 'acc', transactionId: t, _id: 'a' })) as string)).toEqual({ _id: 'a', amount: 100 });
  expect(await e.execute('database.updateDocInTransaction', { collectionName: 'acc', transactionId: t, _id: 'a', data: ej({ $set: { amount: 1 } }) })).toEqual({ updated: '1' });
  expect(await e.execute('database.updateDocInTransaction', { collectionName: 'acc', transactionId: t, _id: 'z', data: ej({ amount: 3 }), upsert: true })).toEqual({
    updated: '0',
    upserted: '[{"_id":"z"}]',
  });
  expect(await e.execute('database.deleteDocInTransaction', { collectionName: 'acc', transactionId: t, _id: 'b' })).toEqual({ deleted: '1' });
  await commit(t);
  expect((await query(e, 'acc', {})).map((d) => [d._id, d.amount])).toEqual([
    ['a', 1],
    ['z', 3],
  ]);
});
