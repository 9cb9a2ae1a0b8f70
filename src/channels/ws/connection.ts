/**
 * One WebSocket connection of the interview protocol, independent of Fastify and of the socket library: it is
 * given a socket-like object and the interview port, and handles frames in order. Delivery goes from the durable
 * transcript by seq, so a reconnect, a retried answer or a turn committed on another instance never loses or
 * doubles a message.
 */
import type {
  BotMessage,
  SessionRecord,
  TranscriptEvent,
  TurnInput,
  TurnResult,
} from '../../dialog/session/types.js';
import type { Clock, Ids } from '../../platform/deps.js';
import { isAppError } from '../../platform/errors.js';
import type { Kv, Unsubscribe } from '../../platform/kv/index.js';
import type { Lang } from '../../questions/types.js';
import {
  CLOSE,
  type ClientFrame,
  HEARTBEAT_MS,
  HELLO_TIMEOUT_MS,
  MAX_FRAME_BYTES,
  type ServerFrame,
  parseFrame,
} from './protocol.js';

export interface SocketLike {
  send(text: string): void;
  /** Holds the frames sent inside fn and writes them together (optional). */
  batch?<T>(fn: () => T): T;
  close(code: number, reason: string): void;
  readonly bufferedAmount: number;
}

/** What the channel needs from the interview, nothing more. */
export interface InterviewPort {
  /** Resolves an interview session token and starts or resumes its session; throws AppError when refused. */
  open(token: string, lang: Lang | undefined): Promise<SessionRecord>;
  handleTurn(input: TurnInput): Promise<TurnResult>;
  transcriptAfter(sessionId: string, afterSeq: number, limit?: number): Promise<TranscriptEvent[]>;
}

export interface WsLimits {
  /**
   * Answers per window before a polite RATE_LIMITED (naming the answer and when to send it again); beyond
   * `floodFrames` frames of any kind (acks and pings included) the socket closes with 4429.
   */
  framesPerWindow: number;
  floodFrames: number;
  windowMs: number;
  /** Unsent bytes before the socket is closed with 1013 (the client resumes later). */
  maxBufferedBytes: number;
  /** Frames waiting to be processed before further answers are refused. */
  maxQueued: number;
}

export const DEFAULT_WS_LIMITS: WsLimits = {
  framesPerWindow: 20,
  floodFrames: 60,
  windowMs: 10_000,
  maxBufferedBytes: 1024 * 1024,
  maxQueued: 16,
};

export interface WsConnectionDeps {
  port: InterviewPort;
  kv: Kv;
  clock: Clock;
  ids: Ids;
  log: {
    info(obj: object, msg: string): void;
    warn(obj: object, msg: string): void;
    error(obj: object, msg: string): void;
  };
  limits?: Partial<WsLimits>;
}

/** Channel for cross-instance notices about one session: takeovers and committed events. */
export const sessionChannel = (sessionId: string) => `ws:session:${sessionId}`;
export type SessionNotice = { type: 'takeover'; conn: string } | { type: 'events'; lastSeq: number };

/** How long a turn may take before the applicant sees the typing indicator. */
export const TYPING_DELAY_MS = 300;

const ENDED = new Set(['completed', 'abandoned', 'expired']);

export function createWsConnection(socket: SocketLike, deps: WsConnectionDeps) {
  const limits = { ...DEFAULT_WS_LIMITS, ...deps.limits };
  const connId = deps.ids.uuid();
  let phase: 'hello' | 'open' | 'closed' = 'hello';
  let session: SessionRecord | null = null;
  let lastSent = 0;
  let chain: Promise<void> = Promise.resolve();
  let queued = 0;
  let windowStart = deps.clock.now().getTime();
  let framesInWindow = 0;
  let answersInWindow = 0;
  let unsubscribe: Unsubscribe | null = null;
  let lastFrameAt = Date.now();

  const helloTimer = setTimeout(() => close(CLOSE.HELLO_TIMEOUT, 'HELLO_TIMEOUT'), HELLO_TIMEOUT_MS);
  helloTimer.unref?.();
  const idleTimer = setInterval(() => {
    if (phase === 'open' && Date.now() - lastFrameAt > 3 * HEARTBEAT_MS) close(CLOSE.NORMAL, 'IDLE');
  }, HEARTBEAT_MS);
  idleTimer.unref?.();

  // A function, not an inline test: awaits and callbacks change `phase` behind TypeScript's narrowing.
  const isClosed = () => phase === 'closed';

  function send(frame: ServerFrame) {
    if (phase === 'closed') return;
    if (socket.bufferedAmount > limits.maxBufferedBytes) {
      close(CLOSE.TRY_AGAIN_LATER, 'BACKPRESSURE');
      return;
    }
    socket.send(JSON.stringify(frame));
  }

  const batch = <T>(fn: () => T): T => (socket.batch ? socket.batch(fn) : fn());

  function close(code: number, reason: string) {
    if (phase === 'closed') return;
    phase = 'closed';
    cleanup();
    socket.close(code, reason);
  }

  function cleanup() {
    clearTimeout(helloTimer);
    clearInterval(idleTimer);
    const u = unsubscribe;
    unsubscribe = null;
    void u?.().catch(() => undefined);
  }

  /** A bot line as a `message` frame, from the transcript or from a turn's result. */
  function messageFrame(m: Omit<BotMessage, 'choices'> & { choices?: BotMessage['choices'] | undefined }) {
    const f: ServerFrame = {
      type: 'message',
      seq: m.seq,
      id: `${session!.id}:${m.seq}`,
      text: m.text,
      at: m.at.toISOString(),
    };
    if (m.choices) f.choices = m.choices;
    if (m.expects) f.expects = m.expects;
    if (m.questionId) f.questionId = m.questionId;
    return f;
  }

  /** The choices of the last question replayed, to show a choice answered by its label. */
  let replayedChoices: { id: string; label: string }[] = [];

  function sendEvent(e: TranscriptEvent) {
    if (e.seq <= lastSent) return;
    lastSent = e.seq;
    if (e.kind === 'bot') {
      replayedChoices = e.choices ?? [];
      send(messageFrame(e));
    } else if (e.kind === 'applicant') {
      // Replayed, the applicant's own words too: a device that resumes without them (another phone) shows them.
      const label =
        e.choice === undefined ? undefined : replayedChoices.find((c) => c.id === e.choice)?.label;
      send({ type: 'echo', seq: e.seq, clientMsgId: e.clientMsgId, text: e.text || label || e.choice || '' });
    } else if (e.kind === 'end') {
      send({ type: 'end', seq: e.seq, reason: e.reason, text: e.text });
      close(CLOSE.SESSION_ENDED, 'SESSION_ENDED');
    }
  }

  /** Sends every transcript event after what this connection has sent, in seq order. */
  async function flush() {
    if (!session || phase === 'closed') return;
    for (;;) {
      const events = await deps.port.transcriptAfter(session.id, lastSent, 200);
      for (const e of events) sendEvent(e);
      if (events.length < 200 || isClosed()) return;
    }
  }

  function enqueue(task: () => Promise<void>) {
    queued++;
    chain = chain
      .then(task)
      .catch((e: unknown) => {
        deps.log.error({ err: e, sessionId: session?.id }, 'websocket frame failed');
        close(CLOSE.SERVER_ERROR, 'SERVER_ERROR');
      })
      .finally(() => {
        queued--;
      });
  }

  async function onHello(f: Extract<ClientFrame, { type: 'hello' }>) {
    let s: SessionRecord;
    try {
      s = await deps.port.open(f.token, f.lang);
    } catch (e) {
      const code = isAppError(e) ? e.code : 'UNAUTHENTICATED';
      deps.log.warn({ error: code }, 'websocket hello refused'); // not `code`: redacted (OTP codes)
      if (isAppError(e) && e.status >= 500) return close(CLOSE.SERVER_ERROR, code);
      return close(CLOSE.UNAUTHENTICATED, code);
    }
    if (isClosed()) return;
    if (f.lastSeq > s.lastSeq) return close(CLOSE.RESUME_OUT_OF_RANGE, 'RESUME_OUT_OF_RANGE');
    clearTimeout(helloTimer);
    session = s;
    phase = 'open';
    lastSent = f.lastSeq;
    unsubscribe = await deps.kv.subscribe(sessionChannel(s.id), (raw) => {
      const notice = JSON.parse(raw) as SessionNotice;
      if (notice.type === 'takeover' && notice.conn !== connId) close(CLOSE.REPLACED, 'REPLACED');
      // Checked when its turn in the queue comes: this connection's own reply has usually been sent by then.
      if (notice.type === 'events' && notice.lastSeq > lastSent)
        enqueue(async () => {
          if (notice.lastSeq > lastSent) await flush();
        });
    });
    await deps.kv.publish(
      sessionChannel(s.id),
      JSON.stringify({ type: 'takeover', conn: connId } satisfies SessionNotice),
    );
    send({
      type: 'welcome',
      sessionId: s.id,
      state: s.status,
      lastSeq: s.lastSeq,
      heartbeatMs: HEARTBEAT_MS,
    });
    await flush();
    if (ENDED.has(s.status) && !isClosed()) close(CLOSE.SESSION_ENDED, 'SESSION_ENDED');
  }

  /** The turn's own reply, sent straight from its result when it follows what this connection has sent. */
  function sendReply(result: TurnResult): boolean {
    const seqs = [...result.messages.map((m) => m.seq), ...(result.ended ? [result.ended.seq] : [])];
    if (seqs.some((q, i) => q !== result.ackSeq + 1 + i)) return false;
    lastSent = result.ackSeq;
    for (const m of result.messages) {
      lastSent = m.seq;
      send(messageFrame(m));
    }
    if (result.ended) {
      const e = result.ended;
      sendEvent({ kind: 'end', seq: e.seq, reason: e.reason, text: e.text, at: new Date(0) });
    }
    return true;
  }

  async function onAnswer(f: Extract<ClientFrame, { type: 'answer' }>) {
    if (!session || phase !== 'open') return;
    // A turn takes milliseconds; the typing indicator is for the rare slow one.
    let typing = false;
    const typingTimer = setTimeout(() => {
      typing = true;
      send({ type: 'typing', on: true });
    }, TYPING_DELAY_MS);
    let result: TurnResult;
    try {
      const input: TurnInput = { sessionId: session.id, clientMsgId: f.clientMsgId, channel: 'websocket' };
      if (f.text !== undefined) input.text = f.text;
      if (f.choice !== undefined) input.choice = f.choice;
      result = await deps.port.handleTurn(input);
    } catch (e) {
      clearTimeout(typingTimer);
      if (typing) send({ type: 'typing', on: false });
      if (isAppError(e) && e.code === 'SESSION_ENDED') {
        await flush();
        return close(CLOSE.SESSION_ENDED, 'SESSION_ENDED');
      }
      if (isAppError(e) && e.status < 500 && e.code !== 'SESSION_CONFLICT') {
        const retryAfterMs = typeof e.details.retryAfterMs === 'number' ? e.details.retryAfterMs : undefined;
        return send({
          type: 'error',
          code: e.code,
          message: e.message,
          clientMsgId: f.clientMsgId,
          ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        });
      }
      // Busy or failed: the client reconnects and re-sends what was not acknowledged.
      deps.log.warn(
        { code: isAppError(e) ? e.code : 'ERROR', sessionId: session.id },
        'turn failed; asking the client to resume',
      );
      return close(CLOSE.TRY_AGAIN_LATER, isAppError(e) ? e.code : 'SERVER_ERROR');
    }
    clearTimeout(typingTimer);
    if (typing) send({ type: 'typing', on: false });
    // The ack and the reply leave in one write.
    const done = batch(() => {
      send({ type: 'ack', clientMsgId: f.clientMsgId, seq: result.ackSeq });
      return !result.duplicate && result.ackSeq === lastSent + 1 && sendReply(result);
    });
    if (!done) await flush();
  }

  function countFrame(): 'ok' | 'flood' {
    const now = deps.clock.now().getTime();
    if (now - windowStart >= limits.windowMs) {
      windowStart = now;
      framesInWindow = 0;
      answersInWindow = 0;
    }
    framesInWindow++;
    return framesInWindow > limits.floodFrames ? 'flood' : 'ok';
  }

  function onMessage(data: Buffer | string, isBinary = false) {
    if (phase === 'closed') return;
    lastFrameAt = Date.now();
    const size = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    if (size > MAX_FRAME_BYTES) return close(CLOSE.FRAME_TOO_LARGE, 'FRAME_TOO_LARGE');
    if (isBinary) return close(CLOSE.BAD_FRAME, 'BAD_FRAME');
    const rate = countFrame();
    if (rate === 'flood') return close(CLOSE.FLOOD, 'FLOOD');
    const parsed = parseFrame(typeof data === 'string' ? data : data.toString('utf8'));
    if (!parsed.ok) {
      deps.log.warn({ reason: parsed.reason.slice(0, 200) }, 'websocket bad frame');
      return close(CLOSE.BAD_FRAME, 'BAD_FRAME');
    }
    const f = parsed.frame;
    if (phase === 'hello') {
      if (f.type !== 'hello') return close(CLOSE.UNAUTHENTICATED, 'UNAUTHENTICATED');
      phase = 'open'; // further frames queue behind the hello
      return enqueue(() => onHello(f));
    }
    switch (f.type) {
      case 'hello':
        return close(CLOSE.BAD_FRAME, 'BAD_FRAME');
      case 'ping':
        return send({ type: 'pong' });
      case 'ack':
        return;
      case 'answer':
        // Acknowledgements and pings do not count here: a quick applicant acks every line it is shown.
        if (++answersInWindow > limits.framesPerWindow || queued >= limits.maxQueued) {
          // The client keeps the answer and sends it again after the pause (docs/ws-protocol.md).
          return send({
            type: 'error',
            code: 'RATE_LIMITED',
            message: '消息太快了，请稍等再发 / Too fast, please wait',
            clientMsgId: f.clientMsgId,
            retryAfterMs: Math.max(500, limits.windowMs - (deps.clock.now().getTime() - windowStart)),
          });
        }
        return enqueue(() => onAnswer(f));
    }
  }

  function onClose() {
    phase = 'closed';
    cleanup();
  }

  return { onMessage, onClose, id: connId };
}
