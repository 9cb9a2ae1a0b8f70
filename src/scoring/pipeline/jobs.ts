/**
 * The scoring jobs' rows (tables.ts `pipeline_jobs`): create, claim under a lease, settle. Every write is one
 * statement whose WHERE states what the writer believes, so any number of workers on any number of instances can
 * race: PostgreSQL re-checks the WHERE of an UPDATE that waited for a row lock against the row as committed, so of
 * two workers claiming the same job one gets it and the other gets nothing.
 */
import { and, asc, eq, gte, lte, notExists, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/index.js';
import { interviewSessions } from '../../dialog/tables.js';
import { pipelineJobs, pipelineResults } from './tables.js';

export type JobRow = typeof pipelineJobs.$inferSelect;

/** Written out, not bound as parameters, so the planner can match the partial index `pipeline_jobs_due_idx`. */
const open = sql`${pipelineJobs.status} in ('pending', 'running')`;

/** Records that these sessions are owed a run; a session that already has a job (in any state) keeps it. */
export async function ensureJobs(db: DbOrTx, sessionIds: readonly string[], now: Date): Promise<void> {
  if (sessionIds.length === 0) return;
  await db
    .insert(pipelineJobs)
    .values(
      sessionIds.map((sessionId) => ({
        sessionId,
        status: 'pending' as const,
        attempts: 0,
        dueAt: now,
        errorCode: null,
        errorMessage: null,
        createdAt: now,
        updatedAt: now,
      })),
    )
    .onConflictDoNothing();
}

/**
 * Takes the job if it is open and due (pending past its back-off, or running past its lease): the attempt number
 * this claim is, or null when someone else holds it, it is not due, or it is done or failed.
 */
export async function claimJob(
  db: DbOrTx,
  sessionId: string,
  now: Date,
  leaseMs: number,
): Promise<number | null> {
  const [row] = await db
    .update(pipelineJobs)
    .set({
      status: 'running',
      attempts: sql`${pipelineJobs.attempts} + 1`,
      dueAt: new Date(now.getTime() + leaseMs),
      updatedAt: now,
    })
    .where(and(eq(pipelineJobs.sessionId, sessionId), open, lte(pipelineJobs.dueAt, now)))
    .returning({ attempts: pipelineJobs.attempts });
  return row?.attempts ?? null;
}

export type Settlement =
  | { status: 'done' }
  | { status: 'pending'; dueAt: Date; errorCode: string; errorMessage: string | null }
  | { status: 'failed'; errorCode: string; errorMessage: string | null };

/**
 * Ends attempt `attempt` of a job. False when that attempt no longer holds it (its lease lapsed and a later claim
 * took it): the later holder settles it, and this one's outcome is dropped.
 */
export async function settleJob(
  db: DbOrTx,
  sessionId: string,
  attempt: number,
  s: Settlement,
  now: Date,
): Promise<boolean> {
  const rows = await db
    .update(pipelineJobs)
    .set(
      s.status === 'done'
        ? { status: 'done', updatedAt: now }
        : s.status === 'pending'
          ? {
              status: 'pending',
              dueAt: s.dueAt,
              errorCode: s.errorCode,
              errorMessage: s.errorMessage,
              updatedAt: now,
            }
          : { status: 'failed', errorCode: s.errorCode, errorMessage: s.errorMessage, updatedAt: now },
    )
    .where(
      and(
        eq(pipelineJobs.sessionId, sessionId),
        eq(pipelineJobs.status, 'running'),
        eq(pipelineJobs.attempts, attempt),
      ),
    )
    .returning({ sessionId: pipelineJobs.sessionId });
  return rows.length > 0;
}

/**
 * Puts a failed job back to pending, due now, with its attempts counted from zero again (its last error kept until
 * the next attempt settles): the row as it now is, or null when the job was not failed (one statement, so two
 * people re-queuing at once put it back once).
 */
export async function requeueFailedJob(db: DbOrTx, sessionId: string, now: Date): Promise<JobRow | null> {
  const [row] = await db
    .update(pipelineJobs)
    .set({ status: 'pending', attempts: 0, dueAt: now, updatedAt: now })
    .where(and(eq(pipelineJobs.sessionId, sessionId), eq(pipelineJobs.status, 'failed')))
    .returning();
  return row ?? null;
}

/** Open jobs due by `now`, oldest first (the partial index `pipeline_jobs_due_idx`). */
export async function dueJobs(db: DbOrTx, now: Date, limit: number): Promise<string[]> {
  const rows = await db
    .select({ sessionId: pipelineJobs.sessionId })
    .from(pipelineJobs)
    .where(and(open, lte(pipelineJobs.dueAt, now)))
    .orderBy(asc(pipelineJobs.dueAt))
    .limit(limit);
  return rows.map((r) => r.sessionId);
}

export async function jobOf(db: DbOrTx, sessionId: string): Promise<JobRow | null> {
  const [row] = await db.select().from(pipelineJobs).where(eq(pipelineJobs.sessionId, sessionId));
  return row ?? null;
}

/**
 * Interviews completed since `since` with neither a job nor a result: those whose instance stopped between the
 * dialog's commit and writing the job. The one read of the dialog module's table (it has no listing call), by
 * its (status, ended_at) index; older ones were given their jobs by migration 0012.
 */
export async function completedWithoutJob(db: DbOrTx, since: Date, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: interviewSessions.id })
    .from(interviewSessions)
    .where(
      and(
        eq(interviewSessions.status, 'completed'),
        gte(interviewSessions.endedAt, since),
        notExists(
          db
            .select({ one: sql`1` })
            .from(pipelineJobs)
            .where(eq(pipelineJobs.sessionId, interviewSessions.id)),
        ),
        notExists(
          db
            .select({ one: sql`1` })
            .from(pipelineResults)
            .where(
              and(
                eq(pipelineResults.sessionId, interviewSessions.id),
                eq(pipelineResults.trigger, 'interview_completed'),
              ),
            ),
        ),
      ),
    )
    .orderBy(asc(interviewSessions.endedAt))
    .limit(limit);
  return rows.map((r) => r.id);
}
