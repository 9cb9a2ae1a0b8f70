/**
 * Real-style replies of farmers and shop owners, each with the reading the dialog needs.
 */
import { describe, expect, it } from 'vitest';
import { createNlu } from '../../../src/dialog/nlu/index.js';
import type {
  Intent,
  NluNote,
  NumberAnswer,
  ParsedAnswer,
  UnderstandOptions,
} from '../../../src/dialog/nlu/index.js';

const nlu = createNlu();

const CHOICES = [
  { id: 'own', label: { 'zh-CN': '自己的', 'en-US': 'own' } },
  { id: 'rent', label: { 'zh-CN': '租的', 'en-US': 'rented' } },
  { id: 'family', label: { 'zh-CN': '亲戚家的', 'en-US': "relative's" } },
];

const M: UnderstandOptions = { answerType: 'money' };
const JIN: UnderstandOptions = { answerType: 'quantity', unit: '斤' };
const HEAD: UnderstandOptions = { answerType: 'quantity', unit: '头' };
const MU: UnderstandOptions = { answerType: 'quantity', unit: '亩' };
const TRIPS: UnderstandOptions = { answerType: 'quantity', unit: '趟/月' };
const SEASONS: UnderstandOptions = { answerType: 'quantity', unit: '季/年' };
const PEOPLE: UnderstandOptions = { answerType: 'count', unit: '人' };
const VEHICLES: UnderstandOptions = { answerType: 'count', unit: '辆' };
const PCT: UnderstandOptions = { answerType: 'percent' };
const YN: UnderstandOptions = { answerType: 'yes_no' };
const CH: UnderstandOptions = { answerType: 'choice', choices: CHOICES };
const DATE: UnderstandOptions = { answerType: 'date' };
const DUR: UnderstandOptions = { answerType: 'duration' };
const PLACE: UnderstandOptions = { answerType: 'place' };
const TEXT: UnderstandOptions = { answerType: 'text' };

/** An exact figure unless told otherwise; absent fields must be absent. */
const num = (value: number, o: Partial<NumberAnswer> = {}): NumberAnswer => ({
  kind: 'number',
  value,
  approx: 'exact',
  low: undefined,
  high: undefined,
  period: undefined,
  ...o,
});
const range = (low: number, high: number, o: Partial<NumberAnswer> = {}): NumberAnswer =>
  num((low + high) / 2, { low, high, ...o });
const yuan = (value: number, o: Partial<NumberAnswer> = {}) => num(value, { unit: '元', ...o });
const yuanRange = (low: number, high: number, o: Partial<NumberAnswer> = {}) =>
  range(low, high, { unit: '元', ...o });
const months = (m: number, o: Record<string, unknown> = {}) => ({
  kind: 'duration',
  months: m,
  approx: 'exact',
  low: undefined,
  high: undefined,
  ...o,
});

interface Row {
  text: string;
  q: UnderstandOptions;
  intent?: Intent;
  parsed?: Partial<ParsedAnswer> | Record<string, unknown>;
  hedged?: boolean;
  notes?: NluNote[];
}

const rows: Row[] = [
  // ---- money, colloquial Chinese
  { text: '三万多', q: M, parsed: yuan(30000, { approx: 'more_than' }), hedged: false },
  { text: '3万5', q: M, parsed: yuan(35000) },
  { text: '三万五', q: M, parsed: yuan(35000) },
  { text: '1.5万', q: M, parsed: yuan(15000) },
  { text: '1.1万', q: M, parsed: yuan(11000) },
  { text: '一天七八百', q: M, parsed: yuanRange(700, 800, { period: 'day' }) },
  { text: '七八百一天', q: M, parsed: yuanRange(700, 800, { period: 'day' }) },
  { text: '四五十万', q: M, parsed: yuanRange(400000, 500000) },
  { text: '大概两三千', q: M, parsed: yuanRange(2000, 3000, { approx: 'about' }), hedged: true },
  { text: '百来块', q: M, parsed: yuan(100, { approx: 'about' }), hedged: true },
  { text: '上万', q: M, parsed: yuan(10000, { approx: 'more_than' }) },
  { text: '月入过万', q: M, parsed: yuan(10000, { approx: 'more_than', period: 'month' }) },
  { text: '一千出头', q: M, parsed: yuan(1000, { approx: 'more_than' }) },
  { text: '不到两万', q: M, parsed: yuan(20000, { approx: 'less_than' }) },
  { text: '20k', q: M, parsed: yuan(20000) },
  { text: '2,000', q: M, parsed: yuan(2000) },
  { text: '￥3000', q: M, parsed: yuan(3000) },
  { text: '3千块', q: M, parsed: yuan(3000) },
  { text: '３０００元', q: M, parsed: yuan(3000) },
  { text: '３，０００', q: M, parsed: yuan(3000) },
  { text: '一个月两万左右', q: M, parsed: yuan(20000, { approx: 'about', period: 'month' }), hedged: true },
  {
    text: '每个月纯利润大概一万出头吧',
    q: M,
    parsed: yuan(10000, { approx: 'more_than', period: 'month' }),
    hedged: true,
  },
  { text: '一年下来能挣个十来万', q: M, parsed: yuan(100000, { approx: 'about', period: 'year' }) },
  { text: '日营业额三千左右', q: M, parsed: yuan(3000, { approx: 'about', period: 'day' }) },
  { text: '年收入二十万', q: M, parsed: yuan(200000, { period: 'year' }) },
  { text: '两千五', q: M, parsed: yuan(2500) },
  { text: '一万二', q: M, parsed: yuan(12000) },
  { text: '两万一', q: M, parsed: yuan(21000) },
  { text: '两万一个月', q: M, parsed: yuan(20000, { period: 'month' }) },
  { text: '3万块钱', q: M, parsed: yuan(30000) },
  { text: '三万块左右', q: M, parsed: yuan(30000, { approx: 'about' }) },
  { text: '30000', q: M, parsed: yuan(30000), notes: ['unit_assumed'] },
  { text: '30,000元', q: M, parsed: yuan(30000) },
  { text: '3w', q: M, parsed: yuan(30000) },
  { text: '5k一个月', q: M, parsed: yuan(5000, { period: 'month' }) },
  { text: '一天卖个两三千块', q: M, parsed: yuanRange(2000, 3000, { period: 'day' }) },
  {
    text: '好的时候一天五千，差的时候一两千',
    q: M,
    parsed: yuan(5000, { period: 'day' }),
    notes: ['multiple_numbers'],
  },
  { text: '七八千', q: M, parsed: yuanRange(7000, 8000) },
  { text: '一万七八', q: M, parsed: yuanRange(17000, 18000) },
  { text: '十几万', q: M, parsed: yuanRange(110000, 190000, { approx: 'about' }) },
  { text: '几千块', q: M, parsed: yuanRange(2000, 9000, { approx: 'about' }) },
  { text: '两块五', q: M, parsed: yuan(2.5) },
  { text: '3块5毛', q: M, parsed: yuan(3.5) },
  { text: '二十万左右吧', q: M, parsed: yuan(200000, { approx: 'about' }), hedged: true },
  { text: '约5000元', q: M, parsed: yuan(5000, { approx: 'about' }) },
  { text: '差不多一万', q: M, parsed: yuan(10000, { approx: 'about' }), hedged: true },
  { text: '至少三万', q: M, parsed: yuan(30000, { approx: 'more_than' }) },
  { text: '最多八千', q: M, parsed: yuan(8000, { approx: 'less_than' }) },
  { text: '不超过五万', q: M, parsed: yuan(50000, { approx: 'less_than' }) },
  { text: '将近十万', q: M, parsed: yuan(100000, { approx: 'less_than' }) },
  { text: '小两万', q: M, parsed: yuan(20000, { approx: 'less_than' }) },
  { text: '三到四万', q: M, parsed: yuanRange(30000, 40000) },
  { text: '2000-3000', q: M, parsed: yuanRange(2000, 3000) },
  { text: '3000~5000元', q: M, parsed: yuanRange(3000, 5000) },
  { text: '5千到8千', q: M, parsed: yuanRange(5000, 8000) },
  { text: '一百二十万', q: M, parsed: yuan(1200000) },
  { text: '壹万贰仟元', q: M, parsed: yuan(12000) },
  { text: '零', q: M, parsed: yuan(0) },
  { text: '没有', q: M, parsed: yuan(0) },
  // A zero said as a denial; 一分钱 there is no figure of 0.01.
  { text: '一分没欠', q: M, parsed: yuan(0) },
  { text: '一分钱都没欠', q: M, parsed: yuan(0) },
  { text: '没借过钱', q: M, parsed: yuan(0) },
  { text: '不欠钱', q: M, parsed: yuan(0) },
  { text: '没有欠款', q: M, parsed: yuan(0) },
  { text: 'I owe nothing', q: M, parsed: yuan(0) },
  { text: '没欠多少，两万', q: M, parsed: yuan(20000) },
  // Idioms of numerals: 八九不离十 says "about", 乱七八糟 nothing.
  { text: '八九不离十吧，五千', q: M, parsed: yuan(5000), hedged: true },
  { text: '十之八九是两万', q: M, parsed: yuan(20000), hedged: true },
  { text: '乱七八糟的开销，一个月三千', q: M, parsed: yuan(3000, { period: 'month' }) },
  { text: '每天营业额在1500上下', q: M, parsed: yuan(1500, { approx: 'about', period: 'day' }) },
  { text: '一天平均一千多', q: M, parsed: yuan(1000, { approx: 'more_than', period: 'day' }) },
  { text: '三 万 多', q: M, parsed: yuan(30000, { approx: 'more_than' }) },
  { text: '3 万', q: M, parsed: yuan(30000) },
  {
    text: '我干了十年了，一年能挣十几万',
    q: M,
    parsed: yuanRange(110000, 190000, { approx: 'about', period: 'year' }),
  },
  { text: '一两万', q: M, parsed: yuanRange(10000, 20000) },
  { text: '两百来万', q: M, parsed: yuan(2000000, { approx: 'about' }) },
  { text: '五十多万', q: M, parsed: yuan(500000, { approx: 'more_than' }) },
  { text: '一百多万', q: M, parsed: yuan(1000000, { approx: 'more_than' }) },
  { text: '1.2万左右', q: M, parsed: yuan(12000, { approx: 'about' }) },
  { text: '两个人一个月三万', q: M, parsed: yuan(30000, { period: 'month' }) },
  { text: '人工费一个月三千', q: M, parsed: yuan(3000, { period: 'month' }) },
  {
    text: '一年两万多块钱吧。',
    q: M,
    parsed: yuan(20000, { approx: 'more_than', period: 'year' }),
    hedged: true,
  },
  { text: '房租一年一万二', q: M, parsed: yuan(12000, { period: 'year' }) },
  { text: '不太清楚，大概三万吧', q: M, parsed: yuan(30000, { approx: 'about' }), hedged: true },
  { text: '一万零五百', q: M, parsed: yuan(10500) },
  { text: '三万零五', q: M, parsed: yuan(30005) },
  { text: '10万元', q: M, parsed: yuan(100000) },
  { text: '两千多一点', q: M, parsed: yuan(2000, { approx: 'more_than' }) },
  {
    text: '大概一个月三四万的样子',
    q: M,
    parsed: yuanRange(30000, 40000, { period: 'month' }),
    hedged: true,
  },
  {
    text: '旺季一天两千，淡季一天几百',
    q: M,
    parsed: yuan(2000, { period: 'day' }),
    notes: ['multiple_numbers'],
  },
  { text: '一百五六十万', q: M, parsed: yuanRange(1500000, 1600000) },
  { text: '8000多', q: M, parsed: yuan(8000, { approx: 'more_than' }) },
  { text: '上千', q: M, parsed: yuan(1000, { approx: 'more_than' }) },
  { text: '每月还款三千二', q: M, parsed: yuan(3200, { period: 'month' }) },
  { text: '3.5w', q: M, parsed: yuan(35000) },
  { text: '俩万', q: M, parsed: yuan(20000) },
  // ---- prices per unit
  { text: '10块钱一斤', q: M, parsed: yuan(10, { per: '斤' }) },
  { text: '一斤两块五', q: M, parsed: yuan(2.5, { per: '斤' }) },
  { text: '每斤3元', q: M, parsed: yuan(3, { per: '斤' }) },
  { text: '2.5元/斤', q: M, parsed: yuan(2.5, { per: '斤' }) },
  { text: '一头猪卖三千', q: M, parsed: yuan(3000, { per: '头' }) },
  // ---- money, English
  { text: 'about 3000 a day', q: M, parsed: yuan(3000, { approx: 'about', period: 'day' }), hedged: true },
  { text: 'around 20k per month', q: M, parsed: yuan(20000, { approx: 'about', period: 'month' }) },
  { text: '30 thousand yuan', q: M, parsed: yuan(30000) },
  { text: 'thirty thousand', q: M, parsed: yuan(30000) },
  { text: 'more than 50000', q: M, parsed: yuan(50000, { approx: 'more_than' }) },
  { text: 'less than 2 thousand', q: M, parsed: yuan(2000, { approx: 'less_than' }) },
  { text: 'between 2000 and 3000', q: M, parsed: yuanRange(2000, 3000) },
  { text: 'between 2 and 3 thousand', q: M, parsed: yuanRange(2000, 3000) },
  { text: '5000 rmb monthly', q: M, parsed: yuan(5000, { period: 'month' }) },
  { text: 'RMB 8,000', q: M, parsed: yuan(8000) },
  { text: '1.5 million', q: M, parsed: yuan(1500000) },
  { text: 'maybe 4000 or so', q: M, parsed: yuan(4000, { approx: 'about' }), hedged: true },
  // ---- quantities with units and conversions
  { text: '两千来斤', q: JIN, parsed: num(2000, { unit: '斤', approx: 'about' }) },
  {
    text: '一千公斤',
    q: JIN,
    parsed: num(2000, { unit: '斤', saidUnit: '公斤' }),
    notes: ['unit_converted'],
  },
  { text: '两吨', q: JIN, parsed: num(4000, { unit: '斤', saidUnit: '吨' }) },
  { text: '5吨左右', q: JIN, parsed: num(10000, { unit: '斤', approx: 'about' }) },
  { text: '3000斤', q: JIN, parsed: num(3000, { unit: '斤' }) },
  { text: '一天能卖两三百斤', q: JIN, parsed: range(200, 300, { unit: '斤', period: 'day' }) },
  { text: '500kg', q: JIN, parsed: num(1000, { unit: '斤', saidUnit: '公斤' }) },
  { text: '一斤半', q: JIN, parsed: num(1.5, { unit: '斤' }) },
  { text: '2 tons', q: JIN, parsed: num(4000, { unit: '斤' }) },
  { text: 'three hundred jin', q: JIN, parsed: num(300, { unit: '斤' }) },
  { text: '五百克', q: JIN, parsed: num(1, { unit: '斤' }) },
  { text: '十几头', q: HEAD, parsed: range(11, 19, { unit: '头', approx: 'about' }) },
  { text: '一百二十头猪', q: HEAD, parsed: num(120, { unit: '头' }) },
  { text: '三百多只', q: HEAD, parsed: num(300, { unit: '头', saidUnit: '只', approx: 'more_than' }) },
  { text: '存栏五六十头', q: HEAD, parsed: range(50, 60, { unit: '头' }) },
  {
    text: '一年出栏两批，一批一百头',
    q: HEAD,
    parsed: num(100, { unit: '头', period: 'cycle' }),
    notes: ['multiple_numbers'],
  },
  { text: '大概200头左右', q: HEAD, parsed: num(200, { unit: '头', approx: 'about' }), hedged: true },
  { text: 'about 50 pigs', q: HEAD, parsed: num(50, { unit: '头', approx: 'about' }) },
  { text: '零点五亩', q: MU, parsed: num(0.5, { unit: '亩' }) },
  { text: '十来亩地', q: MU, parsed: num(10, { unit: '亩', approx: 'about' }) },
  { text: '三亩半', q: MU, parsed: num(3.5, { unit: '亩' }) },
  { text: '2000平方', q: MU, parsed: num(3, { unit: '亩', saidUnit: '平方米' }), notes: ['unit_converted'] },
  { text: '五六亩', q: MU, parsed: range(5, 6, { unit: '亩' }) },
  { text: '一公顷', q: MU, parsed: num(15, { unit: '亩', saidUnit: '公顷' }) },
  { text: '二十', q: MU, parsed: num(20, { unit: '亩' }), notes: ['unit_assumed'] },
  { text: '一天两趟', q: TRIPS, parsed: num(2, { unit: '趟', period: 'day' }) },
  { text: '一个月二十来趟', q: TRIPS, parsed: num(20, { unit: '趟', approx: 'about', period: 'month' }) },
  { text: '一天三车', q: TRIPS, parsed: num(3, { unit: '趟', saidUnit: '车', period: 'day' }) },
  { text: '一年两季', q: SEASONS, parsed: num(2, { unit: '季', period: 'year' }) },
  { text: '三十斤', q: HEAD, parsed: num(30, { unit: '斤' }), notes: ['unit_mismatch'] },
  // ---- counts
  { text: '三个人', q: PEOPLE, parsed: num(3, { unit: '人' }) },
  { text: '就我和老婆两个', q: PEOPLE, parsed: num(2, { unit: '人' }) },
  { text: '五口人', q: PEOPLE, parsed: num(5, { unit: '人' }) },
  // A household named member by member adds up; a total said outright wins.
  { text: '我和老婆两个孩子', q: PEOPLE, parsed: num(4, { unit: '人' }), notes: ['members_counted'] },
  { text: '两口子带一个娃', q: PEOPLE, parsed: num(3, { unit: '人' }), notes: ['members_counted'] },
  { text: '我、我妈，还有俩孩子', q: PEOPLE, parsed: num(4, { unit: '人' }), notes: ['members_counted'] },
  { text: '我爸我妈我老婆和两个孩子', q: PEOPLE, parsed: num(6, { unit: '人' }) },
  { text: '一儿一女加我们两口子', q: PEOPLE, parsed: num(4, { unit: '人' }) },
  { text: '上有老下有小，一共六口', q: PEOPLE, parsed: num(6, { unit: '人' }) },
  { text: '一家五口，我和老婆三个孩子', q: PEOPLE, parsed: num(5, { unit: '人' }) },
  { text: '两个孩子', q: PEOPLE, parsed: num(2, { unit: '人' }) },
  { text: '一家五口', q: PEOPLE, parsed: num(5, { unit: '人' }) },
  { text: '我们一家三口', q: PEOPLE, parsed: num(3, { unit: '人' }) },
  { text: '五口之家', q: PEOPLE, parsed: num(5, { unit: '人' }) },
  { text: '十几个工人', q: PEOPLE, parsed: range(11, 19, { unit: '人', approx: 'about' }) },
  { text: '一个', q: PEOPLE, parsed: num(1, { unit: '人' }) },
  { text: '两三个', q: PEOPLE, parsed: range(2, 3, { unit: '人' }) },
  { text: '没有', q: PEOPLE, parsed: num(0, { unit: '人' }) },
  { text: '一个都没有', q: PEOPLE, parsed: num(0, { unit: '人' }) },
  { text: '夫妻俩', q: PEOPLE, parsed: num(2, { unit: '人' }) },
  { text: '4 workers', q: PEOPLE, parsed: num(4, { unit: '人' }) },
  { text: 'two people', q: PEOPLE, parsed: num(2, { unit: '人' }) },
  { text: '雇了五六个', q: PEOPLE, parsed: range(5, 6, { unit: '人' }) },
  { text: '七八个吧', q: PEOPLE, parsed: range(7, 8, { unit: '人' }), hedged: true },
  { text: '两台车', q: VEHICLES, parsed: num(2, { unit: '辆', saidUnit: '台' }) },
  { text: '3辆', q: VEHICLES, parsed: num(3, { unit: '辆' }) },
  // ---- percentages
  { text: '三成', q: PCT, parsed: num(30, { unit: '%', saidUnit: '成' }) },
  { text: '百分之二十', q: PCT, parsed: num(20, { unit: '%' }) },
  { text: '20%', q: PCT, parsed: num(20, { unit: '%' }) },
  { text: '２０％', q: PCT, parsed: num(20, { unit: '%' }) },
  { text: '两成半', q: PCT, parsed: num(25, { unit: '%' }) },
  { text: '一半', q: PCT, parsed: num(50, { unit: '%' }) },
  { text: '百分之二三十', q: PCT, parsed: range(20, 30, { unit: '%' }) },
  { text: '三分之一', q: PCT, parsed: num(expect.closeTo(33.333, 2) as unknown as number, { unit: '%' }) },
  { text: '七八成', q: PCT, parsed: range(70, 80, { unit: '%' }) },
  { text: '大概15%左右', q: PCT, parsed: num(15, { unit: '%', approx: 'about' }) },
  {
    text: '两分利',
    q: PCT,
    parsed: num(2, { unit: '%', period: 'month' }),
    notes: ['folk_interest_rate'],
  },
  { text: 'about 30 percent', q: PCT, parsed: num(30, { unit: '%', approx: 'about' }) },
  // ---- dates
  { text: '2019年', q: DATE, parsed: { kind: 'date', year: 2019, month: undefined } },
  { text: '2019年3月', q: DATE, parsed: { kind: 'date', year: 2019, month: 3 } },
  { text: '2020-05-01', q: DATE, parsed: { kind: 'date', year: 2020, month: 5, day: 1 } },
  { text: '18年', q: DATE, parsed: { kind: 'date', year: 2018 } },
  { text: '去年', q: DATE, parsed: { kind: 'date', relative: { unit: 'year', offset: -1 } } },
  { text: '三年前', q: DATE, parsed: { kind: 'date', relative: { unit: 'year', offset: -3 } } },
  { text: '二〇一八年', q: DATE, parsed: { kind: 'date', year: 2018 } },
  {
    text: '前年年底',
    q: DATE,
    parsed: { kind: 'date', month: 12, relative: { unit: 'year', offset: -2 }, approx: 'about' },
  },
  { text: 'in 2017', q: DATE, parsed: { kind: 'date', year: 2017 } },
  { text: 'march 2019', q: DATE, parsed: { kind: 'date', year: 2019, month: 3 } },
  { text: 'two years ago', q: DATE, parsed: { kind: 'date', relative: { unit: 'year', offset: -2 } } },
  {
    text: '前两年',
    q: DATE,
    parsed: { kind: 'date', relative: { unit: 'year', offset: -2 }, approx: 'about' },
  },
  { text: '今年三月', q: DATE, parsed: { kind: 'date', month: 3, relative: { unit: 'year', offset: 0 } } },
  { text: '15年开的店', q: DATE, parsed: { kind: 'date', year: 2015 } },
  { text: '大概是2016年吧', q: DATE, parsed: { kind: 'date', year: 2016, approx: 'about' }, hedged: true },
  // ---- durations (months)
  { text: '三年半', q: DUR, parsed: months(42) },
  { text: '十来年', q: DUR, parsed: months(120, { approx: 'about' }), hedged: true },
  { text: '半年', q: DUR, parsed: months(6) },
  { text: '一个半月', q: DUR, parsed: months(1.5) },
  { text: '两年多', q: DUR, parsed: months(24, { approx: 'more_than' }) },
  { text: '五六年', q: DUR, parsed: months(66, { low: 60, high: 72 }) },
  { text: '两年三个月', q: DUR, parsed: months(27) },
  { text: '一年零三个月', q: DUR, parsed: months(15) },
  { text: '18个月', q: DUR, parsed: months(18) },
  { text: '3 years', q: DUR, parsed: months(36) },
  { text: 'two and a half years', q: DUR, parsed: months(30) },
  { text: '干了八年了', q: DUR, parsed: months(96) },
  { text: '十年', q: DUR, parsed: months(120) },
  { text: '八九年了', q: DUR, parsed: months(102, { low: 96, high: 108 }) },
  { text: '一年', q: DUR, parsed: months(12) },
  { text: '一年两个月', q: DUR, parsed: months(14) },
  { text: '快十年了', q: DUR, parsed: months(120, { approx: 'less_than' }) },
  { text: '10', q: DUR, parsed: months(120), notes: ['unit_assumed'] },
  { text: '从零八年开始', q: DUR, parsed: { kind: 'duration_since', since: { kind: 'date', year: 2008 } } },
  { text: '2015年开始干的', q: DUR, parsed: { kind: 'duration_since', since: { kind: 'date', year: 2015 } } },
  {
    text: '从去年开始',
    q: DUR,
    parsed: { kind: 'duration_since', since: { kind: 'date', relative: { unit: 'year', offset: -1 } } },
  },
  // ---- yes / no
  { text: '是的', q: YN, parsed: { kind: 'yes_no', value: true }, hedged: false },
  { text: '没有', q: YN, parsed: { kind: 'yes_no', value: false } },
  { text: '应该是吧', q: YN, parsed: { kind: 'yes_no', value: true }, hedged: true },
  { text: '差不多', q: YN, parsed: { kind: 'yes_no', value: true }, hedged: true },
  { text: '好像没有', q: YN, parsed: { kind: 'yes_no', value: false }, hedged: true },
  { text: '嗯嗯', q: YN, parsed: { kind: 'yes_no', value: true } },
  { text: '有', q: YN, parsed: { kind: 'yes_no', value: true } },
  { text: '没有贷款', q: YN, parsed: { kind: 'yes_no', value: false } },
  { text: '有两个', q: YN, parsed: { kind: 'yes_no', value: true, number: { value: 2 } } },
  { text: '不是', q: YN, parsed: { kind: 'yes_no', value: false } },
  { text: '对', q: YN, parsed: { kind: 'yes_no', value: true } },
  { text: '没问题', q: YN, parsed: { kind: 'yes_no', value: true } },
  { text: '好的', q: YN, parsed: { kind: 'yes_no', value: true } },
  { text: '从来没有', q: YN, parsed: { kind: 'yes_no', value: false } },
  { text: '有过一次', q: YN, parsed: { kind: 'yes_no', value: true } },
  { text: '冻结过', q: YN, parsed: { kind: 'yes_no', value: true } },
  { text: '被冻结过一次', q: YN, parsed: { kind: 'yes_no', value: true } },
  { text: '卡被冻过', q: YN, parsed: { kind: 'yes_no', value: true } },
  { text: '被法院执行过两回。', q: YN, parsed: { kind: 'yes_no', value: true } },
  { text: '没被冻结过', q: YN, parsed: { kind: 'yes_no', value: false } },
  { text: '从来没被执行过', q: YN, parsed: { kind: 'yes_no', value: false } },
  { text: '不是没有', q: YN, parsed: { kind: 'yes_no', value: true }, notes: ['double_negation'] },
  { text: 'yes', q: YN, parsed: { kind: 'yes_no', value: true } },
  { text: 'no', q: YN, parsed: { kind: 'yes_no', value: false } },
  { text: 'yep', q: YN, parsed: { kind: 'yes_no', value: true } },
  { text: 'I think so', q: YN, intent: 'unparseable' },
  { text: 'probably not', q: YN, parsed: { kind: 'yes_no', value: false }, hedged: true },
  { text: '哪有', q: YN, parsed: { kind: 'yes_no', value: false } },
  { text: '是不是要交？', q: YN, intent: 'ask_back' },
  { text: '不知道有没有', q: YN, intent: 'dont_know' },
  { text: '说不好', q: YN, intent: 'dont_know' },
  // ---- choices
  { text: '自己的', q: CH, parsed: { kind: 'choice', id: 'own', by: 'label' } },
  { text: '租的', q: CH, parsed: { kind: 'choice', id: 'rent', by: 'label' } },
  { text: '房子是租的', q: CH, parsed: { kind: 'choice', id: 'rent', by: 'label' } },
  { text: '不是租的，是自己的', q: CH, parsed: { kind: 'choice', id: 'own', by: 'label' } },
  { text: '亲戚家的房子', q: CH, parsed: { kind: 'choice', id: 'family', by: 'label' } },
  { text: '第二个', q: CH, parsed: { kind: 'choice', id: 'rent', by: 'ordinal' } },
  { text: '2', q: CH, parsed: { kind: 'choice', id: 'rent', by: 'ordinal' } },
  { text: 'B', q: CH, parsed: { kind: 'choice', id: 'rent', by: 'ordinal' } },
  { text: '选C吧', q: CH, parsed: { kind: 'choice', id: 'family', by: 'ordinal' } },
  { text: 'rent', q: CH, parsed: { kind: 'choice', id: 'rent', by: 'id' } },
  { text: 'the first one', q: CH, parsed: { kind: 'choice', id: 'own', by: 'ordinal' } },
  { text: "it's rented", q: CH, parsed: { kind: 'choice', id: 'rent', by: 'label' } },
  {
    text: '一半自己的一半租的',
    q: CH,
    parsed: { kind: 'choice', id: 'own', others: ['rent'] },
    notes: ['multiple_choices'],
  },
  { text: '第五个', q: CH, intent: 'unparseable', notes: ['no_choice_matched'] },
  // ---- places and free text
  {
    text: '河北省保定市清苑区',
    q: PLACE,
    parsed: { kind: 'place', names: expect.arrayContaining(['河北省']) },
  },
  {
    text: '就在县城东关菜市场',
    q: PLACE,
    parsed: { kind: 'place', names: expect.arrayContaining(['东关']) },
  },
  { text: '我在河北保定开超市', q: PLACE, parsed: { kind: 'place', names: ['河北'] } },
  { text: '湖南长沙', q: PLACE, parsed: { kind: 'place', names: ['湖南', '长沙'] } },
  { text: 'In Baoding, Hebei', q: PLACE, parsed: { kind: 'place', names: ['Baoding', 'Hebei'] } },
  { text: '主要卖化肥和种子', q: TEXT, parsed: { kind: 'text', text: '主要卖化肥和种子' } },
  {
    text: '<script>alert(1)</script>',
    q: TEXT,
    parsed: { kind: 'text', text: '<script>alert(1)</script>' },
    notes: ['markup_or_sql_like'],
  },
  // ---- intents
  { text: '不知道', q: M, intent: 'dont_know' },
  { text: '不清楚', q: M, intent: 'dont_know' },
  { text: '记不得了', q: M, intent: 'dont_know' },
  { text: '没算过', q: M, intent: 'dont_know' },
  { text: '不想说', q: M, intent: 'refuse' },
  { text: '这个不方便透露', q: M, intent: 'refuse' },
  { text: '隐私', q: M, intent: 'refuse' },
  { text: '不想说', q: YN, intent: 'refuse' },
  { text: '什么意思？', q: M, intent: 'ask_back' },
  { text: '你问的是一个月吗', q: M, intent: 'ask_back' },
  { text: '为什么问这个', q: M, intent: 'ask_back' },
  { text: '包括房租吗', q: M, intent: 'ask_back' },
  { text: '不懂你的意思', q: M, intent: 'ask_back' },
  { text: '找人工', q: M, intent: 'wants_person' },
  { text: '转人工', q: YN, intent: 'wants_person' },
  { text: '我要跟客户经理说', q: M, intent: 'wants_person' },
  { text: '', q: M, intent: 'empty' },
  { text: '   ', q: M, intent: 'empty' },
  { text: '😀😀😀', q: M, intent: 'empty', notes: ['emoji_only'] },
  { text: '[捂脸]', q: YN, intent: 'empty', notes: ['emoji_only'] },
  { text: '<script>alert(1)</script>', q: M, intent: 'unparseable', notes: ['markup_or_sql_like'] },
  { text: '1; DROP TABLE users; --', q: M, intent: 'unparseable', notes: ['markup_or_sql_like'] },
  { text: "' OR 1=1 --", q: PEOPLE, intent: 'unparseable' },
  { text: 'no idea', q: M, intent: 'dont_know' },
  { text: "I'd rather not say", q: M, intent: 'refuse' },
  { text: 'what do you mean?', q: M, intent: 'ask_back' },
  { text: 'can I talk to a real person', q: M, intent: 'wants_person' },
  { text: '你好', q: YN, intent: 'off_topic' },
  { text: '你是机器人吗', q: M, intent: 'off_topic' },
  { text: '很多', q: M, intent: 'unparseable', notes: ['vague_quantity'] },
  { text: 'asdfghjkl', q: M, intent: 'unparseable', notes: ['no_number'] },
  { text: '我一直在这干', q: M, intent: 'unparseable' },
];

describe('understand: a table of real-style replies', () => {
  it('holds at least 150 replies', () => {
    expect(rows.length).toBeGreaterThanOrEqual(150);
  });

  it.each(
    rows.map(
      (r) => [`${r.q.answerType}${r.q.unit ? `(${r.q.unit})` : ''}: ${JSON.stringify(r.text)}`, r] as const,
    ),
  )('reads %s', (_name, row) => {
    const u = nlu.understand(row.text, row.q);
    expect(u.intent).toBe(row.intent ?? 'answer');
    if (row.parsed) {
      // Fields expected as undefined must be absent (a plain toMatchObject would let them through).
      const entries = Object.entries(row.parsed);
      expect(u.parsed).toMatchObject(Object.fromEntries(entries.filter(([, v]) => v !== undefined)));
      const actual = u.parsed as unknown as Record<string, unknown>;
      for (const [k] of entries.filter(([, v]) => v === undefined)) expect(actual[k], k).toBeUndefined();
    }
    if (row.hedged !== undefined) expect(u.hedged).toBe(row.hedged);
    if (row.notes) expect(u.notes).toEqual(expect.arrayContaining(row.notes));
    expect(u.confidence).toBeGreaterThanOrEqual(0);
    expect(u.confidence).toBeLessThanOrEqual(1);
    if ((row.intent ?? 'answer') === 'answer') expect(u.confidence).toBeGreaterThan(0);
    if (row.intent === 'unparseable') expect(u.confidence).toBe(0);
  });
});
