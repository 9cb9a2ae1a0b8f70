import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/demo/seed.js';
import { buildTestContext, type TestContext } from '../helper.js';

describe('weidai demo seed', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await buildTestContext();
  });
  afterAll(async () => t?.close());

  it('prepares one demo case with its survey, screening and an interview link, and reruns without duplicating', async () => {
    const first = await seedDemo(t.ctx);
    expect(first.notes).toEqual([]);
    expect(first.invitationLink).toMatch(/\/i\/[A-Za-z0-9_-]{40,}$/);
    expect(first.applicant.idLast4).toHaveLength(4);
    const analysis = await t.ctx.cases.analysisForInterview(first.caseId);
    expect(analysis.financials).toBeDefined();
    expect(analysis.sector).toBe('grocery');

    const second = await seedDemo(t.ctx);
    expect(second.caseId).toBe(first.caseId);
    expect(second.invitationLink).not.toBe(first.invitationLink);
    expect(second.bank.users.every((u) => !u.created)).toBe(true);
  });
});
