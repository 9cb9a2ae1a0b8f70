import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDialogStore } from '../../../src/dialog/session/store.pg.js';
import {
  DEFAULT_RETRY_POLICY,
  PIPELINE_QUEUE,
  createPipelineService,
  createPipelineSources,
} from '../../../src/scoring/pipeline/index.js';
import type { PipelineJobDto, PipelineSources } from '../../../src/scoring/pipeline/index.js';
import { type DemoApp, buildDemoApp, finishDemoInterview, rows } from './demo.js';

/** A promise and the function that settles it, for a worker held at a point of the test's choosing. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

describe(
  'scoring jobs: every completed interview is scored once, whatever happens to its worker',
  {
    timeout: 120_000,
  },
  () => {
    let d: DemoApp;
    /** Completed on an instance that leaves runs to workers (WEIDAI_BACKGROUND=off): owed, queued, not run. */
    let s1: { caseId: string; sessionId: string };
    let s2: { caseId: string; sessionId: string };
    const lease = DEFAULT_RETRY_POLICY.leaseMs;

    /** Each worker's reads, counted per session: one `analysis` read per run computed. */
    const computed = new Map<string, number>();
    const caseSession = new Map<string, string>();

    /**
     * A worker: another pipeline service on the same database and queue. `hold` stops it inside a run of that
     * session (after its claim) until the gate opens; `fail` makes the interview's read throw.
     */
    const worker = (
      opts: { hold?: { sessionId: string; entered: () => void; until: Promise<void> }; fail?: string } = {},
    ) => {
      const real = createPipelineSources({
        cases: d.ctx.cases,
        screening: d.ctx.screening,
        models: d.ctx.models,
        dialogStore: createPgDialogStore(d.ctx.db),
      });
      const sources: PipelineSources = {
        ...real,
        async interview(sessionId) {
          if (opts.hold?.sessionId === sessionId) {
            opts.hold.entered();
            await opts.hold.until;
          }
          if (opts.fail === sessionId) throw new Error('connection reset');
          return real.interview(sessionId);
        },
        async analysis(caseId) {
          const s = caseSession.get(caseId) ?? caseId;
          computed.set(s, (computed.get(s) ?? 0) + 1);
          return real.analysis(caseId);
        },
      };
      return createPipelineService({
        db: d.ctx.db,
        clock: d.ctx.clock,
        ids: d.ctx.ids,
        audit: d.ctx.audit,
        kv: d.ctx.kv,
        sources,
        drainOnCommit: false,
      });
    };

    const jobRow = async (sessionId: string) =>
      (
        await rows(
          d.ctx,
          sql`select status, attempts, error_code from pipeline_jobs where session_id = ${sessionId}`,
        )
      )[0];
    const results = async (sessionId: string) =>
      (await rows(d.ctx, sql`select id from pipeline_results where session_id = ${sessionId}`)).length;
    const resultEvents = async (caseId: string) =>
      (
        await rows(
          d.ctx,
          sql`select seq from audit_events where action = 'pipeline.result' and entity_id = ${caseId}`,
        )
      ).length;
    const failedEvents = async (sessionId: string) =>
      rows(
        d.ctx,
        sql`select payload from audit_events where action = 'pipeline.failed' and entity_id = ${sessionId}`,
      );

    /** An interview completed on this instance; `stopped`: its instance stopped before it wrote the job. */
    async function completed(opts: { stopped?: boolean } = {}) {
      const { afterCommit } = d.ctx.pipeline;
      if (opts.stopped) d.ctx.pipeline.afterCommit = async () => undefined;
      try {
        const s = await finishDemoInterview(d);
        caseSession.set(s.caseId, s.sessionId);
        return s;
      } finally {
        d.ctx.pipeline.afterCommit = afterCommit;
      }
    }

    beforeAll(async () => {
      d = await buildDemoApp({ background: false });
      s1 = await completed();
      s2 = await completed();
    }, 240_000);
    afterAll(async () => d?.close());

    it('records the run a completed interview owes before it rings the queue, and shows it to staff', async () => {
      expect(await jobRow(s1.sessionId)).toEqual({ status: 'pending', attempts: 0, error_code: null });
      expect(await results(s1.sessionId)).toBe(0);
      const res = await d.app.inject({
        method: 'GET',
        url: `/api/v1/pipeline/jobs/${s1.sessionId}`,
        headers: await d.headers('remote_expert'),
      });
      expect(res.statusCode).toBe(200);
      expect(res.json<PipelineJobDto>()).toMatchObject({
        session_id: s1.sessionId,
        status: 'pending',
        attempts: 0,
        error: null,
      });
    });

    it('computes each job once when two workers sweep and drain at the same moment', async () => {
      const [b, c] = [worker(), worker()];
      const runs = await Promise.all([b.sweep(), c.sweep(), b.drain(), c.drain()]);
      for (const s of [s1, s2]) {
        expect(computed.get(s.sessionId)).toBe(1);
        expect(await results(s.sessionId)).toBe(1);
        expect(await resultEvents(s.caseId)).toBe(1);
        expect(await jobRow(s.sessionId)).toEqual({ status: 'done', attempts: 1, error_code: null });
      }
      expect(runs[0].done + runs[1].done).toBeLessThanOrEqual(2);
      // Both queue items were taken; whoever took one after the run found the job done.
      expect(await d.ctx.kv.dequeue(PIPELINE_QUEUE)).toBeNull();
    });

    it('runs a job whose worker died holding it on another worker once its lease lapses, and only once', async () => {
      const s3 = await completed();
      const held = gate();
      const entered = gate();
      const a = worker({ hold: { sessionId: s3.sessionId, entered: entered.open, until: held.opened } });
      // Worker A takes the queue item and claims the job, then hangs: as good as dead. The item is gone.
      const aDrain = a.drain();
      await entered.opened;
      expect(await d.ctx.kv.dequeue(PIPELINE_QUEUE)).toBeNull();
      expect(await jobRow(s3.sessionId)).toMatchObject({ status: 'running', attempts: 1 });

      // While A's lease holds, B leaves the job alone.
      const b = worker();
      expect(await b.sweep()).toMatchObject({ done: 0, skipped: 0 });
      d.clock.advance(lease + 1);
      expect(await b.sweep()).toMatchObject({ done: 1 });
      expect(await results(s3.sessionId)).toBe(1);
      expect(await jobRow(s3.sessionId)).toEqual({ status: 'done', attempts: 2, error_code: null });

      // A wakes after all and finishes its computation (a paused worker cannot be stopped), but the result is
      // recorded once, with one audit event, and A's stale claim cannot touch the job.
      held.open();
      await aDrain;
      expect(computed.get(s3.sessionId)).toBe(2);
      expect(await results(s3.sessionId)).toBe(1);
      expect(await resultEvents(s3.caseId)).toBe(1);
      expect(await jobRow(s3.sessionId)).toEqual({ status: 'done', attempts: 2, error_code: null });
    });

    it('writes and runs the job of an interview whose instance stopped before writing it', async () => {
      const s4 = await completed({ stopped: true });
      expect(await jobRow(s4.sessionId)).toBeUndefined();
      expect(await d.ctx.kv.dequeue(PIPELINE_QUEUE)).toBeNull();
      expect(await worker().sweep()).toMatchObject({ orphans: 1, done: 1 });
      expect(await results(s4.sessionId)).toBe(1);
      expect(await jobRow(s4.sessionId)).toEqual({ status: 'done', attempts: 1, error_code: null });
      expect(await worker().sweep()).toMatchObject({ orphans: 0, done: 0 });
    });

    it('marks a job that fails for good with its error and an audit event, and never tries it again', async () => {
      const ghost = 'session-that-was-never-there';
      const b = worker();
      await b.afterCommit({ id: ghost, status: 'completed' }, [{ kind: 'end' }]);
      const r = await b.sweep();
      expect(r).toMatchObject({ failed: 1, failedSessions: [ghost] });
      expect(await jobRow(ghost)).toEqual({ status: 'failed', attempts: 1, error_code: 'SESSION_NOT_FOUND' });
      expect(await failedEvents(ghost)).toEqual([{ payload: { attempt: 1, code: 'SESSION_NOT_FOUND' } }]);
      // Queued again and swept a day later: still failed, not tried.
      await b.drain();
      d.clock.advance(24 * 3600_000);
      expect(await b.sweep()).toMatchObject({ done: 0, retry: 0, failed: 0 });
      expect(await jobRow(ghost)).toEqual({ status: 'failed', attempts: 1, error_code: 'SESSION_NOT_FOUND' });
      expect(await failedEvents(ghost)).toHaveLength(1);
    });

    it('tries a transient failure again after a growing back-off and gives up after the bound', async () => {
      const flaky = 'session-whose-reads-keep-failing';
      const b = worker({ fail: flaky });
      await b.afterCommit({ id: flaky, status: 'completed' }, [{ kind: 'end' }]);
      await b.drain();
      expect(await jobRow(flaky)).toEqual({ status: 'pending', attempts: 1, error_code: 'INTERNAL_ERROR' });
      // Not before its back-off.
      expect(await b.sweep()).toMatchObject({ retry: 0 });
      d.clock.advance(30_000);
      expect(await b.sweep()).toMatchObject({ retry: 1 });
      expect(await jobRow(flaky)).toMatchObject({ status: 'pending', attempts: 2 });
      d.clock.advance(120_000);
      expect(await b.sweep()).toMatchObject({ failed: 1 });
      expect(await jobRow(flaky)).toEqual({ status: 'failed', attempts: 3, error_code: 'INTERNAL_ERROR' });
      d.clock.advance(24 * 3600_000);
      expect(await b.sweep()).toMatchObject({ retry: 0, failed: 0 });
      expect(await failedEvents(flaky)).toEqual([{ payload: { attempt: 3, code: 'INTERNAL_ERROR' } }]);
    });

    it('lets a person put a failed job back in line once its cause is mended; it then runs once, audited', async () => {
      const s = await completed();
      const url = `/api/v1/pipeline/jobs/${s.sessionId}/requeue`;
      const officer = () => d.headers('loan_officer');
      // Not failed yet: nothing to re-queue.
      const early = await d.app.inject({ method: 'POST', url, headers: await officer() });
      expect(early.statusCode).toBe(409);
      expect(early.json()).toMatchObject({ code: 'PIPELINE_JOB_NOT_FAILED', details: { status: 'pending' } });
      // Its reads fail on every attempt until the worker gives up.
      const broken = worker({ fail: s.sessionId });
      await broken.sweep();
      for (let i = 0; i < DEFAULT_RETRY_POLICY.maxAttempts; i++) {
        d.clock.advance(24 * 3600_000);
        await broken.sweep();
      }
      expect(await jobRow(s.sessionId)).toMatchObject({ status: 'failed', error_code: 'INTERNAL_ERROR' });
      expect(await results(s.sessionId)).toBe(0);

      // An auditor reads the job but may not put it back; an officer of another branch does not see it.
      const auditor = await d.headers('auditor');
      const seen = await d.app.inject({
        method: 'GET',
        url: `/api/v1/pipeline/jobs/${s.sessionId}`,
        headers: auditor,
      });
      expect(seen.json<PipelineJobDto>()).toMatchObject({
        status: 'failed',
        error: { code: 'INTERNAL_ERROR' },
      });
      const refused = await d.app.inject({ method: 'POST', url, headers: auditor });
      expect(refused.statusCode).toBe(403);
      expect(refused.json().code).toBe('PERMISSION_DENIED');
      const hidden = await d.app.inject({ method: 'POST', url, headers: await d.headers('loan_officer_b') });
      expect(hidden.statusCode).toBe(404);
      expect(await jobRow(s.sessionId)).toMatchObject({ status: 'failed' });

      // Mended: the officer puts it back; a healthy worker runs it, once.
      const put = await d.app.inject({ method: 'POST', url, headers: await officer() });
      expect(put.statusCode).toBe(200);
      expect(put.json<PipelineJobDto>()).toMatchObject({ status: 'pending', attempts: 0 });
      const again = await d.app.inject({ method: 'POST', url, headers: await officer() });
      expect(again.statusCode).toBe(409);
      await d.ctx.pipeline.idle();
      await worker().sweep();
      expect(await jobRow(s.sessionId)).toMatchObject({ status: 'done' });
      expect(await results(s.sessionId)).toBe(1);
      const requeued = await rows(
        d.ctx,
        sql`select actor, payload from audit_events where action = 'pipeline.requeued' and entity_id = ${s.sessionId}`,
      );
      expect(requeued).toHaveLength(1);
      expect(requeued[0]).toMatchObject({ payload: { lastError: 'INTERNAL_ERROR' } });
      expect((await d.ctx.audit.verify(d.ctx.db)).ok).toBe(true);
    });

    it('gives up on a job that every worker died holding, after the bound', async () => {
      const poison = 'session-that-kills-its-worker';
      await worker().afterCommit({ id: poison, status: 'completed' }, [{ kind: 'end' }]);
      const held = gate();
      const hung: Promise<unknown>[] = [];
      for (let i = 1; i <= DEFAULT_RETRY_POLICY.maxAttempts; i++) {
        const entered = gate();
        hung.push(worker({ hold: { sessionId: poison, entered: entered.open, until: held.opened } }).sweep());
        await entered.opened;
        expect(await jobRow(poison)).toMatchObject({ status: 'running', attempts: i });
        d.clock.advance(lease + 1);
      }
      expect(await worker().sweep()).toMatchObject({ failed: 1, failedSessions: [poison] });
      expect(await jobRow(poison)).toEqual({
        status: 'failed',
        attempts: DEFAULT_RETRY_POLICY.maxAttempts + 1,
        error_code: 'PIPELINE_WORKER_LOST',
      });
      // The hung workers wake to a job that is no longer theirs: nothing they do changes it.
      held.open();
      await Promise.all(hung);
      expect(await jobRow(poison)).toMatchObject({ status: 'failed', error_code: 'PIPELINE_WORKER_LOST' });
      expect(await failedEvents(poison)).toHaveLength(1);
      expect((await d.ctx.audit.verify(d.ctx.db)).ok).toBe(true);
    });
  },
);
