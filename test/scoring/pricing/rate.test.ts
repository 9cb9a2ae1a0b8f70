import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPricingParams } from '../../../src/scoring/pricing/params.js';
import type { PricingParams } from '../../../src/scoring/pricing/params.js';
import { priceLoan } from '../../../src/scoring/pricing/rate.js';
import type { PriceLoanInput } from '../../../src/scoring/pricing/rate.js';
import { REPAYMENT_METHODS } from '../../../src/scoring/pricing/schedule.js';
import { codeOf } from './helpers.js';

const params = defaultPricingParams;
const base: PriceLoanInput = {
  pricingDate: '2025-06-01',
  principalFen: 10_000_000,
  termMonths: 12,
  repayment: 'equal_instalment',
  risk: { grade: 'B' },
  security: { kind: 'guarantee', coverage: 1 },
};

describe('priceLoan', () => {
  it('builds the rate of a guaranteed 100,000-yuan one-year grade-B loan component by component', () => {
    const p = priceLoan(base, params);
    expect(p.components.map((c) => [c.key, c.bp])).toEqual([
      ['funding', '350.00'], // 1-year LPR 300 + FTP 50
      ['operating', '155.09'], // 100 + 300 yuan over 54,455.90 yuan-years
      ['expected_loss', '35.00'], // 1% × 35%
      ['capital', '34.18'], // K 2.848% (other retail, R 0.1216) × 12%
      ['margin', '50.00'],
    ]);
    expect(p.buildUpBp).toBe('624.27');
    expect(p).toMatchObject({
      roundedRateBp: 625,
      clamp: 'none',
      annualRateBp: 625,
      annualRate: '0.0625',
      annualRatePercent: '6.25%',
      spreadOverLprBp: 325,
      quoteEn: 'LPR + 325 bp',
      quoteZh: '1年期LPR + 325个基点',
      lpr: { tenor: '1Y', effectiveFrom: '2025-05-20', bp: 300 },
    });
    expect(p.apr.nominalAnnualPercent).toBe('6.2500%');
    expect(p.risk.riskWeight).toBeCloseTo(0.35601, 5);
    // Without clamps RAROC is about hurdle + margin / K = 12% + 0.5% / 2.848%.
    expect(p.raroc.percent).toBe('29.89%');
    for (const c of p.components) {
      expect(c.labelZh.length).toBeGreaterThan(0);
      expect(c.explainEn.length).toBeGreaterThan(0);
    }
  });

  it('spreads the fixed cost so that a tiny short loan costs more and hits the cap, saying so', () => {
    const tiny = priceLoan({ ...base, principalFen: 300_000, termMonths: 3 }, params);
    expect(Number(tiny.components.find((c) => c.key === 'operating')!.bp)).toBeGreaterThan(1000);
    expect(tiny.clamp).toBe('cap');
    expect(tiny.annualRateBp).toBe(params.product.capRateBp);
    expect(tiny.underpricedBp).toBe(tiny.roundedRateBp - params.product.capRateBp);
    expect(tiny.notesEn.join(' ')).toContain('cap');
  });

  it('raises a cheap loan to the product floor', () => {
    const highFloor: PricingParams = { ...params, product: { floorRateBp: 1200, capRateBp: 1800 } };
    const p = priceLoan({ ...base, risk: { grade: 'A' } }, highFloor);
    expect(p).toMatchObject({ clamp: 'floor', annualRateBp: 1200, underpricedBp: 0 });
  });

  it('stops at the legal ceiling when it is below the product cap', () => {
    const lax: PricingParams = {
      ...params,
      product: { floorRateBp: 350, capRateBp: 3600 },
      legalCeilingBp: 2400,
    };
    const p = priceLoan({ ...base, principalFen: 100_000, termMonths: 2, risk: { grade: 'E' } }, lax);
    expect(p).toMatchObject({ clamp: 'legal_ceiling', annualRateBp: 2400 });
  });

  it('uses the 5-year LPR for terms over five years', () => {
    const p = priceLoan(
      { ...base, termMonths: 61, security: { kind: 'mortgage', appraisedValueFen: 20_000_000 } },
      params,
    );
    expect(p.lpr).toMatchObject({ tenor: '5Y', bp: 350 });
    expect(p.risk.maturityYears).toBe(5);
  });

  it('charges more for a worse grade and less for better security', () => {
    const rate = (input: Partial<PriceLoanInput>) => priceLoan({ ...base, ...input }, params).annualRateBp;
    expect(rate({ risk: { grade: 'D' } })).toBeGreaterThan(rate({ risk: { grade: 'B' } }));
    expect(rate({ security: { kind: 'credit' } })).toBeGreaterThan(
      rate({ security: { kind: 'mortgage', appraisedValueFen: 20_000_000 } }),
    );
  });

  it('applies the SME firm-size adjustment to corporate loans, with sales converted from yuan', () => {
    const corp = { ...base, assetClass: 'corporate' as const };
    const large = priceLoan(corp, params);
    // 39 million yuan at 7.8 yuan per euro is EUR 5 million: the full 0.04 reduction of R.
    const sme = priceLoan({ ...corp, annualSalesFen: 3_900_000_000 }, params);
    expect(sme.risk.salesEurMillions).toBeCloseTo(5, 12);
    expect(large.risk.correlation! - sme.risk.correlation!).toBeCloseTo(0.04, 12);
    expect(sme.risk.k).toBeLessThan(large.risk.k);
  });

  it('charges undrawn commitments through EAD', () => {
    const drawnOnly = priceLoan(base, params);
    const line = priceLoan({ ...base, undrawnFen: 10_000_000 }, params);
    expect(line.risk.eadFen).toBe(17_500_000);
    expect(line.annualRateBp).toBeGreaterThan(drawnOnly.annualRateBp);
  });

  it('is deterministic', () => {
    expect(priceLoan(base, params)).toEqual(priceLoan(base, params));
  });

  it('refuses bad input with stable codes', () => {
    expect(codeOf(() => priceLoan({ ...base, risk: { modelPd: 1 } }, params))).toBe('BORROWER_IN_DEFAULT');
    expect(codeOf(() => priceLoan({ ...base, risk: { modelPd: Number.NaN } }, params))).toBe(
      'PD_OUT_OF_RANGE',
    );
    expect(codeOf(() => priceLoan({ ...base, pricingDate: '2025-05-19' }, params))).toBe(
      'PRICING_PARAMS_NOT_IN_FORCE',
    );
    expect(codeOf(() => priceLoan({ ...base, pricingDate: 'tomorrow' }, params))).toBe('DATE_INVALID');
    expect(codeOf(() => priceLoan({ ...base, principalFen: 0 }, params))).toBe('AMOUNT_INVALID');
    expect(codeOf(() => priceLoan({ ...base, termMonths: 0 }, params))).toBe('TERM_INVALID');
    expect(codeOf(() => priceLoan({ ...base, repayment: 'x' as 'bullet' }, params))).toBe(
      'REPAYMENT_METHOD_UNKNOWN',
    );
    expect(codeOf(() => priceLoan({ ...base, undrawnFen: -1 }, params))).toBe('EAD_NEGATIVE');
    expect(codeOf(() => priceLoan({ ...base, assetClass: 'bank' as 'corporate' }, params))).toBe(
      'UNKNOWN_ASSET_CLASS',
    );
    const broken = { ...params, product: { floorRateBp: 2000, capRateBp: 1000 } };
    expect(codeOf(() => priceLoan(base, broken))).toBe('PRICING_PARAMS_INVALID');
  });
});

describe('priceLoan laws', () => {
  const inputArb: fc.Arbitrary<PriceLoanInput> = fc.record({
    pricingDate: fc.constantFrom('2025-05-20', '2025-12-31'),
    principalFen: fc.integer({ min: 1, max: 1_000_000_000 }),
    undrawnFen: fc.option(fc.integer({ min: 0, max: 100_000_000 }), { nil: undefined }),
    termMonths: fc.integer({ min: 1, max: 120 }),
    repayment: fc.constantFrom(...REPAYMENT_METHODS),
    risk: fc.oneof(
      fc.record({
        grade: fc.constantFrom('A' as const, 'B' as const, 'C' as const, 'D' as const, 'E' as const),
      }),
      fc.record({ modelPd: fc.double({ min: 1e-6, max: 0.9, noNaN: true }) }),
    ),
    security: fc.oneof(
      fc.constant({ kind: 'credit' as const }),
      fc.record({
        kind: fc.constant('guarantee' as const),
        coverage: fc.double({ min: 0, max: 1, noNaN: true }),
      }),
      fc.record({
        kind: fc.constant('mortgage' as const),
        appraisedValueFen: fc.integer({ min: 0, max: 2e9 }),
      }),
      fc.record({ kind: fc.constant('pledge' as const), valueFen: fc.integer({ min: 0, max: 2e9 }) }),
    ),
    assetClass: fc.constantFrom(
      'corporate' as const,
      'retail_other' as const,
      'retail_mortgage' as const,
      'retail_revolving' as const,
    ),
    annualSalesFen: fc.option(fc.integer({ min: 0, max: 1e11 }), { nil: undefined }),
  });
  const paramsArb = fc
    .record({
      floor: fc.integer({ min: 0, max: 1500 }),
      width: fc.integer({ min: 0, max: 2000 }),
      step: fc.constantFrom(1, 5, 10, 25),
    })
    .map(({ floor, width, step }) => ({
      ...params,
      product: { floorRateBp: floor, capRateBp: floor + width },
      roundingStepBp: step,
    }));

  it('never prices outside the floor, the cap and the legal ceiling, and never yields NaN', () => {
    fc.assert(
      fc.property(inputArb, paramsArb, (input, p) => {
        const price = priceLoan(input, p);
        expect(price.annualRateBp).toBeGreaterThanOrEqual(p.product.floorRateBp);
        expect(price.annualRateBp).toBeLessThanOrEqual(Math.min(p.product.capRateBp, p.legalCeilingBp));
        expect(Number.isSafeInteger(price.annualRateBp)).toBe(true);
        if (price.clamp === 'none') expect(price.annualRateBp % p.roundingStepBp).toBe(0);
        for (const c of price.components) expect(Number.isSafeInteger(c.centiBp)).toBe(true);
        expect(Number.isFinite(price.apr.nominalAnnual)).toBe(true);
        if (price.raroc.value !== null) expect(Number.isFinite(price.raroc.value)).toBe(true);
        expect(JSON.stringify(price)).not.toMatch(/NaN|Infinity/);
      }),
      { numRuns: 150 },
    );
  });

  it('meets the hurdle rate whenever the price was not cut by a cap', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        fc.pre(input.principalFen >= 1_000_000);
        const price = priceLoan(input, params);
        fc.pre(price.clamp === 'none' || price.clamp === 'floor');
        expect(price.raroc.value!).toBeGreaterThanOrEqual(params.hurdleRateBp / 10_000 - 1e-3);
      }),
      { numRuns: 150 },
    );
  });
});
