/**
 * The WeChat and Bot Framework channels and the binding-code endpoint as one Fastify plugin, given the interview
 * port and the platform's pieces. Routes: GET/POST /channels/wechat/:account, POST /channels/botframework/messages,
 * POST /api/v1/channels/binding-codes.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Clock, Ids } from '../../platform/deps.js';
import type { Kv } from '../../platform/kv/index.js';
import { type BotFrameworkAuth, botFrameworkRoutes } from '../botframework/routes.js';
import { createBotFrameworkChannel } from '../botframework/channel.js';
import { type WechatConfig, createWechat, wechatRoutes } from '../wechat/index.js';
import type { InterviewPort } from '../ws/connection.js';
import { createBindingCodes } from './codes.js';
import type { ChannelNotesPort } from './notes.js';
import { bindingRoutes } from './routes.js';
import type { BindingStore } from './types.js';

export interface ChannelsPluginOptions {
  port: InterviewPort;
  bindings: BindingStore;
  notes: ChannelNotesPort;
  kv: Kv;
  clock: Clock;
  ids: Ids;
  wechat: WechatConfig;
  botframework: BotFrameworkAuth;
  /** Passive-reply deadline of the WeChat channel (tests shorten it). */
  wechatDeadlineMs?: number;
}

export const channelsPlugin: FastifyPluginAsync<ChannelsPluginOptions> = async (app, opts) => {
  const codes = createBindingCodes({
    port: opts.port,
    kv: opts.kv,
    clock: opts.clock,
    ids: opts.ids,
    bindings: opts.bindings,
  });
  const wechat = createWechat({
    config: opts.wechat,
    port: opts.port,
    codes,
    bindings: opts.bindings,
    notes: opts.notes,
    kv: opts.kv,
    clock: opts.clock,
    ids: opts.ids,
    log: app.log.child({ channel: 'wechat' }),
    ...(opts.wechatDeadlineMs !== undefined ? { deadlineMs: opts.wechatDeadlineMs } : {}),
  });
  const bfLog = app.log.child({ channel: 'botframework' });
  const botframework = createBotFrameworkChannel({
    port: opts.port,
    codes,
    bindings: opts.bindings,
    kv: opts.kv,
    ids: opts.ids,
    log: bfLog,
  });
  await app.register(wechatRoutes, { channel: wechat.channel });
  await app.register(botFrameworkRoutes, {
    channel: botframework,
    auth: opts.botframework,
    log: bfLog,
  });
  await app.register(bindingRoutes, {
    prefix: '/api/v1',
    codes,
    kv: opts.kv,
    clock: opts.clock,
    ...(opts.wechat.accounts.length > 0 ? { qr: wechat.bindingQr } : {}),
  });
};
