/**
 * What the bank knows about one case → the question generator's CaseContext: the officer's IPC survey, the
 * rebuilt statements, the cross-check doubts and the screening facts, each through an explicit mapping table
 * (case-context/*.ts). Pure: no I/O, no clock; the interview date comes in as `asOf`.
 *
 * Values whose answers are missing are left out, never set to zero, so the generator asks them as unknowns.
 */
import { getTemplate } from '../cases/templates/index.js';
import type { Answers, SurveyTemplate } from '../cases/templates/index.js';
import { unprocessable } from '../platform/errors.js';
import type { CheckResult, Financials } from '../scoring/ipc/index.js';
import { doubtsFromChecks } from './case-context/doubts.js';
import type { UnmappedCheckFact } from './case-context/doubts.js';
import { FINANCIAL_LINE_RULES } from './case-context/financials.js';
import { SCREENING_FACTS, screeningValue } from './case-context/screening.js';
import type { ScreeningDrop, ScreeningEntry } from './case-context/screening.js';
import { SURVEY_FIELD_RULES, displayFromSurvey, surveyReader } from './case-context/survey.js';
import { parseCaseContext } from './generate.js';
import type { CaseContext, CaseValue, Catalogue, FraudSignal } from './schemas.js';
import type { KnownSources } from './sources.js';
import { isKnownSource, sourceName } from './sources.js';
import { DISPLAY_FIELDS, SECTORS } from './types.js';
import type { DisplayField, Sector } from './types.js';
import { sectorsOf } from './validate.js';

export { DOUBT_RULES, doubtTargets, doubtsFromChecks } from './case-context/doubts.js';
export type { DoubtRule, DoubtTarget, UnmappedCheckFact } from './case-context/doubts.js';
export { FINANCIAL_LINE_RULES } from './case-context/financials.js';
export type { FinancialLineRule } from './case-context/financials.js';
export { SCREENING_FACTS, screeningValue } from './case-context/screening.js';
export type { ScreeningDrop, ScreeningEntry, ScreeningKind } from './case-context/screening.js';
export {
  DISPLAY_FROM_SURVEY,
  LOAN_PURPOSE_CHOICES,
  REPAYMENT_SOURCE_BY_SECTOR,
  SURVEY_FIELD_RULES,
  surveyReader,
} from './case-context/survey.js';
export type { RuleExtras, SurveyFieldRule, SurveyReader } from './case-context/survey.js';

export interface CaseContextInput {
  caseId: string;
  sector: Sector;
  /** The interview date, YYYY-MM-DD. */
  asOf: string;
  /** Only the fields questions may show (no ID numbers, names of persons, mobiles); blank ones are dropped. */
  display?: Partial<Record<DisplayField, string>>;
  templateId: string;
  /** The version the officer answered; the newest when absent. */
  templateVersion?: number;
  /** The survey answers as the cases module saves them. */
  answers: Answers;
  /** The rebuilt statements; undefined while the survey is incomplete. */
  financials?: Financials;
  /** runCrossChecks(financials); undefined when not run. */
  checks?: readonly CheckResult[];
  /** The screening facts document's `facts`; only 'ok' values count. */
  screening?: Readonly<Record<string, ScreeningEntry>>;
  fraudSignals?: readonly FraudSignal[];
}

export interface CaseContextOptions {
  /** Resolves the survey template (default: the built-in registry). */
  getTemplate?: (id: string, version?: number) => SurveyTemplate;
}

/** How each value of the context came about, for the risk manager's report. */
export interface CaseContextTrace {
  templateId: string;
  templateVersion: number;
  survey: { field: string; from: readonly string[]; formula: string }[];
  /** Survey fields this sector's rules know but the case could not fill (answers missing). */
  surveyMissing: string[];
  financials: { line: string; formula: string }[];
  financialsMissing: string[];
  screening: string[];
  screeningDropped: { fact: string; reason: ScreeningDrop }[];
  /** Display fields taken from the survey because the caller gave none. */
  displayFromSurvey: DisplayField[];
  /** Warn or fail checks naming an IPC fact that has no catalogue fact in this sector. */
  unmappedDoubts: UnmappedCheckFact[];
}

const finiteOrText = (v: CaseValue | undefined): v is CaseValue =>
  v !== undefined && (typeof v !== 'number' || Number.isFinite(v)) && v !== '';

/** The context and how it was built. Throws CASE_CONTEXT_SECTOR_MISMATCH or CASE_CONTEXT_TEMPLATE_MISMATCH (422). */
export function buildCaseContextWithTrace(
  input: CaseContextInput,
  options: CaseContextOptions = {},
): { context: CaseContext; trace: CaseContextTrace } {
  const template = (options.getTemplate ?? getTemplate)(input.templateId, input.templateVersion);
  if (template.sector !== input.sector)
    throw unprocessable(
      'CASE_CONTEXT_SECTOR_MISMATCH',
      `template ${template.id} is for ${template.sector}, the case is ${input.sector}`,
      { templateId: template.id, templateSector: template.sector, sector: input.sector },
    );
  const f = input.financials;
  if (f && (f.templateId !== template.id || f.templateVersion !== template.version))
    throw unprocessable(
      'CASE_CONTEXT_TEMPLATE_MISMATCH',
      `the financials were rebuilt from ${f.templateId}@${f.templateVersion}, not ${template.id}@${template.version}`,
      { financials: `${f.templateId}@${f.templateVersion}`, template: `${template.id}@${template.version}` },
    );

  const reader = surveyReader(template, input.answers);
  const given: Partial<Record<DisplayField, string>> = {};
  for (const field of DISPLAY_FIELDS) {
    const v = input.display?.[field]?.trim();
    if (v) given[field] = v;
  }
  const fromSurvey = Object.fromEntries(
    Object.entries(displayFromSurvey(reader)).filter(([k]) => given[k as DisplayField] === undefined),
  ) as Partial<Record<DisplayField, string>>;
  const display = { ...fromSurvey, ...given };

  const trace: CaseContextTrace = {
    templateId: template.id,
    templateVersion: template.version,
    survey: [],
    surveyMissing: [],
    financials: [],
    financialsMissing: [],
    screening: [],
    screeningDropped: [],
    displayFromSurvey: Object.keys(fromSurvey) as DisplayField[],
    unmappedDoubts: [],
  };

  const survey: Record<string, CaseValue> = {};
  for (const rule of SURVEY_FIELD_RULES[input.sector]) {
    const v = rule.value(reader, { financials: f, display });
    if (finiteOrText(v)) {
      survey[rule.field] = v;
      trace.survey.push({ field: rule.field, from: rule.from, formula: rule.formula });
    } else trace.surveyMissing.push(rule.field);
  }

  const financials: Record<string, number> = {};
  for (const rule of FINANCIAL_LINE_RULES) {
    const v = f ? rule.value(f, reader) : undefined;
    if (v !== undefined && Number.isFinite(v)) {
      financials[rule.line] = v;
      trace.financials.push({ line: rule.line, formula: rule.formula });
    } else trace.financialsMissing.push(rule.line);
  }

  const screening: Record<string, CaseValue> = {};
  for (const [name, entry] of Object.entries(input.screening ?? {})) {
    const r = screeningValue(name, entry);
    if ('value' in r) {
      screening[name] = r.value;
      trace.screening.push(name);
    } else trace.screeningDropped.push({ fact: name, reason: r.drop });
  }

  const { doubts, unmapped } = doubtsFromChecks(input.checks ?? [], input.sector);
  trace.unmappedDoubts = unmapped;

  const context = parseCaseContext({
    caseId: input.caseId,
    sector: input.sector,
    asOf: input.asOf,
    display,
    survey,
    financials,
    screening,
    doubts,
    fraudSignals: [...(input.fraudSignals ?? [])],
  });
  return { context, trace };
}

/** The generator's CaseContext for one case, validated with parseCaseContext. */
export function buildCaseContext(input: CaseContextInput, options: CaseContextOptions = {}): CaseContext {
  return buildCaseContextWithTrace(input, options).context;
}

/**
 * The source names this mapping can fill for a sector, for `validateCatalogue(…, { knownSources })`: a
 * catalogue source outside these lists will never have a value for that sector's cases.
 */
export function knownSourcesFor(sector: Sector): KnownSources {
  return {
    survey: SURVEY_FIELD_RULES[sector].map((r) => r.field),
    financials: FINANCIAL_LINE_RULES.map((r) => r.line),
    screening: Object.keys(SCREENING_FACTS),
  };
}

/** Every source name the mapping can fill in any sector. */
export function knownSourcesAll(): KnownSources {
  const survey = new Set(SECTORS.flatMap((s) => SURVEY_FIELD_RULES[s].map((r) => r.field)));
  return {
    survey: [...survey],
    financials: FINANCIAL_LINE_RULES.map((r) => r.line),
    screening: Object.keys(SCREENING_FACTS),
  };
}

/**
 * The sources a catalogue reads for a sector's facts and templates (expectations and conversion operands)
 * that this mapping cannot fill, qualified (`survey:applicant.married`). Those facts are asked as unknowns and
 * those operands fall back to the catalogue's defaults.
 */
export function unfilledSources(catalogue: Catalogue, sector: Sector): string[] {
  const known = knownSourcesFor(sector);
  const facts = catalogue.facts.filter((x) => sectorsOf(x.sectors).includes(sector));
  const factIds = new Set(facts.map((x) => x.id));
  const sources = facts.map((x) => x.source);
  for (const t of catalogue.templates) {
    if (!sectorsOf(t.sectors).includes(sector) || !factIds.has(t.factIds[0] ?? '')) continue;
    if (t.expectedFrom) sources.push(t.expectedFrom);
    if (t.convert?.kind === 'scale') {
      const c = t.convert;
      for (const op of [...(c.times ?? []), ...(c.per ?? []), ...(c.perOneMinus ? [c.perOneMinus] : [])])
        sources.push(op.source);
    }
  }
  const out = new Set<string>();
  for (const s of sources) if (!isKnownSource(s, known)) out.add(sourceName(s));
  return [...out].sort();
}
