/** Types of the question-choosing policy. */
import type { Rng } from '../../platform/deps.js';
import type { AnswerModel } from '../belief/answer-model.js';
import type { BeliefConfig } from '../belief/update.js';
import type { AskedTurn, InterviewState } from './state.js';

export type StopReason = 'doubt_low' | 'budget_spent' | 'applicant_left' | 'no_questions';

/** One candidate the policy weighed, for the compliance trace. */
export interface Alternative {
  questionId: string;
  /** Times the search tried it first (0 for one-step policies). */
  visits: number;
  /** Its estimated doubt reduction, in importance-weighted doubt units. */
  value: number;
  /** Its exact expected one-step doubt reduction. */
  oneStep: number;
}

export interface DecisionReasons {
  policy: string;
  rule: 'rephrase' | 'follow_up' | 'search' | 'stop';
  why: string;
  doubt: number;
  doubtShare: number;
  /** The best candidates, best first. */
  alternatives: Alternative[];
}

export interface PolicyDecision {
  chosen: AskedTurn | null;
  /** Question id → the policy's value for it (only the candidates it scored). */
  scores: Record<string, number>;
  reasons: DecisionReasons;
  stop?: { reason: StopReason };
}

export interface SearchOptions {
  rng: Rng;
  model: AnswerModel;
  /** Iterations of the tree search per decision (deterministic, unlike a time limit). */
  iterations: number;
  /** Questions looked ahead, at most the remaining budget. */
  horizon: number;
  /** Discount per question, so that doubt removed sooner counts more. */
  discount: number;
  /** PUCT exploration constant, in units of the root's doubt. */
  exploration: number;
  topK: number;
  beliefConfig?: BeliefConfig;
  /**
   * MCTS keeps its most visited move only if its value beats the best one-step move's by more than this many
   * standard errors; otherwise it takes the one-step move (default 3, `DEFAULT_FALLBACK_Z`). 0 keeps any better mean; a large value
   * makes MCTS greedy.
   */
  fallbackZ?: number;
  /**
   * Take the one-step move whenever the look-ahead reaches the end of the budget (no more questions left than the
   * horizon): see `SearchResult.atBudgetEnd` (mcts.ts). True for new interviews (`DEFAULT_SEARCH`); an interview
   * that opened before the rule keeps `false` in its recorded settings, so it replays as it ran.
   */
  greedyAtBudgetEnd?: boolean;
}

/** What a chooser is given: the state and the questions it may choose from, in bank order. */
export interface ChoiceContext {
  state: InterviewState;
  candidates: readonly string[];
  remaining: number;
  /** The share of weighted doubt at which the interview stops, so that a search does not plan beyond it. */
  doubtTarget?: number;
}

export interface ChoiceResult {
  questionId: string;
  scores: Record<string, number>;
  alternatives: Alternative[];
  why: string;
}

export type Chooser = { name: string; choose: (ctx: ChoiceContext, options: SearchOptions) => ChoiceResult };
