import { describe, expect, it } from 'vitest';
import { pendingPrompt, runChannelTurn } from '../../../src/channels/bindings/replies.js';
import type { InterviewPort } from '../../../src/channels/ws/connection.js';
import type { TranscriptEvent, TurnInput } from '../../../src/dialog/session/types.js';
import { fakeClock } from '../../../src/platform/deps.js';
import { createMemoryKv } from '../../../src/platform/kv/index.js';

const at = new Date('2026-05-01T02:00:00Z');
const choices = [
  { id: 'yes', label: '有' },
  { id: 'no', label: '没有' },
];

/** A port whose transcript is a list, and whose turn records the input and answers with one line. */
function fakePort(events: TranscriptEvent[]) {
  const inputs: TurnInput[] = [];
  const port: InterviewPort = {
    open: async () => {
      throw new Error('unused');
    },
    handleTurn: async (input) => {
      inputs.push(input);
      const dup = events.find((e) => e.kind === 'applicant' && e.clientMsgId === input.clientMsgId);
      if (dup) return { ackSeq: dup.seq, duplicate: true, messages: [], status: 'in_progress' };
      const seq = events.length + 1;
      events.push({
        kind: 'applicant',
        seq,
        at,
        clientMsgId: input.clientMsgId,
        channel: input.channel,
        text: input.text ?? '',
      });
      events.push({ kind: 'bot', seq: seq + 1, at, text: `next after ${input.choice ?? input.text}` });
      return {
        ackSeq: seq,
        duplicate: false,
        messages: [{ seq: seq + 1, at, text: `next after ${input.choice ?? input.text}` }],
        status: 'in_progress',
      };
    },
    transcriptAfter: async (_id, after) => events.filter((e) => e.seq > after),
  };
  return { port, inputs };
}

describe('channel turns', () => {
  const question = (): TranscriptEvent[] => [
    { kind: 'bot', seq: 1, at, text: '您好' },
    { kind: 'bot', seq: 2, at, text: '有没有别的贷款？', choices },
  ];

  it.each([
    ['2', 'no'],
    ['第1个', 'yes'],
    ['没有', 'no'],
  ])('reads the reply "%s" as the choice %s of the pending question', async (reply, choice) => {
    const { port, inputs } = fakePort(question());
    await runChannelTurn(port, createMemoryKv({ clock: fakeClock() }), {
      sessionId: 's',
      clientMsgId: 'm1',
      channel: 'wechat',
      text: reply,
    });
    expect(inputs[0]).toMatchObject({ choice, text: reply });
  });

  it('sends a choice that came with an empty text as the choice alone, for the turn to record with its label', async () => {
    const { port, inputs } = fakePort(question());
    await runChannelTurn(port, createMemoryKv({ clock: fakeClock() }), {
      sessionId: 's',
      clientMsgId: 'm1',
      channel: 'botframework',
      text: '',
      choice: 'no',
    });
    expect(inputs[0]).toMatchObject({ choice: 'no' });
    expect(inputs[0]!.text).toBeUndefined();
  });

  it('sends free text as text when it names no choice, and ignores a forged choice id', async () => {
    const { port, inputs } = fakePort(question());
    const kv = createMemoryKv({ clock: fakeClock() });
    await runChannelTurn(port, kv, {
      sessionId: 's',
      clientMsgId: 'm1',
      channel: 'botframework',
      text: '有一笔两万的',
      choice: 'maybe',
    });
    expect(inputs[0]!.choice).toBeUndefined();
  });

  it('answers a duplicate with the committed reply to it', async () => {
    const { port } = fakePort(question());
    const kv = createMemoryKv({ clock: fakeClock() });
    const first = await runChannelTurn(port, kv, {
      sessionId: 's',
      clientMsgId: 'm1',
      channel: 'wechat',
      text: '2',
    });
    const again = await runChannelTurn(port, kv, {
      sessionId: 's',
      clientMsgId: 'm1',
      channel: 'wechat',
      text: '2',
    });
    expect(again).toEqual(first);
    expect(first.map((m) => m.text)).toEqual(['next after no']);
  });

  it('prompts with the lines after the last applicant message', async () => {
    const { port } = fakePort(question());
    expect((await pendingPrompt(port, 's')).map((m) => m.seq)).toEqual([1, 2]);
    await runChannelTurn(port, createMemoryKv({ clock: fakeClock() }), {
      sessionId: 's',
      clientMsgId: 'm1',
      channel: 'wechat',
      text: '1',
    });
    expect((await pendingPrompt(port, 's')).map((m) => m.seq)).toEqual([4]);
  });
});
