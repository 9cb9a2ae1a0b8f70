/**
 * Loading one model version folder (models/expert/<version>/): card, XGBoost JSON and ONNX, checked against each
 * other (and against the service's feature schema when given) before anything is scored with them.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FeatureRow, FeatureSchema, ModelCard } from './card.js';
import {
  checkCardAgainstSchema,
  checkOnnxInputDim,
  checkTreeFeatureCount,
  contributionsByInput,
  encodeFeatures,
  parseModelCard,
} from './card.js';
import { modelCardInvalid, modelLoadFailed } from './errors.js';
import type { OnnxModel } from './onnx.js';
import { loadOnnxModel } from './onnx.js';
import type { ShapExplanation } from './treeshap.js';
import { treeShap } from './treeshap.js';
import type { TreeEnsemble } from './xgboost-json.js';
import { treeEnsembleFromJson } from './xgboost-json.js';

export interface ModelExplanation extends ShapExplanation {
  /** Contributions summed per raw input, in margin units. */
  readonly byInput: Record<string, number>;
  readonly featureNames: readonly string[];
}

export interface ModelVersion {
  readonly dir: string;
  readonly card: ModelCard;
  readonly ensemble: TreeEnsemble;
  readonly onnx: OnnxModel;
  encode(row: FeatureRow): Float32Array;
  /** Positive-class probabilities (ONNX) of the rows. */
  predict(rows: readonly FeatureRow[]): Promise<number[]>;
  /** Exact TreeSHAP of one row, from the XGBoost trees. */
  explain(row: FeatureRow): ModelExplanation;
  close(): Promise<void>;
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw modelLoadFailed(`Cannot read ${path}`, {
      path,
      cause: err instanceof Error ? err.message : String(err),
    });
  }
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw modelCardInvalid(`${path} is not valid JSON`, {
      path,
      cause: err instanceof Error ? err.message : String(err),
    });
  }
}

export interface LoadModelOptions {
  /** When given, the card must fit it (MODEL_FEATURES_MISMATCH otherwise). */
  readonly featureSchema?: FeatureSchema;
  readonly intraOpThreads?: number;
}

/** Loads and cross-checks a model version folder; the ONNX file must have the sha256 its card records. */
export async function loadModelVersion(dir: string, options: LoadModelOptions = {}): Promise<ModelVersion> {
  const cardPath = join(dir, 'card.json');
  const card = parseModelCard(parseJson(await readText(cardPath), cardPath));
  if (options.featureSchema) checkCardAgainstSchema(card, options.featureSchema);

  const xgbPath = join(dir, card.files.xgboost_json);
  const ensemble = treeEnsembleFromJson(parseJson(await readText(xgbPath), xgbPath));
  checkTreeFeatureCount(card, ensemble.numFeature);

  const onnxPath = join(dir, card.files.onnx);
  let onnxBytes: Buffer;
  try {
    onnxBytes = await readFile(onnxPath);
  } catch (err) {
    throw modelLoadFailed(`Cannot read ${onnxPath}`, {
      path: onnxPath,
      cause: err instanceof Error ? err.message : String(err),
    });
  }
  const sha256 = createHash('sha256').update(onnxBytes).digest('hex');
  if (sha256 !== card.onnx.sha256) {
    throw modelLoadFailed(`${onnxPath} is not the file its card describes`, {
      path: onnxPath,
      expected: card.onnx.sha256,
      actual: sha256,
    });
  }
  const onnx = await loadOnnxModel(onnxPath, {
    inputName: card.onnx.input,
    probabilitiesOutput: card.onnx.probabilities_output,
    ...(options.intraOpThreads === undefined ? {} : { intraOpThreads: options.intraOpThreads }),
  });
  try {
    checkOnnxInputDim(card, onnx.inputDim);
  } catch (err) {
    await onnx.close();
    throw err;
  }

  const featureNames = card.features.map((f) => f.name);
  return {
    dir,
    card,
    ensemble,
    onnx,
    encode: (row) => encodeFeatures(card, row),
    async predict(rows) {
      const width = card.features.length;
      const x = new Float32Array(rows.length * width);
      rows.forEach((row, i) => x.set(encodeFeatures(card, row), i * width));
      return Array.from(await onnx.predict(x, rows.length));
    },
    explain(row) {
      const shap = treeShap(ensemble, encodeFeatures(card, row));
      return { ...shap, byInput: contributionsByInput(card, shap.contributions), featureNames };
    },
    close: () => onnx.close(),
  };
}
