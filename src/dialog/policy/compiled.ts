/**
 * A compact numeric copy of the belief and the candidate questions for the search's inner loop: typed arrays
 * instead of records, so one simulated answer costs a few arithmetic operations and no allocation.
 */
import type { QuestionKind } from '../../questions/types.js';
import type { AnswerModel } from '../belief/answer-model.js';
import { doubtOf } from '../belief/doubt.js';
import type { Outcome } from '../belief/types.js';
import { OUTCOMES } from '../belief/types.js';
import { DEFAULT_BELIEF_CONFIG, posteriorOf } from '../belief/update.js';
import type { InterviewState } from './state.js';

const KINDS: readonly QuestionKind[] = ['direct', 'indirect', 'control'];
const CONTROL = 2;

export interface Compiled {
  importance: Float64Array;
  questionIds: string[];
  /** Fact indices of each candidate question; the first is the one whose truth drives the simulated answer. */
  qFacts: Int32Array[];
  qKind: Uint8Array;
  /** P(outcome | true) and P(outcome | false) of a reliable respondent: [kind * 4 + outcome]. */
  lT: Float64Array;
  lF: Float64Array;
  un: Float64Array;
  floor: number;
}

export interface SimState {
  p: Float64Array;
  asked: Uint8Array;
  ra: number;
  rb: number;
}

export function compile(
  state: InterviewState,
  candidates: readonly string[],
  model: AnswerModel,
  floor = DEFAULT_BELIEF_CONFIG.pFloor,
): { c: Compiled; root: SimState } {
  const factIds = Object.keys(state.belief.facts);
  const index = new Map(factIds.map((id, i) => [id, i]));
  const importance = new Float64Array(factIds.length);
  const p = new Float64Array(factIds.length);
  factIds.forEach((id, i) => {
    const f = state.belief.facts[id]!;
    importance[i] = f.importance;
    p[i] = f.p;
  });
  const byId = new Map(state.bank.questions.map((q) => [q.id, q]));
  const qFacts: Int32Array[] = [];
  const qKind = new Uint8Array(candidates.length);
  candidates.forEach((id, j) => {
    const q = byId.get(id)!;
    qFacts.push(Int32Array.from(q.factIds.filter((f) => index.has(f)).map((f) => index.get(f)!)));
    qKind[j] = KINDS.indexOf(q.kind);
  });
  const lT = new Float64Array(12);
  const lF = new Float64Array(12);
  KINDS.forEach((k, ki) =>
    OUTCOMES.forEach((o, oi) => {
      lT[ki * 4 + oi] = model.byKind[k].ifTrue[o];
      lF[ki * 4 + oi] = model.byKind[k].ifFalse[o];
    }),
  );
  const un = Float64Array.from(OUTCOMES.map((o) => model.unreliable[o]));
  return {
    c: { importance, questionIds: [...candidates], qFacts, qKind, lT, lF, un, floor },
    root: {
      p,
      asked: new Uint8Array(candidates.length),
      ra: state.belief.reliability.alpha,
      rb: state.belief.reliability.beta,
    },
  };
}

export function copyInto(dst: SimState, src: SimState): void {
  dst.p.set(src.p);
  dst.asked.set(src.asked);
  dst.ra = src.ra;
  dst.rb = src.rb;
}

export const cloneSim = (s: SimState): SimState => ({
  p: new Float64Array(s.p),
  asked: new Uint8Array(s.asked),
  ra: s.ra,
  rb: s.rb,
});

export function simDoubt(c: Compiled, s: SimState): number {
  let d = 0;
  for (let i = 0; i < s.p.length; i++) d += c.importance[i]! * doubtOf(s.p[i]!);
  return d;
}

/** Samples the truth of the question's first fact from the belief, then an outcome from the answer model. */
export function sampleOutcome(c: Compiled, s: SimState, q: number, u1: number, u2: number): number {
  const facts = c.qFacts[q]!;
  const truth = facts.length === 0 || u1 < s.p[facts[0]!]!;
  const r = s.ra / (s.ra + s.rb);
  const base = c.qKind[q]! * 4;
  const table = truth ? c.lT : c.lF;
  let acc = 0;
  for (let o = 0; o < 3; o++) {
    acc += r * table[base + o]! + (1 - r) * c.un[o]!;
    if (u2 < acc) return o;
  }
  return 3;
}

/** The same update as the real belief (strength 1): `posteriorOf` per fact, reliability for control questions. */
export function applySim(c: Compiled, s: SimState, q: number, o: number): void {
  const outcome: Outcome = OUTCOMES[o]!;
  const r = s.ra / (s.ra + s.rb);
  const base = c.qKind[q]! * 4 + o;
  const lt = r * c.lT[base]! + (1 - r) * c.un[o]!;
  const lf = r * c.lF[base]! + (1 - r) * c.un[o]!;
  for (const f of c.qFacts[q]!) s.p[f] = posteriorOf(s.p[f]!, outcome, lt, lf, 1, c.floor);
  if (c.qKind[q] === CONTROL) {
    if (o === 0) s.ra += 1;
    else if (o === 1) s.rb += 0.5;
    else if (o === 2) s.rb += 1;
  }
  s.asked[q] = 1;
}

/**
 * The exact expected one-step reduction of weighted doubt of asking `q`: Σ over truth and outcome of
 * P(truth) P(outcome | truth) (doubt before − doubt after), per fact of the question.
 */
export function oneStepGain(c: Compiled, s: SimState, q: number): number {
  const r = s.ra / (s.ra + s.rb);
  const kb = c.qKind[q]! * 4;
  let gain = 0;
  for (const f of c.qFacts[q]!) {
    const p = s.p[f]!;
    const before = doubtOf(p);
    let expectedAfter = 0;
    for (let o = 0; o < 4; o++) {
      const lt = r * c.lT[kb + o]! + (1 - r) * c.un[o]!;
      const lf = r * c.lF[kb + o]! + (1 - r) * c.un[o]!;
      const po = p * lt + (1 - p) * lf;
      expectedAfter += po * doubtOf(posteriorOf(p, OUTCOMES[o]!, lt, lf, 1, c.floor));
    }
    gain += c.importance[f]! * (before - expectedAfter);
  }
  return gain;
}
