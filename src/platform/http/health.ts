import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';

const Check = z.object({ status: z.enum(['ok', 'down', 'not_configured']), detail: z.string().optional() });

async function probe(fn: () => Promise<unknown>, timeoutMs = 2000): Promise<z.infer<typeof Check>> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
      }),
    ]);
    return { status: 'ok' };
  } catch (e) {
    return { status: 'down', detail: e instanceof Error ? e.message.slice(0, 200) : 'error' };
  } finally {
    clearTimeout(timer);
  }
}

/** `/healthz`: the process is up. `/readyz`: the database and, when configured, Redis answer. */
export const healthRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/healthz',
    { schema: { tags: ['health'], security: [], response: { 200: z.object({ status: z.literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/readyz',
    {
      schema: {
        tags: ['health'],
        security: [],
        response: {
          200: z.object({ status: z.literal('ready'), checks: z.record(z.string(), Check) }),
          503: z.object({
            code: z.literal('NOT_READY'),
            message: z.string(),
            details: z.object({ checks: z.record(z.string(), Check) }),
          }),
        },
      },
    },
    async (_req, reply) => {
      const database = await probe(() => ctx.database.ping());
      const redis = ctx.config.redisUrl
        ? await probe(() => ctx.kv.ping())
        : { status: 'not_configured' as const };
      const checks = { database, redis };
      if (database.status !== 'ok' || redis.status === 'down') {
        return reply.status(503).send({
          code: 'NOT_READY' as const,
          message: 'A dependency is not reachable',
          details: { checks },
        });
      }
      return { status: 'ready' as const, checks };
    },
  );
};
