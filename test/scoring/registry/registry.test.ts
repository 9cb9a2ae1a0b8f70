import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../../src/platform/audit/tables.js';
import { DEFAULT_SCORECARD } from '../../../src/scoring/scorecard/index.js';
import { seedDemoModels } from '../../../src/scoring/registry/index.js';
import { type RegistryTestApp, buildRegistryTestApp } from './helper.js';

let t: RegistryTestApp;
let risk: { authorization: string };
let expert: { authorization: string };
let officer: { authorization: string };

const FEATURES = {
  sector: 'restaurant',
  years_in_business: 2,
  cash_flow_cover: 0.9,
  debt_ratio: 0.75,
  margin_stability: 0.5,
  credit_overdue_count: 2,
  interview_reliability: 0.6,
  contradictions: 2,
  sales_verification: 'contradicted',
  debt_verification: 'doubtful',
  soft_information: 'neutral',
};

beforeAll(async () => {
  t = await buildRegistryTestApp();
  risk = await t.loginAs('risk_manager');
  expert = await t.loginAs('remote_expert');
  officer = await t.loginAs('loan_officer');
}, 60_000);
afterAll(async () => t?.close());

const post = (url: string, headers: Record<string, string>, payload?: unknown) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1${url}`,
    headers,
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
const get = (url: string, headers: Record<string, string>) =>
  t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers });

describe('before any model is registered', () => {
  it('answers MODEL_NO_CHAMPION to scoring and to a roll-back', async () => {
    expect((await post('/models/score', expert, { features: FEATURES })).json()).toMatchObject({
      code: 'MODEL_NO_CHAMPION',
    });
    expect((await post('/models/rollback', risk)).statusCode).toBe(409);
  });

  it('serves the shipped scorecard as the active one', async () => {
    expect((await get('/scorecards/active', expert)).json()).toMatchObject({
      version: 1,
      createdBy: 'system',
    });
  });
});

describe('seedDemoModels', () => {
  it('registers the demo model as champion and the shipped scorecard as version 1, once', async () => {
    expect(await seedDemoModels(t.ctx)).toEqual({ champion: 'demo-v2', created: true });
    expect(await seedDemoModels(t.ctx)).toEqual({ champion: 'demo-v2', created: false });
    expect((await get('/models', expert)).json()).toMatchObject([{ version: 'demo-v2', role: 'champion' }]);
    expect((await get('/scorecards', expert)).json()).toMatchObject([{ version: 1, active: true }]);
  });
});

describe('registering model versions', () => {
  it('refuses an ONNX file the runtime cannot load with MODEL_LOAD_FAILED', async () => {
    const res = await post('/models', risk, { dir: 'broken-onnx' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: 'MODEL_LOAD_FAILED' });
  });

  it('refuses a card that says an input comes from another source with MODEL_FEATURES_MISMATCH', async () => {
    const res = await post('/models', risk, { dir: 'lying-source' });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      code: 'MODEL_FEATURES_MISMATCH',
      details: { problems: [{ input: 'years_in_business' }] },
    });
  });

  it('refuses a card asking for an undeclared feature with MODEL_FEATURES_MISMATCH', async () => {
    const res = await post('/models', risk, { dir: 'lying-name' });
    expect(res.json()).toMatchObject({
      code: 'MODEL_FEATURES_MISMATCH',
      details: { problems: [{ input: 'debt_to_income', problem: 'not in the feature schema' }] },
    });
  });

  it('refuses a folder name that leaves the models folder with MODEL_DIR_INVALID', async () => {
    const res = await post('/models', risk, { dir: '../demo-v2' });
    expect(res.json()).toMatchObject({ code: 'MODEL_DIR_INVALID' });
  });

  it('refuses registration by a remote expert (read-only on models)', async () => {
    const res = await post('/models', expert, { dir: 'demo-v1' });
    expect(res.statusCode).toBe(403);
  });

  it('hides models from a loan officer', async () => {
    expect((await get('/models', officer)).statusCode).toBe(403);
  });

  it('registers a version as challenger with its card and metrics', async () => {
    const res = await post('/models', risk, { dir: 'demo-v1' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ version: 'demo-v1', role: 'challenger', previousChampion: null });
    expect(res.json().metrics.auc).toBeGreaterThan(0.7);
    expect(res.json().inputs.find((i: { name: string }) => i.name === 'cash_flow_cover').source).toBe(
      'financials',
    );
    const again = await post('/models', risk, { dir: 'demo-v1' });
    expect(again.json()).toMatchObject({ code: 'MODEL_VERSION_EXISTS' });
  });
});

describe('champion and challenger', () => {
  it('promotes, rolls back, refuses what cannot be done, and audits every change', async () => {
    // The seeded champion has no champion before it.
    expect((await post('/models/rollback', risk)).json()).toMatchObject({
      code: 'MODEL_NO_PREVIOUS_CHAMPION',
    });
    expect((await post('/models/demo-v2/promote', risk)).json()).toMatchObject({
      code: 'MODEL_ALREADY_CHAMPION',
    });

    const v1 = (await post('/models/demo-v1/promote', risk)).json();
    expect(v1).toMatchObject({ version: 'demo-v1', role: 'champion', previousChampion: 'demo-v2' });
    const roles = (await get('/models', expert)).json() as { version: string; role: string }[];
    expect(Object.fromEntries(roles.map((r) => [r.version, r.role]))).toEqual({
      'demo-v1': 'champion',
      'demo-v2': 'retired',
    });

    expect((await post('/models/rollback', risk)).json()).toMatchObject({
      version: 'demo-v2',
      role: 'champion',
    });
    expect((await get('/models/demo-v1', expert)).json()).toMatchObject({ role: 'retired' });
    expect((await post('/models/demo-v1/promote', expert)).statusCode).toBe(403);

    const actions = (await t.ctx.db.select().from(auditEvents))
      .filter((e) => e.entity === 'model_version')
      .map((e) => `${e.actor === 'system' ? 'system' : 'staff'} ${e.action}:${e.entityId}`);
    expect(actions).toEqual([
      'system model.register:demo-v2',
      'system model.promote:demo-v2',
      'staff model.register:demo-v1',
      'staff model.promote:demo-v1',
      'staff model.rollback:demo-v2',
    ]);
  });

  it('returns the card of a version', async () => {
    const card = (await get('/models/demo-v2/card', expert)).json();
    expect(card.inputs.map((i: { name: string }) => i.name)).toContain('sales_verification');
  });

  it('answers MODEL_VERSION_NOT_FOUND for an unknown version', async () => {
    expect((await get('/models/nope', expert)).json()).toMatchObject({ code: 'MODEL_VERSION_NOT_FOUND' });
  });
});

describe('scoring a feature row', () => {
  it('gives the probability, a grade, top factors in Chinese and English, and the scorecard', async () => {
    const res = await post('/models/score', expert, { features: FEATURES });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.modelVersion).toBe('demo-v2');
    expect(body.role).toBe('champion');
    expect(body.probability).toBeGreaterThan(0.3);
    expect(body.probability).toBeCloseTo(1 / (1 + Math.exp(-body.margin)), 5);
    expect(body.grade).toBe('E');
    expect(body.topFactors.length).toBe(5);
    expect(body.topFactors[0].direction).toBe('raises_risk');
    expect(body.topFactors.map((f: { text: { 'zh-CN': string } }) => f.text['zh-CN']).join('\n')).toMatch(
      /现金流对月供覆盖倍数：0\.9，明显提高违约风险/,
    );
    expect(body.scorecard).toMatchObject({ scorecardId: 'emtool', version: 1, grade: 'E' });
  });

  it('ranks sales verified below doubtful below contradicted, never as if confirmed', async () => {
    const p = async (sales_verification: string) =>
      (await post('/models/score', expert, { features: { ...FEATURES, sales_verification } })).json()
        .probability as number;
    const [verified, doubtful, contradicted] = [
      await p('verified'),
      await p('doubtful'),
      await p('contradicted'),
    ];
    expect(verified).toBeLessThan(doubtful);
    expect(doubtful).toBeLessThan(contradicted);
  });

  it('scores with a named version', async () => {
    const body = (await post('/models/score', expert, { features: FEATURES, version: 'demo-v1' })).json();
    expect(body).toMatchObject({ modelVersion: 'demo-v1', role: 'retired' });
  });

  it('refuses an undeclared feature or an unknown category with FEATURE_ROW_INVALID', async () => {
    const res = await post('/models/score', expert, {
      features: { ...FEATURES, sales_verification: 'maybe', shoe: 1 },
    });
    expect(res.statusCode).toBe(400);
    expect(
      res
        .json()
        .details.problems.map((p: { feature: string }) => p.feature)
        .sort(),
    ).toEqual(['sales_verification', 'shoe']);
  });
});

describe('scorecard versions', () => {
  it('saves a new version that passes its own cases and makes it active', async () => {
    const v2 = structuredClone(DEFAULT_SCORECARD);
    v2.version = 2;
    v2.gradeCutoffs = { A: 85, B: 65, C: 50, D: 35 };
    const res = await post('/scorecards', risk, v2);
    expect(res.statusCode).toBe(201);
    expect((await get('/scorecards/active', expert)).json()).toMatchObject({ version: 2, active: true });
    expect((await get('/scorecards', expert)).json().map((s: { version: number }) => s.version)).toEqual([
      2, 1,
    ]);
  });

  it('refuses a version whose own test case fails with SCORECARD_TEST_FAILED naming the case', async () => {
    const v3 = structuredClone(DEFAULT_SCORECARD);
    v3.version = 3;
    v3.gradeCutoffs = { A: 110, B: 65, C: 50, D: 35 };
    const res = await post('/scorecards', risk, v3);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      code: 'SCORECARD_TEST_FAILED',
      details: { case: 'strong grocery, everything verified, earns every point' },
    });
  });

  it('refuses a stale version number with SCORECARD_VERSION_CONFLICT', async () => {
    const stale = structuredClone(DEFAULT_SCORECARD);
    stale.version = 2;
    expect((await post('/scorecards', risk, stale)).json()).toMatchObject({
      code: 'SCORECARD_VERSION_CONFLICT',
    });
  });

  it('refuses edits by a remote expert', async () => {
    expect((await post('/scorecards', expert, { ...DEFAULT_SCORECARD, version: 3 })).statusCode).toBe(403);
  });

  it('activates an earlier version again', async () => {
    expect((await post('/scorecards/1/activate', risk)).json()).toMatchObject({ version: 1, active: true });
    expect((await get('/scorecards/active', expert)).json()).toMatchObject({ version: 1 });
  });
});
