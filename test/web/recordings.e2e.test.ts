/**
 * The compliance officer's recordings pages in Chromium (test/web/browser.ts): a finished, anchored interview is
 * listed, replayed as a timeline with the policy's reasons, put under legal hold, exported as a signed bundle that
 * verifies, refused a purge while held, and the view log names this viewing. Screenshot
 * /tmp/weidai-console-recordings.png.
 */
import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserSkipReason,
  finishedInterviewOnRealClock,
  startWebHarness,
  type WebHarness,
} from './browser.js';

const skipReason = browserSkipReason;
if (skipReason) console.warn(`test/web/recordings.e2e: SKIPPED — ${skipReason}`);

describe.skipIf(skipReason !== undefined)('compliance recordings in Chromium', { timeout: 120_000 }, () => {
  let harness: WebHarness;
  let base: string;
  let browser: Browser;
  let sessionId: string;
  let questions: string[];

  beforeAll(async () => {
    // Fewer search iterations per question, as test/review/helper.ts does: the page shows what the policy
    // recorded, not how well it chose.
    process.env.WEIDAI_MCTS_ITERATIONS ??= '40';
    harness = await startWebHarness();
    ({ base, browser } = harness);
    ({ sessionId } = await finishedInterviewOnRealClock(harness));
    const events = await harness.t.ctx.dialog.transcriptAfter(sessionId, 0);
    questions = events.flatMap((e) => (e.kind === 'bot' && e.questionId ? [e.text] : []));
    expect(questions.length).toBeGreaterThan(1);
  }, 600_000);

  afterAll(async () => {
    await harness?.close();
  });

  it('lists the finished interview, replays it, holds it, exports and verifies it, and logs the viewing', async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: 'zh-CN',
      acceptDownloads: true,
    });
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await page.waitForURL(/\/login$/);
    await page.getByTestId('username').fill('compliance');
    await page.getByTestId('password').fill('weidai-demo');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('user-name').waitFor();

    // The list: the recording, its applicant as the case API shows compliance, no hold yet.
    await page.getByRole('menuitem', { name: '调查录音' }).click();
    await page.waitForURL(/\/recordings$/);
    const row = page.getByTestId(`recording-row-${sessionId}`);
    await row.waitFor();
    await expect.poll(() => row.getByTestId('recording-applicant').textContent()).toContain('张');
    expect(await row.getByTestId('held-tag').count()).toBe(0);
    await row.getByTestId('recording-link').click();

    // The timeline: every question and answer, the policy's reasons, the consent, the chain anchored.
    await page.waitForURL(new RegExp(`/recordings/${sessionId}$`));
    const timeline = page.getByTestId('timeline');
    await timeline.getByTestId('timeline-question').first().waitFor();
    const shown = await timeline.getByTestId('timeline-question').allTextContents();
    for (const q of questions) expect(shown.some((s) => s.includes(q))).toBe(true);
    expect(await timeline.getByTestId('timeline-answer').count()).toBeGreaterThan(1);
    expect(await timeline.getByTestId('policy-reasons').count()).toBeGreaterThan(0);
    expect(await timeline.getByTestId('timeline-consent').textContent()).toContain('录音录像授权');
    expect(await timeline.getByTestId('timeline-channel').first().textContent()).toBe('网页');
    expect(await page.getByTestId('chain-status').first().getAttribute('data-ok')).toBe('true');

    // Legal hold with a reason: the tag and the reason appear.
    await page.getByTestId('place-hold').click();
    await page.getByTestId('hold-reason').fill('涉诉案件，法院调取');
    await page.getByTestId('hold-ok').click();
    await page.getByTestId('held-tag').waitFor();
    expect(await page.getByTestId('hold-banner').textContent()).toContain('涉诉案件，法院调取');

    // A finding marked on an answer.
    await timeline.getByTestId('timeline-answer').first().getByTestId('mark-line').click();
    const dialog = page.locator('.ant-modal');
    await dialog.getByLabel('类别').fill('问题措辞');
    await dialog.getByLabel('说明').fill('回答与调查数字相差悬殊，需复核');
    await page.getByTestId('finding-ok').click();
    await page.getByTestId('finding').waitFor();
    expect(await page.getByTestId('findings').textContent()).toContain('回答与调查数字相差悬殊');

    // A purge while held is refused in plain words.
    await page.getByTestId('purge').click();
    await page.getByRole('button', { name: '删除内容' }).last().click();
    await expect.poll(() => page.getByTestId('refusal').textContent()).toContain('处于法律保全中');

    // Export: the signed bundle downloads under its own name, then verifies.
    const downloading = page.waitForEvent('download');
    await page.getByTestId('export').click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(
      new RegExp(`^recording-${sessionId}-\\d{8}T\\d{6}Z\\.json$`),
    );
    await page.getByTestId('export-done').waitFor();
    await page.getByTestId('verify').click();
    await expect.poll(() => page.getByTestId('verify-result').getAttribute('data-ok')).toBe('true');

    // The saved file, one answer changed, no longer verifies.
    const saved = await readFile(await download.path());
    const tampered = saved.toString('utf8').replace('"text":"一百"', '"text":"一千"');
    expect(tampered).not.toBe(saved.toString('utf8'));
    await page.locator('input[type=file]').setInputFiles({
      name: 'tampered.json',
      mimeType: 'application/json',
      buffer: Buffer.from(tampered),
    });
    await expect.poll(() => page.getByTestId('verify-result').getAttribute('data-ok')).toBe('false');
    expect(await page.getByTestId('verify-result').textContent()).toContain('校验未通过');
    await page.getByTestId('verify').click();
    await expect.poll(() => page.getByTestId('verify-result').getAttribute('data-ok')).toBe('true');

    // Recompute from the recorded answers: identical.
    await page.getByTestId('recompute').click();
    await expect
      .poll(() => page.getByTestId('recompute-result').getAttribute('data-identical'), { timeout: 20_000 })
      .toBe('true');

    // The view log names this viewing: the compliance officer reading the recording, its timeline, the export.
    const log = page.getByTestId('view-log');
    await expect.poll(() => log.textContent()).toContain('导出');
    const text = (await log.textContent()) ?? '';
    for (const s of ['钱合规', '合规', '录音', '回放', '重算']) expect(text).toContain(s);

    await page.screenshot({ path: '/tmp/weidai-console-recordings-zh.png', fullPage: true });
    await page.getByText('English', { exact: true }).click();
    await page.getByText('Interview replay').waitFor();
    expect(await page.getByTestId('held-tag').first().textContent()).toBe('Legal hold');
    expect(await page.getByTestId('verify-result').textContent()).toContain('Valid');
    await page.screenshot({ path: '/tmp/weidai-console-recordings.png', fullPage: true });
    await page.screenshot({ path: '/tmp/weidai-console-recordings-top.png' });

    // Back in the list the hold shows on the row, and the filter by hold finds it or leaves it out.
    await page.getByRole('menuitem', { name: 'Recordings' }).click();
    await row.getByTestId('held-tag').waitFor();
    await expect.poll(() => page.locator('.ant-spin-spinning').count()).toBe(0);
    await page.screenshot({ path: '/tmp/weidai-console-recordings-list.png', fullPage: true });
    await page.goto(`${base}/recordings?held=false`);
    await page.getByTestId('recordings-table').getByText('No recordings match').waitFor();
    await page.goto(`${base}/recordings?held=true`);
    await row.getByTestId('recording-link').click();

    // Releasing the hold takes a reason too; the history keeps both.
    await page.getByTestId('release-hold').click();
    await page.getByTestId('release-reason').fill('Case closed by the court');
    await page.getByTestId('release-ok').click();
    await page.getByTestId('place-hold').waitFor();
    expect(await page.getByTestId('held-tag').count()).toBe(0);
    expect(await page.getByTestId('holds').textContent()).toContain('Case closed by the court');
    await context.close();
  });
});
