import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * One row per pipeline run, never updated: the canonical inputs and their SHA-256, the whole configuration used
 * (decision rules, scorecard, pricing parameter set, limit configuration), every version, and the computed body.
 * A parameter change therefore never re-prices a recorded result; a replay recomputes from this row alone (and
 * the registered model version it names). A completed interview gives at most one result.
 */
export const pipelineResults = pgTable(
  'pipeline_results',
  {
    id: text('id').primaryKey(),
    caseId: text('case_id').notNull(),
    sessionId: text('session_id'),
    trigger: text('trigger', { enum: ['interview_completed', 'requested'] }).notNull(),
    requestedBy: text('requested_by').notNull(),
    outcome: text('outcome', { enum: ['approve', 'refer', 'decline'] }).notNull(),
    inputs: jsonb('inputs').notNull(),
    inputsHash: text('inputs_hash').notNull(),
    config: jsonb('config').notNull(),
    versions: jsonb('versions').notNull(),
    body: jsonb('body').notNull(),
    bodyHash: text('body_hash').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    index('pipeline_results_case_idx').on(t.caseId, t.createdAt),
    uniqueIndex('pipeline_results_interview_uq')
      .on(t.sessionId)
      .where(sql`trigger = 'interview_completed'`),
  ],
);
