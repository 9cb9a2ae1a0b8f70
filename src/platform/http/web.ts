/**
 * Serves the built web pages (web/dist): hashed assets with long caching, and index.html for every client route so
 * that /, /i/<token> and the console's pages load the single-page app. Nothing is served when web/dist is missing.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const WEB_DIST = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'web', 'dist');

const NOT_PAGES = /^\/(api|ws|channels|healthz|readyz)(\/|$|\?)/;
/** A missing asset or file (a path with an extension) is a 404, not the page. */
const MISSING_FILE = /^\/assets\/|\.[A-Za-z0-9]{1,8}(\?|$)/;

/** Registers the static files; returns a handler for unknown GETs that wants HTML, or null if there is no build. */
export async function registerWeb(
  app: FastifyInstance,
  root = WEB_DIST,
): Promise<((req: FastifyRequest, reply: FastifyReply) => FastifyReply | undefined) | null> {
  if (!existsSync(join(root, 'index.html'))) return null;
  await app.register(fastifyStatic, {
    root,
    wildcard: true,
    index: false,
    setHeaders(res, path) {
      res.setHeader(
        'cache-control',
        path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  // The root is a directory to the static plugin; the console lives there.
  app.get('/', { schema: { hide: true } }, (_req, reply) =>
    reply.header('cache-control', 'no-cache').type('text/html').sendFile('index.html'),
  );
  return (req, reply) => {
    if (req.method !== 'GET' || NOT_PAGES.test(req.url) || MISSING_FILE.test(req.url)) return undefined;
    if (!(req.headers.accept ?? '').includes('text/html')) return undefined;
    return reply.header('cache-control', 'no-cache').type('text/html').sendFile('index.html');
  };
}
