/**
 * Financial reconstruction by the IPC method (DOMAIN.md "IPC micro-lending"): from the answers to a sector
 * survey, the balance sheet, the P&L of an average month and of a year, a 12-month cash flow with the sector's
 * seasons, the household view and the monthly disposable income. Pure: no I/O, no clock.
 *
 * Every figure is integer fen and carries the survey question ids it came from and a formula note.
 * Depreciation is not among the operating costs: it is shown as a memo line, because the equity reconciliation
 * of DOMAIN.md subtracts it separately ("expected equity = … + profit … − depreciation").
 */
import { COMMON, allQuestions, sourcesOf, surveyValues } from '../../cases/templates/index.js';
import type {
  AmountRef,
  Answers,
  LedgerTag,
  Localized,
  Scalar,
  SurveyTemplate,
} from '../../cases/templates/index.js';
import { unprocessable } from '../../platform/errors.js';
import type { Sector } from '../../questions/types.js';
import { roundHalfUp, spreadFen, sumFen, yuanToFen } from './money.js';

export interface Line {
  id: string;
  label: Localized;
  amountFen: number;
  /** Survey question ids the figure rests on. */
  sources: string[];
  formula: string;
  details?: Line[];
}

export interface FixedAssetLine extends Line {
  costFen: number | null;
  accumulatedDepreciationFen: number | null;
  monthlyDepreciationFen: number;
}

export interface BalanceSheet {
  assets: Line[];
  fixedAssets: FixedAssetLine[];
  totalBusinessAssets: Line;
  totalAssets: Line;
  liabilities: Line[];
  /** Interest-bearing debt: bank loans, non-bank institutions, private borrowing. */
  financialDebt: Line;
  /** Non-bank part of the financial debt. */
  nonBankDebt: Line;
  totalLiabilities: Line;
  equity: Line;
  offBalance: Line[];
}

export interface GrossMargin {
  /** Ratio 0..1 (negative when goods sell below cost). */
  value: number;
  basis: 'product_lines' | 'claimed';
  sources: string[];
  formula: string;
}

export interface ProfitAndLoss {
  period: 'month' | 'year';
  revenue: Line;
  costOfSales: Line;
  grossProfit: Line;
  otherIncome: Line;
  operatingCosts: Line;
  tax: Line;
  other: Line;
  netProfit: Line;
  /** Memo: straight-line depreciation, not deducted in netProfit. */
  depreciation: Line;
}

export interface CashFlowMonth {
  month: number; // 1..12, calendar month
  revenueFen: number;
  costOfSalesFen: number;
  operatingCostsFen: number;
  otherIncomeFen: number;
  taxAndOtherFen: number;
  businessNetFen: number;
  householdSpendingFen: number;
  otherHouseholdIncomeFen: number;
  /** Principal part of existing instalments (interest is already in the P&L). */
  debtPrincipalFen: number;
  netFen: number;
  cumulativeFen: number;
}

export interface SalesRouteFigure {
  id: string;
  label: Localized;
  kind: 'revenue' | 'purchases';
  /** Monthly sales implied by the route (purchases are grossed up by the margin); null when not available. */
  monthlySalesFen: number | null;
  sources: string[];
  formula: string;
}

export interface Household {
  size: number | null;
  spendingMonthly: Line;
  otherIncomeMonthly: Line;
  debtPrincipalMonthly: Line;
  /** (business net profit + other household income − household spending − other debt service) / months. */
  disposableMonthly: Line;
}

export interface PreviousAnalysis {
  equityFen: number;
  periodMonths: number;
  capitalInjectedFen: number;
  revaluationFen: number;
  otherWithdrawalsFen: number;
  sources: string[];
}

export interface Financials {
  templateId: string;
  templateVersion: number;
  sector: Sector;
  balanceSheet: BalanceSheet;
  grossMargin: GrossMargin;
  pnlMonthly: ProfitAndLoss;
  pnlAnnual: ProfitAndLoss;
  cashFlow: CashFlowMonth[];
  /** Average monthly operating cash flow: net profit (cash basis, depreciation excluded). */
  operatingCashFlowMonthly: Line;
  household: Household;
  salesRoutes: SalesRouteFigure[];
  primaryRoute: string;
  newBorrowing12m: Line;
  previous: PreviousAnalysis | null;
}

const L = (zh: string, en: string): Localized => ({ 'zh-CN': zh, 'en-US': en });
const uniq = (xs: readonly string[]) => [...new Set(xs)].sort();

function line(
  id: string,
  label: Localized,
  amountFen: number,
  sources: string[],
  formula: string,
  details?: Line[],
): Line {
  return { id, label, amountFen, sources: uniq(sources), formula, ...(details ? { details } : {}) };
}

/** A line that is the sum of its details. */
function total(id: string, label: Localized, details: Line[], formula?: string): Line {
  return line(
    id,
    label,
    sumFen(details.map((d) => d.amountFen)),
    details.flatMap((d) => d.sources),
    formula ?? (details.length ? details.map((d) => d.id).join(' + ') : '0'),
    details,
  );
}

const scale = (l: Line, factor: number, suffix: string): Line => ({
  ...l,
  amountFen: l.amountFen * factor,
  formula: `(${l.formula}) ${suffix}`,
  ...(l.details ? { details: l.details.map((d) => scale(d, factor, suffix)) } : {}),
});

const ASSET_LINES: [string, LedgerTag[], Localized][] = [
  ['cash_and_deposits', ['asset.cash'], L('现金及存款', 'Cash and deposits')],
  ['receivables', ['asset.receivables'], L('应收账款', 'Receivables')],
  ['prepayments', ['asset.prepayments'], L('预付账款', 'Prepayments')],
  ['inventory', ['asset.inventory'], L('存货', 'Inventory')],
  ['other_business_assets', ['asset.other_business'], L('其他经营资产', 'Other business assets')],
  ['private_assets', ['asset.private'], L('家庭资产', 'Private assets')],
];
const LIABILITY_LINES: [string, LedgerTag[], Localized][] = [
  ['payables', ['liability.payables'], L('应付账款', 'Payables')],
  ['advances_received', ['liability.advances_received'], L('预收账款', 'Advances received')],
  [
    'loans_short',
    ['liability.loan_short_business', 'liability.loan_short_investment', 'liability.loan_short_consumption'],
    L('短期银行贷款', 'Short-term bank loans'),
  ],
  [
    'loans_long',
    ['liability.loan_long_business', 'liability.loan_long_investment', 'liability.loan_long_consumption'],
    L('长期银行贷款', 'Long-term bank loans'),
  ],
  [
    'nonbank_institution_loans',
    ['liability.nonbank_institution'],
    L('非银行机构借款', 'Non-bank institution loans'),
  ],
  ['private_borrowing', ['liability.private_borrowing'], L('民间借款', 'Private borrowing')],
  ['other_liabilities', ['liability.other'], L('其他负债', 'Other liabilities')],
];

interface Ctx {
  t: SurveyTemplate;
  values: Map<string, Scalar>;
}

const num = (ctx: Ctx, id: string | undefined): number | undefined => {
  if (!id) return undefined;
  const v = ctx.values.get(id);
  return typeof v === 'number' ? v : undefined;
};

/** A monthly amount from a ref; absent counts as zero, with the ref still named as its source. */
function amountLine(ctx: Ctx, a: AmountRef): Line {
  const v = num(ctx, a.ref);
  return line(
    a.id,
    a.label,
    v === undefined ? 0 : yuanToFen(v),
    sourcesOf(ctx.t, a.ref),
    v === undefined ? `${a.ref} (not answered: 0)` : a.ref,
  );
}

function ledgerLines(ctx: Ctx, tags: readonly LedgerTag[]): Line[] {
  const out: Line[] = [];
  for (const q of allQuestions(ctx.t)) {
    if (!q.ledger || !tags.includes(q.ledger)) continue;
    const v = num(ctx, q.id);
    if (v !== undefined) out.push(line(q.id, q.label, yuanToFen(v), [q.id], q.id));
  }
  for (const c of ctx.t.computed) {
    if (!c.ledger || !tags.includes(c.ledger)) continue;
    const v = num(ctx, c.id);
    if (v !== undefined) out.push(line(c.id, c.label, yuanToFen(v), sourcesOf(ctx.t, c.id), c.id));
  }
  return out;
}

function fixedAssets(ctx: Ctx): FixedAssetLine[] {
  const out: FixedAssetLine[] = [];
  for (const g of ctx.t.financials.fixedAssets) {
    const cost = num(ctx, g.costRef);
    const used = num(ctx, g.yearsUsedRef) ?? 0;
    const life = num(ctx, g.usefulLifeRef);
    const pv = num(ctx, g.presentValueRef);
    const sources = [g.costRef, g.yearsUsedRef, g.usefulLifeRef, g.presentValueRef].filter((r) =>
      ctx.values.has(r),
    );
    if (cost === undefined && pv === undefined) continue;
    const costFen = cost === undefined ? null : yuanToFen(cost);
    let pvFen: number;
    let formula: string;
    if (pv !== undefined) {
      pvFen = yuanToFen(pv);
      formula = `${g.presentValueRef} (as assessed)`;
    } else if (costFen !== null && life !== undefined && life > 0) {
      pvFen = roundHalfUp(costFen * Math.max(0, 1 - used / life));
      formula = `${g.costRef} × max(0, 1 − ${g.yearsUsedRef} / ${g.usefulLifeRef})`;
    } else {
      pvFen = costFen ?? 0;
      formula = `${g.costRef} (no useful life: at cost)`;
    }
    const monthlyDepreciationFen =
      costFen !== null && life !== undefined && life > 0 && used < life
        ? roundHalfUp(costFen / life / 12)
        : 0;
    out.push({
      ...line(g.id, g.label, pvFen, sources, formula),
      costFen,
      accumulatedDepreciationFen: costFen === null ? null : costFen - pvFen,
      monthlyDepreciationFen,
    });
  }
  return out;
}

function balanceSheet(ctx: Ctx): BalanceSheet {
  const fixed = fixedAssets(ctx);
  const assetLine = ([id, tags, label]: [string, LedgerTag[], Localized]) =>
    total(id, label, ledgerLines(ctx, tags));
  const assets = ASSET_LINES.map(assetLine);
  const fixedTotal = total('fixed_assets', L('固定资产（现值）', 'Fixed assets (present value)'), fixed);
  const businessAssets = [...assets.filter((a) => a.id !== 'private_assets'), fixedTotal];
  const privateAssets = assets.find((a) => a.id === 'private_assets') as Line;
  const allAssets = [...assets.slice(0, -2), fixedTotal, ...assets.slice(-2)];
  const totalBusinessAssets = total(
    'total_business_assets',
    L('经营资产合计', 'Total business assets'),
    businessAssets,
  );
  const totalAssets = total('total_assets', L('资产合计', 'Total assets'), [
    totalBusinessAssets,
    privateAssets,
  ]);
  const liabilities = LIABILITY_LINES.map(assetLine);
  const byId = (id: string) => liabilities.find((l) => l.id === id) as Line;
  const nonBankDebt = total('non_bank_debt', L('非银行借款', 'Non-bank debt'), [
    byId('nonbank_institution_loans'),
    byId('private_borrowing'),
  ]);
  const financialDebt = total('financial_debt', L('借款合计', 'Financial debt'), [
    byId('loans_short'),
    byId('loans_long'),
    nonBankDebt,
  ]);
  const totalLiabilities = total('total_liabilities', L('负债合计', 'Total liabilities'), liabilities);
  const equity = line(
    'equity',
    L('净资产', 'Equity'),
    totalAssets.amountFen - totalLiabilities.amountFen,
    [...totalAssets.sources, ...totalLiabilities.sources],
    'total_assets − total_liabilities',
  );
  const offBalance = [
    total('guarantees_given', L('对外担保', 'Guarantees given'), ledgerLines(ctx, ['offbalance.guarantees'])),
  ];
  return {
    assets: allAssets,
    fixedAssets: fixed,
    totalBusinessAssets,
    totalAssets,
    liabilities,
    financialDebt,
    nonBankDebt,
    totalLiabilities,
    equity,
    offBalance,
  };
}

interface PricedLine {
  id: string;
  label: Localized;
  weight: number;
  costRatio: number; // cost / price
  sources: string[];
  harvestMonth?: number;
  sowMonth?: number;
}

/** Σ (1 − cost/price) × sales share over the product lines (DOMAIN.md), or the owner's claimed margin. */
function pricedLines(ctx: Ctx): { lines: PricedLine[]; basis: GrossMargin['basis'] } {
  const f = ctx.t.financials;
  const lines: PricedLine[] = [];
  let complete = true;
  for (const p of f.productLines) {
    const weight = num(ctx, p.shareRef) ?? num(ctx, p.revenueRef) ?? 0;
    if (weight <= 0) continue;
    const cost = num(ctx, p.unitCostRef);
    const price = num(ctx, p.unitPriceRef);
    if (cost === undefined || price === undefined || price <= 0) {
      complete = false;
      continue;
    }
    const month = (ref: string | undefined) => {
      const m = num(ctx, ref);
      return m !== undefined && Number.isInteger(m) && m >= 1 && m <= 12 ? m : undefined;
    };
    const harvestMonth = month(p.harvestMonthRef);
    const sowMonth = month(p.sowMonthRef);
    lines.push({
      id: p.id,
      label: p.label,
      weight,
      costRatio: cost / price,
      sources: [p.shareRef, p.revenueRef, p.unitCostRef, p.unitPriceRef, p.harvestMonthRef, p.sowMonthRef]
        .filter((r): r is string => r !== undefined && ctx.values.has(r))
        .flatMap((r) => sourcesOf(ctx.t, r)),
      ...(harvestMonth ? { harvestMonth } : {}),
      ...(sowMonth ? { sowMonth } : {}),
    });
  }
  if (complete && lines.length) return { lines, basis: 'product_lines' };
  const claimed = num(ctx, f.claimedMarginRef);
  if (claimed !== undefined && f.claimedMarginRef)
    return {
      basis: 'claimed',
      lines: [
        {
          id: 'all',
          label: L('全部销售', 'all sales'),
          weight: 1,
          costRatio: 1 - claimed / 100,
          sources: [f.claimedMarginRef],
        },
      ],
    };
  throw unprocessable('FINANCIALS_INCOMPLETE', 'no product line can be priced and no margin was claimed', {
    missing: f.productLines.flatMap((p) => [p.unitCostRef, p.unitPriceRef]).filter((r) => !ctx.values.has(r)),
  });
}

function monthlyPnl(
  ctx: Ctx,
  revenueFen: number,
  revenueSources: string[],
  priced: PricedLine[],
  fixed: FixedAssetLine[],
) {
  const f = ctx.t.financials;
  const revParts = spreadFen(
    revenueFen,
    priced.map((p) => p.weight),
  );
  const revDetails = priced.map((p, i) =>
    line(p.id, p.label, revParts[i] ?? 0, [...revenueSources, ...p.sources], `revenue × share of ${p.id}`),
  );
  const cogsDetails = priced.map((p, i) =>
    line(
      p.id,
      p.label,
      roundHalfUp((revParts[i] ?? 0) * p.costRatio),
      p.sources,
      `revenue of ${p.id} × unit cost / unit price`,
    ),
  );
  const revenue = total('revenue', L('营业收入', 'Revenue'), revDetails);
  const costOfSales = total('cost_of_sales', L('销售成本', 'Cost of sales'), cogsDetails);
  const grossProfit = line(
    'gross_profit',
    L('毛利', 'Gross profit'),
    revenue.amountFen - costOfSales.amountFen,
    [...revenue.sources, ...costOfSales.sources],
    'revenue − cost_of_sales',
  );
  const otherIncome = total(
    'other_income',
    L('其他收入', 'Other income'),
    f.otherIncome.map((a) => amountLine(ctx, a)),
  );
  const operatingCosts = total(
    'operating_costs',
    L('经营费用', 'Operating costs'),
    f.operatingCosts.map((a) => amountLine(ctx, a)),
  );
  const tax = total(
    'tax',
    L('税费', 'Tax'),
    f.tax.map((a) => amountLine(ctx, a)),
  );
  const other = total(
    'other',
    L('其他支出', 'Other'),
    f.other.map((a) => amountLine(ctx, a)),
  );
  const netProfit = line(
    'net_profit',
    L('净利润', 'Net profit'),
    grossProfit.amountFen +
      otherIncome.amountFen -
      operatingCosts.amountFen -
      tax.amountFen -
      other.amountFen,
    [
      ...grossProfit.sources,
      ...otherIncome.sources,
      ...operatingCosts.sources,
      ...tax.sources,
      ...other.sources,
    ],
    'gross_profit + other_income − operating_costs − tax − other',
  );
  const depreciation = total(
    'depreciation',
    L('折旧（备忘，未计入净利润）', 'Depreciation (memo, not in net profit)'),
    fixed.map((a) =>
      line(a.id, a.label, a.monthlyDepreciationFen, a.sources, 'cost / useful life / 12 while in use'),
    ),
  );
  const pnl: ProfitAndLoss = {
    period: 'month',
    revenue,
    costOfSales,
    grossProfit,
    otherIncome,
    operatingCosts,
    tax,
    other,
    netProfit,
    depreciation,
  };
  return pnl;
}

function annual(p: ProfitAndLoss): ProfitAndLoss {
  const s = (l: Line) => scale(l, 12, '× 12');
  return {
    period: 'year',
    revenue: s(p.revenue),
    costOfSales: s(p.costOfSales),
    grossProfit: s(p.grossProfit),
    otherIncome: s(p.otherIncome),
    operatingCosts: s(p.operatingCosts),
    tax: s(p.tax),
    other: s(p.other),
    netProfit: s(p.netProfit),
    depreciation: s(p.depreciation),
  };
}

const MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

/** Calendar-month weights of revenue (and of cost of sales where it follows sales). */
function seasonWeights(ctx: Ctx): number[] {
  const p = ctx.t.financials.profile;
  if (p.kind !== 'seasons') return MONTHS.map(() => 1);
  const w = MONTHS.map(() => 1);
  const place = (startRef: string, monthsRef: string, factor: number) => {
    const start = num(ctx, startRef);
    const n = Math.min(12, Math.max(0, Math.floor(num(ctx, monthsRef) ?? 0)));
    if (start === undefined || n === 0) return [];
    return Array.from({ length: n }, (_, i) => (((start - 1 + i) % 12) + 12) % 12).map((m) => {
      w[m] = factor;
      return m;
    });
  };
  // Slow first, then peak: where the officer's two seasons overlap, the peak wins.
  place(p.slowStartRef, p.slowMonthsRef, 1 - (num(ctx, p.slowDropPctRef) ?? 0) / 100);
  place(p.peakStartRef, p.peakMonthsRef, 1 + (num(ctx, p.peakUpliftPctRef) ?? 0) / 100);
  return w.map((x) => Math.max(0, x));
}

/** Months (1..12) of the sale events in the coming year for a livestock cycle. */
export function saleMonths(firstSaleMonth: number, cycleDays: number): number[] {
  const out: number[] = [];
  if (!(cycleDays > 0)) return out;
  for (let t = 0; t < 365; t += cycleDays)
    out.push(((firstSaleMonth - 1 + Math.floor((t * 12) / 365)) % 12) + 1);
  return out;
}

function cashFlow(ctx: Ctx, m: ProfitAndLoss, priced: PricedLine[], household: Household): CashFlowMonth[] {
  const p = ctx.t.financials.profile;
  const annualRev = m.revenue.amountFen * 12;
  const annualCogs = m.costOfSales.amountFen * 12;
  let rev: number[];
  let cogs: number[];
  if (p.kind === 'harvest') {
    rev = MONTHS.map(() => 0);
    cogs = MONTHS.map(() => 0);
    (m.revenue.details ?? []).forEach((d, i) => {
      const pl = priced[i];
      const c = (m.costOfSales.details ?? [])[i];
      const revIn = pl?.harvestMonth
        ? MONTHS.map((x) => (x === pl.harvestMonth ? 1 : 0))
        : MONTHS.map(() => 1);
      const cogsIn = pl?.sowMonth ? MONTHS.map((x) => (x === pl.sowMonth ? 1 : 0)) : MONTHS.map(() => 1);
      spreadFen(d.amountFen * 12, revIn).forEach((v, k) => (rev[k] = (rev[k] ?? 0) + v));
      spreadFen((c?.amountFen ?? 0) * 12, cogsIn).forEach((v, k) => (cogs[k] = (cogs[k] ?? 0) + v));
    });
  } else if (p.kind === 'cycles') {
    const first = num(ctx, p.firstSaleMonthRef);
    const days = num(ctx, p.cycleDaysRef);
    const weights = MONTHS.map(() => 0);
    if (first !== undefined && days !== undefined && days > 0)
      for (const mo of saleMonths(first, days)) weights[mo - 1] = (weights[mo - 1] ?? 0) + 1;
    else weights.fill(1);
    rev = spreadFen(annualRev, weights);
    // Animals eat every month: the cost of sales flows evenly.
    cogs = spreadFen(
      annualCogs,
      MONTHS.map(() => 1),
    );
  } else {
    const w = seasonWeights(ctx);
    rev = spreadFen(annualRev, w);
    cogs = spreadFen(annualCogs, w);
  }
  let cumulative = 0;
  return MONTHS.map((month, i) => {
    const revenueFen = rev[i] ?? 0;
    const costOfSalesFen = cogs[i] ?? 0;
    const taxAndOtherFen = m.tax.amountFen + m.other.amountFen;
    const businessNetFen =
      revenueFen - costOfSalesFen - m.operatingCosts.amountFen + m.otherIncome.amountFen - taxAndOtherFen;
    const netFen =
      businessNetFen -
      household.spendingMonthly.amountFen +
      household.otherIncomeMonthly.amountFen -
      household.debtPrincipalMonthly.amountFen;
    cumulative += netFen;
    return {
      month,
      revenueFen,
      costOfSalesFen,
      operatingCostsFen: m.operatingCosts.amountFen,
      otherIncomeFen: m.otherIncome.amountFen,
      taxAndOtherFen,
      businessNetFen,
      householdSpendingFen: household.spendingMonthly.amountFen,
      otherHouseholdIncomeFen: household.otherIncomeMonthly.amountFen,
      debtPrincipalFen: household.debtPrincipalMonthly.amountFen,
      netFen,
      cumulativeFen: cumulative,
    };
  });
}

function householdView(ctx: Ctx, netProfit: Line): Household {
  const fen = (id: string) => {
    const v = num(ctx, id);
    return v === undefined ? 0 : yuanToFen(v);
  };
  const present = (...ids: string[]) => ids.filter((id) => ctx.values.has(id));
  const spendingMonthly = line(
    'household_spending',
    L('家庭生活支出', 'Household spending'),
    fen(COMMON.householdSpending),
    present(COMMON.householdSpending),
    COMMON.householdSpending,
  );
  const otherIncomeMonthly = line(
    'other_household_income',
    L('家庭其他收入', 'Other household income'),
    fen(COMMON.otherHouseholdIncome),
    present(COMMON.otherHouseholdIncome),
    COMMON.otherHouseholdIncome,
  );
  const debtPrincipalMonthly = line(
    'debt_principal',
    L('现有借款月还本', 'Principal repaid on existing debt'),
    Math.max(0, fen(COMMON.existingInstalments) - fen(COMMON.loanInterest)),
    present(COMMON.existingInstalments, COMMON.loanInterest),
    `max(0, ${COMMON.existingInstalments} − ${COMMON.loanInterest}) (interest is already in the P&L)`,
  );
  const disposableMonthly = line(
    'disposable_income',
    L('月可支配收入', 'Monthly disposable income'),
    netProfit.amountFen +
      otherIncomeMonthly.amountFen -
      spendingMonthly.amountFen -
      debtPrincipalMonthly.amountFen,
    [
      ...netProfit.sources,
      ...otherIncomeMonthly.sources,
      ...spendingMonthly.sources,
      ...debtPrincipalMonthly.sources,
    ],
    'net_profit + other_household_income − household_spending − debt_principal',
  );
  const size = num(ctx, COMMON.householdSize);
  return { size: size ?? null, spendingMonthly, otherIncomeMonthly, debtPrincipalMonthly, disposableMonthly };
}

function routes(ctx: Ctx, revenue: Line, costOfSales: Line): SalesRouteFigure[] {
  return ctx.t.financials.routes.map((r) => {
    const v = num(ctx, r.ref);
    const sources = ctx.values.has(r.ref) ? sourcesOf(ctx.t, r.ref) : [];
    if (v === undefined || v <= 0)
      return {
        id: r.id,
        label: r.label,
        kind: r.kind,
        monthlySalesFen: null,
        sources,
        formula: `${r.ref} not available`,
      };
    const fen = yuanToFen(v);
    if (r.kind === 'revenue')
      return { id: r.id, label: r.label, kind: r.kind, monthlySalesFen: fen, sources, formula: r.ref };
    // purchases ÷ (1 − margin) = purchases × revenue / cost of sales
    const ok = costOfSales.amountFen > 0;
    return {
      id: r.id,
      label: r.label,
      kind: r.kind,
      monthlySalesFen: ok ? roundHalfUp((fen * revenue.amountFen) / costOfSales.amountFen) : null,
      sources: uniq([...sources, ...costOfSales.sources]),
      formula: ok ? `${r.ref} ÷ (1 − gross margin)` : 'no cost of sales: margin route not available',
    };
  });
}

function previousAnalysis(ctx: Ctx): PreviousAnalysis | null {
  if (ctx.values.get(COMMON.hasPreviousAnalysis) !== true) return null;
  const eq = num(ctx, COMMON.previousEquity);
  const months = num(ctx, COMMON.periodMonths);
  if (eq === undefined || months === undefined || months <= 0) return null;
  const fen = (id: string) => yuanToFen(num(ctx, id) ?? 0);
  const ids = [
    COMMON.previousEquity,
    COMMON.periodMonths,
    COMMON.capitalInjected,
    COMMON.revaluation,
    COMMON.otherWithdrawals,
  ];
  return {
    equityFen: yuanToFen(eq),
    periodMonths: months,
    capitalInjectedFen: fen(COMMON.capitalInjected),
    revaluationFen: fen(COMMON.revaluation),
    otherWithdrawalsFen: fen(COMMON.otherWithdrawals),
    sources: ids.filter((id) => ctx.values.has(id)),
  };
}

/**
 * Rebuilds the statements of one business from its survey. Throws FINANCIALS_INCOMPLETE (422) when the primary
 * sales route or every way of pricing the goods is missing.
 */
export function reconstructFinancials(template: SurveyTemplate, answers: Answers): Financials {
  const ctx: Ctx = { t: template, values: surveyValues(template, answers) };
  const f = template.financials;
  const primary = f.routes.find((r) => r.id === f.primaryRoute);
  const primaryYuan = primary ? num(ctx, primary.ref) : undefined;
  if (!primary || primaryYuan === undefined)
    throw unprocessable(
      'FINANCIALS_INCOMPLETE',
      `the primary sales route "${f.primaryRoute}" cannot be computed`,
      {
        missing: primary
          ? sourcesOf(template, primary.ref).filter((id) => !ctx.values.has(id))
          : [f.primaryRoute],
      },
    );
  const { lines, basis } = pricedLines(ctx);
  const bs = balanceSheet(ctx);
  const pnlMonthly = monthlyPnl(
    ctx,
    yuanToFen(primaryYuan),
    sourcesOf(template, primary.ref),
    lines,
    bs.fixedAssets,
  );
  const household = householdView(ctx, pnlMonthly.netProfit);
  const revenueFen = pnlMonthly.revenue.amountFen;
  const grossMargin: GrossMargin = {
    value: revenueFen > 0 ? pnlMonthly.grossProfit.amountFen / revenueFen : 0,
    basis,
    sources: uniq(lines.flatMap((l) => l.sources)),
    formula:
      basis === 'product_lines'
        ? 'Σ (1 − unit cost / unit price) × sales share'
        : `${f.claimedMarginRef} (owner's claim; product lines not priced)`,
  };
  const newBorrowing = num(ctx, COMMON.newBorrowing12m);
  return {
    templateId: template.id,
    templateVersion: template.version,
    sector: template.sector,
    balanceSheet: bs,
    grossMargin,
    pnlMonthly,
    pnlAnnual: annual(pnlMonthly),
    cashFlow: cashFlow(ctx, pnlMonthly, lines, household),
    operatingCashFlowMonthly: line(
      'operating_cash_flow',
      L('月经营现金流', 'Monthly operating cash flow'),
      pnlMonthly.netProfit.amountFen,
      pnlMonthly.netProfit.sources,
      'net_profit (cash basis: depreciation is not deducted)',
    ),
    household,
    salesRoutes: routes(ctx, pnlMonthly.revenue, pnlMonthly.costOfSales),
    primaryRoute: f.primaryRoute,
    newBorrowing12m: line(
      'new_borrowing_12m',
      L('近12个月新增借款', 'New borrowing in the last 12 months'),
      newBorrowing === undefined ? 0 : yuanToFen(newBorrowing),
      ctx.values.has(COMMON.newBorrowing12m) ? [COMMON.newBorrowing12m] : [],
      COMMON.newBorrowing12m,
    ),
    previous: previousAnalysis(ctx),
  };
}
