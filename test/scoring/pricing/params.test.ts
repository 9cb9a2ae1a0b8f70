import { describe, expect, it } from 'vitest';
import {
  defaultPricingParams,
  lprOn,
  parsePricingParams,
  selectParams,
} from '../../../src/scoring/pricing/params.js';
import type { PricingParams } from '../../../src/scoring/pricing/params.js';

const clone = (): PricingParams => structuredClone(defaultPricingParams) as PricingParams;

const refusal = (raw: unknown) => {
  try {
    parsePricingParams(raw);
  } catch (e) {
    return e as { code: string; message: string; details: { field: string; fields: { path: string }[] } };
  }
  throw new Error('expected a refusal');
};

describe('pricing parameters', () => {
  it('accepts the default set, with the LPR of 2025-05-20 (1-year 3.0%, 5-year 3.5%)', () => {
    const p = parsePricingParams(defaultPricingParams);
    expect(p.lpr).toEqual([{ effectiveFrom: '2025-05-20', oneYearBp: 300, fiveYearBp: 350 }]);
    expect(p.pdFloor).toBe(0.0003);
    expect(p.scaling106).toBe(false);
  });

  it('refuses a master scale with a missing grade, naming the grade', () => {
    const raw = clone() as unknown as { pdMasterScale: Record<string, number> };
    delete raw.pdMasterScale.C;
    const e = refusal(raw);
    expect(e.code).toBe('PRICING_PARAMS_INVALID');
    expect(e.details.field).toBe('pdMasterScale.C');
    expect(e.message).toContain('pdMasterScale.C');
  });

  it('refuses a floor rate above the cap, naming product.floorRateBp', () => {
    const raw = clone();
    raw.product = { floorRateBp: 2000, capRateBp: 1500 };
    const e = refusal(raw);
    expect(e.code).toBe('PRICING_PARAMS_INVALID');
    expect(e.details.field).toBe('product.floorRateBp');
  });

  it('refuses a master scale whose PD does not rise from A to E', () => {
    const raw = clone();
    raw.pdMasterScale = { A: 0.01, B: 0.01, C: 0.02, D: 0.04, E: 0.08 };
    expect(refusal(raw).details.field).toBe('pdMasterScale.B');
  });

  it('refuses other gaps and contradictions with the offending field', () => {
    const cases: [(p: Record<string, unknown>) => void, string][] = [
      [(p) => delete p.hurdleRateBp, 'hurdleRateBp'],
      [(p) => (p.roundingStepBp = 0), 'roundingStepBp'],
      [(p) => (p.lpr = []), 'lpr'],
      [
        (p) => (p.lpr = [{ effectiveFrom: '2025-13-01', oneYearBp: 300, fiveYearBp: 350 }]),
        'lpr.0.effectiveFrom',
      ],
      [(p) => (p.lpr = [{ effectiveFrom: '2026-01-01', oneYearBp: 300, fiveYearBp: 350 }]), 'lpr'],
      [
        (p) => ((p.operatingCost as Record<string, unknown>).fixedCostPerLoanYuan = '3.005'),
        'operatingCost.fixedCostPerLoanYuan',
      ],
      [(p) => ((p.lgd as Record<string, unknown>).floor = 0.6), 'lgd.floor'],
      [(p) => (p.cnyPerEur = 0), 'cnyPerEur'],
      [(p) => (p.defaultAssetClass = 'sovereign'), 'defaultAssetClass'],
      [(p) => (p.ftpSpreadBp = 12.5), 'ftpSpreadBp'],
    ];
    for (const [mutate, field] of cases) {
      const raw = clone() as unknown as Record<string, unknown>;
      mutate(raw);
      const e = refusal(raw);
      expect(e.code, field).toBe('PRICING_PARAMS_INVALID');
      expect(
        e.details.fields.map((f) => f.path),
        field,
      ).toContain(field);
    }
  });

  it('ships the default set frozen so no caller can change it for everyone', () => {
    expect(Object.isFrozen(defaultPricingParams)).toBe(true);
    expect(Object.isFrozen(defaultPricingParams.pdMasterScale)).toBe(true);
  });
});

describe('selectParams', () => {
  const v1 = { ...clone(), version: 'v1', effectiveFrom: '2025-05-20' };
  const v2 = { ...clone(), version: 'v2', effectiveFrom: '2025-09-01' };

  it('chooses the latest set whose effective date is not after the day', () => {
    expect(selectParams([v2, v1], '2025-05-20').version).toBe('v1');
    expect(selectParams([v2, v1], '2025-08-31').version).toBe('v1');
    expect(selectParams([v1, v2], '2025-09-01').version).toBe('v2');
    expect(selectParams([v1, v2], '2030-01-01').version).toBe('v2');
  });

  it('refuses a day before any set with PRICING_PARAMS_NOT_IN_FORCE', () => {
    expect(() => selectParams([v1, v2], '2025-05-19')).toThrow(
      expect.objectContaining({ code: 'PRICING_PARAMS_NOT_IN_FORCE' }),
    );
  });

  it('refuses two sets taking effect the same day with PRICING_PARAMS_AMBIGUOUS', () => {
    expect(() => selectParams([v1, { ...v1, version: 'v1b' }], '2025-06-01')).toThrow(
      expect.objectContaining({ code: 'PRICING_PARAMS_AMBIGUOUS' }),
    );
  });

  it('refuses a malformed day with DATE_INVALID', () => {
    expect(() => selectParams([v1], '2025/06/01')).toThrow(expect.objectContaining({ code: 'DATE_INVALID' }));
  });
});

describe('lprOn', () => {
  it('returns the LPR entry in force on the day', () => {
    const p = clone();
    p.lpr = [
      { effectiveFrom: '2024-10-21', oneYearBp: 310, fiveYearBp: 360 },
      { effectiveFrom: '2025-05-20', oneYearBp: 300, fiveYearBp: 350 },
    ];
    expect(lprOn(p, '2025-05-19').oneYearBp).toBe(310);
    expect(lprOn(p, '2025-05-20').oneYearBp).toBe(300);
    expect(() => lprOn(p, '2024-01-01')).toThrow(
      expect.objectContaining({ code: 'PRICING_LPR_NOT_IN_FORCE' }),
    );
  });
});
