import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { predictMargin, treeShap } from '../../../src/scoring/model/treeshap.js';
import type { TreeEnsemble } from '../../../src/scoring/model/xgboost-json.js';
import {
  baseMarginOf,
  parseBaseScore,
  treeEnsembleFromJson,
} from '../../../src/scoring/model/xgboost-json.js';
import { asFeatureVector, readDemoJson, referenceVectors } from './demo-model.js';

const demo = treeEnsembleFromJson(readDemoJson('model.xgb.json'));

/** A minimal XGBoost JSON document with the given trees (arrays as XGBoost writes them). */
function xgbJson(trees: Record<string, unknown>[], baseScore = '[5E-1]', numFeature = 2) {
  return {
    version: [3, 2, 0],
    learner: {
      learner_model_param: { base_score: baseScore, num_feature: String(numFeature), num_class: '0' },
      objective: { name: 'binary:logistic' },
      gradient_booster: { name: 'gbtree', model: { trees, tree_info: trees.map(() => 0) } },
    },
  };
}

// Root splits feature 0 at 0.5 (missing → right); leaves −1 (cover 3) and +2 (cover 1).
const stump = {
  left_children: [1, -1, -1],
  right_children: [2, -1, -1],
  split_indices: [0, 0, 0],
  split_conditions: [0.5, -1, 2],
  default_left: [0, 0, 0],
  base_weights: [0, -1, 2],
  sum_hessian: [4, 3, 1],
  split_type: [0, 0, 0],
  tree_param: { num_nodes: '3' },
};

describe('treeShap on the demo model', () => {
  it('equals xgboost pred_contribs within 1e-5 on every reference vector', () => {
    for (const ref of referenceVectors()) {
      const shap = treeShap(demo, asFeatureVector(ref.features));
      shap.contributions.forEach((c, i) => expect(Math.abs(c - ref.contributions[i]!)).toBeLessThan(1e-5));
      expect(Math.abs(shap.bias - ref.bias)).toBeLessThan(1e-5);
    }
  });

  it('sums contributions and bias to xgboost margin', () => {
    for (const ref of referenceVectors()) {
      const shap = treeShap(demo, asFeatureVector(ref.features));
      const sum = shap.contributions.reduce((a, b) => a + b, shap.bias);
      expect(Math.abs(sum - ref.margin)).toBeLessThan(1e-5);
      expect(Math.abs(predictMargin(demo, asFeatureVector(ref.features)) - ref.margin)).toBeLessThan(1e-5);
    }
  });

  it('is locally accurate for any vector, missing values included', () => {
    const value = fc.oneof(fc.constant(Number.NaN), fc.double({ min: -1, max: 40, noNaN: true }));
    fc.assert(
      fc.property(fc.array(value, { minLength: demo.numFeature, maxLength: demo.numFeature }), (x) => {
        const shap = treeShap(demo, x);
        expect(shap.margin).toBeCloseTo(predictMargin(demo, x), 9);
      }),
      { numRuns: 60 },
    );
  });

  it('gives zero to a feature no tree splits on', () => {
    const used = new Set(demo.trees.flatMap((t) => Array.from(t.feature.filter((_, n) => t.left[n] !== -1))));
    const unused = [...Array(demo.numFeature).keys()].filter((i) => !used.has(i));
    const x = asFeatureVector(referenceVectors()[0]!.features);
    const shap = treeShap(demo, x);
    for (const i of unused) expect(shap.contributions[i]).toBe(0);
  });

  it('rejects a vector of the wrong width with MODEL_INPUT_INVALID', () => {
    expect(() => treeShap(demo, [1, 2])).toThrow(expect.objectContaining({ code: 'MODEL_INPUT_INVALID' }));
  });
});

describe('treeShap on a hand-made stump', () => {
  const ensemble: TreeEnsemble = treeEnsembleFromJson(xgbJson([stump]));

  it('attributes the leaf minus the cover-weighted mean to the split feature', () => {
    // Mean leaf = (−1·3 + 2·1)/4 = −0.25; logit(0.5) = 0.
    const low = treeShap(ensemble, [0.1, 7]);
    expect(low.bias).toBeCloseTo(-0.25, 12);
    expect(low.contributions[0]).toBeCloseTo(-0.75, 12);
    expect(low.contributions[1]).toBe(0);
    expect(treeShap(ensemble, [0.9, 7]).contributions[0]).toBeCloseTo(2.25, 12);
  });

  it('sends a missing value the default way', () => {
    expect(predictMargin(ensemble, [Number.NaN, 0])).toBe(2);
    const left = treeEnsembleFromJson(xgbJson([{ ...stump, default_left: [1, 0, 0] }]));
    expect(predictMargin(left, [Number.NaN, 0])).toBe(-1);
  });

  it('compares in float32, as XGBoost does, at a threshold', () => {
    // 0.1 is not exact in float32: fround(0.1) > 0.1, so a double 0.1 would go left of an fround(0.1) split.
    const split = treeEnsembleFromJson(xgbJson([{ ...stump, split_conditions: [0.1, -1, 2] }]));
    expect(predictMargin(split, [0.1, 0])).toBe(2);
  });

  it('refuses categorical splits with MODEL_UNSUPPORTED', () => {
    const categorical = xgbJson([{ ...stump, split_type: [1, 0, 0] }]);
    expect(() => treeEnsembleFromJson(categorical)).toThrow(
      expect.objectContaining({ code: 'MODEL_UNSUPPORTED' }),
    );
  });
});

describe('base_score', () => {
  it('reads the vector form of XGBoost 3.1 and the scalar form before it', () => {
    expect(parseBaseScore('[5E-1]')).toBe(0.5);
    expect(parseBaseScore('1.2033334E-1')).toBeCloseTo(0.12033334, 9);
  });

  it('turns a logistic base_score into its logit', () => {
    expect(baseMarginOf('binary:logistic', 0.5)).toBe(0);
    expect(baseMarginOf('binary:logistic', 0.2)).toBeCloseTo(Math.log(0.25), 6);
    expect(baseMarginOf('reg:squarederror', 3)).toBe(3);
  });

  it('refuses a multi-target base_score with MODEL_UNSUPPORTED', () => {
    expect(() => parseBaseScore('[1E-1,2E-1]')).toThrow(
      expect.objectContaining({ code: 'MODEL_UNSUPPORTED' }),
    );
  });
});
