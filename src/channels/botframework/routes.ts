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
import { channelText } from '../bindings/texts.js';
import type { BotFrameworkChannel } from './channel.js';
import type { ActivityIn } from './translate.js';

export interface BotFrameworkAuth {
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  tenantId?: string | undefined;
}

export interface BotFrameworkRoutesOptions {
  channel: BotFrameworkChannel;
  /** Where a turn that failed inside the SDK is reported (no activity text, which may hold personal data). */
  log?: { error(obj: object, msg: string): void };
  /** App registration; without a client id the endpoint accepts anonymous requests (local tests, emulator). */
  auth?: BotFrameworkAuth;
  bodyLimit?: number;
}

/**
 * The SDK's response interface over Fastify's reply. The SDK may call `send(body)` and then `end()`; Fastify's
 * `reply.sent` turns true only once the response is written (after the onSend hooks), so a flag of our own keeps
 * the second call from sending again ("Reply was already sent", logged as an error on every activity).
 */
function adaptReply(reply: FastifyReply): WebResponse {
  let done = false;
  const finish = (body?: unknown) => {
    if (done || reply.sent) return;
    done = true;
    void reply.send(body);
  };
  const res: WebResponse = {
    get headersSent() {
      return done || reply.sent;
    },
    get writableEnded() {
      return done || reply.sent;
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
      finish(body);
      return res;
    },
    end() {
      finish();
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
  // The SDK's default answers a failed turn with a trace and "The agent encountered an error or bug" in English, and
  // logs nothing of ours: report it, and tell the applicant in their language to send again.
  adapter.onTurnError = async (context, error) => {
    opts.log?.error(
      {
        error: error.name,
        message: error.message.slice(0, 500),
        activityType: context.activity.type,
        channelId: context.activity.channelId,
      },
      'botframework turn failed in the SDK',
    );
    const lang = context.activity.locale?.startsWith('en') ? 'en-US' : 'zh-CN';
    await context.sendActivity(
      Activity.fromObject({
        type: 'message',
        text: channelText('busy', lang),
        textFormat: 'plain',
        locale: lang,
      }),
    );
  };

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
