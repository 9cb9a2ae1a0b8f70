/**
 * The thin Fastify shell of the WeChat callback: GET verifies the server URL, POST carries messages. The body is
 * read as text (WeChat sends text/xml) with the channel's own size limit; everything else is the channel's.
 */
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { CallbackQuery, WechatChannel } from './channel.js';
import { MAX_XML_BYTES } from './xml.js';

export interface WechatRoutesOptions {
  channel: WechatChannel;
}

const Params = z.object({ account: z.string().max(64) });
const Query = z
  .object({
    signature: z.string().max(64),
    timestamp: z.string().max(20),
    nonce: z.string().max(64),
    echostr: z.string().max(256),
    openid: z.string().max(64),
    encrypt_type: z.string().max(16),
    msg_signature: z.string().max(64),
  })
  .partial();

export const wechatRoutes: FastifyPluginAsync<WechatRoutesOptions> = async (app, opts) => {
  // Scoped to this plugin: WeChat posts text/xml, sometimes with no or odd content types.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: MAX_XML_BYTES }, (_req, body, done) =>
    done(null, body),
  );

  const schema = { hide: true, params: Params, querystring: Query };

  app.get('/channels/wechat/:account', { schema }, async (req, reply) => {
    const { account } = req.params as z.infer<typeof Params>;
    const echostr = await opts.channel.verify(account, req.query as CallbackQuery);
    return reply.type('text/plain; charset=utf-8').send(echostr);
  });

  app.post('/channels/wechat/:account', { schema, bodyLimit: MAX_XML_BYTES }, async (req, reply) => {
    const { account } = req.params as z.infer<typeof Params>;
    const body = typeof req.body === 'string' ? req.body : '';
    const out = await opts.channel.receive(account, req.query as CallbackQuery, body);
    return reply.type(out.contentType).send(out.body);
  });
};
