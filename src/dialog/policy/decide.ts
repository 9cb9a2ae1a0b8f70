/**
 * The next move of the interview: the dialog's rules first (the applicant left, the budget is spent, a rephrase,
 * a follow-up or a disputed figure's claim is owed, doubt is low enough), then a chooser (MCTS by default) for a
 * free choice. Re-run after every answer. Pure.
 */
import type { BankQuestion } from '../../questions/types.js';
import { totalImportance, weightedDoubt } from '../belief/doubt.js';
import { DEFAULT_BELIEF_CONFIG } from '../belief/update.js';
import type { BeliefConfig } from '../belief/update.js';
import { poolable } from '../belief/verify.js';
import { mctsChooser } from './mcts.js';
import type { InterviewState, PendingFollowUp } from './state.js';
import { askedIds, findQuestion, reaskableIds } from './state.js';
import type { Chooser, DecisionReasons, PolicyDecision, SearchOptions, StopReason } from './types.js';

export interface DecideOptions extends Partial<Omit<SearchOptions, 'rng' | 'model'>> {
  rng: SearchOptions['rng'];
  model: SearchOptions['model'];
  /** Most questions put to the applicant in the interview, rephrases and follow-ups included. */
  budget: number;
  /** Stop once weighted doubt is at most this share of the total importance. */
  doubtTarget?: number;
  chooser?: Chooser;
}

export const DEFAULT_BUDGET = 12;
export const DEFAULT_DOUBT_TARGET = 0.3;
/**
 * 50 iterations over 3 questions ahead: on the simulator benchmark the search's doubt removed is within 1% of the
 * one-step best move's at 50 to 400 iterations and horizons 2 to 4 (it falls back to that move unless its
 * look-ahead is clearly better). 50 and 100 iterations gave the same doubt removed, detection and honest flags
 * within noise on the tuning and the validation interviews (2,400 each, both judgements; bench/README.md,
 * dialog-policy) at 38% less CPU per decision, and the search is the largest single part of a served turn's CPU.
 */
export const DEFAULT_SEARCH: Omit<SearchOptions, 'rng' | 'model'> = {
  iterations: 50,
  horizon: 3,
  discount: 0.9,
  exploration: 0.4,
  topK: 3,
  greedyAtBudgetEnd: true,
};

const ANGLE_ORDER = { indirect: 0, direct: 1, control: 2 } as const;

/**
 * The follow-up of a contradiction: another question of the same fact — an indirect one first, the angle an
 * insider answers without thinking, then a direct one, then a control — in the order of `candidatesOf` (questions
 * not yet asked in bank order, then those met with silence once); if none is left, the clashing question again,
 * put with its follow-up wording. The search (compiled.ts) predicts the follow-up in the same order.
 */
export function followUpFor(state: InterviewState, pending: PendingFollowUp): BankQuestion {
  const clashed = findQuestion(state.bank, pending.questionId);
  // A follow-up met with silence is owed once more from the next angle, not put again itself.
  const putAsFollowUp = new Set(
    state.turns
      .filter((t) => t.mode === 'follow_up' && t.settles === pending.factId)
      .map((t) => t.questionId),
  );
  const fresh = candidatesOf(state)
    .map((id) => findQuestion(state.bank, id))
    .filter((q) => q.factIds.includes(pending.factId) && q.id !== clashed.id && !putAsFollowUp.has(q.id));
  // Array.prototype.sort is stable, so the candidates' order breaks ties.
  const pick = [...fresh].sort((a, b) => ANGLE_ORDER[a.kind] - ANGLE_ORDER[b.kind])[0];
  return pick ?? clashed;
}

/**
 * The claim a disputed figure owes (`BeliefConfig.claimAfterFollowUp`): the first direct question, in bank order, not
 * yet asked, of the most important figure whose follow-up was had without recording or clearing its contradiction.
 */
export function claimOwed(state: InterviewState, config: BeliefConfig): BankQuestion | undefined {
  if (!config.claimAfterFollowUp) return undefined;
  const asked = askedIds(state);
  let best: { q: BankQuestion; importance: number } | undefined;
  for (const f of Object.values(state.belief.facts)) {
    if (
      f.followUp !== 'done' ||
      f.contradictionRecorded ||
      !(f.p < config.consistentAt) ||
      !(f.importance > 0)
    )
      continue;
    if (best && !(f.importance > best.importance)) continue;
    const def = state.bank.facts.find((d) => d.id === f.factId);
    const q = state.bank.questions.find(
      (x) =>
        x.factIds[0] === f.factId &&
        (x.kind === 'direct' || x.kind === 'control') &&
        !asked.has(x.id) &&
        def !== undefined &&
        poolable(x, def),
    );
    if (q) best = { q, importance: f.importance };
  }
  return best?.q;
}

/**
 * The questions a chooser may put next: those not yet asked, in bank order, then those asked once and met with
 * 不知道 or a refusal (`reaskableIds`), in bank order, which are put again in other words (mode 'rephrase'). The fixed
 * order thus still goes through the bank before it comes back to any.
 */
export function candidatesOf(state: InterviewState): string[] {
  const asked = askedIds(state);
  const again = reaskableIds(state);
  const about = (q: BankQuestion) => q.factIds.some((f) => state.belief.facts[f] !== undefined);
  const out: string[] = [];
  for (const q of state.bank.questions) if (!asked.has(q.id) && about(q)) out.push(q.id);
  for (const q of state.bank.questions) if (again.has(q.id) && about(q)) out.push(q.id);
  return out;
}

export function decideNext(state: InterviewState, options: DecideOptions): PolicyDecision {
  const search: SearchOptions = {
    ...DEFAULT_SEARCH,
    ...stripUndefined(options),
    rng: options.rng,
    model: options.model,
  };
  const chooser = options.chooser ?? mctsChooser;
  const doubt = weightedDoubt(state.belief);
  // `doubtShare`, without summing the doubt a second time.
  const total = totalImportance(state.belief);
  const share = total > 0 ? doubt / total : 0;
  const reasons = (rule: DecisionReasons['rule'], why: string): DecisionReasons => ({
    policy: chooser.name,
    rule,
    why,
    doubt,
    doubtShare: share,
    alternatives: [],
  });
  const stop = (reason: StopReason, why: string): PolicyDecision => ({
    chosen: null,
    scores: {},
    reasons: reasons('stop', why),
    stop: { reason },
  });
  const remaining = options.budget - state.turns.length;

  if (state.left) return stop('applicant_left', 'the applicant ended the interview');
  if (remaining <= 0) return stop('budget_spent', `all ${options.budget} questions used`);
  if (state.pendingRephrase) {
    return {
      chosen: state.pendingRephrase,
      scores: {},
      reasons: reasons('rephrase', 'the last answer could not be understood: asked once more in other words'),
    };
  }
  const pending = state.pendingFollowUps[0];
  if (pending) {
    const q = followUpFor(state, pending);
    return {
      chosen: {
        questionId: q.id,
        mode: 'follow_up',
        followUpOf: pending.questionId,
        settles: pending.factId,
      },
      scores: {},
      reasons: reasons(
        'follow_up',
        `the answer to ${pending.questionId} contradicted ${pending.factId}: followed up once from another angle ` +
          `(${q.id}, ${q.kind}) before it is recorded`,
      ),
    };
  }
  const claim = claimOwed(state, options.beliefConfig ?? DEFAULT_BELIEF_CONFIG);
  if (claim) {
    return {
      chosen: { questionId: claim.id, mode: 'new' },
      scores: {},
      reasons: reasons(
        'follow_up',
        `${claim.factIds[0]} is still disputed after its follow-up: its claim is put in its own terms (${claim.id})`,
      ),
    };
  }
  const target = options.doubtTarget ?? DEFAULT_DOUBT_TARGET;
  if (share <= target) return stop('doubt_low', `weighted doubt ${share.toFixed(3)} ≤ target ${target}`);
  const candidates = candidatesOf(state);
  if (candidates.length === 0) return stop('no_questions', 'every question of the bank was asked');
  const choice = chooser.choose({ state, candidates, remaining, doubtTarget: target }, search);
  const again = askedIds(state).has(choice.questionId);
  return {
    chosen: again
      ? { questionId: choice.questionId, mode: 'rephrase', followUpOf: choice.questionId }
      : { questionId: choice.questionId, mode: 'new' },
    scores: choice.scores,
    reasons: { ...reasons('search', choice.why), alternatives: choice.alternatives },
  };
}

/** `{ ...o }` without the keys whose value is undefined, in a loop: spread over Object.entries cost ~2 µs a turn. */
function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
