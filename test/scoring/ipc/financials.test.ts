import { describe, expect, it } from 'vitest';
import { getTemplate } from '../../../src/cases/templates/index.js';
import type { Answers } from '../../../src/cases/templates/index.js';
import { isAppError } from '../../../src/platform/errors.js';
import { reconstructFinancials, saleMonths } from '../../../src/scoring/ipc/index.js';
import type { Financials, Line } from '../../../src/scoring/ipc/index.js';
import {
  cropsAnswers,
  groceryAnswers,
  livestockAnswers,
  processingAnswers,
  restaurantAnswers,
  transportAnswers,
} from './cases.js';

const fin = (id: string, a: Answers) => reconstructFinancials(getTemplate(id), a);
const byId = (lines: readonly Line[], id: string) => {
  const l = lines.find((x) => x.id === id);
  if (!l) throw new Error(`no line ${id}`);
  return l;
};
const amounts = (lines: readonly Line[] | undefined) =>
  Object.fromEntries((lines ?? []).map((l) => [l.id, l.amountFen]));
const bsAmounts = (f: Financials) => amounts(f.balanceSheet.assets);

describe('grocery: a village shop in Henan', () => {
  const f = fin('ipc_grocery', groceryAnswers);

  it('rebuilds revenue from daily takings with market days and seasons', () => {
    // normal month = 4,000 × (30 − 6) + 6,000 × 6 = 96,000 + 36,000 = 132,000
    // season factor = (12 + 2 × 50% − 2 × 20%) / 12 = 12.6 / 12 = 1.05 → average month 138,600.00
    expect(f.pnlMonthly.revenue.amountFen).toBe(13_860_000);
    expect(f.pnlAnnual.revenue.amountFen).toBe(166_320_000);
    expect(amounts(f.pnlMonthly.revenue.details)).toEqual({
      tobacco: 4_158_000, // 30 %
      liquor: 2_079_000, // 15 %
      grain_oil: 2_772_000, // 20 %
      drinks: 2_079_000, // 15 %
      general: 2_772_000, // 20 %
    });
  });

  it('weights the gross margin by sales share: Σ (1 − cost/price) × share', () => {
    // cost of sales: 41,580 × 92/100 = 38,253.60; 20,790 × 70/100 = 14,553.00; 27,720 × 60/75 = 22,176.00;
    // 20,790 × 3/4 = 15,592.50; 27,720 × 7/10 = 19,404.00 → 109,979.10
    expect(amounts(f.pnlMonthly.costOfSales.details)).toEqual({
      tobacco: 3_825_360,
      liquor: 1_455_300,
      grain_oil: 2_217_600,
      drinks: 1_559_250,
      general: 1_940_400,
    });
    expect(f.pnlMonthly.costOfSales.amountFen).toBe(10_997_910);
    // 0.30 × 8 % + 0.15 × 30 % + 0.20 × 20 % + 0.15 × 25 % + 0.20 × 30 % = 20.65 %
    expect(f.grossMargin.value).toBeCloseTo(0.2065, 12);
    expect(f.grossMargin.basis).toBe('product_lines');
    expect(f.pnlMonthly.grossProfit.amountFen).toBe(2_862_090);
  });

  it('deducts operating costs, tax and interest but not depreciation from net profit', () => {
    // opex 2,000 + 0 + 800 + 500 = 3,300; tax 300; interest 400
    expect(f.pnlMonthly.operatingCosts.amountFen).toBe(330_000);
    expect(f.pnlMonthly.tax.amountFen).toBe(30_000);
    expect(f.pnlMonthly.other.amountFen).toBe(40_000);
    // 28,620.90 − 3,300 − 300 − 400 = 24,620.90
    expect(f.pnlMonthly.netProfit.amountFen).toBe(2_462_090);
    expect(f.pnlAnnual.netProfit.amountFen).toBe(29_545_080);
    // memo: fittings 30,000 / 10 / 12 = 250; tricycle 6,000 / 5 / 12 = 100
    expect(amounts(f.pnlMonthly.depreciation.details)).toEqual({ fittings: 25_000, vehicle: 10_000 });
  });

  it('builds the balance sheet at present values', () => {
    expect(bsAmounts(f)).toEqual({
      cash_and_deposits: 3_800_000, // 8,000 + 30,000
      receivables: 300_000,
      prepayments: 0,
      inventory: 11_000_000, // 40,000 + 30,000 + 15,000 + 10,000 + 15,000
      fixed_assets: 2_400_000, // fittings 30,000 × (1 − 3/10) = 21,000 + tricycle as assessed 3,000
      other_business_assets: 0,
      private_assets: 30_000_000,
    });
    const fittings = f.balanceSheet.fixedAssets[0];
    expect(fittings).toMatchObject({
      costFen: 3_000_000,
      accumulatedDepreciationFen: 900_000,
      amountFen: 2_100_000,
    });
    expect(f.balanceSheet.totalAssets.amountFen).toBe(47_500_000);
    // payables 12,000 + bank 50,000 + private 20,000 = 82,000 → equity 475,000 − 82,000 = 393,000
    expect(f.balanceSheet.totalLiabilities.amountFen).toBe(8_200_000);
    expect(f.balanceSheet.equity.amountFen).toBe(39_300_000);
    expect(f.balanceSheet.financialDebt.amountFen).toBe(7_000_000);
    expect(f.balanceSheet.nonBankDebt.amountFen).toBe(2_000_000);
  });

  it('withdraws household spending from business profit for disposable income', () => {
    // principal = 2,500 − 400 interest = 2,100; 24,620.90 + 1,000 − 4,000 − 2,100 = 19,520.90
    expect(f.household.debtPrincipalMonthly.amountFen).toBe(210_000);
    expect(f.household.disposableMonthly.amountFen).toBe(1_952_090);
  });

  it('shapes the cash flow by the seasons and keeps the year whole', () => {
    // weights: Jan–Feb 1.5, Jul–Aug 0.8, other months 1; Σ = 12.6; Jan = 1,663,200 × 1.5 / 12.6 = 198,000
    expect(f.cashFlow.map((m) => m.revenueFen)).toEqual([
      19_800_000, 19_800_000, 13_200_000, 13_200_000, 13_200_000, 13_200_000, 10_560_000, 10_560_000,
      13_200_000, 13_200_000, 13_200_000, 13_200_000,
    ]);
    // Jan: 198,000 − 157,113 − 3,300 − 700 − 4,000 + 1,000 − 2,100 = 31,787
    expect(f.cashFlow[0]?.netFen).toBe(3_178_700);
    expect(f.cashFlow.at(-1)?.cumulativeFen).toBe(f.household.disposableMonthly.amountFen * 12);
  });

  it('grosses purchases up by the margin and inflows by the cash share', () => {
    const r = Object.fromEntries(f.salesRoutes.map((x) => [x.id, x.monthlySalesFen]));
    // 14,000 × 8 × 1.05 = 117,600 ÷ (1 − 0.2065) = 148,204.16
    expect(r.purchases).toBe(14_820_416);
    // (20,000 + 45,000 + 15,000) / 1 ÷ (1 − 40 %) = 133,333.33
    expect(r.inflows).toBe(13_333_333);
    expect(r.stated).toBe(15_000_000);
  });

  it('names the survey questions behind every line', () => {
    expect(f.pnlMonthly.revenue.sources).toEqual(
      expect.arrayContaining([
        'takings_normal_day',
        'takings_peak_day',
        'trading_days_per_month',
        'peak_season_uplift_pct',
      ]),
    );
    expect(byId(f.balanceSheet.assets, 'inventory').sources).toEqual([
      'inventory_drinks',
      'inventory_general',
      'inventory_grain_oil',
      'inventory_liquor',
      'inventory_tobacco',
    ]);
    const all: Line[] = [
      ...f.balanceSheet.assets,
      ...f.balanceSheet.liabilities,
      ...Object.values(f.pnlMonthly).filter((x): x is Line => typeof x === 'object'),
    ];
    for (const l of all) {
      expect(l.formula.length).toBeGreaterThan(0);
      if (l.amountFen !== 0) expect(l.sources.length).toBeGreaterThan(0);
      expect(Number.isInteger(l.amountFen)).toBe(true);
    }
  });
});

describe('restaurant: a noodle shop with delivery', () => {
  const f = fin('ipc_restaurant', restaurantAnswers);

  it('rebuilds revenue from seats × turns × bill × days plus delivery', () => {
    // dine-in 40 × 3 × 18 × 30 = 64,800; delivery 30 × 25 × 30 = 22,500 → 87,300; no seasons
    expect(f.pnlMonthly.revenue.amountFen).toBe(8_730_000);
    // mains 80 % = 69,840 at 5/15 → 23,280; sides 17,460 at 2/5 → 6,984
    expect(amounts(f.pnlMonthly.costOfSales.details)).toEqual({ mains: 2_328_000, sides: 698_400 });
    expect(f.pnlMonthly.grossProfit.amountFen).toBe(5_703_600);
    expect(f.grossMargin.value).toBeCloseTo(57_036 / 87_300, 12);
  });

  it('counts wages, rent, utilities and the platform fee as operating costs', () => {
    // 3 × 3,500 = 10,500; rent 8,000; utilities 3,000; platform 22,500 × 18 % = 4,050; other 1,000 → 26,550
    expect(amounts(f.pnlMonthly.operatingCosts.details)).toEqual({
      wages: 1_050_000,
      rent: 800_000,
      utilities: 300_000,
      platform_fee: 405_000,
      other_operating: 100_000,
    });
    // 57,036 − 26,550 − 500 tax = 29,986
    expect(f.pnlMonthly.netProfit.amountFen).toBe(2_998_600);
    // kitchen 60,000 / 6 / 12 = 833.33; fit-out 80,000 / 5 / 12 = 1,333.33
    expect(f.pnlMonthly.depreciation.amountFen).toBe(216_666);
  });

  it('builds the balance sheet and disposable income', () => {
    // kitchen 60,000 × (1 − 2/6) = 40,000; fit-out as assessed 40,000
    expect(bsAmounts(f)).toMatchObject({
      cash_and_deposits: 4_500_000,
      inventory: 500_000,
      fixed_assets: 8_000_000,
    });
    // 130,000 − (6,000 + 30,000) = 94,000
    expect(f.balanceSheet.equity.amountFen).toBe(9_400_000);
    // 29,986 − 3,600 − 3,000 = 23,386
    expect(f.household.disposableMonthly.amountFen).toBe(2_338_600);
    expect(f.cashFlow.every((m) => m.netFen === 2_338_600)).toBe(true);
  });

  it('checks sales by takings, food purchases and account inflows', () => {
    const r = Object.fromEntries(f.salesRoutes.map((x) => [x.id, x.monthlySalesFen]));
    // takings 2,800 × 22 + 3,500 × 8 = 89,600
    expect(r.takings).toBe(8_960_000);
    // 31,000 × 87,300 / 30,264 = 89,423.08
    expect(r.purchases).toBe(8_942_308);
    // 70,000 ÷ 0.8 = 87,500
    expect(r.inflows).toBe(8_750_000);
    expect(r.stated).toBeNull();
  });
});

describe('crops: a 60-mu corn farmer', () => {
  const f = fin('ipc_crops', cropsAnswers);

  it('rebuilds revenue from mu × yield × price, the yield given in jin', () => {
    // 1,160 斤 = 580 kg; 60 × 580 × 2.60 = 90,480 a year → 7,540 a month
    expect(f.pnlAnnual.revenue.amountFen).toBe(9_048_000);
    expect(f.pnlMonthly.revenue.amountFen).toBe(754_000);
    // inputs 60 mu × 450 = 27,000 a year → 2,250 a month; margin 1 − (450/580)/2.6 = 70.16 %
    expect(f.pnlMonthly.costOfSales.amountFen).toBe(225_000);
    expect(f.grossMargin.value).toBeCloseTo(1 - 450 / 580 / 2.6, 10);
  });

  it('books land rent, machinery, labour and subsidies by month', () => {
    // rent 50 × 300 / 12 = 1,250; machinery 4,800 / 12 = 400; labour 2,400 / 12 = 200
    expect(amounts(f.pnlMonthly.operatingCosts.details)).toEqual({
      land_rent: 125_000,
      machinery_hire: 40_000,
      hired_labour: 20_000,
      other_operating: 0,
    });
    expect(f.pnlMonthly.otherIncome.amountFen).toBe(50_000); // 6,000 / 12
    // 5,290 + 500 − 1,850 − 150 interest = 3,790 a month, 45,480 a year (758 per mu)
    expect(f.pnlMonthly.netProfit.amountFen).toBe(379_000);
    expect(f.pnlAnnual.netProfit.amountFen).toBe(4_548_000);
  });

  it('values stored grain at today’s price and puts the harvest in its month', () => {
    // 5 t = 5,000 kg × 2.50 = 12,500 + inputs in stock 2,000
    expect(amounts(byId(f.balanceSheet.assets, 'inventory').details)).toEqual({
      inputs_in_stock: 200_000,
      stored_grain_value: 1_250_000,
    });
    // machinery 60,000 × (1 − 4/10) = 36,000
    expect(f.balanceSheet.equity.amountFen).toBe(22_350_000 - 3_000_000);
    // all 90,480 of revenue in October, the 27,000 of inputs in May
    expect(f.cashFlow.map((m) => m.revenueFen)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 9_048_000, 0, 0]);
    expect(f.cashFlow[4]?.costOfSalesFen).toBe(2_700_000);
    // October: 90,480 − 1,850 + 500 − 150 − 2,400 = 86,580
    expect(f.cashFlow[9]?.netFen).toBe(8_658_000);
    // other months: −1,850 + 500 − 150 − 2,400 = −3,900
    expect(f.cashFlow[0]?.netFen).toBe(-390_000);
    // 3,790 − 2,400 = 1,390 a month
    expect(f.household.disposableMonthly.amountFen).toBe(139_000);
  });
});

describe('livestock: a 300-head pig finisher', () => {
  const f = fin('ipc_livestock', livestockAnswers);

  it('rebuilds revenue from head sold per cycle and cycles a year', () => {
    // 365 / 146 = 2.5 cycles; 290 × 2.5 = 725 head a year × 110 kg × 16 = 1,276,000 → 106,333.33 a month
    expect(f.pnlMonthly.revenue.amountFen).toBe(10_633_333);
    // cost per head sold (500 + 275 × 3.2 + 60) / (1 − 4 %) = 1,440 / 0.96 = 1,500 → 106,333.33 × 1,500 / 1,760
    expect(f.pnlMonthly.costOfSales.amountFen).toBe(9_062_500);
    expect(f.grossMargin.value).toBeCloseTo(1_570_833 / 10_633_333, 12);
    // 15,708.33 − (4,000 + 800 + 500) − 1,000 interest = 9,408.33
    expect(f.pnlMonthly.netProfit.amountFen).toBe(940_833);
  });

  it('values the herd as inventory and places sales on the cycle months', () => {
    // 300 head × 60 kg × 16 = 288,000 + feed 20,000
    expect(byId(f.balanceSheet.assets, 'inventory').amountFen).toBe(30_800_000);
    // pens 400,000 × (1 − 5/20) = 300,000; equipment 80,000 × (1 − 5/8) = 30,000
    expect(byId(f.balanceSheet.assets, 'fixed_assets').amountFen).toBe(33_000_000);
    // days 0, 146, 292 from March → months 3, 3 + ⌊146 × 12 / 365⌋ = 7, 3 + ⌊292 × 12 / 365⌋ = 12
    expect(saleMonths(3, 146)).toEqual([3, 7, 12]);
    const rev = f.cashFlow.map((m) => m.revenueFen);
    expect(rev.filter((x) => x > 0)).toHaveLength(3);
    expect(rev.reduce((s, x) => s + x, 0)).toBe(10_633_333 * 12);
    // feed is eaten every month
    expect(new Set(f.cashFlow.map((m) => m.costOfSalesFen))).toEqual(new Set([9_062_500]));
  });

  it('counts the non-bank loan and the guarantee apart', () => {
    expect(f.balanceSheet.nonBankDebt.amountFen).toBe(5_000_000);
    expect(f.balanceSheet.financialDebt.amountFen).toBe(25_000_000);
    expect(byId(f.balanceSheet.offBalance, 'guarantees_given').amountFen).toBe(10_000_000);
    // 908,000 − 300,000 = 608,000
    expect(f.balanceSheet.equity.amountFen).toBe(60_800_000);
    // 9,408.33 − 3,500 − (4,000 − 1,000) = 2,908.33
    expect(f.household.disposableMonthly.amountFen).toBe(290_833);
  });
});

describe('transport: a two-truck haulier', () => {
  const f = fin('ipc_transport', transportAnswers);

  it('rebuilds revenue as tonnes × km × rate', () => {
    // 2 trucks × 8 trips × 30 t × 500 km × 0.5 = 120,000
    expect(f.pnlMonthly.revenue.amountFen).toBe(12_000_000);
    // fuel 1,000 km × 35 L/100 km × 7.2 = 2,520 + tolls 1,200 = 3,720 a trip × 16 = 59,520
    expect(f.pnlMonthly.costOfSales.amountFen).toBe(5_952_000);
    expect(f.grossMargin.value).toBeCloseTo(0.504, 12);
    // driver 8,000 + repairs 2,000 + insurance 2,500 + other 500 = 13,000; tax 1,000; interest 1,500
    expect(f.pnlMonthly.operatingCosts.amountFen).toBe(1_300_000);
    expect(f.pnlMonthly.netProfit.amountFen).toBe(4_498_000);
    // 800,000 / 8 / 12 = 8,333.33
    expect(f.pnlMonthly.depreciation.amountFen).toBe(833_333);
  });

  it('builds the balance sheet with trucks at present value and freight receivables', () => {
    // trucks 800,000 × (1 − 3/8) = 500,000
    expect(bsAmounts(f)).toMatchObject({
      receivables: 12_000_000,
      fixed_assets: 50_000_000,
      cash_and_deposits: 5_500_000,
    });
    expect(f.balanceSheet.equity.amountFen).toBe(78_000_000);
    // 44,980 − 5,000 − (12,000 − 1,500) = 29,480
    expect(f.household.disposableMonthly.amountFen).toBe(2_948_000);
    const r = Object.fromEntries(f.salesRoutes.map((x) => [x.id, x.monthlySalesFen]));
    expect(r).toMatchObject({ freight_stated: 11_520_000, purchases: 11_895_161, inflows: 11_000_000 });
  });
});

describe('processing: a small furniture workshop', () => {
  const f = fin('ipc_processing', processingAnswers);

  it('rebuilds revenue from output × price with a scrap-adjusted unit cost', () => {
    // factor (12 + 2 × 30 % − 1 × 60 %) / 12 = 1; 60 × 1,500 = 90,000
    expect(f.pnlMonthly.revenue.amountFen).toBe(9_000_000);
    // 720 / (1 − 10 %) = 800 a piece → 90,000 × 800 / 1,500 = 48,000
    expect(f.pnlMonthly.costOfSales.amountFen).toBe(4_800_000);
    // 42,000 − (20,000 + 3,000 + 2,400 + 1,000) − 900 − 500 = 14,200; net margin 15.8 %
    expect(f.pnlMonthly.netProfit.amountFen).toBe(1_420_000);
  });

  it('puts the pre-festival peak and the February trough into the cash flow', () => {
    // weights: Feb 0.4, Nov–Dec 1.3, others 1; Σ = 12 → 90,000 / 36,000 / 117,000
    expect(f.cashFlow.map((m) => m.revenueFen)).toEqual([
      9_000_000, 3_600_000, 9_000_000, 9_000_000, 9_000_000, 9_000_000, 9_000_000, 9_000_000, 9_000_000,
      9_000_000, 11_700_000, 11_700_000,
    ]);
    // February: 36,000 − 19,200 − 26,400 − 1,400 − 4,000 − 1,500 = −16,500
    expect(f.cashFlow[1]?.netFen).toBe(-1_650_000);
  });

  it('builds the balance sheet with stock by stage', () => {
    expect(byId(f.balanceSheet.assets, 'inventory').amountFen).toBe(12_000_000);
    // 485,000 − (30,000 + 20,000 + 100,000) = 335,000
    expect(f.balanceSheet.equity.amountFen).toBe(33_500_000);
    // 14,200 − 4,000 − 1,500 = 8,700
    expect(f.household.disposableMonthly.amountFen).toBe(870_000);
  });
});

describe('incomplete surveys', () => {
  it('refuses with FINANCIALS_INCOMPLETE when the primary route cannot be computed', () => {
    const { takings_normal_day: _, ...rest } = groceryAnswers;
    try {
      fin('ipc_grocery', rest);
      expect.unreachable();
    } catch (e) {
      expect(isAppError(e) && e.code).toBe('FINANCIALS_INCOMPLETE');
      expect(isAppError(e) && e.details.missing).toContain('takings_normal_day');
    }
  });

  it('falls back to the owner’s claimed margin when product lines are not priced', () => {
    const a = { ...groceryAnswers, tobacco_unit_cost: null, gross_margin_claimed_pct: 22 };
    const f = fin('ipc_grocery', a);
    expect(f.grossMargin.basis).toBe('claimed');
    // 138,600 × 78 % = 108,108
    expect(f.pnlMonthly.costOfSales.amountFen).toBe(10_810_800);
  });

  it('refuses when neither prices nor a claimed margin are given', () => {
    expect(() => fin('ipc_grocery', { ...groceryAnswers, tobacco_unit_cost: null })).toThrow(/margin/);
  });
});
