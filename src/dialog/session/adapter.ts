/**
 * The boundary between answer understanding and verification: an applicant's reply to a bank question becomes
 * the ObservedAnswer the belief update takes. Pure.
 */
import type { BankQuestion } from '../../questions/types.js';
import type { ObservedAnswer } from '../belief/types.js';
import { convertUnit, parseQuestionUnit } from '../nlu/index.js';
import type { DateAnswer, NumberAnswer, Understanding } from '../nlu/types.js';

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

type NumberObserved = Extract<ObservedAnswer, { kind: 'number' }>;

function numberObserved(value: number, low: number | undefined, high: number | undefined, approx: boolean) {
  const o: NumberObserved = { kind: 'number', value, approx };
  if (low !== undefined && high !== undefined) {
    o.low = low;
    o.high = high;
  }
  return o;
}

/**
 * A share in the bank's terms, a fraction (0.3). The NLU keeps the unit the applicant said: 三成 is 3 成, 百分之二十
 * is 20 %, and a bare 二十 carries the question's unit (比例). A bare figure above 1 is percent points: nobody states
 * a margin of twenty times the sales.
 */
function shareOf(p: NumberAnswer): (x: number) => number {
  const points = p.unit ? convertUnit(1, p.unit, '%') : undefined;
  if (points !== undefined && p.unit !== undefined && p.unit !== '比例') return (x) => (x * points) / 100;
  return p.value > 1 ? (x) => x / 100 : (x) => x;
}

/** Months in the question's own time unit (八年 → 8 when it asks 年, 96 when it asks 月); months when it names none. */
function fromMonths(q: BankQuestion): (months: number) => number {
  const base = parseQuestionUnit(q.unit).base;
  const f = base === undefined ? undefined : convertUnit(1, '月', base);
  return f === undefined ? (m) => m : (m) => m * f;
}

/** The calendar year of a date, a relative one (去年, 八年前) read against `now`; undefined when it has none. */
function calendarYear(d: DateAnswer, now: Date | undefined): number | undefined {
  if (d.year !== undefined) return d.year;
  if (!d.relative || !now) return undefined;
  const { unit, offset } = d.relative;
  if (unit === 'year') return now.getUTCFullYear() + offset;
  const at = new Date(now.getTime());
  if (unit === 'month') at.setUTCMonth(at.getUTCMonth() + offset);
  else at.setUTCDate(at.getUTCDate() + offset);
  return at.getUTCFullYear();
}

/**
 * 我是八四年的, said for "how old are you": a birth year, the NLU's figure in 年 (84 or 1984). The age is one of two,
 * as the birthday is not said.
 */
function ageOfBirthYear(p: NumberAnswer, now: Date | undefined, approx: boolean): ObservedAnswer {
  const year = p.value < 100 ? (p.value >= 30 ? 1900 : 2000) + p.value : p.value;
  const age = now ? now.getUTCFullYear() - year : undefined;
  if (age === undefined || !Number.isInteger(year) || age < 1 || age > 120)
    return { kind: 'none', intent: 'unparseable' };
  return numberObserved(age - 0.5, age - 1, age, approx);
}

/** Whole months from the start of a month (1-based) of a year to `now`. */
const monthsSince = (year: number, month: number, now: Date) =>
  (now.getUTCFullYear() - year) * 12 + (now.getUTCMonth() + 1 - month);

/**
 * The answer in the question's own unit, which is what verification compares with `expected` before `toFact`
 * converts it to the fact's unit. `now`, the time of the interview, resolves dates relative to it (去年, 八年前) and
 * turns a start (2016年开始的) into a duration; without it those are unreadable.
 */
export function toObserved(u: Understanding, q: BankQuestion, now?: Date): ObservedAnswer {
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
      const approx = p.approx !== 'exact' || u.hedged;
      if (p.unit === '年' && parseQuestionUnit(q.unit).base === '岁') return ageOfBirthYear(p, now, approx);
      if (q.answerType === 'percent') {
        const f = shareOf(p);
        return numberObserved(f(p.value), p.low && f(p.low), p.high && f(p.high), approx);
      }
      // 一亩四百 for a total (这一季一共花了多少): a figure per something else than the question asks, which no scale of
      // the question converts; read as an answer it was a certain contradiction, so it is asked again in other words.
      const asked = parseQuestionUnit(q.unit);
      if (p.per !== undefined && asked.per === undefined && asked.period === undefined)
        return { kind: 'none', intent: 'unparseable' };
      const r = rescale(p, q.unit);
      return numberObserved(r.value, r.low, r.high, approx);
    }
    case 'duration': {
      // The NLU counts a duration in months; a question asking years ("干了几年") expects years, and its toFact
      // (× 12) makes months of them.
      const f = fromMonths(q);
      const approx = p.approx !== 'exact' || u.hedged;
      return numberObserved(f(p.months), p.low && f(p.low), p.high && f(p.high), approx);
    }
    case 'duration_since': {
      // 2016年开始的: from the start of the month said, or across the year when only a year was said.
      const year = calendarYear(p.since, now);
      if (year === undefined || !now) return { kind: 'none', intent: 'unparseable' };
      const f = fromMonths(q);
      const approx = p.since.approx !== 'exact' || u.hedged;
      if (p.since.month !== undefined)
        return numberObserved(f(monthsSince(year, p.since.month, now)), undefined, undefined, approx);
      const high = Math.max(0, monthsSince(year, 1, now));
      const low = Math.max(0, monthsSince(year, 12, now));
      return numberObserved(f((low + high) / 2), f(low), f(high), approx);
    }
    case 'date': {
      // A question asking "which year" (a start year, a birth year) expects the calendar year (questions/generate.ts,
      // years_ago); a date that names none (三月份) says nothing about it.
      const year = calendarYear(p, now);
      if (q.answerType !== 'date' || year === undefined) return { kind: 'none', intent: 'unparseable' };
      return numberObserved(year, undefined, undefined, p.approx !== 'exact' || u.hedged);
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
