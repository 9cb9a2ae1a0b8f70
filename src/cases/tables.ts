import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  // PGlite returns Uint8Array, node-postgres a Buffer: callers always get a Buffer.
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

/**
 * A lending case: the applicant, the loan asked for, the branch and the officer. Personal fields are AES-GCM
 * tokens (src/platform/crypto.ts) bound to their column name; `*_hash` columns are the keyed blind index for
 * exact look-ups. `branch_path` is copied from the branch so that scope is one indexed prefix match.
 */
export const cases = pgTable(
  'cases',
  {
    id: text('id').primaryKey(),
    status: text('status', {
      enum: ['registered', 'surveying', 'surveyed', 'invited', 'interviewing', 'interviewed'],
    }).notNull(),
    source: text('source', { enum: ['officer', 'integration'] }).notNull(),
    /** The integration key's system name and the loan system's own case number, when pushed. */
    upstreamSystem: text('upstream_system'),
    upstreamCaseNo: text('upstream_case_no'),
    /** SHA-256 of the canonical push body: the same number with other content is a conflict. */
    upstreamContentHash: text('upstream_content_hash'),
    applicantKind: text('applicant_kind', {
      enum: ['individual_business', 'farmer_household', 'small_enterprise'],
    }).notNull(),
    nameEnc: text('name_enc').notNull(),
    residentIdEnc: text('resident_id_enc').notNull(),
    residentIdHash: text('resident_id_hash').notNull(),
    mobileEnc: text('mobile_enc').notNull(),
    mobileHash: text('mobile_hash').notNull(),
    /** Public registration data (国家企业信用信息公示系统): kept in clear. */
    uscc: text('uscc'),
    addressEnc: text('address_enc').notNull(),
    businessName: text('business_name'),
    industryCode: text('industry_code').notNull(),
    sector: text('sector', {
      enum: ['grocery', 'restaurant', 'crops', 'livestock', 'transport', 'processing'],
    }).notNull(),
    /** JSON array of household members, encrypted as one token (names and ID numbers inside). */
    householdEnc: text('household_enc').notNull(),
    householdSize: integer('household_size').notNull(),
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
    termMonths: integer('term_months').notNull(),
    purpose: text('purpose').notNull(),
    repaymentMethod: text('repayment_method', {
      enum: ['equal_instalment', 'equal_principal', 'interest_only', 'bullet'],
    }).notNull(),
    branchId: text('branch_id').notNull(),
    branchPath: text('branch_path').notNull(),
    officerId: text('officer_id'),
    createdBy: text('created_by').notNull(),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    index('cases_branch_path_idx').on(t.branchPath),
    index('cases_resident_id_hash_idx').on(t.residentIdHash),
    index('cases_mobile_hash_idx').on(t.mobileHash),
    uniqueIndex('cases_upstream_uq')
      .on(t.upstreamSystem, t.upstreamCaseNo)
      .where(sql`upstream_case_no is not null`),
  ],
);

/**
 * The officer's survey of a case, one row per case: the template version it was started on, the answers (each
 * with the time and GPS position it was given) and the values the template refused, kept so nothing typed is lost.
 */
export const caseSurveys = pgTable('case_surveys', {
  caseId: text('case_id')
    .primaryKey()
    .references(() => cases.id),
  templateId: text('template_id').notNull(),
  templateVersion: integer('template_version').notNull(),
  answers: jsonb('answers').notNull(),
  rejected: jsonb('rejected').notNull(),
  status: text('status', { enum: ['draft', 'submitted'] }).notNull(),
  submittedAt: ts('submitted_at'),
  submittedBy: text('submitted_by'),
  updatedAt: ts('updated_at').notNull(),
});

export const casePhotos = pgTable(
  'case_photos',
  {
    id: text('id').primaryKey(),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    questionId: text('question_id'),
    mime: text('mime').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    /** 64-bit dHash as 16 hex digits; null when the format cannot be decoded here (JPEG, WebP). */
    phash: text('phash'),
    width: integer('width'),
    height: integer('height'),
    takenAt: ts('taken_at'),
    gps: jsonb('gps'),
    content: bytea('content').notNull(),
    uploadedBy: text('uploaded_by').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('case_photos_case_idx').on(t.caseId), index('case_photos_sha_idx').on(t.sha256)],
);

/** Every consent decision of an applicant, append-only: the latest per (case, kind, source) is in force. */
export const caseConsents = pgTable(
  'case_consents',
  {
    id: text('id').primaryKey(),
    /** Orders decisions made within the same millisecond. */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    kind: text('kind', { enum: ['screening', 'recording'] }).notNull(),
    /** Outside-data source category for screening consents; '' for recording. */
    source: text('source').notNull(),
    granted: boolean('granted').notNull(),
    textId: text('text_id').notNull(),
    textVersion: integer('text_version').notNull(),
    lang: text('lang').notNull(),
    channel: text('channel').notNull(),
    invitationId: text('invitation_id'),
    recordedBy: text('recorded_by').notNull(),
    evidenceHash: text('evidence_hash').notNull(),
    at: ts('at').notNull(),
  },
  (t) => [index('case_consents_case_idx').on(t.caseId, t.kind, t.source)],
);

/** API keys of the bank's loan systems. Only the SHA-256 of a key is kept; the key is shown once. */
export const integrationKeys = pgTable('integration_keys', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  keyHash: text('key_hash').notNull().unique(),
  /** The first characters of the key, to recognise it in a list. */
  keyPrefix: text('key_prefix').notNull(),
  branchId: text('branch_id').notNull(),
  branchPath: text('branch_path').notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: ts('created_at').notNull(),
  revokedAt: ts('revoked_at'),
});

/**
 * Interview invitations. Only hashes of the link token, of the one-time code and of the interview session token
 * are stored. At most one invitation per case is active: issuing a new one revokes the previous.
 */
export const invitations = pgTable(
  'invitations',
  {
    id: text('id').primaryKey(),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    tokenHash: text('token_hash').notNull().unique(),
    status: text('status', { enum: ['active', 'revoked', 'used', 'locked'] }).notNull(),
    expiresAt: ts('expires_at').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: ts('created_at').notNull(),
    openedAt: ts('opened_at'),
    revokedAt: ts('revoked_at'),
    usedAt: ts('used_at'),
    otpHash: text('otp_hash'),
    otpExpiresAt: ts('otp_expires_at'),
    failedChecks: integer('failed_checks').notNull().default(0),
    sessionTokenHash: text('session_token_hash').unique(),
    sessionExpiresAt: ts('session_expires_at'),
  },
  (t) => [index('invitations_case_idx').on(t.caseId)],
);
