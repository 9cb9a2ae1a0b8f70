/**
 * The review module as one service: recordings and compliance (recordings.ts) and the expert desk (desk.ts), made
 * from the context's resources. Settings come from the environment the context passes (never read here).
 */
import { z } from 'zod';
import type { AuditService } from '../platform/audit/service.js';
import type { Db } from '../platform/db/index.js';
import type { Clock, Ids } from '../platform/deps.js';
import { DEFAULT_DESK_SETTINGS, type DeskSettings, createDesk } from './desk.js';
import { deriveSigningKey } from './bundle.js';
import {
  NO_PIPELINE,
  type DialogReader,
  type DialogReplayer,
  type PipelineResultPort,
  type ReviewCasesPort,
  type ReviewScreeningPort,
} from './ports.js';
import { createRecordings } from './recordings.js';
import { DEFAULT_RETENTION, type RetentionPolicy } from './retention.js';

export interface ReviewSettings {
  retention: RetentionPolicy;
  desk: DeskSettings;
}

export const DEFAULT_REVIEW_SETTINGS: ReviewSettings = {
  retention: DEFAULT_RETENTION,
  desk: DEFAULT_DESK_SETTINGS,
};

const SettingsEnv = z.object({
  WEIDAI_RECORDING_RETENTION_YEARS: z.coerce.number().int().min(1).max(50).optional(),
  WEIDAI_REVIEW_CLAIM_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .optional(),
  WEIDAI_REVIEW_MAX_CLAIMS: z.coerce.number().int().min(1).max(100).optional(),
});

/** WEIDAI_RECORDING_RETENTION_YEARS (default 5), WEIDAI_REVIEW_CLAIM_MINUTES (30), WEIDAI_REVIEW_MAX_CLAIMS (2). */
export function loadReviewSettings(env: Record<string, string | undefined>): ReviewSettings {
  const parsed = SettingsEnv.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid review settings:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  return {
    retention: { years: e.WEIDAI_RECORDING_RETENTION_YEARS ?? DEFAULT_RETENTION.years },
    desk: {
      claimMinutes: e.WEIDAI_REVIEW_CLAIM_MINUTES ?? DEFAULT_DESK_SETTINGS.claimMinutes,
      maxClaims: e.WEIDAI_REVIEW_MAX_CLAIMS ?? DEFAULT_DESK_SETTINGS.maxClaims,
    },
  };
}

export interface ReviewDeps {
  db: Db;
  clock: Clock;
  ids: Ids;
  audit: AuditService;
  cases: ReviewCasesPort;
  screening: ReviewScreeningPort;
  dialog: DialogReader;
  /** The dialog's replay, for recomputing a recording (absent: REPLAY_UNAVAILABLE). */
  replayer?: DialogReplayer;
  /** The master key: the export signing key is derived from it. */
  masterKey: Uint8Array;
  pipeline?: PipelineResultPort;
  settings?: ReviewSettings;
}

export function createReviewService(deps: ReviewDeps) {
  const settings = deps.settings ?? DEFAULT_REVIEW_SETTINGS;
  const recordings = createRecordings({
    db: deps.db,
    clock: deps.clock,
    ids: deps.ids,
    audit: deps.audit,
    cases: deps.cases,
    dialog: deps.dialog,
    signingKey: deriveSigningKey(deps.masterKey),
    retention: settings.retention,
    replayer: deps.replayer,
  });
  const desk = createDesk({
    db: deps.db,
    clock: deps.clock,
    ids: deps.ids,
    audit: deps.audit,
    cases: deps.cases,
    screening: deps.screening,
    pipeline: deps.pipeline ?? NO_PIPELINE,
    dialog: deps.dialog,
    recordings,
    settings: settings.desk,
  });
  return { recordings, desk, settings };
}

export type ReviewService = ReturnType<typeof createReviewService>;
