export type * from './types.js';
export type { AskMode, AskedTurn, InterviewState, PendingFollowUp, TurnConfig, TurnRecord } from './state.js';
export { applyAnswer, askedIds, findQuestion, startInterview } from './state.js';
export type { DecideOptions } from './decide.js';
export {
  DEFAULT_BUDGET,
  DEFAULT_DOUBT_TARGET,
  DEFAULT_SEARCH,
  candidatesOf,
  claimOwed,
  decideNext,
  followUpFor,
} from './decide.js';
export { mctsChooser, search } from './mcts.js';
export { fixedOrderChooser, greedyChooser, randomChooser } from './baselines.js';
