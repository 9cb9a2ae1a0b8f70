/**
 * Durable storage of interview sessions: the session record, its transcript as an append-only, hash-chained event
 * log, and a snapshot of the live state after every turn. A turn commits its events and snapshot together, only if
 * the snapshot is still at the version the turn started from (optimistic concurrency), so two instances can never
 * both apply a turn. The memory twin serves tests and single-instance runs; store.pg.ts is the database one.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../platform/audit/chain.js';
import type { QuestionBank } from '../../questions/types.js';
import type { SessionRecord, SessionSnapshot, TranscriptEvent } from './types.js';

export interface StoredEvent {
  event: TranscriptEvent;
  prevHash: string;
  hash: string;
}

export interface DialogStore {
  /** Creates the session with its first events and snapshot; false if the invitation already has a session. */
  create(snapshot: SessionSnapshot, events: TranscriptEvent[]): Promise<boolean>;
  getByInvitation(invitationId: string): Promise<SessionRecord | null>;
  get(sessionId: string): Promise<SessionRecord | null>;
  loadSnapshot(sessionId: string): Promise<SessionSnapshot | null>;
  /** The session's question bank alone (it never changes after the session opens). */
  loadBank(sessionId: string): Promise<QuestionBank | null>;
  /**
   * Appends events and replaces the snapshot if the stored version equals `expectedSeq`; returns false (changing
   * nothing) otherwise. Throws DuplicateClientMessage (changing nothing) if an applicant event repeats a client
   * message id already stored for the session.
   */
  commit(
    sessionId: string,
    expectedSeq: number,
    snapshot: SessionSnapshot,
    events: TranscriptEvent[],
  ): Promise<boolean>;
  /** The seq of the applicant event with this client message id, if any. */
  findClientMessage(sessionId: string, clientMsgId: string): Promise<number | null>;
  eventsAfter(sessionId: string, afterSeq: number, limit?: number): Promise<StoredEvent[]>;
  /** Sessions not ended whose last activity is before `before` (for the time-limit sweep). */
  listIdle(before: Date, limit: number): Promise<SessionRecord[]>;
}

export const EVENT_GENESIS = 'GENESIS';

/** A commit carried an applicant message whose client message id the session already has. */
export class DuplicateClientMessage extends Error {
  constructor(readonly sessionId: string) {
    super('duplicate client message id');
    this.name = 'DuplicateClientMessage';
  }
}

/** The per-interview hash chain: each event's hash covers the previous hash and the event's canonical JSON. */
export function chainEvent(prevHash: string, event: TranscriptEvent): StoredEvent {
  const hash = createHash('sha256').update(prevHash).update('\n').update(canonicalJson(event)).digest('hex');
  return { event, prevHash, hash };
}

/** Verifies one interview's chain; returns the first bad seq or null. */
export function verifyEventChain(events: readonly StoredEvent[]): number | null {
  let prev = EVENT_GENESIS;
  let seq = 0;
  for (const e of events) {
    if (e.event.seq !== seq + 1 || e.prevHash !== prev || chainEvent(prev, e.event).hash !== e.hash)
      return e.event.seq;
    prev = e.hash;
    seq = e.event.seq;
  }
  return null;
}

const clone = <T>(v: T): T => structuredClone(v);

export function createMemoryDialogStore(): DialogStore {
  const sessions = new Map<string, SessionRecord>();
  const byInvitation = new Map<string, string>();
  const snapshots = new Map<string, SessionSnapshot>();
  const events = new Map<string, StoredEvent[]>();

  const append = (id: string, list: TranscriptEvent[]) => {
    const log = events.get(id) ?? [];
    for (const e of list) log.push(chainEvent(log.at(-1)?.hash ?? EVENT_GENESIS, clone(e)));
    events.set(id, log);
  };

  return {
    async create(snapshot, first) {
      const s = snapshot.session;
      if (byInvitation.has(s.invitationId)) return false;
      byInvitation.set(s.invitationId, s.id);
      sessions.set(s.id, clone(s));
      snapshots.set(s.id, clone(snapshot));
      append(s.id, first);
      return true;
    },
    async getByInvitation(invitationId) {
      const id = byInvitation.get(invitationId);
      return id ? clone(sessions.get(id)!) : null;
    },
    async get(id) {
      const s = sessions.get(id);
      return s ? clone(s) : null;
    },
    async loadSnapshot(id) {
      const s = snapshots.get(id);
      return s ? clone(s) : null;
    },
    async loadBank(id) {
      const s = snapshots.get(id);
      return s ? clone(s.state.bank) : null;
    },
    async commit(id, expectedSeq, snapshot, list) {
      const current = sessions.get(id);
      if (!current || current.lastSeq !== expectedSeq) return false;
      const stored = new Set(
        (events.get(id) ?? []).flatMap((x) => (x.event.kind === 'applicant' ? [x.event.clientMsgId] : [])),
      );
      if (list.some((e) => e.kind === 'applicant' && stored.has(e.clientMsgId)))
        throw new DuplicateClientMessage(id);
      append(id, list);
      sessions.set(id, clone(snapshot.session));
      snapshots.set(id, clone(snapshot));
      return true;
    },
    async findClientMessage(id, clientMsgId) {
      const e = (events.get(id) ?? []).find(
        (x) => x.event.kind === 'applicant' && x.event.clientMsgId === clientMsgId,
      );
      return e ? e.event.seq : null;
    },
    async eventsAfter(id, afterSeq, limit = 1000) {
      return clone((events.get(id) ?? []).filter((e) => e.event.seq > afterSeq).slice(0, limit));
    },
    async listIdle(before, limit) {
      return [...sessions.values()]
        .filter((s) => !['completed', 'abandoned', 'expired'].includes(s.status) && s.lastActivityAt < before)
        .slice(0, limit)
        .map(clone);
    },
  };
}
