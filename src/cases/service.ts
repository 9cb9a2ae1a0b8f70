/**
 * The cases service: registering a case (by an officer, or pushed by the bank's loan system), reading it within
 * the branch subtree, the integration keys, and — composed from the files beside this one — the survey, photos,
 * financials and cross-checks, consents and interview invitations. Every function takes the caller first and
 * checks permission and scope before anything else; every change is audited in its own transaction.
 */
import { and, desc, eq, exists, gt, inArray, isNull, like, notExists, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { pino } from 'pino';
import type { Config } from '../platform/config.js';
import { loggerOptions } from '../platform/logger.js';
import { AppError, conflict, notFound, unauthorized, unprocessable } from '../platform/errors.js';
import { type Actor, authorize } from '../platform/identity/permissions.js';
import { branches, users } from '../platform/identity/tables.js';
import { isValidMobile, isValidResidentId, isValidUscc } from '../platform/validators.js';
import type { Sector } from '../questions/types.js';
import {
  type CaseActor,
  type CasesCore,
  type IntegrationActor,
  auditActor,
  authorizeCase,
  canonicalJson,
  loadCaseInScope,
  seesPii,
  sha256Hex,
} from './access.js';
import { createConsents } from './consents.js';
import { parseIndustryCode, sectorOfIndustry } from './industry.js';
import { createInvitations } from './invitations.js';
import {
  PII_CONTEXT,
  type StoredHouseholdMember,
  toCaseCardDto,
  toCaseDto,
  toCaseSummaryDto,
} from './presenter.js';
import type { CaseCreateInput, CasePushInput } from './schemas.js';
import { type SmsSender, createLoggingSmsSender, type InfoLogger } from './sms.js';
import { createSurvey } from './survey.js';
import { interviewSessions } from '../dialog/tables.js';
import { cases, integrationKeys, invitations as invitationRows } from './tables.js';

export interface CasesDeps extends CasesCore {
  config: Pick<Config, 'publicUrl' | 'logLevel'>;
  /** Where one-time codes go; default: logged masked through `log`. */
  sms?: SmsSender;
  log?: InfoLogger;
  /** Default lifetime of an invitation (72 h). */
  invitationTtlHours?: number;
  /** Largest photo accepted (5 MB). */
  maxPhotoBytes?: number;
}

const invalid = (code: string, field: string, message: string) => ({ code, field, message });

/** Normalises and checks the identifiers of an applicant; INVALID_RESIDENT_ID / INVALID_USCC / INVALID_MOBILE. */
function checkIdentifiers(input: CaseCreateInput['applicant'], now: Date) {
  const problems: { code: string; field: string; message: string }[] = [];
  const id = input.resident_id.normalize('NFKC').trim().toUpperCase();
  if (!isValidResidentId(id, now))
    problems.push(invalid('INVALID_RESIDENT_ID', 'applicant.resident_id', 'not a valid resident ID'));
  const mobile = input.mobile
    .normalize('NFKC')
    .replace(/[\s-]/g, '')
    .replace(/^(?:\+86|0086)/, '');
  if (!isValidMobile(mobile))
    problems.push(invalid('INVALID_MOBILE', 'applicant.mobile', 'not a mainland mobile number'));
  const usccRaw = input.uscc?.normalize('NFKC').trim().toUpperCase() || null;
  if (usccRaw !== null && !isValidUscc(usccRaw))
    problems.push(invalid('INVALID_USCC', 'applicant.uscc', 'not a valid unified social credit code'));
  if (usccRaw === null && input.kind === 'small_enterprise')
    problems.push(invalid('USCC_REQUIRED', 'applicant.uscc', 'a small enterprise has a credit code'));
  const household: StoredHouseholdMember[] = input.household_members.map((h, i) => {
    const rid = h.resident_id?.normalize('NFKC').trim().toUpperCase() || null;
    if (rid !== null && !isValidResidentId(rid, now))
      problems.push(
        invalid(
          'INVALID_RESIDENT_ID',
          `applicant.household_members.${i}.resident_id`,
          'not a valid resident ID',
        ),
      );
    return {
      relation: h.relation,
      name: h.name,
      age: h.age ?? null,
      residentId: rid,
      worksInBusiness: h.works_in_business ?? null,
    };
  });
  const industry = parseIndustryCode(input.industry_code);
  if (!industry)
    problems.push(
      invalid('INVALID_INDUSTRY_CODE', 'applicant.industry_code', 'not a GB/T 4754-2017 industry code'),
    );
  const sector: Sector | undefined = input.sector ?? (industry ? sectorOfIndustry(industry) : undefined);
  if (industry && !sector)
    problems.push(
      invalid(
        'INDUSTRY_NOT_SUPPORTED',
        'applicant.industry_code',
        'no survey sector for this industry; name the sector',
      ),
    );
  if (problems.length > 0) {
    const first = problems[0]!;
    throw unprocessable(first.code, first.message, { fields: problems });
  }
  return { residentId: id, mobile, uscc: usccRaw, household, industryCode: industry!.code, sector: sector! };
}

/** `"150000.5"` → 15000050 fen, by string arithmetic (no binary float). */
export function yuanStringToFen(s: string): number {
  const [whole, frac = ''] = s.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

const KEY_PREFIX = 'wdk_';

export function createCasesService(deps: CasesDeps) {
  const { db, clock, ids, audit, cipher } = deps;

  function buildRow(
    input: CaseCreateInput,
    where: { branchId: string; branchPath: string; officerId: string | null; createdBy: string },
    source: 'officer' | 'integration',
  ) {
    const now = clock.now();
    const v = checkIdentifiers(input.applicant, now);
    const a = input.applicant;
    const amountFen =
      input.loan.amount_fen !== undefined ? input.loan.amount_fen : yuanStringToFen(input.loan.amount_yuan!);
    if (amountFen <= 0) throw unprocessable('INVALID_AMOUNT', 'The amount must be positive');
    return {
      id: ids.uuid(),
      status: 'registered' as const,
      source,
      upstreamSystem: null as string | null,
      upstreamCaseNo: null as string | null,
      upstreamContentHash: null as string | null,
      applicantKind: a.kind,
      nameEnc: cipher.encrypt(a.name, PII_CONTEXT.name),
      residentIdEnc: cipher.encrypt(v.residentId, PII_CONTEXT.residentId),
      residentIdHash: cipher.lookupHash(v.residentId),
      mobileEnc: cipher.encrypt(v.mobile, PII_CONTEXT.mobile),
      mobileHash: cipher.lookupHash(v.mobile),
      uscc: v.uscc,
      addressEnc: cipher.encrypt(a.address, PII_CONTEXT.address),
      businessName: a.business_name ?? null,
      industryCode: v.industryCode,
      sector: v.sector,
      householdEnc: cipher.encrypt(JSON.stringify(v.household), PII_CONTEXT.household),
      householdSize: v.household.length + 1,
      amountFen,
      termMonths: input.loan.term_months,
      purpose: input.loan.purpose,
      repaymentMethod: input.loan.repayment_method,
      branchId: where.branchId,
      branchPath: where.branchPath,
      officerId: where.officerId,
      createdBy: where.createdBy,
      createdAt: now,
      updatedAt: now,
    };
  }

  /** A loan officer registers a case in their own branch. */
  async function createCase(actor: Actor, input: CaseCreateInput) {
    authorize(actor, 'case:write');
    const row = buildRow(
      input,
      {
        branchId: actor.branchId,
        branchPath: actor.branchPath,
        officerId: actor.role === 'loan_officer' ? actor.userId : null,
        createdBy: actor.userId,
      },
      'officer',
    );
    await db.transaction(async (tx) => {
      await tx.insert(cases).values(row);
      await audit.append(tx, {
        actor: actor.userId,
        action: 'case.create',
        entity: 'case',
        entityId: row.id,
        payload: { sector: row.sector, industryCode: row.industryCode, amountFen: row.amountFen },
      });
    });
    return toCaseDto(cipher, row, seesPii(actor));
  }

  /**
   * The loan system pushes a case. Idempotent by (system, upstream case number): the same content answers the
   * existing case (`created: false`); other content is UPSTREAM_CASE_CONFLICT and nothing is changed.
   */
  async function pushCase(actor: IntegrationActor, input: CasePushInput) {
    const contentHash = sha256Hex(canonicalJson(input));
    const existing = await findUpstream(actor.name, input.upstream_case_no);
    if (existing) return answerExisting(actor, existing, contentHash, input.upstream_case_no);

    const [branch] = await db.select().from(branches).where(eq(branches.code, input.branch_code));
    if (!branch || !branch.path.startsWith(actor.branchPath)) throw notFound('branch', input.branch_code);
    let officerId: string | null = null;
    if (input.officer_username) {
      const [officer] = await db
        .select({ id: users.id, branchId: users.branchId, role: users.role })
        .from(users)
        .where(eq(users.username, input.officer_username.toLowerCase()));
      if (!officer || officer.branchId !== branch.id || officer.role !== 'loan_officer')
        throw unprocessable('OFFICER_NOT_IN_BRANCH', 'No loan officer of that name in the branch', {
          officer_username: input.officer_username,
        });
      officerId = officer.id;
    }
    const row = {
      ...buildRow(
        input,
        { branchId: branch.id, branchPath: branch.path, officerId, createdBy: auditActor(actor) },
        'integration',
      ),
      upstreamSystem: actor.name,
      upstreamCaseNo: input.upstream_case_no,
      upstreamContentHash: contentHash,
    };
    const inserted = await db.transaction(async (tx) => {
      const done = await tx.insert(cases).values(row).onConflictDoNothing().returning({ id: cases.id });
      if (done.length === 0) return false;
      await audit.append(tx, {
        actor: auditActor(actor),
        action: 'case.push',
        entity: 'case',
        entityId: row.id,
        payload: { upstreamCaseNo: input.upstream_case_no, sector: row.sector, contentHash },
      });
      return true;
    });
    if (!inserted) {
      // A concurrent push of the same number won the insert.
      const winner = await findUpstream(actor.name, input.upstream_case_no);
      if (!winner) throw new AppError('UPSTREAM_PUSH_FAILED', 500, 'The push could not be stored');
      return answerExisting(actor, winner, contentHash, input.upstream_case_no);
    }
    return { created: true, case: toCaseDto(cipher, row, false) };
  }

  async function findUpstream(system: string, no: string) {
    const [row] = await db
      .select()
      .from(cases)
      .where(and(eq(cases.upstreamSystem, system), eq(cases.upstreamCaseNo, no)));
    return row;
  }

  function answerExisting(
    actor: IntegrationActor,
    row: typeof cases.$inferSelect,
    contentHash: string,
    no: string,
  ) {
    if (row.upstreamContentHash !== contentHash)
      throw conflict(
        'UPSTREAM_CASE_CONFLICT',
        'This upstream case number was pushed before with different content; nothing was changed',
        { upstream_case_no: no, case_id: row.id },
      );
    if (!row.branchPath.startsWith(actor.branchPath)) throw notFound('case', row.id);
    return { created: false, case: toCaseDto(cipher, row, false) };
  }

  async function listCases(
    actor: Actor,
    q: { status?: (typeof cases.$inferSelect)['status'] | undefined; limit: number; offset: number },
  ) {
    authorize(actor, 'case:read');
    const where = [like(cases.branchPath, `${actor.branchPath}%`)];
    if (q.status) where.push(eq(cases.status, q.status));
    const rows = await db
      .select()
      .from(cases)
      .where(and(...where))
      .orderBy(desc(cases.createdAt), desc(cases.id))
      .limit(q.limit)
      .offset(q.offset);
    return rows.map((r) => toCaseSummaryDto(cipher, r, seesPii(actor)));
  }

  /**
   * Cards of the named cases in the caller's subtree (case:read), in one read, for a list of work items that name
   * their cases (the expert's queue); a case outside the subtree or unknown is left out.
   */
  async function caseCards(actor: Actor, ids: readonly string[]) {
    authorize(actor, 'case:read');
    if (ids.length === 0) return [];
    const rows = await db
      .select()
      .from(cases)
      .where(and(inArray(cases.id, [...ids]), like(cases.branchPath, `${actor.branchPath}%`)));
    return rows.map((r) => toCaseCardDto(cipher, r, seesPii(actor)));
  }

  async function getCase(actor: CaseActor, id: string) {
    authorizeCase(actor, 'case:read');
    return toCaseDto(cipher, await loadCaseInScope(db, actor, id), seesPii(actor));
  }

  // -------------------------------------------------------------------------------------------------------------
  // Integration keys

  /** An administrator creates a key for one loan system, bound to a branch subtree; the key is returned once. */
  async function createIntegrationKey(actor: Actor, input: { name: string; branch_id: string }) {
    authorize(actor, 'channel:write');
    const [branch] = await db.select().from(branches).where(eq(branches.id, input.branch_id));
    if (!branch || !branch.path.startsWith(actor.branchPath)) throw notFound('branch', input.branch_id);
    const key = `${KEY_PREFIX}${ids.token(32)}`;
    const row = {
      id: ids.uuid(),
      name: input.name,
      keyHash: sha256Hex(key),
      keyPrefix: key.slice(0, KEY_PREFIX.length + 6),
      branchId: branch.id,
      branchPath: branch.path,
      createdBy: actor.userId,
      createdAt: clock.now(),
      revokedAt: null,
    };
    await db.transaction(async (tx) => {
      const [dup] = await tx
        .select({ id: integrationKeys.id })
        .from(integrationKeys)
        .where(eq(integrationKeys.name, input.name));
      if (dup) throw conflict('INTEGRATION_NAME_TAKEN', 'A key with this name exists', { name: input.name });
      await tx.insert(integrationKeys).values(row);
      await audit.append(tx, {
        actor: actor.userId,
        action: 'integration_key.create',
        entity: 'integration_key',
        entityId: row.id,
        payload: { name: row.name, branchId: row.branchId, keyPrefix: row.keyPrefix },
      });
    });
    return {
      id: row.id,
      name: row.name,
      branch_id: row.branchId,
      key_prefix: row.keyPrefix,
      created_at: row.createdAt.toISOString(),
      api_key: key,
    };
  }

  /** Resolves an `x-api-key` to the loan system it belongs to, or 401 INVALID_API_KEY. */
  async function authenticateIntegration(key: string | undefined): Promise<IntegrationActor> {
    if (!key || !key.startsWith(KEY_PREFIX) || key.length > 200)
      throw unauthorized('INVALID_API_KEY', 'A valid x-api-key is required');
    const [row] = await db
      .select()
      .from(integrationKeys)
      .where(and(eq(integrationKeys.keyHash, sha256Hex(key)), isNull(integrationKeys.revokedAt)));
    if (!row) throw unauthorized('INVALID_API_KEY', 'A valid x-api-key is required');
    return {
      kind: 'integration',
      keyId: row.id,
      name: row.name,
      branchId: row.branchId,
      branchPath: row.branchPath,
    };
  }

  const survey = createSurvey(deps);
  const consents = createConsents(deps);
  const invitations = createInvitations({
    ...deps,
    sms: deps.sms ?? createLoggingSmsSender(deps.log ?? pino(loggerOptions(deps.config.logLevel))),
    invitationTtlHours: deps.invitationTtlHours ?? 72,
    consents,
  });

  /**
   * The case's interview has ended completed (the dialog's commit hook): a case `invited` or `interviewing` (a
   * channel that binds without the link's identity check leaves it `invited`) becomes `interviewed`, which is what
   * its officer then sees. One conditional statement; a case already further on is left as it is.
   */
  async function markInterviewed(caseId: string): Promise<void> {
    await db
      .update(cases)
      .set({ status: 'interviewed', updatedAt: clock.now() })
      .where(and(eq(cases.id, caseId), inArray(cases.status, ['invited', 'interviewing'])));
  }

  /**
   * The background sweep's catch-up of `markInterviewed` (src/platform/jobs.ts). The commit hook sets the case after
   * the interview's last turn is committed, so an instance that stops between the two leaves it `interviewing` for
   * good. Every case still `invited` or `interviewing` whose latest invitation's interview completed becomes
   * `interviewed`; a case invited again after a completed interview has a newer invitation, and stays as it is. One
   * statement; the cases it moved.
   */
  async function catchUpInterviewed(): Promise<string[]> {
    const newer = alias(invitationRows, 'newer_invitation');
    const rows = await db
      .update(cases)
      .set({ status: 'interviewed', updatedAt: clock.now() })
      .where(
        and(
          inArray(cases.status, ['invited', 'interviewing']),
          exists(
            db
              .select({ one: sql`1` })
              .from(interviewSessions)
              .innerJoin(invitationRows, eq(invitationRows.id, interviewSessions.invitationId))
              .where(
                and(
                  eq(interviewSessions.caseId, cases.id),
                  eq(interviewSessions.status, 'completed'),
                  notExists(
                    db
                      .select({ one: sql`1` })
                      .from(newer)
                      .where(and(eq(newer.caseId, cases.id), gt(newer.createdAt, invitationRows.createdAt))),
                  ),
                ),
              ),
          ),
        ),
      )
      .returning({ id: cases.id });
    return rows.map((r) => r.id);
  }

  return {
    createCase,
    pushCase,
    listCases,
    markInterviewed,
    catchUpInterviewed,
    caseCards,
    getCase,
    createIntegrationKey,
    authenticateIntegration,
    ...survey,
    ...consents,
    ...invitations,
  };
}

export type CasesService = ReturnType<typeof createCasesService>;
