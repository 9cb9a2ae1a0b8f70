import { randomBytes } from 'node:crypto';
/** A WeChat channel over a dialog service on memory stores, a fake WeChat API server and signed-request helpers. */
import { createBindingCodes } from '../../../src/channels/bindings/codes.js';
import type { DeliveryBlocked } from '../../../src/channels/bindings/notes.js';
import { type BindingStore, createMemoryBindingStore } from '../../../src/channels/bindings/types.js';
import { createWechatApi } from '../../../src/channels/wechat/api.js';
import { type CallbackQuery, createWechatChannel } from '../../../src/channels/wechat/channel.js';
import type { WechatAccount } from '../../../src/channels/wechat/config.js';
import { aesKeyOf, encryptMessage, wechatSignature } from '../../../src/channels/wechat/crypto.js';
import { createCsQuota } from '../../../src/channels/wechat/quota.js';
import { cdata } from '../../../src/channels/wechat/xml.js';
import type { InterviewPort } from '../../../src/channels/ws/connection.js';
import { unauthorized } from '../../../src/platform/errors.js';
import { counterIds, harness } from '../../dialog/session/harness.js';
import { type FakeWechat, startFakeWechat } from './fake-wechat.js';

export const PLAIN: WechatAccount = {
  name: 'county',
  appId: 'wx-plain-app',
  appSecret: 'app-secret',
  token: 'plaintoken',
  mode: 'plain',
};
export const SAFE: WechatAccount = {
  name: 'union',
  appId: 'wxb11529c136998cb6',
  appSecret: 'app-secret',
  token: 'pamtest',
  encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  mode: 'safe',
};

export const OPENID = 'oia2TjjewbmiOUlr6X-1crbLOvLw';

export interface Logged {
  level: string;
  obj: object;
  msg: string;
}

/** An interview port like the gateway's: `token-<case>` opens the session of that case. */
export function testPort(h: ReturnType<typeof harness>, delayMs = { value: 0 }): InterviewPort {
  return {
    open: async (token, lang) => {
      const m = /^token-(\w+)$/.exec(token);
      if (!m) throw unauthorized('SESSION_INVALID', 'not valid');
      const { session } = await h.service.startOrResume({
        caseId: m[1]!,
        invitationId: `inv-${m[1]}`,
        branchPath: '/a/',
        lang: lang ?? 'zh-CN',
      });
      return session;
    },
    handleTurn: async (input) => {
      if (delayMs.value) await new Promise((r) => setTimeout(r, delayMs.value));
      return h.service.handleTurn(input);
    },
    transcriptAfter: (id, after, limit) => h.service.transcriptAfter(id, after, limit),
  };
}

export async function setup(opts: { deadlineMs?: number; bindings?: BindingStore } = {}) {
  const h = harness();
  const fake: FakeWechat = await startFakeWechat();
  const delay = { value: 0 };
  const port = testPort(h, delay);
  const bindings = opts.bindings ?? createMemoryBindingStore();
  const ids = counterIds('wx');
  const logs: Logged[] = [];
  const log = {
    info: (obj: object, msg: string) => logs.push({ level: 'info', obj, msg }),
    warn: (obj: object, msg: string) => logs.push({ level: 'warn', obj, msg }),
    error: (obj: object, msg: string) => logs.push({ level: 'error', obj, msg }),
  };
  const codes = createBindingCodes({
    port,
    kv: h.kv,
    clock: h.clock,
    ids: { ...ids, token: () => randomToken() },
    bindings,
  });
  const api = createWechatApi({ baseUrl: fake.baseUrl, kv: h.kv, clock: h.clock, log });
  const notes: DeliveryBlocked[] = [];
  const channel = createWechatChannel({
    accounts: [PLAIN, SAFE],
    port,
    codes,
    bindings,
    api,
    quota: createCsQuota(h.kv),
    notes: { deliveryBlocked: async (n) => void notes.push(n) },
    kv: h.kv,
    clock: h.clock,
    ids: { ...ids, token: () => randomToken() },
    log,
    ...(opts.deadlineMs !== undefined ? { deadlineMs: opts.deadlineMs } : {}),
  });
  let msgId = 6054768590064713728n;
  let nonceN = 1000;
  const now = () => String(Math.floor(h.clock.now().getTime() / 1000));

  function signedQuery(a: WechatAccount, extra: Partial<CallbackQuery> = {}): CallbackQuery {
    const timestamp = extra.timestamp ?? now();
    const nonce = extra.nonce ?? String(nonceN++);
    return {
      signature: wechatSignature(a.token, timestamp, nonce),
      timestamp,
      nonce,
      openid: OPENID,
      ...extra,
    };
  }

  function messageXml(a: WechatAccount, fields: Record<string, string>, from = OPENID) {
    const body = Object.entries({
      ToUserName: 'gh_7f083739789a',
      FromUserName: from,
      CreateTime: now(),
      ...fields,
    })
      .map(([k, v]) =>
        k === 'CreateTime' || k === 'MsgId' ? `<${k}>${v}</${k}>` : `<${k}>${cdata(v)}</${k}>`,
      )
      .join('');
    void a;
    return `<xml>${body}</xml>`;
  }

  /** Posts a message as WeChat would: signed, encrypted for safe-mode accounts. */
  async function send(
    a: WechatAccount,
    fields: Record<string, string>,
    opt: { from?: string; query?: Partial<CallbackQuery> } = {},
  ) {
    const inner = messageXml(a, fields, opt.from);
    const q = signedQuery(a, opt.query);
    if (a.mode === 'plain') return channel.receive(a.name, q, inner);
    const enc = encryptMessage(aesKeyOf(a.encodingAesKey!), a.appId, inner, Buffer.from('0123456789abcdef'));
    q.encrypt_type = 'aes';
    q.msg_signature = wechatSignature(a.token, q.timestamp!, q.nonce!, enc);
    return channel.receive(
      a.name,
      q,
      `<xml><ToUserName>${cdata('gh_7f083739789a')}</ToUserName><Encrypt>${cdata(enc)}</Encrypt></xml>`,
    );
  }

  const nextMsgId = () => String(msgId++);
  const text = (a: WechatAccount, content: string, id = nextMsgId(), from?: string) =>
    send(a, { MsgType: 'text', Content: content, MsgId: id }, from ? { from } : {});

  return {
    h,
    fake,
    port,
    bindings,
    codes,
    api,
    channel,
    notes,
    logs,
    delay,
    send,
    text,
    signedQuery,
    messageXml,
    nextMsgId,
    close: () => fake.close(),
  };
}

const randomToken = () => randomBytes(16).toString('base64url');
