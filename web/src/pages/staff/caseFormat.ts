/**
 * Pure formatting and mapping for the loan officer's case pages: money in fen, statuses and verdicts to label keys
 * and colours, cross-check figures by their unit. No React, no I/O; tested in web/test/case/.
 */

export const CASE_STATUSES = [
  'registered',
  'surveying',
  'surveyed',
  'invited',
  'interviewing',
  'interviewed',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const SECTORS = ['grocery', 'restaurant', 'crops', 'livestock', 'transport', 'processing'] as const;
export type Sector = (typeof SECTORS)[number];

export const REPAYMENT_METHODS = ['equal_instalment', 'equal_principal', 'interest_only', 'bullet'] as const;
export const APPLICANT_KINDS = ['individual_business', 'farmer_household', 'small_enterprise'] as const;
export const VERDICTS = ['fail', 'warn', 'pass', 'not_applicable'] as const;
export type Verdict = (typeof VERDICTS)[number];
export const OUTCOMES = ['approve', 'refer', 'decline'] as const;
export const OPINION_KINDS = ['approve', 'adjust', 'decline', 'send_back', 'second_interview'] as const;
export const REVIEW_STATES = ['queued', 'claimed', 'decided'] as const;

/** The labels of a case status in the case dictionaries. */
export const statusKey = (s: string) => `console.case.status.${s}`;

/** Ant Design tag colours: where the case is in its flow, how a check came out, what the pipeline advises. */
const STATUS_COLORS: Record<string, string> = {
  registered: 'default',
  surveying: 'processing',
  surveyed: 'cyan',
  invited: 'gold',
  interviewing: 'purple',
  interviewed: 'green',
};
const VERDICT_COLORS: Record<string, string> = { fail: 'error', warn: 'warning', pass: 'success' };
const OUTCOME_COLORS: Record<string, string> = {
  approve: 'success',
  adjust: 'success',
  refer: 'warning',
  send_back: 'warning',
  second_interview: 'warning',
  decline: 'error',
};

export const statusColor = (s: string) => STATUS_COLORS[s] ?? 'default';
export const verdictColor = (v: string) => VERDICT_COLORS[v] ?? 'default';
/** For the pipeline's outcome and the expert's opinion alike. */
export const outcomeColor = (o: string) => OUTCOME_COLORS[o] ?? 'default';

/** Thousands separators on a run of digits ("1234567" → "1,234,567"). */
const group = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/**
 * `15000000` fen → `"150,000.00"` yuan, by integer arithmetic (the server's amounts are integer fen; a binary
 * float division would misround some of them). Not an integer → `""`.
 */
export function fenToYuan(fen: number): string {
  if (!Number.isSafeInteger(fen)) return '';
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${group(String(Math.floor(abs / 100)))}.${String(abs % 100).padStart(2, '0')}`;
}

/** `15000000` → `"¥150,000.00"`; null/undefined → `"—"`. */
export function money(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return '—';
  const y = fenToYuan(Math.round(fen));
  return y.startsWith('-') ? `-¥${y.slice(1)}` : `¥${y}`;
}

/** A ratio 0..1 as a percent with one decimal: `0.2345` → `"23.5%"`. */
export function percent(ratio: number | null | undefined, digits = 1): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—';
  return `${(ratio * 100).toFixed(digits)}%`;
}

/** A value already in percent (the cross-checks' deviation): `-6.934` → `"-6.9%"`. */
export function pct(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return `${value.toFixed(1)}%`;
}

export type CheckUnit = 'fen' | 'ratio' | 'days' | 'fen_per_person';
export interface Range {
  low: number;
  high: number;
}

/** One figure of a cross-check in its unit; `daySuffix` is the translated "days". */
export function checkFigure(v: number | Range | null | undefined, unit: CheckUnit, daySuffix = 'd'): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'object') {
    return `${checkFigure(v.low, unit, daySuffix)} – ${checkFigure(v.high, unit, daySuffix)}`;
  }
  switch (unit) {
    case 'fen':
    case 'fen_per_person':
      return money(v);
    case 'ratio':
      return percent(v);
    case 'days':
      return `${Math.round(v)} ${daySuffix}`;
  }
}

const VERDICT_ORDER: Record<string, number> = { fail: 0, warn: 1, pass: 2, not_applicable: 3 };

/** Failing checks first, then warnings, passes, not applicable; the server's order within each. */
export function byVerdict<T extends { verdict: string }>(checks: readonly T[]): T[] {
  return checks
    .map((c, i) => ({ c, i }))
    .sort((a, b) => (VERDICT_ORDER[a.c.verdict] ?? 9) - (VERDICT_ORDER[b.c.verdict] ?? 9) || a.i - b.i)
    .map((x) => x.c);
}

/** How many checks of each verdict. */
export function verdictCounts(checks: readonly { verdict: string }[]): Record<Verdict, number> {
  const counts: Record<Verdict, number> = { fail: 0, warn: 0, pass: 0, not_applicable: 0 };
  for (const c of checks) if (c.verdict in counts) counts[c.verdict as Verdict] += 1;
  return counts;
}

/**
 * The dictionary key of a cross-check's name; `sales.<route>` checks are named after their sales route, whose
 * label comes with the financials, so they have no key of their own (null).
 */
export function checkKey(name: string): string | null {
  if (name.startsWith('sales.')) return null;
  return `console.case.check.${name}`;
}

/** Basis points of an annual rate as a percent: `485` → `"4.85%"`. */
export function bpToPercent(bp: number | null | undefined): string {
  if (bp === null || bp === undefined || !Number.isFinite(bp)) return '—';
  const sign = bp < 0 ? '-' : '';
  const abs = Math.abs(Math.round(bp));
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}%`;
}

/** An ISO instant in China time (the banks' time), `YYYY-MM-DD HH:mm`; empty when absent or unreadable. */
export function chinaDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  const d = new Date(ms + 8 * 3600_000).toISOString();
  return `${d.slice(0, 10)} ${d.slice(11, 16)}`;
}

/** Whole hours and minutes until an instant, or null once it has passed. */
export function timeLeft(iso: string, nowMs: number): { hours: number; minutes: number } | null {
  const ms = Date.parse(iso) - nowMs;
  if (!Number.isFinite(ms) || ms <= 0) return null;
  const minutes = Math.floor(ms / 60_000);
  return { hours: Math.floor(minutes / 60), minutes: minutes % 60 };
}

/** What the expert left the officer to do (GET /review/cases/{id}/outcome `todo`): a check, or a second interview. */
export type OfficerTodo =
  | { check: string; what: string; note: string | null; reasons: string[] }
  | { secondInterviewFacts: string[] | null; reasons: string[] };

export interface TodoView {
  kind: 'send_back' | 'second_interview';
  /** The check in the server's words (in the language asked for), for a send-back. */
  what: string | null;
  note: string | null;
  facts: string[];
  reasons: string[];
}

/** The two shapes of `todo` as one, so the page shows them alike. */
export function todoView(todo: OfficerTodo): TodoView {
  if ('check' in todo)
    return {
      kind: 'send_back',
      what: todo.what || todo.check,
      note: todo.note?.trim() || null,
      facts: [],
      reasons: todo.reasons.filter((r) => r.trim() !== ''),
    };
  return {
    kind: 'second_interview',
    what: null,
    note: null,
    facts: todo.secondInterviewFacts ?? [],
    reasons: todo.reasons.filter((r) => r.trim() !== ''),
  };
}
