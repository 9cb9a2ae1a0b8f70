/**
 * Basel II IRB risk-weight functions for the unexpected-loss capital requirement K.
 *
 * Source: Basel Committee on Banking Supervision, "International Convergence of Capital Measurement and Capital
 * Standards — A Revised Framework, Comprehensive Version", June 2006: para 272 (corporate correlation, maturity
 * adjustment, K and defaulted exposures K = max(0, LGD − EL_BE)), para 273 (SME firm-size adjustment), paras
 * 328–330 (residential mortgage R = 0.15, qualifying revolving retail R = 0.04, other retail), paras 285 and 331
 * (PD floor 0.03%). The 1.06 scaling factor (Part 1 of the framework) is an option here, off by default, since
 * the Annex 5 table excludes it.
 * Reproduces Annex 5 "Illustrative IRB risk weights" (see test/scoring/pricing/irb.test.ts).
 */
import { badRequest } from '../../platform/errors.js';
import { normalCdf, normalInv } from './normal.js';

export const ASSET_CLASSES = ['corporate', 'retail_other', 'retail_mortgage', 'retail_revolving'] as const;
export type AssetClass = (typeof ASSET_CLASSES)[number];

/** Basel II PD floor for corporate and retail exposures (paras 285, 331). */
export const BASEL2_PD_FLOOR = 0.0003;
/** Basel II scaling factor applied to IRB credit RWA; off by default, as in Annex 5. */
export const BASEL2_SCALING_FACTOR = 1.06;
/** Confidence level of the ASRF model: G(0.999). */
const G_999 = normalInv(0.999);

export interface IrbInput {
  /** One-year probability of default as a fraction, in (0, 1]; 1 means the exposure is in default. */
  pd: number;
  /** Loss given default as a fraction, in [0, 1]. */
  lgd: number;
  assetClass: AssetClass;
  /** Effective maturity M in years (corporate only; default 2.5). Clamp to [1, 5] with effectiveMaturity(). */
  maturityYears?: number;
  /** Annual sales in EUR millions for the SME firm-size adjustment (corporate only; none when absent). */
  salesEurMillions?: number;
  /** Apply the 1.06 scaling factor (default false). */
  scaling?: boolean;
  /** PD floor (default 0.0003). */
  pdFloor?: number;
  /** Best-estimate expected loss of a defaulted exposure (PD = 1) as a fraction of EAD; default LGD, so K = 0. */
  bestEstimateEl?: number;
}

/** What went into K, for explanations and audit. */
export interface IrbResult {
  /** PD after the floor. */
  pd: number;
  lgd: number;
  assetClass: AssetClass;
  defaulted: boolean;
  /** Asset correlation R (null for a defaulted exposure). */
  correlation: number | null;
  /** Maturity adjustment b and MA (corporate only; null otherwise). */
  maturityB: number | null;
  maturityAdjustment: number | null;
  /** Capital requirement K per unit of EAD, before the optional 1.06 scaling. */
  k: number;
  /** Scaling factor applied (1 or 1.06). */
  scalingFactor: number;
  /** RWA / EAD as a fraction: K × 12.5 × scaling. */
  riskWeight: number;
}

const fail = (code: string, message: string, value: unknown) =>
  badRequest(code, message, { value: typeof value === 'number' ? String(value) : value });

function checkPd(pd: number): void {
  if (typeof pd !== 'number' || !Number.isFinite(pd) || pd <= 0 || pd > 1) {
    throw fail('PD_OUT_OF_RANGE', 'PD must be a number in (0, 1]', pd);
  }
}

function checkLgd(lgd: number): void {
  if (typeof lgd !== 'number' || !Number.isFinite(lgd) || lgd < 0 || lgd > 1) {
    throw fail('LGD_OUT_OF_RANGE', 'LGD must be a number in [0, 1]', lgd);
  }
}

function checkAssetClass(assetClass: unknown): asserts assetClass is AssetClass {
  if (!(ASSET_CLASSES as readonly unknown[]).includes(assetClass)) {
    throw badRequest('UNKNOWN_ASSET_CLASS', 'Unknown IRB asset class', { value: String(assetClass) });
  }
}

function checkPdFloor(floor: number): void {
  if (typeof floor !== 'number' || !Number.isFinite(floor) || floor < 0 || floor >= 1) {
    throw fail('PD_FLOOR_OUT_OF_RANGE', 'The PD floor must be a number in [0, 1)', floor);
  }
}

function checkMaturity(m: number): void {
  if (typeof m !== 'number' || !Number.isFinite(m) || m <= 0) {
    throw fail('MATURITY_OUT_OF_RANGE', 'Effective maturity must be a positive number of years', m);
  }
}

function checkSales(s: number): void {
  if (typeof s !== 'number' || !Number.isFinite(s) || s < 0) {
    throw fail('SALES_OUT_OF_RANGE', 'Annual sales must be a non-negative number of EUR millions', s);
  }
}

/** PD after the floor (a PD of 1, default, is kept). */
export function floorPd(pd: number, pdFloor = BASEL2_PD_FLOOR): number {
  checkPd(pd);
  checkPdFloor(pdFloor);
  return Math.max(pd, pdFloor);
}

/** Corporate, sovereign and bank correlation, para 272: R = 0.12·w + 0.24·(1 − w), w = (1 − e^(−50·PD)) / (1 − e^(−50)). */
export function corporateCorrelation(pd: number): number {
  checkPd(pd);
  const w = -Math.expm1(-50 * pd) / -Math.expm1(-50);
  return 0.12 * w + 0.24 * (1 - w);
}

/** SME firm-size reduction of R, para 273: 0.04 · (1 − (S − 5)/45), S = sales in EUR millions clamped to [5, 50]. */
export function smeFirmSizeAdjustment(salesEurMillions: number): number {
  checkSales(salesEurMillions);
  const s = Math.min(50, Math.max(5, salesEurMillions));
  return 0.04 * (1 - (s - 5) / 45);
}

/** Other retail correlation, para 330: R = 0.03·w + 0.16·(1 − w), w = (1 − e^(−35·PD)) / (1 − e^(−35)). */
export function otherRetailCorrelation(pd: number): number {
  checkPd(pd);
  const w = -Math.expm1(-35 * pd) / -Math.expm1(-35);
  return 0.03 * w + 0.16 * (1 - w);
}

/** Asset correlation R for an asset class (the SME adjustment applies to corporates with sales given). */
export function assetCorrelation(assetClass: AssetClass, pd: number, salesEurMillions?: number): number {
  checkAssetClass(assetClass);
  switch (assetClass) {
    case 'corporate':
      return (
        corporateCorrelation(pd) -
        (salesEurMillions === undefined ? 0 : smeFirmSizeAdjustment(salesEurMillions))
      );
    case 'retail_mortgage':
      checkPd(pd);
      return 0.15;
    case 'retail_revolving':
      checkPd(pd);
      return 0.04;
    case 'retail_other':
      return otherRetailCorrelation(pd);
  }
}

/** Maturity adjustment slope, para 272: b = (0.11852 − 0.05478 · ln PD)². */
export function maturityB(pd: number): number {
  checkPd(pd);
  const t = 0.11852 - 0.05478 * Math.log(pd);
  return t * t;
}

/** Maturity adjustment, para 272: MA = (1 + (M − 2.5)·b) / (1 − 1.5·b). */
export function maturityAdjustment(pd: number, maturityYears: number): number {
  checkMaturity(maturityYears);
  const b = maturityB(pd);
  return (1 + (maturityYears - 2.5) * b) / (1 - 1.5 * b);
}

/** K, RWA/EAD and the intermediate values for one exposure. Validates every input; never returns NaN. */
export function irbCapital(input: IrbInput): IrbResult {
  const { lgd, assetClass } = input;
  checkAssetClass(assetClass);
  checkLgd(lgd);
  const pd = floorPd(input.pd, input.pdFloor ?? BASEL2_PD_FLOOR);
  const maturityYears = input.maturityYears ?? 2.5;
  checkMaturity(maturityYears);
  if (input.salesEurMillions !== undefined) checkSales(input.salesEurMillions);
  const scalingFactor = input.scaling ? BASEL2_SCALING_FACTOR : 1;

  if (pd === 1) {
    const el = input.bestEstimateEl ?? lgd;
    if (typeof el !== 'number' || !Number.isFinite(el) || el < 0 || el > 1) {
      throw fail(
        'BEST_ESTIMATE_EL_OUT_OF_RANGE',
        'Best-estimate expected loss must be a number in [0, 1]',
        el,
      );
    }
    const k = Math.max(0, lgd - el);
    return {
      pd,
      lgd,
      assetClass,
      defaulted: true,
      correlation: null,
      maturityB: null,
      maturityAdjustment: null,
      k,
      scalingFactor,
      riskWeight: k * 12.5 * scalingFactor,
    };
  }

  const r = assetCorrelation(assetClass, pd, assetClass === 'corporate' ? input.salesEurMillions : undefined);
  const conditionalPd = normalCdf(Math.sqrt(1 / (1 - r)) * normalInv(pd) + Math.sqrt(r / (1 - r)) * G_999);
  // The conditional PD exceeds the PD for any R in (0, 1); max(0, …) only absorbs rounding at the far tail.
  const unexpected = Math.max(0, lgd * conditionalPd - pd * lgd);
  let b: number | null = null;
  let ma: number | null = null;
  let k = unexpected;
  if (assetClass === 'corporate') {
    b = maturityB(pd);
    ma = (1 + (maturityYears - 2.5) * b) / (1 - 1.5 * b);
    k = unexpected * ma;
  }
  return {
    pd,
    lgd,
    assetClass,
    defaulted: false,
    correlation: r,
    maturityB: b,
    maturityAdjustment: ma,
    k,
    scalingFactor,
    riskWeight: k * 12.5 * scalingFactor,
  };
}

/** Capital requirement K per unit of EAD (without the 1.06 scaling). */
export function capitalRequirement(input: IrbInput): number {
  return irbCapital(input).k;
}

/** Risk weight RWA/EAD as a fraction (1.0 = 100%): K × 12.5 × (1.06 if scaling). */
export function riskWeight(input: IrbInput): number {
  return irbCapital(input).riskWeight;
}

/** Risk-weighted assets for an exposure at default EAD (same unit as EAD). */
export function riskWeightedAssets(input: IrbInput & { ead: number }): number {
  if (typeof input.ead !== 'number' || !Number.isFinite(input.ead)) {
    throw fail('EAD_INVALID', 'EAD must be a finite number', input.ead);
  }
  if (input.ead < 0) throw fail('EAD_NEGATIVE', 'EAD must not be negative', input.ead);
  return riskWeight(input) * input.ead;
}
