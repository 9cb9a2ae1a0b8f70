/**
 * Pure helpers of the expert desk: verdict colours, the link from a flag to its evidence in the transcript and the
 * cross-check table, how a parse or an expectation reads, and the opinion form's validation — the same rules as
 * the server's (src/review/routes.ts `OpinionBody`, src/review/desk.ts `checkOpinion`), so the expert learns of a
 * mistake before sending.
 */
import { ApiError } from '../../api/client.js';
import { errorText } from '../../components/errorText.js';
import type { Translate } from '../../i18n.js';
import type {
  ApplicantLine,
  CheckCode,
  CrossCheck,
  Expectation,
  Flag,
  OpinionBody,
  OpinionKind,
  Outcome,
  TranscriptLine,
  Understanding,
  Verdict,
} from './deskQueries.js';

/** A list that names every member of the union `U` and nothing else (checked at compile time). */
const allOf =
  <U extends string>() =>
  <L extends readonly U[]>(list: L & ([U] extends [L[number]] ? unknown : 'missing a member')) =>
    list;

/** The opinion kinds and check codes of the generated schema, in the order the form offers them. */
export const OPINION_KINDS = allOf<OpinionKind>()([
  'approve',
  'adjust',
  'decline',
  'send_back',
  'second_interview',
] as const);
export const CHECK_CODES = allOf<CheckCode>()([
  'site_visit',
  'bank_statements',
  'purchase_invoices',
  'stock_count',
  'debt_confirmation',
  'household_interview',
  'collateral_appraisal',
  'other',
] as const);

// ------------------------------------------------------------------------------------------------ errors

/** The review module's refusals (src/review/errors.ts) the desk words itself; the server's messages are English. */
export const DESK_ERROR_CODES = [
  'REVIEW_ALREADY_CLAIMED',
  'REVIEW_CLAIM_LIMIT',
  'REVIEW_NOT_ASSIGNED',
  'REVIEW_NOT_FOUND',
  'REVIEW_QUEUE_ITEM_NOT_FOUND',
  'REVIEW_VERSION_CONFLICT',
  'REVIEW_BUSY',
  'OPINION_ALREADY_GIVEN',
  'OPINION_INVALID',
  'PERMISSION_DENIED',
] as const;

/** The sentence for an error on the desk: ours for a review refusal (with its details), else the console's. */
export function deskErrorText(t: Translate, e: unknown): string {
  if (e instanceof ApiError && (DESK_ERROR_CODES as readonly string[]).includes(e.code)) {
    const d = e.details;
    const vars: Record<string, string | number> = { message: e.message };
    if (typeof d.limit === 'number') vars.limit = d.limit;
    if (typeof d.claimExpiresAt === 'string') vars.until = new Date(d.claimExpiresAt).toLocaleTimeString();
    const text = t(`console.desk.error.${e.code}`, vars);
    return vars.until && e.code === 'REVIEW_ALREADY_CLAIMED'
      ? `${text} ${t('console.desk.error.claimedUntil', vars)}`
      : text;
  }
  return errorText(t, e);
}

// ---------------------------------------------------------------------------------------------- verdicts

const OUTCOME_RANK: Record<Outcome, number> = {
  none: 0,
  unverifiable: 1,
  consistent: 2,
  doubtful: 3,
  contradicted: 4,
};

/** Ant Design tag colours: a contradiction red, a doubt orange, a match green, nothing to say grey. */
export function verdictColor(o: Outcome): string {
  switch (o) {
    case 'contradicted':
      return 'red';
    case 'doubtful':
      return 'orange';
    case 'consistent':
      return 'green';
    case 'unverifiable':
    case 'none':
      return 'default';
  }
}

export const isBad = (o: Outcome) => o === 'doubtful' || o === 'contradicted';

/** The worst outcome an answer had, its clash with an earlier answer included; 'none' for no verdict. */
export function worstOutcome(verdicts: readonly Verdict[]): Outcome {
  let worst: Outcome = 'none';
  for (const v of verdicts)
    for (const o of [v.outcome, v.crossCheck?.outcome])
      if (o && OUTCOME_RANK[o] > OUTCOME_RANK[worst]) worst = o;
  return worst;
}

/** An answer the expert should look at: some verdict on it is doubtful or contradicted. */
export const isQuestionable = (line: ApplicantLine) => isBad(worstOutcome(line.verdicts));

/** The timeline dot of a transcript line. */
export function lineColor(line: TranscriptLine): string {
  switch (line.kind) {
    case 'bot':
      return 'gray';
    case 'end':
    case 'purged':
      return 'gray';
    case 'applicant': {
      const c = verdictColor(worstOutcome(line.verdicts));
      return c === 'default' ? 'blue' : c;
    }
  }
}

// ----------------------------------------------------------------------------------------- flag → evidence

export interface FlagLinks {
  /** Transcript lines the flag's evidence names, in transcript order; only lines the transcript has. */
  seqs: number[];
  /** Cross-checks the flag refers to: its own IPC check, or checks over the same facts. */
  checks: string[];
  /** Evidence seqs the transcript does not have (a purged or cut transcript); shown, not linked. */
  missing: number[];
}

/** Where a flag's evidence is, so a click can scroll to and mark it. */
export function flagLinks(
  flag: Flag,
  transcript: readonly TranscriptLine[],
  checks: readonly CrossCheck[],
): FlagLinks {
  const present = new Set(transcript.map((l) => l.seq));
  const named = new Set<number>();
  const own = new Set<string>();
  for (const e of flag.evidence) {
    if (e.kind === 'transcript') named.add(e.seq);
    if (e.kind === 'ipc_check') own.add(e.check);
  }
  const facts = new Set(flag.factIds);
  const related =
    own.size > 0
      ? checks.filter((c) => own.has(c.name))
      : checks.filter((c) => c.factIds.some((f) => facts.has(f)));
  const seqs = transcript.filter((l) => named.has(l.seq)).map((l) => l.seq);
  return {
    seqs,
    checks: [...new Set([...own, ...related.map((c) => c.name)])],
    missing: [...named].filter((s) => !present.has(s)).sort((a, b) => a - b),
  };
}

/** Transcript seq → the ids of the flags whose evidence names that line. */
export function flagsBySeq(flags: readonly Flag[]): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const f of flags)
    for (const e of f.evidence)
      if (e.kind === 'transcript') {
        const ids = out.get(e.seq) ?? [];
        if (!ids.includes(f.id)) out.set(e.seq, [...ids, f.id]);
      }
  return out;
}

// ----------------------------------------------------------------------------------------------- formatting

/** Fen as yuan with thousands separators and two decimals, without binary-float rounding of the digits. */
export function formatFen(fen: number | null | undefined): string {
  if (fen === null || fen === undefined || !Number.isFinite(fen)) return '—';
  const n = Math.round(fen);
  const abs = Math.abs(n);
  const yuan = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${n < 0 ? '-' : ''}${yuan}.${String(abs % 100).padStart(2, '0')}`;
}

/** A decimal string of yuan ("150000.00") grouped for reading. */
export function formatYuan(yuan: string | null | undefined): string {
  if (!yuan) return '—';
  const [i = '', d] = yuan.split('.');
  const grouped = i.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return d === undefined ? grouped : `${grouped}.${d}`;
}

const num = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/\.?0+$/, ''));

/** A value in a cross-check's unit: money in fen shown as yuan, others as they are. */
export function formatInUnit(v: number | { low: number; high: number } | null, unit: string): string {
  if (v === null) return '—';
  const one = (n: number) => (unit === 'fen' ? formatFen(n) : num(n));
  return typeof v === 'number' ? one(v) : `${one(v.low)} – ${one(v.high)}`;
}

export function formatExpectation(e: Expectation | null, t: Translate): string {
  if (!e) return '—';
  switch (e.kind) {
    case 'number':
      return t('console.desk.expect.number', {
        value: num(e.value),
        warn: Math.round(e.tolerance.warn * 100),
        fail: Math.round(e.tolerance.fail * 100),
      });
    case 'range':
      return `${num(e.low)} – ${num(e.high)}`;
    case 'boolean':
      return t(e.value ? 'common.yes' : 'common.no');
    case 'choice':
      return e.value;
    case 'unknown':
      return t('console.desk.expect.unknown');
  }
}

export function formatValue(v: unknown, t: Translate): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'boolean') return t(v ? 'common.yes' : 'common.no');
  if (typeof v === 'number') return num(v);
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/** What the answer was understood as: the parse of a typed answer, or the value observed from a tapped choice. */
export function describeParse(line: ApplicantLine, t: Translate): string {
  const p = line.understanding?.parsed;
  if (p) return describeParsed(p, t);
  const intent = line.understanding?.intent;
  if (intent && intent !== 'answer') return t(`console.desk.intent.${intent}`);
  const o = line.observed;
  if (!o) return '—';
  if (o.kind === 'none') return t(`console.desk.intent.${o.intent ?? 'none'}`);
  if (o.kind === 'number' && o.low !== undefined && o.high !== undefined)
    return `${num(o.low)} – ${num(o.high)}`;
  return formatValue(o.value, t);
}

function describeParsed(p: NonNullable<Understanding['parsed']>, t: Translate): string {
  const n = (k: string) => (typeof p[k] === 'number' ? num(p[k]) : undefined);
  const s = (k: string) => (typeof p[k] === 'string' ? p[k] : '');
  switch (p.kind) {
    case 'number': {
      const range =
        n('low') !== undefined && n('high') !== undefined ? `${n('low')} – ${n('high')}` : n('value');
      const approx = p.approx && p.approx !== 'exact' ? '≈' : '';
      const per = s('per') ? `/${s('per')}` : '';
      return `${approx}${range ?? '?'}${s('unit')}${per}`;
    }
    case 'yes_no':
      return t(p.value ? 'common.yes' : 'common.no');
    case 'choice':
      return s('id');
    case 'date':
      return (
        [n('year'), n('month'), n('day')].filter((x) => x !== undefined).join('-') ||
        t('console.desk.parse.date')
      );
    case 'duration':
      return t('console.desk.parse.months', { n: n('months') ?? '?' });
    case 'place':
      return Array.isArray(p.names) && p.names.length > 0 ? p.names.join('、') : s('text');
    case 'text':
      return s('text');
    default:
      return p.kind;
  }
}

// ------------------------------------------------------------------------------------------ opinion form

/** The form's values as the expert typed them. */
export interface OpinionDraft {
  kind?: OpinionKind | undefined;
  amountYuan?: string | undefined;
  termMonths?: number | string | null | undefined;
  rateBp?: number | string | null | undefined;
  checkCode?: CheckCode | undefined;
  checkNote?: string | undefined;
  facts?: string[] | undefined;
  /** One reason per line. */
  reasons?: string | undefined;
}

export type OpinionField =
  'kind' | 'amountYuan' | 'termMonths' | 'rateBp' | 'checkCode' | 'checkNote' | 'facts' | 'reasons';

export type OpinionCheck =
  { ok: true; body: OpinionBody } | { ok: false; errors: Partial<Record<OpinionField, string>> };

export const AMOUNT_RE = /^\d{1,12}(\.\d{1,2})?$/;
export const LIMITS = {
  reasons: 20,
  reasonChars: 2000,
  note: 2000,
  facts: 50,
  termMax: 120,
  rateMax: 10_000,
};

/** The reasons as sent: one per non-blank line, trimmed. */
export const reasonLines = (text: string | undefined) =>
  (text ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);

/** A whole number within [min, max] from an input that may be empty, a number or a string; else an error key. */
function intIn(v: number | string | null | undefined, min: number, max: number): number | 'empty' | 'bad' {
  if (v === null || v === undefined || (typeof v === 'string' && v.trim() === '')) return 'empty';
  const n = typeof v === 'number' ? v : /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
  return Number.isInteger(n) && n >= min && n <= max ? n : 'bad';
}

const E = (k: string) => `console.desk.opinion.error.${k}`;

/**
 * The request body for a draft, or the fields in error (i18n keys). `bankFacts` are the interview's facts (a
 * second interview may only name those); null when the server could not load the bank.
 */
export function validateOpinion(
  draft: OpinionDraft,
  ctx: { version: number; bankFacts: ReadonlySet<string> | null },
): OpinionCheck {
  const errors: Partial<Record<OpinionField, string>> = {};
  const kind = draft.kind;
  if (!kind || !(OPINION_KINDS as readonly string[]).includes(kind)) errors.kind = E('kind');

  const reasons = reasonLines(draft.reasons);
  if (reasons.length === 0) errors.reasons = E('reasonsRequired');
  else if (reasons.length > LIMITS.reasons) errors.reasons = E('reasonsTooMany');
  else if (reasons.some((r) => r.length > LIMITS.reasonChars)) errors.reasons = E('reasonTooLong');

  const body: OpinionBody = { version: ctx.version, kind: kind ?? 'approve', reasons };
  if (kind === 'adjust') {
    const amount = draft.amountYuan?.trim() ?? '';
    if (amount !== '') {
      if (AMOUNT_RE.test(amount) && Number(amount) > 0) body.amount_yuan = amount;
      else errors.amountYuan = E('amount');
    }
    const term = intIn(draft.termMonths, 1, LIMITS.termMax);
    if (typeof term === 'number') body.term_months = term;
    else if (term === 'bad') errors.termMonths = E('term');
    const rate = intIn(draft.rateBp, 1, LIMITS.rateMax);
    if (typeof rate === 'number') body.rate_bp = rate;
    else if (rate === 'bad') errors.rateBp = E('rate');
    if (amount === '' && term === 'empty' && rate === 'empty') errors.amountYuan = E('adjustNothing');
  }
  if (kind === 'send_back') {
    const note = draft.checkNote?.trim() ?? '';
    if (!draft.checkCode || !(CHECK_CODES as readonly string[]).includes(draft.checkCode))
      errors.checkCode = E('check');
    else if (note.length > LIMITS.note) errors.checkNote = E('noteTooLong');
    else body.check = note ? { code: draft.checkCode, note } : { code: draft.checkCode };
    if (draft.checkCode === 'other' && note === '') errors.checkNote = E('noteForOther');
  }
  if (kind === 'second_interview') {
    const facts = [...new Set(draft.facts ?? [])];
    if (facts.length === 0) errors.facts = E('factsRequired');
    else if (facts.length > LIMITS.facts) errors.facts = E('factsTooMany');
    else if (ctx.bankFacts && facts.some((f) => !ctx.bankFacts!.has(f))) errors.facts = E('factsUnknown');
    else body.facts = facts;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, body };
}
