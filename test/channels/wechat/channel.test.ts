import { afterEach, describe, expect, it } from 'vitest';
import { codeInText } from '../../../src/channels/bindings/codes.js';
import { aesKeyOf, decryptMessage, wechatSignature } from '../../../src/channels/wechat/crypto.js';
import { parseWechatXml } from '../../../src/channels/wechat/xml.js';
import { OPENID, PLAIN, SAFE, setup } from './support.js';

type Setup = Awaited<ReturnType<typeof setup>>;
let t: Setup | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const contentOf = (reply: { body: string }) => parseWechatXml(reply.body).Content ?? '';

async function bound(s: Setup, account = PLAIN, caseId = 'c1') {
  const { code } = await s.codes.issue(`token-${caseId}`);
  const reply = await s.text(account, `绑定 ${code}`);
  return { code, reply };
}

describe('WeChat channel: server URL verification', () => {
  it('answers the echostr when the signature is right', async () => {
    t = await setup();
    const q = t.signedQuery(PLAIN, { echostr: '1616140317555161061' });
    expect(await t.channel.verify('county', q)).toBe('1616140317555161061');
  });

  it.each([
    ['a forged signature', { signature: 'f'.repeat(40) }, 403, 'WECHAT_SIGNATURE_INVALID'],
    ['a timestamp six minutes old', { timestamp: 'OLD' }, 403, 'WECHAT_TIMESTAMP_STALE'],
    ['a timestamp that is not a number', { timestamp: '12a' }, 400, 'WECHAT_TIMESTAMP_INVALID'],
  ] as [string, { signature?: string; timestamp?: string }, number, string][])(
    'refuses %s',
    async (_name, extra, status, code) => {
      t = await setup();
      const ts =
        extra.timestamp === 'OLD'
          ? String(Math.floor(t.h.clock.now().getTime() / 1000) - 360)
          : extra.timestamp;
      const q = t.signedQuery(PLAIN, { echostr: 'e', ...(ts ? { timestamp: ts } : {}) });
      if ('signature' in extra) q.signature = extra.signature;
      await expect(t.channel.verify('county', q)).rejects.toMatchObject({ status, code });
    },
  );

  it('refuses an unknown account with 404', async () => {
    t = await setup();
    await expect(t.channel.verify('nobody', t.signedQuery(PLAIN, { echostr: 'e' }))).rejects.toMatchObject({
      status: 404,
      code: 'WECHAT_ACCOUNT_NOT_FOUND',
    });
  });
});

describe('WeChat channel: binding', () => {
  it('explains how to bind to a user who has none', async () => {
    t = await setup();
    expect(contentOf(await t.text(PLAIN, '你好'))).toContain('绑定码');
  });

  it('binds with "绑定 <code>" and answers with the greeting and first question', async () => {
    t = await setup();
    const { reply } = await bound(t);
    const content = contentOf(reply);
    const prompt = await t.h.service.transcriptAfter((await t.port.open('token-c1', undefined)).id, 0);
    expect(content).toContain('已连接到您的面试');
    for (const e of prompt) if (e.kind === 'bot') expect(content).toContain(e.text);
    expect(parseWechatXml(reply.body)).toMatchObject({
      ToUserName: OPENID,
      FromUserName: 'gh_7f083739789a',
      MsgType: 'text',
    });
  });

  it('binds by scanning the QR code with scene bind_<code> (subscribe and SCAN events)', async () => {
    t = await setup();
    const a = await t.codes.issue('token-c1');
    const r1 = await t.send(PLAIN, {
      MsgType: 'event',
      Event: 'subscribe',
      EventKey: `qrscene_bind_${a.code}`,
    });
    expect(contentOf(r1)).toContain('已连接到您的面试');
    const b = await t.codes.issue('token-c2');
    const r2 = await t.send(
      PLAIN,
      { MsgType: 'event', Event: 'SCAN', EventKey: `bind_${b.code}` },
      { from: 'other-openid' },
    );
    expect(contentOf(r2)).toContain('已连接到您的面试');
  });

  it('uses a code once: a second user sending it is refused', async () => {
    t = await setup();
    const { code } = await bound(t);
    expect(contentOf(await t.text(PLAIN, code, t.nextMsgId(), 'second-user'))).toContain('绑定码无效');
  });

  it('refuses further codes from a user after ten wrong ones within the hour', async () => {
    t = await setup();
    for (let i = 0; i < 10; i++)
      expect(contentOf(await t.text(PLAIN, '绑定 ABCDEFGH'))).toContain('绑定码无效');
    expect(contentOf(await t.text(PLAIN, '绑定 ABCDEFGH'))).toContain('尝试次数过多');
  });

  it('reads codes leniently but only of the code alphabet', () => {
    expect(codeInText('绑定 ab12cd34')).toBeUndefined(); // 1 is not in the alphabet
    expect(codeInText('绑定：ab23-cd45')).toBe('AB23CD45');
    expect(codeInText('bind AB23CD45')).toBe('AB23CD45');
    expect(codeInText('一天三千左右')).toBeUndefined();
  });
});

describe('WeChat channel: the interview', () => {
  it('answers passively with the next question and records the answer once when WeChat retries the MsgId', async () => {
    t = await setup();
    await bound(t);
    const id = t.nextMsgId();
    const first = contentOf(await t.text(PLAIN, '一天三千左右', id));
    const retry = contentOf(await t.text(PLAIN, '一天三千左右', id));
    expect(first.length).toBeGreaterThan(0);
    expect(retry).toBe(first);
    const sessionId = (await t.port.open('token-c1', undefined)).id;
    const answers = (await t.port.transcriptAfter(sessionId, 0)).filter((e) => e.kind === 'applicant');
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({ clientMsgId: `wx:${id}`, channel: 'wechat', text: '一天三千左右' });
  });

  it('keeps a 64-bit MsgId exactly', async () => {
    t = await setup();
    await bound(t);
    await t.text(PLAIN, '3000', '9223372036854775807');
    const sessionId = (await t.port.open('token-c1', undefined)).id;
    const events = await t.port.transcriptAfter(sessionId, 0);
    expect(events.find((e) => e.kind === 'applicant')).toMatchObject({
      clientMsgId: 'wx:9223372036854775807',
    });
  });

  it('takes a voice message through its Recognition text and keeps the MediaId for the recording', async () => {
    t = await setup();
    await bound(t);
    const reply = await t.send(PLAIN, {
      MsgType: 'voice',
      MediaId: 'media-123',
      Format: 'amr',
      Recognition: '一天三千块',
      MsgId: t.nextMsgId(),
    });
    expect(contentOf(reply).length).toBeGreaterThan(0);
    const sessionId = (await t.port.open('token-c1', undefined)).id;
    const e = (await t.port.transcriptAfter(sessionId, 0)).find((x) => x.kind === 'applicant');
    expect(e).toMatchObject({
      text: '一天三千块',
      media: [{ kind: 'voice', ref: 'wechat:county:media-123' }],
    });
  });

  it('runs the interview in safe mode: decrypts the message, encrypts and signs the reply', async () => {
    t = await setup();
    const { reply } = await bound(t, SAFE);
    const env = parseWechatXml(reply.body);
    expect(env.MsgSignature).toBe(wechatSignature(SAFE.token, env.TimeStamp!, env.Nonce!, env.Encrypt!));
    const inner = decryptMessage(aesKeyOf(SAFE.encodingAesKey!), env.Encrypt!);
    expect(inner.appId).toBe(SAFE.appId);
    expect(parseWechatXml(inner.message).Content).toContain('已连接到您的面试');
  });

  it('answers success and sends through the customer-service API when a turn misses the deadline', async () => {
    t = await setup({ deadlineMs: 40 });
    await bound(t);
    t.delay.value = 150;
    const reply = await t.text(PLAIN, '一天三千左右');
    expect(reply.body).toBe('success');
    // The late reply goes out in the background; give a loaded machine time to send it.
    await expect.poll(() => t!.fake.sent.length, { timeout: 15_000 }).toBe(1);
    expect(t.fake.sent[0]).toMatchObject({ touser: OPENID });
    expect(t.fake.sent[0]!.content.length).toBeGreaterThan(0);
    expect(t.fake.tokenFetches).toBe(1);
    expect(t.notes).toEqual([]);
  });

  it('records for the expert when WeChat refuses a late message for the quota, and sends nothing more', async () => {
    t = await setup({ deadlineMs: 40 });
    await bound(t);
    t.delay.value = 150;
    t.fake.sendErrcode = 45047;
    expect((await t.text(PLAIN, '一天三千左右')).body).toBe('success');
    await new Promise((r) => setTimeout(r, 400));
    expect(t.fake.sent).toHaveLength(0);
    expect(t.notes).toEqual([
      expect.objectContaining({ channel: 'wechat', account: 'county', code: 'WECHAT_CS_QUOTA_EXHAUSTED' }),
    ]);
    expect(t.notes[0]!.seq).toBeGreaterThan(0);
  });
});

describe('WeChat channel: bad input', () => {
  const entityBomb =
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><xml><Content>&lol2;</Content></xml>';
  const external =
    '<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><Content>&xxe;</Content></xml>';

  it.each([
    ['an entity-expansion bomb', entityBomb, 400, 'WECHAT_XML_FORBIDDEN'],
    ['an external entity', external, 400, 'WECHAT_XML_FORBIDDEN'],
    ['malformed XML', '<xml><Content>hi</Contnt></xml>', 400, 'WECHAT_XML_MALFORMED'],
    ['an empty body', '', 400, 'WECHAT_XML_MALFORMED'],
    ['a body without the xml root', '<foo>1</foo>', 400, 'WECHAT_XML_MALFORMED'],
    [
      'an oversized body',
      `<xml><Content>${'x'.repeat(70_000)}</Content></xml>`,
      413,
      'WECHAT_BODY_TOO_LARGE',
    ],
  ])('refuses %s with %i %s', async (_name, body, status, code) => {
    t = await setup();
    await expect(t.channel.receive('county', t.signedQuery(PLAIN), body)).rejects.toMatchObject({
      status,
      code,
    });
  });

  it('refuses a message with a forged signature, a replayed timestamp or for an unknown account', async () => {
    t = await setup();
    const body = t.messageXml(PLAIN, { MsgType: 'text', Content: 'hi', MsgId: '1' });
    const forged = { ...t.signedQuery(PLAIN), signature: '0'.repeat(40) };
    await expect(t.channel.receive('county', forged, body)).rejects.toMatchObject({
      code: 'WECHAT_SIGNATURE_INVALID',
    });
    const old = String(Math.floor(t.h.clock.now().getTime() / 1000) - 301);
    await expect(
      t.channel.receive('county', t.signedQuery(PLAIN, { timestamp: old }), body),
    ).rejects.toMatchObject({
      code: 'WECHAT_TIMESTAMP_STALE',
    });
    await expect(t.channel.receive('ghost', t.signedQuery(PLAIN), body)).rejects.toMatchObject({
      status: 404,
    });
  });

  it('refuses plain messages to a safe-mode account and a forged msg_signature', async () => {
    t = await setup();
    const body = t.messageXml(SAFE, { MsgType: 'text', Content: 'hi', MsgId: '1' });
    await expect(t.channel.receive('union', t.signedQuery(SAFE), body)).rejects.toMatchObject({
      code: 'WECHAT_ENCRYPTION_REQUIRED',
    });
    const q = { ...t.signedQuery(SAFE), encrypt_type: 'aes', msg_signature: '1'.repeat(40) };
    await expect(
      t.channel.receive('union', q, '<xml><Encrypt><![CDATA[abcd]]></Encrypt></xml>'),
    ).rejects.toMatchObject({
      code: 'WECHAT_SIGNATURE_INVALID',
    });
  });

  it('refuses a message sealed for another appId', async () => {
    t = await setup();
    const other = { ...SAFE, appId: 'wx-someone-else' };
    const { encryptMessage } = await import('../../../src/channels/wechat/crypto.js');
    const enc = encryptMessage(
      aesKeyOf(SAFE.encodingAesKey!),
      other.appId,
      '<xml><MsgType>text</MsgType></xml>',
      Buffer.alloc(16),
    );
    const q = t.signedQuery(SAFE);
    const full = {
      ...q,
      encrypt_type: 'aes',
      msg_signature: wechatSignature(SAFE.token, q.timestamp!, q.nonce!, enc),
    };
    await expect(
      t.channel.receive('union', full, `<xml><Encrypt><![CDATA[${enc}]]></Encrypt></xml>`),
    ).rejects.toMatchObject({
      code: 'WECHAT_APPID_MISMATCH',
    });
  });

  it('logs refusals and bindings without the openid in clear', async () => {
    t = await setup();
    await bound(t);
    await t.text(PLAIN, '3000');
    await t.channel
      .receive('county', { ...t.signedQuery(PLAIN), signature: 'x' }, '<xml/>')
      .catch(() => undefined);
    const logged = JSON.stringify(t.logs);
    expect(t.logs.length).toBeGreaterThan(1);
    expect(logged).not.toContain(OPENID);
  });
});
