import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/platform/config.js';

describe('WEIDAI_REDIS_URL', () => {
  it('takes redis://, rediss:// and a Unix socket as unix:///path', () => {
    for (const url of [
      'redis://127.0.0.1:6379',
      'rediss://cache.bank.internal:6380',
      'unix:///run/redis/redis.sock',
    ]) {
      expect(loadConfig({ WEIDAI_REDIS_URL: url }).redisUrl).toBe(url);
    }
  });

  it('refuses anything else, naming the setting', () => {
    for (const url of ['http://127.0.0.1:6379', 'unix://relative.sock', '127.0.0.1:6379']) {
      expect(() => loadConfig({ WEIDAI_REDIS_URL: url })).toThrow(/WEIDAI_REDIS_URL/);
    }
  });
});
