import { describe, expect, it } from 'vitest';
import { seededRng } from '../../../src/platform/deps.js';
import { DEFAULT_CATALOGUE } from '../../../src/questions/catalogue/default.js';
import { generateBank } from '../../../src/questions/generate.js';
import { SAMPLE_CASES } from '../../../src/questions/samples.js';
import type { BankQuestion, QuestionBank } from '../../../src/questions/types.js';
import { SECTORS } from '../../../src/questions/types.js';
import { DEFAULT_ANSWER_MODEL } from '../../../src/dialog/belief/index.js';
import { greedyChooser } from '../../../src/dialog/policy/index.js';
import type { RespondentType } from '../../../src/dialog/sim/index.js';
import {
  bendOf,
  createRespondent,
  drawProfile,
  expectedFactValues,
  simulateInterview,
  truthLabels,
} from '../../../src/dialog/sim/index.js';

// Banks of the production catalogue, whose routes do not all expect the fact's own quantity.
const livestock = generateBank(SAMPLE_CASES.livestock, DEFAULT_CATALOGUE, { seed: 1 });
const byTemplate = (bank: QuestionBank, id: string): BankQuestion => {
  const q = bank.questions.find((x) => x.templateId === id);
  if (!q) throw new Error(`no question ${id}`);
  return q;
};
const pointOf = (q: BankQuestion): number => {
  if (q.expected.kind !== 'number') throw new Error(`${q.id} expects no single figure`);
  return q.expected.value;
};

/** The answers of `n` respondents of a type to one question, as figures (declines and departures left out). */
function figures(bank: QuestionBank, q: BankQuestion, type: RespondentType, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = createRespondent(drawProfile(bank, type, seededRng(i)), seededRng(10_000 + i)).answer(q);
    if (a.kind !== 'number') continue;
    const v = a.value ?? ((a.low ?? 0) + (a.high ?? 0)) / 2;
    out.push(v);
  }
  return out;
}

const share = (xs: number[], ok: (x: number) => boolean) => xs.filter(ok).length / xs.length;

describe('a respondent answers each question in its own terms', () => {
  const original = byTemplate(livestock, 'loans.existing.original');
  const stated = byTemplate(livestock, 'loans.existing.stated');

  it('takes the fact’s expectation from the question asking for the fact itself', () => {
    // The sample case owes 300,000 on loans that were 80,000 at the start (different survey answers).
    expect(pointOf(stated)).not.toBe(pointOf(original));
    expect(expectedFactValues(livestock)['loans.existing_total']).toBe(pointOf(stated));
  });

  it('gives the original principal near what that question expects, not the balance outstanding', () => {
    const tol = original.expected.kind === 'number' ? original.expected.tolerance.fail : 0;
    for (const type of ['honest', 'imprecise'] as const) {
      const xs = figures(livestock, original, type, 200);
      expect(xs.length).toBeGreaterThan(150);
      // Within the question's own fail band, as an honest applicant's answers are (truth noise, officer slips).
      expect(share(xs, (x) => Math.abs(x / pointOf(original) - 1) <= tol)).toBeGreaterThan(0.9);
    }
    const balances = figures(livestock, stated, 'honest', 200);
    expect(share(balances, (x) => Math.abs(x / pointOf(stated) - 1) <= 0.3)).toBeGreaterThan(0.9);
  });

  it('answers one applicant’s routes with the same relative deviation from each one’s expectation', () => {
    const offs: number[] = [];
    for (let i = 0; i < 200; i++) {
      const profile = drawProfile(livestock, 'honest', seededRng(i));
      const truth = profile.truth['loans.existing_total'] as number;
      const relative = truth / (expectedFactValues(livestock)['loans.existing_total'] as number);
      const a = createRespondent(profile, seededRng(500 + i)).answer(original);
      if (a.kind !== 'number' || a.value === undefined) continue;
      offs.push(Math.abs(a.value / (pointOf(original) * relative) - 1));
    }
    expect(offs.length).toBeGreaterThan(150);
    // Only the answer's own noise (8% on an indirect route) and rounding to two or three digits remain.
    expect(share(offs, (x) => x < 0.1)).toBeGreaterThan(0.75);
    expect(share(offs, (x) => x < 0.25)).toBeGreaterThan(0.97);
  });

  it('answers a start year or a birth year with a calendar year inside the bank’s range when the fact is as expected', () => {
    for (const [id, factId] of [
      ['business.years.start_year', 'business.months_operating'],
      ['identity.age.birth_year', 'identity.age'],
    ] as const) {
      const q = byTemplate(livestock, id);
      if (q.expected.kind !== 'range') throw new Error(`${id} expects a range of years`);
      const { low, high } = q.expected;
      let n = 0;
      let inside = 0;
      for (let i = 0; i < 200; i++) {
        const profile = drawProfile(livestock, 'honest', seededRng(i));
        if (!truthLabels(livestock, profile)[factId]) continue;
        const a = createRespondent(profile, seededRng(300 + i)).answer(q);
        if (a.kind !== 'number' || a.value === undefined) continue;
        expect(Number.isInteger(a.value)).toBe(true);
        n++;
        if (a.value >= low && a.value <= high) inside++;
      }
      expect(n).toBeGreaterThan(120);
      expect(inside / n).toBeGreaterThan(0.9);
    }
  });

  it('quotes a trade price within the bank’s range, which a nominee borrower does not know', () => {
    const grocery = generateBank(SAMPLE_CASES.grocery, DEFAULT_CATALOGUE, { seed: 2 });
    const q = byTemplate(grocery, 'insider.grocery.water_case');
    if (q.expected.kind !== 'range') throw new Error('a price range is expected');
    const { low, high } = q.expected;
    const inside = (x: number) => x >= low && x <= high;
    expect(share(figures(grocery, q, 'honest', 100), inside)).toBe(1);
    let nominees = 0;
    let off = 0;
    for (let i = 0; i < 400; i++) {
      const profile = drawProfile(grocery, 'fabricating', seededRng(i));
      if (profile.knowsTrade) continue;
      nominees++;
      const a = createRespondent(profile, seededRng(i + 1)).answer(q);
      if (a.kind !== 'number' || !inside(a.value!)) off++;
    }
    expect(nominees).toBeGreaterThan(50);
    expect(off / nominees).toBeGreaterThan(0.5);
  });

  it('carries a fabricator’s misstatement through every route of the fact in that route’s terms', () => {
    const grocery = generateBank(SAMPLE_CASES.grocery, DEFAULT_CATALOGUE, { seed: 3 });
    const direct = byTemplate(grocery, 'sales.monthly.stated');
    // The purchases route expects ~5% more than the stated sales (the case's margin and purchases disagree a little).
    const purchases = byTemplate(grocery, 'sales.monthly.grocery_purchases');
    let cases = 0;
    let directAtClaim = 0;
    let indirectBelow = 0;
    for (let i = 0; i < 400 && cases < 60; i++) {
      const profile = drawProfile(grocery, 'fabricating', seededRng(i));
      if (!profile.fabricated.includes('sales.monthly')) continue;
      cases++;
      const r = createRespondent(profile, seededRng(700 + i));
      const d = r.answer(direct);
      const x = r.answer(purchases);
      if (d.kind === 'number' && d.value !== undefined && Math.abs(d.value / pointOf(direct) - 1) < 0.1)
        directAtClaim++;
      if (x.kind === 'number') {
        const v = x.value ?? ((x.low ?? 0) + (x.high ?? 0)) / 2;
        if (v / pointOf(purchases) < 0.9) indirectBelow++;
      }
    }
    expect(cases).toBeGreaterThan(30);
    expect(directAtClaim / cases).toBeGreaterThan(0.7);
    expect(indirectBelow / cases).toBeGreaterThan(0.7);
  });

  it('leaves clean honest applicants on catalogue banks almost never flagged', () => {
    let clean = 0;
    let flagged = 0;
    for (let i = 0; i < 36; i++) {
      const bank = generateBank(SAMPLE_CASES[SECTORS[i % SECTORS.length]!], DEFAULT_CATALOGUE, {
        seed: 40 + i,
      });
      const profile = drawProfile(bank, 'honest', seededRng(i));
      if (!Object.values(truthLabels(bank, profile)).every(Boolean)) continue;
      clean++;
      const r = simulateInterview(bank, createRespondent(profile, seededRng(90 + i)), {
        model: DEFAULT_ANSWER_MODEL,
        chooser: greedyChooser,
        budget: 12,
        rng: seededRng(7 + i),
      });
      if (r.flagged) flagged++;
    }
    expect(clean).toBeGreaterThan(24);
    expect(flagged).toBeLessThanOrEqual(1);
  });
});

describe('answers in words', () => {
  it('answers a question in the applicant’s own words with words even when the bank expects nothing in particular', () => {
    const bank = generateBank(SAMPLE_CASES.grocery, DEFAULT_CATALOGUE, { seed: 5 });
    const q = byTemplate(bank, 'loan.willingness.stated');
    expect(q.expected.kind).toBe('unknown');
    const kinds = new Set<string>();
    for (let i = 0; i < 50; i++)
      kinds.add(createRespondent(drawProfile(bank, 'honest', seededRng(i)), seededRng(i + 1)).answer(q).kind);
    expect(kinds.has('choice')).toBe(true);
  });
});

describe('fabricators on production-catalogue banks', () => {
  it('bend the catalogue’s debts down and hide arrears and court records, as on synthetic banks', () => {
    expect(bendOf('loans.existing_total')).toBe('understate');
    expect(bendOf('loans.monthly_repayment')).toBe('understate');
    expect(bendOf('loans.private_borrowing')).toBe('understate');
    expect(bendOf('loans.overdue_elsewhere')).toBe('hide');
    expect(bendOf('legal.disputes')).toBe('hide');
    expect(bendOf('household.spending_monthly')).toBe('understate');
    expect(bendOf('debt.total')).toBe('understate');
    expect(bendOf('sales.monthly')).toBe('inflate');
    expect(bendOf('identity.age')).toBeUndefined();
  });

  it('misstate loans the way a borrower gains, and hide only what the bank does not know yet', () => {
    let loans = 0;
    for (let i = 0; i < 120; i++) {
      const sector = SECTORS[i % SECTORS.length]!;
      const bank = generateBank(SAMPLE_CASES[sector], DEFAULT_CATALOGUE, { seed: i });
      const p = drawProfile(bank, 'fabricating', seededRng(i));
      for (const id of p.fabricated) {
        const bend = bendOf(id);
        expect(bend).toBeDefined();
        if (bend === 'hide') expect([p.claims[id], p.truth[id]]).toEqual([false, true]);
        if (bend === 'understate') expect(p.truth[id] as number).toBeGreaterThan(p.claims[id] as number);
        if (id.startsWith('loans.')) loans++;
      }
    }
    expect(loans).toBeGreaterThan(0);
  });
});
