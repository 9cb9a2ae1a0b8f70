/**
 * A finished demo interview, driven the way the applicant's channel drives it: an officer registers a grocery case
 * with its survey through the API, the applicant verifies (capturing SMS sender), consents, screening runs, and the
 * applicant answers every question with the bank's own expectation (an honest applicant) until the interview ends.
 */
import { Writable } from 'node:stream';
import type { SQL } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/app.js';
import { SCREENING_SOURCES } from '../../../src/cases/consent-texts.js';
import { createCasesService } from '../../../src/cases/service.js';
import { createCapturingSmsSender } from '../../../src/cases/sms.js';
import { createPgDialogStore } from '../../../src/dialog/session/store.pg.js';
import type { TurnResult } from '../../../src/dialog/session/types.js';
import type { Config } from '../../../src/platform/config.js';
import type { AppContext } from '../../../src/platform/context.js';
import { fakeClock } from '../../../src/platform/deps.js';
import { DEMO_PASSWORD, seedDemoBank } from '../../../src/platform/identity/seed.js';
import type { BankQuestion } from '../../../src/questions/types.js';
import { APPLICANT_ID, APPLICANT_MOBILE, groceryCase } from '../../cases/helper.js';
import { buildTestContext, type TestContext } from '../../helper.js';
import { groceryAnswers } from '../ipc/cases.js';

export interface DemoApp {
  t: TestContext;
  ctx: AppContext;
  app: FastifyInstance;
  clock: ReturnType<typeof fakeClock>;
  headers(username: string): Promise<{ authorization: string }>;
  close(): Promise<void>;
}

/** `overrides`: configuration of the context (e.g. `background: false`, an instance that leaves runs to workers). */
export async function buildDemoApp(overrides: Partial<Config> = {}): Promise<DemoApp> {
  // The applicant answers at a human pace: the dialog's rate limit counts messages per window of this clock.
  const clock = fakeClock(new Date('2026-03-12T02:00:00Z'));
  const t = await buildTestContext({ clock, overrides });
  await seedDemoBank(t.ctx);
  await t.ctx.models.seedDemo();
  const c = t.ctx;
  const sms = createCapturingSmsSender();
  const cases = createCasesService({
    db: c.db,
    clock: c.clock,
    ids: c.ids,
    audit: c.audit,
    cipher: c.cipher,
    kv: c.kv,
    config: c.config,
    sms,
  });
  const ctx = { ...c, cases, sms } as AppContext & { sms: typeof sms };
  const quiet = new Writable({ write: (_c, _e, cb) => cb() });
  const app = await buildApp(ctx, { logStream: quiet });
  await app.ready();
  // A token is kept for a fake half hour: tests that move the clock by days log in again rather than use an expired one.
  const tokens = new Map<string, { authorization: string; at: number }>();
  return {
    t,
    ctx,
    app,
    clock,
    async headers(username) {
      const now = clock.now().getTime();
      const kept = tokens.get(username);
      if (!kept || now - kept.at > 30 * 60_000) {
        const res = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username, password: DEMO_PASSWORD },
        });
        tokens.set(username, {
          authorization: `Bearer ${res.json<{ access_token: string }>().access_token}`,
          at: now,
        });
      }
      return { authorization: tokens.get(username)!.authorization };
    },
    async close() {
      await app.close();
      await t.close();
    },
  };
}

/** What an honest applicant says to a question: the expectation in the question's own unit. */
export function honestAnswer(q: BankQuestion): { text: string; choice?: string } {
  const e = q.expected;
  switch (e.kind) {
    case 'number':
      return { text: String(Math.round(e.value)) };
    case 'range':
      return { text: String(Math.round((e.low + e.high) / 2)) };
    case 'boolean':
      return { text: e.value ? '是的' : '不是' };
    case 'choice': {
      const label = q.choices?.find((c) => c.id === e.value)?.label['zh-CN'] ?? e.value;
      return { text: label, choice: e.value };
    }
    case 'unknown':
      if (q.choices?.[0]) return { text: q.choices[0].label['zh-CN'], choice: q.choices[0].id };
      if (q.answerType === 'yes_no') return { text: '是的' };
      if (['money', 'quantity', 'count', 'percent', 'duration'].includes(q.answerType)) return { text: '3' };
      return { text: '在镇上' };
  }
}

/** Registers the case with its survey, screens it, and runs an honest interview to its end. */
export async function finishDemoInterview(
  d: DemoApp,
): Promise<{ caseId: string; sessionId: string; turns: number }> {
  const officer = await d.headers('loan_officer');
  const created = await d.app.inject({
    method: 'POST',
    url: '/api/v1/cases',
    headers: officer,
    payload: groceryCase(),
  });
  if (created.statusCode !== 201) throw new Error(`create case: ${created.body}`);
  const caseId = created.json<{ id: string }>().id;
  const gps = { lat: 34.8213, lng: 114.8123, accuracy: 12 };
  const survey = await d.app.inject({
    method: 'PUT',
    url: `/api/v1/cases/${caseId}/survey/answers`,
    headers: officer,
    payload: {
      answers: Object.fromEntries(Object.entries(groceryAnswers).map(([k, value]) => [k, { value, gps }])),
    },
  });
  if (survey.statusCode !== 200) throw new Error(`survey: ${survey.body}`);
  const inv = await d.app.inject({
    method: 'POST',
    url: `/api/v1/cases/${caseId}/invitations`,
    headers: officer,
    payload: {},
  });
  const { token } = inv.json<{ token: string }>();
  const cases = d.ctx.cases;
  const sms = (d.ctx as AppContext & { sms: ReturnType<typeof createCapturingSmsSender> }).sms;
  const last4 = APPLICANT_ID.slice(-4);
  await cases.sendOtp(token, last4);
  const { session_token } = await cases.verifyInvitation(token, last4, sms.lastCodeTo(APPLICANT_MOBILE)!);
  await cases.recordApplicantConsents({
    session_token,
    channel: 'web',
    lang: 'zh-CN',
    consents: [
      { kind: 'recording', text_id: 'recording', text_version: 1, granted: true },
      ...SCREENING_SOURCES.map((source) => ({
        kind: 'screening' as const,
        source,
        text_id: `screening.${source}`,
        text_version: 1,
        granted: true,
      })),
    ],
  });
  const screened = await d.app.inject({
    method: 'POST',
    url: `/api/v1/cases/${caseId}/screening`,
    headers: officer,
    payload: {},
  });
  if (screened.statusCode >= 300) throw new Error(`screening: ${screened.body}`);

  const who = await cases.resolveInterviewSession(session_token);
  const { session } = await d.ctx.dialog.startOrResume({
    caseId,
    invitationId: who.invitationId,
    branchPath: who.branchPath,
    lang: 'zh-CN',
  });
  const store = createPgDialogStore(d.ctx.db);
  let turns = 0;
  let result: TurnResult | null = null;
  while (turns < 40) {
    const snap = (await store.loadSnapshot(session.id))!;
    if (!snap.awaiting || ['completed', 'abandoned', 'expired'].includes(snap.session.status)) break;
    const q = snap.state.bank.questions.find((x) => x.id === snap.awaiting!.questionId)!;
    const a = honestAnswer(q);
    d.clock.advance(15_000);
    result = await d.ctx.dialog.handleTurn({
      sessionId: session.id,
      clientMsgId: `m-${++turns}`,
      channel: 'web',
      text: a.text,
      ...(a.choice ? { choice: a.choice } : {}),
    });
    if (result.ended) break;
  }
  if (!result?.ended) throw new Error(`the interview did not end after ${turns} answers`);
  return { caseId, sessionId: session.id, turns };
}

/** The rows of a raw SQL statement, on PGlite or PostgreSQL alike. */
export const rows = async (ctx: AppContext, q: SQL) =>
  ((await ctx.db.execute(q)) as unknown as { rows: Record<string, unknown>[] }).rows;
