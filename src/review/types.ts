/** Domain types of the review module. */
import type { Localized } from '../questions/types.js';

export const OPINION_KINDS = ['approve', 'adjust', 'decline', 'send_back', 'second_interview'] as const;
export type OpinionKind = (typeof OPINION_KINDS)[number];

/** The checks an expert may send a case back to the officer for, and what they ask the officer to do. */
export const CHECKS = {
  site_visit: {
    'zh-CN': '再次实地走访经营场所，核对经营情况与照片',
    'en-US': 'Visit the business again and check the operation against the photos',
  },
  bank_statements: {
    'zh-CN': '调取近 6 个月银行、微信、支付宝流水，核对销售额',
    'en-US': 'Obtain 6 months of bank, WeChat and Alipay statements and check the sales',
  },
  purchase_invoices: {
    'zh-CN': '核对进货单据与供应商记录',
    'en-US': 'Check purchase invoices against supplier records',
  },
  stock_count: { 'zh-CN': '现场盘点存货', 'en-US': 'Count the stock on site' },
  debt_confirmation: {
    'zh-CN': '与申请人及家庭成员核实全部负债（含民间借贷）',
    'en-US': 'Confirm every debt, private borrowing included, with the applicant and household',
  },
  household_interview: {
    'zh-CN': '与配偶或其他家庭成员交叉访谈',
    'en-US': 'Interview the spouse or another household member to cross-check',
  },
  collateral_appraisal: {
    'zh-CN': '重新评估抵押物或核实保证人',
    'en-US': 'Appraise the collateral again or verify the guarantor',
  },
  other: { 'zh-CN': '见专家说明', 'en-US': 'See the expert’s note' },
} as const satisfies Record<string, Localized>;
export type CheckCode = keyof typeof CHECKS;
export const CHECK_CODES = Object.keys(CHECKS) as CheckCode[];

export interface OpinionInput {
  /** The review item's version the expert read (optimistic concurrency). */
  version: number;
  kind: OpinionKind;
  /** For `adjust`: the amount, as a decimal string of yuan. */
  amountYuan?: string | undefined;
  termMonths?: number | undefined;
  /** For `adjust`: the annual rate in basis points. */
  rateBp?: number | undefined;
  /** For `send_back`: the check the officer is to make. */
  check?: { code: CheckCode; note?: string | undefined } | undefined;
  /** For `second_interview`: the facts (of the interview's bank) to ask about again. */
  facts?: string[] | undefined;
  reasons: string[];
}
