/**
 * The declared feature schema of the scoring pipeline: every raw input the service can give the expert
 * scorecard and the expert model, its type and where it comes from. A model card (models/expert/<version>/
 * card.json) must ask only for inputs declared here, with the same kind, allowed categories and source;
 * otherwise the model is refused (MODEL_FEATURES_MISMATCH).
 *
 * Only verified facts count as verified (issue 8, item 6): how the interview left a fact is an input of its own
 * (`sales_verification` …: verified | doubtful | contradicted | unasked), so a doubtful or contradicted fact
 * reaches the scorecard and the model as such, never as if confirmed. Pure: no I/O.
 */
import type { FeatureRow, FeatureSchemaField, ModelCard } from './model/index.js';
import { checkCardAgainstSchema } from './model/index.js';
import { modelFeaturesMismatch } from './model/errors.js';
import { badRequest } from '../platform/errors.js';
import { SECTORS } from '../questions/types.js';
import type { Localized } from '../questions/types.js';

/** Where the service gets an input. */
export const FEATURE_SOURCES = ['survey', 'financials', 'screening', 'interview'] as const;
export type FeatureSource = (typeof FEATURE_SOURCES)[number];

/**
 * The origin names a model card may use (models/training writes `profile` and `ipc_financials`) and the
 * source each stands for.
 */
export const CARD_ORIGIN_SOURCES: Readonly<Record<string, FeatureSource>> = {
  survey: 'survey',
  profile: 'survey',
  financials: 'financials',
  ipc_financials: 'financials',
  screening: 'screening',
  interview: 'interview',
};

export const VERIFICATION_LEVELS = ['verified', 'doubtful', 'contradicted', 'unasked'] as const;
export type VerificationLevel = (typeof VERIFICATION_LEVELS)[number];

export const SOFT_INFORMATION_LEVELS = ['positive', 'neutral', 'negative'] as const;
export type SoftInformation = (typeof SOFT_INFORMATION_LEVELS)[number];

export interface DeclaredFeature extends FeatureSchemaField {
  readonly source: FeatureSource;
  readonly label: Localized;
  /** The unit or meaning of a numeric value, for the console. */
  readonly unit?: string;
  /** Plain-language names of the categories, for reasons. */
  readonly categoryLabels?: Readonly<Record<string, Localized>>;
}

const L = (zh: string, en: string): Localized => ({ 'zh-CN': zh, 'en-US': en });

const SECTOR_LABELS: Record<string, Localized> = {
  grocery: L('商超/小卖部', 'grocery'),
  restaurant: L('餐饮', 'restaurant'),
  crops: L('种植', 'crops'),
  livestock: L('养殖', 'livestock'),
  transport: L('运输', 'transport'),
  processing: L('加工', 'processing'),
};
const VERIFICATION_LABELS: Record<string, Localized> = {
  verified: L('访谈核实一致', 'verified in the interview'),
  doubtful: L('访谈存疑', 'left doubtful by the interview'),
  contradicted: L('访谈发现矛盾', 'contradicted in the interview'),
  unasked: L('访谈未核实', 'not asked in the interview'),
};
const SOFT_LABELS: Record<string, Localized> = {
  positive: L('正面', 'positive'),
  neutral: L('一般', 'neutral'),
  negative: L('负面', 'negative'),
};

export const FEATURE_SCHEMA: readonly DeclaredFeature[] = [
  {
    name: 'sector',
    kind: 'categorical',
    source: 'survey',
    categories: SECTORS,
    categoryLabels: SECTOR_LABELS,
    label: L('行业', 'Sector'),
  },
  {
    name: 'years_in_business',
    kind: 'numeric',
    source: 'survey',
    label: L('经营年限', 'Years in business'),
    unit: 'years',
  },
  {
    name: 'soft_information',
    kind: 'categorical',
    source: 'survey',
    categories: SOFT_INFORMATION_LEVELS,
    categoryLabels: SOFT_LABELS,
    label: L('软信息评价', 'Soft information'),
  },
  {
    name: 'cash_flow_cover',
    kind: 'numeric',
    source: 'financials',
    label: L('现金流对月供覆盖倍数', 'Cash-flow cover of the instalment'),
    unit: 'monthly disposable income ÷ instalment',
  },
  {
    name: 'debt_ratio',
    kind: 'numeric',
    source: 'financials',
    label: L('资产负债率', 'Debt ratio'),
    unit: 'liabilities ÷ assets',
  },
  {
    name: 'margin_stability',
    kind: 'numeric',
    source: 'financials',
    label: L('毛利稳定性', 'Margin stability'),
    unit: '0..1, 1 = steady monthly gross margin',
  },
  {
    name: 'credit_overdue_count',
    kind: 'numeric',
    source: 'screening',
    label: L('征信逾期次数', 'Overdue records in the credit report'),
    unit: 'count, 24 months',
  },
  {
    name: 'interview_reliability',
    kind: 'numeric',
    source: 'interview',
    label: L('访谈可信度（控制问题）', 'Interview reliability on control questions'),
    unit: '0..1',
  },
  {
    name: 'contradictions',
    kind: 'numeric',
    source: 'interview',
    label: L('访谈发现的矛盾', 'Contradictions found in the interview'),
    unit: 'count',
  },
  {
    name: 'sales_verification',
    kind: 'categorical',
    source: 'interview',
    categories: VERIFICATION_LEVELS,
    categoryLabels: VERIFICATION_LABELS,
    label: L('销售额核实情况', 'Verification of sales'),
  },
  {
    name: 'debt_verification',
    kind: 'categorical',
    source: 'interview',
    categories: VERIFICATION_LEVELS,
    categoryLabels: VERIFICATION_LABELS,
    label: L('负债核实情况', 'Verification of debts'),
  },
];

export function declaredFeature(name: string): DeclaredFeature | undefined {
  return FEATURE_SCHEMA.find((f) => f.name === name);
}

/**
 * Refuses a feature row with an undeclared name, a non-finite number, text for a numeric feature or an unknown
 * category (FEATURE_ROW_INVALID, every problem listed). Null or absent means missing.
 */
export function checkFeatureRow(row: FeatureRow, schema: readonly DeclaredFeature[] = FEATURE_SCHEMA): void {
  const problems: { feature: string; problem: string }[] = [];
  for (const [name, value] of Object.entries(row)) {
    const f = schema.find((d) => d.name === name);
    if (!f) {
      problems.push({ feature: name, problem: 'not in the feature schema' });
      continue;
    }
    if (value === null || value === undefined) continue;
    if (f.kind === 'numeric') {
      if (typeof value !== 'number' || !Number.isFinite(value))
        problems.push({ feature: name, problem: 'must be a finite number or null' });
    } else if (typeof value !== 'string' || !(f.categories ?? []).includes(value)) {
      problems.push({ feature: name, problem: `must be one of ${(f.categories ?? []).join(', ')} or null` });
    }
  }
  if (problems.length > 0)
    throw badRequest('FEATURE_ROW_INVALID', 'The feature row does not fit the schema', { problems });
}

/**
 * checkCardAgainstSchema (names, kinds, categories) and, in addition, the source: a card that says an input
 * comes from somewhere else than the schema declares describes another feature and is refused.
 */
export function checkCardFeatures(
  card: ModelCard,
  schema: readonly DeclaredFeature[] = FEATURE_SCHEMA,
): void {
  checkCardAgainstSchema(card, schema);
  const problems: { input: string; problem: string }[] = [];
  for (const input of card.inputs) {
    const declared = schema.find((f) => f.name === input.name);
    const source = CARD_ORIGIN_SOURCES[input.origin];
    if (declared && source !== declared.source) {
      problems.push({
        input: input.name,
        problem: `the card says it comes from ${input.origin}, the schema from ${declared.source}`,
      });
    }
  }
  if (problems.length > 0) {
    throw modelFeaturesMismatch(`Model ${card.model_version} does not fit the feature schema`, { problems });
  }
}

/** The dialog's fact status (src/dialog/belief/types.ts FactStatus) and whether the fact was asked at all. */
export interface InterviewFact {
  readonly status: 'unknown' | 'consistent' | 'doubtful' | 'contradicted';
  /** Answers recorded about the fact. */
  readonly observations: number;
}

/**
 * How the interview left a fact. Only "consistent" is verified; a fact asked but left unknown is doubtful,
 * never verified; a fact not asked (or no interview) is "unasked".
 */
export function verificationLevel(fact: InterviewFact | undefined): VerificationLevel {
  if (!fact) return 'unasked';
  switch (fact.status) {
    case 'consistent':
      return 'verified';
    case 'doubtful':
      return 'doubtful';
    case 'contradicted':
      return 'contradicted';
    case 'unknown':
      return fact.observations > 0 ? 'doubtful' : 'unasked';
  }
}

/** The fact catalogue ids (src/questions/catalogue) whose verification status is a feature. */
export const VERIFIED_FACT_FEATURES = {
  sales_verification: 'sales.monthly',
  debt_verification: 'loans.existing_total',
} as const;

/** What the pipeline knows about one case, by source; null means not known. */
export interface PipelineInputs {
  readonly survey: {
    readonly sector: (typeof SECTORS)[number];
    readonly yearsInBusiness: number | null;
    readonly softInformation?: SoftInformation | null;
  };
  readonly financials: {
    /** Monthly disposable income in fen (IPC reconstruction, after existing debt service). */
    readonly disposableMonthlyFen: number | null;
    /** The instalment of the loan being scored, in fen. */
    readonly instalmentFen: number | null;
    readonly totalLiabilitiesFen: number | null;
    readonly totalAssetsFen: number | null;
    readonly marginStability: number | null;
  };
  readonly screening: { readonly creditOverdueCount: number | null };
  /** Null when no interview was held. */
  readonly interview: {
    /** Mean of the Beta reliability from control questions. */
    readonly reliability: number | null;
    /** Facts recorded contradicted (after their follow-up). */
    readonly contradictions: number;
    readonly facts: Readonly<Record<string, InterviewFact>>;
  } | null;
}

const ratio = (num: number | null, den: number | null): number | null =>
  num === null || den === null || den <= 0 ? null : num / den;

/** The feature row of one case, every value named as in FEATURE_SCHEMA. */
export function buildFeatureRow(inputs: PipelineInputs): FeatureRow {
  const { survey, financials, screening, interview } = inputs;
  const facts = interview?.facts ?? {};
  return {
    sector: survey.sector,
    years_in_business: survey.yearsInBusiness,
    soft_information: survey.softInformation ?? null,
    cash_flow_cover: ratio(financials.disposableMonthlyFen, financials.instalmentFen),
    debt_ratio: ratio(financials.totalLiabilitiesFen, financials.totalAssetsFen),
    margin_stability: financials.marginStability,
    credit_overdue_count: screening.creditOverdueCount,
    interview_reliability: interview?.reliability ?? null,
    contradictions: interview ? interview.contradictions : null,
    sales_verification: verificationLevel(facts[VERIFIED_FACT_FEATURES.sales_verification]),
    debt_verification: verificationLevel(facts[VERIFIED_FACT_FEATURES.debt_verification]),
  };
}
