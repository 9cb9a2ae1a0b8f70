/**
 * Rows of catalogue versions on the database (PostgreSQL or PGlite). Only the questions service calls this; it
 * owns authorization, validation and the audit events that commit in the same transactions.
 */
import { and, desc, eq } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../platform/db/index.js';
import { catalogueVersions } from './tables.js';

export type CatalogueRow = typeof catalogueVersions.$inferSelect;
export type CatalogueStatus = CatalogueRow['status'];

/** Everything of a row except the content, for lists. */
export type CatalogueRowHead = Omit<CatalogueRow, 'content'>;

const headColumns = {
  version: catalogueVersions.version,
  seq: catalogueVersions.seq,
  catalogueId: catalogueVersions.catalogueId,
  contentSha256: catalogueVersions.contentSha256,
  status: catalogueVersions.status,
  basedOn: catalogueVersions.basedOn,
  note: catalogueVersions.note,
  validation: catalogueVersions.validation,
  createdBy: catalogueVersions.createdBy,
  createdAt: catalogueVersions.createdAt,
  activatedBy: catalogueVersions.activatedBy,
  activatedAt: catalogueVersions.activatedAt,
  retiredAt: catalogueVersions.retiredAt,
};

export interface NewCatalogueRow {
  version: string;
  catalogueId: string;
  content: unknown;
  contentSha256: string;
  status: 'draft' | 'active';
  basedOn: string | null;
  note: string | null;
  validation: unknown;
  createdBy: string;
  createdAt: Date;
  activatedBy?: string;
  activatedAt?: Date;
}

export const catalogueStore = {
  async head(db: DbOrTx, version: string): Promise<CatalogueRowHead | undefined> {
    const [r] = await db
      .select(headColumns)
      .from(catalogueVersions)
      .where(eq(catalogueVersions.version, version));
    return r;
  },

  async list(db: DbOrTx): Promise<CatalogueRowHead[]> {
    return db.select(headColumns).from(catalogueVersions).orderBy(desc(catalogueVersions.seq));
  },

  /** The active version's name only: a cheap query for the cache to notice an activation. */
  async activeVersion(db: DbOrTx): Promise<string | null> {
    const [r] = await db
      .select({ version: catalogueVersions.version })
      .from(catalogueVersions)
      .where(eq(catalogueVersions.status, 'active'));
    return r?.version ?? null;
  },

  async content(db: DbOrTx, version: string): Promise<unknown> {
    const [r] = await db
      .select({ content: catalogueVersions.content })
      .from(catalogueVersions)
      .where(eq(catalogueVersions.version, version));
    return r?.content;
  },

  /**
   * Inserts with the next sequence number; false if the version exists or a concurrent save took the number or
   * the active place (the caller tells which by looking again).
   */
  async insert(tx: Tx, row: NewCatalogueRow): Promise<CatalogueRow | undefined> {
    const [last] = await tx
      .select({ seq: catalogueVersions.seq })
      .from(catalogueVersions)
      .orderBy(desc(catalogueVersions.seq))
      .limit(1);
    const [inserted] = await tx
      .insert(catalogueVersions)
      .values({ ...row, seq: (last?.seq ?? 0) + 1 })
      .onConflictDoNothing()
      .returning();
    return inserted;
  },

  /**
   * Retires the active version if it is `expected`; false (changing nothing) if another version is active. The
   * row lock of the UPDATE serialises concurrent activations: the second sees the first's result.
   */
  async retireActive(tx: Tx, expected: string | null, at: Date): Promise<boolean> {
    if (expected === null) return (await catalogueStore.activeVersion(tx)) === null;
    const retired = await tx
      .update(catalogueVersions)
      .set({ status: 'retired', retiredAt: at })
      .where(and(eq(catalogueVersions.version, expected), eq(catalogueVersions.status, 'active')))
      .returning({ version: catalogueVersions.version });
    return retired.length === 1;
  },

  async markActive(
    tx: Tx,
    version: string,
    by: string,
    at: Date,
    validation: unknown,
  ): Promise<CatalogueRow | undefined> {
    const [r] = await tx
      .update(catalogueVersions)
      .set({ status: 'active', activatedBy: by, activatedAt: at, retiredAt: null, validation })
      .where(eq(catalogueVersions.version, version))
      .returning();
    return r;
  },
};
