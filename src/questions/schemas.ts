/**
 * Zod shapes of the fact catalogue (stored JSON, edited by a risk manager) and of a case context.
 * The inferred types are checked against src/questions/types.ts at the bottom of this file, so the
 * catalogue's facts can be handed to the dialog engine as `FactDef` unchanged.
 */
import { z } from 'zod';
import { DISPLAY_FIELDS, SECTORS } from './types.js';
import type {
  AnswerType,
  DisplayField,
  FactDef,
  FactSource,
  Localized,
  QuestionKind,
  Sector,
  Tolerance,
} from './types.js';

export const SectorSchema = z.enum(SECTORS);
export const SectorsSchema = z.union([z.array(SectorSchema).min(1), z.literal('all')]);

export const LocalizedSchema = z.object({
  'zh-CN': z.string().min(1),
  'en-US': z.string().min(1),
});

export const AnswerTypeSchema = z.enum([
  'money',
  'quantity',
  'count',
  'percent',
  'yes_no',
  'choice',
  'date',
  'duration',
  'place',
  'text',
]);

export const DisplayFieldSchema = z.enum(DISPLAY_FIELDS);

export const FactSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('survey'), field: z.string().min(1) }),
  z.object({ kind: z.literal('financials'), line: z.string().min(1) }),
  z.object({ kind: z.literal('screening'), fact: z.string().min(1) }),
  z.object({ kind: z.literal('none') }),
]);

/** A source that has a value: a template's own expectation or a conversion operand. */
export const ValueSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('survey'), field: z.string().min(1) }),
  z.object({ kind: z.literal('financials'), line: z.string().min(1) }),
  z.object({ kind: z.literal('screening'), fact: z.string().min(1) }),
]);

export const ToleranceSchema = z.object({ warn: z.number(), fail: z.number() });

// Ranges (importance 0..1, warn < fail) are checked in validate.ts so that each gets its own error code.
export const CatalogueFactSchema = z.object({
  id: z.string().min(1),
  label: LocalizedSchema,
  answerType: AnswerTypeSchema,
  unit: z.string().min(1).optional(),
  importance: z.number(),
  tolerance: ToleranceSchema,
  source: FactSourceSchema,
  sectors: SectorsSchema,
  choices: z.array(z.string().min(1)).optional(),
  choiceLabels: z.record(z.string(), LocalizedSchema).optional(),
  derive: z.enum(['months_since', 'positive']).optional(),
  displayField: DisplayFieldSchema.optional(),
  flagWhenPositive: z.enum(['warn', 'fail']).optional(),
  cover: z.boolean().optional(),
});

/** A case value used in a conversion, with the value to use when the case does not have it. */
export const OperandSchema = z.object({
  source: ValueSourceSchema,
  default: z.number().optional(),
});

/**
 * How an answer relates to its (first) fact.
 * 'scale': fact = answer × factor × Π times ÷ Π per ÷ (1 − perOneMinus). Linear, so it becomes `toFact.scale`.
 * 'years_ago': the answer is a calendar year; fact = (asOf year − answer) × factUnitsPerYear.
 */
export const ConversionSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('scale'),
    factor: z.number().optional(),
    times: z.array(OperandSchema).optional(),
    per: z.array(OperandSchema).optional(),
    perOneMinus: OperandSchema.optional(),
  }),
  z.object({ kind: z.literal('years_ago'), factUnitsPerYear: z.number() }),
]);

export const TemplateKindSchema = z.enum(['direct', 'indirect', 'control']);

export const TemplateSchema = z.object({
  id: z.string().min(1),
  factIds: z.array(z.string().min(1)).min(1),
  kind: TemplateKindSchema,
  /** Questions on one fact with different routes are independent checks of each other. */
  route: z.string().min(1),
  sectors: SectorsSchema,
  answerType: AnswerTypeSchema,
  unit: z.string().min(1).optional(),
  paraphrases: z.array(LocalizedSchema).min(1),
  rephrase: z.array(LocalizedSchema).min(1),
  followUp: LocalizedSchema.optional(),
  followUpCross: LocalizedSchema.optional(),
  /** The expected answer read directly from the case (e.g. the survey's daily takings) before conversion. */
  expectedFrom: ValueSourceSchema.optional(),
  convert: ConversionSchema.optional(),
  /** An insider's answer lies in this range (answer units): sector knowledge, not the applicant's data. */
  benchmark: z.object({ low: z.number(), high: z.number() }).optional(),
  note: z.string().optional(),
});

export const FraudSignalRuleSchema = z.object({
  code: z.string().min(1),
  label: LocalizedSchema,
  factIds: z.array(z.string().min(1)).min(1),
});

export const CatalogueParamsSchema = z.object({
  doubt: z.object({
    /** Prior doubt of a fact the bank has a value for and no flag on. */
    baselineKnown: z.number(),
    /** Prior doubt of a fact the bank has no value for. */
    baselineUnknown: z.number(),
    warn: z.number(),
    fail: z.number(),
  }),
  weight: z.object({
    /** Share of importance a question keeps even without doubt. */
    floor: z.number(),
    direct: z.number(),
    indirect: z.number(),
    control: z.number(),
    decoy: z.number(),
  }),
  controls: z.object({ min: z.number().int(), max: z.number().int() }),
  decoys: z.object({ count: z.number().int() }),
  coverage: z.object({
    /** Facts at or above this importance must have a direct and an indirect template in every sector. */
    twoRoutesFromImportance: z.number(),
    /** Prior doubt from which a fact counts as doubtful and must be asked by two independent routes. */
    doubtfulFrom: z.number(),
  }),
});

export const CatalogueSchema = z.object({
  id: z.string().min(1),
  version: z.string().min(1),
  params: CatalogueParamsSchema,
  /** Words that differ by sector (店里 / 地里 / 场里 …), usable as slots in every template. */
  sectorTerms: z.record(z.string(), z.partialRecord(SectorSchema, LocalizedSchema)),
  /** Defaults when a template has no follow-up of its own. */
  followUps: z.object({ own: LocalizedSchema, cross: LocalizedSchema }),
  facts: z.array(CatalogueFactSchema),
  templates: z.array(TemplateSchema),
  fraudSignals: z.array(FraudSignalRuleSchema),
});

export type CatalogueFact = z.infer<typeof CatalogueFactSchema>;
export type ValueSource = z.infer<typeof ValueSourceSchema>;
export type Operand = z.infer<typeof OperandSchema>;
export type Conversion = z.infer<typeof ConversionSchema>;
export type QuestionTemplate = z.infer<typeof TemplateSchema>;
export type FraudSignalRule = z.infer<typeof FraudSignalRuleSchema>;
export type CatalogueParams = z.infer<typeof CatalogueParamsSchema>;
export type Catalogue = z.infer<typeof CatalogueSchema>;

// ---- case context ----------------------------------------------------------------------------------

export const CaseValueSchema = z.union([z.number(), z.string(), z.boolean()]);

export const DoubtSchema = z.object({
  factId: z.string().min(1),
  severity: z.enum(['warn', 'fail']),
  /** For the risk manager and compliance only; never shown to the applicant. */
  reason: z.string(),
  origin: z.enum(['cross_check', 'screening', 'officer']).optional(),
});

export const FraudSignalSchema = z.object({
  code: z.string().min(1),
  severity: z.enum(['warn', 'fail']),
  reason: z.string().optional(),
  /** Overrides the catalogue's mapping of this signal to facts. */
  factIds: z.array(z.string().min(1)).optional(),
});

export const CaseContextSchema = z.object({
  caseId: z.string().min(1),
  sector: SectorSchema,
  /** The interview date (YYYY-MM-DD), for ages and time in business; passed in because this code has no clock. */
  asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** Applicant fields allowed in question text. */
  display: z.partialRecord(DisplayFieldSchema, z.string()),
  survey: z.record(z.string(), CaseValueSchema),
  /** Rebuilt statement lines in yuan (or fractions for ratios such as pl.gross_margin). */
  financials: z.record(z.string(), z.number()),
  screening: z.record(z.string(), CaseValueSchema),
  doubts: z.array(DoubtSchema),
  fraudSignals: z.array(FraudSignalSchema),
});

export type CaseValue = z.infer<typeof CaseValueSchema>;
export type Doubt = z.infer<typeof DoubtSchema>;
export type FraudSignal = z.infer<typeof FraudSignalSchema>;
export type CaseContext = z.infer<typeof CaseContextSchema>;

// ---- compile-time agreement with types.ts ----------------------------------------------------------

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
export type SchemaAgreesWithTypes = [
  Assert<Same<z.infer<typeof SectorSchema>, Sector>>,
  Assert<Same<z.infer<typeof LocalizedSchema>, Localized>>,
  Assert<Same<z.infer<typeof AnswerTypeSchema>, AnswerType>>,
  Assert<Same<z.infer<typeof FactSourceSchema>, FactSource>>,
  Assert<Same<z.infer<typeof ToleranceSchema>, Tolerance>>,
  Assert<Same<z.infer<typeof DisplayFieldSchema>, DisplayField>>,
  Assert<Same<z.infer<typeof TemplateKindSchema>, QuestionKind>>,
  Assert<CatalogueFact extends FactDef ? true : false>,
];
