/**
 * Tolerances and sector benchmarks of the IPC cross-checks. DOMAIN.md marks them as practice, not law, so they
 * are configuration; the defaults are DOMAIN.md's where it gives one. Figures DOMAIN.md does not give (inventory
 * and receivable days, margin ranges of crops, livestock, transport and processing, the per-person spending
 * floor) are starting assumptions for a risk manager to tune, not sourced benchmarks.
 */
import { z } from 'zod';
import { validationFailed } from '../../platform/errors.js';
import type { Sector } from '../../questions/types.js';

/** Fractions: 0.15 = 15 %. `fail: null` means the check only ever warns. */
export const ToleranceSchema = z
  .strictObject({ warn: z.number().min(0), fail: z.number().min(0).nullable() })
  .refine((t) => t.fail === null || t.fail >= t.warn, { message: 'fail must not be below warn' });

export const RangeSchema = z
  .strictObject({ low: z.number(), high: z.number() })
  .refine((r) => r.low <= r.high, { message: 'low must not be above high' });

export const SectorCheckConfigSchema = z.strictObject({
  sales: ToleranceSchema,
  grossMargin: RangeSchema,
  /** Days of cost of sales held as stock; null where stock is seasonal or biological. */
  inventoryDays: RangeSchema.nullable(),
  receivableDays: RangeSchema.nullable(),
});

export const IpcConfigSchema = z.strictObject({
  sectors: z.strictObject({
    grocery: SectorCheckConfigSchema,
    restaurant: SectorCheckConfigSchema,
    crops: SectorCheckConfigSchema,
    livestock: SectorCheckConfigSchema,
    transport: SectorCheckConfigSchema,
    processing: SectorCheckConfigSchema,
  }),
  equity: ToleranceSchema,
  /** How far beyond a sector range (relative to the bound) inventory or receivable days warn and fail. */
  dayRanges: ToleranceSchema,
  household: z.strictObject({
    minSpendingPerPersonMonthlyFen: z.number().int().min(0),
    /** Shortfall below the floor, as a fraction of it. */
    shortfall: ToleranceSchema,
  }),
  repayment: z.strictObject({
    maxInstalmentShare: z.number().positive(),
    failInstalmentShare: z.number().positive(),
    maxNewDebtToCashFlow: z.number().positive(),
    maxGuaranteesToNetWorth: z.number().positive(),
    maxNonBankShare: z.number().positive().max(1),
  }),
});

export type Tolerance = z.infer<typeof ToleranceSchema>;
export type Range = z.infer<typeof RangeSchema>;
export type SectorCheckConfig = z.infer<typeof SectorCheckConfigSchema>;
export type IpcConfig = z.infer<typeof IpcConfigSchema>;

const sales = { warn: 0.15, fail: 0.3 };
const sector = (
  grossMargin: Range,
  inventoryDays: Range | null,
  receivableDays: Range | null,
): SectorCheckConfig => ({
  sales,
  grossMargin,
  inventoryDays,
  receivableDays,
});

const defaults: Record<Sector, SectorCheckConfig> = {
  // DOMAIN.md: ~25 % (tobacco 7–10 %, liquor 25–50 %)
  grocery: sector({ low: 0.15, high: 0.35 }, { low: 15, high: 60 }, { low: 0, high: 15 }),
  // DOMAIN.md: 30–70 %
  restaurant: sector({ low: 0.3, high: 0.7 }, { low: 1, high: 15 }, { low: 0, high: 10 }),
  crops: sector({ low: 0.4, high: 0.8 }, null, { low: 0, high: 60 }),
  livestock: sector({ low: 0.05, high: 0.35 }, null, { low: 0, high: 30 }),
  transport: sector({ low: 0.25, high: 0.65 }, null, { low: 0, high: 90 }),
  processing: sector({ low: 0.15, high: 0.5 }, { low: 15, high: 90 }, { low: 0, high: 90 }),
};

export const defaultIpcConfig: IpcConfig = IpcConfigSchema.parse({
  sectors: defaults,
  equity: { warn: 0.1, fail: 0.2 },
  dayRanges: { warn: 0, fail: 1 },
  household: { minSpendingPerPersonMonthlyFen: 80_000, shortfall: { warn: 0, fail: 0.5 } },
  repayment: {
    maxInstalmentShare: 0.7,
    failInstalmentShare: 1,
    maxNewDebtToCashFlow: 1.2,
    maxGuaranteesToNetWorth: 2,
    maxNonBankShare: 0.5,
  },
});

/** Validates a configuration from storage or a risk manager; throws VALIDATION_FAILED with the fields. */
export function parseIpcConfig(input: unknown): IpcConfig {
  const r = IpcConfigSchema.safeParse(input);
  if (r.success) return r.data;
  throw validationFailed(
    r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message, code: i.code })),
    'The IPC configuration is not valid',
  );
}
