/**
 * aggregateDocuments: `stages` are `{ stageKey: '$match', stageValue: '<EJSON>' }` as the SDK's
 * Aggregation._pipe builds them (objects through EJSON, numbers through JSON.stringify).
 */
import { add, decodeList, ej, type Opened, openEngine, rmrf } from './helpers';

let o: Opened;
beforeAll(async () => {
  o = await openEngine({ orders: [{ name: 'by_status', keys: { status: 1 } }], users: [], big: [] });
  await add(
    o.engine,
    'orders',
    { _id: 'o1', user: 'u1', status: 'paid', amount: 30, items: ['pen', 'ink'], at: new Date(Date.UTC(2024, 0, 5)) },
    { _id: 'o2', user: 'u2', status: 'paid', amount: 70, items: ['book'], at: new Date(Date.UTC(2024, 1, 5)) },
    { _id: 'o3', user: 'u1', status: 'open', amount: 15, items: [], at: new Date(Date.UTC(2024, 2, 5)) },
    { _id: 'o4', user: 'u3', status: 'paid', amount: 5, items: ['pen'], at: new Date(Date.UTC(2024, 3, 5)) },
  );
  await add(o.engine, 'users', { _id: 'u1', name: 'Ann' }, { _id: 'u2', name: 'Bob' });
  await o.engine.insertMany(
    'big',
    Array.from({ length: 50 }, (_, i) => ({ i })),
  );
});
afterAll(async () => {
  await o.engine.close();
  await rmrf(o.dir);
});

type Stage = Record<string, unknown>;
/** Builds the SDK's stage list from a pipeline. */
function stages(pipeline: Stage[]): Array<{ stageKey: string; stageValue: string }> {
  return pipeline.map((st) => {
    const [k, v] = Object.entries(st)[0] as [string, unknown];
    return { stageKey: k, stageValue: typeof v === 'object' && v !== null && !Array.isArray(v) ? ej(v) : JSON.stringify(v) };
  });
}
async function agg(coll: string, pipeline: Stage[]): Promise<Record<string, unknown>[]> {
  return decodeList(await o.engine.execute('database.aggregateDocuments', { collectionName: coll, stages: stages(pipeline) }));
}

test('the exact stages captured from the SDK: match/group/sort/limit/project', async () => {
  // Captured: aggregate().match({ a: _.gt(1) }).group({ _id: '$a', n: $.sum(1) }).sort({ n: -1 }).limit(3).project({ x: 1 }).end()
  const data = await o.engine.execute('database.aggregateDocuments', {
    collectionName: 'orders',
    stages: [
      { stageKey: '$match', stageValue: '{"amount":{"$gt":{"$numberInt":"10"}}}' },
      { stageKey: '$group', stageValue: '{"_id":"$user","n":{"$sum":{"$numberInt":"1"}},"total":{"$sum":"$amount"}}' },
      { stageKey: '$sort', stageValue: '{"total":{"$numberInt":"-1"}}' },
      { stageKey: '$limit', stageValue: '3' },
      { stageKey: '$project', stageValue: '{"total":{"$numberInt":"1"}}' },
    ],
  });
  expect(decodeList(data)).toEqual([
    { _id: 'u2', total: 70 },
    { _id: 'u1', total: 45 },
  ]);
});

test.each<[string, Stage[], unknown]>([
  ['$skip + $limit', [{ $sort: { amount: 1 } }, { $skip: 1 }, { $limit: 2 }, { $project: { _id: 1 } }], [{ _id: 'o3' }, { _id: 'o1' }]],
  ['$addFields', [{ $match: { _id: 'o1' } }, { $addFields: { double: { $multiply: ['$amount', 2] } } }, { $project: { double: 1 } }], [{ _id: 'o1', double: 60 }]],
  ['$unwind + $count', [{ $unwind: '$items' }, { $count: 'n' }], [{ n: 4 }]],
  ['$sortByCount', [{ $unwind: '$items' }, { $sortByCount: '$items' }, { $limit: 1 }], [{ _id: 'pen', count: 2 }]],
  [
    '$bucket',
    [{ $bucket: { groupBy: '$amount', boundaries: [0, 20, 100], default: 'other', output: { n: { $sum: 1 } } } }],
    [
      { _id: 0, n: 2 },
      { _id: 20, n: 2 },
    ],
  ],
  [
    '$lookup',
    [{ $match: { status: 'open' } }, { $lookup: { from: 'users', localField: 'user', foreignField: '_id', as: 'who' } }, { $project: { who: 1 } }],
    [{ _id: 'o3', who: [{ _id: 'u1', name: 'Ann' }] }],
  ],
  ['dates survive the pipeline', [{ $group: { _id: null, last: { $max: '$at' } } }], [{ _id: null, last: new Date(Date.UTC(2024, 3, 5)) }]],
])('%s', async (_name, pipeline, expected) => {
  expect(await agg('orders', pipeline)).toEqual(expected);
});

test('$sample returns the requested number of distinct documents', async () => {
  for (let i = 0; i < 50; i++) {
    const r = await agg('big', [{ $match: { i: { $lt: 10 } } }, { $sample: { size: 8 } }]);
    expect(r).toHaveLength(8);
    expect(new Set(r.map((d) => d._id)).size).toBe(8);
  }
  expect(await agg('big', [{ $sample: { size: 500 } }, { $limit: 100 }])).toHaveLength(50);
});

test('without a $limit stage an aggregate answers 20 rows (limits doc §1: "Without .limit() it returns only 20 rows, even in a cloud function")', async () => {
  expect(await agg('big', [])).toHaveLength(20);
  expect(await agg('big', [{ $match: { i: { $gte: 10 } } }])).toHaveLength(20);
  expect(await agg('big', [{ $limit: 45 }])).toHaveLength(45);
});

test('stages that reshape documents never change the stored documents', async () => {
  await agg('orders', [{ $addFields: { status: 'X', 'at.y': 1 } }, { $project: { items: 0 } }, { $unwind: '$items' }]);
  await agg('orders', [{ $lookup: { from: 'users', localField: 'user', foreignField: '_id', as: 'u' } }, { $addFields: { 'u.name': 'Z' } }]);
  const all = await o.engine.find('orders');
  expect(all.map((d) => d.status)).toEqual(['paid', 'paid', 'open', 'paid']);
  expect(all[0]?.items).toEqual(['pen', 'ink']);
  expect((await o.engine.find('users'))[0]).toEqual({ _id: 'u1', name: 'Ann' });
});

test('an unknown stage is refused', async () => {
  await expect(o.engine.execute('database.aggregateDocuments', { collectionName: 'orders', stages: [{ stageKey: '$nope', stageValue: '{}' }] })).rejects.toMatchObject({
    code: 'DATABASE_INVALID_OPERRATOR',
  });
});
