import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { createPgDialogStore } from '../../../src/dialog/session/store.pg.js';
import type { AppContext } from '../../../src/platform/context.js';
import {
  PIPELINE_QUEUE,
  createPipelineService,
  createPipelineSources,
  hashOf,
} from '../../../src/scoring/pipeline/index.js';
import type {
  PipelineResultDto,
  PipelineService,
  PipelineSources,
  ReplayDto,
} from '../../../src/scoring/pipeline/index.js';
import { startBackgroundJobs } from '../../../src/platform/jobs.js';
import { defaultPricingParams } from '../../../src/scoring/pricing/index.js';
import { type DemoApp, buildDemoApp, finishDemoInterview, rows } from './demo.js';

describe('the scoring pipeline on a finished demo interview', { timeout: 120_000 }, () => {
  let d: DemoApp;
  let caseId: string;
  let sessionId: string;
  let first: PipelineResultDto;

  const sourcesOf = (ctx: AppContext): PipelineSources =>
    createPipelineSources({
      cases: ctx.cases,
      screening: ctx.screening,
      models: ctx.models,
      dialogStore: createPgDialogStore(ctx.db),
    });
  const serviceWith = (over: Partial<Parameters<typeof createPipelineService>[0]>): PipelineService =>
    createPipelineService({
      db: d.ctx.db,
      clock: d.ctx.clock,
      ids: d.ctx.ids,
      audit: d.ctx.audit,
      kv: d.ctx.kv,
      sources: sourcesOf(d.ctx),
      ...over,
    });

  beforeAll(async () => {
    d = await buildDemoApp();
    ({ caseId, sessionId } = await finishDemoInterview(d));
    // The completing turn queued the run; it drains in the background.
    await d.ctx.pipeline.idle();
  }, 120_000);
  afterAll(async () => d?.close());

  it('records a result when the interview completes, with reasons, verified facts and a price breakdown', async () => {
    const res = await d.app.inject({
      method: 'GET',
      url: `/api/v1/cases/${caseId}/pipeline`,
      headers: await d.headers('remote_expert'),
    });
    expect(res.statusCode).toBe(200);
    first = res.json<PipelineResultDto>();
    expect(first).toMatchObject({ case_id: caseId, session_id: sessionId, trigger: 'interview_completed' });
    expect(['approve', 'refer', 'decline']).toContain(first.outcome);
    const r = first.result;
    expect(r.reasons.length).toBeGreaterThan(0);
    for (const reason of r.reasons) {
      expect(reason.text['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
      expect(reason.text['en-US']).toMatch(/[a-z]/);
    }
    expect(r.price.components.map((c) => c.key)).toEqual([
      'funding',
      'operating',
      'expected_loss',
      'capital',
      'margin',
    ]);
    expect(r.price.annualRateBp).toBeGreaterThanOrEqual(defaultPricingParams.product.floorRateBp);
    expect(r.price.annualRateBp).toBeLessThanOrEqual(defaultPricingParams.product.capRateBp);
    expect(r.price.quoteZh).toMatch(/^1年期LPR [+−] \d+个基点$/);
    expect(JSON.stringify(r)).not.toMatch(/NaN|Infinity/);
    // Only consistent facts are verified, each with the questions that verified it.
    expect(r.facts.verified.length + r.facts.doubtful.length + r.facts.contradicted.length).toBeGreaterThan(
      0,
    );
    for (const f of r.facts.verified) {
      expect(f.status).toBe('consistent');
      expect(f.evidence.length).toBeGreaterThan(0);
      expect(f.evidence[0]!.questionId).toMatch(/\S/);
    }
    expect(first.inputs.interview?.status).toBe('completed');
    expect(first.inputs_hash).toBe(hashOf(first.inputs));
    expect(first.versions).toMatchObject({
      catalogue: expect.any(String),
      scorecard: { id: 'emtool', version: 1 },
      model: 'demo-v2',
      pricingParams: {
        version: defaultPricingParams.version,
        effectiveFrom: defaultPricingParams.effectiveFrom,
      },
      admissionRules: expect.any(String),
      limitConfig: expect.stringMatching(/^sha256:[0-9a-f]{16}$/),
      code: '0.1.0',
    });
    expect(r.model?.modelVersion).toBe('demo-v2');
    // Every rule has a verdict; one without data is listed as missing and keeps the case from approval.
    expect(r.admission.map((a) => a.ruleId)).toContain('identity_match');
    for (const a of r.admission.filter((x) => x.status === 'missing')) {
      for (const s of a.sources) expect(r.missing.map((m) => m.key)).toContain(s);
      expect(first.outcome).not.toBe('approve');
    }
  });

  it('replays the recorded result exactly', async () => {
    const res = await d.app.inject({
      method: 'POST',
      url: `/api/v1/pipeline/results/${first.id}/replay`,
      headers: await d.headers('remote_expert'),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json<ReplayDto>()).toMatchObject({
      result_id: first.id,
      identical: true,
      inputs_hash_ok: true,
      differences: [],
      outcome: { recorded: first.outcome, replayed: first.outcome },
    });
  });

  it('computes an interview once, however often its completion is queued', async () => {
    await d.ctx.kv.enqueue(PIPELINE_QUEUE, JSON.stringify({ sessionId, attempt: 1 }));
    await d.ctx.pipeline.drain();
    expect((await d.ctx.pipeline.runForSession(sessionId)).id).toBe(first.id);
    const n = await rows(
      d.ctx,
      sql`select count(*)::int as n from pipeline_results where session_id = ${sessionId}`,
    );
    expect(n[0]!.n).toBe(1);
    const audit = await rows(
      d.ctx,
      sql`select actor, payload from audit_events where action = 'pipeline.result' and entity_id = ${caseId}`,
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor: 'system',
      payload: { resultId: first.id, outcome: first.outcome },
    });
  });

  it('only queues the run on an instance that does not drain; the background jobs run it', async () => {
    const other = serviceWith({ drainOnCommit: false });
    const before = await rows(d.ctx, sql`select count(*)::int as n from pipeline_results`);
    await other.afterCommit({ id: sessionId, status: 'completed' }, [{ kind: 'end' }]);
    await other.idle();
    const queued = await d.ctx.kv.dequeue(PIPELINE_QUEUE);
    expect(queued).toContain(sessionId);
    expect(await d.ctx.kv.dequeue(PIPELINE_QUEUE)).toBeNull();
    await d.ctx.kv.enqueue(PIPELINE_QUEUE, queued!);
    const jobs = startBackgroundJobs({ ...d.ctx, pipeline: other }, { warn: () => undefined }, 3_600_000);
    await jobs.tick();
    jobs.stop();
    expect(await d.ctx.kv.dequeue(PIPELINE_QUEUE)).toBeNull();
    // The run was already recorded: the queued job finds it and records nothing new.
    expect(await rows(d.ctx, sql`select count(*)::int as n from pipeline_results`)).toEqual(before);
  });

  it('runs again when an expert asks, with the same interview, audited under the expert', async () => {
    const headers = await d.headers('remote_expert');
    d.clock.advance(60_000);
    const res = await d.app.inject({ method: 'POST', url: `/api/v1/cases/${caseId}/pipeline/run`, headers });
    expect(res.statusCode).toBe(201);
    const again = res.json<PipelineResultDto>();
    expect(again).toMatchObject({ trigger: 'requested', session_id: sessionId, outcome: first.outcome });
    expect(again.id).not.toBe(first.id);
    expect(again.inputs_hash).toBe(first.inputs_hash);
    expect(again.result).toEqual(first.result);
    const latest = await d.app.inject({ method: 'GET', url: `/api/v1/cases/${caseId}/pipeline`, headers });
    expect(latest.json<PipelineResultDto>().id).toBe(again.id);
    const audit = await rows(
      d.ctx,
      sql`select actor from audit_events where action = 'pipeline.result' and payload->>'resultId' = ${again.id}`,
    );
    expect(audit[0]!.actor).toBe(again.requested_by);
  });

  it('shows every difference when a stored result was altered, and refuses altered inputs', async () => {
    const run = await d.ctx.pipeline.run(
      (await d.ctx.identity.authenticate((await d.headers('remote_expert')).authorization.slice(7)))!,
      caseId,
    );
    // Alter the stored outcome to one it was not, and the rate.
    const altered = first.outcome === 'decline' ? 'approve' : 'decline';
    await d.ctx.db.execute(
      sql`update pipeline_results set body = jsonb_set(jsonb_set(body, '{outcome}', ${JSON.stringify(altered)}::jsonb), '{price,annualRateBp}', '1') where id = ${run.id}`,
    );
    const headers = await d.headers('remote_expert');
    const res = await d.app.inject({
      method: 'POST',
      url: `/api/v1/pipeline/results/${run.id}/replay`,
      headers,
    });
    const replay = res.json<ReplayDto>();
    expect(replay.identical).toBe(false);
    expect(replay.differences).toEqual(
      expect.arrayContaining([
        { path: 'outcome', recorded: altered, replayed: first.outcome },
        { path: 'price.annualRateBp', recorded: 1, replayed: first.result.price.annualRateBp },
      ]),
    );
    await d.ctx.db.execute(
      sql`update pipeline_results set inputs = jsonb_set(inputs, '{loan,amountFen}', '1') where id = ${run.id}`,
    );
    const tampered = await d.app.inject({
      method: 'POST',
      url: `/api/v1/pipeline/results/${run.id}/replay`,
      headers,
    });
    expect(tampered.statusCode).toBe(409);
    expect(tampered.json().code).toBe('PIPELINE_RESULT_TAMPERED');
  });

  it('never re-prices a recorded result when the parameters change; a new run uses the new set', async () => {
    const dearer = {
      ...defaultPricingParams,
      version: '2026-01-01.1',
      effectiveFrom: '2026-01-01',
      ftpSpreadBp: 250,
    };
    const svc = serviceWith({ pricingParams: [defaultPricingParams, dearer] });
    const expert = (await d.ctx.identity.authenticate(
      (await d.headers('remote_expert')).authorization.slice(7),
    ))!;
    const replay = await svc.replay(expert, first.id);
    expect(replay.identical).toBe(true);
    const fresh = await svc.run(expert, caseId);
    expect(fresh.versions.pricingParams.version).toBe('2026-01-01.1');
    const funding = (x: PipelineResultDto) => x.result.price.components.find((c) => c.key === 'funding')!.bp;
    expect(funding(fresh)).toBe('550.00');
    expect(funding(first)).toBe('350.00');
    const stored = await d.ctx.pipeline.getResult(expert, first.id);
    expect(stored.result).toEqual(first.result);
  });

  describe('bad input surfaces as a clear 4xx, never a NaN price', () => {
    const sets: unknown[] = [defaultPricingParams];
    let score: PipelineSources['score'] | null = null;
    let app: FastifyInstance;
    beforeAll(async () => {
      const base = sourcesOf(d.ctx);
      const pipeline = serviceWith({
        pricingParams: sets,
        sources: { ...base, score: (row, v) => (score ? score(row, v) : base.score(row, v)) },
      });
      app = await buildApp(
        { ...d.ctx, pipeline },
        { logStream: new Writable({ write: (_c, _e, cb) => cb() }) },
      );
      await app.ready();
    });
    afterAll(async () => app?.close());
    const run = async () =>
      app.inject({
        method: 'POST',
        url: `/api/v1/cases/${caseId}/pipeline/run`,
        headers: await d.headers('remote_expert'),
      });

    it.each([
      [
        'a parameter set with a gap',
        { ...defaultPricingParams, hurdleRateBp: undefined },
        422,
        'PRICING_PARAMS_INVALID',
      ],
      [
        'a negative LGD',
        { ...defaultPricingParams, lgd: { ...defaultPricingParams.lgd, unsecured: -0.1 } },
        422,
        'PRICING_PARAMS_INVALID',
      ],
      [
        'an unknown asset class',
        { ...defaultPricingParams, defaultAssetClass: 'sovereign' },
        422,
        'PRICING_PARAMS_INVALID',
      ],
      [
        'no set in force yet',
        {
          ...defaultPricingParams,
          effectiveFrom: '2099-01-01',
          lpr: [{ effectiveFrom: '2099-01-01', oneYearBp: 300, fiveYearBp: 350 }],
        },
        422,
        'PRICING_PARAMS_NOT_IN_FORCE',
      ],
    ])('%s', async (_name, params, status, code) => {
      sets[0] = params;
      try {
        const res = await run();
        expect(res.statusCode).toBe(status);
        expect(res.json().code).toBe(code);
        expect(res.body).not.toMatch(/NaN/);
      } finally {
        sets[0] = defaultPricingParams;
      }
    });

    it.each([
      ['above one', 1.5],
      ['not a number', Number.NaN],
    ])('a model probability %s → 400 PD_OUT_OF_RANGE', async (_name, probability) => {
      score = async () => ({ modelVersion: 'x', probability, grade: 'C', topFactors: [] });
      try {
        const res = await run();
        expect(res.statusCode).toBe(400);
        expect(res.json().code).toBe('PD_OUT_OF_RANGE');
      } finally {
        score = null;
      }
    });

    it('a PD of one (a borrower in default) → 422 BORROWER_IN_DEFAULT', async () => {
      score = async () => ({ modelVersion: 'x', probability: 1, grade: 'E', topFactors: [] });
      try {
        const res = await run();
        expect(res.statusCode).toBe(422);
        expect(res.json().code).toBe('BORROWER_IN_DEFAULT');
      } finally {
        score = null;
      }
    });
  });

  describe('access', () => {
    it('hides another branch’s case and its results as not found', async () => {
      const headers = await d.headers('loan_officer_b');
      const latest = await d.app.inject({ method: 'GET', url: `/api/v1/cases/${caseId}/pipeline`, headers });
      expect(latest.statusCode).toBe(404);
      expect(latest.json().code).toBe('CASE_NOT_FOUND');
      const run = await d.app.inject({
        method: 'POST',
        url: `/api/v1/cases/${caseId}/pipeline/run`,
        headers,
      });
      expect(run.statusCode).toBe(404);
      const replay = await d.app.inject({
        method: 'POST',
        url: `/api/v1/pipeline/results/${first.id}/replay`,
        headers,
      });
      expect(replay.statusCode).toBe(404);
      expect(replay.json().code).toBe('PIPELINE_RESULT_NOT_FOUND');
    });

    it('refuses a role without review:read, and an unknown result', async () => {
      const admin = await d.app.inject({
        method: 'GET',
        url: `/api/v1/cases/${caseId}/pipeline`,
        headers: await d.headers('admin'),
      });
      expect(admin.statusCode).toBe(403);
      const missing = await d.app.inject({
        method: 'GET',
        url: '/api/v1/pipeline/results/00000000-0000-0000-0000-000000000000',
        headers: await d.headers('remote_expert'),
      });
      expect(missing.statusCode).toBe(404);
      expect(missing.json().code).toBe('PIPELINE_RESULT_NOT_FOUND');
    });

    it('lets an auditor read results but not record one: asking for a run needs pipeline:run', async () => {
      const headers = await d.headers('auditor');
      const latest = await d.app.inject({ method: 'GET', url: `/api/v1/cases/${caseId}/pipeline`, headers });
      expect(latest.statusCode).toBe(200);
      for (const who of ['auditor', 'compliance']) {
        const run = await d.app.inject({
          method: 'POST',
          url: `/api/v1/cases/${caseId}/pipeline/run`,
          headers: await d.headers(who),
        });
        expect(run.statusCode).toBe(403);
        expect(run.json().code).toBe('PERMISSION_DENIED');
      }
    });

    it('refuses a session of another case', async () => {
      const res = await d.app.inject({
        method: 'POST',
        url: `/api/v1/cases/${caseId}/pipeline/run`,
        headers: await d.headers('remote_expert'),
        payload: { session_id: 'no-such-session' },
      });
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('SESSION_NOT_FOUND');
    });
  });
});
