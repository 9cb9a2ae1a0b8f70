/**
 * `weidai demo`: the demo bank with one user per role, the demo models, and one demo case ready for its interview —
 * the officer's survey saved, the screening consents recorded and screened, and a fresh invitation link. Idempotent:
 * a second run keeps what exists and issues a new link (which revokes the previous one).
 */
import { eq } from 'drizzle-orm';
import type { AppContext } from '../platform/context.js';
import type { Actor } from '../platform/identity/permissions.js';
import { type DemoBank, seedDemoBank } from '../platform/identity/seed.js';
import { branches, users } from '../platform/identity/tables.js';
import { currentConsentTexts } from '../cases/consent-texts.js';
import type { SmsSender } from '../cases/sms.js';
import { DEMO_CASE, DEMO_SURVEY } from './grocery.js';

/** The demo has no SMS gateway: one-time codes are printed on the console, marked as such. */
export function createConsoleSmsSender(print: (line: string) => void = console.log): SmsSender {
  return {
    async send(m) {
      print(
        `  【演示短信 demo SMS】发给 ${m.to.slice(0, 3)}****${m.to.slice(-4)} 的验证码 one-time code: ${m.code}`,
      );
    },
  };
}

async function staffActor(ctx: AppContext, username: string): Promise<Actor> {
  const [row] = await ctx.db
    .select({ u: users, b: branches })
    .from(users)
    .innerJoin(branches, eq(branches.id, users.branchId))
    .where(eq(users.username, username));
  if (!row) throw new Error(`demo user ${username} missing`);
  return {
    kind: 'staff',
    userId: row.u.id,
    username: row.u.username,
    role: row.u.role,
    branchId: row.b.id,
    branchPath: row.b.path,
    sessionId: 'demo-seed',
  };
}

export interface DemoSeed {
  bank: DemoBank;
  caseId: string;
  invitationLink: string;
  applicant: { name: string; idLast4: string; mobileMasked: string };
  notes: string[];
}

export async function seedDemo(ctx: AppContext): Promise<DemoSeed> {
  const bank = await seedDemoBank(ctx);
  const notes: string[] = [];
  await ctx.models.seedDemo().catch((e: unknown) => notes.push(`demo model not registered: ${String(e)}`));

  const officer = await staffActor(ctx, 'loan_officer');
  const existing = await ctx.cases.listCases(officer, { limit: 1, offset: 0, status: undefined });
  let caseId = existing[0]?.id;
  if (!caseId) {
    const created = await ctx.cases.createCase(officer, DEMO_CASE);
    caseId = created.id;
    const answers = Object.fromEntries(Object.entries(DEMO_SURVEY).map(([k, v]) => [k, { value: v }]));
    try {
      await ctx.cases.saveAnswers(officer, caseId, { answers } as never);
    } catch (e) {
      notes.push(`some survey answers were refused: ${e instanceof Error ? e.message : String(e)}`);
    }
    await ctx.cases
      .submitSurvey(officer, caseId)
      .catch((e: unknown) => notes.push(`survey not submitted: ${String(e)}`));
    // The applicant signed the screening consents on paper at the officer's visit.
    const screeningTexts = currentConsentTexts().filter((t) => t.kind === 'screening');
    await ctx.cases.recordOfficerConsents(officer, caseId, {
      consents: screeningTexts.map((t) => ({
        kind: t.kind,
        source: t.source,
        text_id: t.id,
        text_version: t.version,
        granted: true,
      })),
      lang: 'zh-CN',
      channel: 'paper',
      evidence_sha256: 'd'.repeat(64),
    });
    await ctx.screening.run(officer, caseId).catch((e: unknown) => notes.push(`screening: ${String(e)}`));
  }
  const invitation = await ctx.cases.createInvitation(officer, caseId, {});
  return {
    bank,
    caseId,
    invitationLink: invitation.link,
    applicant: {
      name: DEMO_CASE.applicant.name,
      idLast4: DEMO_CASE.applicant.resident_id.slice(-4),
      mobileMasked: `${DEMO_CASE.applicant.mobile.slice(0, 3)}****${DEMO_CASE.applicant.mobile.slice(-4)}`,
    },
    notes,
  };
}
