/**
 * Verification of one answer about one fact: against the question's expectation and tolerance, and against the
 * applicant's earlier answers about the same fact. Pure.
 */
import type { AnswerType, BankQuestion, FactDef, Tolerance } from '../../questions/types.js';
import type { DeviationModel, RouteAnswer } from './pooled.js';
import { pooledLogLR } from './pooled.js';
import type {
  CrossCheck,
  FactObservation,
  ObservedAnswer,
  Verification,
  VerificationCode,
  VerificationOutcome,
} from './types.js';

export interface VerifyConfig {
  /** Added to both tolerance bands when the applicant gave a rough figure (多, 左右, 大概). */
  approxSlack: number;
  /** Evidence strength of a rough figure. */
  approxStrength: number;
  /** The lowest evidence strength of a wide range. */
  rangeStrengthFloor: number;
  /**
   * Under pooled judgement, an answer whose Bayes factor against the fact is at least e^this is a contradiction
   * (ln 3: "positive" evidence on the scale of Kass & Raftery 1995); a weaker one against is doubtful.
   */
  contradictionLogLR: number;
}

export const DEFAULT_VERIFY_CONFIG: VerifyConfig = {
  approxSlack: 0.05,
  approxStrength: 0.8,
  rangeStrengthFloor: 0.3,
  contradictionLogLR: Math.log(3),
};

/** What pooled judgement of numbers needs: the deviation model and the respondent's current reliability. */
export interface Pooling {
  model: DeviationModel;
  reliability: number;
}

type Graded = 'consistent' | 'doubtful' | 'contradicted';
const rank: Record<VerificationOutcome, number> = {
  unverifiable: -1,
  none: -1,
  consistent: 0,
  doubtful: 1,
  contradicted: 2,
};

interface Interval {
  low: number;
  high: number;
}

/** Distance between two intervals relative to the size of the reference: 0 when they overlap. */
function relativeGap(a: Interval, ref: Interval): number {
  const gap = Math.max(0, a.low - ref.high, ref.low - a.high);
  if (gap === 0) return 0;
  const scale = Math.max(Math.abs(ref.low), Math.abs(ref.high), Number.EPSILON);
  return gap / scale;
}

function grade(deviation: number, tol: Tolerance, slack: number): Graded {
  if (deviation <= tol.warn + slack) return 'consistent';
  if (deviation <= tol.fail + slack) return 'doubtful';
  return 'contradicted';
}

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toPrecision(4));

function numericInterval(answer: Extract<ObservedAnswer, { kind: 'number' }>): Interval | undefined {
  if (answer.value !== undefined) return { low: answer.value, high: answer.value };
  const low = answer.low ?? answer.high;
  const high = answer.high ?? answer.low;
  if (low === undefined || high === undefined) return undefined;
  return { low: Math.min(low, high), high: Math.max(low, high) };
}

function obsInterval(o: FactObservation): Interval | undefined {
  if (typeof o.value === 'number') return { low: o.value, high: o.value };
  if (o.low !== undefined && o.high !== undefined) return { low: o.low, high: o.high };
  return undefined;
}

function worseCrossCheck(a: CrossCheck | undefined, b: CrossCheck): CrossCheck {
  if (!a) return b;
  return rank[b.outcome] > rank[a.outcome] || (b.outcome === a.outcome && b.deviation > a.deviation) ? b : a;
}

/**
 * An answer that clashes with an earlier one about the same fact. If it agrees with the bank's expectation, the
 * earlier answer has already counted against the fact: this one stays consistent, at half strength, since the
 * applicant is not consistent. Otherwise (off the expectation too, or no expectation) the clash stands.
 */
function resolveClash(
  own: VerificationOutcome,
  clash: Graded,
  strength: number,
): [VerificationOutcome, number] {
  if (own === 'consistent') return ['consistent', strength * CLASH_STRENGTH];
  return [clash, strength];
}

const CLASH_STRENGTH = 0.5;

export function verifyAnswer(
  question: BankQuestion,
  fact: FactDef,
  answer: ObservedAnswer,
  earlier: readonly FactObservation[],
  config: VerifyConfig = DEFAULT_VERIFY_CONFIG,
  pooling?: Pooling,
): Verification {
  const base = { questionId: question.id, factId: fact.id, questionKind: question.kind };
  switch (answer.kind) {
    case 'none': {
      // An answer the NLU could not read, or a departure, says nothing about the applicant's knowledge.
      const silent = answer.intent === 'unparseable' || answer.intent === 'leave';
      return {
        ...base,
        outcome: silent ? 'unverifiable' : 'none',
        strength: 1,
        code: 'NO_ANSWER',
        why: `no value given (${answer.intent})`,
      };
    }
    case 'boolean':
    case 'choice':
      if (typeof answer.value === 'string' && FREE_TEXT.has(question.answerType))
        return verifyFreeText(base, question, answer.value);
      return verifyCategorical(base, question, answer.value, earlier);
    case 'number':
      return verifyNumber(base, question, fact, answer, earlier, config, pooling);
  }
}

/** Answers said in the applicant's own words ("在李家村，村口那家"), which cannot be compared one to one. */
const FREE_TEXT: ReadonlySet<AnswerType> = new Set(['text', 'place']);

/**
 * Whether an answer to the question can be evidence about its facts: not when it is said in the applicant's own
 * words and the bank has no place or product for it to name (how they think of repaying): such an answer is
 * left to the expert whatever it says (verifyFreeText).
 */
export function canBeEvidence(question: BankQuestion): boolean {
  return !FREE_TEXT.has(question.answerType) || question.expected.kind === 'choice';
}

/**
 * A free-text answer agrees with the bank when it names the expected place or product ("李家村，村口那家" for 李家村);
 * otherwise it is left to the expert who reads the transcript, since two people never word the same thing alike:
 * compared one to one, every honest applicant's second answer about their willingness to repay "differed" from the
 * first. Nothing is kept to compare later answers with, for the same reason.
 */
function verifyFreeText(
  base: Pick<Verification, 'questionId' | 'factId' | 'questionKind'>,
  question: BankQuestion,
  value: string,
): Verification {
  const exp = question.expected;
  const expected = exp.kind === 'choice' ? exp.value.trim() : '';
  if (expected !== '' && value.includes(expected)) {
    return { ...base, outcome: 'consistent', strength: 1, code: 'MATCHES', why: `names ${expected}` };
  }
  return {
    ...base,
    outcome: 'unverifiable',
    strength: 1,
    code: 'FREE_TEXT',
    why: expected ? `does not name ${expected}; left to the expert` : 'free text; left to the expert',
  };
}

function verifyCategorical(
  base: Pick<Verification, 'questionId' | 'factId' | 'questionKind'>,
  question: BankQuestion,
  value: boolean | string,
  earlier: readonly FactObservation[],
): Verification {
  const exp = question.expected;
  const expected = exp.kind === 'boolean' || exp.kind === 'choice' ? exp.value : undefined;
  if (exp.kind !== 'unknown' && (expected === undefined || typeof expected !== typeof value)) {
    return { ...base, outcome: 'none', strength: 0, code: 'WRONG_ANSWER_KIND', why: `expected ${exp.kind}` };
  }
  let outcome: VerificationOutcome = 'unverifiable';
  let code: VerificationCode = 'NO_EXPECTATION';
  let why = 'nothing to compare with';
  if (expected !== undefined) {
    outcome = expected === value ? 'consistent' : 'contradicted';
    code = expected === value ? 'MATCHES' : 'DIFFERS';
    why = `answered ${String(value)}, expected ${String(expected)}`;
  }
  let crossCheck: CrossCheck | undefined;
  // Only answers on the fact's own scale (no conversion) can be compared one to one.
  if (question.toFact === undefined || question.toFact.scale === 1) {
    for (const o of earlier) {
      if (typeof o.value !== typeof value || o.value === undefined) continue;
      const c: CrossCheck = {
        againstQuestionId: o.questionId,
        deviation: o.value === value ? 0 : 1,
        outcome: o.value === value ? 'consistent' : 'contradicted',
      };
      crossCheck = worseCrossCheck(crossCheck, c);
    }
  }
  let strength = 1;
  if (crossCheck && rank[crossCheck.outcome] > rank[outcome]) {
    [outcome, strength] = resolveClash(outcome, crossCheck.outcome, strength);
    code = 'INCONSISTENT_WITH_EARLIER';
    why = `answered ${String(value)}, earlier ${crossCheck.againstQuestionId} said otherwise`;
  }
  return { ...base, outcome, strength, factValue: value, crossCheck, code, why };
}

function verifyNumber(
  base: Pick<Verification, 'questionId' | 'factId' | 'questionKind'>,
  question: BankQuestion,
  fact: FactDef,
  answer: Extract<ObservedAnswer, { kind: 'number' }>,
  earlier: readonly FactObservation[],
  config: VerifyConfig,
  pooling: Pooling | undefined,
): Verification {
  const given = numericInterval(answer);
  const exp = question.expected;
  if (!given || exp.kind === 'boolean' || exp.kind === 'choice') {
    return {
      ...base,
      outcome: 'none',
      strength: 0,
      code: given ? 'WRONG_ANSWER_KIND' : 'NO_ANSWER',
      why: given ? `expected ${exp.kind}` : 'a number without a value',
    };
  }
  const slack = answer.approx ? config.approxSlack : 0;
  const tol = exp.kind === 'number' ? exp.tolerance : fact.tolerance;
  const width = given.high - given.low;
  const mid = (given.high + given.low) / 2;
  let strength = answer.approx ? config.approxStrength : 1;
  if (width > 0) {
    const relWidth = width / Math.max(Math.abs(mid), Number.EPSILON);
    strength = Math.min(strength, Math.max(config.rangeStrengthFloor, Math.min(1, tol.fail / relWidth)));
  }

  let outcome: VerificationOutcome = 'unverifiable';
  let code: VerificationCode = 'NO_EXPECTATION';
  let why = 'nothing to compare with';
  let deviation: number | undefined;
  const calendarYear = isCalendarYear(question);
  if (exp.kind === 'number' || exp.kind === 'range') {
    const ref =
      exp.kind === 'number' ? { low: exp.value, high: exp.value } : { low: exp.low, high: exp.high };
    // The deviation is relative to the expectation (questions/types.ts: |answer − expected| / expected); a calendar
    // year's is counted in the fact's own terms (yearDeviation).
    deviation = calendarYear ? yearDeviation(given, ref, tol.fail) : relativeGap(given, ref);
    outcome = grade(deviation, tol, slack);
    code =
      outcome === 'consistent'
        ? exp.kind === 'range' && deviation === 0
          ? 'INSIDE_RANGE'
          : 'WITHIN_TOLERANCE'
        : outcome === 'doubtful'
          ? 'BEYOND_WARN'
          : 'BEYOND_FAIL';
    why = `deviation ${fmt(deviation)} against warn ${fmt(tol.warn + slack)} / fail ${fmt(tol.fail + slack)}`;
  }

  if (calendarYear) {
    // Not a figure in the fact's unit (2016 is not 2,016 months in business): nothing to cross-check or keep.
    return { ...base, outcome, strength, deviation, code, why };
  }
  const scale = question.toFact?.scale ?? 1;
  const inFact: Interval = { low: given.low * scale, high: given.high * scale };
  if (inFact.low > inFact.high) [inFact.low, inFact.high] = [inFact.high, inFact.low];
  let crossCheck: CrossCheck | undefined;
  for (const o of earlier) {
    const other = obsInterval(o);
    if (!other) continue;
    const dev = relativeGap(inFact, other);
    const c: CrossCheck = {
      againstQuestionId: o.questionId,
      deviation: dev,
      outcome: grade(dev, fact.tolerance, answer.approx || o.approx ? config.approxSlack : 0),
    };
    crossCheck = worseCrossCheck(crossCheck, c);
  }
  if (crossCheck && rank[crossCheck.outcome] > rank[outcome]) {
    [outcome, strength] = resolveClash(outcome, crossCheck.outcome, strength);
    code = 'INCONSISTENT_WITH_EARLIER';
    why = `differs by ${fmt(crossCheck.deviation)} from the answer to ${crossCheck.againstQuestionId}`;
  }
  const point = width === 0 ? { factValue: inFact.low } : { factLow: inFact.low, factHigh: inFact.high };
  const factExpected =
    exp.kind === 'number'
      ? exp.value * scale
      : exp.kind === 'range'
        ? ((exp.low + exp.high) / 2) * scale
        : undefined;
  const pooled =
    pooling && factExpected !== undefined && factExpected > 0 && poolable(question, fact)
      ? pooledLogLR(
          routesOf(earlier),
          {
            kind: question.kind,
            ...(width === 0 ? { value: inFact.low } : { low: inFact.low, high: inFact.high }),
            approx: answer.approx,
            expected: factExpected,
          },
          pooling.model,
          pooling.reliability,
          poolingTolerance(fact, factExpected),
          fact.id,
        )
      : undefined;
  if (pooled !== undefined) {
    // The verdict is the evidence the answer adds to the fact's other routes, so it is consistent exactly when it
    // supports the fact: the belief update's direction laws hold by construction. The band code stays for the
    // transcript, beside the figure that decided.
    const judged: VerificationOutcome =
      pooled >= 0 ? 'consistent' : pooled <= -config.contradictionLogLR ? 'contradicted' : 'doubtful';
    const bands = why;
    return {
      ...base,
      outcome: judged,
      strength,
      ...point,
      deviation,
      crossCheck,
      factExpected,
      logLikelihoodRatio: pooled,
      code,
      why: `pooled with ${earlier.length} earlier answer(s): ln Bayes factor ${fmt(pooled)} (${bands})`,
    };
  }
  return { ...base, outcome, strength, ...point, deviation, crossCheck, factExpected, code, why };
}

/**
 * A question asking "which year" for a duration or an age (questions/generate.ts, years_ago): its expected range
 * of years is the image of the fact's fail band, and the answer is a calendar year, not in the fact's unit.
 */
function isCalendarYear(question: BankQuestion): boolean {
  return (
    question.answerType === 'date' && question.expected.kind === 'range' && question.toFact === undefined
  );
}

/**
 * How far a calendar year is from the expected range's middle, as a relative deviation of the fact: the range's
 * half-width is the fact's fail tolerance, so a year at its edge deviates by `fail`, one beyond it by more. Taken
 * relative to the year itself, as other figures are, 2000 against 2016 was 0.8% off and every year was consistent.
 */
function yearDeviation(given: Interval, ref: Interval, fail: number): number {
  const mid = (ref.low + ref.high) / 2;
  const half = (ref.high - ref.low) / 2;
  const gap = Math.max(0, given.low - mid, mid - given.high);
  if (gap === 0) return 0;
  return half > 0 ? (gap / half) * fail : Number.POSITIVE_INFINITY;
}

const NUMERIC_FACTS: ReadonlySet<AnswerType> = new Set(['money', 'quantity', 'count', 'percent', 'duration']);

/**
 * Whether an answer measures its fact in proportion, as the pooled model's log deviations assume: a figure about a
 * numeric fact, but not a calendar year (a start year is not in proportion to months in business: 2016 against
 * 2017 is 0.05% off) nor a figure about a fact that is not a number (the price of a case of water, asked to test
 * that the applicant knows the main product). Those are judged against their own range.
 */
export function poolable(question: BankQuestion, fact: FactDef): boolean {
  return NUMERIC_FACTS.has(fact.answerType) && question.answerType !== 'date';
}

/**
 * The fail tolerance a fact is pooled against. A count is known only to the nearest whole, so its band is at least
 * ±½ around the expectation: two vehicles expected exactly, an insurance bill worth 2.2 of them is still two.
 */
function poolingTolerance(fact: FactDef, expected: number): number {
  const fail = fact.tolerance.fail;
  return fact.answerType === 'count' ? Math.max(fail, 0.5 / expected) : fail;
}

/** The earlier numeric answers about a fact that carry an expectation, as routes of the pooled model. */
function routesOf(earlier: readonly FactObservation[]): RouteAnswer[] {
  const out: RouteAnswer[] = [];
  for (const o of earlier) {
    if (o.expected === undefined) continue;
    if (typeof o.value === 'number')
      out.push({ kind: o.questionKind, value: o.value, approx: o.approx, expected: o.expected });
    else if (o.low !== undefined && o.high !== undefined)
      out.push({ kind: o.questionKind, low: o.low, high: o.high, approx: o.approx, expected: o.expected });
  }
  return out;
}
