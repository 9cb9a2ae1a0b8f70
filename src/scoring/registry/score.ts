/**
 * Scoring cases with a loaded model version and a scorecard: the model's probability (ONNX), its grade, the
 * top TreeSHAP factors in plain language, and the scorecard's points and grade. No database: the service and
 * the benchmark both call these.
 */
import type { FeatureRow, ModelVersion } from '../model/index.js';
import type { Grade } from '../pricing/index.js';
import type { Scorecard, ScorecardResult } from '../scorecard/index.js';
import { scoreScorecard } from '../scorecard/index.js';
import type { ModelFactor, ModelGradeBands } from './explain.js';
import { DEFAULT_MODEL_GRADE_BANDS, modelGrade, topFactors } from './explain.js';

export interface CaseScore {
  modelVersion: string;
  probability: number;
  grade: Grade;
  /** Log-odds: bias + Σ contributions. */
  margin: number;
  bias: number;
  topFactors: ModelFactor[];
  scorecard: ScorecardResult;
}

export interface ScoreOptions {
  bands?: ModelGradeBands;
  top?: number;
}

function assemble(
  model: ModelVersion,
  scorecard: Scorecard,
  row: FeatureRow,
  probability: number,
  options: ScoreOptions,
): CaseScore {
  const shap = model.explain(row);
  return {
    modelVersion: model.card.model_version,
    probability,
    grade: modelGrade(probability, options.bands ?? DEFAULT_MODEL_GRADE_BANDS),
    margin: shap.margin,
    bias: shap.bias,
    topFactors: topFactors(shap.byInput, row, options.top ?? 5),
    scorecard: scoreScorecard(scorecard, row),
  };
}

/** One case: scorecard + model + TreeSHAP. */
export async function scoreCase(
  model: ModelVersion,
  scorecard: Scorecard,
  row: FeatureRow,
  options: ScoreOptions = {},
): Promise<CaseScore> {
  const [probability] = await model.predict([row]);
  return assemble(model, scorecard, row, probability!, options);
}

/** A case of a batch: without TreeSHAP reasons when the batch was scored with `reasons: false`. */
export type BatchScore = Omit<CaseScore, 'topFactors' | 'bias' | 'margin'> &
  Partial<Pick<CaseScore, 'topFactors' | 'bias' | 'margin'>>;

/**
 * Many cases: one ONNX call for all rows, then the scorecard and (unless `reasons` is false) TreeSHAP per row.
 * TreeSHAP costs about ten times the rest, so re-scoring a portfolio can leave reasons for the cases opened.
 */
export async function scoreBatch(
  model: ModelVersion,
  scorecard: Scorecard,
  rows: readonly FeatureRow[],
  options: ScoreOptions & { reasons?: boolean } = {},
): Promise<BatchScore[]> {
  const probabilities = await model.predict(rows);
  if (options.reasons === false) {
    const bands = options.bands ?? DEFAULT_MODEL_GRADE_BANDS;
    return rows.map((row, i) => ({
      modelVersion: model.card.model_version,
      probability: probabilities[i]!,
      grade: modelGrade(probabilities[i]!, bands),
      scorecard: scoreScorecard(scorecard, row),
    }));
  }
  return rows.map((row, i) => assemble(model, scorecard, row, probabilities[i]!, options));
}
