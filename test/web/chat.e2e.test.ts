/**
 * The web front end in a real browser: Debian's Chromium driven by playwright-core (never a downloaded browser)
 * against the service on a free port, serving web/dist. Builds web/dist first when it is missing or older than
 * web/src. Screenshots go to /tmp/weidai-*.png.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import fastifyStatic from '@fastify/static';
import websocket, { type WebSocket } from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { createCasesService } from '../../src/cases/service.js';
import { createCapturingSmsSender } from '../../src/cases/sms.js';
import { seedDemoBank } from '../../src/platform/identity/seed.js';
import { APPLICANT_ID, APPLICANT_MOBILE, groceryCase } from '../cases/helper.js';
import { buildTestContext, type TestContext } from '../helper.js';

const ROOT = resolve(import.meta.dirname, '../..');
const WEB = join(ROOT, 'web');
const DIST = join(WEB, 'dist');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];
/** The client routes of web/ that get index.html (see docs/web.md). */
const SPA_ROUTES = ['/login', '/branches', '/users', '/cases', '/i/:token'];

/**
 * A scripted interviewer that speaks docs/ws-protocol.md, standing in until the server has /ws/interview: two
 * questions (a typed answer, then quick replies) and the end. It drops the connection once, on the first answer,
 * before acknowledging it — the page must re-send that answer with the same clientMsgId after reconnecting.
 */
function fakeInterviewer() {
  type Out = { type: string; seq: number; [k: string]: unknown };
  const script = [
    { text: '您好，您的超市每天大概营业多少个小时？' },
    {
      text: '超市的店面是您自己的房子吗？',
      choices: [
        { id: 'own', label: '是，自己的' },
        { id: 'rent', label: '不是，租的' },
      ],
    },
  ];
  const sent: Out[] = [];
  const answers = new Map<string, { seq: number; text?: string; choice?: string }>();
  const hellos: { lastSeq: number }[] = [];
  let seq = 0;
  let dropped = false;
  const next = (frame: Record<string, unknown>): Out => {
    const out = { ...frame, seq: ++seq } as Out;
    sent.push(out);
    return out;
  };
  const ask = (i: number) =>
    next({ type: 'message', id: `q${i}`, ...script[i], at: new Date(0).toISOString(), questionId: `q${i}` });
  return {
    answers,
    hellos,
    handler(socket: WebSocket) {
      const send = (f: Record<string, unknown>) => socket.send(JSON.stringify(f));
      socket.on('message', (raw: Buffer) => {
        const f = JSON.parse(String(raw)) as Record<string, unknown>;
        if (f.type === 'hello') {
          const lastSeq = Number(f.lastSeq);
          hellos.push({ lastSeq });
          if (sent.length === 0) ask(0);
          send({
            type: 'welcome',
            sessionId: 'fake',
            state: 'in_progress',
            lastSeq: seq,
            heartbeatMs: 25_000,
          });
          for (const m of sent) if (m.seq > lastSeq) send(m);
        } else if (f.type === 'ping') {
          send({ type: 'pong' });
        } else if (f.type === 'answer') {
          const id = String(f.clientMsgId);
          if (!dropped) {
            dropped = true;
            socket.close(1011);
            return;
          }
          const known = answers.get(id);
          if (known) return send({ type: 'ack', clientMsgId: id, seq: known.seq });
          const a = {
            seq: ++seq,
            ...(f.text ? { text: String(f.text) } : {}),
            ...(f.choice ? { choice: String(f.choice) } : {}),
          };
          answers.set(id, a);
          send({ type: 'ack', clientMsgId: id, seq: a.seq });
          send({ type: 'typing', on: true });
          setTimeout(() => {
            send({ type: 'typing', on: false });
            if (answers.size < script.length) send(ask(answers.size));
            else {
              send(next({ type: 'end', reason: 'completed', text: '面谈已完成，感谢您的配合！' }));
              socket.close(4410, 'SESSION_ENDED');
            }
          }, 300);
        }
      });
    },
  };
}

/** Installs Chromium and a Chinese font through the project's script; the reason to skip if that is impossible. */
function ensureBrowser(): string | undefined {
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
function ensureWebBuild() {
  const index = join(DIST, 'index.html');
  const sources = ['src', 'index.html', 'vite.config.ts', 'package.json', 'package-lock.json'].map((f) =>
    join(WEB, f),
  );
  const newestSource = Math.max(...sources.filter(existsSync).map(newestMtime));
  if (existsSync(index) && statSync(index).mtimeMs >= newestSource) return;
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
}

const skipReason = ensureBrowser();
if (skipReason) console.warn(`test/web/chat.e2e: SKIPPED — ${skipReason}`);

describe.skipIf(skipReason !== undefined)('web front end in Chromium', () => {
  let t: TestContext;
  let app: FastifyInstance;
  let base: string;
  let browser: Browser;
  const sms = createCapturingSmsSender();
  const interviewer = fakeInterviewer();
  let fakeWs = false;

  beforeAll(async () => {
    ensureWebBuild();
    t = await buildTestContext();
    await seedDemoBank(t.ctx);
    const c = t.ctx;
    const ctx = {
      ...c,
      cases: createCasesService({
        db: c.db,
        clock: c.clock,
        ids: c.ids,
        audit: c.audit,
        cipher: c.cipher,
        kv: c.kv,
        config: c.config,
        sms,
      }),
    };
    const quiet = new Writable({ write: (_chunk, _enc, cb) => cb() });
    app = await buildApp(ctx, { logStream: quiet });
    // Until the server serves web/dist itself, the test does it the way docs/web.md asks.
    if (!app.hasRoute({ method: 'GET', url: '/' })) {
      await app.register(fastifyStatic, { root: DIST, wildcard: false });
      for (const url of SPA_ROUTES)
        app.get(url, { schema: { hide: true } }, (_req, reply) => reply.sendFile('index.html'));
    }
    if (!app.hasRoute({ method: 'GET', url: '/ws/interview' })) {
      fakeWs = true;
      await app.register(websocket);
      app.get('/ws/interview', { websocket: true, schema: { hide: true } }, (socket) =>
        interviewer.handler(socket),
      );
    }
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await t?.close();
  });

  async function phonePage(): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: 375, height: 740 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
    });
    return context.newPage();
  }

  it('logs in to the console as admin at 1280 px, shows the branch tree in Chinese and switches to English', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await page.waitForURL(/\/login$/);
    await page.getByTestId('username').fill('admin');
    await page.getByTestId('password').fill('wrong-password');
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('login-error').textContent()).toContain('用户名或密码不正确');

    await page.getByTestId('password').fill('weidai-demo');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('user-name').waitFor();
    expect(await page.getByTestId('user-bar').textContent()).toContain('管理员');
    await page.getByTestId('overview').waitFor();

    await page.getByRole('menuitem', { name: '机构' }).click();
    await page.waitForURL(/\/branches$/);
    const branches = page.getByTestId('branches');
    await branches.getByText('兰考城关支行').waitFor();
    const text = (await branches.textContent()) ?? '';
    for (const name of [
      '河南省农村信用社联合社（演示）',
      '兰考农商银行',
      '新县八里畈支行',
      '县级行社',
      '网点',
    ])
      expect(text).toContain(name);
    await page.screenshot({ path: '/tmp/weidai-console-branches.png', fullPage: true });

    await page.getByText('English', { exact: true }).click();
    await branches.getByText('Lankao Chengguan Outlet').waitFor();
    expect(await page.getByRole('menuitem', { name: 'Branches' }).count()).toBe(1);
    await page.getByText('中文', { exact: true }).click();
    await branches.getByText('兰考城关支行').waitFor();

    // A reload keeps the login (sessionStorage); logging out forgets it.
    await page.reload();
    await page.getByTestId('branches').getByText('兰考城关支行').waitFor();
    await page.getByTestId('logout').click();
    await page.waitForURL(/\/login$/);
    await context.close();
  });

  it('shows a clear Chinese error at 375 px for an invitation link that does not exist', async () => {
    const page = await phonePage();
    await page.goto(`${base}/i/${'x'.repeat(43)}`);
    const error = page.getByTestId('chat-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('邀请链接无效，请核对链接或联系客户经理。');
    expect(await page.getByText('重试').count()).toBe(0); // nothing to retry
    const width = await page.evaluate<number>('document.documentElement.scrollWidth');
    expect(width).toBeLessThanOrEqual(375);
    await page.screenshot({ path: '/tmp/weidai-chat-bad-token.png', fullPage: true });
    await page.context().close();
  });

  it('takes the applicant through the identity check, the consents and a scripted interview at 375 px, resuming after a drop and a reload', async () => {
    const officer = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'loan_officer', password: 'weidai-demo' },
    });
    const authorization = `Bearer ${officer.json<{ access_token: string }>().access_token}`;
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: { authorization },
      payload: groceryCase(),
    });
    expect(created.statusCode).toBe(201);
    const inv = await app.inject({
      method: 'POST',
      url: `/api/v1/cases/${created.json<{ id: string }>().id}/invitations`,
      headers: { authorization },
      payload: {},
    });
    expect(inv.statusCode).toBe(201);
    const link = new URL(inv.json<{ link: string }>().link);

    const page = await phonePage();
    await page.goto(`${base}${link.pathname}`);
    await page.getByTestId('welcome').waitFor();
    expect(await page.getByTestId('bank-name').textContent()).toBe('兰考城关支行');
    expect(await page.getByTestId('applicant-name').textContent()).toBe('张**');
    // The consents are shown in full before anything is asked.
    expect(await page.getByTestId('welcome').textContent()).toContain('本人同意贵行对本次远程面谈的全过程');
    await page.screenshot({ path: '/tmp/weidai-chat-welcome.png', fullPage: true });

    await page.getByTestId('id-last4').locator('input').fill('0000');
    await page.getByTestId('send-otp').click();
    await expect
      .poll(() => page.getByTestId('identity-error').textContent())
      .toMatch(/身份证号后 4 位不正确。 还可尝试 \d 次/);

    await page.getByTestId('id-last4').locator('input').fill(APPLICANT_ID.slice(-4));
    await page.getByTestId('send-otp').click();
    await page.getByTestId('otp-sent').waitFor();
    expect(await page.getByTestId('otp-sent').textContent()).toContain('139****5678');
    const code = sms.lastCodeTo(APPLICANT_MOBILE);
    expect(code).toMatch(/^\d{6}$/);
    await page.getByTestId('otp-code').locator('input').fill(code!);
    await page.getByTestId('verify').click();

    await page.getByTestId('consents').waitFor();
    await page.getByTestId('consents-submit').click();
    await page.getByText('请先同意录音录像授权').waitFor();
    await page.getByTestId('agree-all').click();
    await page.screenshot({ path: '/tmp/weidai-chat-consents.png', fullPage: true });
    await page.getByTestId('consents-submit').click();
    await page.locator('[data-stage="chat"]').waitFor();
    await page.getByTestId('answer-input').waitFor();
    await page.screenshot({ path: '/tmp/weidai-chat-interview.png', fullPage: true });

    // The invitation is used now; a reload must resume from sessionStorage, not show INVITATION_USED.
    await page.reload();
    await page.locator('[data-stage="chat"]').waitFor();
    expect(await page.getByTestId('chat-error').count()).toBe(0);
    if (!fakeWs) return page.context().close(); // the real interview is the it.todo below

    // The interview against the scripted interviewer: a typed answer lost with a dropped connection, then resent.
    await page.getByTestId('bot-message').first().waitFor();
    expect(await page.getByTestId('bot-message').first().textContent()).toBe(
      '您好，您的超市每天大概营业多少个小时？',
    );
    await page.getByRole('textbox', { name: '请输入您的回答' }).fill('十二个小时左右');
    await page.getByTestId('send').click();
    await page.getByTestId('choices').waitFor();
    expect(await page.getByTestId('my-message').getAttribute('data-acked')).toBe('true');
    expect(await page.getByTestId('bot-message').count()).toBe(2);
    await page.screenshot({ path: '/tmp/weidai-chat-choices.png', fullPage: true });

    // A reload in the middle: the transcript comes back from sessionStorage and nothing is replayed twice.
    await page.reload();
    await page.getByTestId('choices').waitFor();
    expect(await page.getByTestId('bot-message').count()).toBe(2);
    expect(interviewer.hellos.at(-1)).toEqual({ lastSeq: 3 });

    await page.getByRole('button', { name: '不是，租的' }).click();
    await page.getByTestId('chat-end').waitFor();
    expect(await page.getByTestId('chat-end').textContent()).toContain('面谈已完成，感谢您的配合！');
    await page.screenshot({ path: '/tmp/weidai-chat-end.png', fullPage: true });
    expect([...interviewer.answers.values()].map((a) => a.text ?? a.choice)).toEqual([
      '十二个小时左右',
      'rent',
    ]);
    await page.context().close();
  });

  // Needs the real /ws/interview (issue 7 item 2) and a demo interview from the dialog engine.
  it.todo(
    'answers a whole demo interview over /ws/interview — quick replies, typed amounts, a dropped connection in the middle with nothing lost or doubled — and sees the end screen',
  );
});
