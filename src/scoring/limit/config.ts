/**
 * Limit and term configuration: the affordable share of disposable income (DOMAIN.md "Repayment capacity":
 * instalment ≤ 70 % of monthly disposable income, a default), the product's amount and term limits, the
 * repayment methods it offers, and the equity cap. A risk manager's values are validated here.
 */
import { z } from 'zod';
import { validationFailed } from '../../platform/errors.js';
import { REPAYMENT_METHODS } from '../pricing/index.js';

const fen = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const LimitConfigSchema = z
  .strictObject({
    /** Largest instalment as a share of monthly disposable income. */
    instalmentShare: z.number().gt(0).max(1),
    product: z.strictObject({
      minAmountFen: fen,
      maxAmountFen: fen,
      /** Offers are whole multiples of this (the requested amount itself is offered when it fits). */
      amountStepFen: z.number().int().min(1),
      /** The terms the product offers, in months. */
      termsMonths: z.array(z.number().int().min(1).max(360)).min(1),
      methods: z.array(z.enum(REPAYMENT_METHODS)).min(1),
      /** Longest term per method, e.g. bullet loans ≤ 12 months (DOMAIN.md, 2020 internet lending rules). */
      methodMaxTermMonths: z.partialRecord(z.enum(REPAYMENT_METHODS), z.number().int().min(1)),
    }),
    /** Loan ≤ this multiple of the business's equity (net worth); null for no equity cap. */
    equityCapMultiple: z.number().gt(0).nullable(),
  })
  .superRefine((c, ctx) => {
    if (c.product.minAmountFen > c.product.maxAmountFen)
      ctx.addIssue({ code: 'custom', path: ['product', 'minAmountFen'], message: 'min must not exceed max' });
    if (new Set(c.product.termsMonths).size !== c.product.termsMonths.length)
      ctx.addIssue({ code: 'custom', path: ['product', 'termsMonths'], message: 'terms must be distinct' });
  });

export type LimitConfig = z.infer<typeof LimitConfigSchema>;

export const defaultLimitConfig: LimitConfig = LimitConfigSchema.parse({
  instalmentShare: 0.7,
  product: {
    minAmountFen: 1_000_000, // 10,000 CNY
    maxAmountFen: 50_000_000, // 500,000 CNY
    amountStepFen: 100_000, // 1,000 CNY
    termsMonths: [3, 6, 9, 12, 18, 24, 36],
    methods: ['equal_instalment', 'equal_principal', 'interest_only', 'bullet'],
    methodMaxTermMonths: { bullet: 12, interest_only: 12 },
  },
  equityCapMultiple: 1,
});

export function parseLimitConfig(input: unknown): LimitConfig {
  const r = LimitConfigSchema.safeParse(input);
  if (r.success) return r.data;
  throw validationFailed(
    r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    'The limit configuration is not valid',
  );
}
