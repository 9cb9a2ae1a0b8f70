import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeatureRow, ModelVersion } from '../../../src/scoring/model/index.js';
import { loadModelVersion } from '../../../src/scoring/model/index.js';
import { FEATURE_SCHEMA } from '../../../src/scoring/features.js';
import { DEFAULT_MODELS_DIR, DEMO_MODEL_DIR } from '../../../src/scoring/registry/index.js';

interface ReferenceVector {
  row: FeatureRow;
  features: (number | null)[];
  contributions: number[];
  bias: number;
  probability: number;
}

const dir = join(DEFAULT_MODELS_DIR, DEMO_MODEL_DIR);
const vectors = (
  JSON.parse(readFileSync(join(dir, 'shap_vectors.json'), 'utf8')) as { vectors: ReferenceVector[] }
).vectors;
let model: ModelVersion;

beforeAll(async () => {
  model = await loadModelVersion(dir, { featureSchema: FEATURE_SCHEMA });
});
afterAll(async () => model?.close());

// The demo champion is demo-v2, not the demo-v1 that test/scoring/model checks: the same cross-language checks.
describe('the shipped demo champion', () => {
  it('encodes rows, verification levels included, as the Python side did', () => {
    for (const v of vectors) {
      const x = Array.from(model.encode(v.row));
      expect(x.map((n) => (Number.isNaN(n) ? null : n))).toEqual(v.features);
    }
  });

  it("gives TreeSHAP contributions equal to XGBoost's pred_contribs within 1e-5", () => {
    for (const v of vectors) {
      const e = model.explain(v.row);
      e.contributions.forEach((c, i) => expect(Math.abs(c - v.contributions[i]!)).toBeLessThan(1e-5));
      expect(Math.abs(e.bias - v.bias)).toBeLessThan(1e-5);
    }
  });

  it("gives ONNX probabilities equal to XGBoost's within 1e-5", async () => {
    const p = await model.predict(vectors.map((v) => v.row));
    p.forEach((q, i) => expect(Math.abs(q - vectors[i]!.probability)).toBeLessThan(1e-5));
  });
});
