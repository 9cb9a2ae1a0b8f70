/**
 * Wire shapes of the cases API. Identifiers (resident ID, USCC, mobile) are plain strings here and checked by the
 * service, so that a bad one answers with its own code (INVALID_RESIDENT_ID…) rather than a generic field error.
 * The push body has no transforms, so that its JSON Schema (docs/case-push.schema.json) is generated from it.
 */
import { z } from 'zod';
import { SECTORS } from '../questions/types.js';
import type { Sector } from '../questions/types.js';
import { CONSENT_KINDS, SCREENING_SOURCES } from './consent-texts.js';

export const APPLICANT_KINDS = ['individual_business', 'farmer_household', 'small_enterprise'] as const;
export const REPAYMENT_METHODS = ['equal_instalment', 'equal_principal', 'interest_only', 'bullet'] as const;
export const RELATIONS = ['spouse', 'child', 'parent', 'sibling', 'other'] as const;
export const CASE_STATUSES = [
  'registered',
  'surveying',
  'surveyed',
  'invited',
  'interviewing',
  'interviewed',
] as const;
const SectorEnum = z.enum(SECTORS as [Sector, ...Sector[]]);

export const HouseholdMemberInput = z.strictObject({
  relation: z.enum(RELATIONS).describe('spouse 配偶, child 子女, parent 父母, sibling 兄弟姐妹, other 其他'),
  name: z.string().trim().min(1).max(50),
  age: z.number().int().min(0).max(120).optional(),
  resident_id: z.string().max(32).optional().describe('18-character resident ID (GB 11643-1999)'),
  works_in_business: z.boolean().optional(),
});

export const ApplicantInput = z.strictObject({
  kind: z
    .enum(APPLICANT_KINDS)
    .describe('individual_business 个体工商户, farmer_household 农户, small_enterprise 小微企业'),
  name: z.string().trim().min(1).max(50),
  resident_id: z
    .string()
    .max(32)
    .describe('18-character resident ID (GB 11643-1999), check character X allowed'),
  mobile: z.string().max(20).describe('mainland mobile: 11 digits 1[3-9]…, +86 prefix and spaces allowed'),
  uscc: z
    .string()
    .max(32)
    .nullable()
    .optional()
    .describe('unified social credit code (GB 32100-2015), where the business has one'),
  address: z.string().trim().min(1).max(200),
  business_name: z.string().trim().min(1).max(100).optional(),
  industry_code: z
    .string()
    .max(8)
    .describe(
      'GB/T 4754-2017 industry: section letter and 2–4 digits, e.g. F5221 (the letter may be omitted)',
    ),
  sector: SectorEnum.optional().describe(
    'survey sector; derived from industry_code when omitted (grocery, restaurant, crops, livestock, transport, processing)',
  ),
  household_members: z.array(HouseholdMemberInput).max(20).default([]),
});

const AMOUNT_YUAN = /^(?:0|[1-9]\d{0,11})(?:\.\d{1,2})?$/;

export const LoanInput = z
  .strictObject({
    amount_fen: z.number().int().positive().max(100_000_000_000).optional().describe('amount in fen (分)'),
    amount_yuan: z
      .string()
      .regex(AMOUNT_YUAN, 'a decimal string of yuan with at most 2 decimals')
      .optional()
      .describe('amount in yuan as a decimal string, e.g. "150000.00"; give this or amount_fen'),
    term_months: z.number().int().min(1).max(60),
    purpose: z.string().trim().min(1).max(500),
    repayment_method: z
      .enum(REPAYMENT_METHODS)
      .describe(
        'equal_instalment 等额本息, equal_principal 等额本金, interest_only 先息后本, bullet 到期一次还本付息',
      ),
  })
  .refine((l) => (l.amount_fen === undefined) !== (l.amount_yuan === undefined), {
    message: 'give exactly one of amount_fen and amount_yuan',
    path: ['amount_fen'],
  });

export const CaseCreateBody = z.strictObject({ applicant: ApplicantInput, loan: LoanInput });
export type CaseCreateInput = z.infer<typeof CaseCreateBody>;

export const CasePushBody = z
  .strictObject({
    upstream_case_no: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/)
      .describe('the loan system’s own case number; pushes are idempotent by it'),
    branch_code: z.string().min(1).max(32).describe('code of the branch the case belongs to'),
    officer_username: z.string().min(1).max(64).optional().describe('the loan officer in charge, if known'),
    applicant: ApplicantInput,
    loan: LoanInput,
  })
  .meta({
    $id: 'https://weidai.example/schemas/case-push.json',
    title: 'weidai case push',
    description:
      'Body of POST /api/v1/integration/cases, sent by the bank’s loan system with its x-api-key. The same ' +
      'upstream_case_no with the same content answers 200 with the existing case; with different content, 409 ' +
      'UPSTREAM_CASE_CONFLICT and nothing is changed.',
  });
export type CasePushInput = z.infer<typeof CasePushBody>;

export const CaseListQuery = z.strictObject({
  status: z.enum(CASE_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const IdParams = z.object({ id: z.string().min(1).max(64) });

export const HouseholdMemberDto = z.object({
  relation: z.enum(RELATIONS),
  name: z.string(),
  age: z.number().nullable(),
  resident_id: z.string().nullable(),
  works_in_business: z.boolean().nullable(),
});

export const CaseDto = z.object({
  id: z.string(),
  status: z.enum(CASE_STATUSES),
  source: z.enum(['officer', 'integration']),
  upstream_case_no: z.string().nullable(),
  pii_masked: z.boolean(),
  applicant: z.object({
    kind: z.enum(APPLICANT_KINDS),
    name: z.string(),
    resident_id: z.string(),
    mobile: z.string(),
    uscc: z.string().nullable(),
    address: z.string(),
    business_name: z.string().nullable(),
    industry_code: z.string(),
    sector: SectorEnum,
    household_size: z.number(),
    household_members: z.array(HouseholdMemberDto),
  }),
  loan: z.object({
    amount_fen: z.number(),
    amount_yuan: z.string(),
    term_months: z.number(),
    purpose: z.string(),
    repayment_method: z.enum(REPAYMENT_METHODS),
  }),
  branch_id: z.string(),
  officer_id: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type CaseDtoT = z.infer<typeof CaseDto>;

export const CaseSummaryDto = CaseDto.pick({
  id: true,
  status: true,
  source: true,
  upstream_case_no: true,
  branch_id: true,
  officer_id: true,
  created_at: true,
}).extend({
  applicant_name: z.string(),
  sector: SectorEnum,
  amount_fen: z.number(),
});

// ---------------------------------------------------------------------------------------------------------------
// Survey

export const GpsInput = z.strictObject({
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  accuracy: z.number().min(0).max(100_000).describe('metres'),
});

/** A raw answer as the template takes it (money in yuan or with a unit, numbers with a unit, choices…). */
export const AnswerValueInput = z.union([
  z.number(),
  z.string().max(2000),
  z.boolean(),
  z.strictObject({ value: z.number(), unit: z.string().min(1).max(16) }),
  z.strictObject({ lat: z.number(), lng: z.number() }),
  z.null(),
]);

export const SurveyAnswersBody = z.strictObject({
  answers: z
    .record(
      z.string().regex(/^[a-z][a-z0-9_]*$/),
      z.strictObject({
        value: AnswerValueInput.describe('null clears the answer'),
        answered_at: z.iso
          .datetime({ offset: true })
          .optional()
          .describe('device time; server time if omitted'),
        gps: GpsInput.optional(),
      }),
    )
    .refine((r) => Object.keys(r).length > 0 && Object.keys(r).length <= 300, '1 to 300 answers'),
});
export type SurveyAnswersInput = z.infer<typeof SurveyAnswersBody>;

export const PhotoQuery = z.strictObject({
  question_id: z
    .string()
    .regex(/^[a-z][a-z0-9_]*$/)
    .optional(),
  taken_at: z.iso.datetime({ offset: true }).optional(),
  lat: z.coerce.number().min(-90).max(90).optional(),
  lng: z.coerce.number().min(-180).max(180).optional(),
  accuracy: z.coerce.number().min(0).max(100_000).optional(),
});

// ---------------------------------------------------------------------------------------------------------------
// Consent, integration keys and invitations

export const ConsentDecisionInput = z.strictObject({
  kind: z.enum(CONSENT_KINDS),
  source: z.enum(SCREENING_SOURCES).optional(),
  text_id: z.string().min(1).max(64),
  text_version: z.number().int().positive(),
  granted: z.boolean(),
});

export const OfficerConsentBody = z.strictObject({
  consents: z.array(ConsentDecisionInput).min(1).max(20),
  lang: z.enum(['zh-CN', 'en-US']).default('zh-CN'),
  channel: z.enum(['paper', 'officer_device']),
  evidence_sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .describe('SHA-256 of the signed form or the screen capture'),
});

export const IntegrationKeyBody = z.strictObject({
  name: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9_.-]{2,31}$/, '3–32 lower-case letters, digits, _ . -'),
  branch_id: z.string().min(1).max(64),
});

export const InvitationBody = z
  .strictObject({
    expires_in_hours: z.number().int().min(1).max(168).optional(),
  })
  .default({});

export const InvitationTokenBody = z.strictObject({ token: z.string().min(16).max(200) });
export const InvitationOtpBody = InvitationTokenBody.extend({
  id_last4: z.string().regex(/^\d{3}[\dXx]$/, 'the last 4 characters of the resident ID'),
});
export const InvitationVerifyBody = InvitationOtpBody.extend({ code: z.string().regex(/^\d{6}$/) });
export const InvitationConsentBody = z.strictObject({
  session_token: z.string().min(16).max(200),
  channel: z.enum(['web', 'app', 'wechat']),
  lang: z.enum(['zh-CN', 'en-US']).default('zh-CN'),
  consents: z.array(ConsentDecisionInput).min(1).max(20),
});

/** The text of docs/case-push.schema.json: the push body as JSON Schema 2020-12 (a test keeps the file equal). */
export const casePushJsonSchemaText = () =>
  JSON.stringify(z.toJSONSchema(CasePushBody, { io: 'input', target: 'draft-2020-12' }), null, 2) + '\n';
