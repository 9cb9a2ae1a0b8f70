import fc from 'fast-check';
import Nzh from 'nzh';
import { describe, expect, it } from 'vitest';
import {
  MAX_INPUT_CHARS,
  convertUnit,
  createNlu,
  englishNumbersToDigits,
  formatChineseNumber,
  parseAmount,
  parseChineseNumber,
  parseQuestionUnit,
} from '../../../src/dialog/nlu/index.js';

const upTo1e8 = fc.integer({ min: 0, max: 100_000_000 });
const toFullWidth = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));

describe('parseChineseNumber', () => {
  it('parses back the Chinese rendering of any integer up to 10^8', () => {
    fc.assert(fc.property(upTo1e8, (n) => parseChineseNumber(formatChineseNumber(n)) === n));
  });

  it('agrees with nzh encodeS on clean forms', () => {
    fc.assert(fc.property(upTo1e8, (n) => parseChineseNumber(Nzh.cn.encodeS(n)) === n));
  });

  it('reads 两 wherever 二 stands before a unit', () => {
    fc.assert(
      fc.property(upTo1e8, (n) => {
        const colloquial = formatChineseNumber(n).replace(/二(?=[百千万亿])/g, '两');
        return parseChineseNumber(colloquial) === n;
      }),
    );
  });

  it('parses back digits with thousands separators, in ASCII and full width', () => {
    fc.assert(
      fc.property(upTo1e8, (n) => {
        const grouped = n.toLocaleString('en-US');
        return parseChineseNumber(grouped) === n && parseChineseNumber(toFullWidth(grouped)) === n;
      }),
    );
  });

  it('reads the elided forms a万b and a千b one place lower (3万5 = 35000, 两千五 = 2500)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 1, max: 9 }), (a, b) => {
        return (
          parseChineseNumber(`${a}万${b}`) === a * 10000 + b * 1000 &&
          parseChineseNumber(`${formatChineseNumber(a)}万${formatChineseNumber(b)}`) === a * 10000 + b * 1000
        );
      }),
    );
    expect(parseChineseNumber('两千五')).toBe(2500);
    expect(parseChineseNumber('一百二')).toBe(120);
  });

  it('keeps decimal figures free of binary noise (1.1万 = 11000 exactly)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999 }), fc.integer({ min: 1, max: 9 }), (a, d) => {
        return parseChineseNumber(`${a}.${d}万`) === a * 10000 + d * 1000;
      }),
    );
  });

  it('reads capital numerals, 〇 year digits and zero-padded sections', () => {
    expect(parseChineseNumber('壹仟贰佰叁拾肆')).toBe(1234);
    expect(parseChineseNumber('二〇二三')).toBe(2023);
    expect(parseChineseNumber('一万零五')).toBe(10005);
    expect(parseChineseNumber('零点五')).toBe(0.5);
    expect(parseChineseNumber('三点五万')).toBe(35000);
    expect(parseChineseNumber('一亿二')).toBe(120_000_000);
    expect(parseChineseNumber('20k')).toBe(20000);
  });

  it('returns undefined for ranges and non-numerals', () => {
    for (const s of ['七八百', '三万多', 'abc', '', '十百', '万一'])
      expect(parseChineseNumber(s), s).toBeUndefined();
  });
});

describe('formatChineseNumber', () => {
  it('writes the standard reading with 零 where a place is skipped', () => {
    expect(formatChineseNumber(0)).toBe('零');
    expect(formatChineseNumber(15)).toBe('十五');
    expect(formatChineseNumber(110)).toBe('一百一十');
    expect(formatChineseNumber(10005)).toBe('一万零五');
    expect(formatChineseNumber(100_000_001)).toBe('一亿零一');
    expect(formatChineseNumber(35000)).toBe('三万五千');
  });

  it('rejects negative and fractional input with a RangeError', () => {
    expect(() => formatChineseNumber(-1)).toThrow(RangeError);
    expect(() => formatChineseNumber(1.5)).toThrow(RangeError);
  });
});

describe('parseAmount', () => {
  it('reads any yuan figure written in Chinese followed by 块', () => {
    fc.assert(
      fc.property(upTo1e8, (n) => {
        const a = parseAmount(`${formatChineseNumber(n)}块`);
        return a?.value === n && a.unit === '元' && a.approx === 'exact';
      }),
    );
  });

  it('reads two consecutive digits before a unit as a range (七八百 = 700–800)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.constantFrom('十', '百', '千', '万'), (d, u) => {
        const scale = { 十: 10, 百: 100, 千: 1000, 万: 10000 }[u];
        const a = parseAmount(`${formatChineseNumber(d)}${formatChineseNumber(d + 1)}${u}`);
        return a?.low === d * scale && a.high === (d + 1) * scale;
      }),
    );
  });

  it('returns undefined when there is no figure', () => {
    expect(parseAmount('生意还行')).toBeUndefined();
  });
});

describe('englishNumbersToDigits', () => {
  it('rewrites number words and keeps articles that are not numbers', () => {
    expect(englishNumbersToDigits('thirty five thousand a month')).toBe('35000 a month');
    expect(englishNumbersToDigits('one hundred and five')).toBe('105');
    expect(englishNumbersToDigits('2000-3000')).toBe('2000-3000');
    expect(englishNumbersToDigits('a dozen pigs')).toBe('12 pigs');
  });
});

describe('units', () => {
  it('converts within a dimension and refuses across dimensions', () => {
    expect(convertUnit(1, '公斤', '斤')).toBe(2);
    expect(convertUnit(3, '吨', '公斤')).toBe(3000);
    expect(convertUnit(2000, '平方米', '亩')).toBeCloseTo(3, 9);
    expect(convertUnit(2, '年', '月')).toBe(24);
    expect(convertUnit(5, '只', '头')).toBe(5);
    expect(convertUnit(5, '斤', '元')).toBeUndefined();
  });

  it('splits a question unit into base and period', () => {
    expect(parseQuestionUnit('趟/月')).toEqual({ base: '趟', period: 'month' });
    expect(parseQuestionUnit('元/斤')).toEqual({ base: '元', per: '斤' });
    expect(parseQuestionUnit(undefined)).toEqual({});
  });
});

describe('understand: robustness', () => {
  const nlu = createNlu();

  it('cuts a huge reply at the limit, says so, and still reads it', () => {
    const u = nlu.understand(`三万${'啊'.repeat(50_000)}`, { answerType: 'money' });
    expect(u.notes).toContain('truncated');
    expect(u.intent).toBe('answer');
    expect(u.parsed).toMatchObject({ value: 30000 });
  });

  it('never splits a surrogate pair when cutting', () => {
    const u = nlu.understand(`${'a'.repeat(MAX_INPUT_CHARS - 1)}😀😀`, { answerType: 'text' });
    expect(u.parsed?.kind).toBe('text');
    const text = u.parsed?.kind === 'text' ? u.parsed.text : '';
    expect(text.length).toBe(MAX_INPUT_CHARS - 1);
  });

  it('never throws and keeps confidence in [0, 1] for any input and answer type', () => {
    const types = [
      'money',
      'quantity',
      'count',
      'percent',
      'yes_no',
      'choice',
      'date',
      'duration',
      'place',
      'text',
    ] as const;
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 120 }),
        fc.constantFrom(...types),
        (text, answerType) => {
          const u = nlu.understand(text, {
            answerType,
            choices: [{ id: 'a', label: { 'zh-CN': '自己的', 'en-US': 'own' } }],
          });
          return u.confidence >= 0 && u.confidence <= 1 && (u.intent !== 'answer' || u.parsed !== undefined);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives every answer a parsed reading of the kind its answer type asks for', () => {
    fc.assert(
      fc.property(
        upTo1e8,
        fc.constantFrom('money', 'quantity', 'count', 'percent') as fc.Arbitrary<'money'>,
        (n, answerType) => {
          const u = nlu.understand(formatChineseNumber(n), { answerType });
          return u.intent === 'answer' && u.parsed?.kind === 'number' && u.parsed.value === n;
        },
      ),
      { numRuns: 200 },
    );
  });
});
