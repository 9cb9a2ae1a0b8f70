/**
 * Baseline choosers for the benchmark and as a fallback: the bank's fixed order, uniform random, and greedy
 * one-step expected doubt reduction (information gain).
 */
import { compile, oneStepGain } from './compiled.js';
import type { Alternative, ChoiceContext, ChoiceResult, Chooser, SearchOptions } from './types.js';

export const fixedOrderChooser: Chooser = {
  name: 'fixed',
  choose(ctx: ChoiceContext): ChoiceResult {
    const id = ctx.candidates[0]!;
    return { questionId: id, scores: {}, alternatives: [], why: 'next question in the bank’s order' };
  },
};

export const randomChooser: Chooser = {
  name: 'random',
  choose(ctx: ChoiceContext, options: SearchOptions): ChoiceResult {
    const i = Math.min(ctx.candidates.length - 1, Math.floor(options.rng.next() * ctx.candidates.length));
    return { questionId: ctx.candidates[i]!, scores: {}, alternatives: [], why: 'drawn at random' };
  },
};

export const greedyChooser: Chooser = {
  name: 'greedy',
  choose(ctx: ChoiceContext, options: SearchOptions): ChoiceResult {
    const { c, root } = compile(ctx.state, ctx.candidates, options.model, options.beliefConfig);
    const gains = ctx.candidates.map((_, q) => oneStepGain(c, root, q));
    // Stable: ties keep the bank's order.
    const order = gains.map((_, q) => q).sort((a, b) => gains[b]! - gains[a]! || a - b);
    const scores: Record<string, number> = {};
    ctx.candidates.forEach((id, q) => (scores[id] = gains[q]!));
    const alternatives: Alternative[] = order.slice(0, options.topK).map((q) => ({
      questionId: ctx.candidates[q]!,
      visits: 0,
      value: gains[q]!,
      oneStep: gains[q]!,
    }));
    const best = order[0]!;
    return {
      questionId: ctx.candidates[best]!,
      scores,
      alternatives,
      why: `largest expected one-step doubt reduction ${gains[best]!.toFixed(4)}`,
    };
  },
};
