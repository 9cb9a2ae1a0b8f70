/**
 * Server state of the expert desk (src/review/routes.ts), through the generated client and React Query's cache.
 *
 * The review routes declare no response schemas, so the generated schema.d.ts types their requests only; the
 * response shapes below are written from src/review/desk.ts (`itemDto`, `view`, `opinionDto`) and
 * src/review/analysis.ts, and asserted in one place (`untyped`).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { paths } from '../../api/schema.js';
import { useAuth } from './auth.js';

type Json<P> = P extends { content: { 'application/json': infer T } } ? T : never;
type Ok<Op> = Op extends { responses: { 200: infer R } } ? Json<R> : never;

export type OpinionBody = NonNullable<
  paths['/api/v1/review/interviews/{sessionId}/opinion']['post']['requestBody']
>['content']['application/json'];
export type OpinionKind = OpinionBody['kind'];
export type CheckCode = NonNullable<OpinionBody['check']>['code'];
export type DeskCase = Ok<paths['/api/v1/cases/{id}']['get']>;
export type Sector = DeskCase['applicant']['sector'];
export type ScreeningRun = Ok<paths['/api/v1/cases/{id}/screening']['get']>;

export type ReviewStatus = 'queued' | 'claimed' | 'decided';

/** A review item (`itemDto`); the queue adds the interview's end reason. */
export interface ReviewItem {
  sessionId: string;
  caseId: string;
  status: ReviewStatus;
  assigneeId: string | null;
  claimExpiresAt: string | null;
  endedAt: string;
  version: number;
  /** The recording's flag codes (distinct codes, not a count; empty in a claim's reply). */
  flagCodes: string[];
  endReason?: string | null;
  /** In the queue (not in a claim's reply): the case as a list shows it, masked per role, and the pipeline's outcome. */
  case?: {
    id: string;
    applicant_name: string;
    business_name: string | null;
    sector: string;
    amount_yuan: string;
    term_months: number;
  } | null;
  pipelineOutcome?: string | null;
}

export type Outcome = 'consistent' | 'doubtful' | 'contradicted' | 'none' | 'unverifiable';

export interface Tolerance {
  warn: number;
  fail: number;
}

export type Expectation =
  | { kind: 'number'; value: number; tolerance: Tolerance }
  | { kind: 'range'; low: number; high: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'choice'; value: string }
  | { kind: 'unknown' };

export type CaseValue = number | string | boolean;

export type Evidence =
  | { kind: 'transcript'; seq: number; questionId: string | null; text: string }
  /** `expected` in the question's own unit; `expectedInFactUnit` converted to the fact's, as `value` is. */
  | {
      kind: 'survey';
      field: string;
      value: CaseValue | null;
      from: string[];
      expected: Expectation | null;
      expectedInFactUnit?: Expectation | null;
    }
  | {
      kind: 'financials';
      line: string;
      value: number | null;
      expected: Expectation | null;
      expectedInFactUnit?: Expectation | null;
    }
  | {
      kind: 'screening';
      fact: string;
      value: CaseValue | null;
      expected: Expectation | null;
      expectedInFactUnit?: Expectation | null;
    }
  | { kind: 'expectation'; questionId: string; expected: Expectation }
  | {
      kind: 'ipc_check';
      check: string;
      side: 'reported' | 'check';
      value: number | { low: number; high: number } | null;
      unit: string;
      sources: string[];
    };

export type FlagCode = 'answer_vs_answer' | 'answer_vs_source' | 'control_failed' | 'ipc_check';

export interface Flag {
  id: string;
  code: FlagCode;
  severity: 'warn' | 'fail';
  factIds: string[];
  why: string;
  evidence: [Evidence, Evidence];
}

export interface Verdict {
  factId: string;
  factLabel: string;
  questionKind: 'direct' | 'indirect' | 'control';
  outcome: Outcome;
  code: string;
  deviation: number | null;
  crossCheck: { outcome: Outcome; deviation: number; againstQuestionId: string } | null;
  why: string;
}

/** What the NLU understood of a typed answer (src/dialog/nlu/types.ts), as far as the desk shows it. */
export interface Understanding {
  intent?: string;
  parsed?: { kind: string; [k: string]: unknown } | null;
  confidence?: number;
  hedged?: boolean;
  notes?: string[];
}

export type TranscriptLine =
  | {
      kind: 'bot';
      seq: number;
      at: string;
      text: string;
      questionId: string | null;
      mode: string | null;
      reasons: unknown;
    }
  | {
      kind: 'applicant';
      seq: number;
      at: string;
      channel: string;
      text: string;
      choice: string | null;
      questionId: string | null;
      question: { text: string; kind: string; purpose: string; factIds: string[] } | null;
      understanding: Understanding | null;
      observed: { kind: string; value?: unknown; low?: number; high?: number; intent?: string } | null;
      verdicts: Verdict[];
      media: { kind: 'voice' | 'image'; ref: string }[];
      flags: string[];
    }
  | { kind: 'end'; seq: number; at: string; reason: string; text: string }
  | { kind: 'purged'; seq: number; at: string };

export type ApplicantLine = Extract<TranscriptLine, { kind: 'applicant' }>;

export interface Reliability {
  mean: number | null;
  alpha: number | null;
  beta: number | null;
  asked: number;
  passed: number;
  failed: number;
  answers: { seq: number; questionId: string; outcome: Outcome }[];
}

export interface Localized {
  'zh-CN': string;
  'en-US': string;
}

/** An IPC cross-check (src/scoring/ipc): values in `unit` (fen for money), deviation in percent. */
export interface CrossCheck {
  name: string;
  factIds: string[];
  expected: number | { low: number; high: number } | null;
  observed: number | null;
  unit: string;
  tolerance: Tolerance | null;
  sources: string[];
  deviationPct: number | null;
  verdict: 'pass' | 'warn' | 'fail' | 'not_applicable' | string;
  explanation: Localized;
}

/** One line of the rebuilt financials (src/cases financial reconstruction), amounts in fen. */
export interface FinLine {
  id: string;
  label: Localized;
  amountFen: number;
  sources?: string[];
  formula?: string;
  details?: FinLine[];
}

export interface Financials {
  templateId: string;
  sector: string;
  balanceSheet: Record<string, FinLine | FinLine[] | unknown>;
  grossMargin: { value: number; basis: string; formula?: string } | null;
  pnlMonthly: Record<string, FinLine | string | unknown>;
  operatingCashFlowMonthly?: FinLine;
  household?: Record<string, FinLine | number | unknown>;
  salesRoutes?: { id: string; label: Localized; monthlySalesFen: number; kind: string }[];
  primaryRoute?: string;
  [k: string]: unknown;
}

export interface PipelineReason {
  code: string;
  text: Localized;
  effect: string;
}

export interface PriceComponent {
  key: string;
  bp: string;
  labelZh: string;
  labelEn: string;
  explainZh?: string;
  explainEn?: string;
}

export interface Price {
  annualRateBp?: number;
  annualRatePercent?: string;
  quoteZh?: string;
  quoteEn?: string;
  buildUpBp?: string;
  components?: PriceComponent[];
  notesZh?: string[];
  notesEn?: string[];
  apr?: { effectiveAnnualPercent?: string };
  raroc?: { percent?: string; hurdlePercent?: string };
  [k: string]: unknown;
}

export interface PipelineResult {
  id?: string;
  createdAt?: string;
  outcome: string;
  reasons?: PipelineReason[] | null;
  price?: Price | null;
  grade?: unknown;
  limit?: {
    offer?: { amountFen: number; termMonths: number; annualRateBp?: number; method?: string } | null;
    reason?: Localized;
  } | null;
  [k: string]: unknown;
}

export interface Opinion {
  id: string;
  sessionId: string;
  caseId: string;
  expertId: string;
  kind: OpinionKind;
  amountFen: number | null;
  amountYuan: string | null;
  termMonths: number | null;
  rateBp: number | null;
  check: { code: string; what: string; note: string | null } | null;
  facts: string[];
  reasons: string[];
  decision: 'approve' | 'decline' | null;
  createdAt: string;
}

export interface InterviewFact {
  id: string;
  label: string;
  importance: number;
  source: { kind: string; field?: string; line?: string; fact?: string };
  status: 'unknown' | 'consistent' | 'doubtful' | 'contradicted';
  confidence: number | null;
  contradictionRecorded: boolean;
}

export interface Consent {
  id: string;
  kind: string;
  granted: boolean;
  channel: string;
  at: string;
  text_version?: number;
}

/** GET /review/interviews/:sessionId — everything the expert decides with. */
export interface DeskView {
  item: ReviewItem;
  case: DeskCase;
  survey: {
    status: string;
    answers: Record<string, { value: unknown }>;
    computed: Record<string, unknown>;
  } | null;
  financials: Financials | null;
  financialsMissing: string | null;
  crossChecks: { checks: CrossCheck[]; doubts: unknown[] } | null;
  screening: {
    asOf: string;
    status: string;
    findings: ScreeningRun['findings'];
    facts: ScreeningRun['facts'];
  } | null;
  screeningMissing: string | null;
  consents: Consent[];
  interview: {
    sessionId: string;
    lang: string;
    status: string;
    endReason: string;
    startedAt: string;
    endedAt: string;
    catalogueVersion: string;
    purged: boolean;
    facts: InterviewFact[];
  };
  transcript: TranscriptLine[];
  flags: Flag[];
  reliability: Reliability;
  pipeline: PipelineResult | null;
  opinion: Opinion | null;
}

/** The one place the missing response types are asserted (see the header). */
const untyped = <T>(p: Promise<unknown>) => p as Promise<T>;

const QUEUE_KEY = ['desk', 'queue'] as const;
const viewKey = (sessionId: string) => ['desk', 'view', sessionId] as const;

export function useDeskQueue() {
  const { api } = useAuth();
  return useQuery({
    queryKey: QUEUE_KEY,
    queryFn: () =>
      untyped<ReviewItem[]>(
        api.call(api.typed.GET('/api/v1/review/queue', { params: { query: { limit: 200 } } })),
      ),
  });
}

export function useDeskView(sessionId: string) {
  const { api } = useAuth();
  return useQuery({
    queryKey: viewKey(sessionId),
    queryFn: () =>
      untyped<DeskView>(
        api.call(api.typed.GET('/api/v1/review/interviews/{sessionId}', { params: { path: { sessionId } } })),
      ),
  });
}

/** Claims the named review, or the oldest open one when no id is given (fair assignment). */
export function useClaim() {
  const { api } = useAuth();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (sessionId?: string) =>
      untyped<ReviewItem>(
        api.call(
          api.typed.POST('/api/v1/review/claims', { body: sessionId ? { session_id: sessionId } : {} }),
        ),
      ),
    onSettled: async (item) => {
      await qc.invalidateQueries({ queryKey: QUEUE_KEY });
      if (item) await qc.invalidateQueries({ queryKey: viewKey(item.sessionId) });
    },
  });
}

export function useRelease() {
  const { api } = useAuth();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (sessionId: string) =>
      untyped<ReviewItem>(
        api.call(api.typed.DELETE('/api/v1/review/claims/{sessionId}', { params: { path: { sessionId } } })),
      ),
    onSettled: async (_item, _e, sessionId) => {
      await qc.invalidateQueries({ queryKey: QUEUE_KEY });
      await qc.invalidateQueries({ queryKey: viewKey(sessionId) });
    },
  });
}

export function useGiveOpinion(sessionId: string) {
  const { api } = useAuth();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: OpinionBody) =>
      untyped<Opinion>(
        api.call(
          api.typed.POST('/api/v1/review/interviews/{sessionId}/opinion', {
            params: { path: { sessionId } },
            body,
          }),
        ),
      ),
    onSettled: async () => {
      await qc.invalidateQueries({ queryKey: QUEUE_KEY });
      await qc.invalidateQueries({ queryKey: viewKey(sessionId) });
    },
  });
}
