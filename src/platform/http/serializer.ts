/**
 * How replies meet their declared response schemas (fastify-type-provider-zod's serializer): the schema's shape, its
 * unknown keys stripped.
 *
 * A reply that does not match its schema is a bug of ours, and tests must see it: there (`strict`) it fails as a
 * ResponseSerializationError, a 500. In service it must not cost a reader a document: recordings are kept for years
 * and scoring results for the life of a loan, stored as the version of the day wrote them, while a schema describes
 * today's shape. There the reply goes out as the service built it — as every reply did before its route declared a
 * schema — and the mismatch is logged as an error, with the paths and codes of the failing checks only (never a
 * value: replies carry personal data).
 */
import type { FastifySerializerCompiler } from 'fastify/types/schema.js';
import { isResponseSerializationError, serializerCompiler } from 'fastify-type-provider-zod';

export interface SerializerLog {
  error(obj: object, msg: string): void;
}

type RouteSchema = Parameters<typeof serializerCompiler>[0];

export function responseSerializerCompiler(opts: {
  strict: boolean;
  log: SerializerLog;
}): FastifySerializerCompiler<RouteSchema['schema']> {
  return (route: RouteSchema) => {
    const checked = serializerCompiler(route);
    if (opts.strict) return checked;
    return (data: unknown) => {
      try {
        return checked(data);
      } catch (err) {
        if (!isResponseSerializationError(err)) throw err;
        opts.log.error(
          {
            method: route.method,
            url: route.url,
            status: route.httpStatus,
            issues: err.cause.issues.map((i) => ({ path: i.path.map(String).join('.'), code: i.code })),
          },
          'reply did not match its response schema; sent as the service built it',
        );
        return JSON.stringify(data);
      }
    };
  };
}
