/**
 * Simulated applicants for tests and benchmarks. A respondent answers from a hidden true profile; its only input
 * is the question put to it, so it cannot see the policy's beliefs.
 *
 * Types: honest (true ≈ the bank's expectation, small noise), imprecise (rounding, ranges, 多/左右), evasive
 * (many "不知道"/refusals), fabricating (misstates one or two of the most doubtful facts the way a borrower
 * gains from — sales and stock up, debts down, other lenders hidden — repeats the claim when asked directly, and
 * lets the truth show partly through indirect questions, as an insider answers those without thinking).
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

/** Which way a borrower gains by bending a fact, read from the fact id's family; undefined: no gain. */
export function bendOf(factId: string): 'inflate' | 'understate' | 'hide' | undefined {
  if (factId === 'debt.other_lenders') return 'hide';
  if (factId.startsWith('debt.') || factId === 'household.spending') return 'understate';
  if (factId.startsWith('sales.') || factId.startsWith('inventory.') || factId.startsWith('stock.'))
    return 'inflate';
  return undefined;
}

/** The bank's expected value of each fact in the fact's unit, read from any question about it. */
export function expectedFactValues(bank: QuestionBank): Record<string, FactValue> {
  const out: Record<string, FactValue> = {};
  for (const q of bank.questions) {
    const f = q.factIds[0];
    if (f === undefined || out[f] !== undefined) continue;
    if (q.expected.kind === 'number') out[f] = q.expected.value * (q.toFact?.scale ?? 1);
    else if (q.expected.kind === 'boolean' || q.expected.kind === 'choice') out[f] = q.expected.value;
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
    const bendable = bank.facts
      .filter((f) => bendOf(f.id) !== undefined && expected[f.id] !== undefined)
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
  return { type, sector: bank.generatedFor.sector, truth, claims, fabricated, knowsTrade };
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
      if (t === undefined || factId === undefined) return { kind: 'none', intent: 'dont_know' };
      const sensitive = factId.startsWith('debt.');
      if (rng.next() < params.dontKnow) return { kind: 'none', intent: 'dont_know' };
      if (rng.next() < params.refuse * (sensitive ? 2 : 1)) return { kind: 'none', intent: 'refuse' };
      const claim = profile.claims[factId];

      if (typeof t === 'boolean') {
        let said = t;
        if (claim !== undefined && typeof claim === 'boolean') {
          // Asked directly, the claim; asked around it, the truth slips out more often than not.
          said = question.kind === 'direct' ? claim : rng.next() < 0.6 ? t : claim;
        } else if (rng.next() < 0.03) said = !t;
        return { kind: 'boolean', value: said };
      }

      if (typeof t === 'string') {
        const others = (question.choices ?? []).map((c) => c.id).filter((c) => c !== t);
        return { kind: 'choice', value: rng.next() < 0.03 && others.length > 0 ? pick(rng, others) : t };
      }

      if (question.kind === 'control' && !profile.knowsTrade) {
        if (rng.next() < 0.4) return { kind: 'none', intent: 'dont_know' };
        return { kind: 'number', value: humanRound(t * uniform(rng, 0.4, 2), 2), approx: true };
      }
      let v = t;
      if (typeof claim === 'number') {
        v =
          question.kind === 'direct'
            ? claim * (1 + 0.03 * normal(rng))
            : t + uniform(rng, 0, 0.5) * (claim - t);
      }
      const noise = question.kind === 'indirect' ? 0.08 : 0.04;
      v = Math.max(0, v * (1 + noise * normal(rng))) / (question.toFact?.scale ?? 1);
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
