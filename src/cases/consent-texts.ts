/**
 * The consent texts an applicant is shown, as versioned data. A published version never changes; a new wording is
 * a new version, and each consent records the version it was given on. Outside-data screening is consented per
 * source category (《个人信息保护法》 art. 14: consent is specific to the purpose and the kind of data).
 */
import type { Localized } from '../questions/types.js';
import { notFound } from '../platform/errors.js';

export const SCREENING_SOURCES = [
  'credit', // 征信: the PBoC credit reference centre and licensed credit bureaux
  'tax', // 税务: invoiced sales and tax paid
  'court', // 司法: lawsuits, enforcement, dishonest-debtor records
  'registration', // 工商: business registration and its changes
  'telecom', // 运营商: how long the mobile number has been held
  'utilities', // 水电: electricity and water bills
  'identity', // 身份核验: the public-security citizen ID check and face match
  'social_security', // 社保公积金: contribution months and base
  'bank', // 本行数据: deposits, past loans and repayments at this bank
] as const;
export type ScreeningSource = (typeof SCREENING_SOURCES)[number];

export const CONSENT_KINDS = ['screening', 'recording'] as const;
export type ConsentKind = (typeof CONSENT_KINDS)[number];

export interface ConsentText {
  id: string;
  version: number;
  kind: ConsentKind;
  /** The screening source category; undefined for the recording consent. */
  source?: ScreeningSource;
  title: Localized;
  body: Localized;
}

const SOURCE_NAMES: Record<ScreeningSource, Localized> = {
  credit: { 'zh-CN': '征信信息', 'en-US': 'credit reports' },
  tax: { 'zh-CN': '纳税信息', 'en-US': 'tax records' },
  court: { 'zh-CN': '司法涉诉信息', 'en-US': 'court and enforcement records' },
  registration: { 'zh-CN': '工商登记信息', 'en-US': 'business registration records' },
  telecom: { 'zh-CN': '手机号在网信息', 'en-US': 'mobile number tenure' },
  utilities: { 'zh-CN': '水电缴费信息', 'en-US': 'utility payment records' },
  identity: {
    'zh-CN': '身份核验信息（含人像比对）',
    'en-US': 'identity verification records (including a face match)',
  },
  social_security: {
    'zh-CN': '社会保险和住房公积金缴存信息',
    'en-US': 'social insurance and housing fund records',
  },
  bank: {
    'zh-CN': '在本行的存款、贷款及还款记录',
    'en-US': 'deposit, loan and repayment records at this bank',
  },
};

const screeningText = (source: ScreeningSource): ConsentText => ({
  id: `screening.${source}`,
  version: 1,
  kind: 'screening',
  source,
  title: {
    'zh-CN': `${SOURCE_NAMES[source]['zh-CN']}查询授权`,
    'en-US': `Consent to check ${SOURCE_NAMES[source]['en-US']}`,
  },
  body: {
    'zh-CN':
      `本人同意贵行为审查本次贷款申请，向依法设立的机构查询、使用本人及本人经营主体的${SOURCE_NAMES[source]['zh-CN']}。` +
      '查询结果仅用于本次贷款的审批和贷后管理，贵行将依法保护上述信息。本人可随时撤回本授权，撤回不影响撤回前已进行的查询。',
    'en-US':
      `I agree that the bank may obtain and use ${SOURCE_NAMES[source]['en-US']} about me and my business from lawfully ` +
      'established providers to assess this loan application. The results are used only to decide on and manage this ' +
      'loan and are protected by law. I may withdraw this consent at any time; checks made before withdrawal stay valid.',
  },
});

export const CONSENT_TEXTS: readonly ConsentText[] = Object.freeze([
  ...SCREENING_SOURCES.map(screeningText),
  {
    id: 'recording',
    version: 1,
    kind: 'recording',
    title: { 'zh-CN': '远程面谈录音录像授权', 'en-US': 'Consent to record the remote interview' },
    body: {
      'zh-CN':
        '本人同意贵行对本次远程面谈的全过程（文字、语音及视频）进行记录和保存，作为贷款审批、合规检查及纠纷处理的依据。' +
        '记录按监管规定的期限保存，期间不会用于其他目的。',
      'en-US':
        'I agree that the bank records and keeps the whole remote interview (text, voice and video) as evidence for the ' +
        'loan decision, compliance checks and the handling of disputes. The record is kept for the period the ' +
        'regulations require and is not used for any other purpose.',
    },
  },
]);

/** The newest version of each consent text. */
export function currentConsentTexts(): ConsentText[] {
  const newest = new Map<string, ConsentText>();
  for (const t of CONSENT_TEXTS) {
    const seen = newest.get(t.id);
    if (!seen || seen.version < t.version) newest.set(t.id, t);
  }
  return [...newest.values()];
}

/** One text at one version; CONSENT_TEXT_NOT_FOUND otherwise. */
export function consentText(id: string, version: number): ConsentText {
  const t = CONSENT_TEXTS.find((c) => c.id === id && c.version === version);
  if (!t) throw notFound('consent_text', `${id}@${version}`);
  return t;
}
