/**
 * The application as a Fastify instance built from an AppContext. Only src/server.ts listens; tests use `inject`.
 * Module routes are registered here, each as a thin plugin receiving its service.
 */
import swagger from '@fastify/swagger';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from './platform/context.js';
import { bearerToken } from './platform/http/auth.js';
import { installErrorHandler } from './platform/http/error-handler.js';
import { responseSerializerCompiler } from './platform/http/serializer.js';
import { casesRoutes } from './cases/routes.js';
import { channelsPlugin } from './channels/bindings/plugin.js';
import { wsErrorHandler, wsRoutes } from './channels/ws/routes.js';
import type { InterviewPort } from './channels/ws/connection.js';
import { pipelineRoutes } from './scoring/pipeline/index.js';
import { reviewRoutes } from './review/routes.js';
import { questionsRoutes } from './questions/routes.js';
import { modelsRoutes } from './scoring/registry/routes.js';
import { screeningRoutes } from './screening/routes.js';
import { healthRoutes } from './platform/http/health.js';
import { registerWeb } from './platform/http/web.js';
import { identityRoutes, loginRoutes } from './platform/identity/routes.js';
import { unauthorized } from './platform/errors.js';
import { type LogDestination, loggerOptions } from './platform/logger.js';

export interface BuildAppOptions {
  /** Where logs go (tests capture them to scan for personal data). Defaults to stdout. */
  logStream?: LogDestination;
  /** Serve the built web pages from web/dist when present (default true). */
  serveWeb?: boolean;
  /** The interview port of the channels (default: the context's gateway); tests may pass a stand-in. */
  interview?: InterviewPort;
  /**
   * A reply that does not match its response schema fails (a 500) instead of going out as built with an error in the
   * log (src/platform/http/serializer.ts). Default true, so tests see a schema drift; the listening server sets false.
   */
  strictResponses?: boolean;
}

export async function buildApp(ctx: AppContext, opts: BuildAppOptions = {}): Promise<FastifyInstance> {
  const logger = loggerOptions(ctx.config.logLevel);
  const app = Fastify({
    logger: opts.logStream ? { ...logger, stream: opts.logStream } : logger,
    bodyLimit: ctx.config.bodyLimitBytes,
    requestIdHeader: 'x-request-id',
    genReqId: () => ctx.ids.uuid(),
    // Only the configured proxies may set the client address (X-Forwarded-For); anyone else could pick their own.
    trustProxy: ctx.config.trustedProxies.length > 0 ? ctx.config.trustedProxies : false,
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(
    responseSerializerCompiler({ strict: opts.strictResponses !== false, log: app.log }),
  );
  installErrorHandler(app, opts.serveWeb === false ? null : await registerWeb(app));
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'weidai API',
        description: '智能微贷 · AI 远程调查 — remote AI investigation service',
        version: '0.1.0',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });

  await app.register(healthRoutes, { ctx });
  // The applicant's channels: the WebSocket of the app and web page, WeChat, Bot Framework.
  const port = opts.interview ?? ctx.interview;
  const { kv, clock, ids, channels } = ctx;
  await app.register(websocket, { options: { maxPayload: 64 * 1024 }, errorHandler: wsErrorHandler });
  await app.register(wsRoutes, { port, kv, clock, ids });
  await app.register(channelsPlugin, { port, kv, clock, ids, ...channels });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(
    async (api) => {
      await api.register(loginRoutes, { identity: ctx.identity });
      await api.register(casesRoutes, { cases: ctx.cases, identity: ctx.identity });
      // Everything else under /api/v1 is for authenticated staff.
      await api.register(async (staff) => {
        staff.addHook('onRequest', async (req) => {
          const token = bearerToken(req);
          if (!token) throw unauthorized('UNAUTHORIZED', 'A bearer token is required');
          req.actor = await ctx.identity.authenticate(token);
        });
        await staff.register(identityRoutes, { identity: ctx.identity });
        await staff.register(modelsRoutes, { models: ctx.models });
        await staff.register(pipelineRoutes, { pipeline: ctx.pipeline });
        await staff.register(screeningRoutes, { screening: ctx.screening });
        await staff.register(questionsRoutes, { questions: ctx.questions });
        await staff.register(reviewRoutes, { review: ctx.review });
      });
    },
    { prefix: '/api/v1' },
  );

  return app;
}
