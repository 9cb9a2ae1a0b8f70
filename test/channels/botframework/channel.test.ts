import { type IncomingMessage, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createBindingCodes } from '../../../src/channels/bindings/codes.js';
import { createMemoryBindingStore } from '../../../src/channels/bindings/types.js';
import {
  type BotFrameworkChannel,
  createBotFrameworkChannel,
} from '../../../src/channels/botframework/channel.js';
import { botFrameworkRoutes } from '../../../src/channels/botframework/routes.js';
import type { ActivityIn } from '../../../src/channels/botframework/translate.js';
import { counterIds, harness } from '../../dialog/session/harness.js';
import { testPort } from '../wechat/support.js';

const silent = { info: () => undefined, warn: () => undefined };

function setup() {
  const h = harness();
  const port = testPort(h);
  const bindings = createMemoryBindingStore();
  const ids = counterIds('bf');
  const codes = createBindingCodes({ port, kv: h.kv, clock: h.clock, ids, bindings });
  const channel = createBotFrameworkChannel({ port, codes, bindings, kv: h.kv, ids, log: silent });
  let n = 0;
  const activity = (a: Partial<ActivityIn>): ActivityIn => ({
    type: 'message',
    id: `conv-1|${String(++n).padStart(7, '0')}`,
    channelId: 'webchat',
    from: { id: 'user-1' },
    conversation: { id: 'conv-1' },
    ...a,
  });
  return { h, port, channel, activity, bindings };
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

describe('Bot Framework channel', () => {
  it('binds with the session token in channelData and sends the greeting and first question', async () => {
    const { channel, activity, port } = setup();
    const out = await channel.onActivity(
      activity({ type: 'conversationUpdate', channelData: { weidaiSessionToken: 'token-c1' } }),
    );
    const session = await port.open('token-c1', undefined);
    const bots = (await port.transcriptAfter(session.id, 0)).filter((e) => e.kind === 'bot');
    expect(out.map((a) => a.text)).toEqual(bots.map((b) => b.text));
  });

  it('runs a turn per message and answers a redelivered activity with the committed reply, not a second turn', async () => {
    const { channel, activity, port } = setup();
    await channel.onActivity(activity({ text: '/start token-c1' }));
    const answer = activity({ text: '一天三千左右' });
    const first = await channel.onActivity(answer);
    const again = await channel.onActivity(answer);
    expect(first.length).toBeGreaterThan(0);
    expect(again).toEqual(first);
    const session = await port.open('token-c1', undefined);
    const applicant = (await port.transcriptAfter(session.id, 0)).filter((e) => e.kind === 'applicant');
    expect(applicant).toHaveLength(1);
    expect(applicant[0]).toMatchObject({ clientMsgId: `bf:${answer.id}`, channel: 'botframework' });
  });

  it('answers a client that sends the token with every message, once bound', async () => {
    const { channel, activity, port } = setup();
    await channel.onActivity(activity({ type: 'event', name: 'weidai/start', value: { token: 'token-c1' } }));
    const out = await channel.onActivity(
      activity({ text: '3000', channelData: { weidaiSessionToken: 'token-c1' } }),
    );
    const session = await port.open('token-c1', undefined);
    expect((await port.transcriptAfter(session.id, 0)).some((e) => e.kind === 'applicant')).toBe(true);
    expect(out.length).toBeGreaterThan(0);
  });

  it('tells an unbound member and one with a bad token to open the chat from the link, running no turn', async () => {
    const { channel, activity } = setup();
    expect((await channel.onActivity(activity({ text: 'hello' })))[0]?.text).toContain('链接');
    expect((await channel.onActivity(activity({ text: '/start forged-token' })))[0]?.text).toContain('链接');
  });

  it('binds per conversation: another conversation of the same user needs the token again', async () => {
    const { channel, activity } = setup();
    await channel.onActivity(activity({ text: '/start token-c1' }));
    const other = await channel.onActivity(activity({ conversation: { id: 'conv-2' }, text: '3000' }));
    expect(other[0]?.text).toContain('链接');
  });
});

describe('Bot Framework endpoint through the Agents SDK (anonymous)', () => {
  async function app() {
    const s = setup();
    const fastify = Fastify();
    await fastify.register(botFrameworkRoutes, { channel: s.channel });
    await fastify.ready();
    closers.push(() => fastify.close());
    return { ...s, fastify };
  }

  const base = {
    type: 'message',
    channelId: 'webchat',
    from: { id: 'user-1' },
    recipient: { id: 'bot' },
    conversation: { id: 'conv-1' },
    serviceUrl: 'http://127.0.0.1:1',
  };

  it('returns the replies in the HTTP body with deliveryMode expectReplies', async () => {
    const { fastify } = await app();
    const res = await fastify.inject({
      method: 'POST',
      url: '/channels/botframework/messages',
      payload: { ...base, id: 'a1', deliveryMode: 'expectReplies', text: '/start token-c1' },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ activities: { type: string; text?: string }[] }>();
    expect(body.activities.length).toBeGreaterThanOrEqual(1);
    expect(body.activities.every((a) => a.type === 'message' && a.text)).toBe(true);
  });

  it('posts the replies to the connector at serviceUrl otherwise', async () => {
    const posted: { url: string; body: Record<string, unknown> }[] = [];
    const connector = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        posted.push({ url: req.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') });
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ id: `r${posted.length}` }));
      });
    });
    await new Promise<void>((r) => connector.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise<void>((r) => connector.close(() => r())));
    const serviceUrl = `http://127.0.0.1:${(connector.address() as AddressInfo).port}`;
    const { fastify } = await app();
    const res = await fastify.inject({
      method: 'POST',
      url: '/channels/botframework/messages',
      payload: { ...base, serviceUrl, id: 'a1', text: '/start token-c1' },
    });
    expect(res.statusCode).toBe(200);
    expect(posted.length).toBeGreaterThanOrEqual(1);
    expect(posted[0]!.url).toMatch(/^\/v3\/conversations\/conv-1\/activities/);
    expect(posted[0]!.body).toMatchObject({ type: 'message', conversation: { id: 'conv-1' } });
  });

  it('runs a whole interview through the SDK: quick replies as suggestedActions, every line delivered, nothing logged as an error', async () => {
    const logged: { level: number; msg: string }[] = [];
    const s = setup();
    const fastify = Fastify({
      logger: {
        level: 'info',
        stream: {
          write: (line: string) => void logged.push(JSON.parse(line) as { level: number; msg: string }),
        },
      },
    });
    // The service's app has asynchronous onSend hooks (headers, logging): a reply is written a tick after send().
    fastify.addHook('onSend', async (_req, _reply, payload) => payload);
    const turnErrors: object[] = [];
    await fastify.register(botFrameworkRoutes, {
      channel: s.channel,
      log: { error: (obj) => void turnErrors.push(obj) },
    });
    // Over a real socket: Fastify's inject does not show a reply sent twice, which a real response does.
    const url = await fastify.listen({ host: '127.0.0.1', port: 0 });
    closers.push(() => fastify.close());
    let n = 0;
    const send = async (a: Record<string, unknown>) => {
      const res = await fetch(`${url}/channels/botframework/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...base, id: `w${++n}`, deliveryMode: 'expectReplies', ...a }),
      });
      expect(res.status).toBe(200);
      type Out = { type: string; text?: string; suggestedActions?: { actions: { value: string }[] } };
      return ((await res.json()) as { activities: Out[] }).activities;
    };
    const shown: string[] = [];
    let replies = await send({ text: '/start token-c1' });
    let withChoices = 0;
    for (let turn = 0; turn < 30 && !replies.some((a) => a.type === 'endOfConversation'); turn++) {
      expect(replies.map((a) => a.type)).not.toContain('trace');
      for (const a of replies) if (a.type === 'message' && a.text) shown.push(a.text);
      const q = replies.filter((a) => a.type === 'message').at(-1)!;
      const pick = q.suggestedActions?.actions[0]?.value;
      if (pick !== undefined) withChoices++;
      s.h.clock.advance(3000); // an applicant reading the question: under the per-session message rate
      replies = await send({ text: pick ?? '一天三千左右' });
    }
    for (const a of replies) if (a.type === 'message' && a.text) shown.push(a.text);
    expect(replies.at(-1)?.type).toBe('endOfConversation');
    expect(withChoices).toBeGreaterThan(0);
    // Every line of the transcript reached the applicant, in order.
    const session = await s.port.open('token-c1', undefined);
    const lines = (await s.port.transcriptAfter(session.id, 0)).filter((e) => e.kind !== 'applicant');
    expect(shown).toEqual(lines.map((e) => e.text));
    expect(turnErrors).toEqual([]);
    await new Promise((r) => setTimeout(r, 50)); // a second send is logged after the response
    expect(logged.filter((l) => l.level >= 40).map((l) => l.msg)).toEqual([]);
  });

  it('reports a turn that fails inside the SDK and answers in the applicant’s language, not the SDK’s English', async () => {
    const fastify = Fastify();
    const turnErrors: Record<string, unknown>[] = [];
    // A channel whose reply the SDK refuses (suggestedActions without `to`): the turn fails inside the SDK.
    const broken = {
      onActivity: async () => [{ type: 'message', text: 'x', suggestedActions: { actions: [] } }],
    };
    await fastify.register(botFrameworkRoutes, {
      channel: broken as unknown as BotFrameworkChannel,
      log: { error: (obj) => void turnErrors.push(obj as Record<string, unknown>) },
    });
    await fastify.ready();
    closers.push(() => fastify.close());
    const res = await fastify.inject({
      method: 'POST',
      url: '/channels/botframework/messages',
      payload: { ...base, id: 'e1', deliveryMode: 'expectReplies', locale: 'zh-CN', text: '3000' },
    });
    expect(res.statusCode).toBe(200);
    const out = res.json<{ activities: { type: string; text?: string }[] }>().activities;
    expect(out).toEqual([expect.objectContaining({ type: 'message', text: '系统繁忙，请稍后再发一次。' })]);
    expect(turnErrors).toHaveLength(1);
    expect(turnErrors[0]).toMatchObject({ activityType: 'message', channelId: 'webchat' });
    expect(JSON.stringify(turnErrors[0])).not.toContain('3000');
  });

  it('refuses a body that is not an activity with 400', async () => {
    const { fastify } = await app();
    const res = await fastify.inject({
      method: 'POST',
      url: '/channels/botframework/messages',
      payload: { type: 'message' },
    });
    expect(res.statusCode).toBe(400);
  });
});
