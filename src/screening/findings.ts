/**
 * Findings: what outside data says about the applicant, in plain Chinese and English, for the remote expert.
 * Staff only — never shown or quoted to the applicant. Pure: thresholds and the date are passed in.
 *
 * Thresholds are practice, not law: configuration with these defaults. The tax rule follows the early-warning
 * signal "tax more than 20% below its norm" (docs: DOMAIN.md, post-loan early warning), applied to the last
 * three months against the nine before them.
 */
import type { FactEntry, Finding, ScreeningFacts } from './types.js';

export interface FindingThresholds {
  applications30dWarn: number;
  applications30dFail: number;
  queries6mWarn: number;
  faceMatchFail: number;
  numberAgeMonthsWarn: number;
  riskScoreWarn: number;
  establishedMonthsWarn: number;
  taxDropWarn: number;
  overdueMonthsFail: number;
}

export const DEFAULT_THRESHOLDS: FindingThresholds = {
  applications30dWarn: 4,
  applications30dFail: 10,
  queries6mWarn: 6,
  faceMatchFail: 80,
  numberAgeMonthsWarn: 6,
  riskScoreWarn: 550,
  establishedMonthsWarn: 12,
  taxDropWarn: 0.2,
  overdueMonthsFail: 3,
};

const yuanText = (fen: number) => {
  const y = Math.round(fen / 100);
  return y >= 10_000 ? `${(y / 10_000).toFixed(1).replace(/\.0$/, '')}万元` : `${y}元`;
};
const yuanTextEn = (fen: number) => `CNY ${Math.round(fen / 100).toLocaleString('en-US')}`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Whole months between two `YYYY-MM-DD` dates (b after a). */
export function monthsBetween(a: string, b: string): number {
  const [ay, am, ad] = a.split('-').map(Number) as [number, number, number];
  const [by, bm, bd] = b.split('-').map(Number) as [number, number, number];
  return (by - ay) * 12 + (bm - am) - (bd < ad ? 1 : 0);
}

export function findingsOf(
  doc: ScreeningFacts,
  today: string,
  t: FindingThresholds = DEFAULT_THRESHOLDS,
): Finding[] {
  const out: Finding[] = [];
  const ok = (key: string): FactEntry['value'] | undefined => {
    const e = doc.facts[key];
    return e && e.status === 'ok' ? e.value : undefined;
  };
  const num = (key: string) => {
    const v = ok(key);
    return typeof v === 'number' ? v : undefined;
  };
  const add = (code: string, severity: Finding['severity'], zh: string, en: string, facts: string[]) =>
    out.push({ code, severity, text: { 'zh-CN': zh, 'en-US': en }, facts });

  if (ok('identity.id_name_match') === false)
    add('ID_NAME_MISMATCH', 'fail', '身份证号与姓名不一致', 'The ID number does not match the name', [
      'identity.id_name_match',
    ]);
  const face = num('identity.face_match_score');
  if (face !== undefined && face < t.faceMatchFail)
    add(
      'FACE_MATCH_LOW',
      'fail',
      `人脸比对分 ${face}，低于 ${t.faceMatchFail}`,
      `Face-match score ${face}, below ${t.faceMatchFail}`,
      ['identity.face_match_score'],
    );

  const age = num('mobile.number_age_months');
  if (age !== undefined && age < t.numberAgeMonthsWarn)
    add(
      'MOBILE_NEW',
      'warn',
      `手机号在网仅 ${age} 个月`,
      `The mobile number is only ${plural(age, 'month')} old`,
      ['mobile.number_age_months'],
    );
  if (ok('mobile.real_name_match') === false)
    add(
      'MOBILE_NOT_OWN',
      'warn',
      '手机号未实名登记在申请人名下',
      'The mobile number is not registered to the applicant',
      ['mobile.real_name_match'],
    );

  const a30 = num('multilender.applications_30d');
  if (a30 !== undefined && a30 >= t.applications30dWarn)
    add(
      'MULTI_LENDER',
      a30 >= t.applications30dFail ? 'fail' : 'warn',
      `近30天在其他机构申请贷款 ${a30} 次`,
      `${plural(a30, 'loan application')} in 30 days`,
      ['multilender.applications_30d'],
    );
  const l30 = num('multilender.loans_30d');
  if (l30 !== undefined && l30 >= 2)
    add('NEW_LOANS_30D', 'warn', `近30天新增贷款 ${l30} 笔`, `${plural(l30, 'new loan')} in 30 days`, [
      'multilender.loans_30d',
    ]);

  const score = num('risk.score');
  if (score !== undefined && score < t.riskScoreWarn)
    add(
      'RISK_SCORE_LOW',
      'warn',
      `第三方风险评分 ${score}，低于 ${t.riskScoreWarn}`,
      `Third-party risk score ${score}, below ${t.riskScoreWarn}`,
      ['risk.score'],
    );

  const status = ok('registration.status');
  if (status === 'revoked' || status === 'cancelled')
    add(
      'REGISTRATION_INACTIVE',
      'fail',
      status === 'revoked' ? '营业执照已被吊销' : '经营主体已注销',
      status === 'revoked' ? 'The business licence has been revoked' : 'The business has been deregistered',
      ['registration.status'],
    );
  const est = ok('registration.established_date');
  if (typeof est === 'string') {
    const months = monthsBetween(est, today);
    if (months >= 0 && months < t.establishedMonthsWarn)
      add(
        'BUSINESS_YOUNG',
        'warn',
        `成立仅 ${months} 个月（${est}）`,
        `Established only ${plural(months, 'month')} ago (${est})`,
        ['registration.established_date'],
      );
  }
  if (ok('registration.legal_person_match') === false)
    add(
      'LEGAL_PERSON_OTHER',
      'warn',
      '登记的经营者/法定代表人不是申请人',
      'The registered owner or legal person is not the applicant',
      ['registration.legal_person_match'],
    );
  const changes = num('registration.changes_12m');
  if (changes !== undefined && changes >= 3)
    add(
      'REGISTRATION_CHANGES',
      'warn',
      `近12个月登记变更 ${changes} 次`,
      `${plural(changes, 'registration change')} in 12 months`,
      ['registration.changes_12m'],
    );

  const dishonest = num('court.dishonest_records');
  if (dishonest !== undefined && dishonest > 0)
    add(
      'DISHONEST_DEBTOR',
      'fail',
      `${dishonest} 条失信被执行人记录`,
      `${plural(dishonest, 'dishonest-debtor record')}`,
      ['court.dishonest_records'],
    );
  const enforcement = num('court.enforcement_records');
  if (enforcement !== undefined && enforcement > 0)
    add(
      'ENFORCEMENT',
      'warn',
      `${enforcement} 条被执行人记录`,
      `${plural(enforcement, 'enforcement record')}`,
      ['court.enforcement_records'],
    );
  const suits = num('court.lawsuits_as_defendant');
  if (suits !== undefined && suits > 0)
    add('LAWSUITS', 'info', `作为被告涉诉 ${suits} 件`, `${plural(suits, 'lawsuit')} as defendant`, [
      'court.lawsuits_as_defendant',
    ]);

  const sales = ok('tax.invoiced_sales.last_12m');
  if (Array.isArray(sales) && sales.length === 12) {
    const before = sales.slice(0, 9).reduce((a, b) => a + b, 0) / 9;
    const recent = sales.slice(9).reduce((a, b) => a + b, 0) / 3;
    if (before > 0 && (before - recent) / before > t.taxDropWarn) {
      const pct = Math.round(((before - recent) / before) * 100);
      add(
        'TAX_SALES_DROP',
        'warn',
        `近3个月开票销售额比此前9个月均值低 ${pct}%（月均 ${yuanText(recent)}）`,
        `Invoiced sales in the last 3 months are ${pct}% below the 9 months before (${yuanTextEn(recent)} a month)`,
        ['tax.invoiced_sales.last_12m'],
      );
    }
  }

  const overdue = num('credit.overdue_accounts');
  const maxOverdue = num('credit.max_overdue_months') ?? 0;
  if (overdue !== undefined && overdue > 0)
    add(
      'CREDIT_OVERDUE',
      maxOverdue >= t.overdueMonthsFail ? 'fail' : 'warn',
      `征信显示 ${overdue} 个账户有逾期记录，最长逾期 ${maxOverdue} 期`,
      `${plural(overdue, 'credit account')} with overdue history; longest ${plural(maxOverdue, 'month')} overdue`,
      ['credit.overdue_accounts', 'credit.max_overdue_months'],
    );
  const queries = num('credit.queries_6m');
  if (queries !== undefined && queries >= t.queries6mWarn)
    add(
      'CREDIT_QUERIES',
      'warn',
      `近6个月贷款审批查询 ${queries} 次`,
      `${plural(queries, 'credit-report query', 'credit-report queries')} in 6 months`,
      ['credit.queries_6m'],
    );
  const debt = num('credit.outstanding_debt');
  if (debt !== undefined && debt > 0)
    add(
      'OUTSTANDING_DEBT',
      'info',
      `未结清贷款余额 ${yuanText(debt)}`,
      `Outstanding debt ${yuanTextEn(debt)}`,
      ['credit.outstanding_debt'],
    );

  const bankOverdue = num('bank.overdue_times');
  if (bankOverdue !== undefined && bankOverdue > 0)
    add(
      'BANK_OVERDUE',
      'warn',
      `本行历史逾期 ${bankOverdue} 次`,
      `Overdue ${plural(bankOverdue, 'time')} at this bank before`,
      ['bank.overdue_times'],
    );

  const failedKeys = Object.entries(doc.facts)
    .filter(([, e]) => e.status === 'failed')
    .map(([k]) => k);
  if (failedKeys.length > 0)
    add(
      'MANDATORY_SOURCE_PENDING',
      'warn',
      '必查数据源暂时查询失败，系统将自动重试',
      'A mandatory source failed for now; screening will retry automatically',
      failedKeys,
    );
  const mismatch = Object.entries(doc.facts)
    .filter(([, e]) => e.reason === 'subject_mismatch')
    .map(([k]) => k);
  if (mismatch.length > 0)
    add(
      'SUBJECT_MISMATCH',
      'warn',
      '有数据源返回了其他人的信息，已丢弃',
      'A source answered about someone else; the answer was discarded',
      mismatch,
    );
  return out;
}
