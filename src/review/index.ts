/** The public surface of the review module: other modules import only from here. */
export { createReviewService, loadReviewSettings, DEFAULT_REVIEW_SETTINGS } from './service.js';
export type { ReviewDeps, ReviewService, ReviewSettings } from './service.js';
export { reviewRoutes } from './routes.js';
export type { ReviewRoutesOptions } from './routes.js';
export { verifyBundle, deriveSigningKey, renderRecordingHtml, BUNDLE_FORMAT } from './bundle.js';
export type { Bundle, BundleCheck, RecordingDoc } from './bundle.js';
export { analyseInterview, transcriptFlagCodes } from './analysis.js';
export type { Analysis, Evidence, Flag, FlagCode, TranscriptLine } from './analysis.js';
export { purgeableFrom, retentionBasis, DEFAULT_RETENTION } from './retention.js';
export type { RetentionPolicy } from './retention.js';
export { NO_PIPELINE, pipelineResultPort } from './ports.js';
export type { DialogReader, PipelineLatest, PipelineResultPort, PipelineResultView } from './ports.js';
export { CHECKS, CHECK_CODES, OPINION_KINDS } from './types.js';
export type { CheckCode, OpinionInput, OpinionKind } from './types.js';
