import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases } from '../../src/cases/tables.js';
import { eq } from 'drizzle-orm';
import {
  APPLICANT_ID,
  APPLICANT_MOBILE,
  type CasesTestApp,
  SHOP_USCC,
  buildCasesTestApp,
  groceryCase,
  personalDataIn,
} from './helper.js';

describe('cases: registration, scope and masking', () => {
  let t: CasesTestApp;
  let officer: { authorization: string };
  let caseId: string;
  beforeAll(async () => {
    t = await buildCasesTestApp();
    officer = await t.loginAs('loan_officer');
  });
  afterAll(async () => t?.close());

  const post = (payload: object, headers = officer) =>
    t.app.inject({ method: 'POST', url: '/api/v1/cases', headers, payload });
  const get = (url: string, headers: { authorization: string }) =>
    t.app.inject({ method: 'GET', url, headers });

  it('registers a case in the officer’s own branch with the amount in fen and the sector from GB/T 4754', async () => {
    const res = await post(groceryCase());
    expect(res.statusCode).toBe(201);
    const body = res.json();
    caseId = body.id;
    expect(body).toMatchObject({
      status: 'registered',
      source: 'officer',
      pii_masked: false,
      branch_id: t.demo.branches.outletA!.id,
      applicant: {
        name: '张建国',
        resident_id: APPLICANT_ID,
        mobile: APPLICANT_MOBILE,
        uscc: SHOP_USCC,
        industry_code: 'F5221',
        sector: 'grocery',
        household_size: 3,
      },
      loan: {
        amount_fen: 15_000_000,
        amount_yuan: '150000.00',
        term_months: 12,
        repayment_method: 'equal_instalment',
      },
    });
  });

  it('stores personal fields encrypted with a lookup hash, never in clear', async () => {
    const [row] = await t.ctx.db.select().from(cases).where(eq(cases.id, caseId));
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(APPLICANT_ID);
    expect(stored).not.toContain(APPLICANT_MOBILE);
    expect(stored).not.toContain('张建国');
    expect(stored).not.toContain('健康路');
    expect(row!.residentIdHash).toBe(t.ctx.cipher.lookupHash(APPLICANT_ID));
    expect(row!.mobileHash).toBe(t.ctx.cipher.lookupHash(APPLICANT_MOBILE));
  });

  it('answers 404 to a loan officer of another outlet, and leaves the case out of their list', async () => {
    const other = await t.loginAs('loan_officer_b');
    const res = await get(`/api/v1/cases/${caseId}`, other);
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('CASE_NOT_FOUND');
    const list = await get('/api/v1/cases', other);
    expect(list.statusCode).toBe(200);
    expect(list.json().map((c: { id: string }) => c.id)).not.toContain(caseId);
    const own = await get('/api/v1/cases', officer);
    expect(own.json().map((c: { id: string }) => c.id)).toContain(caseId);
  });

  it('masks personal data for a role without case:pii (the remote expert of the county)', async () => {
    const expert = await t.loginAs('remote_expert');
    const res = await get(`/api/v1/cases/${caseId}`, expert);
    expect(res.statusCode).toBe(200);
    const a = res.json().applicant;
    expect(res.json().pii_masked).toBe(true);
    expect(a.name).toBe('张**');
    expect(a.resident_id).toBe('410***********' + APPLICANT_ID.slice(-4));
    expect(a.mobile).toBe('139****5678');
    expect(a.address).toBe('河南省开封市兰考县****');
    expect(a.household_members[0]).toMatchObject({ name: '李**', relation: 'spouse' });
    expect(a.household_members[0].resident_id).toMatch(/^410\*{11}.{4}$/);
    expect(personalDataIn(res.body)).toEqual([]);
    const list = await get('/api/v1/cases', expert);
    expect(list.json().find((c: { id: string }) => c.id === caseId).applicant_name).toBe('张**');
  });

  it('shows compliance (case:pii) the data unmasked, and refuses case creation to the expert', async () => {
    const res = await get(`/api/v1/cases/${caseId}`, await t.loginAs('compliance'));
    expect(res.json().applicant.resident_id).toBe(APPLICANT_ID);
    const denied = await post(groceryCase(), await t.loginAs('remote_expert'));
    expect(denied.statusCode).toBe(403);
    expect(denied.json().code).toBe('PERMISSION_DENIED');
  });

  it.each([
    ['INVALID_RESIDENT_ID', { resident_id: '410225198003151230' }],
    ['INVALID_RESIDENT_ID', { resident_id: APPLICANT_ID.slice(0, 10) + '1399' + APPLICANT_ID.slice(14) }],
    ['INVALID_USCC', { uscc: SHOP_USCC.slice(0, 17) + (SHOP_USCC.endsWith('0') ? '1' : '0') }],
    ['INVALID_MOBILE', { mobile: '12912345678' }],
    ['INVALID_INDUSTRY_CODE', { industry_code: 'A5221' }],
    ['INDUSTRY_NOT_SUPPORTED', { industry_code: 'K7010' }],
    ['USCC_REQUIRED', { kind: 'small_enterprise', uscc: null }],
  ])('refuses with 422 %s and stores nothing', async (code, override) => {
    const before = (await t.ctx.db.select({ id: cases.id }).from(cases)).length;
    const res = await post(groceryCase(override));
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe(code);
    expect((await t.ctx.db.select({ id: cases.id }).from(cases)).length).toBe(before);
  });

  it('reports every bad identifier at once, the first as the code', async () => {
    const res = await post(groceryCase({ resident_id: '123', mobile: '123' }));
    expect(res.json().code).toBe('INVALID_RESIDENT_ID');
    expect(res.json().details.fields.map((f: { code: string }) => f.code)).toEqual([
      'INVALID_RESIDENT_ID',
      'INVALID_MOBILE',
    ]);
  });

  it('accepts an amount in fen, an explicit sector, a farmer without a credit code, and a +86 mobile', async () => {
    const body = groceryCase({
      kind: 'farmer_household',
      uscc: null,
      industry_code: '0111',
      mobile: '+86 139 1234 5678',
      household_members: [],
    });
    const res = await post({
      ...body,
      loan: { ...body.loan, amount_yuan: undefined, amount_fen: 8_000_050 },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().applicant).toMatchObject({
      industry_code: 'A0111',
      sector: 'crops',
      mobile: APPLICANT_MOBILE,
    });
    expect(res.json().loan).toMatchObject({ amount_fen: 8_000_050, amount_yuan: '80000.50' });
  });

  it('refuses a float amount, both amounts, or a term over 60 months with VALIDATION_FAILED', async () => {
    const body = groceryCase();
    for (const loan of [
      { ...body.loan, amount_yuan: 150000.5 },
      { ...body.loan, amount_fen: 100 },
      { ...body.loan, term_months: 61 },
      { ...body.loan, amount_yuan: '1.234' },
    ]) {
      const res = await post({ ...body, loan });
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
    }
  });

  it('documents its endpoints in the OpenAPI description', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths);
    for (const p of [
      '/api/v1/cases',
      '/api/v1/cases/{id}/survey/answers',
      '/api/v1/integration/cases',
      '/api/v1/invitations/verify',
    ])
      expect(paths).toContain(p);
  });

  it('never writes personal data to the logs', () => {
    expect(t.logs.length).toBeGreaterThan(0);
    expect(personalDataIn(t.logs.join('\n'))).toEqual([]);
    expect(t.logs.join('\n')).not.toContain('张建国');
  });
});
