/**
 * Output shapes of the cases API: an explicit whitelist of fields. Personal fields are decrypted here and masked
 * unless the caller may see them (`case:pii`); nothing else of a row leaves the service.
 */
import type { FieldCipher } from '../platform/crypto.js';
import { maskAddress, maskMobile, maskName, maskResidentId } from '../platform/mask.js';
import type { CaseRow } from './access.js';
import type { CaseDtoT } from './schemas.js';
import type { casePhotos, caseConsents } from './tables.js';

export interface StoredHouseholdMember {
  relation: 'spouse' | 'child' | 'parent' | 'sibling' | 'other';
  name: string;
  age: number | null;
  residentId: string | null;
  worksInBusiness: boolean | null;
}

/** Encryption contexts: a token is bound to its column, so one cannot be pasted into another. */
export const PII_CONTEXT = {
  name: 'case.name',
  residentId: 'case.resident_id',
  mobile: 'case.mobile',
  address: 'case.address',
  household: 'case.household',
} as const;

export interface DecryptedApplicant {
  name: string;
  residentId: string;
  mobile: string;
  address: string;
  household: StoredHouseholdMember[];
}

export function decryptApplicant(cipher: FieldCipher, row: CaseRow): DecryptedApplicant {
  return {
    name: cipher.decrypt(row.nameEnc, PII_CONTEXT.name),
    residentId: cipher.decrypt(row.residentIdEnc, PII_CONTEXT.residentId),
    mobile: cipher.decrypt(row.mobileEnc, PII_CONTEXT.mobile),
    address: cipher.decrypt(row.addressEnc, PII_CONTEXT.address),
    household: JSON.parse(cipher.decrypt(row.householdEnc, PII_CONTEXT.household)) as StoredHouseholdMember[],
  };
}

/** `12345` fen → `"123.45"`: integer arithmetic only. */
export function fenToYuanString(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export function toCaseDto(cipher: FieldCipher, row: CaseRow, unmasked: boolean): CaseDtoT {
  const a = decryptApplicant(cipher, row);
  const m = <T>(fn: (s: string) => string, v: T): T | string =>
    unmasked || typeof v !== 'string' ? v : fn(v);
  return {
    id: row.id,
    status: row.status,
    source: row.source,
    upstream_case_no: row.upstreamCaseNo,
    pii_masked: !unmasked,
    applicant: {
      kind: row.applicantKind,
      name: m(maskName, a.name),
      resident_id: m(maskResidentId, a.residentId),
      mobile: m(maskMobile, a.mobile),
      uscc: row.uscc,
      address: m(maskAddress, a.address),
      business_name: row.businessName,
      industry_code: row.industryCode,
      sector: row.sector,
      household_size: row.householdSize,
      household_members: a.household.map((h) => ({
        relation: h.relation,
        name: m(maskName, h.name),
        age: h.age,
        resident_id: h.residentId === null ? null : m(maskResidentId, h.residentId),
        works_in_business: h.worksInBusiness,
      })),
    },
    loan: {
      amount_fen: row.amountFen,
      amount_yuan: fenToYuanString(row.amountFen),
      term_months: row.termMonths,
      purpose: row.purpose,
      repayment_method: row.repaymentMethod,
    },
    branch_id: row.branchId,
    officer_id: row.officerId,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

export function toCaseSummaryDto(cipher: FieldCipher, row: CaseRow, unmasked: boolean) {
  const name = cipher.decrypt(row.nameEnc, PII_CONTEXT.name);
  return {
    id: row.id,
    status: row.status,
    source: row.source,
    upstream_case_no: row.upstreamCaseNo,
    branch_id: row.branchId,
    officer_id: row.officerId,
    created_at: row.createdAt.toISOString(),
    applicant_name: unmasked ? name : maskName(name),
    sector: row.sector,
    amount_fen: row.amountFen,
  };
}

/** What a list of work items shows of a case: who (masked unless the caller may see it), the business and the loan. */
export function toCaseCardDto(cipher: FieldCipher, row: CaseRow, unmasked: boolean) {
  const name = cipher.decrypt(row.nameEnc, PII_CONTEXT.name);
  return {
    id: row.id,
    applicant_name: unmasked ? name : maskName(name),
    business_name: row.businessName,
    sector: row.sector,
    amount_yuan: fenToYuanString(row.amountFen),
    term_months: row.termMonths,
  };
}

type PhotoRow = typeof casePhotos.$inferSelect;

export function toPhotoDto(
  p: Omit<PhotoRow, 'content'>,
  similar: { photo_id: string; case_id: string; distance: number; same_case: boolean }[] = [],
) {
  return {
    id: p.id,
    case_id: p.caseId,
    question_id: p.questionId,
    mime: p.mime,
    size_bytes: p.sizeBytes,
    sha256: p.sha256,
    phash: p.phash,
    width: p.width,
    height: p.height,
    taken_at: p.takenAt ? p.takenAt.toISOString() : null,
    gps: (p.gps as { lat: number; lng: number; accuracy: number | null } | null) ?? null,
    created_at: p.createdAt.toISOString(),
    similar,
  };
}

type ConsentRow = typeof caseConsents.$inferSelect;

export const toConsentDto = (c: Omit<ConsentRow, 'seq'>) => ({
  id: c.id,
  kind: c.kind,
  source: c.source === '' ? null : c.source,
  granted: c.granted,
  text_id: c.textId,
  text_version: c.textVersion,
  lang: c.lang,
  channel: c.channel,
  evidence_hash: c.evidenceHash,
  at: c.at.toISOString(),
});
