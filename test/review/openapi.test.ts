import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeClock } from '../../src/platform/deps.js';
import type { TestApp } from '../helper.js';
import { actorOf, buildReviewTestApp, finishedInterview } from './helper.js';

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: object }> }>;
}

/** The routes of src/review/routes.ts and src/scoring/pipeline/routes.ts. */
const OURS = /^\/api\/v1\/(review\/|recordings|pipeline\/|cases\/\{id\}\/pipeline)/;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

describe('review and pipeline responses', () => {
  const clock = fakeClock(new Date('2026-03-12T02:00:00Z'));
  let t: TestApp;
  let first: { caseId: string; sessionId: string };

  beforeAll(async () => {
    t = await buildReviewTestApp({ clock });
    first = await finishedInterview(t, await actorOf(t, 'loan_officer'), clock);
  }, 60_000);
  afterAll(async () => t?.close());

  it('describes the success response of every review, recordings and pipeline operation in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
      paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>;
    }>();
    const ops = Object.entries(doc.paths)
      .filter(([path]) => OURS.test(path))
      .flatMap(([path, item]) =>
        METHODS.filter((m) => item[m]).map((m) => ({ op: `${m} ${path}`, ...item[m]! })),
      );
    expect(ops.length).toBeGreaterThanOrEqual(25);
    const undescribed = ops
      .filter(({ responses = {} }) => {
        const success = Object.entries(responses).filter(([status]) => /^2\d\d$/.test(status));
        // A 204 has no body; every other success names its media type and schema.
        return (
          success.length === 0 ||
          success.some(
            ([status, r]) => status !== '204' && !Object.values(r.content ?? {}).some((c) => c.schema),
          )
        );
      })
      .map(({ op }) => op);
    expect(undescribed).toEqual([]);
  });

  it('serves every read of the desk and the recordings through its response schema, and a bundle that still verifies', async () => {
    const expert = await t.loginAs('remote_expert');
    const compliance = await t.loginAs('compliance');
    const get = async (url: string, headers: Record<string, string>) => {
      const res = await t.app.inject({ method: 'GET', url, headers });
      expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(200);
      return res;
    };
    const s = first.sessionId;
    const queue = (await get('/api/v1/review/queue', expert)).json<{ sessionId: string; case: object }[]>();
    expect(queue.find((q) => q.sessionId === s)?.case).toMatchObject({ id: first.caseId });
    const view = (await get(`/api/v1/review/interviews/${s}`, expert)).json();
    // Fields a forgotten key in the shape would have dropped.
    expect(Object.keys(view).sort()).toEqual(
      [
        'item',
        'case',
        'survey',
        'financials',
        'financialsMissing',
        'crossChecks',
        'screening',
        'screeningMissing',
        'consents',
        'interview',
        'transcript',
        'flags',
        'reliability',
        'pipeline',
        'opinion',
      ].sort(),
    );
    expect(view.transcript.length).toBeGreaterThan(0);
    expect(view.financials).not.toBeNull();
    expect(view.crossChecks.checks.length).toBeGreaterThan(0);
    expect(Object.keys(view.survey.answers).length).toBeGreaterThan(0);
    // The pipeline's result through the review's port, in the pipeline's own shape.
    expect(view.pipeline.price.annualRateBp).toBeTypeOf('number');
    expect(view.pipeline.versions.code).toBeTypeOf('string');
    await get(`/api/v1/recordings?limit=10`, compliance);
    const rec = (await get(`/api/v1/recordings/${s}`, compliance)).json();
    expect(rec.events[0].event.seq).toBe(1);
    expect(rec.events[0].event.kind).toBeTypeOf('string');
    const timeline = (await get(`/api/v1/recordings/${s}/timeline`, compliance)).json();
    expect(timeline.entries[0]).toMatchObject({ seq: 1, offsetMs: expect.any(Number) });
    await get(`/api/v1/recordings/${s}/views`, await t.loginAs('auditor'));
    const exported = await get(`/api/v1/recordings/${s}/export`, compliance);
    const check = await t.app.inject({
      method: 'POST',
      url: '/api/v1/recordings/verify-bundle',
      headers: compliance,
      payload: exported.json(),
    });
    expect(check.json()).toMatchObject({ ok: true, signature: 'valid', problems: [] });
  });
});
