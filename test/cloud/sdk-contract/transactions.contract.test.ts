/**
 * Contract: transactions through the real wx-server-sdk.
 *
 * limits doc §1 "Transactions": "Cloud functions only … doc()/add() single-record operations only,
 * no where batches, but many records per transaction is allowed. Snapshot isolation with write
 * locks. runTransaction retries on conflict, 3 times by default. startTransaction needs an explicit
 * commit/rollback. Must commit or abort within 30 s".
 * WX-ref Database.runTransaction: "只有事务冲突时会重试，其他异常时不会重试"; "如果事务执行函数中调用了
 * transaction.rollback，则传入 rollback 函数的值会作为 runTransaction 返回的 Promise reject 的值".
 */
import { type Harness, p, rejection, startHarness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ counters: [], accounts: [], events: [] });
});
afterAll(async () => {
  await h.close();
});

/** The transaction object runTransaction hands to its callback (typed loosely by wx-server-sdk). */
interface Tx {
  collection(name: string): ReturnType<Harness['db']['collection']>;
  rollback(reason?: unknown): Promise<unknown>;
  commit(): Promise<unknown>;
}

/** Resolves once `n` callers have arrived: makes two transactions really overlap. */
function latch(n: number): () => Promise<void> {
  let arrived = 0;
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  return () => {
    arrived++;
    if (arrived >= n) open();
    return gate;
  };
}

test('two concurrent runTransaction on one counter: the conflict is retried and both increments apply (+2)', async () => {
  await p(h.db.collection('counters').add({ data: { _id: 'hits', n: 0 } }));
  const bothRead = latch(2);
  let attempts = 0;
  const bump = (): Promise<unknown> =>
    h.db.runTransaction(async (t: Tx) => {
      attempts++;
      const cur = (await p(t.collection('counters').doc('hits').get())) as { data: { n: number } };
      if (attempts <= 2) await bothRead(); // first attempts: both have read n = 0 before either writes
      await p(t.collection('counters').doc('hits').update({ data: { n: cur.data.n + 1 } }));
      return cur.data.n + 1;
    });
  const results = await Promise.all([bump(), bump()]);
  expect(results.sort()).toEqual([1, 2]);
  expect(attempts).toBe(3); // one of the two was retried once
  const after = (await p(h.db.collection('counters').doc('hits').get())) as { data: { n: number } };
  expect(after.data.n).toBe(2);
  if (h.engine) {
    const commits = h.requests.filter((r) => r.action === 'database.commitTransaction');
    expect(commits).toHaveLength(3);
  }
});

test('a transfer between two documents is atomic and its reads see its own writes', async () => {
  await p(h.db.collection('accounts').add({ data: { _id: 'a', amount: 100 } }));
  await p(h.db.collection('accounts').add({ data: { _id: 'b', amount: 0 } }));
  const _ = h.db.command;
  const seen = await h.db.runTransaction(async (t: Tx) => {
    await p(t.collection('accounts').doc('a').update({ data: { amount: _.inc(-30) } }));
    await p(t.collection('accounts').doc('b').update({ data: { amount: _.inc(30) } }));
    await p(t.collection('events').add({ data: { kind: 'transfer', amount: 30 } }));
    // Outside the transaction nothing is visible yet.
    const outside = (await p(h.db.collection('accounts').doc('a').get())) as { data: { amount: number } };
    const inside = (await p(t.collection('accounts').doc('a').get())) as { data: { amount: number } };
    return { outside: outside.data.amount, inside: inside.data.amount };
  });
  expect(seen).toEqual({ outside: 100, inside: 70 });
  const a = (await p(h.db.collection('accounts').doc('a').get())) as { data: { amount: number } };
  const b = (await p(h.db.collection('accounts').doc('b').get())) as { data: { amount: number } };
  expect([a.data.amount, b.data.amount]).toEqual([70, 30]);
  expect(await p(h.db.collection('events').where({ kind: 'transfer' }).count())).toMatchObject({ total: 1 });
});

test('rollback(reason) discards the writes and runTransaction rejects with the reason', async () => {
  const err = await h.db
    .runTransaction(async (t: Tx) => {
      await p(t.collection('accounts').doc('a').update({ data: { amount: 0 } }));
      await t.rollback(-100);
    })
    .then(
      () => 'resolved',
      (e: unknown) => e,
    );
  expect(err).toBe(-100);
  const a = (await p(h.db.collection('accounts').doc('a').get())) as { data: { amount: number } };
  expect(a.data.amount).toBe(70);
});

test('an error thrown in the callback is not retried and nothing is written', async () => {
  let calls = 0;
  const err = await h.db
    .runTransaction(async (t: Tx) => {
      calls++;
      await p(t.collection('accounts').doc('b').update({ data: { amount: 999 } }));
      throw new Error('business rule');
    })
    .catch((e: Error) => e);
  expect((err as Error).message).toBe('business rule');
  expect(calls).toBe(1);
  const b = (await p(h.db.collection('accounts').doc('b').get())) as { data: { amount: number } };
  expect(b.data.amount).toBe(30);
});

test('startTransaction + explicit commit; a missing document reads as not found inside the transaction', async () => {
  const t = (await h.db.startTransaction()) as Tx;
  await p(t.collection('events').doc('manual').set({ data: { kind: 'manual' } }));
  const missing = await rejection(t.collection('accounts').doc('nobody').get());
  expect(missing.message).toMatch(/does not exist/);
  await t.commit();
  const ev = (await p(h.db.collection('events').doc('manual').get())) as { data: { kind: string } };
  expect(ev.data.kind).toBe('manual');
});

test('where() inside a transaction is refused (single-record operations only)', async () => {
  const err = await h.db
    .runTransaction(async (t: Tx) => {
      await p(t.collection('accounts').where({ amount: 70 }).get());
    })
    .catch((e: { errCode?: number }) => e);
  expect((err as { errCode?: number }).errCode).toBe(-501007);
});

test('a plain update racing an open transaction is not lost: the transaction retries on top of it', async () => {
  await p(h.db.collection('counters').add({ data: { _id: 'race', n: 0, plain: false } }));
  let attempts = 0;
  await h.db.runTransaction(async (t: Tx) => {
    attempts++;
    const cur = (await p(t.collection('counters').doc('race').get())) as { data: { n: number } };
    if (attempts === 1) await p(h.db.collection('counters').doc('race').update({ data: { plain: true, n: h.db.command.inc(10) } }));
    await p(t.collection('counters').doc('race').update({ data: { n: cur.data.n + 1 } }));
  });
  expect(attempts).toBe(2);
  const r = (await p(h.db.collection('counters').doc('race').get())) as { data: { n: number; plain: boolean } };
  expect(r.data).toMatchObject({ n: 11, plain: true });
});
