/**
 * What becomes of a scoring job after an attempt: pure, over plain data (the attempt number, the error's kind, the
 * time), so the bounds are tested without a database or a clock.
 */
import { isAppError } from '../../platform/errors.js';

export interface RetryPolicy {
  /** Claims a job may have in all, counting those whose worker died before it finished. */
  maxAttempts: number;
  /** Wait before the second attempt; each later one waits `factor` times longer. */
  firstBackoffMs: number;
  factor: number;
  /** How long a claim holds a job; a worker that dies holding it loses it to the next sweep after this. */
  leaseMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 3,
  firstBackoffMs: 30_000,
  factor: 4,
  leaseMs: 5 * 60_000,
};

/** The error as the job records it: a stable code, and a message only when it is one of ours (no driver text). */
export function failureOf(e: unknown): { code: string; message: string | null; permanent: boolean } {
  if (isAppError(e)) {
    // A 4xx is about the job itself (no such interview, a refused configuration): trying again changes nothing.
    return { code: e.code, message: e.message.slice(0, 500), permanent: e.status < 500 };
  }
  return { code: 'INTERNAL_ERROR', message: null, permanent: false };
}

export type NextStep = { kind: 'retry'; dueAt: Date } | { kind: 'failed' };

/** After attempt `attempt` (1-based) failed: try again after a back-off, or give up for good. */
export function afterFailure(attempt: number, permanent: boolean, now: Date, policy: RetryPolicy): NextStep {
  if (permanent || attempt >= policy.maxAttempts) return { kind: 'failed' };
  const wait = policy.firstBackoffMs * policy.factor ** (attempt - 1);
  return { kind: 'retry', dueAt: new Date(now.getTime() + wait) };
}

/** A claim beyond the bound: every earlier holder died or lost its lease without finishing (a poison job). */
export const exhausted = (attempt: number, policy: RetryPolicy) => attempt > policy.maxAttempts;
