/**
 * The durable store: one append-only JSON-lines log per data folder (`<dataDir>/db.log`).
 *
 * Line 1 is a header `{"format":"local-cloud-db","version":1}`. Every other line is a record
 * `{"ops":[…]}` holding one atomic batch of operations:
 *   ["c", collection]           create a collection (createCollection)
 *   ["p", collection, doc]      put: insert or replace the whole document (doc in EJSON, see ejson.ts)
 *   ["d", collection, id]       delete the document with this _id
 * A batch too large for one line is split over several lines; all but the last carry
 * `"more":true`, and replay applies the batch only once its last line is read, so a batch is
 * all-or-nothing on disk as well.
 *
 * Durability: `append()` resolves only after the bytes are written and `fdatasync`ed. Appends that
 * arrive while a sync is in flight are grouped into the next write + sync (group commit), so
 * concurrent writers share fsyncs.
 *
 * Crash tolerance: on open, lines are replayed until the first line that does not parse (a torn
 * write from a killed process); the file is truncated there, so later appends start on a clean
 * line. A torn line followed by valid lines cannot be produced by this writer and is reported
 * as corruption rather than silently skipped.
 *
 * Compaction: `rewrite()` writes a fresh log of the live state to `db.log.tmp`, fsyncs it, renames
 * it over `db.log` and fsyncs the folder (atomic on POSIX file systems).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export type LogOp = ['c', string] | ['p', string, unknown] | ['d', string, string | number];

const HEADER = '{"format":"local-cloud-db","version":1}\n';
export const LOG_FILE = 'db.log';
const TMP_FILE = 'db.log.tmp';
const LOCK_FILE = 'LOCK';
/** Split a batch over several lines beyond this many characters. */
const MAX_LINE_CHARS = 4 * 1024 * 1024;
const READ_CHUNK = 1024 * 1024;

export interface ReplayResult {
  /** Bytes of the log after truncation of a torn tail. */
  fileBytes: number;
  /** Number of records (batches) applied. */
  batches: number;
  /** True when a torn tail was found and cut off. */
  truncatedTail: boolean;
}

/** Folders opened by this process (a second open in the same process is refused). */
const openDirs = new Set<string>();

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on a directory; the rename is still atomic.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

export class DurableLog {
  private fd = -1;
  private pending: string[] = [];
  private waiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  private flushing = false;
  private failed: Error | undefined;
  private readonly file: string;
  private readonly lockFile: string;
  private lockHeld = false;
  private dirKey: string;
  /** Bytes in the file, including what is queued but not yet written. */
  private bytes = 0;

  private constructor(readonly dir: string) {
    this.file = path.join(dir, LOG_FILE);
    this.lockFile = path.join(dir, LOCK_FILE);
    this.dirKey = dir;
  }

  /**
   * Opens (creating if needed) the log in `dir`, takes the folder's lock, replays every complete
   * batch through `apply` in order, cuts a torn tail, and leaves the file open for appends.
   */
  static open(
    dir: string,
    parse: (line: string) => unknown,
    apply: (ops: LogOp[]) => void,
  ): { log: DurableLog; replay: ReplayResult } {
    fs.mkdirSync(dir, { recursive: true });
    const real = fs.realpathSync(dir);
    const log = new DurableLog(real);
    log.lock();
    try {
      try {
        fs.rmSync(path.join(real, TMP_FILE), { force: true });
      } catch {
        /* a leftover from an interrupted compaction; the real log is intact */
      }
      const replay = log.replay(parse, apply);
      log.fd = fs.openSync(log.file, 'a');
      return { log, replay };
    } catch (e) {
      log.unlock();
      throw e;
    }
  }

  private lock(): void {
    if (openDirs.has(this.dir)) throw new Error(`data folder ${this.dir} is already open in this process`);
    try {
      const prev = Number.parseInt(fs.readFileSync(this.lockFile, 'utf8').trim(), 10);
      if (Number.isInteger(prev) && prev !== process.pid && pidAlive(prev)) {
        throw new Error(`data folder ${this.dir} is in use by process ${prev} (remove ${this.lockFile} if that is wrong)`);
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    fs.writeFileSync(this.lockFile, `${process.pid}\n`);
    openDirs.add(this.dir);
    this.dirKey = this.dir;
    this.lockHeld = true;
  }

  private unlock(): void {
    if (!this.lockHeld) return;
    this.lockHeld = false;
    openDirs.delete(this.dirKey);
    try {
      fs.rmSync(this.lockFile, { force: true });
    } catch {
      /* ignore */
    }
  }

  private replay(parse: (line: string) => unknown, apply: (ops: LogOp[]) => void): ReplayResult {
    if (!fs.existsSync(this.file)) {
      const fd = fs.openSync(this.file, 'w');
      try {
        fs.writeSync(fd, HEADER);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fsyncDir(this.dir);
      this.bytes = Buffer.byteLength(HEADER);
      return { fileBytes: this.bytes, batches: 0, truncatedTail: false };
    }
    const fd = fs.openSync(this.file, 'r');
    let goodBytes = 0; // offset just after the last line that parsed
    let pos = 0;
    let carry: Buffer = Buffer.alloc(0);
    let lineNo = 0;
    let batch: LogOp[] = [];
    let batchStart = 0; // offset of the first line of the batch being read
    let batches = 0;
    let badAt: number | undefined;
    const chunk = Buffer.allocUnsafe(READ_CHUNK);
    try {
      for (;;) {
        const n = fs.readSync(fd, chunk, 0, READ_CHUNK, pos);
        if (n === 0) break;
        pos += n;
        let buf = carry.length ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
        let start = 0;
        for (;;) {
          const nl = buf.indexOf(10, start);
          if (nl < 0) break;
          const lineStart = goodBytes;
          const text = buf.toString('utf8', start, nl);
          const lineBytes = nl - start + 1;
          start = nl + 1;
          lineNo++;
          if (badAt !== undefined) {
            if (text.trim() !== '') throw new Error(`${this.file}: corrupt line at byte ${badAt} followed by more data`);
            continue;
          }
          let rec: unknown;
          try {
            rec = parse(text);
          } catch {
            badAt = lineStart;
            continue;
          }
          if (lineNo === 1) {
            const h = rec as { format?: unknown; version?: unknown };
            if (h.format !== 'local-cloud-db') throw new Error(`${this.file} is not a local-cloud database log`);
            if (h.version !== 1) throw new Error(`${this.file}: unsupported log version ${String(h.version)}`);
            goodBytes += lineBytes;
            continue;
          }
          const r = rec as { ops?: unknown; more?: unknown };
          if (!Array.isArray(r.ops)) {
            badAt = lineStart;
            continue;
          }
          if (batch.length === 0) batchStart = lineStart;
          goodBytes += lineBytes;
          for (const op of r.ops as LogOp[]) batch.push(op);
          if (r.more !== true) {
            apply(batch);
            batches++;
            batch = [];
          }
        }
        carry = Buffer.from(buf.subarray(start));
        buf = Buffer.alloc(0);
      }
    } finally {
      fs.closeSync(fd);
    }
    // `carry` holds a last line without '\n' (torn); `batch` a batch whose last line is missing.
    let truncatedTail = carry.length > 0 || badAt !== undefined;
    if (batch.length > 0) {
      // Incomplete multi-line batch: drop it, and cut the file back to where it started.
      truncatedTail = true;
      goodBytes = batchStart;
    }
    if (goodBytes === 0) {
      // Empty or torn header (killed while creating it): start over.
      fs.writeFileSync(this.file, HEADER);
      goodBytes = Buffer.byteLength(HEADER);
      truncatedTail = true;
    }
    if (truncatedTail) {
      fs.truncateSync(this.file, goodBytes);
      const wfd = fs.openSync(this.file, 'r+');
      try {
        fs.fsyncSync(wfd);
      } finally {
        fs.closeSync(wfd);
      }
    }
    this.bytes = goodBytes;
    return { fileBytes: goodBytes, batches, truncatedTail };
  }

  get sizeBytes(): number {
    return this.bytes;
  }

  /** Serialises a batch into one or more lines (see the file comment). */
  static encode(ops: LogOp[], stringify: (v: unknown) => string): string {
    const parts: string[] = [];
    let current: string[] = [];
    let chars = 0;
    for (const op of ops) {
      const s = stringify(op);
      if (current.length > 0 && chars + s.length > MAX_LINE_CHARS) {
        parts.push(`{"more":true,"ops":[${current.join(',')}]}\n`);
        current = [];
        chars = 0;
      }
      current.push(s);
      chars += s.length + 1;
    }
    parts.push(`{"ops":[${current.join(',')}]}\n`);
    return parts.join('');
  }

  /** Queues encoded lines; resolves once they are on disk (fdatasync). */
  append(lines: string): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    if (this.fd < 0) return Promise.reject(new Error('database log is closed'));
    this.pending.push(lines);
    this.bytes += Buffer.byteLength(lines);
    const p = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (!this.flushing) void this.flush();
    return p;
  }

  /** True while some appended bytes are not yet durable. */
  get busy(): boolean {
    return this.flushing || this.pending.length > 0;
  }

  /** Resolves when everything appended so far is durable (immediately if nothing is pending). */
  barrier(): Promise<void> {
    if (!this.busy) return this.failed ? Promise.reject(this.failed) : Promise.resolve();
    return new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.pending.length > 0 || this.waiters.length > 0) {
        const data = this.pending.join('');
        const waiters = this.waiters;
        this.pending = [];
        this.waiters = [];
        try {
          if (data.length > 0) {
            const buf = Buffer.from(data, 'utf8');
            await writeAll(this.fd, buf);
            await new Promise<void>((res, rej) => fs.fdatasync(this.fd, (err) => (err ? rej(err) : res())));
          }
          for (const w of waiters) w.resolve();
        } catch (e) {
          // The disk refused the write: nothing after this point can be acknowledged.
          this.failed = e instanceof Error ? e : new Error(String(e));
          for (const w of waiters) w.reject(this.failed);
          for (const w of this.waiters) w.reject(this.failed);
          this.waiters = [];
          this.pending = [];
          return;
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  get error(): Error | undefined {
    return this.failed;
  }

  /**
   * Replaces the log by a snapshot: `lines` (already encoded batches) are written after the header
   * to a temp file, fsynced, renamed over the log, and the folder is fsynced. Only call when no
   * append is in flight (at open).
   */
  rewrite(lines: Iterable<string>): void {
    if (this.busy) throw new Error('cannot compact while writes are in flight');
    const tmp = path.join(this.dir, TMP_FILE);
    const fd = fs.openSync(tmp, 'w');
    let bytes = 0;
    try {
      bytes += fs.writeSync(fd, HEADER);
      let buffered: string[] = [];
      let size = 0;
      for (const l of lines) {
        buffered.push(l);
        size += l.length;
        if (size > READ_CHUNK) {
          bytes += fs.writeSync(fd, buffered.join(''));
          buffered = [];
          size = 0;
        }
      }
      if (buffered.length) bytes += fs.writeSync(fd, buffered.join(''));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    if (this.fd >= 0) fs.closeSync(this.fd);
    fs.renameSync(tmp, this.file);
    fsyncDir(this.dir);
    this.fd = fs.openSync(this.file, 'a');
    this.bytes = bytes;
  }

  async close(): Promise<void> {
    try {
      await this.barrier();
    } catch {
      /* already failed: nothing more to flush */
    }
    if (this.fd >= 0) {
      fs.closeSync(this.fd);
      this.fd = -1;
    }
    this.unlock();
  }
}

async function writeAll(fd: number, buf: Buffer): Promise<void> {
  let off = 0;
  while (off < buf.length) {
    const n = await new Promise<number>((res, rej) =>
      fs.write(fd, buf, off, buf.length - off, null, (err, written) => (err ? rej(err) : res(written))),
    );
    off += n;
  }
}
