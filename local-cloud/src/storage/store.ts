/**
 * Cloud storage: files in `<dataDir>/storage/<cloudPath>` behind `cloud://` file IDs, temp URLs
 * with an expiring signature, and the `storage.*` actions of the SDK endpoint.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Clock } from '../clock';
import { DEFAULT_TEMP_URL_MAX_AGE_S, MAX_FILE_IDS_PER_CALL, MAX_TEMP_URL_MAX_AGE_S } from '../constants';
import { ApiError } from '../errors';
import { isRecord } from '../types';

export interface FileStoreOptions {
  dataDir: string;
  envId: string;
  clock: Clock;
  /** http://127.0.0.1:<port>, known once the server listens */
  baseUrl: () => string;
}

export interface StoredFile {
  cloudPath: string;
  file: string;
  size: number;
  mtimeMs: number;
}

export interface UploadRecord {
  id: string;
  route: 'app' | 'sdk';
  openid: string | null;
  cloudPath: string | null;
  /** Content-Length of the request, when sent */
  expectedBytes: number | null;
  bytesReceived: number;
  state: 'receiving' | 'done' | 'failed' | 'dropped';
  fileID?: string;
  error?: string;
  startedAt: number;
}

const RESERVED = '.local-cloud';
/** COS object keys: at most 850 bytes. */
const MAX_PATH_BYTES = 850;

export class FileStore {
  readonly root: string;
  readonly bucket: string;
  private readonly internal: string;
  private readonly secret: Buffer;
  private readonly tickets = new Map<string, { cloudPath: string; expires: number }>();
  readonly uploads: UploadRecord[] = [];

  constructor(private readonly opts: FileStoreOptions) {
    this.root = path.join(opts.dataDir, 'storage');
    this.internal = path.join(this.root, RESERVED);
    fs.mkdirSync(path.join(this.internal, 'tmp'), { recursive: true });
    const secretFile = path.join(this.internal, 'url-secret');
    let secret: Buffer;
    try {
      secret = Buffer.from(fs.readFileSync(secretFile, 'utf8').trim(), 'hex');
      if (secret.length < 16) throw new Error('short');
    } catch {
      secret = randomBytes(32);
      fs.writeFileSync(secretFile, secret.toString('hex'), { mode: 0o600 });
    }
    this.secret = secret;
    // the cloud's bucket shape: <hex of the env's first two characters>-<env>-<appid number>
    const prefix = Buffer.from(opts.envId.slice(0, 2), 'utf8').toString('hex');
    this.bucket = `${prefix}-${opts.envId}-1250000000`;
  }

  /** `cloud://<env>.<bucket>/<path>` */
  fileId(cloudPath: string): string {
    return `cloud://${this.opts.envId}.${this.bucket}/${cloudPath}`;
  }

  /** The cloud path of one of this environment's file IDs, or null. */
  parseFileId(fileId: string): string | null {
    const prefix = `cloud://${this.opts.envId}.${this.bucket}/`;
    if (!fileId.startsWith(prefix)) return null;
    const p = fileId.slice(prefix.length);
    return this.checkPath(p) === null ? p : null;
  }

  /** Why a cloud path is refused, or null when it is acceptable. */
  checkPath(p: string): string | null {
    if (typeof p !== 'string' || p.length === 0) return 'cloudPath must be a non-empty string';
    if (Buffer.byteLength(p) > MAX_PATH_BYTES) return `cloudPath must be at most ${MAX_PATH_BYTES} bytes`;
    if (p.startsWith('/')) return 'cloudPath must not start with "/"';
    if (p.endsWith('/')) return 'cloudPath must name a file, not a folder';
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(p)) return 'cloudPath contains a control character';
    // WeChat's naming guide advises against these; they also break temp URLs, so they are refused here
    if (/[`^"\\{}[\]~%#<>?|]/.test(p)) return 'cloudPath contains a character WeChat advises against: ` ^ " \\ { } [ ] ~ % # < > ? |';
    const parts = p.split('/');
    if (parts.some((s) => s === '' || s === '.' || s === '..')) return 'cloudPath has an empty, "." or ".." segment';
    if (parts[0] === RESERVED) return `cloudPath must not start with ${RESERVED}/`;
    return null;
  }

  private fileOf(cloudPath: string): string {
    return path.join(this.root, ...cloudPath.split('/'));
  }

  async stat(cloudPath: string): Promise<StoredFile | null> {
    if (this.checkPath(cloudPath) !== null) return null;
    const file = this.fileOf(cloudPath);
    try {
      const st = await fsp.stat(file);
      if (!st.isFile()) return null;
      return { cloudPath, file, size: st.size, mtimeMs: st.mtimeMs };
    } catch {
      return null;
    }
  }

  // ---- writing: a temp file, then an atomic rename (an aborted upload leaves nothing) ----------

  tempFile(): string {
    return path.join(this.internal, 'tmp', `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`);
  }

  async commit(temp: string, cloudPath: string): Promise<string> {
    const err = this.checkPath(cloudPath);
    if (err) throw new ApiError('INVALID_PARAM', err);
    const target = this.fileOf(cloudPath);
    await fsp.mkdir(path.dirname(target), { recursive: true });
    await fsp.rename(temp, target); // same path again: overwritten, as in the cloud
    return this.fileId(cloudPath);
  }

  async discard(temp: string): Promise<void> {
    await fsp.rm(temp, { force: true });
  }

  async delete(cloudPath: string): Promise<boolean> {
    const f = await this.stat(cloudPath);
    if (!f) return false;
    await fsp.rm(f.file, { force: true });
    // drop folders left empty, up to the storage root
    let dir = path.dirname(f.file);
    while (dir.startsWith(this.root + path.sep)) {
      try {
        await fsp.rmdir(dir);
      } catch {
        break;
      }
      dir = path.dirname(dir);
    }
    return true;
  }

  trackUpload(rec: Omit<UploadRecord, 'id' | 'bytesReceived' | 'state' | 'startedAt'>): UploadRecord {
    const r: UploadRecord = {
      id: randomBytes(6).toString('hex'),
      bytesReceived: 0,
      state: 'receiving',
      startedAt: this.opts.clock.now(),
      ...rec,
    };
    this.uploads.push(r);
    if (this.uploads.length > 200) this.uploads.splice(0, this.uploads.length - 200);
    return r;
  }

  // ---- temp URLs ---------------------------------------------------------------------------------

  private sign(cloudPath: string, t: number): string {
    return createHmac('sha256', this.secret).update(`${cloudPath}\n${t}`).digest('hex').slice(0, 32);
  }

  tempUrl(cloudPath: string, maxAgeS: number): string {
    const t = Math.floor(this.opts.clock.now() / 1000) + maxAgeS;
    // like the cloud's, the path is not percent-encoded (node-sdk's downloadFile calls encodeURI on it);
    // checkPath() keeps out the characters that would break the URL
    return `${this.opts.baseUrl()}/storage/${this.bucket}/${cloudPath}?sign=${this.sign(cloudPath, t)}&t=${t}`;
  }

  /** Checks a temp URL's path (after /storage/) and query; answers the file or why not. */
  async resolveTempUrl(
    rest: string,
    query: URLSearchParams,
  ): Promise<{ ok: true; file: StoredFile } | { ok: false; status: number; code: string }> {
    const slash = rest.indexOf('/');
    if (slash < 0 || rest.slice(0, slash) !== this.bucket) return { ok: false, status: 404, code: 'NoSuchBucket' };
    let cloudPath: string;
    try {
      cloudPath = rest
        .slice(slash + 1)
        .split('/')
        .map((s) => decodeURIComponent(s))
        .join('/');
    } catch {
      return { ok: false, status: 400, code: 'InvalidURI' };
    }
    if (this.checkPath(cloudPath) !== null) return { ok: false, status: 400, code: 'InvalidURI' };
    const sign = query.get('sign') ?? '';
    const t = Number(query.get('t'));
    if (!sign || !Number.isInteger(t)) return { ok: false, status: 403, code: 'AccessDenied' };
    const expected = Buffer.from(this.sign(cloudPath, t));
    const given = Buffer.from(sign);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return { ok: false, status: 403, code: 'SignatureDoesNotMatch' };
    }
    if (t * 1000 < this.opts.clock.now()) return { ok: false, status: 403, code: 'RequestExpired' };
    const file = await this.stat(cloudPath);
    if (!file) return { ok: false, status: 404, code: 'NoSuchKey' };
    return { ok: true, file };
  }

  // ---- COS-like upload URL for cloud.uploadFile inside functions ---------------------------------

  takeTicket(ticket: string): string | null {
    const t = this.tickets.get(ticket);
    if (!t) return null;
    this.tickets.delete(ticket);
    return t.expires >= Date.now() ? t.cloudPath : null;
  }

  // ---- SDK actions ------------------------------------------------------------------------------

  /** storage.getUploadMetadata { path, method: 'put' } (node-sdk uploadFile, first step). */
  getUploadMetadata(params: Record<string, unknown>): Record<string, string> {
    const cloudPath = params['path'];
    if (typeof cloudPath !== 'string') throw new ApiError('INVALID_PARAM', 'path must be a string');
    const err = this.checkPath(cloudPath);
    if (err) throw new ApiError('INVALID_PARAM', err);
    const ticket = randomBytes(16).toString('hex');
    const now = Date.now();
    for (const [k, v] of this.tickets) if (v.expires < now) this.tickets.delete(k);
    this.tickets.set(ticket, { cloudPath, expires: now + 10 * 60 * 1000 });
    return {
      url: `${this.opts.baseUrl()}/storage/cos/${ticket}`,
      token: `local-${ticket}`,
      authorization: `local-${ticket}`,
      fileId: this.fileId(cloudPath),
      cosFileId: `local-${ticket}`,
      download_url: this.tempUrl(cloudPath, DEFAULT_TEMP_URL_MAX_AGE_S),
    };
  }

  /** storage.batchGetDownloadUrl { file_list: [{ fileid, max_age? }] } (getTempFileURL). */
  async batchGetDownloadUrl(params: Record<string, unknown>): Promise<{ download_list: unknown[] }> {
    const list = params['file_list'];
    if (!Array.isArray(list) || list.length === 0) throw new ApiError('INVALID_PARAM', 'file_list must be a non-empty array');
    if (list.length > MAX_FILE_IDS_PER_CALL) {
      throw new ApiError('INVALID_PARAM', `at most ${MAX_FILE_IDS_PER_CALL} files a call (got ${list.length})`);
    }
    const out: unknown[] = [];
    for (const item of list) {
      if (!isRecord(item) || typeof item['fileid'] !== 'string') throw new ApiError('INVALID_PARAM', 'each item needs a fileid');
      const fileID = item['fileid'];
      let maxAge = DEFAULT_TEMP_URL_MAX_AGE_S;
      const m = item['max_age'];
      if (m !== undefined && m !== null) {
        if (typeof m !== 'number' || !Number.isFinite(m) || m <= 0) throw new ApiError('INVALID_PARAM', 'maxAge must be a positive number of seconds');
        maxAge = Math.min(Math.floor(m), MAX_TEMP_URL_MAX_AGE_S);
      }
      const cloudPath = this.parseFileId(fileID);
      const file = cloudPath === null ? null : await this.stat(cloudPath);
      if (!file) {
        out.push({ fileID, tempFileURL: '', code: 'STORAGE_FILE_NONEXIST', message: 'storage file not exists', maxAge });
      } else {
        out.push({ fileID, tempFileURL: this.tempUrl(file.cloudPath, maxAge), code: 'SUCCESS', maxAge });
      }
    }
    return { download_list: out };
  }

  /** storage.batchDeleteFile { fileid_list } (deleteFile). */
  async batchDeleteFile(params: Record<string, unknown>): Promise<{ delete_list: unknown[] }> {
    const list = params['fileid_list'];
    if (!Array.isArray(list) || list.length === 0) throw new ApiError('INVALID_PARAM', 'fileid_list must be a non-empty array');
    if (list.length > MAX_FILE_IDS_PER_CALL) {
      throw new ApiError('INVALID_PARAM', `at most ${MAX_FILE_IDS_PER_CALL} files a call (got ${list.length})`);
    }
    const out: unknown[] = [];
    for (const fileID of list) {
      if (typeof fileID !== 'string') throw new ApiError('INVALID_PARAM', 'each file ID must be a string');
      const cloudPath = this.parseFileId(fileID);
      const deleted = cloudPath !== null && (await this.delete(cloudPath));
      out.push(deleted ? { fileID, code: 'SUCCESS' } : { fileID, code: 'STORAGE_FILE_NONEXIST', message: 'storage file not exists' });
    }
    return { delete_list: out };
  }
}
