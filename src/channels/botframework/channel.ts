/**
 * The Bot Framework activity channel, independent of the SDK and of Fastify: an activity in, the activities to send
 * back out. A conversation member is bound to an interview by the session token the client passes (the web page
 * or app that embeds Web Chat holds it after the identity check). The activity id is the turn's client message
 * id, so a redelivered activity gets the committed reply again and never runs a second turn.
 */
import type { Ids } from '../../platform/deps.js';
import { isAppError } from '../../platform/errors.js';
import type { Kv } from '../../platform/kv/index.js';
import type { Lang } from '../../questions/types.js';
import { type BindingCodes, userKey } from '../bindings/codes.js';
import { pendingPrompt, rememberChoices, runChannelTurn } from '../bindings/replies.js';
import { channelText } from '../bindings/texts.js';
import type { BindingStore, ChannelBinding } from '../bindings/types.js';
import type { InterviewPort } from '../ws/connection.js';
import { type ActivityIn, type ActivityOut, note, readActivity, toActivities } from './translate.js';

export interface BotFrameworkChannelDeps {
  port: InterviewPort;
  codes: BindingCodes;
  bindings: BindingStore;
  kv: Kv;
  ids: Ids;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

export function createBotFrameworkChannel(deps: BotFrameworkChannelDeps) {
  const { log } = deps;

  /** The binding key: the member within the conversation, so a new conversation needs the token again. */
  function who(a: ActivityIn) {
    const account = (a.channelId ?? 'unknown').slice(0, 64);
    const uk = userKey('botframework', account, `${a.conversation?.id ?? ''}\u0000${a.from?.id ?? ''}`);
    return { channel: 'botframework' as const, account, userKey: uk };
  }

  async function prompt(binding: ChannelBinding, lead?: string): Promise<ActivityOut[]> {
    const lines = await pendingPrompt(deps.port, binding.sessionId);
    await rememberChoices(deps.kv, binding.sessionId, lines);
    const out = toActivities(lines, binding.lang);
    return lead ? [note(lead, binding.lang), ...out] : out;
  }

  async function answer(
    binding: ChannelBinding,
    a: ActivityIn,
    text: string,
    choice?: string,
  ): Promise<ActivityOut[]> {
    // Direct Line and the Bot Connector always set ids; without one a redelivery cannot be recognised.
    const clientMsgId = a.id ? `bf:${a.id.slice(0, 200)}` : `bf:noid:${deps.ids.uuid()}`;
    try {
      const lines = await runChannelTurn(deps.port, deps.kv, {
        sessionId: binding.sessionId,
        clientMsgId,
        channel: 'botframework',
        text,
        ...(choice !== undefined ? { choice } : {}),
      });
      return toActivities(lines, binding.lang);
    } catch (e) {
      if (!isAppError(e)) throw e;
      if (e.code === 'SESSION_ENDED') return [note(channelText('ended', binding.lang), binding.lang)];
      if (e.code === 'RATE_LIMITED') return [note(e.message, binding.lang)];
      log.warn({ error: e.code, sessionId: binding.sessionId }, 'botframework turn failed');
      return [note(channelText('busy', binding.lang), binding.lang)];
    }
  }

  async function onActivity(a: ActivityIn): Promise<ActivityOut[]> {
    const incoming = readActivity(a);
    if (incoming.kind === 'ignore') return [];
    const id = who(a);
    const existing = await deps.bindings.get(id.channel, id.account, id.userKey);
    if (incoming.kind === 'start') {
      let bound: ChannelBinding;
      try {
        ({ binding: bound } = await deps.codes.bindWithToken(incoming.token, incoming.lang, id));
      } catch (e) {
        if (!isAppError(e) || e.status >= 500) throw e;
        log.warn({ error: e.code, account: id.account }, 'botframework session token refused');
        const lang: Lang = incoming.lang ?? existing?.lang ?? 'zh-CN';
        return [note(channelText('openFromLink', lang), lang)];
      }
      // A client that sends the token with every message (Web Chat store middleware) is already bound: answer.
      if (existing?.sessionId === bound.sessionId && incoming.text && a.type === 'message') {
        return answer(bound, a, incoming.text);
      }
      if (existing?.sessionId !== bound.sessionId) {
        log.info(
          { account: id.account, user: id.userKey.slice(0, 12), sessionId: bound.sessionId },
          'botframework user bound',
        );
      }
      return prompt(bound);
    }
    if (!existing) return [note(channelText('openFromLink', 'zh-CN'), 'zh-CN')];
    return answer(existing, a, incoming.text, incoming.choice);
  }

  return { onActivity };
}

export type BotFrameworkChannel = ReturnType<typeof createBotFrameworkChannel>;
