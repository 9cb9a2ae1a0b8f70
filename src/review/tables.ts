import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * One row per finished interview: the index compliance searches, and the anchor of the interview's hash chain in the
 * audit chain (`recording.anchor`). The transcript itself stays in the dialog module's `interview_events`; this row
 * only points at its last seq and hash. `purged_at`: the transcript's content was removed by the retention policy
 * (docs/review.md), the hashes kept.
 */
export const recordings = pgTable(
  'recordings',
  {
    sessionId: text('session_id').primaryKey(),
    caseId: text('case_id').notNull(),
    branchPath: text('branch_path').notNull(),
    officerId: text('officer_id'),
    lang: text('lang').notNull(),
    status: text('status').notNull(),
    endReason: text('end_reason'),
    startedAt: ts('started_at').notNull(),
    endedAt: ts('ended_at').notNull(),
    eventCount: integer('event_count').notNull(),
    lastSeq: integer('last_seq').notNull(),
    lastHash: text('last_hash').notNull(),
    catalogueVersion: text('catalogue_version').notNull(),
    anchorAuditSeq: bigint('anchor_audit_seq', { mode: 'number' }).notNull(),
    /** Codes of the inconsistencies the transcript shows, for search (e.g. ["contradiction","control_failed"]). */
    flagCodes: jsonb('flag_codes').$type<string[]>().notNull(),
    /** The expert's opinion kind once given (approve, adjust, decline, send_back, second_interview). */
    outcome: text('outcome'),
    /** The loan's final repayment date once known (servicing); until then retention counts from the term. */
    loanEndsAt: ts('loan_ends_at'),
    loanTermMonths: integer('loan_term_months'),
    purgedAt: ts('purged_at'),
    purgeAuditSeq: bigint('purge_audit_seq', { mode: 'number' }),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    index('recordings_branch_idx').on(t.branchPath),
    index('recordings_case_idx').on(t.caseId),
    index('recordings_ended_idx').on(t.endedAt),
  ],
);

/** Legal holds: while a hold is not released, the recording cannot be purged. */
export const recordingHolds = pgTable(
  'recording_holds',
  {
    id: text('id').primaryKey(),
    sessionId: text('session_id')
      .notNull()
      .references(() => recordings.sessionId),
    reason: text('reason').notNull(),
    placedBy: text('placed_by').notNull(),
    placedAt: ts('placed_at').notNull(),
    releasedBy: text('released_by'),
    releasedAt: ts('released_at'),
    releaseReason: text('release_reason'),
  },
  (t) => [
    index('recording_holds_session_idx').on(t.sessionId),
    // At most one active hold per recording: a second is a conflict, not a silent duplicate.
    uniqueIndex('recording_holds_active_uq')
      .on(t.sessionId)
      .where(sql`released_at is null`),
  ],
);

/** Compliance findings marked on a recording, optionally on one transcript line. */
export const recordingFindings = pgTable(
  'recording_findings',
  {
    id: text('id').primaryKey(),
    sessionId: text('session_id')
      .notNull()
      .references(() => recordings.sessionId),
    seq: integer('seq'),
    severity: text('severity', { enum: ['info', 'warn', 'breach'] }).notNull(),
    category: text('category').notNull(),
    note: text('note').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('recording_findings_session_idx').on(t.sessionId)],
);

/**
 * The expert desk's queue: one item per finished interview. `version` is the optimistic-concurrency token of
 * every change (claim, release, opinion); a claim lapses at `claim_expires_at`.
 */
export const reviewItems = pgTable(
  'review_items',
  {
    sessionId: text('session_id')
      .primaryKey()
      .references(() => recordings.sessionId),
    caseId: text('case_id').notNull(),
    branchPath: text('branch_path').notNull(),
    status: text('status', { enum: ['queued', 'claimed', 'decided'] }).notNull(),
    assigneeId: text('assignee_id'),
    claimedAt: ts('claimed_at'),
    claimExpiresAt: ts('claim_expires_at'),
    version: integer('version').notNull(),
    endedAt: ts('ended_at').notNull(),
    decidedAt: ts('decided_at'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    index('review_items_queue_idx').on(t.status, t.endedAt),
    index('review_items_branch_idx').on(t.branchPath),
    index('review_items_case_idx').on(t.caseId),
  ],
);

/**
 * The expert's opinion on one interview, with the feature row it was given on: each approve/adjust/decline is a
 * training example for the expert model (`GET /api/v1/review/training-export`).
 */
export const reviewOpinions = pgTable(
  'review_opinions',
  {
    id: text('id').primaryKey(),
    sessionId: text('session_id')
      .notNull()
      .unique()
      .references(() => reviewItems.sessionId),
    caseId: text('case_id').notNull(),
    branchPath: text('branch_path').notNull(),
    expertId: text('expert_id').notNull(),
    kind: text('kind', {
      enum: ['approve', 'adjust', 'decline', 'send_back', 'second_interview'],
    }).notNull(),
    amountFen: bigint('amount_fen', { mode: 'number' }),
    termMonths: integer('term_months'),
    /** Annual rate in basis points, for an adjustment of the rate. */
    rateBp: integer('rate_bp'),
    checkCode: text('check_code'),
    checkNote: text('check_note'),
    facts: jsonb('facts').$type<string[]>().notNull(),
    reasons: jsonb('reasons').$type<string[]>().notNull(),
    /** 'approve' | 'decline' for the expert model's target; null when the opinion is no decision yet. */
    decision: text('decision'),
    features: jsonb('features').$type<Record<string, unknown>>(),
    featureSource: text('feature_source'),
    auditSeq: bigint('audit_seq', { mode: 'number' }).notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    index('review_opinions_case_idx').on(t.caseId),
    index('review_opinions_created_idx').on(t.createdAt),
  ],
);
