/**
 * Screening settings: which provider answers each category and the policy knobs, with defaults. A bank plugs a
 * vendor in by writing `<varDir>/screening.json` (ScreeningSettingsFileSchema); without it every category is
 * answered by the sandbox.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../platform/errors.js';
import { type BreakerOptions, DEFAULT_BREAKER } from './breaker.js';
import { DEFAULT_CONSENT_SOURCE, DEFAULT_MANDATORY, DEFAULT_VALIDITY_MS } from './catalogue.js';
import { DEFAULT_FETCHER, type FetcherOptions } from './fetcher.js';
import { DEFAULT_THRESHOLDS, type FindingThresholds } from './findings.js';
import { createHttpProvider } from './providers/http.js';
import { createSandboxProvider, type SandboxOptions } from './providers/sandbox.js';
import { ScreeningSettingsFileSchema } from './schemas.js';
import { CATEGORIES, type Category, type ConsentSource, type Provider } from './types.js';

export interface RetryPolicy {
  /** Attempts in all (the first run included) before a case is marked failed for manual handling. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface ScreeningSettings {
  /** One provider per category; the first one listed for a category answers it. */
  providers: Provider[];
  mandatory: readonly Category[];
  consentSourceOf: Record<Category, ConsentSource>;
  /** A consent older than this is treated as expired (practice: a loan decision takes weeks, not seasons). */
  consentMaxAgeDays: number;
  fetcher: FetcherOptions;
  breaker: BreakerOptions;
  thresholds: FindingThresholds;
  retry: RetryPolicy;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 60_000, maxDelayMs: 3_600_000 };

export function defaultScreeningSettings(
  overrides: Partial<ScreeningSettings> = {},
  sandbox: SandboxOptions = {},
): ScreeningSettings {
  return {
    providers: CATEGORIES.map((c) => createSandboxProvider(c, sandbox)),
    mandatory: DEFAULT_MANDATORY,
    consentSourceOf: DEFAULT_CONSENT_SOURCE,
    consentMaxAgeDays: 90,
    fetcher: { ...DEFAULT_FETCHER, validityMs: DEFAULT_VALIDITY_MS },
    breaker: DEFAULT_BREAKER,
    thresholds: DEFAULT_THRESHOLDS,
    retry: DEFAULT_RETRY,
    ...overrides,
  };
}

/** Reads `<varDir>/screening.json` if present; SCREENING_SETTINGS_INVALID when it does not fit the schema. */
export function loadScreeningSettings(varDir: string): ScreeningSettings {
  const path = join(varDir, 'screening.json');
  if (!existsSync(path)) return defaultScreeningSettings();
  const parsed = ScreeningSettingsFileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    throw new AppError('SCREENING_SETTINGS_INVALID', 500, `${path} is not valid`, {
      issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    });
  }
  const file = parsed.data;
  const sandbox: SandboxOptions = {
    ...(file.sandbox?.seedKey ? { seedKey: file.sandbox.seedKey } : {}),
    ...(file.sandbox?.riskyShare !== undefined ? { riskyShare: file.sandbox.riskyShare } : {}),
    ...(file.sandbox?.latencyMs !== undefined ? { latencyMs: file.sandbox.latencyMs } : {}),
  };
  const configured = file.providers.map((p) =>
    p.kind === 'http'
      ? createHttpProvider(p)
      : createSandboxProvider(p.category, {
          ...sandbox,
          ...(p.latencyMs !== undefined ? { latencyMs: p.latencyMs } : {}),
          ...(p.costFen !== undefined ? { costFen: { [p.category]: p.costFen } } : {}),
        }),
  );
  const covered = new Set(configured.map((p) => p.category));
  const rest = CATEGORIES.filter((c) => !covered.has(c)).map((c) => createSandboxProvider(c, sandbox));
  return defaultScreeningSettings({
    providers: [...configured, ...rest],
    ...(file.mandatory ? { mandatory: file.mandatory } : {}),
    ...(file.consentMaxAgeDays ? { consentMaxAgeDays: file.consentMaxAgeDays } : {}),
  });
}
