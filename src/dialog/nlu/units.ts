/**
 * Units applicants say, each with its dimension's canonical unit and the factor to it. Conversions are
 * applied only when the question asks for a unit of the same dimension (公斤 → 斤 for a question in 斤).
 * Factors: 1 公斤 = 2 斤, 1 吨 = 2000 斤, 1 亩 = 10000/15 m² (so 1 m² = 0.0015 亩), 1 公顷 = 15 亩
 * (the statutory 市制 ratios); durations in months with a month taken as 30 days.
 */
import type { Period } from './types.js';

export type Dimension =
  | 'money'
  | 'mass'
  | 'head'
  | 'area'
  | 'vehicle'
  | 'trip'
  | 'person'
  | 'time'
  | 'season'
  | 'percent'
  | 'piece'
  /** Electricity (度, kWh) and fuel (升): what the catalogue's price questions are per (元/度, 元/升). */
  | 'energy'
  | 'volume'
  /** 个 and 口 count anything countable: they take the question's unit. */
  | 'generic';

export interface UnitDef {
  canonical: string;
  dimension: Dimension;
  /** Multiply a value in this unit by factor to get the canonical unit. */
  factor: number;
}

const def = (canonical: string, dimension: Dimension, factor = 1): UnitDef => ({
  canonical,
  dimension,
  factor,
});

const MONEY = def('元', 'money');
const JIN = def('斤', 'mass');
const HEAD = def('头', 'head');
const MU = def('亩', 'area');
const SQM = def('亩', 'area', 0.0015);
const VEHICLE = def('辆', 'vehicle');
const TRIP = def('趟', 'trip');
const PERSON = def('人', 'person');
const YEAR = def('月', 'time', 12);
const MONTH = def('月', 'time');
const WEEK = def('月', 'time', 7 / 30);
const DAY = def('月', 'time', 1 / 30);
const SEASON = def('季', 'season');
const PERCENT = def('%', 'percent');
const GENERIC = def('个', 'generic');

const PIECES = [
  '件',
  '张',
  '套',
  '箱',
  '袋',
  '包',
  '桶',
  '瓶',
  '棵',
  '株',
  '间',
  '家',
  '户',
  '条',
  '根',
  '盒',
  '筐',
  '单',
  '份',
];

/** Surface form → unit. Latin forms are matched whole-word and lower-case. */
export const UNIT_TABLE: ReadonlyMap<string, UnitDef> = new Map<string, UnitDef>([
  ['元', MONEY],
  ['块', MONEY],
  ['块钱', MONEY],
  ['元钱', MONEY],
  ['圆', MONEY],
  ['人民币', MONEY],
  ['毛', def('元', 'money', 0.1)],
  ['毛钱', def('元', 'money', 0.1)],
  ['角', def('元', 'money', 0.1)],
  ['分钱', def('元', 'money', 0.01)],
  ['rmb', MONEY],
  ['cny', MONEY],
  ['yuan', MONEY],
  ['kuai', MONEY],
  ['斤', JIN],
  ['jin', JIN],
  ['catty', JIN],
  ['catties', JIN],
  ['公斤', def('斤', 'mass', 2)],
  ['千克', def('斤', 'mass', 2)],
  ['kg', def('斤', 'mass', 2)],
  ['kgs', def('斤', 'mass', 2)],
  ['kilo', def('斤', 'mass', 2)],
  ['kilos', def('斤', 'mass', 2)],
  ['吨', def('斤', 'mass', 2000)],
  ['ton', def('斤', 'mass', 2000)],
  ['tons', def('斤', 'mass', 2000)],
  ['tonne', def('斤', 'mass', 2000)],
  ['tonnes', def('斤', 'mass', 2000)],
  ['克', def('斤', 'mass', 0.002)],
  ['担', def('斤', 'mass', 100)],
  ['头', HEAD],
  ['只', HEAD],
  ['匹', HEAD],
  ['羽', HEAD],
  ['head', HEAD],
  ['heads', HEAD],
  ['pigs', HEAD],
  ['cows', HEAD],
  ['cattle', HEAD],
  ['sheep', HEAD],
  ['goats', HEAD],
  ['chickens', HEAD],
  ['ducks', HEAD],
  ['亩', MU],
  ['亩地', MU],
  ['mu', MU],
  ['公顷', def('亩', 'area', 15)],
  ['hectare', def('亩', 'area', 15)],
  ['hectares', def('亩', 'area', 15)],
  ['平方米', SQM],
  ['平方', SQM],
  ['平米', SQM],
  ['平', SQM],
  ['m2', SQM],
  ['sqm', SQM],
  ['square meters', SQM],
  ['square metres', SQM],
  ['辆', VEHICLE],
  ['台', VEHICLE],
  ['部', VEHICLE],
  ['架', VEHICLE],
  ['vehicles', VEHICLE],
  ['trucks', VEHICLE],
  ['machines', VEHICLE],
  ['趟', TRIP],
  ['车', TRIP],
  ['次', TRIP],
  ['回', TRIP],
  ['trips', TRIP],
  ['trip', TRIP],
  ['loads', TRIP],
  ['人', PERSON],
  ['个人', PERSON],
  ['口人', PERSON],
  ['名', PERSON],
  ['位', PERSON],
  ['people', PERSON],
  ['persons', PERSON],
  ['workers', PERSON],
  ['staff', PERSON],
  ['employees', PERSON],
  ['helpers', PERSON],
  ['年', YEAR],
  ['年头', YEAR],
  ['year', YEAR],
  ['years', YEAR],
  ['yrs', YEAR],
  ['个月', MONTH],
  ['月', MONTH],
  ['month', MONTH],
  ['months', MONTH],
  ['季度', def('月', 'time', 3)],
  ['个季度', def('月', 'time', 3)],
  ['个星期', WEEK],
  ['星期', WEEK],
  ['礼拜', WEEK],
  ['个礼拜', WEEK],
  ['周', WEEK],
  ['week', WEEK],
  ['weeks', WEEK],
  ['天', DAY],
  ['日', DAY],
  ['day', DAY],
  ['days', DAY],
  ['季', SEASON],
  ['茬', SEASON],
  ['seasons', SEASON],
  ['harvests', SEASON],
  ['%', PERCENT],
  ['percent', PERCENT],
  ['个点', PERCENT],
  ['成', def('%', 'percent', 10)],
  ['度', def('度', 'energy')],
  ['千瓦时', def('度', 'energy')],
  ['kwh', def('度', 'energy')],
  ['升', def('升', 'volume')],
  ['公升', def('升', 'volume')],
  ['litre', def('升', 'volume')],
  ['liter', def('升', 'volume')],
  ['个', GENERIC],
  ['口', GENERIC],
  ...PIECES.map((p): [string, UnitDef] => [p, def(p, 'piece')]),
]);

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** All surface forms, longest first, as one alternation; Latin forms must end at a word boundary. */
export const UNIT_PATTERN = [...UNIT_TABLE.keys()]
  .sort((a, b) => b.length - a.length)
  .map((u) => (/^[a-z]/.test(u) ? `${escape(u)}(?![a-z])` : escape(u)))
  .join('|');

export function lookupUnit(surface: string): UnitDef | undefined {
  return UNIT_TABLE.get(surface.toLowerCase());
}

/** Converts between two units of one dimension; undefined when they measure different things. */
export function convertUnit(value: number, from: string, to: string): number | undefined {
  const a = lookupUnit(from);
  const b = lookupUnit(to);
  if (!a || !b) return from === to ? value : undefined;
  if (a.dimension === 'generic' || b.dimension === 'generic') return value;
  if (a.canonical !== b.canonical) return undefined;
  return (value * a.factor) / b.factor;
}

const PERIOD_UNITS: Readonly<Record<string, Period>> = {
  天: 'day',
  日: 'day',
  周: 'week',
  星期: 'week',
  月: 'month',
  年: 'year',
  季: 'season',
  茬: 'season',
  批: 'cycle',
  栏: 'cycle',
  轮: 'cycle',
};

/** Splits a question unit such as '趟/月' into its base unit and period; '元/斤' keeps 斤 as `per`. */
export function parseQuestionUnit(unit: string | undefined): {
  base?: string;
  period?: Period;
  per?: string;
} {
  if (!unit) return {};
  const [base, per] = unit.split('/');
  if (per === undefined) return { base };
  const period = PERIOD_UNITS[per];
  return period ? { base, period } : { base, per };
}

/** How a unit is written back: aliases fold to one spelling (块钱 → 元, kg → 公斤, days → 天). */
const SPELLING: Readonly<Record<string, string>> = {
  块: '元',
  块钱: '元',
  元钱: '元',
  圆: '元',
  人民币: '元',
  rmb: '元',
  cny: '元',
  yuan: '元',
  kuai: '元',
  毛钱: '毛',
  jin: '斤',
  catty: '斤',
  catties: '斤',
  千克: '公斤',
  kg: '公斤',
  kgs: '公斤',
  kilo: '公斤',
  kilos: '公斤',
  ton: '吨',
  tons: '吨',
  tonne: '吨',
  tonnes: '吨',
  head: '头',
  heads: '头',
  pigs: '头',
  cows: '头',
  cattle: '头',
  sheep: '头',
  goats: '头',
  chickens: '只',
  ducks: '只',
  mu: '亩',
  亩地: '亩',
  hectare: '公顷',
  hectares: '公顷',
  平方: '平方米',
  平米: '平方米',
  平: '平方米',
  m2: '平方米',
  sqm: '平方米',
  'square meters': '平方米',
  'square metres': '平方米',
  vehicles: '辆',
  trucks: '辆',
  machines: '台',
  trips: '趟',
  trip: '趟',
  loads: '车',
  个人: '人',
  口人: '人',
  people: '人',
  persons: '人',
  workers: '人',
  staff: '人',
  employees: '人',
  helpers: '人',
  年头: '年',
  year: '年',
  years: '年',
  yrs: '年',
  个月: '月',
  month: '月',
  months: '月',
  个季度: '季度',
  个星期: '周',
  星期: '周',
  礼拜: '周',
  week: '周',
  weeks: '周',
  日: '天',
  day: '天',
  days: '天',
  seasons: '季',
  harvests: '季',
  percent: '%',
  个点: '%',
};

export function spellUnit(surface: string): string {
  const s = surface.toLowerCase();
  return SPELLING[s] ?? s;
}
