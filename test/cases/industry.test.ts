import { describe, expect, it } from 'vitest';
import { parseIndustryCode, sectorOfIndustry } from '../../src/cases/industry.js';

describe('GB/T 4754-2017 industry codes', () => {
  it.each([
    ['F5221', 'F5221', 'grocery'],
    ['5212', 'F5212', 'grocery'],
    ['f51', 'F51', 'grocery'],
    ['H6210', 'H6210', 'restaurant'],
    ['H6110', 'H6110', 'restaurant'],
    ['A0111', 'A0111', 'crops'],
    ['A0313', 'A0313', 'livestock'],
    ['A0411', 'A0411', 'livestock'],
    ['G5430', 'G5430', 'transport'],
    ['C1311', 'C1311', 'processing'],
    ['C3311', 'C3311', 'processing'],
    ['Ｆ５２２１', 'F5221', 'grocery'],
  ])('reads %s as %s in sector %s', (input, code, sector) => {
    const parsed = parseIndustryCode(input);
    expect(parsed?.code).toBe(code);
    expect(sectorOfIndustry(parsed!)).toBe(sector);
  });

  it.each(['A0421', 'K7010', 'P8310', 'G5320'])('maps %s to no survey sector', (input) => {
    expect(sectorOfIndustry(parseIndustryCode(input)!)).toBeUndefined();
  });

  it.each(['A5221', 'Z01', '00', '98', 'F5', 'F52211', 'F52-21', '', 'U97'])('refuses %j', (input) => {
    expect(parseIndustryCode(input)).toBeNull();
  });
});
