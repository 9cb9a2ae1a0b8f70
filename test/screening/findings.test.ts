import { describe, expect, it } from 'vitest';
import { FACT_KEYS } from '../../src/screening/catalogue.js';
import { buildFacts, toQuestionValues } from '../../src/screening/facts.js';
import { findingsOf, monthsBetween } from '../../src/screening/findings.js';
import type { FactValue, ProviderOutcome, ScreeningFacts } from '../../src/screening/types.js';
import { START } from './helper.js';

function doc(values: Record<string, FactValue>): ScreeningFacts {
  const facts: ScreeningFacts['facts'] = {};
  for (const [k, v] of Object.entries(values))
    facts[k] = { value: v, source: 'credit', provider: 'p', fetchedAt: START.toISOString(), status: 'ok' };
  return { caseId: 'c', asOf: START.toISOString(), facts };
}
const texts = (d: ScreeningFacts) => findingsOf(d, '2026-11-10').map((f) => f.text);

const outcome = (over: Partial<ProviderOutcome>): ProviderOutcome => ({
  provider: 'p.credit',
  category: 'credit',
  status: 'ok',
  facts: {},
  rawEnc: null,
  latencyMs: 1,
  costFen: 300,
  cacheHit: false,
  attempts: 1,
  fetchedAt: START,
  error: null,
  ...over,
});

describe('findings', () => {
  it('say what outside data shows in plain Chinese and English', () => {
    const t = texts(doc({ 'court.dishonest_records': 2, 'multilender.applications_30d': 7 }));
    expect(t).toContainEqual({ 'zh-CN': '2 条失信被执行人记录', 'en-US': '2 dishonest-debtor records' });
    expect(t).toContainEqual({
      'zh-CN': '近30天在其他机构申请贷款 7 次',
      'en-US': '7 loan applications in 30 days',
    });
  });

  it('grade by the thresholds: many applications fail, a few warn, none say nothing', () => {
    const sev = (n: number) =>
      findingsOf(doc({ 'multilender.applications_30d': n }), '2026-11-10').map((f) => f.severity);
    expect(sev(12)).toEqual(['fail']);
    expect(sev(5)).toEqual(['warn']);
    expect(sev(1)).toEqual([]);
  });

  it('flag a business established less than a year ago and a falling tax series', () => {
    const f = findingsOf(
      doc({
        'registration.established_date': '2026-03-01',
        'tax.invoiced_sales.last_12m': [...Array(9).fill(5_000_000), 2_000_000, 2_000_000, 2_000_000],
      }),
      '2026-11-10',
    );
    expect(f.map((x) => x.code)).toEqual(['BUSINESS_YOUNG', 'TAX_SALES_DROP']);
    expect(f[1]!.text['zh-CN']).toContain('60%');
    expect(monthsBetween('2026-03-01', '2026-11-10')).toBe(8);
    expect(monthsBetween('2026-03-15', '2026-04-14')).toBe(0);
  });

  it('say nothing about a clean profile', () => {
    const clean = doc({
      'identity.id_name_match': true,
      'identity.face_match_score': 96.5,
      'court.dishonest_records': 0,
      'credit.overdue_accounts': 0,
      'credit.queries_6m': 1,
      'risk.score': 720,
    });
    expect(findingsOf(clean, '2026-11-10')).toEqual([]);
  });
});

describe('facts document', () => {
  it('lists every catalogue fact, each with a value or the reason it has none', () => {
    const d = buildFacts('c', START, [
      {
        category: 'credit',
        kind: 'answered',
        mandatory: true,
        outcome: outcome({ facts: { 'credit.accounts': 3, 'credit.queries_6m': null } }),
      },
      { category: 'court', kind: 'no_consent', provider: 'p.court', mandatory: false },
      {
        category: 'tax',
        kind: 'answered',
        mandatory: false,
        outcome: outcome({ provider: 'p.tax', category: 'tax', status: 'no_record' }),
      },
      {
        category: 'bank',
        kind: 'answered',
        mandatory: true,
        outcome: outcome({
          provider: 'p.bank',
          category: 'bank',
          status: 'failed',
          error: { code: 'TIMEOUT', message: '' },
        }),
      },
    ]);
    expect(Object.keys(d.facts).sort()).toEqual([...FACT_KEYS].sort());
    expect(d.facts['credit.accounts']).toMatchObject({ value: 3, status: 'ok', provider: 'p.credit' });
    expect(d.facts['credit.queries_6m']).toMatchObject({ status: 'missing', reason: 'not_provided' });
    expect(d.facts['court.dishonest_records']).toMatchObject({ status: 'missing', reason: 'no_consent' });
    expect(d.facts['tax.invoiced_sales.monthly']).toMatchObject({ status: 'missing', reason: 'no_record' });
    expect(d.facts['bank.past_loans']).toMatchObject({ status: 'failed', reason: 'source_failed' });
    expect(d.facts['mobile.number_age_months']).toMatchObject({
      status: 'missing',
      reason: 'not_configured',
    });
  });

  it('hands the question bank values in yuan, without series or missing facts', () => {
    const d = doc({
      'tax.invoiced_sales.monthly': 3_100_050,
      'tax.invoiced_sales.last_12m': [1, 2],
      'court.dishonest_records': 0,
    });
    expect(toQuestionValues(d)).toEqual({
      'tax.invoiced_sales.monthly': 31_000.5,
      'court.dishonest_records': 0,
    });
  });
});
