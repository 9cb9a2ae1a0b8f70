/**
 * Thin HTTP shell of the cases module, in three scopes: staff (bearer token), the bank's loan system (x-api-key)
 * and the applicant's public invitation endpoints (the invitation token is the credential).
 */
import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, unauthorized } from '../platform/errors.js';
import { actorOf, bearerToken } from '../platform/http/auth.js';
import type { IdentityService } from '../platform/identity/service.js';
import type { IntegrationActor } from './access.js';
import {
  CaseCreateBody,
  CaseDto,
  CaseListQuery,
  CasePushBody,
  CaseSummaryDto,
  IdParams,
  IntegrationKeyBody,
  InvitationBody,
  InvitationConsentBody,
  InvitationOtpBody,
  InvitationTokenBody,
  InvitationVerifyBody,
  OfficerConsentBody,
  PhotoQuery,
  SurveyAnswersBody,
} from './schemas.js';
import type { CasesService } from './service.js';

declare module 'fastify' {
  interface FastifyRequest {
    integration?: IntegrationActor;
  }
}

export interface CasesRoutesOptions {
  cases: CasesService;
  identity: IdentityService;
  /** Largest photo body the HTTP layer reads; the service refuses above its own limit with PHOTO_TOO_LARGE. */
  photoBodyLimit?: number;
}

const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/octet-stream'];
/** The loan system's key (the app's OpenAPI components declare only the bearer scheme). */
const ApiKeyHeaders = z.object({ 'x-api-key': z.string().describe('the loan system’s API key') });
const PhotoParams = z.object({ id: z.string().min(1).max(64), photoId: z.string().min(1).max(64) });

function integrationOf(req: { integration?: IntegrationActor }): IntegrationActor {
  if (!req.integration) throw unauthorized('INVALID_API_KEY', 'A valid x-api-key is required');
  return req.integration;
}

export const casesRoutes: FastifyPluginAsyncZod<CasesRoutesOptions> = async (app, opts) => {
  const { cases, identity } = opts;
  const photoBodyLimit = opts.photoBodyLimit ?? 12 * 1024 * 1024;

  await app.register(async (base: FastifyInstance) => {
    const staff = base.withTypeProvider<ZodTypeProvider>();
    staff.addHook('onRequest', async (req) => {
      const token = bearerToken(req);
      if (!token) throw unauthorized('UNAUTHORIZED', 'A bearer token is required');
      req.actor = await identity.authenticate(token);
    });
    staff.addContentTypeParser(
      IMAGE_TYPES,
      { parseAs: 'buffer', bodyLimit: photoBodyLimit },
      (_req, body, done) => done(null, body),
    );

    staff.post(
      '/cases',
      { schema: { tags: ['cases'], body: CaseCreateBody, response: { 201: CaseDto } } },
      async (req, reply) => reply.status(201).send(await cases.createCase(actorOf(req), req.body)),
    );
    staff.get(
      '/cases',
      { schema: { tags: ['cases'], querystring: CaseListQuery, response: { 200: z.array(CaseSummaryDto) } } },
      async (req) => cases.listCases(actorOf(req), req.query),
    );
    staff.get(
      '/cases/:id',
      { schema: { tags: ['cases'], params: IdParams, response: { 200: CaseDto } } },
      async (req) => cases.getCase(actorOf(req), req.params.id),
    );

    staff.get('/cases/:id/survey', { schema: { tags: ['cases'], params: IdParams } }, async (req) =>
      cases.getSurvey(actorOf(req), req.params.id),
    );
    staff.put(
      '/cases/:id/survey/answers',
      { schema: { tags: ['cases'], params: IdParams, body: SurveyAnswersBody } },
      async (req) => cases.saveAnswers(actorOf(req), req.params.id, req.body),
    );
    staff.post('/cases/:id/survey/submit', { schema: { tags: ['cases'], params: IdParams } }, async (req) =>
      cases.submitSurvey(actorOf(req), req.params.id),
    );

    staff.post(
      '/cases/:id/photos',
      { bodyLimit: photoBodyLimit, schema: { tags: ['cases'], params: IdParams, querystring: PhotoQuery } },
      async (req, reply) => {
        if (!Buffer.isBuffer(req.body))
          throw new AppError('NOT_AN_IMAGE', 415, 'Send the image bytes with an image/* content type');
        return reply.status(201).send(await cases.addPhoto(actorOf(req), req.params.id, req.body, req.query));
      },
    );
    staff.get('/cases/:id/photos', { schema: { tags: ['cases'], params: IdParams } }, async (req) =>
      cases.listPhotos(actorOf(req), req.params.id),
    );
    staff.get(
      '/cases/:id/photos/:photoId',
      { schema: { tags: ['cases'], params: PhotoParams } },
      async (req, reply) => {
        const p = await cases.getPhotoContent(actorOf(req), req.params.id, req.params.photoId);
        return reply.type(p.mime).header('cache-control', 'private, no-store').send(p.content);
      },
    );

    staff.get('/cases/:id/financials', { schema: { tags: ['cases'], params: IdParams } }, async (req) =>
      cases.getFinancials(actorOf(req), req.params.id),
    );
    staff.get('/cases/:id/crosschecks', { schema: { tags: ['cases'], params: IdParams } }, async (req) =>
      cases.getCrossChecks(actorOf(req), req.params.id),
    );

    staff.get('/consent-texts', { schema: { tags: ['cases'] } }, async () => cases.consentTexts());
    staff.get('/cases/:id/consents', { schema: { tags: ['cases'], params: IdParams } }, async (req) =>
      cases.listConsents(actorOf(req), req.params.id),
    );
    staff.post(
      '/cases/:id/consents',
      { schema: { tags: ['cases'], params: IdParams, body: OfficerConsentBody } },
      async (req, reply) =>
        reply.status(201).send(await cases.recordOfficerConsents(actorOf(req), req.params.id, req.body)),
    );

    staff.get(
      '/cases/:id/invitations',
      {
        schema: {
          tags: ['cases'],
          summary:
            "The case's invitations, newest first, without tokens: status, expiry, opened, used, revoked",
          params: IdParams,
        },
      },
      async (req) => cases.listInvitations(actorOf(req), req.params.id),
    );

    staff.post(
      '/cases/:id/invitations',
      { schema: { tags: ['cases'], params: IdParams, body: InvitationBody } },
      async (req, reply) =>
        reply.status(201).send(await cases.createInvitation(actorOf(req), req.params.id, req.body ?? {})),
    );

    staff.post(
      '/integration/keys',
      { schema: { tags: ['integration'], body: IntegrationKeyBody } },
      async (req, reply) => reply.status(201).send(await cases.createIntegrationKey(actorOf(req), req.body)),
    );
  });

  await app.register(async (base: FastifyInstance) => {
    const integ = base.withTypeProvider<ZodTypeProvider>();
    integ.addHook('onRequest', async (req) => {
      const key = req.headers['x-api-key'];
      req.integration = await cases.authenticateIntegration(typeof key === 'string' ? key : undefined);
    });
    integ.post(
      '/integration/cases',
      { schema: { tags: ['integration'], security: [], headers: ApiKeyHeaders, body: CasePushBody } },
      async (req, reply) => {
        const r = await cases.pushCase(integrationOf(req), req.body);
        return reply.status(r.created ? 201 : 200).send(r.case);
      },
    );
    integ.get(
      '/integration/cases/:id',
      {
        schema: {
          tags: ['integration'],
          security: [],
          headers: ApiKeyHeaders,
          params: IdParams,
          response: { 200: CaseDto },
        },
      },
      async (req) => cases.getCase(integrationOf(req), req.params.id),
    );
    integ.post(
      '/integration/cases/:id/invitations',
      {
        schema: {
          tags: ['integration'],
          security: [],
          headers: ApiKeyHeaders,
          params: IdParams,
          body: InvitationBody,
        },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send(await cases.createInvitation(integrationOf(req), req.params.id, req.body ?? {})),
    );
  });

  // The applicant: no staff token; the invitation (then the session) token is the credential.
  app.post(
    '/invitations/open',
    { schema: { tags: ['invitations'], security: [], body: InvitationTokenBody } },
    async (req) => cases.openInvitation(req.body.token),
  );
  app.post(
    '/invitations/otp',
    { schema: { tags: ['invitations'], security: [], body: InvitationOtpBody } },
    async (req) => cases.sendOtp(req.body.token, req.body.id_last4),
  );
  app.post(
    '/invitations/verify',
    { schema: { tags: ['invitations'], security: [], body: InvitationVerifyBody } },
    async (req) => cases.verifyInvitation(req.body.token, req.body.id_last4, req.body.code),
  );
  app.post(
    '/invitations/consents',
    { schema: { tags: ['invitations'], security: [], body: InvitationConsentBody } },
    async (req, reply) => reply.status(201).send(await cases.recordApplicantConsents(req.body)),
  );
};
