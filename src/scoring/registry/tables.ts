import { sql } from 'drizzle-orm';
import {
  boolean,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * Registered expert-model versions. The files stay in their folder (models/expert/<dir>); the row keeps the
 * card as registered and the ONNX hash, so a file changed after registration is noticed on load. At most one
 * champion; `previous_champion` is the version a roll-back returns to.
 */
export const modelVersions = pgTable(
  'model_versions',
  {
    version: text('version').primaryKey(),
    dir: text('dir').notNull(),
    role: text('role', { enum: ['challenger', 'champion', 'retired'] }).notNull(),
    card: jsonb('card').notNull(),
    onnxSha256: text('onnx_sha256').notNull(),
    previousChampion: text('previous_champion'),
    registeredBy: text('registered_by').notNull(),
    registeredAt: ts('registered_at').notNull(),
    roleChangedAt: ts('role_changed_at').notNull(),
  },
  (t) => [
    uniqueIndex('model_versions_one_champion_uq')
      .on(t.role)
      .where(sql`role = 'champion'`),
  ],
);

/** Versions of an expert scorecard (the EMTool data, checked by its own test cases); at most one active. */
export const scorecardVersions = pgTable(
  'scorecard_versions',
  {
    scorecardId: text('scorecard_id').notNull(),
    version: integer('version').notNull(),
    data: jsonb('data').notNull(),
    active: boolean('active').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.scorecardId, t.version] }),
    uniqueIndex('scorecard_versions_one_active_uq')
      .on(t.scorecardId)
      .where(sql`active`),
  ],
);
