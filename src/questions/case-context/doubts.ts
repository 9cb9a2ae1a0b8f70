/**
 * IPC cross-check doubts (src/scoring/ipc/crosschecks.ts, whose fact ids are the IPC engineer's own) → the
 * catalogue's facts that an interview can ask about. Each IPC id lists, per sector, the facts whose answers
 * would confirm or refute the figure the check doubted. The reason is the check's own zh-CN explanation: for
 * staff reports and compliance only, never shown to the applicant.
 */
import type { CheckResult } from '../../scoring/ipc/index.js';
import type { Doubt } from '../schemas.js';
import type { Sector } from '../types.js';

export interface DoubtTarget {
  factId: string;
  /** Sectors where this target applies; absent: every sector. */
  sectors?: readonly Sector[];
}

export interface DoubtRule {
  /** The fact id a CheckResult names. */
  ipcFactId: string;
  targets: readonly DoubtTarget[];
  why: string;
}

const MONTHLY_SALES: readonly Sector[] = ['grocery', 'restaurant', 'transport', 'processing'];
const FARMS: readonly Sector[] = ['crops', 'livestock'];
const SHOPS: readonly Sector[] = ['grocery', 'restaurant', 'processing'];

/** The sales fact of each sector: monthly where trade is steady, annual where it comes by harvest or batch. */
const SALES: readonly DoubtTarget[] = [
  { factId: 'sales.monthly', sectors: MONTHLY_SALES },
  { factId: 'sales.annual', sectors: FARMS },
];

export const DOUBT_RULES: readonly DoubtRule[] = [
  { ipcFactId: 'sales.monthly', targets: SALES, why: 'a sales route disagrees with the rebuilt revenue' },
  {
    ipcFactId: 'account.inflows',
    targets: SALES,
    why: 'account inflows are a route to sales; the catalogue has no fact for the accounts themselves',
  },
  {
    ipcFactId: 'purchases.monthly',
    targets: [
      { factId: 'purchases.monthly', sectors: SHOPS },
      // Where the catalogue has no purchases fact, the fact whose indirect route rests on the same spending.
      { factId: 'crops.area_mu', sectors: ['crops'] },
      { factId: 'livestock.herd_size', sectors: ['livestock'] },
      { factId: 'transport.trips_monthly', sectors: ['transport'] },
    ],
    why: 'purchases ÷ (1 − margin) disagree with sales: either the purchases or what they buy for are off',
  },
  {
    ipcFactId: 'margin.gross',
    targets: [
      { factId: 'margin.gross', sectors: SHOPS },
      { factId: 'crops.yield_per_mu', sectors: ['crops'] },
      { factId: 'crops.price', sectors: ['crops'] },
      { factId: 'sales.annual', sectors: ['livestock'] },
      { factId: 'sales.monthly', sectors: ['transport'] },
    ],
    why: 'a margin outside the sector range: prices, yields or sales are misstated',
  },
  {
    ipcFactId: 'equity',
    targets: [{ factId: 'loans.existing_total' }, { factId: 'loans.private_borrowing' }, ...SALES],
    why: 'unexplained wealth means hidden debt or an inflated P&L (DOMAIN.md, equity reconciliation)',
  },
  {
    ipcFactId: 'debt.total',
    targets: [{ factId: 'loans.existing_total' }, { factId: 'loans.private_borrowing' }],
    why: 'the debt figures behind a failed check',
  },
  {
    ipcFactId: 'profit.monthly',
    targets: [...SALES, { factId: 'purchases.monthly', sectors: SHOPS }],
    why: 'profit rests on sales and what is bought to make them',
  },
  {
    ipcFactId: 'inventory.value',
    targets: [
      { factId: 'stock.value', sectors: ['grocery', 'restaurant', 'processing', 'crops'] },
      { factId: 'livestock.herd_size', sectors: ['livestock'] },
    ],
    why: 'stock out of line with sales; on a farm of animals the stock is the herd',
  },
  {
    ipcFactId: 'receivables.value',
    targets: [
      { factId: 'receivables.total', sectors: MONTHLY_SALES },
      { factId: 'sales.annual', sectors: FARMS },
    ],
    why: 'receivables out of line with sales; a farm has no receivables fact, so its sales are asked',
  },
  {
    ipcFactId: 'household.spending',
    targets: [{ factId: 'household.spending_monthly' }],
    why: 'household spending below what the household needs',
  },
  {
    ipcFactId: 'household.size',
    targets: [{ factId: 'household.size' }],
    why: 'the household the spending feeds',
  },
  {
    ipcFactId: 'repayment.capacity',
    targets: [...SALES, { factId: 'household.spending_monthly' }, { factId: 'loans.monthly_repayment' }],
    why: 'disposable income = profit + other income − household spending − debt service',
  },
  {
    ipcFactId: 'debt.new',
    targets: [{ factId: 'loans.existing_total' }, { factId: 'loan.purpose' }],
    why: 'heavy new borrowing: new loans to repay old ones (DOMAIN.md, early warning)',
  },
  {
    ipcFactId: 'guarantees.given',
    // The catalogue has no fact for guarantees given; a guarantee called becomes a debt.
    targets: [{ factId: 'loans.existing_total' }],
    why: 'guarantees given for others above the net worth',
  },
  {
    ipcFactId: 'debt.nonbank',
    targets: [{ factId: 'loans.private_borrowing' }],
    why: 'a large share of debt outside banks',
  },
];

const RULE_BY_ID = new Map(DOUBT_RULES.map((r) => [r.ipcFactId, r]));

/** The catalogue facts an IPC fact id points at in one sector. */
export function doubtTargets(ipcFactId: string, sector: Sector): string[] {
  const rule = RULE_BY_ID.get(ipcFactId);
  if (!rule) return [];
  return rule.targets.filter((t) => !t.sectors || t.sectors.includes(sector)).map((t) => t.factId);
}

export interface UnmappedCheckFact {
  check: string;
  ipcFactId: string;
  verdict: 'warn' | 'fail';
}

/**
 * One doubt per catalogue fact and check that warns or fails. A check naming two IPC ids that lead to the same
 * fact (sales.inflows: sales.monthly and account.inflows) is one piece of evidence, not two; two checks are two.
 */
export function doubtsFromChecks(
  checks: readonly CheckResult[],
  sector: Sector,
): { doubts: Doubt[]; unmapped: UnmappedCheckFact[] } {
  const doubts: Doubt[] = [];
  const unmapped: UnmappedCheckFact[] = [];
  for (const c of checks) {
    if (c.verdict !== 'warn' && c.verdict !== 'fail') continue;
    const verdict = c.verdict;
    const seen = new Set<string>();
    for (const ipcFactId of c.factIds) {
      const targets = doubtTargets(ipcFactId, sector);
      if (targets.length === 0) unmapped.push({ check: c.name, ipcFactId, verdict });
      for (const factId of targets) {
        if (seen.has(factId)) continue;
        seen.add(factId);
        doubts.push({
          factId,
          severity: verdict,
          reason: `${c.name}：${c.explanation['zh-CN']}`,
          origin: 'cross_check',
        });
      }
    }
  }
  return { doubts, unmapped };
}
