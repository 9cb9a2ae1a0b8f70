import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  REPAYMENT_METHODS,
  buildSchedule,
  equalInstalmentFen,
  scheduleApr,
} from '../../../src/scoring/pricing/schedule.js';
import type { RepaymentMethod } from '../../../src/scoring/pricing/schedule.js';
import { codeOf } from './helpers.js';

const scheduleArb = fc.record({
  principalFen: fc.integer({ min: 1, max: 5_000_000_000 }),
  termMonths: fc.integer({ min: 1, max: 120 }),
  annualRateBp: fc.integer({ min: 0, max: 3600 }),
  method: fc.constantFrom(...REPAYMENT_METHODS),
});

describe('repayment schedules', () => {
  it('gives the familiar 等额本息 instalments: 100,000 yuan, 12 months, 4.35% → 8,530.99; 1,000,000, 20 years, 4.9% → 6,544.44', () => {
    expect(equalInstalmentFen(10_000_000, 12, 435)).toBe(853_099);
    expect(equalInstalmentFen(100_000_000, 240, 490)).toBe(654_444);
  });

  it('charges 等额本金 principal / n plus interest on the balance: first month 8,333.33 + 362.50', () => {
    const s = buildSchedule({
      principalFen: 10_000_000,
      termMonths: 12,
      annualRateBp: 435,
      method: 'equal_principal',
    });
    expect(s.instalments[0]).toMatchObject({
      principalFen: 833_333,
      interestFen: 36_250,
      paymentFen: 869_583,
    });
    // The rounding remainder goes into the last month.
    expect(s.instalments[11]!.principalFen).toBe(833_337);
  });

  it('charges 先息后本 interest every month and the principal in the last', () => {
    const s = buildSchedule({
      principalFen: 10_000_000,
      termMonths: 6,
      annualRateBp: 600,
      method: 'interest_only',
    });
    expect(s.instalments.map((r) => r.paymentFen)).toEqual([
      50_000, 50_000, 50_000, 50_000, 50_000, 10_050_000,
    ]);
  });

  it('charges 到期一次还本付息 simple interest with the principal in one payment at maturity', () => {
    const s = buildSchedule({ principalFen: 10_000_000, termMonths: 6, annualRateBp: 600, method: 'bullet' });
    expect(s.instalments).toEqual([
      {
        period: 6,
        openingBalanceFen: 10_000_000,
        principalFen: 10_000_000,
        interestFen: 300_000,
        paymentFen: 10_300_000,
        closingBalanceFen: 0,
      },
    ]);
    expect(s.balanceMonthsFen).toBe(60_000_000);
  });

  it('repays exactly the loan in whole fen, with balances that never go negative', () => {
    fc.assert(
      fc.property(scheduleArb, (input) => {
        const s = buildSchedule(input);
        expect(s.totalPrincipalFen).toBe(input.principalFen);
        expect(s.instalments.at(-1)!.closingBalanceFen).toBe(0);
        for (const row of s.instalments) {
          for (const v of [row.principalFen, row.interestFen, row.paymentFen, row.closingBalanceFen]) {
            expect(Number.isSafeInteger(v) && v >= 0).toBe(true);
          }
          expect(row.paymentFen).toBe(row.principalFen + row.interestFen);
          expect(row.closingBalanceFen).toBe(row.openingBalanceFen - row.principalFen);
        }
        expect(s.totalPaymentFen).toBe(s.totalPrincipalFen + s.totalInterestFen);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps 等额本息 payments level; the last absorbs only the compounded fen rounding', () => {
    fc.assert(
      fc.property(scheduleArb, (input) => {
        const s = buildSchedule({
          ...input,
          principalFen: input.principalFen + 1_000_000,
          method: 'equal_instalment',
        });
        const a = equalInstalmentFen(s.principalFen, s.termMonths, s.annualRateBp);
        for (const row of s.instalments.slice(0, -1)) expect(row.paymentFen).toBe(a);
        // Each month's ±½ fen (instalment and interest rounding) grows with the balance at (1 + i).
        const i = s.annualRateBp / 120_000;
        const bound = i === 0 ? s.termMonths : ((1 + i) ** s.termMonths - 1) / i;
        expect(Math.abs(s.instalments.at(-1)!.paymentFen - a)).toBeLessThanOrEqual(bound + 1);
      }),
      { numRuns: 100 },
    );
  });

  it('refuses bad inputs with AMOUNT_INVALID, TERM_INVALID, RATE_INVALID and REPAYMENT_METHOD_UNKNOWN', () => {
    const ok = {
      principalFen: 100_000,
      termMonths: 12,
      annualRateBp: 500,
      method: 'equal_instalment' as RepaymentMethod,
    };
    expect(codeOf(() => buildSchedule({ ...ok, principalFen: 0 }))).toBe('AMOUNT_INVALID');
    expect(codeOf(() => buildSchedule({ ...ok, principalFen: 10.5 }))).toBe('AMOUNT_INVALID');
    expect(codeOf(() => buildSchedule({ ...ok, termMonths: 0 }))).toBe('TERM_INVALID');
    expect(codeOf(() => buildSchedule({ ...ok, annualRateBp: -1 }))).toBe('RATE_INVALID');
    expect(codeOf(() => buildSchedule({ ...ok, annualRateBp: 4.5 }))).toBe('RATE_INVALID');
    expect(codeOf(() => buildSchedule({ ...ok, method: 'balloon' as RepaymentMethod }))).toBe(
      'REPAYMENT_METHOD_UNKNOWN',
    );
  });
});

describe('APR', () => {
  it('equals the contract rate for monthly-paying schedules without fees', () => {
    fc.assert(
      fc.property(scheduleArb, (input) => {
        fc.pre(input.method !== 'bullet' && input.principalFen >= 1_000_000);
        const schedule = buildSchedule(input);
        const apr = scheduleApr(schedule);
        // Rounding moves each month's interest by at most ½ fen, i.e. the yearly rate by ½ × 12 / balance; twice
        // that bounds the effect on the IRR (about 1e-7 on a 100,000-yuan loan).
        const tolerance = (12 * input.termMonths) / schedule.balanceMonthsFen + 1e-12;
        expect(Math.abs(apr.nominalAnnual - input.annualRateBp / 10_000)).toBeLessThanOrEqual(tolerance);
      }),
      { numRuns: 100 },
    );
  });

  it('annualises a bullet loan: effective APR equals simple interest over one year', () => {
    const s = buildSchedule({
      principalFen: 10_000_000,
      termMonths: 12,
      annualRateBp: 435,
      method: 'bullet',
    });
    const apr = scheduleApr(s);
    expect(apr.effectiveAnnualPercent).toBe('4.3500%');
    expect(apr.nominalAnnualPercent).toBe('4.2656%');
  });

  it('rises with fees', () => {
    const s = buildSchedule({
      principalFen: 10_000_000,
      termMonths: 12,
      annualRateBp: 435,
      method: 'equal_instalment',
    });
    const plain = scheduleApr(s);
    const upfront = scheduleApr(s, { upfrontFen: 100_000 });
    const both = scheduleApr(s, { upfrontFen: 100_000, monthlyFen: 1_000 });
    expect(plain.nominalAnnualPercent).toBe('4.3500%');
    expect(upfront.nominalAnnual).toBeGreaterThan(plain.nominalAnnual);
    expect(both.nominalAnnual).toBeGreaterThan(upfront.nominalAnnual);
    expect(upfront.effectiveAnnual).toBeGreaterThan(upfront.nominalAnnual);
  });

  it('refuses an upfront fee as large as the loan with FEE_INVALID', () => {
    const s = buildSchedule({
      principalFen: 100_000,
      termMonths: 12,
      annualRateBp: 435,
      method: 'equal_instalment',
    });
    expect(codeOf(() => scheduleApr(s, { upfrontFen: 100_000 }))).toBe('FEE_INVALID');
    expect(codeOf(() => scheduleApr(s, { monthlyFen: -1 }))).toBe('AMOUNT_INVALID');
  });
});
