/**
 * Simulated applicants for tests and benchmarks. A respondent answers from a hidden true profile; its only input
 * is the question put to it, so it cannot see the policy's beliefs.
 *
 * Types: honest (true ≈ the bank's expectation, small noise), imprecise (rounding, ranges, 多/左右), evasive
 * (many "不知道"/refusals), fabricating (misstates one or two of the most doubtful facts the way a borrower
 * gains from — sales and stock up, debts down, other lenders hidden — repeats the claim when asked directly, and
 * lets the truth show partly through indirect questions, as an insider answers those without thinking).
 *
 * Each question is answered in its own terms. The truth is a value of the fact; a question whose own expectation
 * is a different quantity from the fact's (the original principal of the loans against the balance outstanding, a
 * receivables figure worked out from a survey's "days of sales" that disagrees with the stated one, a start year
 * for months in business) is answered with the same relative deviation from what THAT question expects, as a real
 * applicant answers the question asked. Figures are still rounded, hedged and ranged as the respondent type does.
 */
import type { Rng } from '../../platform/deps.js';
import type { BankQuestion, QuestionBank, Sector } from '../../questions/types.js';
import type { ObservedAnswer } from '../belief/types.js';

export type RespondentType = 'honest' | 'imprecise' | 'evasive' | 'fabricating';
export const RESPONDENT_TYPES: readonly RespondentType[] = ['honest', 'imprecise', 'evasive', 'fabricating'];

export type FactValue = number | boolean | string;

export interface HiddenProfile {
  type: RespondentType;
  sector: Sector;
  /** The true value of each fact, in the fact's unit. */
  truth: Record<string, FactValue>;
  /** What the applicant told the loan officer (the bank's expectation) for the facts it misstates. */
  claims: Record<string, FactValue>;
  fabricated: string[];
  /** False for a nominee borrower who does not run the business: control questions give them away. */
  knowsTrade: boolean;
  /**
   * The bank's expectation of each fact in its unit (`expectedFactValues`) and the fact's fail tolerance: where
   * the applicant's true value sits against what the bank expects, to answer each question relative to its own
   * expectation. Read from the bank like the question texts, never from the policy's beliefs.
   */
  expected: Record<string, FactValue>;
  failTolerance: Record<string, number>;
}

export interface RespondentParams {
  leave: number;
  unparseable: number;
  dontKnow: number;
  refuse: number;
  /** Relative noise of the true value around the expectation. */
  truthNoise: number;
  /** Chance that the officer's figure was simply wrong, and by how much (relative, either way). */
  officerError: number;
  officerErrorSize: [number, number];
}

export const RESPONDENT_PARAMS: Record<RespondentType, RespondentParams> = {
  honest: {
    leave: 0.005,
    unparseable: 0.03,
    dontKnow: 0.03,
    refuse: 0.01,
    truthNoise: 0.06,
    officerError: 0.01,
    officerErrorSize: [0.2, 0.4],
  },
  imprecise: {
    leave: 0.005,
    unparseable: 0.05,
    dontKnow: 0.06,
    refuse: 0.01,
    truthNoise: 0.08,
    officerError: 0.01,
    officerErrorSize: [0.2, 0.4],
  },
  evasive: {
    leave: 0.02,
    unparseable: 0.03,
    dontKnow: 0.25,
    refuse: 0.12,
    truthNoise: 0.06,
    officerError: 0.01,
    officerErrorSize: [0.2, 0.4],
  },
  fabricating: {
    leave: 0.01,
    unparseable: 0.03,
    dontKnow: 0.05,
    refuse: 0.03,
    truthNoise: 0.06,
    officerError: 0.01,
    officerErrorSize: [0.2, 0.4],
  },
};

/** Box–Muller standard normal from the seeded generator. */
export function normal(rng: Rng): number {
  const u = Math.max(rng.next(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

const uniform = (rng: Rng, lo: number, hi: number) => lo + (hi - lo) * rng.next();
const pick = <T>(rng: Rng, xs: readonly T[]): T =>
  xs[Math.min(xs.length - 1, Math.floor(rng.next() * xs.length))]!;

/** Facts whose 'yes' counts against a borrower: loans elsewhere, arrears there, a court record. */
const HIDDEN: ReadonlySet<string> = new Set([
  'debt.other_lenders',
  'loans.overdue_elsewhere',
  'legal.disputes',
]);

/**
 * Which way a borrower gains by bending a fact, read from the fact id's family; undefined: no gain. Synthetic banks
 * name debts `debt.*`, the production catalogue `loans.*` (the balance outstanding, the monthly repayment, private
 * borrowing): less debt and less spent at home leave more to repay from; more sales and stock show more to repay with.
 */
export function bendOf(factId: string): 'inflate' | 'understate' | 'hide' | undefined {
  if (HIDDEN.has(factId)) return 'hide';
  if (isDebt(factId) || factId === 'household.spending' || factId === 'household.spending_monthly')
    return 'understate';
  if (factId.startsWith('sales.') || factId.startsWith('inventory.') || factId.startsWith('stock.'))
    return 'inflate';
  return undefined;
}

const isDebt = (factId: string) => factId.startsWith('debt.') || factId.startsWith('loans.');

/** A question's own expectation of a number, as a point (a range by its midpoint); undefined without one. */
function expectedNumber(q: BankQuestion): number | undefined {
  if (q.expected.kind === 'number') return q.expected.value;
  if (q.expected.kind === 'range') return (q.expected.low + q.expected.high) / 2;
  return undefined;
}

/** Facts that are figures: a degenerate range of theirs is a point. */
const NUMERIC_FACT: ReadonlySet<string> = new Set(['money', 'quantity', 'count', 'percent', 'duration']);

/**
 * A range a question expects that is a single figure (low = high): the bank's expectation of exactly zero is the
 * range 0–0, as a relative tolerance around zero is undefined (`questions/generate.ts`). A year asked for a
 * duration is in years, not in the fact's unit, so it is no point of the fact.
 */
function pointRange(q: BankQuestion): number | undefined {
  const e = q.expected;
  return e.kind === 'range' && e.low === e.high && !isYearQuestion(q) ? e.low : undefined;
}

/**
 * The bank's expected value of each fact in the fact's unit: that of the question asking for the fact itself (its
 * 'stated' route), else of a direct question, else of the first question with a value. Other routes may expect a
 * different quantity (the original principal for the balance outstanding), so the first question met is not it.
 */
export function expectedFactValues(bank: QuestionBank): Record<string, FactValue> {
  const numericFacts = new Set(bank.facts.filter((f) => NUMERIC_FACT.has(f.answerType)).map((f) => f.id));
  const byFact = new Map<string, BankQuestion[]>();
  for (const q of bank.questions) {
    const f = q.factIds[0];
    const k = q.expected.kind;
    const point = f !== undefined && numericFacts.has(f) && pointRange(q) !== undefined;
    if (f === undefined || (k !== 'number' && k !== 'boolean' && k !== 'choice' && !point)) continue;
    const qs = byFact.get(f);
    if (qs) qs.push(q);
    else byFact.set(f, [q]);
  }
  const out: Record<string, FactValue> = {};
  for (const [f, qs] of byFact) {
    const own = qs.find((q) => q.route === 'stated') ?? qs.find((q) => q.kind === 'direct') ?? qs[0]!;
    if (own.expected.kind === 'number') out[f] = own.expected.value * (own.toFact?.scale ?? 1);
    else if (own.expected.kind === 'range') out[f] = pointRange(own)! * (own.toFact?.scale ?? 1);
    else if (own.expected.kind === 'boolean' || own.expected.kind === 'choice') out[f] = own.expected.value;
  }
  return out;
}

export function drawProfile(bank: QuestionBank, type: RespondentType, rng: Rng): HiddenProfile {
  const params = RESPONDENT_PARAMS[type];
  const expected = expectedFactValues(bank);
  const truth: Record<string, FactValue> = {};
  const counts = new Set(bank.facts.filter((f) => f.answerType === 'count').map((f) => f.id));
  for (const [id, e] of Object.entries(expected)) {
    if (typeof e === 'boolean') {
      truth[id] = rng.next() < params.officerError ? !e : e;
      continue;
    }
    if (typeof e === 'string') {
      const others = (bank.facts.find((f) => f.id === id)?.choices ?? []).filter((c) => c !== e);
      truth[id] = rng.next() < params.officerError && others.length > 0 ? pick(rng, others) : e;
      continue;
    }
    // Nothing on record (no private borrowing, no staff): the applicant really has none, and a share of nothing
    // is nothing, so no noise is drawn (nor a seed's other draws moved).
    if (e === 0) {
      truth[id] = 0;
      continue;
    }
    let v = e * (1 + params.truthNoise * normal(rng));
    if (rng.next() < params.officerError) {
      v = e * (1 + (rng.next() < 0.5 ? -1 : 1) * uniform(rng, ...params.officerErrorSize));
    }
    truth[id] = counts.has(id) ? Math.max(1, Math.round(v)) : Math.max(0, v);
  }
  const claims: Record<string, FactValue> = {};
  const fabricated: string[] = [];
  let knowsTrade = true;
  if (type === 'fabricating') {
    // Hiding needs something to hide: when the bank already knows of the arrears (expects yes), there is no gain.
    // A figure is bent by a share of what the bank expects, and a share of nothing is nothing: a fact expected at
    // zero has no bend under these rules and stays as it truly is (none).
    const bendable = bank.facts
      .filter((f) => {
        const bend = bendOf(f.id);
        const e = expected[f.id];
        return bend !== undefined && e !== undefined && e !== 0 && (bend !== 'hide' || e === false);
      })
      .map((f) => ({ id: f.id, key: (bank.priorDoubt[f.id] ?? 0) + 0.2 * rng.next() }))
      .sort((a, b) => b.key - a.key);
    const howMany = rng.next() < 0.5 ? 1 : 2;
    for (const { id } of bendable.slice(0, howMany)) {
      const e = expected[id]!;
      claims[id] = e;
      fabricated.push(id);
      const bend = bendOf(id);
      if (bend === 'hide') truth[id] = true;
      else if (typeof e === 'number')
        truth[id] = bend === 'inflate' ? e * uniform(rng, 0.5, 0.72) : e * uniform(rng, 1.5, 2.5);
    }
    knowsTrade = rng.next() >= 0.3;
  }
  const failTolerance = Object.fromEntries(bank.facts.map((f) => [f.id, f.tolerance.fail]));
  return {
    type,
    sector: bank.generatedFor.sector,
    truth,
    claims,
    fabricated,
    knowsTrade,
    expected,
    failTolerance,
  };
}

/**
 * Below this relative gap a question's expectation, in the fact's unit, is the fact's own up to the bank's
 * rounding of it (two decimals of a daily or weekly figure): the answer is the true value converted, as it is.
 */
const SAME_QUANTITY = 0.01;

/**
 * What the question expects, in the fact's unit, over what the bank expects of the fact: 1 when the question asks
 * for the fact itself (through a conversion), otherwise the factor by which an answer to it differs from the fact.
 */
function questionFactor(question: BankQuestion, factExpected: FactValue | undefined): number {
  const q = expectedNumber(question);
  if (typeof factExpected !== 'number' || !(factExpected > 0) || q === undefined || !(q > 0)) return 1;
  const k = (q * (question.toFact?.scale ?? 1)) / factExpected;
  return Math.abs(k - 1) <= SAME_QUANTITY ? 1 : k;
}

/**
 * A calendar year asked for a duration or an age ('how long ago'): the bank's range of years is the image of the
 * fact's fail band, later years for smaller values, so the year answered sits in that range where the value sits
 * in the band (`questions/generate.ts`, years_ago).
 */
function isYearQuestion(question: BankQuestion): boolean {
  return (
    question.answerType === 'date' && question.expected.kind === 'range' && question.toFact === undefined
  );
}

function yearOf(
  question: BankQuestion,
  v: number,
  factExpected: FactValue | undefined,
  fail: number,
): number {
  const e = question.expected;
  if (e.kind !== 'range') return v;
  const mid = (e.low + e.high) / 2;
  if (typeof factExpected !== 'number' || !(factExpected > 0) || !(fail > 0)) return mid;
  return mid - ((v / factExpected - 1) / fail) * ((e.high - e.low) / 2);
}

/** Spread, in years, of a year answered from memory (the year a shop opened, of one's birth). */
const YEAR_NOISE = 0.5;

/**
 * A figure the bank knows from the trade itself (the price of a case of water), asked about a fact that is not a
 * number (the main product): whoever runs the business quotes it within the bank's range, a nominee guesses.
 */
function tradeFigure(question: BankQuestion): { low: number; high: number } | undefined {
  const e = question.expected;
  if (e.kind === 'range') return { low: e.low, high: e.high };
  if (e.kind === 'number') return { low: e.value, high: e.value };
  return undefined;
}

/** People round figures: to two or three significant digits. */
function humanRound(v: number, digits: number): number {
  if (v === 0) return 0;
  return Number(v.toPrecision(digits));
}

export interface Respondent {
  answer(question: BankQuestion): ObservedAnswer;
}

export function createRespondent(profile: HiddenProfile, rng: Rng): Respondent {
  const params = RESPONDENT_PARAMS[profile.type];
  return {
    answer(question: BankQuestion): ObservedAnswer {
      if (rng.next() < params.leave) return { kind: 'none', intent: 'leave' };
      if (rng.next() < params.unparseable) return { kind: 'none', intent: 'unparseable' };
      const factId = question.factIds[0];
      const t = factId === undefined ? undefined : profile.truth[factId];
      // A question in the applicant's own words (how they think of repaying) is answered in words even when the
      // bank expects nothing in particular; a figure or a choice with nothing behind it, with 不知道.
      const inWords = question.answerType === 'text' || question.answerType === 'place';
      if (factId === undefined || (t === undefined && !inWords)) return { kind: 'none', intent: 'dont_know' };
      const sensitive = isDebt(factId);
      if (rng.next() < params.dontKnow) return { kind: 'none', intent: 'dont_know' };
      if (rng.next() < params.refuse * (sensitive ? 2 : 1)) return { kind: 'none', intent: 'refuse' };
      if (t === undefined) return { kind: 'choice', value: `${question.id}: in the applicant's words` };
      const claim = profile.claims[factId];
      const factExpected = profile.expected[factId];

      if (typeof t === 'boolean') {
        let said = t;
        if (claim !== undefined && typeof claim === 'boolean') {
          // Asked directly, the claim; asked around it, the truth slips out more often than not.
          said = question.kind === 'direct' ? claim : rng.next() < 0.6 ? t : claim;
        } else if (rng.next() < 0.03) said = !t;
        // A question that expects the opposite of the fact's expectation asks the opposite ("all paid on time?").
        const flips =
          question.expected.kind === 'boolean' &&
          typeof factExpected === 'boolean' &&
          question.expected.value !== factExpected;
        return { kind: 'boolean', value: flips ? !said : said };
      }

      if (typeof t === 'string') {
        const trade = tradeFigure(question);
        if (trade) {
          if (!profile.knowsTrade) {
            if (rng.next() < 0.4) return { kind: 'none', intent: 'dont_know' };
            const guess = ((trade.low + trade.high) / 2) * uniform(rng, 0.4, 2);
            return { kind: 'number', value: humanRound(guess, 2), approx: true };
          }
          return {
            kind: 'number',
            value: humanRound(uniform(rng, trade.low, trade.high), 2),
            approx: rng.next() < 0.2,
          };
        }
        // The fact as this question names it: a question expecting another label for the same truth (the
        // neighbour of the shop for its location) is answered with that label when the truth is as expected.
        const own = question.expected.kind === 'choice' ? question.expected.value : undefined;
        const said = own !== undefined && typeof factExpected === 'string' && t === factExpected ? own : t;
        const others = (question.choices ?? []).map((c) => c.id).filter((c) => c !== said);
        return { kind: 'choice', value: rng.next() < 0.03 && others.length > 0 ? pick(rng, others) : said };
      }

      const scale = question.toFact?.scale ?? 1;
      const factor = questionFactor(question, factExpected);
      if (question.kind === 'control' && !profile.knowsTrade) {
        if (rng.next() < 0.4) return { kind: 'none', intent: 'dont_know' };
        const guess = (t * uniform(rng, 0.4, 2) * factor) / scale;
        return { kind: 'number', value: humanRound(guess, 2), approx: true };
      }
      // Nothing to report (nothing borrowed, no staff): 0 / 没有, said outright — no figure to round, range or
      // hedge, whatever quantity the question asks for (the repayment of no loan, the wages of no staff).
      if (t === 0 && typeof claim !== 'number' && !isYearQuestion(question))
        return { kind: 'number', value: 0, approx: false };
      let v = t;
      if (typeof claim === 'number') {
        v =
          question.kind === 'direct'
            ? claim * (1 + 0.03 * normal(rng))
            : t + uniform(rng, 0, 0.5) * (claim - t);
      }
      const noise = question.kind === 'indirect' ? 0.08 : 0.04;
      if (isYearQuestion(question)) {
        // A year is remembered to within a year or so, not to a share of the years since.
        const year = yearOf(question, v, factExpected, profile.failTolerance[factId] ?? 0);
        return {
          kind: 'number',
          value: Math.round(year + YEAR_NOISE * normal(rng)),
          approx: rng.next() < 0.2,
        };
      }
      v = Math.max(0, v * (1 + noise * normal(rng)));
      v = (v * factor) / scale;
      const isCount = question.answerType === 'count';
      if (profile.type === 'imprecise') {
        const style = rng.next();
        if (style < 0.4) {
          const lo = v * (1 - uniform(rng, 0.1, 0.3));
          const hi = v * (1 + uniform(rng, 0.1, 0.3));
          return { kind: 'number', low: humanRound(lo, 2), high: humanRound(hi, 2), approx: true };
        }
        if (style < 0.7 && v >= 10) {
          // "一万多": the leading digit and "more", i.e. [10000, 20000).
          const unit = Math.pow(10, Math.floor(Math.log10(v)));
          const lead = Math.floor(v / unit) * unit;
          return { kind: 'number', low: lead, high: lead + unit, approx: true };
        }
        return { kind: 'number', value: isCount ? Math.round(v) : humanRound(v, 2), approx: true };
      }
      const value = isCount ? Math.max(0, Math.round(v)) : humanRound(v, rng.next() < 0.5 ? 2 : 3);
      return { kind: 'number', value, approx: rng.next() < 0.2 };
    },
  };
}

/**
 * Whether each fact's truth is within the bank's fail tolerance of its expectation: the label a past interview
 * gets afterwards, for calibrating the answer model. For the benchmark harness only, never for the policy.
 */
export function truthLabels(bank: QuestionBank, profile: HiddenProfile): Record<string, boolean> {
  const expected = expectedFactValues(bank);
  const out: Record<string, boolean> = {};
  for (const f of bank.facts) {
    const e = expected[f.id];
    const t = profile.truth[f.id];
    if (e === undefined || t === undefined) continue;
    if (typeof e !== 'number' || typeof t !== 'number') out[f.id] = e === t;
    else out[f.id] = Math.abs(t - e) / Math.max(Math.abs(e), Number.EPSILON) <= f.tolerance.fail;
  }
  return out;
}
