/**
 * Channel-agnostic messages. A channel adapter turns its traffic into InboundMessage and delivers OutboundMessage;
 * it knows nothing of questions, and the dialog engine knows nothing of channels.
 */
import type { Choice, EndReason } from '../dialog/session/types.js';

export type ChannelName = 'websocket' | 'wechat' | 'botframework';

export interface InboundMessage {
  channel: ChannelName;
  /** The channel's own id of the person (WeChat openid, Bot Framework from.id, the WebSocket connection id). */
  channelUserId: string;
  sessionId: string;
  /** The channel's id of this message (client id, WeChat MsgId, activity id): retried deliveries share it. */
  clientMessageId: string;
  text?: string;
  choice?: string;
  media?: { kind: 'voice' | 'image'; ref: string }[];
  receivedAt: Date;
}

export type OutboundMessage =
  | { kind: 'text'; seq: number; text: string; choices?: Choice[]; expects?: string; questionId?: string }
  | { kind: 'typing'; on: boolean }
  | { kind: 'end'; seq: number; reason: EndReason; text: string };

/** For channels without buttons: the choices as numbered lines under the text. */
export function withNumberedChoices(text: string, choices: readonly Choice[] | undefined): string {
  if (!choices?.length) return text;
  return `${text}\n${choices.map((c, i) => `${i + 1}. ${c.label}`).join('\n')}`;
}

/** "2", "２", "第2个" or the exact label, read back as the choice it names; undefined otherwise. */
export function choiceFromReply(reply: string, choices: readonly Choice[] | undefined): string | undefined {
  if (!choices?.length) return undefined;
  const t = reply.normalize('NFKC').trim();
  const m = /^(?:第\s*)?(\d{1,2})\s*(?:个|项|\.)?$/.exec(t);
  if (m) return choices[Number(m[1]) - 1]?.id;
  return choices.find((c) => c.label === t)?.id;
}
