/**
 * Benchmark of the interview policy against baselines (fixed order, random, greedy one-step information gain)
 * over simulated interviews. Run:
 * `npx tsx bench/dialog-policy.ts [interviewsPerPolicy] [iterations] [judgement] [seedBase] [budget]`.
 * Judgements: `default` (the production model, `DEFAULT_ANSWER_MODEL`: numbers pooled over a fact's routes and
 * judged against its tolerance band, src/dialog/belief/pooled.ts), with the deviation model calibrated from the
 * past interviews like the outcome table; `default-prior`: the same with the deviation model's starting values;
 * `default-unfitted`: `DEFAULT_ANSWER_MODEL` as it is, outcome table included (what the service runs unless it is
 * given a fitted model); `default-no-pull`: the default without `followShrink` (a misstating applicant's
 * worked-out answers not read as pulled towards the claim, the default before it); `catalogue-fitted` / `catalogue-unfitted`: banks generated from the production catalogue
 * for the sample cases (src/questions), judged with the committed artifact models/dialog/answer-model.json
 * (scripts/fit-answer-model.ts) or with `DEFAULT_ANSWER_MODEL` unfitted;
 * `bands`: each answer judged alone against the tolerance bands; `pooled` / `pooled-prior`: the earlier pooled
 * judgement without the band (`POOLED_ANSWER_MODEL`), calibrated or not. `seedBase` (default 1) picks the
 * evaluated interviews; settings were chosen on `seedBase` 2000000, the figures are reported on 1.
 * Prints JSON. Not a test: the figures are reported, the targets checked and printed beside them.
 *
 * Every policy meets the same cases and respondents (common random numbers: interview i uses the same seeds
 * whichever policy runs it). The answer model is first calibrated with `fitAnswerModel` on separate simulated
 * past interviews labelled with the hidden truth, as the bank would label its past interviews afterwards.
 *
 * Doubt is the measure of src/dialog/belief/doubt.ts, in which a contradiction recorded after its follow-up is a
 * settled fact. `doubtRemovedPerQuestionOneSided` repeats the figure with the earlier measure, in which a fact
 * likelier wrong than right kept doubt 1 even once recorded, so that figures stay comparable with earlier runs.
 * Turn times are given as wall-clock (inflated when other work shares the machine) and as this process's CPU time;
 * decision times are those of the chooser alone (the search), CPU and wall-clock.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { AnswerModel, PastInterview } from '../src/dialog/belief/index.js';
import {
  BANDS_ANSWER_MODEL,
  DEFAULT_ANSWER_MODEL,
  POOLED_ANSWER_MODEL,
  doubtOf,
  fitAnswerModel,
} from '../src/dialog/belief/index.js';
import { pastInterviewOf } from '../src/dialog/belief/fit-catalogue.js';
import { loadAnswerModel } from '../src/dialog/belief/load.js';
import type { Chooser } from '../src/dialog/policy/index.js';
import {
  DEFAULT_BUDGET,
  DEFAULT_DOUBT_TARGET,
  DEFAULT_SEARCH,
  fixedOrderChooser,
  greedyChooser,
  mctsChooser,
  randomChooser,
} from '../src/dialog/policy/index.js';
import type { RespondentType, SimulatedInterview } from '../src/dialog/sim/index.js';
import { RESPONDENT_TYPES, truthLabels } from '../src/dialog/sim/index.js';
import { benchCases, runBenchCase, type BenchCase } from './dialog-cases.js';

const perPolicy = Number(process.argv[2] ?? 600);
const iterations = Number(process.argv[3] ?? DEFAULT_SEARCH.iterations);
const judgement = process.argv[4] ?? 'default';
const seedBase = Number(process.argv[5] ?? 1);
const PRIORS: Record<string, AnswerModel> = {
  default: DEFAULT_ANSWER_MODEL,
  'default-prior': DEFAULT_ANSWER_MODEL,
  'default-unfitted': DEFAULT_ANSWER_MODEL,
  bands: BANDS_ANSWER_MODEL,
  pooled: POOLED_ANSWER_MODEL,
  'pooled-prior': POOLED_ANSWER_MODEL,
  'default-no-pull': {
    ...DEFAULT_ANSWER_MODEL,
    deviation: { ...DEFAULT_ANSWER_MODEL.deviation!, followShrink: 1 },
  },
  'catalogue-fitted': DEFAULT_ANSWER_MODEL,
  'catalogue-unfitted': DEFAULT_ANSWER_MODEL,
};
/** catalogue-*: banks generated from the production catalogue for the sample cases, as the service builds them. */
const onCatalogue = judgement.startsWith('catalogue-');
const chosenPrior = PRIORS[judgement];
if (!chosenPrior) throw new Error(`unknown judgement ${judgement}`);
const prior: AnswerModel = chosenPrior;
/** argv[6]: the question budget (the default's, 12, unless given). */
const budget = Number(process.argv[6] ?? DEFAULT_BUDGET);
const doubtTarget = DEFAULT_DOUBT_TARGET;

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Per-decision CPU and wall times of the chooser alone (the search), for the timed policy. */
const decisionCpuMs: number[] = [];
const decisionMs: number[] = [];

/** Wraps a chooser so that each free choice (the search, not the dialog's rules around it) is timed. */
function timedChooser(inner: Chooser): Chooser {
  return {
    name: inner.name,
    choose(ctx, options) {
      const c0 = cpuMs();
      const t0 = performance.now();
      const r = inner.choose(ctx, options);
      decisionMs.push(performance.now() - t0);
      decisionCpuMs.push(cpuMs() - c0);
      return r;
    },
  };
}

function run(c: BenchCase, chooser: Chooser, model: AnswerModel, timed: boolean) {
  return runBenchCase(c, onCatalogue, {
    model,
    chooser: timed ? timedChooser(chooser) : chooser,
    budget,
    doubtTarget,
    iterations,
    timer: timed ? () => performance.now() : undefined,
    cpuTimer: timed ? cpuMs : undefined,
  });
}

/** Past interviews for calibration: random order, so that every kind of question is logged. */
function pastInterviews(n: number): PastInterview[] {
  const out: PastInterview[] = [];
  for (const c of benchCases(n, 1_000_000)) {
    const { bank, profile, result } = run(c, randomChooser, fitAnswerModel([], { prior }), false);
    out.push(pastInterviewOf(result, truthLabels(bank, profile), prior));
  }
  return out;
}

const quantile = (xs: number[], q: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const r4 = (x: number) => Math.round(x * 10000) / 10000;

interface Outcome {
  c: BenchCase;
  r: SimulatedInterview;
  /** Every fact of the hidden profile is within the bank's tolerance: a flag would be false. */
  clean: boolean;
}

function summarise(results: Outcome[]) {
  const perQ = (rs: typeof results) =>
    mean(rs.filter((x) => x.r.questions > 0).map((x) => (x.r.doubtStart - x.r.doubtEnd) / x.r.questions));
  const pooled = (rs: typeof results) =>
    rs.reduce((a, x) => a + x.r.doubtStart - x.r.doubtEnd, 0) /
    Math.max(
      1,
      rs.reduce((a, x) => a + x.r.questions, 0),
    );
  const oneSidedEnd = (x: Outcome) =>
    Object.values(x.r.state.belief.facts).reduce((a, f) => a + f.importance * doubtOf(f.p), 0);
  const perQOneSided = (rs: typeof results) =>
    mean(rs.filter((x) => x.r.questions > 0).map((x) => (x.r.doubtStart - oneSidedEnd(x)) / x.r.questions));
  const byType = (t: RespondentType) => results.filter((x) => x.c.type === t);
  const reach = (rs: typeof results) => {
    const steps = rs.map((x) => x.r.shareTrace.findIndex((s) => s <= doubtTarget)).filter((i) => i >= 0);
    return {
      reachedShare: r4(steps.length / Math.max(1, rs.length)),
      meanQuestions: r4(mean(steps)),
      p50: quantile(steps, 0.5),
    };
  };
  const rate = (rs: typeof results) => r4(mean(rs.map((x) => (x.r.flagged ? 1 : 0))));
  const flagRate = (t: RespondentType) => rate(byType(t));
  const fabricators = byType('fabricating');
  const stops: Record<string, number> = {};
  for (const x of results) stops[x.r.stop ?? 'none'] = (stops[x.r.stop ?? 'none'] ?? 0) + 1;
  return {
    interviews: results.length,
    doubtRemovedPerQuestion: r4(perQ(results)),
    doubtRemovedPerQuestionPooled: r4(pooled(results)),
    doubtRemovedPerQuestionOneSided: r4(perQOneSided(results)),
    doubtRemovedPerQuestionByType: Object.fromEntries(RESPONDENT_TYPES.map((t) => [t, r4(perQ(byType(t)))])),
    meanQuestions: r4(mean(results.map((x) => x.r.questions))),
    toConfidenceTarget: { target: doubtTarget, all: reach(results), honest: reach(byType('honest')) },
    fabricatorDetectionRate: flagRate('fabricating'),
    fabricatorDetectionRateWhenNotLeft: rate(fabricators.filter((x) => x.r.stop !== 'applicant_left')),
    /**
     * Fabricators with a fact beyond the bank's tolerance (the mirror of `honestFalseFlagRate`'s clean honest): a
     * claim within the tolerance of the truth (sales inflated by under ~43% against a 30% band) is "as expected" by
     * the bank's own definition, and no judgement can flag it without flagging honest figures as far off.
     */
    fabricatorDetectionRateWhenOff: rate(fabricators.filter((x) => !x.clean)),
    fabricatorsWithoutAnOffFact: fabricators.filter((x) => x.clean).length,
    /** Honest respondents whose every fact is as the bank expects: any flag is a false alarm. */
    honestFalseFlagRate: rate(byType('honest').filter((x) => x.clean)),
    honestWithAnOffFact: byType('honest').filter((x) => !x.clean).length,
    flaggedRate: Object.fromEntries(RESPONDENT_TYPES.map((t) => [t, flagRate(t)])),
    stops,
  };
}

const t0 = performance.now();
const past = pastInterviews(300);
const fitted = fitAnswerModel(past, { version: 'bench-fitted', prior });
// *-prior: the outcome table is fitted as always (the search plans with it); the deviation model is not.
// default-unfitted: nothing is fitted, as the service runs today with DEFAULT_ANSWER_MODEL itself.
// catalogue-fitted: the committed artifact (scripts/fit-answer-model.ts), which the service is to load.
const model =
  judgement === 'catalogue-fitted'
    ? loadAnswerModel(JSON.parse(readFileSync('models/dialog/answer-model.json', 'utf8')))
    : judgement === 'default-unfitted' || judgement === 'catalogue-unfitted'
      ? prior
      : judgement.endsWith('-prior')
        ? { ...fitted, deviation: prior.deviation }
        : fitted;
const evalCases = benchCases(perPolicy, seedBase);
const policies: Chooser[] = [fixedOrderChooser, randomChooser, greedyChooser, mctsChooser];
const report: Record<
  string,
  ReturnType<typeof summarise> & {
    turnMs?: { p50: number; p99: number; max: number };
    turnCpuMs?: { p50: number; p99: number; max: number };
    decisionMs?: { p50: number; p99: number; max: number };
    decisionCpuMs?: { p50: number; p99: number; max: number };
  }
> = {};
/** Per policy, each interview's doubt removed per question (NaN without a question), in the cases' order. */
const perInterview: Record<string, number[]> = {};
for (const p of policies) {
  const results = evalCases.map((c): Outcome => {
    const { bank, profile, result } = run(c, p, model, p === mctsChooser);
    return { c, r: result, clean: Object.values(truthLabels(bank, profile)).every(Boolean) };
  });
  perInterview[p.name] = results.map((x) =>
    x.r.questions > 0 ? (x.r.doubtStart - x.r.doubtEnd) / x.r.questions : NaN,
  );
  const summary = summarise(results);
  if (p === mctsChooser) {
    const spread = (ms: number[]) => ({
      p50: r4(quantile(ms, 0.5)),
      p99: r4(quantile(ms, 0.99)),
      max: r4(Math.max(...ms)),
    });
    report[p.name] = {
      ...summary,
      turnMs: spread(results.flatMap((x) => x.r.turnMs)),
      turnCpuMs: spread(results.flatMap((x) => x.r.turnCpuMs)),
      decisionMs: spread(decisionMs),
      decisionCpuMs: spread(decisionCpuMs),
    };
  } else report[p.name] = summary;
}
const m = report.mcts!;
const fixed = report.fixed!;
const greedy = report.greedy!;

/**
 * MCTS against greedy interview by interview (the same cases and seeds: common random numbers): the mean of the
 * differences of doubt removed per question, relative to greedy's mean, and its standard error — so that "no less
 * than greedy" can be told from noise.
 */
function pairedVsGreedy() {
  const a = perInterview.mcts!;
  const b = perInterview.greedy!;
  const d: number[] = [];
  let base = 0;
  a.forEach((x, i) => {
    const y = b[i]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    d.push(x - y);
    base += y;
  });
  const n = Math.max(1, d.length);
  const mu = d.reduce((s, x) => s + x, 0) / n;
  const v = d.reduce((s, x) => s + (x - mu) ** 2, 0) / Math.max(1, n - 1);
  base /= n;
  return {
    relativeDiff: r4(mu / base),
    relativeSe: r4(Math.sqrt(v / n) / base),
    interviewsThatDiffer: d.filter((x) => x !== 0).length,
  };
}
const paired = pairedVsGreedy();
const out = {
  setup: {
    interviewsPerPolicy: perPolicy,
    judgement,
    seedBase,
    budget,
    doubtTarget,
    search: { ...DEFAULT_SEARCH, iterations },
    answerModel: model,
    pastInterviewsForCalibration: past.length,
  },
  policies: report,
  targets: {
    turnP50le5ms: (m.turnMs?.p50 ?? Infinity) <= 5,
    turnP99le25ms: (m.turnMs?.p99 ?? Infinity) <= 25,
    turnCpuP50le5ms: (m.turnCpuMs?.p50 ?? Infinity) <= 5,
    turnCpuP99le25ms: (m.turnCpuMs?.p99 ?? Infinity) <= 25,
    mctsVsFixedGain: r4(m.doubtRemovedPerQuestion / fixed.doubtRemovedPerQuestion - 1),
    mctsAtLeast25PctOverFixed: m.doubtRemovedPerQuestion >= 1.25 * fixed.doubtRemovedPerQuestion,
    mctsVsGreedyGain: r4(m.doubtRemovedPerQuestion / greedy.doubtRemovedPerQuestion - 1),
    mctsNoLessThanGreedy: m.doubtRemovedPerQuestion >= greedy.doubtRemovedPerQuestion,
    /** Interview by interview: MCTS − greedy over greedy, with its standard error (within 2 SE of 0: noise). */
    mctsVsGreedyPaired: paired,
    /** The paired difference is not below 0 by more than two of its standard errors. */
    mctsNoLessThanGreedyBeyondNoise: paired.relativeDiff >= -2 * paired.relativeSe,
    detectsAtLeast90PctFabricators: m.fabricatorDetectionRate >= 0.9,
    flagsAtMost5PctHonest: m.honestFalseFlagRate <= 0.05,
  },
  seconds: r4((performance.now() - t0) / 1000),
};
console.log(JSON.stringify(out, null, 2));
