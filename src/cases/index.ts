/** The public surface of the cases module: other modules import only from here. */
export { createCasesService } from './service.js';
export type { CasesDeps, CasesService } from './service.js';
export { casesRoutes } from './routes.js';
export type { CasesRoutesOptions } from './routes.js';
export type { CaseActor, IntegrationActor } from './access.js';
export {
  CONSENT_KINDS,
  CONSENT_TEXTS,
  SCREENING_SOURCES,
  consentText,
  currentConsentTexts,
} from './consent-texts.js';
export type { ConsentKind, ConsentText, ScreeningSource } from './consent-texts.js';
export { createCapturingSmsSender, createLoggingSmsSender } from './sms.js';
export type { SmsMessage, SmsSender } from './sms.js';
export { parseIndustryCode, sectorOfIndustry } from './industry.js';
export type { IndustryCode } from './industry.js';
export { describeImage, hammingDistance, jpegDHash, perceptualHash, pngDHash, sniffImage } from './image.js';
export type { ImageMime } from './image.js';
export { CasePushBody, casePushJsonSchemaText } from './schemas.js';
