/** Error codes of screening (stable, part of the API). */
import { notFound, unprocessable } from '../platform/errors.js';
import type { Category } from './types.js';

export const consentRequired = (categories: Category[], sources: string[]) =>
  unprocessable(
    'CONSENT_REQUIRED',
    'The applicant has not given a valid consent for a mandatory source; nothing was queried',
    { categories, sources },
  );

export const screeningNotFound = (caseId: string) => notFound('screening', caseId);

export const badMonth = (month: string) =>
  unprocessable('MONTH_INVALID', 'The month must be YYYY-MM', { month });
