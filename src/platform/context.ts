/**
 * The process-wide resources, made once at start-up and closed on shutdown: configuration, database, key-value
 * store, field cipher, clock and ids, and the platform services. Passed explicitly; there are no module singletons.
 */
import { join } from 'node:path';
import { randomInt } from 'node:crypto';
import { createCasesService } from '../cases/service.js';
import type { SmsSender } from '../cases/sms.js';
import { createChannelsContext } from '../channels/bindings/context.js';
import { sessionChannel } from '../channels/ws/connection.js';
import { createCaseBankProvider } from '../dialog/banks.js';
import { existsSync, readFileSync } from 'node:fs';
import { type AnswerModel, DEFAULT_ANSWER_MODEL } from '../dialog/belief/answer-model.js';
import { loadAnswerModel } from '../dialog/belief/load.js';
import { createInterviewGateway } from '../dialog/gateway.js';
import { createNlu } from '../dialog/nlu/understand.js';
import { createDialogService } from '../dialog/session/service.js';
import { createPgDialogStore } from '../dialog/session/store.pg.js';
import type { DialogConfig } from '../dialog/session/turn.js';
import { createInterviewBankLookup } from '../dialog/session/bank-of.js';
import { caseBankInputs, createQuestionsService } from '../questions/service.js';
import { createPipelineService, createPipelineSources } from '../scoring/pipeline/index.js';
import { createReviewService, loadReviewSettings, pipelineResultPort } from '../review/index.js';
import { createModelsService } from '../scoring/registry/service.js';
import { createCasesPort } from '../screening/cases-port.js';
import { createScreeningService, loadScreeningSettings } from '../screening/index.js';
import { createAuditService } from './audit/service.js';
import type { Config } from './config.js';
import { createFieldCipher, loadMasterKey } from './crypto.js';
import { type Database, openDatabase } from './db/index.js';
import { type Clock, type Ids, seededRng, systemClock, systemIds } from './deps.js';
import { systemReader } from './identity/permissions.js';
import { createIdentityService } from './identity/service.js';
import { createKv } from './kv/index.js';

export interface ContextOptions {
  clock?: Clock;
  ids?: Ids;
  /** Tests: an in-memory embedded database instead of the one under var/. */
  inMemoryDb?: boolean;
  /** Skip migrations (when the caller ran them). */
  skipMigrate?: boolean;
  /** Where one-time codes go (default: a logger that masks them; the demo prints them; tests capture them). */
  sms?: SmsSender;
  /** Dialog settings (tests lower the search iterations). */
  dialog?: Partial<DialogConfig>;
  /** Redis key prefix (tests give each context its own). */
  kvPrefix?: string;
  /** Where the channel settings (WEIDAI_WECHAT_ACCOUNTS, WEIDAI_BOTFRAMEWORK_*) are read; process.env by default. */
  env?: Record<string, string | undefined>;
}

/**
 * The interview's answer model from its file (models/dialog/answer-model.json unless configured; see its README for
 * what it was fitted on). A missing file means the model's unfitted starting values; a bad one stops the start.
 */
function readAnswerModel(file: string): AnswerModel {
  if (!existsSync(file)) return DEFAULT_ANSWER_MODEL;
  return loadAnswerModel(JSON.parse(readFileSync(file, 'utf8')) as unknown);
}

export async function createContext(config: Config, opts: ContextOptions = {}) {
  // Read first: a bad model file stops the start before anything is opened.
  const answerModel = readAnswerModel(config.answerModelFile);
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
    const cases = createCasesService({
      db: database.db,
      clock,
      ids,
      audit,
      cipher,
      kv,
      config,
      ...(opts.sms ? { sms: opts.sms } : {}),
    });
    // The fact catalogue: banks are generated from its active version, from the same case inputs as the report.
    const bankInputs = caseBankInputs(cases, {
      // Called per interview start, after `screening` below exists.
      factsOf: async (caseId) =>
        (await screening.latestFacts(systemReader('questions'), caseId))?.facts ?? null,
    });
    const questions = createQuestionsService({
      db: database.db,
      clock,
      audit,
      cases,
      inputs: bankInputs,
      interviews: createInterviewBankLookup(database.db),
    });
    const screening = createScreeningService({
      db: database.db,
      kv,
      clock,
      ids,
      rng: seededRng(randomInt(2 ** 32)),
      cipher,
      audit,
      cases: createCasesPort({ db: database.db, cipher, cases }),
      settings: loadScreeningSettings(config.varDir),
    });
    const models = createModelsService({ db: database.db, clock, audit });
    const pipeline = createPipelineService({
      drainOnCommit: config.background,
      db: database.db,
      clock,
      ids,
      audit,
      kv,
      sources: createPipelineSources({
        cases,
        screening,
        models,
        dialogStore: createPgDialogStore(database.db),
      }),
    });
    // Recordings anchor each ended interview and queue it for the expert desk (src/review).
    const review = createReviewService({
      db: database.db,
      clock,
      ids,
      audit,
      cases,
      screening,
      dialog: createPgDialogStore(database.db),
      // The dialog service is built below; a recompute runs only once the context is up.
      replayer: { replay: (sessionId) => dialog.replay(sessionId) },
      masterKey: key.key,
      pipeline: pipelineResultPort(pipeline),
      settings: loadReviewSettings(opts.env ?? process.env),
    });
    const dialog = createDialogService({
      store: createPgDialogStore(database.db),
      kv,
      clock,
      ids,
      nlu: createNlu(),
      model: answerModel,
      banks: createCaseBankProvider({ clock, inputs: bankInputs, catalogue: questions.activeCatalogue }),
      // Connections on any instance deliver what a turn committed (docs/ws-protocol.md).
      // A completed interview also queues its scoring pipeline run.
      onCommitted: async (session, events, bank) => {
        review.recordings.onInterviewCommitted(session, bank);
        if (session.status === 'completed' && events.some((e) => e.kind === 'end'))
          await cases.markInterviewed(session.caseId).catch(() => undefined);
        await pipeline.afterCommit(session, events).catch(() => undefined);
        await kv
          .publish(sessionChannel(session.id), JSON.stringify({ type: 'events', lastSeq: session.lastSeq }))
          .catch(() => undefined);
      },
      config: {
        ...(config.mctsIterations !== undefined ? { iterations: config.mctsIterations } : {}),
        ...opts.dialog,
      },
    });
    const interview = createInterviewGateway({
      access: { resolveSessionToken: (token) => cases.resolveInterviewSession(token) },
      dialog,
    });
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
      channels: createChannelsContext({ db: database.db, audit, env: opts.env ?? process.env }),
      models,
      pipeline,
      cases,
      questions,
      screening,
      dialog,
      interview,
      review,
      async close() {
        await review.recordings.idle();
        await pipeline.idle();
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
