import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeClock } from '../../src/platform/deps.js';
import type { Actor } from '../../src/platform/identity/permissions.js';
import { startBackgroundJobs } from '../../src/platform/jobs.js';
import type { TestApp } from '../helper.js';
import { actorOf, buildReviewTestApp, finishedInterview } from '../review/helper.js';

describe(
  'a completed interview’s case status, caught up by the background sweep',
  { timeout: 20_000 },
  () => {
    const clock = fakeClock(new Date('2026-03-12T02:00:00Z'));
    let t: TestApp;
    let officer: Actor;
    let first: { caseId: string; sessionId: string };
    const status = async (caseId: string) => (await t.ctx.cases.getCase(officer, caseId)).status;
    /** What an instance that stopped between the interview's last commit and the case's update leaves behind. */
    const loseTheHook = (caseId: string) =>
      t.ctx.db.execute(sql`update cases set status = 'interviewing' where id = ${caseId}`);

    beforeAll(async () => {
      t = await buildReviewTestApp({ clock });
      officer = await actorOf(t, 'loan_officer');
      first = await finishedInterview(t, officer, clock);
    }, 60_000);
    afterAll(async () => t?.close());

    it('sets a case left interviewing after its interview completed to interviewed, once', async () => {
      expect((await t.ctx.dialog.getSession(first.sessionId))?.status).toBe('completed');
      expect(await status(first.caseId)).toBe('interviewed');
      await loseTheHook(first.caseId);
      expect(await status(first.caseId)).toBe('interviewing');
      const warned: unknown[] = [];
      await startBackgroundJobs(t.ctx, { warn: (o) => warned.push(o) }, 3_600_000).tick();
      expect(warned).toEqual([]);
      expect(await status(first.caseId)).toBe('interviewed');
      // Nothing is left to catch up.
      expect(await t.ctx.cases.catchUpInterviewed()).toEqual([]);
    });

    it('leaves a case invited again after a completed interview as invited', async () => {
      await t.ctx.cases.createInvitation(officer, first.caseId);
      expect(await status(first.caseId)).toBe('invited');
      expect(await t.ctx.cases.catchUpInterviewed()).toEqual([]);
      expect(await status(first.caseId)).toBe('invited');
      // The same holds for a case whose new interview has begun: its latest invitation's interview has not completed.
      await loseTheHook(first.caseId);
      expect(await t.ctx.cases.catchUpInterviewed()).toEqual([]);
      expect(await status(first.caseId)).toBe('interviewing');
    });
  },
);
