import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ASSET_CLASSES,
  capitalRequirement,
  irbCapital,
  riskWeight,
  riskWeightedAssets,
  smeFirmSizeAdjustment,
} from '../../../src/scoring/pricing/irb.js';
import type { AssetClass, IrbInput } from '../../../src/scoring/pricing/irb.js';
import { codeOf } from './helpers.js';

/**
 * Basel II (June 2006 comprehensive version), Annex 5 "Illustrative IRB risk weights", in percent, as reproduced
 * at asksam.com (Basel_II.ask, Annex 5). Columns: corporate LGD 45% M 2.5 (turnover €50m, i.e. no firm-size
 * adjustment), corporate LGD 45% M 2.5 turnover €5m (SME), residential mortgage LGD 45%, LGD 25%, other retail
 * LGD 45%, LGD 85%, qualifying revolving retail LGD 45%, LGD 85%. The reproduction we could read stops after the
 * fourth column of the 3.00% row; those 100 published figures are pinned here to 0.01 percentage point.
 */
const ANNEX5_PUBLISHED: [string, (number | null)[]][] = [
  ['0.03', [14.44, 11.3, 4.15, 2.3, 4.45, 8.41, 0.98, 1.85]],
  ['0.05', [19.65, 15.39, 6.23, 3.46, 6.63, 12.52, 1.51, 2.86]],
  ['0.10', [29.65, 23.3, 10.69, 5.94, 11.16, 21.08, 2.71, 5.12]],
  ['0.25', [49.47, 39.01, 21.3, 11.83, 21.15, 39.96, 5.76, 10.88]],
  ['0.40', [62.72, 49.49, 29.94, 16.64, 28.42, 53.69, 8.41, 15.88]],
  ['0.50', [69.61, 54.91, 35.08, 19.49, 32.36, 61.13, 10.04, 18.97]],
  ['0.75', [82.78, 65.14, 46.46, 25.81, 40.1, 75.74, 13.8, 26.06]],
  ['1.00', [92.32, 72.4, 56.4, 31.33, 45.77, 86.46, 17.22, 32.53]],
  ['1.30', [100.95, 78.77, 67.0, 37.22, 50.8, 95.95, 21.02, 39.7]],
  ['1.50', [105.59, 82.11, 73.45, 40.8, 53.37, 100.81, 23.4, 44.19]],
  ['2.00', [114.86, 88.55, 87.94, 48.85, 57.99, 109.53, 28.92, 54.63]],
  ['2.50', [122.16, 93.43, 100.64, 55.91, 60.9, 115.03, 33.98, 64.18]],
  ['3.00', [128.44, 97.58, 111.99, 62.22, null, null, null, null]],
];

/**
 * The rest of the Annex 5 grid (PD 3%–20%), which we could not read in any public reproduction: computed
 * independently with mpmath 1.3 at 40 digits from the same formulas, to four decimals. A check of this code
 * against a second implementation, not against the Committee's figures.
 */
const ANNEX5_COMPUTED: [string, (number | null)[]][] = [
  ['3.00', [null, null, null, null, 62.7919, 118.6068, 38.6641, 73.0323]],
  ['4.00', [139.578, 105.0416, 131.6309, 73.1283, 65.0131, 122.8024, 47.1608, 89.0816]],
  ['5.00', [149.8544, 112.2644, 148.2221, 82.3456, 66.4152, 125.4509, 54.7446, 103.4065]],
  ['6.00', [159.6132, 119.4817, 162.5188, 90.2882, 67.731, 127.9364, 61.6079, 116.3705]],
  ['10.00', [193.0869, 146.5129, 204.4105, 113.5614, 75.5428, 142.692, 83.8933, 158.4651]],
  ['15.00', [221.5334, 171.9062, 235.7225, 130.957, 88.6008, 167.3571, 103.885, 196.2272]],
  ['20.00', [238.2316, 188.4158, 253.1188, 140.6216, 100.2774, 189.4128, 117.985, 222.8606]],
];

/**
 * Basel Framework CRE99 (effective 2023) Table 1 as reproduced in SAMA's rulebook ("Illustrative Risk Weights
 * Calculated Under the IRB Approach"): the same functions at corporate LGD 40% and QRR LGD 50%.
 * Columns: corporate LGD 40% (€50m), corporate LGD 40% (€5m), qualifying revolving LGD 50%.
 */
const CRE99_PUBLISHED: [string, number[]][] = [
  ['0.05', [17.47, 13.69, 1.68]],
  ['0.10', [26.36, 20.71, 3.01]],
  ['0.25', [43.97, 34.68, 6.4]],
  ['0.40', [55.75, 43.99, 9.34]],
  ['0.50', [61.88, 48.81, 11.16]],
  ['0.75', [73.58, 57.91, 15.33]],
  ['1.00', [82.06, 64.35, 19.14]],
  ['1.30', [89.73, 70.02, 23.35]],
];

const ANNEX5_COLUMNS: Omit<IrbInput, 'pd'>[] = [
  { assetClass: 'corporate', lgd: 0.45, maturityYears: 2.5, salesEurMillions: 50 },
  { assetClass: 'corporate', lgd: 0.45, maturityYears: 2.5, salesEurMillions: 5 },
  { assetClass: 'retail_mortgage', lgd: 0.45 },
  { assetClass: 'retail_mortgage', lgd: 0.25 },
  { assetClass: 'retail_other', lgd: 0.45 },
  { assetClass: 'retail_other', lgd: 0.85 },
  { assetClass: 'retail_revolving', lgd: 0.45 },
  { assetClass: 'retail_revolving', lgd: 0.85 },
];

const CRE99_COLUMNS: Omit<IrbInput, 'pd'>[] = [
  { assetClass: 'corporate', lgd: 0.4, maturityYears: 2.5 },
  { assetClass: 'corporate', lgd: 0.4, maturityYears: 2.5, salesEurMillions: 5 },
  { assetClass: 'retail_revolving', lgd: 0.5 },
];

const rwPercent = (pdPercent: string, column: Omit<IrbInput, 'pd'>) =>
  riskWeight({ ...column, pd: Number(pdPercent) / 100 }) * 100;

describe('IRB risk weights against the published tables', () => {
  it('reproduces the 100 readable figures of Basel II Annex 5 to 0.01 percentage point', () => {
    let checked = 0;
    const offByRounding: string[] = [];
    for (const [pd, row] of ANNEX5_PUBLISHED) {
      row.forEach((published, col) => {
        if (published === null) return;
        const diff = Math.abs(rwPercent(pd, ANNEX5_COLUMNS[col]!) - published);
        expect(diff, `PD ${pd}% column ${col + 1}`).toBeLessThanOrEqual(0.01);
        if (diff > 0.005 + 1e-9) offByRounding.push(`${pd}%/${col + 1}`);
        checked++;
      });
    }
    expect(checked).toBe(100);
    // 93 of the 100 are the exact value correctly rounded. Seven printed figures sit 0.004–0.006 point from the
    // exact value (mpmath at 40 digits agrees with this code on all seven), e.g. corporate at PD 2% is 114.8542%
    // but printed 114.86%, SME at 0.05% is 15.3958% but printed 15.39%: the Committee's own arithmetic or
    // rounding, still within 0.01 point.
    expect(offByRounding).toEqual([
      '0.03%/4',
      '0.05%/2',
      '0.10%/6',
      '1.00%/2',
      '1.30%/5',
      '1.50%/3',
      '2.00%/1',
    ]);
  });

  it('agrees with an independent 40-digit computation of the rest of the Annex 5 grid to 0.0001 point', () => {
    for (const [pd, row] of ANNEX5_COMPUTED) {
      row.forEach((value, col) => {
        if (value === null) return;
        expect(
          Math.abs(rwPercent(pd, ANNEX5_COLUMNS[col]!) - value),
          `PD ${pd}% column ${col + 1}`,
        ).toBeLessThanOrEqual(0.00005 + 1e-9);
      });
    }
  });

  it('reproduces the CRE99 illustrative figures at LGD 40% (corporate) and 50% (revolving)', () => {
    for (const [pd, row] of CRE99_PUBLISHED) {
      row.forEach((published, col) => {
        expect(
          Math.abs(rwPercent(pd, CRE99_COLUMNS[col]!) - published),
          `PD ${pd}% column ${col + 1}`,
        ).toBeLessThanOrEqual(0.005 + 1e-9);
      });
    }
  });
});

describe('IRB building blocks', () => {
  it('floors PD at 0.03% by default and at a configured floor', () => {
    const base = { lgd: 0.45, assetClass: 'corporate' as const, maturityYears: 2.5 };
    expect(riskWeight({ ...base, pd: 0.0001 })).toBe(riskWeight({ ...base, pd: 0.0003 }));
    expect(riskWeight({ ...base, pd: 0.0001, pdFloor: 0.0005 })).toBe(riskWeight({ ...base, pd: 0.0005 }));
    expect(irbCapital({ ...base, pd: 0.0001 }).pd).toBe(0.0003);
  });

  it('clamps SME sales to [5, 50] EUR millions and makes no adjustment from 50 up', () => {
    expect(smeFirmSizeAdjustment(1)).toBeCloseTo(0.04, 15);
    expect(smeFirmSizeAdjustment(5)).toBeCloseTo(0.04, 15);
    expect(smeFirmSizeAdjustment(27.5)).toBeCloseTo(0.02, 15);
    expect(smeFirmSizeAdjustment(50)).toBe(0);
    expect(smeFirmSizeAdjustment(500)).toBe(0);
    const base = { pd: 0.01, lgd: 0.45, assetClass: 'corporate' as const, maturityYears: 2.5 };
    expect(riskWeight({ ...base, salesEurMillions: 80 })).toBe(riskWeight(base));
    expect(riskWeight({ ...base, salesEurMillions: 2 })).toBe(riskWeight({ ...base, salesEurMillions: 5 }));
  });

  it('ignores sales and maturity for retail classes', () => {
    const base = { pd: 0.02, lgd: 0.45, assetClass: 'retail_other' as const };
    expect(riskWeight({ ...base, salesEurMillions: 5, maturityYears: 5 })).toBe(riskWeight(base));
  });

  it('raises corporate K with maturity: MA is 1 at M = 2.5 and rises with M', () => {
    const r = (m: number) => irbCapital({ pd: 0.01, lgd: 0.45, assetClass: 'corporate', maturityYears: m });
    expect(r(1).k).toBeLessThan(r(2.5).k);
    expect(r(2.5).k).toBeLessThan(r(5).k);
    const b = r(2.5).maturityB!;
    expect(r(2.5).maturityAdjustment).toBeCloseTo(1 / (1 - 1.5 * b), 15);
  });

  it('applies the 1.06 scaling factor only when asked', () => {
    const base = { pd: 0.01, lgd: 0.45, assetClass: 'retail_other' as const };
    expect(riskWeight({ ...base, scaling: true })).toBeCloseTo(riskWeight(base) * 1.06, 15);
    expect(capitalRequirement({ ...base, scaling: true })).toBe(capitalRequirement(base));
  });

  it('gives a defaulted exposure K = max(0, LGD − best-estimate EL), zero by default', () => {
    const base = { pd: 1, lgd: 0.45, assetClass: 'corporate' as const };
    expect(capitalRequirement(base)).toBe(0);
    expect(capitalRequirement({ ...base, bestEstimateEl: 0.4 })).toBeCloseTo(0.05, 15);
    expect(capitalRequirement({ ...base, bestEstimateEl: 0.6 })).toBe(0);
    expect(riskWeight({ ...base, bestEstimateEl: 0.35 })).toBeCloseTo(1.25, 12);
    expect(irbCapital(base).defaulted).toBe(true);
  });

  it('computes RWA as risk weight × EAD', () => {
    const input = { pd: 0.01, lgd: 0.45, assetClass: 'retail_other' as const };
    expect(riskWeightedAssets({ ...input, ead: 1_000_000 })).toBeCloseTo(riskWeight(input) * 1_000_000, 6);
  });
});

describe('IRB input validation', () => {
  const ok = { pd: 0.01, lgd: 0.45, assetClass: 'corporate' as AssetClass, maturityYears: 2.5 };

  it('rejects PD outside (0, 1] and non-finite PD with PD_OUT_OF_RANGE', () => {
    for (const pd of [0, -0.01, 1.0001, Number.NaN, Infinity, -Infinity]) {
      expect(codeOf(() => riskWeight({ ...ok, pd }))).toBe('PD_OUT_OF_RANGE');
    }
  });

  it('rejects LGD outside [0, 1] with LGD_OUT_OF_RANGE', () => {
    for (const lgd of [-0.01, 1.01, Number.NaN, Infinity]) {
      expect(codeOf(() => riskWeight({ ...ok, lgd }))).toBe('LGD_OUT_OF_RANGE');
    }
  });

  it('rejects a negative EAD with EAD_NEGATIVE and a non-finite one with EAD_INVALID', () => {
    expect(codeOf(() => riskWeightedAssets({ ...ok, ead: -1 }))).toBe('EAD_NEGATIVE');
    expect(codeOf(() => riskWeightedAssets({ ...ok, ead: Number.NaN }))).toBe('EAD_INVALID');
  });

  it('rejects an unknown asset class with UNKNOWN_ASSET_CLASS', () => {
    expect(codeOf(() => riskWeight({ ...ok, assetClass: 'sovereign' as AssetClass }))).toBe(
      'UNKNOWN_ASSET_CLASS',
    );
  });

  it('rejects bad maturity, sales, PD floor and best-estimate EL with their own codes', () => {
    expect(codeOf(() => riskWeight({ ...ok, maturityYears: 0 }))).toBe('MATURITY_OUT_OF_RANGE');
    expect(codeOf(() => riskWeight({ ...ok, maturityYears: Number.NaN }))).toBe('MATURITY_OUT_OF_RANGE');
    expect(codeOf(() => riskWeight({ ...ok, salesEurMillions: -1 }))).toBe('SALES_OUT_OF_RANGE');
    expect(codeOf(() => riskWeight({ ...ok, pdFloor: 1 }))).toBe('PD_FLOOR_OUT_OF_RANGE');
    expect(codeOf(() => riskWeight({ ...ok, pd: 1, bestEstimateEl: 2 }))).toBe(
      'BEST_ESTIMATE_EL_OUT_OF_RANGE',
    );
  });

  it('either throws an AppError or returns a finite non-negative weight, whatever the numbers', () => {
    const anyNumber = fc.oneof(fc.double(), fc.double({ min: 0, max: 1 }), fc.constantFrom(0, 1, 0.5));
    fc.assert(
      fc.property(
        anyNumber,
        anyNumber,
        fc.constantFrom(...ASSET_CLASSES),
        fc.option(anyNumber, { nil: undefined }),
        fc.option(anyNumber, { nil: undefined }),
        (pd, lgd, assetClass, maturityYears, salesEurMillions) => {
          let rw: number;
          try {
            rw = riskWeight({ pd, lgd, assetClass, maturityYears, salesEurMillions });
          } catch (e) {
            expect((e as { name?: string }).name).toBe('AppError');
            return;
          }
          expect(Number.isFinite(rw)).toBe(true);
          expect(rw).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('IRB laws', () => {
  const pdArb = fc.double({ min: 0.0003, max: 1, noNaN: true });
  const lgdArb = fc.double({ min: 0, max: 1, noNaN: true });
  const maturityArb = fc.double({ min: 1, max: 5, noNaN: true });
  const salesArb = fc.option(fc.double({ min: 0, max: 100, noNaN: true }), { nil: undefined });
  const classArb = fc.constantFrom(...ASSET_CLASSES);

  it('K is never negative', () => {
    fc.assert(
      fc.property(
        pdArb,
        lgdArb,
        classArb,
        maturityArb,
        salesArb,
        (pd, lgd, assetClass, maturityYears, sales) => {
          expect(
            capitalRequirement({ pd, lgd, assetClass, maturityYears, salesEurMillions: sales }),
          ).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('K rises (non-strictly) with LGD, defaulted exposures included', () => {
    fc.assert(
      fc.property(pdArb, lgdArb, lgdArb, classArb, maturityArb, (pd, a, b, assetClass, maturityYears) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const k = (lgd: number) =>
          capitalRequirement({ pd, lgd, assetClass, maturityYears, bestEstimateEl: 0.2 });
        // K is linear in LGD: two LGDs one unit in the last place apart may round to K values that step back by a
        // few ulps (and by 5e-324 at subnormal LGDs). The law holds up to that rounding.
        expect(k(lo)).toBeLessThanOrEqual(k(hi) * (1 + 1e-12) + 1e-300);
      }),
      { numRuns: 300 },
    );
  });

  // Measured: every curve rises from the floor until PD ≈ 0.275 (corporate, M = 5) to 0.40 (other retail), then
  // falls towards K = 0 at PD = 1 as expected loss takes over. The published grid (0.03%–20%) lies in the rising part.
  it('risk weight rises with PD from the floor to 25% for every class, maturity 1–5 and any sales', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.0003, max: 0.25, noNaN: true }),
        fc.double({ min: 0.0003, max: 0.25, noNaN: true }),
        lgdArb,
        classArb,
        maturityArb,
        salesArb,
        (a, b, lgd, assetClass, maturityYears, sales) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          const rw = (pd: number) =>
            riskWeight({ pd, lgd, assetClass, maturityYears, salesEurMillions: sales });
          expect(rw(lo)).toBeLessThanOrEqual(rw(hi) * (1 + 1e-12) + 1e-300);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('turns down at very high PD, where expected loss dominates', () => {
    for (const assetClass of ASSET_CLASSES) {
      const rw = (pd: number) => riskWeight({ pd, lgd: 0.45, assetClass, maturityYears: 2.5 });
      expect(rw(0.9)).toBeLessThan(rw(0.2));
    }
  });
});
