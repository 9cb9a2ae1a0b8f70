/** The dialog store on the database (PostgreSQL or PGlite), with the same contract as the memory twin. */
import { and, asc, desc, eq, gt, lt, notInArray } from 'drizzle-orm';
import type { Db } from '../../platform/db/index.js';
import type { QuestionBank } from '../../questions/types.js';
import { interviewEvents, interviewSessions } from '../tables.js';
import { reviveEvent } from './codec.js';
import { type DialogStore, EVENT_GENESIS, type StoredEvent, chainEvent } from './store.js';
import { ENDED_STATUSES, type SessionRecord, type SessionSnapshot, type TranscriptEvent } from './types.js';

type Row = typeof interviewSessions.$inferSelect;

const toRecord = (r: Row): SessionRecord => ({
  id: r.id,
  caseId: r.caseId,
  invitationId: r.invitationId,
  branchPath: r.branchPath,
  lang: r.lang,
  seed: r.seed,
  status: r.status as SessionRecord['status'],
  budget: r.budget,
  createdAt: r.createdAt,
  lastActivityAt: r.lastActivityAt,
  endedAt: r.endedAt,
  endReason: r.endReason as SessionRecord['endReason'],
  lastSeq: r.lastSeq,
});

const columnsOf = (s: SessionRecord) => ({
  status: s.status,
  lastActivityAt: s.lastActivityAt,
  endedAt: s.endedAt,
  endReason: s.endReason,
  lastSeq: s.lastSeq,
});

/** The snapshot column holds what the session columns do not. */
function snapshotJson(s: SessionSnapshot) {
  const { bank: _bank, ...state } = s.state;
  return { state, awaiting: s.awaiting, emptyStreak: s.emptyStreak };
}

// JSON cannot hold `undefined`, and jsonb reorders keys: events are stored as plain JSON so the hash recomputes.
const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

export function createPgDialogStore(db: Db): DialogStore {
  async function insertEvents(
    tx: Parameters<Parameters<Db['transaction']>[0]>[0],
    sessionId: string,
    events: TranscriptEvent[],
  ) {
    if (events.length === 0) return;
    const [last] = await tx
      .select({ hash: interviewEvents.hash })
      .from(interviewEvents)
      .where(eq(interviewEvents.sessionId, sessionId))
      .orderBy(desc(interviewEvents.seq))
      .limit(1);
    let prev = last?.hash ?? EVENT_GENESIS;
    const rows = events.map((e) => {
      const stored = chainEvent(prev, reviveEvent(plain(e)));
      prev = stored.hash;
      return {
        sessionId,
        seq: e.seq,
        kind: e.kind,
        clientMsgId: e.kind === 'applicant' ? e.clientMsgId : null,
        at: e.at,
        event: plain(e),
        prevHash: stored.prevHash,
        hash: stored.hash,
      };
    });
    await tx.insert(interviewEvents).values(rows);
  }

  return {
    async create(snapshot, events) {
      const s = snapshot.session;
      return db.transaction(async (tx) => {
        const inserted = await tx
          .insert(interviewSessions)
          .values({
            id: s.id,
            caseId: s.caseId,
            invitationId: s.invitationId,
            branchPath: s.branchPath,
            lang: s.lang,
            seed: s.seed,
            budget: s.budget,
            createdAt: s.createdAt,
            ...columnsOf(s),
            bank: snapshot.state.bank,
            snapshot: snapshotJson(snapshot),
          })
          .onConflictDoNothing({ target: interviewSessions.invitationId })
          .returning({ id: interviewSessions.id });
        if (inserted.length === 0) return false;
        await insertEvents(tx, s.id, events);
        return true;
      });
    },
    async getByInvitation(invitationId) {
      const [r] = await db
        .select()
        .from(interviewSessions)
        .where(eq(interviewSessions.invitationId, invitationId));
      return r ? toRecord(r) : null;
    },
    async get(id) {
      const [r] = await db.select().from(interviewSessions).where(eq(interviewSessions.id, id));
      return r ? toRecord(r) : null;
    },
    async loadSnapshot(id) {
      const [r] = await db.select().from(interviewSessions).where(eq(interviewSessions.id, id));
      if (!r) return null;
      const snap = r.snapshot as Omit<SessionSnapshot, 'session'>;
      // Sessions opened before the bank had its own column carry it inside the snapshot.
      const bank = (r.bank as QuestionBank | null) ?? snap.state.bank;
      return {
        session: toRecord(r),
        state: { ...snap.state, bank },
        awaiting: snap.awaiting,
        emptyStreak: snap.emptyStreak,
      };
    },
    async loadBank(id) {
      const [r] = await db
        .select({ bank: interviewSessions.bank, snapshot: interviewSessions.snapshot })
        .from(interviewSessions)
        .where(eq(interviewSessions.id, id));
      if (!r) return null;
      return (r.bank as QuestionBank | null) ?? (r.snapshot as Omit<SessionSnapshot, 'session'>).state.bank;
    },
    async commit(id, expectedSeq, snapshot, events) {
      return db.transaction(async (tx) => {
        const updated = await tx
          .update(interviewSessions)
          .set({ ...columnsOf(snapshot.session), snapshot: snapshotJson(snapshot) })
          .where(and(eq(interviewSessions.id, id), eq(interviewSessions.lastSeq, expectedSeq)))
          .returning({ id: interviewSessions.id });
        if (updated.length === 0) return false;
        await insertEvents(tx, id, events);
        return true;
      });
    },
    async findClientMessage(id, clientMsgId) {
      const [r] = await db
        .select({ seq: interviewEvents.seq })
        .from(interviewEvents)
        .where(and(eq(interviewEvents.sessionId, id), eq(interviewEvents.clientMsgId, clientMsgId)));
      return r ? r.seq : null;
    },
    async eventsAfter(id, afterSeq, limit = 1000): Promise<StoredEvent[]> {
      const rows = await db
        .select()
        .from(interviewEvents)
        .where(and(eq(interviewEvents.sessionId, id), gt(interviewEvents.seq, afterSeq)))
        .orderBy(asc(interviewEvents.seq))
        .limit(limit);
      return rows.map((r) => ({
        event: reviveEvent(r.event as TranscriptEvent),
        prevHash: r.prevHash,
        hash: r.hash,
      }));
    },
    async listIdle(before, limit) {
      const rows = await db
        .select()
        .from(interviewSessions)
        .where(
          and(
            notInArray(interviewSessions.status, [...ENDED_STATUSES]),
            lt(interviewSessions.lastActivityAt, before),
          ),
        )
        .orderBy(asc(interviewSessions.lastActivityAt))
        .limit(limit);
      return rows.map(toRecord);
    },
  };
}
