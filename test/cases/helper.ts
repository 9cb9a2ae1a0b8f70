/**
 * The shared test builder with a capturing SMS sender in place of the logging one, and valid identifiers to
 * register applicants with.
 */
import { createCapturingSmsSender } from '../../src/cases/sms.js';
import type { Config } from '../../src/platform/config.js';
import type { Clock } from '../../src/platform/deps.js';
import { findUnmaskedPersonalData } from '../../src/platform/mask.js';
import { residentIdCheckChar, usccCheckChar } from '../../src/platform/validators.js';
import { type TestApp, buildTestApp } from '../helper.js';

export const residentId = (first17: string) => first17 + residentIdCheckChar(first17);
export const uscc = (first17: string) => first17 + usccCheckChar(first17);

export const APPLICANT_ID = residentId('41022519800315123');
export const SPOUSE_ID = residentId('41022519820704232');
export const APPLICANT_MOBILE = '13912345678';
export const SHOP_USCC = uscc('92410225MA4K8R3L1');

export interface CasesTestApp extends TestApp {
  sms: ReturnType<typeof createCapturingSmsSender>;
}

export async function buildCasesTestApp(
  opts: { clock?: Clock; overrides?: Partial<Config> } = {},
): Promise<CasesTestApp> {
  const sms = createCapturingSmsSender();
  return { ...(await buildTestApp({ ...opts, sms })), sms };
}

/** A village grocery run by a couple, as an officer registers it. */
export function groceryCase(overrides: Record<string, unknown> = {}) {
  return {
    applicant: {
      kind: 'individual_business',
      name: '张建国',
      resident_id: APPLICANT_ID,
      mobile: APPLICANT_MOBILE,
      uscc: SHOP_USCC,
      address: '河南省开封市兰考县城关镇健康路18号',
      business_name: '建国便民超市',
      industry_code: 'F5221',
      household_members: [
        { relation: 'spouse', name: '李秀英', age: 44, resident_id: SPOUSE_ID, works_in_business: true },
        { relation: 'child', name: '张小明', age: 15 },
      ],
      ...overrides,
    },
    loan: {
      amount_yuan: '150000.00',
      term_months: 12,
      purpose: '进货周转（春节备货）',
      repayment_method: 'equal_instalment',
    },
  };
}

/**
 * Unmasked personal data in captured text. UUIDs (request and case ids) are blanked first: the platform scanner
 * does not treat letters as boundaries, so an all-digit last group such as `-139…` reads as a mobile number.
 */
export function personalDataIn(text: string) {
  return findUnmaskedPersonalData(
    text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<uuid>'),
  );
}
