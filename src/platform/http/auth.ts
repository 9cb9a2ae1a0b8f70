/**
 * Bearer-token authentication for staff routes. The actor is resolved once per request and passed to services;
 * services never see the request itself.
 */
import type { FastifyRequest } from 'fastify';
import { unauthorized } from '../errors.js';
import type { Actor } from '../identity/permissions.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor;
  }
}

export function bearerToken(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+([A-Za-z0-9_-]{16,200})$/i.exec(h);
  return m?.[1];
}

/** For use in handlers after the `authenticate` hook: the actor, or 401. */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw unauthorized();
  return req.actor;
}
