/**
 * Chinese and English numerals, written for the colloquial forms applicants type: 三万五 (= 35000, not
 * 30005), 3万5, 1.5万, 两千, 一百二, 零点五, 二〇二三, 20k, 3w, capital forms 壹贰叁. Our own parser rather than
 * nzh, whose decodeS misreads exactly these mixed forms (see /work/shared/SETUP-NOTES.md).
 */

export const CN_DIGIT: Readonly<Record<string, number>> = {
  〇: 0,
  零: 0,
  一: 1,
  幺: 1,
  壹: 1,
  二: 2,
  两: 2,
  俩: 2,
  贰: 2,
  三: 3,
  仨: 3,
  叁: 3,
  四: 4,
  肆: 4,
  五: 5,
  伍: 5,
  六: 6,
  陆: 6,
  七: 7,
  柒: 7,
  八: 8,
  捌: 8,
  九: 9,
  玖: 9,
};

const SMALL_UNIT: Readonly<Record<string, number>> = {
  十: 10,
  拾: 10,
  百: 100,
  佰: 100,
  千: 1000,
  仟: 1000,
  k: 1000,
};
const BIG_UNIT: Readonly<Record<string, number>> = { 万: 1e4, 萬: 1e4, w: 1e4, 亿: 1e8, 億: 1e8 };

/** Characters that may make up a numeral (besides ASCII digits and the decimal point). */
export const NUMERAL_CHARS = '〇零一幺壹二两俩贰三仨叁四肆五伍六陆七柒八捌九玖十拾百佰千仟万萬亿億点';

/** Removes binary-float noise from decimal arithmetic (1.1 × 10000 = 11000.000000000002). */
export function cleanFloat(x: number): number {
  const r = Math.round(x);
  if (Math.abs(x - r) < 1e-9 * Math.max(1, Math.abs(x))) return r;
  return Number.parseFloat(x.toPrecision(12));
}

type Token =
  | { t: 'num'; v: number; single: boolean }
  | { t: 'zero' }
  | { t: 'small'; u: number }
  | { t: 'big'; u: number }
  | { t: 'point' };

function tokenize(s: string): Token[] | undefined {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c >= '0' && c <= '9') {
      let j = i;
      while (j < s.length && /[0-9]/.test(s[j]!)) j++;
      if (s[j] === '.' && /[0-9]/.test(s[j + 1] ?? '')) {
        j++;
        while (j < s.length && /[0-9]/.test(s[j]!)) j++;
      }
      const text = s.slice(i, j);
      out.push({ t: 'num', v: Number(text), single: text.length === 1 });
      i = j;
      continue;
    }
    if (c === '零' || c === '〇') out.push({ t: 'zero' });
    else if (c in CN_DIGIT) out.push({ t: 'num', v: CN_DIGIT[c]!, single: true });
    else if (c in SMALL_UNIT) out.push({ t: 'small', u: SMALL_UNIT[c]! });
    else if (c in BIG_UNIT) out.push({ t: 'big', u: BIG_UNIT[c]! });
    else if (c === '点' || c === '.') out.push({ t: 'point' });
    else return undefined;
    i++;
  }
  return out;
}

/** 二〇二三, 一五: digits only, read place by place. */
function positional(tokens: Token[]): number | undefined {
  let v = 0;
  for (const tk of tokens) {
    if (tk.t === 'zero') v = v * 10;
    else if (tk.t === 'num' && tk.single) v = v * 10 + tk.v;
    else return undefined;
  }
  return v;
}

/**
 * Evaluates one numeral without ranges or approximations. Elision follows common usage: a lone digit after
 * a unit counts one place lower (三万五 = 35000, 一百二 = 120, 两千五 = 2500), unless 零 intervenes (三万零五 = 30005).
 */
export function evalNumeral(s: string): number | undefined {
  const tokens = tokenize(s);
  if (!tokens || tokens.length === 0) return undefined;
  if (tokens.length >= 2 && tokens.every((t) => t.t === 'zero' || (t.t === 'num' && t.single))) {
    const hasCn = /[^0-9]/.test(s);
    return hasCn ? positional(tokens) : undefined;
  }
  let total = 0; // whole 亿 blocks
  let section = 0; // whole 万 blocks below 亿
  let small = 0; // below 万
  let pending: number | undefined;
  let pendingSingle = false;
  let lastUnit = 1;
  let zeroSeen = false;
  let sawUnit = false;
  for (let i = 0; i < tokens.length; i++) {
    const tk = tokens[i]!;
    switch (tk.t) {
      case 'num':
        if (pending !== undefined) return undefined;
        pending = tk.v;
        pendingSingle = tk.single;
        break;
      case 'zero':
        if (pending !== undefined && !sawUnit) return undefined;
        zeroSeen = true;
        break;
      case 'point': {
        let frac = '';
        while (i + 1 < tokens.length) {
          const nx = tokens[i + 1]!;
          if (nx.t === 'zero') frac += '0';
          else if (nx.t === 'num' && Number.isInteger(nx.v)) frac += String(nx.v);
          else break;
          i++;
        }
        if (frac === '') return undefined;
        pending = (pending ?? 0) + Number(`0.${frac}`);
        pendingSingle = false;
        break;
      }
      case 'small':
        if (
          tk.u >= lastUnit &&
          sawUnit &&
          lastUnit < 1e4 &&
          small > 0 &&
          !(lastUnit === 100 && tk.u === 10)
        ) {
          return undefined; // 十百 or 千千: not a numeral
        }
        small += (pending ?? 1) * tk.u;
        pending = undefined;
        lastUnit = tk.u;
        zeroSeen = false;
        sawUnit = true;
        break;
      case 'big': {
        let block = small + (pending ?? 0);
        if (block === 0) block = 1; // 万 alone (上万) is ten thousand
        if (tk.u === 1e8) {
          total = (total + section + block) * 1e8;
          section = 0;
        } else {
          section += block * tk.u;
        }
        small = 0;
        pending = undefined;
        lastUnit = tk.u;
        zeroSeen = false;
        sawUnit = true;
        break;
      }
    }
  }
  if (pending !== undefined) {
    const elided = sawUnit && !zeroSeen && pendingSingle && lastUnit > 10;
    small += elided ? (pending * lastUnit) / 10 : pending;
  }
  return cleanFloat(total + section + small);
}

/**
 * Parses one Chinese, mixed or Arabic numeral (三万五, 3万5, 1.5万, 壹仟贰佰, 二〇二三, 2,000, ２０００).
 * Returns undefined for anything that is not a single numeral (ranges such as 七八百 are for parseAmount).
 */
export function parseChineseNumber(text: string): number | undefined {
  const s = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, '')
    .replace(/(\d),(?=\d{3}(?!\d))/g, '$1');
  if (s === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
  if (!/^[0-9.kw〇零一幺壹二两俩贰三仨叁四肆五伍六陆七柒八捌九玖十拾百佰千仟万萬亿億点]+$/.test(s))
    return undefined;
  if (/[kw]/.test(s) && !/^\d+(\.\d+)?[kw]\d?$/.test(s)) return undefined;
  // 万一 (in case), 万五: a magnitude needs a digit before it unless it stands alone (万 = 10000).
  if (/^[万萬亿億]./.test(s)) return undefined;
  // Ranges of adjacent digits (七八百) are not one number.
  if (/^[一二两三四五六七八九]{2}[十百千万亿]/.test(s)) return undefined;
  return evalNumeral(s);
}

const DIGIT_CHARS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** Renders 0 ≤ n < 10000 with a leading-zero flag for inner sections (一万零五). */
function formatSection(n: number, needZero: boolean): string {
  const units = ['千', '百', '十', ''];
  const places = [1000, 100, 10, 1];
  let out = '';
  let zero = needZero;
  for (let i = 0; i < 4; i++) {
    const d = Math.floor(n / places[i]!) % 10;
    if (d === 0) {
      if (out !== '' || needZero) zero = true;
      continue;
    }
    if (zero && (out !== '' || needZero)) out += '零';
    zero = false;
    out += DIGIT_CHARS[d]! + units[i]!;
  }
  return out;
}

/**
 * Standard Chinese reading of a non-negative integer below 10^16 (一万零五, 十五, 一亿零一). Used to phrase
 * figures and to test the parser against its inverse.
 */
export function formatChineseNumber(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n >= 1e16) throw new RangeError(`cannot format ${n}`);
  if (n === 0) return '零';
  const sections: number[] = [];
  let rest = n;
  while (rest > 0) {
    sections.push(rest % 10000);
    rest = Math.floor(rest / 10000);
  }
  const bigUnits = ['', '万', '亿', '万亿'];
  let out = '';
  for (let i = sections.length - 1; i >= 0; i--) {
    const sec = sections[i]!;
    const isTop = i === sections.length - 1;
    if (sec === 0) continue;
    const higherNonZero = !isTop;
    const needZero = higherNonZero && (sec < 1000 || sections[i + 1] === 0);
    out += formatSection(sec, needZero && out !== '') + bigUnits[i]!;
  }
  // 一十五 reads 十五 at the start.
  return out.startsWith('一十') ? out.slice(1) : out;
}

const EN_SMALL: Readonly<Record<string, number>> = {
  zero: 0,
  one: 1,
  a: 1,
  an: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
  dozen: 12,
  couple: 2,
};
const EN_SCALE: Readonly<Record<string, number>> = {
  hundred: 100,
  thousand: 1000,
  million: 1e6,
  billion: 1e9,
};
const EN_JOIN = /^[\s-]*$/;

/**
 * Rewrites English number words as digits: "thirty thousand" → "30000", "1.5 million" → "1500000",
 * "a couple" → "2", "two and a half" → "2.5", "half a year" → "0.5 year". An article not followed by a
 * scale word ("a day") stays a word.
 */
export function englishNumbersToDigits(text: string): string {
  const s = text.replace(/\bhalf an? /g, '0.5 ');
  const words = [...s.matchAll(/[a-z]+|\d+(?:\.\d+)?/g)].map((m) => ({
    w: m[0],
    start: m.index,
    end: m.index + m[0].length,
  }));
  const isNumberWord = (k: number): boolean => {
    const w = words[k]?.w;
    if (w === undefined) return false;
    if (
      /^\d/.test(w) ||
      (Object.hasOwn(EN_SMALL, w) && w !== 'a' && w !== 'an') ||
      Object.hasOwn(EN_SCALE, w)
    )
      return true;
    const next = words[k + 1]?.w;
    if (
      (w === 'a' || w === 'an') &&
      next !== undefined &&
      (Object.hasOwn(EN_SCALE, next) || next === 'couple' || next === 'dozen')
    ) {
      return true;
    }
    return false;
  };
  let out = '';
  let cursor = 0;
  let k = 0;
  while (k < words.length) {
    if (!isNumberWord(k)) {
      k++;
      continue;
    }
    let end = k;
    // Extend over "and", "and a half", and joined number words.
    for (;;) {
      const gap = s.slice(words[end]!.end, words[end + 1]?.start ?? words[end]!.end);
      if (!EN_JOIN.test(gap) || end + 1 >= words.length) break;
      const here = words[end]!.w;
      const next = words[end + 1]!.w;
      // Digits join only a following scale word (3 thousand); 2000-3000 is a range, not a sum.
      const digitClash = /^\d/.test(next) || (/^\d/.test(here) && !Object.hasOwn(EN_SCALE, next));
      if (isNumberWord(end + 1) && !digitClash) {
        end++;
        continue;
      }
      if (words[end + 1]!.w === 'and' && words[end + 2]?.w === 'a' && words[end + 3]?.w === 'half') {
        end += 3;
        continue;
      }
      // "one hundred and five" joins; "between 2 and 3" does not.
      if (words[end + 1]!.w === 'and' && Object.hasOwn(EN_SCALE, here) && isNumberWord(end + 2)) {
        end += 2;
        continue;
      }
      break;
    }
    const group = words.slice(k, end + 1).map((x) => x.w);
    const onlyDigits = group.length === 1 && /^\d/.test(group[0]!);
    if (!onlyDigits) {
      let total = 0;
      let current = 0;
      for (const w of group) {
        if (/^\d/.test(w)) current += Number(w);
        else if (w === 'half') current += 0.5;
        else if (Object.hasOwn(EN_SCALE, w)) {
          const scale = EN_SCALE[w]!;
          if (scale === 100) current = (current || 1) * 100;
          else {
            total += (current || 1) * scale;
            current = 0;
          }
        } else if (w !== 'a' && w !== 'an' && w !== 'and' && Object.hasOwn(EN_SMALL, w))
          current += EN_SMALL[w]!;
      }
      out += s.slice(cursor, words[k]!.start) + String(cleanFloat(total + current));
      cursor = words[end]!.end;
    }
    k = end + 1;
  }
  return out + s.slice(cursor);
}
