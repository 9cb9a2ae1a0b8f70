/**
 * The in-process twin of the Redis store, for a single instance and for tests. Time comes from the injected clock,
 * so tests advance TTLs with a fake clock. Expiry is lazy (checked on access, plus an occasional sweep), so no timer
 * keeps the process alive; the only timers are those of blocking dequeues, and they are unref'd.
 */
import type { Clock } from '../deps.js';
import { checkTtl, defaultKvErrorHandler, deliver, kvClosed, kvNotAnInteger } from './errors.js';
import { FENCE_TTL_MS, type Kv, type KvErrorHandler, type Lock, type MessageHandler } from './types.js';

export interface MemoryKvOptions {
  clock: Clock;
  onError?: KvErrorHandler;
  /** How long a lock name's fencing counter outlives its latest acquisition (default FENCE_TTL_MS). */
  fenceTtlMs?: number;
}

interface Entry {
  value: string;
  expiresAt: number | null;
}

interface Waiter {
  resolve(item: string | null): void;
  timer: ReturnType<typeof setTimeout>;
}

/** Writes between full sweeps of expired entries, so keys never read again do not pile up. */
const SWEEP_EVERY = 1024;

export function createMemoryKv({
  clock,
  onError = defaultKvErrorHandler,
  fenceTtlMs = FENCE_TTL_MS,
}: MemoryKvOptions): Kv {
  const values = new Map<string, Entry>();
  const locks = new Map<string, { token: number; expiresAt: number }>();
  const fences = new Map<string, { token: number; expiresAt: number }>();
  const channels = new Map<string, Set<{ handler: MessageHandler }>>();
  const queues = new Map<string, string[]>();
  const waiters = new Map<string, Waiter[]>();
  let writes = 0;
  let closed = false;

  const now = () => clock.now().getTime();
  const expiry = (ttlMs: number | undefined) => (ttlMs === undefined ? null : now() + ttlMs);
  const open = () => {
    if (closed) throw kvClosed();
  };

  function live(key: string): Entry | undefined {
    const e = values.get(key);
    if (e && e.expiresAt !== null && e.expiresAt <= now()) {
      values.delete(key);
      return undefined;
    }
    return e;
  }

  /** Counts a write; every SWEEP_EVERY writes drops whatever has expired (values, locks, fences). */
  function wrote() {
    if (++writes % SWEEP_EVERY !== 0) return;
    const t = now();
    for (const [k, e] of values) if (e.expiresAt !== null && e.expiresAt <= t) values.delete(k);
    for (const [k, l] of locks) if (l.expiresAt <= t) locks.delete(k);
    for (const [k, f] of fences) if (f.expiresAt <= t) fences.delete(k);
  }

  function write(key: string, entry: Entry) {
    values.set(key, entry);
    wrote();
  }

  function heldLock(name: string, token: number) {
    const l = locks.get(name);
    return l && l.token === token && l.expiresAt > now() ? l : undefined;
  }

  return {
    async get(key) {
      open();
      return live(key)?.value ?? null;
    },

    async set(key, value, options = {}) {
      open();
      const ttl = checkTtl(options.ttlMs);
      write(key, { value, expiresAt: expiry(ttl) });
    },

    async setIfAbsent(key, value, options = {}) {
      open();
      const ttl = checkTtl(options.ttlMs);
      if (live(key)) return false;
      write(key, { value, expiresAt: expiry(ttl) });
      return true;
    },

    async del(key) {
      open();
      const existed = live(key) !== undefined;
      values.delete(key);
      return existed;
    },

    async incr(key, options = {}) {
      open();
      const ttl = checkTtl(options.ttlMs);
      const e = live(key);
      // Redis counters are decimal strings of a signed 64-bit integer; within JS's safe range here.
      if (e && !/^-?\d+$/.test(e.value)) throw kvNotAnInteger(key);
      const n = (e ? Number(e.value) : 0) + 1;
      write(key, { value: String(n), expiresAt: e?.expiresAt ?? expiry(ttl) });
      return n;
    },

    async acquireLock(name, ttlMs) {
      open();
      const ttl = checkTtl(ttlMs)!;
      const current = locks.get(name);
      if (current && current.expiresAt > now()) return null;
      const fence = fences.get(name);
      const token = (fence && fence.expiresAt > now() ? fence.token : 0) + 1;
      fences.set(name, { token, expiresAt: now() + fenceTtlMs });
      locks.set(name, { token, expiresAt: now() + ttl });
      wrote();
      const lock: Lock = {
        token,
        async release() {
          open();
          if (!heldLock(name, token)) return false;
          locks.delete(name);
          return true;
        },
        async extend(newTtlMs = ttl) {
          open();
          const l = heldLock(name, token);
          if (!l) return false;
          l.expiresAt = now() + checkTtl(newTtlMs)!;
          return true;
        },
      };
      return lock;
    },

    async publish(channel, message) {
      open();
      // Delivered after publish returns, in order, as Redis does; a handler's failure reaches onError only.
      for (const sub of [...(channels.get(channel) ?? [])]) {
        queueMicrotask(() => deliver(sub.handler, message, channel, onError));
      }
    },

    async subscribe(channel, handler) {
      open();
      const sub = { handler };
      let subs = channels.get(channel);
      if (!subs) channels.set(channel, (subs = new Set()));
      subs.add(sub);
      return async () => {
        const set = channels.get(channel);
        set?.delete(sub);
        if (set?.size === 0) channels.delete(channel);
      };
    },

    async enqueue(queue, item) {
      open();
      const waiting = waiters.get(queue);
      const first = waiting?.shift();
      if (waiting?.length === 0) waiters.delete(queue);
      if (first) {
        clearTimeout(first.timer);
        first.resolve(item);
        return;
      }
      let q = queues.get(queue);
      if (!q) queues.set(queue, (q = []));
      q.push(item);
    },

    async dequeue(queue, timeoutMs = 0) {
      open();
      const q = queues.get(queue);
      if (q && q.length > 0) {
        const item = q.shift()!;
        if (q.length === 0) queues.delete(queue);
        return item;
      }
      if (!(timeoutMs > 0)) return null;
      return new Promise<string | null>((resolve) => {
        const waiter: Waiter = {
          resolve,
          timer: setTimeout(() => {
            const list = waiters.get(queue);
            const i = list?.indexOf(waiter) ?? -1;
            if (list && i >= 0) list.splice(i, 1);
            if (list?.length === 0) waiters.delete(queue);
            resolve(null);
          }, timeoutMs),
        };
        waiter.timer.unref();
        let list = waiters.get(queue);
        if (!list) waiters.set(queue, (list = []));
        list.push(waiter);
      });
    },

    async ping() {
      open();
    },

    async close() {
      if (closed) return;
      closed = true;
      for (const list of waiters.values()) {
        for (const w of list) {
          clearTimeout(w.timer);
          w.resolve(null);
        }
      }
      waiters.clear();
      channels.clear();
    },
  };
}
