/** The dialog store on the database (PostgreSQL or PGlite), with the same contract as the memory twin. */
import { and, asc, eq, gt, inArray, lt } from 'drizzle-orm';
import { type Db, type Param, prepared, runNamed } from '../../platform/db/index.js';
import type { QuestionBank } from '../../questions/types.js';
import { interviewEvents, interviewSessions } from '../tables.js';
import { packBelief, reviveEvent, unpackBelief } from './codec.js';
import {
  type DialogStore,
  DuplicateClientMessage,
  EVENT_GENESIS,
  type StoredEvent,
  chainEvent,
} from './store.js';
import { LIVE_STATUSES, type SessionRecord, type SessionSnapshot, type TranscriptEvent } from './types.js';

type Row = Omit<typeof interviewSessions.$inferSelect, 'bank' | 'snapshot'>;

/** The session record's columns: the bank and the snapshot are large JSON, read only where needed. */
const recordColumns = {
  id: interviewSessions.id,
  caseId: interviewSessions.caseId,
  invitationId: interviewSessions.invitationId,
  branchPath: interviewSessions.branchPath,
  lang: interviewSessions.lang,
  seed: interviewSessions.seed,
  status: interviewSessions.status,
  budget: interviewSessions.budget,
  createdAt: interviewSessions.createdAt,
  lastActivityAt: interviewSessions.lastActivityAt,
  endedAt: interviewSessions.endedAt,
  endReason: interviewSessions.endReason,
  lastSeq: interviewSessions.lastSeq,
};

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

/**
 * The snapshot column holds what the session columns do not, the bank apart; with the applicant's quoted words and
 * latest message ids, so an instance that takes the session over needs no transcript read and still knows a
 * retried delivery.
 */
function snapshotJson(s: SessionSnapshot) {
  const { bank: _bank, ...state } = s.state;
  return {
    ...(s.settings ? { settings: s.settings } : {}),
    state: { ...state, belief: packBelief(state.belief) },
    awaiting: s.awaiting,
    emptyStreak: s.emptyStreak,
    ...(s.said ? { said: s.said } : {}),
    ...(s.recentMsgs ? { recentMsgs: s.recentMsgs } : {}),
  };
}

/** Postgres' unique_violation (23505) on the named index, however the driver or Drizzle wraps it. */
function isUniqueViolation(e: unknown, constraint: string): boolean {
  for (let c: unknown = e; c && typeof c === 'object'; c = (c as { cause?: unknown }).cause) {
    const x = c as { code?: unknown; constraint?: unknown; message?: unknown };
    if (x.code === '23505')
      return (
        x.constraint === undefined || x.constraint === constraint || String(x.message).includes(constraint)
      );
  }
  return false;
}

const TAIL_CACHE_SIZE = 10_000;

/**
 * `WITH u AS (<write of the session row, RETURNING id>)` + the append of the events from the JSON parameter $n.
 * An applicant message already stored (a retried delivery that reached an instance which had not seen it) is found
 * first and writes nothing: reported as `duplicate`, not raised by the unique index, since a failed statement costs
 * the pool its connection (pg drops a client released with an error) and PostgreSQL a new backend.
 */
const withEvents = (
  name: string,
  sessionWrite: string,
  eventsParam: number,
  idParam: number,
  /** True when the write starts from the right version: only then is a stored message a duplicate. */
  atVersion = 'true',
) => ({
  name,
  text: `WITH d AS (
    SELECT EXISTS (
      SELECT 1 FROM interview_events e
      WHERE e.session_id = $${idParam} AND e.client_msg_id = $${eventsParam + 1}::text) AS dup
  ), u AS (${sessionWrite}), ins AS (
    INSERT INTO interview_events (session_id, seq, kind, client_msg_id, at, event, prev_hash, hash)
    SELECT u.id, r.seq, r.kind, r.client_msg_id, r.at, r.event, r.prev_hash, r.hash
    FROM u, jsonb_to_recordset($${eventsParam}::jsonb) AS r(
      seq integer, kind text, client_msg_id text, at timestamptz, event jsonb, prev_hash text, hash text)
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM u)::int AS written, (SELECT dup FROM d) AND ${atVersion} AS duplicate`,
});

const CREATE = withEvents(
  'dialog_create',
  `INSERT INTO interview_sessions (id, case_id, invitation_id, branch_path, lang, seed, budget, created_at,
     status, last_activity_at, ended_at, end_reason, last_seq, bank, snapshot)
   VALUES ($1, $2, $3, $4, $5, $6, $7, $8::timestamptz, $9, $10::timestamptz, $11::timestamptz, $12, $13,
     $14::json, $15::json)
   ON CONFLICT (invitation_id) DO NOTHING
   RETURNING id`,
  16,
  1,
);

const COMMIT = withEvents(
  'dialog_commit',
  `UPDATE interview_sessions SET status = $1, last_activity_at = $2::timestamptz, ended_at = $3::timestamptz,
     end_reason = $4, last_seq = $5, snapshot = $6::json
   WHERE id = $7 AND last_seq = $8 AND NOT (SELECT dup FROM d)
   RETURNING id`,
  9,
  7,
  // The statement's subqueries see the row as it was before the UPDATE.
  'EXISTS (SELECT 1 FROM interview_sessions WHERE id = $7 AND last_seq = $8)',
);

// The reads of every interview, as prepared statements (src/platform/db `prepared`).
const hashAtQ = prepared('dialog_hash_at', (db, p: Param<{ id: string; seq: number }>) =>
  db
    .select({ hash: interviewEvents.hash })
    .from(interviewEvents)
    .where(and(eq(interviewEvents.sessionId, p('id')), eq(interviewEvents.seq, p('seq')))),
);
const byInvitationQ = prepared('dialog_session_by_invitation', (db, p: Param<{ invitationId: string }>) =>
  db
    .select(recordColumns)
    .from(interviewSessions)
    .where(eq(interviewSessions.invitationId, p('invitationId'))),
);
const getQ = prepared('dialog_session', (db, p: Param<{ id: string }>) =>
  db
    .select(recordColumns)
    .from(interviewSessions)
    .where(eq(interviewSessions.id, p('id'))),
);
const snapshotQ = prepared('dialog_snapshot', (db, p: Param<{ id: string }>) =>
  db
    .select()
    .from(interviewSessions)
    .where(eq(interviewSessions.id, p('id'))),
);
const bankQ = prepared('dialog_bank', (db, p: Param<{ id: string }>) =>
  db
    .select({ bank: interviewSessions.bank, snapshot: interviewSessions.snapshot })
    .from(interviewSessions)
    .where(eq(interviewSessions.id, p('id'))),
);
const clientMessageQ = prepared(
  'dialog_client_message',
  (db, p: Param<{ id: string; clientMsgId: string }>) =>
    db
      .select({ seq: interviewEvents.seq })
      .from(interviewEvents)
      .where(and(eq(interviewEvents.sessionId, p('id')), eq(interviewEvents.clientMsgId, p('clientMsgId')))),
);
const eventsAfterQ = prepared(
  'dialog_events_after',
  (db, p: Param<{ id: string; afterSeq: number; limit: number }>) =>
    db
      .select()
      .from(interviewEvents)
      .where(and(eq(interviewEvents.sessionId, p('id')), gt(interviewEvents.seq, p('afterSeq'))))
      .orderBy(asc(interviewEvents.seq))
      .limit(p('limit')),
);

export function createPgDialogStore(db: Db): DialogStore {
  // The hash of each session's last event as this instance committed it. An event never changes once stored, so
  // a remembered (seq, hash) is right whenever seq is the version a commit starts from; otherwise it is read.
  const tails = new Map<string, { seq: number; hash: string }>();
  const rememberTail = (id: string, seq: number, hash: string) => {
    tails.delete(id);
    tails.set(id, { seq, hash });
    if (tails.size > TAIL_CACHE_SIZE) tails.delete(tails.keys().next().value!);
  };
  async function hashAt(id: string, seq: number): Promise<string> {
    if (seq === 0) return EVENT_GENESIS;
    const t = tails.get(id);
    if (t && t.seq === seq) return t.hash;
    const [r] = await hashAtQ(db, { id, seq });
    if (!r) throw new Error(`interview ${id} has no event ${seq} though its session row is at it`);
    return r.hash;
  }

  /**
   * The events as rows of the chain from `prevHash`, JSON for jsonb_to_recordset; and the new tail hash. Each event
   * is stringified once, straight into its row. Its hash is taken from the event as it is, which gives the canonical
   * JSON of what is stored (dates as ISO strings, undefined members dropped); an event holding a number JSON cannot
   * carry (NaN, ±Infinity, stored as null) is hashed as stored.
   */
  function chained(events: TranscriptEvent[], prevHash: string) {
    let prev = prevHash;
    let rows = '[';
    let clientMsgId: string | null = null;
    for (const e of events) {
      if (e.kind === 'applicant') clientMsgId = e.clientMsgId;
      const json = JSON.stringify(e);
      let stored;
      try {
        stored = chainEvent(prev, e);
      } catch {
        stored = chainEvent(prev, reviveEvent(JSON.parse(json) as TranscriptEvent));
      }
      if (rows.length > 1) rows += ',';
      rows +=
        `{"seq":${e.seq},"kind":${JSON.stringify(e.kind)},` +
        `"client_msg_id":${e.kind === 'applicant' ? JSON.stringify(e.clientMsgId) : 'null'},` +
        `"at":${JSON.stringify(e.at.toISOString())},"event":${json},` +
        `"prev_hash":${JSON.stringify(stored.prevHash)},"hash":${JSON.stringify(stored.hash)}}`;
      prev = stored.hash;
    }
    return { json: rows + ']', tail: prev, clientMsgId };
  }

  /**
   * Runs a statement whose CTE `u` writes the session row (RETURNING id) and appends the events after it, all in
   * one statement: one round trip, atomic without BEGIN/COMMIT, prepared once per connection (`runNamed`). The
   * events' JSON is the last parameter. Returns whether the session row was written.
   */
  async function writeWithEvents(
    id: string,
    statement: { name: string; text: string },
    values: unknown[],
    events: { json: string; clientMsgId: string | null },
  ): Promise<boolean> {
    let rows;
    try {
      rows = await runNamed<{ written: number; duplicate: boolean }>(db, statement.name, statement.text, [
        ...values,
        events.json,
        events.clientMsgId,
      ]);
    } catch (e) {
      // Two deliveries of one message committed at the same instant: the unique index still keeps one.
      if (isUniqueViolation(e, 'interview_events_client_msg_uq')) throw new DuplicateClientMessage(id);
      throw e;
    }
    if (rows[0]?.duplicate === true) throw new DuplicateClientMessage(id);
    return Number(rows[0]?.written ?? 0) === 1;
  }

  const iso = (d: Date | null) => (d ? d.toISOString() : null);

  return {
    async create(snapshot, events) {
      const s = snapshot.session;
      const chain = chained(events, EVENT_GENESIS);
      const written = await writeWithEvents(
        s.id,
        CREATE,
        [
          s.id,
          s.caseId,
          s.invitationId,
          s.branchPath,
          s.lang,
          s.seed,
          s.budget,
          iso(s.createdAt),
          s.status,
          iso(s.lastActivityAt),
          iso(s.endedAt),
          s.endReason,
          s.lastSeq,
          JSON.stringify(snapshot.state.bank),
          JSON.stringify(snapshotJson(snapshot)),
        ],
        chain,
      );
      if (written && events.length > 0) rememberTail(s.id, s.lastSeq, chain.tail);
      return written;
    },
    async getByInvitation(invitationId) {
      const [r] = await byInvitationQ(db, { invitationId });
      return r ? toRecord(r) : null;
    },
    async get(id) {
      const [r] = await getQ(db, { id });
      return r ? toRecord(r) : null;
    },
    async loadSnapshot(id) {
      const [r] = await snapshotQ(db, { id });
      if (!r) return null;
      const snap = r.snapshot as Omit<SessionSnapshot, 'session'>;
      // Sessions opened before the bank had its own column carry it inside the snapshot.
      const bank = (r.bank as QuestionBank | null) ?? snap.state.bank;
      return {
        session: toRecord(r),
        ...(snap.settings ? { settings: snap.settings } : {}),
        state: { ...snap.state, bank, belief: unpackBelief(snap.state.belief) },
        awaiting: snap.awaiting,
        emptyStreak: snap.emptyStreak,
        ...(snap.said ? { said: snap.said } : {}),
        ...(snap.recentMsgs ? { recentMsgs: snap.recentMsgs } : {}),
      };
    },
    async loadBank(id) {
      const [r] = await bankQ(db, { id });
      if (!r) return null;
      return (r.bank as QuestionBank | null) ?? (r.snapshot as Omit<SessionSnapshot, 'session'>).state.bank;
    },
    async commit(id, expectedSeq, snapshot, events) {
      // The session row moves from expectedSeq to the new version, and the events are appended only if it did.
      const chain = chained(events, await hashAt(id, expectedSeq));
      const s = snapshot.session;
      const written = await writeWithEvents(
        id,
        COMMIT,
        [
          s.status,
          iso(s.lastActivityAt),
          iso(s.endedAt),
          s.endReason,
          s.lastSeq,
          JSON.stringify(snapshotJson(snapshot)),
          id,
          expectedSeq,
        ],
        chain,
      );
      if (written) rememberTail(id, s.lastSeq, chain.tail);
      return written;
    },
    async findClientMessage(id, clientMsgId) {
      const [r] = await clientMessageQ(db, { id, clientMsgId });
      return r ? r.seq : null;
    },
    async eventsAfter(id, afterSeq, limit = 1000): Promise<StoredEvent[]> {
      const rows = await eventsAfterQ(db, { id, afterSeq, limit });
      return rows.map((r) => ({
        event: reviveEvent(r.event as TranscriptEvent),
        prevHash: r.prevHash,
        hash: r.hash,
      }));
    },
    async listIdle(before, limit) {
      const rows = await db
        .select(recordColumns)
        .from(interviewSessions)
        .where(
          and(
            // By the (status, ended_at) index: the live sessions, then their last activity on the row.
            inArray(interviewSessions.status, [...LIVE_STATUSES]),
            lt(interviewSessions.lastActivityAt, before),
          ),
        )
        .orderBy(asc(interviewSessions.lastActivityAt))
        .limit(limit);
      return rows.map(toRecord);
    },
  };
}
