/**
 * Types of answer verification and of the belief over facts. Domain types only.
 *
 * `ObservedAnswer` is what the dialog engine needs from answer understanding; the Chinese NLU
 * (src/dialog/nlu) is adapted to it at the boundary, so verification does not depend on its shapes.
 */
import type { QuestionKind } from '../../questions/types.js';

/** Why an answer carries no value. `leave` means the applicant ended the interview. */
export type NoneIntent = 'dont_know' | 'refuse' | 'unparseable' | 'leave';

export type ObservedAnswer =
  /** A number in the question's own unit; `low`/`high` for a range ("两三千"); `approx` for 多/左右/大概. */
  | { kind: 'number'; value?: number; low?: number; high?: number; approx: boolean }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'choice'; value: string }
  | { kind: 'none'; intent: NoneIntent };

/** What one answer says about one fact, as the answer model sees it. */
export type Outcome = 'consistent' | 'doubtful' | 'contradicted' | 'none';
export const OUTCOMES: readonly Outcome[] = ['consistent', 'doubtful', 'contradicted', 'none'];

/** `unverifiable`: a value was given but there is nothing to compare it with (no expectation, first answer). */
export type VerificationOutcome = Outcome | 'unverifiable';

export type VerificationCode =
  | 'WITHIN_TOLERANCE'
  | 'BEYOND_WARN'
  | 'BEYOND_FAIL'
  | 'INSIDE_RANGE'
  | 'MATCHES'
  | 'DIFFERS'
  | 'NO_EXPECTATION'
  | 'NO_ANSWER'
  | 'WRONG_ANSWER_KIND'
  | 'INCONSISTENT_WITH_EARLIER'
  /** Free text that does not name the expectation: not comparable, left to the expert. */
  | 'FREE_TEXT';

export interface CrossCheck {
  againstQuestionId: string;
  deviation: number; // relative, in the fact's unit
  outcome: 'consistent' | 'doubtful' | 'contradicted';
}

/** The verification of one answer against one fact, with its reasons, kept for the transcript. */
export interface Verification {
  questionId: string;
  factId: string;
  questionKind: QuestionKind;
  outcome: VerificationOutcome;
  /** 0..1: how much evidence the answer carries (a wide range or a rough figure carries less). */
  strength: number;
  /** The answer in the fact's unit (after `toFact.scale`), when it has a value. */
  factValue?: number | boolean | string;
  factLow?: number;
  factHigh?: number;
  /** Relative deviation from the expectation, for numbers. */
  deviation?: number;
  crossCheck?: CrossCheck;
  /** The bank's expectation in the fact's unit, for numbers with one. */
  factExpected?: number;
  /**
   * ln of the Bayes factor (fact as expected vs not) this answer adds to the earlier answers about the fact, under
   * the pooled deviation model (pooled.ts); when present the belief update uses it instead of the outcome table.
   */
  logLikelihoodRatio?: number;
  code: VerificationCode;
  /** A short English explanation for the transcript and compliance. */
  why: string;
}

/** One earlier answer about a fact, in the fact's unit, for cross-checking later answers. */
export interface FactObservation {
  questionId: string;
  questionKind: QuestionKind;
  value?: number | boolean | string;
  low?: number;
  high?: number;
  approx: boolean;
  /** The bank's expectation in the fact's unit, when the question had one. */
  expected?: number;
}

export type FactStatus = 'unknown' | 'consistent' | 'doubtful' | 'contradicted';

/** One belief change with its cause. */
export interface BeliefStep {
  questionId: string;
  outcome: VerificationOutcome;
  pBefore: number;
  pAfter: number;
  code: VerificationCode;
  why: string;
}

/**
 * Belief about one fact: `p` is P(the fact's true value is consistent with the bank's expectation — or, when
 * the bank has none, with the applicant's other answers). Doubt is derived from `p` and the importance.
 */
export interface FactBelief {
  factId: string;
  importance: number;
  p: number;
  status: FactStatus;
  /** Probability of the likelier side: max(p, 1 − p). */
  confidence: number;
  evidence: Record<Outcome, number>;
  observations: FactObservation[];
  /** 'pending': a contradiction waits for its one follow-up; 'done': it had it. */
  followUp: 'none' | 'pending' | 'done';
  /** True once a contradiction survived its follow-up: the fact is recorded contradicted. */
  contradictionRecorded: boolean;
  history: BeliefStep[];
}

/** Beta(alpha, beta) over the respondent's reliability, measured by control questions. */
export interface Reliability {
  alpha: number;
  beta: number;
}

export interface BeliefState {
  facts: Record<string, FactBelief>;
  reliability: Reliability;
}
