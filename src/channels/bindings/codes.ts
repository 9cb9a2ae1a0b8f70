/**
 * One-time binding codes. The applicant proves who they are on the web page and gets an interview session token;
 * the page then asks for a short code (8 characters, 30 minutes, single use) that the applicant sends to the
 * WeChat Official Account, or scans as the scene of the account's QR code. The code joins that WeChat user to the
 * interview session; it is kept only in the key-value store.
 */
import { createHash } from 'node:crypto';
import type { Clock, Ids } from '../../platform/deps.js';
import { tooMany } from '../../platform/errors.js';
import type { Kv } from '../../platform/kv/index.js';
import type { Lang } from '../../questions/types.js';
import type { InterviewPort } from '../ws/connection.js';
import type { ChannelName } from '../types.js';
import type { BindingStore, ChannelBinding } from './types.js';

/** No 0/O, 1/I: the code is read off a screen and typed on a phone. 32 symbols, so a byte maps without bias. */
export const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const CODE_LENGTH = 8;
export const CODE_TTL_SECONDS = 30 * 60;
/** Wrong codes one channel user may try per hour before further tries are refused. */
export const CODE_TRIES_PER_HOUR = 10;

const codeKey = (code: string) => `chbind:code:${code}`;

/** A channel user id as stored and logged: SHA-256 over channel, account and id (openids are random, so one-way). */
export function userKey(channel: ChannelName, account: string, channelUserId: string): string {
  return createHash('sha256')
    .update(`${channel}\u0000${account}\u0000${channelUserId}`)
    .digest('hex')
    .slice(0, 40);
}

/** The code in a message: "绑定 AB12CD34", "bind ab12-cd34" or the bare code; undefined if none. */
export function codeInText(text: string): string | undefined {
  const t = text
    .normalize('NFKC')
    .trim()
    .replace(/^(绑定|綁定|bind)\s*[:：]?\s*/i, '')
    .replace(/[\s-]/g, '')
    .toUpperCase();
  if (t.length !== CODE_LENGTH) return undefined;
  for (const ch of t) if (!CODE_ALPHABET.includes(ch)) return undefined;
  return t;
}

export interface BindingCodesDeps {
  port: InterviewPort;
  kv: Kv;
  clock: Clock;
  ids: Ids;
  bindings: BindingStore;
}

export function createBindingCodes(deps: BindingCodesDeps) {
  const { kv } = deps;

  function newCode(): string {
    // ids.token gives base64url of random bytes; each byte's low five bits pick a symbol.
    const bytes = Buffer.from(deps.ids.token(CODE_LENGTH), 'base64url');
    let code = '';
    for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[(bytes[i] ?? 0) & 31];
    return code;
  }

  /** Validates the interview session token (starting the session if needed) and issues a code for it. */
  async function issue(sessionToken: string, lang?: Lang) {
    const session = await deps.port.open(sessionToken, lang);
    for (;;) {
      const code = newCode();
      const stored = JSON.stringify({ sessionId: session.id, lang: session.lang });
      if (await kv.setIfAbsent(codeKey(code), stored, { ttlMs: CODE_TTL_SECONDS * 1000 })) {
        return { code, expiresIn: CODE_TTL_SECONDS, sessionId: session.id };
      }
    }
  }

  /**
   * Redeems a code for a channel user: binds the user to the code's session and consumes the code. Null when the
   * code is unknown, used or expired. Throws BINDING_TOO_MANY_TRIES after too many wrong codes from one user.
   */
  async function redeem(
    code: string,
    who: { channel: ChannelName; account: string; userKey: string },
  ): Promise<ChannelBinding | null> {
    const hour = Math.floor(deps.clock.now().getTime() / 3600_000);
    const triesKey = `chbind:tries:${who.channel}:${who.account}:${who.userKey}:${hour}`;
    const tries = Number((await kv.get(triesKey)) ?? '0');
    if (tries >= CODE_TRIES_PER_HOUR) {
      throw tooMany('BINDING_TOO_MANY_TRIES', 'Too many wrong binding codes; try again in an hour');
    }
    const raw = await kv.get(codeKey(code));
    // Deleting is the single-use check: of two users redeeming at once, only one deletes the code.
    if (raw === null || !(await kv.del(codeKey(code)))) {
      await kv.incr(triesKey, { ttlMs: 3600_000 });
      return null;
    }
    const { sessionId, lang } = JSON.parse(raw) as { sessionId: string; lang: Lang };
    const now = deps.clock.now();
    const binding: ChannelBinding = { ...who, sessionId, lang, createdAt: now, updatedAt: now };
    await deps.bindings.put(binding);
    return binding;
  }

  /** Binds directly (Bot Framework: the client holds the session token itself). */
  async function bindWithToken(
    sessionToken: string,
    lang: Lang | undefined,
    who: { channel: ChannelName; account: string; userKey: string },
  ): Promise<{ binding: ChannelBinding; lastSeq: number }> {
    const session = await deps.port.open(sessionToken, lang);
    const now = deps.clock.now();
    const binding: ChannelBinding = {
      ...who,
      sessionId: session.id,
      lang: session.lang,
      createdAt: now,
      updatedAt: now,
    };
    await deps.bindings.put(binding);
    return { binding, lastSeq: session.lastSeq };
  }

  return { issue, redeem, bindWithToken };
}

export type BindingCodes = ReturnType<typeof createBindingCodes>;
