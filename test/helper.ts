/**
 * One test builder for the whole service (after fastify/demo's `build(t)`): a fresh database — in-memory PGlite by
 * default, or a throw-away database on the PostgreSQL server of WEIDAI_DATABASE_URL — the key-value store of
 * WEIDAI_REDIS_URL or in-process, a fixed key, the demo bank, and helpers to log in.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { loadConfig, type Config } from '../src/platform/config.js';
import { type AppContext, createContext } from '../src/platform/context.js';
import type { Clock } from '../src/platform/deps.js';
import type { SmsSender } from '../src/cases/sms.js';
import { type DemoBank, DEMO_PASSWORD, seedDemoBank } from '../src/platform/identity/seed.js';

export const TEST_KEY = '7f'.repeat(32);
export const backend = process.env.WEIDAI_DATABASE_URL ? 'postgres' : 'pglite';

/** Creates a database of its own on the configured PostgreSQL server; returns its URL and a drop function. */
async function throwAwayPostgres(baseUrl: string) {
  const name = `weidai_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface TestContext {
  ctx: AppContext;
  config: Config;
  close(): Promise<void>;
}

export async function buildTestContext(
  opts: { clock?: Clock; overrides?: Partial<Config>; sms?: SmsSender } = {},
): Promise<TestContext> {
  const varDir = mkdtempSync(join(tmpdir(), 'weidai-test-'));
  const pgBase = process.env.WEIDAI_DATABASE_URL;
  const pgDb = pgBase ? await throwAwayPostgres(pgBase) : undefined;
  const config = loadConfig(
    { ...process.env, WEIDAI_VAR_DIR: varDir, WEIDAI_SECRET_KEY: TEST_KEY, WEIDAI_LOG_LEVEL: 'info' },
    { databaseUrl: pgDb?.url, ...opts.overrides },
  );
  const ctx = await createContext(config, {
    inMemoryDb: true,
    kvPrefix: `weidai-test:${process.pid}:${Math.random().toString(36).slice(2, 10)}:`,
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.sms ? { sms: opts.sms } : {}),
  });
  return {
    ctx,
    config,
    async close() {
      await ctx.close();
      await pgDb?.drop();
      rmSync(varDir, { recursive: true, force: true });
    },
  };
}

export interface TestApp extends TestContext {
  app: FastifyInstance;
  demo: DemoBank;
  logs: string[];
  /** Logs in as a demo user and returns the Authorization header. */
  loginAs(username: string): Promise<{ authorization: string }>;
}

export async function buildTestApp(
  opts: {
    clock?: Clock;
    overrides?: Partial<Config>;
    sms?: SmsSender;
    /** Replaces parts of the context (a service with test settings) before the app is built. */
    withContext?: (ctx: AppContext) => AppContext | Promise<AppContext>;
  } = {},
): Promise<TestApp> {
  const t = await buildTestContext(opts);
  const demo = await seedDemoBank(t.ctx);
  const ctx = opts.withContext ? await opts.withContext(t.ctx) : t.ctx;
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(chunk.toString('utf8'));
      cb();
    },
  });
  const app = await buildApp(ctx, { logStream });
  await app.ready();
  return {
    ...t,
    ctx,
    app,
    demo,
    logs,
    async loginAs(username: string) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username, password: DEMO_PASSWORD },
      });
      if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
      return { authorization: `Bearer ${res.json<{ access_token: string }>().access_token}` };
    },
    async close() {
      await app.close();
      await t.close();
    },
  };
}
