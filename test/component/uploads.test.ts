/**
 * The upload queue on its own, driven by the typed fake cloud: ticket → upload → confirm per
 * file, the state of each file as the editor shows it, retries with a new ticket.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- the queue must come from the same module registry as the client */
import { join } from 'node:path';
import type { Delivery, UploadRequest } from '../../miniprogram/services/transport';
import type { UploadItem, UploadQueue as Queue } from '../../miniprogram/services/uploads';
import { FakeCloud, ok } from './fake-transport';
import { APP_ROOT, freshClient, settle } from './load';

type QueueClass = new (entryId: string, options?: { concurrency?: number; onChange?: (i: UploadItem) => void; progressIntervalMs?: number; autoRetries?: number; retryDelayMs?: number }) => Queue;

function queueWith(cloud: FakeCloud, options: { concurrency?: number; progressIntervalMs?: number; autoRetries?: number; retryDelayMs?: number } = {}) {
  const client = freshClient();
  client.setTransport(cloud);
  const { UploadQueue } = require(join(APP_ROOT, 'services/uploads')) as { UploadQueue: QueueClass };
  const changes: UploadItem[] = [];
  const queue = new UploadQueue('ent_1', { ...options, onChange: (i) => changes.push(i) });
  return { queue, changes };
}

/** Tickets numbered t1, t2… with paths under the entry code. */
function tickets(cloud: FakeCloud): FakeCloud {
  let n = 0;
  return cloud
    .on('uploads.ticket', () => {
      n += 1;
      return ok({ uploadId: `t${n}`, cloudPath: `entries/act/SY-2026-0003/f${n}.jpg`, expiresAt: 0, maxBytes: 1000 });
    })
    .on('uploads.confirm', (p) => ok({ uploadId: p.uploadId, size: 1000, url: `http://cdn/${p.uploadId}.jpg` }));
}

const stored = (req: UploadRequest): Delivery => ({ delivered: true, status: 200, body: { fileID: `cloud://local.env/${req.cloudPath}` } });
const photo = (name = 'a.jpg') => ({ localPath: `/tmp/${name}`, purpose: 'photo' as const, ext: 'jpg' as const, size: 1000 });

describe('upload queue', () => {
  test('takes a file through ticket, upload and the server check, with its state at each step', async () => {
    const cloud = tickets(new FakeCloud()).onUpload(async (req) => {
      req.onProgress({ progress: 50, sent: 500, total: 1000 });
      return stored(req);
    });
    const { queue, changes } = queueWith(cloud, { progressIntervalMs: 0 });
    const added = queue.add(photo());
    // A free slot: it starts at once.
    expect(added.status).toBe('uploading');
    await queue.idle();

    expect(changes.map((c) => (c.status === 'uploading' ? `uploading ${c.progress}%` : c.status))).toEqual(['uploading 0%', 'uploading 50%', 'checking', 'done']);
    expect(cloud.callsOf('uploads.ticket')).toEqual([{ entryId: 'ent_1', purpose: 'photo', ext: 'jpg', size: 1000 }]);
    expect(cloud.callsOf('uploads.confirm')).toEqual([{ uploadId: 't1', fileID: 'cloud://local.env/entries/act/SY-2026-0003/f1.jpg' }]);
    expect(queue.get(added.key)).toMatchObject({ status: 'done', uploadId: 't1', url: 'http://cdn/t1.jpg', attempts: 1 });
  });

  test('reports progress no faster than the screen can take it', async () => {
    const cloud = tickets(new FakeCloud()).onUpload(async (req) => {
      for (let p = 1; p <= 100; p++) req.onProgress({ progress: p, sent: p * 10, total: 1000 });
      return stored(req);
    });
    const { queue, changes } = queueWith(cloud, { progressIntervalMs: 60_000 });
    queue.add(photo());
    await queue.idle();
    // A hundred progress events in an instant: the start and the end reach the page.
    expect(changes.filter((c) => c.status === 'uploading').map((c) => c.progress)).toEqual([0, 5, 100]);
  });

  test('retries a failed upload with a new ticket, keeping the files already uploaded', async () => {
    let drops = 1;
    const uploaded: string[] = [];
    const cloud = tickets(new FakeCloud()).onUpload(async (req) => {
      if (req.localPath.endsWith('b.jpg') && drops-- > 0) return { delivered: false, code: 'NETWORK', detail: 'uploadFile:fail socket hang up' };
      uploaded.push(req.localPath);
      return stored(req);
    });
    const { queue } = queueWith(cloud, { autoRetries: 0 });
    const a = queue.add(photo('a.jpg'));
    const b = queue.add(photo('b.jpg'));
    await queue.idle();
    expect(queue.get(a.key)).toMatchObject({ status: 'done', uploadId: 't1' });
    expect(queue.get(b.key)).toMatchObject({ status: 'failed', message: '网络不稳定，请检查网络后重试', retryable: true });

    expect(queue.retry(b.key)).toBe(true);
    await queue.idle();
    expect(queue.get(b.key)).toMatchObject({ status: 'done', uploadId: 't3', attempts: 2 });
    expect(queue.get(a.key)).toMatchObject({ status: 'done', uploadId: 't1', attempts: 1 });
    expect(cloud.callsOf('uploads.ticket')).toHaveLength(3);
    expect(uploaded).toEqual(['/tmp/a.jpg', '/tmp/b.jpg']);
    // Only failed files are retried.
    expect(queue.retry(a.key)).toBe(false);
  });

  test('retries a dropped upload once by itself, with a new ticket, then leaves it to the worker', async () => {
    let drops = 3;
    const cloud = tickets(new FakeCloud()).onUpload(async (req) => (drops-- > 0 ? { delivered: false, code: 'NETWORK', detail: 'dropped' } : stored(req)));
    const { queue, changes } = queueWith(cloud, { retryDelayMs: 5 });
    const a = queue.add(photo());
    await queue.idle();
    expect(changes.map((c) => c.status)).toEqual(['uploading', 'waiting', 'uploading', 'failed']);
    expect(changes[1]?.message).toBe('上传中断，稍后自动重新上传…');
    expect(queue.get(a.key)).toMatchObject({ status: 'failed', attempts: 2 });

    // The worker's retry gets its own automatic retry: dropped once more, then through.
    queue.retry(a.key);
    await queue.idle();
    expect(queue.get(a.key)).toMatchObject({ status: 'done', uploadId: 't4', attempts: 4 });
    expect(cloud.callsOf('uploads.ticket')).toHaveLength(4);
  });

  test('says why a file failed, and whether trying again can help', async () => {
    const cloud = new FakeCloud()
      .refuse('uploads.ticket', 'FILE_REJECTED', '文件太大（11MB），不能超过 10MB', 'payload.size')
      .on('uploads.ticket', ok({ uploadId: 't2', cloudPath: 'entries/x/f.jpg', expiresAt: 0, maxBytes: 1 }))
      .refuse('uploads.confirm', 'FILE_REJECTED', '照片含有位置信息（GPS），请重新选择，小程序会自动去除')
      .onUpload(async (req) => stored(req));
    const { queue } = queueWith(cloud, { concurrency: 1 });
    const big = queue.add(photo('big.jpg'));
    const gps = queue.add(photo('gps.jpg'));
    await queue.idle();
    expect(queue.get(big.key)).toMatchObject({ status: 'failed', message: '文件太大（11MB），不能超过 10MB', retryable: false });
    expect(queue.get(gps.key)).toMatchObject({ status: 'failed', message: '照片含有位置信息（GPS），请重新选择，小程序会自动去除', retryable: false });
  });

  test('uploads two files at a time', async () => {
    let inFlight = 0;
    let most = 0;
    const cloud = tickets(new FakeCloud()).onUpload(async (req) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await settle(2);
      inFlight--;
      return stored(req);
    });
    const { queue } = queueWith(cloud);
    for (const n of ['1', '2', '3', '4', '5']) queue.add(photo(`${n}.jpg`));
    expect(queue.busy()).toBe(true);
    await queue.idle();
    expect(most).toBe(2);
    expect(queue.list().every((x) => x.status === 'done')).toBe(true);
  });

  test('forgets a file removed in the middle of its upload', async () => {
    let release: () => void = () => undefined;
    const cloud = tickets(new FakeCloud()).onUpload((req) => new Promise((r) => (release = () => r(stored(req)))));
    const { queue, changes } = queueWith(cloud);
    const a = queue.add(photo());
    await settle();
    expect(queue.get(a.key)?.status).toBe('uploading');
    queue.remove(a.key);
    expect(queue.busy()).toBe(false);
    await queue.idle();
    const seen = changes.length;
    release();
    await settle();
    expect(changes).toHaveLength(seen);
    expect(cloud.callsOf('uploads.confirm')).toHaveLength(0);
  });
});
