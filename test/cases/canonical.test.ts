import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/cases/access.js';
import { parseIndustryCode } from '../../src/cases/industry.js';
import { fenToYuanString } from '../../src/cases/presenter.js';
import { yuanStringToFen } from '../../src/cases/service.js';

/** Rebuilds every object with its keys in reverse order. */
const reverseKeys = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(reverseKeys)
    : v !== null && typeof v === 'object'
      ? Object.fromEntries(
          Object.entries(v)
            .reverse()
            .map(([k, x]) => [k, reverseKeys(x)]),
        )
      : v;

describe('canonical content and money text', () => {
  it('gives the same canonical JSON whatever the key order, and it parses back to the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(canonicalJson(reverseKeys(v))).toBe(canonicalJson(v));
        expect(JSON.parse(canonicalJson(v))).toEqual(JSON.parse(JSON.stringify(v)));
      }),
    );
  });

  it('tells different content apart', () => {
    expect(canonicalJson({ a: 1, b: [1, 2] })).not.toBe(canonicalJson({ a: 1, b: [2, 1] }));
    expect(canonicalJson({ a: '1' })).not.toBe(canonicalJson({ a: 1 }));
  });

  it('turns fen into a yuan string and back without loss', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000_000 }), (fen) => {
        const s = fenToYuanString(fen);
        expect(s).toMatch(/^\d+\.\d{2}$/);
        expect(yuanStringToFen(s)).toBe(fen);
      }),
    );
    expect(yuanStringToFen('150000')).toBe(15_000_000);
    expect(yuanStringToFen('0.1')).toBe(10);
    expect(yuanStringToFen('1.05')).toBe(105);
    expect(fenToYuanString(-5)).toBe('-0.05');
  });

  it('normalises an industry code so that parsing the result gives it back', () => {
    const code = fc
      .tuple(fc.integer({ min: 1, max: 97 }), fc.integer({ min: 0, max: 99 }), fc.boolean())
      .map(([d, rest, long]) => String(d).padStart(2, '0') + (long ? String(rest).padStart(2, '0') : ''));
    fc.assert(
      fc.property(code, (c) => {
        const parsed = parseIndustryCode(c);
        if (parsed) expect(parseIndustryCode(parsed.code)).toEqual(parsed);
      }),
    );
  });
});
