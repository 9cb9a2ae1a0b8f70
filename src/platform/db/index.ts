/**
 * The database: PostgreSQL through `pg` when a URL is configured, otherwise embedded PGlite stored under the
 * var folder. One SQL dialect, one set of migrations (./drizzle), one query API (Drizzle's PgDatabase).
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { type Placeholder, sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';

export type Db = PgDatabase<PgQueryResultHKT, Record<string, never>>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Either the database or an open transaction: services accept both so that a use case can compose them. */
export type DbOrTx = Db | Tx;

export interface Database {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** Applies pending migrations; safe to call from several instances at once on PostgreSQL. */
  migrate(): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'drizzle');

// A constant key for pg_advisory_lock so concurrent instances migrate one at a time.
const MIGRATION_LOCK_KEY = 72_01_2026;

export interface OpenDatabaseOptions {
  url?: string | undefined;
  /** Folder of the embedded database; omitted means in memory (tests). */
  pgliteDir?: string | undefined;
  poolSize?: number;
}

export async function openDatabase(opts: OpenDatabaseOptions): Promise<Database> {
  if (opts.url) return openPostgres(opts.url, opts.poolSize ?? 10);
  return openPglite(opts.pgliteDir);
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client's network error must not crash the process; the next query will report it.
  pool.on('error', () => undefined);
  const db = drizzlePg(pool) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    async migrate() {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
        await migratePg(drizzlePg(client), { migrationsFolder: MIGRATIONS_DIR });
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
        await client.end();
      }
    },
    async ping() {
      await db.execute(sql`select 1`);
    },
    async close() {
      await pool.end();
    },
  };
}

async function openPglite(dir: string | undefined): Promise<Database> {
  if (dir) mkdirSync(dir, { recursive: true });
  const client = dir ? new PGlite(dir) : new PGlite();
  await client.waitReady;
  const db = drizzlePglite(client) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    async migrate() {
      await migratePglite(drizzlePglite(client), { migrationsFolder: MIGRATIONS_DIR });
    },
    async ping() {
      await db.execute(sql`select 1`);
    },
    async close() {
      await client.close();
    },
  };
}

/** Runs `fn` in a transaction unless already inside one. */
export async function inTransaction<T>(db: DbOrTx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (isTx(db)) return fn(db);
  return (db as Db).transaction(fn);
}

function isTx(db: DbOrTx): db is Tx {
  return typeof (db as Tx).rollback === 'function';
}

/** A query Drizzle can both run as it is and prepare. */
interface Preparable<T> extends PromiseLike<T> {
  prepare(name: string): { execute(placeholders?: Record<string, unknown>): Promise<T> };
}

/** Where a prepared query's values go: `p('id')`. */
export type Param<P extends Record<string, unknown>> = <K extends keyof P & string>(
  key: K,
) => P[K] | Placeholder<K>;

const preparedByDb = new WeakMap<object, Map<string, ReturnType<Preparable<unknown>['prepare']>>>();

/**
 * A hot query run as a prepared statement: building a query costs Drizzle ~0.2 ms of CPU each time, a prepared one
 * skips it (and PostgreSQL keeps its plan per connection). `build` writes the query once with `p(name)` where each
 * value goes; on the database it is prepared once (p gives placeholders), inside a transaction it is built with
 * the values, as a prepared statement belongs to the database it was prepared on. `name` is unique per query.
 */
export function prepared<P extends Record<string, unknown>, T>(
  name: string,
  build: (db: DbOrTx, p: Param<P>) => Preparable<T>,
): (db: DbOrTx, params: P) => Promise<T> {
  return (db, params) => {
    if (isTx(db)) return Promise.resolve(build(db, (k) => params[k]));
    let byName = preparedByDb.get(db);
    if (!byName) preparedByDb.set(db, (byName = new Map()));
    let q = byName.get(name) as ReturnType<Preparable<T>['prepare']> | undefined;
    if (!q) byName.set(name, (q = build(db, (k) => sql.placeholder(k)).prepare(name)));
    return q.execute(params);
  };
}

/**
 * Runs SQL text with $1… parameters as a named prepared statement, past Drizzle: for the few statements every
 * interview turn runs, where building the query costs more than running it. PostgreSQL parses and plans it once per
 * connection; PGlite runs it as given. The text must be fixed for the name.
 */
export async function runNamed<R>(db: Db, name: string, text: string, values: unknown[]): Promise<R[]> {
  const client = (db as unknown as { $client: unknown }).$client;
  if (client instanceof pg.Pool)
    return (await client.query<R & pg.QueryResultRow>({ name, text, values })).rows;
  return (await (client as PGlite).query<R>(text, values)).rows;
}
