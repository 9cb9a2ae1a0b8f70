/**
 * A finished interview on the real context: an officer registers a grocery case, answers the IPC survey, records
 * the applicant's recording consent, invites, and the applicant answers through the dialog service until it ends
 * (figures far below the survey's, so the interview finds contradictions). The context anchors the recording and
 * scores a completed interview (after the last turn, not within it; this helper waits for both).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/platform/config.js';
import { type AppContext, createContext } from '../../src/platform/context.js';
import type { Clock } from '../../src/platform/deps.js';
import { DEMO_PASSWORD, seedDemoBank } from '../../src/platform/identity/seed.js';
import type { Actor } from '../../src/platform/identity/permissions.js';
import { groceryAnswers } from '../scoring/ipc/cases.js';
import { groceryCase } from '../cases/helper.js';
import { TEST_KEY, type TestApp } from '../helper.js';

/**
 * test/helper.ts's buildTestApp with fewer search iterations per question (the desk reads what the policy
 * recorded; how well it chose does not matter here), so a whole interview takes about a second.
 */
export async function buildReviewTestApp(opts: { clock: Clock }): Promise<TestApp> {
  const varDir = mkdtempSync(join(tmpdir(), 'weidai-review-'));
  const base = process.env.WEIDAI_DATABASE_URL;
  let drop = async () => undefined as void;
  let databaseUrl: string | undefined;
  if (base) {
    const name = `weidai_rv_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    drop = async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  }
  const config = loadConfig(
    { ...process.env, WEIDAI_VAR_DIR: varDir, WEIDAI_SECRET_KEY: TEST_KEY, WEIDAI_LOG_LEVEL: 'info' },
    { databaseUrl },
  );
  const ctx = await createContext(config, {
    inMemoryDb: true,
    clock: opts.clock,
    dialog: { iterations: 40 },
    kvPrefix: `weidai-review:${process.pid}:${Math.random().toString(36).slice(2, 10)}:`,
  });
  const demo = await seedDemoBank(ctx);
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(chunk.toString('utf8'));
      cb();
    },
  });
  const app = await buildApp(ctx, { logStream, serveWeb: false });
  await app.ready();
  return {
    ctx,
    config,
    app,
    demo,
    logs,
    async loginAs(username: string) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username, password: DEMO_PASSWORD },
      });
      if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
      return { authorization: `Bearer ${res.json<{ access_token: string }>().access_token}` };
    },
    async close() {
      await app.close();
      await ctx.close();
      await drop();
      rmSync(varDir, { recursive: true, force: true });
    },
  };
}

export async function actorOf(t: TestApp, username: string): Promise<Actor> {
  const { authorization } = await t.loginAs(username);
  return t.ctx.identity.authenticate(authorization.slice('Bearer '.length));
}

export async function finishedInterview(
  t: TestApp,
  officer: Actor,
  clock: { advance(ms: number): void },
  answer: (turn: number) => string = () => '一百',
) {
  const { authorization } = await t.loginAs(officer.username);
  // The applicant answers at a human pace: the dialog's rate limit counts messages per window of this clock.
  return driveFinishedInterview(
    { app: t.app, ctx: t.ctx, officer, authorization },
    { beforeTurn: () => clock.advance(5_000) },
    answer,
  );
}

/** What drives an interview: the app, its context, and the officer who registers and invites, logged in. */
export interface InterviewDriver {
  app: FastifyInstance;
  ctx: AppContext;
  officer: Actor;
  authorization: string;
}

/**
 * The body of `finishedInterview`, for any clock: the officer registers the grocery case, its IPC survey and the
 * recording consent over HTTP, and invites; the applicant answers (the first choice offered, else `answer`) until
 * the interview ends. `pace.beforeTurn` runs before each answer (a fake clock moves on); `pace.rateLimited`, when
 * given, waits out a RATE_LIMITED refusal and the answer is sent again (a real clock's test), otherwise it throws.
 * Resolves once the recording is anchored and a completed interview scored.
 */
export async function driveFinishedInterview(
  d: InterviewDriver,
  pace: { beforeTurn?: () => void; rateLimited?: (retryAfterMs: number) => Promise<void> },
  answer: (turn: number) => string = () => '一百',
) {
  const { app, ctx, officer } = d;
  const headers = { authorization: d.authorization };
  const created = await app.inject({
    method: 'POST',
    url: '/api/v1/cases',
    headers,
    payload: groceryCase(),
  });
  if (created.statusCode !== 201) throw new Error(`case: ${created.body}`);
  const caseId = created.json<{ id: string }>().id;
  const survey = await app.inject({
    method: 'PUT',
    url: `/api/v1/cases/${caseId}/survey/answers`,
    headers,
    payload: {
      answers: Object.fromEntries(Object.entries(groceryAnswers).map(([k, value]) => [k, { value }])),
    },
  });
  if (survey.statusCode !== 200) throw new Error(`survey: ${survey.body}`);
  const consent = await app.inject({
    method: 'POST',
    url: `/api/v1/cases/${caseId}/consents`,
    headers,
    payload: {
      channel: 'paper',
      evidence_sha256: 'b'.repeat(64),
      consents: [{ kind: 'recording', text_id: 'recording', text_version: 1, granted: true }],
    },
  });
  if (consent.statusCode !== 201) throw new Error(`consent: ${consent.body}`);
  const inv = await ctx.cases.createInvitation(officer, caseId);
  const { session } = await ctx.dialog.startOrResume({
    caseId,
    invitationId: inv.id,
    branchPath: officer.branchPath,
    lang: 'zh-CN',
  });
  for (let turn = 0; turn < 40; turn++) {
    const events = await ctx.dialog.transcriptAfter(session.id, 0);
    if (events.some((e) => e.kind === 'end')) break;
    const lastBot = [...events].reverse().find((e) => e.kind === 'bot' && e.questionId);
    pace.beforeTurn?.();
    const choice = lastBot?.kind === 'bot' ? lastBot.choices?.[0] : undefined;
    try {
      await ctx.dialog.handleTurn({
        sessionId: session.id,
        clientMsgId: `m-${turn}`,
        channel: 'web',
        ...(choice ? { choice: choice.id, text: choice.label } : { text: answer(turn) }),
      });
    } catch (e) {
      const err = e as { code?: string; details?: { retryAfterMs?: number } };
      if (!pace.rateLimited || err.code !== 'RATE_LIMITED') throw e;
      await pace.rateLimited(err.details?.retryAfterMs ?? 1000);
      turn--;
    }
  }
  // The last turn started anchoring the recording and, for a completed interview, its scoring run, without
  // waiting for either. Both append to the audit chain: a test that verifies the whole chain while the run is
  // still writing sees a head newer than the last event it read (audit.verify reads them one after the other).
  await ctx.review.recordings.idle();
  await ctx.pipeline.idle();
  return { caseId, sessionId: session.id };
}
