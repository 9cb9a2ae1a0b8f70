/**
 * Thin HTTP shell of the scoring pipeline for authenticated staff (registered inside the bearer-token scope):
 * validate, call one service function, reply.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../platform/http/auth.js';
import { PipelineJobDto, PipelineReplayDto, PipelineResultDto } from './dto.js';
import type { PipelineService } from './service.js';

export interface PipelineRoutesOptions {
  pipeline: PipelineService;
}

const CaseParams = z.object({ id: z.string().min(1).max(64) });
const ResultParams = z.object({ id: z.string().min(1).max(64) });
const SessionParams = z.object({ session_id: z.string().min(1).max(64) });
const RunBody = z
  .strictObject({
    /** The interview to use; by default the one the case's last result used. */
    session_id: z.string().min(1).max(64).optional(),
  })
  .nullish();

export const pipelineRoutes: FastifyPluginAsyncZod<PipelineRoutesOptions> = async (app, { pipeline }) => {
  const tags = ['pipeline'];
  app.get(
    '/cases/:id/pipeline',
    {
      schema: {
        tags,
        summary: 'The latest pipeline result of a case, with its breakdown',
        params: CaseParams,
        response: { 200: PipelineResultDto },
      },
    },
    async (req) => pipeline.latest(actorOf(req), req.params.id),
  );
  app.post(
    '/cases/:id/pipeline/run',
    {
      schema: {
        tags,
        summary: 'Run the scoring pipeline for a case now and record the result',
        params: CaseParams,
        body: RunBody,
        response: { 201: PipelineResultDto },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await pipeline.run(actorOf(req), req.params.id, { sessionId: req.body?.session_id })),
  );
  app.get(
    '/pipeline/results/:id',
    {
      schema: {
        tags,
        summary: 'One recorded pipeline result',
        params: ResultParams,
        response: { 200: PipelineResultDto },
      },
    },
    async (req) => pipeline.getResult(actorOf(req), req.params.id),
  );
  app.get(
    '/pipeline/jobs/:session_id',
    {
      schema: {
        tags,
        summary:
          'The scoring job of a completed interview: pending, running, done or failed, with its attempts and last error',
        params: SessionParams,
        response: { 200: PipelineJobDto },
      },
    },
    async (req) => pipeline.job(actorOf(req), req.params.session_id),
  );
  app.post(
    '/pipeline/jobs/:session_id/requeue',
    {
      schema: {
        tags,
        summary:
          'Put a failed scoring job back in line once its cause is mended: pending and due now, attempts from zero, ' +
          'audited (PIPELINE_JOB_NOT_FAILED when it is pending, running or done)',
        params: SessionParams,
        response: { 200: PipelineJobDto },
      },
    },
    async (req) => pipeline.requeue(actorOf(req), req.params.session_id),
  );
  app.post(
    '/pipeline/results/:id/replay',
    {
      schema: {
        tags,
        summary: 'Recompute a recorded result with its recorded inputs and versions, and list any difference',
        params: ResultParams,
        response: { 200: PipelineReplayDto },
      },
    },
    async (req) => pipeline.replay(actorOf(req), req.params.id),
  );
};
