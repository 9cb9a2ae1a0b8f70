/**
 * The web front end in a real browser (test/web/browser.ts): the staff console's login and branches, and the
 * applicant's chat page at phone width. Screenshots go to /tmp/weidai-*.png.
 */
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCapturingSmsSender } from '../../src/cases/sms.js';
import { APPLICANT_ID, APPLICANT_MOBILE, groceryCase } from '../cases/helper.js';
import type { TestContext } from '../helper.js';
import { browserSkipReason, startWebHarness, type WebHarness } from './browser.js';

const skipReason = browserSkipReason;
if (skipReason) console.warn(`test/web/chat.e2e: SKIPPED — ${skipReason}`);

describe.skipIf(skipReason !== undefined)('web front end in Chromium', { timeout: 180_000 }, () => {
  let harness: WebHarness;
  let t: TestContext;
  let app: FastifyInstance;
  let base: string;
  let browser: Browser;
  const sms = createCapturingSmsSender();

  beforeAll(async () => {
    harness = await startWebHarness({ sms });
    ({ t, app, base, browser } = harness);
  }, 600_000);

  afterAll(async () => {
    await harness?.close();
  });

  /** A new grocery case registered by the demo officer and its invitation link. */
  async function newInvitationLink(): Promise<URL> {
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
    return new URL(inv.json<{ link: string }>().link);
  }

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

  it('takes the applicant through the identity check, the consents and a whole interview at 375 px, resuming after a reload with nothing lost or doubled', async () => {
    const link = await newInvitationLink();

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

    // The interview itself, over /ws/interview with the dialog engine: quick replies where offered, else a figure.
    await page.getByTestId('bot-message').first().waitFor();
    const count = (id: string) => page.getByTestId(id).count();
    let answered = 0;
    for (let turn = 0; turn < 40 && (await count('chat-end')) === 0; turn++) {
      const before = await count('bot-message');
      await page.waitForTimeout(1000); // an applicant reads the question first
      if ((await count('choices')) > 0) {
        await page.getByTestId('choices').getByRole('button').first().click();
      } else {
        await page.getByRole('textbox', { name: '请输入您的回答' }).fill('大概两万左右');
        await page.getByTestId('send').click();
      }
      answered++;
      await expect
        .poll(async () => (await count('bot-message')) > before || (await count('chat-end')) > 0, {
          timeout: 15_000,
        })
        .toBe(true)
        .catch(async (e: unknown) => {
          await page.screenshot({ path: '/tmp/weidai-chat-stuck.png', fullPage: true });
          const html = await page.locator('[data-stage="chat"]').innerHTML();
          console.error('STUCK', html.slice(-3000));
          throw e;
        });
      if (answered === 1) await page.screenshot({ path: '/tmp/weidai-chat-interview-2.png', fullPage: true });
      if (answered === 3) {
        // A reload in the middle resumes from the last seq shown: nothing is shown twice.
        const shown = await count('bot-message');
        await page.reload();
        await page.locator('[data-stage="chat"]').waitFor();
        await expect.poll(() => count('bot-message')).toBe(shown);
      }
    }
    await page.getByTestId('chat-end').waitFor();
    await page.screenshot({ path: '/tmp/weidai-chat-end.png', fullPage: true });
    // A finished interview closes as completed, in the dialog's own words (those the recording holds).
    await expect.poll(() => page.getByTestId('chat-end').getAttribute('data-ending')).toBe('completed');
    expect(await page.getByTestId('chat-end-text').textContent()).toMatch(
      /感谢您的.*配合！客户经理会尽快和您联系。$/,
    );
    expect(answered).toBeGreaterThan(3);
    // Every answer stored once, every acknowledgement shown.
    const acked = await page
      .getByTestId('my-message')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-acked')));
    expect(acked.every((a) => a === 'true')).toBe(true);
    const [session] = await t.ctx.db
      .execute<{ id: string }>(sql`select id from interview_sessions order by created_at desc limit 1`)
      .then((r) => (r as unknown as { rows: { id: string }[] }).rows);
    const events = await t.ctx.dialog.transcriptAfter(session!.id, 0);
    const applicant = events.filter((e) => e.kind === 'applicant');
    expect(applicant).toHaveLength(answered);
    expect(new Set(applicant.map((e) => e.kind === 'applicant' && e.clientMsgId)).size).toBe(answered);
    expect(events.at(-1)?.kind).toBe('end');
    await page.context().close();
  });

  it('continues an interview on a second phone from the same link after the same identity check; the first phone pauses', async () => {
    const link = `${base}${(await newInvitationLink()).pathname}`;
    const verify = async (page: Page) => {
      await page.getByTestId('id-last4').locator('input').fill(APPLICANT_ID.slice(-4));
      await page.getByTestId('send-otp').click();
      await page.getByTestId('otp-sent').waitFor();
      await page.getByTestId('otp-code').locator('input').fill(sms.lastCodeTo(APPLICANT_MOBILE)!);
      await page.getByTestId('verify').click();
    };
    const answer = async (page: Page) => {
      const before = await page.getByTestId('bot-message').count();
      if ((await page.getByTestId('choices').count()) > 0)
        await page.getByTestId('choices').getByRole('button').first().click();
      else {
        await page.getByRole('textbox', { name: '请输入您的回答' }).fill('大概两万左右');
        await page.getByTestId('send').click();
      }
      await expect
        .poll(() => page.getByTestId('bot-message').count(), { timeout: 15_000 })
        .toBeGreaterThan(before);
    };

    const phoneA = await phonePage();
    await phoneA.goto(link);
    await phoneA.getByTestId('welcome').waitFor();
    expect(await phoneA.getByTestId('resume-note').count()).toBe(0);
    await verify(phoneA);
    await phoneA.getByTestId('agree-all').click();
    await phoneA.getByTestId('consents-submit').click();
    await phoneA.getByTestId('bot-message').first().waitFor();
    await answer(phoneA);
    await answer(phoneA);
    const shownOnA = await phoneA.getByTestId('bot-message').allTextContents();

    // The second phone: the link says the interview continues, and the consents given are not asked again.
    const phoneB = await phonePage();
    await phoneB.goto(link);
    await phoneB.getByTestId('resume-note').waitFor();
    await verify(phoneB);
    await phoneB.locator('[data-stage="chat"]').waitFor();
    await expect.poll(() => phoneB.getByTestId('bot-message').allTextContents()).toEqual(shownOnA);
    expect(await phoneB.getByTestId('my-message').count()).toBe(2);
    await phoneB.screenshot({ path: '/tmp/weidai-chat-second-phone.png', fullPage: true });
    // The first phone is told, and its page cannot answer any more.
    await phoneA.getByText('面谈已在另一个窗口或设备上打开').waitFor();
    await answer(phoneB);

    const [session] = await t.ctx.db
      .execute<{ id: string }>(sql`select id from interview_sessions order by created_at desc limit 1`)
      .then((r) => (r as unknown as { rows: { id: string }[] }).rows);
    const events = await t.ctx.dialog.transcriptAfter(session!.id, 0);
    expect(events.filter((e) => e.kind === 'applicant')).toHaveLength(3);
    await phoneA.context().close();
    await phoneB.context().close();
  });
});
