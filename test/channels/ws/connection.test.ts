import { describe, expect, it } from 'vitest';
import {
  type InterviewPort,
  TYPING_DELAY_MS,
  createWsConnection,
} from '../../../src/channels/ws/connection.js';
import { CLOSE } from '../../../src/channels/ws/protocol.js';
import { unauthorized } from '../../../src/platform/errors.js';
import { counterIds, harness } from '../../dialog/session/harness.js';

const TOKEN = 'interview-token-0123456789';

class FakeSocket {
  sent: Record<string, unknown>[] = [];
  closed: { code: number; reason: string } | null = null;
  bufferedAmount = 0;
  send(text: string) {
    this.sent.push(JSON.parse(text) as Record<string, unknown>);
  }
  close(code: number, reason: string) {
    this.closed ??= { code, reason };
  }
  ofType(type: string) {
    return this.sent.filter((f) => f.type === type);
  }
}

const silentLog = { info: () => undefined, warn: () => undefined, error: () => undefined };
const settle = () => new Promise((r) => setTimeout(r, 30));

function setup() {
  const h = harness();
  const kv = h.kv;
  const port: InterviewPort = {
    open: async (token, lang) => {
      if (token !== TOKEN) throw unauthorized('SESSION_INVALID', 'not valid');
      return (
        await h.service.startOrResume({
          caseId: 'c1',
          invitationId: 'i1',
          branchPath: '/a/',
          lang: lang ?? 'zh-CN',
        })
      ).session;
    },
    handleTurn: (input) => h.service.handleTurn(input),
    transcriptAfter: (id, after, limit) => h.service.transcriptAfter(id, after, limit),
  };
  const ids = counterIds('conn');
  const connect = () => {
    const socket = new FakeSocket();
    const conn = createWsConnection(socket, { port, kv, clock: h.clock, ids, log: silentLog });
    const frame = (f: unknown) => conn.onMessage(JSON.stringify(f));
    return { socket, conn, frame };
  };
  return { h, connect };
}

describe('interview WebSocket connection', () => {
  it('welcomes a valid hello and sends the greeting and first question in seq order', async () => {
    const { connect } = setup();
    const c = connect();
    c.frame({ type: 'hello', token: TOKEN, lastSeq: 0 });
    await settle();
    expect(c.socket.sent[0]).toMatchObject({ type: 'welcome', lastSeq: 2, state: 'in_progress' });
    expect(c.socket.ofType('message').map((m) => m.seq)).toEqual([1, 2]);
    expect(c.socket.closed).toBeNull();
  });

  it('acknowledges an answer and delivers the next question', async () => {
    const { connect } = setup();
    const c = connect();
    c.frame({ type: 'hello', token: TOKEN, lastSeq: 0 });
    await settle();
    c.frame({ type: 'answer', clientMsgId: 'a1', text: '一天三千左右' });
    await settle();
    expect(c.socket.ofType('ack')).toEqual([{ type: 'ack', clientMsgId: 'a1', seq: 3 }]);
    expect(c.socket.ofType('message').map((m) => m.seq)).toEqual([1, 2, 4]);
  });

  it('sends the ack and the reply in one batch, without a typing indicator for a fast turn', async () => {
    const { connect } = setup();
    const c = connect();
    const batches: string[][] = [];
    (c.socket as FakeSocket & { batch?: unknown }).batch = <T>(fn: () => T): T => {
      const before = c.socket.sent.length;
      const out = fn();
      batches.push(c.socket.sent.slice(before).map((f) => String(f.type)));
      return out;
    };
    c.frame({ type: 'hello', token: TOKEN, lastSeq: 0 });
    await settle();
    c.frame({ type: 'answer', clientMsgId: 'a1', text: '一天三千左右' });
    await settle();
    expect(batches).toEqual([['ack', 'message']]);
    expect(c.socket.ofType('typing')).toEqual([]);
  });

  it('shows the typing indicator while a slow turn runs, and takes it down after', async () => {
    const { h, connect } = setup();
    const slow = h.service.handleTurn;
    h.service.handleTurn = async (input) => {
      await new Promise((r) => setTimeout(r, TYPING_DELAY_MS + 100));
      return slow(input);
    };
    const c = connect();
    c.frame({ type: 'hello', token: TOKEN, lastSeq: 0 });
    await settle();
    c.frame({ type: 'answer', clientMsgId: 'a1', text: '一天三千左右' });
    await new Promise((r) => setTimeout(r, TYPING_DELAY_MS + 50));
    expect(c.socket.ofType('typing')).toEqual([{ type: 'typing', on: true }]);
    await new Promise((r) => setTimeout(r, 150));
    expect(c.socket.sent.slice(-3).map((f) => f.type)).toEqual(['typing', 'ack', 'message']);
    expect(c.socket.ofType('typing').at(-1)).toEqual({ type: 'typing', on: false });
  });

  it('replays the applicant’s own answers as echo frames to a device that resumes from the start, choices by their label', async () => {
    const { h, connect } = setup();
    const a = connect();
    a.frame({ type: 'hello', token: TOKEN, lastSeq: 0 });
    await settle();
    let answers = 0;
    for (let i = 1; i <= 12 && !a.socket.closed; i++, answers++) {
      const q = a.socket.ofType('message').at(-1) as { choices?: { id: string }[] };
      a.frame({
        type: 'answer',
        clientMsgId: `a${i}`,
        ...(q.choices?.length ? { choice: q.choices[0]!.id } : { text: '一天三千左右' }),
      });
      await settle();
      h.clock.advance(3000); // an applicant's pace: under the message rate limit
    }
    const replay = (frames: Record<string, unknown>[]) =>
      frames.filter((f) => f.type === 'message' || f.type === 'echo').map((f) => [f.type, f.seq]);
    // Another phone: everything, in seq order, the answers as echoes with what the applicant saw.
    const b = connect();
    b.frame({ type: 'hello', token: TOKEN, lastSeq: 0 });
    await settle();
    const live = a.socket.sent.filter((f) => f.type === 'message' || f.type === 'ack');
    expect(replay(b.socket.sent)).toEqual(
      live
        .map((f) => [f.type === 'ack' ? 'echo' : 'message', f.seq])
        .sort((x, y) => Number(x[1]) - Number(y[1])),
    );
    const echoes = b.socket.ofType('echo');
    expect(echoes.map((e) => e.clientMsgId)).toEqual(Array.from({ length: answers }, (_, i) => `a${i + 1}`));
    const labels = new Map(
      a.socket
        .ofType('message')
        .flatMap((m) =>
          ((m.choices as { id: string; label: string }[] | undefined) ?? []).map((c) => [c.id, c.label]),
        ),
    );
    expect(echoes.filter((e) => e.text !== '一天三千左右').length).toBeGreaterThan(0); // a choice among them
    for (const e of echoes) {
      expect(e.text).not.toBe('');
      if (e.text !== '一天三千左右') expect([...labels.values()]).toContain(e.text);
    }
    // The device that sent them live got no echo of its own answers.
    expect(a.socket.ofType('echo')).toEqual([]);
  });

  it('resumes after a dropped connection from lastSeq, re-acks a re-sent answer and doubles nothing', async () => {
    const { connect } = setup();
    const first = connect();
    first.frame({ type: 'hello', token: TOKEN, lastSeq: 0 });
    await settle();
    first.frame({ type: 'answer', clientMsgId: 'a1', text: '3000' });
    await settle();
    first.conn.onClose(); // the network drops before the client saw anything after seq 2
    const second = connect();
    second.frame({ type: 'hello', token: TOKEN, lastSeq: 2 });
    second.frame({ type: 'answer', clientMsgId: 'a1', text: '3000' });
    await settle();
    expect(second.socket.ofType('message').map((m) => m.seq)).toEqual([4]);
    expect(second.socket.ofType('ack')).toEqual([{ type: 'ack', clientMsgId: 'a1', seq: 3 }]);
  });

  it('closes the older connection when a newer one takes over the session', async () => {
    const { connect } = setup();
    const a = connect();
    a.frame({ type: 'hello', token: TOKEN, lastSeq: 0 });
    await settle();
    const b = connect();
    b.frame({ type: 'hello', token: TOKEN, lastSeq: 2 });
    await settle();
    expect(a.socket.closed?.code).toBe(CLOSE.REPLACED);
    expect(b.socket.closed).toBeNull();
  });

  it.each([
    ['not JSON', 'hello?', CLOSE.BAD_FRAME],
    ['an unknown type', JSON.stringify({ type: 'shout' }), CLOSE.BAD_FRAME],
    [
      'an answer before hello',
      JSON.stringify({ type: 'answer', clientMsgId: 'x', text: 'hi' }),
      CLOSE.UNAUTHENTICATED,
    ],
    ['an oversize frame', JSON.stringify({ type: 'hello', token: 'x'.repeat(9000) }), CLOSE.FRAME_TOO_LARGE],
  ])('refuses %s with its close code', async (_name, raw, code) => {
    const { connect } = setup();
    const c = connect();
    c.conn.onMessage(raw);
    await settle();
    expect(c.socket.closed?.code).toBe(code);
  });

  it('refuses a bad token with 4401 and a resume from a seq it never sent with 4416', async () => {
    const { connect } = setup();
    const bad = connect();
    bad.frame({ type: 'hello', token: 'wrong-token-0123456789', lastSeq: 0 });
    await settle();
    expect(bad.socket.closed).toEqual({ code: CLOSE.UNAUTHENTICATED, reason: 'SESSION_INVALID' });
    const ahead = connect();
    ahead.frame({ type: 'hello', token: TOKEN, lastSeq: 99 });
    await settle();
    expect(ahead.socket.closed?.code).toBe(CLOSE.RESUME_OUT_OF_RANGE);
  });

  it('answers a burst with RATE_LIMITED and closes a flood with 4429', async () => {
    const { connect } = setup();
    const c = connect();
    c.frame({ type: 'hello', token: TOKEN, lastSeq: 0 });
    await settle();
    // Acknowledgements and pings do not use up the answers' allowance.
    for (let i = 0; i < 25; i++) c.frame(i % 2 ? { type: 'ping' } : { type: 'ack', seq: 2 });
    c.frame({ type: 'answer', clientMsgId: 'first', text: '3000' });
    expect(c.socket.ofType('error')).toEqual([]);
    for (let i = 0; i < 25; i++) c.frame({ type: 'answer', clientMsgId: `burst-${i}`, text: '3000' });
    const refused = c.socket.ofType('error');
    expect(refused.length).toBeGreaterThan(0);
    // Each refusal names the answer and when to send it again, so the client can.
    for (const e of refused) {
      expect(e).toMatchObject({ code: 'RATE_LIMITED', clientMsgId: expect.stringMatching(/^burst-/) });
      expect(e.retryAfterMs).toBeGreaterThan(0);
    }
    expect(c.socket.closed).toBeNull();
    for (let i = 0; i < 40; i++) c.frame({ type: 'ping' });
    expect(c.socket.closed?.code).toBe(CLOSE.FLOOD);
  });

  it('delivers a turn committed on another instance through the session channel', async () => {
    const { h, connect } = setup();
    const c = connect();
    c.frame({ type: 'hello', token: TOKEN, lastSeq: 0 });
    await settle();
    const sessionId = (c.socket.sent[0] as { sessionId: string }).sessionId;
    await h.service.handleTurn({ sessionId, clientMsgId: 'elsewhere', channel: 'wechat', text: '3000' });
    await h.kv.publish(`ws:session:${sessionId}`, JSON.stringify({ type: 'events', lastSeq: 4 }));
    await settle();
    expect(c.socket.ofType('message').map((m) => m.seq)).toEqual([1, 2, 4]);
  });

  it('closes with 1013 under back-pressure so the client resumes later', async () => {
    const { connect } = setup();
    const c = connect();
    c.socket.bufferedAmount = 10 * 1024 * 1024;
    c.frame({ type: 'hello', token: TOKEN, lastSeq: 0 });
    await settle();
    expect(c.socket.closed?.code).toBe(CLOSE.TRY_AGAIN_LATER);
  });
});
