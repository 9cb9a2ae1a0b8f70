import { afterEach, describe, expect, it } from 'vitest';
import { createWechatApi } from '../../../src/channels/wechat/api.js';
import { loadWechatConfig } from '../../../src/channels/wechat/config.js';
import { CS_MESSAGES_PER_WINDOW, CS_WINDOW_MS, createCsQuota } from '../../../src/channels/wechat/quota.js';
import { fakeClock } from '../../../src/platform/deps.js';
import { type Kv, createMemoryKv, createRedisKv } from '../../../src/platform/kv/index.js';
import { type FakeWechat, startFakeWechat } from './fake-wechat.js';
import { PLAIN } from './support.js';

const silent = { info: () => undefined, warn: () => undefined };
const redisUrl = process.env.WEIDAI_REDIS_URL;

let fake: FakeWechat | undefined;
const kvs: Kv[] = [];
afterEach(async () => {
  await fake?.close();
  fake = undefined;
  for (const kv of kvs.splice(0)) await kv.close();
});

/** Two "instances": two API clients on one shared store (Redis when configured, else the memory twin). */
async function twoInstances() {
  fake = await startFakeWechat();
  const clock = fakeClock(new Date('2026-05-01T02:00:00Z'));
  const prefix = `wx-test:${process.pid}:${Math.random().toString(36).slice(2)}:`;
  const kv = redisUrl ? await createRedisKv(redisUrl, { prefix }) : createMemoryKv({ clock });
  kvs.push(kv);
  const a = createWechatApi({ baseUrl: fake.baseUrl, kv, clock, log: silent });
  const b = createWechatApi({ baseUrl: fake.baseUrl, kv, clock, log: silent });
  return { a, b, kv, clock, fake };
}

describe('WeChat access token', () => {
  it('is fetched once when two instances need it at the same moment', async () => {
    const { a, b, fake } = await twoInstances();
    fake.tokenDelayMs = 150;
    const tokens = await Promise.all([a.accessToken(PLAIN), b.accessToken(PLAIN), a.accessToken(PLAIN)]);
    expect(fake.tokenFetches).toBe(1);
    expect(new Set(tokens)).toEqual(new Set(['token-1']));
  });

  it('is reused until the refresh margin, then refreshed once before it expires', async () => {
    const { a, b, clock, fake } = await twoInstances();
    expect(await a.accessToken(PLAIN)).toBe('token-1');
    clock.advance((7200 - 11 * 60) * 1000);
    expect(await b.accessToken(PLAIN)).toBe('token-1');
    clock.advance(2 * 60 * 1000); // now 9 minutes before expiry: inside the 10-minute margin
    const [x, y] = await Promise.all([a.accessToken(PLAIN), b.accessToken(PLAIN)]);
    expect(fake.tokenFetches).toBe(2);
    expect([x, y]).toContain('token-2');
  });

  it('fetches a new token once when WeChat says the stored one is no longer valid, and sends', async () => {
    const { a, fake } = await twoInstances();
    await a.accessToken(PLAIN);
    fake.revoked.add('token-1');
    expect(await a.sendText(PLAIN, 'openid-1', '你好')).toEqual({ ok: true });
    expect(fake.tokenFetches).toBe(2);
    expect(fake.sent).toEqual([{ touser: 'openid-1', content: '你好', token: 'token-2' }]);
  });

  it('reports a refused app secret as WECHAT_TOKEN_FAILED', async () => {
    const { a } = await twoInstances();
    await expect(a.accessToken({ ...PLAIN, appSecret: 'wrong' })).rejects.toMatchObject({
      code: 'WECHAT_TOKEN_FAILED',
    });
  });

  it('reports an unreachable API as WECHAT_API_UNAVAILABLE', async () => {
    const clock = fakeClock();
    const kv = createMemoryKv({ clock });
    const api = createWechatApi({ baseUrl: 'http://127.0.0.1:9', kv, clock, log: silent, timeoutMs: 500 });
    await expect(api.accessToken(PLAIN)).rejects.toMatchObject({ code: 'WECHAT_API_UNAVAILABLE' });
  });
});

describe('customer-service quota', () => {
  it(`allows ${CS_MESSAGES_PER_WINDOW} messages after a user message, then none until the user writes again`, async () => {
    const clock = fakeClock();
    const q = createCsQuota(createMemoryKv({ clock }));
    expect(await q.take('county', 'u1')).toBe(false); // no user message yet
    await q.opened('county', 'u1');
    const taken = [];
    for (let i = 0; i < CS_MESSAGES_PER_WINDOW + 2; i++) taken.push(await q.take('county', 'u1'));
    expect(taken).toEqual([true, true, true, true, true, false, false]);
    await q.opened('county', 'u1');
    expect(await q.take('county', 'u1')).toBe(true);
    expect(await q.take('county', 'u2')).toBe(false);
  });

  it('closes the window 48 hours after the user message', async () => {
    const clock = fakeClock();
    const q = createCsQuota(createMemoryKv({ clock }));
    await q.opened('county', 'u1');
    clock.advance(CS_WINDOW_MS - 1000);
    expect(await q.take('county', 'u1')).toBe(true);
    clock.advance(2000);
    expect(await q.take('county', 'u1')).toBe(false);
  });
});

describe('WeChat configuration', () => {
  const account = { name: 'county', appId: 'wx1', appSecret: 's', token: 'tok123', mode: 'plain' };

  it('reads several accounts and the API base', () => {
    const safe = { ...account, name: 'union', mode: 'safe', encodingAesKey: 'a'.repeat(43) };
    const c = loadWechatConfig({
      WEIDAI_WECHAT_ACCOUNTS: JSON.stringify([account, safe]),
      WEIDAI_WECHAT_API_BASE: 'http://127.0.0.1:1234/',
    });
    expect(c.accounts.map((a) => a.name)).toEqual(['county', 'union']);
    expect(c.apiBase).toBe('http://127.0.0.1:1234');
  });

  it('has no accounts when the variable is unset', () => {
    expect(loadWechatConfig({})).toEqual({ accounts: [], apiBase: 'https://api.weixin.qq.com' });
  });

  it.each([
    ['not JSON', '[{', /not JSON/],
    [
      'a safe account without its key',
      JSON.stringify([{ ...account, mode: 'safe' }]),
      /encodingAesKey: required in safe mode/,
    ],
    ['two accounts with one name', JSON.stringify([account, account]), /duplicate account name/],
    ['a short EncodingAESKey', JSON.stringify([{ ...account, encodingAesKey: 'abc' }]), /43 base64/],
  ])('refuses %s without echoing secrets', (_name, raw, message) => {
    const run = () => loadWechatConfig({ WEIDAI_WECHAT_ACCOUNTS: raw });
    expect(run).toThrow(message);
    try {
      run();
    } catch (e) {
      expect(String(e)).not.toContain('"s"');
    }
  });
});
