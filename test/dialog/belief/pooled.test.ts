import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRng } from '../../../src/platform/deps.js';
import type { QuestionKind } from '../../../src/questions/types.js';
import type { DeviationRecord, ObservedAnswer, RouteAnswer } from '../../../src/dialog/belief/index.js';
import {
  DEFAULT_ANSWER_MODEL,
  DEFAULT_DEVIATION_MODEL,
  POOLED_ANSWER_MODEL,
  UNBANDED_DEVIATION_MODEL,
  bandOf,
  doubtOf,
  fitDeviationModel,
  pooledLogLR,
  weightedDoubt,
} from '../../../src/dialog/belief/index.js';
import { applyAnswer, startInterview } from '../../../src/dialog/policy/index.js';
import { normal, syntheticBank } from '../../../src/dialog/sim/index.js';

const dm = DEFAULT_DEVIATION_MODEL;
const route = (kind: QuestionKind, ratio: number, approx = false): RouteAnswer => ({
  kind,
  value: 60000 * ratio,
  approx,
  expected: 60000,
});

describe('pooled judgement of one fact’s routes', () => {
  it('does not let a repeated claim clear a fact that another route puts 35% lower', () => {
    const alone = pooledLogLR([], route('direct', 1), dm, 0.9)!;
    const besideLow = pooledLogLR([route('indirect', 0.65)], route('direct', 1), dm, 0.9)!;
    expect(alone).toBeGreaterThan(0);
    expect(besideLow).toBeLessThan(0);
  });

  it('counts two low routes that agree with each other as more evidence than one', () => {
    const one = pooledLogLR([], route('indirect', 0.7), dm, 0.9)!;
    const two = one + pooledLogLR([route('indirect', 0.7)], route('indirect', 0.72), dm, 0.9)!;
    expect(one).toBeLessThan(0);
    expect(two).toBeLessThan(one);
  });

  it('judges a reliable respondent’s first answer by how far it is off: the further, the less support', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 2, noNaN: true }),
        fc.double({ min: 0, max: 2, noNaN: true }),
        fc.constantFrom<QuestionKind>('direct', 'indirect', 'control'),
        (a, b, kind) => {
          const [near, far] = a < b ? [a, b] : [b, a];
          // Reliable: with r < 1 a figure wildly off is partly put down to a respondent who does not know, so
          // the evidence levels off (towards none) far out instead of growing without end.
          const lNear = pooledLogLR([], route(kind, Math.exp(-near)), dm, 1)!;
          const lFar = pooledLogLR([], route(kind, Math.exp(-far)), dm, 1)!;
          expect(lFar).toBeLessThanOrEqual(lNear + 1e-9);
        },
      ),
    );
  });

  it('takes a rough figure, a wide range or an unreliable respondent as weaker evidence', () => {
    const firm = pooledLogLR([], route('indirect', 0.6), dm, 0.9)!;
    expect(pooledLogLR([], route('indirect', 0.6, true), dm, 0.9)!).toBeGreaterThan(firm);
    const range: RouteAnswer = { kind: 'indirect', low: 24000, high: 48000, approx: false, expected: 60000 };
    expect(pooledLogLR([], range, dm, 0.9)!).toBeGreaterThan(firm);
    expect(pooledLogLR([], route('indirect', 0.6), dm, 0.2)!).toBeGreaterThan(firm);
  });

  it('cannot read an answer without a positive expectation', () => {
    expect(
      pooledLogLR([], { kind: 'direct', value: 5, approx: false, expected: 0 }, dm, 0.9),
    ).toBeUndefined();
  });
});

describe('pooled judgement against the tolerance band (the default)', () => {
  /** Money facts fail beyond ±30%. */
  const FAIL = 0.3;
  const banded = (earlier: RouteAnswer[], latest: RouteAnswer, r = 0.9) =>
    pooledLogLR(earlier, latest, dm, r, FAIL)!;
  const unbanded = (earlier: RouteAnswer[], latest: RouteAnswer, r = 0.9) =>
    pooledLogLR(earlier, latest, UNBANDED_DEVIATION_MODEL, r)!;

  it('cuts the band at ln(1 − t) and ln(1 + t), with no lower end for a tolerance of 100% or more', () => {
    expect(bandOf(0.3).lo).toBeCloseTo(Math.log(0.7), 12);
    expect(bandOf(0.3).hi).toBeCloseTo(Math.log(1.3), 12);
    expect(bandOf(1.5).lo).toBe(-Infinity);
    expect(dm.banded).toBe(true);
    expect(DEFAULT_ANSWER_MODEL.deviation).toBe(DEFAULT_DEVIATION_MODEL);
  });

  it('reads a firm indirect answer at the expectation as strong support, since no false value sits there', () => {
    expect(banded([], route('indirect', 1))).toBeGreaterThan(Math.log(10));
    expect(banded([], route('indirect', 1))).toBeGreaterThan(unbanded([], route('indirect', 1)) + 1);
  });

  it('does not read an honest figure 10–20% off, inside the tolerance, as a contradiction', () => {
    for (const ratio of [0.8, 0.85, 0.9, 1.1, 1.2]) {
      expect(banded([], route('indirect', ratio))).toBeGreaterThan(-Math.log(3));
      expect(banded([route('direct', 1)], route('indirect', ratio))).toBeGreaterThan(-Math.log(3));
    }
  });

  it('reads routes beyond the band as evidence against, and a repeated claim beside them does not clear it', () => {
    expect(banded([], route('indirect', 0.6))).toBeLessThan(-Math.log(3));
    expect(banded([], route('indirect', 1.5))).toBeLessThan(-Math.log(3));
    expect(banded([route('indirect', 0.62)], route('direct', 1))).toBeLessThan(0);
  });

  it('adds up to the same total evidence whatever order the routes come in (an exact sequential Bayes factor)', () => {
    const arbRoute = fc
      .record({
        kind: fc.constantFrom<QuestionKind>('direct', 'indirect'),
        ratio: fc.double({ min: 0.2, max: 3, noNaN: true }),
        approx: fc.boolean(),
      })
      .map(({ kind, ratio, approx }) => route(kind, ratio, approx));
    const total = (rs: RouteAnswer[], r: number) =>
      rs.reduce((sum, a, i) => sum + pooledLogLR(rs.slice(0, i), a, dm, r, FAIL)!, 0);
    fc.assert(
      fc.property(
        fc.array(arbRoute, { minLength: 1, maxLength: 5 }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        (rs, r) => {
          const forward = total(rs, r);
          expect(Number.isFinite(forward)).toBe(true);
          expect(total([...rs].reverse(), r)).toBeCloseTo(forward, 6);
        },
      ),
      { numRuns: 80 },
    );
  });
});

describe('the belief under pooled judgement', () => {
  const bank = syntheticBank('grocery');
  const salesQs = bank.questions.filter((q) => q.factIds[0] === 'sales.monthly');
  const arbAnswer: fc.Arbitrary<ObservedAnswer> = fc.oneof(
    fc
      .record({ ratio: fc.double({ min: 0.05, max: 4, noNaN: true }), approx: fc.boolean() })
      .map(({ ratio, approx }) => ({ kind: 'number' as const, value: ratio, approx })),
    fc
      .record({
        lo: fc.double({ min: 0.1, max: 2, noNaN: true }),
        w: fc.double({ min: 0, max: 1, noNaN: true }),
      })
      .map(({ lo, w }) => ({ kind: 'number' as const, low: lo, high: lo + w, approx: true })),
    fc.constant<ObservedAnswer>({ kind: 'none', intent: 'dont_know' }),
  );
  /** An answer as a ratio of the question's own expectation, scaled to it. */
  const scaled = (a: ObservedAnswer, e: number): ObservedAnswer =>
    a.kind !== 'number'
      ? a
      : {
          ...a,
          ...(a.value !== undefined ? { value: a.value * e } : {}),
          ...(a.low !== undefined ? { low: a.low * e, high: a.high! * e } : {}),
        };

  it.each([
    ['the default, banded', DEFAULT_ANSWER_MODEL],
    ['the unbanded', POOLED_ANSWER_MODEL],
  ])(
    'moves p up on a consistent answer and down on a contradiction, and keeps doubt in [0, Σ importance] (%s model)',
    (_, model) => {
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.integer({ min: 0, max: salesQs.length - 1 }), arbAnswer), { maxLength: 8 }),
          (steps) => {
            let s = startInterview(bank, model);
            const total = bank.facts.reduce((a, f) => a + f.importance, 0);
            for (const [qi, raw] of steps) {
              const q = salesQs[qi]!;
              const e = q.expected.kind === 'number' ? q.expected.value : 1;
              const before = s.belief.facts['sales.monthly']!.p;
              const settles = s.pendingFollowUps[0]?.factId;
              s = applyAnswer(
                s,
                { questionId: q.id, mode: settles ? 'follow_up' : 'new', settles },
                scaled(raw, e),
                model,
              );
              const v = s.turns.at(-1)!.verifications[0]!;
              const after = s.belief.facts['sales.monthly']!.p;
              if (v.logLikelihoodRatio !== undefined) {
                expect(v.outcome === 'consistent').toBe(v.logLikelihoodRatio >= 0);
              }
              if (v.outcome === 'consistent') {
                expect(after).toBeGreaterThanOrEqual(before - 1e-12);
                expect(doubtOf(after)).toBeLessThanOrEqual(doubtOf(before) + 1e-12);
              }
              if (v.outcome === 'contradicted') expect(after).toBeLessThanOrEqual(before + 1e-12);
              const d = weightedDoubt(s.belief);
              expect(d).toBeGreaterThanOrEqual(0);
              expect(d).toBeLessThanOrEqual(total + 1e-9);
            }
          },
        ),
        { numRuns: 60 },
      );
    },
  );

  it('follows a pooled contradiction up once before recording it', () => {
    let s = startInterview(bank, POOLED_ANSWER_MODEL);
    s = applyAnswer(
      s,
      { questionId: 'sales.monthly.direct.0', mode: 'new' },
      { kind: 'number', value: 60000, approx: false },
      POOLED_ANSWER_MODEL,
    );
    // 1300 a day × 30 ≈ 39000 a month, a third below the claim just repeated.
    s = applyAnswer(
      s,
      { questionId: 'sales.monthly.indirect.1', mode: 'new' },
      { kind: 'number', value: 1300, approx: false },
      POOLED_ANSWER_MODEL,
    );
    const f = s.belief.facts['sales.monthly']!;
    expect(s.turns.at(-1)!.verifications[0]!.outcome).toBe('contradicted');
    expect(f.followUp).toBe('pending');
    expect(f.contradictionRecorded).toBe(false);
    const other = salesQs.find((q) => q.kind === 'indirect' && q.id !== 'sales.monthly.indirect.1')!;
    const e = other.expected.kind === 'number' ? other.expected.value : 0;
    s = applyAnswer(
      s,
      {
        questionId: other.id,
        mode: 'follow_up',
        followUpOf: 'sales.monthly.indirect.1',
        settles: 'sales.monthly',
      },
      { kind: 'number', value: e * 0.68, approx: false },
      POOLED_ANSWER_MODEL,
    );
    expect(s.belief.facts['sales.monthly']!.status).toBe('contradicted');
  });
});

describe('fitDeviationModel', () => {
  it('recovers the route noise, the spread of true values and the repeat rate from answers drawn from the model', () => {
    const rng = seededRng(11);
    const truth = {
      tauTrue: 0.06,
      tauFalse: 0.4,
      noise: { direct: 0.04, indirect: 0.1, control: 0.05 },
      repeatClaim: { direct: 0.7, indirect: 0, control: 0 },
    };
    const records: DeviationRecord[] = [];
    for (let g = 0; g < 3000; g++) {
      const factTrue = g % 3 !== 0;
      const x = (factTrue ? truth.tauTrue : truth.tauFalse) * normal(rng);
      for (const kind of ['direct', 'indirect', 'indirect'] as const) {
        const repeats = !factTrue && rng.next() < truth.repeatClaim[kind];
        const y = repeats
          ? truth.tauTrue * normal(rng) + truth.noise[kind] * normal(rng)
          : x + truth.noise[kind] * normal(rng);
        records.push({ group: String(g), kind, y, extra: 0, factTrue });
      }
    }
    const fit = fitDeviationModel(records);
    expect(fit.noise.indirect).toBeCloseTo(0.1, 1);
    expect(Math.abs(fit.noise.direct - 0.04)).toBeLessThan(0.015);
    expect(Math.abs(fit.tauTrue - 0.06)).toBeLessThan(0.015);
    expect(Math.abs(fit.tauFalse - 0.4)).toBeLessThan(0.08);
    expect(Math.abs(fit.repeatClaim.direct - 0.7)).toBeLessThan(0.08);
  });

  it('learns per fact which side of the band a misstatement lies on, from the answers that follow the truth', () => {
    const rng = seededRng(5);
    const records: DeviationRecord[] = [];
    for (let g = 0; g < 400; g++) {
      // Sales are overstated (true sales below the claim) 9 times in 10; debts understated (true debts above).
      const factId = g % 2 === 0 ? 'sales.monthly' : 'debt.total';
      const below = rng.next() < 0.9 === (factId === 'sales.monthly');
      const y = (below ? -1 : 1) * (0.4 + 0.3 * rng.next());
      records.push({ group: String(g), factId, kind: 'indirect', y, extra: 0, factTrue: false });
      // The repeated claim says nothing of the side and is left out.
      records.push({ group: String(g), factId, kind: 'direct', y: 0.01, extra: 0, factTrue: false });
    }
    const fit = fitDeviationModel(records);
    expect(fit.lowSide!['sales.monthly']).toBeGreaterThan(0.8);
    expect(fit.lowSide!['debt.total']).toBeLessThan(0.2);
  });

  it('counts a route on the side misstatements lie on as more evidence against than one on the other side', () => {
    const model = { ...dm, lowSide: { 'sales.monthly': 0.9 } };
    const low = pooledLogLR([], route('indirect', 0.6), model, 0.9, 0.3, 'sales.monthly')!;
    const high = pooledLogLR([], route('indirect', 1 / 0.6), model, 0.9, 0.3, 'sales.monthly')!;
    const even = pooledLogLR([], route('indirect', 0.6), model, 0.9, 0.3, 'other.fact')!;
    expect(low).toBeLessThan(even);
    expect(high).toBeGreaterThan(low);
  });

  it('with a pull towards the claim, reads a route part of the way to the misstated side as evidence against', () => {
    const model = { ...dm, lowSide: { 'sales.monthly': 0.9 }, followShrink: 1 };
    const pulled = { ...model, followShrink: 0.6 };
    const lr = (m: typeof dm, ratio: number) =>
      pooledLogLR([route('direct', 1)], route('indirect', ratio), m, 0.9, 0.3, 'sales.monthly')!;
    // 18% below a claimed figure whose misstatements lie below: support without the pull, evidence against with it.
    expect(lr(model, 0.82)).toBeGreaterThan(0);
    expect(lr(pulled, 0.82)).toBeLessThan(0);
    // An answer at the claim stays support.
    expect(lr(pulled, 1)).toBeGreaterThan(Math.log(3));
    fc.assert(
      fc.property(fc.double({ min: 0.7, max: 0.95, noNaN: true }), (ratio) => {
        expect(lr(pulled, ratio)).toBeLessThan(lr(model, ratio));
      }),
      { numRuns: 50 },
    );
  });

  it('returns the prior when there is nothing to fit', () => {
    expect(fitDeviationModel([])).toEqual(DEFAULT_DEVIATION_MODEL);
  });
});
