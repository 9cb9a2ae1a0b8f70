/**
 * Readers for the non-numeric answer types: yes/no, choice, date, duration and place.
 */
import { findAmounts } from './amount.js';
import type { AmountCandidate } from './amount.js';
import { CN_DIGIT, cleanFloat, englishNumbersToDigits, evalNumeral } from './numerals.js';
import type { Approx, ChoiceOption, DateAnswer, DurationAnswer, DurationSinceAnswer } from './types.js';
import { convertUnit, lookupUnit } from './units.js';

// ---------------------------------------------------------------- yes / no

/** Said as yes although they contain a negation character (没问题 = no problem). */
const YES_DESPITE_NEGATION = /没问题|没错|不错|那当然|不是没有|不是不/;
const NO_PHRASE =
  /哪有|哪里有|哪儿有|哪会|哪能|不是|没有|没得|木有|不对|不会|不要|不用|还没|从没|从来没|从不|没交|没买|没签|没贷|没借|不需要|莫得|没的|没呢|不存在|不行|不可以|不能|不曾|没去|没做|没干|没雇|没请/;
const NO_TOKEN = new Set(['不', '没', '无', '否', '冇', '别', '没', '不了']);
const YES_PHRASE =
  /是的|对的|有的|没问题|没错|可以|当然|肯定|是啊|是呀|对啊|对呀|有啊|有呀|嗯嗯|恩恩|确实|正确|对头|算是|差不多|好的|是滴|有过|对对|交了|买了|签了|雇了|请了|一直有|不错/;
const YES_TOKEN = new Set([
  '是',
  '对',
  '有',
  '嗯',
  '恩',
  '好',
  '行',
  '会',
  '要',
  '在',
  '交',
  '买',
  '签',
  '有点',
  '有些',
  'ok',
]);
const EN_NO =
  /\b(no|nope|nah|not|never|none|don'?t|haven'?t|hasn'?t|didn'?t|doesn'?t|isn'?t|aren'?t|wasn'?t|won'?t|negative)\b/;
const EN_YES =
  /\b(yes|yeah|yep|yup|sure|correct|right|true|of course|indeed|ok|okay|i do|i have|i did|we do|we have|absolutely|definitely|affirmative)\b/;

const EXPERIENCED =
  /[\u4e00-\u9fff]过(?=$|[一两几三四五六七八九十\d]+\s*(次|回|遍)|[了的啊呀吧嘛呢哦，。,.!！?？~～\s])/;

export interface YesNoReading {
  value: boolean;
  doubleNegation: boolean;
}

export function readYesNo(norm: string, tokens: readonly string[]): YesNoReading | undefined {
  if (/不是没有|不是不/.test(norm)) return { value: true, doubleNegation: true };
  const stripped = norm.replace(YES_DESPITE_NEGATION, ' 是 ');
  if (YES_DESPITE_NEGATION.test(norm) && !NO_PHRASE.test(stripped))
    return { value: true, doubleNegation: false };
  if (NO_PHRASE.test(stripped) || tokens.some((t) => NO_TOKEN.has(t)) || EN_NO.test(norm)) {
    return { value: false, doubleNegation: false };
  }
  if (YES_PHRASE.test(norm) || tokens.some((t) => YES_TOKEN.has(t)) || EN_YES.test(norm)) {
    return { value: true, doubleNegation: false };
  }
  // An experience told without a negation — 冻结过, 被执行过两次, 卡被冻过 — says it happened: yes. 过 must end the
  // verb (end of answer, a count, a particle), so 过年 / 过去 are not read so.
  if (EXPERIENCED.test(norm)) return { value: true, doubleNegation: false };
  if (/^(y|👍|√|✓)$/.test(norm)) return { value: true, doubleNegation: false };
  if (/^(n|×|✗)$/.test(norm)) return { value: false, doubleNegation: false };
  return undefined;
}

// ---------------------------------------------------------------- choice

const ORDINAL_WORDS: Readonly<Record<string, number>> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
};

export interface ChoiceReading {
  id: string;
  by: 'id' | 'label' | 'ordinal';
  others: string[];
  /** 0..1: how much of the best label the reply covered. */
  strength: number;
}

function ordinalIndex(norm: string, count: number): number | undefined {
  const s = norm.replace(/[\s。.!！~～,，]+$/g, '').trim();
  if (/最后一个|最后那个|^(the )?last( one)?$/.test(s)) return count;
  const di = /第\s*([一二两三四五六七八九十\d]{1,12})\s*(个|项|种|条|类|样)?/.exec(s);
  if (di) return evalNumeral(di[1]!);
  const letter = /^(?:选|option\s*)?\s*([a-h])\s*(?:项|选项|吧|啊|呀|的)?$/.exec(s);
  if (letter) return letter[1]!.charCodeAt(0) - 96;
  const digit =
    /^(?:选|option\s*|number\s*|no\.?\s*)?\s*([1-9]|[一二三四五六七八九])\s*(?:号|个|项|吧|啊)?$/.exec(s);
  if (digit) return /\d/.test(digit[1]!) ? Number(digit[1]) : CN_DIGIT[digit[1]!];
  const en = /\b(?:the\s+)?(first|second|third|fourth|fifth|sixth|seventh|eighth)(?:\s+one)?\b/.exec(s);
  if (en) return ORDINAL_WORDS[en[1]!];
  return undefined;
}

/** Longest common substring length, to score a typed fragment against a label. */
function commonSubstring(a: string, b: string): number {
  let best = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      let k = 0;
      while (i + k < a.length && j + k < b.length && a[i + k] === b[j + k]) k++;
      if (k > best) best = k;
    }
  }
  return best;
}

export function readChoice(norm: string, choices: readonly ChoiceOption[]): ChoiceReading | undefined {
  if (choices.length === 0) return undefined;
  const trimmed = norm.replace(/[\s。.!！~～,，吧啊呀的]+$/g, '').trim();
  const byId = choices.find((c) => c.id.toLowerCase() === trimmed);
  if (byId) return { id: byId.id, by: 'id', others: [], strength: 1 };
  // Drop what is denied (不是租的，是自己的) before looking for labels.
  const affirmed = norm.replace(/(不是|并非|并不是|不算|\bnot\b)\s*[^,，。;；是]+/g, ' ');
  const scored = choices
    .map((c) => {
      let strength = 0;
      for (const label of [c.label['zh-CN'], c.label['en-US']]) {
        const l = label.toLowerCase().replace(/[的了]$/g, '');
        if (l.length === 0) continue;
        if (affirmed.includes(l)) strength = Math.max(strength, 1);
        else {
          const common = commonSubstring(affirmed, l);
          const ratio = common / l.length;
          // Two Han characters or four Latin letters are enough to name a short label.
          const minLen = /[a-z]/.test(l) ? 4 : 2;
          if (common >= Math.min(minLen, l.length)) strength = Math.max(strength, ratio);
        }
      }
      if (
        new RegExp(`\\b${c.id.toLowerCase().replace(/[^a-z0-9_]/g, '')}\\b`).test(affirmed) &&
        /^[a-z0-9_]+$/i.test(c.id)
      ) {
        strength = Math.max(strength, 0.9);
      }
      return { c, strength };
    })
    .filter((x) => x.strength >= 0.5)
    .sort((a, b) => b.strength - a.strength);
  const best = scored[0];
  if (best) {
    return {
      id: best.c.id,
      by: 'label',
      others: scored
        .slice(1)
        .filter((x) => x.strength >= 0.75)
        .map((x) => x.c.id),
      strength: best.strength,
    };
  }
  const idx = ordinalIndex(norm, choices.length);
  if (idx !== undefined && idx >= 1 && idx <= choices.length) {
    return { id: choices[idx - 1]!.id, by: 'ordinal', others: [], strength: 0.9 };
  }
  return undefined;
}

// ---------------------------------------------------------------- date

const EN_MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

const RELATIVE: [RegExp, DateAnswer['relative']][] = [
  [/大前年/, { unit: 'year', offset: -3 }],
  [/前年|year before last/, { unit: 'year', offset: -2 }],
  [/去年|上一年|last year/, { unit: 'year', offset: -1 }],
  [/今年|this year/, { unit: 'year', offset: 0 }],
  [/明年|next year/, { unit: 'year', offset: 1 }],
  [/上上个月/, { unit: 'month', offset: -2 }],
  [/上个月|上月|last month/, { unit: 'month', offset: -1 }],
  [/这个月|本月|this month/, { unit: 'month', offset: 0 }],
  [/下个月|next month/, { unit: 'month', offset: 1 }],
  [/前天/, { unit: 'day', offset: -2 }],
  [/昨天|yesterday/, { unit: 'day', offset: -1 }],
  [/今天|today/, { unit: 'day', offset: 0 }],
];

function twoDigitYear(y: number): number {
  // Businesses in this product were founded in the last decades; 95年 is 1995, 18年 is 2018.
  return y >= 50 ? 1900 + y : 2000 + y;
}

function numeral(s: string): number | undefined {
  return /^\d+$/.test(s) ? Number(s) : evalNumeral(s);
}

export function readDate(normIn: string): DateAnswer | undefined {
  const norm = englishNumbersToDigits(normIn);
  let approx: Approx = /大概|大约|左右|估计|可能|好像|应该|差不多|about|around|roughly/.test(norm)
    ? 'about'
    : 'exact';
  const ago =
    /([\d一二两三四五六七八九十几]{1,12})\s*(多)?\s*(年|个月|天)(多)?(以前|之前|前)|(\d{1,6})\s*(years?|months?|days?)\s+ago/.exec(
      norm,
    );
  if (ago) {
    const n = numeral(ago[1] ?? ago[6] ?? '');
    if (n !== undefined) {
      const u = ago[3] ?? ago[7] ?? '';
      const unit = /年|year/.test(u) ? 'year' : /月|month/.test(u) ? 'month' : 'day';
      if (ago[2] || ago[4]) approx = 'more_than';
      return { kind: 'date', relative: { unit, offset: -n }, approx };
    }
  }
  const fewYears = /^(?:就是)?前([两二三四五几])年/.exec(norm);
  if (fewYears) {
    const n = fewYears[1] === '几' ? 3 : CN_DIGIT[fewYears[1]!]!;
    return { kind: 'date', relative: { unit: 'year', offset: -n }, approx: 'about' };
  }
  const full =
    /(\d{4}|\d{2}(?=年))\s*[年.\-/]\s*(?:(\d{1,2})\s*(?:月|[.\-/])?\s*(?:(\d{1,2})\s*[日号]?)?)?/.exec(norm);
  const cnYear = /([〇零一二三四五六七八九]{2,4})年/.exec(norm);
  let year: number | undefined;
  let month: number | undefined;
  let day: number | undefined;
  if (full) {
    const y = Number(full[1]);
    year = full[1]!.length === 2 ? twoDigitYear(y) : y;
    if (full[2]) month = Number(full[2]);
    if (full[3]) day = Number(full[3]);
  } else if (cnYear) {
    const digits = cnYear[1]!.split('').map((c) => CN_DIGIT[c] ?? 0);
    const y = digits.reduce((acc, d) => acc * 10 + d, 0);
    year = digits.length === 2 ? twoDigitYear(y) : y;
  }
  if (month === undefined) {
    const m = /([\d一二三四五六七八九十]{1,3})月(?:份)?(?:([\d一二三四五六七八九十]{1,3})[日号])?/.exec(norm);
    if (m && !/个月/.test(m[0]) && !/个$/.test(norm.slice(0, m.index))) {
      const mv = numeral(m[1]!);
      if (mv !== undefined && mv >= 1 && mv <= 12) {
        month = mv;
        const dv = m[2] ? numeral(m[2]) : undefined;
        if (dv !== undefined && dv >= 1 && dv <= 31) day = dv;
      }
    }
  }
  if (month === undefined) {
    const en = /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b/.exec(norm);
    if (en) month = EN_MONTHS.indexOf(en[1]!) + 1;
  }
  if (year === undefined) {
    const bare = /\b(19[5-9]\d|20\d{2})\b/.exec(norm);
    if (bare) year = Number(bare[1]);
  }
  if (month === undefined && /年初|年头|开春|beginning of/.test(norm)) {
    month = 1;
    approx = 'about';
  } else if (month === undefined && /年中|年中间|middle of|mid-/.test(norm)) {
    month = 6;
    approx = 'about';
  } else if (month === undefined && /年底|年末|年尾|end of/.test(norm)) {
    month = 12;
    approx = 'about';
  }
  const rel = RELATIVE.find(([re]) => re.test(norm))?.[1];
  if (year === undefined && month === undefined && !rel) return undefined;
  if (month !== undefined && (month < 1 || month > 12)) return undefined;
  return {
    kind: 'date',
    ...(year !== undefined ? { year } : {}),
    ...(month !== undefined ? { month } : {}),
    ...(day !== undefined ? { day } : {}),
    ...(year === undefined && rel ? { relative: rel } : {}),
    approx,
  };
}

// ---------------------------------------------------------------- duration

const SINCE = /从|自从|打从|since|开始|起|以来|那年|那时候/;

export interface DurationReading {
  answer: DurationAnswer | DurationSinceAnswer;
  unitAssumed: boolean;
}

function toMonths(
  c: AmountCandidate,
  fallbackUnit: string,
): { m: number; lo?: number; hi?: number } | undefined {
  const unit =
    c.unit && lookupUnit(c.unit)?.dimension === 'time' ? c.unit : c.unit ? undefined : fallbackUnit;
  if (!unit) return undefined;
  const f = convertUnit(1, unit, '月');
  if (f === undefined) return undefined;
  return {
    m: cleanFloat(c.value * f),
    ...(c.low !== undefined && c.high !== undefined
      ? { lo: cleanFloat(c.low * f), hi: cleanFloat(c.high * f) }
      : {}),
  };
}

/** 三年半 = 42, 两年三个月 = 27, 十来年 ≈ 120, 2015年开始 → since 2015. */
export function readDuration(norm: string, questionUnit: string | undefined): DurationReading | undefined {
  const date = readDate(norm);
  const fourDigitYear = /\b(19|20)\d{2}\b|[〇零一二三四五六七八九]{4}年/.test(norm);
  if (
    date &&
    !/前/.test(norm) &&
    (fourDigitYear || (SINCE.test(norm) && (date.year !== undefined || date.relative)))
  ) {
    return { answer: { kind: 'duration_since', since: date }, unitAssumed: false };
  }
  const { candidates } = findAmounts(norm, { periods: false });
  const fallback = questionUnit && lookupUnit(questionUnit)?.dimension === 'time' ? questionUnit : '年';
  const timed = candidates.filter((c) => c.unit === undefined || lookupUnit(c.unit)?.dimension === 'time');
  const first = timed[0];
  if (!first) return undefined;
  const firstMonths = toMonths(first, fallback);
  if (!firstMonths) return undefined;
  let months = firstMonths.m;
  let low = firstMonths.lo;
  let high = firstMonths.hi;
  let approx = first.approx;
  // 两年三个月, 一年零三个月, 3 years 2 months: add the smaller unit.
  let prev = first;
  for (const next of timed.slice(1)) {
    const gap = norm.slice(prev.end, next.start);
    if (!/^\s*(零|又|and|,)?\s*$/.test(gap) || !next.unit) break;
    const add = toMonths(next, fallback);
    if (!add) break;
    months = cleanFloat(months + add.m);
    if (low !== undefined && high !== undefined) {
      low = cleanFloat(low + add.m);
      high = cleanFloat(high + add.m);
    }
    if (next.approx !== 'exact') approx = next.approx;
    prev = next;
  }
  return {
    answer: {
      kind: 'duration',
      months,
      ...(low !== undefined && high !== undefined ? { low, high } : {}),
      approx,
    },
    unitAssumed: first.unit === undefined,
  };
}

// ---------------------------------------------------------------- place

const PLACE_SUFFIX =
  /(省|市|县|区|镇|乡|村|街道|街|路|巷|组|屯|庄|集|市场|菜市场|批发市场|开发区|园区|社区|小区|广场|商场|大道)$/;

/** Words ending like a place that are not one (超市 is a shop, 城市 a city in general). */
const NOT_PLACES = new Set(['超市', '城市', '上市', '门市', '街道办', '马路']);

export function readPlace(
  raw: string,
  tagged: readonly { word: string; tag: string }[],
): { text: string; names: string[] } {
  const names: string[] = [];
  for (const t of tagged) {
    const w = t.word.trim();
    if (w.length < 2 && !PLACE_SUFFIX.test(w)) continue;
    if (NOT_PLACES.has(w)) continue;
    if (t.tag === 'ns' || (PLACE_SUFFIX.test(w) && w.length >= 2)) names.push(w);
  }
  for (const m of raw.matchAll(/\b[A-Z][a-z]+(?:\s+(?:Province|City|County|Town|Village|District))?\b/g)) {
    if (!/^(I|In|At|We|My|Our|The|It|Near|Yes|No|About)$/.test(m[0])) names.push(m[0]);
  }
  const text = raw
    .replace(/^(我们?|俺|咱)?(家|店)?(就)?(在|住在|是在|开在|位于)/, '')
    .replace(/[。.!！~～]+$/, '')
    .trim();
  return { text: text || raw, names: [...new Set(names)] };
}
