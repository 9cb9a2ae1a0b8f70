/**
 * Interview invitations. The officer (or the loan system) issues one per case — a single-use, expiring,
 * unguessable token delivered as a link, QR codes and deep links; issuing again revokes the previous one. The
 * applicant opens it, proves who they are with the last four characters of the resident ID and a one-time code
 * sent to the mobile on file, and receives an interview session token; consents are recorded with that token.
 * Only hashes of the tokens and of the code are stored.
 */
import { randomInt, timingSafeEqual } from 'node:crypto';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import QRCode from 'qrcode';
import type { Config } from '../platform/config.js';
import { type Param, prepared } from '../platform/db/index.js';
import { AppError, notFound, tooMany, unauthorized } from '../platform/errors.js';
import { branches } from '../platform/identity/tables.js';
import { maskMobile, maskName } from '../platform/mask.js';
import type { Lang } from '../questions/types.js';
import {
  type CaseActor,
  type CasesCore,
  auditActor,
  authorizeCase,
  loadCaseInScope,
  sha256Hex,
} from './access.js';
import { type ConsentDecision, type Consents } from './consents.js';
import { PII_CONTEXT } from './presenter.js';
import type { SmsSender } from './sms.js';
import { cases, invitations } from './tables.js';

export interface InvitationDeps extends CasesCore {
  config: Pick<Config, 'publicUrl'>;
  sms: SmsSender;
  invitationTtlHours: number;
  consents: Consents;
  /** Wrong last-4 or code answers before the invitation is locked (5). */
  maxFailedChecks?: number;
  /** One-time codes per mobile per hour (5). */
  otpPerHour?: number;
  otpTtlSeconds?: number;
  sessionTtlHours?: number;
}

type InvitationRow = typeof invitations.$inferSelect;

const gone = (code: string, message: string) => new AppError(code, 410, message);

const sameText = (a: string, b: string) => {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return ba.length === bb.length && timingSafeEqual(ba, bb);
};

// Read on every interview connection (src/platform/db `prepared`).
const invitationOfSession = prepared('invitation_of_session', (db, p: Param<{ hash: string }>) =>
  db
    .select()
    .from(invitations)
    .where(eq(invitations.sessionTokenHash, p('hash'))),
);
const caseWithBank = prepared('case_with_bank', (db, p: Param<{ caseId: string }>) =>
  db
    .select({ c: cases, bankName: branches.name, bankNameEn: branches.nameEn })
    .from(cases)
    .innerJoin(branches, eq(branches.id, cases.branchId))
    .where(eq(cases.id, p('caseId'))),
);

export function createInvitations(deps: InvitationDeps) {
  const { db, clock, ids, audit, cipher, kv, sms, consents } = deps;
  const maxFailed = deps.maxFailedChecks ?? 5;
  const otpPerHour = deps.otpPerHour ?? 5;
  const otpTtlMs = (deps.otpTtlSeconds ?? 300) * 1000;
  const sessionTtlMs = (deps.sessionTtlHours ?? 24) * 3600_000;

  /**
   * Creates an invitation and revokes the earlier ones of the case, used ones included (their links stop reopening
   * the interview). The token is in the answer only.
   */
  async function createInvitation(
    actor: CaseActor,
    caseId: string,
    input: { expires_in_hours?: number | undefined } = {},
  ) {
    authorizeCase(actor, 'interview:trigger');
    const now = clock.now();
    const token = ids.token(32);
    const row: InvitationRow = {
      id: ids.uuid(),
      caseId,
      tokenHash: sha256Hex(token),
      status: 'active',
      expiresAt: new Date(now.getTime() + (input.expires_in_hours ?? deps.invitationTtlHours) * 3600_000),
      createdBy: auditActor(actor),
      createdAt: now,
      openedAt: null,
      revokedAt: null,
      usedAt: null,
      otpHash: null,
      otpExpiresAt: null,
      failedChecks: 0,
      sessionTokenHash: null,
      sessionExpiresAt: null,
    };
    await db.transaction(async (tx) => {
      const c = await loadCaseInScope(tx, actor, caseId);
      const revoked = await tx
        .update(invitations)
        .set({ status: 'revoked', revokedAt: now })
        // A used one too: its link no longer reopens the interview it began (its session token runs out as before).
        .where(and(eq(invitations.caseId, caseId), inArray(invitations.status, ['active', 'used'])))
        .returning({ id: invitations.id });
      await tx.insert(invitations).values(row);
      if (c.status !== 'interviewing')
        await tx.update(cases).set({ status: 'invited', updatedAt: now }).where(eq(cases.id, caseId));
      await audit.append(tx, {
        actor: auditActor(actor),
        action: 'invitation.create',
        entity: 'case',
        entityId: caseId,
        payload: {
          invitationId: row.id,
          expiresAt: row.expiresAt.toISOString(),
          revoked: revoked.map((r) => r.id),
        },
      });
    });
    const link = `${deps.config.publicUrl.replace(/\/$/, '')}/i/${token}`;
    const [qrPng, qrSvg] = await Promise.all([
      QRCode.toDataURL(link, { errorCorrectionLevel: 'M', margin: 2, width: 300 }),
      QRCode.toString(link, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }),
    ]);
    return {
      id: row.id,
      case_id: caseId,
      expires_at: row.expiresAt.toISOString(),
      token,
      link,
      qr_png_data_url: qrPng,
      qr_svg: qrSvg,
      app_link: `weidai://interview?t=${token}`,
      wechat_link: `${link}?channel=wechat`,
    };
  }

  /**
   * The invitation of a token if it can still be used: 404, or 410 REVOKED / LOCKED / EXPIRED. A used one (its
   * applicant verified) still opens until it expires, for the same identity check again: the interview it started
   * continues on the device that passed the check last (resume on another device). It never starts a second one.
   */
  async function activeInvitation(token: string): Promise<InvitationRow> {
    const [inv] = await db
      .select()
      .from(invitations)
      .where(eq(invitations.tokenHash, sha256Hex(token)));
    if (!inv) throw notFound('invitation');
    if (inv.status === 'revoked')
      throw gone('INVITATION_REVOKED', 'This invitation was replaced by a newer one');
    if (inv.status === 'locked')
      throw gone('INVITATION_LOCKED', 'Too many wrong answers; ask for a new invitation');
    if (inv.expiresAt <= clock.now()) throw gone('INVITATION_EXPIRED', 'This invitation has expired');
    return inv;
  }

  async function caseOf(inv: InvitationRow) {
    const [row] = await caseWithBank(db, { caseId: inv.caseId });
    if (!row) throw notFound('case', inv.caseId);
    return row;
  }

  /** What the applicant's page shows on opening the link. */
  async function openInvitation(token: string) {
    const inv = await activeInvitation(token);
    const { c, bankName, bankNameEn } = await caseOf(inv);
    if (!inv.openedAt) {
      await db.transaction(async (tx) => {
        await tx.update(invitations).set({ openedAt: clock.now() }).where(eq(invitations.id, inv.id));
        await audit.append(tx, {
          actor: `applicant:${inv.id}`,
          action: 'invitation.open',
          entity: 'case',
          entityId: c.id,
          payload: { invitationId: inv.id },
        });
      });
    }
    return {
      invitation_id: inv.id,
      /** True when the applicant has verified before: the identity check continues the interview begun then. */
      resume: inv.status === 'used',
      bank: { name: bankName, name_en: bankNameEn },
      applicant_name: maskName(cipher.decrypt(c.nameEnc, PII_CONTEXT.name)),
      expires_at: inv.expiresAt.toISOString(),
      consent_texts: consents.consentTexts(),
    };
  }

  /**
   * Counts a wrong answer in its own transaction (so it sticks although the call fails), locks the invitation at
   * the limit, and returns the error to throw.
   */
  async function wrongAnswer(inv: InvitationRow, code: 'ID_MISMATCH' | 'OTP_INVALID' | 'OTP_EXPIRED') {
    const failures = await db.transaction(async (tx) => {
      const [u] = await tx
        .update(invitations)
        .set({ failedChecks: sql`${invitations.failedChecks} + 1` })
        .where(eq(invitations.id, inv.id))
        .returning({ failedChecks: invitations.failedChecks });
      const n = u?.failedChecks ?? maxFailed;
      if (n >= maxFailed)
        await tx.update(invitations).set({ status: 'locked' }).where(eq(invitations.id, inv.id));
      await audit.append(tx, {
        actor: `applicant:${inv.id}`,
        action: n >= maxFailed ? 'invitation.locked' : 'invitation.check_failed',
        entity: 'case',
        entityId: inv.caseId,
        payload: { invitationId: inv.id, reason: code, failures: n },
      });
      return n;
    });
    if (failures >= maxFailed)
      return tooMany('TOO_MANY_ATTEMPTS', 'Too many wrong answers; the invitation is locked', {
        attempts_left: 0,
      });
    const message =
      code === 'ID_MISMATCH'
        ? 'The last four characters of the ID do not match'
        : code === 'OTP_EXPIRED'
          ? 'The code has expired; ask for a new one'
          : 'The code is wrong';
    return new AppError(code, 401, message, { attempts_left: maxFailed - failures });
  }

  async function checkIdLast4(inv: InvitationRow, idLast4: string) {
    const { c } = await caseOf(inv);
    const residentId = cipher.decrypt(c.residentIdEnc, PII_CONTEXT.residentId);
    if (!sameText(residentId.slice(-4), idLast4.toUpperCase())) throw await wrongAnswer(inv, 'ID_MISMATCH');
    return c;
  }

  /** Sends a 6-digit code to the mobile on file after the ID's last four check; at most 5 per number per hour. */
  async function sendOtp(token: string, idLast4: string) {
    const inv = await activeInvitation(token);
    const c = await checkIdLast4(inv, idLast4);
    const sent = await kv.incr(`cases:otp-rate:${c.mobileHash}`, { ttlMs: 3600_000 });
    if (sent > otpPerHour)
      throw tooMany('OTP_RATE_LIMITED', `At most ${otpPerHour} codes per hour are sent to one number`);
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const now = clock.now();
    await db.transaction(async (tx) => {
      await tx
        .update(invitations)
        .set({ otpHash: sha256Hex(`${inv.id}:${code}`), otpExpiresAt: new Date(now.getTime() + otpTtlMs) })
        .where(eq(invitations.id, inv.id));
      await audit.append(tx, {
        actor: `applicant:${inv.id}`,
        action: 'invitation.otp_sent',
        entity: 'case',
        entityId: c.id,
        payload: { invitationId: inv.id },
      });
    });
    const mobile = cipher.decrypt(c.mobileEnc, PII_CONTEXT.mobile);
    await sms.send({
      to: mobile,
      code,
      text: `【微贷】您的远程面谈验证码为 ${code}，${Math.round(otpTtlMs / 60_000)} 分钟内有效。请勿告知他人。`,
    });
    return { sent_to: maskMobile(mobile), expires_in: Math.round(otpTtlMs / 1000) };
  }

  /**
   * Checks the ID's last four and the code and returns an interview session token. The first time it marks the
   * invitation used (exactly once, even under a race). Again later (another device, a lost page) it replaces the
   * session token: the earlier device's token stops working, and the interview continues where it was. The code
   * is single-use either way.
   */
  async function verifyInvitation(token: string, idLast4: string, code: string) {
    const inv = await activeInvitation(token);
    await checkIdLast4(inv, idLast4);
    const now = clock.now();
    if (!inv.otpHash || !inv.otpExpiresAt) throw await wrongAnswer(inv, 'OTP_INVALID');
    if (!sameText(inv.otpHash, sha256Hex(`${inv.id}:${code}`))) throw await wrongAnswer(inv, 'OTP_INVALID');
    if (inv.otpExpiresAt <= now) throw await wrongAnswer(inv, 'OTP_EXPIRED');
    const again = inv.status === 'used';
    const sessionToken = ids.token(32);
    const sessionExpiresAt = new Date(now.getTime() + sessionTtlMs);
    await db.transaction(async (tx) => {
      const done = await tx
        .update(invitations)
        .set({
          ...(again ? {} : { status: 'used' as const, usedAt: now }),
          otpHash: null,
          sessionTokenHash: sha256Hex(sessionToken),
          sessionExpiresAt,
        })
        .where(
          and(
            eq(invitations.id, inv.id),
            eq(invitations.status, inv.status),
            eq(invitations.otpHash, inv.otpHash!),
          ),
        )
        .returning({ id: invitations.id });
      if (done.length === 0) {
        // The same code verified twice at once: the other request took it.
        if (!again) throw gone('INVITATION_USED', 'This invitation has been used');
        throw new AppError('OTP_INVALID', 401, 'The code has been used; ask for a new one', {});
      }
      if (!again)
        await tx
          .update(cases)
          .set({ status: 'interviewing', updatedAt: now })
          .where(eq(cases.id, inv.caseId));
      await audit.append(tx, {
        actor: `applicant:${inv.id}`,
        action: again ? 'invitation.reverified' : 'invitation.verified',
        entity: 'case',
        entityId: inv.caseId,
        payload: { invitationId: inv.id },
      });
    });
    return {
      session_token: sessionToken,
      expires_at: sessionExpiresAt.toISOString(),
      /** True when the interview began before (the page goes back to it). */
      resume: again,
      /** The recording consent is in force: the page need not ask for the consents again. */
      recording_consented: await consents.hasValidConsent(inv.caseId, 'recording'),
      consent_texts: consents.consentTexts(),
    };
  }

  /**
   * The interview session an opaque session token stands for (for the dialog engine), or 401 SESSION_INVALID /
   * SESSION_EXPIRED.
   */
  async function resolveInterviewSession(sessionToken: string) {
    const [inv] = await invitationOfSession(db, { hash: sha256Hex(sessionToken) });
    if (!inv || !inv.sessionExpiresAt)
      throw unauthorized('SESSION_INVALID', 'The interview session is not valid');
    if (inv.sessionExpiresAt <= clock.now())
      throw unauthorized('SESSION_EXPIRED', 'The interview session has expired');
    const { c } = await caseOf(inv);
    return {
      invitationId: inv.id,
      caseId: inv.caseId,
      branchPath: c.branchPath,
      expiresAt: inv.sessionExpiresAt,
      // The interview may not start without it; the applicant gives it after verifying.
      recordingConsented: await consents.hasValidConsent(inv.caseId, 'recording'),
    };
  }

  /** The applicant's consent decisions, given in the interview session. */
  async function recordApplicantConsents(input: {
    session_token: string;
    channel: 'web' | 'app' | 'wechat';
    lang: Lang;
    consents: ConsentDecision[];
  }) {
    const session = await resolveInterviewSession(input.session_token);
    return db.transaction((tx) =>
      consents.recordDecisions(
        tx,
        {
          caseId: session.caseId,
          lang: input.lang,
          channel: input.channel,
          invitationId: session.invitationId,
          recordedBy: `applicant:${session.invitationId}`,
        },
        input.consents,
      ),
    );
  }

  /**
   * A case's invitations for its staff (case:read, the case in scope), newest first, without any token: when each
   * was made and by whom, until when it runs, whether it was opened, used (the interview began) or revoked, and the
   * failed identity checks. An active one past its expiry reads `expired`.
   */
  async function listInvitations(actor: CaseActor, caseId: string) {
    authorizeCase(actor, 'case:read');
    await loadCaseInScope(db, actor, caseId);
    const rows = await db
      .select()
      .from(invitations)
      .where(eq(invitations.caseId, caseId))
      // Made in the same instant, the live one first (ids are random, so they order nothing).
      .orderBy(desc(invitations.createdAt), sql`${invitations.status} = 'active' desc`, invitations.id);
    const now = clock.now();
    const iso = (d: Date | null) => (d ? d.toISOString() : null);
    return rows.map((r) => ({
      id: r.id,
      status: r.status === 'active' && r.expiresAt <= now ? ('expired' as const) : r.status,
      created_at: r.createdAt.toISOString(),
      created_by: r.createdBy,
      expires_at: r.expiresAt.toISOString(),
      opened_at: iso(r.openedAt),
      used_at: iso(r.usedAt),
      revoked_at: iso(r.revokedAt),
      failed_checks: r.failedChecks,
    }));
  }

  return {
    createInvitation,
    listInvitations,
    openInvitation,
    sendOtp,
    verifyInvitation,
    resolveInterviewSession,
    recordApplicantConsents,
  };
}
