/**
 * The risk manager's view of one case's bank: every question with why it is there and what answer the bank
 * expects, and the coverage of every fact — how many independent ways it is asked and whether a doubtful
 * fact is checked from at least two routes (one direct, one indirect).
 */
import type { GenerateOptions, GenerationTrace, DoubtContribution } from './generate.js';
import { buildBank } from './generate.js';
import type { CaseContext, Catalogue } from './schemas.js';
import { sourceName } from './sources.js';
import type {
  Expectation,
  Lang,
  Localized,
  QuestionBank,
  QuestionKind,
  QuestionPurpose,
  Sector,
} from './types.js';

export interface CoverageRow {
  factId: string;
  priorDoubt: number;
  doubtful: boolean;
  questionIds: string[];
  direct: number;
  indirect: number;
  control: number;
  routes: string[];
  /** Distinct routes of asking: answers from different routes check each other. */
  independentWays: number;
  satisfied: boolean;
}

/**
 * Coverage of every fact of a bank. A doubtful fact (prior doubt ≥ doubtfulFrom) is satisfied by a direct or
 * control question and an indirect question on two different routes; any other fact by one question; a cover
 * fact needs none (only a few decoys are drawn per case).
 */
/** The report's counts: questions by purpose, facts, and which facts are doubtful or not covered. */
export function reportSummary(
  questions: readonly { purpose: QuestionPurpose }[],
  facts: readonly { factId: string; doubtful: boolean; satisfied: boolean }[],
): BankReport['summary'] {
  const by = (p: QuestionPurpose) => questions.filter((q) => q.purpose === p).length;
  return {
    questions: questions.length,
    verify: by('verify'),
    control: by('control'),
    decoy: by('decoy'),
    facts: facts.length,
    doubtfulFacts: facts.filter((f) => f.doubtful).map((f) => f.factId),
    uncoveredFacts: facts.filter((f) => !f.satisfied).map((f) => f.factId),
  };
}

export function bankCoverage(bank: QuestionBank, options: { doubtfulFrom: number }): CoverageRow[] {
  return bank.facts.map((f) => {
    const qs = bank.questions.filter((q) => q.factIds.includes(f.id));
    const count = (k: QuestionKind) => qs.filter((q) => q.kind === k).length;
    const routes = [...new Set(qs.map((q) => q.route ?? q.templateId))].sort();
    const doubt = bank.priorDoubt[f.id] ?? 0;
    const doubtful = f.cover !== true && doubt >= options.doubtfulFrom;
    const direct = count('direct');
    const indirect = count('indirect');
    const control = count('control');
    const satisfied =
      f.cover === true
        ? true
        : doubtful
          ? direct + control > 0 && indirect > 0 && routes.length >= 2
          : qs.length > 0;
    return {
      factId: f.id,
      priorDoubt: doubt,
      doubtful,
      questionIds: qs.map((q) => q.id),
      direct,
      indirect,
      control,
      routes,
      independentWays: routes.length,
      satisfied,
    };
  });
}

export interface ReportQuestion {
  order: number;
  id: string;
  kind: QuestionKind;
  purpose: QuestionPurpose;
  route: string;
  factIds: string[];
  text: Localized;
  answerType: string;
  unit?: string;
  expected: Expectation;
  toFactScale?: number;
  weight: number;
  reason: Localized;
}

export interface ReportFact extends CoverageRow {
  label: Localized;
  importance: number;
  source: string;
  expected: Expectation;
  doubtReasons: DoubtContribution[];
}

export interface BankReport {
  caseId: string;
  sector: Sector;
  catalogueVersion: string;
  seed: number;
  summary: {
    questions: number;
    verify: number;
    control: number;
    decoy: number;
    facts: number;
    doubtfulFacts: string[];
    uncoveredFacts: string[];
  };
  questions: ReportQuestion[];
  facts: ReportFact[];
  notes: Pick<
    GenerationTrace,
    'skipped' | 'unmatchedDoubts' | 'unmatchedSignals' | 'droppedDisplayFields' | 'controlsBelowMinimum'
  >;
  bank: QuestionBank;
}

/** Generates the case's bank and explains it. */
export function buildBankReport(
  ctx: CaseContext,
  catalogue: Catalogue,
  options: GenerateOptions = {},
): BankReport {
  const { bank, trace } = buildBank(ctx, catalogue, options);
  const coverage = bankCoverage(bank, { doubtfulFrom: catalogue.params.coverage.doubtfulFrom });
  const facts: ReportFact[] = coverage.map((row) => {
    const f = bank.facts.find((x) => x.id === row.factId);
    return {
      ...row,
      label: f?.label ?? { 'zh-CN': row.factId, 'en-US': row.factId },
      importance: f?.importance ?? 0,
      source: f ? sourceName(f.source) : 'none',
      expected: trace.expectations[row.factId] ?? { kind: 'unknown' },
      doubtReasons: (trace.doubtContributions[row.factId] ?? []).filter((c) => c.origin !== 'baseline'),
    };
  });
  const questions = reportQuestions(bank);
  return {
    caseId: bank.caseId,
    sector: ctx.sector,
    catalogueVersion: bank.catalogueVersion,
    seed: trace.seed,
    summary: reportSummary(questions, facts),
    questions,
    facts,
    notes: {
      skipped: trace.skipped,
      unmatchedDoubts: trace.unmatchedDoubts,
      unmatchedSignals: trace.unmatchedSignals,
      droppedDisplayFields: trace.droppedDisplayFields,
      controlsBelowMinimum: trace.controlsBelowMinimum,
    },
    bank,
  };
}

export function formatExpectation(e: Expectation, unit?: string): string {
  const u = unit ? ` ${unit}` : '';
  switch (e.kind) {
    case 'number':
      return `${e.value}${u} (±${e.tolerance.warn * 100}% warn, ±${e.tolerance.fail * 100}% fail)`;
    case 'range':
      return `${e.low}–${e.high}${u}`;
    case 'boolean':
      return e.value ? 'yes' : 'no';
    case 'choice':
      return e.value;
    case 'unknown':
      return '—';
  }
}

const HEAD: Record<Lang, Record<string, string>> = {
  'zh-CN': {
    title: '问题库报告',
    questions: '问题',
    coverage: '事实覆盖',
    notes: '说明',
    ok: '满足',
    gap: '不足',
  },
  'en-US': {
    title: 'Question bank report',
    questions: 'Questions',
    coverage: 'Fact coverage',
    notes: 'Notes',
    ok: 'ok',
    gap: 'GAP',
  },
};

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The report as Markdown for the console or an export. */
export function renderBankReport(report: BankReport, lang: Lang = 'zh-CN'): string {
  const h = HEAD[lang];
  const s = report.summary;
  const lines: string[] = [
    `# ${h.title}: ${report.caseId} (${report.sector})`,
    '',
    `catalogue ${report.catalogueVersion} · seed ${report.seed} · ${s.questions} questions (${s.verify} verify, ${s.control} control, ${s.decoy} decoy) · ${s.doubtfulFacts.length} doubtful facts · uncovered: ${s.uncoveredFacts.join(', ') || '—'}`,
    '',
    `## ${h.questions}`,
    '',
    '| # | kind | purpose | facts | question | expected | weight | why |',
    '|---|---|---|---|---|---|---|---|',
    ...report.questions.map(
      (q) =>
        `| ${q.order} | ${q.kind} | ${q.purpose} | ${q.factIds.join(', ')} | ${cell(q.text[lang])} | ${cell(formatExpectation(q.expected, q.unit))} | ${q.weight} | ${cell(q.reason[lang])} |`,
    ),
    '',
    `## ${h.coverage}`,
    '',
    '| fact | importance | doubt | source | expected | ways | direct/indirect/control | status | doubt from |',
    '|---|---|---|---|---|---|---|---|---|',
    ...report.facts.map(
      (f) =>
        `| ${f.factId} ${cell(f.label[lang])} | ${f.importance} | ${f.priorDoubt}${f.doubtful ? ' ⚠' : ''} | ${f.source} | ${cell(formatExpectation(f.expected))} | ${f.independentWays} (${f.routes.join(', ')}) | ${f.direct}/${f.indirect}/${f.control} | ${f.satisfied ? h.ok : h.gap} | ${cell(f.doubtReasons.map((d) => `${d.severity ?? ''} ${d.origin}: ${d.reason}`).join('; '))} |`,
    ),
    '',
    `## ${h.notes}`,
    '',
    ...report.notes.skipped.map(
      (x) => `- skipped ${x.templateId}: ${x.reason}${x.detail ? ` (${x.detail})` : ''}`,
    ),
    ...report.notes.unmatchedDoubts.map(
      (d) => `- doubt on a fact not in this bank: ${d.factId} (${d.reason})`,
    ),
    ...report.notes.unmatchedSignals.map((x) => `- fraud signal without mapped facts: ${x.code}`),
    ...report.notes.droppedDisplayFields.map((x) => `- display field not used in questions: ${x}`),
    ...(report.notes.controlsBelowMinimum ? ['- fewer control questions than the catalogue minimum'] : []),
  ];
  return lines.join('\n') + '\n';
}

/** The bank's questions as the report lists them, in asking order. */
export function reportQuestions(bank: QuestionBank): ReportQuestion[] {
  return bank.questions.map((q, i) => {
    const r: ReportQuestion = {
      order: i + 1,
      id: q.id,
      kind: q.kind,
      purpose: q.purpose ?? 'verify',
      route: q.route ?? q.templateId,
      factIds: q.factIds,
      text: q.text,
      answerType: q.answerType,
      expected: q.expected,
      weight: q.weight,
      reason: q.reason,
    };
    if (q.unit !== undefined) r.unit = q.unit;
    if (q.toFact) r.toFactScale = q.toFact.scale;
    return r;
  });
}
