import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { effectiveMaturity, exposureAtDefault } from '../../../src/scoring/pricing/ead.js';
import { lgdFor, pdFromGrade, pdFromModel } from '../../../src/scoring/pricing/lgd.js';
import type { Security } from '../../../src/scoring/pricing/lgd.js';
import { defaultPricingParams as params } from '../../../src/scoring/pricing/params.js';
import type { Grade } from '../../../src/scoring/pricing/params.js';
import { codeOf } from './helpers.js';

describe('PD', () => {
  it('reads the master scale and floors it', () => {
    expect(pdFromGrade('A', params)).toBe(0.005);
    expect(pdFromGrade('E', params)).toBe(0.08);
    const low = { ...params, pdMasterScale: { ...params.pdMasterScale, A: 0.0001 } };
    expect(pdFromGrade('A', low)).toBe(0.0003);
    expect(codeOf(() => pdFromGrade('F' as Grade, params))).toBe('GRADE_UNKNOWN');
  });

  it('floors a model probability and refuses one outside (0, 1]', () => {
    expect(pdFromModel(0.00001, params)).toBe(0.0003);
    expect(pdFromModel(0.042, params)).toBe(0.042);
    for (const bad of [0, -0.1, 1.5, Number.NaN])
      expect(codeOf(() => pdFromModel(bad, params))).toBe('PD_OUT_OF_RANGE');
  });
});

describe('LGD', () => {
  const ead = 10_000_000; // 100,000 yuan

  it('uses the unsecured LGD for a credit-only loan', () => {
    expect(lgdFor({ kind: 'credit' }, ead, params)).toMatchObject({
      lgd: 0.45,
      coveredShare: 0,
      floored: false,
    });
  });

  it('blends guaranteed and unsecured LGD by guarantee coverage', () => {
    expect(lgdFor({ kind: 'guarantee', coverage: 0.5 }, ead, params).lgd).toBeCloseTo(
      0.5 * 0.35 + 0.5 * 0.45,
      15,
    );
  });

  it('covers the exposure with the appraised value after the haircut', () => {
    // 100,000 yuan appraised, 30% haircut → 70,000 covers 70% of a 100,000 loan.
    const r = lgdFor({ kind: 'mortgage', appraisedValueFen: 10_000_000 }, ead, params);
    expect(r.coveredShare).toBeCloseTo(0.7, 15);
    expect(r.lgd).toBeCloseTo(0.7 * 0.2 + 0.3 * 0.45, 15);
  });

  it('applies the LGD floor when the collateral is ample', () => {
    const strict = {
      ...params,
      lgd: { ...params.lgd, pledge: { haircut: 0, securedLgd: 0.02 }, floor: 0.1 },
    };
    const r = lgdFor({ kind: 'pledge', valueFen: 50_000_000 }, ead, strict);
    expect(r).toMatchObject({ lgd: 0.1, coveredShare: 1, floored: true });
  });

  it('never rises with more collateral and stays within [floor, unsecured]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e10 }),
        fc.integer({ min: 0, max: 1e10 }),
        fc.integer({ min: 0, max: 1e10 }),
        fc.constantFrom<'mortgage' | 'pledge'>('mortgage', 'pledge'),
        (e, a, b, kind) => {
          const sec = (v: number): Security =>
            kind === 'mortgage' ? { kind, appraisedValueFen: v } : { kind, valueFen: v };
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          const lgdLo = lgdFor(sec(lo), e, params).lgd;
          const lgdHi = lgdFor(sec(hi), e, params).lgd;
          expect(lgdHi).toBeLessThanOrEqual(lgdLo + 1e-15);
          expect(lgdHi).toBeGreaterThanOrEqual(params.lgd.floor);
          expect(lgdLo).toBeLessThanOrEqual(params.lgd.unsecured + 1e-15);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses bad security with its own code', () => {
    expect(codeOf(() => lgdFor({ kind: 'guarantee', coverage: 1.2 }, ead, params))).toBe(
      'GUARANTEE_COVERAGE_OUT_OF_RANGE',
    );
    expect(codeOf(() => lgdFor({ kind: 'mortgage', appraisedValueFen: -1 }, ead, params))).toBe(
      'AMOUNT_INVALID',
    );
    expect(codeOf(() => lgdFor({ kind: 'land' } as unknown as Security, ead, params))).toBe(
      'SECURITY_KIND_UNKNOWN',
    );
  });
});

describe('EAD and maturity', () => {
  it('adds the converted undrawn amount, rounded half-up to the fen', () => {
    expect(exposureAtDefault({ drawnFen: 1000, ccf: 0.75 })).toBe(1000);
    expect(exposureAtDefault({ drawnFen: 1000, undrawnFen: 1000, ccf: 0.75 })).toBe(1750);
    expect(exposureAtDefault({ drawnFen: 0, undrawnFen: 3, ccf: 0.5 })).toBe(2);
  });

  it('refuses negative amounts with EAD_NEGATIVE and a CCF outside [0, 1]', () => {
    expect(codeOf(() => exposureAtDefault({ drawnFen: -1, ccf: 0.75 }))).toBe('EAD_NEGATIVE');
    expect(codeOf(() => exposureAtDefault({ drawnFen: 1, undrawnFen: -5, ccf: 0.75 }))).toBe('EAD_NEGATIVE');
    expect(codeOf(() => exposureAtDefault({ drawnFen: 1.5, ccf: 0.75 }))).toBe('AMOUNT_INVALID');
    expect(codeOf(() => exposureAtDefault({ drawnFen: 1, ccf: 1.5 }))).toBe('CCF_OUT_OF_RANGE');
  });

  it('floors maturity at one year and caps it at five', () => {
    expect(effectiveMaturity(3)).toBe(1);
    expect(effectiveMaturity(18)).toBe(1.5);
    expect(effectiveMaturity(120)).toBe(5);
    for (const bad of [0, 1.5, 361, Number.NaN])
      expect(codeOf(() => effectiveMaturity(bad))).toBe('TERM_INVALID');
  });
});
