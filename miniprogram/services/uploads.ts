/**
 * The upload queue of an entry's files, independent of any page: for each file a server-issued
 * path (`uploads.ticket`), the upload itself with its progress, then the server's own check of
 * what arrived (`uploads.confirm`: real type, size, no GPS). Each file has a state the editor
 * shows: waiting → uploading n% → checking → done, or failed with the reason.
 *
 * WeChat's uploads cannot resume, so a retry uploads the file again from the start, with a new
 * ticket (the old path may hold a partial file, and tickets are single-use); files already
 * uploaded are kept as they are. A file cut off by the network is retried once by itself after a
 * moment (phones drop connections when they change cells); after that the worker decides.
 */
import type { UploadPurpose } from '../core/domain';
import type { ErrorCode } from '../core/errors';
import type { Result } from '../core/result';
import { api, upload } from './client';

export type UploadStatus = 'waiting' | 'uploading' | 'checking' | 'done' | 'failed';
export type UploadExt = 'jpg' | 'png' | 'mp4';

export const isUploadExt = (ext: string): ext is UploadExt => ext === 'jpg' || ext === 'png' || ext === 'mp4';

export interface UploadFile {
  localPath: string;
  purpose: UploadPurpose;
  ext: UploadExt;
  /** Bytes, as the phone measured them (the server measures again). */
  size: number;
}

export interface UploadItem extends UploadFile {
  readonly key: string;
  status: UploadStatus;
  /** 0–100 while uploading. */
  progress: number;
  /** Why it failed, in words for the worker. */
  message: string;
  /** Whether trying again can help (a file the server refused needs another file instead). */
  retryable: boolean;
  /** Set once the server has accepted the file. */
  uploadId: string;
  /** The server's preview URL of the accepted file (temporary). */
  url: string;
  /** Uploads started for this file, retries included. */
  attempts: number;
}

export interface QueueOptions {
  /** Files uploading at once (default 2). */
  concurrency?: number;
  /** Called with a copy of the file whenever its state changes. */
  onChange?: (item: UploadItem) => void;
  /** Least time between two progress reports of a file (ms, default 250): setData ≤ 20 a second. */
  progressIntervalMs?: number;
  /** Retries by itself after a network failure, before asking the worker (default 1). */
  autoRetries?: number;
  /** The pause before such a retry (ms, default 1000). */
  retryDelayMs?: number;
}

/**
 * Where a file's path comes from and who checks it afterwards: an entry's uploads by default
 * (`uploads.ticket` / `uploads.confirm`); announcement images have their own pair.
 */
export interface UploadBackend {
  ticket(file: UploadFile): Promise<Result<{ ticketId: string; cloudPath: string }>>;
  /** Answers the id the content refers to the file by (an upload id, or the file ID itself). */
  confirm(ticketId: string, fileID: string): Promise<Result<{ uploadId: string; url: string }>>;
}

/** An entry's files. */
export function entryBackend(entryId: string): UploadBackend {
  return {
    async ticket(file) {
      const r = await api('uploads.ticket', { entryId, purpose: file.purpose, ext: file.ext, size: file.size });
      return r.ok ? { ok: true, data: { ticketId: r.data.uploadId, cloudPath: r.data.cloudPath } } : r;
    },
    async confirm(ticketId, fileID) {
      const r = await api('uploads.confirm', { uploadId: ticketId, fileID });
      return r.ok ? { ok: true, data: { uploadId: r.data.uploadId, url: r.data.url } } : r;
    },
  };
}

/** Codes after which the same file would only fail again. */
const FINAL: readonly ErrorCode[] = ['FILE_REJECTED', 'INVALID_PAYLOAD', 'FORBIDDEN', 'NOT_FOUND', 'CLOSED', 'NOT_OPEN_YET'];
/** Codes of a connection that broke: worth a retry by itself. */
const TRANSIENT: readonly ErrorCode[] = ['NETWORK', 'TIMEOUT'];

let counter = 0;

export class UploadQueue {
  private readonly files = new Map<string, UploadItem>();
  /** The attempt each file is on: answers to an older attempt (or a removed file) are dropped. */
  private readonly runs = new Map<string, number>();
  private active = 0;
  private waiters: Array<() => void> = [];
  private disposed = false;
  private readonly concurrency: number;
  private readonly interval: number;
  /** Automatic retries left, per file, for the current round of the worker's tries. */
  private readonly autoLeft = new Map<string, number>();
  /** Waiting out the pause before an automatic retry. */
  private readonly paused = new Set<string>();
  private readonly backend: UploadBackend;

  /** For an entry's files (its id), or for files another backend issues paths for. */
  constructor(
    target: string | UploadBackend,
    private readonly options: QueueOptions = {},
  ) {
    this.backend = typeof target === 'string' ? entryBackend(target) : target;
    this.concurrency = Math.max(1, options.concurrency ?? 2);
    this.interval = options.progressIntervalMs ?? 250;
  }

  /** Queues a file; it starts as soon as a slot is free. */
  add(file: UploadFile): UploadItem {
    const key = `f${++counter}`;
    const item: UploadItem = { ...file, key, status: 'waiting', progress: 0, message: '', retryable: true, uploadId: '', url: '', attempts: 0 };
    this.files.set(key, item);
    this.autoLeft.set(key, this.options.autoRetries ?? 1);
    this.pump();
    return { ...item };
  }

  /** Uploads a failed file again, with a new ticket. */
  retry(key: string): boolean {
    const item = this.files.get(key);
    if (!item || item.status !== 'failed') return false;
    this.autoLeft.set(key, this.options.autoRetries ?? 1);
    this.update(item, { status: 'waiting', progress: 0, message: '' });
    this.pump();
    return true;
  }

  /** Forgets a file; an upload in flight finishes unseen (its unused ticket expires on the server). */
  remove(key: string): void {
    this.files.delete(key);
    this.runs.delete(key);
    this.autoLeft.delete(key);
    this.paused.delete(key);
    this.pump();
  }

  get(key: string): UploadItem | undefined {
    const item = this.files.get(key);
    return item ? { ...item } : undefined;
  }

  list(): UploadItem[] {
    return [...this.files.values()].map((x) => ({ ...x }));
  }

  /** Whether any file is waiting, uploading or being checked. */
  busy(): boolean {
    return [...this.files.values()].some((x) => x.status === 'waiting' || x.status === 'uploading' || x.status === 'checking');
  }

  /** Resolves once nothing is waiting or in flight. */
  idle(): Promise<void> {
    if (!this.busy()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The page is gone: report nothing more. */
  dispose(): void {
    this.disposed = true;
    this.runs.clear();
  }

  private update(item: UploadItem, patch: Partial<UploadItem>): void {
    Object.assign(item, patch);
    if (!this.disposed && this.files.get(item.key) === item) this.options.onChange?.({ ...item });
  }

  private pump(): void {
    for (const item of this.files.values()) {
      if (this.active >= this.concurrency) break;
      if (item.status === 'waiting' && !this.paused.has(item.key)) void this.run(item);
    }
    if (!this.busy()) {
      const waiting = this.waiters;
      this.waiters = [];
      for (const w of waiting) w();
    }
  }

  private async run(item: UploadItem): Promise<void> {
    this.active++;
    const attempt = (this.runs.get(item.key) ?? 0) + 1;
    this.runs.set(item.key, attempt);
    const current = (): boolean => !this.disposed && this.runs.get(item.key) === attempt && this.files.get(item.key) === item;
    let again = false;
    const fail = (code: ErrorCode, message: string): void => {
      if (!current()) return;
      const left = this.autoLeft.get(item.key) ?? 0;
      if (TRANSIENT.includes(code) && left > 0) {
        // Waits without a slot, then queues again with a new ticket.
        this.autoLeft.set(item.key, left - 1);
        this.paused.add(item.key);
        again = true;
        this.update(item, { status: 'waiting', progress: 0, message: '上传中断，稍后自动重新上传…', retryable: true });
        return;
      }
      this.update(item, { status: 'failed', message, retryable: !FINAL.includes(code) });
    };
    this.update(item, { status: 'uploading', progress: 0, message: '', attempts: item.attempts + 1 });
    try {
      const ticket = await this.backend.ticket({ localPath: item.localPath, purpose: item.purpose, ext: item.ext, size: item.size });
      if (!current()) return;
      if (!ticket.ok) return fail(ticket.code, ticket.message);

      let lastAt = 0;
      let lastShown = 0;
      const sent = await upload(item.localPath, ticket.data.cloudPath, (p) => {
        if (!current() || item.status !== 'uploading') return;
        const progress = Math.max(0, Math.min(100, Math.floor(p.progress)));
        const now = Date.now();
        if (progress < 100 && (progress - lastShown < 5 || now - lastAt < this.interval)) {
          item.progress = progress;
          return;
        }
        lastAt = now;
        lastShown = progress;
        this.update(item, { progress });
      });
      if (!current()) return;
      if (!sent.ok) return fail(sent.code, sent.message);

      this.update(item, { status: 'checking', progress: 100 });
      const confirmed = await this.backend.confirm(ticket.data.ticketId, sent.data.fileID);
      if (!current()) return;
      if (!confirmed.ok) return fail(confirmed.code, confirmed.message);
      this.update(item, { status: 'done', uploadId: confirmed.data.uploadId, url: confirmed.data.url, message: '' });
    } finally {
      this.active--;
      if (again) {
        setTimeout(() => {
          this.paused.delete(item.key);
          this.pump();
        }, this.options.retryDelayMs ?? 1000);
      }
      this.pump();
    }
  }
}
