import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEATURE_SCHEMA } from '../../src/scoring/features.js';
import { fakeClock } from '../../src/platform/deps.js';
import type { Actor } from '../../src/platform/identity/permissions.js';
import { deriveSigningKey, signBundle, verifyBundle } from '../../src/review/bundle.js';
import type { Evidence } from '../../src/review/analysis.js';
import type { TestApp } from '../helper.js';
import { actorOf, buildReviewTestApp, finishedInterview } from './helper.js';

const code = async (p: Promise<unknown>) => {
  try {
    await p;
    return 'OK';
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
};

describe('review: the expert desk and the compliance review of recordings', { timeout: 20_000 }, () => {
  const clock = fakeClock(new Date('2026-03-12T02:00:00Z'));
  let t: TestApp;
  let officer: Actor;
  let expert: Actor;
  let compliance: Actor;
  let risk: Actor;
  let first: { caseId: string; sessionId: string };

  beforeAll(async () => {
    t = await buildReviewTestApp({ clock });
    officer = await actorOf(t, 'loan_officer');
    expert = await actorOf(t, 'remote_expert');
    compliance = await actorOf(t, 'compliance');
    risk = await actorOf(t, 'risk_manager');
    first = await finishedInterview(t, officer, clock);
  }, 60_000);
  afterAll(async () => t?.close());

  const review = () => t.ctx.review;

  it('anchors a finished interview in the audit chain and queues it for the expert of its branch', async () => {
    const s = await t.ctx.dialog.getSession(first.sessionId);
    expect(['completed', 'abandoned', 'expired']).toContain(s?.status);
    // Its officer sees the case as interviewed once the interview completed.
    const c = await t.ctx.cases.getCase(officer, first.caseId);
    expect(c.status).toBe(s?.status === 'completed' ? 'interviewed' : 'invited');
    // Anchored by the context when the last turn committed; anchoring again changes nothing.
    expect((await review().recordings.anchorInterview(first.sessionId)).lastSeq).toBe(s?.lastSeq);
    const queue = await review().desk.queue(expert, { limit: 50 });
    expect(queue.map((q) => q.sessionId)).toContain(first.sessionId);
    // Each item names its case (masked for the expert) and the pipeline's outcome, read with the queue.
    const item = queue.find((q) => q.sessionId === first.sessionId)!;
    expect(item.case).toMatchObject({
      id: first.caseId,
      applicant_name: '张**',
      sector: 'grocery',
      amount_yuan: c.loan.amount_yuan,
      term_months: c.loan.term_months,
    });
    const latest = await t.ctx.pipeline.latest(expert, first.caseId).catch(() => null);
    expect(item.pipelineOutcome).toBe(latest?.outcome ?? null);
    const v = await review().recordings.verifyInterview(first.sessionId);
    expect(v).toEqual({ sessionId: first.sessionId, state: 'intact', problems: [] });
    const all = await review().recordings.verifyAll();
    expect(all).toMatchObject({ ok: true, intact: 1, purged_by_policy: 0 });
    expect((await t.ctx.audit.verify(t.ctx.db)).ok).toBe(true);
  });

  it('refuses an opinion from an expert the review is not assigned to, and one outside the expert’s branches', async () => {
    const input = { version: 1, kind: 'approve' as const, reasons: ['现金流充足'] };
    expect(await code(review().desk.giveOpinion(expert, first.sessionId, input))).toBe('REVIEW_NOT_ASSIGNED');
    const elsewhere: Actor = { ...expert, branchPath: '/no-such-branch/' };
    expect(await code(review().desk.giveOpinion(elsewhere, first.sessionId, input))).toBe('REVIEW_NOT_FOUND');
    expect(await code(review().desk.claim(elsewhere, first.sessionId))).toBe('REVIEW_NOT_FOUND');
  });

  it('builds the desk view-model with every flag linked to the evidence on both sides, and logs the viewing', async () => {
    const claimed = await review().desk.claim(expert);
    expect(claimed).toMatchObject({
      sessionId: first.sessionId,
      status: 'claimed',
      assigneeId: expert.userId,
    });
    const other: Actor = { ...expert, userId: 'another-expert' };
    expect(await code(review().desk.claim(other, first.sessionId))).toBe('REVIEW_ALREADY_CLAIMED');

    const v = await review().desk.view(expert, first.sessionId);
    expect(v.case.applicant.name).toBe('张**'); // the expert has no case:pii
    expect(v.financials).not.toBeNull();
    expect(v.crossChecks?.checks.length).toBeGreaterThan(0);
    expect(v.consents.some((c) => c.kind === 'recording' && c.granted)).toBe(true);
    const answers = v.transcript.filter((l) => l.kind === 'applicant');
    expect(answers.length).toBeGreaterThan(2);
    // Every answer typed (not a tapped choice) carries its parse.
    const typed = answers.filter((a) => a.kind === 'applicant' && a.choice === null);
    expect(typed.length).toBeGreaterThan(0);
    expect(typed.every((a) => a.kind === 'applicant' && a.understanding !== null)).toBe(true);
    expect(answers.some((a) => a.kind === 'applicant' && a.verdicts.length > 0)).toBe(true);
    expect(v.reliability.asked).toBeGreaterThanOrEqual(0);

    expect(v.flags.some((f) => f.code === 'answer_vs_source' || f.code === 'answer_vs_answer')).toBe(true);
    const bySeq = new Map(v.transcript.map((l) => [l.seq, l]));
    const resolves = (e: Evidence) => {
      switch (e.kind) {
        case 'transcript':
          return (
            bySeq.get(e.seq)?.kind === 'applicant' && (bySeq.get(e.seq) as { text: string }).text === e.text
          );
        case 'survey':
        case 'financials':
        case 'screening':
          return e.value !== null || (e.expected !== null && e.expected.kind !== 'unknown');
        case 'expectation':
          return e.expected.kind !== 'unknown';
        case 'ipc_check':
          return e.sources.length > 0 || e.value !== null;
      }
    };
    // A case value and the expectation it is shown against are in the same unit (the fact's): a month's sales of
    // 138,600 beside about 120,000 a month, not beside the 4,000 a day the question asked for.
    const point = (e: unknown) =>
      e && typeof e === 'object' && (e as { kind?: string }).kind === 'number'
        ? (e as { value: number }).value
        : undefined;
    let compared = 0;
    for (const f of v.flags)
      for (const e of f.evidence) {
        if (e.kind !== 'survey' && e.kind !== 'financials' && e.kind !== 'screening') continue;
        const value = typeof e.value === 'number' ? e.value : undefined;
        const expected = point(e.expectedInFactUnit);
        if (value === undefined || expected === undefined || !(value > 0) || !(expected > 0)) continue;
        compared++;
        expect(Math.abs(Math.log(value / expected)), `${f.id} ${JSON.stringify(e)}`).toBeLessThan(
          Math.log(3),
        );
      }
    expect(compared).toBeGreaterThan(0);
    for (const f of v.flags) {
      expect(f.evidence).toHaveLength(2);
      for (const e of f.evidence)
        expect(resolves(e), `${f.id} ${f.code} ${f.why} ${JSON.stringify(e)}`).toBe(true);
      if (f.code !== 'ipc_check') {
        const line = bySeq.get((f.evidence[1] as { seq: number }).seq);
        expect(line?.kind === 'applicant' && line.flags.includes(f.id)).toBe(true);
      }
    }
    const views = await review().recordings.viewLog(compliance, first.sessionId);
    expect(views.at(-1)).toMatchObject({ userId: expert.userId, what: 'desk', role: 'remote_expert' });
  });

  it('accepts one of two racing opinions, refuses the other with 409, and leaves nothing half-written', async () => {
    const v = await review().desk.view(expert, first.sessionId);
    const base = { version: v.item.version, reasons: ['访谈显示销售额与调查不符'] };
    const results = await Promise.allSettled([
      review().desk.giveOpinion(expert, first.sessionId, { ...base, kind: 'decline' }),
      review().desk.giveOpinion(expert, first.sessionId, { ...base, kind: 'approve' }),
    ]);
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(['OPINION_ALREADY_GIVEN', 'REVIEW_VERSION_CONFLICT']).toContain(refused[0]!.reason.code);
    expect(refused[0]!.reason.status).toBe(409);
    const rows = await t.ctx.db.execute(
      sql`select count(*)::int as n from review_opinions where session_id = ${first.sessionId}`,
    );
    expect((rows as unknown as { rows: { n: number }[] }).rows[0]!.n).toBe(1);
    const events = await t.ctx.db.execute(
      sql`select count(*)::int as n from audit_events where action = 'review.opinion' and entity_id = ${first.sessionId}`,
    );
    expect((events as unknown as { rows: { n: number }[] }).rows[0]!.n).toBe(1);
    expect((await t.ctx.audit.verify(t.ctx.db)).ok).toBe(true);
  });

  it('feeds the opinion to the training export as a row of the feature schema with its decision', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/review/training-export',
      headers: await t.loginAs('risk_manager'),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/x-ndjson');
    const lines = res.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { features: object; decision: string });
    expect(lines).toHaveLength(1);
    expect(['approve', 'decline']).toContain(lines[0]!.decision);
    expect(Object.keys(lines[0]!.features).sort()).toEqual(FEATURE_SCHEMA.map((f) => f.name).sort());
    expect(await code(review().desk.trainingExport(officer))).toBe('PERMISSION_DENIED');
    void risk;
  });

  it('shows the officer the outcome of the officer’s own case and hides it from another officer', async () => {
    const mine = await t.app.inject({
      method: 'GET',
      url: `/api/v1/review/cases/${first.caseId}/outcome`,
      headers: await t.loginAs('loan_officer'),
    });
    expect(mine.statusCode).toBe(200);
    expect(mine.json().opinion.kind).toMatch(/^(approve|decline)$/);
    const other = await t.app.inject({
      method: 'GET',
      url: `/api/v1/review/cases/${first.caseId}/outcome`,
      headers: await t.loginAs('loan_officer_b'),
    });
    expect(other.statusCode).toBe(404);
  });

  it('detects an edited transcript line and names its seq', async () => {
    const target = await t.ctx.db.execute(
      sql`select seq, event from interview_events where session_id = ${first.sessionId} and kind = 'applicant' order by seq limit 1`,
    );
    const row = (target as unknown as { rows: { seq: number; event: unknown }[] }).rows[0]!;
    await t.ctx.db.execute(
      sql`update interview_events set event = jsonb_set(event, '{text}', '"五十万"') where session_id = ${first.sessionId} and seq = ${row.seq}`,
    );
    try {
      const v = await review().recordings.verifyInterview(first.sessionId);
      expect(v.problems).toContainEqual({ problem: 'chain_broken', seq: row.seq, detail: 'hash_mismatch' });
      expect((await review().recordings.verifyAll()).ok).toBe(false);
    } finally {
      await t.ctx.db.execute(
        sql`update interview_events set event = ${JSON.stringify(row.event)}::jsonb where session_id = ${first.sessionId} and seq = ${row.seq}`,
      );
    }
    expect((await review().recordings.verifyInterview(first.sessionId)).problems).toEqual([]);
  });

  it('exports a signed bundle that verifies on its own and fails when edited; refuses who may not see it', async () => {
    const bundle = await review().recordings.exportBundle(compliance, first.sessionId);
    const round = JSON.parse(JSON.stringify(bundle)) as typeof bundle;
    const check = verifyBundle(round, { trustedKeyId: review().recordings.signingKeyId });
    expect(check).toMatchObject({
      ok: true,
      signature: 'valid',
      anchor: 'valid',
      chain: { ok: true, state: 'intact' },
    });
    expect(round.html).toContain('<!doctype html>');

    const edited = JSON.parse(JSON.stringify(bundle)) as typeof bundle;
    const line = edited.recording.events.find((e) => e.event.kind === 'applicant')!;
    line.event.text = '五十万';
    const bad = verifyBundle(edited);
    expect(bad.ok).toBe(false);
    expect(bad.signature).toBe('invalid');
    expect(bad.chain).toMatchObject({ ok: false, firstBadSeq: line.event.seq, problem: 'hash_mismatch' });
    // Re-signed by someone else: the chain still fails, and the key is not the bank's.
    const forged = signBundle(
      { exportedAt: edited.exportedAt, exportedBy: edited.exportedBy, recording: edited.recording },
      deriveSigningKey(Buffer.alloc(32, 9)),
    );
    const f = verifyBundle(forged, { trustedKeyId: review().recordings.signingKeyId });
    expect(f).toMatchObject({ ok: false, signature: 'untrusted_key' });

    expect(await code(review().recordings.exportBundle(officer, first.sessionId))).toBe('PERMISSION_DENIED');
    const elsewhere: Actor = { ...compliance, branchPath: '/no-such-branch/' };
    expect(await code(review().recordings.exportBundle(elsewhere, first.sessionId))).toBe(
      'RECORDING_NOT_FOUND',
    );
    const views = await review().recordings.viewLog(compliance, first.sessionId);
    expect(views.filter((x) => x.what === 'export')).toHaveLength(1);
  });

  it('searches recordings by branch, officer, outcome and flag, replays the timeline and logs each viewing', async () => {
    const found = await review().recordings.search(compliance, {
      branchId: compliance.branchId,
      officerId: officer.userId,
      outcome:
        (await review().recordings.search(compliance, { limit: 5, offset: 0 }))[0]!.outcome ?? undefined,
      limit: 10,
      offset: 0,
    });
    expect(found.map((r) => r.sessionId)).toEqual([first.sessionId]);
    // The row names its case as the role sees it: compliance sees personal data, the expert a masked name.
    expect(found[0]!.case).toMatchObject({ id: first.caseId, applicant_name: '张建国' });
    const forExpert = await review().recordings.search(expert, { limit: 10, offset: 0 });
    expect(forExpert.find((r) => r.sessionId === first.sessionId)!.case?.applicant_name).toBe('张**');
    expect(
      await review().recordings.search(compliance, { officerId: 'nobody', limit: 10, offset: 0 }),
    ).toEqual([]);
    const flag = found[0]!.flagCodes[0];
    if (flag) {
      const byFlag = await review().recordings.search(compliance, { flag, limit: 10, offset: 0 });
      expect(byFlag.map((r) => r.sessionId)).toEqual([first.sessionId]);
    }
    const tl = await review().recordings.timeline(compliance, first.sessionId);
    expect(tl.entries[0]!.offsetMs).toBe(0);
    expect(tl.entries.every((e, i) => i === 0 || e.offsetMs >= tl.entries[i - 1]!.offsetMs)).toBe(true);
    expect(tl.entries.some((e) => e.kind === 'bot' && e.reasons !== null)).toBe(true);
    await review().recordings.getRecording(compliance, first.sessionId);
    const views = await review().recordings.viewLog(compliance, first.sessionId);
    expect(views.slice(-2).map((x) => [x.userId, x.what])).toEqual([
      [compliance.userId, 'timeline'],
      [compliance.userId, 'recording'],
    ]);
  });

  it('recomputes a recording from its recorded answers line for line, for compliance and experts in scope, and logs it', async () => {
    const r = await review().recordings.recompute(compliance, first.sessionId);
    expect(r.differences).toEqual([]);
    expect(r.identical).toBe(true);
    expect(r.events).toBeGreaterThan(4);
    expect(r.settings).toMatchObject({ answerModel: expect.any(String), iterations: expect.any(Number) });
    expect(r.modelChanged).toBeUndefined();
    expect((await review().recordings.viewLog(compliance, first.sessionId)).at(-1)).toMatchObject({
      userId: compliance.userId,
      what: 'recompute',
    });
    expect(await code(review().recordings.recompute(officer, first.sessionId))).toBe('PERMISSION_DENIED');
    const elsewhere: Actor = { ...compliance, branchPath: '/no-such-branch/' };
    expect(await code(review().recordings.recompute(elsewhere, first.sessionId))).toBe('RECORDING_NOT_FOUND');
    // Over HTTP, as the compliance console calls it.
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/recordings/${first.sessionId}/recompute`,
      headers: await t.loginAs(compliance.username),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ sessionId: first.sessionId, identical: true });
  });

  it('keeps a held recording through the purge and purges it after release, keeping the chain verifiable', async () => {
    const r = review().recordings;
    expect(await code(r.purgeRecording(compliance, first.sessionId))).toBe('RETENTION_NOT_ELAPSED');
    await r.placeHold(compliance, first.sessionId, '诉讼保全（2026）豫0225民初1号');
    expect(await code(r.placeHold(compliance, first.sessionId, 'again'))).toBe('RECORDING_ALREADY_HELD');
    const finding = await r.markFinding(compliance, first.sessionId, {
      seq: 2,
      severity: 'warn',
      category: 'question_wording',
      note: '追问措辞需复核',
    });
    expect(finding.seq).toBe(2);
    expect(
      await code(
        r.markFinding(compliance, first.sessionId, { seq: 9999, severity: 'info', category: 'x', note: 'y' }),
      ),
    ).toBe('SEQ_NOT_IN_RECORDING');

    clock.advance(7 * 366 * 24 * 3600_000);
    expect(await code(r.purgeRecording(compliance, first.sessionId))).toBe('RECORDING_ON_HOLD');
    const job = await r.runPurge();
    expect(job).toMatchObject({ purged: [], skippedHeld: [first.sessionId] });
    expect((await r.verifyInterview(first.sessionId)).state).toBe('intact');

    await r.releaseHold(compliance, first.sessionId, '案件审结');
    const after = await r.runPurge();
    expect(after.purged.map((p) => p.sessionId)).toEqual([first.sessionId]);
    const events = await t.ctx.dialog.transcriptAfter(first.sessionId, 0);
    expect(events.every((e) => (e as { purged?: boolean }).purged === true && !('text' in e))).toBe(true);
    expect(await r.verifyInterview(first.sessionId)).toEqual({
      sessionId: first.sessionId,
      state: 'purged_by_policy',
      problems: [],
    });
    expect(await r.verifyAll()).toMatchObject({ ok: true, purged_by_policy: 1 });
    expect(await code(r.recompute(compliance, first.sessionId))).toBe('RECORDING_PURGED');
    expect((await t.ctx.audit.verify(t.ctx.db)).ok).toBe(true);
    const bundle = await r.exportBundle(compliance, first.sessionId);
    expect(verifyBundle(JSON.parse(JSON.stringify(bundle)))).toMatchObject({
      ok: true,
      chain: { ok: true, state: 'purged_by_policy' },
      purge: 'valid',
    });
    expect(await code(r.purgeRecording(compliance, first.sessionId))).toBe('RECORDING_PURGED');
  });

  /** Interviews finished as if their instance stopped right after the last turn committed: no anchor ran. */
  async function finishedUnanchored(count: number) {
    const r = review().recordings;
    const original = r.onInterviewCommitted;
    r.onInterviewCommitted = () => undefined;
    const ended: { sessionId: string }[] = [];
    try {
      for (let i = 0; i < count; i++) ended.push(await finishedInterview(t, officer, clock));
    } finally {
      r.onInterviewCommitted = original;
    }
    return ended;
  }

  it('anchors an ended interview whose anchor never ran, through the background sweep', async () => {
    const r = review().recordings;
    const [second] = (await finishedUnanchored(1)) as [{ sessionId: string }];
    expect(await code(r.getRecording(compliance, second.sessionId))).toBe('RECORDING_NOT_FOUND');
    expect(await r.anchorPending()).toEqual({ anchored: 1 });
    expect((await r.getRecording(compliance, second.sessionId)).sessionId).toBe(second.sessionId);
    expect(await r.anchorPending()).toEqual({ anchored: 0 });
  });

  it('keeps one anchor when the sweep anchored an interview before its own instance got to it', async () => {
    const r = review().recordings;
    const [late] = (await finishedUnanchored(1)) as [{ sessionId: string }];
    expect(await r.anchorPending()).toEqual({ anchored: 1 });
    const before = (await r.getRecording(compliance, late.sessionId)).anchor.seq;
    // The instance that committed the end anchors now, from the session it holds: it finds the sweep's recording and
    // leaves it as it is.
    const session = (await t.ctx.dialog.getSession(late.sessionId))!;
    r.onInterviewCommitted(session);
    await r.idle();
    expect((await r.getRecording(compliance, late.sessionId)).anchor.seq).toBe(before);
    const anchors = await t.ctx.db.execute(
      sql`select count(*)::int as n from audit_events where action = 'recording.anchor' and entity_id = ${late.sessionId}`,
    );
    expect((anchors as unknown as { rows: { n: number }[] }).rows[0]!.n).toBe(1);
    expect((await t.ctx.audit.verify(t.ctx.db)).ok).toBe(true);
  });

  it('leaves to an explicit anchor an interview that ended before the sweep window of a week', async () => {
    const r = review().recordings;
    const [old] = (await finishedUnanchored(1)) as [{ sessionId: string }];
    clock.advance(8 * 24 * 3600_000);
    // The sweep reads the last week's ends only, not every interview ever held.
    expect(await r.anchorPending()).toEqual({ anchored: 0 });
    expect(await code(r.getRecording(compliance, old.sessionId))).toBe('RECORDING_NOT_FOUND');
    expect((await r.anchorInterview(old.sessionId)).sessionId).toBe(old.sessionId);
  });

  it('anchors interviews ended side by side in one batch, each with its own audit event, queue place and chain', async () => {
    const r = review().recordings;
    const ended = await finishedUnanchored(3);
    expect(await r.anchorPending()).toEqual({ anchored: 3 });
    const seqs: number[] = [];
    for (const e of ended) {
      const rec = await r.getRecording(compliance, e.sessionId);
      expect(rec.sessionId).toBe(e.sessionId);
      expect(rec.anchor.payload).toMatchObject({ sessionId: e.sessionId });
      seqs.push(rec.anchor.seq);
      expect((await r.verifyInterview(e.sessionId)).problems).toEqual([]);
    }
    // One transaction: consecutive places in the audit chain (in the order the drafts finished), which still
    // verifies end to end.
    seqs.sort((a, b) => a - b);
    expect(seqs[1]! - seqs[0]!).toBe(1);
    expect(seqs[2]! - seqs[1]!).toBe(1);
    expect((await t.ctx.audit.verify(t.ctx.db)).ok).toBe(true);
    const queued = await review().desk.queue(expert, { limit: 200 });
    for (const e of ended) expect(queued.some((q) => q.sessionId === e.sessionId)).toBe(true);
  });
});
