/**
 * Thin HTTP shell of screening, for authenticated staff only (registered in the staff scope): validate, take the
 * actor, call one service function, reply. Nothing here is reachable by an applicant's invitation token.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../platform/http/auth.js';
import { CaseIdParams, CostQuery, CostReportDto, RunBody, ScreeningDto } from './schemas.js';
import type { ScreeningService } from './service.js';

export interface ScreeningRoutesOptions {
  screening: ScreeningService;
}

export const screeningRoutes: FastifyPluginAsyncZod<ScreeningRoutesOptions> = async (app, { screening }) => {
  app.post(
    '/cases/:id/screening',
    {
      schema: {
        tags: ['screening'],
        summary: 'Run outside-data screening for a case (consented sources only)',
        params: CaseIdParams,
        body: RunBody,
        response: { 200: ScreeningDto, 202: ScreeningDto },
      },
    },
    async (req, reply) => {
      const dto = await screening.run(actorOf(req), req.params.id, { categories: req.body?.categories });
      // 202: a mandatory source failed and the case waits in the retry queue.
      return reply.status(dto.status === 'pending_retry' ? 202 : 200).send(dto);
    },
  );
  app.get(
    '/cases/:id/screening',
    {
      schema: {
        tags: ['screening'],
        summary: 'The latest screening of a case: facts, findings (staff only) and sources',
        params: CaseIdParams,
        response: { 200: ScreeningDto },
      },
    },
    async (req) => screening.get(actorOf(req), req.params.id),
  );
  app.get(
    '/screening/costs',
    {
      schema: {
        tags: ['screening'],
        summary: 'Screening cost per branch and provider for a month (China time)',
        querystring: CostQuery,
        response: { 200: CostReportDto },
      },
    },
    async (req) => screening.costReport(actorOf(req), req.query.month),
  );
};
