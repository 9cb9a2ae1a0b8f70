/** Error codes of the expert scorecard. Stable: part of the API contract. */
import { badRequest, unprocessable, validationFailed } from '../../platform/errors.js';

/** A scorecard version whose data does not fit the schema or contradicts itself. */
export const scorecardInvalid = (issues: { path: string; message: string }[]) =>
  validationFailed(issues, 'The scorecard is not valid');

/** One of the scorecard's own test cases gives other points or another grade than it expects. */
export const scorecardTestFailed = (caseName: string, details: Record<string, unknown>) =>
  unprocessable('SCORECARD_TEST_FAILED', `Scorecard test case "${caseName}" fails`, {
    case: caseName,
    ...details,
  });

/** A value given for scoring has the wrong type or an unknown category. */
export const scorecardInputInvalid = (message: string, details: Record<string, unknown> = {}) =>
  badRequest('SCORECARD_INPUT_INVALID', message, details);
