/** JSON encoding of snapshots and events for Redis and the database, with Date fields revived. */
import type { QuestionBank } from '../../questions/types.js';
import type { SessionRecord, SessionSnapshot, TranscriptEvent } from './types.js';

export function reviveSession(s: SessionRecord): SessionRecord {
  return {
    ...s,
    createdAt: new Date(s.createdAt),
    lastActivityAt: new Date(s.lastActivityAt),
    endedAt: s.endedAt ? new Date(s.endedAt) : null,
  };
}

export const reviveEvent = (e: TranscriptEvent): TranscriptEvent => ({ ...e, at: new Date(e.at) });

/** The live state without its question bank, which never changes after the session opens and is kept apart. */
export function encodeSnapshot(s: SessionSnapshot): string {
  const { bank: _bank, ...state } = s.state;
  return JSON.stringify({ ...s, state });
}

/** The inverse of encodeSnapshot; the caller puts the bank back. */
export function decodeSnapshot(text: string, bank: QuestionBank): SessionSnapshot {
  const s = JSON.parse(text) as SessionSnapshot;
  return { ...s, state: { ...s.state, bank }, session: reviveSession(s.session) };
}
