/**
 * Doubt about a fact, from p = P(the fact is as expected) and whether the dialog has settled it.
 *
 * While a fact is open, doubt(p) = 1 as long as p ≤ ½ (the fact is at least as likely wrong as right, and one
 * clashing answer is not a finding: the dialog still owes it a follow-up), and the binary entropy
 * H(p) = −p·log₂p − (1−p)·log₂(1−p) above (Shannon 1948). The function is non-increasing, so a confirming
 * answer never raises doubt and a contradicting one never lowers it, and it is concave, so by Jensen's inequality
 * the expected doubt after any answer is never above the doubt before: the expected reduction the policy maximises
 * is a proper value of information, unlike 1 − p, whose expectation a Bayesian update leaves unchanged.
 *
 * Once a contradiction is recorded (it survived its follow-up), the fact is settled the other way: the bank now
 * knows it is not as stated, and what remains is only the uncertainty of that finding, H(p), which is low when p
 * is low. A recorded finding never has more doubt than the open fact had, since H(p) ≤ 1 and H = doubt above ½.
 */
import type { BeliefState, FactBelief } from './types.js';

/** Binary entropy in bits (Shannon 1948), 0 at the ends. */
export function entropy(p: number): number {
  if (!(p > 0) || p >= 1) return 0;
  const q = 1 - p;
  return -(p * Math.log2(p) + q * Math.log2(q));
}

/** The doubt of an open fact: 1 up to p = ½, then H(p). */
export function doubtOf(p: number): number {
  if (!(p > 0.5)) return 1;
  return entropy(p);
}

/** p up to which a disputed fact keeps full doubt: the level at which a fact is called consistent (update.ts). */
export const DISPUTED_CLEAR_AT = 0.8;
const H_DISPUTED = entropy(DISPUTED_CLEAR_AT);

/**
 * The doubt of an open fact whose answers clashed once (it was put on follow-up): 1 until p is back at
 * `DISPUTED_CLEAR_AT`, then H(p) / H(DISPUTED_CLEAR_AT), falling to 0 at certainty. A disagreement between routes is
 * doubt in its own right, so such a fact is not half-settled by one agreeing route; it is settled by a recorded
 * finding or by enough agreeing evidence. Non-increasing, and concave (the slope drops from 0 at the knee), so
 * the expected-reduction property of `doubtOf` holds on this curve as well; never below `doubtOf(p)`.
 */
export function disputedDoubtOf(p: number): number {
  if (!(p > DISPUTED_CLEAR_AT)) return 1;
  return Math.min(1, entropy(p) / H_DISPUTED);
}

/**
 * The doubt of a fact in [0, 1]: `doubtOf(p)` while open, `disputedDoubtOf(p)` while open after a clash, and
 * `entropy(p)` once its contradiction is recorded.
 */
export const settledDoubt = (p: number, contradictionRecorded: boolean, disputed = false) =>
  contradictionRecorded ? entropy(p) : disputed ? disputedDoubtOf(p) : doubtOf(p);

/** Importance-weighted doubt of one fact, in [0, importance]. */
export const factDoubt = (importance: number, p: number, contradictionRecorded = false, disputed = false) =>
  importance * settledDoubt(p, contradictionRecorded, disputed);

const doubtOfBelief = (f: FactBelief) =>
  factDoubt(f.importance, f.p, f.contradictionRecorded, f.followUp !== 'none');

/** Σ importance × doubt over the facts of a belief. */
export function weightedDoubt(belief: BeliefState): number {
  let d = 0;
  for (const f of Object.values(belief.facts)) d += doubtOfBelief(f);
  return d;
}

export function totalImportance(belief: BeliefState): number {
  let s = 0;
  for (const f of Object.values(belief.facts)) s += f.importance;
  return s;
}

/** Weighted doubt as a share of the total importance: 1 = nothing known, 0 = everything settled. */
export function doubtShare(belief: BeliefState): number {
  const total = totalImportance(belief);
  return total > 0 ? weightedDoubt(belief) / total : 0;
}
