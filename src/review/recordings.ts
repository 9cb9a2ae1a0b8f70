/**
 * Recordings of interviews and their compliance review. A recording is the dialog module's hash-chained transcript
 * plus, when the interview ends, an anchor in the audit chain (`recording.anchor`: last seq and hash), the consents
 * and the question bank's version; any later change to a line breaks its hash or the anchor. Compliance searches,
 * replays, marks findings, places legal holds, exports signed bundles; the retention purge removes content and
 * keeps the hashes. Every viewing is an audit event (who, when, what).
 */
import { createHash } from 'node:crypto';
import { and, asc, desc, eq, gte, isNull, lt, lte, sql, type SQL } from 'drizzle-orm';
import { type AuditRecord, canonicalJson } from '../platform/audit/chain.js';
import type { AuditEventInput, AuditService } from '../platform/audit/service.js';
import { auditEvents } from '../platform/audit/tables.js';
import { type Db, type Param, type Tx, prepared } from '../platform/db/index.js';
import type { Clock, Ids } from '../platform/deps.js';
import { isAppError } from '../platform/errors.js';
import { type Actor, assertInScope, authorize, can } from '../platform/identity/permissions.js';
import { ENDED_STATUSES, type SessionRecord } from '../dialog/session/types.js';
import type { QuestionBank } from '../questions/types.js';
import { analyseInterview, transcriptFlagCodes } from './analysis.js';
import {
  type AuditRecordJson,
  type Bundle,
  type RecordingDoc,
  type SigningKey,
  hashesDigest,
  signBundle,
} from './bundle.js';
import { listUnanchoredInterviewIds, purgeTranscriptContent } from './dialog-tables.js';
import {
  alreadyHeld,
  alreadyPurged,
  interviewNotEnded,
  noActiveHold,
  onHold,
  recordingNotFound,
  replayUnavailable,
  retentionNotElapsed,
  seqNotInRecording,
} from './errors.js';
import type { DialogReader, DialogReplayer, ReviewCasesPort } from './ports.js';
import { chained, createRecordingVerifier, transcriptOf } from './verify.js';
import { type RetentionPolicy, purgeableFrom } from './retention.js';
import { recordingFindings, recordingHolds, recordings, reviewItems } from './tables.js';

export interface RecordingsDeps {
  db: Db;
  clock: Clock;
  ids: Ids;
  audit: AuditService;
  cases: ReviewCasesPort;
  dialog: DialogReader;
  signingKey: SigningKey;
  retention: RetentionPolicy;
  /** Recomputes an interview for `recompute`; without it, recompute answers REPLAY_UNAVAILABLE. */
  replayer?: DialogReplayer | undefined;
}

export type RecordingRow = typeof recordings.$inferSelect;
export type ViewKind = 'recording' | 'timeline' | 'desk' | 'export' | 'recompute';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const iso = (d: Date | null) => (d ? d.toISOString() : null);
/** How far back the anchor sweep looks for ended interviews without a recording. */
const ANCHOR_SWEEP_WINDOW_MS = 7 * 24 * 3600_000;

/** The service reads a case for the recording without a person behind it: an auditor's reach in the case's branch. */
export const systemActor = (branchPath: string): Actor => ({
  kind: 'staff',
  userId: 'system',
  username: 'system',
  role: 'auditor',
  branchId: '',
  branchPath,
  sessionId: '',
});

const auditJson = (r: AuditRecord | typeof auditEvents.$inferSelect): AuditRecordJson => ({
  seq: r.seq,
  at: r.at.toISOString(),
  actor: r.actor,
  action: r.action,
  entity: r.entity,
  entityId: r.entityId,
  payload: r.payload,
  prevHash: r.prevHash,
  hash: r.hash,
});

/** A unique violation, on PostgreSQL and PGlite (drizzle wraps the driver's error in `cause`). */
function isUniqueViolation(e: unknown): boolean {
  for (let x: unknown = e; x && typeof x === 'object'; x = (x as { cause?: unknown }).cause) {
    if ((x as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

const recordingOf = prepared('recording_of_session', (db, p: Param<{ sessionId: string }>) =>
  db
    .select()
    .from(recordings)
    .where(eq(recordings.sessionId, p('sessionId'))),
);

export function createRecordings(deps: RecordingsDeps) {
  const { db, clock, ids, audit, dialog } = deps;

  const allEvents = (sessionId: string) => transcriptOf(dialog, sessionId);

  async function loadRow(sessionId: string): Promise<RecordingRow | undefined> {
    const [row] = await recordingOf(db, { sessionId });
    return row;
  }

  /** The recording within the caller's subtree, after the permission check; RECORDING_NOT_FOUND otherwise. */
  async function recordingFor(
    actor: Actor,
    sessionId: string,
    permission: 'recording:read' | 'recording:hold' | 'recording:export',
  ) {
    authorize(actor, permission);
    const row = await loadRow(sessionId);
    if (!row) throw recordingNotFound(sessionId);
    assertInScope(actor, row.branchPath, 'recording', sessionId);
    return row;
  }

  async function logView(actor: Actor, row: RecordingRow, what: ViewKind, tx?: Tx) {
    const write = (t: Tx) =>
      audit.append(t, {
        actor: actor.userId,
        action: 'recording.view',
        entity: 'recording',
        entityId: row.sessionId,
        payload: { what, caseId: row.caseId, role: actor.role },
      });
    return tx ? write(tx) : db.transaction(write);
  }

  /** What anchoring an interview writes, read and computed before its transaction. */
  interface AnchorDraft {
    row: Omit<RecordingRow, 'anchorAuditSeq'>;
    event: AuditEventInput;
  }

  /**
   * Reads an ended interview for its anchor: the existing recording if there is one, else what to write.
   * INTERVIEW_NOT_ENDED while the interview runs. `knownBank`: the bank as the serving instance holds it (a bank never
   * changes after the session opens), so the anchor need not read 60 KB back. `endedSession`: the session as the
   * instance that committed its end holds it, right after that commit, so it need not be read back. The recording
   * is looked for even then: the sweep may have anchored an interview still waiting here, and leaving that to the
   * unique index would fail the whole batch.
   */
  async function draftAnchor(
    sessionId: string,
    knownBank?: QuestionBank,
    endedSession?: SessionRecord,
  ): Promise<{ existing: RecordingRow } | { draft: AnchorDraft }> {
    const existing = await loadRow(sessionId);
    if (existing) return { existing };
    const session = endedSession ?? (await dialog.get(sessionId));
    if (!session) throw recordingNotFound(sessionId);
    if (!ENDED_STATUSES.includes(session.status)) throw interviewNotEnded(sessionId, session.status);
    const events = await allEvents(sessionId);
    const last = events.at(-1);
    if (!last) throw recordingNotFound(sessionId);
    const bank = knownBank ?? (await dialog.loadBank(sessionId));
    const sys = systemActor(session.branchPath);
    const kase = await deps.cases.getCase(sys, session.caseId).catch(() => null);
    const consents = await deps.cases.listConsents(sys, session.caseId).catch(() => []);
    const catalogueVersion = bank?.catalogueVersion ?? 'unknown';
    return {
      draft: {
        event: {
          actor: 'system',
          action: 'recording.anchor',
          entity: 'recording',
          entityId: sessionId,
          payload: {
            sessionId,
            caseId: session.caseId,
            events: events.length,
            lastSeq: last.event.seq,
            lastHash: last.hash,
            catalogueVersion,
            bankSha256: bank ? sha256(canonicalJson(bank)) : null,
            consents: consents.map((c) => ({
              id: c.id,
              kind: c.kind,
              granted: c.granted,
              evidenceHash: c.evidence_hash,
            })),
          },
        },
        row: {
          sessionId,
          caseId: session.caseId,
          branchPath: session.branchPath,
          officerId: kase?.officer_id ?? null,
          lang: session.lang,
          status: session.status,
          endReason: session.endReason,
          startedAt: session.createdAt,
          endedAt: session.endedAt ?? last.event.at,
          eventCount: events.length,
          lastSeq: last.event.seq,
          lastHash: last.hash,
          catalogueVersion,
          flagCodes: transcriptFlagCodes(
            events.map((e) => e.event),
            bank,
          ),
          outcome: null,
          loanEndsAt: null,
          loanTermMonths: kase?.loan.term_months ?? null,
          purgedAt: null,
          purgeAuditSeq: null,
          createdAt: clock.now(),
        },
      },
    };
  }

  /**
   * Writes the recordings, their places in the expert's queue and their `recording.anchor` audit events in one
   * transaction, taking the audit chain's head once for all of them. A unique violation (another instance anchored
   * one first) rolls all of it back.
   */
  async function writeAnchors(drafts: readonly AnchorDraft[]): Promise<RecordingRow[]> {
    return db.transaction(async (tx) => {
      const anchors = await audit.appendMany(
        tx,
        drafts.map((d) => d.event),
      );
      const rows: RecordingRow[] = drafts.map((d, i) => ({ ...d.row, anchorAuditSeq: anchors[i]!.seq }));
      await tx.insert(recordings).values(rows);
      await tx.insert(reviewItems).values(
        rows.map((r) => ({
          sessionId: r.sessionId,
          caseId: r.caseId,
          branchPath: r.branchPath,
          status: 'queued' as const,
          assigneeId: null,
          claimedAt: null,
          claimExpiresAt: null,
          version: 1,
          endedAt: r.endedAt,
          decidedAt: null,
          createdAt: r.createdAt,
        })),
      );
      return rows;
    });
  }

  /**
   * Anchors an ended interview: its recording row, its place in the expert's queue and the `recording.anchor`
   * audit event, in one transaction. Idempotent; INTERVIEW_NOT_ENDED while the interview runs.
   */
  async function anchorInterview(sessionId: string, knownBank?: QuestionBank): Promise<RecordingRow> {
    const d = await draftAnchor(sessionId, knownBank);
    if ('existing' in d) return d.existing;
    try {
      return (await writeAnchors([d.draft]))[0]!;
    } catch (e) {
      // Another instance anchored it first; its transaction won, ours (with its audit event) rolled back.
      if (isUniqueViolation(e)) {
        const row = await loadRow(sessionId);
        if (row) return row;
      }
      throw e;
    }
  }

  /**
   * Anchors several ended interviews with one transaction. One that cannot be drafted does not hold the others up:
   * its error is returned with the count. If the batch collides with another instance's anchor, each is anchored on
   * its own.
   */
  async function anchorBatch(
    items: readonly { sessionId: string; bank?: QuestionBank | undefined; session?: SessionRecord }[],
  ): Promise<{ anchored: number; errors: unknown[] }> {
    const drafts: AnchorDraft[] = [];
    const errors: unknown[] = [];
    let anchored = 0;
    // A few drafts side by side: one after another, each waiting for its reads behind the turns' queries, anchors
    // fell behind the interviews ending under load; all at once, their reads would queue ahead of the turns'.
    let next = 0;
    const worker = async () => {
      while (next < items.length) {
        const it = items[next++]!;
        try {
          const d = await draftAnchor(it.sessionId, it.bank, it.session);
          if ('draft' in d) drafts.push(d.draft);
          else anchored++;
        } catch (e) {
          errors.push(e);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(DRAFTS_AT_ONCE, items.length) }, worker));
    if (drafts.length === 0) return { anchored, errors };
    try {
      await writeAnchors(drafts);
      return { anchored: anchored + drafts.length, errors };
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      for (const d of drafts) {
        await anchorInterview(d.row.sessionId);
        anchored++;
      }
      return { anchored, errors };
    }
  }

  // Anchors run after a turn, not awaited by it: the applicant's last message does not wait for the audit chain. One
  // batch at a time per instance: every anchor waits for the audit chain's head row, and anchors waiting side by
  // side would each hold a database connection that the applicants' turns need; under load the interviews ending
  // meanwhile go together in the next batch, with one transaction and one lock of the head.
  const ANCHOR_BATCH = 50;
  const DRAFTS_AT_ONCE = 4;
  const BANKS_KEPT = 100;
  const waiting = new Map<string, { session: SessionRecord; bank: QuestionBank | undefined }>();
  let running: Promise<void> | null = null;

  async function drainAnchors(): Promise<void> {
    while (waiting.size > 0) {
      const batch = [...waiting].slice(0, ANCHOR_BATCH);
      for (const [id] of batch) waiting.delete(id);
      // A batch that fails is left to anchorPending, the background sweep.
      await anchorBatch(batch.map(([sessionId, known]) => ({ sessionId, ...known }))).catch(() => undefined);
    }
  }

  /**
   * Called by the dialog after each committed turn: a turn that ended the interview queues its recording's anchor
   * and returns at once. An anchor that fails or never runs (the instance stopped) is made by anchorPending.
   */
  function onInterviewCommitted(session: SessionRecord, bank?: QuestionBank): void {
    if (!ENDED_STATUSES.includes(session.status)) return;
    // Banks (~0.2 MB as objects) are kept for the first few waiting only: a backlog reads them back instead.
    waiting.set(session.id, { session, bank: waiting.size < BANKS_KEPT ? bank : undefined });
    running ??= drainAnchors().finally(() => {
      running = null;
    });
  }

  /** Resolves when this instance has no anchoring running (tests, shutdown). */
  async function idle(): Promise<void> {
    while (running) await running;
  }

  /**
   * Anchors interviews ended within the last week that have no recording yet (an anchor failed, or its instance
   * stopped first). An interview is anchored seconds after it ends and the sweep runs every few minutes, so a week
   * is ample; older ends are not read again on every sweep.
   */
  async function anchorPending(limit = 500): Promise<{ anchored: number }> {
    const since = new Date(clock.now().getTime() - ANCHOR_SWEEP_WINDOW_MS);
    const ids = await listUnanchoredInterviewIds(db, since, limit);
    let anchored = 0;
    const errors: unknown[] = [];
    for (let i = 0; i < ids.length; i += ANCHOR_BATCH) {
      const r = await anchorBatch(ids.slice(i, i + ANCHOR_BATCH).map((sessionId) => ({ sessionId })));
      anchored += r.anchored;
      errors.push(...r.errors);
    }
    // The others are anchored; the first failure goes to the job's log, and the next sweep tries again.
    if (errors.length > 0) throw errors[0];
    return { anchored };
  }

  async function auditRecord(seq: number | null) {
    if (seq === null) return null;
    const [r] = await db.select().from(auditEvents).where(eq(auditEvents.seq, seq));
    return r ?? null;
  }

  const { verifyInterview, verifyAll } = createRecordingVerifier({ db, dialog });

  async function activeHold(sessionId: string, tx: Tx | Db = db) {
    const [h] = await tx
      .select()
      .from(recordingHolds)
      .where(and(eq(recordingHolds.sessionId, sessionId), isNull(recordingHolds.releasedAt)));
    return h ?? null;
  }

  const retentionFacts = (row: RecordingRow) => ({
    endedAt: row.endedAt,
    outcome: row.outcome,
    loanEndsAt: row.loanEndsAt,
    loanTermMonths: row.loanTermMonths,
  });

  async function document(row: RecordingRow): Promise<RecordingDoc> {
    const events = await allEvents(row.sessionId);
    const snap = row.purgedAt ? null : await dialog.loadSnapshot(row.sessionId);
    const bank = snap?.state?.bank ?? null;
    const anchor = await auditRecord(row.anchorAuditSeq);
    const purge = await auditRecord(row.purgeAuditSeq);
    const consents = await deps.cases.listConsents(systemActor(row.branchPath), row.caseId).catch(() => []);
    return {
      sessionId: row.sessionId,
      caseId: row.caseId,
      lang: row.lang,
      status: row.status,
      endReason: row.endReason,
      startedAt: row.startedAt.toISOString(),
      endedAt: row.endedAt.toISOString(),
      bank: {
        catalogueVersion: row.catalogueVersion,
        sha256: bank
          ? sha256(canonicalJson(bank))
          : ((anchor?.payload as { bankSha256?: string }).bankSha256 ?? null),
      },
      consents: consents as unknown as Record<string, unknown>[],
      events: chained(events),
      anchor: auditJson(anchor!),
      purge: purge ? auditJson(purge) : null,
    };
  }

  /** One recording for compliance or the expert: the transcript with its hashes, anchor, consents, holds, findings. */
  async function getRecording(actor: Actor, sessionId: string) {
    const row = await recordingFor(actor, sessionId, 'recording:read');
    const doc = await document(row);
    const [holds, findings] = await Promise.all([
      db
        .select()
        .from(recordingHolds)
        .where(eq(recordingHolds.sessionId, sessionId))
        .orderBy(asc(recordingHolds.placedAt)),
      db
        .select()
        .from(recordingFindings)
        .where(eq(recordingFindings.sessionId, sessionId))
        .orderBy(asc(recordingFindings.createdAt)),
    ]);
    await logView(actor, row, 'recording');
    return {
      ...doc,
      branchPath: row.branchPath,
      officerId: row.officerId,
      flagCodes: row.flagCodes,
      outcome: row.outcome,
      purgedAt: iso(row.purgedAt),
      purgeableFrom: purgeableFrom(retentionFacts(row), deps.retention).toISOString(),
      holds: holds.map((h) => ({
        id: h.id,
        reason: h.reason,
        placedBy: h.placedBy,
        placedAt: h.placedAt.toISOString(),
        releasedBy: h.releasedBy,
        releasedAt: iso(h.releasedAt),
        releaseReason: h.releaseReason,
      })),
      findings: findings.map((f) => ({
        id: f.id,
        seq: f.seq,
        severity: f.severity,
        category: f.category,
        note: f.note,
        createdBy: f.createdBy,
        createdAt: f.createdAt.toISOString(),
      })),
    };
  }

  /**
   * The interview replayed as a timeline: each line with its offset from the start, the policy's reasons for each
   * question, each answer's parse and verdicts, and the flags.
   */
  async function timeline(actor: Actor, sessionId: string) {
    const row = await recordingFor(actor, sessionId, 'recording:read');
    const events = await allEvents(sessionId);
    const snap = row.purgedAt ? null : await dialog.loadSnapshot(sessionId);
    const a = analyseInterview({
      events: events.map((e) => e.event),
      bank: snap?.state?.bank ?? null,
      lang: row.lang === 'en-US' ? 'en-US' : 'zh-CN',
      sources: null,
      checks: null,
      reliability: snap?.state?.belief?.reliability ?? null,
    });
    await logView(actor, row, 'timeline');
    const start = row.startedAt.getTime();
    return {
      sessionId,
      startedAt: row.startedAt.toISOString(),
      endedAt: row.endedAt.toISOString(),
      purged: row.purgedAt !== null,
      entries: a.transcript.map((line, i) => ({
        offsetMs: new Date(line.at).getTime() - start,
        hash: events[i]?.hash ?? null,
        ...line,
      })),
      flags: a.flags,
      reliability: a.reliability,
    };
  }

  /**
   * Recomputes the interview from its recorded answers (its seed, question bank and settings) and compares every
   * line with the recording: evidence that each question was the policy's own choice from what the applicant said.
   * The viewing is logged. RECORDING_PURGED once the content is gone.
   */
  async function recompute(actor: Actor, sessionId: string) {
    const row = await recordingFor(actor, sessionId, 'recording:read');
    if (row.purgedAt) throw alreadyPurged(sessionId);
    if (!deps.replayer) throw replayUnavailable();
    const report = await deps.replayer.replay(sessionId);
    await logView(actor, row, 'recompute');
    return { sessionId, ...report };
  }

  interface SearchQuery {
    branchId?: string | undefined;
    officerId?: string | undefined;
    from?: Date | undefined;
    to?: Date | undefined;
    outcome?: string | undefined;
    flag?: string | undefined;
    held?: boolean | undefined;
    limit: number;
    offset: number;
  }

  /** Recordings in the caller's subtree by branch, officer, end date, outcome, flag and hold, newest first. */
  async function search(actor: Actor, q: SearchQuery) {
    authorize(actor, 'recording:read');
    const where: SQL[] = [sql`${recordings.branchPath} like ${actor.branchPath + '%'}`];
    if (q.branchId) where.push(sql`${recordings.branchPath} like ${'%/' + q.branchId + '/%'}`);
    if (q.officerId) where.push(eq(recordings.officerId, q.officerId));
    if (q.from) where.push(gte(recordings.endedAt, q.from));
    if (q.to) where.push(lte(recordings.endedAt, q.to));
    if (q.outcome)
      where.push(q.outcome === 'none' ? isNull(recordings.outcome) : eq(recordings.outcome, q.outcome));
    if (q.flag) where.push(sql`${recordings.flagCodes} @> ${JSON.stringify([q.flag])}::jsonb`);
    const held = sql`exists (select 1 from ${recordingHolds} h where h.session_id = ${recordings.sessionId} and h.released_at is null)`;
    if (q.held !== undefined) where.push(q.held ? held : sql`not ${held}`);
    const rows = await db
      .select({ r: recordings, held: sql<boolean>`${held}` })
      .from(recordings)
      .where(and(...where))
      .orderBy(desc(recordings.endedAt), asc(recordings.sessionId))
      .limit(q.limit)
      .offset(q.offset);
    // Each row's case card, in one read, for a role that may read cases (every role with recording:read today).
    const cards = can(actor.role, 'case:read')
      ? await deps.cases.caseCards(actor, [...new Set(rows.map((x) => x.r.caseId))])
      : [];
    const cardOf = new Map(cards.map((c) => [c.id, c]));
    return rows.map(({ r, held: h }) => ({
      sessionId: r.sessionId,
      caseId: r.caseId,
      case: cardOf.get(r.caseId) ?? null,
      branchPath: r.branchPath,
      officerId: r.officerId,
      status: r.status,
      endReason: r.endReason,
      startedAt: r.startedAt.toISOString(),
      endedAt: r.endedAt.toISOString(),
      events: r.eventCount,
      catalogueVersion: r.catalogueVersion,
      flagCodes: r.flagCodes,
      outcome: r.outcome,
      held: Boolean(h),
      purgedAt: iso(r.purgedAt),
    }));
  }

  /** Places a legal hold; while it holds, the recording cannot be purged. */
  async function placeHold(actor: Actor, sessionId: string, reason: string) {
    await recordingFor(actor, sessionId, 'recording:hold');
    return db.transaction(async (tx) => {
      // The row lock orders a hold against a concurrent purge of the same recording.
      const [row] = await tx
        .select()
        .from(recordings)
        .where(eq(recordings.sessionId, sessionId))
        .for('update');
      if (await activeHold(sessionId, tx)) throw alreadyHeld(sessionId);
      const hold = {
        id: ids.uuid(),
        sessionId,
        reason,
        placedBy: actor.userId,
        placedAt: clock.now(),
        releasedBy: null,
        releasedAt: null,
        releaseReason: null,
      };
      await tx.insert(recordingHolds).values(hold);
      await audit.append(tx, {
        actor: actor.userId,
        action: 'recording.hold',
        entity: 'recording',
        entityId: sessionId,
        payload: { holdId: hold.id, caseId: row!.caseId, reasonSha256: sha256(reason) },
      });
      return {
        id: hold.id,
        sessionId,
        reason,
        placedBy: hold.placedBy,
        placedAt: hold.placedAt.toISOString(),
      };
    });
  }

  async function releaseHold(actor: Actor, sessionId: string, reason: string) {
    await recordingFor(actor, sessionId, 'recording:hold');
    return db.transaction(async (tx) => {
      await tx.select().from(recordings).where(eq(recordings.sessionId, sessionId)).for('update');
      const hold = await activeHold(sessionId, tx);
      if (!hold) throw noActiveHold(sessionId);
      const now = clock.now();
      await tx
        .update(recordingHolds)
        .set({ releasedAt: now, releasedBy: actor.userId, releaseReason: reason })
        .where(eq(recordingHolds.id, hold.id));
      await audit.append(tx, {
        actor: actor.userId,
        action: 'recording.hold_release',
        entity: 'recording',
        entityId: sessionId,
        payload: { holdId: hold.id, reasonSha256: sha256(reason) },
      });
      return { id: hold.id, sessionId, releasedAt: now.toISOString() };
    });
  }

  /** Marks a compliance finding on the recording, optionally on one transcript line. */
  async function markFinding(
    actor: Actor,
    sessionId: string,
    input: { seq?: number | undefined; severity: 'info' | 'warn' | 'breach'; category: string; note: string },
  ) {
    const row = await recordingFor(actor, sessionId, 'recording:hold');
    if (input.seq !== undefined && (input.seq < 1 || input.seq > row.lastSeq))
      throw seqNotInRecording(sessionId, input.seq);
    const f = {
      id: ids.uuid(),
      sessionId,
      seq: input.seq ?? null,
      severity: input.severity,
      category: input.category,
      note: input.note,
      createdBy: actor.userId,
      createdAt: clock.now(),
    };
    await db.transaction(async (tx) => {
      await tx.insert(recordingFindings).values(f);
      await audit.append(tx, {
        actor: actor.userId,
        action: 'recording.finding',
        entity: 'recording',
        entityId: sessionId,
        // The note may quote the applicant: only its hash goes to the chain.
        payload: {
          findingId: f.id,
          seq: f.seq,
          severity: f.severity,
          category: f.category,
          noteSha256: sha256(f.note),
        },
      });
    });
    return { ...f, createdAt: f.createdAt.toISOString() };
  }

  /**
   * Purges one recording's content in one transaction: every transcript line becomes a stub keeping its hashes,
   * the live snapshot is dropped, and `recording.purge` names the count, the last seq and hash and a digest of all
   * hashes. Refused while held (RECORDING_ON_HOLD), before the retention ends (RETENTION_NOT_ELAPSED) and twice
   * (RECORDING_PURGED).
   */
  async function purgeOne(actorId: string, sessionId: string, now: Date) {
    // Read before the transaction: the chain of an anchored interview no longer grows, and a single-connection
    // database (PGlite) cannot serve a read outside an open transaction.
    const events = await allEvents(sessionId);
    return db.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(recordings)
        .where(eq(recordings.sessionId, sessionId))
        .for('update');
      if (!row) throw recordingNotFound(sessionId);
      if (row.purgedAt) throw alreadyPurged(sessionId);
      if (await activeHold(sessionId, tx)) throw onHold(sessionId);
      const from = purgeableFrom(retentionFacts(row), deps.retention);
      if (now < from) throw retentionNotElapsed(sessionId, from);
      const lines = await purgeTranscriptContent(tx, sessionId, now);
      const rec = await audit.append(tx, {
        actor: actorId,
        action: 'recording.purge',
        entity: 'recording',
        entityId: sessionId,
        payload: {
          sessionId,
          caseId: row.caseId,
          lines,
          lastSeq: row.lastSeq,
          lastHash: row.lastHash,
          hashesDigest: hashesDigest(events.map((e) => e.hash)),
          retentionYears: deps.retention.years,
          purgeableFrom: from.toISOString(),
          removed: [
            'transcript text, choices, parses, verifications, media references',
            'interview snapshot',
          ],
        },
      });
      await tx
        .update(recordings)
        .set({ purgedAt: now, purgeAuditSeq: rec.seq })
        .where(eq(recordings.sessionId, sessionId));
      return { sessionId, lines, auditSeq: rec.seq };
    });
  }

  /** A compliance officer purges one recording whose retention has ended. */
  async function purgeRecording(actor: Actor, sessionId: string) {
    await recordingFor(actor, sessionId, 'recording:hold');
    return purgeOne(actor.userId, sessionId, clock.now());
  }

  /**
   * The retention job: purges every recording whose retention has ended and that is not held; reports the held
   * ones it skipped. Safe to run on several instances (row locks; a purged row is skipped).
   */
  async function runPurge(opts: { limit?: number } = {}) {
    const now = clock.now();
    const limit = opts.limit ?? 500;
    // Candidates by the earliest possible date (the interview's end plus the years); the exact date is checked per row.
    const horizon = new Date(now.getTime());
    horizon.setUTCFullYear(horizon.getUTCFullYear() - deps.retention.years);
    const rows = await db
      .select({ sessionId: recordings.sessionId })
      .from(recordings)
      .where(and(isNull(recordings.purgedAt), lt(recordings.endedAt, horizon)))
      .orderBy(asc(recordings.endedAt))
      .limit(limit);
    const purged: { sessionId: string; lines: number; auditSeq: number }[] = [];
    const held: string[] = [];
    const notYet: string[] = [];
    for (const { sessionId } of rows) {
      try {
        purged.push(await purgeOne('system', sessionId, now));
      } catch (e) {
        if (!isAppError(e)) throw e;
        if (e.code === 'RECORDING_ON_HOLD') held.push(sessionId);
        else if (e.code === 'RETENTION_NOT_ELAPSED') notYet.push(sessionId);
        else if (e.code !== 'RECORDING_PURGED') throw e;
      }
    }
    return { purged, skippedHeld: held, notYetDue: notYet };
  }

  /** A signed, self-verifying bundle of one interview for a regulator; the export is logged as a viewing. */
  async function exportBundle(actor: Actor, sessionId: string): Promise<Bundle> {
    const row = await recordingFor(actor, sessionId, 'recording:export');
    const recording = await document(row);
    const bundle = signBundle(
      { exportedAt: clock.now().toISOString(), exportedBy: actor.userId, recording },
      deps.signingKey,
    );
    await logView(actor, row, 'export');
    return bundle;
  }

  /** Who viewed a recording, when and what (from the audit chain). */
  async function viewLog(actor: Actor, sessionId: string) {
    authorize(actor, 'audit:read');
    const row = await loadRow(sessionId);
    if (!row) throw recordingNotFound(sessionId);
    assertInScope(actor, row.branchPath, 'recording', sessionId);
    const rows = await db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.entity, 'recording'),
          eq(auditEvents.entityId, sessionId),
          eq(auditEvents.action, 'recording.view'),
        ),
      )
      .orderBy(asc(auditEvents.seq));
    return rows.map((r) => ({
      seq: r.seq,
      at: r.at.toISOString(),
      userId: r.actor,
      what: (r.payload as { what?: string }).what ?? null,
      role: (r.payload as { role?: string }).role ?? null,
    }));
  }

  return {
    anchorInterview,
    onInterviewCommitted,
    anchorPending,
    idle,
    verifyInterview,
    verifyAll,
    getRecording,
    timeline,
    recompute,
    search,
    placeHold,
    releaseHold,
    markFinding,
    purgeRecording,
    runPurge,
    exportBundle,
    viewLog,
    signingKeyId: deps.signingKey.keyId,
    publicKey: deps.signingKey.publicKey,
    // For the desk, which shares the row access and the view log.
    internal: { loadRow, allEvents, logView },
  };
}

export type Recordings = ReturnType<typeof createRecordings>;
