import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countHouseholdMembers, statedHousehold } from '../../../src/dialog/nlu/household.js';

/** Phrases naming household members, each with how many people it stands for. */
const MEMBERS: [phrase: string, people: number][] = [
  ['老婆', 1],
  ['我爸', 1],
  ['我妈', 1],
  ['两个孩子', 2],
  ['俩娃', 2],
  ['一个儿子', 1],
  ['三个闺女', 3],
  ['父母', 2],
  ['奶奶', 1],
  ['一个弟弟', 1],
];
const JOINERS = ['和', '、', '，', '，还有', '跟', '加上'];

describe('countHouseholdMembers', () => {
  it('adds up the members named, in any order and however joined, counting the speaker once', () => {
    fc.assert(
      fc.property(
        fc.subarray(MEMBERS, { minLength: 1 }),
        fc.array(fc.constantFrom(...JOINERS), {
          minLength: MEMBERS.length + 1,
          maxLength: MEMBERS.length + 1,
        }),
        fc.nat(),
        (members, joiners, seed) => {
          // The speaker first or in the middle: 我和老婆… / 老婆和我…
          const parts = members.map(([p]) => p);
          parts.splice(seed % (parts.length + 1), 0, '我');
          const text = parts.map((p, i) => (i === 0 ? p : `${joiners[i]}${p}`)).join('');
          const expected = 1 + members.reduce((a, [, n]) => a + n, 0);
          expect(countHouseholdMembers(text)).toBe(expected);
        },
      ),
    );
  });

  it('leaves a total said outright, and a single kind of member, to the figure reader', () => {
    for (const t of ['就我和老婆两个', '四口人', '我们三个', '两个孩子', '我', '一家五口'])
      expect(countHouseholdMembers(t), t).toBeUndefined();
  });

  it('reads 一家N口 and N口之家 as the size', () => {
    expect(statedHousehold('我们一家三口')).toBe(3);
    expect(statedHousehold('五口之家')).toBe(5);
    expect(statedHousehold('一家子6口')).toBe(6);
    expect(statedHousehold('三个人')).toBeUndefined();
  });
});
