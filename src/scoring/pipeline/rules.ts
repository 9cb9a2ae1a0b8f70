/**
 * Admission rules and the outcome policy as versioned data a risk manager edits, and their pure evaluation.
 *
 * A rule reads the first present of its sources (an outside-data fact, a survey answer or a case field) and
 * compares it with its threshold. A rule with no present source gives 'missing' — never a silent pass and never
 * a zero — and the outcome policy refers such a case to an expert. Thresholds are practice, not law: the defaults
 * follow the screening findings (src/screening/findings.ts: ten applications in 30 days, three months overdue)
 * and common rural-bank policy (six months in business, no dishonest-debtor record).
 */
import { z } from 'zod';
import { validationFailed } from '../../platform/errors.js';
import type { Localized } from '../../questions/types.js';
import { SECTORS } from '../../questions/types.js';
import { GRADES } from '../pricing/index.js';
import type { CaseInputs, RuleResult } from './types.js';

const LocalizedSchema = z.strictObject({ 'zh-CN': z.string().min(1), 'en-US': z.string().min(1) });

/**
 * Where a rule's input comes from: `screening:<fact key>`, `survey:years_in_business`, `case:sector` or
 * `case:industry_code`. `unit` says how a value becomes months for an age rule.
 */
const SourceSchema = z.strictObject({
  input: z
    .string()
    .regex(/^(screening:[a-z_][a-z0-9_.]*|survey:years_in_business|case:(sector|industry_code))$/),
  unit: z.enum(['date', 'years', 'months']).optional(),
});

const ruleBase = {
  id: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/),
  label: LocalizedSchema,
  sources: z.array(SourceSchema).min(1).max(5),
};

export const AdmissionRuleSchema = z.discriminatedUnion('kind', [
  /** Fails unless the value is `true` (e.g. the ID number matches the name). */
  z.strictObject({ ...ruleBase, kind: z.literal('must_be_true') }),
  /** Fails when the value exceeds `max`. */
  z.strictObject({ ...ruleBase, kind: z.literal('at_most'), max: z.number().min(0) }),
  /** Fails when the age in months (from a date, years or months) is below `minMonths`. */
  z.strictObject({ ...ruleBase, kind: z.literal('min_age_months'), minMonths: z.number().int().min(0) }),
  /** Fails when the value is not one of `allowed`. */
  z.strictObject({ ...ruleBase, kind: z.literal('one_of'), allowed: z.array(z.string().min(1)).min(1) }),
  /** Fails when the value starts with one of `prefixes` (industry codes excluded by policy). */
  z.strictObject({ ...ruleBase, kind: z.literal('not_prefixed'), prefixes: z.array(z.string().min(1)) }),
]);
export type AdmissionRule = z.infer<typeof AdmissionRuleSchema>;

export const OutcomePolicySchema = z.strictObject({
  /** Grades (the worse of scorecard and model) that decline, and that refer. */
  declineGrades: z.array(z.enum(GRADES)),
  referGrades: z.array(z.enum(GRADES)),
  /** Refer when at least this many contradictions were recorded in the interview. */
  referOnContradictions: z.number().int().min(1),
  /** Refer when a fact at least this important was left doubtful or unknown after being asked. */
  referOnDoubtImportance: z.number().min(0).max(1),
  /** Refer when the price hit the product cap or the legal ceiling (the risk is not fully priced). */
  referWhenUnderpriced: z.boolean(),
  /** Refer when the offer is less than this share of the amount asked for (the applicant's plan changes). */
  referWhenOfferBelowShare: z.number().min(0).max(1),
  /** Refer when no completed interview is known. */
  requireCompletedInterview: z.boolean(),
});
export type OutcomePolicy = z.infer<typeof OutcomePolicySchema>;

export const DecisionRulesSchema = z
  .strictObject({
    version: z.string().min(1).max(64),
    rules: z.array(AdmissionRuleSchema).min(1).max(50),
    outcome: OutcomePolicySchema,
  })
  .superRefine((r, ctx) => {
    const seen = new Set<string>();
    r.rules.forEach((rule, i) => {
      if (seen.has(rule.id))
        ctx.addIssue({
          code: 'custom',
          path: ['rules', i, 'id'],
          message: `Rule id ${rule.id} is used twice`,
        });
      seen.add(rule.id);
    });
    for (const g of r.outcome.referGrades)
      if (r.outcome.declineGrades.includes(g))
        ctx.addIssue({ code: 'custom', path: ['outcome'], message: `Grade ${g} both refers and declines` });
  });
export type DecisionRules = z.infer<typeof DecisionRulesSchema>;

/** Validates a rule set; VALIDATION_FAILED naming the fields otherwise. */
export function parseDecisionRules(raw: unknown): DecisionRules {
  const r = DecisionRulesSchema.safeParse(raw);
  if (r.success) return r.data;
  throw validationFailed(
    r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    'The decision rules are not valid',
  );
}

const L = (zh: string, en: string): Localized => ({ 'zh-CN': zh, 'en-US': en });

export const DEFAULT_DECISION_RULES: DecisionRules = parseDecisionRules({
  version: '2026-01.1',
  rules: [
    {
      id: 'identity_match',
      kind: 'must_be_true',
      label: L('身份核验一致', 'Identity verified'),
      sources: [{ input: 'screening:identity.id_name_match' }],
    },
    {
      id: 'dishonest_debtor',
      kind: 'at_most',
      max: 0,
      label: L('无失信被执行人记录', 'No dishonest-debtor record'),
      sources: [{ input: 'screening:court.dishonest_records' }],
    },
    {
      // Screening gives no "currently overdue" field; the longest overdue in 24 months stands for it.
      id: 'credit_overdue',
      kind: 'at_most',
      max: 2,
      label: L(
        '征信无严重逾期（近24个月最长逾期不足3期）',
        'No serious overdue at the credit bureau (under 3 months in 24)',
      ),
      sources: [{ input: 'screening:credit.max_overdue_months' }],
    },
    {
      id: 'recent_applications',
      kind: 'at_most',
      max: 9,
      label: L('近30天多头申请不超过9次', 'At most 9 loan applications elsewhere in 30 days'),
      sources: [{ input: 'screening:multilender.applications_30d' }],
    },
    {
      id: 'business_age',
      kind: 'min_age_months',
      minMonths: 6,
      label: L('经营满6个月', 'In business for at least 6 months'),
      sources: [
        { input: 'screening:registration.established_date', unit: 'date' },
        { input: 'survey:years_in_business', unit: 'years' },
      ],
    },
    {
      id: 'eligible_sector',
      kind: 'one_of',
      allowed: [...SECTORS],
      label: L('行业属于准入范围', 'Sector eligible'),
      sources: [{ input: 'case:sector' }],
    },
  ],
  outcome: {
    declineGrades: ['E'],
    referGrades: ['D'],
    referOnContradictions: 1,
    referOnDoubtImportance: 0.6,
    referWhenUnderpriced: true,
    referWhenOfferBelowShare: 0.5,
    requireCompletedInterview: true,
  },
});

/** Whole months from `a` to `b` (both YYYY-MM-DD); a day of the month not yet reached does not count. */
export function monthsBetween(a: string, b: string): number {
  const [ay, am, ad] = a.split('-').map(Number) as [number, number, number];
  const [by, bm, bd] = b.split('-').map(Number) as [number, number, number];
  return (by - ay) * 12 + (bm - am) - (bd < ad ? 1 : 0);
}

type Value = number | string | boolean | null;

/** The value of one rule input in the case, or null when it is not known. */
export function inputValue(inputs: CaseInputs, input: string): Value {
  const [source, key] = [input.slice(0, input.indexOf(':')), input.slice(input.indexOf(':') + 1)];
  switch (source) {
    case 'screening': {
      const f = inputs.screening?.facts[key];
      if (!f || f.status !== 'ok' || f.value === null || Array.isArray(f.value)) return null;
      return f.value as Value;
    }
    case 'survey':
      return key === 'years_in_business' ? inputs.survey.yearsInBusiness : null;
    case 'case':
      return key === 'sector'
        ? inputs.applicant.sector
        : key === 'industry_code'
          ? inputs.applicant.industryCode
          : null;
    default:
      return null;
  }
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function ageMonths(value: Value, unit: 'date' | 'years' | 'months' | undefined, asOf: string): number | null {
  if (unit === 'date')
    return typeof value === 'string' && ISO_DATE.test(value) ? monthsBetween(value, asOf) : null;
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  return unit === 'years' ? Math.floor(value * 12) : Math.floor(value);
}

function thresholdText(rule: AdmissionRule): string {
  switch (rule.kind) {
    case 'must_be_true':
      return '= true';
    case 'at_most':
      return `≤ ${rule.max}`;
    case 'min_age_months':
      return `≥ ${rule.minMonths} months`;
    case 'one_of':
      return `∈ {${rule.allowed.join(', ')}}`;
    case 'not_prefixed':
      return `not ${rule.prefixes.map((p) => `${p}*`).join(', ')}`;
  }
}

const shown = (v: Value) => (v === null ? '—' : String(v));

/** Evaluates one rule against the case. Pure. */
export function evaluateRule(rule: AdmissionRule, inputs: CaseInputs): RuleResult {
  const threshold = thresholdText(rule);
  const base = { ruleId: rule.id, label: rule.label, threshold, sources: rule.sources.map((s) => s.input) };
  for (const src of rule.sources) {
    const raw = inputValue(inputs, src.input);
    if (raw === null) continue;
    let value: Value = raw;
    let pass: boolean | null;
    switch (rule.kind) {
      case 'must_be_true':
        pass = typeof raw === 'boolean' ? raw : null;
        break;
      case 'at_most':
        pass = typeof raw === 'number' && Number.isFinite(raw) ? raw <= rule.max : null;
        break;
      case 'min_age_months': {
        const months = ageMonths(raw, src.unit, inputs.asOf);
        value = months;
        pass = months === null ? null : months >= rule.minMonths;
        break;
      }
      case 'one_of':
        pass = rule.allowed.includes(String(raw));
        break;
      case 'not_prefixed':
        pass = !rule.prefixes.some((p) => String(raw).startsWith(p));
        break;
    }
    // A value of the wrong kind tells nothing: try the next source, and report missing if none is usable.
    if (pass === null) continue;
    const v = shown(value);
    return {
      ...base,
      status: pass ? 'pass' : 'fail',
      input: src.input,
      value,
      reason: pass
        ? L(`${rule.label['zh-CN']}：满足（${v}）`, `${rule.label['en-US']}: met (${v})`)
        : L(
            `未通过准入规则「${rule.label['zh-CN']}」：取值 ${v}，要求 ${threshold}`,
            `Fails the admission rule "${rule.label['en-US']}": value ${v}, required ${threshold}`,
          ),
    };
  }
  const names = rule.sources.map((s) => s.input).join(', ');
  return {
    ...base,
    status: 'missing',
    input: null,
    value: null,
    reason: L(
      `准入规则「${rule.label['zh-CN']}」缺少数据（${names}），需人工核实`,
      `Admission rule "${rule.label['en-US']}" has no data (${names}); an expert must check it`,
    ),
  };
}

/** Every rule of the set, in order. Pure. */
export function evaluateAdmission(rules: DecisionRules, inputs: CaseInputs): RuleResult[] {
  return rules.rules.map((r) => evaluateRule(r, inputs));
}
