/**
 * The `weidai` command: serve, worker, migrate, demo, bootstrap, train, audit verify.
 */
import { Command, InvalidArgumentError } from 'commander';
import { loadConfig, type Config } from './platform/config.js';
import { createContext } from './platform/context.js';
import { openDatabase } from './platform/db/index.js';
import { createConsoleSmsSender, seedDemo } from './demo/seed.js';
import { DEMO_PASSWORD, bootstrapBank } from './platform/identity/seed.js';
import { closeOnSignals, startServer } from './server.js';
import { startBackgroundJobs } from './platform/jobs.js';
import { loggerOptions } from './platform/logger.js';
import { pino } from 'pino';
import { join, resolve } from 'node:path';

const port = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port number 0–65535');
  return n;
};

function configFrom(opts: { host?: string; port?: number }): Config {
  const o: Partial<Config> = {};
  if (opts.host) o.host = opts.host;
  if (opts.port !== undefined) o.port = opts.port;
  return loadConfig(process.env, o);
}

interface TrainCliOptions {
  csv?: string;
  input?: string;
  target?: string;
  positive?: string;
  exclude: string[];
  origins?: string;
  version?: string;
  modelsDir?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

const program = new Command();
program.name('weidai').description('智能微贷 · AI 远程调查 — remote AI investigation service');

program
  .command('serve')
  .description('serve the API, the WebSocket channel and the web pages')
  .option('--host <host>', 'address to listen on')
  .option('--port <port>', 'port to listen on', port)
  .action(async (opts: { host?: string; port?: number }) => {
    const server = await startServer(configFrom(opts));
    closeOnSignals(server);
    console.log(`weidai serving on ${server.url}`);
  });

program
  .command('worker')
  .description('run the background work (time limits, screening retries, scoring runs) without serving')
  .option('--every <ms>', 'milliseconds between rounds', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 100 || n > 3_600_000) throw new InvalidArgumentError('100–3600000');
    return n;
  })
  .action(async (opts: { every?: number }) => {
    const config = loadConfig();
    const ctx = await createContext(config);
    const log = pino(loggerOptions(config.logLevel));
    const jobs = startBackgroundJobs(ctx, log, opts.every ?? 2000);
    void jobs.tick();
    const stop = (signal: string) => {
      log.info({ signal }, 'worker stopping');
      jobs.stop();
      void (async () => {
        await ctx.pipeline.idle();
        await ctx.close();
        process.exit(0);
      })().catch(() => process.exit(1));
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
    console.log('weidai worker running');
  });

program
  .command('migrate')
  .description('apply database migrations')
  .action(async () => {
    const config = loadConfig();
    const database = await openDatabase({
      url: config.databaseUrl,
      pgliteDir: join(config.varDir, 'pglite'),
    });
    try {
      await database.migrate();
      console.log(`migrations applied (${database.kind})`);
    } finally {
      await database.close();
    }
  });

program
  .command('bootstrap')
  .description(
    "create a new bank's root branch and first administrator (password from WEIDAI_BOOTSTRAP_PASSWORD)",
  )
  .requiredOption('--code <code>', 'root branch code')
  .requiredOption('--name <name>', 'root branch name (Chinese)')
  .option('--name-en <name>', 'root branch name (English)', 'Head office')
  .option('--admin <username>', 'administrator username', 'admin')
  .action(async (opts: { code: string; name: string; nameEn: string; admin: string }) => {
    const password = process.env.WEIDAI_BOOTSTRAP_PASSWORD;
    if (!password || password.length < 10) {
      console.error(
        'Set WEIDAI_BOOTSTRAP_PASSWORD to the first administrator password (at least 10 characters).',
      );
      process.exitCode = 2;
      return;
    }
    const ctx = await createContext(loadConfig());
    try {
      const r = await bootstrapBank(ctx, {
        code: opts.code,
        name: opts.name,
        nameEn: opts.nameEn,
        adminUsername: opts.admin,
        adminPassword: password,
      });
      console.log(
        r.adminCreated
          ? `created administrator ${opts.admin}`
          : `administrator ${opts.admin} already exists; nothing changed`,
      );
    } finally {
      await ctx.close();
    }
  });

program
  .command('demo')
  .description('migrate, seed a demo bank with one user per role, print the logins and serve')
  .option('--host <host>', 'address to listen on')
  .option('--port <port>', 'port to listen on', port)
  .action(async (opts: { host?: string; port?: number }) => {
    const config = configFrom(opts);
    const ctx = await createContext(config, { sms: createConsoleSmsSender() });
    const demo = await seedDemo(ctx);
    const server = await startServer(config, ctx);
    closeOnSignals(server);
    const link = demo.invitationLink;
    const lines = [
      '',
      '  weidai demo · 智能微贷 AI 远程调查（演示）',
      `  Console / 控制台:  ${server.url}/`,
      `  API docs:          ${server.url}/api/openapi.json`,
      '',
      `  Demo logins (password for all: ${DEMO_PASSWORD}):`,
      ...demo.bank.users.map((u) => `    ${u.username.padEnd(16)} ${u.role.padEnd(14)} ${u.branch}`),
      '',
      `  Interview link / 面谈链接 (${demo.applicant.name}, 建国便民超市; open it at phone width):`,
      `    ${link}`,
      `  Identity check / 身份核验: last 4 of the ID 身份证后四位 = ${demo.applicant.idLast4}; the one-time code`,
      `  "sent" to ${demo.applicant.mobileMasked} is printed below as 【演示短信】 (the demo has no SMS gateway).`,
      ...demo.notes.map((n) => `  note: ${n}`),
      '',
    ];
    console.log(lines.join('\n'));
  });

program
  .command('train')
  .description(
    'train an expert-model version with the Python trainer (models/training) and print its cross-validated metrics',
  )
  .option('--csv <file>', "a bank's historical loans as CSV (cold start); needs --target")
  .option('--input <file>', 'expert opinions exported by the service (JSONL, {"features": …, "decision": …})')
  .option('--target <column>', 'the binary target column (default for --input: decision)')
  .option('--positive <label>', 'the target label counted as positive, when the target is text (e.g. bad)')
  .option('--exclude <column>', 'a column that must not be a feature (repeatable)', collect, [])
  .option('--origins <file>', 'JSON file mapping columns to where the service gets them')
  .option('--version <name>', 'version folder name (default: trained-<UTC time>)')
  .option('--models-dir <dir>', 'folder of model versions (default: models/expert)')
  .action(async (opts: TrainCliOptions) => {
    const { TrainOptionsError, runTrainer } = await import('./scoring/registry/train.js');
    const version = opts.version ?? `trained-${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}`;
    try {
      const r = await runTrainer({ ...opts, version, modelsDir: opts.modelsDir && resolve(opts.modelsDir) });
      if (!r.ok) {
        process.stderr.write(r.stderr);
        console.error(
          `weidai train: training failed (exit ${r.exitCode}); no model was written to ${r.outDir}`,
        );
        process.exitCode = r.exitCode === 0 ? 1 : r.exitCode;
        return;
      }
      console.log(JSON.stringify(r.report, null, 2));
      console.error(
        `weidai train: wrote ${r.outDir}; register it with POST /api/v1/models {"dir": "${version}"}`,
      );
    } catch (e) {
      if (e instanceof TrainOptionsError) {
        console.error(`weidai train: ${e.message}`);
        process.exitCode = 2;
        return;
      }
      throw e;
    }
  });

const audit = program.command('audit').description('the audit chain');
audit
  .command('verify')
  .description(
    'verify the audit chain and every interview recording (its hash chain and its anchor); exits non-zero naming the first bad sequence number. With --bundle FILE: check an exported recording bundle on its own, without the database',
  )
  .option('--bundle <file>', 'an exported recording bundle (JSON) to check on its own')
  .option('--key-id <id>', 'with --bundle: the key id the bank publishes; another key is refused')
  .action(async (opts: { bundle?: string; keyId?: string }) => {
    if (opts.bundle) {
      const { readFileSync } = await import('node:fs');
      const { verifyBundle } = await import('./review/bundle.js');
      const check = verifyBundle(JSON.parse(readFileSync(opts.bundle, 'utf8')), {
        ...(opts.keyId ? { trustedKeyId: opts.keyId } : {}),
      });
      (check.ok ? console.log : console.error)(JSON.stringify(check));
      if (!check.ok) process.exitCode = 1;
      return;
    }
    const config = loadConfig();
    const database = await openDatabase({
      url: config.databaseUrl,
      pgliteDir: join(config.varDir, 'pglite'),
    });
    try {
      await database.migrate();
      const { createAuditService } = await import('./platform/audit/service.js');
      const { systemClock } = await import('./platform/deps.js');
      const res = await createAuditService({ clock: systemClock }).verify(database.db);
      if (res.ok) {
        console.log(
          JSON.stringify({ ok: true, events: res.count, lastSeq: res.lastSeq, lastHash: res.lastHash }),
        );
      } else {
        console.error(
          JSON.stringify({
            ok: false,
            firstBadSeq: res.problem.seq,
            problem: res.problem.kind,
            verifiedBefore: res.count,
          }),
        );
        console.error(`audit chain broken at sequence ${res.problem.seq} (${res.problem.kind})`);
        process.exitCode = 1;
      }
      // Every interview recording: its transcript chain, and the anchor of an ended one in the audit chain.
      const { createRecordingVerifier } = await import('./review/verify.js');
      const { createPgDialogStore } = await import('./dialog/session/store.pg.js');
      const rec = await createRecordingVerifier({
        db: database.db,
        dialog: createPgDialogStore(database.db),
      }).verifyAll();
      (rec.ok ? console.log : console.error)(JSON.stringify({ recordings: rec }));
      if (!rec.ok) {
        const p = rec.problems[0]!;
        console.error(
          `interview ${p.sessionId}: ${p.problem}${p.seq !== undefined ? ` at sequence ${p.seq}` : ''} (${rec.problems.length} problem(s))`,
        );
        process.exitCode = 1;
      }
    } finally {
      await database.close();
    }
  });

program.parseAsync(process.argv).catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
