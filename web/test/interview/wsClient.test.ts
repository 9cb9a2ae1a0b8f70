import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  backoffDelay,
  createWsClient,
  type InterviewMessage,
  type ResumeState,
  type SocketLike,
  type StopReason,
} from '../../src/interview/wsClient.js';

/** A socket the test opens, feeds and closes by hand; it records what the client sent. */
class FakeSocket implements SocketLike {
  readyState = 0;
  sent: Record<string, unknown>[] = [];
  closedWith: number | undefined;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;

  send(data: string) {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  close(code = 1000) {
    this.closedWith = code;
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(frame: Record<string, unknown>) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  serverClose(code: number) {
    this.readyState = 3;
    this.onclose?.({ code, reason: '' });
  }
  welcome(lastSeq = 0, heartbeatMs = 25_000) {
    this.open();
    this.receive({ type: 'welcome', sessionId: 's1', state: 'in_progress', lastSeq, heartbeatMs });
  }
  ofType(type: string) {
    return this.sent.filter((f) => f.type === type);
  }
}

const question = (seq: number, text = `q${seq}`): Record<string, unknown> => ({
  type: 'message',
  seq,
  id: `m${seq}`,
  text,
  at: '2026-01-01T00:00:00Z',
});

function harness(resume?: ResumeState) {
  const sockets: FakeSocket[] = [];
  const shown: InterviewMessage[] = [];
  const stops: { reason: StopReason; code: number | undefined }[] = [];
  const persisted: ResumeState[] = [];
  const resets: number[] = [];
  let n = 0;
  const client = createWsClient({
    url: 'ws://test/ws/interview',
    token: 'session-token',
    lang: 'zh-CN',
    ...(resume ? { resume } : {}),
    createSocket: () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    },
    newId: () => `c${++n}`,
    random: () => 0.5,
    onMessage: (m) => shown.push(m),
    onStop: (reason, code) => stops.push({ reason, code }),
    onPersist: (s) => persisted.push(s),
    onReset: () => resets.push(1),
  });
  const last = () => sockets[sockets.length - 1]!;
  return { client, sockets, shown, stops, persisted, resets, last };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('wsClient', () => {
  it('says hello with the token, lastSeq and language when the socket opens', () => {
    const h = harness({ lastSeq: 7, pending: [] });
    h.client.start();
    h.last().open();
    expect(h.last().sent[0]).toEqual({
      type: 'hello',
      token: 'session-token',
      lastSeq: 7,
      lang: 'zh-CN',
      client: 'web/1.0',
    });
  });

  it('shows each seq once and in order, acknowledging it, when the server repeats messages', () => {
    const h = harness();
    h.client.start();
    h.last().welcome();
    for (const seq of [1, 2, 2, 1, 3]) h.last().receive(question(seq));
    expect(h.shown.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(h.last().ofType('ack')).toEqual([
      { type: 'ack', seq: 1 },
      { type: 'ack', seq: 2 },
      { type: 'ack', seq: 3 },
    ]);
    expect(h.client.state.lastSeq).toBe(3);
  });

  it('accepts gaps in seq, because the applicant’s own answers take seqs too', () => {
    const h = harness();
    h.client.start();
    h.last().welcome();
    h.last().receive(question(1));
    h.last().receive(question(3));
    expect(h.shown.map((m) => m.seq)).toEqual([1, 3]);
  });

  it('resumes from the last shown seq after a drop and does not show the replayed messages twice', () => {
    const h = harness();
    h.client.start();
    h.last().welcome();
    h.last().receive(question(1));
    h.last().receive(question(2));
    h.last().serverClose(1006);
    vi.advanceTimersByTime(20_000);
    expect(h.sockets).toHaveLength(2);
    h.last().open();
    expect(h.last().sent[0]).toMatchObject({ type: 'hello', lastSeq: 2 });
    h.last().receive({
      type: 'welcome',
      sessionId: 's1',
      state: 'in_progress',
      lastSeq: 3,
      heartbeatMs: 25_000,
    });
    h.last().receive(question(2)); // an over-eager replay
    h.last().receive(question(3));
    expect(h.shown.map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('re-sends un-acknowledged answers after a reconnect with the same clientMsgId, and forgets acknowledged ones', () => {
    const h = harness();
    h.client.start();
    h.last().welcome();
    h.last().receive(question(1));
    const a = h.client.answer({ text: '三万五' });
    const b = h.client.answer({ choice: 'yes' });
    h.last().receive({ type: 'ack', clientMsgId: a, seq: 2 });
    h.last().serverClose(1011);
    vi.advanceTimersByTime(20_000);
    h.last().welcome(2);
    const resent = h.last().ofType('answer');
    expect(resent).toEqual([{ type: 'answer', clientMsgId: b, choice: 'yes' }]);
    h.last().receive({ type: 'ack', clientMsgId: b, seq: 3 });
    h.last().receive({ type: 'ack', clientMsgId: b, seq: 3 }); // the server acks a duplicate again
    expect(h.client.state.pending).toEqual([]);
  });

  it('passes the applicant’s replayed answers on in seq order, once, and settles a pending answer the server echoes', () => {
    const echoes: { clientMsgId: string; text: string }[] = [];
    const sockets: FakeSocket[] = [];
    const client = createWsClient({
      url: 'ws://test/ws/interview',
      token: 'session-token',
      lang: 'zh-CN',
      resume: { lastSeq: 0, pending: [{ clientMsgId: 'p1', text: '三千' }] },
      createSocket: () => {
        const s = new FakeSocket();
        sockets.push(s);
        return s;
      },
      newId: () => 'x',
      onEcho: (e) => echoes.push({ clientMsgId: e.clientMsgId, text: e.text }),
    });
    client.start();
    const s = sockets[0]!;
    s.welcome(4);
    for (const f of [
      question(1),
      question(2),
      { type: 'echo', seq: 3, clientMsgId: 'p1', text: '三千' },
      { type: 'echo', seq: 3, clientMsgId: 'p1', text: '三千' }, // replayed twice: shown once
      question(4),
    ])
      s.receive(f);
    expect(echoes).toEqual([{ clientMsgId: 'p1', text: '三千' }]);
    expect(client.state).toEqual({ lastSeq: 4, pending: [] });
    expect(s.ofType('ack').map((a) => a.seq)).toEqual([1, 2, 3, 4]);
  });

  it('queues an answer given while disconnected and sends it once after the welcome', () => {
    const h = harness();
    h.client.start();
    h.last().welcome();
    h.last().serverClose(1006);
    const id = h.client.answer({ text: '五头猪' });
    vi.advanceTimersByTime(20_000);
    h.last().open();
    expect(h.last().ofType('answer')).toEqual([]); // not before the welcome
    h.last().receive({
      type: 'welcome',
      sessionId: 's1',
      state: 'in_progress',
      lastSeq: 0,
      heartbeatMs: 25_000,
    });
    expect(h.last().ofType('answer')).toEqual([{ type: 'answer', clientMsgId: id, text: '五头猪' }]);
  });

  it('resumes a reloaded page from stored state: lastSeq in the hello and the stored pending answers re-sent', () => {
    const h = harness({ lastSeq: 5, pending: [{ clientMsgId: 'old-1', text: '两万' }] });
    h.client.start();
    h.last().welcome(6);
    expect(h.last().sent[0]).toMatchObject({ type: 'hello', lastSeq: 5 });
    expect(h.last().ofType('answer')).toEqual([{ type: 'answer', clientMsgId: 'old-1', text: '两万' }]);
  });

  it('persists lastSeq and pending answers whenever they change', () => {
    const h = harness();
    h.client.start();
    h.last().welcome();
    h.last().receive(question(1));
    const id = h.client.answer({ text: 'x' });
    expect(h.persisted.at(-1)).toEqual({ lastSeq: 1, pending: [{ clientMsgId: id, text: 'x' }] });
    h.last().receive({ type: 'ack', clientMsgId: id, seq: 2 });
    expect(h.persisted.at(-1)).toEqual({ lastSeq: 1, pending: [] });
  });

  it('pings every heartbeat and replaces a connection that stays silent for two heartbeats', () => {
    const h = harness();
    h.client.start();
    h.last().welcome(0, 1_000);
    vi.advanceTimersByTime(1_000);
    expect(h.last().ofType('ping')).toHaveLength(1);
    const first = h.last();
    vi.advanceTimersByTime(7_000 + 1);
    expect(first.closedWith).toBe(4000);
    vi.advanceTimersByTime(20_000);
    expect(h.sockets.length).toBeGreaterThan(1);
  });

  it('backs off exponentially between failed attempts and resets after a welcome', () => {
    expect(backoffDelay(1, 0.999, 500, 15_000)).toBe(499);
    expect(backoffDelay(3, 0.999, 500, 15_000)).toBe(1998);
    expect(backoffDelay(10, 0.999, 500, 15_000)).toBe(14_985);
    expect(backoffDelay(1, 0, 500, 15_000)).toBe(100);
    const h = harness();
    h.client.start();
    h.last().serverClose(1006); // attempt 1: 250 ms with random 0.5
    vi.advanceTimersByTime(249);
    expect(h.sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(h.sockets).toHaveLength(2);
    h.last().serverClose(1006); // attempt 2: 500 ms
    vi.advanceTimersByTime(499);
    expect(h.sockets).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(h.sockets).toHaveLength(3);
  });

  it.each([
    [4401, 'unauthenticated'],
    [4409, 'replaced'],
    [4410, 'ended'],
    [4429, 'flood'],
    [4400, 'bad_frame'],
    [4413, 'too_large'],
  ] as const)('stops without reconnecting on close code %i (%s)', (code, reason) => {
    const h = harness();
    h.client.start();
    h.last().welcome();
    h.last().serverClose(code);
    vi.advanceTimersByTime(60_000);
    expect(h.sockets).toHaveLength(1);
    expect(h.stops).toEqual([{ reason, code }]);
  });

  it('starts over from seq 0 once when the server cannot resume from the stored lastSeq (4416)', () => {
    const h = harness({ lastSeq: 99, pending: [] });
    h.client.start();
    h.last().open();
    h.last().serverClose(4416);
    expect(h.resets).toHaveLength(1);
    vi.advanceTimersByTime(20_000);
    h.last().open();
    expect(h.last().sent[0]).toMatchObject({ type: 'hello', lastSeq: 0 });
    h.last().serverClose(4416);
    expect(h.stops).toEqual([{ reason: 'resume_failed', code: 4416 }]);
  });

  it('ignores events of a socket it has already replaced', () => {
    const h = harness();
    h.client.start();
    h.last().welcome(0, 1_000);
    const old = h.last();
    vi.advanceTimersByTime(8_000); // silent: replaced
    vi.advanceTimersByTime(20_000);
    h.last().welcome();
    old.receive(question(1));
    old.onclose?.({ code: 4410, reason: '' });
    expect(h.shown).toEqual([]);
    expect(h.stops).toEqual([]);
  });

  it('drops a pending answer the server refused by clientMsgId, so it is not re-sent forever', () => {
    const h = harness();
    h.client.start();
    h.last().welcome();
    const id = h.client.answer({ text: 'x' });
    h.last().receive({ type: 'error', code: 'ANSWER_TOO_LONG', message: 'too long', clientMsgId: id });
    expect(h.client.state.pending).toEqual([]);
  });
});
