import { sql } from 'drizzle-orm';
import { integer, json, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * Versions of the fact catalogue, as a risk manager saved them. A version's content never changes; at most one
 * version is active, and the active one is what new question banks are generated from. `version` is the
 * catalogue's own `id@version`, the same string a generated bank records as `catalogueVersion`.
 *
 * The content is `json`, not `jsonb`: json keeps the saved text with its key order, so a catalogue read back
 * generates exactly the bank the same catalogue generated before it was stored.
 */
export const catalogueVersions = pgTable(
  'catalogue_versions',
  {
    version: text('version').primaryKey(),
    /** 1 for the first version stored (the shipped catalogue), then one more per save. */
    seq: integer('seq').notNull().unique(),
    catalogueId: text('catalogue_id').notNull(),
    content: json('content').notNull(),
    /** SHA-256 of the content's canonical JSON. */
    contentSha256: text('content_sha256').notNull(),
    status: text('status', { enum: ['draft', 'active', 'retired'] }).notNull(),
    /** The version the editor started from, if any. */
    basedOn: text('based_on'),
    note: text('note'),
    /** The last validation against the case data this code can fill: when, against what, and its findings. */
    validation: jsonb('validation').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: ts('created_at').notNull(),
    activatedBy: text('activated_by'),
    activatedAt: ts('activated_at'),
    retiredAt: ts('retired_at'),
  },
  (t) => [
    uniqueIndex('catalogue_versions_one_active_uq')
      .on(t.status)
      .where(sql`status = 'active'`),
  ],
);
