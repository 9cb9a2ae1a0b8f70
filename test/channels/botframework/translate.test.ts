import { describe, expect, it } from 'vitest';
import { readActivity, toActivities } from '../../../src/channels/botframework/translate.js';

describe('Bot Framework activity translation', () => {
  it('reads a session token from channelData on any activity, with the locale as language', () => {
    expect(
      readActivity({
        type: 'conversationUpdate',
        channelData: { weidaiSessionToken: 'tok' },
        locale: 'en-GB',
      }),
    ).toEqual({ kind: 'start', token: 'tok', lang: 'en-US' });
    expect(
      readActivity({ type: 'message', text: ' 你好 ', channelData: { weidaiSessionToken: 'tok' } }),
    ).toEqual({
      kind: 'start',
      token: 'tok',
      text: '你好',
    });
  });

  it('reads "/start <token>" and the weidai/start event', () => {
    expect(readActivity({ type: 'message', text: '/start abc.def' })).toEqual({
      kind: 'start',
      token: 'abc.def',
    });
    expect(readActivity({ type: 'event', name: 'weidai/start', value: { token: 't2' } })).toEqual({
      kind: 'start',
      token: 't2',
    });
  });

  it('reads a message as an answer, with an explicit choice from value.weidaiChoice', () => {
    expect(readActivity({ type: 'message', text: '三千' })).toEqual({ kind: 'message', text: '三千' });
    expect(readActivity({ type: 'message', text: '', value: { weidaiChoice: 'yes' } })).toEqual({
      kind: 'message',
      text: '',
      choice: 'yes',
    });
  });

  it('ignores typing, empty messages and non-string tokens', () => {
    expect(readActivity({ type: 'typing' })).toEqual({ kind: 'ignore' });
    expect(readActivity({ type: 'message', text: '   ' })).toEqual({ kind: 'ignore' });
    expect(readActivity({ type: 'event', channelData: { weidaiSessionToken: 42 } })).toEqual({
      kind: 'ignore',
    });
  });

  it('turns choices into imBack suggested actions and the end into endOfConversation', () => {
    const out = toActivities(
      [
        {
          kind: 'text',
          seq: 4,
          text: '有贷款吗？',
          choices: [
            { id: 'yes', label: '有' },
            { id: 'no', label: '没有' },
          ],
        },
        { kind: 'end', seq: 5, reason: 'doubt_low', text: '谢谢' },
      ],
      'zh-CN',
    );
    expect(out[0]).toMatchObject({
      type: 'message',
      text: '有贷款吗？',
      inputHint: 'expectingInput',
      suggestedActions: {
        actions: [
          { type: 'imBack', title: '有', value: '有' },
          { type: 'imBack', title: '没有', value: '没有' },
        ],
      },
    });
    expect(out.slice(1).map((a) => a.type)).toEqual(['message', 'endOfConversation']);
  });
});
