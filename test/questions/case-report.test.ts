/**
 * The risk manager's report of a case's question bank through the API: who may see it (catalogue:read and the
 * case in the caller's branch subtree), the bank an interview would get before one starts, and the bank the
 * interview actually used once it has — reproduced with its reasons while the case data is unchanged, shown as
 * stored when it changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInterviewBankLookup } from '../../src/dialog/session/bank-of.js';
import { fakeClock } from '../../src/platform/deps.js';
import type { Actor } from '../../src/platform/identity/permissions.js';
import type { BankReport } from '../../src/questions/index.js';
import { type TestApp, buildTestApp } from '../helper.js';
import { groceryAnswers } from '../scoring/ipc/cases.js';
import { actorOf, openInterview, registerGroceryCase, saveSurvey } from './helper.js';

const SHIPPED = 'weidai.default@2026.1.2';

interface ReportDto {
  caseId: string;
  source: { kind: 'interview' | 'generated'; sessionId?: string; reproduced?: boolean; asOf?: string };
  report: BankReport;
}

let t: TestApp;
const clock = fakeClock(new Date('2026-03-02T02:00:00Z'));
const as: Record<string, { authorization: string }> = {};
let caseId: string;
let otherCaseId: string;
let officer: Actor;

const report = (id: string, user: string, query = '') =>
  t.app.inject({ method: 'GET', url: `/api/v1/cases/${id}/question-bank/report${query}`, headers: as[user] });

async function login() {
  for (const u of ['risk_manager', 'auditor', 'remote_expert', 'loan_officer', 'loan_officer_b'])
    as[u] = await t.loginAs(u);
}

beforeAll(async () => {
  t = await buildTestApp({ clock });
  await login();
  officer = await actorOf(t, as.loan_officer!);
  caseId = await registerGroceryCase(t, as.loan_officer!);
  otherCaseId = await registerGroceryCase(t, as.loan_officer_b!);
});
afterAll(async () => {
  await t?.close();
});

describe('who may see a case bank report', () => {
  it('refuses a loan officer, who has no catalogue:read, with 403', async () => {
    const res = await report(caseId, 'loan_officer');
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('PERMISSION_DENIED');
  });

  it('answers 404 for a case outside the caller’s branch subtree', async () => {
    // The expert works for the Lankao county bank; the other case belongs to a Xinxian outlet.
    const res = await report(otherCaseId, 'remote_expert');
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('CASE_NOT_FOUND');
    expect((await report(otherCaseId, 'risk_manager')).statusCode).toBe(200);
    expect((await report(caseId, 'remote_expert')).statusCode).toBe(200);
    expect((await report('no-such-case', 'risk_manager')).statusCode).toBe(404);
  });
});

describe('before the interview', () => {
  let before: ReportDto;

  it('shows the bank an interview started now would get, with a reason for every question and the coverage', async () => {
    const res = await report(caseId, 'auditor');
    expect(res.statusCode, res.body).toBe(200);
    before = res.json<ReportDto>();
    expect(before.source).toEqual({ kind: 'generated', asOf: '2026-03-02' });
    expect(before.report.catalogueVersion).toBe(SHIPPED);
    expect(before.report.summary.control).toBeGreaterThan(0);
    for (const q of before.report.questions) {
      expect(q.reason['zh-CN'].length).toBeGreaterThan(0);
      expect(q.reason['en-US'].length).toBeGreaterThan(0);
    }
    const sales = before.report.facts.find((f) => f.factId === 'sales.monthly');
    expect(sales?.expected.kind).toBe('number');
    expect(sales?.independentWays).toBeGreaterThanOrEqual(2);
  });

  it('predicts exactly the bank the interview then uses', async () => {
    await openInterview(t, officer, caseId);
    const used = await createInterviewBankLookup(t.ctx.db).latestOf(caseId);
    expect(used?.bank).toEqual(before.report.bank);
  });
});

describe('after the interview started', () => {
  it('reports the bank the interview used, reproduced with its expectations and doubt reasons', async () => {
    // Days later; the report rebuilds the bank as of the interview's start.
    clock.advance(3 * 24 * 3600_000);
    await login();
    const res = await report(caseId, 'risk_manager');
    const dto = res.json<ReportDto>();
    const used = await createInterviewBankLookup(t.ctx.db).latestOf(caseId);
    expect(dto.source).toMatchObject({ kind: 'interview', sessionId: used!.sessionId, reproduced: true });
    expect(dto.report.bank).toEqual(used!.bank);
    expect(dto.report.facts.find((f) => f.factId === 'sales.monthly')?.expected.kind).toBe('number');
  });

  it('renders Markdown in either language, saying which bank it shows', async () => {
    const used = await createInterviewBankLookup(t.ctx.db).latestOf(caseId);
    const zh = await report(caseId, 'risk_manager', '?format=markdown');
    expect(zh.statusCode).toBe(200);
    expect(zh.headers['content-type']).toContain('text/markdown');
    expect(zh.body).toContain(`访谈 ${used!.sessionId}`);
    expect(zh.body).toContain('# 问题库报告');
    const en = await report(caseId, 'risk_manager', '?format=markdown&lang=en-US');
    expect(en.body).toContain('actually used');
    expect(en.body).toContain('## Fact coverage');
  });

  it('shows the stored bank without recomputed expectations once the case data changed', async () => {
    await saveSurvey(t, as.loan_officer!, caseId, { ...groceryAnswers, takings_normal_day: 2500 });
    const dto = (await report(caseId, 'risk_manager')).json<ReportDto>();
    const used = await createInterviewBankLookup(t.ctx.db).latestOf(caseId);
    expect(dto.source).toMatchObject({ kind: 'interview', reproduced: false });
    expect(dto.report.bank).toEqual(used!.bank);
    expect(dto.report.questions.map((q) => q.text)).toEqual(used!.bank.questions.map((q) => q.text));
    expect(dto.report.facts.every((f) => f.expected.kind === 'unknown')).toBe(true);
    const md = await report(caseId, 'risk_manager', '?format=markdown');
    expect(md.body).toContain('无法重算');
  });

  it('answers 404 for a named interview of another case', async () => {
    const used = await createInterviewBankLookup(t.ctx.db).latestOf(caseId);
    const res = await report(otherCaseId, 'risk_manager', `?session=${used!.sessionId}`);
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('SESSION_NOT_FOUND');
  });
});
