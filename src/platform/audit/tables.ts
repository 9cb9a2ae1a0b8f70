import { bigint, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The append-only audit chain. Each row's hash covers the previous row's hash and the row's canonical JSON, so an
 * edited, deleted or re-ordered row breaks the chain at that sequence number. On PostgreSQL (and PGlite) a trigger
 * refuses UPDATE, DELETE and TRUNCATE (migration 0001).
 */
export const auditEvents = pgTable('audit_events', {
  seq: bigint('seq', { mode: 'number' }).primaryKey(),
  at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
  actor: text('actor').notNull(),
  action: text('action').notNull(),
  entity: text('entity').notNull(),
  entityId: text('entity_id').notNull(),
  payload: jsonb('payload').notNull(),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
});

/** One row: the head of the chain. Updating it serialises appends across transactions and instances. */
export const auditHead = pgTable('audit_head', {
  id: integer('id').primaryKey(),
  lastSeq: bigint('last_seq', { mode: 'number' }).notNull(),
  lastHash: text('last_hash').notNull(),
});
