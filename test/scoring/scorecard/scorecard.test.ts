import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FEATURE_SCHEMA, VERIFICATION_LEVELS } from '../../../src/scoring/features.js';
import {
  DEFAULT_SCORECARD,
  assertScorecardTestsPass,
  parseScorecard,
  runScorecardTests,
  scoreScorecard,
  type Scorecard,
} from '../../../src/scoring/scorecard/index.js';
import { isAppError } from '../../../src/platform/errors.js';

const clone = (s: Scorecard): Scorecard => structuredClone(s);

function codeOf(fn: () => unknown): { code: string; details: Record<string, unknown> } {
  try {
    fn();
  } catch (e) {
    if (isAppError(e)) return { code: e.code, details: e.details };
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('the shipped scorecard', () => {
  it('parses against the declared feature schema', () => {
    expect(parseScorecard(DEFAULT_SCORECARD)).toEqual(DEFAULT_SCORECARD);
  });

  // The embedded cases are the scorecard's own specification: each is a test of its own here.
  for (const t of DEFAULT_SCORECARD.testCases) {
    it(`embedded case: ${t.name}`, () => {
      const r = scoreScorecard(DEFAULT_SCORECARD, t.input);
      expect({ total: r.total, grade: r.grade }).toEqual({ total: t.expect.total, grade: t.expect.grade });
      for (const [id, p] of Object.entries(t.expect.points ?? {}))
        expect(r.factors.find((f) => f.factorId === id)?.points, id).toBe(p);
    });
  }
});

describe('scoreScorecard', () => {
  it('gives a reason per factor in Chinese and English naming the points', () => {
    const r = scoreScorecard(DEFAULT_SCORECARD, { cash_flow_cover: 1.3 });
    const cover = r.factors.find((f) => f.factorId === 'cash_flow_cover')!;
    expect(cover.reason['zh-CN']).toBe('现金流对月供覆盖：1.2–1.5 倍，得 15 分（满分 28 分）');
    expect(cover.reason['en-US']).toBe('Cash-flow cover of the instalment: 1.2–1.5×, 15 of 28 points');
    expect(r.factors).toHaveLength(DEFAULT_SCORECARD.factors.length);
    expect(r.maxPoints).toBe(105);
  });

  it('splits the total into capacity and willingness', () => {
    const r = scoreScorecard(DEFAULT_SCORECARD, DEFAULT_SCORECARD.testCases[0]!.input);
    expect(r.capacityPoints + r.willingnessPoints).toBe(r.total);
    expect(r.capacityPoints).toBe(68);
  });

  it('never scores a doubtful or contradicted fact above a verified one', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...VERIFICATION_LEVELS),
        fc.double({ min: 0, max: 5, noNaN: true }),
        (level, cover) => {
          const base = { cash_flow_cover: cover, sales_verification: 'verified' };
          const other = scoreScorecard(DEFAULT_SCORECARD, { ...base, sales_verification: level }).total;
          const verified = scoreScorecard(DEFAULT_SCORECARD, base).total;
          return level === 'verified' ? other === verified : other < verified;
        },
      ),
    );
  });

  it('never gives fewer points for a higher cash-flow cover', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 10, noNaN: true }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        (a, b) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          return (
            scoreScorecard(DEFAULT_SCORECARD, { cash_flow_cover: lo }).total <=
            scoreScorecard(DEFAULT_SCORECARD, { cash_flow_cover: hi }).total
          );
        },
      ),
    );
  });

  it('refuses an unknown category with SCORECARD_INPUT_INVALID', () => {
    expect(codeOf(() => scoreScorecard(DEFAULT_SCORECARD, { sales_verification: 'probably' })).code).toBe(
      'SCORECARD_INPUT_INVALID',
    );
  });

  it('refuses text for a numeric factor with SCORECARD_INPUT_INVALID', () => {
    expect(codeOf(() => scoreScorecard(DEFAULT_SCORECARD, { debt_ratio: 'high' })).code).toBe(
      'SCORECARD_INPUT_INVALID',
    );
  });

  it('uses configurable grade cut-offs', () => {
    const s = clone(DEFAULT_SCORECARD);
    s.gradeCutoffs = { A: 106, B: 100, C: 90, D: 80 };
    expect(scoreScorecard(s, s.testCases[0]!.input).grade).toBe('B');
  });
});

describe('embedded test cases', () => {
  it('refuses a version whose own case fails with SCORECARD_TEST_FAILED naming the case', () => {
    const s = clone(DEFAULT_SCORECARD);
    s.factors[0]!.bins[4]!.points = 30;
    const { code, details } = codeOf(() => assertScorecardTestsPass(s));
    expect(code).toBe('SCORECARD_TEST_FAILED');
    expect(details.case).toBe('strong grocery, everything verified, earns every point');
    expect(runScorecardTests(s).map((f) => f.case)).toContain('good case with two overdue records is B');
  });

  it('fails a case whose expected factor points differ even when the total matches', () => {
    const s = clone(DEFAULT_SCORECARD);
    s.testCases[1]!.expect.points = { cash_flow_cover: 22 };
    expect(runScorecardTests(s).map((f) => f.case)).toEqual(['good case with two overdue records is B']);
  });

  it('passes the shipped version', () => {
    expect(() => assertScorecardTestsPass(DEFAULT_SCORECARD)).not.toThrow();
  });
});

describe('parseScorecard', () => {
  const problemsOf = (mutate: (s: Scorecard) => void) => {
    const s = clone(DEFAULT_SCORECARD);
    mutate(s);
    const { code, details } = codeOf(() => parseScorecard(s));
    expect(code).toBe('VALIDATION_FAILED');
    return (details.fields as { path: string; message: string }[]).map((f) => f.path);
  };

  it('refuses bins with a gap', () => {
    expect(
      problemsOf((s) => {
        const f = s.factors[1]!;
        if (f.kind === 'numeric') f.bins[1]!.min = 0.31;
      }),
    ).toContain('factors.1.bins.0.max');
  });

  it('refuses a factor on an input the feature schema does not declare', () => {
    expect(problemsOf((s) => void (s.factors[0]!.input = 'shoe_size'))).toContain('factors.0.input');
  });

  it('refuses a categorical factor that leaves a category without a bin', () => {
    expect(problemsOf((s) => void (s.factors[4]!.bins = s.factors[4]!.bins.slice(0, 3) as never))).toContain(
      'factors.4.bins',
    );
  });

  it('refuses cut-offs that do not fall from A to D', () => {
    expect(problemsOf((s) => void (s.gradeCutoffs = { A: 80, B: 80, C: 50, D: 35 }))).toContain(
      'gradeCutoffs',
    );
  });

  it('refuses a scorecard without test cases', () => {
    expect(problemsOf((s) => void (s.testCases = []))).toContain('testCases');
  });

  it('declares every factor input in the feature schema', () => {
    for (const f of DEFAULT_SCORECARD.factors) expect(FEATURE_SCHEMA.map((d) => d.name)).toContain(f.input);
  });
});
