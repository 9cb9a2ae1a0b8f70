import { describe, expect, it } from 'vitest';
import { createNlu } from '../../../src/dialog/nlu/index.js';

const nlu = createNlu();
const money = { answerType: 'money' as const, unit: '元' };

describe('asides: questions put to the interviewer', () => {
  it.each([
    ['你是机器人吗', 'off_topic', 'bot_identity'],
    ['你是真人吗？', 'ask_back', 'bot_identity'],
    ['are you a bot?', 'off_topic', 'bot_identity'],
    ['你问这个干嘛', 'ask_back', 'why_asked'],
    ['为什么问这个', 'ask_back', 'why_asked'],
    ['why do you need to know', 'ask_back', 'why_asked'],
  ])('%s → %s with the aside %s', (text, intent, aside) => {
    const u = nlu.understand(text, money);
    expect(u.intent).toBe(intent);
    expect(u.aside).toBe(aside);
  });

  it.each(['什么意思', '你好', '一天三千', '不知道'])('%s has no aside', (text) => {
    expect(nlu.understand(text, money).aside).toBeUndefined();
  });
});
