/**
 * Bot Framework activities to and from the channel's messages, with no SDK import: an activity is read once at the
 * boundary into what the channel needs, and outbound lines become message activities, quick replies becoming
 * suggestedActions (imBack, so the pressed label is also what the applicant sees sent).
 */
import type { Lang } from '../../questions/types.js';
import type { Sendable } from '../bindings/replies.js';

/** The fields of an incoming activity the channel reads. */
export interface ActivityIn {
  type?: string;
  id?: string;
  name?: string;
  text?: string;
  value?: unknown;
  locale?: string;
  channelId?: string;
  channelData?: unknown;
  from?: { id?: string };
  conversation?: { id?: string };
}

export interface ActivityOut {
  type: 'message' | 'endOfConversation';
  text?: string;
  textFormat?: 'plain';
  locale?: string;
  inputHint?: 'expectingInput' | 'acceptingInput' | 'ignoringInput';
  /** `to` (the recipients) empty: shown to everyone in the conversation; the SDK's schema requires the field. */
  suggestedActions?: { actions: { type: 'imBack'; title: string; value: string }[]; to: string[] };
  code?: 'completedSuccessfully';
}

export type Incoming =
  | { kind: 'start'; token: string; lang?: Lang; text?: string }
  | { kind: 'message'; text: string; choice?: string }
  | { kind: 'ignore' };

const MAX_TOKEN = 512;

function record(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

export function langOf(locale: unknown): Lang | undefined {
  if (typeof locale !== 'string') return undefined;
  if (/^zh/i.test(locale)) return 'zh-CN';
  if (/^en/i.test(locale)) return 'en-US';
  return undefined;
}

/**
 * Reads an activity: a session token (channelData.weidaiSessionToken on any activity, a `/start <token>` message,
 * or a `weidai/start` event with value.token) starts the binding; a message is an answer (text, or a choice id in
 * value.weidaiChoice); anything else is ignored.
 */
export function readActivity(a: ActivityIn): Incoming {
  const data = record(a.channelData);
  const value = record(a.value);
  const lang = langOf(data?.lang) ?? langOf(a.locale);
  const text = typeof a.text === 'string' ? a.text.trim() : '';
  const withLang = <T extends object>(o: T) => (lang ? { ...o, lang } : o);
  const tokenIn = data?.weidaiSessionToken;
  if (typeof tokenIn === 'string' && tokenIn.length > 0 && tokenIn.length <= MAX_TOKEN) {
    return withLang({
      kind: 'start' as const,
      token: tokenIn,
      ...(a.type === 'message' && text ? { text } : {}),
    });
  }
  const slash = /^\/start\s+(\S{1,512})$/.exec(text);
  if (a.type === 'message' && slash) return withLang({ kind: 'start' as const, token: slash[1]! });
  if (a.type === 'event' && a.name === 'weidai/start' && typeof value?.token === 'string') {
    return withLang({ kind: 'start' as const, token: value.token.slice(0, MAX_TOKEN) });
  }
  if (a.type !== 'message') return { kind: 'ignore' };
  const choice = typeof value?.weidaiChoice === 'string' ? value.weidaiChoice : undefined;
  if (!text && !choice) return { kind: 'ignore' };
  return choice ? { kind: 'message', text, choice } : { kind: 'message', text };
}

/** One message activity per line; the question's choices as suggested actions; the end also ends the conversation. */
export function toActivities(lines: readonly Sendable[], lang: Lang): ActivityOut[] {
  const out: ActivityOut[] = [];
  for (const m of lines) {
    const act: ActivityOut = { type: 'message', text: m.text, textFormat: 'plain', locale: lang };
    if (m.kind === 'text' && m.choices?.length) {
      act.suggestedActions = {
        actions: m.choices.map((c) => ({ type: 'imBack' as const, title: c.label, value: c.label })),
        to: [],
      };
      act.inputHint = 'expectingInput';
    }
    out.push(act);
    if (m.kind === 'end')
      out.push({ type: 'endOfConversation', code: 'completedSuccessfully', locale: lang });
  }
  return out;
}

/** A line of the channel's own (help, refusal) as one activity. */
export const note = (text: string, lang: Lang): ActivityOut => ({
  type: 'message',
  text,
  textFormat: 'plain',
  locale: lang,
});
