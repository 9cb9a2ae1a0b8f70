/**
 * Thin HTTP shell of the review module, for authenticated staff (registered in the staff scope): validate, take the
 * actor, call one service function, reply.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../platform/http/auth.js';
import { verifyBundle } from './bundle.js';
import {
  BundleCheckDto,
  BundleDto,
  DeskViewDto,
  FindingDto,
  HoldDto,
  HoldReleaseDto,
  OfficerViewDto,
  OpinionDto,
  PurgeDto,
  QueueEntryDto,
  RecomputeDto,
  RecordingDto,
  RecordingSearchRowDto,
  ReviewItemDto,
  SigningKeyDto,
  TimelineDto,
  ViewEntryDto,
} from './dto.js';
import type { ReviewService } from './service.js';
import { CHECK_CODES, OPINION_KINDS } from './types.js';

export interface ReviewRoutesOptions {
  review: ReviewService;
}

const SessionParams = z.object({ sessionId: z.string().min(1).max(64) });
const CaseParams = z.object({ caseId: z.string().min(1).max(64) });
const Lang = z.enum(['zh-CN', 'en-US']).optional();
const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

const OpinionBody = z.strictObject({
  version: z.number().int().min(1),
  kind: z.enum(OPINION_KINDS),
  amount_yuan: z
    .string()
    .regex(/^\d{1,12}(\.\d{1,2})?$/, 'a decimal amount of yuan with at most 2 decimals')
    .optional(),
  term_months: z.number().int().min(1).max(120).optional(),
  rate_bp: z.number().int().min(1).max(10_000).optional(),
  check: z.strictObject({ code: z.enum(CHECK_CODES), note: z.string().max(2000).optional() }).optional(),
  facts: z.array(z.string().min(1).max(100)).max(50).optional(),
  reasons: z.array(z.string().trim().min(1).max(2000)).min(1).max(20),
});

const SearchQuery = z.object({
  branch_id: z.string().max(64).optional(),
  officer_id: z.string().max(64).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  outcome: z.enum([...OPINION_KINDS, 'none']).optional(),
  flag: z.string().max(64).optional(),
  held: bool.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

const Reason = z.strictObject({ reason: z.string().trim().min(1).max(2000) });

export const reviewRoutes: FastifyPluginAsyncZod<ReviewRoutesOptions> = async (app, { review }) => {
  const { desk, recordings } = review;
  const tags = ['review'];

  app.get(
    '/review/queue',
    {
      schema: {
        tags,
        summary: 'Finished interviews waiting for an expert in your branches, oldest first',
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(200).default(50),
          mine: bool.optional(),
        }),
        response: { 200: z.array(QueueEntryDto) },
      },
    },
    async (req) => desk.queue(actorOf(req), { limit: req.query.limit, mine: req.query.mine }),
  );
  app.post(
    '/review/claims',
    {
      schema: {
        tags,
        summary: 'Claim a review: the named interview, or the oldest open one (fair assignment)',
        body: z.strictObject({ session_id: z.string().min(1).max(64).optional() }).optional(),
        response: { 201: ReviewItemDto },
      },
    },
    async (req, reply) => reply.status(201).send(await desk.claim(actorOf(req), req.body?.session_id)),
  );
  app.delete(
    '/review/claims/:sessionId',
    {
      schema: {
        tags,
        summary: 'Give a claimed review back to the queue',
        params: SessionParams,
        response: { 200: ReviewItemDto },
      },
    },
    async (req) => desk.release(actorOf(req), req.params.sessionId),
  );
  app.get(
    '/review/interviews/:sessionId',
    {
      schema: {
        tags,
        summary:
          'The expert desk for one interview: case, survey, financials, checks, screening, transcript, flags',
        params: SessionParams,
        response: { 200: DeskViewDto },
      },
    },
    async (req) => desk.view(actorOf(req), req.params.sessionId),
  );
  app.post(
    '/review/interviews/:sessionId/opinion',
    {
      schema: {
        tags,
        summary: 'The expert’s opinion, at the version read',
        params: SessionParams,
        body: OpinionBody,
        response: { 201: OpinionDto },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const dto = await desk.giveOpinion(actorOf(req), req.params.sessionId, {
        version: b.version,
        kind: b.kind,
        amountYuan: b.amount_yuan,
        termMonths: b.term_months,
        rateBp: b.rate_bp,
        check: b.check,
        facts: b.facts,
        reasons: b.reasons,
      });
      return reply.status(201).send(dto);
    },
  );
  app.get(
    '/review/cases/:caseId/outcome',
    {
      schema: {
        tags,
        summary: 'The outcome and the expert’s opinion on a case; what to check when sent back',
        params: CaseParams,
        querystring: z.object({ lang: Lang }),
        response: { 200: OfficerViewDto },
      },
    },
    async (req) => desk.officerView(actorOf(req), req.params.caseId, req.query.lang),
  );
  app.get(
    '/review/training-export',
    {
      schema: {
        tags,
        summary: 'Expert decisions as training rows (JSONL: {"features": …, "decision": …})',
        querystring: z.object({ since: z.iso.datetime({ offset: true }).optional() }),
        // A string body is sent as it is (Fastify serializes objects only): the schema documents it.
        response: {
          200: {
            content: {
              'application/x-ndjson': {
                schema: z
                  .string()
                  .describe('One {"features": {...}, "decision": "approve" | "decline"} object per line'),
              },
            },
          },
        },
      },
    },
    async (req, reply) => {
      const body = await desk.trainingExport(actorOf(req), {
        since: req.query.since ? new Date(req.query.since) : undefined,
      });
      return reply.type('application/x-ndjson; charset=utf-8').send(body);
    },
  );

  const rtags = ['recordings'];
  app.get(
    '/recordings',
    {
      schema: {
        tags: rtags,
        summary: 'Search recordings by branch, officer, date, outcome, flag, hold',
        querystring: SearchQuery,
        response: { 200: z.array(RecordingSearchRowDto) },
      },
    },
    async (req) => {
      const q = req.query;
      return recordings.search(actorOf(req), {
        branchId: q.branch_id,
        officerId: q.officer_id,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
        outcome: q.outcome,
        flag: q.flag,
        held: q.held,
        limit: q.limit,
        offset: q.offset,
      });
    },
  );
  app.get(
    '/recordings/signing-key',
    {
      schema: {
        tags: rtags,
        summary: 'The public key export bundles are signed with',
        response: { 200: SigningKeyDto },
      },
    },
    async () => ({
      alg: 'Ed25519' as const,
      key_id: recordings.signingKeyId,
      public_key: recordings.publicKey,
    }),
  );
  app.post(
    '/recordings/verify-bundle',
    {
      schema: {
        tags: rtags,
        summary: 'Check an exported bundle on its own (signature, chain, anchor)',
        body: z.record(z.string(), z.unknown()),
        response: { 200: BundleCheckDto },
      },
    },
    async (req) => verifyBundle(req.body, { trustedKeyId: recordings.signingKeyId }),
  );
  app.get(
    '/recordings/:sessionId',
    {
      schema: {
        tags: rtags,
        summary: 'One recording (the viewing is logged)',
        params: SessionParams,
        response: { 200: RecordingDto },
      },
    },
    async (req) => recordings.getRecording(actorOf(req), req.params.sessionId),
  );
  app.get(
    '/recordings/:sessionId/timeline',
    {
      schema: {
        tags: rtags,
        summary: 'Replay an interview as a timeline',
        params: SessionParams,
        response: { 200: TimelineDto },
      },
    },
    async (req) => recordings.timeline(actorOf(req), req.params.sessionId),
  );
  app.get(
    '/recordings/:sessionId/recompute',
    {
      schema: {
        tags: rtags,
        summary:
          'Recompute the interview from its recorded answers with its own seed, bank and settings, and compare every line (the viewing is logged)',
        params: SessionParams,
        response: { 200: RecomputeDto },
      },
    },
    async (req) => recordings.recompute(actorOf(req), req.params.sessionId),
  );
  app.get(
    '/recordings/:sessionId/views',
    {
      schema: {
        tags: rtags,
        summary: 'Who viewed the recording, when and what',
        params: SessionParams,
        response: { 200: z.array(ViewEntryDto) },
      },
    },
    async (req) => recordings.viewLog(actorOf(req), req.params.sessionId),
  );
  app.post(
    '/recordings/:sessionId/findings',
    {
      schema: {
        tags: rtags,
        summary: 'Mark a compliance finding',
        params: SessionParams,
        body: z.strictObject({
          seq: z.number().int().min(1).optional(),
          severity: z.enum(['info', 'warn', 'breach']),
          category: z.string().trim().min(1).max(64),
          note: z.string().trim().min(1).max(4000),
        }),
        response: { 201: FindingDto },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await recordings.markFinding(actorOf(req), req.params.sessionId, req.body)),
  );
  app.post(
    '/recordings/:sessionId/hold',
    {
      schema: {
        tags: rtags,
        summary: 'Place a legal hold',
        params: SessionParams,
        body: Reason,
        response: { 201: HoldDto },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await recordings.placeHold(actorOf(req), req.params.sessionId, req.body.reason)),
  );
  app.post(
    '/recordings/:sessionId/hold/release',
    {
      schema: {
        tags: rtags,
        summary: 'Release the legal hold',
        params: SessionParams,
        body: Reason,
        response: { 200: HoldReleaseDto },
      },
    },
    async (req) => recordings.releaseHold(actorOf(req), req.params.sessionId, req.body.reason),
  );
  app.post(
    '/recordings/:sessionId/purge',
    {
      schema: {
        tags: rtags,
        summary: 'Purge a recording whose retention ended',
        params: SessionParams,
        response: { 200: PurgeDto },
      },
    },
    async (req) => recordings.purgeRecording(actorOf(req), req.params.sessionId),
  );
  app.get(
    '/recordings/:sessionId/export',
    {
      schema: {
        tags: rtags,
        summary: 'A signed, self-verifying bundle of the interview',
        params: SessionParams,
        // Sent as JSON, as an attachment; the signature covers its canonical JSON, so key order does not matter.
        response: { 200: BundleDto },
      },
    },
    async (req, reply) => {
      const bundle = await recordings.exportBundle(actorOf(req), req.params.sessionId);
      return reply
        .header('content-disposition', `attachment; filename="recording-${req.params.sessionId}.json"`)
        .send(bundle);
    },
  );
};
