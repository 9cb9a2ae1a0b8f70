/**
 * Runs one simulated interview: the policy decides, the respondent answers the question it is shown (and
 * nothing else), the answer is verified and the belief updated, until the policy stops.
 */
import type { QuestionBank } from '../../questions/types.js';
import type { AnswerModel } from '../belief/answer-model.js';
import { doubtShare, weightedDoubt } from '../belief/doubt.js';
import type { DecideOptions } from '../policy/decide.js';
import { decideNext } from '../policy/decide.js';
import type { InterviewState } from '../policy/state.js';
import { applyAnswer, findQuestion, startInterview } from '../policy/state.js';
import type { PolicyDecision, StopReason } from '../policy/types.js';
import type { Respondent } from './respondent.js';

export interface SimulatedInterview {
  state: InterviewState;
  decisions: PolicyDecision[];
  questions: number;
  doubtStart: number;
  doubtEnd: number;
  /** Weighted doubt share after each question (index 0: before any). */
  shareTrace: number[];
  stop: StopReason | undefined;
  /** A fact of some importance was recorded contradicted. */
  flagged: boolean;
  /** Milliseconds per turn (verify + update + plan), when a timer is given. */
  turnMs: number[];
  /** Milliseconds of this process's CPU per turn, when a CPU timer is given: the turn's cost on its own core. */
  turnCpuMs: number[];
}

export interface RunOptions extends Omit<DecideOptions, 'model'> {
  model: AnswerModel;
  /** A monotonic timer in ms (e.g. performance.now) for the benchmark; tests leave it out. */
  timer?: () => number;
  /** This process's CPU time in ms (e.g. from process.cpuUsage), which other load on the machine does not inflate. */
  cpuTimer?: () => number;
}

export function isFlagged(state: InterviewState): boolean {
  return Object.values(state.belief.facts).some((f) => f.importance > 0 && f.status === 'contradicted');
}

export function simulateInterview(
  bank: QuestionBank,
  respondent: Respondent,
  options: RunOptions,
): SimulatedInterview {
  let state = startInterview(bank, options.model);
  const decisions: PolicyDecision[] = [];
  const shareTrace = [doubtShare(state.belief)];
  const turnMs: number[] = [];
  const turnCpuMs: number[] = [];
  const doubtStart = weightedDoubt(state.belief);
  const { timer, cpuTimer } = options;
  let t0 = timer?.() ?? 0;
  let c0 = cpuTimer?.() ?? 0;
  let decision = decideNext(state, options);
  if (timer) turnMs.push(timer() - t0);
  if (cpuTimer) turnCpuMs.push(cpuTimer() - c0);
  decisions.push(decision);
  // The budget bounds the loop; the guard is only against a policy that never stops.
  for (let guard = 0; decision.chosen && guard < 1000; guard++) {
    const q = findQuestion(bank, decision.chosen.questionId);
    const answer = respondent.answer(q);
    t0 = timer?.() ?? 0;
    c0 = cpuTimer?.() ?? 0;
    state = applyAnswer(state, decision.chosen, answer, options.model);
    decision = decideNext(state, options);
    if (timer) turnMs.push(timer() - t0);
    if (cpuTimer) turnCpuMs.push(cpuTimer() - c0);
    decisions.push(decision);
    shareTrace.push(doubtShare(state.belief));
  }
  return {
    state,
    decisions,
    questions: state.turns.length,
    doubtStart,
    doubtEnd: weightedDoubt(state.belief),
    shareTrace,
    stop: decision.stop?.reason,
    flagged: isFlagged(state),
    turnMs,
    turnCpuMs,
  };
}
