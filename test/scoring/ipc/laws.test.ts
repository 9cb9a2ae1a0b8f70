import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_TEMPLATES, allQuestions } from '../../../src/cases/templates/index.js';
import type { Answers } from '../../../src/cases/templates/index.js';
import { reconstructFinancials, roundHalfUp, spreadFen } from '../../../src/scoring/ipc/index.js';
import {
  cropsAnswers,
  groceryAnswers,
  livestockAnswers,
  processingAnswers,
  restaurantAnswers,
  transportAnswers,
} from './cases.js';

const cases: [string, Answers][] = [
  ['ipc_grocery', groceryAnswers],
  ['ipc_restaurant', restaurantAnswers],
  ['ipc_crops', cropsAnswers],
  ['ipc_livestock', livestockAnswers],
  ['ipc_transport', transportAnswers],
  ['ipc_processing', processingAnswers],
];

describe('money in fen', () => {
  it('spreads an amount over weights into whole fen that add up exactly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e10, max: 1e10 }),
        fc.array(fc.double({ min: 0, max: 5, noNaN: true }), { minLength: 1, maxLength: 12 }),
        (total, weights) => {
          fc.pre(weights.some((w) => w > 0));
          const parts = spreadFen(total, weights);
          expect(parts.every(Number.isInteger)).toBe(true);
          expect(parts.reduce((s, x) => s + x, 0)).toBe(total);
        },
      ),
    );
  });

  it('rounds half away from zero despite float noise', () => {
    expect(roundHalfUp(2.5)).toBe(3);
    expect(roundHalfUp(-2.5)).toBe(-3);
    expect(roundHalfUp(1.005 * 100)).toBe(101); // 100.49999999999999 in binary
    expect(roundHalfUp(-0.4)).toBe(0);
  });
});

describe('statement identities over random surveys', () => {
  const ledgerIds = new Map(
    BUILT_IN_TEMPLATES.map((t) => [
      t.id,
      allQuestions(t)
        .filter((q) => q.ledger || q.id.startsWith('fa_'))
        .map((q) => q.id),
    ]),
  );

  it('keeps assets = liabilities + equity, annual = 12 × monthly and the cash-flow year whole', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...cases),
        fc.array(fc.tuple(fc.nat({ max: 200 }), fc.integer({ min: 0, max: 2_000_000 })), { maxLength: 12 }),
        fc.integer({ min: 1, max: 30 }),
        ([id, base], edits, scaleTenths) => {
          const t = BUILT_IN_TEMPLATES.find((x) => x.id === id);
          if (!t) throw new Error(id);
          const ids = ledgerIds.get(id) ?? [];
          const a: Record<string, unknown> = { ...base, has_bank_loans: true, has_guarantees: true };
          for (const [i, v] of edits) {
            const q = ids[i % ids.length];
            if (q && !q.includes('years') && !q.includes('life')) a[q] = v;
          }
          a.household_spending_monthly = ((base.household_spending_monthly as number) * scaleTenths) / 10;
          const f = reconstructFinancials(t, a as Answers);
          const bs = f.balanceSheet;
          expect(bs.totalAssets.amountFen).toBe(bs.totalLiabilities.amountFen + bs.equity.amountFen);
          expect(bs.totalAssets.amountFen).toBe(bs.assets.reduce((s, l) => s + l.amountFen, 0));
          expect(bs.totalLiabilities.amountFen).toBe(bs.liabilities.reduce((s, l) => s + l.amountFen, 0));
          expect(f.pnlAnnual.netProfit.amountFen).toBe(12 * f.pnlMonthly.netProfit.amountFen);
          const yearRevenue = f.cashFlow.reduce((s, m) => s + m.revenueFen, 0);
          expect(yearRevenue).toBe(f.pnlAnnual.revenue.amountFen);
          expect(f.cashFlow.at(-1)?.cumulativeFen).toBe(12 * f.household.disposableMonthly.amountFen);
          const p = f.pnlMonthly;
          expect(p.netProfit.amountFen).toBe(
            p.revenue.amountFen -
              p.costOfSales.amountFen +
              p.otherIncome.amountFen -
              p.operatingCosts.amountFen -
              p.tax.amountFen -
              p.other.amountFen,
          );
        },
      ),
      { numRuns: 80 },
    );
  });
});
