/**
 * The compliance officer's recordings pages in Chromium (test/web/browser.ts): a finished, anchored interview is
 * listed, replayed as a timeline with the policy's reasons, put under legal hold, exported as a signed bundle that
 * verifies, refused a purge while held, and the view log names this viewing. Screenshot
 * /tmp/weidai-console-recordings.png.
 */
import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/platform/identity/seed.js';
import { groceryCase } from '../cases/helper.js';
import { groceryAnswers } from '../scoring/ipc/cases.js';
import { browserSkipReason, startWebHarness, type WebHarness } from './browser.js';

/**
 * test/review/helper.ts finishedInterview on the harness, whose clock is the real one: the officer registers the
 * grocery case, its survey and the recording consent and invites; the applicant answers (the first choice offered,
 * else a figure far below the survey's) until the interview ends. The dialog takes at most 10 messages per 10 s
 * window (src/dialog/session/service.ts), so a full window waits for the next instead of advancing a fake clock.
 */
async function finishedInterviewOnRealClock({ t, app }: WebHarness): Promise<string> {
  const login = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: 'loan_officer', password: DEMO_PASSWORD },
  });
  const token = login.json<{ access_token: string }>().access_token;
  const headers = { authorization: `Bearer ${token}` };
  const officer = await t.ctx.identity.authenticate(token);
  const created = await app.inject({ method: 'POST', url: '/api/v1/cases', headers, payload: groceryCase() });
  expect(created.statusCode).toBe(201);
  const caseId = created.json<{ id: string }>().id;
  const survey = await app.inject({
    method: 'PUT',
    url: `/api/v1/cases/${caseId}/survey/answers`,
    headers,
    payload: {
      answers: Object.fromEntries(Object.entries(groceryAnswers).map(([k, value]) => [k, { value }])),
    },
  });
  expect(survey.statusCode).toBe(200);
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
  expect(consent.statusCode).toBe(201);
  const inv = await t.ctx.cases.createInvitation(officer, caseId);
  const { session } = await t.ctx.dialog.startOrResume({
    caseId,
    invitationId: inv.id,
    branchPath: officer.branchPath,
    lang: 'zh-CN',
  });
  const WINDOW_MS = 10_000;
  let window = -1;
  let sent = 0;
  for (let turn = 0; turn < 40; turn++) {
    const events = await t.ctx.dialog.transcriptAfter(session.id, 0);
    if (events.some((e) => e.kind === 'end')) break;
    const lastBot = [...events].reverse().find((e) => e.kind === 'bot' && e.questionId);
    const now = Math.floor(Date.now() / WINDOW_MS);
    if (now !== window) [window, sent] = [now, 0];
    if (sent === 9) {
      await new Promise((r) => setTimeout(r, (window + 1) * WINDOW_MS - Date.now() + 50));
      [window, sent] = [Math.floor(Date.now() / WINDOW_MS), 0];
    }
    sent++;
    const choice = lastBot?.kind === 'bot' ? lastBot.choices?.[0] : undefined;
    await t.ctx.dialog.handleTurn({
      sessionId: session.id,
      clientMsgId: `m-${turn}`,
      channel: 'web',
      ...(choice ? { choice: choice.id, text: choice.label } : { text: '一百' }),
    });
  }
  await t.ctx.review.recordings.idle();
  await t.ctx.pipeline.idle();
  return session.id;
}

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
    sessionId = await finishedInterviewOnRealClock(harness);
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
