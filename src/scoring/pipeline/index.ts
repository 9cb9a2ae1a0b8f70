/** The scoring pipeline: a finished interview → a recorded, replayable result. Other modules import only from here. */
export { createPipelineService, packageVersion, PIPELINE_QUEUE } from './service.js';
export type {
  PipelineDeps,
  PipelineJobDto,
  PipelineResultDto,
  PipelineService,
  ReplayDto,
} from './service.js';
export { DEFAULT_RETRY_POLICY, afterFailure, exhausted, failureOf } from './retry.js';
export type { NextStep, RetryPolicy } from './retry.js';
export { createPipelineSources, SYSTEM_READER } from './sources.js';
export type { CaseFacts, PipelineSources } from './sources.js';
export { pipelineRoutes } from './routes.js';
export type { PipelineRoutesOptions } from './routes.js';
export {
  AdmissionRuleSchema,
  DEFAULT_DECISION_RULES,
  DecisionRulesSchema,
  OutcomePolicySchema,
  evaluateAdmission,
  evaluateRule,
  inputValue,
  monthsBetween,
  parseDecisionRules,
} from './rules.js';
export type { AdmissionRule, DecisionRules, OutcomePolicy } from './rules.js';
export { decideOutcome, importantDoubts, infoReasons, worseGrade } from './outcome.js';
export type { DecisionInput } from './outcome.js';
export { completePipeline, featureInputsOf, prepareScoring, scoringInstalmentFen } from './evaluate.js';
export type { PipelineConfig, Prepared } from './evaluate.js';
export {
  caseInputsOf,
  financialsInputOf,
  interviewInputOf,
  marginStability,
  screeningInputOf,
} from './gather.js';
export { differences, hashOf } from './canonical.js';
export type { Difference } from './canonical.js';
export type * from './types.js';
