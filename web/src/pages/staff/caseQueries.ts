/**
 * Server state of the loan officer's case pages, through the generated client and React Query's cache. The list,
 * the case, the screening, the pipeline's result and the officer's outcome have response schemas in the OpenAPI
 * document and take their types from it; the survey, financials, cross-checks and invitation routes declare none,
 * so their shapes are written here from the server's presenters (src/cases/survey.ts, src/scoring/ipc/,
 * src/cases/invitations.ts) — only the fields these pages read.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Api } from '../../api/client.js';
import type { paths } from '../../api/schema.js';
import type { Lang } from '../../i18n.js';
import { useAuth } from './auth.js';
import type { CaseStatus, CheckUnit, Range, Verdict } from './caseFormat.js';

type Json<P> = P extends { content: { 'application/json': infer T } } ? T : never;
type Ok<Op> = Op extends { responses: { 200: infer R } } ? Json<R> : never;

export type CaseSummary = Ok<paths['/api/v1/cases']['get']>[number];
export type CaseDetailDto = Ok<paths['/api/v1/cases/{id}']['get']>;
export type Screening = Ok<paths['/api/v1/cases/{id}/screening']['get']>;

export interface Localized {
  'zh-CN': string;
  'en-US': string;
}

export interface SurveyIssue {
  questionId: string;
  code: string;
  message: Localized;
}

export interface Survey {
  case_id: string;
  status: 'draft' | 'submitted';
  template: { id: string; version: number; title?: Localized | string };
  answers: Record<string, unknown>;
  rejected: Record<string, unknown>;
  visible_questions: string[];
  issues: SurveyIssue[];
  submitted_at: string | null;
  updated_at: string | null;
}

export interface Line {
  id: string;
  label: Localized;
  amountFen: number;
  formula: string;
  details?: Line[];
}

export interface ProfitAndLoss {
  revenue: Line;
  costOfSales: Line;
  grossProfit: Line;
  otherIncome: Line;
  operatingCosts: Line;
  tax: Line;
  other: Line;
  netProfit: Line;
  depreciation: Line;
}

export interface Financials {
  sector: string;
  balanceSheet: {
    assets: Line[];
    fixedAssets: Line[];
    totalBusinessAssets: Line;
    totalAssets: Line;
    liabilities: Line[];
    totalLiabilities: Line;
    equity: Line;
  };
  grossMargin: { value: number; basis: 'product_lines' | 'claimed' };
  pnlMonthly: ProfitAndLoss;
  pnlAnnual: ProfitAndLoss;
  household: {
    size: number | null;
    spendingMonthly: Line;
    otherIncomeMonthly: Line;
    debtPrincipalMonthly: Line;
    disposableMonthly: Line;
  };
  salesRoutes: { id: string; label: Localized; monthlySalesFen: number | null; formula: string }[];
  primaryRoute: string;
}

export interface FinancialsDto {
  case_id: string;
  survey_status: 'draft' | 'submitted';
  template: { id: string; version: number };
  financials: Financials;
}

export interface CheckResult {
  name: string;
  factIds: string[];
  expected: number | Range | null;
  observed: number | null;
  unit: CheckUnit;
  deviationPct: number | null;
  tolerance: { warn: number; fail: number | null };
  verdict: Verdict;
  explanation: Localized;
  sources: string[];
}

export interface CrossChecksDto {
  case_id: string;
  survey_status: 'draft' | 'submitted';
  checks: CheckResult[];
  doubts: { factId: string; level: 'warn' | 'fail'; checks: string[]; reasons: Localized[] }[];
}

/** POST /cases/{id}/invitations: the token is in this answer only. */
export interface Invitation {
  id: string;
  case_id: string;
  expires_at: string;
  token: string;
  link: string;
  qr_png_data_url?: string;
  qr_svg?: string;
  app_link?: string;
  wechat_link?: string;
}

/** The pipeline's latest result for the case (GET /cases/{id}/pipeline; POST returns the same shape, as 201). */
export type PipelineResult = Ok<paths['/api/v1/cases/{id}/pipeline']['get']>;
export type PipelineReason = PipelineResult['result']['reasons'][number];
export type LoanPrice = PipelineResult['result']['price'];

/** GET /review/cases/{caseId}/outcome (camelCase, unlike the rest of the API). */
export type OfficerOutcome = Ok<paths['/api/v1/review/cases/{caseId}/outcome']['get']>;
export type Opinion = NonNullable<OfficerOutcome['opinion']>;

/** The cases in the user's branches, newest first (the server's limit is 200 a page). */
export function useCaseList(status?: CaseStatus) {
  const { api } = useAuth();
  return useQuery({
    queryKey: ['case', 'list', status ?? 'all'],
    queryFn: () =>
      api.call(
        api.typed.GET('/api/v1/cases', { params: { query: { limit: 200, ...(status ? { status } : {}) } } }),
      ),
  });
}

export function useCase(id: string) {
  const { api } = useAuth();
  return useQuery({
    queryKey: ['case', id],
    queryFn: () => api.call(api.typed.GET('/api/v1/cases/{id}', { params: { path: { id } } })),
  });
}

/** One part of a case (survey, financials, …) under the case's key, so sending an invitation can refresh them. */
function usePart<T>(id: string, part: string | readonly string[], fetch: (api: Api) => Promise<T>) {
  const { api } = useAuth();
  return useQuery({ queryKey: ['case', id, ...[part].flat()], queryFn: () => fetch(api) });
}

const path = (id: string) => ({ params: { path: { id } } });

export const useSurvey = (id: string) =>
  usePart(id, 'survey', (api) => api.call<Survey>(api.typed.GET('/api/v1/cases/{id}/survey', path(id))));

export const useFinancials = (id: string) =>
  usePart(id, 'financials', (api) =>
    api.call<FinancialsDto>(api.typed.GET('/api/v1/cases/{id}/financials', path(id))),
  );

export const useCrossChecks = (id: string) =>
  usePart(id, 'crosschecks', (api) =>
    api.call<CrossChecksDto>(api.typed.GET('/api/v1/cases/{id}/crosschecks', path(id))),
  );

export const useScreening = (id: string) =>
  usePart(id, 'screening', (api) => api.call(api.typed.GET('/api/v1/cases/{id}/screening', path(id))));

export const usePipeline = (id: string) =>
  usePart(id, 'pipeline', (api) => api.call(api.typed.GET('/api/v1/cases/{id}/pipeline', path(id))));

/** The outcome, opinions and interviews for the officer; the server words "what to check" in `lang`. */
export const useOutcome = (id: string, lang: Lang) =>
  usePart(id, ['outcome', lang], (api) =>
    api.call(
      api.typed.GET('/api/v1/review/cases/{caseId}/outcome', {
        params: { path: { caseId: id }, query: { lang } },
      }),
    ),
  );

/** The case's invitations, newest first, without tokens (GET /cases/{id}/invitations). */
export interface InvitationRow {
  id: string;
  status: 'active' | 'expired' | 'used' | 'revoked' | 'locked';
  created_at: string;
  created_by: string;
  expires_at: string;
  opened_at: string | null;
  used_at: string | null;
  revoked_at: string | null;
  failed_checks: number;
}

export const useInvitations = (id: string) =>
  usePart(id, 'invitations', (api) =>
    api.call<InvitationRow[]>(api.typed.GET('/api/v1/cases/{id}/invitations', path(id))),
  );

/** Issues an invitation (revoking any earlier one of the case); the case's status moves to invited. */
export function useSendInvitation(id: string) {
  const { api } = useAuth();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () =>
      api.call<Invitation>(
        api.typed.POST('/api/v1/cases/{id}/invitations', { params: { path: { id } }, body: {} }),
      ),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['case', id], exact: true });
      await qc.invalidateQueries({ queryKey: ['case', id, 'invitations'] });
      await qc.invalidateQueries({ queryKey: ['case', 'list'] });
    },
  });
}

/** Runs the scoring pipeline now (pipeline:run) with the interview the last result used; the result replaces the shown one. */
export function useRunPipeline(id: string) {
  const { api } = useAuth();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () =>
      api.call<PipelineResult>(
        api.typed.POST('/api/v1/cases/{id}/pipeline/run', { params: { path: { id } }, body: {} }),
      ),
    onSuccess: (result) => {
      qc.setQueryData(['case', id, 'pipeline'], result);
      return qc.invalidateQueries({ queryKey: ['case', id, 'outcome'] });
    },
  });
}

/** Screens the case's consented sources now (screening:run); a mandatory source without consent is refused. */
export function useRunScreening(id: string) {
  const { api } = useAuth();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () =>
      api.call(api.typed.POST('/api/v1/cases/{id}/screening', { params: { path: { id } }, body: {} })),
    onSuccess: (result) => {
      qc.setQueryData(['case', id, 'screening'], result);
    },
  });
}
