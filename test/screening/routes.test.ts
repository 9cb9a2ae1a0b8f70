/**
 * Screening over HTTP with the real cases module: a case registered by an officer, consents recorded through the
 * cases API, screening run and read by staff, the cost report; scope, permissions and no personal data in logs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeClock } from '../../src/platform/deps.js';
import { type TestApp, buildTestApp } from '../helper.js';
import { START, residentId, uscc } from './helper.js';

const ID = residentId('41022519800315123');
let t: TestApp;
let caseId: string;
let officer: { authorization: string };

const caseBody = {
  applicant: {
    kind: 'individual_business',
    name: '张建国',
    resident_id: ID,
    mobile: '13912345678',
    uscc: uscc('92410225MA4K8R3L1'),
    address: '河南省开封市兰考县城关镇健康路18号',
    business_name: '建国便民超市',
    industry_code: 'F5221',
    household_members: [],
  },
  loan: {
    amount_yuan: '150000.00',
    term_months: 12,
    purpose: '进货周转',
    repayment_method: 'equal_instalment',
  },
};

beforeAll(async () => {
  t = await buildTestApp({ clock: fakeClock(START) });
  officer = await t.loginAs('loan_officer');
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/cases',
    headers: officer,
    payload: caseBody,
  });
  expect(res.statusCode).toBe(201);
  caseId = res.json<{ id: string }>().id;
}, 60_000);
afterAll(async () => t?.close());

const run = (headers: Record<string, string>, id = caseId) =>
  t.app.inject({ method: 'POST', url: `/api/v1/cases/${id}/screening`, headers, payload: {} });

describe('screening routes', () => {
  it('refuses to screen before the applicant consents to the credit source, with CONSENT_REQUIRED', async () => {
    const res = await run(officer);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'CONSENT_REQUIRED', details: { categories: ['credit'] } });
  });

  it('screens the consented sources, records the consent ids and lets an expert read facts and findings', async () => {
    const sources = ['credit', 'tax', 'court', 'registration', 'telecom'];
    const consent = await t.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/consents`,
      headers: officer,
      payload: {
        channel: 'paper',
        evidence_sha256: 'a'.repeat(64),
        consents: sources.map((s) => ({
          kind: 'screening',
          source: s,
          text_id: `screening.${s}`,
          text_version: 1,
          granted: true,
        })),
      },
    });
    expect(consent.statusCode).toBe(201);
    const creditConsent = consent
      .json<{ id: string; source: string }[]>()
      .find((c) => c.source === 'credit')!;

    const res = await run(officer);
    expect(res.statusCode).toBe(200);
    const dto = res.json();
    expect(dto.status).toBe('complete');
    expect(dto.sources.find((s: { category: string }) => s.category === 'credit').consent_id).toBe(
      creditConsent.id,
    );
    expect(dto.facts['credit.queries_6m'].status).toBe('ok');
    expect(dto.facts['identity.face_match_score']).toMatchObject({ status: 'missing', reason: 'no_consent' });
    expect(dto.facts['mobile.number_age_months'].status).toBe('ok');

    const expert = await t.loginAs('remote_expert');
    const read = await t.app.inject({
      method: 'GET',
      url: `/api/v1/cases/${caseId}/screening`,
      headers: expert,
    });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ run_id: dto.run_id, findings: dto.findings });
    expect((await run(expert)).json().code).toBe('PERMISSION_DENIED');
  });

  it('hides the case from another county’s officer and refuses callers without a token', async () => {
    const other = await t.loginAs('loan_officer_b');
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/cases/${caseId}/screening`,
      headers: other,
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('CASE_NOT_FOUND');
    expect((await run({})).statusCode).toBe(401);
  });

  it('reports the month’s cost per branch', async () => {
    const rm = await t.loginAs('risk_manager');
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/screening/costs?month=2026-11',
      headers: rm,
    });
    expect(res.statusCode).toBe(200);
    const report = res.json();
    // credit-source categories (credit, multi-lender, risk score), tax, court, registration, mobile: 300+100+200+500+100+50+30.
    expect(report.total_cost_fen).toBe(1280);
    expect(report.branches).toHaveLength(1);
    expect(report.branches[0].lines).toHaveLength(7);
    const bad = await t.app.inject({
      method: 'GET',
      url: '/api/v1/screening/costs?month=2026-13',
      headers: rm,
    });
    expect(bad.statusCode).toBe(400);
  });

  it('never writes the applicant’s ID number to the logs', () => {
    expect(t.logs.join('\n')).not.toContain(ID);
  });
});
