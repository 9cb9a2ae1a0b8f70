/**
 * Fits the answer model for the PRODUCTION fact catalogue from SIMULATED past interviews.
 *
 * The fitted model is a starting point, not a measurement of real applicants: until the bank has its own past
 * interviews labelled afterwards (was each fact as the officer recorded it?), it is calibrated on interviews that
 * the respondent simulator (src/dialog/sim) answers over question banks generated from the catalogue
 * (src/questions/catalogue/default.ts) for the sample case of every sector (src/questions/samples.ts). What it
 * fixes is that the model's fact-specific parts — the side of the tolerance band a misstated fact lies on, per fact
 * id — and the outcome table the search plans with are fitted for the catalogue's own fact ids (`loans.existing_total`,
 * `sales.monthly`…) rather than left at their starting values. Refit with
 * `npx tsx scripts/fit-answer-model.ts`, and, once labelled interviews exist, feed them to `fitAnswerModel` instead.
 *
 * Pure: no I/O and no clock; the same options give the same model. It imports the simulator and the policy, so it
 * is not re-exported from the belief module's index (which the policy itself imports): import this file directly.
 */
import { createHash } from 'node:crypto';
import { seededRng } from '../../platform/deps.js';
import { generateBank } from '../../questions/generate.js';
import { SAMPLE_CASES } from '../../questions/samples.js';
import type { CaseContext, Catalogue } from '../../questions/schemas.js';
import type { QuestionBank, Sector } from '../../questions/types.js';
import { SECTORS } from '../../questions/types.js';
import { randomChooser } from '../policy/baselines.js';
import { DEFAULT_BUDGET, DEFAULT_DOUBT_TARGET } from '../policy/decide.js';
import type { RespondentType } from '../sim/respondent.js';
import { RESPONDENT_TYPES, createRespondent, drawProfile, truthLabels } from '../sim/respondent.js';
import type { SimulatedInterview } from '../sim/run.js';
import { simulateInterview } from '../sim/run.js';
import type { AnswerLogRecord, AnswerModel, PastInterview } from './answer-model.js';
import { DEFAULT_ANSWER_MODEL, fitAnswerModel } from './answer-model.js';
import type { AnswerModelFile } from './load.js';
import { parseAnswerModelFile } from './load.js';
import { readingOfVerification } from './pooled.js';

/**
 * The log of one finished interview as the bank would keep it for calibration: every verified answer with its
 * question kind, outcome and numeric reading, labelled with whether the fact turned out as expected.
 */
export function pastInterviewOf(
  interview: SimulatedInterview,
  labels: Record<string, boolean>,
  prior: AnswerModel,
): PastInterview {
  const records: AnswerLogRecord[] = [];
  for (const t of interview.state.turns) {
    for (const v of t.verifications) {
      const truth = labels[v.factId];
      if (truth === undefined || v.outcome === 'unverifiable') continue;
      // Only answers judged pooled are readings of the deviation model (not a calendar year, nor a price asked about
      // the main product).
      const reading =
        prior.deviation && v.logLikelihoodRatio !== undefined
          ? readingOfVerification(v, prior.deviation)
          : undefined;
      records.push({
        questionKind: v.questionKind,
        factTrue: truth,
        outcome: v.outcome,
        factId: v.factId,
        ...(reading ? { logDeviation: reading.y, readingVariance: reading.extra } : {}),
      });
    }
  }
  return { records };
}

export interface CatalogueFitOptions {
  catalogue: Catalogue;
  /** One case per sector to generate banks from; the repository's sample cases by default. */
  cases?: Partial<Record<Sector, CaseContext>>;
  /** Simulated past interviews (sectors and respondent types in turn). */
  interviews?: number;
  seed?: number;
  prior?: AnswerModel;
  priorStrength?: number;
}

export interface CatalogueFit {
  model: AnswerModel;
  /** The fact ids of the banks the interviews ran on: the ids the model was fitted for. */
  factIds: string[];
  interviews: number;
  seed: number;
  catalogueVersion: string;
}

export const DEFAULT_CATALOGUE_FIT = { interviews: 1200, seed: 1 } as const;

/**
 * Simulates `interviews` past interviews over banks generated from the catalogue (a fresh generation seed per
 * interview, so paraphrases, decoys and order vary as between applicants) with questions in random order, so every
 * kind of question is logged, and fits the answer model on them with `fitAnswerModel`.
 */
export function fitCatalogueAnswerModel(options: CatalogueFitOptions): CatalogueFit {
  const interviews = options.interviews ?? DEFAULT_CATALOGUE_FIT.interviews;
  const seed = options.seed ?? DEFAULT_CATALOGUE_FIT.seed;
  const prior = options.prior ?? DEFAULT_ANSWER_MODEL;
  const cases = options.cases ?? SAMPLE_CASES;
  const sectors = SECTORS.filter((s) => cases[s] !== undefined);
  const factIds = new Set<string>();
  const past: PastInterview[] = [];
  // Random order logs every route; the model it plans with while logging does not matter to a random chooser.
  const loggingModel = fitAnswerModel([], { prior });
  for (let i = 0; i < interviews; i++) {
    const sector = sectors[i % sectors.length]!;
    const type: RespondentType = RESPONDENT_TYPES[Math.floor(i / sectors.length) % RESPONDENT_TYPES.length]!;
    const s = (seed * 1_000_003 + i * 7) >>> 0;
    const bank: QuestionBank = generateBank(cases[sector]!, options.catalogue, { seed: s });
    for (const f of bank.facts) factIds.add(f.id);
    const profile = drawProfile(bank, type, seededRng(s + 1));
    const result = simulateInterview(bank, createRespondent(profile, seededRng(s + 2)), {
      model: loggingModel,
      chooser: randomChooser,
      budget: DEFAULT_BUDGET,
      doubtTarget: DEFAULT_DOUBT_TARGET,
      rng: seededRng(s + 3),
    });
    past.push(pastInterviewOf(result, truthLabels(bank, profile), prior));
  }
  const model = fitAnswerModel(past, {
    prior,
    ...(options.priorStrength !== undefined ? { priorStrength: options.priorStrength } : {}),
    version: `catalogue-${options.catalogue.version}-sim-${interviews}-seed-${seed}`,
  });
  return {
    model,
    factIds: [...factIds].sort(),
    interviews,
    seed,
    catalogueVersion: options.catalogue.version,
  };
}

/**
 * The file the service loads (models/dialog/answer-model.json) for a fit: six significant digits, each outcome row
 * summing to 1 to the last digit kept, and a version that names the fit AND its content. The fit's own version
 * (catalogue, interviews, seed) stays the same when the code the interviews ran under changes (a dialog rule, how
 * the simulator bends a figure), yet the model does not; an interview records the version it ran with, and its
 * replay reports a changed model only when the versions differ — so the version ends in a digest of the rounded
 * model. `scripts/fit-answer-model.ts` writes it; a test checks that the committed file is what this code writes.
 */
export function answerModelFileOf(fit: CatalogueFit): AnswerModelFile {
  // Six significant digits keep the file small and readable; the judgement does not depend on the seventh.
  const rounded = JSON.parse(
    JSON.stringify(fit.model, (_k, v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(6)) : v)),
  ) as AnswerModelFile['model'];
  // Rounding four probabilities to six digits can leave a row's sum 1 ± 1.5e-6, beyond the loader's 1e-6: the
  // row's largest entry takes up the rest, so every row sums to 1 to the last digit kept.
  const rows = [...Object.values(rounded.byKind).flatMap((k) => [k.ifTrue, k.ifFalse]), rounded.unreliable];
  for (const row of rows) {
    const outcomes = Object.keys(row) as (keyof typeof row)[];
    const largest = outcomes.reduce((a, o) => (row[o] > row[a] ? o : a));
    const rest = outcomes.filter((o) => o !== largest).reduce((acc, o) => acc + row[o], 0);
    row[largest] = Number((1 - rest).toPrecision(6));
  }
  const { version, ...content } = rounded;
  const digest = createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 8);
  const file: AnswerModelFile = {
    format: 'weidai.answer-model/1',
    fittedOn: {
      source: 'simulated',
      catalogueVersion: fit.catalogueVersion,
      factIds: fit.factIds,
      interviews: fit.interviews,
      seed: fit.seed,
      note:
        'Fitted on SIMULATED past interviews (src/dialog/sim) over banks generated from the default catalogue for the ' +
        'sample cases: a starting point until the bank has its own labelled interviews. Refit: ' +
        'npx tsx scripts/fit-answer-model.ts',
    },
    model: { ...rounded, version: `${version}-${digest}` },
  };
  // The loader's own check is the test of the file.
  return parseAnswerModelFile(file);
}
