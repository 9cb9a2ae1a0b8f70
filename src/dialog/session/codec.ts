/** JSON encoding of snapshots and events for Redis and the database, with Date fields revived. */
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

export const encodeSnapshot = (s: SessionSnapshot): string => JSON.stringify(s);

export function decodeSnapshot(text: string): SessionSnapshot {
  const s = JSON.parse(text) as SessionSnapshot;
  return { ...s, session: reviveSession(s.session) };
}
