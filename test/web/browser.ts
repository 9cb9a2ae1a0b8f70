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
import { buildTestContext, type TestContext } from '../helper.js';
import { driveFinishedInterview } from '../review/helper.js';

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

/**
 * test/review/helper.ts's finished interview on the harness, whose clock is the real one: the dialog takes at most
 * 10 messages per 10 s window, so a refusal waits the time the service names, where that helper advances a fake
 * clock. Set WEIDAI_MCTS_ITERATIONS before `startWebHarness` to keep it short (the pages show what the policy
 * recorded, not how well it chose).
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
  const authorization = `Bearer ${login.json<{ access_token: string }>().access_token}`;
  const officer = await t.ctx.identity.authenticate(authorization.slice('Bearer '.length));
  return driveFinishedInterview(
    { app, ctx: t.ctx, officer, authorization },
    { rateLimited: (ms) => new Promise((r) => setTimeout(r, ms + 50)) },
  );
}
