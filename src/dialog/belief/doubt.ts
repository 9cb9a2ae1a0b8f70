/**
 * Doubt about a fact, from p = P(the fact is as expected).
 *
 * doubt(p) = 1 while p ≤ ½ (the fact is at least as likely wrong as right: nothing is settled), and the binary
 * entropy H(p) = −p·log₂p − (1−p)·log₂(1−p) above (Shannon 1948). The function is non-increasing, so a confirming
 * answer never raises doubt and a contradicting one never lowers it, and it is concave, so by Jensen's inequality
 * the expected doubt after any answer is never above the doubt before: the expected reduction the policy maximises
 * is a proper value of information, unlike 1 − p, whose expectation a Bayesian update leaves unchanged.
 */
import type { BeliefState } from './types.js';

export function doubtOf(p: number): number {
  if (!(p > 0.5)) return 1;
  if (p >= 1) return 0;
  const q = 1 - p;
  return -(p * Math.log2(p) + q * Math.log2(q));
}

/** Importance-weighted doubt of one fact, in [0, importance]. */
export const factDoubt = (importance: number, p: number) => importance * doubtOf(p);

/** Σ importance × doubt over the facts of a belief. */
export function weightedDoubt(belief: BeliefState): number {
  let d = 0;
  for (const f of Object.values(belief.facts)) d += factDoubt(f.importance, f.p);
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
