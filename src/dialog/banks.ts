/**
 * The private question bank of an applicant, built from what the bank knows about the case at the moment the
 * interview starts. The case data arrives through a port; the bank is stored with the session, so a later change of
 * catalogue or case never changes a running or recorded interview.
 */
import type { Clock } from '../platform/deps.js';
import { type CaseContextInput, buildCaseContext } from '../questions/case-context.js';
import { DEFAULT_CATALOGUE } from '../questions/catalogue/default.js';
import { generateBank } from '../questions/generate.js';
import type { Catalogue } from '../questions/schemas.js';
import type { BankProvider } from './session/service.js';

export interface InterviewInputsPort {
  /** Everything but the date: sector, survey answers, rebuilt financials and checks, screening facts. */
  inputsFor(caseId: string): Promise<Omit<CaseContextInput, 'asOf'>>;
}

/** The calendar date in China (UTC+8), which is what "today" means to the applicant and the officer. */
export function chinaDate(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

export function createCaseBankProvider(deps: {
  inputs: InterviewInputsPort;
  clock: Clock;
  catalogue?: () => Catalogue | Promise<Catalogue>;
}): BankProvider {
  return {
    async bankFor(caseId) {
      const input = await deps.inputs.inputsFor(caseId);
      const ctx = buildCaseContext({ ...input, asOf: chinaDate(deps.clock.now()) });
      return generateBank(ctx, (await deps.catalogue?.()) ?? DEFAULT_CATALOGUE);
    },
  };
}
