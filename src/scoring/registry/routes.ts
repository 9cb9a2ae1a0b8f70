/**
 * Thin HTTP shell of the model registry and the scorecard, for authenticated staff (the caller registers it
 * inside the bearer-token scope): validate, call one service function, reply.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../platform/http/auth.js';
import type { ModelsService } from './service.js';

export interface ModelsRoutesOptions {
  models: ModelsService;
}

const VersionParams = z.object({ version: z.string().min(1).max(128) });
const ScorecardVersionParams = z.object({ version: z.coerce.number().int().min(1) });
const RegisterBody = z.strictObject({
  /** Folder name of the version under the models folder, e.g. "demo-v2". */
  dir: z.string().min(1).max(128),
});
const FeatureValue = z.union([z.number(), z.string(), z.null()]);
const ScoreBody = z.strictObject({
  features: z.record(z.string(), FeatureValue),
  /** A registered version; the champion when omitted. */
  version: z.string().min(1).max(128).optional(),
});

export const modelsRoutes: FastifyPluginAsyncZod<ModelsRoutesOptions> = async (app, opts) => {
  const { models } = opts;
  const tags = ['models'];

  app.get('/models', { schema: { tags } }, async (req) => models.listModels(actorOf(req)));
  app.post('/models', { schema: { tags, body: RegisterBody } }, async (req, reply) =>
    reply.status(201).send(await models.registerModel(actorOf(req), req.body)),
  );
  app.post('/models/rollback', { schema: { tags } }, async (req) => models.rollbackModel(actorOf(req)));
  app.post('/models/score', { schema: { tags, body: ScoreBody } }, async (req) =>
    models.score(actorOf(req), req.body),
  );
  app.get('/models/:version', { schema: { tags, params: VersionParams } }, async (req) =>
    models.getModel(actorOf(req), req.params.version),
  );
  app.get(
    '/models/:version/card',
    { schema: { tags, params: VersionParams } },
    async (req) => (await models.getModel(actorOf(req), req.params.version)).card,
  );
  app.post('/models/:version/promote', { schema: { tags, params: VersionParams } }, async (req) =>
    models.promoteModel(actorOf(req), req.params.version),
  );

  app.get('/scorecards', { schema: { tags } }, async (req) => models.listScorecards(actorOf(req)));
  app.get('/scorecards/active', { schema: { tags } }, async (req) => models.getActiveScorecard(actorOf(req)));
  app.post('/scorecards', { schema: { tags, body: z.unknown() } }, async (req, reply) =>
    reply.status(201).send(await models.saveScorecard(actorOf(req), req.body)),
  );
  app.post(
    '/scorecards/:version/activate',
    { schema: { tags, params: ScorecardVersionParams } },
    async (req) => models.activateScorecard(actorOf(req), req.params.version),
  );
};
