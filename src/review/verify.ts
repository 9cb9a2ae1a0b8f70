/**
 * Verification of every interview recording (for `weidai audit verify` and the recordings service): each
 * interview's hash chain, and for an ended one its anchor in the audit chain (`recording.anchor` naming the last seq
 * and hash) and, once purged, the purge record's digest of the kept hashes. Reads only.
 */
import { eq } from 'drizzle-orm';
import { auditEvents } from '../platform/audit/tables.js';
import type { Db } from '../platform/db/index.js';
import type { StoredEvent } from '../dialog/session/store.js';
import { ENDED_STATUSES } from '../dialog/session/types.js';
import { type ChainedEvent, checkChain, hashesDigest } from './bundle.js';
import { listInterviewIds } from './dialog-tables.js';
import type { DialogReader } from './ports.js';
import { recordings } from './tables.js';

/** An interview's whole transcript, in pages of 1,000. */
export async function transcriptOf(
  dialog: Pick<DialogReader, 'eventsAfter'>,
  sessionId: string,
): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for (;;) {
    const page = await dialog.eventsAfter(sessionId, out.at(-1)?.event.seq ?? 0, 1000);
    out.push(...page);
    if (page.length < 1000) return out;
  }
}

/** Stored events as the bundle's chain checker takes them (plain JSON, as hashed). */
export const chained = (events: readonly StoredEvent[]): ChainedEvent[] =>
  events.map((e) => ({
    event: JSON.parse(JSON.stringify(e.event)) as ChainedEvent['event'],
    prevHash: e.prevHash,
    hash: e.hash,
  }));

export function createRecordingVerifier({
  db,
  dialog,
}: {
  db: Db;
  dialog: Pick<DialogReader, 'get' | 'eventsAfter'>;
}) {
  const allEvents = (sessionId: string) => transcriptOf(dialog, sessionId);

  async function loadRow(sessionId: string) {
    const [row] = await db.select().from(recordings).where(eq(recordings.sessionId, sessionId));
    return row;
  }

  async function auditRecord(seq: number | null) {
    if (seq === null) return null;
    const [r] = await db.select().from(auditEvents).where(eq(auditEvents.seq, seq));
    return r ?? null;
  }

  type InterviewProblem =
    | 'chain_broken'
    | 'unanchored'
    | 'anchor_missing'
    | 'anchor_mismatch'
    | 'events_after_anchor'
    | 'purge_record_mismatch';

  /** Checks one interview: its chain, and for an ended one the anchor (and the purge record) in the audit chain. */
  async function verifyInterview(sessionId: string) {
    const events = await allEvents(sessionId);
    const chain = checkChain(chained(events));
    const row = await loadRow(sessionId);
    const session = row ? null : await dialog.get(sessionId);
    const problems: { problem: InterviewProblem; seq?: number; detail?: string }[] = [];
    if (!chain.ok) problems.push({ problem: 'chain_broken', seq: chain.firstBadSeq, detail: chain.problem });
    if (!row) {
      if (session && ENDED_STATUSES.includes(session.status)) problems.push({ problem: 'unanchored' });
      return { sessionId, state: session ? ('in_progress' as const) : ('unknown' as const), problems };
    }
    const anchor = await auditRecord(row.anchorAuditSeq);
    const p = anchor?.payload as { sessionId?: string; lastSeq?: number; lastHash?: string } | undefined;
    if (!anchor || anchor.action !== 'recording.anchor' || p?.sessionId !== sessionId)
      problems.push({ problem: 'anchor_missing', seq: row.anchorAuditSeq });
    else if (p.lastSeq !== row.lastSeq || p.lastHash !== row.lastHash)
      problems.push({ problem: 'anchor_mismatch', seq: row.anchorAuditSeq });
    else if (chain.ok && chain.lastSeq > (p.lastSeq ?? 0))
      problems.push({ problem: 'events_after_anchor', seq: (p.lastSeq ?? 0) + 1 });
    else if (chain.ok && (chain.lastSeq !== p.lastSeq || chain.lastHash !== p.lastHash))
      problems.push({ problem: 'anchor_mismatch', seq: chain.lastSeq });
    if (row.purgedAt) {
      const purge = await auditRecord(row.purgeAuditSeq);
      const pp = purge?.payload as { hashesDigest?: string } | undefined;
      if (!purge || pp?.hashesDigest !== hashesDigest(events.map((e) => e.hash)))
        problems.push({ problem: 'purge_record_mismatch', seq: row.purgeAuditSeq ?? 0 });
    } else if (chain.ok && chain.state === 'purged_by_policy') {
      problems.push({ problem: 'purge_record_mismatch', detail: 'purged lines without a purge' });
    }
    const state = row.purgedAt ? ('purged_by_policy' as const) : ('intact' as const);
    return { sessionId, state, problems };
  }

  /** Verifies every interview (for `weidai audit verify`): counts by state and the problems found. */
  async function verifyAll() {
    const counts = { interviews: 0, intact: 0, purged_by_policy: 0, in_progress: 0 };
    const problems: { sessionId: string; problem: InterviewProblem; seq?: number; detail?: string }[] = [];
    let afterId: string | undefined;
    for (;;) {
      const page = await listInterviewIds(db, { limit: 500, ...(afterId ? { afterId } : {}) });
      for (const s of page) {
        const r = await verifyInterview(s.id);
        counts.interviews++;
        if (r.state !== 'unknown') counts[r.state]++;
        problems.push(...r.problems.map((p) => ({ sessionId: s.id, ...p })));
      }
      if (page.length < 500) break;
      afterId = page.at(-1)!.id;
    }
    return { ok: problems.length === 0, ...counts, problems };
  }

  return { verifyInterview, verifyAll };
}

export type RecordingVerifier = ReturnType<typeof createRecordingVerifier>;
