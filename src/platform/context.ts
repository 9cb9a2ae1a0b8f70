/**
 * The process-wide resources, made once at start-up and closed on shutdown: configuration, database, key-value
 * store, field cipher, clock and ids, and the platform services. Passed explicitly; there are no module singletons.
 */
import { join } from 'node:path';
import { createCasesService } from '../cases/service.js';
import { createModelsService } from '../scoring/registry/service.js';
import { createAuditService } from './audit/service.js';
import type { Config } from './config.js';
import { createFieldCipher, loadMasterKey } from './crypto.js';
import { type Database, openDatabase } from './db/index.js';
import { type Clock, type Ids, systemClock, systemIds } from './deps.js';
import { createIdentityService } from './identity/service.js';
import { createKv } from './kv/index.js';

export interface ContextOptions {
  clock?: Clock;
  ids?: Ids;
  /** Tests: an in-memory embedded database instead of the one under var/. */
  inMemoryDb?: boolean;
  /** Skip migrations (when the caller ran them). */
  skipMigrate?: boolean;
  /** Redis key prefix (tests give each context its own). */
  kvPrefix?: string;
}

export async function createContext(config: Config, opts: ContextOptions = {}) {
  const clock = opts.clock ?? systemClock;
  const ids = opts.ids ?? systemIds;
  const database: Database = await openDatabase({
    url: config.databaseUrl,
    pgliteDir: opts.inMemoryDb ? undefined : join(config.varDir, 'pglite'),
  });
  try {
    if (!opts.skipMigrate) await database.migrate();
    const kv = await createKv({
      redisUrl: config.redisUrl,
      clock,
      ...(opts.kvPrefix ? { prefix: opts.kvPrefix } : {}),
    });
    const key = loadMasterKey({
      env: config.secretKey ? { WEIDAI_SECRET_KEY: config.secretKey } : {},
      varDir: config.varDir,
    });
    const cipher = createFieldCipher(key.key);
    const audit = createAuditService({ clock });
    const identity = createIdentityService({
      db: database.db,
      clock,
      ids,
      audit,
      tokenTtlSeconds: config.tokenTtlSeconds,
      loginMaxFailures: config.loginMaxFailures,
      loginLockMinutes: config.loginLockMinutes,
    });
    const models = createModelsService({ db: database.db, clock, audit });
    return {
      config,
      clock,
      ids,
      database,
      db: database.db,
      kv,
      cipher,
      audit,
      identity,
      models,
      cases: createCasesService({ db: database.db, clock, ids, audit, cipher, kv, config }),
      async close() {
        await models.close();
        await kv.close();
        await database.close();
      },
    };
  } catch (e) {
    await database.close();
    throw e;
  }
}

export type AppContext = Awaited<ReturnType<typeof createContext>>;
