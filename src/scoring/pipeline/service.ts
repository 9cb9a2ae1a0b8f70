/**
 * The pipeline as a service: gather the case's inputs, run the pure core (evaluate.ts) with the model in between,
 * and record the result with its inputs' hash, configuration and versions — the row and its audit event in one
 * transaction. Runs start when an interview completes (a job on the key-value queue, idempotent by session) or
 * when a person asks; a replay recomputes a recorded result from its own row and reports every difference.
 * Every call for a person checks permission and branch scope first (a case outside the subtree is not found).
 */
import { readFileSync } from 'node:fs';
import { and, desc, eq, isNotNull } from 'drizzle-orm';
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
import { resultNotFound, resultTampered, sessionNotFound } from './errors.js';
import type { PipelineConfig } from './evaluate.js';
import { completePipeline, prepareScoring } from './evaluate.js';
import { caseInputsOf } from './gather.js';
import type { DecisionRules } from './rules.js';
import { DEFAULT_DECISION_RULES, parseDecisionRules } from './rules.js';
import type { PipelineSources } from './sources.js';
import { pipelineResults } from './tables.js';
import type { CaseInputs, ModelScore, PipelineBody, Versions } from './types.js';

export const PIPELINE_QUEUE = 'pipeline:jobs';
const SYSTEM = 'system';
const MAX_ATTEMPTS = 3;
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
   * A person asks for a fresh result (review:read): the named interview, else the last one a result used, else
   * none (the result then says so).
   */
  async function run(actor: Actor, caseId: string, input: { sessionId?: string | undefined } = {}) {
    authorize(actor, 'review:read');
    await sources.caseFor(actor, caseId);
    const sessionId = input.sessionId ?? (await latestSessionOf(caseId));
    const inputs = await gather(actor, caseId, sessionId);
    return toDto((await record(inputs, { trigger: 'requested', actorId: actor.userId })).row);
  }

  async function loadInScope(actor: Actor, id: string): Promise<Row> {
    authorize(actor, 'review:read');
    const [row] = await db.select().from(pipelineResults).where(eq(pipelineResults.id, id));
    if (!row) throw resultNotFound(id);
    try {
      await sources.caseFor(actor, row.caseId);
    } catch (e) {
      // A result of a case outside the caller's subtree does not exist for them.
      if (isAppError(e) && e.status === 404) throw resultNotFound(id);
      throw e;
    }
    return row;
  }

  /** The newest result of a case with its breakdown (review:read); PIPELINE_RESULT_NOT_FOUND when none. */
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
  // The interview trigger: a job on the shared queue, drained by whichever instance is free.

  let draining: Promise<number> | null = null;
  let again = false;

  async function processJob(item: string): Promise<void> {
    let job: { sessionId: string; attempt: number };
    try {
      job = JSON.parse(item) as { sessionId: string; attempt: number };
    } catch {
      return;
    }
    try {
      await runForSession(job.sessionId);
    } catch (e) {
      if (job.attempt < MAX_ATTEMPTS && !(isAppError(e) && e.status < 500)) {
        await kv.enqueue(PIPELINE_QUEUE, JSON.stringify({ ...job, attempt: job.attempt + 1 }));
        return;
      }
      await db.transaction((tx) =>
        audit.append(tx, {
          actor: SYSTEM,
          action: 'pipeline.failed',
          entity: 'interview_session',
          entityId: job.sessionId,
          payload: { attempt: job.attempt, code: isAppError(e) ? e.code : 'INTERNAL_ERROR' },
        }),
      );
    }
  }

  /** Takes jobs until the queue is empty; one drain per instance at a time. Resolves with the jobs handled. */
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
          await processJob(item);
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
   * For the dialog's onCommitted: when a commit completed the interview, queue its pipeline run and start
   * draining in the background (the applicant's turn does not wait for scoring).
   */
  async function afterCommit(
    session: { id: string; status: string },
    events: readonly { kind: string }[],
  ): Promise<void> {
    if (session.status !== 'completed' || !events.some((e) => e.kind === 'end')) return;
    await kv.enqueue(PIPELINE_QUEUE, JSON.stringify({ sessionId: session.id, attempt: 1 }));
    if (deps.drainOnCommit !== false) drain().catch(() => undefined);
  }

  /** Resolves when this instance has no drain running (tests, shutdown). */
  async function idle(): Promise<void> {
    while (draining) await draining.catch(() => undefined);
  }

  return { run, runForSession, latest, getResult, replay, afterCommit, drain, idle, codeVersion };
}

export type PipelineService = ReturnType<typeof createPipelineService>;

export type { DecisionRules, LimitConfig };
