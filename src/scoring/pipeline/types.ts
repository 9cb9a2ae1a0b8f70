/**
 * Domain types of the scoring pipeline: the canonical inputs of one run (what was known about the case), the
 * versions it used, and the result with its breakdown. Plain data only: no fastify / redis / drizzle imports.
 */
import type { Localized, Sector } from '../../questions/types.js';
import type { LimitRecommendation } from '../limit/index.js';
import type { FeatureRow } from '../model/index.js';
import type { Grade, LoanPrice, RepaymentMethod } from '../pricing/index.js';
import type { ModelFactor } from '../registry/index.js';
import type { ScorecardResult } from '../scorecard/index.js';

/** How the interview left one fact; only `consistent` counts as verified. */
export type InterviewFactStatus = 'unknown' | 'consistent' | 'doubtful' | 'contradicted';

/** One answer's verdict on a fact: which question, what it found. */
export interface FactEvidence {
  questionId: string;
  outcome: string;
  code: string;
}

/** One fact of the applicant's bank as the interview left it. */
export interface InterviewFactInput {
  factId: string;
  label: Localized;
  importance: number;
  status: InterviewFactStatus;
  /** P(the fact agrees with the bank's expectation), and max(p, 1 − p). */
  p: number;
  confidence: number;
  contradictionRecorded: boolean;
  observations: number;
  /** Every answer that moved the belief, in order: how the fact was (or was not) verified. */
  evidence: FactEvidence[];
}

export interface InterviewInput {
  sessionId: string;
  status: string;
  endReason: string | null;
  catalogueVersion: string;
  /** Beta over the applicant's reliability on control questions, and its mean. */
  reliability: { alpha: number; beta: number; mean: number };
  facts: InterviewFactInput[];
}

/** An outside-data fact as screening left it; `value` is null unless `status` is ok. */
export interface ScreeningFactInput {
  value: number | string | boolean | readonly number[] | null;
  status: 'ok' | 'missing' | 'failed';
  reason: string | null;
}

/** The figures of the IPC reconstruction the pipeline uses, in fen; null when the survey does not give them. */
export interface FinancialsInput {
  disposableMonthlyFen: number | null;
  totalAssetsFen: number | null;
  totalLiabilitiesFen: number | null;
  equityFen: number | null;
  annualSalesFen: number | null;
  /** 0..1, 1 − coefficient of variation of the monthly gross margin of the rebuilt cash flow. */
  marginStability: number | null;
}

/**
 * Everything one run knew about the case. Hashed (canonical JSON, SHA-256) and stored with the result, so a replay
 * computes from exactly this.
 */
export interface CaseInputs {
  caseId: string;
  /** The run's date in China (YYYY-MM-DD): the pricing date and the reference for "months since". */
  asOf: string;
  loan: { amountFen: number; termMonths: number; method: RepaymentMethod; purpose: string };
  applicant: { sector: Sector; industryCode: string };
  survey: {
    templateId: string | null;
    templateVersion: number | null;
    yearsInBusiness: number | null;
    softInformation: 'positive' | 'neutral' | 'negative' | null;
  };
  financials: FinancialsInput | null;
  /** Null when the case was never screened. */
  screening: { asOf: string; facts: Record<string, ScreeningFactInput> } | null;
  /** Null when no interview is known for the case. */
  interview: InterviewInput | null;
}

export type RuleStatus = 'pass' | 'fail' | 'missing';

/** The verdict of one admission rule. */
export interface RuleResult {
  ruleId: string;
  label: Localized;
  status: RuleStatus;
  /** The input the rule read (the first present of its sources) and the value it saw. */
  /** Where the rule looks, in order. */
  sources: string[];
  input: string | null;
  value: number | string | boolean | null;
  threshold: string;
  reason: Localized;
}

/** Something the pipeline wanted and did not have; never silently zero. */
export interface MissingItem {
  /** e.g. `screening:identity.id_name_match`, `feature:soft_information`, `model`. */
  key: string;
  label: Localized;
  why: string;
}

export type Outcome = 'approve' | 'refer' | 'decline';

export interface Reason {
  code: string;
  /** What the reason does to the outcome. */
  effect: 'decline' | 'refer' | 'info';
  text: Localized;
}

export interface ModelScore {
  modelVersion: string;
  probability: number;
  grade: Grade;
  topFactors: ModelFactor[];
}

/** Every version a result depends on. */
export interface Versions {
  catalogue: string | null;
  scorecard: { id: string; version: number };
  model: string | null;
  pricingParams: { version: string; effectiveFrom: string };
  admissionRules: string;
  limitConfig: string;
  code: string;
}

/** The computed part of a result: stored, shown, and compared by a replay. */
export interface PipelineBody {
  outcome: Outcome;
  reasons: Reason[];
  admission: RuleResult[];
  missing: MissingItem[];
  facts: {
    verified: InterviewFactInput[];
    doubtful: InterviewFactInput[];
    contradicted: InterviewFactInput[];
    unverified: InterviewFactInput[];
  };
  features: FeatureRow;
  scorecard: ScorecardResult;
  model: ModelScore | null;
  /** The grade used for pricing and the decision: the worse of the scorecard's and the model's. */
  grade: Grade;
  pd: { value: number; basis: 'model' | 'grade' };
  /** The instalment the cash-flow cover was scored with: the request at the product's highest rate. */
  scoringInstalmentFen: number;
  limit: LimitRecommendation | null;
  /** The price of the offer, or of the loan asked for when there is no offer. */
  price: LoanPrice;
  priceOf: 'offer' | 'request';
}
