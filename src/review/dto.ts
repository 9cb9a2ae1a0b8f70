/**
 * Response shapes of the review routes (src/review/routes.ts), written from what desk.ts, recordings.ts, bundle.ts
 * and analysis.ts return. The serializer validates every reply against them and a z.object drops the keys it does
 * not list, so the checks at the end make `tsc` fail when a service's return type and its shape here drift apart.
 */
import { z } from 'zod';
import { CaseDto } from '../cases/schemas.js';
import { ScreeningDto } from '../screening/schemas.js';
import {
  type Assert,
  type Same,
  LimitDto,
  LoanPriceDto,
  MissingItemDto,
  ModelScoreDto,
  PipelineResultDto,
  ReasonDto,
  VersionsDto,
} from '../scoring/pipeline/dto.js';
import type { PipelineResultView } from './ports.js';
import type { BundleCheck as BundleCheckT, Bundle as BundleT } from './bundle.js';
import { BUNDLE_FORMAT } from './bundle.js';
import type { Desk } from './desk.js';
import type { Recordings } from './recordings.js';
import { OPINION_KINDS } from './types.js';

const Localized = z.object({ 'zh-CN': z.string(), 'en-US': z.string() });
const Iso = z.string().describe('ISO 8601 instant');

/**
 * A schema typed as its service types the value rather than as it validates it: where a port types the value loosely
 * (src/review/ports.ts, bundle.ts) though it always has one shape, and where nesting is cut off (`finLine`).
 */
const ported = <T>(schema: z.ZodType) => schema as unknown as z.ZodType<T>;

// ---------------------------------------------------------------------------------------------------------------
// The expert desk

export const ReviewItemDto = z.object({
  sessionId: z.string(),
  caseId: z.string(),
  status: z.enum(['queued', 'claimed', 'decided']).describe('A lapsed claim shows as queued'),
  assigneeId: z.string().nullable(),
  claimExpiresAt: Iso.nullable(),
  endedAt: Iso,
  version: z.number().int().describe('Optimistic-concurrency token: send it back with the opinion'),
  flagCodes: z
    .array(z.string())
    .describe('Distinct codes of the inconsistencies the transcript shows (empty in a claim’s reply)'),
});

const CaseCardDto = z
  .object({
    id: z.string(),
    applicant_name: z.string().describe('Masked unless the caller may see personal data'),
    business_name: z.string().nullable(),
    sector: CaseDto.shape.applicant.shape.sector,
    amount_yuan: z.string(),
    term_months: z.number(),
  })
  .describe('The case as a list shows it');

export const QueueEntryDto = ReviewItemDto.extend({
  endReason: z.string().nullable(),
  case: CaseCardDto.nullable(),
  pipelineOutcome: z.string().nullable().describe('The newest pipeline result’s outcome, if any'),
});

export const OpinionDto = z.object({
  id: z.string(),
  sessionId: z.string(),
  caseId: z.string(),
  expertId: z.string(),
  kind: z.enum(OPINION_KINDS),
  amountFen: z.number().nullable(),
  amountYuan: z.string().nullable().describe('amountFen as a decimal string of yuan'),
  termMonths: z.number().int().nullable(),
  rateBp: z.number().int().nullable().describe('Annual rate in basis points'),
  check: z
    .object({
      code: z.string(),
      what: z.string().describe('What the check asks the officer to do, in the interview’s language'),
      note: z.string().nullable(),
    })
    .nullable(),
  facts: z.array(z.string()),
  reasons: z.array(z.string()),
  decision: z
    .string()
    .nullable()
    .describe('approve | decline: the expert model’s target; null for no decision'),
  createdAt: Iso,
});

const Tolerance = z.object({ warn: z.number(), fail: z.number() });
const Expectation = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('number'), value: z.number(), tolerance: Tolerance }),
  z.object({ kind: z.literal('range'), low: z.number(), high: z.number() }),
  z.object({ kind: z.literal('boolean'), value: z.boolean() }),
  z.object({ kind: z.literal('choice'), value: z.string() }),
  z.object({ kind: z.literal('unknown') }),
]);
const CaseValue = z.union([z.number(), z.string(), z.boolean()]);
const ExpectedPair = {
  expected: Expectation.nullable().describe('The bank’s expectation at the time, in the question’s unit'),
  expectedInFactUnit: Expectation.nullable().describe(
    'The same converted to the fact’s unit, as `value` is; null when not numeric',
  ),
};

const Evidence = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('transcript'),
      seq: z.number(),
      questionId: z.string().nullable(),
      text: z.string(),
    }),
    z.object({
      kind: z.literal('survey'),
      field: z.string(),
      value: CaseValue.nullable(),
      from: z
        .array(z.string())
        .readonly()
        .describe('The officer’s survey questions the field was computed from'),
      ...ExpectedPair,
    }),
    z.object({
      kind: z.literal('financials'),
      line: z.string(),
      value: z.number().nullable(),
      ...ExpectedPair,
    }),
    z.object({
      kind: z.literal('screening'),
      fact: z.string(),
      value: CaseValue.nullable(),
      ...ExpectedPair,
    }),
    z.object({ kind: z.literal('expectation'), questionId: z.string(), expected: Expectation }),
    z.object({
      kind: z.literal('ipc_check'),
      check: z.string(),
      side: z
        .enum(['reported', 'check'])
        .describe('reported: what the statements say; check: the other route'),
      value: z.union([z.number(), z.object({ low: z.number(), high: z.number() })]).nullable(),
      unit: z.string(),
      sources: z.array(z.string()).readonly(),
    }),
  ])
  .describe('One side of an inconsistency: a transcript line or a line of the case’s data');

export const FlagDto = z.object({
  id: z.string(),
  code: z.enum(['answer_vs_answer', 'answer_vs_source', 'control_failed', 'ipc_check']),
  severity: z.enum(['warn', 'fail']),
  factIds: z.array(z.string()),
  why: z.string(),
  evidence: z.tuple([Evidence, Evidence]).describe('The two sides, earlier or case side first'),
});

const VerificationOutcome = z.enum(['consistent', 'doubtful', 'contradicted', 'none', 'unverifiable']);

const VerdictDto = z.object({
  factId: z.string(),
  factLabel: z.string(),
  questionKind: z.enum(['direct', 'indirect', 'control']),
  outcome: VerificationOutcome,
  code: z.enum([
    'WITHIN_TOLERANCE',
    'BEYOND_WARN',
    'BEYOND_FAIL',
    'INSIDE_RANGE',
    'MATCHES',
    'DIFFERS',
    'NO_EXPECTATION',
    'NO_ANSWER',
    'WRONG_ANSWER_KIND',
    'INCONSISTENT_WITH_EARLIER',
    'FREE_TEXT',
  ]),
  deviation: z.number().nullable().describe('Relative deviation from the expectation, for numbers'),
  crossCheck: z
    .object({
      againstQuestionId: z.string(),
      deviation: z.number(),
      outcome: z.enum(['consistent', 'doubtful', 'contradicted']),
    })
    .nullish()
    .describe('The earlier answer about the same fact this one was compared with'),
  why: z.string(),
});

const BotLine = z.object({
  kind: z.literal('bot'),
  seq: z.number(),
  at: Iso,
  text: z.string(),
  questionId: z.string().nullable(),
  mode: z.string().nullable(),
  reasons: z.unknown().describe('The policy’s reasons for the question, as the dialog recorded them'),
});
const ApplicantLine = z.object({
  kind: z.literal('applicant'),
  seq: z.number(),
  at: Iso,
  channel: z.string(),
  text: z.string(),
  choice: z.string().nullable(),
  questionId: z.string().nullable(),
  question: z
    .object({ text: z.string(), kind: z.string(), purpose: z.string(), factIds: z.array(z.string()) })
    .nullable(),
  understanding: z.unknown().describe('What the NLU understood of the answer, as recorded (src/dialog/nlu)'),
  observed: z.unknown().describe('The answer as the dialog engine saw it (ObservedAnswer), as recorded'),
  verdicts: z.array(VerdictDto),
  media: z.array(z.object({ kind: z.enum(['voice', 'image']), ref: z.string() })),
  flags: z.array(z.string()).describe('Ids of the flags this line is evidence of'),
});
const EndLine = z.object({
  kind: z.literal('end'),
  seq: z.number(),
  at: Iso,
  reason: z.string(),
  text: z.string(),
});
const PurgedLine = z
  .object({ kind: z.literal('purged'), seq: z.number(), at: Iso })
  .describe('A line whose content was removed by the retention policy; its hash is kept');

export const TranscriptLineDto = z.discriminatedUnion('kind', [BotLine, ApplicantLine, EndLine, PurgedLine]);

export const ReliabilityDto = z.object({
  mean: z.number().nullable().describe('Mean of the Beta posterior over the applicant’s reliability'),
  alpha: z.number().nullable(),
  beta: z.number().nullable(),
  asked: z.number(),
  passed: z.number(),
  failed: z.number(),
  answers: z.array(z.object({ seq: z.number(), questionId: z.string(), outcome: VerificationOutcome })),
});

const ConsentDto = z.object({
  id: z.string(),
  kind: z.enum(['screening', 'recording']),
  source: z.string().nullable(),
  granted: z.boolean(),
  text_id: z.string(),
  text_version: z.number().int(),
  lang: z.string(),
  channel: z.string(),
  evidence_hash: z.string(),
  at: Iso,
});

const FenRange = z.object({ low: z.number(), high: z.number() });
const CrossCheckDto = z.object({
  name: z.string(),
  factIds: z.array(z.string()),
  expected: z.union([z.number(), FenRange]).nullable(),
  observed: z.number().nullable(),
  unit: z.enum(['fen', 'ratio', 'days', 'fen_per_person']),
  deviationPct: z.number().nullable().describe('Percent, e.g. −6.93'),
  tolerance: z
    .object({ warn: z.number(), fail: z.number().nullable() })
    .describe('Percent; fail null: never fails'),
  verdict: z.enum(['pass', 'warn', 'fail', 'not_applicable']),
  explanation: Localized,
  sources: z.array(z.string()),
});
const DoubtDto = z.object({
  factId: z.string(),
  level: z.enum(['warn', 'fail']),
  checks: z.array(z.string()),
  reasons: z.array(Localized),
  sources: z.array(z.string()),
});

type DeskViewT = Awaited<ReturnType<Desk['view']>>;

const SurveyAnswer = z.object({
  value: z.union([
    z.number(),
    z.string(),
    z.boolean(),
    z.object({ value: z.number(), unit: z.string() }),
    z.object({ lat: z.number(), lng: z.number() }),
  ]),
  answered_at: Iso,
  saved_at: Iso,
  gps: z.object({ lat: z.number(), lng: z.number(), accuracy: z.number() }).nullable(),
});

/** One line of the rebuilt statements (src/scoring/ipc/financials.ts Line), amounts in fen. */
interface FinLineT {
  id: string;
  label: { 'zh-CN': string; 'en-US': string };
  amountFen: number;
  sources: string[];
  formula: string;
  details?: FinLineT[] | undefined;
}
/**
 * Lines nest (a total and its details); the OpenAPI document has no named components to refer back to, so three
 * levels are spelled out and any deeper ones are passed through whole as plain objects (never stripped).
 */
const finLine = (levels: number): z.ZodType<FinLineT> =>
  z.object({
    id: z.string(),
    label: Localized,
    amountFen: z.number(),
    sources: z.array(z.string()).describe('Survey question ids the figure rests on'),
    formula: z.string(),
    details: (levels > 1
      ? z.array(finLine(levels - 1))
      : ported<FinLineT[]>(z.array(z.record(z.string(), z.unknown())).describe('Deeper lines, as above'))
    ).optional(),
  });
const FinLine = finLine(3);
const ProfitAndLoss = z.object({
  period: z.enum(['month', 'year']),
  revenue: FinLine,
  costOfSales: FinLine,
  grossProfit: FinLine,
  otherIncome: FinLine,
  operatingCosts: FinLine,
  tax: FinLine,
  other: FinLine,
  netProfit: FinLine,
  depreciation: FinLine.describe('Memo: straight-line depreciation, not deducted in netProfit'),
});
const FinancialsDto = z
  .object({
    templateId: z.string(),
    templateVersion: z.number(),
    sector: CaseDto.shape.applicant.shape.sector,
    balanceSheet: z.object({
      assets: z.array(FinLine),
      fixedAssets: z.array(
        z.object({
          id: z.string(),
          label: Localized,
          amountFen: z.number(),
          sources: z.array(z.string()),
          formula: z.string(),
          details: z.array(FinLine).optional(),
          costFen: z.number().nullable(),
          accumulatedDepreciationFen: z.number().nullable(),
          monthlyDepreciationFen: z.number(),
        }),
      ),
      totalBusinessAssets: FinLine,
      totalAssets: FinLine,
      liabilities: z.array(FinLine),
      financialDebt: FinLine.describe(
        'Interest-bearing debt: bank loans, non-bank institutions, private borrowing',
      ),
      nonBankDebt: FinLine,
      totalLiabilities: FinLine,
      equity: FinLine,
      offBalance: z.array(FinLine),
    }),
    grossMargin: z.object({
      value: z.number().describe('Ratio 0..1 (negative when goods sell below cost)'),
      basis: z.enum(['product_lines', 'claimed']),
      sources: z.array(z.string()),
      formula: z.string(),
    }),
    pnlMonthly: ProfitAndLoss,
    pnlAnnual: ProfitAndLoss,
    cashFlow: z.array(
      z.object({
        month: z.number().describe('Calendar month 1..12'),
        revenueFen: z.number(),
        costOfSalesFen: z.number(),
        operatingCostsFen: z.number(),
        otherIncomeFen: z.number(),
        taxAndOtherFen: z.number(),
        businessNetFen: z.number(),
        householdSpendingFen: z.number(),
        otherHouseholdIncomeFen: z.number(),
        debtPrincipalFen: z.number(),
        netFen: z.number(),
        cumulativeFen: z.number(),
      }),
    ),
    operatingCashFlowMonthly: FinLine,
    household: z.object({
      size: z.number().nullable(),
      spendingMonthly: FinLine,
      otherIncomeMonthly: FinLine,
      debtPrincipalMonthly: FinLine,
      disposableMonthly: FinLine,
    }),
    salesRoutes: z.array(
      z.object({
        id: z.string(),
        label: Localized,
        kind: z.enum(['revenue', 'purchases']),
        monthlySalesFen: z.number().nullable(),
        sources: z.array(z.string()),
        formula: z.string(),
      }),
    ),
    primaryRoute: z.string(),
    newBorrowing12m: FinLine,
    previous: z
      .object({
        equityFen: z.number(),
        periodMonths: z.number(),
        capitalInjectedFen: z.number(),
        revaluationFen: z.number(),
        otherWithdrawalsFen: z.number(),
        sources: z.array(z.string()),
      })
      .nullable(),
  })
  .describe('The rebuilt financial statements (src/scoring/ipc/financials.ts), amounts in fen');

const FactSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('survey'), field: z.string() }),
  z.object({ kind: z.literal('financials'), line: z.string() }),
  z.object({ kind: z.literal('screening'), fact: z.string() }),
  z.object({ kind: z.literal('none') }),
]);

const PipelineView = ported<PipelineResultView>(
  z
    .object({
      id: z.string(),
      createdAt: Iso,
      outcome: PipelineResultDto.shape.outcome,
      reasons: z.array(ReasonDto),
      price: LoanPriceDto,
      versions: VersionsDto,
      features: PipelineResultDto.shape.result.shape.features,
      limit: LimitDto.nullable(),
      grade: PipelineResultDto.shape.result.shape.grade.nullable(),
      model: ModelScoreDto.nullable(),
      missing: z.array(MissingItemDto).nullable(),
    })
    .describe(
      'The newest scoring pipeline result, as GET /cases/{id}/pipeline gives it (src/review/ports.ts)',
    ),
);

export const DeskViewDto = z.object({
  item: ReviewItemDto,
  case: CaseDto,
  survey: z
    .object({
      status: z.enum(['draft', 'submitted']),
      answers: z.record(z.string(), SurveyAnswer).describe('By question id'),
      computed: z.record(z.string(), z.number()).describe('The survey template’s computed fields'),
    })
    .nullable(),
  financials: FinancialsDto.nullable(),
  financialsMissing: z.string().nullable().describe('Why there are no financials (an error code), if so'),
  crossChecks: z.object({ checks: z.array(CrossCheckDto), doubts: z.array(DoubtDto) }).nullable(),
  screening: z
    .object({
      asOf: z.string(),
      status: ScreeningDto.shape.status,
      findings: ScreeningDto.shape.findings,
      facts: ScreeningDto.shape.facts,
    })
    .nullable(),
  screeningMissing: z.string().nullable().describe('Why there is no screening (an error code), if so'),
  consents: z.array(ConsentDto),
  interview: z.object({
    sessionId: z.string(),
    lang: z.string().describe('zh-CN | en-US'),
    status: z.string(),
    endReason: z.string().nullable(),
    startedAt: Iso,
    endedAt: Iso,
    catalogueVersion: z.string(),
    purged: z.boolean(),
    facts: z.array(
      z.object({
        id: z.string(),
        label: z.string(),
        importance: z.number(),
        source: FactSource,
        status: z.enum(['unknown', 'consistent', 'doubtful', 'contradicted']),
        confidence: z.number().nullable(),
        contradictionRecorded: z.boolean(),
      }),
    ),
  }),
  transcript: z.array(TranscriptLineDto),
  flags: z.array(FlagDto),
  reliability: ReliabilityDto,
  pipeline: PipelineView.nullable(),
  opinion: OpinionDto.nullable(),
});

export const OfficerViewDto = z.object({
  caseId: z.string(),
  pipeline: z
    .object({
      outcome: z.string(),
      reasons: ported<NonNullable<unknown> | null>(z.array(ReasonDto).nullable()),
      price: ported<NonNullable<unknown> | null>(LoanPriceDto.nullable()),
    })
    .nullable(),
  interviews: z.array(
    z.object({
      sessionId: z.string(),
      status: z.string(),
      endReason: z.string().nullable(),
      endedAt: Iso,
      review: ReviewItemDto.shape.status.nullable(),
      opinion: OpinionDto.nullable(),
    }),
  ),
  opinion: OpinionDto.nullable().describe('The latest opinion on the case'),
  todo: z
    .union([
      z.object({
        check: z.string(),
        what: z.string(),
        note: z.string().nullable(),
        reasons: z.array(z.string()),
      }),
      z.object({ secondInterviewFacts: z.array(z.string()), reasons: z.array(z.string()) }),
    ])
    .nullable()
    .describe('What the officer is to do when the case was sent back or needs a second interview'),
});

// ---------------------------------------------------------------------------------------------------------------
// Recordings

const AuditRecordDto = z.object({
  seq: z.number(),
  at: Iso,
  actor: z.string(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string(),
  payload: z.unknown(),
  prevHash: z.string(),
  hash: z.string(),
});

const ChainedEventDto = z.object({
  event: z
    .looseObject({ seq: z.number() })
    .describe(
      'A transcript event as stored (src/dialog/session/types.ts TranscriptEvent, dates as ISO strings), or a ' +
        'purged stub { seq, kind, at, purged: true }',
    ),
  prevHash: z.string(),
  hash: z.string(),
});

export const RecordingDocDto = z.object({
  sessionId: z.string(),
  caseId: z.string(),
  lang: z.string(),
  status: z.string(),
  endReason: z.string().nullable(),
  startedAt: Iso,
  endedAt: Iso,
  bank: z.object({ catalogueVersion: z.string(), sha256: z.string().nullable() }),
  // bundle.ts types them as plain records; they are always the cases module's consents (toConsentDto).
  consents: ported<Record<string, unknown>[]>(z.array(ConsentDto)),
  events: z.array(ChainedEventDto),
  anchor: AuditRecordDto.describe('The audit record recording.anchor naming the chain’s last seq and hash'),
  purge: AuditRecordDto.nullable().describe(
    'The audit record recording.purge, once the retention removed the content',
  ),
});

export const FindingDto = z.object({
  id: z.string(),
  sessionId: z.string(),
  seq: z.number().nullable(),
  severity: z.enum(['info', 'warn', 'breach']),
  category: z.string(),
  note: z.string(),
  createdBy: z.string(),
  createdAt: Iso,
});

export const RecordingDto = RecordingDocDto.extend({
  branchPath: z.string(),
  officerId: z.string().nullable(),
  flagCodes: z.array(z.string()),
  outcome: z.string().nullable().describe('The expert’s opinion kind once given'),
  purgedAt: Iso.nullable(),
  purgeableFrom: Iso,
  holds: z.array(
    z.object({
      id: z.string(),
      reason: z.string(),
      placedBy: z.string(),
      placedAt: Iso,
      releasedBy: z.string().nullable(),
      releasedAt: Iso.nullable(),
      releaseReason: z.string().nullable(),
    }),
  ),
  findings: z.array(FindingDto.omit({ sessionId: true })),
});

export const RecordingSearchRowDto = z.object({
  sessionId: z.string(),
  caseId: z.string(),
  case: CaseCardDto.nullable().describe('Null when the case cannot be read'),
  branchPath: z.string(),
  officerId: z.string().nullable(),
  status: z.string(),
  endReason: z.string().nullable(),
  startedAt: Iso,
  endedAt: Iso,
  events: z.number().describe('Transcript lines'),
  catalogueVersion: z.string(),
  flagCodes: z.array(z.string()),
  outcome: z.string().nullable(),
  held: z.boolean(),
  purgedAt: Iso.nullable(),
});

const TimelineExtra = {
  offsetMs: z.number().describe('From the interview’s start'),
  hash: z.string().nullable(),
};

export const TimelineDto = z.object({
  sessionId: z.string(),
  startedAt: Iso,
  endedAt: Iso,
  purged: z.boolean(),
  entries: z.array(
    z.discriminatedUnion('kind', [
      BotLine.extend(TimelineExtra),
      ApplicantLine.extend(TimelineExtra),
      EndLine.extend(TimelineExtra),
      PurgedLine.extend(TimelineExtra),
    ]),
  ),
  flags: z.array(FlagDto),
  reliability: ReliabilityDto,
});

export const RecomputeDto = z.object({
  sessionId: z.string(),
  identical: z.boolean(),
  events: z.number().describe('Lines recorded'),
  differences: z.array(
    z.object({ seq: z.number(), field: z.string(), recorded: z.unknown(), replayed: z.unknown() }),
  ),
  settings: z
    .object({
      iterations: z.number(),
      doubtTarget: z.number(),
      maxEmptyStreak: z.number(),
      maxAnswerChars: z.number(),
      interviewTimeoutMs: z.number(),
      answerModel: z.string(),
      belief: z
        .object({
          consistentAt: z.number(),
          contradictedBelow: z.number(),
          followUpBelow: z.number(),
          pFloor: z.number(),
          startAtLeast: z.number(),
          screeningFlagDoubt: z.object({ warn: z.number(), fail: z.number() }),
          figuresOnAnswersAlone: z.boolean(),
          claimAfterFollowUp: z.boolean().optional(),
        })
        .optional()
        .describe(
          'The belief’s rules (src/dialog/belief/update.ts BeliefConfig); absent: the code’s defaults',
        ),
      verify: z
        .object({
          approxSlack: z.number(),
          approxStrength: z.number(),
          rangeStrengthFloor: z.number(),
          contradictionLogLR: z.number(),
        })
        .optional()
        .describe(
          'How answers are compared (src/dialog/belief/verify.ts VerifyConfig); absent: the defaults',
        ),
      search: z
        .object({
          horizon: z.number(),
          discount: z.number(),
          exploration: z.number(),
          topK: z.number(),
          greedyAtBudgetEnd: z.boolean().optional(),
        })
        .optional(),
    })
    .nullable()
    .describe(
      'The settings it ran under (src/dialog/session/types.ts InterviewSettings); null before they were kept',
    ),
  modelChanged: z
    .object({ recorded: z.string(), running: z.string() })
    .optional()
    .describe('When the running answer model is not the one the interview ran with'),
});

export const ViewEntryDto = z.object({
  seq: z.number(),
  at: Iso,
  userId: z.string(),
  what: z.string().nullable().describe('recording | timeline | desk | export | recompute'),
  role: z.string().nullable(),
});

export const HoldDto = z.object({
  id: z.string(),
  sessionId: z.string(),
  reason: z.string(),
  placedBy: z.string(),
  placedAt: Iso,
});

export const HoldReleaseDto = z.object({ id: z.string(), sessionId: z.string(), releasedAt: Iso });

export const PurgeDto = z.object({
  sessionId: z.string(),
  lines: z.number(),
  auditSeq: z.number().describe('The recording.purge audit record'),
});

export const SigningKeyDto = z.object({
  alg: z.literal('Ed25519'),
  key_id: z.string(),
  public_key: z.string().describe('The raw 32-byte public key, base64url'),
});

export const BundleDto = z.object({
  format: z.literal(BUNDLE_FORMAT),
  exportedAt: Iso,
  exportedBy: z.string(),
  recording: RecordingDocDto,
  html: z.string().describe('A self-contained rendering a person can read and print'),
  signature: z
    .object({ alg: z.literal('Ed25519'), keyId: z.string(), publicKey: z.string(), value: z.string() })
    .describe('Ed25519 over the canonical JSON of everything but the signature value'),
});

export const BundleCheckDto = z.object({
  ok: z.boolean(),
  signature: z.enum(['valid', 'invalid', 'untrusted_key']),
  chain: z.discriminatedUnion('ok', [
    z.object({
      ok: z.literal(true),
      state: z.enum(['intact', 'purged_by_policy']),
      lastSeq: z.number(),
      lastHash: z.string(),
    }),
    z.object({
      ok: z.literal(false),
      firstBadSeq: z.number(),
      problem: z.enum(['gap', 'prev_hash_mismatch', 'hash_mismatch']),
    }),
  ]),
  anchor: z.enum(['valid', 'record_hash_mismatch', 'does_not_match_chain']),
  purge: z.enum(['none', 'valid', 'record_hash_mismatch', 'digest_mismatch']),
  problems: z.array(z.string()),
});

// ---------------------------------------------------------------------------------------------------------------
// Drift checks: each shape is exactly its service's return type.

type Out<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>>;

export type DtoChecks = [
  Assert<Same<z.infer<typeof QueueEntryDto>, Out<Desk['queue']>[number]>>,
  Assert<Same<z.infer<typeof ReviewItemDto>, Out<Desk['claim']>>>,
  Assert<Same<z.infer<typeof ReviewItemDto>, Out<Desk['release']>>>,
  Assert<Same<z.infer<typeof DeskViewDto>, DeskViewT>>,
  Assert<Same<z.infer<typeof OpinionDto>, Out<Desk['giveOpinion']>>>,
  Assert<Same<z.infer<typeof OfficerViewDto>, Out<Desk['officerView']>>>,
  Assert<Same<z.infer<typeof RecordingSearchRowDto>, Out<Recordings['search']>[number]>>,
  Assert<Same<z.infer<typeof RecordingDto>, Out<Recordings['getRecording']>>>,
  Assert<Same<z.infer<typeof TimelineDto>, Out<Recordings['timeline']>>>,
  Assert<Same<z.infer<typeof RecomputeDto>, Out<Recordings['recompute']>>>,
  Assert<Same<z.infer<typeof ViewEntryDto>, Out<Recordings['viewLog']>[number]>>,
  Assert<Same<z.infer<typeof FindingDto>, Out<Recordings['markFinding']>>>,
  Assert<Same<z.infer<typeof HoldDto>, Out<Recordings['placeHold']>>>,
  Assert<Same<z.infer<typeof HoldReleaseDto>, Out<Recordings['releaseHold']>>>,
  Assert<Same<z.infer<typeof PurgeDto>, Out<Recordings['purgeRecording']>>>,
  Assert<Same<z.infer<typeof BundleDto>, BundleT>>,
  Assert<Same<z.infer<typeof BundleCheckDto>, BundleCheckT>>,
];
