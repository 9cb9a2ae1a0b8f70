/** The registry of expert-model and scorecard versions, case scoring with reasons, and its routes. */
export { DEFAULT_MODEL_GRADE_BANDS, modelGrade, topFactors } from './explain.js';
export type { ModelFactor, ModelGradeBands } from './explain.js';
export { modelsRoutes } from './routes.js';
export type { ModelsRoutesOptions } from './routes.js';
export { scoreBatch, scoreCase } from './score.js';
export type { BatchScore, CaseScore, ScoreOptions } from './score.js';
export { TRAINING_DIR, TrainOptionsError, runTrainer, trainerArgs } from './train.js';
export type { TrainOptions, TrainResult } from './train.js';
export { DEFAULT_MODELS_DIR, DEMO_MODEL_DIR, createModelsService, seedDemoModels } from './service.js';
export type {
  ModelRole,
  ModelVersionDto,
  ModelsService,
  ModelsServiceDeps,
  ScorecardVersionDto,
} from './service.js';
