/**
 * The search's caches (per-fact values kept across nodes and turns of an episode, nodes expanded on return, flat
 * arrays) must not change a single decision: a recorded interview is replayed from its seed and must ask the same
 * questions with the same recorded reasons. `plainSearch` below is the search as first written, without any of
 * them; the search must give the same result, bit for bit, on interviews over banks of the production catalogue.
 */
import { describe, expect, it } from 'vitest';
import type { Rng } from '../../../src/platform/deps.js';
import { seededRng } from '../../../src/platform/deps.js';
import { DEFAULT_ANSWER_MODEL, doubtOf } from '../../../src/dialog/belief/index.js';
import type { ObservedAnswer } from '../../../src/dialog/belief/index.js';
import type { Compiled, SimState } from '../../../src/dialog/policy/compiled.js';
import {
  applySim,
  cloneSim,
  compile,
  copyInto,
  expectedMove,
  followUpQuestion,
  oneStepGain,
  sampleOutcome,
  simDoubt,
} from '../../../src/dialog/policy/compiled.js';
import type { InterviewState, SearchOptions } from '../../../src/dialog/policy/index.js';
import {
  DEFAULT_DOUBT_TARGET,
  DEFAULT_SEARCH,
  applyAnswer,
  candidatesOf,
  decideNext,
  findQuestion,
  search,
  startInterview,
} from '../../../src/dialog/policy/index.js';
import { DEFAULT_FALLBACK_Z } from '../../../src/dialog/policy/mcts.js';
import { DEFAULT_CATALOGUE } from '../../../src/questions/catalogue/default.js';
import { generateBank } from '../../../src/questions/generate.js';
import { SAMPLE_CASES } from '../../../src/questions/samples.js';
import type { BankQuestion } from '../../../src/questions/types.js';
import { SECTORS } from '../../../src/questions/types.js';

const model = DEFAULT_ANSWER_MODEL;
const BRANCHES = 20;
const PRIOR_FLOOR = 1e-3;

interface PlainNode {
  visits: number;
  actions: Int32Array;
  prior: Float64Array;
  immediate: Float64Array;
  n: Float64Array;
  w: Float64Array;
  w2: Float64Array;
  children: (PlainNode | undefined)[];
}

function plainNode(c: Compiled, s: SimState): PlainNode {
  const actions: number[] = [];
  const gains: number[] = [];
  let total = 0;
  for (let q = 0; q < s.asked.length; q++) {
    if (s.asked[q]) continue;
    const g = Math.max(0, oneStepGain(c, s, q)) + PRIOR_FLOOR;
    actions.push(q);
    gains.push(g);
    total += g;
  }
  const count = actions.length;
  return {
    visits: 0,
    actions: Int32Array.from(actions),
    prior: Float64Array.from(gains, (g) => g / total),
    immediate: new Float64Array(count).fill(NaN),
    n: new Float64Array(count),
    w: new Float64Array(count),
    w2: new Float64Array(count),
    children: new Array<PlainNode | undefined>(count * BRANCHES),
  };
}

function plainSelect(node: PlainNode, exploration: number): number {
  const sqrtN = Math.sqrt(node.visits + 1);
  let best = 0;
  let bestScore = -Infinity;
  for (let i = 0; i < node.actions.length; i++) {
    const n = node.n[i]!;
    const q = n > 0 ? node.w[i]! / n : 0;
    const score = q + (exploration * node.prior[i]! * sqrtN) / (1 + n);
    if (score > bestScore) {
      bestScore = score;
      best = i;
    }
  }
  return best;
}

function plainDefault(c: Compiled, s: SimState, powers: Float64Array): number {
  let best = -1;
  let bestScore = -Infinity;
  for (let q = 0; q < s.asked.length; q++) {
    if (s.asked[q]) continue;
    let score = 0;
    for (const f of c.qFacts[q]!) score += c.importance[f]! * (s.rec[f] ? 0 : doubtOf(s.p[f]!));
    score *= powers[c.qKind[q]!]!;
    if (score > bestScore) {
      bestScore = score;
      best = q;
    }
  }
  return best;
}

function plainStep(
  c: Compiled,
  s: SimState,
  q: number,
  rng: Rng,
  ep: { rewards: number[]; doubt: number },
  left: number,
) {
  const o = sampleOutcome(c, s, q, rng.next(), rng.next());
  const pending = applySim(c, s, q, o);
  let d = simDoubt(c, s);
  ep.rewards.push(ep.doubt - d);
  ep.doubt = d;
  if (pending < 0 || left <= 1) return o;
  const fq = followUpQuestion(c, s, pending, q);
  const o2 = sampleOutcome(c, s, fq, rng.next(), rng.next());
  applySim(c, s, fq, o2, pending);
  d = simDoubt(c, s);
  ep.rewards.push(ep.doubt - d);
  ep.doubt = d;
  return 4 + o * 4 + o2;
}

/** The search without caches: every prior, playout score and doubt computed afresh, every node expanded at once. */
function plainSearch(
  c: Compiled,
  root: SimState,
  rng: Rng,
  options: SearchOptions,
  remaining: number,
  stop: number,
) {
  const horizon = Math.max(1, Math.min(options.horizon, remaining));
  const d0 = simDoubt(c, root);
  const norm = d0 > 0 ? d0 : 1;
  const powers = new Float64Array(3);
  for (let k = 0; k < 3; k++) {
    let tv = 0;
    for (let o = 0; o < 4; o++) tv += Math.abs(c.lT[k * 4 + o]! - c.lF[k * 4 + o]!);
    powers[k] = tv / 2;
  }
  const s = cloneSim(root);
  const tree = plainNode(c, root);
  const ep = { rewards: [] as number[], doubt: d0 };
  const over = () => ep.rewards.length >= horizon || ep.doubt <= stop;
  for (let it = 0; it < options.iterations; it++) {
    copyInto(s, root);
    ep.rewards.length = 0;
    ep.doubt = d0;
    const path: { node: PlainNode; slot: number; start: number; end: number }[] = [];
    let node: PlainNode | undefined = tree;
    while (node && !over() && node.actions.length > 0) {
      const slot = plainSelect(node, options.exploration);
      if (Number.isNaN(node.immediate[slot]!)) {
        node.immediate[slot] =
          expectedMove(c, s, node.actions[slot]!, remaining - ep.rewards.length, options.discount) / norm;
      }
      const start = ep.rewards.length;
      const key: number = slot * BRANCHES + plainStep(c, s, node.actions[slot]!, rng, ep, remaining - start);
      path.push({ node, slot, start, end: ep.rewards.length });
      const child: PlainNode | undefined = node.children[key];
      if (!child && !over()) {
        node.children[key] = plainNode(c, s);
        break;
      }
      node = child;
    }
    while (!over()) {
      const q = plainDefault(c, s, powers);
      if (q < 0) break;
      plainStep(c, s, q, rng, ep, remaining - ep.rewards.length);
    }
    const returns: number[] = [];
    let g = 0;
    for (let t = ep.rewards.length - 1; t >= 0; t--) returns[t] = g = ep.rewards[t]! + options.discount * g;
    for (const { node: n, slot, start, end } of path) {
      n.visits++;
      n.n[slot]! += 1;
      let sampled = 0;
      for (let k = end - 1; k >= start; k--) sampled = ep.rewards[k]! + options.discount * sampled;
      const value = n.immediate[slot]! + (returns[start]! - sampled) / norm;
      n.w[slot]! += value;
      n.w2[slot]! += value * value;
    }
  }
  const mean = (i: number) => (tree.n[i]! > 0 ? tree.w[i]! / tree.n[i]! : -Infinity);
  const byVisits = Array.from(tree.actions.keys()).sort(
    (a, b) =>
      tree.n[b]! - tree.n[a]! ||
      (mean(b) !== mean(a) ? mean(b) - mean(a) : tree.actions[a]! - tree.actions[b]!),
  );
  const gains = Array.from(tree.actions, (q) => oneStepGain(c, root, q));
  let greedy = 0;
  gains.forEach((x, i) => {
    if (x > gains[greedy]! || (x === gains[greedy]! && tree.actions[i]! < tree.actions[greedy]!)) greedy = i;
  });
  const searched = byVisits[0]!;
  const variance = (i: number) => {
    const m = tree.w[i]! / tree.n[i]!;
    return Math.max(0, tree.w2[i]! / tree.n[i]! - m * m) * (tree.n[i]! / (tree.n[i]! - 1));
  };
  const z = options.fallbackZ ?? DEFAULT_FALLBACK_Z;
  const atBudgetEnd = options.greedyAtBudgetEnd !== false && remaining <= options.horizon;
  const keep =
    !atBudgetEnd &&
    (searched === greedy ||
      (tree.n[searched]! >= 2 &&
        tree.n[greedy]! >= 2 &&
        mean(searched) - mean(greedy) >
          z * Math.sqrt(variance(searched) / tree.n[searched]! + variance(greedy) / tree.n[greedy]!)));
  const chosen = keep ? searched : greedy;
  const scores: Record<string, number> = {};
  const alternatives = [];
  for (const slot of [chosen, ...byVisits.filter((x) => x !== chosen)]) {
    const n = tree.n[slot]!;
    const value = n > 0 ? (tree.w[slot]! / n) * norm : 0;
    const id = c.questionIds[tree.actions[slot]!]!;
    scores[id] = value;
    if (alternatives.length < options.topK)
      alternatives.push({ questionId: id, visits: n, value, oneStep: gains[slot]! });
  }
  return {
    best: tree.actions[chosen]!,
    alternatives,
    scores,
    fellBack: !keep && greedy !== searched,
    atBudgetEnd,
  };
}

/** The expected answer, or one far off it (so that facts clash, are followed up and recorded), as `rng` draws. */
function answerTo(q: BankQuestion, rng: Rng): ObservedAnswer {
  const e = q.expected;
  const off = rng.next() < 0.35;
  if (e.kind === 'number') return { kind: 'number', value: off ? e.value * 2.5 : e.value, approx: false };
  if (e.kind === 'range')
    return { kind: 'number', value: off ? e.high * 3 : (e.low + e.high) / 2, approx: false };
  if (e.kind === 'boolean') return { kind: 'boolean', value: off ? !e.value : e.value };
  if (e.kind === 'choice') return { kind: 'choice', value: off ? 'something else' : e.value };
  return { kind: 'none', intent: 'dont_know' };
}

/** The states at which an interview over a catalogue bank makes a free choice. */
function choiceStates(sector: (typeof SECTORS)[number], seed: number): InterviewState[] {
  const bank = generateBank(SAMPLE_CASES[sector], DEFAULT_CATALOGUE, { seed });
  const rng = seededRng(seed * 3 + 1);
  let state = startInterview(bank, model);
  const out: InterviewState[] = [];
  for (let turn = 0; turn < 12; turn++) {
    const d = decideNext(state, { rng: seededRng(seed + turn), model, budget: 12, iterations: 20 });
    if (!d.chosen) break;
    if (d.reasons.rule === 'search') out.push(state);
    state = applyAnswer(state, d.chosen, answerTo(findQuestion(bank, d.chosen.questionId), rng), model);
  }
  return out;
}

describe('the search with its caches', () => {
  const settings: Partial<SearchOptions>[] = [
    {},
    { iterations: 250, horizon: 4 },
    { iterations: 40, horizon: 2 },
  ];
  it('decides as the search without caches, bit for bit, on catalogue banks', () => {
    let compared = 0;
    SECTORS.forEach((sector, i) => {
      for (const state of choiceStates(sector, 100 + i)) {
        const candidates = candidatesOf(state);
        const remaining = 12 - state.turns.length;
        for (const [k, extra] of settings.entries()) {
          const options: SearchOptions = { ...DEFAULT_SEARCH, ...extra, rng: seededRng(0), model };
          const { c, root } = compile(state, candidates, model);
          let total = 0;
          for (const x of c.importance) total += x;
          const stop = DEFAULT_DOUBT_TARGET * total;
          const seed = 7 * compared + k;
          const fast = search(c, root, seededRng(seed), options, remaining, stop);
          const plain = plainSearch(c, root, seededRng(seed), options, remaining, stop);
          expect(JSON.stringify(fast)).toBe(JSON.stringify(plain));
          compared++;
        }
      }
    });
    expect(compared).toBeGreaterThan(60);
  });
});
