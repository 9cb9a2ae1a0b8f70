/**
 * Configuration from the environment, validated once at start-up. Nothing else reads process.env.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The installation's root (src/platform/ or dist/platform/ → two levels up). */
const INSTALL_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
import { z } from 'zod';

const ConfigSchema = z.object({
  WEIDAI_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  WEIDAI_REDIS_URL: z
    .string()
    .regex(/^(rediss?:\/\/|unix:\/\/\/)/, 'must be a redis:// URL (or unix:///path/to/redis.sock)')
    .optional(),
  WEIDAI_SECRET_KEY: z.string().optional(),
  WEIDAI_VAR_DIR: z.string().default('var'),
  WEIDAI_HOST: z.string().default('127.0.0.1'),
  WEIDAI_PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  WEIDAI_PUBLIC_URL: z.string().url().optional(),
  WEIDAI_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WEIDAI_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(7 * 24 * 3600)
    .default(8 * 3600),
  WEIDAI_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(50 * 1024 * 1024)
    .default(1024 * 1024),
  /**
   * The reverse proxies whose X-Forwarded-For is believed, as a comma-separated list of addresses or CIDR ranges
   * (e.g. `10.0.0.0/8`). Unset: none, so per-address limits count the connecting address and a client cannot
   * pick its own by sending the header.
   */
  WEIDAI_TRUSTED_PROXIES: z
    .string()
    .regex(/^[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*$/, 'a comma-separated list of addresses or CIDR ranges')
    .optional(),
  /**
   * `off`: this instance serves requests only; interview time limits, screening retries and scoring runs are left
   * to `weidai worker` processes (or to instances with `on`).
   */
  WEIDAI_BACKGROUND: z.enum(['on', 'off']).default('on'),
  /** The interview's answer model (JSON); default models/dialog/answer-model.json in the installation. */
  WEIDAI_ANSWER_MODEL: z.string().optional(),
  /** MCTS iterations per interview decision (default: the dialog's own); lower trades look-ahead for CPU. */
  WEIDAI_MCTS_ITERATIONS: z.coerce.number().int().min(1).max(100_000).optional(),
  WEIDAI_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  WEIDAI_LOGIN_LOCK_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
});

export interface Config {
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  secretKey: string | undefined;
  varDir: string;
  host: string;
  port: number;
  publicUrl: string;
  logLevel: z.infer<typeof ConfigSchema>['WEIDAI_LOG_LEVEL'];
  tokenTtlSeconds: number;
  bodyLimitBytes: number;
  loginMaxFailures: number;
  loginLockMinutes: number;
  mctsIterations: number | undefined;
  background: boolean;
  trustedProxies: string[];
  answerModelFile: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  const host = overrides.host ?? e.WEIDAI_HOST;
  const port = overrides.port ?? e.WEIDAI_PORT;
  return {
    databaseUrl: e.WEIDAI_DATABASE_URL || undefined,
    redisUrl: e.WEIDAI_REDIS_URL || undefined,
    secretKey: e.WEIDAI_SECRET_KEY || undefined,
    varDir: resolve(e.WEIDAI_VAR_DIR),
    host,
    port,
    publicUrl: e.WEIDAI_PUBLIC_URL ?? `http://${host}:${port}`,
    logLevel: e.WEIDAI_LOG_LEVEL,
    tokenTtlSeconds: e.WEIDAI_TOKEN_TTL_SECONDS,
    bodyLimitBytes: e.WEIDAI_BODY_LIMIT_BYTES,
    loginMaxFailures: e.WEIDAI_LOGIN_MAX_FAILURES,
    loginLockMinutes: e.WEIDAI_LOGIN_LOCK_MINUTES,
    mctsIterations: e.WEIDAI_MCTS_ITERATIONS,
    background: e.WEIDAI_BACKGROUND === 'on',
    answerModelFile: resolve(
      e.WEIDAI_ANSWER_MODEL ?? join(INSTALL_DIR, 'models', 'dialog', 'answer-model.json'),
    ),
    trustedProxies: e.WEIDAI_TRUSTED_PROXIES?.split(',').map((x) => x.trim()) ?? [],
    ...overrides,
  };
}
