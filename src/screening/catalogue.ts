/**
 * The facts screening can produce, by category, with their units and labels; and the per-category defaults
 * (validity window of a cached answer, the consent source it is queried under, whether it is mandatory).
 * Windows and the mandatory set are practice, not law: configuration with these defaults.
 */
import type { Category, ConsentSource } from './types.js';

export type FactUnit = 'fen' | 'fen_series' | 'count' | 'months' | 'score' | 'date' | 'bool' | 'code';

export interface ScreeningFactDef {
  key: string;
  category: Category;
  unit: FactUnit;
  label: { 'zh-CN': string; 'en-US': string };
}

const f = (key: string, category: Category, unit: FactUnit, zh: string, en: string): ScreeningFactDef => ({
  key,
  category,
  unit,
  label: { 'zh-CN': zh, 'en-US': en },
});

export const FACT_DEFS: readonly ScreeningFactDef[] = Object.freeze([
  f('identity.id_name_match', 'identity', 'bool', '身份证号与姓名一致', 'ID number matches name'),
  f('identity.face_match_score', 'identity', 'score', '人脸比对分（0–100）', 'face-match score (0–100)'),
  f('mobile.number_age_months', 'mobile', 'months', '手机号在网时长（月）', 'mobile number age (months)'),
  f('mobile.real_name_match', 'mobile', 'bool', '手机号实名一致', 'mobile registered to the applicant'),
  f('multilender.applications_7d', 'multilender', 'count', '近7天多头申请次数', 'loan applications, 7 days'),
  f(
    'multilender.applications_30d',
    'multilender',
    'count',
    '近30天多头申请次数',
    'loan applications, 30 days',
  ),
  f(
    'multilender.applications_90d',
    'multilender',
    'count',
    '近90天多头申请次数',
    'loan applications, 90 days',
  ),
  f(
    'multilender.applications_180d',
    'multilender',
    'count',
    '近180天多头申请次数',
    'loan applications, 180 days',
  ),
  f('multilender.loans_7d', 'multilender', 'count', '近7天新增放款笔数', 'new loans, 7 days'),
  f('multilender.loans_30d', 'multilender', 'count', '近30天新增放款笔数', 'new loans, 30 days'),
  f('multilender.loans_90d', 'multilender', 'count', '近90天新增放款笔数', 'new loans, 90 days'),
  f('multilender.loans_180d', 'multilender', 'count', '近180天新增放款笔数', 'new loans, 180 days'),
  f(
    'risk.score',
    'risk_score',
    'score',
    '第三方风险评分（300–900，越高越好）',
    'third-party risk score (300–900)',
  ),
  f('registration.status', 'registration', 'code', '登记状态', 'registration status'),
  f('registration.established_date', 'registration', 'date', '成立日期', 'date established'),
  f('registration.registered_capital', 'registration', 'fen', '注册资本', 'registered capital'),
  f(
    'registration.legal_person_match',
    'registration',
    'bool',
    '经营者/法人为申请人',
    'applicant is the legal person',
  ),
  f(
    'registration.changes_12m',
    'registration',
    'count',
    '近12个月变更次数',
    'registration changes, 12 months',
  ),
  f('court.dishonest_records', 'court', 'count', '失信被执行人记录', 'dishonest-debtor records'),
  f('court.enforcement_records', 'court', 'count', '被执行人记录', 'enforcement records'),
  f('court.lawsuits_as_defendant', 'court', 'count', '作为被告的诉讼', 'lawsuits as defendant'),
  f(
    'tax.invoiced_sales.monthly',
    'tax',
    'fen',
    '月均开票销售额（近12个月）',
    'invoiced sales per month (12-month mean)',
  ),
  f(
    'tax.invoiced_sales.last_12m',
    'tax',
    'fen_series',
    '近12个月开票销售额',
    'invoiced sales by month, 12 months',
  ),
  f('tax.tax_paid.monthly', 'tax', 'fen', '月均纳税额（近12个月）', 'tax paid per month (12-month mean)'),
  f('tax.tax_paid.last_12m', 'tax', 'fen_series', '近12个月纳税额', 'tax paid by month, 12 months'),
  f('social.pension_months', 'social_security', 'months', '养老保险缴费月数', 'pension contribution months'),
  f(
    'social.contribution_base',
    'social_security',
    'fen',
    '社保缴费基数（月）',
    'social-security base (monthly)',
  ),
  f('housing_fund.months', 'social_security', 'months', '公积金缴存月数', 'housing-fund contribution months'),
  f('credit.accounts', 'credit', 'count', '征信信贷账户数', 'credit accounts'),
  f('credit.overdue_accounts', 'credit', 'count', '有逾期记录的账户数', 'accounts with overdue history'),
  f(
    'credit.max_overdue_months',
    'credit',
    'count',
    '近24个月最长逾期期数',
    'longest overdue, 24 months (months)',
  ),
  f('credit.queries_6m', 'credit', 'count', '近6个月贷款审批查询次数', 'credit-report queries, 6 months'),
  f('credit.outstanding_debt', 'credit', 'fen', '未结清贷款余额', 'outstanding debt'),
  f('bank.deposit_avg_6m', 'bank', 'fen', '本行近6个月日均存款', 'average deposits at the bank, 6 months'),
  f('bank.past_loans', 'bank', 'count', '本行历史贷款笔数', 'past loans at the bank'),
  f('bank.overdue_times', 'bank', 'count', '本行历史逾期次数', 'times overdue at the bank'),
]);

export const FACT_KEYS: readonly string[] = FACT_DEFS.map((d) => d.key);

export const factsOf = (category: Category): ScreeningFactDef[] =>
  FACT_DEFS.filter((d) => d.category === category);

export const factDef = (key: string): ScreeningFactDef | undefined => FACT_DEFS.find((d) => d.key === key);

const DAY = 24 * 60 * 60 * 1000;

/**
 * How long an answer is reused instead of paying again. Fast-moving sources (applications to other lenders, a
 * face match, the bank's own ledger) live a day; monthly sources (tax, social security, the credit report) a month.
 */
export const DEFAULT_VALIDITY_MS: Record<Category, number> = {
  identity: 1 * DAY,
  mobile: 30 * DAY,
  multilender: 1 * DAY,
  risk_score: 7 * DAY,
  registration: 30 * DAY,
  court: 7 * DAY,
  tax: 30 * DAY,
  social_security: 30 * DAY,
  credit: 30 * DAY,
  bank: 1 * DAY,
};

/**
 * The consent source a category is queried under. The credit source covers the PBoC centre and the licensed
 * credit bureaux, which is where multi-lender and third-party scores come from; the cases module names
 * `credit, tax, court, registration, telecom, utilities` today, so `identity`, `social_security` and `bank` are
 * refused until it publishes consent texts for them.
 */
export const DEFAULT_CONSENT_SOURCE: Record<Category, ConsentSource> = {
  identity: 'identity',
  mobile: 'telecom',
  multilender: 'credit',
  risk_score: 'credit',
  registration: 'registration',
  court: 'court',
  tax: 'tax',
  social_security: 'social_security',
  credit: 'credit',
  bank: 'bank',
};

/** Without these a case cannot be decided: their failure queues the case for retry. */
export const DEFAULT_MANDATORY: readonly Category[] = ['credit'];
