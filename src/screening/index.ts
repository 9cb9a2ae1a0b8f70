/** The public surface of screening: other modules import only from here. */
export { createScreeningService, RETRY_QUEUE } from './service.js';
export type { ScreeningDeps, ScreeningService } from './service.js';
export { screeningRoutes } from './routes.js';
export type { ScreeningRoutesOptions } from './routes.js';
export { defaultScreeningSettings, loadScreeningSettings, DEFAULT_RETRY } from './settings.js';
export type { ScreeningSettings, RetryPolicy } from './settings.js';
export {
  createSandboxProvider,
  createSandboxProviders,
  profileDraw,
  SANDBOX_COST_FEN,
} from './providers/sandbox.js';
export type { SandboxOptions } from './providers/sandbox.js';
export { createHttpProvider } from './providers/http.js';
export { HttpProviderSettingsSchema, ScreeningSettingsFileSchema } from './schemas.js';
export type {
  HttpProviderSettings,
  HttpProviderSettingsInput,
  ScreeningDtoT,
  CostReportDtoT,
} from './schemas.js';
export {
  FACT_DEFS,
  FACT_KEYS,
  factDef,
  DEFAULT_CONSENT_SOURCE,
  DEFAULT_MANDATORY,
  DEFAULT_VALIDITY_MS,
} from './catalogue.js';
export type { ScreeningFactDef, FactUnit } from './catalogue.js';
export { toQuestionValues } from './facts.js';
export { findingsOf, DEFAULT_THRESHOLDS } from './findings.js';
export type { FindingThresholds } from './findings.js';
export { CATEGORIES, ProviderFailure } from './types.js';
export type {
  Category,
  ConsentRef,
  ConsentSource,
  FactEntry,
  FactStatus,
  FactValue,
  Finding,
  MissingReason,
  Provider,
  ProviderAnswer,
  ProviderOutcome,
  ScreenedCase,
  ScreeningCasePort,
  ScreeningFacts,
  Subject,
} from './types.js';
