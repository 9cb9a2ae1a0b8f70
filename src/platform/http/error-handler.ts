/**
 * One place that turns any error into `{"code","message","details"}`. AppErrors keep their code and status; request
 * validation failures name the fields; Fastify's own client errors get stable codes; anything else is a 500 with the
 * request id, logged in full.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isAppError } from '../errors.js';

const FASTIFY_CODES: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: 'BODY_TOO_LARGE',
    message: 'The request body is too large',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'Unsupported content type',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'MALFORMED_JSON', message: 'The JSON body is empty' },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: 'MALFORMED_JSON',
    message: 'The body is not valid JSON',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'BAD_CONTENT_LENGTH',
    message: 'Bad Content-Length',
  },
  FST_ERR_CTP_INVALID_TYPE: { status: 400, code: 'BAD_CONTENT_TYPE', message: 'Bad Content-Type' },
};

export function installErrorHandler(
  app: FastifyInstance,
  pages?: ((req: FastifyRequest, reply: FastifyReply) => FastifyReply | undefined) | null,
) {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (isAppError(err)) {
      if (err.status >= 500) req.log.error({ err }, 'service error');
      return reply.status(err.status).send({ code: err.code, message: err.message, details: err.details });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const fields = err.validation.map((v) => ({
        path: [
          err.validationContext ?? 'body',
          ...String(v.instancePath ?? '')
            .split('/')
            .filter(Boolean),
        ].join('.'),
        message: v.message ?? 'invalid',
        code: String(
          (v.params as { issue?: { code?: string } } | undefined)?.issue?.code ?? v.keyword ?? 'invalid',
        ),
      }));
      return reply
        .status(400)
        .send({ code: 'VALIDATION_FAILED', message: 'The request is not valid', details: { fields } });
    }
    if (err instanceof SyntaxError || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
      return reply
        .status(400)
        .send({ code: 'MALFORMED_JSON', message: 'The body is not valid JSON', details: {} });
    }
    const known = err.code ? FASTIFY_CODES[err.code] : undefined;
    if (known)
      return reply.status(known.status).send({ code: known.code, message: known.message, details: {} });
    if (isResponseSerializationError(err)) {
      req.log.error({ err, issues: err.cause.issues }, 'response did not match its schema');
    } else if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      return reply
        .status(err.statusCode)
        .send({ code: 'BAD_REQUEST', message: err.message || 'Bad request', details: {} });
    } else {
      req.log.error({ err }, 'unexpected error');
    }
    return reply.status(500).send({
      code: 'INTERNAL_ERROR',
      message: 'Something went wrong on our side; quote the request id when you report it',
      details: { requestId: req.id },
    });
  });

  app.setNotFoundHandler(
    (req, reply) =>
      pages?.(req, reply) ??
      reply.status(404).send({
        code: 'ROUTE_NOT_FOUND',
        message: 'No such endpoint',
        details: { method: req.method, url: req.url.split('?')[0] },
      }),
  );
}
