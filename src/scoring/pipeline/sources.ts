/**
 * The pipeline's view of the other modules, through their exported service functions: the case (scope-checked
 * for a person), the survey analysis, the latest screening, the interview snapshot, the active scorecard and the
 * model registry. A run started by a completed interview acts for no one; its reads go through a read-only system
 * auditor of the whole tree (as src/screening/cases-port.ts does for consents), used for nothing else.
 */
import type { CasesService } from '../../cases/index.js';
import type { DialogStore } from '../../dialog/session/store.js';
import type { Actor } from '../../platform/identity/permissions.js';
import type { Sector } from '../../questions/types.js';
import type { ScreeningService } from '../../screening/index.js';
import type { FeatureRow } from '../model/index.js';
import type { RepaymentMethod } from '../pricing/index.js';
import type { ModelsService } from '../registry/index.js';
import type { Scorecard } from '../scorecard/index.js';
import { systemReader } from '../../platform/identity/permissions.js';
import type { GatherParts } from './gather.js';
import { interviewInputOf } from './gather.js';
import type { InterviewInput, ModelScore } from './types.js';

export const SYSTEM_READER: Actor = systemReader('pipeline');

export interface CaseFacts {
  loan: GatherParts['loan'];
  applicant: GatherParts['applicant'];
}

export interface PipelineSources {
  /** The loan asked for and the applicant's trade; CASE_NOT_FOUND outside the actor's subtree. */
  caseFor(actor: Actor | null, caseId: string): Promise<CaseFacts>;
  analysis(caseId: string): Promise<GatherParts['analysis']>;
  screening(caseId: string): Promise<GatherParts['screening']>;
  /** The interview as it stands now, or null when the session does not exist. */
  interview(sessionId: string): Promise<{ caseId: string; input: InterviewInput } | null>;
  activeScorecard(): Promise<Scorecard>;
  /** The model's score of a row: the named version, or the champion (MODEL_NO_CHAMPION when there is none). */
  score(row: FeatureRow, version?: string): Promise<ModelScore>;
}

export function createPipelineSources(deps: {
  cases: Pick<CasesService, 'getCase' | 'analysisForInterview'>;
  screening: Pick<ScreeningService, 'latestFacts'>;
  models: Pick<ModelsService, 'score' | 'getActiveScorecard'>;
  dialogStore: Pick<DialogStore, 'loadSnapshot'>;
}): PipelineSources {
  return {
    async caseFor(actor, caseId) {
      const c = await deps.cases.getCase(actor ?? SYSTEM_READER, caseId);
      return {
        loan: {
          amountFen: c.loan.amount_fen,
          termMonths: c.loan.term_months,
          method: c.loan.repayment_method as RepaymentMethod,
          purpose: c.loan.purpose,
        },
        applicant: { sector: c.applicant.sector as Sector, industryCode: c.applicant.industry_code },
      };
    },
    async analysis(caseId) {
      const a = await deps.cases.analysisForInterview(caseId);
      return { template: a.template, answers: a.answers, financials: a.financials };
    },
    async screening(caseId) {
      return deps.screening.latestFacts(SYSTEM_READER, caseId);
    },
    async interview(sessionId) {
      const snap = await deps.dialogStore.loadSnapshot(sessionId);
      if (!snap) return null;
      return { caseId: snap.session.caseId, input: interviewInputOf(snap.session, snap.state) };
    },
    async activeScorecard() {
      return (await deps.models.getActiveScorecard(SYSTEM_READER)).data;
    },
    async score(row, version) {
      const s = await deps.models.score(SYSTEM_READER, { features: row, version });
      return {
        modelVersion: s.modelVersion,
        probability: s.probability,
        grade: s.grade,
        topFactors: s.topFactors,
      };
    },
  };
}
