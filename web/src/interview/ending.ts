/**
 * How the chat page closes an interview, from the `end` frame's `reason` — the dialog's end reasons
 * (src/dialog/session/types.ts `EndReason`; docs/ws-protocol.md). The page shows the server's own closing words,
 * which are the ones the recording holds; the kind picks the icon, and the page's fallback text when the socket
 * reported the end without them (a reconnect to an interview already over).
 */
export type EndingKind = 'completed' | 'handed_over' | 'stopped' | 'expired' | 'ended';

const KINDS: Record<string, EndingKind> = {
  doubt_low: 'completed',
  budget_spent: 'completed',
  no_questions: 'completed',
  wants_person: 'handed_over',
  applicant_left: 'stopped',
  refused_all: 'stopped',
  flood: 'stopped',
  abandoned: 'stopped',
  expired: 'expired',
};

/** `null`: the end was learnt without its frame; an unknown reason (a newer server) reads as a plain end. */
export function endingOf(reason: string | null | undefined): EndingKind {
  return (reason && Object.hasOwn(KINDS, reason) ? KINDS[reason] : undefined) ?? 'ended';
}

/** The icon of antd-mobile's Result for each kind. */
export const ENDING_STATUS: Record<EndingKind, 'success' | 'waiting' | 'info' | 'warning'> = {
  completed: 'success',
  handed_over: 'waiting',
  stopped: 'info',
  expired: 'warning',
  ended: 'info',
};
