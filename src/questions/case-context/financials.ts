/**
 * Catalogue financial lines (src/questions/sources.ts) from the rebuilt IPC statements (src/scoring/ipc), in
 * yuan: fen ÷ 100, the double nearest the decimal amount (every integer fen maps back by × 100 and rounding).
 * Ratios stay fractions. A line whose answers are missing is left out, never zero.
 */
import { fenToYuan } from '../../scoring/ipc/index.js';
import type { Financials, Line } from '../../scoring/ipc/index.js';
import type { SurveyReader } from './survey.js';

export interface FinancialLineRule {
  /** The catalogue's financial line (a name of DEFAULT_KNOWN_SOURCES.financials). */
  line: string;
  formula: string;
  value: (f: Financials, s: SurveyReader) => number | undefined;
}

const yuan = (l: Line | undefined): number | undefined =>
  l === undefined ? undefined : fenToYuan(l.amountFen);

/** A sum line counts when at least one of its parts was answered (ledger lines list only answered ones). */
const answeredSum = (l: Line | undefined): number | undefined =>
  l !== undefined && (l.details?.length ?? 0) > 0 ? yuan(l) : undefined;

/** An operating cost of the P&L, when the answer (or every answer of a computed cost) behind it is there. */
function operatingCost(f: Financials, s: SurveyReader, id: string): number | undefined {
  const ref = s.template.financials.operatingCosts.find((a) => a.id === id)?.ref;
  if (ref === undefined || !s.answered(ref)) return undefined;
  return yuan(f.pnlMonthly.operatingCosts.details?.find((d) => d.id === id));
}

const asset = (f: Financials, id: string) => f.balanceSheet.assets.find((a) => a.id === id);
const liability = (f: Financials, id: string) => f.balanceSheet.liabilities.find((a) => a.id === id);

export const FINANCIAL_LINE_RULES: readonly FinancialLineRule[] = [
  {
    line: 'pl.revenue.monthly',
    formula: 'pnlMonthly.revenue (the primary sales route, average month)',
    value: (f) => yuan(f.pnlMonthly.revenue),
  },
  {
    line: 'pl.revenue.annual',
    formula: 'pnlAnnual.revenue',
    value: (f) => yuan(f.pnlAnnual.revenue),
  },
  {
    line: 'pl.cogs.monthly',
    formula: 'pnlMonthly.costOfSales',
    value: (f) => yuan(f.pnlMonthly.costOfSales),
  },
  {
    line: 'pl.gross_margin',
    formula: 'grossMargin.value (fraction), when there is revenue',
    value: (f) => (f.pnlMonthly.revenue.amountFen > 0 ? f.grossMargin.value : undefined),
  },
  {
    line: 'pl.opex.rent.monthly',
    formula: "the operating cost 'rent' (shop or workshop rent; land rent is not premises rent)",
    value: (f, s) => operatingCost(f, s, 'rent'),
  },
  {
    line: 'pl.opex.wages.monthly',
    formula: "the operating cost 'wages' (hired staff)",
    value: (f, s) => operatingCost(f, s, 'wages'),
  },
  {
    line: 'pl.net_profit.monthly',
    formula: 'pnlMonthly.netProfit',
    value: (f) => yuan(f.pnlMonthly.netProfit),
  },
  {
    line: 'bs.inventory',
    formula: "balance sheet 'inventory' (stock by category, stored grain, feed…)",
    value: (f) => answeredSum(asset(f, 'inventory')),
  },
  {
    line: 'bs.receivables',
    formula: "balance sheet 'receivables'",
    value: (f) => answeredSum(asset(f, 'receivables')),
  },
  {
    line: 'bs.loans.total',
    // The catalogue asks "在银行、信用社还有多少贷款没还完": bank loans only; other lenders are asked apart.
    formula:
      'loans_short + loans_long (bank and credit-cooperative loans); known once has_bank_loans is answered',
    value: (f, s) => {
      const short = liability(f, 'loans_short');
      const long = liability(f, 'loans_long');
      const any = (short?.details?.length ?? 0) + (long?.details?.length ?? 0) > 0;
      if (!any && s.bool('has_bank_loans') === undefined) return undefined;
      return fenToYuan((short?.amountFen ?? 0) + (long?.amountFen ?? 0));
    },
  },
  {
    line: 'bs.private_borrowing',
    // The catalogue asks "除了银行和信用社…跟亲戚朋友或者别人借的钱": microcredit and online lenders are "别人".
    formula: 'balanceSheet.nonBankDebt (private borrowing + microcredit and online lenders)',
    value: (f) => {
      const parts = f.balanceSheet.nonBankDebt.details ?? [];
      return parts.some((p) => (p.details?.length ?? 0) > 0) ? yuan(f.balanceSheet.nonBankDebt) : undefined;
    },
  },
  {
    line: 'cf.household_spending.monthly',
    formula: 'household.spendingMonthly',
    value: (f) =>
      f.household.spendingMonthly.sources.length > 0 ? yuan(f.household.spendingMonthly) : undefined,
  },
  {
    line: 'cf.debt_service.monthly',
    // Financials keeps principal (household) and interest (P&L) apart; the instalment is the answer itself.
    formula: 'existing_instalments_monthly (principal and interest on all existing debt)',
    value: (_f, s) => s.num('existing_instalments_monthly'),
  },
];
