import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOGUE } from '../../../src/questions/catalogue/default.js';
import { generateBank } from '../../../src/questions/generate.js';
import { SAMPLE_CASES } from '../../../src/questions/samples.js';
import type { BankQuestion, FactDef, QuestionBank } from '../../../src/questions/types.js';
import type { FactObservation, ObservedAnswer } from '../../../src/dialog/belief/index.js';
import { verifyAnswer } from '../../../src/dialog/belief/index.js';
import { createNlu } from '../../../src/dialog/nlu/index.js';
import { toObserved } from '../../../src/dialog/session/adapter.js';

const nlu = createNlu();
// The sample cases are as of 2026-03-15; the interview takes place that day.
const now = new Date('2026-03-15T09:00:00Z');
const grocery = generateBank(SAMPLE_CASES.grocery, DEFAULT_CATALOGUE, { seed: 1 });
const crops = generateBank(SAMPLE_CASES.crops, DEFAULT_CATALOGUE, { seed: 1 });

const question = (bank: QuestionBank, id: string): BankQuestion => {
  const q = bank.questions.find((x) => x.id === id);
  if (!q) throw new Error(`no question ${id} in the ${bank.generatedFor.sector} bank`);
  return q;
};
const factOf = (bank: QuestionBank, q: BankQuestion): FactDef =>
  bank.facts.find((f) => f.id === q.factIds[0])!;

function observe(text: string, q: BankQuestion): ObservedAnswer {
  const u = nlu.understand(text, {
    answerType: q.answerType,
    ...(q.unit ? { unit: q.unit } : {}),
    ...(q.choices ? { choices: q.choices } : {}),
    lang: 'zh-CN',
  });
  return toObserved(u, q, now);
}

const years = question(grocery, 'business.years.stated'); // 干了几年: 8.75 years, toFact × 12
const startYear = question(grocery, 'business.years.start_year'); // 哪一年开始: 2013–2021
const age = question(grocery, 'identity.age.stated'); // 多大岁数: 42
const birthYear = question(grocery, 'identity.age.birth_year'); // 哪年生人: 1979–1989

describe('toObserved gives the answer in the question’s own unit', () => {
  it('reads years in business in years when the question asks years', () => {
    expect(years).toMatchObject({ answerType: 'duration', unit: '年', toFact: { scale: 12 } });
    expect(observe('八年', years)).toEqual({ kind: 'number', value: 8, approx: false });
    expect(observe('七八年了', years)).toEqual({
      kind: 'number',
      value: 7.5,
      low: 7,
      high: 8,
      approx: false,
    });
    expect(observe('干了三年半', years)).toMatchObject({ value: 3.5 });
    expect(observe('五六个月', years)).toMatchObject({ value: 5.5 / 12 });
    expect(observe('十来年了', years)).toMatchObject({ value: 10, approx: true });
  });

  it('reads a start said for "how many years" as the years since, across the year when no month is said', () => {
    // 2016-01 to 2026-03 is 122 months, 2016-12 to 2026-03 is 111.
    const since = observe('2016年开始干的', years);
    expect(since).toMatchObject({ kind: 'number', low: 111 / 12, high: 122 / 12, approx: false });
    expect(since.kind === 'number' && since.value).toBeCloseTo(116.5 / 12, 10);
    const u = nlu.understand('2016年开始干的', { answerType: 'duration', unit: '年' });
    expect(toObserved(u, years)).toEqual({ kind: 'none', intent: 'unparseable' });
  });

  it('reads a start year and a birth year as calendar years', () => {
    expect(startYear).toMatchObject({ answerType: 'date', expected: { kind: 'range' } });
    expect(startYear.toFact).toBeUndefined();
    expect(observe('2016年开的', startYear)).toEqual({ kind: 'number', value: 2016, approx: false });
    expect(observe('2016年', startYear)).toMatchObject({ value: 2016 });
    expect(observe('一六年', startYear)).toMatchObject({ value: 2016 });
    expect(observe('八年前', startYear)).toMatchObject({ value: 2018 });
    expect(observe('九零年的', birthYear)).toMatchObject({ value: 1990 });
    expect(observe('八四年', birthYear)).toMatchObject({ value: 1984 });
  });

  it('reads a birth year said for "how old are you" as an age', () => {
    expect(observe('四十二', age)).toMatchObject({ value: 42 });
    expect(observe('我是八四年的', age)).toEqual({
      kind: 'number',
      value: 41.5,
      low: 41,
      high: 42,
      approx: false,
    });
    expect(observe('1984年生的', age)).toMatchObject({ value: 41.5 });
  });

  it('reads shares as fractions however they are said', () => {
    const margin = question(grocery, 'margin.gross.stated'); // 能挣几成: 0.25
    expect(margin).toMatchObject({ answerType: 'percent', unit: '比例' });
    expect(observe('三成', margin)).toMatchObject({ value: 0.3 });
    expect(observe('两三成', margin)).toEqual({
      kind: 'number',
      value: 0.25,
      low: 0.2,
      high: 0.3,
      approx: false,
    });
    expect(observe('百分之二十五', margin)).toMatchObject({ value: 0.25 });
    expect(observe('二十五', margin)).toMatchObject({ value: 0.25 });
    expect(observe('0.3', margin)).toMatchObject({ value: 0.3 });
  });

  it('reads days said as months in days, and figures per another period in the question’s period', () => {
    const stockDays = question(grocery, 'stock.value.days'); // 能卖多少天
    expect(observe('两个月', stockDays)).toMatchObject({ value: 60 });
    expect(observe('一个多月吧', stockDays)).toMatchObject({ value: 30, approx: true });
    expect(observe('两个礼拜', stockDays)).toMatchObject({ value: 14 });
    const takings = question(grocery, 'sales.monthly.grocery_takings'); // 元/天
    expect(observe('一天三千二', takings)).toMatchObject({ value: 3200 });
    expect(observe('一个月九万六', takings)).toMatchObject({ value: 3200 });
    const weekly = question(grocery, 'sales.monthly.grocery_purchases'); // 元/周
    expect(observe('一个礼拜一万七八', weekly)).toMatchObject({ value: 17500, low: 17000, high: 18000 });
    const rentAnnual = question(grocery, 'premises.rent.annual'); // 元/年
    expect(observe('一年三万', rentAnnual)).toMatchObject({ value: 30000 });
    const perMu = question(crops, 'sales.annual.crops_per_mu'); // 元/亩
    expect(observe('一亩一千二三', perMu)).toMatchObject({ value: 1250 });
    // Prices with their tenths before the unit they are per (两块五一斤 was 2; 度 and 升 were no units).
    expect(observe('一块一一斤', question(crops, 'crops.price.stated'))).toMatchObject({ value: 1.1 });
    const processing = generateBank(SAMPLE_CASES.processing, DEFAULT_CATALOGUE, { seed: 1 });
    expect(observe('一块二一度', question(processing, 'insider.processing.power'))).toMatchObject({
      value: 1.2,
    });
    const transport = generateBank(SAMPLE_CASES.transport, DEFAULT_CATALOGUE, { seed: 1 });
    expect(observe('七块五一升', question(transport, 'insider.transport.diesel'))).toMatchObject({
      value: 7.5,
    });
    // A figure per mu for a season's total is not an answer to it: asked again, not a contradiction.
    expect(observe('一亩四百来块', question(crops, 'crops.area.inputs'))).toEqual({
      kind: 'none',
      intent: 'unparseable',
    });
    const grain = question(crops, 'stock.value.grain_jin'); // 斤
    expect(observe('十八吨', grain)).toMatchObject({ value: 36000 });
  });
});

describe('an honest applicant’s words verify against a bank from the production catalogue', () => {
  /** The answers one after another, each verified against the ones before about the same fact. */
  function interview(bank: QuestionBank, said: [string, BankQuestion][]) {
    const earlier = new Map<string, FactObservation[]>();
    return said.map(([text, q]) => {
      const fact = factOf(bank, q);
      const before = earlier.get(fact.id) ?? [];
      const v = verifyAnswer(q, fact, observe(text, q), before);
      if (v.factValue !== undefined || v.factLow !== undefined) {
        const o: FactObservation = { questionId: q.id, questionKind: q.kind, approx: v.strength < 1 };
        if (v.factValue !== undefined) o.value = v.factValue;
        if (v.factLow !== undefined) o.low = v.factLow;
        if (v.factHigh !== undefined) o.high = v.factHigh;
        earlier.set(fact.id, [...before, o]);
      }
      return v;
    });
  }

  it('finds years in business, the start year, the age and the birth year consistent', () => {
    const vs = interview(grocery, [
      ['八年多了', years],
      ['2017年开的', startYear],
      ['九年', years],
      ['四十二', age],
      ['八四年的', birthYear],
      ['我是八三年的', age],
    ]);
    expect(vs.map((v) => v.outcome)).toEqual([
      'consistent',
      'consistent',
      'consistent',
      'consistent',
      'consistent',
      'consistent',
    ]);
    expect(vs[0]!.factValue).toBe(96);
  });

  it('finds real answers to the second indirect routes of catalogue 2026.1.2 consistent', () => {
    /** An answer in the applicant's words to a question of the bank. */
    const say = (text: string, bank: QuestionBank, id: string): [string, BankQuestion] => [
      text,
      question(bank, id),
    ];
    // Grocery: household 5,000 a month, bank loans 60,000 repaid at 3,100 a month, 20,000 private, no court record.
    const vs = interview(grocery, [
      ['一个月五千左右', question(grocery, 'household.spending.stated')],
      say('一年下来六万来块吧，孩子上学、随礼都算上', grocery, 'household.spending.annual'),
      ['六万', question(grocery, 'loans.existing.stated')],
      say('全还清的话得准备六万', grocery, 'loans.existing.payoff'),
      say('每个月扣三千一', grocery, 'loans.repayment.debit'),
      say('亲戚那边两万块', grocery, 'loans.private.payoff'),
      say('没有，从来没被冻结过', grocery, 'legal.disputes.enforcement'),
    ]);
    expect(vs.map((v) => v.outcome)).toEqual(Array(7).fill('consistent'));
    expect(vs[1]!.factValue).toBeCloseTo(5000, 6);
    // Crops: 153,000 a year; livestock: 1,064,000 a year, both as the buyers paid it.
    expect(
      interview(crops, [say('去年粮站一共给了十五万多', crops, 'sales.annual.buyer_paid')])[0]!.outcome,
    ).toBe('consistent');
    const livestock = generateBank(SAMPLE_CASES.livestock, DEFAULT_CATALOGUE, { seed: 1 });
    expect(
      interview(livestock, [say('一百零几万吧', livestock, 'sales.annual.buyer_paid')])[0]!.outcome,
    ).toBe('consistent');
    // Transport 84,000 and processing 180,000 a month, by what the customers transfer.
    const transport = generateBank(SAMPLE_CASES.transport, DEFAULT_CATALOGUE, { seed: 1 });
    expect(interview(transport, [say('一个月八万多', transport, 'sales.monthly.receipts')])[0]!.outcome).toBe(
      'consistent',
    );
    const processing = generateBank(SAMPLE_CASES.processing, DEFAULT_CATALOGUE, { seed: 1 });
    expect(interview(processing, [say('十七八万', processing, 'sales.monthly.receipts')])[0]!.outcome).toBe(
      'consistent',
    );
    // The restaurant has court records: an honest yes is consistent, a no is not.
    const restaurant = generateBank(SAMPLE_CASES.restaurant, DEFAULT_CATALOGUE, { seed: 1 });
    const enforcement = 'legal.disputes.enforcement';
    expect(interview(restaurant, [say('有过，卡被冻结过一次', restaurant, enforcement)])[0]!.outcome).toBe(
      'consistent',
    );
    expect(interview(restaurant, [say('没有', restaurant, enforcement)])[0]!.outcome).toBe('contradicted');
    // "冻结过" says yes by repeating the verb with 过, and is consistent with the record.
    expect(observe('冻结过', question(restaurant, enforcement))).toEqual({ kind: 'boolean', value: true });
    expect(interview(restaurant, [say('被冻结过', restaurant, enforcement)])[0]!.outcome).toBe('consistent');
  });

  it('contradicts an understated debt or an inflated sale on the new routes', () => {
    const q = (id: string) => question(grocery, id);
    expect(interview(grocery, [['三万', q('loans.existing.payoff')]])[0]!.outcome).toBe('contradicted');
    expect(interview(grocery, [['一千五', q('loans.repayment.debit')]])[0]!.outcome).toBe('contradicted');
    expect(interview(grocery, [['一年三万', q('household.spending.annual')]])[0]!.outcome).toBe(
      'contradicted',
    );
    expect(interview(crops, [['二十五万', question(crops, 'sales.annual.buyer_paid')]])[0]!.outcome).toBe(
      'contradicted',
    );
  });

  it('still contradicts a start year or a birth year far from the bank’s', () => {
    expect(interview(grocery, [['2024年开的', startYear]])[0]!.outcome).toBe('contradicted');
    expect(interview(grocery, [['九八年的', birthYear]])[0]!.outcome).toBe('contradicted');
    expect(interview(grocery, [['两年', years]])[0]!.outcome).toBe('contradicted');
  });
});
