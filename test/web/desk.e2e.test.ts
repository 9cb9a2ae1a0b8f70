/**
 * The remote expert's desk in a real browser (test/web/browser.ts): a finished, scored interview waits in the
 * queue; the expert claims it, reads the transcript, follows a flag to its evidence, gives an opinion and sees it
 * recorded; the English switch relabels the page. Screenshots: /tmp/weidai-console-desk*.png.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/platform/identity/seed.js';
import {
  browserSkipReason,
  finishedInterviewOnRealClock,
  startWebHarness,
  type WebHarness,
} from './browser.js';

const skipReason = browserSkipReason;
if (skipReason) console.warn(`test/web/desk.e2e: SKIPPED — ${skipReason}`);

// The desk reads what the policy recorded, not how well it searched: few iterations keep the interview short.
process.env.WEIDAI_MCTS_ITERATIONS ??= '40';

describe.skipIf(skipReason !== undefined)('expert desk in Chromium', { timeout: 180_000 }, () => {
  let harness: WebHarness;
  let base: string;
  let browser: Browser;
  let interview: { caseId: string; sessionId: string };

  beforeAll(async () => {
    harness = await startWebHarness();
    ({ base, browser } = harness);
    interview = await finishedInterviewOnRealClock(harness);
  }, 600_000);

  afterAll(async () => {
    await harness?.close();
  });

  /** A second expert of the demo expert's branch, made by the demo admin; its Authorization header. */
  async function secondExpert() {
    const inject = harness.app.inject.bind(harness.app);
    const token = async (username: string, password: string) =>
      `Bearer ${(await inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } })).json<{ access_token: string }>().access_token}`;
    const expert = await token('remote_expert', DEMO_PASSWORD);
    const me = await inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: expert } });
    const created = await inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { authorization: await token('admin', DEMO_PASSWORD) },
      payload: {
        username: 'remote_expert_2',
        display_name: '钱远程专家',
        role: 'remote_expert',
        branch_id: me.json<{ branch_id: string }>().branch_id,
        password: 'second-expert-pw',
      },
    });
    expect(created.statusCode).toBe(201);
    return { authorization: await token('remote_expert_2', 'second-expert-pw') };
  }

  async function login(page: Page) {
    await page.goto(`${base}/login`);
    await page.getByTestId('username').fill('remote_expert');
    await page.getByTestId('password').fill('weidai-demo');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('user-name').waitFor();
  }

  it('queues the finished interview, refuses a claim raced by another expert in plain words, claims it, links a flag to its evidence and records an opinion at 1280 px', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await login(page);

    await page.getByRole('menuitem', { name: '专家工作台' }).click();
    await page.waitForURL(/\/desk$/);
    const row = page.getByTestId(`desk-row-${interview.sessionId}`);
    await row.waitFor();
    expect(await row.getByTestId('desk-applicant').textContent()).toBe('张**'); // masked: no case:pii
    const rowText = (await row.textContent()) ?? '';
    expect(rowText).toContain('便利店/超市');
    expect(rowText).toContain('150,000.00');
    expect(rowText).toContain('待认领');
    await expect.poll(async () => (await row.textContent()) ?? '').toMatch(/转人工审查|建议通过|建议拒绝/);

    await page.screenshot({ path: '/tmp/weidai-console-desk-queue.png' });

    // Another expert claims it while this page still offers it: the claim is refused in plain words.
    const other = await secondExpert();
    const taken = await harness.app.inject({
      method: 'POST',
      url: '/api/v1/review/claims',
      headers: other,
      payload: { session_id: interview.sessionId },
    });
    expect(taken.statusCode).toBe(201);
    await row.getByTestId('desk-claim').click();
    await page.getByText('该调查已被其他专家认领。', { exact: false }).waitFor();
    await page.getByTestId('desk-refresh').click();
    await row.getByText('其他专家已认领').waitFor();
    const released = await harness.app.inject({
      method: 'DELETE',
      url: `/api/v1/review/claims/${interview.sessionId}`,
      headers: other,
    });
    expect(released.statusCode).toBe(200);
    await page.getByTestId('desk-refresh').click();
    await row.getByTestId('desk-claim').waitFor();

    await row.getByTestId('desk-claim').click();
    await page.waitForURL(new RegExp(`/desk/${interview.sessionId}$`));
    await page.getByTestId('deskInterview').waitFor();
    expect(await page.getByTestId('desk-header').textContent()).toContain('我已认领');
    await page.getByTestId('desk-pipeline').getByText('定价构成').waitFor();
    await page.screenshot({ path: '/tmp/weidai-console-desk-header.png' });

    // The transcript: questions and answers, each answer with its parse and verdicts; doubtful ones marked.
    const transcript = page.getByTestId('desk-transcript');
    await transcript.getByText('理解为').first().waitFor();
    expect(await transcript.getByTestId('desk-verdict').count()).toBeGreaterThan(0);
    expect(await transcript.locator('[data-questionable="true"]').count()).toBeGreaterThan(0);

    // A flag takes the expert to the lines it names.
    const flag = page.getByTestId('desk-flag-F1');
    await flag.waitFor();
    await flag.getByTestId('desk-flag-show').click();
    const marked = transcript.locator('[data-marked="true"]');
    await expect.poll(() => marked.count()).toBeGreaterThan(0);
    const seq = Number((await marked.first().getAttribute('data-testid'))?.replace('desk-line-', ''));
    expect((await flag.textContent()) ?? '').toContain(`第 ${seq} 条`);
    expect(await marked.first().isVisible()).toBe(true);

    // The opinion: a reason is required (checked before sending); once sent it is shown as recorded.
    const form = page.getByTestId('desk-opinion-form');
    await form.getByTestId('desk-opinion-kind-send_back').click();
    await form.getByTestId('desk-opinion-submit').click();
    await form.getByText('请填写理由（每行一条）').waitFor();
    await form.getByText('请选择要客户经理核查的事项').waitFor();
    await form.getByTestId('desk-opinion-kind-decline').click();
    await form
      .getByTestId('desk-opinion-reasons')
      .fill('访谈中月销售额与重建财务相差 97%\n 前后两次回答相互矛盾 ');
    await form.getByTestId('desk-opinion-submit').click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: '提交意见' }).click();
    const recorded = page.getByTestId('desk-opinion-recorded');
    await recorded.waitFor().catch(async (e: unknown) => {
      console.error('OPINION CARD:', await page.getByTestId('desk-opinion').textContent());
      await page.screenshot({ path: '/tmp/weidai-console-desk-failed.png', fullPage: true });
      throw e;
    });
    const recordedText = (await recorded.textContent()) ?? '';
    expect(recordedText).toContain('拒绝');
    expect(recordedText).toContain('前后两次回答相互矛盾');
    expect(await page.getByTestId('desk-opinion-form').count()).toBe(0);
    expect(await page.getByTestId('desk-header').textContent()).toContain('已出具意见');

    await page.locator('.ant-modal-confirm').waitFor({ state: 'detached' });
    await page.screenshot({ path: '/tmp/weidai-console-desk.png', fullPage: true });
    await page.screenshot({ path: '/tmp/weidai-console-desk-top.png' });

    // Readable at 1024 px: the columns stack and nothing runs off the page.
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.getByTestId('desk-opinion-recorded').scrollIntoViewIfNeeded();
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1024);
    await page.screenshot({ path: '/tmp/weidai-console-desk-1024.png' });
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.getByText('English', { exact: true }).click();
    await page.getByText('Transcript (', { exact: false }).waitFor();
    for (const label of [
      'Cross-checks',
      'Flags (',
      'Expert opinion',
      'Pipeline result and price',
      'Back to queue',
    ])
      expect(await page.getByText(label, { exact: false }).count(), label).toBeGreaterThan(0);
    // No bare dictionary key anywhere on the page, in either language (dynamic keys: sectors, verdicts, reasons…).
    expect(await page.getByTestId('deskInterview').textContent()).not.toContain('console.desk.');
    await page.getByTestId('desk-transcript').scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/weidai-console-desk-en.png' });
    await page.getByText('中文', { exact: true }).click();
    await page.getByText('调查记录（', { exact: false }).waitFor();
    expect(await page.getByTestId('deskInterview').textContent()).not.toContain('console.desk.');

    // The queue no longer offers it.
    await page.getByTestId('desk-back').click();
    await page.waitForURL(/\/desk$/);
    await page.getByTestId('desk-refresh').click();
    await page.getByText('暂无待审阅的调查').waitFor();
    expect(await page.getByTestId(`desk-row-${interview.sessionId}`).count()).toBe(0);
    await context.close();
  });
});
