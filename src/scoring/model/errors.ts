/** Error codes of the expert-model module. Stable: part of the API contract. */
import { AppError, badRequest, unprocessable } from '../../platform/errors.js';

/** The model files could not be read or the ONNX runtime refused them. */
export const modelLoadFailed = (message: string, details: Record<string, unknown> = {}) =>
  new AppError('MODEL_LOAD_FAILED', 503, message, details);

/** card.json is missing fields, has wrong types, or contradicts itself. */
export const modelCardInvalid = (message: string, details: Record<string, unknown> = {}) =>
  unprocessable('MODEL_CARD_INVALID', message, details);

/** The card's features do not fit the feature schema, the ONNX input or the XGBoost trees. */
export const modelFeaturesMismatch = (message: string, details: Record<string, unknown> = {}) =>
  unprocessable('MODEL_FEATURES_MISMATCH', message, details);

/** An XGBoost model this code cannot explain faithfully (categorical splits, multi-class, dart, …). */
export const modelUnsupported = (message: string, details: Record<string, unknown> = {}) =>
  unprocessable('MODEL_UNSUPPORTED', message, details);

/** A value given for scoring does not fit the card (wrong type, wrong vector length). */
export const modelInputInvalid = (message: string, details: Record<string, unknown> = {}) =>
  badRequest('MODEL_INPUT_INVALID', message, details);
