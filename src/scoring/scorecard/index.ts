/** The expert scorecard (EMTool): versioned data, its checks, and the pure scoring function. */
export { DEFAULT_SCORECARD } from './default.js';
export { scorecardInputInvalid, scorecardInvalid, scorecardTestFailed } from './errors.js';
export { ScorecardSchema, parseScorecard, scorecardProblems } from './schema.js';
export type { CategoryBin, NumericBin, Scorecard, ScorecardFactor, ScorecardTestCase } from './schema.js';
export {
  assertScorecardTestsPass,
  gradeOf,
  runScorecardTests,
  runTestCase,
  scoreScorecard,
} from './score.js';
export type { FactorScore, ScorecardResult, TestCaseFailure } from './score.js';
