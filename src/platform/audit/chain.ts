/**
 * Pure parts of the audit chain: canonical JSON, the row hash and chain verification. No I/O.
 * hash(n) = sha256( prev_hash(n) + "\n" + canonicalJson({seq, at, actor, action, entity, entityId, payload}) )
 */
import { createHash } from 'node:crypto';

export const GENESIS_HASH = 'GENESIS';

/**
 * JSON with object keys sorted at every level, no whitespace; `undefined` members are dropped as JSON.stringify does.
 * Written with plain loops (no entries/filter/map/join): it hashes every transcript event and a 60 KB question bank
 * per recording, on the interview's hot path.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new TypeError('non-finite number in audit payload');
    return JSON.stringify(value) ?? 'null';
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (i > 0) out += ',';
      out += v === undefined ? 'null' : canonicalJson(v);
    }
    return out + ']';
  }
  const o = value as Record<string, unknown>;
  // The default sort orders by UTF-16 code units, as `a < b` does.
  const keys = Object.keys(o).sort();
  let out = '{';
  let first = true;
  for (const k of keys) {
    const v = o[k];
    if (v === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += JSON.stringify(k) + ':' + canonicalJson(v);
  }
  return out + '}';
}

export interface AuditRecord {
  seq: number;
  at: Date;
  actor: string;
  action: string;
  entity: string;
  entityId: string;
  payload: unknown;
  prevHash: string;
  hash: string;
}

export function hashRecord(prevHash: string, r: Omit<AuditRecord, 'hash' | 'prevHash'>): string {
  const body = canonicalJson({
    seq: r.seq,
    at: r.at.toISOString(),
    actor: r.actor,
    action: r.action,
    entity: r.entity,
    entityId: r.entityId,
    payload: r.payload,
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

export type ChainProblem =
  | { seq: number; kind: 'gap'; expectedSeq: number }
  | { seq: number; kind: 'prev_hash_mismatch' }
  | { seq: number; kind: 'hash_mismatch' }
  | { seq: number; kind: 'head_mismatch' };

/**
 * Verifies a run of consecutive records, given the state after the previous run. Returns the first problem, or the
 * state to continue from. Callers feed pages in order of seq.
 */
export function verifyRun(
  state: { lastSeq: number; lastHash: string },
  records: readonly AuditRecord[],
): { ok: true; lastSeq: number; lastHash: string } | { ok: false; problem: ChainProblem } {
  let { lastSeq, lastHash } = state;
  for (const r of records) {
    if (r.seq !== lastSeq + 1)
      return { ok: false, problem: { seq: r.seq, kind: 'gap', expectedSeq: lastSeq + 1 } };
    if (r.prevHash !== lastHash) return { ok: false, problem: { seq: r.seq, kind: 'prev_hash_mismatch' } };
    if (hashRecord(r.prevHash, r) !== r.hash)
      return { ok: false, problem: { seq: r.seq, kind: 'hash_mismatch' } };
    lastSeq = r.seq;
    lastHash = r.hash;
  }
  return { ok: true, lastSeq, lastHash };
}
