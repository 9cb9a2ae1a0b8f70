import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnnxModel } from '../../../src/scoring/model/onnx.js';
import { loadOnnxModel } from '../../../src/scoring/model/onnx.js';
import { DEMO_DIR, asFeatureVector, referenceVectors, sigmoid } from './demo-model.js';

describe('loadOnnxModel', () => {
  let model: OnnxModel;
  beforeAll(async () => {
    model = await loadOnnxModel(join(DEMO_DIR, 'model.onnx'));
  });
  afterAll(async () => {
    await model.close();
  });

  it('reads the input width the model declares', () => {
    expect(model.inputName).toBe('input');
    expect(model.inputDim).toBe(referenceVectors()[0]!.features.length);
  });

  it('returns the sigmoid of xgboost margin for every reference vector, in one batch', async () => {
    const refs = referenceVectors();
    const width = refs[0]!.features.length;
    const x = new Float32Array(refs.length * width);
    refs.forEach((r, i) => x.set(asFeatureVector(r.features), i * width));
    const p = await model.predict(x, refs.length);
    refs.forEach((r, i) => expect(Math.abs(p[i]! - sigmoid(r.margin))).toBeLessThan(1e-5));
  });

  it('rejects rows of the wrong width with MODEL_INPUT_INVALID', async () => {
    await expect(model.predict(new Float32Array(5), 1)).rejects.toMatchObject({
      code: 'MODEL_INPUT_INVALID',
    });
  });

  it('refuses a file that is not an ONNX model with MODEL_LOAD_FAILED', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weidai-onnx-'));
    const broken = join(dir, 'model.onnx');
    writeFileSync(broken, 'this is not a protobuf model');
    await expect(loadOnnxModel(broken)).rejects.toMatchObject({ code: 'MODEL_LOAD_FAILED', status: 503 });
  });

  it('refuses a missing file with MODEL_LOAD_FAILED', async () => {
    await expect(loadOnnxModel(join(tmpdir(), 'no-such-model.onnx'))).rejects.toMatchObject({
      code: 'MODEL_LOAD_FAILED',
    });
  });
});
