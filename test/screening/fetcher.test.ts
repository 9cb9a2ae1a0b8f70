/**
 * The fetcher and the breaker on the kv alone (in-process, or Redis when WEIDAI_REDIS_URL is set): cache reuse and
 * validity with jitter, single-flight within and across instances, retries, timeouts and the circuit breaker on a
 * fake clock.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFieldCipher } from '../../src/platform/crypto.js';
import { fakeClock, seededRng } from '../../src/platform/deps.js';
import type { Kv } from '../../src/platform/kv/index.js';
import { createBreaker } from '../../src/screening/breaker.js';
import { DEFAULT_VALIDITY_MS } from '../../src/screening/catalogue.js';
import { DEFAULT_FETCHER, createFetcher, type FetcherOptions } from '../../src/screening/fetcher.js';
import { createSandboxProvider } from '../../src/screening/providers/sandbox.js';
import { type ConsentRef, type Provider, ProviderFailure } from '../../src/screening/types.js';
import { SUBJECT, START, counting, subjectN, testKv } from './helper.js';

const cipher = createFieldCipher(Buffer.alloc(32, 7));
const clock = fakeClock(START);
const consent: ConsentRef = { consentId: 'c1', grantedAt: START, expiresAt: null };
let kv: Kv;
let n = 0;

beforeAll(async () => {
  kv = await testKv(clock);
});
afterAll(async () => kv.close());

function fetcher(opts: Partial<FetcherOptions> = {}, breakerOpts = {}, sleeps: number[] = []) {
  const breaker = createBreaker({ kv, clock, options: breakerOpts });
  return {
    breaker,
    f: createFetcher({
      kv,
      clock,
      cipher,
      rng: seededRng(++n),
      breaker,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      options: { ...DEFAULT_FETCHER, validityMs: DEFAULT_VALIDITY_MS, ...opts },
    }),
  };
}

/** A sandbox provider under an id of its own, so tests do not share caches or breakers. */
const sandbox = (category: Parameters<typeof createSandboxProvider>[0] = 'credit') =>
  createSandboxProvider(category, { idPrefix: `f${++n}` });

describe('cache', () => {
  it('reuses an answer within the validity window and asks again after it', async () => {
    const c = counting(sandbox('court'));
    const { f } = fetcher();
    clock.set(START);
    const first = await f.fetch(c.provider, SUBJECT, consent);
    expect(first).toMatchObject({ status: 'ok', cacheHit: false, costFen: 100, attempts: 1 });
    clock.advance(DEFAULT_VALIDITY_MS.court * 0.9 - 1);
    const again = await f.fetch(c.provider, SUBJECT, consent);
    expect(again).toMatchObject({ cacheHit: true, costFen: 0, attempts: 0, facts: first.facts });
    expect(again.fetchedAt).toEqual(first.fetchedAt);
    clock.advance(DEFAULT_VALIDITY_MS.court * 0.1 + 2);
    expect((await f.fetch(c.provider, SUBJECT, consent)).cacheHit).toBe(false);
    expect(c.calls).toBe(2);
  });

  it('expires every answer between (1 − jitter) × validity and the validity, whatever the draw', async () => {
    await fc.assert(
      fc.asyncProperty(fc.double({ min: 0.01, max: 0.5, noNaN: true }), async (jitter) => {
        const p = sandbox('tax');
        const { f } = fetcher({ ttlJitter: jitter });
        clock.set(START);
        await f.fetch(p, SUBJECT, consent);
        const v = DEFAULT_VALIDITY_MS.tax;
        clock.advance(Math.floor(v * (1 - jitter)) - 1);
        expect((await f.fetch(p, SUBJECT, consent)).cacheHit).toBe(true);
        clock.set(new Date(START.getTime() + v));
        expect((await f.fetch(p, SUBJECT, consent)).cacheHit).toBe(false);
      }),
      { numRuns: 15 },
    );
  });

  it('keeps cached facts encrypted in the kv', async () => {
    const p = sandbox('credit');
    const { f } = fetcher();
    clock.set(START);
    await f.fetch(p, SUBJECT, consent);
    const hash = cipher.lookupHash(
      [SUBJECT.idNumber, SUBJECT.name, SUBJECT.mobile, SUBJECT.uscc].join('\u0001'),
    );
    const stored = await kv.get(`screening:cache:${p.id}:${hash}`);
    expect(stored).toMatch(/^v1\./);
    expect(stored).not.toContain('overdue');
  });
});

describe('single flight', () => {
  it('makes one upstream call for 20 concurrent requests on one instance', async () => {
    const c = counting(sandbox('multilender'), { delayMs: 40 });
    const { f } = fetcher();
    const outs = await Promise.all(
      Array.from({ length: 20 }, () => f.fetch(c.provider, subjectN(5), consent)),
    );
    expect(c.calls).toBe(1);
    expect(outs.filter((o) => !o.cacheHit)).toHaveLength(1);
    expect(outs.reduce((a, o) => a + o.costFen, 0)).toBe(100);
    expect(new Set(outs.map((o) => JSON.stringify(o.facts))).size).toBe(1);
  });

  it('makes one upstream call for 20 concurrent requests spread over 5 instances', async () => {
    const c = counting(sandbox('risk_score'), { delayMs: 60 });
    const instances = Array.from({ length: 5 }, () => fetcher().f);
    const outs = await Promise.all(
      Array.from({ length: 20 }, (_, i) => instances[i % 5]!.fetch(c.provider, subjectN(6), consent)),
    );
    expect(c.calls).toBe(1);
    expect(outs.filter((o) => !o.cacheHit)).toHaveLength(1);
    expect(outs.every((o) => o.status === 'ok')).toBe(true);
  });

  it('shares a leader’s failure with the instances that waited instead of calling again', async () => {
    const c = counting(sandbox('court'), {
      delayMs: 40,
      fail: () => new ProviderFailure('UPSTREAM_4XX', 'bad request'),
    });
    const instances = Array.from({ length: 4 }, () => fetcher().f);
    const outs = await Promise.all(instances.map((f) => f.fetch(c.provider, subjectN(7), consent)));
    expect(c.calls).toBe(1);
    expect(outs.every((o) => o.status === 'failed' && o.error?.code === 'UPSTREAM_4XX')).toBe(true);
  });
});

describe('resilience', () => {
  it('retries a 5xx twice with exponential backoff and full jitter, then reports the failure', async () => {
    const sleeps: number[] = [];
    const c = counting(sandbox('tax'), {
      fail: () => new ProviderFailure('UPSTREAM_5XX', 'bad gateway', '<html>502</html>'),
    });
    const { f } = fetcher({}, { failureThreshold: 100 }, sleeps);
    const out = await f.fetch(c.provider, SUBJECT, consent);
    expect(out).toMatchObject({ status: 'failed', attempts: 3, costFen: 0, error: { code: 'UPSTREAM_5XX' } });
    expect(cipher.decrypt(out.rawEnc!, 'screening.raw')).toContain('502');
    expect(c.calls).toBe(3);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[0]).toBeLessThan(100);
    expect(sleeps[1]).toBeLessThan(200);
  });

  it('does not retry an answer about another subject', async () => {
    const c = counting(sandbox('tax'), { fail: () => new ProviderFailure('SUBJECT_MISMATCH', 'other') });
    const { f } = fetcher();
    expect((await f.fetch(c.provider, SUBJECT, consent)).attempts).toBe(1);
  });

  it('gives up on a provider that never answers after its timeout, on every attempt', async () => {
    let calls = 0;
    const hang: Provider = {
      id: `hang${++n}`,
      category: 'court',
      costFen: 100,
      timeoutMs: 50,
      query: () => {
        calls++;
        return new Promise(() => undefined);
      },
    };
    const { f } = fetcher({ retries: 1 }, { failureThreshold: 100 });
    const t0 = performance.now();
    const out = await f.fetch(hang, SUBJECT, consent);
    expect(out).toMatchObject({ status: 'failed', attempts: 2, error: { code: 'TIMEOUT' } });
    expect(calls).toBe(2);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('keeps only the provider’s own category’s facts', async () => {
    const liar: Provider = {
      id: `liar${++n}`,
      category: 'mobile',
      costFen: 30,
      query: async () => ({
        status: 'ok',
        facts: { 'mobile.number_age_months': 40, 'court.dishonest_records': 0, 'made.up': 1 },
        raw: {},
      }),
    };
    const { f } = fetcher();
    expect((await f.fetch(liar, SUBJECT, consent)).facts).toEqual({ 'mobile.number_age_months': 40 });
  });
});

describe('circuit breaker', () => {
  it('opens after consecutive failures, refuses without calling, half-opens after openMs and closes on a good probe', async () => {
    let down = true;
    const c = counting(sandbox('identity'), {
      fail: () => (down ? new ProviderFailure('UPSTREAM_5XX', 'down') : null),
    });
    const { f, breaker } = fetcher({ retries: 0 }, { failureThreshold: 3, openMs: 10_000 });
    clock.set(START);
    for (let i = 0; i < 3; i++) await f.fetch(c.provider, subjectN(100 + i), consent);
    expect(await breaker.state(c.provider.id)).toBe('open');
    const refused = await f.fetch(c.provider, subjectN(110), consent);
    expect(refused).toMatchObject({ status: 'failed', attempts: 0, error: { code: 'BREAKER_OPEN' } });
    expect(c.calls).toBe(3);

    clock.advance(10_000);
    expect(await breaker.state(c.provider.id)).toBe('half_open');
    // A failed probe opens it again for another openMs.
    await f.fetch(c.provider, subjectN(111), consent);
    expect(c.calls).toBe(4);
    expect(await breaker.state(c.provider.id)).toBe('open');

    clock.advance(10_000);
    down = false;
    const probe = await f.fetch(c.provider, subjectN(112), consent);
    expect(probe.status).toBe('ok');
    expect(await breaker.state(c.provider.id)).toBe('closed');
    expect((await f.fetch(c.provider, subjectN(113), consent)).status).toBe('ok');
  });

  it('lets one probe through in half-open state, across instances', async () => {
    const c = counting(sandbox('bank'), { delayMs: 30 });
    const a = fetcher({ retries: 0 }, { failureThreshold: 1, openMs: 1000 });
    const b = fetcher({ retries: 0 }, { failureThreshold: 1, openMs: 1000 });
    clock.set(START);
    await a.breaker.failure(c.provider.id, false);
    clock.advance(1000);
    const outs = await Promise.all([
      a.f.fetch(c.provider, subjectN(200), consent),
      b.f.fetch(c.provider, subjectN(201), consent),
    ]);
    expect(c.calls).toBe(1);
    expect(outs.map((o) => o.error?.code ?? 'ok').sort()).toEqual(['BREAKER_OPEN', 'ok']);
    expect(await a.breaker.state(c.provider.id)).toBe('closed');
  });

  it('shares its state between instances through the kv', async () => {
    const id = `shared${++n}`;
    const one = createBreaker({ kv, clock, options: { failureThreshold: 2, openMs: 5000 } });
    const two = createBreaker({ kv, clock, options: { failureThreshold: 2, openMs: 5000 } });
    clock.set(START);
    await one.failure(id, false);
    await two.failure(id, false);
    expect(await one.state(id)).toBe('open');
    expect((await two.admit(id)).allowed).toBe(false);
  });
});
