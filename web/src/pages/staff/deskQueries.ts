/**
 * Server state of the expert desk (src/review/routes.ts), through the generated client and React Query's cache. The
 * response types come from the OpenAPI document (src/review/dto.ts); only what the server records as it was and
 * types `unknown` (the NLU's reading of an answer and the engine's observation) and the pair of a flag's evidence,
 * which OpenAPI 3.0 cannot say, are narrowed here, in one place.
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

/** A row of the queue: the review item with the interview's end reason, its case card and the pipeline's outcome. */
export type ReviewItem = Ok<paths['/api/v1/review/queue']['get']>[number];
export type ReviewStatus = ReviewItem['status'];

type ServerView = Ok<paths['/api/v1/review/interviews/{sessionId}']['get']>;
type ServerLine = ServerView['transcript'][number];

/** What the NLU understood of a typed answer (src/dialog/nlu/types.ts), as far as the desk shows it. */
export interface Understanding {
  intent?: string;
  parsed?: { kind: string; [k: string]: unknown } | null;
  confidence?: number;
  hedged?: boolean;
  notes?: string[];
}

/** The answer as the dialog engine saw it (src/dialog/belief/types.ts ObservedAnswer), as far as the desk shows it. */
export interface Observed {
  kind: string;
  value?: unknown;
  low?: number;
  high?: number;
  intent?: string;
}

type ServerVerdict = Extract<ServerLine, { kind: 'applicant' }>['verdicts'][number];
/**
 * A verdict as the desk's model functions read it (deskModel.ts): any code, and a cross-check with any outcome. The
 * server's verdicts are narrower and fit; the model's tests build verdicts of their own (test/desk).
 */
export type Verdict = Omit<ServerVerdict, 'code' | 'crossCheck'> & {
  code: string;
  crossCheck?: { againstQuestionId: string; deviation: number; outcome: Outcome } | null;
};
export type Outcome = ServerVerdict['outcome'];

export type TranscriptLine = ServerLine extends infer L
  ? L extends { kind: 'applicant' }
    ? Omit<L, 'understanding' | 'observed' | 'verdicts'> & {
        understanding: Understanding | null;
        observed: Observed | null;
        verdicts: Verdict[];
      }
    : L
  : never;
export type ApplicantLine = Extract<TranscriptLine, { kind: 'applicant' }>;

type ServerFlag = ServerView['flags'][number];
type ServerEvidence = ServerFlag['evidence'][number];
/** One side of a flag; as the model reads it, a case side may leave out `expectedInFactUnit` (as test/desk does). */
export type Evidence = ServerEvidence extends infer E
  ? E extends { expectedInFactUnit: unknown }
    ? Omit<E, 'expectedInFactUnit'> & { expectedInFactUnit?: E['expectedInFactUnit'] }
    : E
  : never;
/** The OpenAPI 3.0 document cannot say "exactly two": the server sends the pair as a tuple (src/review/dto.ts). */
export type Flag = Omit<ServerFlag, 'evidence'> & { evidence: [Evidence, Evidence] };
export type FlagCode = Flag['code'];

/** GET /review/interviews/:sessionId — everything the expert decides with. */
export type DeskView = Omit<ServerView, 'transcript' | 'flags'> & {
  transcript: TranscriptLine[];
  flags: Flag[];
};

export type Expectation = NonNullable<Extract<ServerEvidence, { kind: 'survey' }>['expected']>;
export type Tolerance = Extract<Expectation, { kind: 'number' }>['tolerance'];
export type CaseValue = NonNullable<Extract<ServerEvidence, { kind: 'survey' }>['value']>;
export type Reliability = DeskView['reliability'];
/** An IPC cross-check (src/scoring/ipc): values in `unit` (fen for money), deviation in percent. */
export type CrossCheck = NonNullable<DeskView['crossChecks']>['checks'][number];
export type Localized = CrossCheck['explanation'];
export type Financials = NonNullable<DeskView['financials']>;
/** One line of the rebuilt financials, amounts in fen. */
export type FinLine = Financials['operatingCashFlowMonthly'];
export type PipelineResult = NonNullable<DeskView['pipeline']>;
export type PipelineReason = PipelineResult['reasons'][number];
export type Price = PipelineResult['price'];
export type PriceComponent = Price['components'][number];
export type Opinion = NonNullable<DeskView['opinion']>;
export type InterviewFact = DeskView['interview']['facts'][number];
export type Consent = DeskView['consents'][number];

/**
 * The one place the desk's narrowing is asserted (the recorded `unknown`s and the evidence pair, see above);
 * everything else is the server's type or wider.
 */
const narrowed = (p: Promise<ServerView>) => p as Promise<DeskView>;

const QUEUE_KEY = ['desk', 'queue'] as const;
const viewKey = (sessionId: string) => ['desk', 'view', sessionId] as const;

export function useDeskQueue() {
  const { api } = useAuth();
  return useQuery({
    queryKey: QUEUE_KEY,
    queryFn: () => api.call(api.typed.GET('/api/v1/review/queue', { params: { query: { limit: 200 } } })),
  });
}

export function useDeskView(sessionId: string) {
  const { api } = useAuth();
  return useQuery({
    queryKey: viewKey(sessionId),
    queryFn: () =>
      narrowed(
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
      api.call(api.typed.POST('/api/v1/review/claims', { body: sessionId ? { session_id: sessionId } : {} })),
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
      api.call(api.typed.DELETE('/api/v1/review/claims/{sessionId}', { params: { path: { sessionId } } })),
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
      api.call(
        api.typed.POST('/api/v1/review/interviews/{sessionId}/opinion', {
          params: { path: { sessionId } },
          body,
        }),
      ),
    onSettled: async () => {
      await qc.invalidateQueries({ queryKey: QUEUE_KEY });
      await qc.invalidateQueries({ queryKey: viewKey(sessionId) });
    },
  });
}
