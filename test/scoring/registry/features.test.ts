import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  FEATURE_SCHEMA,
  buildFeatureRow,
  checkCardFeatures,
  checkFeatureRow,
  verificationLevel,
  type PipelineInputs,
} from '../../../src/scoring/features.js';
import { parseModelCard } from '../../../src/scoring/model/index.js';
import { DEFAULT_MODELS_DIR } from '../../../src/scoring/registry/index.js';

const card = (v: string) =>
  parseModelCard(JSON.parse(readFileSync(`${DEFAULT_MODELS_DIR}${v}/card.json`, 'utf8')));

const inputs = (over: Partial<PipelineInputs> = {}): PipelineInputs => ({
  survey: { sector: 'grocery', yearsInBusiness: 6, softInformation: 'positive' },
  financials: {
    disposableMonthlyFen: 900_000,
    instalmentFen: 600_000,
    totalLiabilitiesFen: 30_000_000,
    totalAssetsFen: 100_000_000,
    marginStability: 0.8,
  },
  screening: { creditOverdueCount: 1 },
  interview: {
    reliability: 0.9,
    contradictions: 1,
    facts: {
      'sales.monthly': { status: 'contradicted', observations: 2 },
      'loans.existing_total': { status: 'consistent', observations: 1 },
    },
  },
  ...over,
});

describe('the declared feature schema', () => {
  it('fits every shipped model card, sources included', () => {
    expect(() => checkCardFeatures(card('demo-v1'))).not.toThrow();
    expect(() => checkCardFeatures(card('demo-v2'))).not.toThrow();
  });

  it('has the verification status of a fact as a feature of its own in demo-v2', () => {
    const names = card('demo-v2').inputs.map((i) => i.name);
    expect(names).toEqual(expect.arrayContaining(['sales_verification', 'debt_verification']));
  });

  it('refuses a card whose input comes from another source than declared', () => {
    const c = card('demo-v2');
    const lying = {
      ...c,
      inputs: c.inputs.map((i) => (i.name === 'contradictions' ? { ...i, origin: 'survey' } : i)),
    };
    expect(() => checkCardFeatures(lying)).toThrow(/does not fit the feature schema/);
  });

  it('names every feature once', () => {
    expect(new Set(FEATURE_SCHEMA.map((f) => f.name)).size).toBe(FEATURE_SCHEMA.length);
  });
});

describe('verificationLevel', () => {
  it('counts only a consistent fact as verified', () => {
    expect(verificationLevel({ status: 'consistent', observations: 1 })).toBe('verified');
    expect(verificationLevel({ status: 'doubtful', observations: 1 })).toBe('doubtful');
    expect(verificationLevel({ status: 'contradicted', observations: 3 })).toBe('contradicted');
  });

  it('calls a fact asked but left unknown doubtful, and one never asked unasked', () => {
    expect(verificationLevel({ status: 'unknown', observations: 2 })).toBe('doubtful');
    expect(verificationLevel({ status: 'unknown', observations: 0 })).toBe('unasked');
    expect(verificationLevel(undefined)).toBe('unasked');
  });
});

describe('buildFeatureRow', () => {
  it('computes the ratios and carries each fact as the interview left it', () => {
    expect(buildFeatureRow(inputs())).toEqual({
      sector: 'grocery',
      years_in_business: 6,
      soft_information: 'positive',
      cash_flow_cover: 1.5,
      debt_ratio: 0.3,
      margin_stability: 0.8,
      credit_overdue_count: 1,
      interview_reliability: 0.9,
      contradictions: 1,
      sales_verification: 'contradicted',
      debt_verification: 'verified',
    });
  });

  it('marks interview features missing and facts unasked when no interview was held', () => {
    const row = buildFeatureRow(inputs({ interview: null }));
    expect(row).toMatchObject({
      interview_reliability: null,
      contradictions: null,
      sales_verification: 'unasked',
      debt_verification: 'unasked',
    });
  });

  it('leaves the cover missing when there is no instalment yet', () => {
    const i = inputs();
    expect(
      buildFeatureRow({ ...i, financials: { ...i.financials, instalmentFen: null } }).cash_flow_cover,
    ).toBeNull();
  });

  it('builds rows that pass checkFeatureRow', () => {
    expect(() => checkFeatureRow(buildFeatureRow(inputs()))).not.toThrow();
  });
});
