import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/platform/errors.js';
import {
  DEFAULT_RETRY_POLICY,
  afterFailure,
  exhausted,
  failureOf,
} from '../../../src/scoring/pipeline/index.js';

const now = new Date('2026-03-12T02:00:00Z');
const policy = DEFAULT_RETRY_POLICY;

describe('what becomes of a scoring job after a failed attempt', () => {
  it('gives up at once on an error about the job itself (a 4xx), whatever the attempt', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), (attempt) => {
        expect(afterFailure(attempt, true, now, policy)).toEqual({ kind: 'failed' });
      }),
    );
  });

  it('tries a transient failure again after a growing back-off, and gives up at the bound', () => {
    const waits: number[] = [];
    for (let attempt = 1; attempt < policy.maxAttempts; attempt++) {
      const next = afterFailure(attempt, false, now, policy);
      if (next.kind !== 'retry') throw new Error(`attempt ${attempt} gave up`);
      waits.push(next.dueAt.getTime() - now.getTime());
    }
    expect(waits).toEqual([30_000, 120_000]);
    expect(afterFailure(policy.maxAttempts, false, now, policy)).toEqual({ kind: 'failed' });
  });

  it('never schedules a retry past the bound, for any policy', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 60_000 }),
        (maxAttempts, attempt, firstBackoffMs) => {
          const p = { ...policy, maxAttempts, firstBackoffMs };
          const next = afterFailure(attempt, false, now, p);
          expect(next.kind === 'retry').toBe(attempt < maxAttempts);
          if (next.kind === 'retry') expect(next.dueAt.getTime()).toBeGreaterThan(now.getTime());
        },
      ),
    );
  });

  it('counts a claim beyond the bound as a job no worker survives', () => {
    expect(exhausted(policy.maxAttempts, policy)).toBe(false);
    expect(exhausted(policy.maxAttempts + 1, policy)).toBe(true);
  });

  it('records our own errors with their code and message, and nothing of anyone else’s text', () => {
    expect(failureOf(new AppError('SESSION_NOT_FOUND', 404, 'session not found'))).toEqual({
      code: 'SESSION_NOT_FOUND',
      message: 'session not found',
      permanent: true,
    });
    expect(failureOf(new AppError('KV_UNAVAILABLE', 503, 'down'))).toMatchObject({ permanent: false });
    // A driver's message may quote the row it choked on.
    expect(failureOf(new Error('duplicate key (id_number)=(410…)'))).toEqual({
      code: 'INTERNAL_ERROR',
      message: null,
      permanent: false,
    });
  });
});
