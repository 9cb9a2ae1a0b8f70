/**
 * Exact money and rate arithmetic for pricing: amounts are integer fen, rates integer basis points, and
 * anything shown to people is a decimal string built from integers, so no binary-float noise is ever printed.
 */
import { badRequest } from '../../platform/errors.js';

/** Throws AMOUNT_INVALID unless `fen` is a safe non-negative integer. */
export function checkFen(fen: number, field = 'amount'): void {
  if (!Number.isSafeInteger(fen) || fen < 0) {
    throw badRequest('AMOUNT_INVALID', `${field} must be a non-negative whole number of fen`, {
      field,
      value: String(fen),
    });
  }
}

/** "1234.5" yuan → 123450 fen, exactly. */
export function yuanToFen(yuan: string): number {
  const m = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(yuan);
  if (!m)
    throw badRequest('AMOUNT_INVALID', 'Expected yuan as a decimal string with at most 2 decimals', {
      value: yuan,
    });
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** 123450 fen → "1234.50". */
export function fenToYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const a = Math.abs(fen);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

/** a / b rounded half away from zero, exactly, for integers (b > 0). */
export function divRoundHalfUp(a: bigint, b: bigint): bigint {
  const q = a / b;
  const r = a % b;
  if (2n * (r < 0n ? -r : r) >= b) return a < 0n ? q - 1n : q + 1n;
  return q;
}

/** An integer count of 10^-scale units as a decimal string: (12345, 4) → "1.2345". */
export function scaledToDecimal(units: number | bigint, scale: number): string {
  const v = BigInt(units);
  const neg = v < 0n;
  const a = neg ? -v : v;
  const s = a.toString().padStart(scale + 1, '0');
  const int = s.slice(0, s.length - scale);
  const frac = s.slice(s.length - scale);
  return `${neg ? '-' : ''}${int}${scale > 0 ? `.${frac}` : ''}`;
}

/** 485 bp → "0.0485" (annual rate as a decimal fraction). */
export function bpToRateString(bp: number): string {
  return scaledToDecimal(bp, 4);
}

/** 485 bp → "4.85%". */
export function bpToPercentString(bp: number): string {
  return `${scaledToDecimal(bp, 2)}%`;
}

/** Rounds a float to an integer number of 10^-scale units (half away from zero), for display of derived figures. */
export function toScaledUnits(x: number, scale: number): number {
  const f = 10 ** scale;
  const v = Math.round(Math.abs(x) * f);
  return x < 0 && v !== 0 ? -v : v;
}
