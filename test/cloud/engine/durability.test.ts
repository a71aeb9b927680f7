/**
 * Durability (docs/ARCHITECTURE.md: "Acknowledged == fsync'd to the append-only log before
 * execute() resolves"): a SIGKILLed writer loses no acknowledged write, a torn tail is cut on
 * reopen, the log is compacted when it has grown well beyond the live data, and one data folder
 * is opened by one engine at a time.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../../../local-cloud/src/engine';
import { add, ej, openEngine, query, rmrf, tmpDir, updateDoc } from './helpers';

const LOG = 'db.log';

test('SIGKILL mid-burst: every acknowledged write is there after reopen', async () => {
  const dir = tmpDir('engine-kill-');
  const dataDir = path.join(dir, 'data');
  const child = spawn(process.execPath, [path.join(__dirname, 'fixtures', 'burst-writer.js'), dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  const inserted: string[] = [];
  let incs = 0;
  let issuedBound = 0;
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  await new Promise<void>((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`writer too slow; stderr: ${stderr}`)), 20_000);
    child.stdout.on('data', (b: Buffer) => {
      buf += b.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const [, kind, id] = line.split(' ');
        if (kind === 'ins' && id) inserted.push(id);
        if (kind === 'inc' && id) {
          incs++;
          issuedBound = Math.max(issuedBound, Number(id));
        }
      }
      // Kill while writes are certainly in flight (8 concurrent writers, group-committed fsyncs).
      if (inserted.length + incs >= 600 && !child.killed) {
        clearTimeout(timer);
        child.kill('SIGKILL');
        resolve();
      }
    });
    child.on('exit', () => {
      clearTimeout(timer);
      if (!child.killed) reject(new Error(`writer exited early; stderr: ${stderr}`));
    });
  });
  expect(await exited).toBe('SIGKILL');

  const engine = await Engine.open({ dataDir, collectionsFile: null });
  try {
    const docs = await engine.find('burst');
    const have = new Set(docs.map((d) => d._id));
    const lost = inserted.filter((id) => !have.has(id));
    expect(lost).toEqual([]);
    const ctr = docs.find((d) => d._id === 'ctr')?.n as number;
    // Every acknowledged increment is in; unacknowledged ones may or may not be.
    expect(ctr).toBeGreaterThanOrEqual(incs);
    expect(ctr).toBeLessThanOrEqual(issuedBound + 8 * 3);
    // The folder is usable: write, reopen, read.
    await add(engine, 'burst', { _id: 'after-crash' });
  } finally {
    await engine.close();
  }
  const again = await Engine.open({ dataDir, collectionsFile: null });
  expect((await again.find('burst', { _id: 'after-crash' })).length).toBe(1);
  await again.close();
  await rmrf(dir);
}, 30_000);

test('a torn last line (partial write) is ignored and cut; the folder still opens and takes writes', async () => {
  const o = await openEngine(undefined);
  await add(o.engine, 'c', { _id: 'one', v: 1 }, { _id: 'two', v: 2 });
  await o.engine.close();
  const file = path.join(o.dataDir, LOG);
  const good = fs.statSync(file).size;
  fs.appendFileSync(file, '{"ops":[["p","c",{"_id":"three","v":'); // killed mid-write
  const e = await Engine.open({ dataDir: o.dataDir, collectionsFile: null });
  expect(e.openInfo.truncatedTail).toBe(true);
  expect(fs.statSync(file).size).toBe(good);
  expect((await query(e, 'c', {})).map((d) => d._id)).toEqual(['one', 'two']);
  await add(e, 'c', { _id: 'four' });
  await e.close();
  const e2 = await Engine.open({ dataDir: o.dataDir, collectionsFile: null });
  expect(e2.openInfo.truncatedTail).toBe(false);
  expect((await query(e2, 'c', {})).map((d) => d._id)).toEqual(['one', 'two', 'four']);
  await e2.close();
  await rmrf(o.dir);
});

test('a batch split over several lines is all-or-nothing when its last line is torn', async () => {
  const o = await openEngine(undefined);
  await add(o.engine, 'c', { _id: 'before' });
  const file = path.join(o.dataDir, LOG);
  const sizeBefore = fs.statSync(file).size;
  // ~6 MB in one insertMany: more than one 4 MB line.
  await o.engine.insertMany(
    'c',
    Array.from({ length: 60 }, (_, i) => ({ _id: `big-${i}`, pad: 'y'.repeat(100_000) })),
  );
  await o.engine.close();
  const content = fs.readFileSync(file, 'utf8').slice(Buffer.byteLength('')); // ASCII content
  const tail = content.slice(sizeBefore);
  expect(tail.split('\n').filter(Boolean).length).toBeGreaterThan(1);
  expect(tail).toContain('"more":true');
  // Cut the final line in half.
  const lastStart = content.lastIndexOf('\n', content.length - 2) + 1;
  fs.truncateSync(file, lastStart + 1000);
  const e = await Engine.open({ dataDir: o.dataDir, collectionsFile: null });
  expect((await e.find('c')).map((d) => d._id)).toEqual(['before']);
  expect(fs.statSync(file).size).toBe(sizeBefore);
  await e.close();
  await rmrf(o.dir);
});

test('the log is compacted on open when it has grown well beyond the live data', async () => {
  const o = await openEngine({ c: [{ name: 'by_v', keys: { v: 1 } }] });
  await add(o.engine, 'c', { _id: 'hot', v: 0 }, { _id: 'cold', v: -1, at: new Date(5) });
  for (let i = 1; i <= 1500; i++) await updateDoc(o.engine, 'c', 'hot', { $set: { v: i } });
  await o.engine.execute('database.addCollection', { collectionName: 'made' });
  const file = path.join(o.dataDir, LOG);
  const grown = fs.statSync(file).size;
  await o.reopen();
  expect(o.engine.openInfo.compacted).toBe(true);
  const compacted = fs.statSync(file).size;
  expect(compacted).toBeLessThan(grown / 10);
  expect(fs.existsSync(path.join(o.dataDir, 'db.log.tmp'))).toBe(false);
  expect(await o.engine.find('c')).toEqual([
    { _id: 'hot', v: 1500 },
    { _id: 'cold', v: -1, at: new Date(5) },
  ]);
  expect(await query(o.engine, 'c', { v: { $gte: 1000 } })).toHaveLength(1);
  await expect(o.engine.execute('database.addCollection', { collectionName: 'made' })).rejects.toMatchObject({ code: 'DATABASE_COLLECTION_ALREADY_EXIST' });
  await o.reopen();
  expect(o.engine.openInfo.compacted).toBe(false);
  expect(fs.statSync(file).size).toBe(compacted);
  await o.engine.close();
  await rmrf(o.dir);
});

test('one engine per data folder: a second open is refused until the first closes; a stale lock is taken over', async () => {
  const o = await openEngine(undefined);
  await expect(Engine.open({ dataDir: o.dataDir, collectionsFile: null })).rejects.toThrow(/already open/);
  await o.engine.close();
  // A lock left by a dead process (SIGKILL) does not block.
  fs.writeFileSync(path.join(o.dataDir, 'LOCK'), '999999999\n');
  const e = await Engine.open({ dataDir: o.dataDir, collectionsFile: null });
  await e.execute('database.insertDocument', { collectionName: 'c', data: [ej({ a: 1 })] });
  await e.close();
  await expect(e.execute('database.getDocument', { collectionName: 'c', queryType: 'WHERE' })).rejects.toMatchObject({ code: 'SYS_ERR' });
  await rmrf(o.dir);
});
