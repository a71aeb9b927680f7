/**
 * A worker's entries, end to end through the local cloud: drafts, server-issued upload paths,
 * uploads to local storage, the server's own check of each file, submission, moderation, and the
 * verdict pushed to `events`.
 */
import { COLLECTIONS, DAY } from '../../../miniprogram/core';
import { data, media, startHarness, type Harness } from '../harness';

let h: Harness;
const LI = 'demo-worker-li';
const WANG = 'demo-worker-wang';
const ESSAY = '职工'.repeat(450);
const mp4 = Buffer.concat([Buffer.from([0, 0, 0, 0x20, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d]), Buffer.alloc(4096, 7)]);

beforeAll(async () => {
  h = await startHarness();
  for (const who of [LI, WANG]) {
    data(await h.api(who, 'registrations.create', { activityId: 'act_culture_2022', tracks: ['essay', 'photo', 'video'], answers: [] }));
  }
  await h.control('moderation', { delayMs: 60_000 });
});
afterAll(() => h.stop());

async function uploadFile(who: string, entryId: string, purpose: 'photo' | 'video' | 'cover', ext: 'jpg' | 'png' | 'mp4', bytes: Buffer) {
  const ticket = data(await h.api(who, 'uploads.ticket', { entryId, purpose, ext, size: bytes.length }));
  const up = await h.upload(who, ticket.cloudPath, bytes);
  expect(up.status).toBe(200);
  const fileID = (up.json as { fileID: string }).fileID;
  return { ticket, fileID, confirm: () => h.api(who, 'uploads.confirm', { uploadId: ticket.uploadId, fileID }) };
}

describe('an essay', () => {
  let entryId = '';

  it('opens with a blind code and an empty draft', async () => {
    const e = data(await h.api(LI, 'entries.open', { activityId: 'act_culture_2022', trackId: 'essay' }));
    expect(e.code).toBe('ZW-2022-0013');
    expect(e.state).toBe('draft');
    expect(e.id).not.toContain(LI);
    entryId = e.id;
  });

  it('numbers the next author\'s entry in the same track', async () => {
    const e = data(await h.api(WANG, 'entries.open', { activityId: 'act_culture_2022', trackId: 'essay' }));
    expect(e.code).toBe('ZW-2022-0014');
  });

  it('keeps a draft on the server', async () => {
    data(await h.api(LI, 'entries.saveDraft', { entryId, content: { kind: 'essay', title: '我的岗位', text: '未完成' } }));
    const e = data(await h.api(LI, 'entries.get', { entryId }));
    expect(e.draft).toEqual({ kind: 'essay', title: '我的岗位', text: '未完成' });
  });

  it('refuses to submit an essay under the minimum and changes nothing', async () => {
    const r = await h.api(LI, 'entries.submit', { entryId });
    expect(r).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD' });
    if (!r.ok) expect(r.message).toContain('至少需要 800 字');
    expect(data(await h.api(LI, 'entries.get', { entryId })).state).toBe('draft');
  });

  it('refuses a draft over the maximum', async () => {
    const r = await h.api(LI, 'entries.saveDraft', { entryId, content: { kind: 'essay', title: 't', text: '字'.repeat(5001) } });
    expect(r).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD' });
  });

  it('refuses content of another track\'s kind', async () => {
    const r = await h.api(LI, 'entries.saveDraft', { entryId, content: { kind: 'photo', title: 't', photos: [] } });
    expect(r).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD' });
  });

  it('submits a long essay, checked in pieces of at most 2500 characters', async () => {
    const long = '劳动创造美好生活。'.repeat(500);
    data(await h.api(LI, 'entries.saveDraft', { entryId, content: { kind: 'essay', title: '我的岗位', text: long.slice(0, 4900) } }));
    const e = data(await h.api(LI, 'entries.submit', { entryId }));
    expect(e).toMatchObject({ state: 'submitted', version: 1, moderation: 'approved', unsubmittedChanges: false });
  });

  it('refuses an essay the text check finds risky, keeping the last version', async () => {
    await h.control('moderation', { bannedWords: ['违禁测试'] });
    data(await h.api(LI, 'entries.saveDraft', { entryId, content: { kind: 'essay', title: '我的岗位', text: ESSAY + '违禁测试' } }));
    expect(await h.api(LI, 'entries.submit', { entryId })).toMatchObject({ ok: false, code: 'CONTENT_RISKY' });
    const e = data(await h.api(LI, 'entries.get', { entryId }));
    expect(e).toMatchObject({ version: 1, state: 'submitted', unsubmittedChanges: true });
  });

  it('replaces the submission with a new version until the deadline', async () => {
    data(await h.api(LI, 'entries.saveDraft', { entryId, content: { kind: 'essay', title: '我的岗位（修改）', text: ESSAY } }));
    expect(data(await h.api(LI, 'entries.submit', { entryId })).version).toBe(2);
  });

  it('refuses a submission after the deadline', async () => {
    await h.control('clock', { offsetMs: 30 * DAY });
    try {
      expect(await h.api(LI, 'entries.submit', { entryId })).toMatchObject({ ok: false, code: 'CLOSED' });
      expect(await h.api(LI, 'entries.withdraw', { entryId })).toMatchObject({ ok: false, code: 'CLOSED' });
    } finally {
      await h.control('clock', { offsetMs: 0 });
    }
  });

  it('shows another worker\'s entry as not found', async () => {
    expect(await h.api(WANG, 'entries.get', { entryId })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });

  it('refuses an entry for a track the worker did not register for', async () => {
    await h.api('demo-judge-zhao', 'registrations.create', { activityId: 'act_culture_2022', tracks: ['photo'], answers: [] });
    expect(await h.api('demo-judge-zhao', 'entries.open', { activityId: 'act_culture_2022', trackId: 'essay' })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });
});

describe('photos', () => {
  let entryId = '';
  beforeAll(async () => {
    entryId = data(await h.api(LI, 'entries.open', { activityId: 'act_culture_2022', trackId: 'photo' })).id;
  });

  it('issues upload paths under the entry code, never the worker', async () => {
    const t = data(await h.api(LI, 'uploads.ticket', { entryId, purpose: 'photo', ext: 'jpg', size: 1000 }));
    expect(t.cloudPath).toMatch(/^entries\/act_culture_2022\/SY-2022-0001\/[\w-]+\.jpg$/);
  });

  it('refuses a file over the track\'s size before it is uploaded', async () => {
    const r = await h.api(LI, 'uploads.ticket', { entryId, purpose: 'photo', ext: 'jpg', size: 11 * 1024 * 1024 });
    expect(r).toMatchObject({ ok: false, code: 'FILE_REJECTED' });
  });

  it('refuses a video ticket for a photo track', async () => {
    expect(await h.api(LI, 'uploads.ticket', { entryId, purpose: 'video', ext: 'mp4', size: 1000 })).toMatchObject({ ok: false, code: 'FILE_REJECTED' });
  });

  it('refuses a JPEG that still carries GPS data', async () => {
    const f = await uploadFile(LI, entryId, 'photo', 'jpg', media('photo-with-gps.jpg'));
    const r = await f.confirm();
    expect(r).toMatchObject({ ok: false, code: 'FILE_REJECTED' });
    if (!r.ok) expect(r.message).toContain('GPS');
  });

  it('refuses a text file uploaded as a JPEG', async () => {
    const f = await uploadFile(LI, entryId, 'photo', 'jpg', Buffer.from('<script>alert(1)</script>'));
    expect(await f.confirm()).toMatchObject({ ok: false, code: 'FILE_REJECTED' });
  });

  it('refuses a file ID issued to someone else', async () => {
    const wangEntry = data(await h.api(WANG, 'entries.open', { activityId: 'act_culture_2022', trackId: 'photo' })).id;
    const theirs = await uploadFile(WANG, wangEntry, 'photo', 'jpg', media('photo-clean.jpg'));
    data(await theirs.confirm());
    const mine = data(await h.api(LI, 'uploads.ticket', { entryId, purpose: 'photo', ext: 'jpg', size: 200 }));
    expect(await h.api(LI, 'uploads.confirm', { uploadId: mine.uploadId, fileID: theirs.fileID })).toMatchObject({ ok: false, code: 'FILE_REJECTED' });
    expect(await h.api(LI, 'uploads.confirm', { uploadId: theirs.ticket.uploadId, fileID: theirs.fileID })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    const r = await h.api(LI, 'entries.saveDraft', { entryId, content: { kind: 'photo', title: '借用', photos: [{ uploadId: theirs.ticket.uploadId, caption: '' }] } });
    expect(r).toMatchObject({ ok: false, code: 'FILE_REJECTED' });
  });

  it('submits clean photos, pending until the image check answers, then approved', async () => {
    const a = await uploadFile(LI, entryId, 'photo', 'jpg', media('photo-clean.jpg'));
    const b = await uploadFile(LI, entryId, 'photo', 'jpg', media('photo-clean.jpg'));
    data(await a.confirm());
    data(await b.confirm());
    const content = { kind: 'photo' as const, title: '一线', photos: [{ uploadId: a.ticket.uploadId, caption: '清晨' }, { uploadId: b.ticket.uploadId, caption: '午后' }] };
    data(await h.api(LI, 'entries.saveDraft', { entryId, content }));
    const e = data(await h.api(LI, 'entries.submit', { entryId }));
    expect(e.moderation).toBe('pending');
    expect(e.media).toHaveLength(2);
    expect(e.media[0]?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/storage\//);
    await h.control('moderation/flush', {});
    expect(data(await h.api(LI, 'entries.get', { entryId })).moderation).toBe('approved');
  });
});

describe('a micro-video', () => {
  it('waits for staff review after submission', async () => {
    const entryId = data(await h.api(LI, 'entries.open', { activityId: 'act_culture_2022', trackId: 'video' })).id;
    const v = await uploadFile(LI, entryId, 'video', 'mp4', mp4);
    const c = await uploadFile(LI, entryId, 'cover', 'png', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64)]));
    data(await v.confirm());
    data(await c.confirm());
    data(await h.api(LI, 'entries.saveDraft', { entryId, content: { kind: 'video', title: '车间的一天', description: '', videoUploadId: v.ticket.uploadId, coverUploadId: c.ticket.uploadId, seconds: 95 } }));
    expect(data(await h.api(LI, 'entries.submit', { entryId })).moderation).toBe('review');
  });

  it('lists my entries', async () => {
    const mine = data(await h.api(LI, 'entries.mine', {}));
    expect(mine.items.map((e) => e.code).sort()).toEqual(['SP-2022-0001', 'SY-2022-0001', 'ZW-2022-0013']);
  });
});

describe('who may push verdicts', () => {
  it('refuses a client posing as the media-check push', async () => {
    const r = await h.raw('/functions/events', JSON.stringify({ MsgType: 'event', Event: 'wxa_media_check', trace_id: 'x', result: { suggest: 'pass' } }), { 'X-Local-Openid': LI });
    expect(r.json).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });

  it('refuses a client calling the timer function', async () => {
    const r = await h.raw('/functions/cron', '{}', { 'X-Local-Openid': LI });
    expect(r.json).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });

  it('lets the timer expire unused upload tickets and delete their files', async () => {
    const entries = await h.cloud.engine.find(COLLECTIONS.entries, { code: 'SY-2022-0001' });
    const t = await uploadFile(LI, String(entries[0]!._id), 'photo', 'jpg', media('photo-clean.jpg'));
    expect(await h.cloud.store.stat(t.ticket.cloudPath)).not.toBeNull();
    await h.control('clock', { offsetMs: 2 * DAY });
    try {
      await h.control('timer/cron', {});
      const [u] = await h.cloud.engine.find(COLLECTIONS.uploads, { _id: t.ticket.uploadId });
      expect(u?.state).toBe('deleted');
      expect(await h.cloud.store.stat(t.ticket.cloudPath)).toBeNull();
    } finally {
      await h.control('clock', { offsetMs: 0 });
    }
  });
});
