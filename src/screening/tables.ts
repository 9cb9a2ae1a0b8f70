import { bigint, boolean, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * One screening of a case: the facts document, the findings and each source's outcome, as assembled at the last
 * attempt. `status` is `pending_retry` while a failed mandatory source waits in the retry queue.
 */
export const screeningRuns = pgTable(
  'screening_runs',
  {
    id: text('id').primaryKey(),
    caseId: text('case_id').notNull(),
    branchId: text('branch_id').notNull(),
    branchPath: text('branch_path').notNull(),
    status: text('status', { enum: ['complete', 'pending_retry', 'failed'] }).notNull(),
    attempt: integer('attempt').notNull(),
    requestedBy: text('requested_by').notNull(),
    /** ScreeningFacts (types.ts): derived values, no identifiers. */
    facts: jsonb('facts').notNull(),
    findings: jsonb('findings').notNull(),
    sources: jsonb('sources').notNull(),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [index('screening_runs_case_idx').on(t.caseId, t.createdAt)],
);

/**
 * Every provider call made for a run (a cache hit included), with the consent that allowed it and the partner's
 * payload, AES-GCM encrypted (src/platform/crypto.ts, context `screening.raw`) because it holds personal data.
 */
export const screeningQueries = pgTable(
  'screening_queries',
  {
    id: text('id').primaryKey(),
    runId: text('run_id').notNull(),
    caseId: text('case_id').notNull(),
    provider: text('provider').notNull(),
    category: text('category').notNull(),
    consentId: text('consent_id').notNull(),
    status: text('status', { enum: ['ok', 'no_record', 'failed'] }).notNull(),
    cacheHit: boolean('cache_hit').notNull(),
    attempts: integer('attempts').notNull(),
    latencyMs: integer('latency_ms').notNull(),
    costFen: bigint('cost_fen', { mode: 'number' }).notNull(),
    errorCode: text('error_code'),
    rawEnc: text('raw_enc'),
    fetchedAt: ts('fetched_at'),
    at: ts('at').notNull(),
  },
  (t) => [index('screening_queries_run_idx').on(t.runId), index('screening_queries_case_idx').on(t.caseId)],
);

/** The cost ledger: one line per answered call, paid (cache miss) or reused (cache hit, cost 0). */
export const screeningCosts = pgTable(
  'screening_costs',
  {
    id: text('id').primaryKey(),
    at: ts('at').notNull(),
    provider: text('provider').notNull(),
    category: text('category').notNull(),
    caseId: text('case_id').notNull(),
    branchId: text('branch_id').notNull(),
    branchPath: text('branch_path').notNull(),
    costFen: bigint('cost_fen', { mode: 'number' }).notNull(),
    cacheHit: boolean('cache_hit').notNull(),
    queryId: text('query_id').notNull(),
  },
  (t) => [
    index('screening_costs_at_idx').on(t.at),
    index('screening_costs_branch_idx').on(t.branchPath, t.at),
  ],
);
