import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSandboxProviders } from '../../src/screening/providers/sandbox.js';
import { RAW_CONTEXT } from '../../src/screening/fetcher.js';
import { RETRY_QUEUE } from '../../src/screening/service.js';
import { screeningCosts, screeningQueries } from '../../src/screening/tables.js';
import { ProviderFailure, type Provider } from '../../src/screening/types.js';
import {
  ALL_SOURCES,
  OUTLET_A,
  OUTLET_B,
  START,
  SUBJECT,
  UNION,
  actor,
  buildHarness,
  counting,
  subjectN,
  type Harness,
} from './helper.js';

const officer = actor('loan_officer', OUTLET_A);
const expert = actor('remote_expert', UNION);

let h!: Harness;
function countedSandbox(fail: Partial<Record<string, () => Error | null>> = {}, delayMs = 0) {
  const wrapped = createSandboxProviders({ idPrefix: h.prefix() }).map((p) =>
    counting(p, { fail: fail[p.category], delayMs }),
  );
  return {
    providers: wrapped.map((w) => w.provider) as Provider[],
    calls: () => wrapped.reduce((a, w) => a + w.calls, 0),
    callsOf: (category: string) => wrapped.find((w) => w.provider.category === category)!.calls,
  };
}

async function codeOf(p: Promise<unknown>) {
  try {
    await p;
    return 'resolved';
  } catch (e) {
    return (e as { code?: string }).code;
  }
}

beforeAll(async () => {
  h = await buildHarness();
}, 60_000);
afterAll(async () => h?.close());

describe('screening service', () => {
  beforeEach(() => h.clock.set(START));

  it('refuses with CONSENT_REQUIRED and asks no provider when the mandatory credit consent is missing', async () => {
    const sb = countedSandbox();
    const service = h.make({ settings: { providers: sb.providers } });
    const caseId = h.cases.addCase();
    h.cases.grant(
      caseId,
      ALL_SOURCES.filter((s) => s !== 'credit'),
      START,
    );
    expect(await codeOf(service.run(officer, caseId))).toBe('CONSENT_REQUIRED');
    expect(sb.calls()).toBe(0);
  });

  it('leaves an optional source without consent missing and never queries it', async () => {
    const sb = countedSandbox();
    const service = h.make({ settings: { providers: sb.providers } });
    const caseId = h.cases.addCase();
    h.cases.grant(caseId, ['credit', 'identity'], START);
    const dto = await service.run(officer, caseId);
    expect(dto.status).toBe('complete');
    expect(sb.callsOf('court')).toBe(0);
    expect(dto.facts['court.dishonest_records']).toMatchObject({
      status: 'missing',
      reason: 'no_consent',
      value: null,
    });
    expect(dto.facts['credit.overdue_accounts']!.status).toBe('ok');
    expect(dto.sources.find((s) => s.category === 'court')!.status).toBe('no_consent');
  });

  it('treats a consent older than the maximum age, or past its end, as absent', async () => {
    const sb = countedSandbox();
    const service = h.make({ settings: { providers: sb.providers } });
    const old = h.cases.addCase();
    h.cases.grant(old, ['credit'], new Date(START.getTime() - 91 * 86_400_000));
    expect(await codeOf(service.run(officer, old))).toBe('CONSENT_REQUIRED');
    const ended = h.cases.addCase();
    h.cases.grant(ended, ['credit'], START, new Date(START.getTime() - 1));
    expect(await codeOf(service.run(officer, ended))).toBe('CONSENT_REQUIRED');
    expect(sb.calls()).toBe(0);
  });

  it('records the consent that allowed each query and keeps the raw payload encrypted', async () => {
    const service = h.make();
    const caseId = h.cases.addCase();
    h.cases.grant(caseId, ALL_SOURCES, START);
    const dto = await service.run(officer, caseId);
    const rows = await h.t.ctx.db
      .select()
      .from(screeningQueries)
      .where(eq(screeningQueries.runId, dto.run_id));
    expect(rows).toHaveLength(10);
    const credit = rows.find((r) => r.category === 'credit')!;
    expect(credit.consentId).toBe(`consent-${caseId}-credit`);
    expect(rows.find((r) => r.category === 'mobile')!.consentId).toBe(`consent-${caseId}-telecom`);
    expect(credit.rawEnc).not.toContain(SUBJECT.idNumber);
    expect(h.t.ctx.cipher.decrypt(credit.rawEnc!, RAW_CONTEXT)).toContain(SUBJECT.idNumber);
  });

  it('reuses answers within their validity window: a second run makes no upstream call and costs nothing', async () => {
    const sb = countedSandbox();
    const service = h.make({ settings: { providers: sb.providers } });
    const first = h.cases.addCase();
    const second = h.cases.addCase(); // the same applicant on another case
    h.cases.grant(first, ALL_SOURCES, START);
    h.cases.grant(second, ALL_SOURCES, START);
    await service.run(officer, first);
    expect(sb.calls()).toBe(10);
    h.clock.advance(3_600_000);
    const again = await service.run(officer, second);
    expect(sb.calls()).toBe(10);
    expect(again.sources.every((s) => s.cache_hit && s.cost_fen === 0)).toBe(true);
    // A day later the one-day sources (identity, multi-lender, bank) are asked again, the monthly ones are not.
    h.clock.advance(86_400_000);
    await service.run(officer, first);
    expect(sb.calls()).toBe(13);
    const lines = await h.t.ctx.db.select().from(screeningCosts).where(eq(screeningCosts.caseId, second));
    expect(lines).toHaveLength(10);
    expect(lines.every((l) => l.cacheHit && l.costFen === 0)).toBe(true);
  });

  it('makes one upstream call per provider for 20 concurrent runs about one subject on 4 instances', async () => {
    const sb = countedSandbox({}, 30);
    const instances = [1, 2, 3, 4].map(() => h.make({ settings: { providers: sb.providers } }));
    const ids = Array.from({ length: 20 }, () => h.cases.addCase(subjectN(20)));
    for (const id of ids) h.cases.grant(id, ALL_SOURCES, START);
    // The instances poll the kv for the leader's answer with real waits.
    const dtos = await Promise.all(ids.map((id, i) => instances[i % 4]!.run(officer, id)));
    expect(sb.calls()).toBe(10);
    for (const p of sb.providers) expect(sb.callsOf(p.category)).toBe(1);
    const paid = dtos.flatMap((d) => d.sources).filter((s) => !s.cache_hit);
    expect(paid).toHaveLength(10);
    expect(new Set(dtos.map((d) => JSON.stringify(d.facts['credit.queries_6m'])))).toHaveLength(1);
  });

  it('queues a case whose mandatory source fails and completes it when the retry is drained after its delay', async () => {
    let down = true;
    const sb = countedSandbox({
      credit: () => (down ? new ProviderFailure('UPSTREAM_5XX', 'bad gateway') : null),
    });
    const service = h.make({ settings: { providers: sb.providers } });
    const caseId = h.cases.addCase();
    h.cases.grant(caseId, ALL_SOURCES, START);
    const dto = await service.run(officer, caseId);
    expect(dto.status).toBe('pending_retry');
    expect(dto.facts['credit.overdue_accounts']).toMatchObject({ status: 'failed', reason: 'source_failed' });
    expect(dto.findings.map((f) => f.code)).toContain('MANDATORY_SOURCE_PENDING');
    expect(sb.callsOf('credit')).toBe(3); // the first attempt and two retries

    expect(await service.drainRetries()).toMatchObject({ processed: 0, deferred: 1 });
    down = false;
    h.clock.advance(61_000);
    const before = sb.calls();
    expect(await service.drainRetries()).toMatchObject({ processed: 1, completed: 1, deferred: 0 });
    expect(sb.calls() - before).toBe(1); // only the failed source; the others come from the cache
    const after = await service.get(expert, caseId);
    expect(after).toMatchObject({ run_id: dto.run_id, status: 'complete', attempt: 2 });
    expect(after.facts['credit.overdue_accounts']!.status).toBe('ok');
    expect(await h.t.ctx.kv.dequeue(RETRY_QUEUE)).toBeNull();
  });

  it('marks the run failed once the retry attempts are spent', async () => {
    const sb = countedSandbox({ credit: () => new ProviderFailure('UPSTREAM_5XX', 'down') });
    const service = h.make({
      settings: {
        providers: sb.providers,
        retry: { maxAttempts: 2, baseDelayMs: 1000, maxDelayMs: 1000 },
        breaker: { failureThreshold: 100, openMs: 1000, probeTtlMs: 1000, failureWindowMs: 1000 },
      },
    });
    const caseId = h.cases.addCase();
    h.cases.grant(caseId, ALL_SOURCES, START);
    await service.run(officer, caseId);
    h.clock.advance(2000);
    expect(await service.drainRetries()).toMatchObject({ processed: 1, failed: 1 });
    expect((await service.get(expert, caseId)).status).toBe('failed');
    expect(await service.drainRetries()).toMatchObject({ processed: 0 });
  });

  it('leaves the facts of a failing optional source missing and the run complete', async () => {
    const sb = countedSandbox({ court: () => new ProviderFailure('TIMEOUT', 'slow') });
    const service = h.make({ settings: { providers: sb.providers } });
    const caseId = h.cases.addCase();
    h.cases.grant(caseId, ALL_SOURCES, START);
    const dto = await service.run(officer, caseId);
    expect(dto.status).toBe('complete');
    expect(dto.facts['court.dishonest_records']).toMatchObject({
      status: 'missing',
      reason: 'source_failed',
    });
    expect(dto.sources.find((s) => s.category === 'court')).toMatchObject({
      status: 'failed',
      error_code: 'TIMEOUT',
      cost_fen: 0,
    });
  });

  it('hides cases outside the branch (CASE_NOT_FOUND) and refuses roles without the permission', async () => {
    const service = h.make();
    const caseId = h.cases.addCase(SUBJECT, OUTLET_B);
    h.cases.grant(caseId, ALL_SOURCES, START);
    expect(await codeOf(service.run(officer, caseId))).toBe('CASE_NOT_FOUND');
    expect(await codeOf(service.run(actor('remote_expert', UNION), caseId))).toBe('PERMISSION_DENIED');
    expect(await codeOf(service.get(actor('admin', UNION), caseId))).toBe('PERMISSION_DENIED');
    expect(await codeOf(service.get(expert, caseId))).toBe('SCREENING_NOT_FOUND');
  });

  it('reports the month’s cost per branch in China time, within the caller’s subtree', async () => {
    // Months of their own (2027), so the ledger lines of the other tests stay out of the totals.
    const service = h.make();
    const a1 = h.cases.addCase(subjectN(1), OUTLET_A);
    const a2 = h.cases.addCase(subjectN(1), OUTLET_A); // same applicant: all cache hits
    const b1 = h.cases.addCase(subjectN(2), OUTLET_B);
    const dec = h.cases.addCase(subjectN(3), OUTLET_A);
    for (const c of [a1, a2, b1, dec]) h.cases.grant(c, ALL_SOURCES, new Date('2027-02-20T00:00:00Z'));
    // 2027-02-28 17:30 UTC is 2027-03-01 01:30 in China: March.
    h.clock.set(new Date('2027-02-28T17:30:00Z'));
    await service.run(officer, a1);
    h.clock.set(new Date('2027-02-28T18:00:00Z'));
    await service.run(officer, a2);
    h.clock.set(new Date('2027-03-20T09:00:00Z'));
    await service.run(actor('loan_officer', OUTLET_B, 'lo-b'), b1);
    // 2027-03-31 16:00 UTC is 2027-04-01 00:00 in China: April.
    h.clock.set(new Date('2027-03-31T16:00:00Z'));
    await service.run(officer, dec);

    const full = 80 + 30 + 100 + 200 + 50 + 100 + 500 + 300 + 300 + 0; // the sandbox price list
    const union = await service.costReport(actor('risk_manager', UNION), '2027-03');
    expect(union.total_cost_fen).toBe(2 * full);
    const a = union.branches.find((b) => b.branch_id === 'a')!;
    expect(a).toMatchObject({ calls: 20, cache_hits: 10, cost_fen: full, cost_yuan: '16.60' });
    expect(a.lines.find((l) => l.category === 'tax')).toMatchObject({
      calls: 2,
      cache_hits: 1,
      cache_misses: 1,
      cost_fen: 500,
    });
    const outletOnly = await service.costReport(actor('loan_officer', OUTLET_B, 'lo-b'), '2027-03');
    expect(outletOnly.branches.map((b) => b.branch_id)).toEqual(['b']);
    expect((await service.costReport(actor('risk_manager', UNION), '2027-04')).total_cost_fen).toBe(full);
    expect(await codeOf(service.costReport(actor('risk_manager', UNION), '2027-13'))).toBe('MONTH_INVALID');
  });
});
