/** The question bank's public surface: other modules import only from here. */
export * from './types.js';
export {
  CatalogueSchema,
  CatalogueFactSchema,
  TemplateSchema,
  CaseContextSchema,
  DoubtSchema,
  FraudSignalSchema,
  LocalizedSchema,
  FactSourceSchema,
} from './schemas.js';
export type {
  Catalogue,
  CatalogueFact,
  CatalogueParams,
  QuestionTemplate,
  Conversion,
  Operand,
  ValueSource,
  FraudSignalRule,
  CaseContext,
  CaseValue,
  Doubt,
  FraudSignal,
} from './schemas.js';
export { DEFAULT_CATALOGUE } from './catalogue/default.js';
export { DEFAULT_KNOWN_SOURCES, isKnownSource, sourceName } from './sources.js';
export type { KnownSources } from './sources.js';
export { validateCatalogue, parseCatalogue } from './validate.js';
export type { CatalogueIssue, CatalogueIssueCode, CatalogueValidation, ValidateOptions } from './validate.js';
export { generateBank, buildBank, seedFromCaseId, parseCaseContext, conversionScale } from './generate.js';
export type { GenerateOptions, GenerationTrace, DoubtContribution, SkippedTemplate } from './generate.js';
export { bankCoverage, buildBankReport, renderBankReport, formatExpectation } from './report.js';
export type { BankReport, CoverageRow, ReportFact, ReportQuestion } from './report.js';
export { OWN_ANSWER_SLOT, EARLIER_ANSWER_SLOT, containsFigure } from './text.js';
export { SAMPLE_CASES } from './samples.js';
export * from './case-context.js';
