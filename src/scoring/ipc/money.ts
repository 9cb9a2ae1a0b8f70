/**
 * Money as integer fen. Binary floats appear only in intermediate products (price × quantity, amount × ratio)
 * and are rounded half away from zero to the fen before anything is stored or summed.
 */

/** Rounds half away from zero; the 6-decimal pre-rounding absorbs float noise such as 2.4999999999 for 2.5. */
export function roundHalfUp(x: number): number {
  const cleaned = Number(Math.abs(x).toFixed(6));
  return Math.sign(x) * Math.round(cleaned) || 0;
}

export const yuanToFen = (yuan: number): number => roundHalfUp(yuan * 100);

export const fenToYuan = (fen: number): number => fen / 100;

export const sumFen = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0);

/**
 * Splits an amount over weights so that the parts are whole fen and add up exactly: each part is rounded half
 * up and the remainder goes into the last non-zero weight (as instalment schedules do).
 */
export function spreadFen(totalFen: number, weights: readonly number[]): number[] {
  const totalWeight = weights.reduce((s, w) => s + w, 0);
  if (totalWeight <= 0) return weights.map(() => 0);
  const parts = weights.map((w) => roundHalfUp((totalFen * w) / totalWeight));
  let last = -1;
  weights.forEach((w, i) => {
    if (w > 0) last = i;
  });
  parts[last] = (parts[last] ?? 0) + totalFen - sumFen(parts);
  return parts;
}
