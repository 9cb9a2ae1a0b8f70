/**
 * The thin Fastify shell of the interview WebSocket: per-address connection limits, then everything goes to
 * createWsConnection. Registered inside an app that has @fastify/websocket.
 */
import type { WebSocket } from '@fastify/websocket';
import type { FastifyPluginAsync } from 'fastify';
import type { Clock, Ids } from '../../platform/deps.js';
import type { Kv } from '../../platform/kv/index.js';
import { CLOSE } from './protocol.js';
import { type InterviewPort, type SocketLike, type WsLimits, createWsConnection } from './connection.js';

export interface WsRoutesOptions {
  port: InterviewPort;
  kv: Kv;
  clock: Clock;
  ids: Ids;
  limits?: Partial<WsLimits>;
  /** New connections per address per minute. */
  connectionsPerMinute?: number;
}

/**
 * @fastify/websocket's error handler: a frame the protocol layer refused (over `maxPayload`, invalid UTF-8, a bad
 * opcode — ws's `WS_ERR_*` codes; ws has already closed the socket with the matching code, 1009 for size) is the
 * client's error and is logged as a warning with its code; anything else as an error, as the default does. The
 * socket is terminated in both cases, as the default does.
 */
export function wsErrorHandler(
  error: Error & { code?: unknown },
  socket: { terminate(): void },
  request: { log: { warn(obj: object, msg: string): void; error(obj: object, msg?: string): void } },
) {
  if (typeof error.code === 'string' && error.code.startsWith('WS_ERR_'))
    request.log.warn({ error: error.code }, 'websocket frame refused by the protocol layer');
  else request.log.error({ err: error }, 'websocket error');
  socket.terminate();
}

/**
 * The socket with `batch`: frames sent inside it leave in one write (ws corks the TCP socket per frame; an outer
 * cork holds them until uncork). `_socket` is ws's net.Socket; without it frames go one by one.
 */
function batching(socket: WebSocket): SocketLike {
  const raw = (socket as unknown as { _socket?: { cork(): void; uncork(): void } })._socket;
  return {
    send: (text) => socket.send(text),
    close: (code, reason) => socket.close(code, reason),
    get bufferedAmount() {
      return socket.bufferedAmount;
    },
    batch(fn) {
      if (!raw) return fn();
      raw.cork();
      try {
        return fn();
      } finally {
        raw.uncork();
      }
    },
  };
}

export const wsRoutes: FastifyPluginAsync<WsRoutesOptions> = async (app, opts) => {
  const perMinute = opts.connectionsPerMinute ?? 60;
  app.get('/ws/interview', { websocket: true, schema: { hide: true } }, (socket, req) => {
    // Listeners go on at once: the client sends `hello` the moment the socket opens, and a frame that arrives
    // with no listener is lost. Frames wait here while the address's connection count is checked.
    const early: { data: Buffer; isBinary: boolean }[] = [];
    let conn: ReturnType<typeof createWsConnection> | null = null;
    let closed = false;
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (conn) conn.onMessage(data, isBinary);
      else if (early.length < 16) early.push({ data, isBinary });
    });
    const onGone = () => {
      closed = true;
      conn?.onClose();
    };
    socket.on('close', onGone);
    socket.on('error', onGone);

    const minute = Math.floor(opts.clock.now().getTime() / 60_000);
    void opts.kv
      .incr(`ws:conn:${req.ip}:${minute}`, { ttlMs: 120_000 })
      .catch(() => 0)
      .then((count) => {
        if (closed) return;
        if (count > perMinute) {
          // Without the address: an applicant's IP is personal data and stays out of the logs.
          req.log.warn({ perMinute }, 'websocket connection rate exceeded');
          socket.close(CLOSE.FLOOD, 'FLOOD');
          return;
        }
        conn = createWsConnection(batching(socket), {
          port: opts.port,
          kv: opts.kv,
          clock: opts.clock,
          ids: opts.ids,
          log: req.log,
          ...(opts.limits ? { limits: opts.limits } : {}),
        });
        for (const f of early.splice(0)) conn.onMessage(f.data, f.isBinary);
      });
  });
};
