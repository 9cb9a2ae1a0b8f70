/**
 * Retention of interview recordings. Practice, not law (DOMAIN.md "Recording": retention periods vary by rule and
 * product, default 5 years after the loan ends): a recording may be purged once `years` have passed since the loan
 * ended or, when no loan was made (declined, withdrawn, never decided), since the interview ended. Pure.
 */

export interface RetentionPolicy {
  /** Whole years kept after the basis date (default 5). */
  years: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { years: 5 };

export interface RetentionFacts {
  endedAt: Date;
  /** The expert's opinion kind, if any. */
  outcome: string | null;
  /** The actual final repayment date, once servicing reports it. */
  loanEndsAt: Date | null;
  /** The loan's term in months (the request, or the expert's adjustment). */
  loanTermMonths: number | null;
}

/** Calendar months added in UTC, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonthsUtc(d: Date, months: number): Date {
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const target = new Date(
    Date.UTC(y, m, 1, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()),
  );
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), last));
  return target;
}

const LENT: readonly string[] = ['approve', 'adjust'];

/**
 * The date from which the retention years count. When the loan was made but its end is not known yet, the end of its
 * term counted from the interview stands in for it (a disbursement is never earlier than the interview, so this
 * never purges early by more than the time to disbursement — and servicing's `loanEndsAt` replaces it).
 */
export function retentionBasis(f: RetentionFacts): Date {
  if (f.loanEndsAt) return f.loanEndsAt;
  if (f.outcome !== null && LENT.includes(f.outcome) && f.loanTermMonths !== null)
    return addMonthsUtc(f.endedAt, f.loanTermMonths);
  return f.endedAt;
}

/**
 * The first moment a recording may be purged. An interview that never led to a loan (declined, abandoned, never
 * decided) counts from its own end, like a declined case.
 */
export function purgeableFrom(f: RetentionFacts, policy: RetentionPolicy = DEFAULT_RETENTION): Date {
  return addMonthsUtc(retentionBasis(f), policy.years * 12);
}
