/**
 * A circuit breaker per provider (closed → open → half-open → closed, after Nygard, "Release It!", ch. 5), with its
 * state in the key-value store so every instance sees the same breaker. Time comes from the injected clock: the
 * "open until" instant is stored as a value, not as a TTL, so a fake clock drives it in tests on Redis too.
 *
 * - closed: calls pass; `failureThreshold` consecutive health failures open it.
 * - open: calls are refused at once until `openMs` has passed.
 * - half-open: one probe call passes (a kv `setIfAbsent` elects it across instances); its success closes the
 *   breaker, its failure opens it again for another `openMs`.
 */
import type { Clock } from '../platform/deps.js';
import type { Kv } from '../platform/kv/index.js';

export interface BreakerOptions {
  failureThreshold: number;
  openMs: number;
  /** How long an elected probe may take before another instance may probe (real time, a kv TTL). */
  probeTtlMs: number;
  /** Consecutive failures further apart than this do not add up (real time, a kv TTL). */
  failureWindowMs: number;
}

export const DEFAULT_BREAKER: BreakerOptions = {
  failureThreshold: 5,
  openMs: 30_000,
  probeTtlMs: 15_000,
  failureWindowMs: 120_000,
};

export type BreakerState = 'closed' | 'open' | 'half_open';

export type Admission = { allowed: true; probe: boolean } | { allowed: false; state: 'open' | 'half_open' };

export function createBreaker(deps: { kv: Kv; clock: Clock; options?: Partial<BreakerOptions> }) {
  const { kv, clock } = deps;
  const o = { ...DEFAULT_BREAKER, ...deps.options };
  const key = (id: string, part: 'open_until' | 'failures' | 'probe') => `screening:breaker:${id}:${part}`;
  const now = () => clock.now().getTime();

  async function openUntil(id: string): Promise<number | null> {
    const v = await kv.get(key(id, 'open_until'));
    return v === null ? null : Number(v);
  }

  async function open(id: string) {
    await kv.set(key(id, 'open_until'), String(now() + o.openMs));
    await kv.del(key(id, 'failures'));
  }

  return {
    options: o,

    async state(id: string): Promise<BreakerState> {
      const until = await openUntil(id);
      if (until === null) return 'closed';
      return now() < until ? 'open' : 'half_open';
    },

    async admit(id: string): Promise<Admission> {
      const until = await openUntil(id);
      if (until === null) return { allowed: true, probe: false };
      if (now() < until) return { allowed: false, state: 'open' };
      const elected = await kv.setIfAbsent(key(id, 'probe'), '1', { ttlMs: o.probeTtlMs });
      return elected ? { allowed: true, probe: true } : { allowed: false, state: 'half_open' };
    },

    async success(id: string, probe: boolean) {
      await kv.del(key(id, 'failures'));
      if (probe) {
        await kv.del(key(id, 'open_until'));
        await kv.del(key(id, 'probe'));
      }
    },

    async failure(id: string, probe: boolean) {
      if (probe) {
        await open(id);
        await kv.del(key(id, 'probe'));
        return;
      }
      const n = await kv.incr(key(id, 'failures'), { ttlMs: o.failureWindowMs });
      if (n >= o.failureThreshold) await open(id);
    },
  };
}

export type Breaker = ReturnType<typeof createBreaker>;
