/**
 * The officer's IPC survey template as versioned data: sections of questions, conditional display, computed
 * fields in a small safe expression form (no eval), cross-field constraints, and the mapping that tells the
 * financial reconstruction (src/scoring/ipc) which answers feed which statement lines.
 */
import { z } from 'zod';
import { SECTORS } from '../../questions/types.js';
import type { Sector } from '../../questions/types.js';

export const LocalizedSchema = z.object({ 'zh-CN': z.string().min(1), 'en-US': z.string().min(1) });

const IdSchema = z.string().regex(/^[a-z][a-z0-9_]*$/, 'ids are lower snake case');

/** An arithmetic expression over answers and other computed fields. A missing ref without default makes it undefined. */
export type Expr =
  | { ref: string; default?: number }
  | { const: number }
  | { op: 'add' | 'sub' | 'mul' | 'div' | 'min' | 'max'; args: Expr[] };

export const ExprSchema: z.ZodType<Expr> = z.lazy(() =>
  z.union([
    z.strictObject({ ref: IdSchema, default: z.number().finite().optional() }),
    z.strictObject({ const: z.number().finite() }),
    z.strictObject({
      op: z.enum(['add', 'sub', 'mul', 'div', 'min', 'max']),
      args: z.array(ExprSchema).min(1),
    }),
  ]),
);

/** A condition over answers. Unknown (an unanswered ref) counts as not shown and as not violated. */
export type Condition =
  | { op: 'equals'; ref: string; value: string | number | boolean }
  | { op: 'in'; ref: string; values: (string | number)[] }
  | { op: 'gt' | 'lt' | 'gte' | 'lte'; left: Expr; right: Expr }
  | { op: 'answered'; ref: string }
  | { op: 'and'; all: Condition[] }
  | { op: 'or'; any: Condition[] }
  | { op: 'not'; cond: Condition };

export const ConditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({
      op: z.literal('equals'),
      ref: IdSchema,
      value: z.union([z.string(), z.number(), z.boolean()]),
    }),
    z.strictObject({
      op: z.literal('in'),
      ref: IdSchema,
      values: z.array(z.union([z.string(), z.number()])).min(1),
    }),
    z.strictObject({ op: z.enum(['gt', 'lt', 'gte', 'lte']), left: ExprSchema, right: ExprSchema }),
    z.strictObject({ op: z.literal('answered'), ref: IdSchema }),
    z.strictObject({ op: z.literal('and'), all: z.array(ConditionSchema).min(1) }),
    z.strictObject({ op: z.literal('or'), any: z.array(ConditionSchema).min(1) }),
    z.strictObject({ op: z.literal('not'), cond: ConditionSchema }),
  ]),
);

export const QUESTION_TYPES = [
  'money',
  'number',
  'choice',
  'text',
  'date',
  'photo',
  'gps',
  'boolean',
] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

/** Balance-sheet lines of DOMAIN.md a money answer (or computed field) is booked to. */
export const LEDGER_TAGS = [
  'asset.cash',
  'asset.receivables',
  'asset.prepayments',
  'asset.inventory',
  'asset.other_business',
  'asset.private',
  'liability.payables',
  'liability.advances_received',
  'liability.loan_short_business',
  'liability.loan_short_investment',
  'liability.loan_short_consumption',
  'liability.loan_long_business',
  'liability.loan_long_investment',
  'liability.loan_long_consumption',
  'liability.nonbank_institution',
  'liability.private_borrowing',
  'liability.other',
  'offbalance.guarantees',
] as const;
export type LedgerTag = (typeof LEDGER_TAGS)[number];

export const ValidationSchema = z.strictObject({
  required: z.boolean().optional(),
  min: z.number().finite().optional(),
  max: z.number().finite().optional(),
  integer: z.boolean().optional(),
  maxLength: z.number().int().positive().optional(),
  /** Units the officer may type besides the canonical one; each must convert to it (see units.ts). */
  allowedUnits: z.array(z.string().min(1)).optional(),
  /** A gross margin in percent: above 100 is reported as MARGIN_OVER_100. */
  margin: z.boolean().optional(),
  /** Money that may legitimately be negative (equity, a revaluation). */
  allowNegative: z.boolean().optional(),
});

export const QuestionSchema = z.strictObject({
  id: IdSchema,
  label: LocalizedSchema,
  help: LocalizedSchema.optional(),
  type: z.enum(QUESTION_TYPES),
  /** Canonical unit of a number answer (kg, 亩, 天, %…); money is always yuan. */
  unit: z.string().min(1).optional(),
  choices: z.array(z.strictObject({ id: IdSchema, label: LocalizedSchema })).optional(),
  validation: ValidationSchema.optional(),
  showIf: ConditionSchema.optional(),
  ledger: z.enum(LEDGER_TAGS).optional(),
});

export const SectionSchema = z.strictObject({
  id: IdSchema,
  title: LocalizedSchema,
  questions: z.array(QuestionSchema).min(1),
});

export const ComputedFieldSchema = z.strictObject({
  id: IdSchema,
  label: LocalizedSchema,
  type: z.enum(['money', 'number']),
  unit: z.string().min(1).optional(),
  expr: ExprSchema,
  ledger: z.enum(LEDGER_TAGS).optional(),
});

export const ConstraintSchema = z.strictObject({
  id: IdSchema,
  /** Must hold whenever every ref in it is answered. */
  assert: ConditionSchema,
  code: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
  questionId: IdSchema,
  message: LocalizedSchema,
});

/** One way of arriving at monthly sales. `kind: 'purchases'` refs monthly purchases at cost, ÷ (1 − margin). */
export const SalesRouteSchema = z.strictObject({
  id: IdSchema,
  label: LocalizedSchema,
  kind: z.enum(['revenue', 'purchases']),
  ref: IdSchema,
});

export const ProductLineSchema = z.strictObject({
  id: IdSchema,
  label: LocalizedSchema,
  /** Share of sales in percent, or a revenue amount (any period, shares are taken from the ratios). */
  shareRef: IdSchema.optional(),
  revenueRef: IdSchema.optional(),
  /** Cost and price of one typical unit: margin = 1 − cost / price. */
  unitCostRef: IdSchema,
  unitPriceRef: IdSchema,
  /** Crops: the month the line's revenue arrives and the month its inputs are bought. */
  harvestMonthRef: IdSchema.optional(),
  sowMonthRef: IdSchema.optional(),
});

/** A monthly-average amount in yuan, booked to a P&L line. */
export const AmountRefSchema = z.strictObject({ id: IdSchema, label: LocalizedSchema, ref: IdSchema });

export const FixedAssetGroupSchema = z.strictObject({
  id: IdSchema,
  label: LocalizedSchema,
  costRef: IdSchema,
  yearsUsedRef: IdSchema,
  usefulLifeRef: IdSchema,
  presentValueRef: IdSchema,
});

export const ProfileSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('flat') }),
  z.strictObject({
    kind: z.literal('seasons'),
    peakStartRef: IdSchema,
    peakMonthsRef: IdSchema,
    peakUpliftPctRef: IdSchema,
    slowStartRef: IdSchema,
    slowMonthsRef: IdSchema,
    slowDropPctRef: IdSchema,
  }),
  z.strictObject({ kind: z.literal('harvest') }),
  z.strictObject({ kind: z.literal('cycles'), cycleDaysRef: IdSchema, firstSaleMonthRef: IdSchema }),
]);

export const FinancialMappingSchema = z.strictObject({
  primaryRoute: IdSchema,
  routes: z.array(SalesRouteSchema).min(1),
  productLines: z.array(ProductLineSchema).min(1),
  /** Used when no product line can be priced: the owner's own margin claim, in percent. */
  claimedMarginRef: IdSchema.optional(),
  operatingCosts: z.array(AmountRefSchema),
  otherIncome: z.array(AmountRefSchema),
  tax: z.array(AmountRefSchema),
  other: z.array(AmountRefSchema),
  fixedAssets: z.array(FixedAssetGroupSchema),
  profile: ProfileSchema,
});

export const SurveyTemplateSchema = z.strictObject({
  id: IdSchema,
  version: z.number().int().positive(),
  sector: z.enum(SECTORS as [Sector, ...Sector[]]),
  title: LocalizedSchema,
  sections: z.array(SectionSchema).min(1),
  computed: z.array(ComputedFieldSchema),
  constraints: z.array(ConstraintSchema),
  financials: FinancialMappingSchema,
});

export type Localized = z.infer<typeof LocalizedSchema>;
export type Validation = z.infer<typeof ValidationSchema>;
export type Question = z.infer<typeof QuestionSchema>;
export type Section = z.infer<typeof SectionSchema>;
export type ComputedField = z.infer<typeof ComputedFieldSchema>;
export type Constraint = z.infer<typeof ConstraintSchema>;
export type SalesRoute = z.infer<typeof SalesRouteSchema>;
export type ProductLine = z.infer<typeof ProductLineSchema>;
export type AmountRef = z.infer<typeof AmountRefSchema>;
export type FixedAssetGroup = z.infer<typeof FixedAssetGroupSchema>;
export type SeasonProfile = z.infer<typeof ProfileSchema>;
export type FinancialMapping = z.infer<typeof FinancialMappingSchema>;
export type SurveyTemplate = z.infer<typeof SurveyTemplateSchema>;

/** A survey answer. Money in yuan (a number, or `{ value, unit: '万元' }`); numbers may carry their unit. */
export type AnswerValue =
  number | string | boolean | { value: number; unit: string } | { lat: number; lng: number } | null;
export type Answers = Readonly<Record<string, AnswerValue | undefined>>;
