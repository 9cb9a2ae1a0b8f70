/**
 * WeChat's customer-service message quota, counted in the key-value store across instances: after each message
 * from the user, the account may send at most 5 messages within 48 hours (the rule WeChat announced in 2023; the
 * older one was unlimited messages for 48 hours). A new user message opens a new window.
 */
import type { Kv } from '../../platform/kv/index.js';

export const CS_WINDOW_MS = 48 * 3600_000;
export const CS_MESSAGES_PER_WINDOW = 5;

const key = (account: string, userKey: string) => `wx:cs:${account}:${userKey}`;

/**
 * A window is a counter that starts at BASE; one increment takes one message. A counter created by the increment
 * itself (no window: expired or never opened) starts at 1, far below BASE, and lives only briefly.
 */
const BASE = 1_000_000;

export function createCsQuota(
  kv: Kv,
  limits = { windowMs: CS_WINDOW_MS, perWindow: CS_MESSAGES_PER_WINDOW },
) {
  return {
    /** Called for every message received from the user. */
    async opened(account: string, userKey: string) {
      await kv.set(key(account, userKey), String(BASE), { ttlMs: limits.windowMs });
    },
    /** Takes one message from the window; false when there is no window or it is used up. */
    async take(account: string, userKey: string): Promise<boolean> {
      const n = await kv.incr(key(account, userKey), { ttlMs: 60_000 });
      return n > BASE && n <= BASE + limits.perWindow;
    },
  };
}

export type CsQuota = ReturnType<typeof createCsQuota>;
