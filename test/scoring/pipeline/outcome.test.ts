import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DECISION_RULES,
  completePipeline,
  decideOutcome,
  evaluateAdmission,
  prepareScoring,
} from '../../../src/scoring/pipeline/index.js';
import type { CaseInputs, ModelScore, RuleResult } from '../../../src/scoring/pipeline/index.js';
import { GRADES } from '../../../src/scoring/pricing/index.js';
import { CONFIG, MODEL_A, cleanInputs, fact } from './fixtures.js';

const run = (inputs: CaseInputs, model: ModelScore | null = MODEL_A) =>
  completePipeline(inputs, CONFIG, prepareScoring(inputs, CONFIG), model, model ? null : 'MODEL_NO_CHAMPION');

const SCREENING_KEYS = [
  'identity.id_name_match',
  'court.dishonest_records',
  'credit.overdue_accounts',
  'credit.max_overdue_months',
  'multilender.applications_30d',
  'registration.established_date',
] as const;

/** A screening fact as any provider might leave it: a value (good or bad), missing or failed. */
const screeningFact = (key: (typeof SCREENING_KEYS)[number]) => {
  const value =
    key === 'identity.id_name_match'
      ? fc.boolean()
      : key === 'registration.established_date'
        ? fc.constantFrom('2010-01-01', '2025-10-01', '2026-01-20')
        : fc.integer({ min: 0, max: 15 });
  return fc.oneof(
    value.map((v) => ({ value: v as number | string | boolean, status: 'ok' as const, reason: null })),
    fc.constantFrom(
      { value: null, status: 'missing' as const, reason: 'no_consent' },
      { value: null, status: 'failed' as const, reason: 'source_failed' },
    ),
  );
};

const arbInputs = fc
  .record({
    facts: fc.record(
      Object.fromEntries(SCREENING_KEYS.map((k) => [k, screeningFact(k)])) as {
        [K in (typeof SCREENING_KEYS)[number]]: ReturnType<typeof screeningFact>;
      },
    ),
    screened: fc.boolean(),
    interviewed: fc.boolean(),
    status: fc.constantFrom('completed', 'abandoned', 'in_progress'),
    factStatus: fc.constantFrom('consistent', 'doubtful', 'contradicted', 'unknown'),
    contradiction: fc.boolean(),
    disposable: fc.integer({ min: 0, max: 8_000_000 }),
    years: fc.option(fc.double({ min: 0, max: 30, noNaN: true }), { nil: null }),
    sector: fc.constantFrom('grocery', 'restaurant', 'crops'),
  })
  .map((a): CaseInputs => {
    const i = cleanInputs();
    i.screening = a.screened ? { asOf: '2026-03-12T00:00:00.000Z', facts: a.facts } : null;
    i.interview = a.interviewed
      ? {
          ...i.interview!,
          status: a.status,
          facts: [
            fact('sales.monthly', { status: a.factStatus, contradictionRecorded: a.contradiction }),
            fact('loans.existing_total'),
          ],
        }
      : null;
    i.financials = { ...i.financials!, disposableMonthlyFen: a.disposable };
    i.survey.yearsInBusiness = a.years;
    i.applicant.sector = a.sector;
    return i;
  });

const arbModel = fc.option(
  fc.record({
    modelVersion: fc.constant('demo-v2'),
    probability: fc.double({ min: 0.001, max: 0.6, noNaN: true }),
    grade: fc.constantFrom(...GRADES),
    topFactors: fc.constant([] as ModelScore['topFactors']),
  }),
  { nil: null },
);

describe('the outcome', () => {
  it('recommends approval for a clean case with everything verified', () => {
    const body = run(cleanInputs());
    expect(body.outcome).toBe('approve');
    expect(body.reasons.filter((r) => r.effect !== 'info')).toEqual([]);
    expect(body.missing.map((m) => m.key)).toEqual(['feature:soft_information']);
    expect(body.price.components.map((c) => c.key)).toEqual([
      'funding',
      'operating',
      'expected_loss',
      'capital',
      'margin',
    ]);
    expect(body.limit?.offer?.amountFen).toBe(15_000_000);
    expect(body.priceOf).toBe('offer');
    expect(body.pd).toEqual({ value: 0.01, basis: 'model' });
    for (const r of body.reasons) {
      expect(r.text['zh-CN'].length).toBeGreaterThan(0);
      expect(r.text['en-US'].length).toBeGreaterThan(0);
    }
  });

  it('is never approve when a hard rule fails (property)', () => {
    fc.assert(
      fc.property(arbInputs, arbModel, (inputs, model) => {
        const body = run(inputs, model);
        const failed = body.admission.some((r) => r.status === 'fail');
        if (failed) {
          expect(body.outcome).toBe('decline');
          expect(body.reasons.some((r) => r.code.startsWith('RULE_FAILED:') && r.effect === 'decline')).toBe(
            true,
          );
        }
        return !failed || body.outcome !== 'approve';
      }),
      { numRuns: 150 },
    );
  });

  it('makes every missing input explicit and never approves without it (property)', () => {
    fc.assert(
      fc.property(arbInputs, arbModel, (inputs, model) => {
        const body = run(inputs, model);
        const keys = body.missing.map((m) => m.key);
        for (const r of body.admission.filter((x) => x.status === 'missing'))
          for (const s of r.sources) expect(keys).toContain(s);
        if (!inputs.screening) expect(keys).toContain('screening');
        if (!inputs.interview) expect(keys).toContain('interview');
        if (!model) expect(keys).toContain('model');
        if (inputs.survey.yearsInBusiness === null) {
          expect(keys).toContain('feature:years_in_business');
          expect(body.features.years_in_business).toBeNull();
        }
        for (const f of body.scorecard.factors.filter((x) => x.value === null))
          expect(keys).toContain(`feature:${f.input}`);
        const anyMissing = body.admission.some((r) => r.status === 'missing') || !model || !inputs.interview;
        return !anyMissing || body.outcome !== 'approve';
      }),
      { numRuns: 150 },
    );
  });

  it('decides from rule results alone: any fail declines, any missing refers (property)', () => {
    const arbRules = fc
      .array(fc.constantFrom<RuleResult['status']>('pass', 'fail', 'missing'), { maxLength: 8 })
      .map((statuses) =>
        statuses.map((status, i): RuleResult => ({
          ruleId: `r${i}`,
          label: { 'zh-CN': 'r', 'en-US': 'r' },
          status,
          sources: ['screening:x'],
          input: null,
          value: null,
          threshold: '',
          reason: { 'zh-CN': 'r', 'en-US': 'r' },
        })),
      );
    fc.assert(
      fc.property(arbRules, fc.constantFrom(...GRADES), (admission, grade) => {
        const base = run(cleanInputs());
        const { outcome } = decideOutcome(DEFAULT_DECISION_RULES.outcome, {
          admission,
          grade,
          scorecardGrade: grade,
          model: MODEL_A,
          interview: cleanInputs().interview,
          limit: base.limit,
          price: base.price,
        });
        const fail = admission.some((r) => r.status === 'fail') || grade === 'E';
        const missing = admission.some((r) => r.status === 'missing') || grade === 'D';
        return outcome === (fail ? 'decline' : missing ? 'refer' : 'approve');
      }),
    );
  });

  it('refers a recorded contradiction and an important fact left in doubt, naming the facts', () => {
    const i = cleanInputs();
    i.interview!.facts = [
      fact('sales.monthly', { status: 'contradicted', contradictionRecorded: true }),
      fact('loans.existing_total', { status: 'doubtful' }),
    ];
    const body = run(i);
    expect(body.outcome).toBe('refer');
    expect(body.reasons.map((r) => r.code)).toEqual(
      expect.arrayContaining(['INTERVIEW_CONTRADICTIONS', 'IMPORTANT_FACTS_IN_DOUBT']),
    );
    expect(body.facts.contradicted.map((f) => f.factId)).toEqual(['sales.monthly']);
    expect(body.facts.verified).toEqual([]);
    expect(body.features.sales_verification).toBe('contradicted');
    expect(body.features.debt_verification).toBe('doubtful');
  });

  it('declines when not even the product minimum is affordable, and still shows the price of the request', () => {
    const i = cleanInputs();
    i.financials!.disposableMonthlyFen = 10_000;
    const body = run(i);
    expect(body.outcome).toBe('decline');
    expect(body.limit?.offer).toBeNull();
    expect(body.priceOf).toBe('request');
    expect(body.reasons[0]!.code).toBe('NO_AFFORDABLE_OFFER');
  });

  it('prices from the grade when the model is missing, and refers', () => {
    const body = run(cleanInputs(), null);
    expect(body.outcome).toBe('refer');
    expect(body.pd.basis).toBe('grade');
    expect(body.missing.find((m) => m.key === 'model')?.why).toBe('MODEL_NO_CHAMPION');
  });

  it('takes the worse of the scorecard and model grades', () => {
    const body = run(cleanInputs(), { ...MODEL_A, grade: 'E', probability: 0.4 });
    expect(body.scorecard.grade).toBe('A');
    expect(body.grade).toBe('E');
    expect(body.outcome).toBe('decline');
  });

  it('offers less than asked when income binds, and says why', () => {
    const i = cleanInputs();
    i.financials!.disposableMonthlyFen = 500_000;
    const body = run(i);
    expect(body.limit?.binding).toBe('affordability');
    expect(body.limit!.offer!.amountFen).toBeLessThan(15_000_000);
    expect(body.limit!.offer!.burdenFen).toBeLessThanOrEqual(body.limit!.affordableInstalmentFen);
    expect(body.reasons.find((r) => r.code === 'OFFER')?.text['zh-CN']).toContain('还款能力');
    i.financials!.disposableMonthlyFen = 200_000;
    const far = run(i);
    expect(far.limit!.offer!.amountFen).toBeLessThan(7_500_000);
    expect(far.outcome).toBe('refer');
    expect(far.reasons.map((r) => r.code)).toContain('OFFER_FAR_BELOW_REQUEST');
  });

  it('gives the same body for the same inputs (deterministic)', () => {
    fc.assert(
      fc.property(arbInputs, arbModel, (inputs, model) => {
        expect(JSON.stringify(run(inputs, model))).toBe(JSON.stringify(run(structuredClone(inputs), model)));
      }),
      { numRuns: 30 },
    );
  });

  it('lists admission results for every rule in order', () => {
    expect(evaluateAdmission(DEFAULT_DECISION_RULES, cleanInputs()).map((r) => r.ruleId)).toEqual(
      DEFAULT_DECISION_RULES.rules.map((r) => r.id),
    );
  });
});
