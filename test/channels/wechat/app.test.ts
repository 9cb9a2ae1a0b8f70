/**
 * The channels through the real app (test/helper.ts's context: PGlite or PostgreSQL, memory or Redis): binding
 * code endpoint, WeChat callback and Bot Framework endpoint, over a dialog service on the database store.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { userKey } from '../../../src/channels/bindings/codes.js';
import { wechatSignature } from '../../../src/channels/wechat/crypto.js';
import { cdata, parseWechatXml } from '../../../src/channels/wechat/xml.js';
import { createPgDialogStore } from '../../../src/dialog/session/store.pg.js';
import { fakeClock } from '../../../src/platform/deps.js';
import { harness } from '../../dialog/session/harness.js';
import { type TestContext, buildTestContext } from '../../helper.js';
import { type FakeWechat, startFakeWechat } from './fake-wechat.js';
import { testPort } from './support.js';
import { bindingStoreContract } from '../bindings/contract.js';

const OPENID = 'o6_bmjrPTlm6_2sgVt7hMZOPfL2M';
const TOKEN = 'token-appcase0000000001';

let t: TestContext;
let app: FastifyInstance;
let fake: FakeWechat;
const logs: string[] = [];
let h: ReturnType<typeof harness>;

beforeAll(async () => {
  fake = await startFakeWechat();
  vi.stubEnv(
    'WEIDAI_WECHAT_ACCOUNTS',
    JSON.stringify([
      { name: 'county', appId: 'wx-county', appSecret: 'app-secret', token: 'countytoken', mode: 'plain' },
    ]),
  );
  vi.stubEnv('WEIDAI_WECHAT_API_BASE', fake.baseUrl);
  const clock = fakeClock(new Date('2026-05-01T02:00:00Z'));
  t = await buildTestContext({ clock });
  h = harness({ clock, kv: t.ctx.kv, store: createPgDialogStore(t.ctx.db) });
  const { Writable } = await import('node:stream');
  const logStream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(chunk.toString('utf8'));
      cb();
    },
  });
  app = await buildApp(t.ctx, { logStream, serveWeb: false, interview: testPort(h) });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await t?.close();
  await fake?.close();
  vi.unstubAllEnvs();
});

let msgId = 7000000000000000001n;
function wechatPost(body: string, account = 'county') {
  const timestamp = String(Math.floor(t.ctx.clock.now().getTime() / 1000));
  const nonce = String(Number(msgId % 100000n));
  const signature = wechatSignature('countytoken', timestamp, nonce);
  return app.inject({
    method: 'POST',
    url: `/channels/wechat/${account}?signature=${signature}&timestamp=${timestamp}&nonce=${nonce}&openid=${OPENID}`,
    headers: { 'content-type': 'text/xml' },
    payload: body,
  });
}
const textXml = (content: string, id = String(msgId++)) =>
  `<xml><ToUserName>${cdata('gh_county')}</ToUserName><FromUserName>${cdata(OPENID)}</FromUserName>` +
  `<CreateTime>1777600000</CreateTime><MsgType>${cdata('text')}</MsgType><Content>${cdata(content)}</Content>` +
  `<MsgId>${id}</MsgId></xml>`;

describe('channels in the app', () => {
  it('verifies the WeChat server URL', async () => {
    const timestamp = String(Math.floor(t.ctx.clock.now().getTime() / 1000));
    const signature = wechatSignature('countytoken', timestamp, '42');
    const res = await app.inject({
      method: 'GET',
      url: `/channels/wechat/county?signature=${signature}&timestamp=${timestamp}&nonce=42&echostr=hello123`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('hello123');
  });

  it('issues a binding code with a WeChat QR code, binds by message and runs a turn, all stored durably', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/channels/binding-codes',
      payload: { session_token: TOKEN },
    });
    expect(res.statusCode).toBe(200);
    const { code, expires_in, qr } = res.json<{
      code: string;
      expires_in: number;
      qr: { image: string; url: string };
    }>();
    expect(code).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
    expect(expires_in).toBe(1800);
    expect(qr.image).toMatch(/^data:image\/png;base64,/);
    expect(fake.qrs).toEqual([{ scene: `bind_${code}` }]);

    const bind = await wechatPost(textXml(`绑定 ${code}`));
    expect(bind.statusCode).toBe(200);
    expect(parseWechatXml(bind.body).Content).toContain('已连接到您的面试');
    const binding = await t.ctx.channels.bindings.get(
      'wechat',
      'county',
      userKey('wechat', 'county', OPENID),
    );
    expect(binding).toMatchObject({ channel: 'wechat', account: 'county' });

    const id = String(msgId++);
    const answer = await wechatPost(textXml('一天三千左右', id));
    const retry = await wechatPost(textXml('一天三千左右', id));
    expect(parseWechatXml(answer.body).Content?.length).toBeGreaterThan(0);
    expect(retry.body.replace(/<CreateTime>\d+<\/CreateTime>/, '')).toBe(
      answer.body.replace(/<CreateTime>\d+<\/CreateTime>/, ''),
    );
    const events = await h.service.transcriptAfter(binding!.sessionId, 0);
    expect(events.filter((e) => e.kind === 'applicant')).toHaveLength(1);
  });

  it('refuses a bad session token for a binding code', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/channels/binding-codes',
      payload: { session_token: 'not-a-valid-token-at-all' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'SESSION_INVALID' });
  });

  it.each([
    [
      'an entity declaration',
      '<!DOCTYPE x [<!ENTITY a "b">]><xml><Content>&a;</Content></xml>',
      'county',
      400,
      'WECHAT_XML_FORBIDDEN',
    ],
    ['malformed XML', '<xml><a></xml>', 'county', 400, 'WECHAT_XML_MALFORMED'],
    [
      'an oversized body',
      `<xml><Content>${'x'.repeat(80_000)}</Content></xml>`,
      'county',
      413,
      'BODY_TOO_LARGE',
    ],
    ['an unknown account', '<xml/>', 'ghost', 404, 'WECHAT_ACCOUNT_NOT_FOUND'],
  ])('refuses %s clearly', async (_name, body, account, status, code) => {
    const res = await wechatPost(body, account);
    expect(res.statusCode).toBe(status);
    expect(res.json<{ code: string }>().code).toContain(code);
  });

  it('runs a Bot Framework turn with the replies in the HTTP body', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/channels/botframework/messages',
      payload: {
        type: 'message',
        id: 'act-1',
        channelId: 'webchat',
        deliveryMode: 'expectReplies',
        from: { id: 'u1' },
        recipient: { id: 'bot' },
        conversation: { id: 'c-1' },
        serviceUrl: 'http://127.0.0.1:1',
        text: '你好',
        channelData: { weidaiSessionToken: 'token-appcase0000000002' },
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json<{ activities: unknown[] }>().activities.length).toBeGreaterThan(0);
  });

  it('writes no openid into the logs', () => {
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.join('\n')).not.toContain(OPENID);
  });
});

describe('binding store on the database', () => {
  bindingStoreContract(() => t.ctx.channels.bindings);
});
