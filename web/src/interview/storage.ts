/**
 * What the applicant's page keeps in sessionStorage so a reload (or a WebView that is killed and restored) resumes
 * where it was: the interview session token, the protocol's resume state and the transcript shown so far. It lives
 * only as long as the tab; it is keyed by the invitation link token, which is in the address already.
 */
import type { ConsentText } from '../api/invitations.js';
import type { Choice, PendingAnswer } from './wsClient.js';

export type ChatItem =
  | { kind: 'bot'; seq: number; text: string; choices?: Choice[] }
  | { kind: 'me'; clientMsgId: string; text: string; acked: boolean };

export interface StoredInterview {
  sessionToken: string;
  stage: 'consents' | 'chat' | 'ended';
  bankName?: string;
  consentTexts?: ConsentText[];
  lastSeq: number;
  pending: PendingAnswer[];
  transcript: ChatItem[];
  end?: { reason: string; text: string };
}

/** Enough for any interview; older lines are dropped first so storage never overflows. */
const MAX_TRANSCRIPT = 400;

const keyOf = (linkToken: string) => `weidai.interview.${linkToken}`;

export function loadInterview(linkToken: string): StoredInterview | undefined {
  try {
    const raw = sessionStorage.getItem(keyOf(linkToken));
    if (!raw) return undefined;
    const v = JSON.parse(raw) as StoredInterview;
    return typeof v.sessionToken === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

export function saveInterview(linkToken: string, v: StoredInterview): void {
  try {
    const transcript = v.transcript.slice(-MAX_TRANSCRIPT);
    sessionStorage.setItem(keyOf(linkToken), JSON.stringify({ ...v, transcript }));
  } catch {
    // Storage full or disabled: the interview goes on; only a reload would lose the transcript shown so far.
  }
}

export function clearInterview(linkToken: string): void {
  try {
    sessionStorage.removeItem(keyOf(linkToken));
  } catch {
    // Nothing to clear.
  }
}
