import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FeatureSchema, ModelCard } from '../../../src/scoring/model/card.js';
import {
  checkCardAgainstSchema,
  checkOnnxInputDim,
  contributionsByInput,
  encodeFeatures,
  parseModelCard,
} from '../../../src/scoring/model/card.js';
import { loadModelVersion } from '../../../src/scoring/model/load.js';
import { DEMO_DIR, readDemoJson, referenceVectors, sigmoid } from './demo-model.js';

const cardJson = () => structuredClone(readDemoJson('card.json')) as ModelCard;
const card = parseModelCard(readDemoJson('card.json'));

/** The service's view of the demo inputs, as the scoring pipeline would declare it. */
const demoSchema: FeatureSchema = [
  {
    name: 'sector',
    kind: 'categorical',
    categories: ['grocery', 'restaurant', 'crops', 'livestock', 'transport', 'processing'],
  },
  { name: 'years_in_business', kind: 'numeric' },
  { name: 'cash_flow_cover', kind: 'numeric' },
  { name: 'debt_ratio', kind: 'numeric' },
  { name: 'margin_stability', kind: 'numeric' },
  { name: 'credit_overdue_count', kind: 'numeric' },
  { name: 'interview_reliability', kind: 'numeric' },
  { name: 'contradictions', kind: 'numeric' },
  { name: 'monthly_sales_fen', kind: 'numeric' },
];

/** A copy of the demo folder with a changed card, for load-time refusals. */
function folderWithCard(change: (c: ModelCard) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'weidai-model-'));
  cpSync(DEMO_DIR, dir, { recursive: true });
  const edited = cardJson();
  change(edited);
  writeFileSync(join(dir, 'card.json'), JSON.stringify(edited));
  return dir;
}

describe('model card', () => {
  it('parses the shipped demo card and fits the demo feature schema', () => {
    expect(card.model_version).toBe('demo-v1');
    expect(() => checkCardAgainstSchema(card, demoSchema)).not.toThrow();
  });

  it('refuses a schema that lacks an input the model needs with MODEL_FEATURES_MISMATCH', () => {
    const lacking = demoSchema.filter((f) => f.name !== 'debt_ratio');
    expect(() => checkCardAgainstSchema(card, lacking)).toThrow(
      expect.objectContaining({ code: 'MODEL_FEATURES_MISMATCH' }),
    );
  });

  it('refuses an input whose kind or categories differ from the schema', () => {
    const asText = demoSchema.map((f) =>
      f.name === 'debt_ratio' ? { ...f, kind: 'categorical' as const } : f,
    );
    expect(() => checkCardAgainstSchema(card, asText)).toThrow(
      expect.objectContaining({ code: 'MODEL_FEATURES_MISMATCH' }),
    );
    const fewer = demoSchema.map((f) => (f.name === 'sector' ? { ...f, categories: ['grocery'] } : f));
    expect(() => checkCardAgainstSchema(card, fewer)).toThrow(
      expect.objectContaining({ code: 'MODEL_FEATURES_MISMATCH' }),
    );
  });

  it('refuses an ONNX input width that differs from the card', () => {
    expect(() => checkOnnxInputDim(card, card.features.length + 1)).toThrow(
      expect.objectContaining({ code: 'MODEL_FEATURES_MISMATCH' }),
    );
  });

  it('refuses a card that contradicts itself with MODEL_CARD_INVALID', () => {
    const swapped = cardJson();
    const [a, b] = [swapped.features[7]!, swapped.features[8]!];
    swapped.features[7] = { ...b, index: 7 };
    swapped.features[8] = { ...a, index: 8 };
    expect(() => parseModelCard(swapped)).toThrow(expect.objectContaining({ code: 'MODEL_CARD_INVALID' }));
    const noMetrics = cardJson() as Partial<ModelCard>;
    delete noMetrics.metrics;
    expect(() => parseModelCard(noMetrics)).toThrow(expect.objectContaining({ code: 'MODEL_CARD_INVALID' }));
  });

  it('encodes raw rows exactly as the Python training did, missing and unseen values included', () => {
    for (const ref of referenceVectors()) {
      const encoded = Array.from(encodeFeatures(card, ref.row));
      expect(encoded).toEqual(ref.features.map((v) => (v === null ? Number.NaN : Math.fround(v))));
    }
  });

  it('refuses text where a number is expected with MODEL_INPUT_INVALID', () => {
    expect(() => encodeFeatures(card, { ...referenceVectors()[0]!.row, debt_ratio: 'high' })).toThrow(
      expect.objectContaining({ code: 'MODEL_INPUT_INVALID' }),
    );
  });

  it('sums one-hot contributions into their input', () => {
    const contributions = card.features.map((_, i) => i + 1);
    const byInput = contributionsByInput(card, contributions);
    const sectorIdx = card.features.flatMap((f, i) => (f.source === 'sector' ? [i + 1] : []));
    expect(byInput.sector).toBe(sectorIdx.reduce((a, b) => a + b, 0));
    expect(Object.values(byInput).reduce((a, b) => a + b, 0)).toBe(contributions.reduce((a, b) => a + b, 0));
  });
});

describe('loadModelVersion', () => {
  it('loads the demo version whose ONNX and TreeSHAP agree with xgboost', async () => {
    const model = await loadModelVersion(DEMO_DIR, { featureSchema: demoSchema });
    try {
      const refs = referenceVectors();
      const p = await model.predict(refs.map((r) => r.row));
      refs.forEach((r, i) => {
        expect(Math.abs(p[i]! - sigmoid(r.margin))).toBeLessThan(1e-5);
        expect(Math.abs(model.explain(r.row).margin - r.margin)).toBeLessThan(1e-5);
      });
    } finally {
      await model.close();
    }
  });

  it('refuses a card that lists more features than the model files take', async () => {
    const dir = folderWithCard((c) => {
      c.onnx.input_dim += 1;
      c.inputs.push({ name: 'extra', kind: 'numeric', origin: 'input' });
      c.features.push({
        index: c.features.length,
        name: 'extra',
        source: 'extra',
        origin: 'input',
        encoding: 'numeric',
      });
    });
    await expect(loadModelVersion(dir)).rejects.toMatchObject({ code: 'MODEL_FEATURES_MISMATCH' });
  });

  it('refuses an ONNX file other than the one the card names', async () => {
    const dir = folderWithCard(() => undefined);
    const bytes = readFileSync(join(dir, 'model.onnx'));
    writeFileSync(join(dir, 'model.onnx'), Buffer.concat([bytes, Buffer.from([0])]));
    await expect(loadModelVersion(dir)).rejects.toMatchObject({ code: 'MODEL_LOAD_FAILED' });
  });

  it('refuses a version that does not fit the feature schema before loading the runtime', async () => {
    await expect(loadModelVersion(DEMO_DIR, { featureSchema: demoSchema.slice(1) })).rejects.toMatchObject({
      code: 'MODEL_FEATURES_MISMATCH',
    });
  });
});
