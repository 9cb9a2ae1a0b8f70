/**
 * The answer model: P(outcome | fact true or false, question kind) for a reliable respondent, and the outcome
 * distribution of an unreliable one (whose answers do not depend on the truth). Parameters are data, calibrated
 * from past interviews by `fitAnswerModel`.
 */
import type { QuestionKind } from '../../questions/types.js';
import { badRequest } from '../../platform/errors.js';
import type { DeviationModel, DeviationRecord } from './pooled.js';
import { DEFAULT_DEVIATION_MODEL, UNBANDED_DEVIATION_MODEL, fitDeviationModel } from './pooled.js';
import type { Outcome, Reliability } from './types.js';
import { OUTCOMES } from './types.js';

export type OutcomeDist = Record<Outcome, number>;

export interface AnswerModel {
  version: string;
  byKind: Record<QuestionKind, { ifTrue: OutcomeDist; ifFalse: OutcomeDist }>;
  unreliable: OutcomeDist;
  reliabilityPrior: Reliability;
  /** When present, numeric answers are judged pooled, by how far they are off (pooled.ts), not by bands. */
  deviation?: DeviationModel;
}

/**
 * Starting values before any calibration, with every answer judged alone against the tolerance bands. They encode
 * practice, not measurement: applicants who misstate a fact usually repeat the misstatement when asked directly (a
 * weak test), while indirect questions (what an insider knows without thinking) and control questions separate
 * true from false much better. The outcome table is also what the search plans with in every model.
 */
export const BANDS_ANSWER_MODEL: AnswerModel = {
  version: 'default-1',
  byKind: {
    direct: {
      ifTrue: { consistent: 0.8, doubtful: 0.08, contradicted: 0.04, none: 0.08 },
      ifFalse: { consistent: 0.45, doubtful: 0.2, contradicted: 0.25, none: 0.1 },
    },
    indirect: {
      ifTrue: { consistent: 0.7, doubtful: 0.14, contradicted: 0.06, none: 0.1 },
      ifFalse: { consistent: 0.2, doubtful: 0.25, contradicted: 0.45, none: 0.1 },
    },
    control: {
      ifTrue: { consistent: 0.85, doubtful: 0.07, contradicted: 0.03, none: 0.05 },
      ifFalse: { consistent: 0.15, doubtful: 0.2, contradicted: 0.6, none: 0.05 },
    },
  },
  unreliable: { consistent: 0.35, doubtful: 0.25, contradicted: 0.25, none: 0.15 },
  reliabilityPrior: { alpha: 8, beta: 2 },
};

/**
 * The default: numbers judged pooled over the routes of a fact against its tolerance band (pooled.ts,
 * `DEFAULT_DEVIATION_MODEL`); yes/no, choices and answers without a figure by the outcome table. On the simulator
 * benchmark it catches more fabricators than band judgement without flagging more honest applicants, and keeps
 * the policy's lead over the fixed order (bench/README.md, dialog-policy).
 */
export const DEFAULT_ANSWER_MODEL: AnswerModel = {
  ...BANDS_ANSWER_MODEL,
  version: 'default-2-banded',
  deviation: DEFAULT_DEVIATION_MODEL,
};

/**
 * The earlier pooled judgement, whose "as expected" and "not" are two spreads around the expectation that overlap
 * near it (`UNBANDED_DEVIATION_MODEL`); kept for comparison in the benchmark.
 */
export const POOLED_ANSWER_MODEL: AnswerModel = {
  ...BANDS_ANSWER_MODEL,
  version: 'default-1-pooled',
  deviation: UNBANDED_DEVIATION_MODEL,
};

/** One logged answer of a past interview, labelled afterwards with whether the fact turned out true. */
export interface AnswerLogRecord {
  questionKind: QuestionKind;
  factTrue: boolean;
  outcome: Outcome;
  /** The fact, to group the answers of one interview about it (for the deviation model). */
  factId?: string;
  /** ln(answer in the fact's unit / expectation) and the variance of that reading, for numeric answers. */
  logDeviation?: number;
  readingVariance?: number;
}

export interface PastInterview {
  /** Whether the respondent turned out reliable (e.g. no fraud found after the loan); unknown if absent. */
  respondentReliable?: boolean;
  records: AnswerLogRecord[];
}

export interface FitOptions {
  /** Pseudo-counts the prior model is worth per distribution (the Dirichlet/Beta prior's strength). */
  priorStrength?: number;
  prior?: AnswerModel;
  version?: string;
}

const normalise = (counts: OutcomeDist): OutcomeDist => {
  const total = OUTCOMES.reduce((s, o) => s + counts[o], 0);
  return {
    consistent: counts.consistent / total,
    doubtful: counts.doubtful / total,
    contradicted: counts.contradicted / total,
    none: counts.none / total,
  };
};

const scaled = (d: OutcomeDist, k: number): OutcomeDist => ({
  consistent: d.consistent * k,
  doubtful: d.doubtful * k,
  contradicted: d.contradicted * k,
  none: d.none * k,
});

/**
 * Calibrates the answer model from labelled past interviews: each distribution is the posterior mean of a
 * Dirichlet (for two outcomes, Beta) prior centred on the prior model with `priorStrength` pseudo-counts, updated
 * with the logged (question kind, truth, outcome) counts. Records of respondents known to be unreliable calibrate
 * the unreliable distribution instead. The reliability prior keeps its strength and moves its mean to the
 * posterior share of reliable respondents.
 */
export function fitAnswerModel(past: readonly PastInterview[], options: FitOptions = {}): AnswerModel {
  const prior = options.prior ?? DEFAULT_ANSWER_MODEL;
  const k = options.priorStrength ?? 20;
  if (!(k > 0)) throw badRequest('ANSWER_MODEL_PRIOR_INVALID', 'The prior strength must be positive', { k });
  const kinds: QuestionKind[] = ['direct', 'indirect', 'control'];
  const counts = Object.fromEntries(
    kinds.map((kind) => [
      kind,
      { ifTrue: scaled(prior.byKind[kind].ifTrue, k), ifFalse: scaled(prior.byKind[kind].ifFalse, k) },
    ]),
  ) as AnswerModel['byKind'];
  const unreliable = scaled(prior.unreliable, k);
  const priorMean =
    prior.reliabilityPrior.alpha / (prior.reliabilityPrior.alpha + prior.reliabilityPrior.beta);
  let reliable = priorMean * k;
  let unreliableCount = (1 - priorMean) * k;
  for (const interview of past) {
    if (interview.respondentReliable === false) {
      unreliableCount += 1;
      for (const r of interview.records) unreliable[r.outcome] += 1;
      continue;
    }
    if (interview.respondentReliable === true) reliable += 1;
    for (const r of interview.records) {
      const row = counts[r.questionKind];
      (r.factTrue ? row.ifTrue : row.ifFalse)[r.outcome] += 1;
    }
  }
  const strength = prior.reliabilityPrior.alpha + prior.reliabilityPrior.beta;
  const mean = reliable / (reliable + unreliableCount);
  // Answers of respondents known unreliable say nothing about how routes scatter around the truth.
  const deviationRecords: DeviationRecord[] = [];
  past.forEach((interview, i) => {
    if (interview.respondentReliable === false) return;
    for (const r of interview.records) {
      if (r.logDeviation === undefined || r.factId === undefined) continue;
      deviationRecords.push({
        group: `${i}:${r.factId}`,
        factId: r.factId,
        kind: r.questionKind,
        y: r.logDeviation,
        extra: r.readingVariance ?? 0,
        factTrue: r.factTrue,
      });
    }
  });
  const deviation =
    prior.deviation && deviationRecords.length > 0
      ? fitDeviationModel(deviationRecords, prior.deviation, k)
      : prior.deviation;
  return {
    version: options.version ?? `fitted-${past.length}`,
    byKind: Object.fromEntries(
      kinds.map((kind) => [
        kind,
        { ifTrue: normalise(counts[kind].ifTrue), ifFalse: normalise(counts[kind].ifFalse) },
      ]),
    ) as AnswerModel['byKind'],
    unreliable: normalise(unreliable),
    reliabilityPrior: { alpha: mean * strength, beta: (1 - mean) * strength },
    ...(deviation ? { deviation } : {}),
  };
}

export const reliabilityMean = (r: Reliability) => r.alpha / (r.alpha + r.beta);

/**
 * P(outcome | fact true) and P(outcome | fact false) for a respondent of reliability `r`: a mixture of the
 * reliable model and the truth-independent unreliable distribution, so an unreliable respondent's answers move
 * the belief less.
 */
export function outcomeLikelihoods(
  model: AnswerModel,
  kind: QuestionKind,
  outcome: Outcome,
  r: number,
): { ifTrue: number; ifFalse: number } {
  const row = model.byKind[kind];
  const u = model.unreliable[outcome];
  return { ifTrue: r * row.ifTrue[outcome] + (1 - r) * u, ifFalse: r * row.ifFalse[outcome] + (1 - r) * u };
}
