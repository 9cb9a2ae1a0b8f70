/**
 * Finds the figures in a reply: value or range, approximation, unit and period. Works on text already
 * normalised by normalizeForParsing (lower-case, width-folded, spacing repaired).
 */
import { CN_DIGIT, cleanFloat, englishNumbersToDigits, evalNumeral } from './numerals.js';
import { normalizeForParsing } from './normalize.js';
import type { Approx, NumberAnswer, Period } from './types.js';
import { lookupUnit, spellUnit, UNIT_PATTERN } from './units.js';
import type { UnitDef } from './units.js';

export interface AmountCandidate {
  value: number;
  low?: number;
  high?: number;
  approx: Approx;
  /** The unit as said (surface form), if any. */
  unit?: string;
  unitDef?: UnitDef;
  period?: Period;
  start: number;
  end: number;
  /** For a price, the unit it is paid per (10块钱一斤 → 斤). */
  per?: string;
  /** The numeral ended in a magnitude (万, 千, k): used to scale the bare low end of 三到四万. */
  magnitude: number;
}

const NUM_CHAR = '\\d〇零一幺壹二两俩贰三仨叁四肆五伍六陆七柒八捌九玖十拾百佰千仟万萬亿億';
const SPAN = new RegExp(
  `(?:\\d+(?:\\.\\d+)?(?:[kw](?![a-z]))?|[〇零一幺壹二两俩贰三仨叁四肆五伍六陆七柒八捌九玖拾佰仟萬億十百亿]|千(?![克瓦])|万|几(?!乎)|点(?=[〇零一二两三四五六七八九\\d])|(?<=[${NUM_CHAR}])[多来余](?=[十百千万亿]))+`,
  'g',
);
const HAS_QUANTITY = /[\d〇零一幺壹二两俩贰三仨叁四肆五伍六陆七柒八捌九玖十拾百佰千仟万萬亿億几]/;

const PREFIX =
  /(大概|大约|约莫|约|差不多|估计|可能|应该|也就|大致|将近|接近|不到|不足|少于|不超过|没超过|没有|超过|至少|起码|最少|少说也有|少说|最多|顶多|至多|多于|高于|低于|不止|上|过|小|近|快|about|around|roughly|approximately|approx\.?|~|maybe|probably|nearly|almost|close to|more than|over|above|at least|less than|under|below|fewer than|at most|up to|not quite|just over|just under|some|only)\s?$/;
const PREFIX_APPROX: Readonly<Record<string, Approx>> = {
  将近: 'less_than',
  接近: 'less_than',
  不到: 'less_than',
  不足: 'less_than',
  少于: 'less_than',
  不超过: 'less_than',
  没超过: 'less_than',
  没有: 'less_than',
  最多: 'less_than',
  顶多: 'less_than',
  至多: 'less_than',
  低于: 'less_than',
  小: 'less_than',
  近: 'less_than',
  快: 'less_than',
  nearly: 'less_than',
  almost: 'less_than',
  'close to': 'less_than',
  'less than': 'less_than',
  under: 'less_than',
  below: 'less_than',
  'fewer than': 'less_than',
  'at most': 'less_than',
  'up to': 'less_than',
  'not quite': 'less_than',
  'just under': 'less_than',
  超过: 'more_than',
  至少: 'more_than',
  起码: 'more_than',
  最少: 'more_than',
  少说也有: 'more_than',
  少说: 'more_than',
  多于: 'more_than',
  高于: 'more_than',
  不止: 'more_than',
  上: 'more_than',
  过: 'more_than',
  'more than': 'more_than',
  over: 'more_than',
  above: 'more_than',
  'at least': 'more_than',
  'just over': 'more_than',
};
const SUFFIX_BEFORE_UNIT = /^(多|余|来|出头)/;
const SUFFIX_AFTER_UNIT =
  /^\s?(左右|上下|以上|以下|以内|之内|出头|开外|多|挂零|不到|or so|or more|or less|plus|\+|ish|-ish)(?![a-z])/;
const SUFFIX_APPROX: Readonly<Record<string, Approx>> = {
  多: 'more_than',
  余: 'more_than',
  来: 'about',
  出头: 'more_than',
  左右: 'about',
  上下: 'about',
  以上: 'more_than',
  以下: 'less_than',
  以内: 'less_than',
  之内: 'less_than',
  开外: 'more_than',
  挂零: 'more_than',
  不到: 'less_than',
  'or so': 'about',
  'or more': 'more_than',
  'or less': 'less_than',
  plus: 'more_than',
  '+': 'more_than',
  ish: 'about',
  '-ish': 'about',
};
const UNIT_AT = new RegExp(`^\\s?(${UNIT_PATTERN})`);
const HALF_UNIT = new RegExp(`^个?半(${UNIT_PATTERN})`);
const LONE_HALF = new RegExp(`(?<![${NUM_CHAR}])半个?(${UNIT_PATTERN})`, 'g');
/**
 * A tenths digit after 块 (两块五), but not the 一 of a following 一斤; one before it is (两块五一斤: 2.5 a 斤, was 2).
 */
const DIME = new RegExp(
  `^([一二两三四五六七八九]|\\d)(毛|角)?(?!(?!一(?:${UNIT_PATTERN}))[\\d〇零一二两三四五六七八九十百千万.]|${UNIT_PATTERN})`,
);
const PER_UNIT_AFTER = new RegExp(`^\\s?(?:/|每|per |a )(${UNIT_PATTERN})`);
const PER_UNIT_BEFORE = new RegExp(`每(${UNIT_PATTERN})$`);
/** A few words between a unit and its price (一头猪卖三千), no figure or punctuation. */
const SHORT_GAP = /^\s*[\p{Script=Han}]{0,3}\s*$/u;
const RANGE_GAP = /^\s*(?:-|~|～|—|到|至|或|或者|to|or|and)\s*$/;

const PERIOD_PATTERNS: [RegExp, (m: RegExpMatchArray) => Period | undefined][] = [
  // 七八百一天, 两万一个月: the period after the figure, closing the clause.
  [
    /(?<=[\d十百千万亿kw多来块元钱斤头只个])一个?(天|日|周|星期|礼拜|月|年|季|茬|批|栏|轮)(?=$|[,，。.!！;；\s吧啊的左])/g,
    (m) => periodOf(m[1]!),
  ],
  [
    new RegExp(
      `(?<![${NUM_CHAR}点.])(?:平均)?(?:每|一|每一)个?(天|日|周|星期|礼拜|月|年|季度|季|茬|批|栏|轮|周期)(?:下来|到头|的话)?(?![半多来零几])`,
      'g',
    ),
    (m) => periodOf(m[1]!),
  ],
  [/天天|日均|每日/g, () => 'day'],
  [/月均|每月/g, () => 'month'],
  [/年均|全年|整年|一年到头/g, () => 'year'],
  [/周均/g, () => 'week'],
  [
    /\/(天|日|周|月|年|季|批)|(日|月|年)(?=入|收入|营业额|利润|销售额|流水|薪|工资|纯利|净利|开支|支出|成本|租金|房租|营收)/g,
    (m) => periodOf(m[1] ?? m[2]!),
  ],
  [
    /\b(?:a|per|each|every|an)\s+(day|week|month|year|season|harvest|batch|cycle)\b|\b(daily|weekly|monthly|yearly|annually)\b|\bper annum\b/g,
    (m) => periodOf(m[1] ?? m[2] ?? 'year'),
  ],
];

function periodOf(word: string): Period | undefined {
  switch (word) {
    case '天':
    case '日':
    case 'day':
    case 'daily':
      return 'day';
    case '周':
    case '星期':
    case '礼拜':
    case 'week':
    case 'weekly':
      return 'week';
    case '月':
    case 'month':
    case 'monthly':
      return 'month';
    case '年':
    case 'year':
    case 'yearly':
    case 'annually':
      return 'year';
    case '季':
    case '茬':
    case 'season':
    case 'harvest':
      return 'season';
    case '季度':
      return undefined; // a quarter is a span of months, not a crop season; leave it to the figure
    default:
      return 'cycle';
  }
}

interface SpanValue {
  low: number;
  high: number;
  approx: Approx;
}

const CONSECUTIVE = /([一二两三四五六七八九])([一二两三四五六七八九])/;

/** 七八百 → 700–800, 十几 → 11–19, 几十 → 20–90, 一百多万 → more than 1,000,000, 三万五 → 35000. */
function interpretSpan(spanIn: string): SpanValue | undefined {
  let span = spanIn;
  let approx: Approx = 'exact';
  const inner = /([多来余])(?=[十百千万亿])/.exec(span);
  if (inner) {
    approx = inner[1] === '来' ? 'about' : 'more_than';
    span = span.replace(/[多来余](?=[十百千万亿])/, '');
  }
  if (span.includes('几')) {
    const lowDigit = /十几/.test(span) ? '一' : '二';
    const low = evalNumeral(span.replace('几', lowDigit));
    const high = evalNumeral(span.replace('几', '九'));
    if (low === undefined || high === undefined) {
      // 几 alone: a few
      if (span === '几') return { low: 2, high: 9, approx: 'about' };
      return undefined;
    }
    return { low, high, approx: approx === 'exact' ? 'about' : approx };
  }
  const pair = CONSECUTIVE.exec(span);
  const onlyDigits = /^[〇零一二两三四五六七八九]+$/.test(span);
  if (pair && !(onlyDigits && span.length > 2)) {
    const a = CN_DIGIT[pair[1]!]!;
    const b = CN_DIGIT[pair[2]!]!;
    if (b === a + 1 || (a === 3 && b === 5)) {
      const low = evalNumeral(span.replace(pair[0], pair[1]!));
      const high = evalNumeral(span.replace(pair[0], pair[2]!));
      if (low !== undefined && high !== undefined) return { low, high, approx };
    }
  }
  const v = evalNumeral(span);
  if (v === undefined) return undefined;
  return { low: v, high: v, approx };
}

function trailingMagnitude(span: string): number {
  const last = span[span.length - 1];
  switch (last) {
    case '万':
    case '萬':
    case 'w':
      return 1e4;
    case '亿':
    case '億':
      return 1e8;
    case '千':
    case '仟':
    case 'k':
      return 1e3;
    case '百':
    case '佰':
      return 100;
    default:
      return 1;
  }
}

interface PeriodHit {
  period: Period;
  start: number;
  end: number;
}

function findPeriods(s: string): PeriodHit[] {
  const hits: PeriodHit[] = [];
  for (const [re, fn] of PERIOD_PATTERNS) {
    for (const m of s.matchAll(re)) {
      const period = fn(m);
      if (period && !hits.some((h) => m.index < h.end && h.start < m.index + m[0].length)) {
        hits.push({ period, start: m.index, end: m.index + m[0].length });
      }
    }
  }
  return hits.sort((a, b) => a.start - b.start);
}

const mask = (s: string, hits: { start: number; end: number }[]) => {
  let out = s;
  for (const h of hits) out = out.slice(0, h.start) + '_'.repeat(h.end - h.start) + out.slice(h.end);
  return out;
};

function scan(s: string): AmountCandidate[] {
  const out: AmountCandidate[] = [];
  let lastEnd = 0;
  for (const m of s.matchAll(SPAN)) {
    const span = m[0];
    const start = m.index;
    if (start < lastEnd) continue; // already read as part of the previous figure (the 五 of 两块五)
    let pos = start + span.length;
    if (!HAS_QUANTITY.test(span)) continue;
    if (s[start - 1] === '第') continue; // an ordinal, not an amount
    const sv = interpretSpan(span);
    if (!sv) continue;
    let { low, high, approx } = sv;
    let half = false;
    const before1 = SUFFIX_BEFORE_UNIT.exec(s.slice(pos));
    if (before1) {
      approx = SUFFIX_APPROX[before1[1]!]!;
      pos += before1[0].length;
    }
    let unit: string | undefined;
    const halfUnit = HALF_UNIT.exec(s.slice(pos));
    const unitMatch = halfUnit ?? UNIT_AT.exec(s.slice(pos));
    if (unitMatch) {
      unit = unitMatch[1]!;
      half = halfUnit !== null;
      pos += unitMatch[0].length;
    }
    if (!half && unit && s[pos] === '半') {
      half = true;
      pos += 1;
    }
    // 一 inside words (一边, 一家子) is not a figure; 一 alone answering "how many" is.
    if (span === '一' && !unit && /^\p{Script=Han}/u.test(s.slice(pos))) continue;
    const def = unit ? lookupUnit(unit) : undefined;
    if (half) {
      low += 0.5;
      high += 0.5;
    }
    // 两块五, 3块5毛: a digit after 块/元 counts tenths of a yuan.
    if (def?.dimension === 'money' && def.factor === 1 && high < 1000) {
      const dime = DIME.exec(s.slice(pos));
      if (dime) {
        const d = /\d/.test(dime[1]!) ? Number(dime[1]) : CN_DIGIT[dime[1]!]!;
        low = cleanFloat(low + d / 10);
        high = cleanFloat(high + d / 10);
        pos += dime[0].length;
      }
    }
    const after = SUFFIX_AFTER_UNIT.exec(s.slice(pos));
    if (after) {
      approx = SUFFIX_APPROX[after[1]!]!;
      pos += after[0].length;
    }
    const pre = PREFIX.exec(s.slice(Math.max(0, start - 12), start));
    if (pre) {
      const word = pre[1]!;
      const rangeTilde = word === '~' && /[\d十百千万kw]\s?~\s?$/.test(s.slice(0, start));
      const restricted = word === '上' || word === '过' || word === '小' || word === '快' || word === '近';
      const okRestricted =
        word === '上' || word === '过' ? /^[十百千万亿]/.test(span) : /[十百千万亿k]/.test(span);
      if ((!restricted || okRestricted) && !rangeTilde) {
        const a = PREFIX_APPROX[word];
        if (a) approx = a;
        else if (approx === 'exact') approx = 'about';
      }
    }
    if (!unit && /[¥$]\s?$|rmb\s?$|人民币$/.test(s.slice(Math.max(0, start - 4), start))) unit = '元';
    lastEnd = pos;
    out.push({
      value: cleanFloat(low === high ? low : (low + high) / 2),
      ...(low !== high ? { low, high } : {}),
      approx,
      ...(unit ? { unit, unitDef: lookupUnit(unit) } : {}),
      start,
      end: pos,
      magnitude: trailingMagnitude(span),
    });
  }
  return attachPriceUnits(s, mergeRanges(s, out));
}

/** 10块钱一斤, 一斤两块五, 每斤3元, 2.5元/斤: a money figure paid per one of another unit. */
function attachPriceUnits(s: string, cands: AmountCandidate[]): AmountCandidate[] {
  const isPerOne = (c: AmountCandidate | undefined) =>
    c !== undefined &&
    c.value === 1 &&
    c.low === undefined &&
    c.unitDef !== undefined &&
    c.unitDef.dimension !== 'money' &&
    c.unitDef.dimension !== 'time' &&
    /^[一每]/.test(s.slice(c.start));
  const drop = new Set<AmountCandidate>();
  cands.forEach((c, i) => {
    const money = c.unitDef?.dimension === 'money';
    if (!money && c.unitDef !== undefined) return;
    const next = cands[i + 1];
    const prev = cands[i - 1];
    if (money && isPerOne(next) && /^\s*$/.test(s.slice(c.end, next!.start))) {
      c.per = spellUnit(next!.unit!);
      drop.add(next!);
    } else if (isPerOne(prev) && SHORT_GAP.test(s.slice(prev!.end, c.start))) {
      // 一斤两块五, 一头猪卖三千: the price follows the unit it is paid per.
      c.per = spellUnit(prev!.unit!);
      drop.add(prev!);
    } else if (money) {
      const tail = PER_UNIT_AFTER.exec(s.slice(c.end));
      const head = PER_UNIT_BEFORE.exec(s.slice(0, c.start));
      const unit = tail?.[1] ?? head?.[1];
      if (unit && lookupUnit(unit)?.dimension !== 'money') c.per = spellUnit(unit);
    }
  });
  return cands.filter((c) => !drop.has(c));
}

/** 三到四万, 2000-3000, 3~5千, between 2 and 3 thousand: two figures joined into one range. */
function mergeRanges(s: string, cands: AmountCandidate[]): AmountCandidate[] {
  const out: AmountCandidate[] = [];
  for (let i = 0; i < cands.length; i++) {
    const a = cands[i]!;
    const b = cands[i + 1];
    if (b && a.low === undefined && b.low === undefined && RANGE_GAP.test(s.slice(a.end, b.start))) {
      let lowV = a.value;
      if (a.magnitude === 1 && !a.unit) {
        // The bare low end takes the high end's magnitude: 三到四万, "3 to 4 thousand" (4000 after rewriting).
        const scale =
          b.magnitude > 1
            ? b.magnitude
            : lowV < 10 && b.value >= 100
              ? 10 ** Math.floor(Math.log10(b.value))
              : 1;
        if (lowV * scale <= b.value) lowV *= scale;
      }
      if (lowV < b.value) {
        const unit = a.unit ?? b.unit;
        const approx: Approx = a.approx !== 'exact' ? a.approx : b.approx;
        out.push({
          value: cleanFloat((lowV + b.value) / 2),
          low: cleanFloat(lowV),
          high: b.value,
          approx,
          ...(unit ? { unit, unitDef: lookupUnit(unit) } : {}),
          start: a.start,
          end: b.end,
          magnitude: b.magnitude,
        });
        i++;
        continue;
      }
    }
    out.push(a);
  }
  return out;
}

/** 百分之二十 → 二十%, 三分之一 → 33.3%, 一半 → 50%, so percentages are figures with unit %. */
function rewritePercentForms(s: string): string {
  return s
    .replace(/百分之([^\s,，。;；%]+?)(?=[多左右上下以]|$|[\s,，。;；]|吧|的|了|啊)/g, '$1%')
    .replace(/百分之/g, '')
    .replace(
      /([一二两三四五六七八九十\d]{1,12})分之([一二两三四五六七八九十\d]{1,12})/g,
      (m, d: string, n: string) => {
        const den = evalNumeral(d);
        const num = evalNumeral(n);
        return den && num !== undefined ? `${cleanFloat((num / den) * 100)}%` : m;
      },
    )
    .replace(/(?<![\d一二两三四五六七八九十])一半/g, '50%');
}

export interface FoundAmounts {
  candidates: AmountCandidate[];
  /** The figures were read only after unmasking period words (一年 answering "how many years"). */
  periodsUnmasked: boolean;
  folkInterest: boolean;
}

/**
 * All figures in a normalised reply, each with the period said next to it. With `periods: false`,
 * 一年/一个月 are figures too (a duration question: 一年两个月).
 */
export function findAmounts(norm: string, { periods: withPeriods = true } = {}): FoundAmounts {
  let s = englishNumbersToDigits(norm);
  s = rewritePercentForms(s);
  // 一个多月 is 一个月多 (more than a month), not 一个 and a stray 月; same length, so positions hold.
  s = s.replace(/个多(月|星期|礼拜|钟头|小时)/g, '个$1多');
  // 两分利 / 月息两分: folk lending quotes monthly interest in 分, one 分 being 1% a month.
  let folkInterest = false;
  s = s.replace(
    /(?:月息|月利)?([一二两三四五六七八九十\d.]{1,12})分(?:利|息|的利|钱利息)|月息([一二两三四五六七八九十\d.]{1,12})分/g,
    (m, a?: string, b?: string) => {
      const v = evalNumeral(a ?? b ?? '');
      if (v === undefined) return m;
      folkInterest = true;
      return `${v}%/月`;
    },
  );
  // Words that contain a numeral character but no figure.
  s = s.replace(
    /(?<![\d一二两三四五六七八九十百千])万一|千万别|千万不|一点点|一点儿|一下|一起|一直|一样|一般|一共|统一|唯一|一些|一定|一切|一向|一旦/g,
    (m) => '_'.repeat(m.length),
  );
  const periods = withPeriods ? findPeriods(s) : [];
  let cands = scan(mask(s, periods));
  let periodsUnmasked = false;
  if (cands.length === 0 && periods.length > 0) {
    cands = scan(s);
    periodsUnmasked = true;
  } else {
    assignPeriods(cands, periods);
  }
  const halves = halfCandidates(s, cands);
  cands = [...cands, ...halves].sort((a, b) => a.start - b.start);
  return { candidates: cands, periodsUnmasked, folkInterest };
}

/** 半年, 半个月, 半斤: half of a unit with no numeral before it. */
function halfCandidates(s: string, existing: AmountCandidate[]): AmountCandidate[] {
  const out: AmountCandidate[] = [];
  for (const m of s.matchAll(LONE_HALF)) {
    const start = m.index;
    const end = start + m[0].length;
    if (existing.some((c) => start < c.end && c.start < end)) continue;
    const unit = m[1]!;
    out.push({ value: 0.5, approx: 'exact', unit, unitDef: lookupUnit(unit), start, end, magnitude: 1 });
  }
  return out;
}

function assignPeriods(cands: AmountCandidate[], periods: PeriodHit[]) {
  for (const p of periods) {
    let best: AmountCandidate | undefined;
    let bestDist = Infinity;
    for (const c of cands) {
      // Chinese says the period first (一天七八百): on a tie the figure after the period wins.
      const dist = c.start >= p.end ? c.start - p.end : p.start >= c.end ? p.start - c.end + 0.5 : 0;
      const between = cands.some(
        (o) => o !== c && o.start >= Math.min(c.end, p.end) && o.end <= Math.max(c.start, p.start),
      );
      if (!between && dist < bestDist && c.period === undefined) {
        best = c;
        bestDist = dist;
      }
    }
    if (best) best.period = p.period;
  }
}

/** A candidate as an answer, with its unit spelled canonically and no conversion. */
export function candidateToAnswer(c: AmountCandidate): NumberAnswer {
  return {
    kind: 'number',
    value: c.value,
    ...(c.low !== undefined ? { low: c.low, high: c.high } : {}),
    approx: c.approx,
    ...(c.unit ? { unit: spellUnit(c.unit) } : {}),
    ...(c.period ? { period: c.period } : {}),
    ...(c.per ? { per: c.per } : {}),
  };
}

/**
 * The first figure in a free-text reply, e.g. parseAmount('一天七八百') → range 700–800 per day;
 * parseAmount('三万多') → 30000 more_than. Undefined when the text holds no figure.
 */
export function parseAmount(text: string): NumberAnswer | undefined {
  const { candidates } = findAmounts(normalizeForParsing(text));
  const first = candidates[0];
  return first ? candidateToAnswer(first) : undefined;
}
