/** The expert model: ONNX inference, exact TreeSHAP from the XGBoost trees, and the model card. */
export type { CardInput, FeatureRow, FeatureSchema, FeatureSchemaField, ModelCard } from './card.js';
export {
  ModelCardSchema,
  checkCardAgainstSchema,
  checkOnnxInputDim,
  checkTreeFeatureCount,
  contributionsByInput,
  encodeFeatures,
  parseModelCard,
} from './card.js';
export type { LoadModelOptions, ModelExplanation, ModelVersion } from './load.js';
export { loadModelVersion } from './load.js';
export type { OnnxModel, OnnxOptions } from './onnx.js';
export { loadOnnxModel } from './onnx.js';
export type { ShapExplanation } from './treeshap.js';
export { predictMargin, treeShap } from './treeshap.js';
export type { Tree, TreeEnsemble } from './xgboost-json.js';
export { baseMarginOf, parseBaseScore, treeEnsembleFromJson } from './xgboost-json.js';
