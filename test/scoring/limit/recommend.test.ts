import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../src/platform/errors.js';
import {
  defaultLimitConfig,
  limitInputFromFinancials,
  loanBurden,
  parseLimitConfig,
  recommendLimit,
  type LimitConfig,
  type LimitInput,
} from '../../../src/scoring/limit/index.js';
import { REPAYMENT_METHODS, equalInstalmentFen } from '../../../src/scoring/pricing/index.js';

const RATE = 600; // 6.00 % a year

const input = (over: Partial<LimitInput> = {}): LimitInput => ({
  disposableMonthlyFen: 1_000_000, // 10,000 CNY a month
  equityFen: 40_000_000,
  annualRateBp: RATE,
  requested: { amountFen: 10_000_000, termMonths: 12, method: 'equal_instalment' },
  ...over,
});

describe('recommendLimit', () => {
  it('offers the request as asked when every constraint allows it', () => {
    // 60,000 over 12 months at 6 % is ~5,164 a month, under the 7,000 affordable.
    const r = recommendLimit(
      input({ requested: { amountFen: 6_000_000, termMonths: 12, method: 'equal_instalment' } }),
    );
    expect(r.offer).toMatchObject({ amountFen: 6_000_000, termMonths: 12, method: 'equal_instalment' });
    expect(r.binding).toBe('none');
    expect(r.changed).toEqual({ amount: false, term: false, method: false });
    expect(r.affordableInstalmentFen).toBe(700_000);
    expect(r.offer!.maxPaymentFen).toBeGreaterThanOrEqual(equalInstalmentFen(6_000_000, 12, RATE));
  });

  it('stretches the term before cutting the amount, naming affordability as binding', () => {
    // 200,000 over 12 months is ~17,200 a month, above the 7,000 affordable; 36 months is ~6,080.
    const r = recommendLimit(
      input({ requested: { amountFen: 20_000_000, termMonths: 12, method: 'equal_instalment' } }),
    );
    expect(r.offer).toMatchObject({ amountFen: 20_000_000, termMonths: 36, method: 'equal_instalment' });
    expect(r.changed).toEqual({ amount: false, term: true, method: false });
    expect(r.binding).toBe('affordability');
    expect(r.reason['zh-CN']).toContain('月可支配收入的 70%（7,000.00 元）');
    expect(r.reason['en-US']).toContain('70% of monthly disposable income (7,000.00 CNY)');
  });

  it('cuts the amount to the affordable one, rounded down to the step', () => {
    const r = recommendLimit(
      input({ requested: { amountFen: 40_000_000, termMonths: 36, method: 'equal_instalment' } }),
    );
    expect(r.binding).toBe('affordability');
    expect(r.offer!.amountFen % defaultLimitConfig.product.amountStepFen).toBe(0);
    expect(r.offer!.burdenFen).toBeLessThanOrEqual(700_000);
    expect(loanBurden(r.offer!.amountFen + 100_000, 36, r.offer!.method, RATE).burdenFen).toBeGreaterThan(
      700_000,
    );
  });

  it('names the equity cap when net worth binds', () => {
    const r = recommendLimit(
      input({
        equityFen: 5_000_000,
        requested: { amountFen: 6_000_000, termMonths: 12, method: 'equal_instalment' },
      }),
    );
    expect(r.offer!.amountFen).toBe(5_000_000);
    expect(r.binding).toBe('equity_cap');
    expect(r.reason['en-US']).toContain('1× net worth (50,000.00 CNY)');
  });

  it('names the product maximum when it binds', () => {
    const r = recommendLimit(
      input({
        disposableMonthlyFen: 100_000_000,
        equityFen: 1e11,
        requested: { amountFen: 90_000_000, termMonths: 12, method: 'equal_instalment' },
      }),
    );
    expect(r.offer!.amountFen).toBe(50_000_000);
    expect(r.binding).toBe('product_max_amount');
  });

  it('moves a term the product does not offer to the nearest one', () => {
    const r = recommendLimit(
      input({ requested: { amountFen: 5_000_000, termMonths: 10, method: 'equal_instalment' } }),
    );
    expect(r.offer).toMatchObject({ amountFen: 5_000_000, termMonths: 9 });
    expect(r.binding).toBe('product_term');
  });

  it('keeps a bullet loan within 12 months', () => {
    const r = recommendLimit(
      input({ requested: { amountFen: 5_000_000, termMonths: 24, method: 'bullet' } }),
    );
    expect(r.offer).toMatchObject({ termMonths: 12, method: 'bullet' });
    expect(r.binding).toBe('method_max_term');
    expect(r.reason['zh-CN']).toBe('到期一次还本付息期限不得超过 12 个月');
  });

  it('makes no offer when the affordable amount is below the product minimum', () => {
    const r = recommendLimit(input({ disposableMonthlyFen: 20_000 }));
    expect(r.offer).toBeNull();
    expect(r.binding).toBe('product_min_amount');
  });

  it('makes no offer on a negative disposable income', () => {
    const r = recommendLimit(input({ disposableMonthlyFen: -500_000 }));
    expect(r.affordableInstalmentFen).toBe(0);
    expect(r.offer).toBeNull();
  });

  it('uses the configured share of disposable income', () => {
    const config: LimitConfig = { ...defaultLimitConfig, instalmentShare: 0.5 };
    expect(recommendLimit(input(), config).affordableInstalmentFen).toBe(500_000);
  });

  it('refuses a fractional amount with LIMIT_INPUT_INVALID', () => {
    try {
      recommendLimit(input({ requested: { amountFen: 10.5, termMonths: 12, method: 'bullet' } }));
      expect.unreachable();
    } catch (e) {
      expect(isAppError(e) && e.code).toBe('LIMIT_INPUT_INVALID');
    }
  });

  it('takes disposable income (after existing debt service) and equity from the IPC reconstruction', () => {
    const f = {
      household: { disposableMonthly: { amountFen: 812_345 } },
      balanceSheet: { equity: { amountFen: 9_000_000 } },
    };
    const req = { amountFen: 5_000_000, termMonths: 12, method: 'equal_principal' as const };
    expect(limitInputFromFinancials(f, req, RATE)).toEqual({
      disposableMonthlyFen: 812_345,
      equityFen: 9_000_000,
      annualRateBp: RATE,
      requested: req,
    });
    expect(recommendLimit(limitInputFromFinancials(f, req, RATE)).affordableInstalmentFen).toBe(568_641);
  });

  it('refuses a configuration whose minimum exceeds its maximum', () => {
    const bad = { ...defaultLimitConfig, product: { ...defaultLimitConfig.product, minAmountFen: 9e8 } };
    expect(() => parseLimitConfig(bad)).toThrow('The limit configuration is not valid');
  });
});

const arbInput = fc.record({
  disposableMonthlyFen: fc.integer({ min: -1_000_000, max: 20_000_000 }),
  equityFen: fc.integer({ min: -10_000_000, max: 200_000_000 }),
  annualRateBp: fc.integer({ min: 0, max: 2_400 }),
  requested: fc.record({
    amountFen: fc.integer({ min: 1, max: 80_000_000 }),
    termMonths: fc.integer({ min: 1, max: 60 }),
    method: fc.constantFrom(...REPAYMENT_METHODS),
  }),
});

describe('recommendLimit laws', () => {
  it('never recommends a burden above the affordable instalment', () => {
    fc.assert(
      fc.property(arbInput, (i) => {
        const r = recommendLimit(i);
        return r.offer === null || r.offer.burdenFen <= r.affordableInstalmentFen;
      }),
      { numRuns: 60 },
    );
  });

  it('never exceeds the product limits or the amount asked for', () => {
    const p = defaultLimitConfig.product;
    fc.assert(
      fc.property(arbInput, (i) => {
        const o = recommendLimit(i).offer;
        if (!o) return true;
        const methodMax = p.methodMaxTermMonths[o.method] ?? Infinity;
        return (
          o.amountFen >= p.minAmountFen &&
          o.amountFen <= p.maxAmountFen &&
          o.amountFen <= i.requested.amountFen &&
          p.termsMonths.includes(o.termMonths) &&
          o.termMonths <= methodMax &&
          p.methods.includes(o.method)
        );
      }),
      { numRuns: 60 },
    );
  });

  it('never yields more for asking less', () => {
    fc.assert(
      fc.property(arbInput, fc.double({ min: 0, max: 1, noNaN: true }), (i, f) => {
        const less = Math.max(1, Math.floor(i.requested.amountFen * f));
        const big = recommendLimit(i).offer?.amountFen ?? 0;
        const small =
          recommendLimit({ ...i, requested: { ...i.requested, amountFen: less } }).offer?.amountFen ?? 0;
        return small <= big;
      }),
      { numRuns: 60 },
    );
  });
});
