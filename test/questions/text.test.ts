import { describe, expect, it } from 'vitest';
import { figureAt, fillSlots, slotsOf, strayBraceAt } from '../../src/questions/text.js';

describe('figure detection', () => {
  it.each([
    ['您一天卖30000元吗？', '3'],
    ['您说三万，对吗？', '三万'],
    ['进两千的货', '两千'],
    ['三天进一次货', '三'],
    ['一天卖五十元', '五十'],
    ['收据上写着壹万', '壹'],
    ['全角数字１２', '１'],
    ['You said thirty thousand', 'thirty'],
    ['about 15 percent', '1'],
  ])('flags a figure in %s', (text, match) => {
    expect(figureAt(text)?.match).toBe(match);
  });

  it.each([
    '您店里平时一天大概能卖多少钱？',
    '现在一袋饲料多少钱？',
    '您卖的东西，一般能赚几成？',
    '站在您店门口，左右两边是什么？',
    '您的五金店开了几年了？',
    '您的三轮车平时拉什么？',
    '日杂百货卖得好吗？',
    'What does one mu yield in a season?',
  ])('does not flag ordinary speech: %s', (text) => {
    expect(figureAt(text)).toBeUndefined();
  });
});

describe('slots', () => {
  it('finds slots with their positions', () => {
    expect(slotsOf('从{township}到您{place_noun}')).toEqual([
      { name: 'township', index: 1 },
      { name: 'place_noun', index: 13 },
    ]);
  });

  it('reports an unbalanced brace at its position', () => {
    expect(strayBraceAt('您的{place_noun}在{village')).toBe(15);
    expect(strayBraceAt('您的{place_noun}在哪')).toBeUndefined();
  });

  it('fills known slots and leaves unknown ones for the caller to refuse', () => {
    expect(fillSlots('您{place_noun}里{x}', { place_noun: '店' })).toBe('您店里{x}');
  });
});
