/**
 * Exposure at default and effective maturity.
 *
 * EAD = drawn + CCF × undrawn commitment (Basel II June 2006, Part 2 III.C.2 "Exposure at default"; the foundation
 * approach uses a CCF of 75% for committed undrawn lines). M = term in years, floored at one year and capped at five
 * (ibid., "Effective maturity", para 320).
 */
import { badRequest } from '../../platform/errors.js';
import { checkFen, divRoundHalfUp } from './money.js';

/** EAD in fen, rounded half-up: drawn + ccf × undrawn. */
export function exposureAtDefault(input: { drawnFen: number; undrawnFen?: number; ccf: number }): number {
  const { drawnFen, undrawnFen = 0, ccf } = input;
  for (const [field, v] of [
    ['drawn amount', drawnFen],
    ['undrawn amount', undrawnFen],
  ] as const) {
    if (typeof v === 'number' && Number.isFinite(v) && v < 0) {
      throw badRequest('EAD_NEGATIVE', `The ${field} must not be negative`, { field, value: String(v) });
    }
    checkFen(v, field);
  }
  if (typeof ccf !== 'number' || !Number.isFinite(ccf) || ccf < 0 || ccf > 1) {
    throw badRequest('CCF_OUT_OF_RANGE', 'The credit conversion factor must be in [0, 1]', {
      value: String(ccf),
    });
  }
  // CCF to 1e-6 is ample and keeps the product exact.
  const ccfMicro = BigInt(Math.round(ccf * 1_000_000));
  return drawnFen + Number(divRoundHalfUp(BigInt(undrawnFen) * ccfMicro, 1_000_000n));
}

/** Effective maturity M in years from a term in whole months: term / 12 clamped to [1, 5]. */
export function effectiveMaturity(termMonths: number): number {
  checkTermMonths(termMonths);
  return Math.min(5, Math.max(1, termMonths / 12));
}

/** Terms are whole months from 1 to 360. */
export function checkTermMonths(termMonths: number): void {
  if (!Number.isInteger(termMonths) || termMonths < 1 || termMonths > 360) {
    throw badRequest('TERM_INVALID', 'The term must be a whole number of months from 1 to 360', {
      value: String(termMonths),
    });
  }
}
