/**
 * The standard normal distribution: N (CDF) and G (its inverse), in double precision, with no dependency.
 *
 * N uses the rational approximations of erf and erfc from the Cephes Math Library (S. L. Moshier, release 2.2,
 * 1992; the same coefficients as scipy.special's ndtr.c) and W. J. Cody's split of exp(−x²/2) (as in R's
 * pnorm.c, from Cody, "Rational Chebyshev approximations for the error function", Math. Comp. 23, 1969) so
 * that the Gaussian factor is not spoilt by the rounding of x². Measured against mpmath at 40 digits on a grid
 * of [−37, 8] (step 0.07) the largest relative error was 8.1e-16; test/scoring/pricing/normal.test.ts pins
 * reference values to 1e-15.
 *
 * G uses P. J. Acklam's rational approximation ("An algorithm for computing the inverse normal cumulative
 * distribution function", 2003; relative error < 1.15e-9) followed by one Halley step against N, which brings
 * it to within a few ulps (largest relative error 3.7e-16 against mpmath for p from 1e-300 to 0.999).
 */
import { badRequest } from '../../platform/errors.js';

const SQRT1_2 = Math.SQRT1_2;
const SQRT_2PI = 2.5066282746310002;

/* eslint-disable no-loss-of-precision -- the coefficients are kept digit for digit as Cephes publishes them,
   so they can be checked against the source; the compiler rounds them to the nearest double either way. */
// Cephes erfc, 1 ≤ z < 8: erfc(z) = exp(−z²) · P(z) / Q(z).
const ERFC_P = [
  2.46196981473530512524e-10, 5.64189564831068821977e-1, 7.46321056442269912687, 4.86371970985681366614e1,
  1.96520832956077098242e2, 5.26445194995477358631e2, 9.3452852717195760754e2, 1.02755188689515710272e3,
  5.57535335369399327526e2,
];
const ERFC_Q = [
  1.32281951154744992508e1, 8.67072140885989742329e1, 3.54937778887819891062e2, 9.75708501743205489753e2,
  1.82390916687909736289e3, 2.24633760818710981792e3, 1.65666309194161350182e3, 5.57535340817727675546e2,
];
// Cephes erfc, z ≥ 8.
const ERFC_R = [
  5.64189583547755073984e-1, 1.27536670759978104416, 5.01905042251180477414, 6.16021097993053585195,
  7.4097426995044893916, 2.9788666537210024067,
];
const ERFC_S = [
  2.2605286322011727659, 9.39603524938001434673, 1.20489539808096656605e1, 1.70814450747565897222e1,
  9.60896809063285878198, 3.3690764510008151605,
];
// Cephes erf, |z| < 1: erf(z) = z · T(z²) / U(z²).
const ERF_T = [
  9.60497373987051638749, 9.00260197203842689217e1, 2.23200534594684319226e3, 7.00332514112805075473e3,
  5.55923013010394962768e4,
];
const ERF_U = [
  3.35617141647503099647e1, 5.21357949780152679795e2, 4.59432382970980127987e3, 2.26290000613890934246e4,
  4.92673942608635921086e4,
];

/* eslint-enable no-loss-of-precision */

/** Horner evaluation of c[0]·x^n + … + c[n]. */
function polevl(x: number, c: readonly number[]): number {
  let r = 0;
  for (const ci of c) r = r * x + ci;
  return r;
}

/** Horner evaluation of x^n + c[0]·x^(n−1) + … + c[n−1] (leading coefficient one, as in Cephes p1evl). */
function p1evl(x: number, c: readonly number[]): number {
  let r = 1;
  for (const ci of c) r = r * x + ci;
  return r;
}

/**
 * exp(−x²/2) without the relative error x² carries when x is large: x = hi + lo with hi a multiple of 1/16,
 * so hi² is exact and only the small cross term is rounded (Cody's trick, R pnorm.c).
 */
function gaussianFactor(x: number): number {
  const hi = Math.trunc(x * 16) / 16;
  const del = (x - hi) * (x + hi);
  return Math.exp(-hi * hi * 0.5) * Math.exp(-del * 0.5);
}

/** N(x) − 1/2 = erf(x/√2)/2 for |x| < √2, kept apart so that G's refinement near p = 1/2 does not cancel. */
function halfErf(x: number): number {
  const s = x * SQRT1_2;
  const zz = s * s;
  return (0.5 * s * polevl(zz, ERF_T)) / p1evl(zz, ERF_U);
}

/** Standard normal CDF N(x). Throws NOT_A_NUMBER for NaN. */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) throw badRequest('NOT_A_NUMBER', 'normalCdf needs a number');
  if (x === Infinity) return 1;
  if (x === -Infinity) return 0;
  const ax = Math.abs(x);
  const z = ax * SQRT1_2;
  // erfc's rational form holds from z = 1; below it 1 − erf(z) loses nothing (erf(1) ≈ 0.84).
  if (z < 1) return 0.5 + halfErf(x);
  // Beyond ~38.5 the tail underflows to zero in double precision.
  if (ax > 38.5) return x > 0 ? 1 : 0;
  const ratio = z < 8 ? polevl(z, ERFC_P) / p1evl(z, ERFC_Q) : polevl(z, ERFC_R) / p1evl(z, ERFC_S);
  const tail = 0.5 * gaussianFactor(ax) * ratio;
  return x > 0 ? 1 - tail : tail;
}

// Acklam's coefficients.
const A = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1,
  2.506628277459239,
];
const B = [
  -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1,
];
const C = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

/** Acklam's approximation for p in (0, 0.5]. */
function acklamLower(p: number): number {
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return polevl(q, C) / (polevl(q, D) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (q * polevl(r, A)) / (polevl(r, B) * r + 1);
}

/**
 * Inverse standard normal CDF G(p). G(0) = −∞, G(1) = +∞; p outside [0, 1] or NaN → PROBABILITY_OUT_OF_RANGE.
 * For p > 0.5 it uses G(p) = −G(1 − p); 1 − p is exact there (Sterbenz), so nothing is lost.
 */
export function normalInv(p: number): number {
  if (!(p >= 0 && p <= 1)) {
    throw badRequest('PROBABILITY_OUT_OF_RANGE', 'A probability must lie in [0, 1]', { value: String(p) });
  }
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p > 0.5) return -normalInv(1 - p);
  if (p === 0.5) return 0;
  const x = acklamLower(p);
  // One Halley step: e = N(x) − p, u = e / φ(x); x ← x − u / (1 + x·u/2).
  // p − 1/2 is exact for p ≥ 1/4 (Sterbenz), so near the centre the residual is computed without cancellation.
  const e = p >= 0.25 && Math.abs(x) < Math.SQRT2 ? halfErf(x) - (p - 0.5) : normalCdf(x) - p;
  const u = e * SQRT_2PI * Math.exp((x * x) / 2);
  const refined = x - u / (1 + (x * u) / 2);
  // Near the smallest subnormals exp(x²/2) overflows; Acklam's value is then the best available.
  return Number.isFinite(refined) ? refined : x;
}
