/**
 * From what the other modules hold to the pipeline's canonical inputs: the interview's beliefs (each fact with
 * the answers that verified it or not), the IPC figures, the screening facts and the case. Pure: the service
 * fetches, these only translate.
 */
import type { InterviewState } from '../../dialog/policy/state.js';
import type { Sector } from '../../questions/types.js';
import type { Financials } from '../ipc/index.js';
import type { RepaymentMethod } from '../pricing/index.js';
import type { CaseInputs, FinancialsInput, InterviewInput, ScreeningFactInput } from './types.js';

/** The interview as the pipeline needs it: every fact of the bank with its status and evidence. */
export function interviewInputOf(
  session: { id: string; status: string; endReason: string | null },
  state: Pick<InterviewState, 'bank' | 'belief'>,
): InterviewInput {
  const { alpha, beta } = state.belief.reliability;
  return {
    sessionId: session.id,
    status: session.status,
    endReason: session.endReason,
    catalogueVersion: state.bank.catalogueVersion,
    reliability: { alpha, beta, mean: alpha / (alpha + beta) },
    facts: state.bank.facts
      .filter((def) => state.belief.facts[def.id])
      .map((def) => {
        const b = state.belief.facts[def.id]!;
        return {
          factId: def.id,
          label: def.label,
          importance: b.importance,
          status: b.status,
          p: b.p,
          confidence: b.confidence,
          contradictionRecorded: b.contradictionRecorded,
          observations: b.observations.length,
          evidence: b.history.map((h) => ({ questionId: h.questionId, outcome: h.outcome, code: h.code })),
        };
      }),
  };
}

/**
 * Margin stability: 1 − the coefficient of variation of the monthly gross margin over the rebuilt year, floored
 * at 0 (the scorecard's "1 = steady monthly gross margin"). Null with fewer than two trading months.
 */
export function marginStability(f: Pick<Financials, 'cashFlow'>): number | null {
  const margins = f.cashFlow
    .filter((m) => m.revenueFen > 0)
    .map((m) => (m.revenueFen - m.costOfSalesFen) / m.revenueFen);
  if (margins.length < 2) return null;
  const mean = margins.reduce((a, b) => a + b, 0) / margins.length;
  if (!(mean > 0)) return null;
  const variance = margins.reduce((a, m) => a + (m - mean) ** 2, 0) / margins.length;
  const s = 1 - Math.sqrt(variance) / mean;
  // Rounded so that the stored input is the same number on every platform.
  return Math.round(Math.min(1, Math.max(0, s)) * 1e6) / 1e6;
}

export function financialsInputOf(f: Financials | undefined | null): FinancialsInput | null {
  if (!f) return null;
  return {
    disposableMonthlyFen: f.household.disposableMonthly.amountFen,
    totalAssetsFen: f.balanceSheet.totalAssets.amountFen,
    totalLiabilitiesFen: f.balanceSheet.totalLiabilities.amountFen,
    equityFen: f.balanceSheet.equity.amountFen,
    annualSalesFen: f.pnlAnnual.revenue.amountFen,
    marginStability: marginStability(f),
  };
}

export function screeningInputOf(
  doc: {
    asOf: string;
    facts: Record<
      string,
      { value: unknown; status: 'ok' | 'missing' | 'failed'; reason?: string | undefined }
    >;
  } | null,
): CaseInputs['screening'] {
  if (!doc) return null;
  const facts: Record<string, ScreeningFactInput> = {};
  for (const key of Object.keys(doc.facts).sort()) {
    const e = doc.facts[key]!;
    facts[key] = {
      value: e.status === 'ok' ? (e.value as ScreeningFactInput['value']) : null,
      status: e.status,
      reason: e.reason ?? null,
    };
  }
  return { asOf: doc.asOf, facts };
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export interface GatherParts {
  caseId: string;
  asOf: string;
  loan: { amountFen: number; termMonths: number; method: RepaymentMethod; purpose: string };
  applicant: { sector: Sector; industryCode: string };
  analysis: {
    template: { id: string; version: number } | null;
    answers: Record<string, unknown>;
    financials?: Financials | undefined;
  };
  screening: Parameters<typeof screeningInputOf>[0];
  interview: InterviewInput | null;
}

/** The canonical inputs of one run. */
export function caseInputsOf(p: GatherParts): CaseInputs {
  return {
    caseId: p.caseId,
    asOf: p.asOf,
    loan: p.loan,
    applicant: p.applicant,
    survey: {
      templateId: p.analysis.template?.id ?? null,
      templateVersion: p.analysis.template?.version ?? null,
      yearsInBusiness: num(p.analysis.answers['years_in_business']),
      // The survey records soft information as free text; no rating is derived from it here.
      softInformation: null,
    },
    financials: financialsInputOf(p.analysis.financials),
    screening: screeningInputOf(p.screening),
    interview: p.interview,
  };
}
