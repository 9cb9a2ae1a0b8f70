/**
 * Writing to and verifying the audit chain. `append` must be called inside the transaction that makes the change,
 * so the change and its event commit together or not at all.
 */
import { asc, eq, gt, sql } from 'drizzle-orm';
import type { Clock } from '../deps.js';
import type { Db, Tx } from '../db/index.js';
import { type AuditRecord, type ChainProblem, GENESIS_HASH, hashRecord, verifyRun } from './chain.js';
import { auditEvents, auditHead } from './tables.js';

export interface AuditEventInput {
  actor: string; // user id, 'system', 'integration:<name>' or 'applicant:<invitation>'
  action: string; // e.g. 'user.login', 'case.create'
  entity: string;
  entityId: string;
  /** Never personal data in clear: ids, codes, masked values, hashes. */
  payload?: Record<string, unknown>;
}

export type VerifyResult =
  | { ok: true; count: number; lastSeq: number; lastHash: string }
  | { ok: false; count: number; problem: ChainProblem };

export function createAuditService(deps: { clock: Clock }) {
  async function append(tx: Tx, e: AuditEventInput): Promise<AuditRecord> {
    return (await appendMany(tx, [e]))[0]!;
  }

  /**
   * Appends events in one go, in order, with one lock of the head row (recordings anchored in a batch take it once
   * for all). The events get consecutive seqs; the chain is the same as from one `append` per event.
   */
  async function appendMany(tx: Tx, events: readonly AuditEventInput[]): Promise<AuditRecord[]> {
    if (events.length === 0) return [];
    // The UPDATE takes the head row's lock until commit: appends are serialised, and the seq has no gaps.
    const head = await tx
      .update(auditHead)
      .set({ lastSeq: sql`${auditHead.lastSeq} + ${events.length}` })
      .where(eq(auditHead.id, 1))
      .returning({ lastSeq: auditHead.lastSeq, lastHash: auditHead.lastHash });
    const h = head[0];
    if (!h) throw new Error('audit_head row missing: migrations not applied');
    // Millisecond precision, which PostgreSQL keeps exactly, so the hash recomputes after a round trip.
    const at = new Date(deps.clock.now().getTime());
    let prevHash = h.lastHash;
    const records = events.map((e, i): AuditRecord => {
      const base = {
        seq: h.lastSeq - events.length + 1 + i,
        at,
        actor: e.actor,
        action: e.action,
        entity: e.entity,
        entityId: e.entityId,
        payload: JSON.parse(JSON.stringify(e.payload ?? {})) as unknown,
      };
      const hash = hashRecord(prevHash, base);
      const record = { ...base, prevHash, hash };
      prevHash = hash;
      return record;
    });
    await tx.insert(auditEvents).values(records);
    await tx.update(auditHead).set({ lastHash: prevHash }).where(eq(auditHead.id, 1));
    return records;
  }

  /** Walks the whole chain in pages; reports the first bad sequence number, and a head that does not match. */
  /**
   * Verifies the whole chain and its head in one read-only snapshot (REPEATABLE READ): on a live service an append
   * committing between the read of the rows and the read of the head made the head look ahead of the rows, a false
   * `head_mismatch`.
   */
  async function verify(db: Db, pageSize = 1000): Promise<VerifyResult> {
    return db.transaction((tx) => verifyIn(tx, pageSize), {
      isolationLevel: 'repeatable read',
      accessMode: 'read only',
    });
  }

  async function verifyIn(db: Tx, pageSize: number): Promise<VerifyResult> {
    let state = { lastSeq: 0, lastHash: GENESIS_HASH };
    let count = 0;
    for (;;) {
      const rows = await db
        .select()
        .from(auditEvents)
        .where(gt(auditEvents.seq, state.lastSeq))
        .orderBy(asc(auditEvents.seq))
        .limit(pageSize);
      if (rows.length === 0) break;
      const res = verifyRun(state, rows);
      if (!res.ok) return { ok: false, count, problem: res.problem };
      state = { lastSeq: res.lastSeq, lastHash: res.lastHash };
      count += rows.length;
    }
    const [head] = await db.select().from(auditHead).where(eq(auditHead.id, 1));
    if (!head || head.lastSeq !== state.lastSeq || head.lastHash !== state.lastHash) {
      // Rows deleted from the end leave the head pointing past the last row.
      return { ok: false, count, problem: { seq: state.lastSeq + 1, kind: 'head_mismatch' } };
    }
    return { ok: true, count, ...state };
  }

  return { append, appendMany, verify };
}

export type AuditService = ReturnType<typeof createAuditService>;
