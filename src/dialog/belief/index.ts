export type * from './types.js';
export { OUTCOMES } from './types.js';
export type { AnswerModel, AnswerLogRecord, FitOptions, OutcomeDist, PastInterview } from './answer-model.js';
export {
  BANDS_ANSWER_MODEL,
  DEFAULT_ANSWER_MODEL,
  POOLED_ANSWER_MODEL,
  fitAnswerModel,
  outcomeLikelihoods,
  reliabilityMean,
} from './answer-model.js';
export {
  DISPUTED_CLEAR_AT,
  disputedDoubtOf,
  doubtOf,
  doubtShare,
  entropy,
  factDoubt,
  settledDoubt,
  totalImportance,
  weightedDoubt,
} from './doubt.js';
export type { ApplyOptions, BeliefConfig } from './update.js';
export {
  DEFAULT_BELIEF_CONFIG,
  applyVerification,
  initBelief,
  onAnswersAlone,
  posterior,
  posteriorOf,
  startingDoubt,
  statusOf,
  updateReliability,
} from './update.js';
export type { Pooling, VerifyConfig } from './verify.js';
export { DEFAULT_VERIFY_CONFIG, verifyAnswer } from './verify.js';
export type { DeviationModel, DeviationRecord, LogBand, LogReading, RouteAnswer } from './pooled.js';
export {
  DEFAULT_DEVIATION_MODEL,
  UNBANDED_DEVIATION_MODEL,
  bandOf,
  fitDeviationModel,
  logReading,
  pooledLogLR,
  pooledLogLiks,
  readingOfVerification,
} from './pooled.js';
export type { AnswerModelFile } from './load.js';
export { AnswerModelFileSchema, AnswerModelSchema, loadAnswerModel, parseAnswerModelFile } from './load.js';
