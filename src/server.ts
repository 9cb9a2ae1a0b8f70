/**
 * The only place that listens. Builds the context and the app, listens, and closes everything on SIGINT/SIGTERM.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import type { Config } from './platform/config.js';
import { type AppContext, createContext } from './platform/context.js';
import { startBackgroundJobs } from './platform/jobs.js';

export interface RunningServer {
  app: FastifyInstance;
  ctx: AppContext;
  url: string;
  close(): Promise<void>;
}

export async function startServer(config: Config, ctx?: AppContext): Promise<RunningServer> {
  const context = ctx ?? (await createContext(config));
  // A stored document older than its route's schema is still read (src/platform/http/serializer.ts).
  const app = await buildApp(context, { strictResponses: false });
  const jobs = config.background ? startBackgroundJobs(context, app.log) : { stop: () => undefined };
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      jobs.stop();
      await app.close();
      await context.close();
    })());
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (e) {
    await close();
    throw e;
  }
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  return { app, ctx: context, url: `http://${config.host}:${port}`, close };
}

/** Keeps the process alive until a signal, then shuts down gracefully (in-flight requests finish first). */
export function closeOnSignals(server: RunningServer) {
  const stop = (signal: string) => {
    server.app.log.info({ signal }, 'shutting down');
    server
      .close()
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
