/**
 * The newcomer's walk-through, scripted over `npm start`'s demo data through the HTTP face only:
 * a demo worker registers for the open culture competition and submits one entry of each type.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { ROOT } from '../harness';
import { must, useStartedCloud } from './process';

const started = useStartedCloud('journey');
const WHO = 'demo-worker-wang';

const ok = <T = Record<string, unknown>>(action: string, payload: unknown): Promise<T> => must<T>(started().url, WHO, action, payload);

async function upload(entryId: string, purpose: string, ext: string, bytes: Buffer): Promise<string> {
  const t = await ok<{ uploadId: string; cloudPath: string }>('uploads.ticket', { entryId, purpose, ext, size: bytes.length });
  const form = new FormData();
  form.append('cloudPath', t.cloudPath);
  form.append('file', new Blob([new Uint8Array(bytes)]), `upload.${ext}`);
  const res = await fetch(`${started().url}/storage/upload`, { method: 'POST', body: form, headers: { 'X-Local-Openid': WHO } });
  const { fileID } = (await res.json()) as { fileID: string };
  await ok('uploads.confirm', { uploadId: t.uploadId, fileID });
  return t.uploadId;
}

it('registers a demo worker and submits an essay, photos and a micro-video', async () => {
  const home = await ok<{ open: { id: string; next: string }[] }>('home.get', {});
  expect(home.open.find((a) => a.id === 'act_culture_2022')?.next).toBe('register');

  const reg = await ok<{ registration: { state: string } }>('registrations.create', { activityId: 'act_culture_2022', tracks: ['essay', 'photo', 'video'], answers: [] });
  expect(reg.registration.state).toBe('confirmed');

  const essay = await ok<{ id: string; code: string }>('entries.open', { activityId: 'act_culture_2022', trackId: 'essay' });
  await ok('entries.saveDraft', { entryId: essay.id, content: { kind: 'essay', title: '纺车声里的春天', text: '我在车间度过的每一个清晨，都伴着纺车的声音。'.repeat(50) } });
  expect(await ok('entries.submit', { entryId: essay.id })).toMatchObject({ state: 'submitted', moderation: 'approved' });

  const photo = await ok<{ id: string }>('entries.open', { activityId: 'act_culture_2022', trackId: 'photo' });
  const jpg = readFileSync(join(ROOT, 'test/fixtures/media/photo-clean.jpg'));
  const photos = [await upload(photo.id, 'photo', 'jpg', jpg), await upload(photo.id, 'photo', 'jpg', jpg)];
  await ok('entries.saveDraft', { entryId: photo.id, content: { kind: 'photo', title: '机器旁的笑脸', photos: photos.map((uploadId, i) => ({ uploadId, caption: `第 ${i + 1} 幅` })) } });
  expect(await ok('entries.submit', { entryId: photo.id })).toMatchObject({ state: 'submitted', moderation: 'pending' });

  const video = await ok<{ id: string }>('entries.open', { activityId: 'act_culture_2022', trackId: 'video' });
  const mp4 = Buffer.concat([Buffer.from([0, 0, 0, 0x20, 0x66, 0x74, 0x79, 0x70, 0x6d, 0x70, 0x34, 0x32]), Buffer.alloc(8192, 1)]);
  const videoId = await upload(video.id, 'video', 'mp4', mp4);
  const coverId = await upload(video.id, 'cover', 'jpg', jpg);
  await ok('entries.saveDraft', { entryId: video.id, content: { kind: 'video', title: '车间的一天', description: '记录一线职工的一天', videoUploadId: videoId, coverUploadId: coverId, seconds: 120 } });
  expect(await ok('entries.submit', { entryId: video.id })).toMatchObject({ state: 'submitted', moderation: 'review' });

  const mine = await ok<{ items: { code: string; state: string }[] }>('entries.mine', {});
  expect(mine.items.map((e) => e.code).sort()).toEqual(['SP-2022-0001', 'SY-2022-0001', 'ZW-2022-0013']);
  expect(mine.items.every((e) => e.state === 'submitted')).toBe(true);
});
