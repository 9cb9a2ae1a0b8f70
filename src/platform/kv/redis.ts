/**
 * The Redis store (node-redis 5). One connection for commands, one made on first `subscribe` for pub/sub (a
 * subscribed connection can run nothing else), and a small set of connections for blocking dequeues (BRPOP holds
 * its connection until it returns). Locks follow the single-instance Redis lock pattern (SET NX PX, compare-and-
 * delete in Lua) with an INCR-ed fencing token; the lock key and its fence share a hash tag so the scripts also run
 * on Redis Cluster.
 */
import { createClient } from 'redis';
import { isAppError } from '../errors.js';
import {
  checkTtl,
  defaultKvErrorHandler,
  deliver,
  kvClosed,
  kvNotAnInteger,
  kvUnavailable,
} from './errors.js';
import { FENCE_TTL_MS, type Kv, type KvErrorHandler, type Lock } from './types.js';

export interface RedisKvOptions {
  /** Prepended to every key and channel, so tests and several deployments can share one Redis. */
  prefix?: string;
  onError?: KvErrorHandler;
  /** How long `ping` waits for an answer. */
  pingTimeoutMs?: number;
  /** Connection attempts before start-up gives up (after start-up, reconnection never gives up). */
  connectAttempts?: number;
  /** How long a lock name's fencing counter outlives its latest acquisition (default FENCE_TTL_MS; tests shorten it). */
  fenceTtlMs?: number;
}

type Client = ReturnType<typeof createClient>;

/** INCR, and set the expiry only if the counter has none: a fixed window that later increments do not stretch. */
const INCR_WITH_TTL = `
local v = redis.call('INCR', KEYS[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return v`;

/**
 * Take the lock if free; the fence is incremented only for a winner, so tokens of holders are dense. The fence
 * lives ARGV[2] ms after the latest acquisition (FENCE_TTL_MS), so a lock per interview leaves no key for ever.
 */
const ACQUIRE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local t = redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
redis.call('SET', KEYS[1], t, 'PX', ARGV[1])
return t`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

const EXTEND = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

const isNotIntegerError = (e: unknown) => e instanceof Error && /not an integer/i.test(e.message);

/**
 * Where the client connects: `redis://` / `rediss://` URLs as they are; `unix:///path/to/redis.sock` reaches a Redis
 * on the same host through its Unix socket (no TCP stack on either side), database 0.
 */
export function redisEndpoint(url: string): { url: string } | { socket: { path: string; tls: false } } {
  return url.startsWith('unix://') ? { socket: { path: new URL(url).pathname, tls: false } } : { url };
}

/** Connects to `url` and returns the store; rejects with `KV_UNAVAILABLE` if Redis cannot be reached at start. */
export async function createRedisKv(url: string, options: RedisKvOptions = {}): Promise<Kv> {
  const {
    prefix = 'weidai:',
    onError = defaultKvErrorHandler,
    pingTimeoutMs = 2000,
    connectAttempts = 5,
    fenceTtlMs = FENCE_TTL_MS,
  } = options;
  let everConnected = false;
  let closed = false;

  const endpoint = redisEndpoint(url);
  const client: Client = createClient({
    ...('url' in endpoint ? { url } : {}),
    socket: {
      ...('socket' in endpoint ? endpoint.socket : {}),
      connectTimeout: 5000,
      reconnectStrategy: (retries, cause) =>
        !everConnected && retries >= connectAttempts - 1 ? cause : Math.min(50 * 2 ** retries, 2000),
    },
  });
  client.on('error', (err: unknown) => {
    if (everConnected) onError(err, { source: 'connection' });
  });
  try {
    await client.connect();
    everConnected = true;
  } catch (e) {
    // A refused first connection leaves the client closed already; destroy only one still retrying.
    if (client.isOpen) client.destroy();
    throw kvUnavailable(e);
  }

  let subscriber: Promise<Client> | null = null;
  const idleBlocking: Client[] = [];
  const busyBlocking = new Set<Client>();

  const k = {
    value: (key: string) => `${prefix}v:${key}`,
    queue: (name: string) => `${prefix}q:${name}`,
    channel: (name: string) => `${prefix}ch:${name}`,
    lock: (name: string) => `${prefix}lock:{${name}}`,
    fence: (name: string) => `${prefix}lock:{${name}}:fence`,
  };
  const open = () => {
    if (closed) throw kvClosed();
  };

  async function duplicateConnected(): Promise<Client> {
    const c = client.duplicate();
    c.on('error', (err: unknown) => onError(err, { source: 'connection' }));
    await c.connect();
    return c;
  }

  async function withBlockingClient<T>(fn: (c: Client) => Promise<T>): Promise<T> {
    const c = idleBlocking.pop() ?? (await duplicateConnected());
    busyBlocking.add(c);
    try {
      return await fn(c);
    } finally {
      busyBlocking.delete(c);
      if (closed) c.destroy();
      else idleBlocking.push(c);
    }
  }

  const evalNumber = async (script: string, keys: string[], args: string[]) =>
    Number(await client.eval(script, { keys, arguments: args }));

  return {
    async get(key) {
      open();
      return client.get(k.value(key));
    },

    async set(key, value, opts = {}) {
      open();
      const ttl = checkTtl(opts.ttlMs);
      await client.set(k.value(key), value, ttl ? { expiration: { type: 'PX', value: ttl } } : undefined);
    },

    async setIfAbsent(key, value, opts = {}) {
      open();
      const ttl = checkTtl(opts.ttlMs);
      const reply = await client.set(k.value(key), value, {
        condition: 'NX',
        ...(ttl ? { expiration: { type: 'PX' as const, value: ttl } } : {}),
      });
      return reply !== null;
    },

    async del(key) {
      open();
      return (await client.del(k.value(key))) > 0;
    },

    async incr(key, opts = {}) {
      open();
      const ttl = checkTtl(opts.ttlMs);
      try {
        return ttl
          ? await evalNumber(INCR_WITH_TTL, [k.value(key)], [String(ttl)])
          : await client.incr(k.value(key));
      } catch (e) {
        if (isNotIntegerError(e)) throw kvNotAnInteger(key);
        throw e;
      }
    },

    async acquireLock(name, ttlMs) {
      open();
      const ttl = checkTtl(ttlMs)!;
      const lockKey = k.lock(name);
      const token = await evalNumber(ACQUIRE, [lockKey, k.fence(name)], [String(ttl), String(fenceTtlMs)]);
      if (token === 0) return null;
      const lock: Lock = {
        token,
        async release() {
          open();
          return (await evalNumber(RELEASE, [lockKey], [String(token)])) === 1;
        },
        async extend(newTtlMs = ttl) {
          open();
          return (await evalNumber(EXTEND, [lockKey], [String(token), String(checkTtl(newTtlMs))])) === 1;
        },
      };
      return lock;
    },

    async publish(channel, message) {
      open();
      await client.publish(k.channel(channel), message);
    },

    async subscribe(channel, handler) {
      open();
      subscriber ??= duplicateConnected().catch((e: unknown) => {
        subscriber = null;
        throw kvUnavailable(e);
      });
      const sub = await subscriber;
      // A fresh listener per subscription, so unsubscribing one handler leaves others on the channel.
      const listener = (message: string) => deliver(handler, message, channel, onError);
      await sub.subscribe(k.channel(channel), listener);
      return async () => {
        if (closed) return;
        await sub.unsubscribe(k.channel(channel), listener);
      };
    },

    async enqueue(queue, item) {
      open();
      await client.lPush(k.queue(queue), item);
    },

    async dequeue(queue, timeoutMs = 0) {
      open();
      if (!(timeoutMs > 0)) return client.rPop(k.queue(queue));
      try {
        // BRPOP takes seconds, fractions allowed (Redis ≥ 6); whole milliseconds, since a 0 would block forever.
        const seconds = Math.ceil(timeoutMs) / 1000;
        const reply = await withBlockingClient((c) => c.brPop(k.queue(queue), seconds));
        return reply?.element ?? null;
      } catch (e) {
        if (closed) return null;
        throw e;
      }
    },

    async ping() {
      open();
      if (!client.isReady) throw kvUnavailable('not connected');
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        await Promise.race([
          client.ping(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(kvUnavailable('ping timed out')), pingTimeoutMs);
          }),
        ]);
      } catch (e) {
        throw isAppError(e) ? e : kvUnavailable(e);
      } finally {
        clearTimeout(timer);
      }
    },

    async close() {
      if (closed) return;
      closed = true;
      // Blocked BRPOPs would hold their connection until their timeout; cut them (their callers get null).
      for (const c of [...busyBlocking, ...idleBlocking]) c.destroy();
      idleBlocking.length = 0;
      const sub = subscriber;
      subscriber = null;
      await Promise.allSettled([client.close(), sub?.then((s) => s.close())]);
    },
  };
}
