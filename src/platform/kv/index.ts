/**
 * The key-value store of the service: Redis when a URL is configured (any number of instances), otherwise the
 * in-process twin (one instance only).
 */
import type { Clock } from '../deps.js';
import { createMemoryKv } from './memory.js';
import { createRedisKv } from './redis.js';
import type { Kv, KvErrorHandler } from './types.js';

export type {
  IncrOptions,
  Kv,
  KvErrorHandler,
  Lock,
  MessageHandler,
  SetOptions,
  Unsubscribe,
} from './types.js';
export { createMemoryKv, type MemoryKvOptions } from './memory.js';
export { createRedisKv, type RedisKvOptions } from './redis.js';

export interface CreateKvOptions {
  /** `redis://…` or `rediss://…`; without it, the in-process store. */
  redisUrl?: string | undefined;
  /** Used by the in-process store for TTLs; Redis keeps its own time. */
  clock: Clock;
  /** Key and channel prefix on Redis (default `weidai:`). */
  prefix?: string;
  onError?: KvErrorHandler;
}

export async function createKv({ redisUrl, clock, prefix, onError }: CreateKvOptions): Promise<Kv> {
  if (redisUrl) return createRedisKv(redisUrl, { prefix, onError });
  return createMemoryKv({ clock, onError });
}
