/**
 * The model card (models/expert/<version>/card.json, written by models/training) and the checks that tie it to
 * the service's feature schema, the ONNX input and the XGBoost trees. The card also fixes how raw inputs become
 * the float32 vector the model reads, so encodeFeatures reproduces the training encoding exactly.
 */
import { z } from 'zod';
import { modelCardInvalid, modelFeaturesMismatch, modelInputInvalid } from './errors.js';

const InputSchema = z.discriminatedUnion('kind', [
  z.object({ name: z.string().min(1), kind: z.literal('numeric'), origin: z.string() }),
  z.object({
    name: z.string().min(1),
    kind: z.literal('categorical'),
    origin: z.string(),
    categories: z.array(z.string()).min(1),
  }),
]);

const FeatureSchemaEntry = z.object({
  index: z.number().int().nonnegative(),
  name: z.string().min(1),
  source: z.string().min(1),
  origin: z.string(),
  encoding: z.enum(['numeric', 'one_hot']),
  category: z.string().optional(),
});

const ReliabilityBinSchema = z.object({
  lower: z.number(),
  upper: z.number(),
  count: z.number().int(),
  mean_predicted: z.number().nullable(),
  observed_rate: z.number().nullable(),
});

export const ModelCardSchema = z.object({
  card_version: z.literal(1),
  model_version: z.string().min(1),
  created_at: z.iso.datetime(),
  task: z.object({
    objective: z.literal('binary:logistic'),
    target: z.string(),
    positive: z.string(),
    output: z.string(),
  }),
  inputs: z.array(InputSchema).min(1),
  features: z.array(FeatureSchemaEntry).min(1),
  missing_values: z.string(),
  files: z.object({ onnx: z.string(), xgboost_json: z.string(), shap_vectors: z.string() }),
  onnx: z.object({
    input: z.string(),
    input_dim: z.number().int().positive(),
    probabilities_output: z.string(),
    opset: z.number().int(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    max_abs_diff_vs_xgboost: z.number(),
  }),
  training_data: z
    .object({ file: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/), rows: z.number().int() })
    .loose(),
  parameters: z.record(z.string(), z.unknown()),
  metrics: z.object({
    cross_validation: z
      .object({
        folds: z.number().int(),
        auc: z.number(),
        ks: z.number(),
        brier: z.number(),
        reliability: z.array(ReliabilityBinSchema),
      })
      .loose(),
  }),
  software: z.record(z.string(), z.string()),
});
export type ModelCard = z.infer<typeof ModelCardSchema>;
export type CardInput = ModelCard['inputs'][number];

/** What the service can supply: one entry per raw input column. */
export interface FeatureSchemaField {
  readonly name: string;
  readonly kind: 'numeric' | 'categorical';
  /** Allowed levels; when given, every level the card encodes must be among them. */
  readonly categories?: readonly string[];
}
export type FeatureSchema = readonly FeatureSchemaField[];

/** One applicant's raw inputs; null or absent means missing. */
export type FeatureRow = Readonly<Record<string, number | string | boolean | null | undefined>>;

/**
 * Parses card.json and checks that it agrees with itself: features indexed 0..n−1 in order, each derived from a
 * declared input, one-hot features listing exactly the input's categories in order, and input_dim = n.
 */
export function parseModelCard(json: unknown): ModelCard {
  const parsed = ModelCardSchema.safeParse(json);
  if (!parsed.success) {
    throw modelCardInvalid('card.json does not match the model card schema', {
      issues: parsed.error.issues.slice(0, 10).map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  const card = parsed.data;
  const problems: string[] = [];
  card.features.forEach((f, i) => {
    if (f.index !== i) problems.push(`feature ${f.name} has index ${f.index}, expected ${i}`);
  });
  const inputNames = new Set<string>();
  let position = 0;
  for (const input of card.inputs) {
    if (inputNames.has(input.name)) problems.push(`input ${input.name} is declared twice`);
    inputNames.add(input.name);
    const expected =
      input.kind === 'numeric'
        ? [{ name: input.name, encoding: 'numeric', category: undefined as string | undefined }]
        : input.categories.map((c) => ({ name: `${input.name}=${c}`, encoding: 'one_hot', category: c }));
    for (const want of expected) {
      const got = card.features[position];
      if (
        !got ||
        got.source !== input.name ||
        got.name !== want.name ||
        got.encoding !== want.encoding ||
        got.category !== want.category
      ) {
        problems.push(
          `feature ${position} should be ${want.name} (${want.encoding}) from input ${input.name}`,
        );
      }
      position += 1;
    }
  }
  if (position !== card.features.length) {
    problems.push(`the inputs describe ${position} features but the card lists ${card.features.length}`);
  }
  if (card.onnx.input_dim !== card.features.length) {
    problems.push(
      `onnx.input_dim is ${card.onnx.input_dim} but the card lists ${card.features.length} features`,
    );
  }
  if (problems.length > 0) throw modelCardInvalid('card.json contradicts itself', { problems });
  return card;
}

/**
 * Refuses a card that needs an input the feature schema lacks, with another kind, or with a category the
 * schema does not allow. The schema may offer more fields than the model uses.
 */
export function checkCardAgainstSchema(card: ModelCard, schema: FeatureSchema): void {
  const byName = new Map(schema.map((f) => [f.name, f]));
  const problems: { input: string; problem: string }[] = [];
  for (const input of card.inputs) {
    const field = byName.get(input.name);
    if (!field) {
      problems.push({ input: input.name, problem: 'not in the feature schema' });
      continue;
    }
    if (field.kind !== input.kind) {
      problems.push({ input: input.name, problem: `the card says ${input.kind}, the schema ${field.kind}` });
      continue;
    }
    if (input.kind === 'categorical' && field.categories) {
      const allowed = new Set(field.categories);
      const unknown = input.categories.filter((c) => !allowed.has(c));
      if (unknown.length > 0)
        problems.push({ input: input.name, problem: `unknown categories: ${unknown.join(', ')}` });
    }
  }
  if (problems.length > 0) {
    throw modelFeaturesMismatch(`Model ${card.model_version} does not fit the feature schema`, { problems });
  }
}

/** Refuses an ONNX model whose input width differs from the card's feature count. */
export function checkOnnxInputDim(card: ModelCard, onnxInputDim: number | undefined): void {
  if (onnxInputDim !== card.features.length) {
    throw modelFeaturesMismatch(
      `The ONNX model takes ${String(onnxInputDim)} features but card ${card.model_version} lists ${card.features.length}`,
      { onnxInputDim, cardFeatures: card.features.length },
    );
  }
}

/** Refuses XGBoost trees built for another number of features than the card lists. */
export function checkTreeFeatureCount(card: ModelCard, numFeature: number): void {
  if (numFeature !== card.features.length) {
    throw modelFeaturesMismatch(
      `The XGBoost model has ${numFeature} features but card ${card.model_version} lists ${card.features.length}`,
      { numFeature, cardFeatures: card.features.length },
    );
  }
}

function numericValue(input: string, value: FeatureRow[string]): number {
  if (value === null || value === undefined) return Number.NaN;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return Math.fround(value);
  throw modelInputInvalid(`Input ${input} must be a number`, { input, value });
}

function categoryValue(value: FeatureRow[string]): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' && Number.isNaN(value)) return null;
  return String(value);
}

/**
 * The float32 vector of one row, by the card's recorded encoding: numeric → float32 (missing → NaN);
 * one-hot → 1 for the matching category, else 0 (missing or unseen → all 0). Unknown keys are ignored.
 */
export function encodeFeatures(card: ModelCard, row: FeatureRow): Float32Array {
  const out = new Float32Array(card.features.length);
  card.features.forEach((f, i) => {
    const value = row[f.source];
    out[i] =
      f.encoding === 'numeric' ? numericValue(f.source, value) : categoryValue(value) === f.category ? 1 : 0;
  });
  return out;
}

/** Sums SHAP contributions per raw input (one-hot levels together), which SHAP's additivity allows. */
export function contributionsByInput(
  card: ModelCard,
  contributions: readonly number[],
): Record<string, number> {
  const out: Record<string, number> = {};
  card.features.forEach((f, i) => {
    out[f.source] = (out[f.source] ?? 0) + (contributions[i] ?? 0);
  });
  return out;
}
