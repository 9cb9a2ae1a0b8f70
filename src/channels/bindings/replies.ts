/**
 * What channels without a live connection (WeChat, Bot Framework) share: run one turn and get the bot's answer to
 * it — the fresh one, or, for a retried message, the one already committed — and the prompt an applicant should
 * see on binding. Everything comes from the durable transcript by seq, so a retry never runs a turn twice.
 */
import type { Choice, TranscriptEvent, TurnInput } from '../../dialog/session/types.js';
import type { Kv } from '../../platform/kv/index.js';
import { choiceFromReply, type OutboundMessage } from '../types.js';
import type { InterviewPort } from '../ws/connection.js';

type Sendable = Extract<OutboundMessage, { kind: 'text' | 'end' }>;

function toOutbound(e: TranscriptEvent): Sendable | null {
  if (e.kind === 'bot') {
    const m: Sendable = { kind: 'text', seq: e.seq, text: e.text };
    if (e.choices) m.choices = e.choices;
    if (e.expects) m.expects = e.expects;
    if (e.questionId) m.questionId = e.questionId;
    return m;
  }
  if (e.kind === 'end') return { kind: 'end', seq: e.seq, reason: e.reason, text: e.text };
  return null;
}

async function allEvents(port: InterviewPort, sessionId: string, afterSeq = 0): Promise<TranscriptEvent[]> {
  const out: TranscriptEvent[] = [];
  let after = afterSeq;
  for (;;) {
    const page = await port.transcriptAfter(sessionId, after, 500);
    out.push(...page);
    if (page.length < 500) return out;
    after = page[page.length - 1]!.seq;
  }
}

/** The bot lines committed after `afterSeq` up to the next applicant line: the answer to that applicant message. */
export async function committedReplyAfter(
  port: InterviewPort,
  sessionId: string,
  afterSeq: number,
): Promise<Sendable[]> {
  const out: Sendable[] = [];
  for (const e of await port.transcriptAfter(sessionId, afterSeq, 50)) {
    if (e.kind === 'applicant') break;
    const m = toOutbound(e);
    if (m) out.push(m);
  }
  return out;
}

/** What the applicant should see now: the bot lines after their last message (the greeting and first question). */
export async function pendingPrompt(port: InterviewPort, sessionId: string): Promise<Sendable[]> {
  const events = await allEvents(port, sessionId);
  let from = 0;
  for (let i = events.length - 1; i >= 0; i--) {
    if (events[i]!.kind === 'applicant') {
      from = i + 1;
      break;
    }
  }
  const out = events.slice(from).flatMap((e) => toOutbound(e) ?? []);
  if (out.length > 0) return out;
  const lastBot = [...events].reverse().find((e) => e.kind === 'bot');
  return lastBot ? [toOutbound(lastBot)!] : [];
}

const choicesKey = (sessionId: string) => `ch:choices:${sessionId}`;
const CHOICES_TTL_MS = 7 * 24 * 3600_000;

/** Keeps the choices of the last question sent, so a reply "2" can be read back as the second choice. */
export async function rememberChoices(kv: Kv, sessionId: string, sent: readonly Sendable[]) {
  const last = [...sent].reverse().find((m) => m.kind === 'text');
  if (!last && !sent.some((m) => m.kind === 'end')) return;
  const choices = last?.kind === 'text' ? (last.choices ?? []) : [];
  await kv
    .set(choicesKey(sessionId), JSON.stringify(choices), { ttlMs: CHOICES_TTL_MS })
    .catch(() => undefined);
}

async function recallChoices(kv: Kv, port: InterviewPort, sessionId: string): Promise<Choice[]> {
  const raw = await kv.get(choicesKey(sessionId)).catch(() => null);
  if (raw !== null) return JSON.parse(raw) as Choice[];
  const prompt = await pendingPrompt(port, sessionId);
  const last = [...prompt].reverse().find((m) => m.kind === 'text');
  return last?.kind === 'text' ? (last.choices ?? []) : [];
}

/**
 * Runs one applicant message as a turn and returns the bot's answer to it. A text naming one of the question's
 * choices ("2", "第2个", the label) is sent as that choice; an explicit `choice` (a button's value) is kept only if
 * the question offers it. A duplicate (same clientMsgId) returns the committed answer again instead of nothing.
 */
export async function runChannelTurn(port: InterviewPort, kv: Kv, t: TurnInput): Promise<Sendable[]> {
  const input: TurnInput = { sessionId: t.sessionId, clientMsgId: t.clientMsgId, channel: t.channel };
  // An empty text is no text: a button's value sent with text '' (Bot Framework clients do) is recorded with its label.
  if (t.text) input.text = t.text;
  if (t.media?.length) input.media = t.media;
  const choices = t.choice !== undefined || t.text ? await recallChoices(kv, port, t.sessionId) : [];
  const choice =
    t.choice !== undefined && choices.some((c) => c.id === t.choice)
      ? t.choice
      : t.text
        ? choiceFromReply(t.text, choices)
        : undefined;
  // A choice sent without words is recorded with its label by the dialog's turn (as for every channel).
  if (choice !== undefined) input.choice = choice;
  const result = await port.handleTurn(input);
  let out: Sendable[];
  if (result.duplicate) {
    out = await committedReplyAfter(port, t.sessionId, result.ackSeq);
  } else {
    out = result.messages.map((m) => {
      const s: Sendable = { kind: 'text', seq: m.seq, text: m.text };
      if (m.choices) s.choices = m.choices;
      if (m.expects) s.expects = m.expects;
      if (m.questionId) s.questionId = m.questionId;
      return s;
    });
    if (result.ended) out.push({ kind: 'end', ...result.ended });
  }
  // A retry of an older message must not overwrite the choices of the question asked since.
  if (!result.duplicate) await rememberChoices(kv, t.sessionId, out);
  return out;
}

export type { Sendable };
