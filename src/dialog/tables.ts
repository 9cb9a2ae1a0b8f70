import {
  bigint,
  index,
  integer,
  json,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/** One row per interview session: its record and the snapshot of its live state after the last turn. */
export const interviewSessions = pgTable(
  'interview_sessions',
  {
    id: text('id').primaryKey(),
    caseId: text('case_id').notNull(),
    invitationId: text('invitation_id').notNull().unique(),
    branchPath: text('branch_path').notNull(),
    lang: text('lang', { enum: ['zh-CN', 'en-US'] }).notNull(),
    seed: bigint('seed', { mode: 'number' }).notNull(),
    status: text('status').notNull(),
    budget: integer('budget').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    lastActivityAt: timestamp('last_activity_at', { withTimezone: true, mode: 'date' }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true, mode: 'date' }),
    endReason: text('end_reason'),
    lastSeq: integer('last_seq').notNull(),
    /** The applicant's question bank, fixed when the session opens: written once, not with every turn. */
    bank: json('bank'),
    /** The live state after the last turn, without the bank. */
    snapshot: json('snapshot').notNull(),
  },
  // No index holds a column a turn changes (last_activity_at, last_seq, snapshot), so a turn's update is a HOT
  // update: no index entries to write (migration 0013, with fillfactor 70 to leave the page room for it).
  (t) => [
    index('interview_sessions_case_idx').on(t.caseId),
    index('interview_sessions_status_ended_idx').on(t.status, t.endedAt),
  ],
);

/** The transcript: append-only, hash-chained per session; a client message id is stored at most once per session. */
export const interviewEvents = pgTable(
  'interview_events',
  {
    sessionId: text('session_id')
      .notNull()
      .references(() => interviewSessions.id),
    seq: integer('seq').notNull(),
    kind: text('kind', { enum: ['bot', 'applicant', 'end'] }).notNull(),
    clientMsgId: text('client_msg_id'),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
    event: jsonb('event').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.sessionId, t.seq] }),
    uniqueIndex('interview_events_client_msg_uq').on(t.sessionId, t.clientMsgId),
  ],
);
