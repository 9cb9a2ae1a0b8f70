/**
 * The interview as the policy sees it: the bank, the belief, the turns so far and what is owed (a rephrase after
 * an unreadable answer, a follow-up after a contradiction). `applyAnswer` is one turn's verify + update. Pure.
 */
import type { BankQuestion, FactDef, QuestionBank } from '../../questions/types.js';
import { badRequest } from '../../platform/errors.js';
import type { AnswerModel } from '../belief/answer-model.js';
import { reliabilityMean } from '../belief/answer-model.js';
import { weightedDoubt } from '../belief/doubt.js';
import type { BeliefState, ObservedAnswer, Verification } from '../belief/types.js';
import { type BeliefConfig, DEFAULT_BELIEF_CONFIG } from '../belief/update.js';
import { applyVerification, initBelief } from '../belief/update.js';
import type { VerifyConfig } from '../belief/verify.js';
import { verifyAnswer } from '../belief/verify.js';

export type AskMode = 'new' | 'follow_up' | 'rephrase';

/** A question put to the applicant. `settles`: the fact whose pending contradiction this answer settles. */
export interface AskedTurn {
  questionId: string;
  mode: AskMode;
  /** For a follow-up, the question whose answer clashed; for a rephrase, the question rephrased. */
  followUpOf?: string;
  settles?: string;
}

export interface TurnRecord extends AskedTurn {
  answer: ObservedAnswer;
  verifications: Verification[];
  doubtBefore: number;
  doubtAfter: number;
}

export interface PendingFollowUp {
  factId: string;
  /** The question whose answer contradicted. */
  questionId: string;
}

export interface InterviewState {
  bank: QuestionBank;
  belief: BeliefState;
  turns: TurnRecord[];
  pendingFollowUps: PendingFollowUp[];
  pendingRephrase?: AskedTurn;
  left: boolean;
}

export interface TurnConfig {
  belief?: BeliefConfig;
  verify?: VerifyConfig;
}

export function startInterview(
  bank: QuestionBank,
  model: AnswerModel,
  belief: BeliefConfig = DEFAULT_BELIEF_CONFIG,
): InterviewState {
  return { bank, belief: initBelief(bank, model, belief), turns: [], pendingFollowUps: [], left: false };
}

export function findQuestion(bank: QuestionBank, id: string): BankQuestion {
  const q = bank.questions.find((x) => x.id === id);
  if (!q) throw badRequest('QUESTION_NOT_IN_BANK', 'The question is not in this applicant’s bank', { id });
  return q;
}

export const askedIds = (state: InterviewState): Set<string> => new Set(state.turns.map((t) => t.questionId));

/**
 * Questions that may be put once more: asked once, and met with 不知道 or a refusal. Such an answer leaves the route
 * unmeasured (a fact whose only indirect route met silence was otherwise left to the direct question, where an
 * applicant who misstates it repeats the claim); whether asking it again in other words is worth a question of the
 * budget is the chooser's to value, like any other question's. Once more only: a second silence is an answer.
 */
export function reaskableIds(state: InterviewState): Set<string> {
  const times = new Map<string, number>();
  const silent = new Set<string>();
  for (const t of state.turns) {
    times.set(t.questionId, (times.get(t.questionId) ?? 0) + 1);
    if (t.answer.kind === 'none' && (t.answer.intent === 'dont_know' || t.answer.intent === 'refuse'))
      silent.add(t.questionId);
  }
  const out = new Set<string>();
  for (const id of silent) if (times.get(id) === 1) out.add(id);
  return out;
}

/**
 * Verifies the answer against each fact the question targets, updates the belief and the debts of the dialog
 * (follow-ups, rephrase), and appends the turn with its verifications, which carry their reasons.
 */
export function applyAnswer(
  state: InterviewState,
  asked: AskedTurn,
  answer: ObservedAnswer,
  model: AnswerModel,
  config: TurnConfig = {},
): InterviewState {
  const q = findQuestion(state.bank, asked.questionId);
  const doubtBefore = weightedDoubt(state.belief);
  const unreadable = answer.kind === 'none' && answer.intent === 'unparseable';
  // A follow-up settles on any answer but an unreadable one; its rephrase settles on anything, so a follow-up
  // never loops. A first follow-up met with 不知道 or a refusal is owed once more, from the next angle: silence
  // neither records a clash nor clears it. A second follow-up of the fact settles on anything.
  const silent = answer.kind === 'none' && (answer.intent === 'dont_know' || answer.intent === 'refuse');
  const retry =
    silent &&
    asked.mode === 'follow_up' &&
    !state.turns.some((t) => t.mode === 'follow_up' && t.settles === asked.settles);
  const settles =
    asked.settles && (asked.mode === 'rephrase' || !unreadable) && !retry ? asked.settles : undefined;
  let belief = state.belief;
  const verifications: Verification[] = [];
  for (const factId of q.factIds) {
    const def: FactDef | undefined = state.bank.facts.find((f) => f.id === factId);
    const fb = belief.facts[factId];
    if (!def || !fb) continue;
    const pooling = model.deviation
      ? { model: model.deviation, reliability: reliabilityMean(belief.reliability) }
      : undefined;
    const v = verifyAnswer(q, def, answer, fb.observations, config.verify, pooling);
    verifications.push(v);
    belief = applyVerification(belief, v, model, {
      settlesFollowUp: settles === factId,
      config: config.belief,
    });
  }
  const stillPending = state.pendingFollowUps.filter((p) => belief.facts[p.factId]?.followUp === 'pending');
  const known = new Set(stillPending.map((p) => p.factId));
  for (const v of verifications) {
    if (belief.facts[v.factId]?.followUp === 'pending' && !known.has(v.factId)) {
      stillPending.push({ factId: v.factId, questionId: q.id });
      known.add(v.factId);
    }
  }
  const pendingRephrase: AskedTurn | undefined =
    unreadable && asked.mode !== 'rephrase'
      ? { questionId: q.id, mode: 'rephrase', followUpOf: q.id, settles: asked.settles }
      : undefined;
  const turn: TurnRecord = {
    ...asked,
    answer,
    verifications,
    doubtBefore,
    doubtAfter: weightedDoubt(belief),
  };
  return {
    bank: state.bank,
    belief,
    turns: [...state.turns, turn],
    pendingFollowUps: stillPending,
    pendingRephrase,
    left: state.left || (answer.kind === 'none' && answer.intent === 'leave'),
  };
}
