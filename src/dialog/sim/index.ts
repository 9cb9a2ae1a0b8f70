export type { SyntheticBankOptions } from './fixtures.js';
export { syntheticBank } from './fixtures.js';
export type { FactValue, HiddenProfile, Respondent, RespondentParams, RespondentType } from './respondent.js';
export {
  RESPONDENT_PARAMS,
  RESPONDENT_TYPES,
  bendOf,
  createRespondent,
  drawProfile,
  expectedFactValues,
  normal,
  truthLabels,
} from './respondent.js';
export type { RunOptions, SimulatedInterview } from './run.js';
export { isFlagged, simulateInterview } from './run.js';
