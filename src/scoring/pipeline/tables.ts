import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

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

/**
 * The durable record of the runs a completed interview owes: one row per session, written before the run is queued
 * and kept after it. The key-value queue only rings the bell; this table is what the sweep reads, so a run whose
 * queue item was taken by a worker that died, or lost with an in-process or unpersisted queue, is still owed.
 * `attempts` counts claims and fences a late holder's write; `due_at` is when a pending job may be taken (after a
 * back-off) or when a running job's lease lapses. A job that fails for good stays `failed` with its error.
 */
export const pipelineJobs = pgTable(
  'pipeline_jobs',
  {
    sessionId: text('session_id').primaryKey(),
    status: text('status', { enum: ['pending', 'running', 'done', 'failed'] }).notNull(),
    attempts: integer('attempts').notNull(),
    dueAt: ts('due_at').notNull(),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    // The sweep's look-up of jobs due: only the few open ones are in it, however many interviews were scored.
    index('pipeline_jobs_due_idx')
      .on(t.dueAt)
      .where(sql`status in ('pending', 'running')`),
  ],
);
