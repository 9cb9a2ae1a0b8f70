/**
 * Monte Carlo tree search over question choices. Pure: (context, options) → choice; its only chance is the
 * seeded `rng` it is given, so the same state and seed give the same choice and the same reasons.
 *
 * Decision nodes choose a question by PUCT (Silver et al. 2017, "Mastering the game of Go without human
 * knowledge": Q + c·P·√N / (1 + n)), with the prior P proportional to the exact one-step expected doubt
 * reduction; chance nodes sample the answer's outcome from the answer model given the belief (truth drawn from
 * p, outcome from P(outcome | truth, kind, reliability)). The simulation plays the dialog's own rules: an answer
 * that puts a fact on follow-up is followed at once by the follow-up question `followUpFor` would put (one more
 * question of the budget, its outcome part of the same chance node), which records the contradiction or clears
 * it, and the interview ends once doubt is at the target. Below the tree a cheap default policy plays out to the
 * horizon. The return is the discounted reduction of importance-weighted doubt, normalised by the root's doubt;
 * each node's own move enters with its exact expectation (`expectedMove`) in place of the sampled reward, a
 * control variate that keeps the mean and removes the noise of the first answer from the comparison of actions.
 * The chosen question is the most visited (the "robust child", Browne et al. 2012, "A Survey of MCTS Methods").
 */
import type { Rng } from '../../platform/deps.js';
import { doubtOf, settledDoubt } from '../belief/doubt.js';
import type { Compiled, SimState } from './compiled.js';
import {
  FU_NONE,
  applySim,
  cloneSim,
  compile,
  factMove,
  copyInto,
  factStep,
  followUpQuestion,
  followUpRow,
  sampleOutcome,
} from './compiled.js';
import type { Alternative, ChoiceContext, ChoiceResult, Chooser, SearchOptions } from './types.js';

/** Chance outcomes per action: 4 answers alone, or 4 × 4 answer and follow-up pairs. */
const BRANCHES = 20;

/**
 * The search tree in flat arrays, one allocation per field instead of six typed arrays per node: node `k`'s actions
 * are slots `off[k]` to `off[k] + count[k]` of `actions`, `prior`, `immediate` (the exact expected reward of each
 * action's move, `expectedMove`, in units of the root's doubt; NaN until first tried), `n`, `w` and `w2` (the sum of
 * squared sampled values, for the standard error of a mean). Child decision nodes are found by
 * (slot index × BRANCHES + chance branch) in `children`, since most slots never get one.
 */
interface Tree {
  off: number[];
  count: number[];
  visits: number[];
  actions: Int32Array;
  prior: Float64Array;
  immediate: Float64Array;
  n: Float64Array;
  w: Float64Array;
  w2: Float64Array;
  /** Slots in use. */
  used: number;
  children: Map<number, number>;
  /** The root's exact one-step gain per slot, before the prior's floor: the greedy move and the reasons. */
  rootGain: Float64Array;
}

function createTree(capacity: number, rootCount: number): Tree {
  const t: Tree = {
    off: [],
    count: [],
    visits: [],
    actions: new Int32Array(0),
    prior: new Float64Array(0),
    immediate: new Float64Array(0),
    n: new Float64Array(0),
    w: new Float64Array(0),
    w2: new Float64Array(0),
    used: 0,
    children: new Map(),
    rootGain: new Float64Array(rootCount),
  };
  carve(t, capacity);
  return t;
}

/** Gives the tree's slot arrays `size` slots, keeping those in use, as views of one buffer (one allocation). */
function carve(t: Tree, size: number): void {
  const buffer = new ArrayBuffer(size * 44);
  const f64 = (k: number, old: Float64Array) => {
    const a = new Float64Array(buffer, k * size * 8, size);
    a.set(old.subarray(0, t.used));
    return a;
  };
  t.prior = f64(0, t.prior);
  t.immediate = f64(1, t.immediate);
  t.n = f64(2, t.n);
  t.w = f64(3, t.w);
  t.w2 = f64(4, t.w2);
  const actions = new Int32Array(buffer, 5 * size * 8, size);
  actions.set(t.actions.subarray(0, t.used));
  t.actions = actions;
}

function grow(t: Tree, need: number): void {
  carve(t, Math.max(need, t.actions.length * 2));
}

const PRIOR_FLOOR = 1e-3;

/**
 * Each fact's `factStep` per question kind, kept for the whole search: a fact's value changes only when a question
 * about it is answered or reliability moves, so most of a new node's priors are the values of facts still as at the
 * root, at the root's reliability or one of the few others a path reaches (`byR`). A fact moved on the node's path
 * is computed once per node (`scratch`, valid where `stamp` is the node's `gen`).
 */
interface StepMemo {
  byR: Map<number, AtReliability>;
  scratch: Float64Array;
  stamp: Int32Array;
  gen: number;
}

/** At one reliability: `factStep` per fact × kind, and `oneStepGain` per question, of facts as at the root (NaN: not yet). */
interface AtReliability {
  fact: Float64Array;
  gain: Float64Array;
  /** `factMove` per fact × kind × follow-up kind (3: no follow-up), of facts as at the root; made on first use. */
  move?: Float64Array;
}

function atReliability(memo: StepMemo, r: number, questions: number): AtReliability {
  let at = memo.byR.get(r);
  if (!at) {
    at = {
      fact: new Float64Array(memo.scratch.length).fill(NaN),
      gain: new Float64Array(questions).fill(NaN),
    };
    memo.byR.set(r, at);
  }
  return at;
}

/**
 * `expectedMove` of question `q` (without `oneStep`) from the memo's per-fact values: a fact no answer of the
 * episode moved is as at the root, its follow-up question's kind included (asking about a fact moves it). The same
 * sum in the same order, so the same bits.
 */
function memoMove(
  c: Compiled,
  s: SimState,
  q: number,
  budgetLeft: number,
  discount: number,
  memo: StepMemo,
  ft: FactTerms,
): number {
  const r = s.ra / (s.ra + s.rb);
  const at = atReliability(memo, r, s.asked.length);
  const move = (at.move ??= new Float64Array(memo.scratch.length * 4).fill(NaN));
  const kind = c.qKind[q]!;
  const facts = c.qFacts[q]!;
  let gain = 0;
  for (let j = 0; j < facts.length; j++) {
    const f = facts[j]!;
    const imp = c.importance[f]!;
    if (imp === 0) continue;
    const kb2 = followUpRow(c, s, f, q, budgetLeft);
    let v: number;
    if (ft.moved[f] !== ft.stamp) {
      const m = (f * 3 + kind) * 4 + (kb2 < 0 ? 3 : kb2 >> 2);
      v = move[m]!;
      if (Number.isNaN(v))
        v = move[m] = factMove(c, s.p[f]!, s.fu[f]!, s.rec[f] === 1, r, kind * 4, kb2, discount);
    } else v = factMove(c, s.p[f]!, s.fu[f]!, s.rec[f] === 1, r, kind * 4, kb2, discount);
    gain += imp * v;
  }
  return gain;
}

function createMemo(c: Compiled): StepMemo {
  const size = c.importance.length * 3;
  return { byR: new Map(), scratch: new Float64Array(size), stamp: new Int32Array(size), gen: 0 };
}

/** `oneStepGain` of question `q` from the memo's values (`factStep` of each fact, the same sum in the same order). */
function memoGain(
  c: Compiled,
  s: SimState,
  q: number,
  r: number,
  memo: StepMemo,
  at: AtReliability,
  moved: Int32Array,
  now: number,
): number {
  const kind = c.qKind[q]!;
  const facts = c.qFacts[q]!;
  let gain = 0;
  for (let j = 0; j < facts.length; j++) {
    const f = facts[j]!;
    const imp = c.importance[f]!;
    if (imp === 0) continue;
    const m = f * 3 + kind;
    let v: number;
    if (moved[f] !== now) {
      v = at.fact[m]!;
      if (Number.isNaN(v)) v = at.fact[m] = factStep(c, s.p[f]!, s.fu[f]!, s.rec[f] === 1, r, kind * 4);
    } else if (memo.stamp[m] === memo.gen) v = memo.scratch[m]!;
    else {
      v = memo.scratch[m] = factStep(c, s.p[f]!, s.fu[f]!, s.rec[f] === 1, r, kind * 4);
      memo.stamp[m] = memo.gen;
    }
    gain += imp * v;
  }
  return gain;
}

/**
 * A new decision node, its actions still unknown (count −1): it is expanded (`expand`) when an episode first comes
 * back to it, in the very state it was made in, since the state after a path of actions and chance branches is the
 * same whatever the random numbers. Most nodes are never come back to within a small iteration budget.
 */
function addNode(t: Tree): number {
  t.off.push(0);
  t.count.push(-1);
  t.visits.push(0);
  return t.off.length - 1;
}

/**
 * Node `k`'s actions for state `s`. Its prior needs every action's one-step gain at once (`oneStepGain`, made
 * here of the memo's per-fact values, with the same arithmetic), but the costlier two-step expectation of a move
 * (`expectedMove`, with its follow-up) only for the actions the search tries, so that is filled in on the first
 * visit: most actions of a deep node are never tried within a small iteration budget.
 */
function expand(
  t: Tree,
  k: number,
  c: Compiled,
  s: SimState,
  memo: StepMemo,
  ft: FactTerms,
  gains?: Float64Array,
): void {
  let count = 0;
  for (let q = 0; q < s.asked.length; q++) if (!s.asked[q]) count++;
  const off = t.used;
  if (off + count > t.actions.length) grow(t, off + count);
  t.off[k] = off;
  t.count[k] = count;
  t.used = off + count;
  const r = s.ra / (s.ra + s.rb);
  const at = atReliability(memo, r, s.asked.length);
  memo.gen++;
  const { moved, stamp: now } = ft;
  const { actions, prior, immediate, n, w, w2 } = t;
  let i = off;
  let total = 0;
  for (let q = 0; q < s.asked.length; q++) {
    if (s.asked[q]) continue;
    actions[i] = q;
    let gain: number;
    if (ft.qMoved[q] === now) gain = memoGain(c, s, q, r, memo, at, moved, now);
    else {
      gain = at.gain[q]!;
      if (Number.isNaN(gain)) gain = at.gain[q] = memoGain(c, s, q, r, memo, at, moved, now);
    }
    if (gains) gains[i - off] = gain;
    const g = Math.max(0, gain) + PRIOR_FLOOR;
    prior[i] = g;
    total += g;
    immediate[i] = NaN;
    n[i] = 0;
    w[i] = 0;
    w2[i] = 0;
    i++;
  }
  for (let j = off; j < off + count; j++) prior[j]! /= total;
}

/** The slot (index within the node) that PUCT chooses. */
function select(t: Tree, node: number, exploration: number): number {
  const off = t.off[node]!;
  const count = t.count[node]!;
  const sqrtN = Math.sqrt(t.visits[node]! + 1);
  let best = 0;
  let bestScore = -Infinity;
  for (let i = 0; i < count; i++) {
    const n = t.n[off + i]!;
    const q = n > 0 ? t.w[off + i]! / n : 0;
    const score = q + (exploration * t.prior[off + i]! * sqrtN) / (1 + n);
    if (score > bestScore) {
      bestScore = score;
      best = i;
    }
  }
  return best;
}

/**
 * Per fact, its importance-weighted doubt (`term`, whose sum is `simDoubt`) and its weighted doubt as the default
 * policy scores it (`open`), kept up to date as answers come in so that a step recomputes only the facts it moved.
 */
interface FactTerms {
  term: Float64Array;
  open: Float64Array;
  /** Per fact, the last episode (`stamp`) in which an answer moved it: facts not moved are as at the root. */
  moved: Int32Array;
  /** Per question, the last episode in which an answer moved one of its facts. */
  qMoved: Int32Array;
  stamp: number;
}

function refreshTerms(c: Compiled, s: SimState, q: number, ft: FactTerms): void {
  const facts = c.qFacts[q]!;
  for (let j = 0; j < facts.length; j++) {
    const f = facts[j]!;
    ft.term[f] = c.importance[f]! * settledDoubt(s.p[f]!, s.rec[f] === 1, s.fu[f] !== FU_NONE);
    ft.open[f] = c.importance[f]! * (s.rec[f] ? 0 : doubtOf(s.p[f]!));
    ft.moved[f] = ft.stamp;
    const about = c.followUps[f]!;
    for (let k = 0; k < about.length; k++) ft.qMoved[about[k]!] = ft.stamp;
  }
}

/** The default policy's score of question `q` (its facts' weighted open doubt × its kind's power). */
function playScore(c: Compiled, q: number, open: Float64Array, kindPower: Float64Array): number {
  const facts = c.qFacts[q]!;
  let score = 0;
  for (let j = 0; j < facts.length; j++) score += open[facts[j]!]!;
  return score * kindPower[c.qKind[q]!]!;
}

function sumTerms(term: Float64Array): number {
  let d = 0;
  for (let i = 0; i < term.length; i++) d += term[i]!;
  return d;
}

/**
 * The default policy below the tree: the unasked question with the most weighted doubt × kind power, first in the
 * bank's order on a tie. `rootScore`: each question's score at the root, still its score while no answer of the
 * episode moved its facts.
 */
function defaultAction(
  c: Compiled,
  s: SimState,
  ft: FactTerms,
  kindPower: Float64Array,
  rootScore: Float64Array,
): number {
  let best = -1;
  let bestScore = -Infinity;
  for (let q = 0; q < s.asked.length; q++) {
    if (s.asked[q]) continue;
    const score = ft.qMoved[q] === ft.stamp ? playScore(c, q, ft.open, kindPower) : rootScore[q]!;
    if (score > bestScore) {
      bestScore = score;
      best = q;
    }
  }
  return best;
}

/** How strongly a kind's outcomes separate true from false: the total variation distance of the two rows. */
function kindPowers(c: Compiled): Float64Array {
  const out = new Float64Array(3);
  for (let k = 0; k < 3; k++) {
    let tv = 0;
    for (let o = 0; o < 4; o++) tv += Math.abs(c.lT[k * 4 + o]! - c.lF[k * 4 + o]!);
    out[k] = tv / 2;
  }
  return out;
}

/** One simulated episode's per-question rewards and the doubt after the last question. */
interface Episode {
  rewards: Float64Array;
  /** Rewards so far: questions asked in the episode. */
  count: number;
  doubt: number;
}

/**
 * One move of the simulated dialog: ask `q`; if its answer puts a fact on follow-up and the budget allows, put
 * the follow-up at once, as `decideNext` does. Appends one reward per question; returns the chance branch.
 */
function step(
  c: Compiled,
  s: SimState,
  ft: FactTerms,
  q: number,
  rng: Rng,
  ep: Episode,
  budgetLeft: number,
): number {
  const o = sampleOutcome(c, s, q, rng.next(), rng.next());
  const pending = applySim(c, s, q, o);
  refreshTerms(c, s, q, ft);
  let d = sumTerms(ft.term);
  ep.rewards[ep.count++] = ep.doubt - d;
  ep.doubt = d;
  if (pending < 0 || budgetLeft <= 1) return o;
  const fq = followUpQuestion(c, s, pending, q);
  const o2 = sampleOutcome(c, s, fq, rng.next(), rng.next());
  applySim(c, s, fq, o2, pending);
  refreshTerms(c, s, fq, ft);
  d = sumTerms(ft.term);
  ep.rewards[ep.count++] = ep.doubt - d;
  ep.doubt = d;
  return 4 + o * 4 + o2;
}

export interface SearchResult {
  /** Index into the candidates. */
  best: number;
  alternatives: Alternative[];
  scores: Record<string, number>;
  /** The search's favourite was not clearly better than the best one-step move, which was taken instead. */
  fellBack: boolean;
  /**
   * The look-ahead reached the end of the budget (no more questions left than the horizon), where the one-step move
   * is taken (`SearchOptions.greedyAtBudgetEnd`). There the doubt measure's knee (doubt.ts: full doubt up to p ½, or
   * 0.8 once disputed) makes two answers on one fact worth more than the sum of each, and the planner's outcome
   * table, which knows only a question's kind, promises the answers that carry a fact past the knee more often than
   * the bank's answers give them: a plan whose second step fails has no question left to recover with. On the
   * production catalogue's banks (2400 interviews, MCTS against greedy interview by interview) the overrides with two
   * questions left lost 0.09% of doubt removed per question of the search's whole 0.15% shortfall on the tuning
   * interviews, those with two or three left 0.18% of 0.22% on seed base 1; earlier overrides were about even
   * (bench/README.md, dialog-policy).
   */
  atBudgetEnd: boolean;
}

/**
 * `remaining`: questions left in the budget; `stopDoubt`: the weighted doubt at which the interview ends
 * (0: it does not end early).
 */
export function search(
  c: Compiled,
  root: SimState,
  rng: Rng,
  options: SearchOptions,
  remaining: number,
  stopDoubt = 0,
): SearchResult {
  const horizon = Math.max(1, Math.min(options.horizon, remaining));
  const facts = root.p.length;
  const rootTerms = { term: new Float64Array(facts), open: new Float64Array(facts) };
  for (let f = 0; f < facts; f++) {
    rootTerms.term[f] =
      c.importance[f]! * settledDoubt(root.p[f]!, root.rec[f] === 1, root.fu[f] !== FU_NONE);
    rootTerms.open[f] = c.importance[f]! * (root.rec[f] ? 0 : doubtOf(root.p[f]!));
  }
  const d0 = sumTerms(rootTerms.term);
  const norm = d0 > 0 ? d0 : 1;
  const powers = kindPowers(c);
  const s = cloneSim(root);
  const ft: FactTerms = {
    term: new Float64Array(facts),
    open: new Float64Array(facts),
    moved: new Int32Array(facts).fill(-1),
    qMoved: new Int32Array(c.questionIds.length).fill(-1),
    stamp: -2,
  };
  const rootScore = new Float64Array(c.questionIds.length);
  for (let q = 0; q < rootScore.length; q++) rootScore[q] = playScore(c, q, rootTerms.open, powers);
  // A path has at most `horizon` moves, and an episode `horizon` + 1 questions (a follow-up may pass the horizon).
  const room = Math.ceil(horizon);
  const pathNodes = new Int32Array(room);
  const pathSlots = new Int32Array(room);
  /** Index of the reward of the question each path node chose. */
  const pathStarts = new Int32Array(room);
  /** Index after the last reward of each path node's move. */
  const movedEnds = new Int32Array(room);
  let depth = 0;
  const ep: Episode = { rewards: new Float64Array(room + 1), count: 0, doubt: d0 };
  const candidates = c.questionIds.length;
  // At most a node per iteration, each with at most the root's actions, but fewer than half are ever expanded.
  const t = createTree(candidates * (Math.min(options.iterations >> 1, 512) + 1), candidates);
  const memo = createMemo(c);
  expand(t, addNode(t), c, root, memo, ft, t.rootGain);
  const returns = new Float64Array(room + 1);
  const over = () => ep.count >= horizon || ep.doubt <= stopDoubt;
  for (let it = 0; it < options.iterations; it++) {
    copyInto(s, root);
    ft.term.set(rootTerms.term);
    ft.open.set(rootTerms.open);
    ft.stamp = it;
    depth = 0;
    ep.count = 0;
    ep.doubt = d0;
    let node = 0;
    while (node >= 0 && !over()) {
      if (t.count[node]! < 0) expand(t, node, c, s, memo, ft);
      if (t.count[node] === 0) break;
      const slot = select(t, node, options.exploration);
      const at = t.off[node]! + slot;
      const q = t.actions[at]!;
      if (Number.isNaN(t.immediate[at]!)) {
        t.immediate[at] = memoMove(c, s, q, remaining - ep.count, options.discount, memo, ft) / norm;
      }
      pathNodes[depth] = node;
      pathSlots[depth] = slot;
      pathStarts[depth] = ep.count;
      const key = at * BRANCHES + step(c, s, ft, q, rng, ep, remaining - ep.count);
      movedEnds[depth++] = ep.count;
      const child = t.children.get(key);
      if (child === undefined && !over()) {
        t.children.set(key, addNode(t));
        break; // expand one node per iteration, then play out
      }
      node = child ?? -1;
    }
    while (!over()) {
      const q = defaultAction(c, s, ft, powers, rootScore);
      if (q < 0) break;
      step(c, s, ft, q, rng, ep, remaining - ep.count);
    }
    let g = 0;
    for (let k = ep.count - 1; k >= 0; k--) {
      g = ep.rewards[k]! + options.discount * g;
      returns[k] = g;
    }
    for (let i = 0; i < depth; i++) {
      const node = pathNodes[i]!;
      const at = t.off[node]! + pathSlots[i]!;
      t.visits[node]!++;
      t.n[at]! += 1;
      // The move's sampled reward is replaced by its exact expectation (a control variate: the same mean, less
      // noise); the sampled continuation after it stays.
      const start = pathStarts[i]!;
      const end = movedEnds[i]!;
      let sampled = 0;
      for (let k = end - 1; k >= start; k--) sampled = ep.rewards[k]! + options.discount * sampled;
      const value = t.immediate[at]! + (returns[start]! - sampled) / norm;
      t.w[at]! += value;
      t.w2[at]! += value * value;
    }
  }
  // The root's slots are the first of the flat arrays.
  const rootCount = t.count[0]!;
  const slots: number[] = [];
  for (let i = 0; i < rootCount; i++) slots.push(i);
  const byVisits = slots.sort((a, b) => {
    const dn = t.n[b]! - t.n[a]!;
    if (dn !== 0) return dn;
    const va = t.n[a]! > 0 ? t.w[a]! / t.n[a]! : -Infinity;
    const vb = t.n[b]! > 0 ? t.w[b]! / t.n[b]! : -Infinity;
    if (vb !== va) return vb - va;
    return t.actions[a]! - t.actions[b]!;
  });
  const searched = byVisits[0]!;
  const greedy = bestOneStep(t);
  // The look-ahead overrides the one-step move only while it ends before the budget does (see `atBudgetEnd`).
  const atBudgetEnd = options.greedyAtBudgetEnd !== false && remaining <= options.horizon;
  const keepSearched =
    !atBudgetEnd && clearlyBetter(t, searched, greedy, options.fallbackZ ?? DEFAULT_FALLBACK_Z);
  const chosenSlot = keepSearched ? searched : greedy;
  const order = [chosenSlot, ...byVisits.filter((x) => x !== chosenSlot)];
  const scores = manyKeyRecord();
  const alternatives: Alternative[] = [];
  for (const slot of order) {
    const q = t.actions[slot]!;
    const n = t.n[slot]!;
    const value = n > 0 ? (t.w[slot]! / n) * norm : 0;
    const id = c.questionIds[q]!;
    scores[id] = value;
    if (alternatives.length < options.topK) {
      alternatives.push({ questionId: id, visits: n, value, oneStep: t.rootGain[slot]! });
    }
  }
  return {
    best: t.actions[chosenSlot]!,
    alternatives,
    scores,
    fellBack: !keepSearched && greedy !== searched,
    atBudgetEnd,
  };
}

/**
 * An empty record for many keys added in an order that changes from call to call, as the scores by visits. V8 gives a
 * plain object a new hidden class for each key added in a new order (about 17 µs for the 50 question ids of a
 * catalogue bank); an object that has had a property deleted keeps its keys in a hash table instead (about 7 µs).
 * To any reader it is the same object: the same prototype, the keys in the order they were added.
 */
function manyKeyRecord(): Record<string, number> {
  const r: Record<string, number> = { a: 0, b: 0 };
  delete r.a;
  delete r.b;
  return r;
}

/**
 * Standard errors by which the searched move must beat the one-step best before the search overrides it. At 3 the
 * search overrides the one-step move in about a tenth of the interviews instead of a third (at 2), with the same
 * mean gain over greedy on the tuning interviews and half the spread (bench/README.md, dialog-policy): an override
 * is a claim of the planning model, whose outcome table only approximates the pooled judgement, so it is made only
 * when the search is sure of it.
 */
export const DEFAULT_FALLBACK_Z = 3;

/** The root slot of the largest exact one-step gain, ties to the bank's order: the greedy baseline's move. */
function bestOneStep(t: Tree): number {
  let best = 0;
  let bestGain = -Infinity;
  for (let i = 0; i < t.count[0]!; i++) {
    const g = t.rootGain[i]!;
    if (g > bestGain || (g === bestGain && t.actions[i]! < t.actions[best]!)) {
      bestGain = g;
      best = i;
    }
  }
  return best;
}

/**
 * Whether the search's mean value of slot `a` exceeds that of slot `b` by more than `z` standard errors of the
 * difference (Welch's form, the two means treated as independent). With fewer than two samples of either there is
 * no error to measure, so no claim of being better.
 */
function clearlyBetter(t: Tree, a: number, b: number, z: number): boolean {
  if (a === b) return true;
  const na = t.n[a]!;
  const nb = t.n[b]!;
  if (na < 2 || nb < 2) return false;
  const ma = t.w[a]! / na;
  const mb = t.w[b]! / nb;
  const va = Math.max(0, t.w2[a]! / na - ma * ma) * (na / (na - 1));
  const vb = Math.max(0, t.w2[b]! / nb - mb * mb) * (nb / (nb - 1));
  return ma - mb > z * Math.sqrt(va / na + vb / nb);
}

export const mctsChooser: Chooser = {
  name: 'mcts',
  choose(ctx: ChoiceContext, options: SearchOptions): ChoiceResult {
    const { c, root } = compile(ctx.state, ctx.candidates, options.model, options.beliefConfig);
    let total = 0;
    for (const x of c.importance) total += x;
    const r = search(c, root, options.rng, options, ctx.remaining, (ctx.doubtTarget ?? 0) * total);
    const top = r.alternatives[0];
    return {
      questionId: c.questionIds[r.best]!,
      scores: r.scores,
      alternatives: r.alternatives,
      why: !top
        ? 'no candidate'
        : r.fellBack && r.atBudgetEnd
          ? `largest one-step doubt reduction ${top.oneStep.toFixed(4)}: the look-ahead reaches the end of the ` +
            `budget (${ctx.remaining} questions left), where the one-step move is taken`
          : r.fellBack
            ? `largest one-step doubt reduction ${top.oneStep.toFixed(4)}: the look-ahead of ${options.iterations} ` +
              `searches found no move better by more than its noise`
            : `most visited of ${options.iterations} searches over ${Math.min(options.horizon, ctx.remaining)} questions ahead: ` +
              `expected doubt reduction ${top.value.toFixed(4)}`,
    };
  },
};
