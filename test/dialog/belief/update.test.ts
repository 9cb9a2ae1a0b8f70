import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { QuestionKind } from '../../../src/questions/types.js';
import { DEFAULT_CATALOGUE } from '../../../src/questions/catalogue/default.js';
import { generateBank } from '../../../src/questions/generate.js';
import { SAMPLE_CASES } from '../../../src/questions/samples.js';
import type { BeliefState, Outcome, Verification } from '../../../src/dialog/belief/index.js';
import {
  DEFAULT_ANSWER_MODEL,
  DEFAULT_BELIEF_CONFIG,
  DISPUTED_CLEAR_AT,
  applyVerification,
  disputedDoubtOf,
  doubtOf,
  entropy,
  factDoubt,
  settledDoubt,
  fitAnswerModel,
  initBelief,
  onAnswersAlone,
  posterior,
  startingDoubt,
  outcomeLikelihoods,
  weightedDoubt,
} from '../../../src/dialog/belief/index.js';
import { syntheticBank } from '../../../src/dialog/sim/index.js';

const kinds: QuestionKind[] = ['direct', 'indirect', 'control'];
const arbKind = fc.constantFrom(...kinds);
const arbP = fc.double({ min: 1e-4, max: 1 - 1e-4, noNaN: true });
const arbStrength = fc.double({ min: 0, max: 1, noNaN: true });
const arbR = fc.double({ min: 0, max: 1, noNaN: true });

/** Models whose rows are arbitrary distributions, as a fit on few counts can give. */
const arbWeight = fc.double({ min: 0.01, max: 1, noNaN: true });
const arbDist = fc.tuple(arbWeight, arbWeight, arbWeight, arbWeight).map(([a, b, c, d]) => {
  const t = a + b + c + d;
  return { consistent: a / t, doubtful: b / t, contradicted: c / t, none: d / t };
});
const arbModel = fc
  .record({ ifTrue: arbDist, ifFalse: arbDist, un: arbDist })
  .map(({ ifTrue, ifFalse, un }) => ({
    ...DEFAULT_ANSWER_MODEL,
    byKind: { direct: { ifTrue, ifFalse }, indirect: { ifTrue, ifFalse }, control: { ifTrue, ifFalse } },
    unreliable: un,
  }));

const verification = (outcome: Outcome, kind: QuestionKind, strength: number): Verification => ({
  questionId: 'q',
  factId: 'sales.monthly',
  questionKind: kind,
  outcome,
  strength,
  code: 'WITHIN_TOLERANCE',
  why: 'test',
});

const beliefWith = (p: number): BeliefState => {
  const b = initBelief(syntheticBank('grocery'), DEFAULT_ANSWER_MODEL);
  return { ...b, facts: { ...b.facts, 'sales.monthly': { ...b.facts['sales.monthly']!, p } } };
};

describe('initBelief', () => {
  it('starts a fact at 1 − the bank’s doubt, but a fact the bank doubts most no lower than even', () => {
    const bank = syntheticBank('grocery');
    const doubts = { ...bank.priorDoubt, 'sales.monthly': 0.96, 'household.size': 0.2 };
    const b = initBelief({ ...bank, priorDoubt: doubts }, DEFAULT_ANSWER_MODEL);
    expect(b.facts['household.size']!.p).toBeCloseTo(0.8, 10);
    // At p 0.04 no single answer could lift it past ½, so no answer would have had any value to the policy.
    expect(b.facts['sales.monthly']!.p).toBe(0.5);
    expect(doubtOf(b.facts['sales.monthly']!.p)).toBe(1);
  });

  it('gives no weight to a fact no question can give evidence about, and keeps those that can', () => {
    const bank = generateBank(SAMPLE_CASES.grocery, DEFAULT_CATALOGUE, { seed: 1 });
    const b = initBelief(bank, DEFAULT_ANSWER_MODEL);
    const def = (id: string) => bank.facts.find((f) => f.id === id)!;
    // 您打算怎么还 in the applicant's own words: nothing to compare with, left to the expert.
    expect(def('loan.willingness').importance).toBeGreaterThan(0);
    expect(b.facts['loan.willingness']!.importance).toBe(0);
    // Where the shop is can name the expected village (MATCHES), so it counts.
    expect(b.facts['premises.location']!.importance).toBe(def('premises.location').importance);
    expect(b.facts['sales.monthly']!.importance).toBe(def('sales.monthly').importance);
  });
});

describe('startingDoubt', () => {
  it('uses the catalogue’s own doubt of a screening flag', () => {
    const { warn, fail } = DEFAULT_CATALOGUE.params.doubt;
    expect(DEFAULT_BELIEF_CONFIG.screeningFlagDoubt).toEqual({ warn, fail });
  });

  it('does not count a screening record against the "yes" it supports, and keeps every other doubt', () => {
    // grocery: arrears on record (warn), so the bank expects "yes"; no court record, so it expects "no".
    const grocery = generateBank(SAMPLE_CASES.grocery, DEFAULT_CATALOGUE, { seed: 1 });
    const def = (bank: typeof grocery, id: string) => bank.facts.find((f) => f.id === id)!;
    const { baselineKnown } = DEFAULT_CATALOGUE.params.doubt;
    expect(grocery.priorDoubt['loans.overdue_elsewhere']).toBeCloseTo(0.64, 10);
    expect(startingDoubt(grocery, def(grocery, 'loans.overdue_elsewhere'))).toBeCloseTo(baselineKnown, 10);
    expect(initBelief(grocery, DEFAULT_ANSWER_MODEL).facts['loans.overdue_elsewhere']!.p).toBeCloseTo(
      0.9,
      10,
    );
    expect(startingDoubt(grocery, def(grocery, 'legal.disputes'))).toBe(grocery.priorDoubt['legal.disputes']);
    expect(startingDoubt(grocery, def(grocery, 'sales.monthly'))).toBe(grocery.priorDoubt['sales.monthly']);
    // restaurant: the bank expects no arrears, and its doubt of them comes from elsewhere: kept as it is.
    const restaurant = generateBank(SAMPLE_CASES.restaurant, DEFAULT_CATALOGUE, { seed: 1 });
    expect(startingDoubt(restaurant, def(restaurant, 'loans.overdue_elsewhere'))).toBe(
      restaurant.priorDoubt['loans.overdue_elsewhere'],
    );
    // processing: a court record (fail) that the bank expects the applicant to confirm.
    const processing = generateBank(SAMPLE_CASES.processing, DEFAULT_CATALOGUE, { seed: 1 });
    expect(startingDoubt(processing, def(processing, 'legal.disputes'))).toBeCloseTo(baselineKnown, 10);
  });

  it('never adds doubt and stays in [0, 1], whatever the bank’s prior', () => {
    const bank = generateBank(SAMPLE_CASES.grocery, DEFAULT_CATALOGUE, { seed: 1 });
    const fact = bank.facts.find((f) => f.id === 'loans.overdue_elsewhere')!;
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom('warn', 'fail'), (d, sev) => {
        const b = { ...bank, priorDoubt: { ...bank.priorDoubt, [fact.id]: d } };
        const s = startingDoubt(b, { ...fact, flagWhenPositive: sev as 'warn' | 'fail' })!;
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(d);
      }),
    );
  });
});

describe('doubt', () => {
  it('is 1 while the fact is at least as likely wrong as right and falls to 0 as it becomes certain', () => {
    expect(doubtOf(0.2)).toBe(1);
    expect(doubtOf(0.5)).toBe(1);
    expect(doubtOf(0.9)).toBeCloseTo(0.469, 3);
    expect(doubtOf(1)).toBe(0);
  });

  it('stays within [0, importance] for every fact, open or settled', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.boolean(),
        (imp, p, recorded) => {
          const d = factDoubt(imp, p, recorded);
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThanOrEqual(imp);
        },
      ),
    );
  });

  it('counts a recorded contradiction as settled: only the entropy of the finding is left', () => {
    expect(settledDoubt(0.05, true)).toBeCloseTo(entropy(0.05), 12);
    expect(settledDoubt(0.05, true)).toBeLessThan(0.3);
    expect(settledDoubt(0.05, false)).toBe(1);
  });

  it('never gives a recorded contradiction more doubt than the open fact had', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (p) => {
        expect(settledDoubt(p, true)).toBeLessThanOrEqual(settledDoubt(p, false) + 1e-12);
      }),
    );
  });

  it('keeps a disputed fact at full doubt until p is back at the consistent level, then lets it fall', () => {
    expect(disputedDoubtOf(0.6)).toBe(1);
    expect(disputedDoubtOf(DISPUTED_CLEAR_AT)).toBe(1);
    expect(disputedDoubtOf(0.95)).toBeLessThan(1);
    expect(disputedDoubtOf(1)).toBe(0);
    // An undisputed fact at p = 0.7 has already lost some doubt; a disputed one has not.
    expect(doubtOf(0.7)).toBeLessThan(1);
  });

  it('gives a disputed fact a non-increasing, concave doubt in [doubtOf(p), 1], above a recorded finding', () => {
    const arbP01 = fc.double({ min: 0, max: 1, noNaN: true });
    fc.assert(
      fc.property(arbP01, arbP01, (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const d = disputedDoubtOf(lo);
        expect(d).toBeLessThanOrEqual(1);
        expect(d).toBeGreaterThanOrEqual(doubtOf(lo) - 1e-12);
        expect(d).toBeGreaterThanOrEqual(settledDoubt(lo, true) - 1e-12);
        expect(disputedDoubtOf(hi)).toBeLessThanOrEqual(d + 1e-12);
        // Concave: the chord's midpoint lies below the curve.
        const mid = (lo + hi) / 2;
        expect(disputedDoubtOf(mid)).toBeGreaterThanOrEqual((d + disputedDoubtOf(hi)) / 2 - 1e-12);
        expect(settledDoubt(lo, false, true)).toBe(d);
      }),
    );
  });

  it('counts a fact whose answers clashed as disputed in the weighted doubt until it is settled', () => {
    const model = DEFAULT_ANSWER_MODEL;
    const b0 = beliefWith(0.9);
    const b1 = applyVerification(b0, verification('contradicted', 'indirect', 1), model);
    const f = b1.facts['sales.monthly']!;
    expect(f.followUp).toBe('pending');
    expect(weightedDoubt(b1) - weightedDoubt(b0)).toBeCloseTo(
      f.importance * (disputedDoubtOf(f.p) - doubtOf(0.9)),
      12,
    );
  });

  it('lowers the weighted doubt of a belief when a contradiction is recorded on the follow-up', () => {
    const model = DEFAULT_ANSWER_MODEL;
    let b = beliefWith(0.55);
    b = applyVerification(b, verification('contradicted', 'indirect', 1), model);
    const open = weightedDoubt(b);
    b = applyVerification(b, verification('contradicted', 'indirect', 1), model, { settlesFollowUp: true });
    expect(b.facts['sales.monthly']!.contradictionRecorded).toBe(true);
    expect(weightedDoubt(b)).toBeLessThan(open);
  });
});

describe('belief update laws', () => {
  it('never raises doubt on a consistent answer, whatever the model, reliability or strength', () => {
    fc.assert(
      fc.property(arbModel, arbKind, arbP, arbR, arbStrength, (model, kind, p, r, s) => {
        const after = posterior(p, 'consistent', outcomeLikelihoods(model, kind, 'consistent', r), s);
        expect(after).toBeGreaterThanOrEqual(p - 1e-12);
        expect(doubtOf(after)).toBeLessThanOrEqual(doubtOf(p) + 1e-12);
      }),
    );
  });

  it('never lowers doubt on a contradicting answer, whatever the model, reliability or strength', () => {
    fc.assert(
      fc.property(arbModel, arbKind, arbP, arbR, arbStrength, (model, kind, p, r, s) => {
        const after = posterior(p, 'contradicted', outcomeLikelihoods(model, kind, 'contradicted', r), s);
        expect(after).toBeLessThanOrEqual(p + 1e-12);
        expect(doubtOf(after)).toBeGreaterThanOrEqual(doubtOf(p) - 1e-12);
      }),
    );
  });

  it('keeps the weighted doubt of a whole belief within [0, Σ importance] after any answers', () => {
    const outcomes: Outcome[] = ['consistent', 'doubtful', 'contradicted', 'none'];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...outcomes), arbKind, arbStrength), { maxLength: 12 }),
        arbP,
        (steps, p0) => {
          let b = beliefWith(p0);
          for (const [o, k, s] of steps)
            b = applyVerification(b, verification(o, k, s), DEFAULT_ANSWER_MODEL);
          const total = Object.values(b.facts).reduce((a, f) => a + f.importance, 0);
          const d = weightedDoubt(b);
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThanOrEqual(total + 1e-9);
          for (const f of Object.values(b.facts)) expect(f.p).toBeGreaterThan(0);
        },
      ),
    );
  });

  it('moves the belief less for a rough answer than for a firm one', () => {
    const lik = outcomeLikelihoods(DEFAULT_ANSWER_MODEL, 'indirect', 'consistent', 0.8);
    expect(posterior(0.6, 'consistent', lik, 0.5)).toBeLessThan(posterior(0.6, 'consistent', lik, 1));
  });

  it('moves the belief less for an unreliable respondent', () => {
    const firm = outcomeLikelihoods(DEFAULT_ANSWER_MODEL, 'indirect', 'contradicted', 0.95);
    const shaky = outcomeLikelihoods(DEFAULT_ANSWER_MODEL, 'indirect', 'contradicted', 0.3);
    expect(posterior(0.6, 'contradicted', shaky, 1)).toBeGreaterThan(posterior(0.6, 'contradicted', firm, 1));
  });
});

describe('applyVerification', () => {
  it('records why the belief moved', () => {
    const b = applyVerification(
      beliefWith(0.6),
      verification('consistent', 'indirect', 1),
      DEFAULT_ANSWER_MODEL,
    );
    const h = b.facts['sales.monthly']!.history;
    expect(h).toHaveLength(1);
    expect(h[0]).toMatchObject({
      questionId: 'q',
      outcome: 'consistent',
      pBefore: 0.6,
      code: 'WITHIN_TOLERANCE',
    });
    expect(h[0]!.pAfter).toBeGreaterThan(0.6);
  });

  it('puts a first contradiction on follow-up instead of recording it', () => {
    const b = applyVerification(
      beliefWith(0.6),
      verification('contradicted', 'indirect', 1),
      DEFAULT_ANSWER_MODEL,
    );
    const f = b.facts['sales.monthly']!;
    expect(f.followUp).toBe('pending');
    expect(f.contradictionRecorded).toBe(false);
    expect(f.status).toBe('doubtful');
  });

  it('records the contradiction when the follow-up clashes too', () => {
    let b = applyVerification(
      beliefWith(0.6),
      verification('contradicted', 'indirect', 1),
      DEFAULT_ANSWER_MODEL,
    );
    b = applyVerification(b, verification('contradicted', 'direct', 1), DEFAULT_ANSWER_MODEL, {
      settlesFollowUp: true,
    });
    expect(b.facts['sales.monthly']!.status).toBe('contradicted');
    expect(b.facts['sales.monthly']!.followUp).toBe('done');
  });

  it('clears the contradiction when the follow-up is consistent and lifts the belief', () => {
    let b = applyVerification(
      beliefWith(0.8),
      verification('contradicted', 'direct', 1),
      DEFAULT_ANSWER_MODEL,
    );
    b = applyVerification(b, verification('consistent', 'indirect', 1), DEFAULT_ANSWER_MODEL, {
      settlesFollowUp: true,
    });
    expect(b.facts['sales.monthly']!.contradictionRecorded).toBe(false);
    expect(b.facts['sales.monthly']!.followUp).toBe('done');
  });

  it('records a figure that its answers alone put below the threshold, whatever the bank’s confidence in it', () => {
    // A fact the bank did not doubt (p 0.9): a clashing figure, then a doubtful one, each with its own Bayes factor.
    const pooled = (outcome: Outcome, llr: number): Verification => ({
      ...verification(outcome, 'indirect', 1),
      logLikelihoodRatio: llr,
    });
    const run = (config: typeof DEFAULT_BELIEF_CONFIG) => {
      let b = beliefWith(0.9);
      b = applyVerification(b, pooled('contradicted', Math.log(0.12)), DEFAULT_ANSWER_MODEL, { config });
      b = applyVerification(b, pooled('doubtful', Math.log(0.6)), DEFAULT_ANSWER_MODEL, {
        settlesFollowUp: true,
        config,
      });
      return b.facts['sales.monthly']!;
    };
    // Bayes factor 1 / 0.072 ≈ 14 against: p 0.9 → 0.39, but ½ → 0.067.
    const f = run(DEFAULT_BELIEF_CONFIG);
    expect(f.p).toBeGreaterThan(DEFAULT_BELIEF_CONFIG.contradictedBelow);
    expect(f.contradictionRecorded).toBe(true);
    expect(f.history.at(-1)!.why).toContain('recorded on the answers alone (p 0.07 from an even start)');
    expect(f.history[0]!.why).toBe('test');
    expect(run({ ...DEFAULT_BELIEF_CONFIG, figuresOnAnswersAlone: false }).contradictionRecorded).toBe(false);
  });

  it('does not record on the answers alone when they are judged by the outcome table (yes/no, choices)', () => {
    let b = beliefWith(0.9);
    b = applyVerification(b, verification('contradicted', 'direct', 1), DEFAULT_ANSWER_MODEL);
    b = applyVerification(b, verification('doubtful', 'indirect', 1), DEFAULT_ANSWER_MODEL, {
      settlesFollowUp: true,
    });
    const f = b.facts['sales.monthly']!;
    expect(f.followUp).toBe('done');
    expect(onAnswersAlone(f.p, 0.9)).toBeLessThan(DEFAULT_BELIEF_CONFIG.contradictedBelow);
    expect(f.p).toBeGreaterThanOrEqual(DEFAULT_BELIEF_CONFIG.contradictedBelow);
    expect(f.contradictionRecorded).toBe(false);
  });

  it('reads the answers alone as the same Bayes factor from a neutral start, never above p, p itself from below it', () => {
    fc.assert(
      fc.property(arbP, arbP, (p, start) => {
        const alone = onAnswersAlone(p, start);
        const from = Math.min(start, DEFAULT_BELIEF_CONFIG.startAtLeast);
        if (start <= from) expect(alone).toBe(p);
        else {
          expect(alone).toBeLessThanOrEqual(p + 1e-12);
          const lr = p / (1 - p) / (start / (1 - start));
          const lrAlone = alone / (1 - alone) / (from / (1 - from));
          expect(Math.abs(Math.log(lr) - Math.log(lrAlone))).toBeLessThan(1e-6);
        }
      }),
    );
  });

  it('moves reliability on control questions only', () => {
    const b0 = beliefWith(0.6);
    const b1 = applyVerification(b0, verification('contradicted', 'control', 1), DEFAULT_ANSWER_MODEL);
    expect(b1.reliability.beta).toBe(b0.reliability.beta + 1);
    const b2 = applyVerification(b0, verification('contradicted', 'direct', 1), DEFAULT_ANSWER_MODEL);
    expect(b2.reliability).toEqual(b0.reliability);
  });
});

describe('fitAnswerModel', () => {
  it('returns the prior when there is no past interview', () => {
    const m = fitAnswerModel([]);
    expect(m.byKind.direct.ifTrue.consistent).toBeCloseTo(
      DEFAULT_ANSWER_MODEL.byKind.direct.ifTrue.consistent,
      10,
    );
  });

  it('moves a distribution towards the logged counts, as a Dirichlet posterior mean', () => {
    const records = Array.from({ length: 80 }, () => ({
      questionKind: 'indirect' as const,
      factTrue: false,
      outcome: 'contradicted' as const,
    }));
    const m = fitAnswerModel([{ records }], { priorStrength: 20 });
    // (0.45 × 20 + 80) / (20 + 80)
    expect(m.byKind.indirect.ifFalse.contradicted).toBeCloseTo(0.89, 10);
    const sum = Object.values(m.byKind.indirect.ifFalse).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 12);
  });

  it('rejects a non-positive prior strength with ANSWER_MODEL_PRIOR_INVALID', () => {
    expect(() => fitAnswerModel([], { priorStrength: 0 })).toThrow(
      expect.objectContaining({ code: 'ANSWER_MODEL_PRIOR_INVALID' }),
    );
  });
});
