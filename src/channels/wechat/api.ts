/**
 * The WeChat server API as the channel uses it: the access token, customer-service text messages (客服消息) and
 * temporary QR codes with a scene string. The access token is shared by every instance through the key-value store:
 * fetching a new one invalidates the old (after a short grace), so exactly one instance fetches, under a lock, and
 * the rest read what it stored. It is refreshed a margin before its 7,200-second expiry.
 */
import { AppError, unavailable } from '../../platform/errors.js';
import type { Clock } from '../../platform/deps.js';
import type { Kv } from '../../platform/kv/index.js';
import type { WechatAccount } from './config.js';

export interface WechatApiDeps {
  /** https://api.weixin.qq.com, or a local fake. */
  baseUrl: string;
  kv: Kv;
  clock: Clock;
  log: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
  /** Refresh this long before expiry (default 10 minutes). */
  refreshMarginMs?: number;
  /** How long a caller waits for another instance's refresh before giving up (default 5 s). */
  waitMs?: number;
  /** Per HTTP request (default 5 s). */
  timeoutMs?: number;
}

interface StoredToken {
  token: string;
  /** Epoch ms. */
  expiresAt: number;
}

/** Token errors that mean "fetch a new one": invalid credential, invalid token, token expired. */
const TOKEN_ERRCODES = new Set([40001, 40014, 42001]);

export type SendResult = { ok: true } | { ok: false; errcode: number };

const tokenKey = (appId: string) => `wx:token:${appId}`;
const lockName = (appId: string) => `wx:token-refresh:${appId}`;

export function createWechatApi(deps: WechatApiDeps) {
  const margin = deps.refreshMarginMs ?? 10 * 60_000;
  const waitMs = deps.waitMs ?? 5_000;
  const timeoutMs = deps.timeoutMs ?? 5_000;
  const { kv, clock } = deps;

  async function call(path: string, init?: { body: unknown }): Promise<Record<string, unknown>> {
    const url = `${deps.baseUrl}${path}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method: init ? 'POST' : 'GET',
        headers: init ? { 'content-type': 'application/json' } : {},
        body: init ? JSON.stringify(init.body) : null,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch {
      throw unavailable('WECHAT_API_UNAVAILABLE', 'The WeChat API did not answer');
    }
    if (!res.ok) throw unavailable('WECHAT_API_UNAVAILABLE', `The WeChat API answered ${res.status}`);
    return (await res.json()) as Record<string, unknown>;
  }

  async function readToken(appId: string): Promise<StoredToken | null> {
    const raw = await kv.get(tokenKey(appId));
    return raw ? (JSON.parse(raw) as StoredToken) : null;
  }

  async function fetchToken(account: WechatAccount): Promise<StoredToken> {
    const q = new URLSearchParams({
      grant_type: 'client_credential',
      appid: account.appId,
      secret: account.appSecret,
    });
    const body = await call(`/cgi-bin/token?${q.toString()}`);
    const token = body.access_token;
    const expiresIn = Number(body.expires_in);
    if (typeof token !== 'string' || !(expiresIn > 0)) {
      deps.log.warn({ account: account.name, errcode: body.errcode }, 'wechat access token refused');
      throw new AppError('WECHAT_TOKEN_FAILED', 502, 'WeChat refused the access token request', {
        errcode: body.errcode,
      });
    }
    const stored: StoredToken = { token, expiresAt: clock.now().getTime() + expiresIn * 1000 };
    await kv.set(tokenKey(account.appId), JSON.stringify(stored), { ttlMs: expiresIn * 1000 });
    deps.log.info({ account: account.name, expiresIn }, 'wechat access token refreshed');
    return stored;
  }

  /**
   * The account's access token. A token inside the refresh margin is still returned to callers that lose the
   * refresh lock, so only the holder waits for WeChat; a caller with no valid token waits for the holder.
   * `invalid` names a token WeChat has just refused, which is then never returned.
   */
  async function accessToken(account: WechatAccount, opts: { invalid?: string } = {}): Promise<string> {
    const deadline = Date.now() + waitMs;
    // A plain boolean, not a type guard: the second check must not be narrowed away by the first.
    const usable = (t: StoredToken | null, until: number): boolean =>
      t !== null && t.token !== opts.invalid && t.expiresAt > until;
    let wait = 20;
    for (;;) {
      const now = clock.now().getTime();
      const current = await readToken(account.appId);
      if (usable(current, now + margin)) return current!.token;
      const lock = await kv.acquireLock(lockName(account.appId), waitMs + timeoutMs);
      if (lock) {
        try {
          // Another instance may have refreshed between our read and our lock.
          const again = await readToken(account.appId);
          if (usable(again, clock.now().getTime() + margin)) return again!.token;
          return (await fetchToken(account)).token;
        } finally {
          await lock.release().catch(() => false);
        }
      }
      if (usable(current, now)) return current!.token;
      if (Date.now() > deadline)
        throw unavailable('WECHAT_TOKEN_BUSY', 'The WeChat access token is being refreshed');
      await new Promise((r) => setTimeout(r, wait));
      wait = Math.min(wait * 2, 200);
    }
  }

  /** Calls an API that takes the access token; fetches a new token once if WeChat says it is no longer valid. */
  async function withToken(account: WechatAccount, path: string, body: unknown) {
    let token = await accessToken(account);
    for (let attempt = 0; ; attempt++) {
      const sep = path.includes('?') ? '&' : '?';
      const res = await call(`${path}${sep}access_token=${encodeURIComponent(token)}`, { body });
      const errcode = Number(res.errcode ?? 0);
      if (attempt === 0 && TOKEN_ERRCODES.has(errcode)) {
        token = await accessToken(account, { invalid: token });
        continue;
      }
      return res;
    }
  }

  /** Sends one customer-service text message. WeChat's refusals come back as `{ ok: false, errcode }`. */
  async function sendText(account: WechatAccount, openId: string, content: string): Promise<SendResult> {
    const res = await withToken(account, '/cgi-bin/message/custom/send', {
      touser: openId,
      msgtype: 'text',
      text: { content },
    });
    const errcode = Number(res.errcode ?? 0);
    return errcode === 0 ? { ok: true } : { ok: false, errcode };
  }

  /** A temporary QR code whose scan reports `scene` (as EventKey) to the callback. */
  async function createSceneQr(account: WechatAccount, scene: string, expireSeconds: number) {
    const res = await withToken(account, '/cgi-bin/qrcode/create', {
      expire_seconds: expireSeconds,
      action_name: 'QR_STR_SCENE',
      action_info: { scene: { scene_str: scene } },
    });
    if (typeof res.ticket !== 'string' || typeof res.url !== 'string') {
      throw new AppError('WECHAT_QR_FAILED', 502, 'WeChat refused the QR code request', {
        errcode: res.errcode,
      });
    }
    return { ticket: res.ticket, url: res.url };
  }

  return { accessToken, sendText, createSceneQr };
}

export type WechatApi = ReturnType<typeof createWechatApi>;
