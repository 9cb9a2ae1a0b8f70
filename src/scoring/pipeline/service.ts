/**
 * The pipeline as a service: gather the case's inputs, run the pure core (evaluate.ts) with the model in between,
 * and record the result with its inputs' hash, configuration and versions — the row and its audit event in one
 * transaction. Runs start when an interview completes (a durable job, rung through the key-value queue and swept
 * for; idempotent by session) or when a person asks; a replay recomputes a recorded result from its own row and
 * reports every difference.
 * Every call for a person checks permission and branch scope first (a case outside the subtree is not found).
 */
import { readFileSync } from 'node:fs';
import { and, desc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { AuditService } from '../../platform/audit/service.js';
import type { Db } from '../../platform/db/index.js';
import type { Clock, Ids } from '../../platform/deps.js';
import { AppError, isAppError } from '../../platform/errors.js';
import type { Actor } from '../../platform/identity/permissions.js';
import { authorize } from '../../platform/identity/permissions.js';
import type { Kv } from '../../platform/kv/index.js';
import type { LimitConfig } from '../limit/index.js';
import { defaultLimitConfig, parseLimitConfig } from '../limit/index.js';
import type { PricingParams } from '../pricing/index.js';
import { defaultPricingParams, parsePricingParams, selectParams } from '../pricing/index.js';
import { parseScorecard } from '../scorecard/index.js';
import { asStored, differences, hashOf } from './canonical.js';
import type { Difference } from './canonical.js';
import { jobNotFailed, jobNotFound, resultNotFound, resultTampered, sessionNotFound } from './errors.js';
import type { PipelineConfig } from './evaluate.js';
import { completePipeline, prepareScoring } from './evaluate.js';
import { caseInputsOf } from './gather.js';
import type { DecisionRules } from './rules.js';
import { DEFAULT_DECISION_RULES, parseDecisionRules } from './rules.js';
import type { PipelineSources } from './sources.js';
import type { JobRow } from './jobs.js';
import {
  claimJob,
  completedWithoutJob,
  dueJobs,
  ensureJobs,
  jobOf,
  requeueFailedJob,
  settleJob,
} from './jobs.js';
import type { RetryPolicy } from './retry.js';
import { DEFAULT_RETRY_POLICY, afterFailure, exhausted, failureOf } from './retry.js';
import { pipelineResults } from './tables.js';
import type { CaseInputs, ModelScore, PipelineBody, Versions } from './types.js';

export const PIPELINE_QUEUE = 'pipeline:jobs';
const SYSTEM = 'system';
/** How far back the sweep looks for completed interviews left without a job (their instance stopped first). */
const CATCH_UP_MS = 7 * 24 * 3600_000;
const CHINA_OFFSET_MS = 8 * 3600_000;

/** The version in package.json, read once at start-up. */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version?: string;
  };
  return pkg.version ?? 'unknown';
}

export interface PipelineDeps {
  db: Db;
  clock: Clock;
  ids: Ids;
  audit: AuditService;
  kv: Kv;
  sources: PipelineSources;
  /** Dated pricing parameter sets; the one in force on the run's date is used. Default: the shipped set. */
  pricingParams?: readonly unknown[];
  rules?: unknown;
  limitConfig?: unknown;
  /** Default: the version in package.json. */
  codeVersion?: string;
  /**
   * Start draining the queue on this instance when an interview completes (default true). Instances that only
   * serve applicants set it false and leave the runs to `weidai worker`.
   */
  drainOnCommit?: boolean;
  /** Bounds, back-off and lease of interview-triggered runs (default DEFAULT_RETRY_POLICY). */
  retry?: Partial<RetryPolicy>;
}

type Row = typeof pipelineResults.$inferSelect;

export interface PipelineResultDto {
  id: string;
  case_id: string;
  session_id: string | null;
  trigger: Row['trigger'];
  requested_by: string;
  created_at: string;
  outcome: Row['outcome'];
  inputs_hash: string;
  versions: Versions;
  result: PipelineBody;
  inputs: CaseInputs;
}

export interface PipelineJobDto {
  session_id: string;
  status: 'pending' | 'running' | 'done' | 'failed';
  attempts: number;
  /** Pending: when it may be tried again; running: when its holder's lease lapses. */
  due_at: string;
  error: { code: string; message: string | null } | null;
  updated_at: string;
}

export interface ReplayDto {
  result_id: string;
  identical: boolean;
  inputs_hash_ok: boolean;
  code_version: { recorded: string; now: string };
  outcome: { recorded: string; replayed: string };
  differences: Difference[];
}

const toDto = (r: Row): PipelineResultDto => ({
  id: r.id,
  case_id: r.caseId,
  session_id: r.sessionId,
  trigger: r.trigger,
  requested_by: r.requestedBy,
  created_at: r.createdAt.toISOString(),
  outcome: r.outcome,
  inputs_hash: r.inputsHash,
  versions: r.versions as Versions,
  result: r.body as PipelineBody,
  inputs: r.inputs as CaseInputs,
});

/** The calendar date in China (UTC+8, no daylight saving) of an instant. */
const chinaDate = (d: Date) => new Date(d.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);

export function createPipelineService(deps: PipelineDeps) {
  const { db, clock, ids, audit, kv, sources } = deps;
  const codeVersion = deps.codeVersion ?? packageVersion();
  const rawParams = deps.pricingParams ?? [defaultPricingParams];
  const rawRules = deps.rules ?? DEFAULT_DECISION_RULES;
  const rawLimit = deps.limitConfig ?? defaultLimitConfig;

  /** The configuration in force on a date; a set with gaps answers PRICING_PARAMS_INVALID (422) on every run. */
  async function configOn(asOf: string): Promise<PipelineConfig> {
    const sets: PricingParams[] = rawParams.map((p) => parsePricingParams(p as PricingParams));
    return {
      rules: parseDecisionRules(rawRules),
      scorecard: parseScorecard(await sources.activeScorecard()),
      pricing: selectParams(sets, asOf),
      limit: parseLimitConfig(rawLimit),
    };
  }

  function versionsOf(inputs: CaseInputs, config: PipelineConfig, model: ModelScore | null): Versions {
    return {
      catalogue: inputs.interview?.catalogueVersion ?? null,
      scorecard: { id: config.scorecard.scorecardId, version: config.scorecard.version },
      model: model?.modelVersion ?? null,
      pricingParams: { version: config.pricing.version, effectiveFrom: config.pricing.effectiveFrom },
      admissionRules: config.rules.version,
      limitConfig: `sha256:${hashOf(config.limit).slice(0, 16)}`,
      code: codeVersion,
    };
  }

  /**
   * The model's score: the recorded version on replay (its failure is the replay's failure), else the champion;
   * a fresh run without a usable model goes on with the scorecard alone, the model marked missing.
   */
  async function modelScore(
    row: Parameters<PipelineSources['score']>[0],
    version: string | null | undefined,
  ): Promise<{ model: ModelScore | null; why: string | null }> {
    if (version === null) return { model: null, why: null };
    if (version !== undefined) return { model: await sources.score(row, version), why: null };
    try {
      return { model: await sources.score(row), why: null };
    } catch (e) {
      if (isAppError(e)) return { model: null, why: `${e.code}: ${e.message}` };
      throw e;
    }
  }

  async function compute(inputs: CaseInputs, config: PipelineConfig, modelVersion?: string | null) {
    const prepared = prepareScoring(inputs, config);
    const { model, why } = await modelScore(prepared.row, modelVersion);
    return { body: completePipeline(inputs, config, prepared, model, why), model };
  }

  async function gather(actor: Actor | null, caseId: string, sessionId: string | null): Promise<CaseInputs> {
    const c = await sources.caseFor(actor, caseId);
    const interview = sessionId ? await sources.interview(sessionId) : null;
    if (sessionId && (!interview || interview.caseId !== caseId)) throw sessionNotFound(sessionId);
    const [analysis, screening] = await Promise.all([sources.analysis(caseId), sources.screening(caseId)]);
    return caseInputsOf({
      caseId,
      asOf: chinaDate(clock.now()),
      loan: c.loan,
      applicant: c.applicant,
      analysis,
      screening,
      interview: interview?.input ?? null,
    });
  }

  /** Computes and records one result; for an interview trigger, the existing result of the session if any. */
  async function record(
    inputs: CaseInputs,
    by: { trigger: Row['trigger']; actorId: string },
  ): Promise<{ row: Row; created: boolean }> {
    const config = await configOn(inputs.asOf);
    const { body, model } = await compute(inputs, config);
    const storedBody = asStored(body);
    const row: Row = {
      id: ids.uuid(),
      caseId: inputs.caseId,
      sessionId: inputs.interview?.sessionId ?? null,
      trigger: by.trigger,
      requestedBy: by.actorId,
      outcome: body.outcome,
      inputs: asStored(inputs),
      inputsHash: hashOf(inputs),
      config: asStored(config),
      versions: versionsOf(inputs, config, model),
      body: storedBody,
      bodyHash: hashOf(storedBody),
      createdAt: clock.now(),
    };
    const created = await db.transaction(async (tx) => {
      const done = await tx
        .insert(pipelineResults)
        .values(row)
        .onConflictDoNothing()
        .returning({ id: pipelineResults.id });
      if (done.length === 0) return false;
      await audit.append(tx, {
        actor: by.actorId,
        action: 'pipeline.result',
        entity: 'case',
        entityId: row.caseId,
        payload: {
          resultId: row.id,
          sessionId: row.sessionId,
          trigger: row.trigger,
          outcome: row.outcome,
          inputsHash: row.inputsHash,
          bodyHash: row.bodyHash,
          versions: row.versions,
        },
      });
      return true;
    });
    if (created) return { row, created };
    const [existing] = await db
      .select()
      .from(pipelineResults)
      .where(
        and(
          eq(pipelineResults.sessionId, row.sessionId!),
          eq(pipelineResults.trigger, 'interview_completed'),
        ),
      );
    if (!existing) throw new AppError('PIPELINE_RECORD_FAILED', 500, 'The result could not be stored');
    return { row: existing, created: false };
  }

  /** The result of a completed interview, computed once (idempotent by session id). */
  async function runForSession(sessionId: string): Promise<PipelineResultDto> {
    const [existing] = await db
      .select()
      .from(pipelineResults)
      .where(
        and(eq(pipelineResults.sessionId, sessionId), eq(pipelineResults.trigger, 'interview_completed')),
      );
    if (existing) return toDto(existing);
    const iv = await sources.interview(sessionId);
    if (!iv) throw sessionNotFound(sessionId);
    const inputs = await gather(null, iv.caseId, sessionId);
    return toDto((await record(inputs, { trigger: 'interview_completed', actorId: SYSTEM })).row);
  }

  async function latestSessionOf(caseId: string): Promise<string | null> {
    const [r] = await db
      .select({ sessionId: pipelineResults.sessionId })
      .from(pipelineResults)
      .where(and(eq(pipelineResults.caseId, caseId), isNotNull(pipelineResults.sessionId)))
      .orderBy(desc(pipelineResults.createdAt))
      .limit(1);
    return r?.sessionId ?? null;
  }

  /**
   * A person asks for a fresh result (pipeline:run; an auditor reads and writes nothing): the named interview, else
   * the last one a result used, else none (the result then says so).
   */
  async function run(actor: Actor, caseId: string, input: { sessionId?: string | undefined } = {}) {
    authorize(actor, 'pipeline:run');
    await sources.caseFor(actor, caseId);
    const sessionId = input.sessionId ?? (await latestSessionOf(caseId));
    const inputs = await gather(actor, caseId, sessionId);
    return toDto((await record(inputs, { trigger: 'requested', actorId: actor.userId })).row);
  }

  /** Checks the case is in the caller's subtree; what belongs to a case outside it does not exist for them. */
  async function assertCaseInScope(actor: Actor, caseId: string, hidden: () => AppError): Promise<void> {
    try {
      await sources.caseFor(actor, caseId);
    } catch (e) {
      if (isAppError(e) && e.status === 404) throw hidden();
      throw e;
    }
  }

  async function loadInScope(actor: Actor, id: string): Promise<Row> {
    authorize(actor, 'review:read');
    const [row] = await db.select().from(pipelineResults).where(eq(pipelineResults.id, id));
    if (!row) throw resultNotFound(id);
    await assertCaseInScope(actor, row.caseId, () => resultNotFound(id));
    return row;
  }

  /** The newest result of a case with its breakdown (review:read); PIPELINE_RESULT_NOT_FOUND when none. */
  /**
   * The newest result's outcome of each named case (review:read), in one read; a case with none is left out. For
   * lists of work items (the expert's queue) whose cases the caller's scope was already checked for.
   */
  async function latestOutcomes(actor: Actor, caseIds: readonly string[]): Promise<Record<string, string>> {
    authorize(actor, 'review:read');
    if (caseIds.length === 0) return {};
    const rows = await db
      .selectDistinctOn([pipelineResults.caseId], {
        caseId: pipelineResults.caseId,
        outcome: pipelineResults.outcome,
      })
      .from(pipelineResults)
      .where(inArray(pipelineResults.caseId, [...caseIds]))
      .orderBy(pipelineResults.caseId, desc(pipelineResults.createdAt), desc(pipelineResults.id));
    return Object.fromEntries(rows.map((r) => [r.caseId, r.outcome]));
  }

  async function latest(actor: Actor, caseId: string): Promise<PipelineResultDto> {
    authorize(actor, 'review:read');
    await sources.caseFor(actor, caseId);
    const [row] = await db
      .select()
      .from(pipelineResults)
      .where(eq(pipelineResults.caseId, caseId))
      .orderBy(desc(pipelineResults.createdAt), desc(pipelineResults.id))
      .limit(1);
    if (!row) throw resultNotFound(caseId);
    return toDto(row);
  }

  async function getResult(actor: Actor, id: string): Promise<PipelineResultDto> {
    return toDto(await loadInScope(actor, id));
  }

  /**
   * Recomputes a recorded result from its own inputs and configuration with the model version it names, and
   * lists every difference from what was recorded. Changes nothing but the audit trail.
   */
  async function replay(actor: Actor, id: string): Promise<ReplayDto> {
    const row = await loadInScope(actor, id);
    const inputs = row.inputs as CaseInputs;
    const inputsHashOk = hashOf(inputs) === row.inputsHash;
    if (!inputsHashOk) throw resultTampered(id, { recorded: row.inputsHash, now: hashOf(inputs) });
    const stored = row.config as PipelineConfig;
    const config: PipelineConfig = {
      rules: parseDecisionRules(stored.rules),
      scorecard: parseScorecard(stored.scorecard),
      pricing: parsePricingParams(stored.pricing),
      limit: parseLimitConfig(stored.limit),
    };
    const versions = row.versions as Versions;
    const { body } = await compute(inputs, config, versions.model);
    const diffs = differences(row.body, asStored(body));
    const dto: ReplayDto = {
      result_id: id,
      identical: diffs.length === 0,
      inputs_hash_ok: inputsHashOk,
      code_version: { recorded: versions.code, now: codeVersion },
      outcome: { recorded: row.outcome, replayed: body.outcome },
      differences: diffs,
    };
    await db.transaction((tx) =>
      audit.append(tx, {
        actor: actor.userId,
        action: 'pipeline.replay',
        entity: 'case',
        entityId: row.caseId,
        payload: { resultId: id, identical: dto.identical, differences: diffs.length, codeVersion },
      }),
    );
    return dto;
  }

  // ---------------------------------------------------------------------------------------------------------
  // The interview trigger. The run a completed interview owes is a row in pipeline_jobs (jobs.ts), written before
  // anything is queued; the key-value queue only says "look now" so a free instance starts at once. A queue item
  // taken by a worker that dies is gone (src/platform/kv), and an in-process queue dies with its process, so the
  // sweep — not the queue — is what makes every owed run happen: it claims due jobs under a lease, and a job whose
  // holder died comes due again when the lease lapses. Claims are counted, so a job that keeps killing its worker
  // or keeps failing stops after `maxAttempts`, marked failed with its error and a `pipeline.failed` audit event.

  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...deps.retry };
  let draining: Promise<number> | null = null;
  let again = false;
  const sweeps = new Set<Promise<unknown>>();

  type JobOutcome = 'done' | 'retry' | 'failed' | 'skipped';

  /** Marks the job failed with its audit event; false if this attempt no longer held it (nothing written). */
  async function giveUp(
    sessionId: string,
    attempt: number,
    f: { code: string; message: string | null },
  ): Promise<boolean> {
    return db.transaction(async (tx) => {
      const now = clock.now();
      const settled = await settleJob(
        tx,
        sessionId,
        attempt,
        { status: 'failed', errorCode: f.code, errorMessage: f.message },
        now,
      );
      if (!settled) return false;
      await audit.append(tx, {
        actor: SYSTEM,
        action: 'pipeline.failed',
        entity: 'interview_session',
        entityId: sessionId,
        payload: { attempt, code: f.code },
      });
      return true;
    });
  }

  /** One attempt at a job, if this caller can claim it; idempotent by session, like the run itself. */
  async function runJob(sessionId: string): Promise<JobOutcome> {
    const attempt = await claimJob(db, sessionId, clock.now(), policy.leaseMs);
    if (attempt === null) return 'skipped';
    if (exhausted(attempt, policy)) {
      const lost = {
        code: 'PIPELINE_WORKER_LOST',
        message: `No attempt of ${policy.maxAttempts} finished: each worker stopped while holding the job`,
      };
      return (await giveUp(sessionId, attempt, lost)) ? 'failed' : 'skipped';
    }
    try {
      await runForSession(sessionId);
    } catch (e) {
      const f = failureOf(e);
      const next = afterFailure(attempt, f.permanent, clock.now(), policy);
      if (next.kind === 'failed') return (await giveUp(sessionId, attempt, f)) ? 'failed' : 'skipped';
      await settleJob(
        db,
        sessionId,
        attempt,
        { status: 'pending', dueAt: next.dueAt, errorCode: f.code, errorMessage: f.message },
        clock.now(),
      );
      return 'retry';
    }
    await settleJob(db, sessionId, attempt, { status: 'done' }, clock.now());
    return 'done';
  }

  async function processItem(item: string): Promise<void> {
    let sessionId: unknown;
    try {
      sessionId = (JSON.parse(item) as { sessionId?: unknown }).sessionId;
    } catch {
      return;
    }
    if (typeof sessionId !== 'string' || sessionId === '') return;
    // Items queued before the job table, or whose job row was never written, are owed a run all the same.
    await ensureJobs(db, [sessionId], clock.now());
    await runJob(sessionId);
  }

  /**
   * Takes queued items until the queue is empty; one drain per instance at a time. Resolves with the items handled.
   * A failure leaves the job to the sweep.
   */
  function drain(): Promise<number> {
    if (draining) {
      again = true;
      return draining;
    }
    draining = (async () => {
      let n = 0;
      do {
        again = false;
        for (;;) {
          const item = await kv.dequeue(PIPELINE_QUEUE);
          if (item === null) break;
          await processItem(item);
          n++;
        }
      } while (again);
      return n;
    })().finally(() => {
      draining = null;
    });
    return draining;
  }

  /**
   * The background sweep (every instance with WEIDAI_BACKGROUND=on, and `weidai worker`; safe side by side): gives a
   * job to each recently completed interview that has neither job nor result, then runs every open job that is due
   * — never queued, queued and lost, left by a worker that died, or waiting out its back-off.
   */
  function sweep(opts: { limit?: number } = {}) {
    const run = sweepOnce(opts.limit ?? 200);
    const tracked = run.catch(() => undefined).finally(() => sweeps.delete(tracked));
    sweeps.add(tracked);
    return run;
  }

  async function sweepOnce(limit: number) {
    const now = clock.now();
    const orphans = await completedWithoutJob(db, new Date(now.getTime() - CATCH_UP_MS), limit);
    await ensureJobs(db, orphans, now);
    const counts = { orphans: orphans.length, done: 0, retry: 0, failed: 0, skipped: 0 };
    const failed: string[] = [];
    for (const sessionId of await dueJobs(db, now, limit)) {
      const r = await runJob(sessionId);
      counts[r]++;
      if (r === 'failed') failed.push(sessionId);
    }
    return { ...counts, failedSessions: failed };
  }

  /** A job row as staff see it. */
  const jobDto = (row: JobRow): PipelineJobDto => ({
    session_id: row.sessionId,
    status: row.status,
    attempts: row.attempts,
    due_at: row.dueAt.toISOString(),
    error: row.errorCode ? { code: row.errorCode, message: row.errorMessage } : null,
    updated_at: row.updatedAt.toISOString(),
  });

  /**
   * The job of an interview's run (review:read, the interview's case in scope): its state, attempts and last error.
   * PIPELINE_JOB_NOT_FOUND when the interview owes no run (not completed, or completed before there were jobs and
   * already scored).
   */
  async function job(actor: Actor, sessionId: string): Promise<PipelineJobDto> {
    authorize(actor, 'review:read');
    await assertJobInScope(actor, sessionId);
    const row = await jobOf(db, sessionId);
    if (!row) throw jobNotFound(sessionId);
    return jobDto(row);
  }

  /** The interview's case must be in the caller's subtree; otherwise its job does not exist for them. */
  async function assertJobInScope(actor: Actor, sessionId: string): Promise<void> {
    const iv = await sources.interview(sessionId);
    if (!iv) throw jobNotFound(sessionId);
    await assertCaseInScope(actor, iv.caseId, () => jobNotFound(sessionId));
  }

  /**
   * Puts a job that gave up back in line (pipeline:run, the interview's case in scope), once whatever made it fail
   * is mended — a model promoted, a source back: pending and due now, its attempts from zero, audited as
   * `pipeline.requeued` under the person, and the queue rung so that a free instance runs it at once (the sweep
   * runs it otherwise). PIPELINE_JOB_NOT_FAILED (409) for a job that is pending, running or done.
   */
  async function requeue(actor: Actor, sessionId: string): Promise<PipelineJobDto> {
    authorize(actor, 'pipeline:run');
    await assertJobInScope(actor, sessionId);
    const row = await db.transaction(async (tx) => {
      const put = await requeueFailedJob(tx, sessionId, clock.now());
      if (!put) {
        const current = await jobOf(tx, sessionId);
        if (!current) throw jobNotFound(sessionId);
        throw jobNotFailed(sessionId, current.status);
      }
      await audit.append(tx, {
        actor: actor.userId,
        action: 'pipeline.requeued',
        entity: 'interview_session',
        entityId: sessionId,
        payload: { lastError: put.errorCode },
      });
      return put;
    });
    await ring(sessionId);
    return jobDto(row);
  }

  /**
   * For the dialog's onCommitted: when a commit completed the interview, record the run it owes, ring the queue
   * and start draining in the background (the applicant's turn does not wait for scoring). If this instance stops
   * before the job row is written, the sweep's catch-up writes it.
   */
  async function afterCommit(
    session: { id: string; status: string },
    events: readonly { kind: string }[],
  ): Promise<void> {
    if (session.status !== 'completed' || !events.some((e) => e.kind === 'end')) return;
    await ensureJobs(db, [session.id], clock.now());
    await ring(session.id);
  }

  /** Says "look now" for an owed job: queues it and, on an instance that drains, starts draining in the background. */
  async function ring(sessionId: string): Promise<void> {
    await kv.enqueue(PIPELINE_QUEUE, JSON.stringify({ sessionId }));
    if (deps.drainOnCommit !== false) drain().catch(() => undefined);
  }

  /** Resolves when this instance has no drain or sweep running (tests, shutdown). */
  async function idle(): Promise<void> {
    while (draining || sweeps.size > 0) {
      await Promise.all([draining?.catch(() => undefined), ...sweeps]);
    }
  }

  return {
    run,
    runForSession,
    latest,
    latestOutcomes,
    getResult,
    replay,
    afterCommit,
    drain,
    sweep,
    job,
    requeue,
    idle,
    codeVersion,
  };
}

export type PipelineService = ReturnType<typeof createPipelineService>;

export type { DecisionRules, LimitConfig };
