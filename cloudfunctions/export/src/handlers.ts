/**
 * The `export` function's actions: staff's Excel workbooks. Each reads what it needs, builds the
 * sheets with core/exports.ts (phones masked there), renders them (xlsx.ts), stores the file under
 * exports/<activity>/… (no person, no OPENID in the path) and answers a temporary link; the audit
 * trail records who exported what, and exportFiles what cron deletes a day later (EXPORT_KEEP_MS).
 */
import { randomBytes } from 'crypto';
import { COLLECTIONS, err, ok, type ActivityDoc, type EntryDoc, type ExportAction, type PanelDoc, type RegistrationDoc, type ResultsDoc, type UnitDoc, type UserDoc } from '../../../miniprogram/core';
import { chinaStamp, fileName, registrationsWorkbook, resultsWorkbook, type ExportAuthor, type ExportFile, type ExportFileDoc, type ExportScore, type Workbook } from '../../../miniprogram/core/exports';
import { _, $, aggregate, collection, count, db, getById, insert, list, tempUrls, updateWhere, uploadBytes } from '../../shared/cloud';
import { randomId } from '../../shared/ids';
import { audit } from '../../shared/audit';
import type { Ctx, Handler, Handlers } from '../../shared/router';
import { resultsId } from '../../shared/results';
import { isErr, loadTrack } from '../../shared/tracks';
import { renderXlsx } from './xlsx';

type Stored<T> = T & Record<string, unknown>;

/** How long the download link lives: long enough to open it and forward the file in a chat. */
export const LINK_SECONDS = 3600;
/** Documents per `_.in` read, and entries per grouped read of scores (a get() returns at most 1,000). */
const IN_BATCH = 1000;

async function byIds<T extends { _id: string }>(coll: string, ids: string[], fields: Record<string, true>): Promise<Stored<T>[]> {
  const out: Stored<T>[] = [];
  for (let i = 0; i < ids.length; i += IN_BATCH) {
    const batch = ids.slice(i, i + IN_BATCH);
    out.push(...(await list<Stored<T>>(collection(coll).where({ _id: _.in(batch) }).field(fields).limit(batch.length))));
  }
  return out;
}

async function unitNames(): Promise<Map<string, string>> {
  const units = await list<Stored<UnitDoc>>(collection(COLLECTIONS.units).field({ _id: true, name: true }).limit(1000));
  return new Map(units.map((u) => [u._id, u.name]));
}

interface Grouped {
  _id: string;
  finals: { judgeId: string; scores: Record<string, number> }[];
}

/**
 * Final scores of one round for the given entries, grouped by entry in the database a page of
 * entries at a time (ids in order, a range on the results_pages index), as shared/results.ts
 * reads them: 5,000 entries × 7 judges cost 5 reads, not 35 pages of raw scores. A round nobody
 * has scored costs one count.
 */
async function finalScores(activityId: string, trackId: string, round: 1 | 2, entryIds: string[]): Promise<ExportScore[]> {
  if (round === 2 && (await count(collection(COLLECTIONS.scores).where({ activityId, trackId, round, state: 'final' }))) === 0) return [];
  const sorted = [...entryIds].sort();
  const wanted = new Set(sorted);
  const out: ExportScore[] = [];
  for (let i = 0; i < sorted.length; i += IN_BATCH) {
    const page = sorted.slice(i, i + IN_BATCH);
    const groups = await aggregate<Stored<Grouped>>(
      db
        .collection(COLLECTIONS.scores)
        .aggregate()
        .match({ activityId, trackId, round, state: 'final', entryId: _.gte(page[0]).and(_.lte(page[page.length - 1])) })
        .group({ _id: '$entryId', finals: $.push({ judgeId: '$judgeId', scores: '$scores' }) })
        // The range may hold entries that are no longer participants: room for them too.
        .limit(2 * IN_BATCH),
    );
    for (const g of groups) if (wanted.has(g._id)) for (const f of g.finals) out.push({ entryId: g._id, judgeId: f.judgeId, round, scores: f.scores });
  }
  return out;
}

/** Renders, stores and links a workbook; records it for the timer's cleanup and audits the export. */
async function deliver(ctx: Ctx, kind: ExportFileDoc['kind'], objectId: string, cloudPath: string, name: string, title: string, book: Workbook): Promise<ExportFile> {
  const bytes = await renderXlsx(book, { title, creator: '区工人文化宫', created: new Date(ctx.now) });
  // Recorded first: if the function dies once the file is stored, the timer still finds it by path.
  const record: ExportFileDoc = { _id: randomId('exf'), cloudPath, fileID: null, kind, objectId, by: ctx.userId, rows: book.rows, createdAt: ctx.now };
  await insert(COLLECTIONS.exportFiles, { ...record });
  const fileID = await uploadBytes(cloudPath, bytes);
  await updateWhere(COLLECTIONS.exportFiles, { _id: record._id }, { fileID });
  const url = (await tempUrls([fileID], LINK_SECONDS)).get(fileID);
  if (!url) throw new Error(`no temp URL for the export ${fileID}`);
  await audit(ctx, `export.${kind}`, objectId, { path: cloudPath, rows: book.rows, bytes: bytes.length });
  return { fileID, url, rows: book.rows, expiresAt: ctx.now + LINK_SECONDS * 1000, name };
}

/** exports/<activity>/<what>-<China time>-<random>.xlsx: unique, and nothing about the caller. */
function exportPath(activityId: string, what: string, now: number): string {
  return `exports/${activityId}/${what}-${chinaStamp(now)}-${randomBytes(4).toString('hex')}.xlsx`;
}

export const exportResults: Handler<'exports.results'> = async (ctx, p) => {
  const t = await loadTrack(p.activityId, p.trackId);
  if (isErr(t)) return t;
  const results = await getById<Stored<ResultsDoc>>(COLLECTIONS.results, resultsId(p.activityId, p.trackId));
  if (!results) return err('INVALID_STATE', '请先计算结果，再导出');
  if (results.state === 'computing') return err('INVALID_STATE', '结果正在计算中，请稍后再导出');
  const entryIds = results.rows.map((r) => r.entryId);
  const [panel, round1, round2, entries, units] = await Promise.all([
    list<Stored<PanelDoc>>(collection(COLLECTIONS.panels).where({ activityId: p.activityId, trackId: p.trackId }).orderBy('joinedAt', 'asc').limit(200)),
    finalScores(p.activityId, p.trackId, 1, entryIds),
    finalScores(p.activityId, p.trackId, 2, entryIds),
    byIds<EntryDoc>(COLLECTIONS.entries, entryIds, { _id: true, userId: true, unitId: true, enterprise: true }),
    unitNames(),
  ]);
  const users = await byIds<UserDoc>(COLLECTIONS.users, [...new Set(entries.map((e) => e.userId))], { _id: true, realName: true, phone: true, unitId: true, enterprise: true });
  const userById = new Map(users.map((u) => [u._id, u]));
  const authors = new Map<string, ExportAuthor>();
  for (const e of entries) {
    const u = userById.get(e.userId);
    authors.set(e._id, { name: u?.realName ?? '', phone: u?.phone ?? '', unitName: units.get(u?.unitId || e.unitId) ?? '', enterprise: u?.enterprise || e.enterprise || '' });
  }
  const book = resultsWorkbook({
    activityTitle: t.activity.title,
    trackName: t.track.name,
    rubric: t.judging.rubric,
    settings: t.judging.scoring,
    results,
    judges: panel.map((j) => ({ judgeId: j.userId, name: j.name })),
    scores: [...round1, ...round2],
    authors,
    exportedAt: ctx.now,
    exportedBy: ctx.user?.realName ?? '',
  });
  const name = fileName(t.activity.title, t.track.name, '评审结果');
  return ok(await deliver(ctx, 'results', resultsId(p.activityId, p.trackId), exportPath(p.activityId, `${p.trackId}-results`, ctx.now), name, `${t.activity.title}·${t.track.name} 评审结果`, book));
};

/** Every registration of an activity, paged by id (an activity may take thousands). */
async function registrationsOf(activityId: string): Promise<Stored<RegistrationDoc>[]> {
  const out: Stored<RegistrationDoc>[] = [];
  let after = '';
  for (;;) {
    const page = await list<Stored<RegistrationDoc>>(
      collection(COLLECTIONS.registrations)
        .where({ activityId, _id: _.gt(after) })
        .orderBy('_id', 'asc')
        .field({ _id: true, realName: true, phone: true, unitId: true, state: true, tracks: true, answers: true, seq: true, reason: true, createdAt: true, checkedInAt: true })
        .limit(1000),
    );
    out.push(...page);
    if (page.length < 1000) return out;
    after = page[page.length - 1]!._id;
  }
}

export const exportRegistrations: Handler<'exports.registrations'> = async (ctx, p) => {
  const activity = await getById<Stored<ActivityDoc>>(COLLECTIONS.activities, p.activityId);
  if (!activity) return err('NOT_FOUND', '活动不存在');
  const [regs, units] = await Promise.all([registrationsOf(p.activityId), unitNames()]);
  const book = registrationsWorkbook({
    activityTitle: activity.title,
    questions: activity.questions ?? [],
    tracks: new Map((activity.competition?.tracks ?? []).map((t) => [t.id, t.name])),
    registrations: regs,
    unitNames: units,
    exportedAt: ctx.now,
    exportedBy: ctx.user?.realName ?? '',
  });
  const name = fileName(activity.title, '报名表');
  return ok(await deliver(ctx, 'registrations', p.activityId, exportPath(p.activityId, 'registrations', ctx.now), name, `${activity.title} 报名表`, book));
};

/** Every export action, or the build fails; no other action (those are the api's). */
export const handlers: Handlers<ExportAction> = {
  'exports.results': exportResults,
  'exports.registrations': exportRegistrations,
};
