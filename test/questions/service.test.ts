/**
 * The fact catalogue as versioned data through the API: the shipped catalogue is version 1, a risk manager saves
 * and activates versions (each kind of broken entry refused with its position), other roles read or are refused,
 * and the next interview's bank is generated from the active version and records it.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInterviewBankLookup } from '../../src/dialog/session/bank-of.js';
import { auditEvents } from '../../src/platform/audit/tables.js';
import { fakeClock } from '../../src/platform/deps.js';
import { DEFAULT_CATALOGUE, SAMPLE_CASES, SECTORS, generateBank } from '../../src/questions/index.js';
import type { Catalogue } from '../../src/questions/index.js';
import { caseBankInputs, createQuestionsService } from '../../src/questions/service.js';
import { type TestApp, buildTestApp } from '../helper.js';
import { actorOf, openInterview, registerGroceryCase } from './helper.js';

const SHIPPED = 'weidai.default@2026.1.2';
const EDITED = 'weidai.default@2026.2.0';
const TAKINGS = 'sales.monthly.grocery_takings';

const clone = (): Catalogue => structuredClone(DEFAULT_CATALOGUE);
const templateIndex = (c: Catalogue, id: string) => c.templates.findIndex((t) => t.id === id);
const factIndex = (c: Catalogue, id: string) => c.facts.findIndex((f) => f.id === id);

interface Issue {
  code: string;
  pointer: string;
  offset?: number;
  message: string;
}

let t: TestApp;
const as: Record<string, { authorization: string }> = {};

beforeAll(async () => {
  t = await buildTestApp();
  for (const u of ['risk_manager', 'auditor', 'remote_expert', 'loan_officer']) as[u] = await t.loginAs(u);
});
afterAll(async () => {
  await t?.close();
});

const get = (url: string, user: string) => t.app.inject({ method: 'GET', url, headers: as[user] });
const post = (url: string, user: string, payload: unknown) =>
  t.app.inject({ method: 'POST', url, headers: as[user], payload: payload as object });
const save = (catalogue: unknown, user = 'risk_manager') =>
  post('/api/v1/catalogue/versions', user, { catalogue, basedOn: SHIPPED });

async function refusal(catalogue: unknown): Promise<Issue[]> {
  const res = await save(catalogue);
  expect(res.statusCode, res.body).toBe(422);
  const body = res.json<{ code: string; details: { errors: Issue[] } }>();
  expect(body.code).toBe('CATALOGUE_INVALID');
  return body.details.errors;
}

describe('the shipped catalogue', () => {
  it('is stored as version 1 and active when the first reader asks', async () => {
    const res = await get('/api/v1/catalogue', 'auditor');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ version: SHIPPED, seq: 1, status: 'active', createdBy: 'system' });
    expect(body.catalogue.facts).toHaveLength(DEFAULT_CATALOGUE.facts.length);
    expect(body.validation.ok).toBe(true);
  });

  it('records as warnings, with positions, the sources no sector survey fills yet', async () => {
    const body = (await get(`/api/v1/catalogue/versions/${SHIPPED}`, 'remote_expert')).json<{
      validation: { warnings: Issue[] };
    }>();
    const married = factIndex(DEFAULT_CATALOGUE, 'identity.married');
    expect(body.validation.warnings).toContainEqual(
      expect.objectContaining({ code: 'SOURCE_NOT_FILLED', pointer: `/facts/${married}/source` }),
    );
  });

  it('reads back as the built-in catalogue and generates the same bank for every sample case', async () => {
    const stored = await t.ctx.questions.activeCatalogue();
    expect(stored).toEqual(DEFAULT_CATALOGUE);
    for (const s of SECTORS)
      expect(generateBank(SAMPLE_CASES[s], stored), s).toEqual(
        generateBank(SAMPLE_CASES[s], DEFAULT_CATALOGUE),
      );
  });
});

describe('who may read and write', () => {
  it('refuses a loan officer reading the catalogue with 403', async () => {
    const res = await get('/api/v1/catalogue', 'loan_officer');
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('PERMISSION_DENIED');
    expect((await get('/api/v1/catalogue/versions', 'loan_officer')).statusCode).toBe(403);
  });

  it('lets an auditor and an expert read versions but not save or activate them', async () => {
    expect((await get('/api/v1/catalogue/versions', 'auditor')).statusCode).toBe(200);
    const bumped = { ...clone(), version: '2026.9.9' };
    for (const user of ['auditor', 'remote_expert', 'loan_officer']) {
      const saved = await save(bumped, user);
      expect(saved.statusCode, user).toBe(403);
      expect(saved.json().code).toBe('PERMISSION_DENIED');
      const activated = await post(`/api/v1/catalogue/versions/${SHIPPED}/activate`, user, {
        expectedActive: SHIPPED,
      });
      expect(activated.statusCode, user).toBe(403);
    }
  });
});

describe('saving a broken catalogue', () => {
  it('refuses a template slot the case does not have, at the slot', async () => {
    const c = { ...clone(), version: '2026.1.90' };
    const i = templateIndex(c, TAKINGS);
    const text = '您{cousin}店里一天能卖多少？';
    c.templates[i]!.paraphrases[1]!['zh-CN'] = text;
    const errors = await refusal(c);
    expect(errors).toContainEqual(
      expect.objectContaining({
        code: 'UNKNOWN_SLOT',
        pointer: `/templates/${i}/paraphrases/1/zh-CN`,
        offset: text.indexOf('{cousin}'),
      }),
    );
  });

  it('refuses a fact whose expected value comes from a source the case data does not have', async () => {
    const c = { ...clone(), version: '2026.1.91' };
    const i = factIndex(c, 'sales.monthly');
    c.facts[i]!.source = { kind: 'survey', field: 'grocery.monthly_turnover_guess' };
    const errors = await refusal(c);
    expect(errors).toContainEqual(
      expect.objectContaining({ code: 'UNKNOWN_SOURCE', pointer: `/facts/${i}/source` }),
    );
  });

  it('refuses a template that would disclose an expected value or state a figure, at the offending text', async () => {
    const c = { ...clone(), version: '2026.1.92' };
    const i = templateIndex(c, TAKINGS);
    const slot = '您跟客户经理说一天卖{expected}，对吗？';
    const figure = 'Do you take about 3,000 a day?';
    c.templates[i]!.paraphrases[0]!['zh-CN'] = slot;
    c.templates[i]!.paraphrases[0]!['en-US'] = figure;
    const errors = await refusal(c);
    expect(errors).toContainEqual(
      expect.objectContaining({
        code: 'DISCLOSING_TEMPLATE',
        pointer: `/templates/${i}/paraphrases/0/zh-CN`,
        offset: slot.indexOf('{expected}'),
      }),
    );
    expect(errors).toContainEqual(
      expect.objectContaining({
        code: 'DISCLOSING_TEMPLATE',
        pointer: `/templates/${i}/paraphrases/0/en-US`,
        offset: figure.indexOf('3'),
      }),
    );
  });

  it('refuses a misspelt field instead of dropping it, and reports every problem at once', async () => {
    const c = { ...clone(), version: '2026.1.93' } as Catalogue & { templates: Record<string, unknown>[] };
    const i = templateIndex(c, TAKINGS);
    c.templates[i]!.folowUp = { 'zh-CN': '您再说说？', 'en-US': 'Could you say more?' };
    c.facts[0]!.importance = 1.5;
    const errors = await refusal(c);
    expect(errors.map((e) => [e.code, e.pointer])).toEqual(
      expect.arrayContaining([
        ['UNKNOWN_KEY', `/templates/${i}/folowUp`],
        ['IMPORTANCE_OUT_OF_RANGE', '/facts/0/importance'],
      ]),
    );
  });

  it('refuses a document that is not a catalogue with the schema positions', async () => {
    const errors = await refusal({ id: 'x', version: '1', facts: 'none' });
    expect(errors).toContainEqual(expect.objectContaining({ code: 'SCHEMA_INVALID', pointer: '/facts' }));
  });

  it('answers the same checks without saving when the editor only validates', async () => {
    const c = { ...clone(), version: '2026.1.94' };
    const i = templateIndex(c, TAKINGS);
    c.templates[i]!.paraphrases[1]!['zh-CN'] = '您{cousin}店里一天能卖多少？';
    const broken = await post('/api/v1/catalogue/validate', 'risk_manager', { catalogue: c });
    expect(broken.statusCode).toBe(200);
    expect(broken.json()).toMatchObject({ ok: false });
    expect(broken.json().errors).toContainEqual(
      expect.objectContaining({ code: 'UNKNOWN_SLOT', pointer: `/templates/${i}/paraphrases/1/zh-CN` }),
    );
    const fine = await post('/api/v1/catalogue/validate', 'risk_manager', { catalogue: clone() });
    expect(fine.json()).toMatchObject({ ok: true, version: SHIPPED, errors: [] });
    expect((await post('/api/v1/catalogue/validate', 'auditor', { catalogue: clone() })).statusCode).toBe(
      403,
    );
  });

  it('stored none of the refused versions', async () => {
    const list = (await get('/api/v1/catalogue/versions', 'risk_manager')).json<{ version: string }[]>();
    expect(list.map((v) => v.version)).toEqual([SHIPPED]);
  });
});

describe('a valid edited catalogue', () => {
  const edited = (): Catalogue => {
    const c = { ...clone(), version: '2026.2.0' };
    const tpl = c.templates[templateIndex(c, TAKINGS)]!;
    tpl.paraphrases = [
      { 'zh-CN': '您店里平常一天的营业款大概多少？', 'en-US': 'What does the shop usually take in a day?' },
      { 'zh-CN': '一般一天的营业款能有多少？', 'en-US': 'How much does an ordinary day bring in?' },
    ];
    return c;
  };

  it('is saved as a draft, validated, and its version cannot be saved twice', async () => {
    const res = await save(edited());
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ version: EDITED, seq: 2, status: 'draft', basedOn: SHIPPED });
    const again = await save(edited());
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('CATALOGUE_VERSION_EXISTS');
    expect((await get('/api/v1/catalogue', 'auditor')).json().version).toBe(SHIPPED);
  });

  it('is activated only by a caller who knows which version is active', async () => {
    const stale = await post(`/api/v1/catalogue/versions/${EDITED}/activate`, 'risk_manager', {
      expectedActive: EDITED,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'CATALOGUE_ACTIVE_CHANGED', details: { active: SHIPPED } });

    const res = await post(`/api/v1/catalogue/versions/${EDITED}/activate`, 'risk_manager', {
      expectedActive: SHIPPED,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ version: EDITED, status: 'active' });
    const list = (await get('/api/v1/catalogue/versions', 'auditor')).json<
      { version: string; status: string }[]
    >();
    expect(list.map((v) => [v.version, v.status])).toEqual([
      [EDITED, 'active'],
      [SHIPPED, 'retired'],
    ]);
    const events = await t.ctx.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'catalogue.activate'), eq(auditEvents.entityId, EDITED)));
    expect(events).toHaveLength(1);
    expect(events[0]!.payload).toMatchObject({ previous: SHIPPED });
  });

  it('answers 404 for a version that is not stored', async () => {
    const res = await post('/api/v1/catalogue/versions/weidai.default@0.0.0/activate', 'risk_manager', {
      expectedActive: EDITED,
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('CATALOGUE_VERSION_NOT_FOUND');
  });

  it('generates the next interview bank, which records its version', async () => {
    const caseId = await registerGroceryCase(t, as.loan_officer!);
    await openInterview(t, await actorOf(t, as.loan_officer!), caseId);
    const used = await createInterviewBankLookup(t.ctx.db).latestOf(caseId);
    expect(used?.bank.catalogueVersion).toBe(EDITED);
    const takings = used!.bank.questions.filter((q) => q.templateId === TAKINGS);
    expect(takings.length).toBeGreaterThan(0);
    for (const q of takings) expect(q.text['zh-CN']).toContain('营业款');
  });

  it('lets only one of two concurrent activations from the same active version through', async () => {
    for (const v of ['2026.1.8', '2026.1.9'])
      expect((await save({ ...clone(), version: v })).statusCode).toBe(201);
    const [a, b] = await Promise.all(
      ['2026.1.8', '2026.1.9'].map((v) =>
        post(`/api/v1/catalogue/versions/weidai.default@${v}/activate`, 'risk_manager', {
          expectedActive: EDITED,
        }),
      ),
    );
    expect([a!.statusCode, b!.statusCode].sort()).toEqual([200, 409]);
    const list = (await get('/api/v1/catalogue/versions', 'auditor')).json<{ status: string }[]>();
    expect(list.filter((v) => v.status === 'active')).toHaveLength(1);
    const winner = a!.statusCode === 200 ? a!.json().version : b!.json().version;
    const back = await post(`/api/v1/catalogue/versions/${EDITED}/activate`, 'risk_manager', {
      expectedActive: winner,
    });
    expect(back.statusCode, back.body).toBe(200);
  });

  it('is seen by another instance once its short cache expires', async () => {
    const clock = fakeClock();
    const other = createQuestionsService({
      db: t.ctx.db,
      clock,
      audit: t.ctx.audit,
      cases: t.ctx.cases,
      inputs: caseBankInputs(t.ctx.cases),
      interviews: createInterviewBankLookup(t.ctx.db),
      cacheTtlMs: 1_000,
    });
    expect((await other.activeCatalogue()).version).toBe('2026.2.0');
    const res = await post(`/api/v1/catalogue/versions/${SHIPPED}/activate`, 'risk_manager', {
      expectedActive: EDITED,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((await t.ctx.questions.activeCatalogue()).version).toBe('2026.1.2');
    expect((await other.activeCatalogue()).version).toBe('2026.2.0');
    clock.advance(1_000);
    expect((await other.activeCatalogue()).version).toBe('2026.1.2');
  });

  it('was rolled back to the retired shipped version, which is active again', async () => {
    const list = (await get('/api/v1/catalogue/versions', 'auditor')).json<
      { version: string; status: string }[]
    >();
    expect(list.find((v) => v.version === SHIPPED)?.status).toBe('active');
    expect(list.find((v) => v.version === EDITED)?.status).toBe('retired');
  });
});
