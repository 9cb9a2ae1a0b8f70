/**
 * A deployment that stored the previous shipped catalogue (2026.1.1) and starts the release shipping 2026.1.2:
 * the new version is stored as a draft beside the active one, a risk manager activates it, and an interview that
 * opened before keeps the bank (and version) it was given.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInterviewBankLookup } from '../../src/dialog/session/bank-of.js';
import { DEFAULT_CATALOGUE } from '../../src/questions/index.js';
import type { Catalogue } from '../../src/questions/index.js';
import { caseBankInputs, createQuestionsService } from '../../src/questions/service.js';
import { type TestApp, buildTestApp } from '../helper.js';
import { actorOf, openInterview, registerGroceryCase } from './helper.js';

const PREVIOUS = 'weidai.default@2026.1.1';
const SHIPPED = `weidai.default@${DEFAULT_CATALOGUE.version}`;
/** The previous release's catalogue: the shipped one without the routes added in 2026.1.2. */
const ADDED = new Set([
  'household.spending.annual',
  'sales.monthly.receipts',
  'sales.annual.buyer_paid',
  'loans.existing.payoff',
  'loans.repayment.debit',
  'loans.private.payoff',
  'legal.disputes.enforcement',
]);
const previous = (): Catalogue => ({
  ...structuredClone(DEFAULT_CATALOGUE),
  version: '2026.1.1',
  templates: DEFAULT_CATALOGUE.templates.filter((t) => !ADDED.has(t.id)),
});

let t: TestApp;
const as: Record<string, { authorization: string }> = {};

beforeAll(async () => {
  t = await buildTestApp();
  for (const u of ['risk_manager', 'auditor', 'loan_officer']) as[u] = await t.loginAs(u);
});
afterAll(async () => {
  await t?.close();
});

const versions = async () =>
  (await t.app.inject({ method: 'GET', url: '/api/v1/catalogue/versions', headers: as.auditor }))
    .json<{ version: string; status: string }[]>()
    .map((v) => [v.version, v.status]);

describe('a deployment that stored the previous shipped catalogue', () => {
  it('ships a new version: 2026.1.2 differs from 2026.1.1 by the added routes only', () => {
    expect(SHIPPED).toBe('weidai.default@2026.1.2');
    const ids = new Set(DEFAULT_CATALOGUE.templates.map((x) => x.id));
    for (const id of ADDED) expect(ids, id).toContain(id);
  });

  it('keeps 2026.1.1 active, stores 2026.1.2 as a draft, and lets a risk manager activate it', async () => {
    const old = createQuestionsService({
      db: t.ctx.db,
      clock: t.ctx.clock,
      audit: t.ctx.audit,
      cases: t.ctx.cases,
      inputs: caseBankInputs(t.ctx.cases),
      interviews: createInterviewBankLookup(t.ctx.db),
      shipped: previous(),
    });
    expect((await old.activeCatalogue()).version).toBe('2026.1.1');

    // An interview opened under the previous release.
    const caseId = await registerGroceryCase(t, as.loan_officer!);
    await openInterview(t, await actorOf(t, as.loan_officer!), caseId);
    const lookup = createInterviewBankLookup(t.ctx.db);
    const before = await lookup.latestOf(caseId);

    // The new release starts: its catalogue is stored, but does not replace the active one by itself.
    expect(await versions()).toEqual(
      expect.arrayContaining([
        [PREVIOUS, 'active'],
        [SHIPPED, 'draft'],
      ]),
    );
    expect((await t.ctx.questions.activeCatalogue()).version).toBe('2026.1.1');

    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/catalogue/versions/${SHIPPED}/activate`,
      headers: as.risk_manager,
      payload: { expectedActive: PREVIOUS },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(await versions()).toEqual(
      expect.arrayContaining([
        [PREVIOUS, 'retired'],
        [SHIPPED, 'active'],
      ]),
    );

    // The interview opened before keeps its bank; the next one gets the new routes.
    const after = await lookup.latestOf(caseId);
    expect(after?.bank.catalogueVersion).toBe(PREVIOUS);
    expect(after?.bank).toEqual(before?.bank);
    expect(after!.bank.questions.some((q) => ADDED.has(q.templateId))).toBe(false);
    const next = await registerGroceryCase(t, as.loan_officer!);
    await openInterview(t, await actorOf(t, as.loan_officer!), next);
    const fresh = await lookup.latestOf(next);
    expect(fresh?.bank.catalogueVersion).toBe(SHIPPED);
    expect(fresh!.bank.questions.some((q) => ADDED.has(q.templateId))).toBe(true);
  });
});
