/**
 * The thin Fastify shell of the interview WebSocket: per-address connection limits, then everything goes to
 * createWsConnection. Registered inside an app that has @fastify/websocket.
 */
import type {} from '@fastify/websocket';
import type { FastifyPluginAsync } from 'fastify';
import type { Clock, Ids } from '../../platform/deps.js';
import type { Kv } from '../../platform/kv/index.js';
import { CLOSE } from './protocol.js';
import { type InterviewPort, type WsLimits, createWsConnection } from './connection.js';

export interface WsRoutesOptions {
  port: InterviewPort;
  kv: Kv;
  clock: Clock;
  ids: Ids;
  limits?: Partial<WsLimits>;
  /** New connections per address per minute. */
  connectionsPerMinute?: number;
}

export const wsRoutes: FastifyPluginAsync<WsRoutesOptions> = async (app, opts) => {
  const perMinute = opts.connectionsPerMinute ?? 60;
  app.get('/ws/interview', { websocket: true, schema: { hide: true } }, async (socket, req) => {
    const minute = Math.floor(opts.clock.now().getTime() / 60_000);
    const count = await opts.kv.incr(`ws:conn:${req.ip}:${minute}`, { ttlMs: 120_000 }).catch(() => 0);
    if (count > perMinute) {
      req.log.warn({ ip: req.ip }, 'websocket connection rate exceeded');
      socket.close(CLOSE.FLOOD, 'FLOOD');
      return;
    }
    const conn = createWsConnection(socket, {
      port: opts.port,
      kv: opts.kv,
      clock: opts.clock,
      ids: opts.ids,
      log: req.log,
      ...(opts.limits ? { limits: opts.limits } : {}),
    });
    socket.on('message', (data: Buffer, isBinary: boolean) => conn.onMessage(data, isBinary));
    socket.on('close', () => conn.onClose());
    socket.on('error', () => conn.onClose());
  });
};
