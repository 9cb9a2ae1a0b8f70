/**
 * Client of the interview WebSocket protocol, version 1 (docs/ws-protocol.md). No React here: the page feeds it a
 * socket factory and listens to its events, and the unit tests drive it with a fake socket and fake timers.
 *
 * What it guarantees to the page:
 * - every interviewer message (`message`, `end`) is delivered once, in seq order, however often the connection
 *   drops (dedupe by seq; resume with `hello.lastSeq`);
 * - every answer is kept until the server acknowledges it, and re-sent after a reconnect with the same
 *   `clientMsgId`, so the server stores it exactly once;
 * - a dead connection is noticed by the heartbeat and replaced, with exponential backoff and full jitter;
 * - a refusal the client cannot fix by reconnecting (bad token, session over, replaced, flood) stops it with a
 *   reason the page can show.
 */

export const PROTOCOL_CLIENT = 'web/1.0';
/** The server's frame limit is 8 KiB; an answer is kept well below it. */
export const MAX_ANSWER_CHARS = 1000;

export type Lang = 'zh-CN' | 'en-US';

export interface Choice {
  id: string;
  label: string;
}

/** A server frame that belongs to the interview and carries a seq. */
export interface InterviewMessage {
  type: 'message';
  seq: number;
  id: string;
  text: string;
  choices?: Choice[];
  expects?: string;
  questionId?: string;
  at: string;
}

export type EndReason = 'completed' | 'abandoned' | 'expired' | 'wants_person' | 'flood';

export interface InterviewEnd {
  type: 'end';
  seq: number;
  reason: EndReason | string;
  text: string;
}

/** The applicant's own earlier answer, replayed when resuming (on another device, it was never shown here). */
export interface InterviewEcho {
  type: 'echo';
  seq: number;
  clientMsgId: string;
  text: string;
}

export interface Welcome {
  type: 'welcome';
  sessionId: string;
  state: string;
  lastSeq: number;
  heartbeatMs: number;
}

type ServerFrame =
  | Welcome
  | InterviewMessage
  | InterviewEnd
  | InterviewEcho
  | { type: 'ack'; clientMsgId: string; seq: number }
  | { type: 'typing'; on: boolean }
  | { type: 'error'; code: string; message: string; clientMsgId?: string; retryAfterMs?: number }
  | { type: 'pong' };

export interface PendingAnswer {
  clientMsgId: string;
  text?: string;
  choice?: string;
}

/** What must survive a page reload to resume without losing or doubling a message. */
export interface ResumeState {
  lastSeq: number;
  pending: PendingAnswer[];
}

/** The minimum of the browser's WebSocket this uses (so a fake can stand in for it). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export const SOCKET_OPEN = 1;

export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'stopped';

/** Why the client stopped for good; the page maps each to a sentence (see closeReasonKey). */
export type StopReason =
  | 'ended' // 4410, or after an `end` frame
  | 'unauthenticated' // 4401
  | 'replaced' // 4409
  | 'flood' // 4429
  | 'bad_frame' // 4400
  | 'too_large' // 4413
  | 'resume_failed' // 4416 twice
  | 'closed'; // stop() by the page

export interface WsClientEvents {
  onMessage?(m: InterviewMessage): void;
  onEnd?(e: InterviewEnd): void;
  onAck?(clientMsgId: string, seq: number): void;
  /** An earlier answer of the applicant's, stored (it may be one this page sent and holds already). */
  onEcho?(e: InterviewEcho): void;
  onTyping?(on: boolean): void;
  onStatus?(s: ConnectionStatus, detail: { attempt: number; retryInMs?: number; closeCode?: number }): void;
  onWelcome?(w: Welcome): void;
  onServerError?(code: string, message: string, clientMsgId?: string): void;
  /** The server could not resume from our lastSeq: the page must drop its transcript; a full replay follows. */
  onReset?(): void;
  onStop?(reason: StopReason, closeCode?: number): void;
  /** Called whenever lastSeq or the pending answers change; the page writes it to sessionStorage. */
  onPersist?(s: ResumeState): void;
}

export interface WsClientOptions extends WsClientEvents {
  url: string;
  token: string;
  lang: Lang;
  /** Resume state from a previous page load. */
  resume?: ResumeState;
  createSocket(url: string): SocketLike;
  newId(): string;
  /** 0 ≤ random() < 1, for the backoff jitter. */
  random?: () => number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Used until the server's welcome says otherwise. */
  heartbeatMs?: number;
}

/** Close codes that stop the client, with the reason the page shows. Anything else is retried. */
const FATAL_CLOSE: Record<number, StopReason> = {
  4400: 'bad_frame',
  4401: 'unauthenticated',
  4409: 'replaced',
  4410: 'ended',
  4413: 'too_large',
  4429: 'flood',
};

/**
 * Backoff delay for the n-th consecutive failed attempt (n ≥ 1): "full jitter", uniformly random in
 * [0, min(max, base · 2^(n−1))] — AWS Architecture Blog, "Exponential Backoff and Jitter" (Brooker, 2015) — with
 * a small floor so a flapping server is not hammered.
 */
export function backoffDelay(attempt: number, random: number, baseMs: number, maxMs: number): number {
  const cap = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(100, Math.floor(random * cap));
}

function parseFrame(data: unknown): ServerFrame | undefined {
  if (typeof data !== 'string') return undefined;
  try {
    const v: unknown = JSON.parse(data);
    if (v && typeof v === 'object' && typeof (v as { type?: unknown }).type === 'string')
      return v as ServerFrame;
  } catch {
    // A frame that is not JSON is ignored: the server never sends one.
  }
  return undefined;
}

export function createWsClient(opts: WsClientOptions) {
  const random = opts.random ?? Math.random;
  const baseMs = opts.backoffBaseMs ?? 500;
  const maxMs = opts.backoffMaxMs ?? 15_000;

  let lastSeq = opts.resume?.lastSeq ?? 0;
  const pending: PendingAnswer[] = [...(opts.resume?.pending ?? [])];
  let socket: SocketLike | undefined;
  let welcomed = false;
  let stopped = false;
  let attempt = 0;
  let resetOnce = false;
  let heartbeatMs = opts.heartbeatMs ?? 25_000;
  let pingTimer: ReturnType<typeof setInterval> | undefined;
  let deadTimer: ReturnType<typeof setTimeout> | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  const persist = () => opts.onPersist?.({ lastSeq, pending: pending.map((p) => ({ ...p })) });

  function send(frame: Record<string, unknown>) {
    if (socket && socket.readyState === SOCKET_OPEN) socket.send(JSON.stringify(frame));
  }

  function clearTimers() {
    if (pingTimer !== undefined) clearInterval(pingTimer);
    if (deadTimer !== undefined) clearTimeout(deadTimer);
    if (retryTimer !== undefined) clearTimeout(retryTimer);
    pingTimer = deadTimer = retryTimer = undefined;
  }

  /** Any frame proves the connection alive; silence for two heartbeats means a dead link (e.g. a sleeping phone). */
  function armDeadTimer() {
    if (deadTimer !== undefined) clearTimeout(deadTimer);
    deadTimer = setTimeout(() => dropAndRetry(undefined), heartbeatMs * 2 + 5_000);
  }

  /** Detaches the socket first, so a late close event of the old one cannot disturb the new one. */
  function detach(code = 1000, reason = '') {
    const s = socket;
    socket = undefined;
    welcomed = false;
    if (!s) return;
    s.onopen = s.onmessage = s.onclose = s.onerror = null;
    try {
      s.close(code, reason);
    } catch {
      // Closing a socket that never opened can throw in some browsers; it is gone either way.
    }
  }

  function stop(reason: StopReason, closeCode?: number) {
    if (stopped) return;
    stopped = true;
    clearTimers();
    detach(1000, reason);
    opts.onStatus?.('stopped', { attempt, ...(closeCode !== undefined ? { closeCode } : {}) });
    opts.onStop?.(reason, closeCode);
  }

  function dropAndRetry(closeCode: number | undefined) {
    if (stopped) return;
    clearTimers();
    detach(4000, 'reconnect');
    attempt += 1;
    const retryInMs = backoffDelay(attempt, random(), baseMs, maxMs);
    opts.onStatus?.('reconnecting', {
      attempt,
      retryInMs,
      ...(closeCode !== undefined ? { closeCode } : {}),
    });
    retryTimer = setTimeout(connect, retryInMs);
  }

  function onClose(code: number) {
    if (stopped) return;
    const fatal = FATAL_CLOSE[code];
    if (fatal) return stop(fatal, code);
    if (code === 4416) {
      // Our lastSeq is ahead of the server (stale storage): start over from the beginning, once.
      if (resetOnce) return stop('resume_failed', code);
      resetOnce = true;
      lastSeq = 0;
      persist();
      opts.onReset?.();
    }
    dropAndRetry(code);
  }

  function deliverSeq(seq: number): boolean {
    if (!Number.isInteger(seq) || seq <= lastSeq) return false;
    lastSeq = seq;
    return true;
  }

  function onFrame(frame: ServerFrame) {
    armDeadTimer();
    switch (frame.type) {
      case 'welcome': {
        welcomed = true;
        attempt = 0;
        if (frame.heartbeatMs > 0) heartbeatMs = frame.heartbeatMs;
        if (pingTimer !== undefined) clearInterval(pingTimer);
        pingTimer = setInterval(() => send({ type: 'ping' }), heartbeatMs);
        armDeadTimer();
        opts.onWelcome?.(frame);
        opts.onStatus?.('open', { attempt: 0 });
        // Answers the server has not acknowledged go again, in order, with the same clientMsgId.
        for (const p of pending) send(answerFrame(p));
        return;
      }
      case 'message':
        if (!deliverSeq(frame.seq)) return;
        opts.onMessage?.(frame);
        send({ type: 'ack', seq: frame.seq });
        persist();
        return;
      case 'echo': {
        if (!deliverSeq(frame.seq)) return;
        // Stored: an answer of ours still waiting for its ack needs sending no more.
        const i = pending.findIndex((p) => p.clientMsgId === frame.clientMsgId);
        if (i >= 0) pending.splice(i, 1);
        send({ type: 'ack', seq: frame.seq });
        persist();
        opts.onEcho?.(frame);
        return;
      }
      case 'end':
        if (!deliverSeq(frame.seq)) return;
        send({ type: 'ack', seq: frame.seq });
        persist();
        opts.onEnd?.(frame);
        return;
      case 'ack': {
        const i = pending.findIndex((p) => p.clientMsgId === frame.clientMsgId);
        if (i < 0) return; // a repeated ack for an answer already settled
        pending.splice(i, 1);
        persist();
        opts.onAck?.(frame.clientMsgId, frame.seq);
        return;
      }
      case 'typing':
        opts.onTyping?.(Boolean(frame.on));
        return;
      case 'error': {
        // Too fast: the same answer goes again after the pause the server asks for.
        const retry = frame.clientMsgId
          ? pending.find((p) => p.clientMsgId === frame.clientMsgId)
          : undefined;
        if (retry && frame.retryAfterMs !== undefined) {
          setTimeout(
            () => {
              if (pending.includes(retry)) send(answerFrame(retry));
            },
            Math.min(Math.max(frame.retryAfterMs, 500), 60_000),
          );
          opts.onServerError?.(frame.code, frame.message, frame.clientMsgId);
          return;
        }
        // An answer refused for its content would be refused again on every resend: give it up.
        if (frame.clientMsgId) {
          const i = pending.findIndex((p) => p.clientMsgId === frame.clientMsgId);
          if (i >= 0) {
            pending.splice(i, 1);
            persist();
          }
        }
        opts.onServerError?.(frame.code, frame.message, frame.clientMsgId);
        return;
      }
      case 'pong':
        return;
      default:
        // Unknown frame types are ignored, so a newer server can add some.
        return;
    }
  }

  function connect() {
    if (stopped) return;
    retryTimer = undefined;
    opts.onStatus?.(attempt === 0 ? 'connecting' : 'reconnecting', { attempt });
    let s: SocketLike;
    try {
      s = opts.createSocket(opts.url);
    } catch {
      dropAndRetry(undefined);
      return;
    }
    socket = s;
    s.onopen = () => {
      send({ type: 'hello', token: opts.token, lastSeq, lang: opts.lang, client: PROTOCOL_CLIENT });
      armDeadTimer();
    };
    s.onmessage = (ev) => {
      const f = parseFrame(ev.data);
      if (f) onFrame(f);
    };
    s.onclose = (ev) => {
      socket = undefined;
      welcomed = false;
      onClose(ev.code);
    };
    // An error is always followed by a close event; the close decides.
    s.onerror = () => undefined;
  }

  function answerFrame(p: PendingAnswer) {
    return {
      type: 'answer',
      clientMsgId: p.clientMsgId,
      ...(p.text !== undefined ? { text: p.text } : {}),
      ...(p.choice !== undefined ? { choice: p.choice } : {}),
    };
  }

  return {
    start() {
      if (!socket && !stopped && retryTimer === undefined) connect();
    },
    /** Queues an answer and sends it now if connected; returns its clientMsgId. */
    answer(a: { text?: string; choice?: string }): string {
      const text = a.text?.slice(0, MAX_ANSWER_CHARS);
      const p: PendingAnswer = {
        clientMsgId: opts.newId(),
        ...(text !== undefined ? { text } : {}),
        ...(a.choice !== undefined ? { choice: a.choice } : {}),
      };
      pending.push(p);
      persist();
      if (welcomed) send(answerFrame(p));
      return p.clientMsgId;
    },
    /** Skips the backoff wait (the page calls it when the browser comes back online or to the foreground). */
    reconnectNow() {
      if (stopped) return;
      if (retryTimer !== undefined) {
        clearTimeout(retryTimer);
        retryTimer = undefined;
        connect();
      }
    },
    stop() {
      stop('closed');
    },
    get state(): ResumeState {
      return { lastSeq, pending: pending.map((p) => ({ ...p })) };
    },
    get connected() {
      return welcomed;
    },
  };
}

export type WsClient = ReturnType<typeof createWsClient>;

/** The locale key of the sentence shown for a stop reason. */
export const closeReasonKey = (r: StopReason) => `chat.stop.${r}`;
