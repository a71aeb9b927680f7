/**
 * 意见建议征集: staff attach a survey or an open call for suggestions to an activity; workers answer
 * once (and edit until it closes); staff read the counts and the text answers, reply, and hide an
 * abusive answer. Counts are aggregated over the answers at read time: an answer is one document
 * with a deterministic id whose `tally` an edit replaces, so two workers answering at once, or one
 * editing, can never double a count.
 */
import {
  COLLECTIONS,
  LIMITS,
  err,
  ok,
  maskPhone,
  type ActivityDoc,
  type OpinionCard,
  type OpinionDoc,
  type SolicitationDoc,
  type SolicitationView,
  type StaffOpinionItem,
  type UnitDoc,
  type UserDoc,
} from '../../../../miniprogram/core';
import {
  cardState,
  checkAnswers,
  myOpinionView,
  opinionId,
  sameAnswers,
  solicitationId,
  solicitationProblem,
  solicitationState,
  storedQuestions,
  tallyQuestions,
} from '../../../../miniprogram/core/rules/opinion';
import { secCheckPieces } from '../../../../miniprogram/core/rules/entry';
import { $, _, aggregate, collection, count, getById, insert, isDuplicateKeyError, list, msgSecCheck, updateWhere } from '../../../shared/cloud';
import { audit } from '../../../shared/audit';
import type { Ctx, Handler } from '../../../shared/router';

type Stored<T> = T & Record<string, unknown>;

function solicitationView(s: SolicitationDoc, now: number): SolicitationView {
  return { activityId: s.activityId, mode: s.mode, title: s.title, intro: s.intro, questions: s.questions, window: s.window, state: solicitationState(s.window, now) };
}

/** The activity as the caller may see it: drafts exist for staff only. */
async function visibleActivity(ctx: Ctx, id: string): Promise<Stored<ActivityDoc> | null> {
  const a = await getById<Stored<ActivityDoc>>(COLLECTIONS.activities, id);
  if (!a || (a.status === 'draft' && ctx.role === 'worker')) return null;
  return a;
}

/** The activity page's card: two reads by id, inside activities.detail's one call. */
export async function opinionCard(activityId: string, idKey: string, userId: string, now: number): Promise<OpinionCard | null> {
  const [sol, mine] = await Promise.all([
    getById<Stored<SolicitationDoc>>(COLLECTIONS.solicitations, solicitationId(activityId)),
    idKey ? getById<Stored<OpinionDoc>>(COLLECTIONS.opinions, opinionId(activityId, idKey)) : Promise.resolve(null),
  ]);
  if (!sol) return null;
  const answered = mine !== null && mine.userId === userId;
  return { mode: sol.mode, title: sol.title, state: cardState(sol.window, now, answered), window: sol.window, answered, replied: answered && mine.reply !== null };
}

export const getOpinion: Handler<'opinions.get'> = async (ctx, p) => {
  const a = await visibleActivity(ctx, p.activityId);
  if (!a) return err('NOT_FOUND', '活动不存在或尚未发布');
  const [sol, mine] = await Promise.all([
    getById<Stored<SolicitationDoc>>(COLLECTIONS.solicitations, solicitationId(a._id)),
    getById<Stored<OpinionDoc>>(COLLECTIONS.opinions, opinionId(a._id, ctx.idKey)),
  ]);
  return ok({
    activityTitle: a.title,
    solicitation: sol ? solicitationView(sol, ctx.now) : null,
    mine: sol && mine && mine.userId === ctx.userId ? myOpinionView(mine) : null,
    serverNow: ctx.now,
  });
};

export const submitOpinion: Handler<'opinions.submit'> = async (ctx, p) => {
  const a = await visibleActivity(ctx, p.activityId);
  if (!a) return err('NOT_FOUND', '活动不存在或尚未发布');
  const sol = await getById<Stored<SolicitationDoc>>(COLLECTIONS.solicitations, solicitationId(a._id));
  if (!sol) return err('NOT_FOUND', '这个活动没有意见征集');
  const state = solicitationState(sol.window, ctx.now);
  if (state === 'before') return err('NOT_OPEN_YET', '意见征集尚未开始');
  if (state === 'closed') return err('CLOSED', '意见征集已截止，不能再提交或修改');
  const checked = checkAnswers(sol, p.answers, p.consent);
  if (!checked.ok) return err('INVALID_PAYLOAD', checked.message, checked.field);

  const id = opinionId(a._id, ctx.idKey);
  let existing = await getById<Stored<OpinionDoc>>(COLLECTIONS.opinions, id);
  if (existing && existing.userId !== ctx.userId) return err('CONFLICT');
  if (existing?.hidden) return err('INVALID_STATE', '您的意见已被工作人员隐藏，不能再修改');
  // The same answer again (a retry, a double tap): nothing to write.
  if (existing && sameAnswers(existing.answers, checked.answers)) return ok({ mine: myOpinionView(existing) });

  // Text is checked like an entry's, in pieces; the OPENID is only passed to the check, never stored.
  let flagged = false;
  for (const piece of secCheckPieces(checked.texts.join('\n'))) {
    const verdict = await msgSecCheck(ctx.openid, piece);
    if (verdict === 'risky') return err('CONTENT_RISKY', '内容未通过安全检测，请修改后再提交', 'payload.answers');
    if (verdict === 'review') flagged = true;
  }

  // The first answer locks the questions it was checked against: staff's edit of the questions in
  // between makes this conditional update miss, and the worker is asked to reload.
  if (!sol.locked && (await updateWhere(COLLECTIONS.solicitations, { _id: sol._id, rev: sol.rev }, { locked: true })) !== 1) {
    const fresh = await getById<Stored<SolicitationDoc>>(COLLECTIONS.solicitations, sol._id);
    if (!fresh || fresh.rev !== sol.rev) return err('CONFLICT', '问卷刚刚被修改，请刷新后重新填写');
  }

  const fields = { answers: checked.answers, tally: checked.tally, hasText: checked.texts.length > 0, flagged };
  if (!existing) {
    const doc: OpinionDoc = {
      _id: id,
      activityId: a._id,
      userId: ctx.userId,
      ...fields,
      hidden: false,
      hiddenReason: '',
      reply: null,
      edits: 0,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    };
    try {
      await insert(COLLECTIONS.opinions, { ...doc });
      return ok({ mine: myOpinionView(doc) });
    } catch (e) {
      // Sent twice at once: the other call created it; this one becomes an edit of it.
      if (!isDuplicateKeyError(e)) throw e;
      existing = await getById<Stored<OpinionDoc>>(COLLECTIONS.opinions, id);
      if (!existing || existing.userId !== ctx.userId) return err('CONFLICT');
      if (existing.hidden) return err('INVALID_STATE', '您的意见已被工作人员隐藏，不能再修改');
    }
  }
  const n = await updateWhere(
    COLLECTIONS.opinions,
    // Guarded by the edit count (two edits at once: one wins) and by `hidden` (staff hid it meanwhile).
    { _id: id, userId: ctx.userId, hidden: false, edits: existing.edits },
    { answers: _.set(fields.answers), tally: _.set(fields.tally), hasText: fields.hasText, flagged, edits: existing.edits + 1, updatedAt: ctx.now },
  );
  if (n !== 1) return err('CONFLICT', '您的意见刚刚在别处被修改，请刷新后重试');
  const fresh = await getById<Stored<OpinionDoc>>(COLLECTIONS.opinions, id);
  if (!fresh) return err('CONFLICT');
  return ok({ mine: myOpinionView(fresh) });
};

export const saveSolicitation: Handler<'opinions.save'> = async (ctx, p) => {
  const a = await getById<Stored<ActivityDoc>>(COLLECTIONS.activities, p.activityId);
  if (!a) return err('NOT_FOUND', '没有这个活动');
  const id = solicitationId(a._id);
  const existing = await getById<Stored<SolicitationDoc>>(COLLECTIONS.solicitations, id);
  const problem = solicitationProblem(p, a, existing, ctx.now);
  if (problem) return err(problem.locked ? 'INVALID_STATE' : 'INVALID_PAYLOAD', problem.message, problem.field);
  const questions = storedQuestions(p);
  const fields = { mode: p.mode, title: p.title, intro: p.intro, questions, window: p.window };
  if (!existing) {
    const doc: SolicitationDoc = { _id: id, activityId: a._id, ...fields, locked: false, rev: 1, createdAt: ctx.now, updatedAt: ctx.now };
    try {
      await insert(COLLECTIONS.solicitations, { ...doc });
    } catch (e) {
      if (!isDuplicateKeyError(e)) throw e;
      return err('CONFLICT');
    }
  } else {
    // Unlocked: guarded on `locked: false` too, so an answer that locked it in between wins.
    const where = existing.locked ? { _id: id, rev: existing.rev } : { _id: id, rev: existing.rev, locked: false };
    const data = existing.locked
      ? { title: p.title, intro: p.intro, window: _.set(p.window), rev: existing.rev + 1, updatedAt: ctx.now }
      : { ...fields, questions: _.set(questions), window: _.set(p.window), rev: existing.rev + 1, updatedAt: ctx.now };
    if ((await updateWhere(COLLECTIONS.solicitations, where, data)) !== 1) {
      const fresh = await getById<Stored<SolicitationDoc>>(COLLECTIONS.solicitations, id);
      if (fresh?.locked && !existing.locked) return err('INVALID_STATE', '刚刚已有职工作答，问题不能再修改（可以修改截止时间）');
      return err('CONFLICT');
    }
  }
  await audit(ctx, existing ? 'opinion.edit' : 'opinion.create', id, { activityId: a._id, mode: p.mode, questions: questions.length, window: p.window });
  return ok({ activityId: a._id, locked: existing?.locked ?? false });
};

// Cursor = "<createdAt>_<opinion id>" of the last item: a range query, not a deep skip().
function parseCursor(c: string | undefined): { at: number; id: string } | null | 'bad' {
  if (c === undefined) return null;
  const i = c.indexOf('_');
  const at = Number(c.slice(0, i));
  const id = c.slice(i + 1);
  if (i <= 0 || !Number.isSafeInteger(at) || id === '') return 'bad';
  return { at, id };
}

export const opinionSummary: Handler<'opinions.summary'> = async (ctx, p) => {
  const cursor = parseCursor(p.cursor);
  if (cursor === 'bad') return err('INVALID_PAYLOAD', '翻页参数无效', 'payload.cursor');
  const a = await getById<Stored<ActivityDoc>>(COLLECTIONS.activities, p.activityId);
  if (!a) return err('NOT_FOUND', '没有这个活动');
  const sol = await getById<Stored<SolicitationDoc>>(COLLECTIONS.solicitations, solicitationId(a._id));
  if (!sol) return ok({ activityTitle: a.title, solicitation: null, respondents: 0, hiddenCount: 0, questions: [], items: [], next: null, serverNow: ctx.now });

  const answers = collection(COLLECTIONS.opinions);
  const listed: Record<string, unknown>[] = [{ activityId: a._id, hasText: true }];
  if (cursor) listed.push(_.or([{ createdAt: _.lt(cursor.at) }, { createdAt: cursor.at, _id: _.lt(cursor.id) }]) as unknown as Record<string, unknown>);
  const [groups, respondents, hiddenCount, rows] = await Promise.all([
    // One group per tally key: `q` (answered the question) and `q.i` (chose option i).
    aggregate<{ _id: string; n: number }>(
      answers.aggregate().match({ activityId: a._id, hidden: false }).project({ tally: 1 }).unwind('$tally').group({ _id: '$tally', n: $.sum(1) }).limit(LIMITS.dbMaxPerGet),
    ),
    count(answers.where({ activityId: a._id, hidden: false })),
    count(answers.where({ activityId: a._id, hidden: true })),
    list<Stored<OpinionDoc>>(answers.where(_.and(listed)).orderBy('createdAt', 'desc').orderBy('_id', 'desc').limit(LIMITS.pageSize + 1)),
  ]);
  const page = rows.slice(0, LIMITS.pageSize);
  const userIds = [...new Set(page.map((o) => o.userId))];
  const users = userIds.length
    ? await list<Stored<UserDoc>>(collection(COLLECTIONS.users).where({ _id: _.in(userIds) }).field({ realName: true, phone: true, unitId: true }).limit(userIds.length))
    : [];
  const byUser = new Map(users.map((u) => [u._id, u]));
  const unitIds = [...new Set(users.map((u) => u.unitId).filter(Boolean))];
  const units = unitIds.length ? await list<Stored<UnitDoc>>(collection(COLLECTIONS.units).where({ _id: _.in(unitIds) }).limit(unitIds.length)) : [];
  const unitName = new Map(units.map((u) => [u._id, u.name]));
  const questionOf = new Map(sol.questions.map((q) => [q.id, q]));

  const items: StaffOpinionItem[] = page.map((o) => {
    const u = byUser.get(o.userId);
    return {
      id: o._id,
      // A worker who deleted their data is shown without a name.
      realName: u?.realName || '（已注销或未填写）',
      unitName: (u && unitName.get(u.unitId)) ?? '',
      phone: maskPhone(u?.phone ?? ''),
      answers: o.answers.map((x) => {
        const q = questionOf.get(x.questionId);
        return { questionId: x.questionId, label: q?.label ?? '', text: x.text, choices: x.choices.map((c) => q?.options[c] ?? '') };
      }),
      flagged: o.flagged,
      hidden: o.hidden,
      hiddenReason: o.hiddenReason,
      reply: o.reply,
      edited: o.edits > 0,
      createdAt: o.createdAt,
      updatedAt: o.updatedAt,
    };
  });
  const last = page[page.length - 1];
  return ok({
    activityTitle: a.title,
    solicitation: { ...solicitationView(sol, ctx.now), locked: sol.locked },
    respondents,
    hiddenCount,
    questions: tallyQuestions(sol.questions, new Map(groups.map((g) => [g._id, g.n]))),
    items,
    next: rows.length > LIMITS.pageSize && last ? `${last.createdAt}_${last._id}` : null,
    serverNow: ctx.now,
  });
};

export const replyOpinion: Handler<'opinions.reply'> = async (ctx, p) => {
  const o = await getById<Stored<OpinionDoc>>(COLLECTIONS.opinions, p.opinionId);
  if (!o) return err('NOT_FOUND', '没有这条意见');
  if ((await updateWhere(COLLECTIONS.opinions, { _id: o._id }, { reply: _.set({ text: p.text, at: ctx.now }) })) !== 1) return err('NOT_FOUND', '没有这条意见');
  await audit(ctx, 'opinion.reply', o._id, { activityId: o.activityId, text: p.text });
  return ok({ replied: true as const, at: ctx.now });
};

export const hideOpinion: Handler<'opinions.hide'> = async (ctx, p) => {
  if (p.hidden && p.reason.trim().length < 2) return err('INVALID_PAYLOAD', '隐藏时请写明理由', 'payload.reason');
  const o = await getById<Stored<OpinionDoc>>(COLLECTIONS.opinions, p.opinionId);
  if (!o) return err('NOT_FOUND', '没有这条意见');
  if (o.hidden === p.hidden) return ok({ hidden: p.hidden });
  if ((await updateWhere(COLLECTIONS.opinions, { _id: o._id, hidden: o.hidden }, { hidden: p.hidden, hiddenReason: p.hidden ? p.reason : '' })) !== 1) return err('CONFLICT');
  await audit(ctx, p.hidden ? 'opinion.hide' : 'opinion.show', o._id, { activityId: o.activityId, reason: p.reason });
  return ok({ hidden: p.hidden });
};
