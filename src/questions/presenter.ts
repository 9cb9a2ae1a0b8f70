/**
 * Output shapes of the catalogue and of the risk manager's bank report: explicit whitelists of fields.
 */
import { bankCoverage, reportQuestions, reportSummary } from './report.js';
import type { BankReport, ReportFact } from './report.js';
import type { Catalogue } from './schemas.js';
import { sourceName } from './sources.js';
import type { CatalogueRowHead } from './store.js';
import type { Lang, QuestionBank } from './types.js';

/** A finding of the save-time validation, with its position in the catalogue document. */
export interface SaveIssue {
  code: string;
  path: (string | number)[];
  /** JSON Pointer (RFC 6901) into the catalogue document (the `catalogue` field of the request). */
  pointer: string;
  offset?: number;
  message: string;
}

/** The stored result of validating a version: when, against which case-data names, and what was noticed. */
export interface StoredValidation {
  ok: boolean;
  checkedAt: string;
  /** SHA-256 of the source names the catalogue was checked against; a different code version may differ. */
  knownSourcesSha256: string;
  errors: SaveIssue[];
  /** Sources a sector's case data cannot fill yet: those facts are asked without an expected value. */
  warnings: SaveIssue[];
}

export interface CatalogueVersionDto {
  version: string;
  seq: number;
  catalogueId: string;
  status: 'draft' | 'active' | 'retired';
  sha256: string;
  basedOn: string | null;
  note: string | null;
  validation: StoredValidation;
  createdBy: string;
  createdAt: string;
  activatedBy: string | null;
  activatedAt: string | null;
  retiredAt: string | null;
}

export interface CatalogueVersionDetailDto extends CatalogueVersionDto {
  catalogue: Catalogue;
}

export const toCatalogueVersionDto = (r: CatalogueRowHead): CatalogueVersionDto => ({
  version: r.version,
  seq: r.seq,
  catalogueId: r.catalogueId,
  status: r.status,
  sha256: r.contentSha256,
  basedOn: r.basedOn,
  note: r.note,
  validation: r.validation as StoredValidation,
  createdBy: r.createdBy,
  createdAt: r.createdAt.toISOString(),
  activatedBy: r.activatedBy,
  activatedAt: r.activatedAt?.toISOString() ?? null,
  retiredAt: r.retiredAt?.toISOString() ?? null,
});

/** Where the reported bank comes from. */
export type ReportSource =
  | {
      kind: 'interview';
      sessionId: string;
      sessionStatus: string;
      startedAt: string;
      /**
       * True when the case data and catalogue version still regenerate exactly this bank, so the fact
       * expectations and doubt reasons shown are those of the interview's start; false when they changed since
       * (expectations and doubt reasons are then left out rather than guessed).
       */
      reproduced: boolean;
    }
  | { kind: 'generated'; asOf: string };

export interface CaseBankReportDto {
  caseId: string;
  source: ReportSource;
  report: BankReport;
}

/**
 * A report of a stored bank alone (no generation trace): the questions as asked and the coverage of every fact.
 * Fact expectations are `unknown` and doubt reasons empty because only a regeneration could explain them.
 */
export function reportOfStoredBank(bank: QuestionBank, doubtfulFrom: number): BankReport {
  const coverage = bankCoverage(bank, { doubtfulFrom });
  const facts: ReportFact[] = coverage.map((row) => {
    const f = bank.facts.find((x) => x.id === row.factId);
    return {
      ...row,
      label: f?.label ?? { 'zh-CN': row.factId, 'en-US': row.factId },
      importance: f?.importance ?? 0,
      source: f ? sourceName(f.source) : 'none',
      expected: { kind: 'unknown' },
      doubtReasons: [],
    };
  });
  const questions = reportQuestions(bank);
  return {
    caseId: bank.caseId,
    sector: bank.generatedFor.sector,
    catalogueVersion: bank.catalogueVersion,
    seed: bank.seed ?? 0,
    summary: reportSummary(questions, facts),
    questions,
    facts,
    notes: {
      skipped: [],
      unmatchedDoubts: [],
      unmatchedSignals: [],
      droppedDisplayFields: [],
      controlsBelowMinimum: false,
    },
    bank,
  };
}

const SOURCE_LINE: Record<Lang, (s: ReportSource, catalogueVersion: string) => string[]> = {
  'zh-CN': (s, v) =>
    s.kind === 'interview'
      ? [
          `> 本报告为访谈 ${s.sessionId}（${s.sessionStatus}，开始于 ${s.startedAt}）实际使用的问题库（目录 ${v}）。`,
          ...(s.reproduced
            ? []
            : ['> 访谈开始后案件数据或目录已有变化：事实的预期值和疑点来源无法重算，此处只列出问题与覆盖。']),
        ]
      : [
          `> 该案件尚无访谈：以下为按当前启用的目录 ${v} 于 ${s.asOf} 生成的问题库，即现在发起访谈会使用的问题库。`,
        ],
  'en-US': (s, v) =>
    s.kind === 'interview'
      ? [
          `> The bank the interview ${s.sessionId} (${s.sessionStatus}, started ${s.startedAt}) actually used (catalogue ${v}).`,
          ...(s.reproduced
            ? []
            : [
                '> The case data or catalogue changed after the interview started: fact expectations and doubt reasons cannot be recomputed; only the questions and the coverage are shown.',
              ]),
        ]
      : [
          `> The case has no interview yet: the bank generated on ${s.asOf} from the active catalogue ${v}, the one an interview started now would use.`,
        ],
};

/** The lines that say which bank a report shows, put above the rendered report. */
export function reportSourceLines(source: ReportSource, catalogueVersion: string, lang: Lang): string[] {
  return SOURCE_LINE[lang](source, catalogueVersion);
}
