import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { casePushJsonSchemaText } from '../../src/cases/schemas.js';
import { cases, integrationKeys } from '../../src/cases/tables.js';
import { type CasesTestApp, buildCasesTestApp, groceryCase, personalDataIn } from './helper.js';

describe('integration: API keys and the idempotent case push', () => {
  let t: CasesTestApp;
  let apiKey: string;
  beforeAll(async () => {
    t = await buildCasesTestApp();
    const admin = await t.loginAs('admin');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/integration/keys',
      headers: admin,
      payload: { name: 'core-loans', branch_id: t.demo.branches.countyA!.id },
    });
    expect(res.statusCode).toBe(201);
    apiKey = res.json().api_key;
  });
  afterAll(async () => t?.close());

  const push = (payload: object, key = apiKey) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/integration/cases',
      headers: { 'x-api-key': key },
      payload,
    });
  const body = (no = 'LK-2026-000123', extra: Record<string, unknown> = {}) => ({
    upstream_case_no: no,
    branch_code: 'HN-LK-01',
    officer_username: 'loan_officer',
    ...groceryCase(),
    ...extra,
  });

  it('shows the key once and stores only its hash', async () => {
    expect(apiKey).toMatch(/^wdk_[A-Za-z0-9_-]{43}$/);
    const rows = await t.ctx.db.select().from(integrationKeys);
    expect(JSON.stringify(rows)).not.toContain(apiKey);
    expect(rows[0]!.keyPrefix).toBe(apiKey.slice(0, 10));
  });

  it('lets only an administrator create a key', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/integration/keys',
      headers: await t.loginAs('loan_officer'),
      payload: { name: 'rogue', branch_id: t.demo.branches.outletA!.id },
    });
    expect(res.statusCode).toBe(403);
  });

  it('creates a case on the first push (201) and answers the same case for the same push (200)', async () => {
    const first = await push(body());
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({
      source: 'integration',
      upstream_case_no: 'LK-2026-000123',
      pii_masked: true,
    });
    expect(first.json().branch_id).toBe(t.demo.branches.outletA!.id);
    const again = await push(body());
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    // Key order does not matter: the content is compared canonically.
    const reordered = Object.fromEntries(Object.entries(body()).reverse());
    expect((await push(reordered)).json().id).toBe(first.json().id);
    // The officer of the outlet sees the pushed case.
    const seen = await t.app.inject({
      method: 'GET',
      url: `/api/v1/cases/${first.json().id}`,
      headers: await t.loginAs('loan_officer'),
    });
    expect(seen.statusCode).toBe(200);
    expect(seen.json().officer_id).not.toBeNull();
  });

  it('refuses the same number with different content with 409 UPSTREAM_CASE_CONFLICT and overwrites nothing', async () => {
    const changed = body();
    changed.loan = { ...changed.loan, amount_yuan: '200000.00' };
    const res = await push(changed);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('UPSTREAM_CASE_CONFLICT');
    const rows = await t.ctx.db.select().from(cases);
    const pushed = rows.filter((r) => r.upstreamCaseNo === 'LK-2026-000123');
    expect(pushed).toHaveLength(1);
    expect(pushed[0]!.amountFen).toBe(15_000_000);
  });

  it('stores one case when the same push arrives twice at once', async () => {
    const [a, b] = await Promise.all([push(body('LK-2026-000200')), push(body('LK-2026-000200'))]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 201]);
    expect(a.json().id).toBe(b.json().id);
  });

  it('refuses a missing or wrong key with 401 INVALID_API_KEY', async () => {
    for (const key of ['', 'wdk_' + 'x'.repeat(43), 'not-a-key']) {
      const res = await push(body('LK-2026-000300'), key);
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('INVALID_API_KEY');
    }
  });

  it('refuses a branch outside the key’s subtree, an invalid ID and an unknown officer', async () => {
    expect((await push(body('LK-2026-000301', { branch_code: 'HN-XX-01' }))).statusCode).toBe(404);
    const badId = body('LK-2026-000302');
    badId.applicant = { ...badId.applicant, resident_id: '410225198003151230' };
    const r = await push(badId);
    expect(r.statusCode).toBe(422);
    expect(r.json().code).toBe('INVALID_RESIDENT_ID');
    const r2 = await push(body('LK-2026-000303', { officer_username: 'loan_officer_b' }));
    expect(r2.statusCode).toBe(422);
    expect(r2.json().code).toBe('OFFICER_NOT_IN_BRANCH');
  });

  it('lets the loan system trigger an interview for its case, not for one outside its subtree', async () => {
    const pushed = (await push(body())).json();
    const inv = await t.app.inject({
      method: 'POST',
      url: `/api/v1/integration/cases/${pushed.id}/invitations`,
      headers: { 'x-api-key': apiKey },
      payload: {},
    });
    expect(inv.statusCode).toBe(201);
    expect(inv.json().link).toMatch(/\/i\/[A-Za-z0-9_-]{43}$/);
    const officerB = await t.loginAs('loan_officer_b');
    const other = await t.app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: officerB,
      payload: groceryCase(),
    });
    const denied = await t.app.inject({
      method: 'POST',
      url: `/api/v1/integration/cases/${other.json().id}/invitations`,
      headers: { 'x-api-key': apiKey },
      payload: {},
    });
    expect(denied.statusCode).toBe(404);
  });

  it('keeps keys and personal data out of the logs', () => {
    const text = t.logs.join('\n');
    expect(text).not.toContain(apiKey);
    expect(personalDataIn(text)).toEqual([]);
  });

  it('publishes docs/case-push.schema.json equal to the schema generated from zod', async () => {
    const file = fileURLToPath(new URL('../../docs/case-push.schema.json', import.meta.url));
    // The committed file is formatted by prettier like every other file of the repository.
    const generated = await prettier.format(casePushJsonSchemaText(), {
      ...(await prettier.resolveConfig(file)),
      filepath: file,
    });
    expect(readFileSync(file, 'utf8')).toBe(generated);
  });
});
