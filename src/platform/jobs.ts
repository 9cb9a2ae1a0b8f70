/**
 * Background work: interview time limits, the screening retry queue, case statuses a completed interview owes,
 * recordings not yet anchored, and the scoring pipeline's queue and owed runs. Every instance with WEIDAI_BACKGROUND=on runs them, and so does `weidai worker`;
 * each step is safe to run concurrently (per-session locks, an atomic queue, claimed rows), so no leader is needed.
 */
import type { AppContext } from './context.js';

export interface JobLog {
  warn(obj: object, msg: string): void;
}

export function startBackgroundJobs(ctx: AppContext, log: JobLog, everyMs = 30_000) {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await ctx.dialog
        .sweep()
        .catch((err: unknown) => log.warn({ err }, 'interview time-limit sweep failed'));
      await ctx.screening
        .drainRetries()
        .catch((err: unknown) => log.warn({ err }, 'screening retry drain failed'));
      // Cases whose completed interview's status change was lost with the instance that committed it.
      await ctx.cases
        .catchUpInterviewed()
        .catch((err: unknown) => log.warn({ err }, 'case status catch-up failed'));
      await ctx.review.recordings
        .anchorPending()
        .catch((err: unknown) => log.warn({ err }, 'recording anchor sweep failed'));
      // Runs queued by instances that do not drain (WEIDAI_BACKGROUND=off).
      await ctx.pipeline.drain().catch((err: unknown) => log.warn({ err }, 'scoring pipeline drain failed'));
      // Runs whose queue item was lost or whose worker died, and retries after their back-off (src/scoring/pipeline).
      await ctx.pipeline
        .sweep()
        .then((r) => {
          if (r.failed > 0) log.warn({ sessions: r.failedSessions }, 'scoring runs failed for good');
        })
        .catch((err: unknown) => log.warn({ err }, 'scoring pipeline sweep failed'));
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), everyMs);
  timer.unref();
  return {
    tick,
    stop() {
      clearInterval(timer);
    },
  };
}
