/**
 * Industry codes of GB/T 4754-2017 (国民经济行业分类): a section letter A–T followed by a two-digit division,
 * optionally a third digit (group) and a fourth (class), e.g. `F5221` 粮油、食品零售 or just `F52`. Codes are
 * accepted with or without the letter and stored with it. Pure.
 */
import type { Sector } from '../questions/types.js';

/** The divisions of each section, GB/T 4754-2017 Table 1. */
const SECTIONS: readonly [letter: string, first: number, last: number][] = [
  ['A', 1, 5],
  ['B', 6, 12],
  ['C', 13, 43],
  ['D', 44, 46],
  ['E', 47, 50],
  ['F', 51, 52],
  ['G', 53, 60],
  ['H', 61, 62],
  ['I', 63, 65],
  ['J', 66, 69],
  ['K', 70, 70],
  ['L', 71, 72],
  ['M', 73, 75],
  ['N', 76, 79],
  ['O', 80, 82],
  ['P', 83, 83],
  ['Q', 84, 85],
  ['R', 86, 90],
  ['S', 91, 96],
  ['T', 97, 97],
];

export interface IndustryCode {
  /** Normalised: letter + 2 to 4 digits. */
  code: string;
  section: string;
  division: number;
}

/** The section letter of a division, or undefined when no section has it. */
function sectionOf(division: number): string | undefined {
  return SECTIONS.find(([, a, b]) => division >= a && division <= b)?.[0];
}

/**
 * Parses `F5221`, `f5221` or `5221`; null when the format is wrong, the division does not exist, or the letter
 * does not match the division's section.
 */
export function parseIndustryCode(input: string): IndustryCode | null {
  const m = /^([A-Ta-t])?(\d{2})(\d{0,2})$/.exec(input.normalize('NFKC').trim());
  if (!m) return null;
  const division = Number(m[2]);
  const section = sectionOf(division);
  if (!section) return null;
  if (m[1] && m[1].toUpperCase() !== section) return null;
  return { code: `${section}${m[2]}${m[3]}`, section, division };
}

/**
 * The survey sector for a code, by the most specific prefix that has one; undefined when none of the six fits.
 * Wholesale and retail trade go to grocery (small shops), accommodation goes with catering (农家乐 inns run as
 * restaurants), aquaculture with livestock (stock, cycles and feed), all of manufacturing to processing.
 */
const SECTOR_BY_PREFIX: readonly [prefix: string, sector: Sector][] = [
  ['A01', 'crops'],
  ['A03', 'livestock'],
  ['A041', 'livestock'],
  ['F51', 'grocery'],
  ['F52', 'grocery'],
  ['H61', 'restaurant'],
  ['H62', 'restaurant'],
  ['G54', 'transport'],
  ['G59', 'transport'],
];

export function sectorOfIndustry(code: IndustryCode): Sector | undefined {
  if (code.section === 'C') return 'processing';
  let best: [string, Sector] | undefined;
  for (const entry of SECTOR_BY_PREFIX) {
    if (code.code.startsWith(entry[0]) && (!best || entry[0].length > best[0].length)) best = entry;
  }
  return best?.[1];
}
