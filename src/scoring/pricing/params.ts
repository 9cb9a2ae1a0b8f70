/**
 * Versioned pricing parameters: what the risk manager sets, dated so that a loan is priced with the set in
 * force on its pricing date. Rates and spreads are integer basis points; money is a decimal string of yuan.
 *
 * Defaults (`defaultPricingParams`) follow DOMAIN.md: LPR 1-year 3.0% and 5-year 3.5% effective 2025-05-20,
 * Basel II PD floor 0.03%, 1.06 scaling off. The other figures are practice, not law: configuration.
 */
import { z } from 'zod';
import { badRequest, unprocessable } from '../../platform/errors.js';
import { ASSET_CLASSES } from './irb.js';

export const GRADES = ['A', 'B', 'C', 'D', 'E'] as const;
export type Grade = (typeof GRADES)[number];

const isoDate = z.iso.date();
const bp = z.number().int().min(0).max(100_000);
const fraction = z.number().min(0).max(1);
const pdValue = z.number().gt(0).max(1);
/** Yuan as a decimal string with at most two decimals (fen). */
const yuan = z
  .string()
  .regex(/^\d{1,13}(\.\d{1,2})?$/, 'Expected yuan as a decimal string with at most 2 decimals');

export const LprEntrySchema = z.strictObject({
  effectiveFrom: isoDate,
  oneYearBp: bp,
  fiveYearBp: bp,
});

export const LgdRulesSchema = z.strictObject({
  /** 信用 unsecured: Basel F-IRB senior unsecured 45%. */
  unsecured: fraction,
  /** 保证 LGD of the part covered by an acceptable guarantor. */
  guaranteed: fraction,
  /** 抵押 real estate: haircut on appraised value, LGD of the part the haircut value covers. */
  mortgage: z.strictObject({ haircut: z.number().min(0).lt(1), securedLgd: fraction }),
  /** 质押 pledge (deposits, receivables, equipment): haircut and LGD of the covered part. */
  pledge: z.strictObject({ haircut: z.number().min(0).lt(1), securedLgd: fraction }),
  /** No loan is priced below this LGD, whatever the security. */
  floor: fraction,
});

export const PricingParamsSchema = z
  .strictObject({
    version: z.string().min(1).max(64),
    effectiveFrom: isoDate,
    /** Dated LPR table; the entry in force on the pricing date is used. */
    lpr: z.array(LprEntrySchema).min(1),
    /** Funds-transfer-pricing spread over the LPR. */
    ftpSpreadBp: bp,
    operatingCost: z.strictObject({
      /** Running cost as a share of the balance per year. */
      shareBp: bp,
      /** Cost of originating and servicing one loan, spread over its average balance and term. */
      fixedCostPerLoanYuan: yuan,
    }),
    /** Required return on regulatory capital (RAROC hurdle). */
    hurdleRateBp: bp,
    targetMarginBp: bp,
    /** The rate is rounded up to a multiple of this step. */
    roundingStepBp: z.number().int().min(1).max(10_000),
    product: z.strictObject({ floorRateBp: bp, capRateBp: bp }),
    /** Hard ceiling on the annual rate (regulatory or judicial); no price exceeds it. */
    legalCeilingBp: bp,
    /** Internal grade → one-year PD. Every grade A–E must be present, PD rising from A to E. */
    pdMasterScale: z.strictObject({ A: pdValue, B: pdValue, C: pdValue, D: pdValue, E: pdValue }),
    lgd: LgdRulesSchema,
    /** Credit conversion factor for undrawn committed amounts. */
    ccfUndrawn: fraction,
    /** Asset class used when the caller does not say. */
    defaultAssetClass: z.enum(ASSET_CLASSES),
    /** Yuan per euro, to express sales in EUR millions for the SME firm-size adjustment. */
    cnyPerEur: z.number().gt(0).max(1000),
    pdFloor: z.number().min(0).lt(1),
    /** Apply Basel II's 1.06 scaling factor to K. */
    scaling106: z.boolean(),
  })
  .superRefine((p, ctx) => {
    if (p.product.floorRateBp > p.product.capRateBp) {
      ctx.addIssue({
        code: 'custom',
        path: ['product', 'floorRateBp'],
        message: 'The floor rate exceeds the cap rate',
      });
    }
    if (p.product.floorRateBp > p.legalCeilingBp) {
      ctx.addIssue({
        code: 'custom',
        path: ['product', 'floorRateBp'],
        message: 'The floor rate exceeds the legal ceiling',
      });
    }
    for (let i = 1; i < GRADES.length; i++) {
      const prev = p.pdMasterScale[GRADES[i - 1]!];
      const cur = p.pdMasterScale[GRADES[i]!];
      if (!(cur > prev)) {
        ctx.addIssue({
          code: 'custom',
          path: ['pdMasterScale', GRADES[i]!],
          message: `PD of grade ${GRADES[i]} must exceed that of grade ${GRADES[i - 1]}`,
        });
      }
    }
    const dates = p.lpr.map((e) => e.effectiveFrom);
    dates.forEach((d, i) => {
      if (dates.indexOf(d) !== i) {
        ctx.addIssue({
          code: 'custom',
          path: ['lpr', i, 'effectiveFrom'],
          message: `Two LPR entries on ${d}`,
        });
      }
    });
    if (!dates.some((d) => d <= p.effectiveFrom)) {
      ctx.addIssue({
        code: 'custom',
        path: ['lpr'],
        message: 'No LPR entry is in force on the effective date of the parameter set',
      });
    }
    if (p.lgd.floor > p.lgd.unsecured) {
      ctx.addIssue({
        code: 'custom',
        path: ['lgd', 'floor'],
        message: 'The LGD floor exceeds the unsecured LGD',
      });
    }
  });

export type PricingParams = z.infer<typeof PricingParamsSchema>;
export type LprEntry = z.infer<typeof LprEntrySchema>;

/**
 * Validates a parameter set. A set with gaps or contradictions is refused with PRICING_PARAMS_INVALID; the
 * message names the first offending field and `details.fields` lists all of them.
 */
export function parsePricingParams(raw: unknown): PricingParams {
  const r = PricingParamsSchema.safeParse(raw);
  if (r.success) return r.data;
  const fields = r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  const first = fields[0]!;
  throw unprocessable(
    'PRICING_PARAMS_INVALID',
    `Pricing parameters invalid at ${first.path || '(root)'}: ${first.message}`,
    {
      field: first.path,
      fields,
    },
  );
}

/**
 * The set in force on `onDate` (YYYY-MM-DD): the latest effectiveFrom not after the date. Two sets with the
 * same effective date are ambiguous and refused; no set in force → PRICING_PARAMS_NOT_IN_FORCE.
 */
export function selectParams(sets: readonly PricingParams[], onDate: string): PricingParams {
  if (!isoDate.safeParse(onDate).success) {
    throw badRequest('DATE_INVALID', 'Expected a date as YYYY-MM-DD', { value: onDate });
  }
  let best: PricingParams | undefined;
  let tie = false;
  for (const s of sets) {
    if (s.effectiveFrom > onDate) continue;
    if (!best || s.effectiveFrom > best.effectiveFrom) {
      best = s;
      tie = false;
    } else if (s.effectiveFrom === best.effectiveFrom) {
      tie = true;
    }
  }
  if (!best) {
    throw unprocessable('PRICING_PARAMS_NOT_IN_FORCE', `No pricing parameter set is in force on ${onDate}`, {
      onDate,
    });
  }
  if (tie) {
    throw unprocessable(
      'PRICING_PARAMS_AMBIGUOUS',
      `Two pricing parameter sets take effect on ${best.effectiveFrom}`,
      {
        effectiveFrom: best.effectiveFrom,
      },
    );
  }
  return best;
}

/** The LPR entry in force on a date, or PRICING_LPR_NOT_IN_FORCE. */
export function lprOn(params: PricingParams, onDate: string): LprEntry {
  let best: LprEntry | undefined;
  for (const e of params.lpr) {
    if (e.effectiveFrom <= onDate && (!best || e.effectiveFrom > best.effectiveFrom)) best = e;
  }
  if (!best) {
    throw unprocessable('PRICING_LPR_NOT_IN_FORCE', `No LPR entry is in force on ${onDate}`, { onDate });
  }
  return best;
}

/** A sensible starting set for a county rural bank's small-business loans; every figure is configuration. */
export const defaultPricingParams: PricingParams = deepFreeze({
  version: '2025-05-20.1',
  effectiveFrom: '2025-05-20',
  lpr: [{ effectiveFrom: '2025-05-20', oneYearBp: 300, fiveYearBp: 350 }],
  ftpSpreadBp: 50,
  operatingCost: { shareBp: 100, fixedCostPerLoanYuan: '300' },
  hurdleRateBp: 1200,
  targetMarginBp: 50,
  roundingStepBp: 5,
  product: { floorRateBp: 350, capRateBp: 1800 },
  legalCeilingBp: 2400,
  pdMasterScale: { A: 0.005, B: 0.01, C: 0.02, D: 0.04, E: 0.08 },
  lgd: {
    unsecured: 0.45,
    guaranteed: 0.35,
    mortgage: { haircut: 0.3, securedLgd: 0.2 },
    pledge: { haircut: 0.2, securedLgd: 0.25 },
    floor: 0.1,
  },
  ccfUndrawn: 0.75,
  defaultAssetClass: 'retail_other',
  cnyPerEur: 7.8,
  pdFloor: 0.0003,
  scaling106: false,
});

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
