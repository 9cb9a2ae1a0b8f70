/**
 * Response shapes of the pipeline routes (src/scoring/pipeline/routes.ts), written from service.ts's
 * PipelineResultDto, PipelineJobDto and ReplayDto and the types of types.ts. The serializer validates every reply
 * against them and a z.object drops the keys it does not list, so the checks at the end make `tsc` fail when a
 * return type and its shape here drift apart.
 */
import { z } from 'zod';
import { BINDING_CONSTRAINTS } from '../limit/index.js';
import { ASSET_CLASSES, GRADES, REPAYMENT_METHODS } from '../pricing/index.js';
import type {
  PipelineJobDto as PipelineJobT,
  PipelineResultDto as PipelineResultT,
  ReplayDto,
} from './service.js';

const Localized = z.object({ 'zh-CN': z.string(), 'en-US': z.string() });
const Iso = z.string().describe('ISO 8601 instant');
const Grade = z.enum(GRADES);
const Method = z.enum(REPAYMENT_METHODS);

const FactEvidence = z.object({ questionId: z.string(), outcome: z.string(), code: z.string() });
const InterviewFact = z.object({
  factId: z.string(),
  label: Localized,
  importance: z.number(),
  status: z
    .enum(['unknown', 'consistent', 'doubtful', 'contradicted'])
    .describe('Only consistent counts as verified'),
  p: z.number().describe('P(the fact agrees with the bank’s expectation)'),
  confidence: z.number().describe('max(p, 1 − p)'),
  contradictionRecorded: z.boolean(),
  observations: z.number(),
  evidence: z.array(FactEvidence).describe('Every answer that moved the belief, in order'),
});

const CaseInputs = z
  .object({
    caseId: z.string(),
    asOf: z.string().describe('The run’s date in China (YYYY-MM-DD): the pricing date'),
    loan: z.object({ amountFen: z.number(), termMonths: z.number(), method: Method, purpose: z.string() }),
    applicant: z.object({
      sector: z.enum(['grocery', 'restaurant', 'crops', 'livestock', 'transport', 'processing']),
      industryCode: z.string(),
    }),
    survey: z.object({
      templateId: z.string().nullable(),
      templateVersion: z.number().nullable(),
      yearsInBusiness: z.number().nullable(),
      softInformation: z.enum(['positive', 'neutral', 'negative']).nullable(),
    }),
    financials: z
      .object({
        disposableMonthlyFen: z.number().nullable(),
        totalAssetsFen: z.number().nullable(),
        totalLiabilitiesFen: z.number().nullable(),
        equityFen: z.number().nullable(),
        annualSalesFen: z.number().nullable(),
        marginStability: z
          .number()
          .nullable()
          .describe('0..1, 1 − coefficient of variation of the monthly gross margin'),
      })
      .nullable(),
    screening: z
      .object({
        asOf: z.string(),
        facts: z.record(
          z.string(),
          z.object({
            value: z.union([z.number(), z.string(), z.boolean(), z.array(z.number()).readonly()]).nullable(),
            status: z.enum(['ok', 'missing', 'failed']),
            reason: z.string().nullable(),
          }),
        ),
      })
      .nullable()
      .describe('Null when the case was never screened'),
    interview: z
      .object({
        sessionId: z.string(),
        status: z.string(),
        endReason: z.string().nullable(),
        catalogueVersion: z.string(),
        reliability: z.object({ alpha: z.number(), beta: z.number(), mean: z.number() }),
        facts: z.array(InterviewFact),
      })
      .nullable()
      .describe('Null when no interview is known for the case'),
  })
  .describe(
    'Everything the run knew about the case; hashed and stored, so a replay computes from exactly this',
  );

export const VersionsDto = z.object({
  catalogue: z.string().nullable(),
  scorecard: z.object({ id: z.string(), version: z.number() }),
  model: z.string().nullable(),
  pricingParams: z.object({ version: z.string(), effectiveFrom: z.string() }),
  admissionRules: z.string(),
  limitConfig: z.string(),
  code: z.string(),
});

const Offer = z.object({
  amountFen: z.number(),
  termMonths: z.number(),
  method: Method,
  annualRateBp: z.number(),
  maxPaymentFen: z.number().describe('The largest scheduled monthly payment'),
  burdenFen: z.number(),
  firstPaymentFen: z.number(),
  totalInterestFen: z.number(),
});

export const LimitDto = z.object({
  requested: z.object({ amountFen: z.number(), termMonths: z.number(), method: Method }),
  disposableMonthlyFen: z.number(),
  instalmentShare: z.number(),
  affordableInstalmentFen: z.number(),
  offer: Offer.nullable().describe('Null when no combination reaches the product’s minimum amount'),
  changed: z.object({ amount: z.boolean(), term: z.boolean(), method: z.boolean() }),
  binding: z.enum(BINDING_CONSTRAINTS),
  caps: z.object({
    affordabilityFen: z.number(),
    productMaxFen: z.number(),
    equityCapFen: z.number().nullable(),
  }),
  reason: Localized,
});

export const ModelScoreDto = z.object({
  modelVersion: z.string(),
  probability: z.number(),
  grade: Grade,
  topFactors: z.array(
    z.object({
      input: z.string(),
      value: z.union([z.number(), z.string()]).nullable(),
      contribution: z.number().describe('To the log-odds of default'),
      direction: z.enum(['raises_risk', 'lowers_risk']),
      text: Localized,
    }),
  ),
});

const Scorecard = z.object({
  scorecardId: z.string(),
  version: z.number(),
  total: z.number(),
  grade: Grade,
  capacityPoints: z.number(),
  willingnessPoints: z.number(),
  maxPoints: z.number(),
  factors: z.array(
    z.object({
      factorId: z.string(),
      group: z.enum(['capacity', 'willingness']),
      input: z.string(),
      value: z.union([z.number(), z.string()]).nullable(),
      points: z.number(),
      maxPoints: z.number(),
      bin: Localized,
      reason: Localized,
    }),
  ),
});

const Instalment = z.object({
  period: z.number().describe('Month number from 1'),
  openingBalanceFen: z.number(),
  principalFen: z.number(),
  interestFen: z.number(),
  paymentFen: z.number(),
  closingBalanceFen: z.number(),
});

/** src/scoring/pricing/rate.ts LoanPrice: the rate built up from its components, with its risk and schedule. */
export const LoanPriceDto = z.object({
  paramsVersion: z.string(),
  pricingDate: z.string(),
  lpr: z.object({ tenor: z.enum(['1Y', '5Y']), effectiveFrom: z.string(), bp: z.number() }),
  components: z.array(
    z.object({
      key: z.enum(['funding', 'operating', 'expected_loss', 'capital', 'margin']),
      labelZh: z.string(),
      labelEn: z.string(),
      centiBp: z.number().describe('Hundredths of a basis point per annum'),
      bp: z.string().describe('The same in basis points with two decimals, e.g. "123.45"'),
      explainZh: z.string(),
      explainEn: z.string(),
    }),
  ),
  buildUpBp: z.string().describe('Sum of the components, bp with two decimals'),
  roundedRateBp: z.number().describe('The sum rounded up to the product step'),
  clamp: z.enum(['none', 'floor', 'cap', 'legal_ceiling']),
  underpricedBp: z.number().describe('By how much the clamp lowered the rate below the build-up'),
  annualRateBp: z.number(),
  annualRate: z.string().describe('e.g. "0.0485"'),
  annualRatePercent: z.string().describe('e.g. "4.85%"'),
  spreadOverLprBp: z.number(),
  quoteEn: z.string(),
  quoteZh: z.string(),
  risk: z.object({
    assetClass: z.enum(ASSET_CLASSES),
    pd: z.number(),
    lgd: z.number(),
    lgdBeforeFloor: z.number(),
    coveredShare: z.number(),
    eadFen: z.number(),
    maturityYears: z.number(),
    salesEurMillions: z.number().nullable(),
    correlation: z.number().nullable(),
    k: z.number(),
    riskWeight: z.number(),
    rwaFen: z.number(),
  }),
  schedule: z.object({
    principalFen: z.number(),
    termMonths: z.number(),
    annualRateBp: z.number(),
    method: Method,
    instalments: z.array(Instalment),
    totalPrincipalFen: z.number(),
    totalInterestFen: z.number(),
    totalPaymentFen: z.number(),
    balanceMonthsFen: z.number(),
  }),
  apr: z.object({
    monthlyIrr: z.number(),
    nominalAnnual: z.number(),
    effectiveAnnual: z.number(),
    nominalAnnualPercent: z.string(),
    effectiveAnnualPercent: z.string(),
  }),
  raroc: z.object({
    value: z.number().nullable(),
    percent: z.string().nullable(),
    hurdlePercent: z.string(),
  }),
  notesZh: z.array(z.string()).describe('Every adjustment after the build-up, in words'),
  notesEn: z.array(z.string()),
});

export const ReasonDto = z.object({
  code: z.string(),
  effect: z.enum(['decline', 'refer', 'info']).describe('What the reason does to the outcome'),
  text: Localized,
});

export const MissingItemDto = z
  .object({ key: z.string(), label: Localized, why: z.string() })
  .describe('Something the pipeline wanted and did not have; never silently zero');

const PipelineBody = z.object({
  outcome: z.enum(['approve', 'refer', 'decline']),
  reasons: z.array(ReasonDto),
  admission: z.array(
    z.object({
      ruleId: z.string(),
      label: Localized,
      status: z.enum(['pass', 'fail', 'missing']),
      sources: z.array(z.string()).describe('Where the rule looks, in order'),
      input: z.string().nullable().describe('The first present of its sources'),
      value: z.union([z.number(), z.string(), z.boolean()]).nullable(),
      threshold: z.string(),
      reason: Localized,
    }),
  ),
  missing: z.array(MissingItemDto),
  facts: z.object({
    verified: z.array(InterviewFact),
    doubtful: z.array(InterviewFact),
    contradicted: z.array(InterviewFact),
    unverified: z.array(InterviewFact),
  }),
  features: z
    .record(z.string(), z.union([z.number(), z.string(), z.boolean()]).nullable().optional())
    .readonly()
    .describe('The feature row scored (null: unknown, never zero)'),
  scorecard: Scorecard,
  model: ModelScoreDto.nullable(),
  grade: Grade.describe('The worse of the scorecard’s and the model’s'),
  pd: z.object({ value: z.number(), basis: z.enum(['model', 'grade']) }),
  scoringInstalmentFen: z.number(),
  limit: LimitDto.nullable(),
  price: LoanPriceDto,
  priceOf: z.enum(['offer', 'request']),
});

export const PipelineResultDto = z.object({
  id: z.string(),
  case_id: z.string(),
  session_id: z.string().nullable(),
  trigger: z.enum(['interview_completed', 'requested']),
  requested_by: z.string(),
  created_at: Iso,
  outcome: z.enum(['approve', 'refer', 'decline']),
  inputs_hash: z.string(),
  versions: VersionsDto,
  result: PipelineBody,
  inputs: CaseInputs,
});

export const PipelineJobDto = z.object({
  session_id: z.string(),
  status: z.enum(['pending', 'running', 'done', 'failed']),
  attempts: z.number(),
  due_at: Iso.describe('Pending: when it may be tried again; running: when its holder’s lease lapses'),
  error: z.object({ code: z.string(), message: z.string().nullable() }).nullable(),
  updated_at: Iso,
});

export const PipelineReplayDto = z.object({
  result_id: z.string(),
  identical: z.boolean(),
  inputs_hash_ok: z.boolean(),
  code_version: z.object({ recorded: z.string(), now: z.string() }),
  outcome: z.object({ recorded: z.string(), replayed: z.string() }),
  differences: z.array(z.object({ path: z.string(), recorded: z.unknown(), replayed: z.unknown() })),
});

// ---------------------------------------------------------------------------------------------------------------
// Drift checks: each shape is exactly its service's return type.

/**
 * Every property path of a type, through arrays and each member of a union, marked `?` where it may be undefined. A
 * key that can only be undefined is left out: TypeScript adds `k?: undefined` to the members of a union of object
 * literals for the keys of the others, and no such key is ever sent.
 */
type Paths<T, D extends unknown[] = []> = D['length'] extends 10
  ? never
  : T extends readonly (infer E)[]
    ? `[]${Paths<E, [...D, 0]>}`
    : T extends object
      ? {
          [K in keyof T & string]-?: [NonNullable<T[K]>] extends [never]
            ? never
            : `.${K}${undefined extends T[K] ? '?' : ''}` | `.${K}${Paths<NonNullable<T[K]>, [...D, 0]>}`;
        }[keyof T & string]
      : never;

/**
 * The service's value fits the shape (the serializer accepts it) and both have the same property paths: no field the
 * shape forgets (which the serializer would drop), none it invents. The shape may be wider than the type where the
 * type is narrower than what is sent (e.g. a literal union of texts sent as a string). (A plain `Equals` on the two
 * tells a zod object's inferred type from its literal twin; src/review/dto.ts uses these too.)
 */
export type Same<Shape, Service> = [Service] extends [Shape]
  ? [Exclude<Paths<Shape>, Paths<Service>> | Exclude<Paths<Service>, Paths<Shape>>] extends [never]
    ? true
    : false
  : false;
export type Assert<T extends true> = T;

export type DtoChecks = [
  Assert<Same<z.infer<typeof PipelineResultDto>, PipelineResultT>>,
  Assert<Same<z.infer<typeof PipelineJobDto>, PipelineJobT>>,
  Assert<Same<z.infer<typeof PipelineReplayDto>, ReplayDto>>,
];
