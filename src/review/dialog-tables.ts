/**
 * The one place the review module reads and writes the dialog module's tables directly: listing every interview
 * (the dialog service has no listing call) and removing a transcript's content on a retention purge. Everything
 * else goes through the dialog store (`DialogReader`).
 */
import { and, asc, eq, gt, gte, inArray, notExists, sql } from 'drizzle-orm';
import { recordings } from './tables.js';
import { interviewEvents, interviewSessions } from '../dialog/tables.js';
import { ENDED_STATUSES } from '../dialog/session/types.js';
import type { DbOrTx, Tx } from '../platform/db/index.js';

/** Interview ids in id order after `afterId`; only ended ones with `endedOnly`. */
export async function listInterviewIds(
  db: DbOrTx,
  opts: { afterId?: string; limit: number; endedOnly?: boolean },
): Promise<{ id: string; status: string }[]> {
  const where = [];
  if (opts.afterId !== undefined) where.push(gt(interviewSessions.id, opts.afterId));
  if (opts.endedOnly) where.push(inArray(interviewSessions.status, [...ENDED_STATUSES]));
  return db
    .select({ id: interviewSessions.id, status: interviewSessions.status })
    .from(interviewSessions)
    .where(where.length ? and(...where) : undefined)
    .orderBy(asc(interviewSessions.id))
    .limit(opts.limit);
}

/**
 * Interviews ended since `since` without a recording row, oldest end first: an anti-join over the (status,
 * ended_at) index, so a sweep reads the recent ends only, not every interview ever held.
 */
export async function listUnanchoredInterviewIds(db: DbOrTx, since: Date, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: interviewSessions.id })
    .from(interviewSessions)
    .where(
      and(
        inArray(interviewSessions.status, [...ENDED_STATUSES]),
        gte(interviewSessions.endedAt, since),
        notExists(
          db
            .select({ one: sql`1` })
            .from(recordings)
            .where(eq(recordings.sessionId, interviewSessions.id)),
        ),
      ),
    )
    .orderBy(asc(interviewSessions.endedAt))
    .limit(limit);
  return rows.map((r) => r.id);
}

/**
 * Replaces every transcript line's content with a stub `{seq, kind, at, purged: true}`, keeping `prev_hash` and
 * `hash`, and the live snapshot (which holds the answers and the belief) with a stub naming the purge. The session
 * row itself stays: its id, case, branch, times and status are the index of what was purged.
 */
export async function purgeTranscriptContent(tx: Tx, sessionId: string, purgedAt: Date): Promise<number> {
  const rows = await tx
    .update(interviewEvents)
    .set({
      event: sql`jsonb_build_object('seq', ${interviewEvents.seq}, 'kind', ${interviewEvents.kind}, 'at', ${interviewEvents.event}->'at', 'purged', true)`,
      clientMsgId: null,
    })
    .where(eq(interviewEvents.sessionId, sessionId))
    .returning({ seq: interviewEvents.seq });
  await tx
    .update(interviewSessions)
    .set({
      snapshot: {
        purged: true,
        purgedAt: purgedAt.toISOString(),
        state: null,
        awaiting: null,
        emptyStreak: 0,
      },
    })
    .where(eq(interviewSessions.id, sessionId));
  return rows.length;
}
