/**
 * Pooled judgement of the numeric answers about one fact: every route (the direct question, the indirect ones that
 * convert through trading days or margins, a control) measures the same true value, so the answers are judged
 * together — by how far each is off on a log scale, under a noise model per question kind, and by whether they
 * agree with each other — instead of one by one against tolerance bands. This is the sales triangulation of
 * DOMAIN.md (takings × days, purchases ÷ (1 − margin), account inflows), made into a likelihood.
 *
 * Model, on y = ln(answer in the fact's unit / the bank's expectation):
 * - fact as expected: the true value x ~ N(0, τ_T²), and every route answers y_k = x + ε_k, ε_k ~ N(0, s_k²);
 * - fact not as expected: x ~ N(0, τ_F²) with τ_F ≫ τ_T, and each answer either repeats the claim made to the loan
 *   officer (probability ρ_kind; then it looks like an honest answer, y_k ~ N(0, τ_T² + s_k²), independent of x)
 *   or follows the true value, y_k = x + ε_k;
 * - an unreliable respondent: answers independent of the truth, y_k ~ N(0, σ_U² + s_k²); the respondent is reliable
 *   with probability r, as in the outcome model (answer-model.ts).
 * The answers of a route-follower share x, so their joint density is Gaussian with covariance τ²·11ᵀ + diag(s²);
 * its closed form is the conjugate normal marginal likelihood (e.g. Murphy 2007, "Conjugate Bayesian analysis of
 * the Gaussian distribution", §2.5). The evidence one answer adds is the ratio of the joint likelihoods with and
 * without it: ln LR = [ℓ_T(all) − ℓ_T(earlier)] − [ℓ_F(all) − ℓ_F(earlier)], the exact sequential Bayes factor.
 *
 * A repeated claim thus never clears a fact that another route contradicts: under "as expected" the routes must
 * agree, and a direct answer at the claim beside an indirect one 35% below is what "not as expected" predicts.
 */
import type { QuestionKind } from '../../questions/types.js';
import type { Verification } from './types.js';

export interface DeviationModel {
  /** Spread of ln(true / expected) when the fact is as expected. */
  tauTrue: number;
  /** Spread of ln(true / expected) when it is not. */
  tauFalse: number;
  /** Spread of a route's answer around the true value, per question kind (ln units). */
  noise: Record<QuestionKind, number>;
  /** When the fact is not as expected, the chance an answer of this kind repeats the claim. */
  repeatClaim: Record<QuestionKind, number>;
  /** Extra spread of a figure given as rough (多, 左右, 大概). */
  approxSd: number;
  /** Spread of an unreliable respondent's answers around the expectation. */
  unreliableSd: number;
  /**
   * "As expected" is the bank's own definition: the true value within the fact's fail tolerance of the expectation.
   * The true value's prior is then cut at the tolerance band — inside it under "as expected", outside under "not" —
   * so that a firm answer near the expectation is strong evidence for the fact (no false value sits there), and an
   * honest figure 10–25% off is not read as a misstatement. Without it the two hypotheses are two spreads around
   * the expectation that overlap near it.
   */
  banded?: boolean;
  /**
   * Extra spread of a misstating applicant's answers that do not repeat the claim: worked out on the spot and
   * drawn part of the way towards the claim, they scatter more than an honest route does (0 or absent: none).
   */
  anchorSd?: number;
  /**
   * How far a misstating applicant's worked-out answers sit from the claim, as a share of the true value's distance
   * (1 or absent: all the way). An insider working a figure out on the spot lets the truth show only part of the
   * way, so under "not as expected" those answers are read against the band shrunk by this factor towards the
   * expectation: an indirect answer 20% below a claim then counts against it rather than for it. Only the side a
   * misstatement of the fact lies on (`lowSide`; none when it is not calibrated, since far-off answers would
   * then read as weaker evidence) is shrunk. Of 0.75, 0.85 and 1 (none), 0.85 (the
   * default) keeps the widest margin on every target of the simulator benchmark on the tuning and validation
   * interviews: ~0.5 point more fabricators caught for ~2 points of MCTS's lead over the fixed order
   * (bench/README.md, dialog-policy; judgement `default-no-pull` for comparison).
   */
  followShrink?: number;
  /** Per fact id, `LogBand.lowShare`: where a misstated fact's true value lies, below or above the band. */
  lowSide?: Record<string, number>;
  /** Share of true facts whose true value scatters wider, with spread `tauWide` (0 or absent: none). */
  wideShare?: number;
  tauWide?: number;
}

/** One numeric answer about a fact, in the fact's unit, with the bank's expectation in the same unit. */
export interface RouteAnswer {
  kind: QuestionKind;
  value?: number;
  low?: number;
  high?: number;
  approx: boolean;
  expected: number;
}

/** A route answer on the log scale: y and the variance of its reading (range width, roughness). */
export interface LogReading {
  kind: QuestionKind;
  y: number;
  /** Variance of the reading itself, before the route's noise. */
  extra: number;
}

const Y_LIMIT = 5;
const LN_2PI = Math.log(2 * Math.PI);

/**
 * ln(answer / expected) of a route answer; a range enters by its log midpoint with the variance of a uniform
 * over its log width, (width/2)²/3. Undefined when there is no positive expectation to compare with.
 */
export function logReading(a: RouteAnswer, model: DeviationModel): LogReading | undefined {
  if (!(a.expected > 0) || !Number.isFinite(a.expected)) return undefined;
  const floor = a.expected * Math.exp(-Y_LIMIT);
  const lo = a.value ?? a.low ?? a.high;
  const hi = a.value ?? a.high ?? a.low;
  if (lo === undefined || hi === undefined || !Number.isFinite(lo) || !Number.isFinite(hi)) return undefined;
  const l = Math.log(Math.max(Math.min(lo, hi), floor) / a.expected);
  const h = Math.log(Math.max(Math.max(lo, hi), floor) / a.expected);
  const y = Math.max(-Y_LIMIT, Math.min(Y_LIMIT, (l + h) / 2));
  const half = (h - l) / 2;
  const extra = (half * half) / 3 + (a.approx ? model.approxSd * model.approxSd : 0);
  return { kind: a.kind, y, extra };
}

/** ln of the density of readings that share one true value x ~ N(0, tau²): conjugate normal marginal. */
function sharedLogLik(ys: readonly number[], vs: readonly number[], tau: number): number {
  if (ys.length === 0) return 0;
  let sq = 0;
  let lin = 0;
  let prec = 0;
  let logDet = 0;
  for (let i = 0; i < ys.length; i++) {
    const v = vs[i]!;
    sq += (ys[i]! * ys[i]!) / v;
    lin += ys[i]! / v;
    prec += 1 / v;
    logDet += Math.log(v);
  }
  const t2 = tau * tau;
  const quad = sq - (lin * lin) / (1 / t2 + prec);
  logDet += Math.log(1 + t2 * prec);
  return -0.5 * (quad + logDet + ys.length * LN_2PI);
}

/** The tolerance band of a fact on the log scale: "as expected" means ln(true / expected) lies in [lo, hi]. */
export interface LogBand {
  lo: number;
  hi: number;
  /**
   * When the fact is not as expected, the chance its true value lies below the band rather than above it (absent:
   * the prior's own split). Applicants misstate a figure the way they gain from, so this is far from ½ for sales
   * or debts; it is calibrated per fact from past interviews (`fitDeviationModel`).
   */
  lowShare?: number;
}

/** The band of a relative fail tolerance t: [ln(1 − t), ln(1 + t)] (no lower end from t ≥ 1). */
export const bandOf = (fail: number): LogBand => ({
  lo: fail < 1 ? Math.log(1 - fail) : -Infinity,
  hi: Math.log(1 + fail),
});

/**
 * erfc with fractional error below 1.2e-7 everywhere (Chebyshev fit; Press et al., Numerical Recipes in C, 2nd ed.,
 * §6.2, `erfcc`), so the tail masses below keep their relative accuracy far out.
 */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  let poly = 0;
  for (let i = ERFC_COEFFS.length - 1; i >= 0; i--) poly = ERFC_COEFFS[i]! + t * poly;
  const r = t * Math.exp(-z * z + poly);
  return x >= 0 ? r : 2 - r;
}

/** The exponent's polynomial in t of `erfcc`, lowest power first. */
const ERFC_COEFFS = [
  -1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587,
  -0.82215223, 0.17087277,
];

/** P(Z > z) for a standard normal Z. */
const upperTail = (z: number) => 0.5 * erfc(z / Math.SQRT2);

/** P(a < Z < b) for a standard normal Z, each side taken from its own tail so that small masses stay exact. */
function massBetween(a: number, b: number): number {
  if (!(b > a)) return 0;
  if (a >= 0) return upperTail(a) - upperTail(b);
  if (b <= 0) return upperTail(-b) - upperTail(-a);
  return 1 - upperTail(b) - upperTail(-a);
}

const MIN_LOG = -700;
const safeLog = (x: number) => (x > 0 ? Math.log(x) : MIN_LOG);

/**
 * ln of the density of readings sharing one true value x whose prior is N(0, τ²) restricted to the band (`inside`)
 * or to its complement: the unrestricted conjugate marginal times the posterior mass of x on the side, over the
 * prior mass of the side (the truncated-normal prior's normalisation).
 */
function sideLogLik(
  ys: readonly number[],
  vs: readonly number[],
  tau: number,
  band: LogBand,
  inside: boolean,
): number {
  if (ys.length === 0) return 0;
  let prec = 1 / (tau * tau);
  let lin = 0;
  for (let i = 0; i < ys.length; i++) {
    prec += 1 / vs[i]!;
    lin += ys[i]! / vs[i]!;
  }
  const m = lin / prec;
  const sd = 1 / Math.sqrt(prec);
  const marginal = sharedLogLik(ys, vs, tau);
  if (!inside && band.lowShare !== undefined) {
    // Outside the band as a mixture of its two sides, each the prior restricted to it, weighed by `lowShare`.
    const priorLow = massBetween(-Infinity, band.lo / tau);
    const priorHigh = massBetween(band.hi / tau, Infinity);
    const low = priorLow > 0 ? (band.lowShare * massBetween(-Infinity, (band.lo - m) / sd)) / priorLow : 0;
    const high =
      priorLow > 0
        ? ((1 - band.lowShare) * massBetween((band.hi - m) / sd, Infinity)) / priorHigh
        : massBetween((band.hi - m) / sd, Infinity) / priorHigh;
    return marginal + safeLog(low + high);
  }
  const lo = (band.lo - m) / sd;
  const hi = (band.hi - m) / sd;
  // The outside mass from its two tails, not as 1 − inside, which loses it when it is tiny.
  const post = inside ? massBetween(lo, hi) : massBetween(-Infinity, lo) + massBetween(hi, Infinity);
  const prior = inside
    ? massBetween(band.lo / tau, band.hi / tau)
    : massBetween(-Infinity, band.lo / tau) + massBetween(band.hi / tau, Infinity);
  return marginal + safeLog(post) - safeLog(prior);
}

/**
 * ln P(readings | fact as expected): the true value is near the expectation, N(0, τ_T²), with probability 1 − w,
 * and anywhere a wider spread puts it, N(0, τ_W²), with probability w (an officer's slip, a bad month within the
 * tolerance). The heavier tail keeps an honest applicant whose true figure sits 10–25% off from reading as one
 * who misstates it; each component is the conjugate marginal of `sharedLogLik`. With a band, both components are
 * restricted to it (the mixture's weights renormalised by their mass inside).
 */
function trueLogLik(
  ys: readonly number[],
  vs: readonly number[],
  model: DeviationModel,
  band: LogBand | undefined,
): number {
  const w = model.wideShare ?? 0;
  const tauW = model.tauWide ?? model.tauTrue;
  if (!band) {
    const near = sharedLogLik(ys, vs, model.tauTrue);
    if (!(w > 0) || ys.length === 0) return near;
    return logSumExp(Math.log(1 - w) + near, Math.log(w) + sharedLogLik(ys, vs, tauW));
  }
  if (ys.length === 0) return 0;
  const massNear = massBetween(band.lo / model.tauTrue, band.hi / model.tauTrue);
  const near = Math.log(1 - w) + safeLog(massNear) + sideLogLik(ys, vs, model.tauTrue, band, true);
  if (!(w > 0)) return near - safeLog(massNear) - Math.log(1 - w);
  const massWide = massBetween(band.lo / tauW, band.hi / tauW);
  const wide = Math.log(w) + safeLog(massWide) + sideLogLik(ys, vs, tauW, band, true);
  return logSumExp(near, wide) - Math.log((1 - w) * massNear + w * massWide);
}

const normalLog = (y: number, v: number) => -0.5 * ((y * y) / v + Math.log(v) + LN_2PI);

function logSumExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = Math.max(a, b);
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
}

/** At most this many answers are mixed over their repeat-or-follow choice (2^n terms); later ones follow. */
const MAX_MIXED = 8;

/** ln P(readings | fact as expected) and ln P(readings | not), for a reliable respondent, and ln P(· | unreliable). */
export function pooledLogLiks(
  readings: readonly LogReading[],
  model: DeviationModel,
  band?: LogBand,
): { ifTrue: number; ifFalse: number; unreliable: number } {
  const ys = readings.map((r) => r.y);
  const vs = readings.map((r) => model.noise[r.kind] ** 2 + r.extra);
  const ifTrue = trueLogLik(ys, vs, model, band);
  let unreliable = 0;
  for (let i = 0; i < ys.length; i++) unreliable += normalLog(ys[i]!, model.unreliableSd ** 2 + vs[i]!);
  const mixed: number[] = [];
  readings.forEach((r, i) => {
    if (model.repeatClaim[r.kind] > 0 && mixed.length < MAX_MIXED) mixed.push(i);
  });
  const t2 = model.tauTrue * model.tauTrue;
  const anchor2 = (model.anchorSd ?? 0) ** 2;
  const shrink = model.followShrink ?? 1;
  // τ_F is fitted on the followers' readings themselves, so it already measures the shrunk spread: only the band
  // moves.
  const side = band?.lowShare;
  const followBand =
    band && shrink !== 1
      ? {
          ...band,
          lo: side !== undefined && side > 0.5 ? band.lo * shrink : band.lo,
          hi: side !== undefined && side < 0.5 ? band.hi * shrink : band.hi,
        }
      : band;
  let ifFalse = -Infinity;
  for (let mask = 0; mask < 1 << mixed.length; mask++) {
    let term = 0;
    const fy: number[] = [];
    const fv: number[] = [];
    const repeats = new Set<number>();
    mixed.forEach((i, b) => {
      if (mask & (1 << b)) repeats.add(i);
    });
    for (let i = 0; i < ys.length; i++) {
      const rho = model.repeatClaim[readings[i]!.kind];
      if (repeats.has(i)) {
        term += Math.log(rho) + normalLog(ys[i]!, t2 + vs[i]!);
      } else {
        if (mixed.includes(i)) term += Math.log(1 - rho);
        fy.push(ys[i]!);
        fv.push(vs[i]! + anchor2);
      }
    }
    term += followBand
      ? sideLogLik(fy, fv, model.tauFalse, followBand, false)
      : sharedLogLik(fy, fv, model.tauFalse);
    ifFalse = logSumExp(ifFalse, term);
  }
  return { ifTrue, ifFalse, unreliable };
}

/** ln of the mixture r·P(· | reliable) + (1 − r)·P(· | unreliable). */
function withReliability(reliable: number, unreliable: number, r: number): number {
  if (r >= 1) return reliable;
  if (r <= 0) return unreliable;
  return logSumExp(Math.log(r) + reliable, Math.log(1 - r) + unreliable);
}

/**
 * The log Bayes factor (fact as expected vs not) that the answer `latest` adds to the `earlier` answers about the
 * same fact, for a respondent reliable with probability `r`. Undefined if the latest answer cannot be read.
 */
export function pooledLogLR(
  earlier: readonly RouteAnswer[],
  latest: RouteAnswer,
  model: DeviationModel,
  r: number,
  failTolerance?: number,
  factId?: string,
): number | undefined {
  const last = logReading(latest, model);
  if (!last) return undefined;
  const before = earlier.map((a) => logReading(a, model)).filter((x): x is LogReading => x !== undefined);
  const lowShare = factId === undefined ? undefined : model.lowSide?.[factId];
  const band =
    model.banded && failTolerance !== undefined
      ? { ...bandOf(failTolerance), ...(lowShare !== undefined ? { lowShare } : {}) }
      : undefined;
  const joint = (rs: readonly LogReading[]) => {
    const l = pooledLogLiks(rs, model, band);
    return {
      t: withReliability(l.ifTrue, l.unreliable, r),
      f: withReliability(l.ifFalse, l.unreliable, r),
    };
  };
  const a = joint([...before, last]);
  const b = joint(before);
  const llr = a.t - b.t - (a.f - b.f);
  return Number.isFinite(llr) ? llr : undefined;
}

/**
 * Starting values before calibration, read off practice: true values within a few percent of a careful officer's
 * figure, direct answers quoted to a few percent, indirect routes (conversions through days and margins) about
 * twice as rough, and an applicant who misstates a fact repeating the claim when asked directly most of the time.
 */
export const UNBANDED_DEVIATION_MODEL: DeviationModel = {
  tauTrue: 0.08,
  tauFalse: 0.45,
  noise: { direct: 0.05, indirect: 0.09, control: 0.06 },
  repeatClaim: { direct: 0.8, indirect: 0, control: 0 },
  approxSd: 0.05,
  unreliableSd: 0.5,
};

/**
 * The default: the starting values above with "as expected" cut at the fact's tolerance band (`banded`), one true
 * fact in ten scattering as wide as 15% (`wideShare`, `tauWide`: an officer's rough figure, a slow month), and a
 * misstating applicant's worked-out answers 15% rougher than an honest route (`anchorSd`) and read as drawn 15% of
 * the way back towards the claim (`followShrink`). The added values are starting values, not fitted
 * (`fitDeviationModel` keeps them); they were chosen on simulated interviews separate from the benchmark's reported
 * ones (bench/README.md, dialog-policy).
 */
export const DEFAULT_DEVIATION_MODEL: DeviationModel = {
  ...UNBANDED_DEVIATION_MODEL,
  banded: true,
  wideShare: 0.1,
  tauWide: 0.15,
  anchorSd: 0.15,
  followShrink: 0.85,
};

/** One logged numeric answer for calibration: its reading, its route and whether the fact turned out true. */
export interface DeviationRecord {
  /** Groups the answers about one fact in one interview. */
  group: string;
  /** The fact, for the side a misstatement of it lies on (`lowSide`). */
  factId?: string;
  kind: QuestionKind;
  y: number;
  extra: number;
  factTrue: boolean;
}

/** median(z²) of a normal is 0.4549·σ² (the median of χ²₁), so median/0.4549 estimates σ² robustly. */
const CHI2_1_MEDIAN = 0.4549;

function robustVar(zs: readonly number[]): number | undefined {
  if (zs.length === 0) return undefined;
  const s = [...zs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const med = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return Math.max(0, med) / CHI2_1_MEDIAN;
}

/**
 * Calibrates the deviation model from labelled past answers with robust moments (medians of squares, so that an
 * officer's odd figure or a wild range does not set the noise of every answer), each shrunk towards the prior with
 * `priorStrength` pseudo-answers (as `fitAnswerModel` does for outcomes):
 * - route noise from differences of two answers about the same true fact, in which the true value cancels:
 *   var(y_i − y_j) = s_i² + s_j² (indirect–indirect pairs give s_indirect, direct–indirect pairs then s_direct);
 * - τ_T² = var(y) − s_k² of true-fact answers, averaged over kinds;
 * - τ_F² = var(y) − s_k² of false-fact answers of kinds that do not repeat the claim;
 * - ρ by EM over false-fact answers of the kinds that may repeat it, between the repeat component
 *   N(0, τ_T² + s²) and the follow component N(0, τ_F² + s²) (Dempster, Laird & Rubin 1977).
 */
export function fitDeviationModel(
  records: readonly DeviationRecord[],
  prior: DeviationModel = DEFAULT_DEVIATION_MODEL,
  priorStrength = 20,
): DeviationModel {
  const k = priorStrength;
  const shrink = (priorVar: number, est: number | undefined, n: number) =>
    est === undefined ? priorVar : (k * priorVar + n * est) / (k + n);
  // The noise of a route is measured on firm point answers; how rough a range or a 大概 is stays the model's.
  const firm = records.filter((r) => r.extra === 0);
  const groups = new Map<string, DeviationRecord[]>();
  for (const r of firm) {
    const g = groups.get(r.group);
    if (g) g.push(r);
    else groups.set(r.group, [r]);
  }
  const ii: number[] = [];
  const di: number[] = [];
  for (const g of groups.values()) {
    if (!g[0]!.factTrue) continue;
    for (let i = 0; i < g.length; i++)
      for (let j = i + 1; j < g.length; j++) {
        const a = g[i]!;
        const b = g[j]!;
        const d = (a.y - b.y) ** 2;
        if (a.kind === 'indirect' && b.kind === 'indirect') ii.push(d);
        else if (
          (a.kind === 'direct') !== (b.kind === 'direct') &&
          (a.kind === 'indirect' || b.kind === 'indirect')
        )
          di.push(d);
      }
  }
  const floor = 1e-4;
  const noise = { ...prior.noise };
  const vII = robustVar(ii);
  const sI2 = Math.max(
    floor,
    shrink(prior.noise.indirect ** 2, vII === undefined ? undefined : vII / 2, ii.length),
  );
  noise.indirect = Math.sqrt(sI2);
  const vDI = robustVar(di);
  noise.direct = Math.sqrt(
    Math.max(floor, shrink(prior.noise.direct ** 2, vDI === undefined ? undefined : vDI - sI2, di.length)),
  );
  const kinds: QuestionKind[] = ['direct', 'indirect', 'control'];
  const tauParts: number[] = [];
  let tauN = 0;
  for (const kind of kinds) {
    const xs = firm.filter((r) => r.factTrue && r.kind === kind).map((r) => r.y * r.y);
    const v = robustVar(xs);
    if (v === undefined) continue;
    if (kind === 'control') {
      // Control facts have one route each, so τ and s cannot be told apart: the control's noise takes the rest.
      continue;
    }
    tauParts.push(v - noise[kind] ** 2);
    tauN += xs.length;
  }
  const tauEst = tauParts.length ? tauParts.reduce((a, b) => a + b, 0) / tauParts.length : undefined;
  const tauTrue2 = Math.max(floor, shrink(prior.tauTrue ** 2, tauEst, tauN));
  const controls = firm.filter((r) => r.factTrue && r.kind === 'control').map((r) => r.y * r.y);
  const vC = robustVar(controls);
  noise.control = Math.sqrt(
    Math.max(
      floor,
      shrink(prior.noise.control ** 2, vC === undefined ? undefined : vC - tauTrue2, controls.length),
    ),
  );
  const follow = firm
    .filter((r) => !r.factTrue && prior.repeatClaim[r.kind] === 0 && r.kind !== 'control')
    .map((r) => r.y * r.y - noise[r.kind] ** 2);
  const vF = robustVar(follow);
  const tauFalse2 = Math.max(4 * tauTrue2, shrink(prior.tauFalse ** 2, vF, follow.length));
  const repeatClaim = { ...prior.repeatClaim };
  for (const kind of kinds) {
    if (prior.repeatClaim[kind] === 0) continue;
    const xs = firm.filter((r) => !r.factTrue && r.kind === kind);
    let rho = prior.repeatClaim[kind];
    for (let it = 0; it < 50; it++) {
      let resp = 0;
      for (const r of xs) {
        const s2 = noise[kind] ** 2;
        const a = Math.log(rho) + normalLog(r.y, tauTrue2 + s2);
        const b = Math.log(1 - rho) + normalLog(r.y, tauFalse2 + s2);
        resp += Math.exp(a - logSumExp(a, b));
      }
      rho = Math.min(0.99, Math.max(0.01, (k * prior.repeatClaim[kind] + resp) / (k + xs.length)));
    }
    repeatClaim[kind] = rho;
  }
  // The side of a misstatement, per fact, from the answers that follow the true value (not the repeated claim):
  // a Beta posterior mean centred on the prior's split (½ when it has none).
  const sides = new Map<string, { low: number; n: number }>();
  for (const r of firm) {
    if (r.factTrue || r.factId === undefined || prior.repeatClaim[r.kind] > 0 || r.kind === 'control')
      continue;
    const c = sides.get(r.factId) ?? { low: 0, n: 0 };
    c.n += 1;
    if (r.y < 0) c.low += 1;
    sides.set(r.factId, c);
  }
  const lowSide: Record<string, number> = { ...prior.lowSide };
  for (const [factId, c] of sides) {
    const p0 = prior.lowSide?.[factId] ?? 0.5;
    lowSide[factId] = (k * p0 + c.low) / (k + c.n);
  }
  return {
    ...prior,
    tauTrue: Math.sqrt(tauTrue2),
    tauFalse: Math.sqrt(tauFalse2),
    noise,
    repeatClaim,
    ...(Object.keys(lowSide).length > 0 ? { lowSide } : {}),
  };
}

/**
 * The log reading of a verified numeric answer, for logging it as a calibration record; undefined when the
 * answer had no value or no expectation. A figure given with less than full strength counts as rough.
 */
export function readingOfVerification(
  v: Pick<Verification, 'questionKind' | 'factValue' | 'factLow' | 'factHigh' | 'factExpected' | 'strength'>,
  model: DeviationModel,
): LogReading | undefined {
  if (v.factExpected === undefined) return undefined;
  const value = typeof v.factValue === 'number' ? v.factValue : undefined;
  if (value === undefined && v.factLow === undefined) return undefined;
  return logReading(
    {
      kind: v.questionKind,
      value,
      low: v.factLow,
      high: v.factHigh,
      approx: v.strength < 1,
      expected: v.factExpected,
    },
    model,
  );
}
