/**
 * Results: computed by the rule in core/rules/scoring.ts from final scores only, previewed by staff,
 * published for the 公示 period (announcement, gallery, subscription notices), open to appeals,
 * then final with e-certificates.
 */
import {
  COLLECTIONS,
  err,
  ok,
  type ActivityDoc,
  type AppealDoc,
  type CertificateData,
  type EntryContent,
  type EntryDoc,
  type GalleryItem,
  type MyResult,
  type ResultsDoc,
  type UnitDoc,
  type UploadDoc,
  type UserDoc,
  appealOpen,
} from '../../../../miniprogram/core';
import { _, collection, count, getById, insert, isDuplicateKeyError, list, sendSubscribe, tempUrls, updateWhere } from '../../../shared/cloud';
import { sign, verifySigned } from '../../../shared/ids';
import { audit } from '../../../shared/audit';
import type { Handler } from '../../../shared/router';
import { randomCode } from './judging';
import { applyToLedger, clearOptIns, spendOptIn } from '../../../shared/subscriptions';
import { ledgerId } from '../../../../miniprogram/core/rules/subscriptions';
import { isErr, loadTrack } from '../../../shared/tracks';
import { INLINE_SCORE_LIMIT, computeTrack, queueTrack, resultsId } from '../../../shared/results';

type Stored<T> = T & Record<string, unknown>;

/** The subscription template that carries "results published" (configured in the WeChat console). */
export const RESULT_TEMPLATE = 'TEMPLATE_RESULT_NOTICE';

export const compute: Handler<'results.compute'> = async (ctx, p) => {
  const t = await loadTrack(p.activityId, p.trackId);
  if (isErr(t)) return t;
  const scores = await count(collection(COLLECTIONS.scores).where({ activityId: p.activityId, trackId: p.trackId, round: 1 }));
  if (scores <= INLINE_SCORE_LIMIT) return computeTrack(ctx, p.activityId, p.trackId);
  const prior = await getById<Stored<ResultsDoc>>(COLLECTIONS.results, resultsId(p.activityId, p.trackId));
  if (prior?.state === 'final') return err('INVALID_STATE', '结果已确定，不能重新计算');
  await queueTrack(ctx, p.activityId, p.trackId);
  return ok({ state: 'computing' as const, missingScores: null });
};

export const PREVIEW_ROWS = 200;

export const preview: Handler<'results.preview'> = async (_ctx, p) => {
  const r = await getById<Stored<ResultsDoc>>(COLLECTIONS.results, resultsId(p.activityId, p.trackId));
  if (!r) return ok({ results: null });
  const { _id, rows, ...rest } = r;
  const from = p.from ?? 0;
  const page = rows.slice(from, from + PREVIEW_ROWS);
  const flagged = rows.filter((x, i) => x.recheck && (i < from || i >= from + PREVIEW_ROWS));
  return ok({ results: { ...(rest as Omit<ResultsDoc, '_id' | 'rows'>), rows: [...page, ...flagged], totalRows: rows.length, from } });
};

export const publish: Handler<'results.publish'> = async (ctx, p) => {
  const t = await loadTrack(p.activityId, p.trackId);
  if (isErr(t)) return t;
  const id = resultsId(p.activityId, p.trackId);
  const r = await getById<Stored<ResultsDoc>>(COLLECTIONS.results, id);
  if (!r) return err('INVALID_STATE', '请先计算结果');
  if (r.state !== 'preview') return err('INVALID_STATE', r.state === 'final' ? '结果已确定' : '结果已在公示中');
  const rechecks = r.rows.filter((x) => x.recheck).length;
  if (r.round2 === 'pending' && !p.overrideReason) return err('INVALID_STATE', '本赛道设有复评，尚未开始；如确需不经复评发布，请填写理由');
  if ((r.missingScores > 0 || rechecks > 0) && !p.overrideReason) {
    const round2 = r.round2Missing ? `（其中复评 ${r.round2Missing} 份）` : '';
    return err('INVALID_STATE', `还有 ${r.missingScores} 份评分未提交${round2}、${rechecks} 件作品待复核；如确需发布，请填写理由`);
  }
  const override = p.overrideReason ? { by: ctx.userId, reason: p.overrideReason, at: ctx.now } : null;
  // Guarded by the version: a recompute between preview and publish makes this fail, not publish stale rows.
  const changed = await updateWhere(COLLECTIONS.results, { _id: id, state: 'preview', version: r.version }, { state: 'publicity', publishedAt: ctx.now, publishOverride: override, version: r.version + 1 });
  if (changed !== 1) return err('CONFLICT');

  const winners = r.rows.filter((x) => x.award);
  const announcementId = `ann_${id}_${r.version + 1}`;
  await insert(COLLECTIONS.announcements, {
    _id: announcementId,
    category: 'publicity',
    title: `${t.activity.title}·${t.track.name} 评审结果公示`,
    body:
      `公示期至 ${new Date(t.activity.competition!.windows.publicity.end + 8 * 3600_000).toISOString().slice(0, 10)}，对结果有异议的参赛者可在「我的作品」中提出申诉。\n` +
      winners.map((w) => `${w.award}：${w.code}（${w.score} 分）`).join('\n'),
    pinned: false,
    activityId: p.activityId,
    publishAt: ctx.now,
    withdrawn: false,
    reads: 0,
    createdAt: ctx.now,
  });
  const notified = await notifyEntrants(r.rows.map((x) => x.entryId), `${t.activity.title}·${t.track.name}`);
  await audit(ctx, 'results.publish', id, { override, winners: winners.length, notified });
  return ok({ publishedAt: ctx.now, announcementId, notified });
};

/** One subscription message per opt-in, to entrants who asked for one: the ledger is spent first. */
async function notifyEntrants(entryIds: string[], title: string): Promise<number> {
  let sent = 0;
  for (let i = 0; i < entryIds.length; i += 500) {
    const entries = await list<Stored<EntryDoc>>(
      collection(COLLECTIONS.entries).where({ _id: _.in(entryIds.slice(i, i + 500)) }).field({ userId: true, code: true }).limit(500),
    );
    const users = [...new Set(entries.map((e) => e.userId))];
    for (const userId of users) {
      if (!(await spendOptIn(userId, RESULT_TEMPLATE))) continue;
      const user = await getById<Stored<UserDoc>>(COLLECTIONS.users, userId);
      if (!user) continue;
      const ok = await sendSubscribe(user.openid, RESULT_TEMPLATE, 'packages/worker/results/index', {
        thing1: { value: title.slice(0, 20) },
        phrase2: { value: '已公示' },
      });
      if (ok) sent++;
      else await clearOptIns(userId, RESULT_TEMPLATE);
    }
  }
  return sent;
}

export const finalize: Handler<'results.finalize'> = async (ctx, p) => {
  const t = await loadTrack(p.activityId, p.trackId);
  if (isErr(t)) return t;
  const id = resultsId(p.activityId, p.trackId);
  const r = await getById<Stored<ResultsDoc>>(COLLECTIONS.results, id);
  if (!r || r.state !== 'publicity') return err('INVALID_STATE', '结果需先公示');
  const open = await count(collection(COLLECTIONS.appeals).where({ activityId: p.activityId, trackId: p.trackId, state: 'open' }));
  if (open > 0) return err('INVALID_STATE', `还有 ${open} 件申诉未处理`);
  if ((await updateWhere(COLLECTIONS.results, { _id: id, state: 'publicity', version: r.version }, { state: 'final', finalAt: ctx.now, version: r.version + 1 })) !== 1)
    return err('CONFLICT');
  let certificates = 0;
  const winners = r.rows.filter((x) => x.award);
  const entries = winners.length
    ? await list<Stored<EntryDoc>>(collection(COLLECTIONS.entries).where({ _id: _.in(winners.map((w) => w.entryId)) }).limit(1000))
    : [];
  const byId = new Map(entries.map((e) => [e._id, e]));
  for (const w of winners) {
    const e = byId.get(w.entryId);
    if (!e) continue;
    const user = await getById<Stored<UserDoc>>(COLLECTIONS.users, e.userId);
    const unit = user?.unitId ? await getById<Stored<UnitDoc>>(COLLECTIONS.units, user.unitId) : null;
    const verifyCode = randomCode(10);
    const data: CertificateData = {
      verifyCode,
      name: user?.realName ?? '',
      unitName: unit?.name ?? '',
      activityTitle: t.activity.title,
      trackName: t.track.name,
      award: w.award!,
      code: w.code,
      issuedAt: ctx.now,
      issuer: '区工人文化宫',
    };
    try {
      await insert(COLLECTIONS.certificates, { _id: `cert_${e._id}`, entryId: e._id, userId: e.userId, verifyCode, data, signature: sign('certificate', JSON.stringify(data)) });
      certificates++;
    } catch (x) {
      if (!isDuplicateKeyError(x)) throw x;
    }
  }
  await audit(ctx, 'results.finalize', id, { certificates });
  return ok({ finalAt: ctx.now, certificates });
};

export const myResults: Handler<'results.mine'> = async (ctx) => {
  const entries = await list<Stored<EntryDoc>>(collection(COLLECTIONS.entries).where({ userId: ctx.userId, state: 'submitted' }).field({ draft: false, versions: false }).limit(50));
  const items: MyResult[] = [];
  for (const e of entries) {
    const r = await getById<Stored<ResultsDoc>>(COLLECTIONS.results, resultsId(e.activityId, e.trackId));
    if (!r || (r.state !== 'publicity' && r.state !== 'final')) continue;
    const row = r.rows.find((x) => x.entryId === e._id);
    const a = await getById<Stored<ActivityDoc>>(COLLECTIONS.activities, e.activityId);
    const appeal = await getById<Stored<AppealDoc>>(COLLECTIONS.appeals, `ap_${e.code}`);
    items.push({
      entryId: e._id,
      activityId: e.activityId,
      trackId: e.trackId,
      code: e.code,
      activityTitle: a?.title ?? '',
      trackName: a?.competition?.tracks.find((x) => x.id === e.trackId)?.name ?? '',
      state: r.state,
      rank: row?.rank ?? null,
      award: row?.award ?? null,
      score: row?.score ?? null,
      appealOpen: !!a?.competition && appealOpen(r.state, a.competition.windows.appeal.end, ctx.now) && !appeal,
      appeal: appeal ? { state: appeal.state, answer: appeal.answer } : null,
      certificate: r.state === 'final' && !!row?.award,
    });
  }
  return ok({ items });
};

function coverOf(c: EntryContent): string | null {
  if (c.kind === 'photo') return c.photos[0]?.uploadId ?? null;
  if (c.kind === 'video') return c.coverUploadId || null;
  return null;
}

export const gallery: Handler<'results.gallery'> = async (_ctx, p) => {
  const r = await getById<Stored<ResultsDoc>>(COLLECTIONS.results, resultsId(p.activityId, p.trackId));
  if (!r || (r.state !== 'publicity' && r.state !== 'final')) return ok({ items: [], state: null });
  const winners = r.rows.filter((x) => x.award && x.rank !== null).slice(0, 200);
  if (winners.length === 0) return ok({ items: [], state: r.state });
  // Approved works only: moderation is checked again, whatever the results say.
  const entries = await list<Stored<EntryDoc>>(
    collection(COLLECTIONS.entries).where({ _id: _.in(winners.map((w) => w.entryId)), moderation: 'approved' }).limit(200),
  );
  const byId = new Map(entries.map((e) => [e._id, e]));
  const users = await list<Stored<UserDoc>>(collection(COLLECTIONS.users).where({ _id: _.in([...new Set(entries.map((e) => e.userId))]) }).field({ realName: true, unitId: true }).limit(200));
  const units = await list<Stored<UnitDoc>>(collection(COLLECTIONS.units).limit(1000));
  const userOf = new Map(users.map((u) => [u._id, u]));
  const unitOf = new Map(units.map((u) => [u._id, u.name]));
  const covers = entries.map((e) => coverOf(e.versions[e.versions.length - 1]!.content)).filter((x): x is string => !!x);
  const uploads = covers.length ? await list<Stored<UploadDoc>>(collection(COLLECTIONS.uploads).where({ _id: _.in(covers) }).field({ fileID: true }).limit(200)) : [];
  const urls = await tempUrls(uploads.map((u) => u.fileID ?? '').filter(Boolean));
  const coverUrl = new Map(uploads.map((u) => [u._id, urls.get(u.fileID ?? '') ?? '']));
  const items: GalleryItem[] = [];
  for (const w of winners) {
    const e = byId.get(w.entryId);
    if (!e) continue;
    const content = e.versions[e.versions.length - 1]!.content;
    const u = userOf.get(e.userId);
    items.push({
      code: w.code,
      award: w.award!,
      rank: w.rank!,
      title: content.title,
      author: u?.realName ?? '（已注销）',
      unitName: unitOf.get(u?.unitId ?? '') ?? '',
      kind: e.kind,
      cover: coverUrl.get(coverOf(content) ?? '') ?? '',
    });
  }
  return ok({ items, state: r.state });
};

export const fileAppeal: Handler<'appeals.file'> = async (ctx, p) => {
  const e = await getById<Stored<EntryDoc>>(COLLECTIONS.entries, p.entryId);
  if (!e || e.userId !== ctx.userId) return err('NOT_FOUND', '没有找到这件作品');
  const [a, r] = await Promise.all([
    getById<Stored<ActivityDoc>>(COLLECTIONS.activities, e.activityId),
    getById<Stored<ResultsDoc>>(COLLECTIONS.results, resultsId(e.activityId, e.trackId)),
  ]);
  if (!a?.competition || !r || r.state !== 'publicity') return err('INVALID_STATE', '结果公示期间才能申诉');
  if (!appealOpen(r.state, a.competition.windows.appeal.end, ctx.now)) return err('CLOSED', '申诉期已结束');
  const doc: AppealDoc = {
    _id: `ap_${e.code}`,
    activityId: e.activityId,
    trackId: e.trackId,
    entryId: e._id,
    userId: ctx.userId,
    reason: p.reason,
    state: 'open',
    answer: '',
    recheck: false,
    createdAt: ctx.now,
    answeredAt: null,
    answeredBy: null,
  };
  try {
    await insert(COLLECTIONS.appeals, { ...doc });
  } catch (x) {
    if (isDuplicateKeyError(x)) return err('ALREADY_EXISTS', '每件作品只能申诉一次');
    throw x;
  }
  await audit(ctx, 'appeal.file', doc._id, {});
  return ok({ appealId: doc._id });
};

export const resolveAppeal: Handler<'appeals.resolve'> = async (ctx, p) => {
  const ap = await getById<Stored<AppealDoc>>(COLLECTIONS.appeals, p.appealId);
  if (!ap) return err('NOT_FOUND', '没有找到这件申诉');
  if ((await updateWhere(COLLECTIONS.appeals, { _id: ap._id, state: 'open' }, { state: 'answered', answer: p.answer, recheck: p.recheck, answeredAt: ctx.now, answeredBy: ctx.userId })) !== 1)
    return err('INVALID_STATE', '该申诉已处理');
  if (p.recheck) {
    // Back to 复核: publication is suspended until staff recompute and publish again.
    await updateWhere(COLLECTIONS.results, { _id: resultsId(ap.activityId, ap.trackId), state: 'publicity' }, { state: 'preview', version: _.inc(1) });
  }
  await audit(ctx, 'appeal.resolve', ap._id, { recheck: p.recheck });
  return ok({ resolved: true as const });
};

export const getCertificate: Handler<'certificates.get'> = async (ctx, p) => {
  const c = await getById<Stored<{ _id: string; userId: string; data: CertificateData; signature: string }>>(COLLECTIONS.certificates, `cert_${p.entryId}`);
  if (!c || c.userId !== ctx.userId) return err('NOT_FOUND', '该作品没有电子证书');
  return ok({ data: c.data, signature: c.signature });
};

export const verifyCertificate: Handler<'certificates.verify'> = async (_ctx, p) => {
  const [c] = await list<Stored<{ _id: string; data: CertificateData; signature: string }>>(
    collection(COLLECTIONS.certificates).where({ verifyCode: p.code }).limit(1),
  );
  if (!c || !verifySigned('certificate', JSON.stringify(c.data), c.signature)) return ok({ valid: false, data: null });
  return ok({ valid: true, data: c.data });
};

/**
 * The app reports what the worker chose in wx.requestSubscribeMessage. WeChat's push reports the
 * same tap (events function): the ledger counts an opt-in once whichever arrives first.
 */
export const recordSubscription: Handler<'subscriptions.record'> = async (ctx, p) => {
  if (!p.accepted) {
    const doc = await getById<Stored<{ balance: number }>>(COLLECTIONS.subscriptions, ledgerId(ctx.userId, p.templateId));
    return ok({ balance: doc?.balance ?? 0 });
  }
  const { ledger } = await applyToLedger(ctx.userId, p.templateId, { source: 'app', status: 'accept', at: ctx.now }, ctx.now);
  return ok({ balance: ledger.balance });
};
