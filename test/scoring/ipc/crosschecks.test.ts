import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getTemplate } from '../../../src/cases/templates/index.js';
import type { Answers } from '../../../src/cases/templates/index.js';
import { isAppError } from '../../../src/platform/errors.js';
import {
  caseDoubts,
  defaultIpcConfig,
  equityCheck,
  parseIpcConfig,
  reconstructFinancials,
  runCrossChecks,
  salesChecks,
} from '../../../src/scoring/ipc/index.js';
import type { CheckResult, CrossCheckOptions, IpcConfig } from '../../../src/scoring/ipc/index.js';
import {
  cropsAnswers,
  groceryAnswers,
  livestockAnswers,
  processingAnswers,
  restaurantAnswers,
  transportAnswers,
} from './cases.js';

const checks = (
  id: string,
  a: Answers,
  options: CrossCheckOptions = {},
  config: IpcConfig = defaultIpcConfig,
) => runCrossChecks(reconstructFinancials(getTemplate(id), a), config, options);
const verdicts = (rs: CheckResult[]) => Object.fromEntries(rs.map((r) => [r.name, r.verdict]));
const check = (rs: CheckResult[], name: string) => {
  const r = rs.find((x) => x.name === name);
  if (!r) throw new Error(`no check ${name}`);
  return r;
};

describe('worked cases: verdicts', () => {
  it('grocery: every route agrees within 15 %, margin and equity reconcile', () => {
    // instalment of a 100,000 one-year loan ≈ 8,600 a month
    const rs = checks('ipc_grocery', groceryAnswers, { proposedInstalmentFen: 860_000 });
    expect(verdicts(rs)).toEqual({
      'sales.purchases': 'pass',
      'sales.inflows': 'pass',
      'sales.stated': 'pass',
      'gross_margin.sector_range': 'pass',
      equity_reconciliation: 'pass',
      inventory_days: 'pass',
      receivable_days: 'pass',
      'household.spending_per_person': 'pass',
      'repayment.instalment_share': 'pass',
      'repayment.new_debt_to_cash_flow': 'pass',
      'repayment.guarantees_to_net_worth': 'pass',
      'repayment.non_bank_share': 'pass',
    });
    // (138,600 − 148,204.16) / 138,600 = −6.93 %
    expect(check(rs, 'sales.purchases').deviationPct).toBeCloseTo(-6.9294, 3);
    // (138,600 − 133,333.33) / 138,600 = +3.80 %
    expect(check(rs, 'sales.inflows').deviationPct).toBeCloseTo(3.7999, 3);
    // (138,600 − 150,000) / 138,600 = −8.23 %
    expect(check(rs, 'sales.stated').deviationPct).toBeCloseTo(-8.2251, 3);
    expect(check(rs, 'sales.inflows').tolerance).toEqual({ warn: 15, fail: 30 });
    // expected = 140,000 + 12 × (24,620.90 + 1,000 − 4,000 − 350) = 395,250.80; actual 393,000 → −0.57 %
    const eq = check(rs, 'equity_reconciliation');
    expect(eq.expected).toBe(39_525_080);
    expect(eq.observed).toBe(39_300_000);
    expect(eq.deviationPct).toBeCloseTo(-0.5727, 3);
    // 110,000 / 109,979.10 × 30 = 30.0 days; 3,000 / 138,600 × 30 = 0.65 days
    expect(check(rs, 'inventory_days').observed).toBeCloseTo(30.0057, 3);
    expect(check(rs, 'receivable_days').observed).toBeCloseTo(0.6494, 3);
    // 8,600 / 19,520.90 = 0.44; 50,000 / 12 / 24,620.90 = 0.17; 20,000 / 70,000 = 0.29
    expect(check(rs, 'repayment.instalment_share').observed).toBeCloseTo(0.4406, 3);
    expect(check(rs, 'repayment.new_debt_to_cash_flow').observed).toBeCloseTo(0.1692, 3);
    expect(check(rs, 'repayment.non_bank_share').observed).toBeCloseTo(2 / 7, 10);
    expect(caseDoubts(rs)).toEqual([]);
  });

  it('restaurant: all borrowing is private, so the non-bank share warns', () => {
    const rs = checks('ipc_restaurant', restaurantAnswers, { proposedInstalmentFen: 700_000 });
    expect(verdicts(rs)).toMatchObject({
      'sales.takings': 'pass', // −2.63 %
      'sales.purchases': 'pass', // −2.43 %
      'sales.inflows': 'pass', // −0.23 %
      'sales.stated': 'not_applicable',
      'gross_margin.sector_range': 'pass', // 65.3 % in 30–70 %
      equity_reconciliation: 'not_applicable',
      inventory_days: 'pass', // 5,000 / 30,264 × 30 = 4.96 days
      'repayment.instalment_share': 'pass', // 7,000 / 23,386 = 0.30
      'repayment.non_bank_share': 'warn', // 30,000 / 30,000 = 1.0 > 0.5
    });
    expect(check(rs, 'sales.takings').deviationPct).toBeCloseTo(-2.6346, 3);
    expect(check(rs, 'inventory_days').observed).toBeCloseTo(4.9564, 3);
    expect(caseDoubts(rs).map((d) => [d.factId, d.level])).toEqual([
      ['debt.nonbank', 'warn'],
      ['debt.total', 'warn'],
    ]);
  });

  it('crops: routes agree; stock is seasonal, so inventory days do not apply', () => {
    const rs = checks('ipc_crops', cropsAnswers, { proposedInstalmentFen: 90_000 });
    expect(verdicts(rs)).toMatchObject({
      'sales.buyer': 'pass', // (7,540 − 7,083.33) / 7,540 = +6.06 %
      'sales.purchases': 'pass', // 28,000 / 12 × 7,540 / 2,250 = 7,819.26 → −3.70 %
      'sales.inflows': 'pass', // 80,000 / 12 / 0.9 = 7,407.41 → +1.76 %
      'gross_margin.sector_range': 'pass', // 70.2 % in 40–80 %
      inventory_days: 'not_applicable',
      'household.spending_per_person': 'pass', // 2,400 / 3 = 800 = the floor
      'repayment.instalment_share': 'pass', // 900 / 1,390 = 0.65
    });
    expect(check(rs, 'sales.buyer').deviationPct).toBeCloseTo(6.0566, 3);
    expect(check(rs, 'sales.purchases').deviationPct).toBeCloseTo(-3.7036, 3);
    expect(check(rs, 'repayment.instalment_share').observed).toBeCloseTo(900 / 1390, 10);
  });

  it('livestock: 700 CNY per person a month is below the floor of 800', () => {
    const rs = checks('ipc_livestock', livestockAnswers, { proposedInstalmentFen: 100_000 });
    expect(verdicts(rs)).toMatchObject({
      'sales.buyer': 'pass', // 1,200,000 / 12 = 100,000 → +5.96 %
      'sales.purchases': 'pass', // (55,000 + 30,000 + 3,750) × 1,760 / 1,500 = 104,133.33 → +2.07 %
      'sales.inflows': 'pass', // 1,180,000 / 12 = 98,333.33 → +7.52 %
      'gross_margin.sector_range': 'pass', // 14.8 % in 5–35 %
      inventory_days: 'not_applicable',
      'household.spending_per_person': 'warn', // 3,500 / 5 = 700: −12.5 %
      'repayment.instalment_share': 'pass', // 1,000 / 2,908.33 = 0.34
      'repayment.new_debt_to_cash_flow': 'pass', // 100,000 / 12 / 9,408.33 = 0.89
      'repayment.guarantees_to_net_worth': 'pass', // 100,000 / 608,000 = 0.16
      'repayment.non_bank_share': 'pass', // 50,000 / 250,000 = 0.2
    });
    expect(check(rs, 'household.spending_per_person').deviationPct).toBeCloseTo(-12.5, 10);
    expect(check(rs, 'repayment.new_debt_to_cash_flow').observed).toBeCloseTo(100_000_00 / 12 / 940_833, 10);
    expect(caseDoubts(rs).map((d) => d.factId)).toEqual(['household.size', 'household.spending']);
  });

  it('transport: equity reconciles after a year of profit, spending and depreciation', () => {
    const rs = checks('ipc_transport', transportAnswers, { proposedInstalmentFen: 1_300_000 });
    // expected = 400,000 + 12 × (44,980 − 5,000 − 8,333.33) = 779,760.04; actual 780,000 → +0.03 %
    const eq = check(rs, 'equity_reconciliation');
    expect(eq.expected).toBe(77_976_004);
    expect(eq.deviationPct).toBeCloseTo(0.0308, 3);
    expect(verdicts(rs)).toMatchObject({
      'sales.freight_stated': 'pass', // 7,200 × 16 = 115,200 → +4 %
      'sales.purchases': 'pass', // 59,000 × 120,000 / 59,520 = 118,951.61 → +0.87 %
      'sales.inflows': 'pass', // 330,000 / 3 = 110,000 → +8.33 %
      equity_reconciliation: 'pass',
      receivable_days: 'pass', // 120,000 / 120,000 × 30 = 30 days
      'repayment.instalment_share': 'pass', // 13,000 / 29,480 = 0.44
    });
    expect(check(rs, 'receivable_days').observed).toBe(30);
  });

  it('processing: an instalment of 98.9 % of disposable income warns, above 100 % fails', () => {
    // 8,600 / 8,700 = 0.9885 > 0.7 and ≤ 1.0
    const rs = checks('ipc_processing', processingAnswers, { proposedInstalmentFen: 860_000 });
    expect(verdicts(rs)).toMatchObject({
      'sales.electricity': 'pass', // 2,400 / 0.8 / 48 = 62.5 pieces × 1,500 = 93,750 → −4.17 %
      'sales.purchases': 'pass', // 46,000 × 1,500 / 800 = 86,250 → +4.17 %
      'sales.inflows': 'pass', // 255,000 / 3 / 0.9 = 94,444.44 → −4.94 %
      inventory_days: 'pass', // 120,000 / 48,000 × 30 = 75 days in 15–90
      receivable_days: 'pass', // 45,000 / 90,000 × 30 = 15 days
      'repayment.instalment_share': 'warn',
    });
    expect(check(rs, 'inventory_days').observed).toBe(75);
    expect(check(rs, 'repayment.instalment_share').observed).toBeCloseTo(8600 / 8700, 10);
    const over = checks('ipc_processing', processingAnswers, { proposedInstalmentFen: 900_000 });
    expect(check(over, 'repayment.instalment_share').verdict).toBe('fail');
  });
});

describe('fabricated and doubtful cases', () => {
  it('fails the sales check when account inflows are 40 % below the reported takings', () => {
    // 138,600 × 0.6 = 83,160 of inflows with no cash sales → (138,600 − 83,160) / 138,600 = +40 %
    const a = {
      ...groceryAnswers,
      inflow_bank: 23_160,
      inflow_wechat: 45_000,
      inflow_alipay: 15_000,
      cash_sales_share_pct: 0,
    };
    const rs = checks('ipc_grocery', a);
    const s = check(rs, 'sales.inflows');
    expect(s.deviationPct).toBeCloseTo(40, 10);
    expect(s.verdict).toBe('fail');
    expect(s.explanation['zh-CN']).toContain('40.0%');
    const doubts = caseDoubts(rs);
    expect(doubts[0]).toMatchObject({ factId: 'account.inflows', level: 'fail', checks: ['sales.inflows'] });
    expect(doubts.find((d) => d.factId === 'sales.monthly')?.level).toBe('fail');
    expect(doubts[0]?.sources).toEqual(expect.arrayContaining(['inflow_bank', 'cash_sales_share_pct']));
  });

  it('warns between 15 % and 30 % and passes at the boundary of 15 %', () => {
    const rs = salesChecks(
      reconstructFinancials(getTemplate('ipc_grocery'), { ...groceryAnswers, sales_monthly_stated: 110_880 }),
    );
    // (138,600 − 110,880) / 138,600 = 20 %
    expect(rs.find((r) => r.name === 'sales.stated')?.verdict).toBe('warn');
    const edge = salesChecks(
      reconstructFinancials(getTemplate('ipc_grocery'), { ...groceryAnswers, sales_monthly_stated: 117_810 }),
    );
    // (138,600 − 117,810) / 138,600 = 15 % exactly
    expect(edge.find((r) => r.name === 'sales.stated')?.verdict).toBe('pass');
  });

  it('warns on a margin outside the sector range', () => {
    // all tobacco: 8 % < 15 %
    const a = {
      ...groceryAnswers,
      tobacco_share_pct: 100,
      liquor_share_pct: 0,
      grain_oil_share_pct: 0,
      drinks_share_pct: 0,
      general_share_pct: 0,
    };
    const r = check(checks('ipc_grocery', a), 'gross_margin.sector_range');
    expect(r.verdict).toBe('warn');
    // (0.15 − 0.08) / 0.15 = 46.7 % below the low bound
    expect(r.deviationPct).toBeCloseTo(46.6667, 3);
  });

  it('reads unexplained wealth in the equity reconciliation as a fail', () => {
    // a start equity of 300,000 makes the expected 555,250.80 against 393,000 actual: −41.3 %
    const f = reconstructFinancials(getTemplate('ipc_grocery'), {
      ...groceryAnswers,
      previous_equity: 300_000,
    });
    const r = equityCheck(f);
    expect(r.verdict).toBe('fail');
    expect(r.deviationPct).toBeCloseTo(((39_300_000 - 55_525_080) / 39_300_000) * 100, 10);
    expect(r.explanation['en-US']).toMatch(/inflated/);
    // 240,000 → expected 495,250.80: (393,000 − 495,250.80) / 393,000 = −26 % → fail; 180,000 → −10.75 % → warn
    expect(
      equityCheck(
        reconstructFinancials(getTemplate('ipc_grocery'), { ...groceryAnswers, previous_equity: 180_000 }),
      ).verdict,
    ).toBe('warn');
  });

  it('warns on guarantees above twice the net worth and on heavy new borrowing', () => {
    const a = {
      ...groceryAnswers,
      has_guarantees: true,
      guarantees_given: 800_000,
      new_borrowing_last_12m: 400_000,
    };
    const rs = checks('ipc_grocery', a);
    // 800,000 / 393,000 = 2.04 > 2; 400,000 / 12 / 24,620.90 = 1.35 > 1.2
    expect(check(rs, 'repayment.guarantees_to_net_worth').verdict).toBe('warn');
    expect(check(rs, 'repayment.new_debt_to_cash_flow').verdict).toBe('warn');
    expect(check(rs, 'repayment.guarantees_to_net_worth').sources).toContain('guarantees_given');
  });

  it('does not judge a repayment share without a proposed instalment', () => {
    expect(check(checks('ipc_grocery', groceryAnswers), 'repayment.instalment_share').verdict).toBe(
      'not_applicable',
    );
  });
});

describe('configuration', () => {
  it('applies a sector’s own tolerance', () => {
    const cfg = structuredClone(defaultIpcConfig);
    cfg.sectors.grocery.sales = { warn: 0.05, fail: 0.1 };
    expect(check(checks('ipc_grocery', groceryAnswers, {}, cfg), 'sales.purchases').verdict).toBe('warn');
  });

  it('rejects a tolerance whose fail is below its warn with VALIDATION_FAILED', () => {
    const bad = structuredClone(defaultIpcConfig) as unknown as { equity: { warn: number; fail: number } };
    bad.equity = { warn: 0.3, fail: 0.1 };
    try {
      parseIpcConfig(bad);
      expect.unreachable();
    } catch (e) {
      expect(isAppError(e) && e.code).toBe('VALIDATION_FAILED');
    }
    expect(parseIpcConfig(structuredClone(defaultIpcConfig))).toEqual(defaultIpcConfig);
  });
});

describe('laws', () => {
  const money = [
    'takings_normal_day',
    'takings_peak_day',
    'purchase_amount_per_time',
    'inflow_bank',
    'inflow_wechat',
    'inflow_alipay',
    'sales_monthly_stated',
  ];

  it('gives a positive sales deviation exactly when the check route is below the reported sales', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1_000, max: 400_000 }), (stated) => {
        const f = reconstructFinancials(getTemplate('ipc_grocery'), {
          ...groceryAnswers,
          sales_monthly_stated: stated,
        });
        const r = salesChecks(f).find((x) => x.name === 'sales.stated') as CheckResult;
        const reported = f.pnlMonthly.revenue.amountFen;
        expect(Math.sign(r.deviationPct ?? NaN)).toBe(Math.sign(reported - stated * 100));
      }),
      { numRuns: 60 },
    );
  });

  it('leaves every sales deviation unchanged when all money inputs are scaled by k', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 50 }), (k) => {
        const scaled: Record<string, unknown> = { ...groceryAnswers };
        for (const id of money) scaled[id] = (groceryAnswers[id] as number) * k;
        const base = salesChecks(reconstructFinancials(getTemplate('ipc_grocery'), groceryAnswers));
        const big = salesChecks(reconstructFinancials(getTemplate('ipc_grocery'), scaled as Answers));
        base.forEach((r, i) => expect(big[i]?.deviationPct).toBeCloseTo(r.deviationPct as number, 4));
      }),
      { numRuns: 30 },
    );
  });
});
