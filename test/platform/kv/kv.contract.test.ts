/**
 * One behavioural suite for every Kv implementation: the in-process store always, Redis when WEIDAI_REDIS_URL is
 * set. Time-dependent cases advance the fake clock on the memory store and sleep for real (short TTLs) on Redis.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'redis';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeClock } from '../../../src/platform/deps.js';
import { createKv, createMemoryKv, createRedisKv } from '../../../src/platform/kv/index.js';
import { redisEndpoint } from '../../../src/platform/kv/redis.js';
import type { Kv, KvErrorHandler } from '../../../src/platform/kv/index.js';

const REDIS_URL = process.env.WEIDAI_REDIS_URL;

interface Harness {
  /** A store; several calls on the Redis harness give separate connections to the same data (other instances). */
  make(opts?: { onError?: KvErrorHandler; fenceTtlMs?: number }): Promise<Kv>;
  /** Lets `ms` of store time pass. */
  advance(ms: number): Promise<void>;
}

/** Polls until `check` passes or two seconds have gone. */
async function eventually(check: () => void, timeoutMs = 2000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await sleep(5);
    }
  }
}

async function rejectionCode(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

/**
 * `harness` is called before each test (a fresh fake clock or key prefix). `shared`: separate `make` calls give
 * views of one store (Redis), so the cross-instance cases apply.
 */
function contract(name: string, { shared }: { shared: boolean }, harness: () => Harness) {
  describe(name, () => {
    let h: Harness;
    const open: Kv[] = [];
    beforeEach(() => {
      h = harness();
    });
    const make = async (opts?: { onError?: KvErrorHandler; fenceTtlMs?: number }) => {
      const kv = await h.make(opts);
      open.push(kv);
      return kv;
    };
    /** Another instance's view of the same data on a shared store; the same store otherwise. */
    const peerOf = async (kv: Kv) => (shared ? make() : kv);
    afterEach(async () => {
      await Promise.all(open.splice(0).map((kv) => kv.close()));
    });

    describe('values', () => {
      it('stores, reads and deletes a value, and reports whether a delete found one', async () => {
        const kv = await make();
        expect(await kv.get('a')).toBeNull();
        await kv.set('a', '甲');
        expect(await kv.get('a')).toBe('甲');
        expect(await kv.del('a')).toBe(true);
        expect(await kv.del('a')).toBe(false);
        expect(await kv.get('a')).toBeNull();
      });

      it('forgets a value after its TTL and not before', async () => {
        const kv = await make();
        await kv.set('t', 'v', { ttlMs: 150 });
        await h.advance(50);
        expect(await kv.get('t')).toBe('v');
        await h.advance(200);
        expect(await kv.get('t')).toBeNull();
        expect(await kv.del('t')).toBe(false);
      });

      it('clears the TTL when a value is set again without one', async () => {
        const kv = await make();
        await kv.set('t', 'v1', { ttlMs: 150 });
        await kv.set('t', 'v2');
        await h.advance(250);
        expect(await kv.get('t')).toBe('v2');
      });

      it('sets if absent only once, and again after the first value expired', async () => {
        const kv = await make();
        expect(await kv.setIfAbsent('once', 'first', { ttlMs: 150 })).toBe(true);
        expect(await kv.setIfAbsent('once', 'second')).toBe(false);
        expect(await kv.get('once')).toBe('first');
        await h.advance(250);
        expect(await kv.setIfAbsent('once', 'third')).toBe(true);
        expect(await kv.get('once')).toBe('third');
      });

      it('lets exactly one of many concurrent setIfAbsent calls win', async () => {
        const kv = await make();
        const wins = await Promise.all(
          Array.from({ length: 20 }, (_, i) => kv.setIfAbsent('race', String(i))),
        );
        expect(wins.filter(Boolean)).toHaveLength(1);
      });

      it('refuses a TTL that is not a positive number with KV_BAD_TTL', async () => {
        const kv = await make();
        expect(await rejectionCode(kv.set('x', 'v', { ttlMs: 0 }))).toBe('KV_BAD_TTL');
        expect(await rejectionCode(kv.set('x', 'v', { ttlMs: -5 }))).toBe('KV_BAD_TTL');
        expect(await rejectionCode(kv.acquireLock('x', Number.NaN))).toBe('KV_BAD_TTL');
      });
    });

    describe('counters', () => {
      it('counts from one and shares the key space of get', async () => {
        const kv = await make();
        expect(await kv.incr('c')).toBe(1);
        expect(await kv.incr('c')).toBe(2);
        expect(await kv.get('c')).toBe('2');
      });

      it('never loses an increment under concurrency', async () => {
        const kv = await make();
        const results = await Promise.all(
          Array.from({ length: 50 }, () => kv.incr('busy', { ttlMs: 10_000 })),
        );
        expect([...results].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      });

      it('keeps a fixed window: later increments do not extend the expiry', async () => {
        const kv = await make();
        expect(await kv.incr('rate', { ttlMs: 150 })).toBe(1);
        await h.advance(100);
        expect(await kv.incr('rate', { ttlMs: 150 })).toBe(2);
        await h.advance(100);
        expect(await kv.incr('rate', { ttlMs: 150 })).toBe(1);
      });

      it('refuses to count on a value that is not an integer with KV_NOT_AN_INTEGER', async () => {
        const kv = await make();
        await kv.set('word', 'hello');
        expect(await rejectionCode(kv.incr('word'))).toBe('KV_NOT_AN_INTEGER');
        expect(await rejectionCode(kv.incr('word', { ttlMs: 1000 }))).toBe('KV_NOT_AN_INTEGER');
      });
    });

    describe('locks', () => {
      it('lets only one of two contenders take a lock', async () => {
        const a = await make();
        const b = await peerOf(a);
        const [la, lb] = await Promise.all([a.acquireLock('case-1', 5000), b.acquireLock('case-1', 5000)]);
        expect([la, lb].filter((l) => l !== null)).toHaveLength(1);
      });

      it('lets only one of many concurrent contenders take a lock', async () => {
        const kv = await make();
        const locks = await Promise.all(Array.from({ length: 10 }, () => kv.acquireLock('hot', 5000)));
        expect(locks.filter((l) => l !== null)).toHaveLength(1);
      });

      it('gives strictly increasing fencing tokens to successive holders', async () => {
        const kv = await make();
        const tokens: number[] = [];
        for (let i = 0; i < 10; i++) {
          const lock = await kv.acquireLock('seq', 5000);
          expect(lock).not.toBeNull();
          tokens.push(lock!.token);
          expect(await lock!.release()).toBe(true);
        }
        for (let i = 1; i < tokens.length; i++) expect(tokens[i]).toBeGreaterThan(tokens[i - 1]!);
      });

      it('keeps locks of different names independent', async () => {
        const kv = await make();
        expect(await kv.acquireLock('one', 5000)).not.toBeNull();
        expect(await kv.acquireLock('two', 5000)).not.toBeNull();
      });

      it('expires a lock whose holder went quiet, and the next holder gets a larger token', async () => {
        const kv = await make();
        const first = await kv.acquireLock('exp', 150);
        expect(await kv.acquireLock('exp', 150)).toBeNull();
        await h.advance(250);
        const second = await kv.acquireLock('exp', 5000);
        expect(second).not.toBeNull();
        expect(second!.token).toBeGreaterThan(first!.token);
        // The stale holder can neither release nor extend the new holder's lock.
        expect(await first!.release()).toBe(false);
        expect(await first!.extend(5000)).toBe(false);
        expect(await kv.acquireLock('exp', 5000)).toBeNull();
        expect(await second!.release()).toBe(true);
      });

      it('forgets the fencing counter of a lock name once its fence TTL has passed since the last holder took it', async () => {
        // One lock per interview: a counter kept for ever would be a key (or a map entry) per interview ever held.
        const kv = await make({ fenceTtlMs: 300 });
        const first = await kv.acquireLock('fence', 100);
        expect(await first!.release()).toBe(true);
        await h.advance(150);
        const second = await kv.acquireLock('fence', 100);
        expect(second!.token).toBe(first!.token + 1);
        expect(await second!.release()).toBe(true);
        await h.advance(450);
        const third = await kv.acquireLock('fence', 100);
        expect(third!.token).toBe(1);
        expect(await third!.release()).toBe(true);
      });

      it('keeps a lock past its first TTL when the holder extends it', async () => {
        const kv = await make();
        const lock = await kv.acquireLock('ext', 150);
        await h.advance(100);
        expect(await lock!.extend(300)).toBe(true);
        await h.advance(100);
        expect(await kv.acquireLock('ext', 150)).toBeNull();
        expect(await lock!.release()).toBe(true);
        expect(await lock!.release()).toBe(false);
        expect(await lock!.extend()).toBe(false);
      });
    });

    describe('pub/sub', () => {
      it('delivers messages in order to every subscriber of the channel and to no other channel', async () => {
        const kv = await make();
        const got1: string[] = [];
        const got2: string[] = [];
        const other: string[] = [];
        await kv.subscribe('turns', (m) => void got1.push(m));
        await kv.subscribe('turns', (m) => void got2.push(m));
        await kv.subscribe('other', (m) => void other.push(m));
        for (const m of ['一', '二', '三']) await kv.publish('turns', m);
        await eventually(() => {
          expect(got1).toEqual(['一', '二', '三']);
          expect(got2).toEqual(['一', '二', '三']);
        });
        expect(other).toEqual([]);
      });

      it('stops delivering to a handler after it unsubscribes, leaving other handlers subscribed', async () => {
        const kv = await make();
        const kept: string[] = [];
        const dropped: string[] = [];
        await kv.subscribe('ch', (m) => void kept.push(m));
        const unsubscribe = await kv.subscribe('ch', (m) => void dropped.push(m));
        await kv.publish('ch', 'before');
        await eventually(() => expect(dropped).toEqual(['before']));
        await unsubscribe();
        await kv.publish('ch', 'after');
        await eventually(() => expect(kept).toEqual(['before', 'after']));
        expect(dropped).toEqual(['before']);
      });

      it('reports a failing handler to onError and still delivers to the others', async () => {
        const errors: unknown[] = [];
        const kv = await make({
          onError: (e, ctx) => void errors.push([ctx.source, ctx.channel, (e as Error).message]),
        });
        const got: string[] = [];
        await kv.subscribe('bad', () => {
          throw new Error('boom');
        });
        await kv.subscribe('bad', async () => Promise.reject(new Error('async boom')));
        await kv.subscribe('bad', (m) => void got.push(m));
        await kv.publish('bad', 'm');
        await eventually(() => {
          expect(got).toEqual(['m']);
          expect(errors).toEqual(
            expect.arrayContaining([
              ['handler', 'bad', 'boom'],
              ['handler', 'bad', 'async boom'],
            ]),
          );
        });
      });
    });

    describe('queues', () => {
      it('hands out items first in, first out, and null when empty without waiting', async () => {
        const kv = await make();
        for (const item of ['a', 'b', 'c']) await kv.enqueue('jobs', item);
        expect(await kv.dequeue('jobs')).toBe('a');
        expect(await kv.dequeue('jobs')).toBe('b');
        expect(await kv.dequeue('jobs')).toBe('c');
        const t0 = Date.now();
        expect(await kv.dequeue('jobs')).toBeNull();
        expect(Date.now() - t0).toBeLessThan(100);
      });

      it('waits for an item enqueued later when given a timeout', async () => {
        const consumer = await make();
        const producer = await peerOf(consumer);
        const pending = consumer.dequeue('later', 2000);
        await sleep(30);
        await producer.enqueue('later', 'x');
        expect(await pending).toBe('x');
      });

      it('gives up with null after the timeout', async () => {
        const kv = await make();
        const t0 = Date.now();
        expect(await kv.dequeue('never', 120)).toBeNull();
        const waited = Date.now() - t0;
        expect(waited).toBeGreaterThanOrEqual(100);
        expect(waited).toBeLessThan(1500);
      });

      it('gives each item to exactly one of several waiting consumers', async () => {
        const kv = await make();
        const waiting = Array.from({ length: 3 }, () => kv.dequeue('shared', 300));
        await sleep(30);
        await kv.enqueue('shared', 'p');
        await kv.enqueue('shared', 'q');
        const results = await Promise.all(waiting);
        expect(results.filter((r) => r !== null).sort()).toEqual(['p', 'q']);
        expect(results.filter((r) => r === null)).toHaveLength(1);
      });
    });

    describe('lifecycle', () => {
      it('answers ping while open and refuses calls with KV_CLOSED after close', async () => {
        const kv = await make();
        await expect(kv.ping()).resolves.toBeUndefined();
        await kv.close();
        expect(await rejectionCode(kv.get('a'))).toBe('KV_CLOSED');
        expect(await rejectionCode(kv.ping())).toBe('KV_CLOSED');
        await kv.close();
      });

      it('resolves a waiting dequeue with null when closed', async () => {
        const kv = await make();
        const pending = kv.dequeue('q', 5000);
        await sleep(30);
        const t0 = Date.now();
        await kv.close();
        expect(await pending).toBeNull();
        expect(Date.now() - t0).toBeLessThan(1000);
      });
    });

    describe.skipIf(!shared)('across instances', () => {
      it('shares values, locks, messages and queues between two instances', async () => {
        const [a, b] = [await make(), await make()];
        await a.set('shared', '1');
        expect(await b.get('shared')).toBe('1');
        const lock = await a.acquireLock('shared', 5000);
        expect(lock).not.toBeNull();
        expect(await b.acquireLock('shared', 5000)).toBeNull();
        const got: string[] = [];
        await b.subscribe('fanout', (m) => void got.push(m));
        await a.publish('fanout', 'hello');
        await eventually(() => expect(got).toEqual(['hello']));
        await a.enqueue('work', 'w');
        expect(await b.dequeue('work')).toBe('w');
      });
    });
  });
}

contract('memory Kv', { shared: false }, () => {
  const clock = fakeClock();
  return {
    // Each make() is a separate store, as each process would have its own; tests needing one store use one.
    make: async (opts) =>
      createMemoryKv({
        clock,
        onError: opts?.onError,
        ...(opts?.fenceTtlMs !== undefined ? { fenceTtlMs: opts.fenceTtlMs } : {}),
      }),
    async advance(ms) {
      clock.advance(ms);
    },
  };
});

describe.skipIf(!REDIS_URL)('Redis Kv', () => {
  const prefix = `weidai-test:${process.pid}:${randomBytes(4).toString('hex')}:`;
  let testNo = 0;
  afterAll(async () => {
    const admin = createClient(redisEndpoint(REDIS_URL!));
    await admin.connect();
    const keys: string[] = [];
    for await (const batch of admin.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) keys.push(...batch);
    if (keys.length > 0) await admin.del(keys);
    await admin.close();
  });

  contract('contract', { shared: true }, () => {
    // A fresh prefix per test, so no test sees another's keys; instances of one test share it.
    const testPrefix = `${prefix}${++testNo}:`;
    return {
      make: (opts) =>
        createRedisKv(REDIS_URL!, {
          prefix: testPrefix,
          onError: opts?.onError,
          ...(opts?.fenceTtlMs !== undefined ? { fenceTtlMs: opts.fenceTtlMs } : {}),
        }),
      advance: (ms) => sleep(ms),
    };
  });
});

describe.skipIf(!REDIS_URL || !process.env.WEIDAI_TEST_REDIS_SOCKET_URL)(
  'Redis Kv over a Unix socket',
  () => {
    it('reaches the same Redis through unix:///path as through redis://', async () => {
      const prefix = `weidai-test-unix:${process.pid}:${randomBytes(4).toString('hex')}:`;
      const viaSocket = await createRedisKv(process.env.WEIDAI_TEST_REDIS_SOCKET_URL!, { prefix });
      const viaTcp = await createRedisKv(REDIS_URL!, { prefix });
      try {
        await viaSocket.set('k', 'v', { ttlMs: 10_000 });
        expect(await viaTcp.get('k')).toBe('v');
        expect(await viaSocket.incr('n', { ttlMs: 10_000 })).toBe(1);
        await viaSocket.del('k');
      } finally {
        await Promise.all([viaSocket.close(), viaTcp.close()]);
      }
    });
  },
);

describe('createKv', () => {
  it('gives the in-process store when no Redis URL is configured', async () => {
    const clock = fakeClock();
    const kv = await createKv({ redisUrl: undefined, clock });
    await kv.set('k', 'v', { ttlMs: 1000 });
    clock.advance(1001);
    expect(await kv.get('k')).toBeNull();
    await kv.close();
  });

  it('refuses an unreachable Redis at start with KV_UNAVAILABLE', async () => {
    expect(await rejectionCode(createRedisKv('redis://127.0.0.1:1', { connectAttempts: 1 }))).toBe(
      'KV_UNAVAILABLE',
    );
  });

  it('refuses a Unix socket with no Redis behind it with KV_UNAVAILABLE', async () => {
    expect(
      await rejectionCode(createRedisKv('unix:///nonexistent/weidai/redis.sock', { connectAttempts: 1 })),
    ).toBe('KV_UNAVAILABLE');
  });
});
