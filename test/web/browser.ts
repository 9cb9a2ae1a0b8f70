/**
 * What the browser tests share: Debian's Chromium driven by playwright-core (never a downloaded browser), installed
 * through the project's script when missing, web/dist built when older than web/src, and the service with the demo
 * bank seeded on a free port. Screenshots go to /tmp/weidai-*.png.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser } from 'playwright-core';
import { buildApp } from '../../src/app.js';
import type { SmsSender } from '../../src/cases/sms.js';
import { DEMO_PASSWORD, seedDemoBank } from '../../src/platform/identity/seed.js';
import { groceryCase } from '../cases/helper.js';
import { buildTestContext, type TestContext } from '../helper.js';
import { groceryAnswers } from '../scoring/ipc/cases.js';

const ROOT = resolve(import.meta.dirname, '../..');
const WEB = join(ROOT, 'web');
const DIST = join(WEB, 'dist');
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

/** Installs Chromium and a Chinese font through the project's script; the reason to skip if that is impossible. */
export function ensureBrowser(): string | undefined {
  try {
    execFileSync(
      'bash',
      [join(ROOT, 'scripts/ensure-debian-packages.sh'), 'chromium', 'fonts-wqy-microhei'],
      {
        stdio: ['ignore', 'inherit', 'inherit'],
        timeout: 600_000,
      },
    );
  } catch (e) {
    if (!existsSync(CHROMIUM))
      return `${CHROMIUM} is missing and could not be installed (${e instanceof Error ? e.message.split('\n')[0] : e})`;
  }
  return existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is missing after installing chromium`;
}

function newestMtime(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(path).map((f) => newestMtime(join(path, f))));
}

/** Builds web/dist unless it is newer than every source of it. */
const BUILD_LOCK = join(WEB, '.e2e-build.lock');

/** Whether web/dist is at least as new as every source of it. */
function webBuildFresh(): boolean {
  const index = join(DIST, 'index.html');
  const sources = ['src', 'index.html', 'vite.config.ts', 'package.json', 'package-lock.json'].map((f) =>
    join(WEB, f),
  );
  const newestSource = Math.max(...sources.filter(existsSync).map(newestMtime));
  return existsSync(index) && statSync(index).mtimeMs >= newestSource;
}

/**
 * Builds web/dist unless it is newer than every source of it. The browser test files run side by side, so one
 * builds under a lock directory while the others wait and then find the build fresh (a build empties web/dist, which
 * would break a page another test is loading). A lock older than ten minutes is a crashed run's and is taken over.
 */
export function ensureWebBuild() {
  if (webBuildFresh()) return;
  const deadline = Date.now() + 600_000;
  for (;;) {
    try {
      mkdirSync(BUILD_LOCK);
      break;
    } catch {
      if (existsSync(BUILD_LOCK) && Date.now() - statSync(BUILD_LOCK).mtimeMs > 600_000)
        rmSync(BUILD_LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`${BUILD_LOCK} held for ten minutes`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
  }
  try {
    if (webBuildFresh()) return;
    // vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
    const env = { ...process.env, NODE_ENV: 'production' };
    if (!existsSync(join(WEB, 'node_modules')))
      execFileSync('npm', ['ci', '--no-audit', '--no-fund'], {
        cwd: WEB,
        stdio: 'inherit',
        timeout: 600_000,
        env,
      });
    execFileSync('npm', ['run', 'build'], { cwd: WEB, stdio: 'inherit', timeout: 600_000, env });
  } finally {
    rmSync(BUILD_LOCK, { recursive: true, force: true });
  }
}

/** Why the browser tests cannot run here, or undefined when they can (Chromium is installed first if missing). */
export const browserSkipReason: string | undefined = ensureBrowser();

export interface WebHarness {
  t: TestContext;
  app: FastifyInstance;
  /** http://127.0.0.1:port */
  base: string;
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Builds web/dist if stale, a test context with the demo bank seeded, the app listening on a free port (its log
 * kept quiet unless WEIDAI_E2E_LOG is set) and a headless Chromium.
 */
export async function startWebHarness(options: { sms?: SmsSender } = {}): Promise<WebHarness> {
  ensureWebBuild();
  const t = await buildTestContext(options.sms ? { sms: options.sms } : {});
  await seedDemoBank(t.ctx);
  const quiet = new Writable({
    write: (chunk: Buffer, _enc, cb) => {
      if (process.env.WEIDAI_E2E_LOG) process.stderr.write(chunk);
      cb();
    },
  });
  const app = await buildApp(t.ctx, { logStream: quiet });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  return {
    t,
    app,
    base,
    browser,
    async close() {
      await browser.close();
      await app.close();
      await t.close();
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Throws unless an injected reply has the status expected. */
function expectStatus(res: { statusCode: number; body: string }, status: number, what: string) {
  if (res.statusCode !== status) throw new Error(`${what}: ${res.statusCode} ${res.body}`);
}

/**
 * test/review/helper.ts's finishedInterview on the harness, whose clock is the real one: the demo officer registers
 * the grocery case, its IPC survey and the recording consent, and invites; the applicant answers (the first choice
 * offered, else a figure far below the survey's, so the interview flags contradictions) until the interview ends.
 * The dialog takes at most 10 messages per 10 s window: a refusal waits the time the service names, where the helper
 * advances a fake clock. Resolves once the recording is anchored and the interview scored. Set
 * WEIDAI_MCTS_ITERATIONS before `startWebHarness` to keep it short (the pages show what the policy recorded, not how
 * well it chose).
 */
export async function finishedInterviewOnRealClock({
  t,
  app,
}: Pick<WebHarness, 't' | 'app'>): Promise<{ caseId: string; sessionId: string }> {
  const login = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: 'loan_officer', password: DEMO_PASSWORD },
  });
  const token = login.json<{ access_token: string }>().access_token;
  const headers = { authorization: `Bearer ${token}` };
  const officer = await t.ctx.identity.authenticate(token);
  const created = await app.inject({ method: 'POST', url: '/api/v1/cases', headers, payload: groceryCase() });
  expectStatus(created, 201, 'create case');
  const caseId = created.json<{ id: string }>().id;
  const survey = await app.inject({
    method: 'PUT',
    url: `/api/v1/cases/${caseId}/survey/answers`,
    headers,
    payload: {
      answers: Object.fromEntries(Object.entries(groceryAnswers).map(([k, value]) => [k, { value }])),
    },
  });
  expectStatus(survey, 200, 'survey');
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
  expectStatus(consent, 201, 'consent');
  const inv = await t.ctx.cases.createInvitation(officer, caseId);
  const { session } = await t.ctx.dialog.startOrResume({
    caseId,
    invitationId: inv.id,
    branchPath: officer.branchPath,
    lang: 'zh-CN',
  });
  for (let turn = 0; turn < 40; turn++) {
    const events = await t.ctx.dialog.transcriptAfter(session.id, 0);
    if (events.some((e) => e.kind === 'end')) break;
    const lastBot = [...events].reverse().find((e) => e.kind === 'bot' && e.questionId);
    const choice = lastBot?.kind === 'bot' ? lastBot.choices?.[0] : undefined;
    try {
      await t.ctx.dialog.handleTurn({
        sessionId: session.id,
        clientMsgId: `m-${turn}`,
        channel: 'web',
        ...(choice ? { choice: choice.id, text: choice.label } : { text: '一百' }),
      });
    } catch (e) {
      const err = e as { code?: string; details?: { retryAfterMs?: number } };
      if (err.code !== 'RATE_LIMITED') throw e;
      await sleep((err.details?.retryAfterMs ?? 1000) + 50);
      turn--;
    }
  }
  await t.ctx.review.recordings.idle();
  await t.ctx.pipeline.idle();
  return { caseId, sessionId: session.id };
}
