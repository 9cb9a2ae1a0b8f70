/** JSON encoding of snapshots and events for Redis and the database, with Date fields revived. */
import type { BeliefState, FactBelief } from '../belief/types.js';
import type { SessionRecord, TranscriptEvent } from './types.js';

export function reviveSession(s: SessionRecord): SessionRecord {
  return {
    ...s,
    createdAt: new Date(s.createdAt),
    lastActivityAt: new Date(s.lastActivityAt),
    endedAt: s.endedAt ? new Date(s.endedAt) : null,
  };
}

export const reviveEvent = (e: TranscriptEvent): TranscriptEvent => ({ ...e, at: new Date(e.at) });

/**
 * A fact nothing has been learnt about yet, stored as [importance, p]: most of an interview's facts stay so, and
 * written out in full they were two thirds of the snapshot rewritten after every turn. Exact: a belief is packed only
 * when unpacking gives it back field for field.
 */
type PackedFact = [importance: number, p: number];

function untouched(factId: string, importance: number, p: number): FactBelief {
  return {
    factId,
    importance,
    p,
    status: 'unknown',
    confidence: Math.max(p, 1 - p),
    evidence: { consistent: 0, doubtful: 0, contradicted: 0, none: 0 },
    observations: [],
    followUp: 'none',
    contradictionRecorded: false,
    history: [],
  };
}

function isUntouched(f: FactBelief): boolean {
  const e = f.evidence;
  return (
    f.status === 'unknown' &&
    f.confidence === Math.max(f.p, 1 - f.p) &&
    e.consistent === 0 &&
    e.doubtful === 0 &&
    e.contradicted === 0 &&
    e.none === 0 &&
    Object.keys(e).length === 4 &&
    f.observations.length === 0 &&
    f.followUp === 'none' &&
    !f.contradictionRecorded &&
    f.history.length === 0 &&
    Object.keys(f).length === 10
  );
}

export function packBelief(
  b: BeliefState,
): { facts: Record<string, FactBelief | PackedFact> } & Omit<BeliefState, 'facts'> {
  const facts: Record<string, FactBelief | PackedFact> = {};
  for (const [id, f] of Object.entries(b.facts))
    facts[id] = f.factId === id && isUntouched(f) ? [f.importance, f.p] : f;
  return { ...b, facts };
}

/** The inverse of packBelief; a belief stored in full (any snapshot written before packing) is returned as is. */
export function unpackBelief(
  b: { facts: Record<string, FactBelief | PackedFact> } & Omit<BeliefState, 'facts'>,
) {
  const facts: Record<string, FactBelief> = {};
  for (const [id, f] of Object.entries(b.facts)) facts[id] = Array.isArray(f) ? untouched(id, f[0], f[1]) : f;
  return { ...b, facts } as BeliefState;
}
