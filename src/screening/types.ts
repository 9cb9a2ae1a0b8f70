/**
 * Domain types of embedded screening: who is screened, what a provider answers, and the facts document handed to
 * the question bank and the scoring pipeline. No fastify / redis / drizzle imports.
 */
import type { Actor } from '../platform/identity/permissions.js';

/** The outside-data categories, one provider each. */
export const CATEGORIES = [
  'identity', // 身份核验: ID number + name + face-match score
  'mobile', // 运营商: number age, real-name match
  'multilender', // 多头借贷: applications and loans in 7/30/90/180 days
  'risk_score', // 第三方风险评分
  'registration', // 工商登记
  'court', // 司法: lawsuits, enforcement, dishonest-debtor records
  'tax', // 税务: invoiced sales and tax paid by month
  'social_security', // 社保及公积金
  'credit', // 人行征信
  'bank', // 本行数据: deposits, past loans, repayment history
] as const;
export type Category = (typeof CATEGORIES)[number];

/** The consent source a category is queried under (the applicant consents per source, 《个人信息保护法》 art. 14). */
export type ConsentSource = string;

/** The person (and business) screened. Personal data: never logged, never stored in clear. */
export interface Subject {
  idNumber: string;
  name: string;
  mobile: string;
  /** Unified social credit code of the business, when it has one. */
  uscc?: string | undefined;
}

/** A fact's value. Money is integer fen; dates are `YYYY-MM-DD`; monthly series are fen, oldest month first. */
export type FactValue = number | string | boolean | readonly number[];

export type FactStatus = 'ok' | 'missing' | 'failed';

/** Why a fact has no value. */
export type MissingReason =
  | 'no_consent' // the applicant has not consented to this source (or the consent expired)
  | 'no_record' // the source has nothing about the subject
  | 'source_failed' // the provider failed (timeout, 5xx, malformed, breaker open…)
  | 'subject_mismatch' // the provider answered about someone else: discarded
  | 'not_provided' // the provider answered but did not carry this fact
  | 'not_configured'; // no provider is configured for the category

export interface FactEntry {
  value: FactValue | null;
  /** The category the fact comes from. */
  source: Category;
  /** The provider that answered (or was asked); null when none was asked. */
  provider: string | null;
  /** When the provider's answer was fetched (an answer reused from the cache keeps its first time). */
  fetchedAt: string | null;
  status: FactStatus;
  reason?: MissingReason | undefined;
}

/** The output of screening for questions and scoring. Staff and the pipeline only: never shown to the applicant. */
export interface ScreeningFacts {
  caseId: string;
  /** When this document was assembled (ISO 8601). */
  asOf: string;
  facts: Record<string, FactEntry>;
}

export type FindingSeverity = 'info' | 'warn' | 'fail';

/** A plain-language finding for the remote expert. Staff only. */
export interface Finding {
  code: string;
  severity: FindingSeverity;
  text: { 'zh-CN': string; 'en-US': string };
  /** The fact keys the finding rests on. */
  facts: string[];
}

// ---------------------------------------------------------------------------------------------------------------
// Providers

/** The consent that allows one query; recorded with it. */
export interface ConsentRef {
  consentId: string;
  grantedAt: Date;
  /** null: the source sets no end; screening still applies its own maximum age. */
  expiresAt: Date | null;
}

export interface ProviderQueryContext {
  consent: ConsentRef;
  /** Aborted when the per-provider timeout expires; a well-behaved provider stops work. */
  signal: AbortSignal;
  /** The time of the query, for providers whose answer is "as of" a month (tax series). */
  asOf: Date;
}

/** What a provider answers: normalised facts and the partner's payload as received. */
export interface ProviderAnswer {
  /** 'no_record': the source knows nothing of the subject (a valid answer, billed by most vendors). */
  status: 'ok' | 'no_record';
  facts: Record<string, FactValue | null>;
  /** The partner's payload (parsed JSON or text), kept encrypted for evidence. */
  raw: unknown;
}

export interface Provider {
  /** Stable id, used in the cache, breaker, ledger (e.g. `sandbox.credit`, `baihang.multilender`). */
  readonly id: string;
  readonly category: Category;
  /** Price of one answered query in fen. */
  readonly costFen: number;
  /** Per-attempt timeout in ms (the fetcher's default when absent). */
  readonly timeoutMs?: number | undefined;
  query(subject: Subject, ctx: ProviderQueryContext): Promise<ProviderAnswer>;
}

/** Codes of a failed provider call; RETRYABLE ones are retried and count against the breaker. */
export type ProviderFailureCode =
  | 'TIMEOUT'
  | 'NETWORK'
  | 'UPSTREAM_5XX'
  | 'UPSTREAM_4XX'
  | 'MALFORMED'
  | 'MAPPING'
  | 'SUBJECT_MISMATCH'
  | 'BREAKER_OPEN'
  | 'PROVIDER_ERROR';

/** A provider's failure, thrown by providers and classified by the fetcher. */
export class ProviderFailure extends Error {
  readonly code: ProviderFailureCode;
  readonly raw: unknown;
  constructor(code: ProviderFailureCode, message: string, raw?: unknown) {
    super(message);
    this.name = 'ProviderFailure';
    this.code = code;
    this.raw = raw;
  }
}

/** The outcome of asking one provider for one subject (after cache, retries and breaker). */
export interface ProviderOutcome {
  provider: string;
  category: Category;
  status: 'ok' | 'no_record' | 'failed';
  facts: Record<string, FactValue | null>;
  /** The encrypted raw payload of the upstream answer; null for a cache hit or when nothing came back. */
  rawEnc: string | null;
  latencyMs: number;
  /** Fen charged by this call: 0 for a cache hit and for a failure. */
  costFen: number;
  cacheHit: boolean;
  /** Upstream attempts made by this call (0 for a cache hit). */
  attempts: number;
  fetchedAt: Date | null;
  error: { code: ProviderFailureCode; message: string } | null;
}

// ---------------------------------------------------------------------------------------------------------------
// The port to the cases module

/** The screened case as the cases module gives it: scope already checked (CASE_NOT_FOUND otherwise). */
export interface ScreenedCase {
  caseId: string;
  branchId: string;
  branchPath: string;
}

/**
 * What screening needs from the cases module, through its service functions only. `subjectOf` and `caseOf`
 * check the branch scope (404 outside it); `consentFor` checks no caller — it is asked for a case already in scope.
 */
export interface ScreeningCasePort {
  caseOf(actor: Actor, caseId: string): Promise<ScreenedCase>;
  subjectOf(actor: Actor, caseId: string): Promise<ScreenedCase & { subject: Subject }>;
  /** The consent in force for this case and source, or null when none is granted. */
  consentFor(caseId: string, source: ConsentSource): Promise<ConsentRef | null>;
}
