/**
 * Asking one provider about one subject, once and cheaply: a cached answer within the category's validity
 * window is reused; concurrent requests for the same provider and subject make one upstream call (an in-process
 * promise map, and across instances a kv lock whose holder fetches while the others wait for the cached value);
 * each attempt has a timeout; health failures are retried with exponential backoff and full jitter (AWS
 * Architecture Blog, "Exponential Backoff and Jitter", 2015) and counted by the circuit breaker.
 *
 * Cache values and raw payloads are encrypted (they hold personal data); cache keys carry only a keyed hash of the
 * subject.
 */
import type { FieldCipher } from '../platform/crypto.js';
import type { Clock, Rng } from '../platform/deps.js';
import type { Kv } from '../platform/kv/index.js';
import type { Breaker } from './breaker.js';
import { factsOf } from './catalogue.js';
import { subjectText } from './subject.js';
import {
  type Category,
  type ConsentRef,
  type FactValue,
  type Provider,
  ProviderFailure,
  type ProviderFailureCode,
  type ProviderOutcome,
  type Subject,
} from './types.js';

export interface FetcherOptions {
  /** Validity window of a cached answer per category, ms. */
  validityMs: Record<Category, number>;
  /** A cached answer lives validity × (1 − ttlJitter × U[0,1)): never beyond the window, never all at once. */
  ttlJitter: number;
  defaultTimeoutMs: number;
  /** Retries after the first attempt, for retryable failures. */
  retries: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** How often a waiting instance looks for the leader's answer. */
  pollMs: number;
  /** How long a leader's failure stays visible to the instances that waited for it. */
  failureShareMs: number;
}

export const DEFAULT_FETCHER: Omit<FetcherOptions, 'validityMs'> = {
  ttlJitter: 0.1,
  defaultTimeoutMs: 3000,
  retries: 2,
  backoffBaseMs: 100,
  backoffMaxMs: 2000,
  pollMs: 20,
  failureShareMs: 2000,
};

export interface FetcherDeps {
  kv: Kv;
  clock: Clock;
  cipher: FieldCipher;
  rng: Rng;
  breaker: Breaker;
  /** Waits between retries and polls (tests pass a fake). */
  sleep?: (ms: number) => Promise<void>;
  /** A monotonic millisecond counter for latency. */
  monotonic?: () => number;
  options: FetcherOptions;
}

/** Failures that say the partner is unwell: retried, and counted by the breaker. */
const HEALTH_FAILURES: ReadonlySet<ProviderFailureCode> = new Set([
  'TIMEOUT',
  'NETWORK',
  'UPSTREAM_5XX',
  'MALFORMED',
]);
const RETRYABLE: ReadonlySet<ProviderFailureCode> = new Set(['TIMEOUT', 'NETWORK', 'UPSTREAM_5XX']);

const CACHE_CONTEXT = 'screening.cache';
export const RAW_CONTEXT = 'screening.raw';

interface CachedAnswer {
  status: 'ok' | 'no_record';
  facts: Record<string, FactValue | null>;
  fetchedAt: string;
  expiresAt: number;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function createFetcher(deps: FetcherDeps) {
  const { kv, clock, cipher, rng, breaker, options: o } = deps;
  const sleep = deps.sleep ?? realSleep;
  const monotonic = deps.monotonic ?? (() => performance.now());
  const flights = new Map<string, Promise<ProviderOutcome>>();
  let upstreamCalls = 0;

  const keyOf = (p: Provider, s: Subject) => `${p.id}:${cipher.lookupHash(subjectText(s))}`;
  const timeoutOf = (p: Provider) => p.timeoutMs ?? o.defaultTimeoutMs;
  /** Longest a leader can hold the flight: every attempt timing out plus the largest backoffs, and a margin. */
  const flightTtl = (p: Provider) => timeoutOf(p) * (o.retries + 1) + o.backoffMaxMs * o.retries + 1000;

  async function readCache(key: string): Promise<CachedAnswer | null> {
    const token = await kv.get(`screening:cache:${key}`);
    if (token === null) return null;
    try {
      const c = JSON.parse(cipher.decrypt(token, CACHE_CONTEXT)) as CachedAnswer;
      return c.expiresAt > clock.now().getTime() ? c : null;
    } catch {
      // A value written under a retired key or damaged: a miss, and it will be overwritten.
      return null;
    }
  }

  async function writeCache(key: string, p: Provider, out: ProviderOutcome) {
    const ttl = Math.max(1, Math.floor(o.validityMs[p.category] * (1 - o.ttlJitter * rng.next())));
    const value: CachedAnswer = {
      status: out.status as 'ok' | 'no_record',
      facts: out.facts,
      fetchedAt: (out.fetchedAt ?? clock.now()).toISOString(),
      expiresAt: clock.now().getTime() + ttl,
    };
    await kv.set(`screening:cache:${key}`, cipher.encrypt(JSON.stringify(value), CACHE_CONTEXT), {
      ttlMs: ttl,
    });
  }

  const hit = (p: Provider, c: CachedAnswer, started: number): ProviderOutcome => ({
    provider: p.id,
    category: p.category,
    status: c.status,
    facts: c.facts,
    rawEnc: null,
    latencyMs: Math.round(monotonic() - started),
    costFen: 0,
    cacheHit: true,
    attempts: 0,
    fetchedAt: new Date(c.fetchedAt),
    error: null,
  });

  const failed = (
    p: Provider,
    f: { code: ProviderFailureCode; message: string },
    started: number,
    attempts: number,
    rawEnc: string | null,
  ): ProviderOutcome => ({
    provider: p.id,
    category: p.category,
    status: 'failed',
    facts: {},
    rawEnc,
    latencyMs: Math.round(monotonic() - started),
    costFen: 0,
    cacheHit: false,
    attempts,
    fetchedAt: null,
    error: { code: f.code, message: f.message },
  });

  /** Only the provider's own category's facts are taken: a provider cannot write another source's facts. */
  function ownFacts(p: Provider, facts: Record<string, FactValue | null>) {
    const out: Record<string, FactValue | null> = {};
    for (const d of factsOf(p.category)) if (d.key in facts) out[d.key] = facts[d.key] ?? null;
    return out;
  }

  async function attempt(p: Provider, subject: Subject, consent: ConsentRef) {
    const ac = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const f = new ProviderFailure('TIMEOUT', `No answer within ${timeoutOf(p)} ms`);
        ac.abort(f);
        reject(f);
      }, timeoutOf(p));
    });
    try {
      upstreamCalls++;
      // The race stops waiting even for a provider that ignores the abort signal.
      return await Promise.race([
        p.query(subject, { consent, signal: ac.signal, asOf: clock.now() }),
        timedOut,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  async function callUpstream(p: Provider, subject: Subject, consent: ConsentRef, started: number) {
    let attempts = 0;
    let last: ProviderFailure = new ProviderFailure('PROVIDER_ERROR', 'not attempted');
    for (let i = 0; i <= o.retries; i++) {
      const admission = await breaker.admit(p.id);
      if (!admission.allowed) {
        last = new ProviderFailure('BREAKER_OPEN', `The circuit breaker of ${p.id} is ${admission.state}`);
        break;
      }
      attempts++;
      try {
        const answer = await attempt(p, subject, consent);
        await breaker.success(p.id, admission.probe);
        const out: ProviderOutcome = {
          provider: p.id,
          category: p.category,
          status: answer.status,
          facts: ownFacts(p, answer.facts),
          rawEnc: cipher.encrypt(JSON.stringify(answer.raw ?? null), RAW_CONTEXT),
          latencyMs: Math.round(monotonic() - started),
          costFen: p.costFen,
          cacheHit: false,
          attempts,
          fetchedAt: clock.now(),
          error: null,
        };
        return out;
      } catch (e) {
        last =
          e instanceof ProviderFailure
            ? e
            : new ProviderFailure('PROVIDER_ERROR', e instanceof Error ? e.message : String(e));
        if (HEALTH_FAILURES.has(last.code)) await breaker.failure(p.id, admission.probe);
        else await breaker.success(p.id, admission.probe);
        if (!RETRYABLE.has(last.code) || i === o.retries) break;
        const cap = Math.min(o.backoffMaxMs, o.backoffBaseMs * 2 ** i);
        await sleep(Math.floor(cap * rng.next()));
      }
    }
    const rawEnc = last.raw === undefined ? null : cipher.encrypt(JSON.stringify(last.raw), RAW_CONTEXT);
    return failed(p, last, started, attempts, rawEnc);
  }

  /** The cross-instance flight: take the kv lock and fetch, or wait for the holder's cached answer. */
  async function fly(p: Provider, subject: Subject, consent: ConsentRef, key: string, started: number) {
    const lockName = `screening:flight:${key}`;
    const failKey = `screening:flight_failed:${key}`;
    const deadline = started + flightTtl(p) * 2;
    for (let waited = false; ; waited = true) {
      const cached = await readCache(key);
      if (cached) return hit(p, cached, started);
      if (waited) {
        // Checked before the lock: a leader that failed has released it, and its waiters must not each retry.
        const shared = await kv.get(failKey);
        if (shared !== null) {
          const err = JSON.parse(shared) as { code: ProviderFailureCode; message: string };
          return failed(p, err, started, 0, null);
        }
      }
      const lock = await kv.acquireLock(lockName, flightTtl(p));
      if (lock) {
        try {
          const again = await readCache(key);
          if (again) return hit(p, again, started);
          await kv.del(failKey);
          const out = await callUpstream(p, subject, consent, started);
          if (out.status === 'failed') {
            await kv.set(failKey, JSON.stringify(out.error), { ttlMs: o.failureShareMs });
          } else {
            await writeCache(key, p, out);
          }
          return out;
        } finally {
          await lock.release().catch(() => false);
        }
      }
      if (monotonic() > deadline) {
        return failed(
          p,
          { code: 'TIMEOUT', message: 'Waited too long for another instance' },
          started,
          0,
          null,
        );
      }
      // A real timer, whatever `sleep` is: the other instance needs the event loop to make progress.
      await realSleep(o.pollMs);
    }
  }

  /** The provider's answer about `subject`, from the cache, a flight in progress, or upstream. */
  async function fetchOne(p: Provider, subject: Subject, consent: ConsentRef): Promise<ProviderOutcome> {
    const started = monotonic();
    const key = keyOf(p, subject);
    const inFlight = flights.get(key);
    if (inFlight) {
      const shared = await inFlight;
      // The caller who started the flight pays; joiners are served as from the cache.
      return shared.status === 'failed'
        ? { ...shared, rawEnc: null, attempts: 0, latencyMs: Math.round(monotonic() - started) }
        : {
            ...shared,
            rawEnc: null,
            attempts: 0,
            cacheHit: true,
            costFen: 0,
            latencyMs: Math.round(monotonic() - started),
          };
    }
    const flight = fly(p, subject, consent, key, started).finally(() => flights.delete(key));
    flights.set(key, flight);
    return flight;
  }

  return {
    fetch: fetchOne,
    /** Upstream attempts made by this instance since it was created (for benchmarks and tests). */
    upstreamCalls: () => upstreamCalls,
  };
}

export type Fetcher = ReturnType<typeof createFetcher>;
