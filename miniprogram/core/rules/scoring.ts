/**
 * The competition scoring rule (DESIGN.md, "The scoring rule", points 1–8), shared by the judge's
 * phone (a live total while scoring), the staff preview and the cloud functions that publish
 * results. Pure: no wx, no Node, no clock.
 *
 * Exactness without BigInt: scores are half-points and weights whole numbers, so with hᵢ = 2·sᵢ a
 * judge's total is 100·H / D where H = Σ wᵢ·hᵢ and D = Σ wᵢ·2·maxᵢ are integers and D is fixed by
 * the rubric. Every exact quantity (score, mean, spread) is then a sum of H's over a count times D,
 * so the hot loop only adds integers, and one exact division rounds each figure at the very end.
 */
import type { Err, Ok } from '../result';
import { ok } from '../result';
import type { Fraction } from './rational';
import { floorDiv, formatHundredths, fraction, hundredthsOf, hundredthsOfFloat } from './rational';

// ---- rubric, settings, input -------------------------------------------------------------------

export interface Criterion {
  id: string;
  name: string;
  /** Whole number ≥ 1 (e.g. 50 / 30 / 20). */
  weight: number;
  /** > 0, a multiple of 0.5. */
  max: number;
}

export interface Rubric {
  criteria: Criterion[];
}

/** num / den of something, rounded down when applied to a head count. */
export interface Share {
  num: number;
  den: number;
}

/** One award tier: a fixed count, or a share of the participants (rounded down). */
export interface AwardTier {
  id: string;
  /** 一等奖, 二等奖, 三等奖, 优秀奖… */
  name: string;
  count?: number;
  share?: Share;
}

export interface ScoringSettings {
  normalise: boolean;
  /** With at least this many totals an entry's highest and lowest are dropped. */
  trimAt: number;
  /** Spread (max − min of raw totals) above this flags the entry for 复核. */
  spreadThreshold: number;
  /** In award order, highest first. */
  tiers: AwardTier[];
  /** All tiers together at most ⌊participants × capShare⌋ … */
  capShare: Share;
  /** … unless staff override it (the override is recorded by the caller, with who and why). */
  capOverride: number | null;
}

export const DEFAULT_SCORING: Readonly<Omit<ScoringSettings, 'tiers'>> = {
  normalise: false,
  trimAt: 5,
  spreadThreshold: 20,
  capShare: { num: 1, den: 3 },
  capOverride: null,
};

/** Settings with the design's defaults for whatever is not given. */
export function scoringSettings(over: Partial<ScoringSettings> = {}): ScoringSettings {
  return {
    ...DEFAULT_SCORING,
    capShare: { ...DEFAULT_SCORING.capShare },
    tiers: [],
    ...over,
  };
}

/** Per-criterion scores by criterion id, in points (half-points allowed). */
export type CriterionScores = Record<string, number>;

/** A judge's final (submitted) score for an entry; drafts never reach the rule. */
export interface FinalScore {
  judgeId: string;
  entryId: string;
  scores: CriterionScores;
}

export type Round = 1 | 2;

export interface ResultsInput {
  rubric: Rubric;
  settings: ScoringSettings;
  /** The participants: the track's approved, submitted entries. Their number sets the quotas. */
  entryIds: readonly string[];
  /** 初评 final scores. */
  scores: readonly FinalScore[];
  /**
   * 复评: the top `k` of 初评 (and all tied with the k-th) scored afresh. `finalists`, when given,
   * are the entries recorded when 复评 started (those that are still participants): they are
   * authoritative, so a later change to the participants cannot move an entry in or out.
   */
  round2?: { k: number; scores: readonly FinalScore[]; finalists?: readonly string[] } | null;
}

// ---- errors ------------------------------------------------------------------------------------

export type ScoringProblem =
  | 'rubric'
  | 'settings'
  | 'entries'
  | 'missing-score'
  | 'unknown-criterion'
  | 'not-a-number'
  | 'out-of-range'
  | 'not-half-point'
  | 'duplicate-score';

/** A refusal the app can show next to the field and the api can answer as is. */
export interface ScoringErr extends Err {
  code: 'INVALID_PAYLOAD';
  problem: ScoringProblem;
  field: string;
}

export type ScoringResult<T> = Ok<T> | ScoringErr;

function fail(problem: ScoringProblem, field: string, message: string): ScoringErr {
  return { ok: false, code: 'INVALID_PAYLOAD', problem, field, message };
}

// ---- output ------------------------------------------------------------------------------------

/** A figure rounded half up to 2 decimals: what is shown, and what every comparison uses. */
export interface Rounded {
  /** "87.33" */
  text: string;
  /** 87.33, the double nearest to the text. */
  value: number;
}

export interface Total {
  exact: Fraction;
  /** For information only: the score is never the mean of shown totals. */
  rounded: Rounded;
}

/** `exact` and `rounded` are shared by every total with the same value (frozen): read-only. */
export interface JudgeTotal extends Total {
  judgeId: string;
  /** The normalised total, unrounded; null when normalisation is off or this judge is left raw. */
  normalised: number | null;
}

/** An entry's figures in one round. */
export interface RoundScore {
  judgeCount: number;
  /** In the order the scores were given. */
  totals: JudgeTotal[];
  /** Highest and lowest dropped (judgeCount ≥ trimAt). */
  trimmed: boolean;
  score: Rounded;
  /** Untrimmed mean: the tie-break. */
  mean: Rounded;
  /** Max − min of the raw totals, normalised or not. */
  spread: Rounded;
  /** Exact score and mean; null when normalised, which is floating point by nature. */
  exact: { score: Fraction; mean: Fraction } | null;
  spreadExact: Fraction;
  /** Spread above the threshold: 复核 before publication. */
  recheck: boolean;
}

export interface EntryResult {
  entryId: string;
  /** Sport style (1, 2, 2, 4); null when the placing round has no score for the entry. */
  rank: number | null;
  award: { tierId: string; name: string } | null;
  /** Carried into 复评. */
  finalist: boolean;
  /** The round whose score placed the entry: 2 for finalists, else 1. */
  placedBy: Round;
  /** That round's figures (the same object as round1 or round2); null when unscored in it. */
  placing: RoundScore | null;
  round1: RoundScore | null;
  round2: RoundScore | null;
}

export interface TierPlan {
  tierId: string;
  name: string;
  /** From the tier's count or share. */
  nominal: number;
  /** After cutting to the cap from the lowest tier up. */
  planned: number;
  cut: number;
}

export interface AwardPlan {
  participants: number;
  cap: number;
  capSource: 'share' | 'override';
  /** Σ nominal. */
  requested: number;
  tiers: TierPlan[];
}

export interface TierOutcome extends TierPlan {
  /** Actually awarded: ties move places between tiers, and a tie at the last boundary may add some. */
  given: number;
}

export interface JudgeNormalisation {
  judgeId: string;
  count: number;
  /** Of the judge's raw totals. */
  mean: number;
  sd: number;
  /** sd = 0 or fewer than 3 totals: left raw. */
  raw: boolean;
}

export interface Normalisation {
  /** Of all final totals of the track and round. */
  mean: number;
  sd: number;
  judges: JudgeNormalisation[];
}

export interface RoundSummary {
  round: Round;
  scores: number;
  scored: number;
  normalisation: Normalisation | null;
}

export type ScoringWarning =
  | { kind: 'tiers-cut'; cap: number; requested: number; message: string }
  | { kind: 'unscored'; round: Round; entryIds: string[]; message: string }
  | { kind: 'recheck'; round: Round; entryIds: string[]; message: string }
  | { kind: 'ignored-scores'; round: Round; reason: 'not-participant' | 'not-finalist'; count: number; message: string }
  | { kind: 'raw-judges'; round: Round; judgeIds: string[]; message: string }
  | { kind: 'cap-tie'; rank: number; entryIds: string[]; tierId: string; cap: number; awarded: number; message: string };

export interface Results extends AwardPlan {
  /** In final order: ranked entries first, then the unranked. */
  entries: EntryResult[];
  tiers: TierOutcome[];
  /** 复评 entries, or null without a 复评. */
  finalists: string[] | null;
  rounds: RoundSummary[];
  warnings: ScoringWarning[];
}

// ---- validation --------------------------------------------------------------------------------

/**
 * Bound on D = Σ wᵢ·2·maxᵢ. It keeps every exact product the rule forms (100 × Σ H over up to
 * MAX_JUDGES_PER_ENTRY totals, and 200 × a remainder below D × count) a safe integer, with room
 * to spare; real rubrics are near D = 2000.
 */
export const MAX_RUBRIC_SCALE = 100_000_000;
export const MAX_JUDGES_PER_ENTRY = 1000;

const isWhole = (x: unknown, min: number): x is number => typeof x === 'number' && Number.isInteger(x) && x >= min;
const isNonEmptyString = (x: unknown): x is string => typeof x === 'string' && x.length > 0;

/** The rubric with its fixed denominator, checked once and reused for every score. */
interface Prepared {
  criteria: Criterion[];
  weights: number[];
  /** 2·maxᵢ */
  halfMax: number[];
  /** D */
  scale: number;
}

export function validateRubric(rubric: Rubric): ScoringErr | null {
  const p = prepare(rubric);
  return 'scale' in p ? null : p;
}

function prepare(rubric: Rubric): Prepared | ScoringErr {
  const list: unknown = rubric?.criteria;
  if (!Array.isArray(list) || list.length === 0) return fail('rubric', 'rubric.criteria', '评分标准至少需要一项');
  const seen = new Set<string>();
  const weights: number[] = [];
  const halfMax: number[] = [];
  let scale = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list[i] as Criterion;
    const at = `rubric.criteria[${i}]`;
    if (!c || !isNonEmptyString(c.id)) return fail('rubric', `${at}.id`, '评分项缺少编号');
    if (seen.has(c.id)) return fail('rubric', `${at}.id`, `评分项编号「${c.id}」重复`);
    seen.add(c.id);
    if (!isWhole(c.weight, 1)) return fail('rubric', `${at}.weight`, `「${c.name}」的权重应为不小于 1 的整数`);
    if (typeof c.max !== 'number' || !(c.max > 0) || !Number.isInteger(c.max * 2))
      return fail('rubric', `${at}.max`, `「${c.name}」的满分应为大于 0 的整数或半分（如 10、7.5）`);
    weights.push(c.weight);
    halfMax.push(c.max * 2);
    scale += c.weight * c.max * 2;
  }
  if (scale > MAX_RUBRIC_SCALE) return fail('rubric', 'rubric.criteria', '权重与满分过大，请按比例缩小');
  return { criteria: list as Criterion[], weights, halfMax, scale };
}

const own = Object.prototype.hasOwnProperty;

/**
 * H = Σ wᵢ·2sᵢ, or -1 when the scores are not a complete, valid final score (scoreProblem then
 * says why). Split so the hot loop builds no strings for the scores that are fine.
 */
function halfPoints(p: Prepared, scores: CriterionScores): number {
  if (typeof scores !== 'object' || scores === null) return -1;
  let h = 0;
  for (let i = 0; i < p.criteria.length; i++) {
    const id = p.criteria[i]!.id;
    if (!own.call(scores, id)) return -1;
    const s = scores[id];
    if (typeof s !== 'number') return -1;
    const half = s * 2; // doubling is exact, so the half-point test on it is too
    if (!Number.isInteger(half) || half < 0 || half > p.halfMax[i]!) return -1;
    h += p.weights[i]! * half;
  }
  // With every criterion present, one more key means an unknown one.
  let keys = 0;
  for (const k in scores) if (own.call(scores, k)) keys++;
  return keys === p.criteria.length ? h : -1;
}

/** Why halfPoints refused, for the field `at`. */
function scoreProblem(p: Prepared, scores: CriterionScores, at: string): ScoringErr {
  if (typeof scores !== 'object' || scores === null) return fail('missing-score', at, '缺少评分');
  for (let i = 0; i < p.criteria.length; i++) {
    const c = p.criteria[i]!;
    const field = `${at}.${c.id}`;
    if (!own.call(scores, c.id)) return fail('missing-score', field, `请为「${c.name}」打分`);
    const s = scores[c.id];
    if (typeof s !== 'number' || !Number.isFinite(s)) return fail('not-a-number', field, `「${c.name}」的分数应为数字`);
    if (s < 0 || s > c.max) return fail('out-of-range', field, `「${c.name}」的分数应在 0 到 ${c.max} 之间`);
    if (!Number.isInteger(s * 2)) return fail('not-half-point', field, `「${c.name}」的分数以 0.5 分为单位`);
  }
  const known = new Set(p.criteria.map((c) => c.id));
  const extra = Object.keys(scores).find((k) => !known.has(k)) ?? '';
  return fail('unknown-criterion', `${at}.${extra}`, `没有「${extra}」这一评分项`);
}

function isShare(s: unknown): s is Share {
  const v = s as Share;
  return typeof v === 'object' && v !== null && isWhole(v.den, 1) && isWhole(v.num, 0) && v.num <= v.den;
}

/** Hundredths of the spread threshold: it is compared with the 2-decimal spread. */
function thresholdHundredths(t: number): number {
  return Math.round(t * 100);
}

export function validateSettings(s: ScoringSettings): ScoringErr | null {
  if (typeof s !== 'object' || s === null) return fail('settings', 'settings', '缺少评分规则设置');
  if (typeof s.normalise !== 'boolean') return fail('settings', 'settings.normalise', '请选择是否标准化');
  // Below 3 a trimmed entry would keep no total at all.
  if (!isWhole(s.trimAt, 3)) return fail('settings', 'settings.trimAt', '去掉最高最低分的评委人数门槛应为不小于 3 的整数');
  const t = s.spreadThreshold;
  if (typeof t !== 'number' || !Number.isFinite(t) || t < 0 || Math.abs(t * 100 - thresholdHundredths(t)) > 1e-6)
    return fail('settings', 'settings.spreadThreshold', '分差阈值应为不小于 0 的数，最多两位小数');
  if (!Array.isArray(s.tiers)) return fail('settings', 'settings.tiers', '缺少奖项设置');
  const ids = new Set<string>();
  for (let i = 0; i < s.tiers.length; i++) {
    const tier = s.tiers[i]!;
    const at = `settings.tiers[${i}]`;
    if (!tier || !isNonEmptyString(tier.id)) return fail('settings', `${at}.id`, '奖项缺少编号');
    if (ids.has(tier.id)) return fail('settings', `${at}.id`, `奖项编号「${tier.id}」重复`);
    ids.add(tier.id);
    if (!isNonEmptyString(tier.name)) return fail('settings', `${at}.name`, '奖项缺少名称');
    const hasCount = tier.count !== undefined;
    const hasShare = tier.share !== undefined;
    if (hasCount === hasShare) return fail('settings', at, `「${tier.name}」应设名额或比例，二者选一`);
    if (hasCount && !isWhole(tier.count, 0)) return fail('settings', `${at}.count`, `「${tier.name}」的名额应为不小于 0 的整数`);
    if (hasShare && !isShare(tier.share)) return fail('settings', `${at}.share`, `「${tier.name}」的比例应为 0 到 1 之间的分数`);
  }
  if (!isShare(s.capShare)) return fail('settings', 'settings.capShare', '获奖比例上限应为 0 到 1 之间的分数');
  if (s.capOverride !== null && !isWhole(s.capOverride, 0))
    return fail('settings', 'settings.capOverride', '调整后的获奖总数上限应为不小于 0 的整数');
  return null;
}

// ---- rule 1: a judge's total -------------------------------------------------------------------

function rounded(h: number): Rounded {
  return { text: formatHundredths(h), value: h / 100 };
}

/**
 * A judge's total, 100 × Σ wᵢ·sᵢ / Σ wᵢ·maxᵢ, exactly, or the first problem with the scores (for
 * the judge's form and the api alike). Every criterion must be scored: a final score is complete.
 */
export function judgeTotal(rubric: Rubric, scores: CriterionScores): ScoringResult<Total> {
  const p = prepare(rubric);
  if (!('scale' in p)) return p;
  const h = halfPoints(p, scores);
  if (h < 0) return scoreProblem(p, scores, 'scores');
  return ok({ exact: fraction(100 * h, p.scale), rounded: rounded(hundredthsOf(100 * h, p.scale)) });
}

// ---- rule 6: the award plan --------------------------------------------------------------------

/**
 * The tiers' quotas for a number of participants, cut to the cap from the lowest tier up: the
 * preview staff see before results exist. Settings must have passed validateSettings.
 */
export function planAwards(participants: number, settings: ScoringSettings): AwardPlan {
  const cap = settings.capOverride ?? floorDiv(participants * settings.capShare.num, settings.capShare.den);
  const nominal = settings.tiers.map((t) => (t.count !== undefined ? t.count : t.share ? floorDiv(participants * t.share.num, t.share.den) : 0));
  const requested = nominal.reduce((a, b) => a + b, 0);
  const planned = nominal.slice();
  let excess = requested - cap;
  for (let i = planned.length - 1; i >= 0 && excess > 0; i--) {
    const c = Math.min(excess, planned[i]!);
    planned[i]! -= c;
    excess -= c;
  }
  return {
    participants,
    cap,
    capSource: settings.capOverride === null ? 'share' : 'override',
    requested,
    tiers: settings.tiers.map((t, i) => ({
      tierId: t.id,
      name: t.name,
      nominal: nominal[i]!,
      planned: planned[i]!,
      cut: nominal[i]! - planned[i]!,
    })),
  };
}

// ---- rule 7: who goes into 复评 ----------------------------------------------------------------

/**
 * The top k of a ranking, with every entry tied with the k-th (sport ranks make that "rank ≤ the
 * k-th's rank"). Unranked entries never qualify. Keeps the ranking's order.
 */
export function pickFinalists(ranking: readonly { entryId: string; rank: number | null }[], k: number): string[] {
  const ranks: number[] = [];
  for (const r of ranking) if (r.rank !== null) ranks.push(r.rank);
  if (ranks.length === 0 || k < 1) return [];
  ranks.sort((a, b) => a - b);
  const last = ranks[Math.min(k, ranks.length) - 1]!;
  return ranking.filter((r) => r.rank !== null && r.rank <= last).map((r) => r.entryId);
}

// ---- rules 2, 3, 4, 8: one round ---------------------------------------------------------------

interface RoundData {
  /** By entry index; null when the entry has no score in the round. */
  scores: (RoundScore | null)[];
  /** Hundredths of score and untrimmed mean, by entry index: the ranking keys. */
  scoreH: number[];
  meanH: number[];
  summary: RoundSummary;
  warnings: ScoringWarning[];
}

function scoreRound(
  p: Prepared,
  settings: ScoringSettings,
  entryIds: readonly string[],
  index: ReadonlyMap<string, number>,
  inRound: ((entry: number) => boolean) | null,
  input: readonly FinalScore[],
  round: Round,
): RoundData | ScoringErr {
  const field = round === 1 ? 'scores' : 'round2.scores';
  const n = entryIds.length;
  // The scores that count, flat and typed (35,000 of them must not mean 35,000 small objects):
  // entry index, H, judge index, position in the input (for error fields).
  const ent = new Int32Array(input.length);
  const hs = new Int32Array(input.length); // H ≤ D ≤ MAX_RUBRIC_SCALE < 2^31
  const jud = new Int32Array(input.length);
  const src = new Int32Array(input.length);
  const judgeIndex = new Map<string, number>();
  const judgeIds: string[] = [];
  let m = 0;
  let notParticipant = 0;
  let notFinalist = 0;
  for (let i = 0; i < input.length; i++) {
    const s = input[i]!;
    if (!s || !isNonEmptyString(s.judgeId)) return fail('entries', `${field}[${i}].judgeId`, '评分缺少评委');
    const e = index.get(s.entryId);
    if (e === undefined) {
      notParticipant++;
      continue;
    }
    if (inRound && !inRound(e)) {
      notFinalist++;
      continue;
    }
    const h = halfPoints(p, s.scores);
    if (h < 0) return scoreProblem(p, s.scores, `${field}[${i}].scores`);
    let j = judgeIndex.get(s.judgeId);
    if (j === undefined) {
      j = judgeIds.length;
      judgeIndex.set(s.judgeId, j);
      judgeIds.push(s.judgeId);
    }
    ent[m] = e;
    hs[m] = h;
    jud[m] = j;
    src[m] = i;
    m++;
  }

  // Group by entry, keeping input order within an entry (counting sort: O(n + m)).
  const start = new Int32Array(n + 1);
  for (let i = 0; i < m; i++) start[ent[i]! + 1]!++;
  for (let e = 0; e < n; e++) start[e + 1]! += start[e]!;
  const fill = start.slice(0, n);
  const order = new Int32Array(m);
  for (let i = 0; i < m; i++) order[fill[ent[i]!]!++] = i;

  // One final score per judge and entry: a second one is a fault upstream, not a second vote.
  const lastEntry = new Int32Array(judgeIds.length).fill(-1);
  for (let e = 0; e < n; e++)
    for (let x = start[e]!; x < start[e + 1]!; x++) {
      const i = order[x]!;
      if (lastEntry[jud[i]!] === e) return fail('duplicate-score', `${field}[${src[i]}]`, `评委对作品 ${entryIds[e]} 有两份评分`);
      lastEntry[jud[i]!] = e;
    }

  const D = p.scale;
  const toPoints = 100 / D;
  const warnings: ScoringWarning[] = [];

  // Rule 2. `used` is what trimming and means work on: the normalised total, or the raw one.
  let normalisation: Normalisation | null = null;
  let used: Float64Array | null = null;
  let normalised: Uint8Array | null = null;
  if (settings.normalise && m > 0) {
    // Statistics in H units (integers, summed exactly); z is scale-free, the result is scaled back.
    const J = judgeIds.length;
    const count = new Float64Array(J);
    const sum = new Float64Array(J);
    const lo = new Float64Array(J).fill(Infinity);
    const hi = new Float64Array(J).fill(-Infinity);
    let sumAll = 0;
    for (let i = 0; i < m; i++) {
      const h = hs[i]!;
      const j = jud[i]!;
      sumAll += h;
      count[j]!++;
      sum[j]! += h;
      if (h < lo[j]!) lo[j] = h;
      if (h > hi[j]!) hi[j] = h;
    }
    const meanAll = sumAll / m;
    const mean = new Float64Array(J);
    for (let j = 0; j < J; j++) mean[j] = sum[j]! / count[j]!;
    const sq = new Float64Array(J);
    let sqAll = 0;
    for (let i = 0; i < m; i++) {
      const h = hs[i]!;
      const d = h - mean[jud[i]!]!;
      sq[jud[i]!]! += d * d;
      sqAll += (h - meanAll) * (h - meanAll);
    }
    const sdAll = Math.sqrt(sqAll / m);
    // sd = 0 is decided on the integers (all totals equal), never on a float that may be 1e-15.
    const raw = new Uint8Array(J);
    const sd = new Float64Array(J);
    const judges: JudgeNormalisation[] = [];
    const rawJudges: string[] = [];
    for (let j = 0; j < J; j++) {
      raw[j] = count[j]! < 3 || lo[j] === hi[j] ? 1 : 0;
      sd[j] = lo[j] === hi[j] ? 0 : Math.sqrt(sq[j]! / count[j]!);
      judges.push({ judgeId: judgeIds[j]!, count: count[j]!, mean: mean[j]! * toPoints, sd: sd[j]! * toPoints, raw: raw[j] === 1 });
      if (raw[j]) rawJudges.push(judgeIds[j]!);
    }
    used = new Float64Array(m);
    normalised = new Uint8Array(m);
    for (let i = 0; i < m; i++) {
      const j = jud[i]!;
      if (raw[j]) used[i] = hs[i]! * toPoints;
      else {
        used[i] = (meanAll + (sdAll * (hs[i]! - mean[j]!)) / sd[j]!) * toPoints;
        normalised[i] = 1;
      }
    }
    normalisation = { mean: meanAll * toPoints, sd: sdAll * toPoints, judges };
    if (rawJudges.length > 0)
      warnings.push({
        kind: 'raw-judges',
        round,
        judgeIds: rawJudges,
        message: `${rawJudges.length} 位评委的评分少于 3 份或全部相同，未做标准化，按原始分计`,
      });
  }

  // A judge's total depends on H alone: one frozen object per distinct H, shared by every total
  // that has it (a track has a few hundred distinct totals, not 35,000).
  const totalOf = new Map<number, Total>();
  const total = (h: number): Total => {
    let t = totalOf.get(h);
    if (!t) {
      t = Object.freeze({ exact: Object.freeze(fraction(100 * h, D)), rounded: Object.freeze(rounded(hundredthsOf(100 * h, D))) });
      totalOf.set(h, t);
    }
    return t;
  };

  const threshold = thresholdHundredths(settings.spreadThreshold);
  const scores = new Array<RoundScore | null>(n).fill(null);
  const scoreH = new Array<number>(n).fill(0);
  const meanH = new Array<number>(n).fill(0);
  const unscored: string[] = [];
  const flagged: string[] = [];
  let scored = 0;
  for (let e = 0; e < n; e++) {
    const from = start[e]!;
    const to = start[e + 1]!;
    const k = to - from;
    if (k === 0) {
      if (!inRound || inRound(e)) unscored.push(entryIds[e]!);
      continue;
    }
    if (k > MAX_JUDGES_PER_ENTRY) return fail('entries', field, `作品 ${entryIds[e]} 的评分超过 ${MAX_JUDGES_PER_ENTRY} 份`);
    const trimmed = k >= settings.trimAt;
    let sum = 0;
    let lo = Infinity;
    let hi = -Infinity;
    const totals = new Array<JudgeTotal>(k);
    for (let x = from; x < to; x++) {
      const i = order[x]!;
      const h = hs[i]!;
      sum += h;
      if (h < lo) lo = h;
      if (h > hi) hi = h;
      const t = total(h);
      totals[x - from] = { judgeId: judgeIds[jud[i]!]!, exact: t.exact, rounded: t.rounded, normalised: normalised?.[i] ? used![i]! : null };
    }
    let sH: number;
    let mH: number;
    let exact: RoundScore['exact'] = null;
    if (used) {
      // Trim on the totals that count; drop one lowest and one highest position, even among equals.
      let fsum = 0;
      let xLo = from;
      let xHi = from;
      for (let x = from; x < to; x++) {
        const v = used[order[x]!]!;
        fsum += v;
        if (v < used[order[xLo]!]!) xLo = x;
        if (v > used[order[xHi]!]!) xHi = x;
      }
      if (xLo === xHi) xHi = xLo === from ? from + 1 : from; // all equal (k ≥ 3 when trimmed)
      let kept = 0;
      if (trimmed) for (let x = from; x < to; x++) if (x !== xLo && x !== xHi) kept += used[order[x]!]!;
      sH = hundredthsOfFloat(trimmed ? kept / (k - 2) : fsum / k);
      mH = hundredthsOfFloat(fsum / k);
    } else {
      const keptSum = trimmed ? sum - lo - hi : sum;
      const keptCount = trimmed ? k - 2 : k;
      sH = hundredthsOf(100 * keptSum, D * keptCount);
      mH = hundredthsOf(100 * sum, D * k);
      exact = { score: fraction(100 * keptSum, D * keptCount), mean: fraction(100 * sum, D * k) };
    }
    const spreadH = hundredthsOf(100 * (hi - lo), D);
    const recheck = spreadH > threshold;
    if (recheck) flagged.push(entryIds[e]!);
    scored++;
    scoreH[e] = sH;
    meanH[e] = mH;
    scores[e] = {
      judgeCount: k,
      totals,
      trimmed,
      score: rounded(sH),
      mean: rounded(mH),
      spread: rounded(spreadH),
      exact,
      spreadExact: fraction(100 * (hi - lo), D),
      recheck,
    };
  }

  const name = round === 1 ? '初评' : '复评';
  if (notParticipant > 0)
    warnings.push({ kind: 'ignored-scores', round, reason: 'not-participant', count: notParticipant, message: `${name}有 ${notParticipant} 份评分所评作品不在参评作品之列，未计入` });
  if (notFinalist > 0)
    warnings.push({ kind: 'ignored-scores', round, reason: 'not-finalist', count: notFinalist, message: `复评有 ${notFinalist} 份评分所评作品未进入复评，未计入` });
  if (unscored.length > 0)
    warnings.push({
      kind: 'unscored',
      round,
      entryIds: unscored,
      message:
        round === 1
          ? `${unscored.length} 件作品尚无${name}评分，不参与排名`
          : `${unscored.length} 件复评作品尚无复评评分：不参与排名，排在其后的作品暂不评奖`,
    });
  if (flagged.length > 0)
    warnings.push({ kind: 'recheck', round, entryIds: flagged, message: `${flagged.length} 件作品${name}分差超过 ${settings.spreadThreshold} 分，公布前需复核` });

  return { scores, scoreH, meanH, summary: { round, scores: m, scored, normalisation }, warnings };
}

// ---- rule 5: ranking ---------------------------------------------------------------------------

/**
 * Scored entries best first, with sport ranks. Keys are the 2-decimal hundredths (integers), so
 * equal-looking figures tie and nothing below the second decimal can split them. Entry id orders
 * a shared rank for display only.
 */
function rank(members: number[], r: RoundData, entryIds: readonly string[]): { order: number[]; ranks: number[] } {
  const order = members.filter((e) => r.scores[e] !== null);
  order.sort((a, b) => r.scoreH[b]! - r.scoreH[a]! || r.meanH[b]! - r.meanH[a]! || (entryIds[a]! < entryIds[b]! ? -1 : 1));
  const ranks = new Array<number>(order.length);
  for (let i = 0; i < order.length; i++) {
    const e = order[i]!;
    const prev = i > 0 ? order[i - 1]! : -1;
    ranks[i] = prev >= 0 && r.scoreH[prev] === r.scoreH[e] && r.meanH[prev] === r.meanH[e] ? ranks[i - 1]! : i + 1;
  }
  return { order, ranks };
}

// ---- everything --------------------------------------------------------------------------------

/** A track's results: rounds, ranks, awards, the award plan and what staff should look at. */
export function computeResults(input: ResultsInput): ScoringResult<Results> {
  const p = prepare(input.rubric);
  if (!('scale' in p)) return p;
  const settings = input.settings;
  const bad = validateSettings(settings);
  if (bad) return bad;
  const entryIds = input.entryIds;
  if (!Array.isArray(entryIds)) return fail('entries', 'entryIds', '缺少参评作品');
  const index = new Map<string, number>();
  for (let i = 0; i < entryIds.length; i++) {
    const id = entryIds[i];
    if (!isNonEmptyString(id)) return fail('entries', `entryIds[${i}]`, '作品编号无效');
    if (index.has(id)) return fail('entries', `entryIds[${i}]`, `作品 ${id} 重复`);
    index.set(id, i);
  }
  const round2 = input.round2 ?? null;
  if (round2 && !isWhole(round2.k, 1)) return fail('entries', 'round2.k', '进入复评的作品数应为不小于 1 的整数');

  const n = entryIds.length;
  const all = Array.from({ length: n }, (_, i) => i);
  const r1 = scoreRound(p, settings, entryIds, index, null, input.scores, 1);
  if (!('summary' in r1)) return r1;
  const ranked1 = rank(all, r1, entryIds);
  const rank1 = new Array<number | null>(n).fill(null);
  ranked1.order.forEach((e, i) => (rank1[e] = ranked1.ranks[i]!));
  const warnings: ScoringWarning[] = [...r1.warnings];
  const rounds: RoundSummary[] = [r1.summary];

  // The final order as (entry, rank, round) rows; awards walk it from the top.
  const rows: { e: number; rank: number | null; round: Round }[] = [];
  let r2: RoundData | null = null;
  let finalists: string[] | null = null;
  const isFinalist = new Uint8Array(n);
  if (round2) {
    const ranking = ranked1.order.map((e, i) => ({ entryId: entryIds[e]!, rank: ranked1.ranks[i]! }));
    if (round2.finalists) {
      const recorded = new Set(round2.finalists);
      finalists = ranking.map((r) => r.entryId).filter((id) => recorded.has(id));
    } else finalists = pickFinalists(ranking, round2.k);
    for (const id of finalists) isFinalist[index.get(id)!] = 1;
    const got = scoreRound(p, settings, entryIds, index, (e) => isFinalist[e] === 1, round2.scores, 2);
    if (!('summary' in got)) return got;
    r2 = got;
    warnings.push(...got.warnings);
    rounds.push(got.summary);
    const fin = ranked1.order.filter((e) => isFinalist[e] === 1);
    const ranked2 = rank(fin, got, entryIds);
    ranked2.order.forEach((e, i) => rows.push({ e, rank: ranked2.ranks[i]!, round: 2 }));
    for (const e of fin) if (got.scores[e] === null) rows.push({ e, rank: null, round: 2 });
    // Everyone not carried over keeps the 初评 rank: all finalists were ahead of them there too.
    for (const e of ranked1.order) if (isFinalist[e] !== 1) rows.push({ e, rank: rank1[e]!, round: 1 });
  } else {
    for (const e of ranked1.order) rows.push({ e, rank: rank1[e]!, round: 1 });
  }
  for (let e = 0; e < n; e++) if (r1.scores[e] === null) rows.push({ e, rank: null, round: 1 });

  // Rule 6.
  const plan = planAwards(n, settings);
  if (plan.requested > plan.cap)
    warnings.push({
      kind: 'tiers-cut',
      cap: plan.cap,
      requested: plan.requested,
      message: `各奖项名额合计 ${plan.requested} 个，超过上限 ${plan.cap} 个，已从最低奖项起削减`,
    });
  const award = new Array<number>(n).fill(-1);
  const left = plan.tiers.map((t) => t.planned);
  const given = plan.tiers.map(() => 0);
  let awarded = 0;
  let tier = 0;
  for (let i = 0; i < rows.length; ) {
    const head = rows[i]!;
    if (head.rank === null) break; // an unplaced entry: nobody below can be placed above it
    let j = i + 1;
    while (j < rows.length && rows[j]!.rank === head.rank) j++;
    const group = j - i;
    while (tier < left.length && left[tier] === 0) tier++;
    if (tier === left.length) break;
    if (awarded + group > plan.cap) {
      const ids = rows.slice(i, j).map((row) => entryIds[row.e]!);
      warnings.push({
        kind: 'cap-tie',
        rank: head.rank,
        entryIds: ids,
        tierId: plan.tiers[tier]!.tierId,
        cap: plan.cap,
        awarded,
        message: `第 ${head.rank} 名并列 ${group} 件作品，全部获奖将超过获奖总数上限 ${plan.cap}（此前已有 ${awarded} 件获奖）：该名次及以后均不评奖，可由工作人员调整上限`,
      });
      break;
    }
    for (let x = i; x < j; x++) award[rows[x]!.e] = tier;
    awarded += group;
    given[tier]! += group;
    // A tie over the boundary all take this tier; the overrun comes off the next tiers in order.
    let over = group - left[tier]!;
    left[tier] = Math.max(0, left[tier]! - group);
    for (let u = tier + 1; u < left.length && over > 0; u++) {
      const take = Math.min(over, left[u]!);
      left[u]! -= take;
      over -= take;
    }
    i = j;
  }

  const entries: EntryResult[] = rows.map(({ e, rank: rk, round }) => {
    const s1 = r1.scores[e] ?? null;
    const s2 = r2 ? (r2.scores[e] ?? null) : null;
    const t = award[e]!;
    const tierDef = t >= 0 ? settings.tiers[t]! : null;
    return {
      entryId: entryIds[e]!,
      rank: rk,
      award: tierDef ? { tierId: tierDef.id, name: tierDef.name } : null,
      finalist: isFinalist[e] === 1,
      placedBy: round,
      placing: round === 2 ? s2 : s1,
      round1: s1,
      round2: s2,
    };
  });

  return ok({
    ...plan,
    tiers: plan.tiers.map((t, i) => ({ ...t, given: given[i]! })),
    entries,
    finalists,
    rounds,
    warnings,
  });
}
