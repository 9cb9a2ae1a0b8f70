/**
 * Thin HTTP shell of the fact catalogue and the risk manager's bank report, for authenticated staff (registered
 * inside the bearer-token scope): validate, take the actor, call one service function, reply.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../platform/http/auth.js';
import { type QuestionsService, renderCaseBankReport } from './service.js';

export interface QuestionsRoutesOptions {
  questions: QuestionsService;
}

const VersionParams = z.object({ version: z.string().min(1).max(160) });
const CaseParams = z.object({ id: z.string().min(1).max(64) });
// The catalogue itself is checked by the service, so that every problem comes back with its position (422).
const CatalogueDocument = z.unknown().refine((v) => v !== undefined, { message: 'Required' });
const SaveBody = z.strictObject({
  catalogue: CatalogueDocument,
  note: z.string().max(2000).optional(),
  /** The version the edit started from. */
  basedOn: z.string().min(1).max(160).optional(),
});
const ValidateBody = z.strictObject({ catalogue: CatalogueDocument });
const ActivateBody = z.strictObject({
  /** The version the caller believes is active (null: none); a different one gives 409. */
  expectedActive: z.string().min(1).max(160).nullable(),
});
const ReportQuery = z.strictObject({
  lang: z.enum(['zh-CN', 'en-US']).default('zh-CN'),
  format: z.enum(['json', 'markdown']).default('json'),
  /** One interview of the case; its latest when omitted. */
  session: z.string().min(1).max(64).optional(),
});

export const questionsRoutes: FastifyPluginAsyncZod<QuestionsRoutesOptions> = async (app, { questions }) => {
  const tags = ['catalogue'];

  app.get('/catalogue', { schema: { tags, summary: 'The active fact catalogue' } }, async (req) =>
    questions.getActive(actorOf(req)),
  );
  app.get(
    '/catalogue/versions',
    { schema: { tags, summary: 'Every stored version, newest first' } },
    async (req) => questions.listVersions(actorOf(req)),
  );
  app.get('/catalogue/versions/:version', { schema: { tags, params: VersionParams } }, async (req) =>
    questions.getVersion(actorOf(req), req.params.version),
  );
  app.post(
    '/catalogue/versions',
    {
      schema: {
        tags,
        summary: 'Save a new catalogue version as a draft',
        description:
          'Refused with 422 CATALOGUE_INVALID; details.errors lists every problem with its JSON Pointer into `catalogue` and, in text, the character offset.',
        body: SaveBody,
      },
    },
    async (req, reply) => reply.status(201).send(await questions.saveVersion(actorOf(req), req.body)),
  );
  app.post(
    '/catalogue/validate',
    { schema: { tags, summary: 'The save-time checks without saving', body: ValidateBody } },
    async (req) => questions.validate(actorOf(req), req.body.catalogue),
  );
  app.post(
    '/catalogue/versions/:version/activate',
    { schema: { tags, summary: 'Make a version active', params: VersionParams, body: ActivateBody } },
    async (req) => questions.activateVersion(actorOf(req), req.params.version, req.body),
  );

  app.get(
    '/cases/:id/question-bank/report',
    {
      schema: {
        tags,
        summary: "A case's question bank: why each question is there and the fact coverage",
        params: CaseParams,
        querystring: ReportQuery,
      },
    },
    async (req, reply) => {
      const dto = await questions.caseBankReport(actorOf(req), req.params.id, {
        sessionId: req.query.session,
      });
      if (req.query.format === 'json') return dto;
      return reply.type('text/markdown; charset=utf-8').send(renderCaseBankReport(dto, req.query.lang));
    },
  );
};
