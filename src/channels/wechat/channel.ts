/**
 * The WeChat Official Account channel, independent of Fastify: the callback's query and raw body in, the HTTP
 * reply out. It checks the account, the timestamp and the signatures, decrypts in safe mode, reads the XML and
 * answers passively with the bot's next lines in the same HTTP reply. A turn takes milliseconds; if one does not
 * finish before the deadline (WeChat waits 5 seconds), the reply is `success` and the lines follow through the
 * customer-service API, within its quota. WeChat's retries of a message share its MsgId, which is the turn's
 * client message id, so a retry is answered with the committed reply and never runs a second turn.
 */
import type { Clock, Ids } from '../../platform/deps.js';
import { badRequest, forbidden, isAppError, notFound } from '../../platform/errors.js';
import type { Kv } from '../../platform/kv/index.js';
import type { Lang } from '../../questions/types.js';
import { type BindingCodes, codeInText, userKey } from '../bindings/codes.js';
import type { ChannelNotesPort } from '../bindings/notes.js';
import { type Sendable, pendingPrompt, rememberChoices, runChannelTurn } from '../bindings/replies.js';
import { type ChannelTextKey, channelText } from '../bindings/texts.js';
import type { BindingStore } from '../bindings/types.js';
import { withNumberedChoices } from '../types.js';
import type { InterviewPort } from '../ws/connection.js';
import type { WechatAccount } from './config.js';
import { aesKeyOf, decryptMessage, encryptMessage, signatureMatches, wechatSignature } from './crypto.js';
import type { CsQuota } from './quota.js';
import { type WechatXml, encryptedReplyXml, parseWechatXml, textReplyXml } from './xml.js';

export interface CallbackQuery {
  signature?: string;
  timestamp?: string;
  nonce?: string;
  echostr?: string;
  openid?: string;
  encrypt_type?: string;
  msg_signature?: string;
}

export interface WechatReply {
  contentType: string;
  body: string;
}

export interface WechatChannelLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface WechatChannelDeps {
  accounts: readonly WechatAccount[];
  port: InterviewPort;
  codes: BindingCodes;
  bindings: BindingStore;
  api: {
    sendText(
      account: WechatAccount,
      openId: string,
      content: string,
    ): Promise<{ ok: boolean; errcode?: number }>;
  };
  quota: CsQuota;
  notes: ChannelNotesPort;
  kv: Kv;
  clock: Clock;
  ids: Ids;
  log: WechatChannelLog;
  /** Passive-reply deadline (default 4,500 ms; WeChat gives up after 5 s). */
  deadlineMs?: number;
  /** Accepted clock difference of `timestamp` (default 300 s). */
  maxSkewSeconds?: number;
}

/** WeChat's customer-service refusals that mean the window or quota is spent. */
const QUOTA_ERRCODES = new Set([45015, 45047]);

interface Answer {
  text: string;
  sessionId?: string;
  seq?: number;
}

const SUCCESS: WechatReply = { contentType: 'text/plain; charset=utf-8', body: 'success' };

function render(lines: readonly Sendable[]): string {
  return lines.map((m) => (m.kind === 'text' ? withNumberedChoices(m.text, m.choices) : m.text)).join('\n\n');
}

export function createWechatChannel(deps: WechatChannelDeps) {
  const deadlineMs = deps.deadlineMs ?? 4_500;
  const maxSkew = deps.maxSkewSeconds ?? 300;
  const byName = new Map(deps.accounts.map((a) => [a.name, a]));
  const keys = new Map(
    deps.accounts.flatMap((a) => (a.encodingAesKey ? [[a.name, aesKeyOf(a.encodingAesKey)]] : [])),
  );
  const { log } = deps;

  function accountOf(name: string): WechatAccount {
    const a = byName.get(name);
    if (!a) throw notFound('wechat_account');
    return a;
  }

  function checkTimestamp(ts: string | undefined): string {
    if (!ts || !/^\d{1,12}$/.test(ts))
      throw badRequest('WECHAT_TIMESTAMP_INVALID', 'timestamp is missing or not a number');
    const skew = Math.abs(deps.clock.now().getTime() / 1000 - Number(ts));
    if (skew > maxSkew)
      throw forbidden('WECHAT_TIMESTAMP_STALE', 'The request is too old (or from the future)');
    return ts;
  }

  function checkSignature(a: WechatAccount, q: CallbackQuery) {
    const ts = checkTimestamp(q.timestamp);
    if (!q.nonce || q.nonce.length > 64)
      throw badRequest('WECHAT_NONCE_INVALID', 'nonce is missing or too long');
    if (!signatureMatches(q.signature, wechatSignature(a.token, ts, q.nonce))) {
      throw forbidden('WECHAT_SIGNATURE_INVALID', 'The signature does not match');
    }
    return { ts, nonce: q.nonce };
  }

  /** Logs a refusal with its code only (never the openid or the body) and rethrows. */
  async function guarded<T>(account: string, fn: () => Promise<T> | T): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (isAppError(e) && e.status < 500)
        log.warn(
          { account: byName.has(account) ? account : '(unknown)', error: e.code },
          'wechat callback refused',
        );
      throw e;
    }
  }

  /** Server URL verification (服务器地址验证): the echostr comes back when the signature is right. */
  function verify(accountName: string, q: CallbackQuery): Promise<string> {
    return guarded(accountName, () => {
      const a = accountOf(accountName);
      checkSignature(a, q);
      if (!q.echostr || q.echostr.length > 256)
        throw badRequest('WECHAT_ECHOSTR_INVALID', 'echostr is missing');
      return q.echostr;
    });
  }

  function openEnvelope(a: WechatAccount, q: CallbackQuery, ts: string, nonce: string, body: string) {
    const outer = parseWechatXml(body);
    const encrypted = q.encrypt_type === 'aes' || outer.Encrypt !== undefined;
    if (encrypted && a.mode === 'plain')
      throw badRequest('WECHAT_MODE_MISMATCH', 'This account is in plain mode');
    if (!encrypted && a.mode === 'safe')
      throw badRequest('WECHAT_ENCRYPTION_REQUIRED', 'This account is in safe mode');
    if (!encrypted) return { msg: outer, encrypted };
    const enc = outer.Encrypt;
    if (!enc) throw badRequest('WECHAT_XML_MALFORMED', 'Encrypt is missing');
    if (!signatureMatches(q.msg_signature, wechatSignature(a.token, ts, nonce, enc))) {
      throw forbidden('WECHAT_SIGNATURE_INVALID', 'The message signature does not match');
    }
    const { message, appId } = decryptMessage(keys.get(a.name)!, enc);
    if (appId !== a.appId)
      throw forbidden('WECHAT_APPID_MISMATCH', 'The message was sealed for another account');
    return { msg: parseWechatXml(message), encrypted };
  }

  function say(key: ChannelTextKey, lang?: Lang): Answer {
    return { text: channelText(key, lang) };
  }

  async function bindWithCode(a: WechatAccount, uk: string, code: string): Promise<Answer> {
    let binding;
    try {
      binding = await deps.codes.redeem(code, { channel: 'wechat', account: a.name, userKey: uk });
    } catch (e) {
      if (isAppError(e) && e.code === 'BINDING_TOO_MANY_TRIES') return say('tooManyTries');
      throw e;
    }
    if (!binding) return say('badCode');
    log.info({ account: a.name, user: uk.slice(0, 12), sessionId: binding.sessionId }, 'wechat user bound');
    const prompt = await pendingPrompt(deps.port, binding.sessionId);
    await rememberChoices(deps.kv, binding.sessionId, prompt);
    return {
      text: [channelText('bound', binding.lang), render(prompt)].filter(Boolean).join('\n\n'),
      sessionId: binding.sessionId,
    };
  }

  async function turn(
    a: WechatAccount,
    uk: string,
    msg: WechatXml,
    content: { text?: string; media?: { kind: 'voice' | 'image'; ref: string }[] },
  ): Promise<Answer> {
    const binding = await deps.bindings.get('wechat', a.name, uk);
    if (!binding) return say('howToBind');
    // WeChat documents MsgId as the dedupe key of messages; FromUserName + CreateTime for events.
    const clientMsgId = msg.MsgId ? `wx:${msg.MsgId}` : `wx:${uk.slice(0, 16)}:${msg.CreateTime ?? ''}`;
    try {
      const lines = await runChannelTurn(deps.port, deps.kv, {
        sessionId: binding.sessionId,
        clientMsgId,
        channel: 'wechat',
        ...content,
      });
      const answer: Answer = { text: render(lines), sessionId: binding.sessionId };
      if (lines[0]) answer.seq = lines[0].seq;
      return answer;
    } catch (e) {
      if (!isAppError(e)) throw e;
      if (e.code === 'SESSION_ENDED') return say('ended', binding.lang);
      if (e.code === 'RATE_LIMITED') return { text: e.message };
      if (e.status === 404) {
        // The session is gone (deleted under retention): forget the binding so a new code can be used.
        await deps.bindings.delete('wechat', a.name, uk);
        return say('howToBind', binding.lang);
      }
      log.warn({ account: a.name, error: e.code, sessionId: binding.sessionId }, 'wechat turn failed');
      return say('busy', binding.lang);
    }
  }

  async function answer(a: WechatAccount, msg: WechatXml): Promise<Answer | null> {
    const openId = msg.FromUserName;
    if (!openId || !msg.MsgType)
      throw badRequest('WECHAT_XML_MALFORMED', 'FromUserName or MsgType is missing');
    const uk = userKey('wechat', a.name, openId);
    const isEvent = msg.MsgType === 'event';
    const event = msg.Event?.toLowerCase();
    if (!(isEvent && event === 'unsubscribe')) await deps.quota.opened(a.name, uk);
    switch (msg.MsgType) {
      case 'event': {
        if (event !== 'subscribe' && event !== 'scan') return null;
        const scene = (msg.EventKey ?? '').replace(/^qrscene_/, '');
        const code = scene.startsWith('bind_') ? codeInText(scene.slice(5)) : undefined;
        if (code) return bindWithCode(a, uk, code);
        const bound = await deps.bindings.get('wechat', a.name, uk);
        if (!bound) return say('howToBind');
        const prompt = await pendingPrompt(deps.port, bound.sessionId);
        return { text: render(prompt), sessionId: bound.sessionId };
      }
      case 'text': {
        const text = msg.Content ?? '';
        const code = codeInText(text);
        if (code) {
          const explicit = /^\s*(绑定|綁定|bind)/i.test(text);
          if (explicit || !(await deps.bindings.get('wechat', a.name, uk))) return bindWithCode(a, uk, code);
        }
        return turn(a, uk, msg, { text });
      }
      case 'voice': {
        // WeChat's own speech recognition (语音识别结果) arrives in Recognition; the audio stays as media.
        const media = msg.MediaId ? [{ kind: 'voice' as const, ref: `wechat:${a.name}:${msg.MediaId}` }] : [];
        return turn(a, uk, msg, { text: msg.Recognition ?? '', media });
      }
      case 'image': {
        const media = msg.MediaId ? [{ kind: 'image' as const, ref: `wechat:${a.name}:${msg.MediaId}` }] : [];
        return turn(a, uk, msg, { text: '', media });
      }
      default: {
        const bound = await deps.bindings.get('wechat', a.name, uk);
        return say('unsupported', bound?.lang);
      }
    }
  }

  /** Sends what missed the passive reply through the customer-service API, within the quota. */
  async function deliverLate(a: WechatAccount, openId: string, ans: Answer) {
    const uk = userKey('wechat', a.name, openId);
    let blocked: string | null = null;
    if (!(await deps.quota.take(a.name, uk))) blocked = 'WECHAT_CS_QUOTA_EXHAUSTED';
    else {
      const sent = await deps.api.sendText(a, openId, ans.text);
      if (!sent.ok) {
        if (QUOTA_ERRCODES.has(sent.errcode ?? 0)) blocked = 'WECHAT_CS_QUOTA_EXHAUSTED';
        else
          log.warn(
            { account: a.name, errcode: sent.errcode, sessionId: ans.sessionId },
            'wechat send refused',
          );
      }
    }
    if (blocked && ans.sessionId) {
      log.warn({ account: a.name, error: blocked, sessionId: ans.sessionId }, 'wechat delivery blocked');
      await deps.notes.deliveryBlocked({
        sessionId: ans.sessionId,
        channel: 'wechat',
        account: a.name,
        code: blocked,
        seq: ans.seq ?? null,
        at: deps.clock.now(),
      });
    }
  }

  function passive(
    a: WechatAccount,
    msg: WechatXml,
    encrypted: boolean,
    nonce: string,
    text: string,
  ): WechatReply {
    const now = Math.floor(deps.clock.now().getTime() / 1000);
    const xml = textReplyXml(msg.FromUserName!, msg.ToUserName ?? '', now, text);
    if (!encrypted) return { contentType: 'application/xml; charset=utf-8', body: xml };
    const random16 = Buffer.from(deps.ids.token(16), 'base64url').subarray(0, 16);
    const enc = encryptMessage(keys.get(a.name)!, a.appId, xml, random16);
    const sig = wechatSignature(a.token, String(now), nonce, enc);
    return { contentType: 'application/xml; charset=utf-8', body: encryptedReplyXml(enc, sig, now, nonce) };
  }

  /** A message or event pushed by WeChat. Refusals throw AppError with a 4xx status. */
  function receive(accountName: string, q: CallbackQuery, body: string): Promise<WechatReply> {
    return guarded(accountName, async () => {
      const a = accountOf(accountName);
      const { ts, nonce } = checkSignature(a, q);
      const { msg, encrypted } = openEnvelope(a, q, ts, nonce, body);
      const work = answer(a, msg);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<'late'>((r) => {
        timer = setTimeout(() => r('late'), deadlineMs);
      });
      let first: Answer | null | 'late';
      try {
        first = await Promise.race([work, late]);
      } finally {
        clearTimeout(timer);
      }
      if (first === 'late') {
        log.warn(
          { account: a.name },
          'wechat turn missed the passive-reply deadline; sending through the API',
        );
        const openId = msg.FromUserName!;
        void work
          .then((ans) => (ans?.text ? deliverLate(a, openId, ans) : undefined))
          .catch((e: unknown) =>
            log.error(
              { account: a.name, error: isAppError(e) ? e.code : 'ERROR' },
              'wechat late delivery failed',
            ),
          );
        return SUCCESS;
      }
      if (!first?.text) return SUCCESS;
      return passive(a, msg, encrypted, nonce, first.text);
    });
  }

  return { verify, receive };
}

export type WechatChannel = ReturnType<typeof createWechatChannel>;
