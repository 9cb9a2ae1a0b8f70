import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DECISION_RULES,
  evaluateAdmission,
  evaluateRule,
  monthsBetween,
  parseDecisionRules,
} from '../../../src/scoring/pipeline/index.js';
import type { AdmissionRule, CaseInputs } from '../../../src/scoring/pipeline/index.js';
import { cleanInputs } from './fixtures.js';

const rule = (id: string): AdmissionRule => DEFAULT_DECISION_RULES.rules.find((r) => r.id === id)!;
const withFact = (key: string, value: unknown, status: 'ok' | 'missing' | 'failed' = 'ok'): CaseInputs => {
  const i = cleanInputs();
  i.screening!.facts[key] = {
    value: status === 'ok' ? (value as number) : null,
    status,
    reason: status === 'ok' ? null : 'no_consent',
  };
  return i;
};

describe('admission rules', () => {
  it('passes every shipped rule for a clean case', () => {
    expect(evaluateAdmission(DEFAULT_DECISION_RULES, cleanInputs()).map((r) => r.status)).toEqual(
      DEFAULT_DECISION_RULES.rules.map(() => 'pass'),
    );
  });

  it.each([
    ['identity_match', 'identity.id_name_match', false],
    ['dishonest_debtor', 'court.dishonest_records', 1],
    ['credit_overdue', 'credit.max_overdue_months', 3],
    ['recent_applications', 'multilender.applications_30d', 10],
    ['business_age', 'registration.established_date', '2025-12-01'],
  ])('fails %s at its threshold (%s = %s) and names value and threshold', (id, key, value) => {
    const r = evaluateRule(rule(id), withFact(key, value));
    expect(r.status).toBe('fail');
    expect(r.input).toBe(`screening:${key}`);
    expect(r.reason['en-US']).toContain('required');
    expect(r.reason['zh-CN']).toContain('要求');
  });

  it('passes just inside the thresholds: 2 months overdue, 9 applications, 6 whole months in business', () => {
    expect(evaluateRule(rule('credit_overdue'), withFact('credit.max_overdue_months', 2)).status).toBe(
      'pass',
    );
    expect(
      evaluateRule(rule('recent_applications'), withFact('multilender.applications_30d', 9)).status,
    ).toBe('pass');
    const age = evaluateRule(rule('business_age'), withFact('registration.established_date', '2025-09-12'));
    expect(age).toMatchObject({ status: 'pass', value: 6 });
    expect(
      evaluateRule(rule('business_age'), withFact('registration.established_date', '2025-09-13')).status,
    ).toBe('fail');
  });

  it('reports a rule without data as missing, never as a pass, with the sources it looked at', () => {
    const r = evaluateRule(rule('dishonest_debtor'), withFact('court.dishonest_records', null, 'missing'));
    expect(r).toMatchObject({ status: 'missing', input: null, value: null });
    expect(r.sources).toEqual(['screening:court.dishonest_records']);
    const none = cleanInputs();
    none.screening = null;
    expect(evaluateRule(rule('identity_match'), none).status).toBe('missing');
  });

  it('takes the business age from the survey when registration has no date', () => {
    const i = withFact('registration.established_date', null, 'missing');
    i.survey.yearsInBusiness = 0.25;
    expect(evaluateRule(rule('business_age'), i)).toMatchObject({
      status: 'fail',
      input: 'survey:years_in_business',
      value: 3,
    });
    i.survey.yearsInBusiness = null;
    expect(evaluateRule(rule('business_age'), i).status).toBe('missing');
  });

  it('treats a value of the wrong kind as missing rather than guessing', () => {
    expect(evaluateRule(rule('identity_match'), withFact('identity.id_name_match', 'yes')).status).toBe(
      'missing',
    );
  });

  it('fails a sector outside the allowed list', () => {
    const rules = parseDecisionRules({
      ...DEFAULT_DECISION_RULES,
      rules: [{ ...rule('eligible_sector'), allowed: ['crops'] }],
    });
    expect(evaluateAdmission(rules, cleanInputs())[0]!.status).toBe('fail');
  });

  it('refuses a rule set with a duplicate id or a grade that both refers and declines', () => {
    expect(() =>
      parseDecisionRules({
        ...DEFAULT_DECISION_RULES,
        rules: [rule('dishonest_debtor'), rule('dishonest_debtor')],
      }),
    ).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(() =>
      parseDecisionRules({
        ...DEFAULT_DECISION_RULES,
        outcome: { ...DEFAULT_DECISION_RULES.outcome, referGrades: ['E'] },
      }),
    ).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });

  it('counts whole months, not yet reached days excluded', () => {
    expect(monthsBetween('2025-01-31', '2025-02-28')).toBe(0);
    expect(monthsBetween('2025-01-15', '2026-01-15')).toBe(12);
    fc.assert(
      fc.property(
        fc.integer({ min: 2000, max: 2030 }),
        fc.integer({ min: 1, max: 12 }),
        fc.nat(40),
        (y, m, k) => {
          const a = `${y}-${String(m).padStart(2, '0')}-10`;
          const t = (m - 1 + k) % 12;
          const b = `${y + Math.floor((m - 1 + k) / 12)}-${String(t + 1).padStart(2, '0')}-10`;
          return monthsBetween(a, b) === k;
        },
      ),
    );
  });
});
