/**
 * The timer's clean-up of announcement image files nobody shows: unused tickets (a day after they
 * expired, whatever file sits at the path), files refused at confirm, confirmed files never saved
 * into their announcement (or whose announcement was never saved), and files a later edit dropped
 * (a day after confirmation, refusal or removal). Files an announcement shows stay, withdrawn ones
 * included, and a second tick changes nothing.
 */
import { COLLECTIONS, DAY, HOUR } from '../../../miniprogram/core';
import { data, media, startHarness, type Harness } from '../harness';

let h: Harness;
const STAFF = 'demo-staff-chen';
const MIN = 60_000;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.control('clock', { offsetMs: 0 });
  await h.stop();
});

const base = (over: Record<string, unknown> = {}) => ({
  category: 'notice' as const,
  title: '职工书画展开幕通知',
  body: '展览时间与地点。',
  images: [] as string[],
  pinned: false,
  activityId: null as string | null,
  publishAt: h.cloud.clock.now(),
  ...over,
});

interface Img {
  ticketId: string;
  announcementId: string;
  cloudPath: string;
  fileID: string;
}

/** A ticket and, unless `put` is false, a file at its path; confirmed unless `confirm` is false. */
async function image(opts: { announcementId?: string; bytes?: Buffer; put?: boolean; confirm?: boolean } = {}): Promise<Img> {
  const bytes = opts.bytes ?? media('photo-clean.jpg');
  const t = data(await h.api(STAFF, 'announcements.imageTicket', { ...(opts.announcementId ? { announcementId: opts.announcementId } : {}), ext: 'jpg', size: bytes.length }));
  let fileID = '';
  if (opts.put !== false) {
    const up = await h.upload(STAFF, t.cloudPath, bytes);
    expect(up.status).toBe(200);
    fileID = (up.json as { fileID: string }).fileID;
  }
  if (opts.confirm !== false && fileID) await h.api(STAFF, 'announcements.imageConfirm', { ticketId: t.ticketId, fileID });
  return { ticketId: t.ticketId, announcementId: t.announcementId, cloudPath: t.cloudPath, fileID };
}

const exists = async (i: Img): Promise<boolean> => (await h.cloud.store.stat(i.cloudPath)) !== null;
const rowState = async (i: Img): Promise<unknown> => (await h.cloud.engine.find(COLLECTIONS.announcementImages, { _id: i.ticketId }))[0]?.state;

async function tickAt(offsetMs: number): Promise<Record<string, number>> {
  await h.control('clock', { offsetMs });
  const tick = (await h.control('timer/cron', {})) as { result: { ok: boolean; data: { tasks: Record<string, number> } } };
  expect(tick.result.ok).toBe(true);
  return tick.result.data.tasks;
}

/** Everything the clean-up could touch: the rows, the announcements, and which files exist. */
async function snapshot(all: Img[]): Promise<string> {
  const files = await Promise.all(all.map(exists));
  return JSON.stringify([await h.cloud.engine.find(COLLECTIONS.announcementImages), await h.cloud.engine.find(COLLECTIONS.announcements), files]);
}

describe('announcement image clean-up', () => {
  let unusedWithFile: Img, unusedEmpty: Img, refused: Img, neverSaved: Img, leftOut: Img;
  let shown: Img, dropped: Img, droppedThenBack: Img, ofWithdrawn: Img, savedBefore: Img;
  let all: Img[];

  beforeAll(async () => {
    // Tickets never confirmed: one with a file at its path, one with nothing uploaded.
    unusedWithFile = await image({ confirm: false });
    unusedEmpty = await image({ put: false });
    // Refused at confirm: not an image.
    refused = await image({ bytes: Buffer.from('这不是图片。'.repeat(40)) });
    // Confirmed under a reserved id, the announcement never saved.
    neverSaved = await image();
    // An announcement saved with two of its three confirmed images, then edited to drop one.
    shown = await image();
    const id = shown.announcementId;
    dropped = await image({ announcementId: id });
    droppedThenBack = await image({ announcementId: id });
    leftOut = await image({ announcementId: id });
    data(await h.api(STAFF, 'announcements.save', base({ id, images: [shown.fileID, dropped.fileID, droppedThenBack.fileID] })));
    data(await h.api(STAFF, 'announcements.save', base({ id, images: [shown.fileID] })));
    // An image dropped and put back in a later edit is the announcement's again.
    data(await h.api(STAFF, 'announcements.save', base({ id, images: [shown.fileID, droppedThenBack.fileID] })));
    // A withdrawn announcement keeps its images.
    ofWithdrawn = await image();
    data(await h.api(STAFF, 'announcements.save', base({ id: ofWithdrawn.announcementId, images: [ofWithdrawn.fileID] })));
    data(await h.api(STAFF, 'announcements.withdraw', { id: ofWithdrawn.announcementId }));
    // An image saved before images were marked (or by a save cut short): the row still says
    // uploaded, the announcement shows it.
    savedBefore = await image();
    await h.cloud.engine.insertMany(COLLECTIONS.announcements, [
      { _id: savedBefore.announcementId, ...base({ images: [savedBefore.fileID] }), withdrawn: false, reads: 0, createdAt: h.cloud.clock.now() },
    ]);
    all = [unusedWithFile, unusedEmpty, refused, neverSaved, leftOut, shown, dropped, droppedThenBack, ofWithdrawn, savedBefore];
  });

  it('records which images an announcement shows and which a later edit dropped', async () => {
    expect(await rowState(shown)).toBe('attached');
    expect(await rowState(droppedThenBack)).toBe('attached');
    expect(await rowState(ofWithdrawn)).toBe('attached');
    expect(await rowState(dropped)).toBe('removed');
    expect(await rowState(leftOut)).toBe('uploaded');
    expect(await rowState(refused)).toBe('rejected');
    expect(await rowState(unusedWithFile)).toBe('issued');
    for (const i of all.filter((x) => x !== unusedEmpty)) expect(await exists(i)).toBe(true);
  });

  it('deletes nothing before a day has passed', async () => {
    const before = await snapshot(all);
    const tasks = await tickAt(DAY - 5 * MIN);
    expect(tasks).toMatchObject({ announcementTickets: 0, announcementImages: 0 });
    expect(await snapshot(all)).toBe(before);
  });

  it('a day on, deletes refused, never-saved, left-out and dropped files, and keeps the ones shown', async () => {
    const tasks = await tickAt(DAY + 5 * MIN);
    expect(tasks.announcementImages).toBe(4);
    for (const i of [refused, neverSaved, leftOut, dropped]) {
      expect(await exists(i)).toBe(false);
      expect(await rowState(i)).toBe('deleted');
    }
    for (const i of [shown, droppedThenBack, ofWithdrawn, savedBefore]) expect(await exists(i)).toBe(true);
    // The one saved before marking is recognised in its announcement and recorded as shown.
    expect(await rowState(savedBefore)).toBe('attached');
    // Unused tickets expired 2 hours after issue: their day is not over yet.
    expect(tasks.announcementTickets).toBe(0);
    expect(await exists(unusedWithFile)).toBe(true);
    expect(await rowState(unusedWithFile)).toBe('issued');
    // Workers and staff still see the images of the announcement.
    const a = data(await h.api(STAFF, 'announcements.get', { id: shown.announcementId })).announcement;
    expect(a.images.map((x) => x.fileID)).toEqual([shown.fileID, droppedThenBack.fileID]);
    expect((await fetch(a.images[1]!.url)).status).toBe(200);
  });

  it('a day after a ticket expired, deletes whatever file sits at its path and ends the ticket', async () => {
    const tasks = await tickAt(DAY + 2 * HOUR + 5 * MIN);
    expect(tasks.announcementTickets).toBe(2);
    expect(tasks.announcementImages).toBe(0);
    expect(await exists(unusedWithFile)).toBe(false);
    expect(await rowState(unusedWithFile)).toBe('deleted');
    expect(await rowState(unusedEmpty)).toBe('deleted');
  });

  it('changes nothing more on later ticks, and never deletes a file an announcement shows', async () => {
    const before = await snapshot(all);
    expect(await tickAt(DAY + 2 * HOUR + 10 * MIN)).toMatchObject({ announcementTickets: 0, announcementImages: 0 });
    expect(await tickAt(30 * DAY)).toMatchObject({ announcementTickets: 0, announcementImages: 0 });
    expect(await snapshot(all)).toBe(before);
    for (const i of [shown, droppedThenBack, ofWithdrawn, savedBefore]) expect(await exists(i)).toBe(true);
    await h.control('clock', { offsetMs: 0 });
  });

  it('refuses a deleted image in a save, and still takes the ones the announcement shows', async () => {
    const id = shown.announcementId;
    const r = await h.api(STAFF, 'announcements.save', base({ id, images: [shown.fileID, dropped.fileID] }));
    expect(r).toMatchObject({ ok: false, code: 'FILE_REJECTED', field: 'payload.images' });
    data(await h.api(STAFF, 'announcements.save', base({ id, title: '改过标题', images: [droppedThenBack.fileID, shown.fileID] })));
    expect(await rowState(shown)).toBe('attached');
  });
});
