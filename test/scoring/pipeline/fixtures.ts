/** A clean grocery case as the pipeline sees it, and the configuration of the shipped defaults. */
import { defaultLimitConfig } from '../../../src/scoring/limit/index.js';
import type {
  CaseInputs,
  InterviewFactInput,
  ModelScore,
  PipelineConfig,
} from '../../../src/scoring/pipeline/index.js';
import { DEFAULT_DECISION_RULES } from '../../../src/scoring/pipeline/index.js';
import { defaultPricingParams } from '../../../src/scoring/pricing/index.js';
import { DEFAULT_SCORECARD } from '../../../src/scoring/scorecard/index.js';

export const CONFIG: PipelineConfig = {
  rules: DEFAULT_DECISION_RULES,
  scorecard: DEFAULT_SCORECARD,
  pricing: defaultPricingParams,
  limit: defaultLimitConfig,
};

export const fact = (factId: string, over: Partial<InterviewFactInput> = {}): InterviewFactInput => ({
  factId,
  label: { 'zh-CN': factId, 'en-US': factId },
  importance: 0.8,
  status: 'consistent',
  p: 0.95,
  confidence: 0.95,
  contradictionRecorded: false,
  observations: 1,
  evidence: [{ questionId: `q.${factId}`, outcome: 'consistent', code: 'WITHIN_TOLERANCE' }],
  ...over,
});

const ok = (value: number | string | boolean) => ({ value, status: 'ok' as const, reason: null });

/** Everything known and in order: the shipped rules and scorecard recommend approval with an A-grade model. */
export function cleanInputs(): CaseInputs {
  return {
    caseId: 'case-1',
    asOf: '2026-03-12',
    loan: { amountFen: 15_000_000, termMonths: 12, method: 'equal_instalment', purpose: '进货周转' },
    applicant: { sector: 'grocery', industryCode: 'F5221' },
    survey: { templateId: 'grocery', templateVersion: 1, yearsInBusiness: 9, softInformation: null },
    financials: {
      disposableMonthlyFen: 4_000_000,
      totalAssetsFen: 60_000_000,
      totalLiabilitiesFen: 10_000_000,
      equityFen: 50_000_000,
      annualSalesFen: 150_000_000,
      marginStability: 1,
    },
    screening: {
      asOf: '2026-03-12T02:00:00.000Z',
      facts: {
        'identity.id_name_match': ok(true),
        'court.dishonest_records': ok(0),
        'credit.overdue_accounts': ok(0),
        'credit.max_overdue_months': ok(0),
        'multilender.applications_30d': ok(1),
        'registration.established_date': ok('2017-05-02'),
      },
    },
    interview: {
      sessionId: 'session-1',
      status: 'completed',
      endReason: 'doubt_low',
      catalogueVersion: 'cat-1',
      reliability: { alpha: 9, beta: 1, mean: 0.9 },
      facts: [fact('sales.monthly'), fact('loans.existing_total'), fact('stock.value', { importance: 0.5 })],
    },
  };
}

export const MODEL_A: ModelScore = { modelVersion: 'demo-v2', probability: 0.01, grade: 'A', topFactors: [] };
