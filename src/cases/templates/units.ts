/**
 * Units an officer may type for a number or money answer, and their factor to the canonical unit of the
 * question. 1 斤 = 0.5 kg and 1 公顷 = 15 亩 are the statutory Chinese market units.
 */
const FACTORS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  元: { 元: 1, 千元: 1_000, 万元: 10_000 },
  kg: { kg: 1, 公斤: 1, 千克: 1, 斤: 0.5, 吨: 1_000, t: 1_000 },
  吨: { 吨: 1, t: 1, kg: 0.001, 公斤: 0.001, 斤: 0.0005 },
  亩: { 亩: 1, 公顷: 15, ha: 15 },
  公里: { 公里: 1, km: 1, 里: 0.5 },
  天: { 天: 1, 日: 1 },
  月: { 月: 1, 年: 12 },
  年: { 年: 1 },
  头: { 头: 1, 只: 1 },
  '%': { '%': 1 },
};

/** The factor that turns `from` into `to`, or undefined when the two do not measure the same thing. */
export function unitFactor(from: string, to: string): number | undefined {
  if (from === to) return 1;
  return FACTORS[to]?.[from];
}

export function convertUnit(value: number, from: string, to: string): number | undefined {
  const f = unitFactor(from, to);
  return f === undefined ? undefined : value * f;
}
