/**
 * The key-value store behind live interview state, cross-instance delivery, locks, caches, rate limits and queues:
 * Redis in production, an in-process twin for one instance and for tests. Values are strings; callers encode JSON.
 */

export interface SetOptions {
  /** Time to live in milliseconds (> 0). Without it the value lives until deleted. */
  ttlMs?: number;
}

export interface IncrOptions {
  /**
   * Expiry for the counter, set when the counter is created (or found without one) and not extended by later
   * increments: a fixed window, as rate limits want.
   */
  ttlMs?: number;
}

export interface Lock {
  /**
   * Fencing token: strictly greater than the token of every earlier holder of the same lock name, so a store can
   * refuse writes from a holder whose lock expired while it was paused (Kleppmann, "How to do distributed locking").
   * A name's counter is kept for FENCE_TTL_MS (a day) after its latest acquisition and then forgotten — one lock per
   * interview would otherwise leave a key behind for ever — so tokens restart at 1 for a name unused that long.
   */
  readonly token: number;
  /** Releases the lock if this holder still has it; false if it had expired or passed to someone else. */
  release(): Promise<boolean>;
  /** Resets the expiry to `ttlMs` (default: the acquiring ttl) if this holder still has it; false otherwise. */
  extend(ttlMs?: number): Promise<boolean>;
}

/** How long a lock name's fencing counter outlives its latest acquisition (far beyond any lock's TTL). */
export const FENCE_TTL_MS = 24 * 3600_000;

export type MessageHandler = (message: string) => void | Promise<void>;
export type Unsubscribe = () => Promise<void>;

export interface Kv {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, options?: SetOptions): Promise<void>;
  /** Sets only if the key holds nothing; true if this call set it. */
  setIfAbsent(key: string, value: string, options?: SetOptions): Promise<boolean>;
  /** True if a value was deleted. */
  del(key: string): Promise<boolean>;
  /** Atomically adds one and returns the new value (1 for a new counter). Shares the key space of `get`/`set`. */
  incr(key: string, options?: IncrOptions): Promise<number>;

  /** Takes the named lock for `ttlMs`, or null if someone holds it. Never waits. */
  acquireLock(name: string, ttlMs: number): Promise<Lock | null>;

  /** Delivers to every current subscriber of `channel`, on any instance. At most once, not stored. */
  publish(channel: string, message: string): Promise<void>;
  /** Calls `handler` for each message published after the returned promise resolves. */
  subscribe(channel: string, handler: MessageHandler): Promise<Unsubscribe>;

  /** Appends to a FIFO queue. */
  enqueue(queue: string, item: string): Promise<void>;
  /**
   * Takes the oldest item. With `timeoutMs` > 0, waits up to that long for one; with 0 (the default) returns null
   * at once when empty. An item taken is gone: a consumer that dies holding it loses it.
   */
  dequeue(queue: string, timeoutMs?: number): Promise<string | null>;

  /** Resolves when the store answers; rejects with AppError `KV_UNAVAILABLE` otherwise. */
  ping(): Promise<void>;
  /** Closes connections; pending blocking dequeues resolve null; later calls reject with `KV_CLOSED`. */
  close(): Promise<void>;
}

/** Called with errors thrown by subscription handlers and with connection errors; the default drops nothing silently. */
export type KvErrorHandler = (
  error: unknown,
  context: { channel?: string; source: 'handler' | 'connection' },
) => void;
