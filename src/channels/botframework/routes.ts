/**
 * The thin shell around the Microsoft 365 Agents SDK (after agents-hosting-fastify's plugin): JWT authorisation of
 * the Bot Connector (anonymous when no client id is configured and NODE_ENV is not production), CloudAdapter for
 * the protocol (expectReplies in the HTTP body, otherwise posts to {serviceUrl}/v3/conversations/…), and the
 * channel for everything else.
 */
import { Activity } from '@microsoft/agents-activity';
import {
  type AuthConfiguration,
  CloudAdapter,
  type Request as AgentsRequest,
  type WebResponse,
  authorizeJWT,
} from '@microsoft/agents-hosting';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { BotFrameworkChannel } from './channel.js';
import type { ActivityIn } from './translate.js';

export interface BotFrameworkAuth {
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  tenantId?: string | undefined;
}

export interface BotFrameworkRoutesOptions {
  channel: BotFrameworkChannel;
  /** App registration; without a client id the endpoint accepts anonymous requests (local tests, emulator). */
  auth?: BotFrameworkAuth;
  bodyLimit?: number;
}

function adaptReply(reply: FastifyReply): WebResponse {
  const res: WebResponse = {
    get headersSent() {
      return reply.sent;
    },
    get writableEnded() {
      return reply.sent;
    },
    status(code) {
      reply.status(code);
      return res;
    },
    setHeader(name, value) {
      reply.header(name, value);
      return res;
    },
    send(body) {
      if (!reply.sent) void reply.send(body);
      return res;
    },
    end() {
      if (!reply.sent) void reply.send();
      return res;
    },
  };
  return res;
}

export const botFrameworkRoutes: FastifyPluginAsync<BotFrameworkRoutesOptions> = async (app, opts) => {
  const authConfig: AuthConfiguration = opts.auth?.clientId
    ? {
        clientId: opts.auth.clientId,
        ...(opts.auth.clientSecret ? { clientSecret: opts.auth.clientSecret } : {}),
        ...(opts.auth.tenantId ? { tenantId: opts.auth.tenantId } : {}),
      }
    : {};
  const jwt = authorizeJWT(authConfig);
  const adapter = new CloudAdapter(authConfig);

  app.post(
    '/channels/botframework/messages',
    { schema: { hide: true }, bodyLimit: opts.bodyLimit ?? 100 * 1024 },
    async (req, reply) => {
      const body = req.body;
      if (!body || typeof body !== 'object' || Array.isArray(body)) {
        return reply
          .status(400)
          .send({ code: 'BOTFRAMEWORK_ACTIVITY_INVALID', message: 'The body is not an activity' });
      }
      const request: AgentsRequest = {
        method: req.method,
        headers: req.headers as Record<string, string | string[] | undefined>,
        body: body as Record<string, unknown>,
      };
      const res = adaptReply(reply);
      let passed = false;
      let failure: unknown;
      await jwt(request, res, (err?: unknown) => {
        passed = true;
        failure = err;
      });
      if (failure) throw failure;
      if (!passed || reply.sent) return reply;
      await adapter.process(request, res, async (context) => {
        const out = await opts.channel.onActivity(context.activity as unknown as ActivityIn);
        if (out.length > 0) await context.sendActivities(out.map((o) => Activity.fromObject(o)));
      });
      return reply;
    },
  );
};
