/**
 * Assembling the facts document from what each category's provider answered. Pure: no I/O, no clock.
 * Every catalogue fact appears, with a value or an explicit reason why it has none.
 */
import { FACT_DEFS } from './catalogue.js';
import type { Category, FactEntry, MissingReason, ProviderOutcome, ScreeningFacts } from './types.js';

export type SourceResult =
  | { category: Category; kind: 'answered'; outcome: ProviderOutcome; mandatory: boolean }
  | { category: Category; kind: 'no_consent'; provider: string; mandatory: boolean }
  | { category: Category; kind: 'not_configured'; mandatory: boolean };

function failureReason(o: ProviderOutcome): MissingReason {
  return o.error?.code === 'SUBJECT_MISMATCH' ? 'subject_mismatch' : 'source_failed';
}

export function buildFacts(caseId: string, asOf: Date, results: readonly SourceResult[]): ScreeningFacts {
  const byCategory = new Map(results.map((r) => [r.category, r]));
  const facts: Record<string, FactEntry> = {};
  for (const def of FACT_DEFS) {
    const r = byCategory.get(def.category);
    const missing = (
      reason: MissingReason,
      provider: string | null,
      fetchedAt: string | null = null,
    ): FactEntry => ({
      value: null,
      source: def.category,
      provider,
      fetchedAt,
      status: 'missing',
      reason,
    });
    if (!r || r.kind === 'not_configured') {
      facts[def.key] = missing('not_configured', null);
      continue;
    }
    if (r.kind === 'no_consent') {
      facts[def.key] = missing('no_consent', r.provider);
      continue;
    }
    const o = r.outcome;
    const fetchedAt = o.fetchedAt ? o.fetchedAt.toISOString() : null;
    if (o.status === 'failed') {
      // A mandatory source that failed is 'failed' (the case waits for a retry); an optional one is just missing.
      facts[def.key] = {
        ...missing(failureReason(o), o.provider),
        status: r.mandatory ? 'failed' : 'missing',
      };
    } else if (o.status === 'no_record') {
      facts[def.key] = missing('no_record', o.provider, fetchedAt);
    } else {
      const value = o.facts[def.key];
      facts[def.key] =
        value === undefined || value === null
          ? missing('not_provided', o.provider, fetchedAt)
          : { value, source: def.category, provider: o.provider, fetchedAt, status: 'ok' };
    }
  }
  return { caseId, asOf: asOf.toISOString(), facts };
}

/**
 * The facts as the question bank's `CaseContext.screening` wants them: only facts with a value, money in yuan
 * (the question bank's unit), series left out.
 */
export function toQuestionValues(doc: ScreeningFacts): Record<string, number | string | boolean> {
  const out: Record<string, number | string | boolean> = {};
  for (const def of FACT_DEFS) {
    const e = doc.facts[def.key];
    if (!e || e.status !== 'ok' || e.value === null || Array.isArray(e.value)) continue;
    out[def.key] = def.unit === 'fen' ? (e.value as number) / 100 : (e.value as number | string | boolean);
  }
  return out;
}
