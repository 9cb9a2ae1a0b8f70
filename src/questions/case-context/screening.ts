/**
 * Screening facts (src/screening) → CaseContext.screening. Only facts with status 'ok' count. Each name has a
 * declared kind, because screening keeps money in integer fen (its catalogue's unit 'fen') while the question
 * bank works in yuan; a name not listed here is not passed on, so no fen amount can reach the bank unconverted.
 */
import { fenToYuan } from '../../scoring/ipc/index.js';
import type { CaseValue } from '../schemas.js';

/** An outside-data fact as screening delivers it; only `value` and `status` are read. */
export interface ScreeningEntry {
  value: unknown;
  status: string;
}

export type ScreeningKind = 'fen' | 'count' | 'date' | 'bool' | 'code';

export const SCREENING_FACTS: Readonly<Record<string, ScreeningKind>> = {
  'registration.established_date': 'date',
  'registration.status': 'code',
  'tax.invoiced_sales.monthly': 'fen',
  'tax.tax_paid.monthly': 'fen',
  'court.dishonest_records': 'count',
  'court.enforcement_records': 'count',
  'court.lawsuits_as_defendant': 'count',
  'credit.accounts': 'count',
  'credit.overdue_accounts': 'count',
  'credit.max_overdue_months': 'count',
  'credit.queries_6m': 'count',
  'credit.outstanding_debt': 'fen',
  'multilender.applications_30d': 'count',
  'multilender.applications_90d': 'count',
  'multilender.loans_30d': 'count',
  'multilender.loans_90d': 'count',
};

export type ScreeningDrop = 'not_ok' | 'unknown_fact' | 'bad_value';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The value in the bank's unit, or why it is left out. */
export function screeningValue(
  name: string,
  entry: ScreeningEntry,
): { value: CaseValue } | { drop: ScreeningDrop } {
  const kind = SCREENING_FACTS[name];
  if (kind === undefined) return { drop: 'unknown_fact' };
  if (entry.status !== 'ok') return { drop: 'not_ok' };
  const v = entry.value;
  switch (kind) {
    case 'fen':
      return typeof v === 'number' && Number.isInteger(v) ? { value: fenToYuan(v) } : { drop: 'bad_value' };
    case 'count':
      return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? { value: v } : { drop: 'bad_value' };
    case 'date':
      return typeof v === 'string' && DATE.test(v) ? { value: v } : { drop: 'bad_value' };
    case 'bool':
      return typeof v === 'boolean' ? { value: v } : { drop: 'bad_value' };
    case 'code':
      return typeof v === 'string' && v.trim() !== '' ? { value: v.trim() } : { drop: 'bad_value' };
  }
}
