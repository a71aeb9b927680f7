/**
 * The local cloud's database engine: executes the `database.*` actions that @cloudbase/node-sdk
 * (inside wx-server-sdk 4.0.2) POSTs to its endpoint, with MongoDB semantics (mingo) over a
 * durable, fsync'd, append-only log.
 *
 * Actions and params (as captured from the real SDK; values in `query`, `data`, `order`,
 * `projection`, `stageValue` are EJSON strings, see ejson.ts):
 *
 * | action                          | params                                                                 | data answered |
 * |---------------------------------|------------------------------------------------------------------------|---------------|
 * | database.addCollection          | collectionName                                                         | {} |
 * | database.insertDocument         | collectionName, data: string[], transactionId?                         | { insertedIds } |
 * | database.getDocument            | collectionName, queryType 'WHERE'|'DOC', query?, order?, offset?, limit?, projection?, multi?, transactionId? | { list: string[] } |
 * | database.calculateDocument      | collectionName, queryType, query?                                      | { total } |
 * | database.modifyDocument         | collectionName, queryType, query, data, multi, merge, upsert, transactionId? | { updated, upsert_id? } |
 * | database.modifyAndReturnDoc     | collectionName, queryType, query, data, transactionId?                 | { updated, doc: string|null } |
 * | database.removeDocument         | collectionName, queryType, query, multi, transactionId?                | { deleted } |
 * | database.aggregateDocuments     | collectionName, stages: { stageKey, stageValue }[]                     | { list: string[] } |
 * | database.startTransaction       | —                                                                      | { transactionId } (top level on the wire, see wire.ts) |
 * | database.commitTransaction      | transactionId                                                          | {} |
 * | database.abortTransaction       | transactionId                                                          | {} |
 * | database.getInTransaction       | collectionName, transactionId, _id      (legacy transaction.js)        | EJSON string of the doc or "null" |
 * | database.updateDocInTransaction | collectionName, transactionId, _id, data, upsert?  (legacy)            | { updated: "n", upserted?: string } (top level) |
 * | database.deleteDocInTransaction | collectionName, transactionId, _id      (legacy)                       | { deleted: "n" } (top level) |
 *
 * Semantics pinned by tests (test/cloud/engine, test/cloud/sdk-contract):
 * - `get()` limit: the SDK sends `limit: 100` when none is given and clamps to 1000; the engine
 *   applies the same (absent/0 → 100, above 1000 → 1000), WX-ref Collection.limit.
 * - `aggregate()` without a `$limit` stage returns at most 20 rows (WX-ref Aggregate.limit).
 * - `updated` is MongoDB's modified count: an update that changes nothing reports 0; `doc(id).update`
 *   of a missing document reports 0.
 * - Multi-document inserts are all-or-nothing.
 * - Collections: with database/collections.json, a collection neither declared nor created by
 *   createCollection (nor holding data from an earlier run) answers DATABASE_COLLECTION_NOT_EXIST
 *   to every action. Without the file every name is allowed and created on first write.
 *
 * Transactions (optimistic, no locks): every document a transaction reads or writes is stamped
 * with the version it saw; writes stay private to the transaction (its own reads see them) and are
 * applied atomically, as one log record, at commit. Commit fails with
 * DATABASE_TRANSACTION_CONFLICT when any of those documents changed since (first committer wins),
 * so `runTransaction` retries (it retries only on that code, and with wx-server-sdk only an error
 * raised by commit keeps its `code`: errors from operations inside the callback are rewrapped
 * with a numeric errCode, which is why conflicts are detected at commit, not at the write).
 * Plain (non-transactional) writes never wait and never fail because of an open transaction; a
 * transaction that touched a document a plain write changed conflicts at commit, so neither write
 * is lost. Only single-document operations are allowed in a transaction (a `where()` read with a
 * transactionId is refused with INVALID_PARAM; note that the SDK itself sends `where().update()`,
 * `.remove()` and `.count()` inside a transaction *without* the transactionId, so they run as plain
 * operations, in the local cloud as in the cloud). A transaction older than 30 s (engine clock)
 * is aborted; any further use answers DATABASE_TRANSACTION_FAIL.
 */
import { randomBytes } from 'node:crypto';
import { Aggregator, Query } from 'mingo';
import type { Options } from 'mingo/types';
import { Collection, type IndexSpec, QUERY_OPTIONS } from './collection';
import { COLLECTION_NAME, loadCollectionsConfig } from './config';
import { type DecodeContext, decodeEJSONValue, parseEJSON, stringifyEJSON } from './ejson';
import { EngineError, ErrorCodes, toEngineError } from './errors';
import { DurableLog, type LogOp } from './log';
import type { Doc, DocId } from './types';
import {
  applyOperatorUpdate,
  applyReplacement,
  assertOperatorUpdate,
  assertStorable,
  assertValidId,
  buildUpsert,
  clone,
  isPlainObject,
} from './update';

export interface EngineOptions {
  /** Folder holding the log (created if missing). */
  dataDir: string;
  /** The engine's clock (serverDate, transaction timeouts). Default Date.now. */
  now?: () => number;
  /**
   * database/collections.json. Default: the first `database/collections.json` found walking up
   * from this module (the repository's), if any. `null`: no file, every collection name allowed.
   */
  collectionsFile?: string | null;
}

export interface EngineStats {
  /** Read operations (queries, doc gets, counts, aggregates) since open or resetStats(). */
  reads: number;
  /** Write operations (inserts, updates, removes, including those inside transactions). */
  writes: number;
  /** Every executed action by name. */
  byAction: Record<string, number>;
}

/** Transactions must commit or abort within 30 s (WX-ref Database.runTransaction; docs.cloudbase.net DATABASE_TRANSACTION_FAIL). */
export const TRANSACTION_TIMEOUT_MS = 30_000;
/** get() in a cloud function: default 100, maximum 1000 (WX-ref Collection.limit). */
export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;
/** aggregate() without .limit() returns 20 rows, even in a cloud function (WX-ref Aggregate.limit). */
export const DEFAULT_AGGREGATE_LIMIT = 20;

const READ_ACTIONS = new Set([
  'database.getDocument',
  'database.calculateDocument',
  'database.aggregateDocuments',
  'database.getInTransaction',
]);
const WRITE_ACTIONS = new Set([
  'database.insertDocument',
  'database.modifyDocument',
  'database.modifyAndReturnDoc',
  'database.removeDocument',
  'database.updateDocInTransaction',
  'database.deleteDocInTransaction',
]);

/** Pipeline stages that never modify their input documents in mingo (others get copies). */
const NON_MUTATING_STAGES = new Set(['$match', '$sort', '$limit', '$skip', '$count', '$group', '$sortByCount', '$bucket', '$bucketAuto', '$sample']);

interface Change {
  coll: string;
  id: DocId;
  after: Doc | null;
}

interface Observed {
  coll: string;
  id: DocId;
  ver: number;
  doc: Doc | null;
}

interface Tx {
  id: string;
  startedAt: number;
  observed: Map<string, Observed>;
  writes: Map<string, Change>;
}

type Params = Record<string, unknown>;

function invalid(message: string): never {
  throw new EngineError(ErrorCodes.INVALID_PARAM, message);
}

function txKey(coll: string, id: DocId): string {
  return `${coll}\u0000${typeof id === 'number' ? 'n' : 's'}${String(id)}`;
}

const ID_POOL_BYTES = 16 * 1024;
let idPool = Buffer.alloc(0);
let idPoolAt = 0;

/** A 32-hex-digit id like the ones the cloud generates (random; drawn from a pooled buffer). */
export function newDocId(): string {
  if (idPoolAt + 16 > idPool.length) {
    idPool = randomBytes(ID_POOL_BYTES);
    idPoolAt = 0;
  }
  const id = idPool.toString('hex', idPoolAt, idPoolAt + 16);
  idPoolAt += 16;
  return id;
}

function duplicateKey(coll: string, index: string, key: unknown): EngineError {
  return new EngineError(
    ErrorCodes.DATABASE_REQUEST_FAILED,
    `E11000 duplicate key error collection: ${coll} index: ${index} dup key: ${stringifyEJSON(key)}`,
  );
}

export class Engine {
  private readonly colls = new Map<string, Collection>();
  /** Declared collections (collections.json); null = no file, every name allowed. */
  private readonly declared: Map<string, IndexSpec[]> | null;
  /** Collections created by createCollection or holding data from the log. */
  private readonly created = new Set<string>();
  private readonly txs = new Map<string, Tx>();
  private readonly now: () => number;
  private log!: DurableLog;
  /** Last commit stamp; replayed documents carry 1, "absent" is 0. */
  private version = 1;
  private closed = false;
  private counters: EngineStats = { reads: 0, writes: 0, byAction: {} };
  /** Facts about the last open, for tests and diagnostics. */
  openInfo = { replayedBatches: 0, truncatedTail: false, compacted: false, logBytes: 0 };

  private constructor(opts: EngineOptions, declared: Map<string, IndexSpec[]> | null) {
    this.now = opts.now ?? Date.now;
    this.declared = declared;
  }

  static async open(opts: EngineOptions): Promise<Engine> {
    if (!opts || typeof opts.dataDir !== 'string' || opts.dataDir === '') throw new Error('Engine.open: dataDir is required');
    const cfg = loadCollectionsConfig(opts.collectionsFile);
    const engine = new Engine(opts, cfg.collections);
    let opsReplayed = 0;
    const { log, replay } = DurableLog.open(opts.dataDir, (text) => parseEJSON(text), (ops) => {
      for (const op of ops) {
        opsReplayed++;
        engine.replayOp(op);
      }
    });
    engine.log = log;
    try {
      for (const c of engine.colls.values()) {
        c.rebuildIndexes();
        for (const ix of c.indexes) {
          if (ix.uniq && ix.uniq.size < c.size) {
            throw new Error(`collection ${c.name}: unique index ${ix.spec.name} cannot be built, the data has duplicate keys`);
          }
        }
      }
      let live = 0;
      for (const c of engine.colls.values()) live += c.size;
      engine.openInfo = { replayedBatches: replay.batches, truncatedTail: replay.truncatedTail, compacted: false, logBytes: replay.fileBytes };
      if (opsReplayed > 2 * live + 1000) {
        engine.compact();
        engine.openInfo.compacted = true;
        engine.openInfo.logBytes = log.sizeBytes;
      }
    } catch (e) {
      await log.close();
      throw e;
    }
    return engine;
  }

  private replayOp(op: LogOp): void {
    switch (op[0]) {
      case 'c':
        this.created.add(op[1]);
        this.collection(op[1]);
        break;
      case 'p': {
        const doc = op[2] as Doc;
        this.created.add(op[1]);
        // Stamp 1: a present document never shares the stamp 0 that means "absent".
        this.collection(op[1]).put(doc._id as DocId, doc, 1, true);
        break;
      }
      case 'd':
        this.colls.get(op[1])?.put(op[2], null, 1, true);
        break;
      default:
        throw new Error(`unknown log operation ${JSON.stringify(op)}`);
    }
  }

  /** Rewrites the log as a snapshot of the live data (atomic: temp file + rename + dir fsync). */
  private compact(): void {
    function* lines(created: Set<string>, colls: Iterable<Collection>): Generator<string> {
      const ops: LogOp[] = [...created].map((n): LogOp => ['c', n]);
      if (ops.length) yield DurableLog.encode(ops, stringifyEJSON);
      for (const c of colls) {
        let batch: LogOp[] = [];
        for (const e of c.docs.values()) {
          batch.push(['p', c.name, e.doc]);
          if (batch.length >= 1000) {
            yield DurableLog.encode(batch, stringifyEJSON);
            batch = [];
          }
        }
        if (batch.length) yield DurableLog.encode(batch, stringifyEJSON);
      }
    }
    this.log.rewrite(lines(this.created, this.colls.values()));
  }

  // ---------------------------------------------------------------- collections

  private collection(name: string): Collection {
    let c = this.colls.get(name);
    if (!c) {
      c = new Collection(name, this.declared?.get(name) ?? []);
      this.colls.set(name, c);
    }
    return c;
  }

  private exists(name: string): boolean {
    if (this.declared === null) return this.created.has(name) || (this.colls.get(name)?.size ?? 0) > 0;
    return this.declared.has(name) || this.created.has(name);
  }

  private checkName(name: unknown): string {
    if (typeof name !== 'string' || name === '') invalid('collectionName is required');
    if (!COLLECTION_NAME.test(name)) invalid(`invalid collection name ${JSON.stringify(name)}`);
    return name;
  }

  /** The collection for a read; undefined (empty) for an unknown name when every name is allowed. */
  private forRead(nameParam: unknown): Collection | undefined {
    const name = this.checkName(nameParam);
    if (this.declared !== null) {
      if (!this.exists(name)) throw notExist(name);
      return this.collection(name);
    }
    return this.colls.get(name);
  }

  private forWrite(nameParam: unknown): Collection {
    const name = this.checkName(nameParam);
    if (this.declared !== null && !this.exists(name)) throw notExist(name);
    return this.collection(name);
  }

  // ---------------------------------------------------------------- public API

  /**
   * Executes one action as @cloudbase/node-sdk POSTs it (`{ action, ...params }`) and resolves to
   * the `data` of the answer; rejects with an EngineError (see wire.ts for the HTTP encoding).
   */
  async execute(action: string, params: Record<string, unknown> = {}): Promise<unknown> {
    if (this.closed) throw new EngineError(ErrorCodes.SYS_ERR, 'the database engine is closed');
    const failure = this.logFailure();
    if (failure) throw failure;
    const c = this.counters;
    c.byAction[action] = (c.byAction[action] ?? 0) + 1;
    if (READ_ACTIONS.has(action)) c.reads++;
    else if (WRITE_ACTIONS.has(action)) c.writes++;
    const p: Params = params !== null && typeof params === 'object' ? params : {};
    try {
      switch (action) {
        case 'database.addCollection':
          return await this.addCollection(p);
        case 'database.insertDocument':
          return await this.insertDocument(p);
        case 'database.getDocument':
          return await this.getDocument(p);
        case 'database.calculateDocument':
          return await this.calculateDocument(p);
        case 'database.modifyDocument':
          return await this.modifyDocument(p);
        case 'database.modifyAndReturnDoc':
          return await this.modifyAndReturnDoc(p);
        case 'database.removeDocument':
          return await this.removeDocument(p);
        case 'database.aggregateDocuments':
          return await this.aggregateDocuments(p);
        case 'database.startTransaction':
          return this.startTransaction();
        case 'database.commitTransaction':
          return await this.commitTransaction(p);
        case 'database.abortTransaction':
          return this.abortTransaction(p);
        case 'database.getInTransaction':
          return await this.legacyGet(p);
        case 'database.updateDocInTransaction':
          return this.legacyUpdate(p);
        case 'database.deleteDocInTransaction':
          return this.legacyDelete(p);
        default:
          throw new EngineError(ErrorCodes.INVALID_PARAM, `unknown action ${JSON.stringify(action)}`);
      }
    } catch (e) {
      const failure = this.logFailure();
      if (failure) throw failure;
      throw toEngineError(e);
    }
  }

  private logFailure(): EngineError | undefined {
    const err = this.log.error;
    return err ? new EngineError(ErrorCodes.SYS_ERR, `the database log failed: ${err.message}`) : undefined;
  }

  stats(): EngineStats {
    return { reads: this.counters.reads, writes: this.counters.writes, byAction: { ...this.counters.byAction } };
  }

  resetStats(): void {
    this.counters = { reads: 0, writes: 0, byAction: {} };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.txs.clear();
    await this.log.close();
  }

  /** Seeds documents (bypassing the SDK; not counted in stats). Same durability as execute(). */
  async insertMany(coll: string, docs: Record<string, unknown>[]): Promise<void> {
    if (this.closed) throw new EngineError(ErrorCodes.SYS_ERR, 'the database engine is closed');
    const c = this.forWrite(coll);
    const prepared = docs.map((d) => clone(d));
    await this.commit(this.insertChanges(c, prepared));
  }

  /** All matching documents in natural order (copies; not counted in stats). `query` is a MongoDB filter with JS values. */
  async find(coll: string, query: Record<string, unknown> = {}): Promise<Record<string, unknown>[]> {
    if (this.closed) throw new EngineError(ErrorCodes.SYS_ERR, 'the database engine is closed');
    const c = this.forRead(coll);
    if (!c) return [];
    try {
      const docs = c.select(query);
      await this.log.barrier();
      return docs.map((d) => clone(d));
    } catch (e) {
      throw toEngineError(e);
    }
  }

  /** Diagnostics for tests: which path the last query on `coll` took ('scan', 'id', 'index:<name>', 'ordered:<name>'). */
  lastPlan(coll: string): string {
    return this.colls.get(coll)?.lastPlan ?? '';
  }

  // ---------------------------------------------------------------- params

  private ctx(): DecodeContext {
    return { now: this.now() };
  }

  private ejson(value: unknown, ctx: DecodeContext, what: string): unknown {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') {
      try {
        return parseEJSON(value, ctx);
      } catch {
        invalid(`${what} is not valid JSON`);
      }
    }
    return decodeEJSONValue(value, ctx);
  }

  private filterParam(p: Params, ctx: DecodeContext): Record<string, unknown> {
    const q = this.ejson(p.query, ctx, 'query');
    if (q === undefined) return {};
    if (!isPlainObject(q)) invalid('query must be an object');
    return q;
  }

  private docQueryId(filter: Record<string, unknown>): DocId {
    const id = filter._id;
    if (Object.keys(filter).length !== 1 || (typeof id !== 'string' && typeof id !== 'number')) {
      invalid('a document operation needs query { _id }');
    }
    return id;
  }

  private txParam(p: Params): Tx | undefined {
    const id = p.transactionId;
    if (id === undefined || id === null || id === '') return undefined;
    if (typeof id !== 'string') invalid('transactionId must be a string');
    return this.activeTx(id);
  }

  private bool(p: Params, key: string, dflt: boolean): boolean {
    const v = p[key];
    if (v === undefined || v === null) return dflt;
    if (typeof v !== 'boolean') invalid(`${key} must be a boolean`);
    return v;
  }

  // ---------------------------------------------------------------- actions

  private async addCollection(p: Params): Promise<unknown> {
    const name = this.checkName(p.collectionName);
    if (this.exists(name)) {
      throw new EngineError(ErrorCodes.DATABASE_COLLECTION_ALREADY_EXIST, `collection ${name} already exists`);
    }
    this.created.add(name);
    this.collection(name);
    await this.log.append(DurableLog.encode([['c', name]], stringifyEJSON));
    return {};
  }

  private insertChanges(c: Collection, docs: unknown[]): Change[] {
    const changes: Change[] = [];
    const seen = new Set<DocId>();
    for (const raw of docs) {
      const doc = withId(raw);
      if (seen.has(doc._id) || c.get(doc._id)) throw duplicateKey(c.name, '_id_', { _id: doc._id });
      seen.add(doc._id);
      changes.push({ coll: c.name, id: doc._id, after: doc });
    }
    return changes;
  }

  private async insertDocument(p: Params): Promise<unknown> {
    const ctx = this.ctx();
    const raw = Array.isArray(p.data) ? p.data : p.data === undefined ? invalid('data is required') : [p.data];
    const docs = raw.map((d, i) => this.ejson(d, ctx, `data[${i}]`));
    const tx = this.txParam(p);
    if (tx) {
      const name = this.forWrite(p.collectionName).name;
      const ids: DocId[] = [];
      for (const raw of docs) {
        const doc = withId(raw);
        if (this.txRead(tx, name, doc._id) !== null) throw duplicateKey(name, '_id_', { _id: doc._id });
        this.txWrite(tx, name, doc._id, doc);
        ids.push(doc._id);
      }
      return { insertedIds: ids };
    }
    const c = this.forWrite(p.collectionName);
    const changes = this.insertChanges(c, docs);
    await this.commit(changes);
    return { insertedIds: changes.map((ch) => ch.id) };
  }

  private sortParam(p: Params, ctx: DecodeContext): Array<[string, 1 | -1]> | undefined {
    const o = this.ejson(p.order, ctx, 'order');
    if (o === undefined) return undefined;
    // Also accept the array form [{ field, direction }] some SDK versions send.
    if (Array.isArray(o)) {
      return o.map((x): [string, 1 | -1] => {
        const f = (x as { field?: unknown }).field;
        const d = (x as { direction?: unknown }).direction;
        if (typeof f !== 'string') invalid('order.field must be a string');
        return [f, d === 'desc' || d === -1 ? -1 : 1];
      });
    }
    if (!isPlainObject(o)) invalid('order must be an object');
    return Object.entries(o).map(([f, d]): [string, 1 | -1] => {
      if (d !== 1 && d !== -1 && d !== 'asc' && d !== 'desc') invalid(`order of ${f} must be 1 or -1`);
      return [f, d === -1 || d === 'desc' ? -1 : 1];
    });
  }

  private projection(p: Params, ctx: DecodeContext): Record<string, unknown> | undefined {
    const pr = this.ejson(p.projection, ctx, 'projection');
    if (pr === undefined) return undefined;
    if (!isPlainObject(pr)) invalid('projection must be an object');
    return Object.keys(pr).length ? pr : undefined;
  }

  private project(docs: Doc[], projection: Record<string, unknown> | undefined): Doc[] {
    if (!projection) return docs;
    return new Query({}, QUERY_OPTIONS).find<Doc>(docs, projection).all();
  }

  private async getDocument(p: Params): Promise<unknown> {
    const ctx = this.ctx();
    const filter = this.filterParam(p, ctx);
    const projection = this.projection(p, ctx);
    const tx = this.txParam(p);
    if (tx) {
      if (p.queryType !== 'DOC') {
        invalid('a transaction only allows single-document operations (doc(id).get/update/set/remove, add); where() is not supported');
      }
      const name = this.forWrite(p.collectionName).name;
      const doc = this.txRead(tx, name, this.docQueryId(filter));
      const list = doc ? this.project([doc], projection).map(stringifyEJSON) : [];
      await this.log.barrier();
      return { list };
    }
    const c = this.forRead(p.collectionName);
    let list: string[] = [];
    if (c) {
      let docs: Doc[];
      if (p.queryType === 'DOC') {
        docs = c.select(filter, { limit: 1 });
      } else {
        const sort = this.sortParam(p, ctx);
        const offset: unknown = p.offset ?? 0;
        if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) invalid('offset must be a non-negative integer');
        const rawLimit: unknown = p.limit ?? 0;
        if (typeof rawLimit !== 'number' || !Number.isInteger(rawLimit) || rawLimit < 0) invalid('limit must be a non-negative integer');
        const limit = Math.min(rawLimit === 0 ? DEFAULT_LIMIT : rawLimit, MAX_LIMIT);
        docs = c.select(filter, { sort, skip: offset, limit });
      }
      list = this.project(docs, projection).map(stringifyEJSON);
    }
    // Never answer data that is not yet durable (a concurrent write may be mid-fsync).
    await this.log.barrier();
    return { list };
  }

  private async calculateDocument(p: Params): Promise<unknown> {
    const filter = this.filterParam(p, this.ctx());
    if (p.transactionId) invalid('count() is not supported in a transaction');
    const c = this.forRead(p.collectionName);
    const total = c ? c.count(filter) : 0;
    await this.log.barrier();
    return { total };
  }

  private async modifyDocument(p: Params): Promise<unknown> {
    const ctx = this.ctx();
    const filter = this.filterParam(p, ctx);
    const data = this.ejson(p.data, ctx, 'data');
    const merge = this.bool(p, 'merge', true);
    const upsert = this.bool(p, 'upsert', false);
    const multi = this.bool(p, 'multi', false);
    if (merge) assertOperatorUpdate(data);
    else assertStorable(data, 'the replacement');
    const tx = this.txParam(p);
    if (tx) {
      if (p.queryType !== 'DOC') invalid('a transaction only allows single-document operations; where().update() is not supported');
      const name = this.forWrite(p.collectionName).name;
      const id = this.docQueryId(filter);
      const current = this.txRead(tx, name, id);
      if (current) {
        const r = merge ? applyOperatorUpdate(current, data as never, filter) : applyReplacement(current, data as Doc);
        if (r.changed) this.txWrite(tx, name, id, r.doc);
        return { updated: r.changed ? 1 : 0 };
      }
      if (!upsert) return { updated: 0 };
      const doc = buildUpsert(filter, data, merge, newDocId);
      this.txWrite(tx, name, id, doc);
      return { updated: 0, upsert_id: id };
    }
    const c = this.forWrite(p.collectionName);
    const single = p.queryType === 'DOC' || !multi;
    const matched = c.select(filter, single ? { limit: 1 } : {});
    const changes: Change[] = [];
    for (const doc of matched) {
      const r = merge ? applyOperatorUpdate(doc, data as never, filter) : applyReplacement(doc, data as Doc);
      if (r.changed) changes.push({ coll: c.name, id: doc._id as DocId, after: r.doc });
    }
    let upsertId: DocId | undefined;
    if (matched.length === 0 && upsert) {
      const doc = buildUpsert(filter, data, merge, newDocId);
      if (c.get(doc._id as DocId)) throw duplicateKey(c.name, '_id_', { _id: doc._id });
      upsertId = doc._id as DocId;
      changes.push({ coll: c.name, id: upsertId, after: doc });
    }
    await this.commit(changes);
    return upsertId === undefined ? { updated: changes.length } : { updated: 0, upsert_id: upsertId };
  }

  private async modifyAndReturnDoc(p: Params): Promise<unknown> {
    const ctx = this.ctx();
    const filter = this.filterParam(p, ctx);
    const data = this.ejson(p.data, ctx, 'data');
    assertOperatorUpdate(data);
    if (this.txParam(p)) invalid('updateAndReturn() is not supported in a transaction');
    const c = this.forWrite(p.collectionName);
    const [doc] = c.select(filter, { limit: 1 });
    if (!doc) {
      await this.log.barrier();
      return { updated: 0, doc: null };
    }
    const r = applyOperatorUpdate(doc, data, filter);
    if (r.changed) await this.commit([{ coll: c.name, id: doc._id as DocId, after: r.doc }]);
    else await this.log.barrier();
    return { updated: r.changed ? 1 : 0, doc: stringifyEJSON(r.doc) };
  }

  private async removeDocument(p: Params): Promise<unknown> {
    const filter = this.filterParam(p, this.ctx());
    const multi = this.bool(p, 'multi', false);
    const tx = this.txParam(p);
    if (tx) {
      if (p.queryType !== 'DOC') invalid('a transaction only allows single-document operations; where().remove() is not supported');
      const name = this.forWrite(p.collectionName).name;
      const id = this.docQueryId(filter);
      if (this.txRead(tx, name, id) === null) return { deleted: 0 };
      this.txWrite(tx, name, id, null);
      return { deleted: 1 };
    }
    const c = this.forWrite(p.collectionName);
    const single = p.queryType === 'DOC' || !multi;
    const matched = c.select(filter, single ? { limit: 1 } : {});
    await this.commit(matched.map((d): Change => ({ coll: c.name, id: d._id as DocId, after: null })));
    return { deleted: matched.length };
  }

  private async aggregateDocuments(p: Params): Promise<unknown> {
    const ctx = this.ctx();
    if (!Array.isArray(p.stages)) invalid('stages must be an array');
    const pipeline: Record<string, unknown>[] = p.stages.map((s: unknown, i: number) => {
      const st = s as { stageKey?: unknown; stageValue?: unknown };
      if (typeof st?.stageKey !== 'string' || !st.stageKey.startsWith('$')) invalid(`stages[${i}].stageKey must be a $stage name`);
      return { [st.stageKey]: this.ejson(st.stageValue, ctx, `stages[${i}].stageValue`) };
    });
    if (p.transactionId) invalid('aggregate() is not supported in a transaction');
    const c = this.forRead(p.collectionName);
    const hasLimit = pipeline.some((st) => '$limit' in st);
    let input: Doc[] = [];
    let rest = pipeline;
    const first = pipeline[0];
    if (c) {
      if (first && '$match' in first && isPlainObject(first.$match)) {
        // Let the indexes narrow a leading $match.
        const match = first.$match;
        const q = new Query(match, QUERY_OPTIONS);
        input = c.candidates(match).filter((d) => q.test(d));
        rest = pipeline.slice(1);
      } else {
        input = Array.from(c.docs.values(), (e) => e.doc);
      }
    }
    if (!hasLimit) rest = [...rest, { $limit: DEFAULT_AGGREGATE_LIMIT }];
    const mutating = rest.some((st) => Object.keys(st).some((k) => !NON_MUTATING_STAGES.has(k)));
    const resolver = (name: string): Doc[] => {
      const other = this.colls.get(name);
      if (!other) return [];
      const docs = Array.from(other.docs.values(), (e) => e.doc);
      return mutating ? docs.map((d) => clone(d)) : docs;
    };
    const out = runPipeline(rest, input, { ...QUERY_OPTIONS, collectionResolver: resolver });
    const list = out.map(stringifyEJSON);
    await this.log.barrier();
    return { list };
  }

  // ---------------------------------------------------------------- transactions

  private sweepTransactions(): void {
    const now = this.now();
    for (const [id, tx] of this.txs) if (now - tx.startedAt > TRANSACTION_TIMEOUT_MS) this.txs.delete(id);
  }

  private activeTx(id: string): Tx {
    const tx = this.txs.get(id);
    if (!tx) throw new EngineError(ErrorCodes.DATABASE_TRANSACTION_FAIL, `transaction ${id} does not exist or has ended`);
    if (this.now() - tx.startedAt > TRANSACTION_TIMEOUT_MS) {
      this.txs.delete(id);
      throw new EngineError(ErrorCodes.DATABASE_TRANSACTION_FAIL, `transaction ${id} was aborted: it did not commit within ${TRANSACTION_TIMEOUT_MS / 1000} s`);
    }
    return tx;
  }

  private startTransaction(): unknown {
    this.sweepTransactions();
    const id = randomBytes(12).toString('hex');
    this.txs.set(id, { id, startedAt: this.now(), observed: new Map(), writes: new Map() });
    return { transactionId: id };
  }

  /** The document as the transaction sees it (its own writes first), stamping what it saw. */
  private txRead(tx: Tx, coll: string, id: DocId): Doc | null {
    const key = txKey(coll, id);
    const w = tx.writes.get(key);
    if (w) return w.after;
    const seen = tx.observed.get(key);
    if (seen) return seen.doc;
    const e = this.colls.get(coll)?.get(id);
    tx.observed.set(key, { coll, id, ver: e?.ver ?? 0, doc: e?.doc ?? null });
    return e?.doc ?? null;
  }

  private txWrite(tx: Tx, coll: string, id: DocId, doc: Doc | null): void {
    this.txRead(tx, coll, id);
    tx.writes.set(txKey(coll, id), { coll, id, after: doc });
  }

  private async commitTransaction(p: Params): Promise<unknown> {
    if (typeof p.transactionId !== 'string') invalid('transactionId is required');
    const tx = this.activeTx(p.transactionId);
    this.txs.delete(tx.id);
    for (const o of tx.observed.values()) {
      const cur = this.colls.get(o.coll)?.get(o.id);
      if ((cur?.ver ?? 0) !== o.ver) {
        throw new EngineError(
          ErrorCodes.DATABASE_TRANSACTION_CONFLICT,
          `transaction conflict: document ${String(o.id)} of ${o.coll} was changed by another write since the transaction read it`,
        );
      }
    }
    await this.commit([...tx.writes.values()]);
    return {};
  }

  private abortTransaction(p: Params): unknown {
    if (typeof p.transactionId !== 'string') invalid('transactionId is required');
    // Aborting a transaction that already ended (conflict, timeout) is harmless.
    this.txs.delete(p.transactionId);
    return {};
  }

  private async legacyGet(p: Params): Promise<unknown> {
    const tx = this.txParam(p) ?? invalid('transactionId is required');
    const name = this.forWrite(p.collectionName).name;
    const id = p._id;
    assertValidId(id);
    const doc = this.txRead(tx, name, id);
    const s = stringifyEJSON(doc);
    await this.log.barrier();
    return s;
  }

  private legacyUpdate(p: Params): unknown {
    const tx = this.txParam(p) ?? invalid('transactionId is required');
    const name = this.forWrite(p.collectionName).name;
    const id = p._id;
    assertValidId(id);
    const data = this.ejson(p.data, this.ctx(), 'data');
    const isOperator = isPlainObject(data) && Object.keys(data).some((k) => k.startsWith('$'));
    const current = this.txRead(tx, name, id);
    if (current) {
      if (isOperator) assertOperatorUpdate(data);
      else assertStorable(data, 'the replacement');
      const r = isOperator ? applyOperatorUpdate(current, data as never, { _id: id }) : applyReplacement(current, data as Doc);
      if (r.changed) this.txWrite(tx, name, id, r.doc);
      return { updated: stringifyEJSON(r.changed ? 1 : 0) };
    }
    if (p.upsert !== true) return { updated: stringifyEJSON(0) };
    const doc = buildUpsert({ _id: id }, data, isOperator, newDocId);
    this.txWrite(tx, name, id, doc);
    return { updated: stringifyEJSON(0), upserted: JSON.stringify([{ _id: id }]) };
  }

  private legacyDelete(p: Params): unknown {
    const tx = this.txParam(p) ?? invalid('transactionId is required');
    const name = this.forWrite(p.collectionName).name;
    const id = p._id;
    assertValidId(id);
    if (this.txRead(tx, name, id) === null) return { deleted: stringifyEJSON(0) };
    this.txWrite(tx, name, id, null);
    return { deleted: stringifyEJSON(1) };
  }

  // ---------------------------------------------------------------- commit

  /**
   * Validates unique indexes, applies the changes in memory as one atomic step, and resolves once
   * they are durable (one log record, fdatasync'd).
   */
  private commit(changes: Change[]): Promise<void> {
    if (changes.length === 0) return this.log.barrier();
    const byColl = new Map<string, Change[]>();
    for (const ch of changes) {
      const list = byColl.get(ch.coll);
      if (list) list.push(ch);
      else byColl.set(ch.coll, [ch]);
    }
    for (const [name, list] of byColl) {
      const c = this.collection(name);
      const changedIds = new Set<DocId>(list.map((ch) => ch.id));
      for (const ix of c.indexes) {
        if (!ix.uniq) continue;
        const claimed = new Map<string, DocId>();
        for (const ch of list) {
          if (!ch.after) continue;
          const k = ix.uniqueKey(ch.after);
          const other = claimed.get(k);
          if (other !== undefined && other !== ch.id) throw duplicateKey(name, ix.spec.name, ix.rawKey(ch.after));
          claimed.set(k, ch.id);
          const existing = ix.uniq.get(k);
          if (existing !== undefined && existing !== ch.id && !changedIds.has(existing)) {
            throw duplicateKey(name, ix.spec.name, ix.rawKey(ch.after));
          }
        }
      }
    }
    const ver = ++this.version;
    const ops: LogOp[] = [];
    for (const [name, list] of byColl) {
      const c = this.collection(name);
      const bulk = list.length > 2000;
      for (const ch of list) {
        c.put(ch.id, ch.after, ver, bulk);
        ops.push(ch.after ? ['p', name, ch.after] : ['d', name, ch.id]);
      }
      if (bulk) c.rebuildIndexes();
      if (this.declared === null || !this.declared.has(name)) this.created.add(name);
    }
    return this.log.append(DurableLog.encode(ops, stringifyEJSON));
  }
}

/**
 * Runs an aggregation pipeline with mingo, with two local rules:
 * - mingo modifies the documents it is given in some stages ($addFields, $project, $unwind, …):
 *   the leading stages that never do run on the stored documents, and the rest get copies of what
 *   is left (usually far fewer documents);
 * - `$sample` picks distinct documents (mingo draws with replacement), like MongoDB's usual path.
 */
function runPipeline(stages: Record<string, unknown>[], input: Doc[], options: Partial<Options>): Doc[] {
  let docs = input;
  let copied = false;
  let segment: Record<string, unknown>[] = [];
  const flush = (): void => {
    if (segment.length) docs = new Aggregator(segment, options).run<Doc>(docs);
    segment = [];
  };
  for (const st of stages) {
    const keys = Object.keys(st);
    const key = keys[0] ?? '';
    if (key === '$sample' && keys.length === 1) {
      const size = (st.$sample as { size?: unknown } | null)?.size;
      if (typeof size !== 'number' || !Number.isInteger(size) || size < 0) {
        throw new EngineError(ErrorCodes.DATABASE_REQUEST_FAILED, '$sample size must be a non-negative integer');
      }
      flush();
      docs = sampleDistinct(docs, size);
      continue;
    }
    if (!copied && keys.some((k) => !NON_MUTATING_STAGES.has(k))) {
      flush();
      docs = docs.map((d) => clone(d));
      copied = true;
    }
    segment.push(st);
  }
  flush();
  return docs;
}

/** `size` distinct documents in random order (partial Fisher–Yates). */
function sampleDistinct(docs: Doc[], size: number): Doc[] {
  const a = docs.slice();
  const n = Math.min(size, a.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(Math.random() * (a.length - i));
    const t = a[i] as Doc;
    a[i] = a[j] as Doc;
    a[j] = t;
  }
  return a.slice(0, n);
}

/** Validates a document to insert and gives it an `_id` (first, as the cloud shows it) if it has none. */
function withId(raw: unknown): Doc & { _id: DocId } {
  assertStorable(raw, 'a document');
  if (raw._id === undefined) return { _id: newDocId(), ...raw };
  assertValidId(raw._id);
  return raw as Doc & { _id: DocId };
}

function notExist(name: string): EngineError {
  return new EngineError(ErrorCodes.DATABASE_COLLECTION_NOT_EXIST, `Db or Table not exist: ${name}`);
}
