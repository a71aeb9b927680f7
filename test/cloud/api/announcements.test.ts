/**
 * Staff reading one announcement for the editor, and announcement images: server-issued paths,
 * a confirmation that reads the file back, and a save that accepts only confirmed images.
 */
import { COLLECTIONS, DAY, LIMITS, type Result } from '../../../miniprogram/core';
import { data, media, startHarness, type Harness } from '../harness';

let h: Harness;
const STAFF = 'demo-staff-chen';
const ADMIN = 'demo-admin';
const LI = 'demo-worker-li';

beforeAll(async () => {
  h = await startHarness();
  await h.api(ADMIN, 'profile.consent', { version: '2026-11' });
});
afterAll(() => h.stop());

const base = (over: Record<string, unknown> = {}) => ({
  category: 'notice' as const,
  title: '职工书画展开幕通知',
  body: '第一段：展览时间。\n\n第二段：展览地点。',
  images: [] as string[],
  pinned: false,
  activityId: null as string | null,
  publishAt: h.cloud.clock.now(),
  ...over,
});

/** A ticket, the file put at its path, and a confirm to call. */
async function uploaded(bytes: Buffer, opts: { announcementId?: string; ext?: 'jpg' | 'png'; declared?: number } = {}) {
  const ticket = data(
    await h.api(STAFF, 'announcements.imageTicket', {
      ...(opts.announcementId ? { announcementId: opts.announcementId } : {}),
      ext: opts.ext ?? 'jpg',
      size: opts.declared ?? bytes.length,
    }),
  );
  const up = await h.upload(STAFF, ticket.cloudPath, bytes);
  expect(up.status).toBe(200);
  const fileID = (up.json as { fileID: string }).fileID;
  return { ticket, fileID, confirm: () => h.api(STAFF, 'announcements.imageConfirm', { ticketId: ticket.ticketId, fileID }) };
}

/** Everything a refused call could have touched. */
async function state() {
  return JSON.stringify([await h.cloud.engine.find(COLLECTIONS.announcements), await h.cloud.engine.find(COLLECTIONS.announcementImages)]);
}

describe('announcements.get', () => {
  it('gives staff a scheduled announcement in full, with its activity title, without counting a read', async () => {
    const now = h.cloud.clock.now();
    const { id } = data(await h.api(STAFF, 'announcements.save', base({ title: '下周开课通知', activityId: 'act_culture_2022', publishAt: now + DAY, pinned: true })));
    // Workers cannot see it yet.
    expect(await h.api(LI, 'announcements.detail', { id })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    const a = data(await h.api(STAFF, 'announcements.get', { id })).announcement;
    expect(a).toMatchObject({
      id,
      category: 'notice',
      title: '下周开课通知',
      body: '第一段：展览时间。\n\n第二段：展览地点。',
      images: [],
      pinned: true,
      activityId: 'act_culture_2022',
      publishAt: now + DAY,
      withdrawn: false,
      reads: 0,
      state: 'scheduled',
    });
    expect(a.activityTitle).not.toBe('');
    data(await h.api(STAFF, 'announcements.get', { id }));
    expect((await h.cloud.engine.find(COLLECTIONS.announcements, { _id: id }))[0]).toMatchObject({ reads: 0 });
  });

  it('gives staff a withdrawn announcement, marked withdrawn, and refuses to edit it', async () => {
    const { id } = data(await h.api(STAFF, 'announcements.save', base({ title: '将要撤回的通知' })));
    data(await h.api(STAFF, 'announcements.withdraw', { id }));
    expect(data(await h.api(STAFF, 'announcements.get', { id })).announcement).toMatchObject({ withdrawn: true, state: 'withdrawn', title: '将要撤回的通知' });
    const before = await state();
    expect(await h.api(STAFF, 'announcements.save', base({ id, title: '改过的通知' }))).toMatchObject({ ok: false, code: 'INVALID_STATE' });
    expect(await h.api(STAFF, 'announcements.imageTicket', { announcementId: id, ext: 'jpg', size: 1000 })).toMatchObject({ ok: false, code: 'INVALID_STATE' });
    expect(await state()).toBe(before);
  });

  it('refuses workers and unknown ids, and the refusals change nothing', async () => {
    const before = await state();
    expect(await h.api(LI, 'announcements.get', { id: 'ann_culture_notice' })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await h.api(null, 'announcements.get', { id: 'ann_culture_notice' })).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
    expect(await h.api(STAFF, 'announcements.get', { id: 'ann_nope' })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await h.api(LI, 'announcements.imageTicket', { ext: 'jpg', size: 1000 })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await state()).toBe(before);
  });
});

describe('announcement images', () => {
  it('reserves an id for a new announcement, stores its images under it, and shows them to workers in order', async () => {
    const a = await uploaded(media('photo-clean.jpg'));
    expect(a.ticket.announcementId).toMatch(/^ann_/);
    expect(a.ticket.cloudPath).toMatch(new RegExp(`^announcements/${a.ticket.announcementId}/[A-Za-z0-9_-]+\\.jpg$`));
    expect(a.ticket.maxBytes).toBe(LIMITS.announcementImageMaxBytes);
    const id = a.ticket.announcementId;
    const b = await uploaded(media('photo-clean.jpg'), { announcementId: id });
    expect(b.ticket.cloudPath.startsWith(`announcements/${id}/`)).toBe(true);
    expect(data(await a.confirm())).toMatchObject({ fileID: a.fileID, size: media('photo-clean.jpg').length });
    data(await b.confirm());
    // Confirming again answers the same (a retried call after a lost answer).
    expect(data(await a.confirm()).fileID).toBe(a.fileID);

    expect(data(await h.api(STAFF, 'announcements.save', base({ id, images: [b.fileID, a.fileID] }))).id).toBe(id);
    const staffView = data(await h.api(STAFF, 'announcements.get', { id })).announcement;
    expect(staffView.images.map((x) => x.fileID)).toEqual([b.fileID, a.fileID]);
    expect(staffView.images.every((x) => x.url.startsWith('http'))).toBe(true);
    const worker = data(await h.api(LI, 'announcements.detail', { id })).announcement;
    expect(worker.images).toHaveLength(2);
    expect(worker.body).toBe('第一段：展览时间。\n\n第二段：展览地点。');
    const img = await fetch(worker.images[0]!);
    expect(img.status).toBe(200);

    // Reordered and one removed on a later edit; the kept one needs no new confirmation.
    data(await h.api(STAFF, 'announcements.save', base({ id, images: [a.fileID] })));
    expect(data(await h.api(LI, 'announcements.detail', { id })).announcement.images).toHaveLength(1);
  });

  it('refuses a declared size over the limit and a type that is not an image, before issuing anything', async () => {
    const before = await state();
    const big = await h.api(STAFF, 'announcements.imageTicket', { ext: 'jpg', size: LIMITS.announcementImageMaxBytes + 1 });
    expect(big).toMatchObject({ ok: false, code: 'FILE_REJECTED', field: 'payload.size' });
    expect((big as Result<never> & { message: string }).message).toContain('5MB');
    expect(await h.api(STAFF, 'announcements.imageTicket', { ext: 'mp4' as 'jpg', size: 1000 })).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD' });
    expect(await h.api(STAFF, 'announcements.imageTicket', { announcementId: 'ann_never_issued', ext: 'jpg', size: 1000 })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await state()).toBe(before);
  });

  it('refuses a file that is not what its ticket says: wrong type, too big, GPS inside', async () => {
    const text = await uploaded(Buffer.from('这不是图片，是一段文字。'.repeat(20)));
    expect(await text.confirm()).toMatchObject({ ok: false, code: 'FILE_REJECTED', message: '文件不是有效的图片' });
    const png = await uploaded(media('photo-clean.jpg'), { ext: 'png' });
    expect(await png.confirm()).toMatchObject({ ok: false, code: 'FILE_REJECTED' });
    // Declared small, arrives big: the server measures what arrived.
    const huge = Buffer.concat([media('photo-clean.jpg'), Buffer.alloc(LIMITS.announcementImageMaxBytes)]);
    const big = await uploaded(huge, { declared: 1000 });
    const r = await big.confirm();
    expect(r).toMatchObject({ ok: false, code: 'FILE_REJECTED' });
    expect((r as { message: string }).message).toContain('图片太大');
    const gps = await uploaded(media('photo-with-gps.jpg'));
    expect(await gps.confirm()).toMatchObject({ ok: false, code: 'FILE_REJECTED' });
    // A refused ticket is spent, and its file cannot go into an announcement.
    expect(await gps.confirm()).toMatchObject({ ok: false, code: 'INVALID_STATE' });
    const save = await h.api(STAFF, 'announcements.save', base({ id: gps.ticket.announcementId, images: [gps.fileID] }));
    expect(save).toMatchObject({ ok: false, code: 'FILE_REJECTED', field: 'payload.images' });
  });

  it('refuses a file put at a path no ticket issued, and changes nothing', async () => {
    const t = data(await h.api(STAFF, 'announcements.imageTicket', { announcementId: 'ann_culture_notice', ext: 'jpg', size: 1000 }));
    const up = await h.upload(STAFF, 'announcements/ann_culture_notice/chosen-by-the-phone.jpg', media('photo-clean.jpg'));
    const fileID = (up.json as { fileID: string }).fileID;
    const before = await state();
    expect(await h.api(STAFF, 'announcements.imageConfirm', { ticketId: t.ticketId, fileID })).toMatchObject({ ok: false, code: 'FILE_REJECTED', field: 'payload.fileID' });
    expect(await h.api(STAFF, 'announcements.imageConfirm', { ticketId: 'aimg_nope', fileID })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    // Nor can a save slip it in without a confirmation.
    const save = await h.api(STAFF, 'announcements.save', base({ id: 'ann_culture_notice', images: [fileID] }));
    expect(save).toMatchObject({ ok: false, code: 'FILE_REJECTED' });
    expect(await state()).toBe(before);
  });

  it("refuses another announcement's image and a not-yet-confirmed one in a save", async () => {
    const other = await uploaded(media('photo-clean.jpg'));
    data(await other.confirm());
    const mine = await uploaded(media('photo-clean.jpg'), { announcementId: 'ann_culture_notice' });
    const before = await state();
    expect(await h.api(STAFF, 'announcements.save', base({ id: 'ann_culture_notice', images: [other.fileID] }))).toMatchObject({ ok: false, code: 'FILE_REJECTED' });
    expect(await h.api(STAFF, 'announcements.save', base({ id: 'ann_culture_notice', images: [mine.fileID] }))).toMatchObject({ ok: false, code: 'FILE_REJECTED' });
    // An id nobody reserved is not a new announcement's.
    expect(await h.api(STAFF, 'announcements.save', base({ id: 'ann_made_up_by_the_app' }))).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await state()).toBe(before);
  });
});

describe('announcements.list paging', () => {
  it('neither skips nor repeats announcements published at the same moment across a page boundary', async () => {
    const at = Date.UTC(2031, 0, 1, 1);
    const same = Array.from({ length: LIMITS.pageSize + 5 }, (_, i) => ({
      _id: `ann_same_${String(i).padStart(2, '0')}`, category: 'notice', title: `同一时刻 ${i}`, body: '正文', images: [], pinned: false,
      publishAt: at, activityId: null, withdrawn: false, reads: 0, createdAt: at, updatedAt: at, createdBy: 'u_x',
    }));
    await h.cloud.engine.insertMany(COLLECTIONS.announcements, same);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const r = data(await h.api(STAFF, 'announcements.list', cursor ? { cursor } : {}));
      seen.push(...r.items.map((a) => a.id).filter((id) => id.startsWith('ann_same_')));
      if (!r.next) break;
      cursor = r.next;
    }
    expect(seen).toHaveLength(same.length);
    expect(new Set(seen).size).toBe(same.length);
    expect(await h.api(STAFF, 'announcements.list', { cursor: String(at) })).toMatchObject({ ok: false, field: 'payload.cursor' });
  });
});
