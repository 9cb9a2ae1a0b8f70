import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Verification } from '../../../src/dialog/belief/index.js';
import {
  DEFAULT_ANSWER_MODEL,
  OUTCOMES,
  applyVerification,
  outcomeLikelihoods,
  reliabilityMean,
} from '../../../src/dialog/belief/index.js';
import {
  FU_DONE,
  FU_NONE,
  FU_PENDING,
  applySim,
  cloneSim,
  compile,
  expectedMove,
  oneStepGain,
  simDoubt,
} from '../../../src/dialog/policy/compiled.js';
import { candidatesOf, startInterview } from '../../../src/dialog/policy/index.js';
import { weightedDoubt } from '../../../src/dialog/belief/index.js';
import { syntheticBank } from '../../../src/dialog/sim/index.js';

const model = DEFAULT_ANSWER_MODEL;
const bank = syntheticBank('grocery');
const FACT = 'sales.monthly';
const salesQuestions = bank.questions.filter((q) => q.factIds[0] === FACT).map((q) => q.id);
const FU = { none: FU_NONE, pending: FU_PENDING, done: FU_DONE } as const;

describe('the search’s compiled dialog', () => {
  it('follows the same belief update and contradiction rules as the real belief', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.constantFrom(...salesQuestions)), {
          maxLength: 8,
        }),
        (steps) => {
          const state = startInterview(bank, model);
          const { c, root } = compile(state, candidatesOf(state), model);
          const s = cloneSim(root);
          const f = Object.keys(state.belief.facts).indexOf(FACT);
          let belief = state.belief;
          for (const [o, qid] of steps) {
            const q = c.questionIds.indexOf(qid);
            const settles = belief.facts[FACT]!.followUp === 'pending';
            applySim(c, s, q, o, settles ? f : -1);
            const v: Verification = {
              questionId: qid,
              factId: FACT,
              questionKind: bank.questions.find((x) => x.id === qid)!.kind,
              outcome: OUTCOMES[o]!,
              strength: 1,
              code: 'WITHIN_TOLERANCE',
              why: 'test',
            };
            belief = applyVerification(belief, v, model, { settlesFollowUp: settles });
            const real = belief.facts[FACT]!;
            expect(s.p[f]).toBeCloseTo(real.p, 12);
            expect(s.fu[f]).toBe(FU[real.followUp]);
            expect(s.rec[f] === 1).toBe(real.contradictionRecorded);
            expect(simDoubt(c, s)).toBeCloseTo(weightedDoubt(belief), 12);
          }
        },
      ),
    );
  });

  it('gives the one-step gain the real belief update gives in expectation over the answers', () => {
    const state = startInterview(bank, model);
    const { c, root } = compile(state, candidatesOf(state), model);
    const r = reliabilityMean(state.belief.reliability);
    const first = new Float64Array(1);
    for (let q = 0; q < c.questionIds.length; q++) {
      const bq = bank.questions.find((x) => x.id === c.questionIds[q])!;
      const factId = bq.factIds[0]!;
      const p = state.belief.facts[factId]!.p;
      let expectedAfter = 0;
      for (const o of OUTCOMES) {
        const lik = outcomeLikelihoods(model, bq.kind, o, r);
        const v: Verification = {
          questionId: bq.id,
          factId,
          questionKind: bq.kind,
          outcome: o,
          strength: 1,
          code: 'WITHIN_TOLERANCE',
          why: 'test',
        };
        const after = applyVerification(state.belief, v, model);
        expectedAfter += (p * lik.ifTrue + (1 - p) * lik.ifFalse) * weightedDoubt(after);
      }
      const exact = weightedDoubt(state.belief) - expectedAfter;
      expect(oneStepGain(c, root, q)).toBeCloseTo(exact, 12);
      expectedMove(c, root, q, 12, 0.9, first);
      expect(first[0]).toBeCloseTo(exact, 12);
    }
  });

  it('sees the finding a follow-up may record: asking around a doubtful fact is worth more than one step shows', () => {
    const state = startInterview(bank, model);
    const { c, root } = compile(state, candidatesOf(state), model);
    const f = Object.keys(state.belief.facts).indexOf(FACT);
    root.p[f] = 0.45;
    const q = c.questionIds.indexOf(salesQuestions.find((id) => id.includes('indirect'))!);
    expect(expectedMove(c, root, q, 12, 0.9)).toBeGreaterThan(oneStepGain(c, root, q) + 0.05);
  });
});
