/**
 * The boundary between answer understanding and verification: an applicant's reply to a bank question becomes
 * the ObservedAnswer the belief update takes. Pure.
 */
import type { BankQuestion } from '../../questions/types.js';
import type { ObservedAnswer } from '../belief/types.js';
import type { NumberAnswer, Understanding } from '../nlu/types.js';

const PERIOD_DAYS = { day: 1, week: 7, month: 30, year: 365, season: 91, cycle: undefined } as const;

/** The period a question's unit asks for ("元/天", "元/月", "趟/月"), if any. */
export function periodOfUnit(unit: string | undefined): 'day' | 'week' | 'month' | 'year' | undefined {
  if (!unit) return undefined;
  if (/\/(天|日|day)$/.test(unit)) return 'day';
  if (/\/(周|星期|week)$/.test(unit)) return 'week';
  if (/\/(月|month)$/.test(unit)) return 'month';
  if (/\/(年|year)$/.test(unit)) return 'year';
  return undefined;
}

/**
 * Rescales a figure said "per day" to the question's period ("per month") when both are known; 30.4 days a month
 * is the calendar average. Leaves the figure alone when either is unknown.
 */
function rescale(
  n: NumberAnswer,
  questionUnit: string | undefined,
): { value: number; low?: number; high?: number } {
  const want = periodOfUnit(questionUnit);
  const saidDays = n.period ? PERIOD_DAYS[n.period] : undefined;
  const f = want && saidDays ? PERIOD_DAYS[want] / saidDays : 1;
  const out: { value: number; low?: number; high?: number } = { value: n.value * f };
  if (n.low !== undefined) out.low = n.low * f;
  if (n.high !== undefined) out.high = n.high * f;
  return out;
}

export function toObserved(u: Understanding, q: BankQuestion): ObservedAnswer {
  switch (u.intent) {
    case 'dont_know':
      return { kind: 'none', intent: 'dont_know' };
    case 'refuse':
      return { kind: 'none', intent: 'refuse' };
    case 'answer':
    case 'ask_back':
      break;
    default:
      return { kind: 'none', intent: 'unparseable' };
  }
  const p = u.parsed;
  if (!p) return { kind: 'none', intent: 'unparseable' };
  switch (p.kind) {
    case 'number': {
      // The NLU reads 三成 as 30 percent points; the bank expects a fraction (0.3).
      if (q.answerType === 'percent' && p.unit === '%') {
        const f = (x: number | undefined) => (x === undefined ? undefined : x / 100);
        const o: ObservedAnswer = {
          kind: 'number',
          value: p.value / 100,
          approx: p.approx !== 'exact' || u.hedged,
        };
        if (p.low !== undefined) o.low = f(p.low)!;
        if (p.high !== undefined) o.high = f(p.high)!;
        return o;
      }
      const r = rescale(p, q.unit);
      const o: ObservedAnswer = { kind: 'number', value: r.value, approx: p.approx !== 'exact' || u.hedged };
      if (r.low !== undefined) o.low = r.low;
      if (r.high !== undefined) o.high = r.high;
      return o;
    }
    case 'duration': {
      const o: ObservedAnswer = { kind: 'number', value: p.months, approx: p.approx !== 'exact' || u.hedged };
      if (p.low !== undefined) o.low = p.low;
      if (p.high !== undefined) o.high = p.high;
      return o;
    }
    case 'yes_no':
      return { kind: 'boolean', value: p.value };
    case 'choice':
      return { kind: 'choice', value: p.id };
    case 'place':
    case 'text':
      // Free text cannot be compared with a figure; it is kept in the transcript for the expert.
      return q.answerType === 'text' || q.answerType === 'place'
        ? { kind: 'choice', value: p.text.slice(0, 200) }
        : { kind: 'none', intent: 'unparseable' };
    default:
      return { kind: 'none', intent: 'unparseable' };
  }
}

/** A quick-reply choice pressed by the applicant, read without the NLU. */
export function observedFromChoice(choice: string, q: BankQuestion): ObservedAnswer | null {
  if (q.answerType === 'yes_no') {
    if (choice === 'yes') return { kind: 'boolean', value: true };
    if (choice === 'no') return { kind: 'boolean', value: false };
    return null;
  }
  if (q.choices?.some((c) => c.id === choice)) return { kind: 'choice', value: choice };
  return null;
}
