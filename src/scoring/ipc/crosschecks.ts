/**
 * IPC cross-checks on rebuilt financials (DOMAIN.md "IPC micro-lending", "Cross-checks" and "Repayment
 * capacity"). Pure: each check returns what it expected, what it observed, the deviation in percent, its
 * tolerance (percent), a verdict and an explanation in both languages, and the survey questions behind it.
 */
import type { Localized } from '../../cases/templates/index.js';
import { defaultIpcConfig } from './config.js';
import type { IpcConfig, Range, Tolerance } from './config.js';
import type { Financials, Line } from './financials.js';

export type Verdict = 'pass' | 'warn' | 'fail' | 'not_applicable';

export interface CheckResult {
  name: string;
  /** Fact-like ids (the fact catalogue's vocabulary) the check casts doubt on when it warns or fails. */
  factIds: string[];
  expected: number | Range | null;
  observed: number | null;
  unit: 'fen' | 'ratio' | 'days' | 'fen_per_person';
  /** Percent, e.g. −6.93. */
  deviationPct: number | null;
  /** Percent; fail null: the check never fails. */
  tolerance: { warn: number; fail: number | null };
  verdict: Verdict;
  explanation: Localized;
  sources: string[];
}

export interface CrossCheckOptions {
  /** The proposed loan's monthly instalment (from the servicing schedule); without it the share check is n/a. */
  proposedInstalmentFen?: number;
}

const pctTol = (t: Tolerance) => ({ warn: t.warn * 100, fail: t.fail === null ? null : t.fail * 100 });
const yuan = (fen: number) => (fen / 100).toFixed(2);
const p1 = (x: number) => x.toFixed(1);
const uniq = (xs: readonly string[]) => [...new Set(xs)].sort();

/** |deviation| against a two-sided tolerance. */
function grade(absDevPct: number, tol: { warn: number; fail: number | null }): Verdict {
  if (absDevPct <= tol.warn + 1e-9) return 'pass';
  if (tol.fail === null || absDevPct <= tol.fail + 1e-9) return 'warn';
  return 'fail';
}

const routeFacts: Record<string, string[]> = {
  purchases: ['sales.monthly', 'purchases.monthly'],
  inflows: ['sales.monthly', 'account.inflows'],
};

/** deviation = (reported − check) / reported, reported being the P&L revenue of the primary route. */
export function salesChecks(f: Financials, config: IpcConfig = defaultIpcConfig): CheckResult[] {
  const tol = pctTol(config.sectors[f.sector].sales);
  const reported = f.pnlMonthly.revenue.amountFen;
  const primary = f.salesRoutes.find((r) => r.id === f.primaryRoute);
  return f.salesRoutes
    .filter((r) => r.id !== f.primaryRoute)
    .map((r): CheckResult => {
      const base = {
        name: `sales.${r.id}`,
        factIds: routeFacts[r.id] ?? ['sales.monthly'],
        expected: r.monthlySalesFen,
        observed: reported,
        unit: 'fen' as const,
        tolerance: tol,
        sources: uniq([...r.sources, ...(primary?.sources ?? [])]),
      };
      if (r.monthlySalesFen === null || reported <= 0)
        return {
          ...base,
          deviationPct: null,
          verdict: 'not_applicable',
          explanation: {
            'zh-CN': `缺少“${r.label['zh-CN']}”所需的数据，无法交叉核对。`,
            'en-US': `No data for "${r.label['en-US']}": not cross-checked.`,
          },
        };
      const dev = ((reported - r.monthlySalesFen) / reported) * 100;
      const verdict = grade(Math.abs(dev), tol);
      return {
        ...base,
        deviationPct: dev,
        verdict,
        explanation: {
          'zh-CN': `重建月销售额 ${yuan(reported)} 元，按“${r.label['zh-CN']}”为 ${yuan(r.monthlySalesFen)} 元，偏差 ${p1(dev)}%（容忍 ±${tol.warn}% / ±${tol.fail}%）。`,
          'en-US': `Rebuilt monthly sales ${yuan(reported)} CNY; by ${r.label['en-US']} ${yuan(r.monthlySalesFen)} CNY; deviation ${p1(dev)}% (tolerance ±${tol.warn}% / ±${tol.fail}%).`,
        },
      };
    });
}

/** Distance outside [low, high] relative to the nearest bound, in percent (0 inside). */
function outside(x: number, r: Range): number {
  if (x < r.low) return r.low === 0 ? 100 : ((r.low - x) / Math.abs(r.low)) * 100;
  if (x > r.high) return r.high === 0 ? 100 : ((x - r.high) / Math.abs(r.high)) * 100;
  return 0;
}

export function grossMarginCheck(f: Financials, config: IpcConfig = defaultIpcConfig): CheckResult {
  const range = config.sectors[f.sector].grossMargin;
  const m = f.grossMargin.value;
  const dev = outside(m, range);
  const verdict: Verdict = dev > 0 ? 'warn' : 'pass';
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  return {
    name: 'gross_margin.sector_range',
    factIds: ['margin.gross'],
    expected: range,
    observed: m,
    unit: 'ratio',
    deviationPct: dev,
    tolerance: { warn: 0, fail: null },
    verdict,
    explanation: {
      'zh-CN': `加权毛利率 ${pct(m)}，行业区间 ${pct(range.low)}–${pct(range.high)}${dev > 0 ? '，超出区间' : ''}。`,
      'en-US': `Weighted gross margin ${pct(m)}; sector range ${pct(range.low)}–${pct(range.high)}${dev > 0 ? ': outside' : ''}.`,
    },
    sources: f.grossMargin.sources,
  };
}

/**
 * Expected equity = equity at the start + profit over the period + other household income + capital injected
 * + revaluation − household spending − other withdrawals − depreciation; actual = assets − liabilities;
 * deviation = (actual − expected) / |actual|. Other household income is counted as capital brought in.
 */
export function equityCheck(f: Financials, config: IpcConfig = defaultIpcConfig): CheckResult {
  const tol = pctTol(config.equity);
  const actual = f.balanceSheet.equity.amountFen;
  const p = f.previous;
  const base = {
    name: 'equity_reconciliation',
    factIds: ['equity', 'debt.total', 'profit.monthly'],
    observed: actual,
    unit: 'fen' as const,
    tolerance: tol,
  };
  if (!p)
    return {
      ...base,
      expected: null,
      deviationPct: null,
      verdict: 'not_applicable',
      explanation: {
        'zh-CN': '无上期资产负债表，未作权益核对。',
        'en-US': 'No earlier balance sheet: no equity reconciliation.',
      },
      sources: [],
    };
  const n = p.periodMonths;
  const m = f.pnlMonthly;
  const h = f.household;
  const expected = Math.round(
    p.equityFen +
      m.netProfit.amountFen * n +
      h.otherIncomeMonthly.amountFen * n +
      p.capitalInjectedFen +
      p.revaluationFen -
      h.spendingMonthly.amountFen * n -
      p.otherWithdrawalsFen -
      m.depreciation.amountFen * n,
  );
  const sources = uniq([
    ...p.sources,
    ...m.netProfit.sources,
    ...h.otherIncomeMonthly.sources,
    ...h.spendingMonthly.sources,
    ...m.depreciation.sources,
    ...f.balanceSheet.equity.sources,
  ]);
  const dev = actual === 0 ? (expected === 0 ? 0 : null) : ((actual - expected) / Math.abs(actual)) * 100;
  const verdict: Verdict = dev === null ? 'fail' : grade(Math.abs(dev), tol);
  const hint =
    dev !== null && dev > 0
      ? {
          zh: '净资产多于可解释部分：可能有隐瞒负债或收入低报。',
          en: 'More wealth than explained: hidden debt or under-stated income?',
        }
      : {
          zh: '净资产少于可解释部分：损益可能被高估。',
          en: 'Less wealth than explained: the P&L may be inflated.',
        };
  return {
    ...base,
    expected,
    deviationPct: dev,
    verdict,
    explanation: {
      'zh-CN': `${n} 个月前净资产 ${yuan(p.equityFen)} 元，推算现净资产 ${yuan(expected)} 元，实际 ${yuan(actual)} 元，偏差 ${dev === null ? '—' : p1(dev)}%。${verdict === 'pass' ? '' : hint.zh}`,
      'en-US': `Equity ${n} months ago ${yuan(p.equityFen)} CNY; expected now ${yuan(expected)} CNY; actual ${yuan(actual)} CNY; deviation ${dev === null ? '—' : p1(dev)}%.${verdict === 'pass' ? '' : ` ${hint.en}`}`,
    },
    sources,
  };
}

function daysCheck(
  name: string,
  factIds: string[],
  amount: Line,
  per: Line,
  range: Range | null,
  tol: Tolerance,
  what: Localized,
): CheckResult {
  const t = pctTol(tol);
  const base = {
    name,
    factIds,
    unit: 'days' as const,
    tolerance: t,
    sources: uniq([...amount.sources, ...per.sources]),
  };
  if (!range || per.amountFen <= 0)
    return {
      ...base,
      expected: range,
      observed: null,
      deviationPct: null,
      verdict: 'not_applicable',
      explanation: {
        'zh-CN': `${what['zh-CN']}：本行业不适用或无数据。`,
        'en-US': `${what['en-US']}: not applicable to this sector or no data.`,
      },
    };
  // amount ÷ monthly flow × 30 days
  const days = (amount.amountFen / per.amountFen) * 30;
  const dev = outside(days, range);
  return {
    ...base,
    expected: range,
    observed: days,
    deviationPct: dev,
    verdict: grade(dev, t),
    explanation: {
      'zh-CN': `${what['zh-CN']} ${p1(days)} 天，行业区间 ${range.low}–${range.high} 天。`,
      'en-US': `${what['en-US']} ${p1(days)} days; sector range ${range.low}–${range.high} days.`,
    },
  };
}

export function inventoryDaysCheck(f: Financials, config: IpcConfig = defaultIpcConfig): CheckResult {
  const inventory = f.balanceSheet.assets.find((a) => a.id === 'inventory') as Line;
  return daysCheck(
    'inventory_days',
    ['inventory.value'],
    inventory,
    f.pnlMonthly.costOfSales,
    config.sectors[f.sector].inventoryDays,
    config.dayRanges,
    { 'zh-CN': '存货周转天数', 'en-US': 'Inventory days' },
  );
}

export function receivableDaysCheck(f: Financials, config: IpcConfig = defaultIpcConfig): CheckResult {
  const receivables = f.balanceSheet.assets.find((a) => a.id === 'receivables') as Line;
  return daysCheck(
    'receivable_days',
    ['receivables.value'],
    receivables,
    f.pnlMonthly.revenue,
    config.sectors[f.sector].receivableDays,
    config.dayRanges,
    { 'zh-CN': '应收账款天数', 'en-US': 'Receivable days' },
  );
}

export function householdSpendingCheck(f: Financials, config: IpcConfig = defaultIpcConfig): CheckResult {
  const h = f.household;
  const min = config.household.minSpendingPerPersonMonthlyFen;
  const t = pctTol(config.household.shortfall);
  const base = {
    name: 'household.spending_per_person',
    factIds: ['household.spending', 'household.size'],
    expected: min,
    unit: 'fen_per_person' as const,
    tolerance: t,
    sources: uniq([...h.spendingMonthly.sources, 'household_size']),
  };
  if (!h.size || h.size <= 0)
    return {
      ...base,
      observed: null,
      deviationPct: null,
      verdict: 'not_applicable',
      explanation: { 'zh-CN': '未填家庭人口。', 'en-US': 'Household size not given.' },
    };
  const perPerson = h.spendingMonthly.amountFen / h.size;
  const dev = ((perPerson - min) / (min || 1)) * 100;
  const verdict = perPerson >= min ? 'pass' : grade(-dev, t);
  return {
    ...base,
    observed: perPerson,
    deviationPct: dev,
    verdict,
    explanation: {
      'zh-CN': `家庭 ${h.size} 人，月支出 ${yuan(h.spendingMonthly.amountFen)} 元，人均 ${yuan(perPerson)} 元（下限 ${yuan(min)} 元）${verdict === 'pass' ? '' : '，生活支出可能被低报'}。`,
      'en-US': `${h.size} people spend ${yuan(h.spendingMonthly.amountFen)} CNY a month, ${yuan(perPerson)} CNY each (floor ${yuan(min)} CNY)${verdict === 'pass' ? '' : ': spending may be under-stated'}.`,
    },
  };
}

/** A ratio against an upper limit; deviation = (observed − limit) / limit. */
function limitCheck(
  name: string,
  factIds: string[],
  numerator: number,
  denominator: number,
  limit: number,
  failAt: number | null,
  sources: string[],
  what: Localized,
): CheckResult {
  const tolerance = { warn: 0, fail: failAt === null ? null : ((failAt - limit) / limit) * 100 };
  const base = { name, factIds, expected: limit, unit: 'ratio' as const, tolerance, sources: uniq(sources) };
  if (numerator <= 0)
    return {
      ...base,
      observed: 0,
      deviationPct: -100,
      verdict: 'pass',
      explanation: { 'zh-CN': `${what['zh-CN']}：无。`, 'en-US': `${what['en-US']}: none.` },
    };
  if (denominator <= 0)
    return {
      ...base,
      observed: null,
      deviationPct: null,
      verdict: failAt === null ? 'warn' : 'fail',
      explanation: {
        'zh-CN': `${what['zh-CN']}：分母为零或为负，无法承受。`,
        'en-US': `${what['en-US']}: the base is zero or negative, nothing carries it.`,
      },
    };
  const ratio = numerator / denominator;
  const dev = ((ratio - limit) / limit) * 100;
  return {
    ...base,
    observed: ratio,
    deviationPct: dev,
    verdict: dev <= 1e-9 ? 'pass' : grade(dev, tolerance),
    explanation: {
      'zh-CN': `${what['zh-CN']} ${ratio.toFixed(2)}，上限 ${limit}。`,
      'en-US': `${what['en-US']} ${ratio.toFixed(2)}; limit ${limit}.`,
    },
  };
}

export function repaymentChecks(
  f: Financials,
  config: IpcConfig = defaultIpcConfig,
  options: CrossCheckOptions = {},
): CheckResult[] {
  const r = config.repayment;
  const disposable = f.household.disposableMonthly;
  const out: CheckResult[] = [];
  if (options.proposedInstalmentFen === undefined)
    out.push({
      name: 'repayment.instalment_share',
      factIds: ['repayment.capacity'],
      expected: r.maxInstalmentShare,
      observed: null,
      unit: 'ratio',
      deviationPct: null,
      tolerance: {
        warn: 0,
        fail: ((r.failInstalmentShare - r.maxInstalmentShare) / r.maxInstalmentShare) * 100,
      },
      verdict: 'not_applicable',
      explanation: { 'zh-CN': '尚无拟贷月供。', 'en-US': 'No proposed instalment yet.' },
      sources: disposable.sources,
    });
  else
    out.push(
      limitCheck(
        'repayment.instalment_share',
        ['repayment.capacity', 'profit.monthly', 'household.spending'],
        options.proposedInstalmentFen,
        disposable.amountFen,
        r.maxInstalmentShare,
        r.failInstalmentShare,
        disposable.sources,
        { 'zh-CN': '月供/月可支配收入', 'en-US': 'Instalment / monthly disposable income' },
      ),
    );
  out.push(
    limitCheck(
      'repayment.new_debt_to_cash_flow',
      ['debt.new', 'profit.monthly'],
      f.newBorrowing12m.amountFen / 12,
      f.operatingCashFlowMonthly.amountFen,
      r.maxNewDebtToCashFlow,
      null,
      [...f.newBorrowing12m.sources, ...f.operatingCashFlowMonthly.sources],
      { 'zh-CN': '月均新增借款/月经营现金流', 'en-US': 'Monthly new debt / monthly operating cash flow' },
    ),
  );
  const guarantees = f.balanceSheet.offBalance.find((l) => l.id === 'guarantees_given') as Line;
  out.push(
    limitCheck(
      'repayment.guarantees_to_net_worth',
      ['guarantees.given', 'equity'],
      guarantees.amountFen,
      f.balanceSheet.equity.amountFen,
      r.maxGuaranteesToNetWorth,
      null,
      [...guarantees.sources, ...f.balanceSheet.equity.sources],
      { 'zh-CN': '对外担保/净资产', 'en-US': 'Guarantees given / net worth' },
    ),
  );
  const debt = f.balanceSheet.financialDebt;
  const nonBank = f.balanceSheet.nonBankDebt;
  out.push(
    debt.amountFen <= 0
      ? {
          name: 'repayment.non_bank_share',
          factIds: ['debt.nonbank'],
          expected: r.maxNonBankShare,
          observed: null,
          unit: 'ratio',
          deviationPct: null,
          tolerance: { warn: 0, fail: null },
          verdict: 'not_applicable',
          explanation: { 'zh-CN': '无借款。', 'en-US': 'No debt.' },
          sources: debt.sources,
        }
      : limitCheck(
          'repayment.non_bank_share',
          ['debt.nonbank', 'debt.total'],
          nonBank.amountFen,
          debt.amountFen,
          r.maxNonBankShare,
          null,
          [...nonBank.sources, ...debt.sources],
          { 'zh-CN': '非银行借款占比', 'en-US': 'Share of non-bank debt' },
        ),
  );
  return out;
}

/** All cross-checks of one case, in a stable order. */
export function runCrossChecks(
  f: Financials,
  config: IpcConfig = defaultIpcConfig,
  options: CrossCheckOptions = {},
): CheckResult[] {
  return [
    ...salesChecks(f, config),
    grossMarginCheck(f, config),
    equityCheck(f, config),
    inventoryDaysCheck(f, config),
    receivableDaysCheck(f, config),
    householdSpendingCheck(f, config),
    ...repaymentChecks(f, config, options),
  ];
}

export interface Doubt {
  factId: string;
  level: 'warn' | 'fail';
  checks: string[];
  reasons: Localized[];
  sources: string[];
}

/** The facts the interview should aim at: every fact touched by a warn or fail, worst first. */
export function caseDoubts(results: readonly CheckResult[]): Doubt[] {
  const byFact = new Map<string, Doubt>();
  for (const r of results) {
    if (r.verdict !== 'warn' && r.verdict !== 'fail') continue;
    for (const factId of r.factIds) {
      const d = byFact.get(factId) ?? { factId, level: 'warn', checks: [], reasons: [], sources: [] };
      if (r.verdict === 'fail') d.level = 'fail';
      d.checks.push(r.name);
      d.reasons.push(r.explanation);
      d.sources = uniq([...d.sources, ...r.sources]);
      byFact.set(factId, d);
    }
  }
  return [...byFact.values()].sort(
    (a, b) => (a.level === b.level ? 0 : a.level === 'fail' ? -1 : 1) || a.factId.localeCompare(b.factId),
  );
}
