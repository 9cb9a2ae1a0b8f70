/**
 * A compact numeric copy of the belief and the candidate questions for the search's inner loop: typed arrays
 * instead of records, so one simulated answer costs a few arithmetic operations and no allocation.
 *
 * The copy keeps the dialog's own rules about contradictions (src/dialog/belief/update.ts): a clashing answer
 * puts its fact on follow-up, the follow-up records the contradiction or clears it, and a recorded contradiction
 * is a settled fact whose doubt is only the uncertainty of the finding, and a fact whose answers clashed keeps
 * the doubt of a disputed fact (doubt.ts) until settled. The search therefore sees what asking around a doubtful
 * fact is worth: the follow-up it triggers and the finding that may come of it. One simplification: a follow-up
 * met with silence settles here at once, where the dialog (state.ts) puts it once more.
 */
import type { BankQuestion, QuestionKind } from '../../questions/types.js';
import type { AnswerModel } from '../belief/answer-model.js';
import { settledDoubt } from '../belief/doubt.js';
import type { Outcome } from '../belief/types.js';
import { OUTCOMES } from '../belief/types.js';
import type { BeliefConfig } from '../belief/update.js';
import { DEFAULT_BELIEF_CONFIG, posteriorOf } from '../belief/update.js';
import type { InterviewState } from './state.js';

const KINDS: readonly QuestionKind[] = ['direct', 'indirect', 'control'];
const CONTROL = 2;
const CONTRADICTED = 2;
const DOUBTFUL = 1;
/** Follow-up states per fact, as `FactBelief.followUp`. */
export const FU_NONE = 0;
export const FU_PENDING = 1;
export const FU_DONE = 2;
/** The order in which `followUpFor` prefers a follow-up's angle: indirect, then direct, then control. */
const ANGLE_RANK = [1, 0, 2];

export interface Compiled {
  importance: Float64Array;
  questionIds: string[];
  /** Fact indices of each candidate question; the first is the one whose truth drives the simulated answer. */
  qFacts: Int32Array[];
  qKind: Uint8Array;
  /** Per fact, the candidate questions about it in the order the dialog would choose them as a follow-up. */
  followUps: Int32Array[];
  /** P(outcome | true) and P(outcome | false) of a reliable respondent: [kind * 4 + outcome]. */
  lT: Float64Array;
  lF: Float64Array;
  un: Float64Array;
  floor: number;
  followUpBelow: number;
  contradictedBelow: number;
}

export interface SimState {
  p: Float64Array;
  asked: Uint8Array;
  ra: number;
  rb: number;
  /** Per fact: FU_NONE, FU_PENDING or FU_DONE. */
  fu: Uint8Array;
  /** Per fact: 1 once a contradiction is recorded. */
  rec: Uint8Array;
}

const FU_CODE = { none: FU_NONE, pending: FU_PENDING, done: FU_DONE } as const;

export function compile(
  state: InterviewState,
  candidates: readonly string[],
  model: AnswerModel,
  config: BeliefConfig = DEFAULT_BELIEF_CONFIG,
): { c: Compiled; root: SimState } {
  const factIds = Object.keys(state.belief.facts);
  const index = new Map(factIds.map((id, i) => [id, i]));
  const importance = new Float64Array(factIds.length);
  const p = new Float64Array(factIds.length);
  const fu = new Uint8Array(factIds.length);
  const rec = new Uint8Array(factIds.length);
  factIds.forEach((id, i) => {
    const f = state.belief.facts[id]!;
    importance[i] = f.importance;
    p[i] = f.p;
    fu[i] = FU_CODE[f.followUp];
    rec[i] = f.contradictionRecorded ? 1 : 0;
  });
  const byId = new Map<string, BankQuestion>();
  for (const q of state.bank.questions) byId.set(q.id, q);
  const qFacts: Int32Array[] = [];
  const qKind = new Uint8Array(candidates.length);
  const perFact: number[][] = factIds.map(() => []);
  candidates.forEach((id, j) => {
    const q = byId.get(id)!;
    let n = 0;
    for (const f of q.factIds) if (index.has(f)) n++;
    const fs = new Int32Array(n);
    n = 0;
    for (const f of q.factIds) {
      const i = index.get(f);
      if (i !== undefined) fs[n++] = i;
    }
    qFacts.push(fs);
    qKind[j] = KINDS.indexOf(q.kind);
    for (const f of fs) perFact[f]!.push(j);
  });
  const followUps = perFact.map((qs) => byAngle(qs, qKind));
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
    c: {
      importance,
      questionIds: [...candidates],
      qFacts,
      qKind,
      followUps,
      lT,
      lF,
      un,
      floor: config.pFloor,
      followUpBelow: config.followUpBelow,
      contradictedBelow: config.contradictedBelow,
    },
    root: {
      p,
      asked: new Uint8Array(candidates.length),
      ra: state.belief.reliability.alpha,
      rb: state.belief.reliability.beta,
      fu,
      rec,
    },
  };
}

/**
 * A fact's candidate questions in the order the dialog takes a follow-up's angle, bank order within an angle: the
 * stable sort by `ANGLE_RANK`, made as one pass per angle.
 */
function byAngle(qs: readonly number[], qKind: Uint8Array): Int32Array {
  const out = new Int32Array(qs.length);
  let k = 0;
  for (let rank = 0; rank < 3; rank++) for (const q of qs) if (ANGLE_RANK[qKind[q]!] === rank) out[k++] = q;
  // A kind outside the three has no rank; the sort puts it where its comparisons do.
  return k === qs.length
    ? out
    : Int32Array.from([...qs].sort((a, b) => ANGLE_RANK[qKind[a]!]! - ANGLE_RANK[qKind[b]!]!));
}

export function copyInto(dst: SimState, src: SimState): void {
  dst.p.set(src.p);
  dst.asked.set(src.asked);
  dst.ra = src.ra;
  dst.rb = src.rb;
  dst.fu.set(src.fu);
  dst.rec.set(src.rec);
}

export const cloneSim = (s: SimState): SimState => ({
  p: new Float64Array(s.p),
  asked: new Uint8Array(s.asked),
  ra: s.ra,
  rb: s.rb,
  fu: new Uint8Array(s.fu),
  rec: new Uint8Array(s.rec),
});

export function simDoubt(c: Compiled, s: SimState): number {
  let d = 0;
  for (let i = 0; i < s.p.length; i++)
    d += c.importance[i]! * settledDoubt(s.p[i]!, s.rec[i] === 1, s.fu[i] !== FU_NONE);
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

/**
 * Whether an answer with outcome `o` leaving the fact at `pAfter` records its contradiction: as the follow-up of
 * a pending one (`settling`), or as a fresh clash after the follow-up was had (`applyVerification`).
 */
function records(c: Compiled, fu: number, settling: boolean, o: number, pAfter: number): boolean {
  if (settling && fu === FU_PENDING) return o === CONTRADICTED || pAfter < c.contradictedBelow;
  const clash = o === CONTRADICTED || (o === DOUBTFUL && pAfter < c.followUpBelow);
  return clash && fu === FU_DONE && (o === CONTRADICTED || pAfter < c.contradictedBelow);
}

/**
 * The same update as the real belief (strength 1): `posteriorOf` per fact, reliability for control questions, and
 * the follow-up rules. `settles`: the fact whose pending contradiction this answer settles, or −1. Returns the
 * fact the answer put on follow-up, or −1.
 */
export function applySim(c: Compiled, s: SimState, q: number, o: number, settles = -1): number {
  const outcome: Outcome = OUTCOMES[o]!;
  const r = s.ra / (s.ra + s.rb);
  const base = c.qKind[q]! * 4 + o;
  const lt = r * c.lT[base]! + (1 - r) * c.un[o]!;
  const lf = r * c.lF[base]! + (1 - r) * c.un[o]!;
  let pending = -1;
  for (const f of c.qFacts[q]!) {
    const p = posteriorOf(s.p[f]!, outcome, lt, lf, 1, c.floor);
    s.p[f] = p;
    const fu = s.fu[f]!;
    if (records(c, fu, settles === f, o, p)) s.rec[f] = 1;
    if (settles === f && fu === FU_PENDING) s.fu[f] = FU_DONE;
    else if (fu === FU_NONE && (o === CONTRADICTED || (o === DOUBTFUL && p < c.followUpBelow))) {
      s.fu[f] = FU_PENDING;
      if (pending < 0) pending = f;
    }
  }
  if (c.qKind[q] === CONTROL) {
    if (o === 0) s.ra += 1;
    else if (o === 1) s.rb += 0.5;
    else if (o === 2) s.rb += 1;
  }
  s.asked[q] = 1;
  return pending;
}

/** The question the dialog puts as the follow-up of fact `f`'s contradiction raised by question `clashed`. */
export function followUpQuestion(c: Compiled, s: SimState, f: number, clashed: number): number {
  for (const q of c.followUps[f]!) if (!s.asked[q] && q !== clashed) return q;
  return clashed;
}

/**
 * The exact expected one-step reduction of weighted doubt of asking `q`: Σ over truth and outcome of
 * P(truth) P(outcome | truth) (doubt before − doubt after), per fact of the question, with a contradiction
 * recorded when the dialog's rules would record it on this answer.
 */
export function oneStepGain(c: Compiled, s: SimState, q: number): number {
  const r = s.ra / (s.ra + s.rb);
  const kb = c.qKind[q]! * 4;
  let gain = 0;
  for (const f of c.qFacts[q]!) {
    const imp = c.importance[f]!;
    if (imp === 0) continue;
    gain += imp * factStep(c, s.p[f]!, s.fu[f]!, s.rec[f] === 1, r, kb);
  }
  return gain;
}

/**
 * One fact's part of `oneStepGain` before its importance: Σ over outcomes of P(outcome) (doubt before − doubt after)
 * for a question of kind row `kb` (kind × 4) at reliability `r`. It depends on nothing else, so the search keeps it
 * per fact and kind while the fact is untouched. The same arithmetic, in the same order, as `expectedMove` with
 * no budget for a follow-up, so that both give the same bits.
 */
export function factStep(c: Compiled, p: number, fu: number, rec: boolean, r: number, kb: number): number {
  const before = settledDoubt(p, rec, fu !== FU_NONE);
  let value = 0;
  for (let o = 0; o < 4; o++) {
    const lt = r * c.lT[kb + o]! + (1 - r) * c.un[o]!;
    const lf = r * c.lF[kb + o]! + (1 - r) * c.un[o]!;
    const po = p * lt + (1 - p) * lf;
    const p1 = posteriorOf(p, OUTCOMES[o]!, lt, lf, 1, c.floor);
    const rec1 = rec || records(c, fu, false, o, p1);
    const opens = fu === FU_NONE && (o === CONTRADICTED || (o === DOUBTFUL && p1 < c.followUpBelow));
    const d1 = settledDoubt(p1, rec1, fu !== FU_NONE || opens);
    value += po * (before - d1);
  }
  return value;
}

/**
 * The exact expected reward of one move of the dialog: ask `q` and, when its answer puts the fact on follow-up
 * and the budget allows, the follow-up the dialog then owes — r₀ + γ·r₁ in expectation over the answers (the
 * follow-up's outcome drawn from the posterior predictive after the first). Per fact of the question, as if each
 * were the one followed up, and without the small effect of a control answer on reliability. `oneStep[0]`, when
 * given, receives the first question's part alone, which is `oneStepGain` (one pass instead of two).
 */
export function expectedMove(
  c: Compiled,
  s: SimState,
  q: number,
  budgetLeft: number,
  discount: number,
  oneStep?: Float64Array,
): number {
  const r = s.ra / (s.ra + s.rb);
  const kb = c.qKind[q]! * 4;
  let gain = 0;
  let first = 0;
  for (const f of c.qFacts[q]!) {
    const imp = c.importance[f]!;
    if (imp === 0) continue;
    const p = s.p[f]!;
    const fu = s.fu[f]!;
    const rec = s.rec[f] === 1;
    gain += imp * factMove(c, p, fu, rec, r, kb, followUpRow(c, s, f, q, budgetLeft), discount);
    if (oneStep) first += imp * factStep(c, p, fu, rec, r, kb);
  }
  if (oneStep) oneStep[0] = first;
  return gain;
}

/** The kind row (kind × 4) of the follow-up fact `f` would get after question `q`, or −1 with no budget for one. */
export const followUpRow = (c: Compiled, s: SimState, f: number, q: number, budgetLeft: number): number =>
  budgetLeft > 1 ? c.qKind[followUpQuestion(c, s, f, q)]! * 4 : -1;

/**
 * One fact's part of `expectedMove` before its importance, for a question of kind row `kb` whose follow-up, should
 * the answer put the fact on follow-up, has kind row `kb2` (−1: no follow-up): Σ over outcomes of P(outcome)
 * (doubt before − doubt after, plus the discounted expected reduction of the follow-up). It depends on nothing
 * else, so the search keeps it per fact while the fact is untouched.
 */
export function factMove(
  c: Compiled,
  p: number,
  fu: number,
  rec: boolean,
  r: number,
  kb: number,
  kb2: number,
  discount: number,
): number {
  const before = settledDoubt(p, rec, fu !== FU_NONE);
  let value = 0;
  for (let o = 0; o < 4; o++) {
    const lt = r * c.lT[kb + o]! + (1 - r) * c.un[o]!;
    const lf = r * c.lF[kb + o]! + (1 - r) * c.un[o]!;
    const po = p * lt + (1 - p) * lf;
    const p1 = posteriorOf(p, OUTCOMES[o]!, lt, lf, 1, c.floor);
    const rec1 = rec || records(c, fu, false, o, p1);
    const opens = fu === FU_NONE && (o === CONTRADICTED || (o === DOUBTFUL && p1 < c.followUpBelow));
    const d1 = settledDoubt(p1, rec1, fu !== FU_NONE || opens);
    let v = before - d1;
    if (opens && kb2 >= 0) {
      let d2 = 0;
      for (let o2 = 0; o2 < 4; o2++) {
        const lt2 = r * c.lT[kb2 + o2]! + (1 - r) * c.un[o2]!;
        const lf2 = r * c.lF[kb2 + o2]! + (1 - r) * c.un[o2]!;
        const p2 = posteriorOf(p1, OUTCOMES[o2]!, lt2, lf2, 1, c.floor);
        const rec2 = o2 === CONTRADICTED || p2 < c.contradictedBelow;
        d2 += (p1 * lt2 + (1 - p1) * lf2) * settledDoubt(p2, rec2, true);
      }
      v += discount * (d1 - d2);
    }
    value += po * v;
  }
  return value;
}
