/**
 * The remote expert's desk: the queue of finished interviews in the expert's subtree with fair assignment (oldest
 * first, a cap on reviews held at once, claims that lapse), one view-model per interview, and the opinion — audited,
 * under optimistic concurrency, by the assigned expert only — which is also a training example for the expert model.
 * And the officer's view of the outcome on the officer's own cases.
 */
import { createHash } from 'node:crypto';
import { and, asc, eq, gt, inArray, isNotNull, lt, or, sql } from 'drizzle-orm';
import type { AuditService } from '../platform/audit/service.js';
import type { Db } from '../platform/db/index.js';
import type { Clock, Ids } from '../platform/deps.js';
import { AppError, isAppError, notFound } from '../platform/errors.js';
import { type Actor, assertInScope, authorize } from '../platform/identity/permissions.js';
import { chinaDate } from '../dialog/banks.js';
import type { SessionSnapshot } from '../dialog/session/types.js';
import { buildCaseContextWithTrace } from '../questions/case-context.js';
import { buildFeatureRow, checkFeatureRow } from '../scoring/features.js';
import { type CaseSources, analyseInterview } from './analysis.js';
import {
  alreadyDecided,
  claimLimit,
  claimTaken,
  notAssigned,
  opinionInvalid,
  queueEmpty,
  reviewNotFound,
  versionConflict,
} from './errors.js';
import type { PipelineResultPort, ReviewCasesPort, ReviewScreeningPort } from './ports.js';
import type { Recordings } from './recordings.js';
import { recordings, reviewItems, reviewOpinions } from './tables.js';
import { CHECKS, type CheckCode, type OpinionInput } from './types.js';

export interface DeskSettings {
  /** Minutes a claim lasts before the review returns to the queue (default 30). */
  claimMinutes: number;
  /** Reviews one expert may hold at once (default 2). */
  maxClaims: number;
}

export const DEFAULT_DESK_SETTINGS: DeskSettings = { claimMinutes: 30, maxClaims: 2 };

export interface DeskDeps {
  db: Db;
  clock: Clock;
  ids: Ids;
  audit: AuditService;
  cases: ReviewCasesPort;
  screening: ReviewScreeningPort;
  pipeline: PipelineResultPort;
  dialog: { loadSnapshot(sessionId: string): Promise<SessionSnapshot | null> };
  recordings: Recordings;
  settings: DeskSettings;
}

type ItemRow = typeof reviewItems.$inferSelect;
type OpinionRow = typeof reviewOpinions.$inferSelect;

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Runs a read for the view-model; a part the case does not have yet (no survey, no screening) is null with why. */
async function part<T>(fn: () => Promise<T>): Promise<{ value: T | null; missing: string | null }> {
  try {
    return { value: await fn(), missing: null };
  } catch (e) {
    if (isAppError(e) && e.status >= 400 && e.status < 500 && e.status !== 403)
      return { value: null, missing: e.code };
    throw e;
  }
}

function fenToYuanString(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export function opinionDto(o: OpinionRow, lang: 'zh-CN' | 'en-US' = 'zh-CN') {
  return {
    id: o.id,
    sessionId: o.sessionId,
    caseId: o.caseId,
    expertId: o.expertId,
    kind: o.kind,
    amountFen: o.amountFen,
    amountYuan: o.amountFen === null ? null : fenToYuanString(o.amountFen),
    termMonths: o.termMonths,
    rateBp: o.rateBp,
    check:
      o.checkCode === null
        ? null
        : {
            code: o.checkCode,
            what: CHECKS[o.checkCode as CheckCode]?.[lang] ?? o.checkCode,
            note: o.checkNote,
          },
    facts: o.facts,
    reasons: o.reasons,
    decision: o.decision,
    createdAt: o.createdAt.toISOString(),
  };
}

export function createDesk(deps: DeskDeps) {
  const { db, clock, audit } = deps;
  const claimMs = deps.settings.claimMinutes * 60_000;

  const lapsed = (i: ItemRow, now: Date) =>
    i.status === 'claimed' && i.claimExpiresAt !== null && i.claimExpiresAt <= now;

  const itemDto = (i: ItemRow, now: Date, flagCodes: string[] = []) => ({
    sessionId: i.sessionId,
    caseId: i.caseId,
    status: lapsed(i, now) ? ('queued' as const) : i.status,
    assigneeId: lapsed(i, now) ? null : i.assigneeId,
    claimExpiresAt: lapsed(i, now) ? null : iso(i.claimExpiresAt),
    endedAt: i.endedAt.toISOString(),
    version: i.version,
    flagCodes,
  });

  async function itemFor(actor: Actor, sessionId: string): Promise<ItemRow> {
    const [i] = await db.select().from(reviewItems).where(eq(reviewItems.sessionId, sessionId));
    if (!i) throw reviewNotFound(sessionId);
    assertInScope(actor, i.branchPath, 'review', sessionId);
    return i;
  }

  /** Open reviews in the caller's subtree, oldest first; lapsed claims show as queued. */
  async function queue(actor: Actor, q: { limit: number; mine?: boolean | undefined }) {
    authorize(actor, 'review:opinion');
    const now = clock.now();
    const where = [
      sql`${reviewItems.branchPath} like ${actor.branchPath + '%'}`,
      inArray(reviewItems.status, ['queued', 'claimed']),
    ];
    if (q.mine) where.push(eq(reviewItems.assigneeId, actor.userId), gt(reviewItems.claimExpiresAt, now));
    const rows = await db
      .select({ i: reviewItems, flags: recordings.flagCodes, endReason: recordings.endReason })
      .from(reviewItems)
      .innerJoin(recordings, eq(recordings.sessionId, reviewItems.sessionId))
      .where(and(...where))
      .orderBy(asc(reviewItems.endedAt), asc(reviewItems.sessionId))
      .limit(q.limit);
    // Each item's case card and the pipeline's outcome, in one read each (the page named them a request per row).
    const caseIds = [...new Set(rows.map((r) => r.i.caseId))];
    const [cards, outcomes] = await Promise.all([
      deps.cases.caseCards(actor, caseIds),
      deps.pipeline.latestOutcomes(actor, caseIds),
    ]);
    const cardOf = new Map(cards.map((c) => [c.id, c]));
    return rows.map(({ i, flags, endReason }) => ({
      ...itemDto(i, now, flags),
      endReason,
      case: cardOf.get(i.caseId) ?? null,
      pipelineOutcome: outcomes[i.caseId] ?? null,
    }));
  }

  /** Reviews the expert holds whose claim has not lapsed. */
  async function heldBy(actorId: string, now: Date) {
    const rows = await db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(reviewItems)
      .where(
        and(
          eq(reviewItems.status, 'claimed'),
          eq(reviewItems.assigneeId, actorId),
          gt(reviewItems.claimExpiresAt, now),
        ),
      );
    return rows[0]?.n ?? 0;
  }

  /**
   * Claims a review: the named one, or — fair assignment — the oldest open one in the subtree. A claim lasts
   * `claimMinutes`; claiming one's own claim again extends it. REVIEW_ALREADY_CLAIMED when another expert holds it,
   * REVIEW_CLAIM_LIMIT when the expert already holds `maxClaims`.
   */
  async function claim(actor: Actor, sessionId?: string) {
    authorize(actor, 'review:opinion');
    const now = clock.now();
    for (let attempt = 0; attempt < 5; attempt++) {
      let item: ItemRow;
      if (sessionId) {
        item = await itemFor(actor, sessionId);
        if (item.status === 'decided') throw alreadyDecided(sessionId);
        if (item.status === 'claimed' && item.assigneeId !== actor.userId && !lapsed(item, now))
          throw claimTaken(sessionId, item.claimExpiresAt);
      } else {
        const [next] = await db
          .select()
          .from(reviewItems)
          .where(
            and(
              sql`${reviewItems.branchPath} like ${actor.branchPath + '%'}`,
              or(
                eq(reviewItems.status, 'queued'),
                and(eq(reviewItems.status, 'claimed'), lt(reviewItems.claimExpiresAt, now)),
              ),
            ),
          )
          .orderBy(asc(reviewItems.endedAt), asc(reviewItems.sessionId))
          .limit(1);
        if (!next) throw queueEmpty();
        item = next;
      }
      const own = item.status === 'claimed' && item.assigneeId === actor.userId && !lapsed(item, now);
      if (!own && (await heldBy(actor.userId, now)) >= deps.settings.maxClaims)
        throw claimLimit(deps.settings.maxClaims);
      const expires = new Date(now.getTime() + claimMs);
      const done = await db.transaction(async (tx) => {
        const updated = await tx
          .update(reviewItems)
          .set({
            status: 'claimed',
            assigneeId: actor.userId,
            claimedAt: own ? item.claimedAt : now,
            claimExpiresAt: expires,
            version: item.version + 1,
          })
          .where(and(eq(reviewItems.sessionId, item.sessionId), eq(reviewItems.version, item.version)))
          .returning();
        if (updated.length === 0) return null;
        await audit.append(tx, {
          actor: actor.userId,
          action: own ? 'review.claim_extend' : 'review.claim',
          entity: 'review',
          entityId: item.sessionId,
          payload: { caseId: item.caseId, until: expires.toISOString(), version: item.version + 1 },
        });
        return updated[0]!;
      });
      if (done) return itemDto(done, now);
      // Someone changed the item between the read and the write: read again (a named one may now be taken).
    }
    throw new AppError('REVIEW_BUSY', 503, 'The queue is busy; try again');
  }

  /** Gives a claimed review back to the queue; only its assignee may. */
  async function release(actor: Actor, sessionId: string) {
    authorize(actor, 'review:opinion');
    const now = clock.now();
    const item = await itemFor(actor, sessionId);
    if (item.status !== 'claimed' || item.assigneeId !== actor.userId || lapsed(item, now))
      throw notAssigned(sessionId);
    const done = await db.transaction(async (tx) => {
      const updated = await tx
        .update(reviewItems)
        .set({
          status: 'queued',
          assigneeId: null,
          claimedAt: null,
          claimExpiresAt: null,
          version: item.version + 1,
        })
        .where(and(eq(reviewItems.sessionId, sessionId), eq(reviewItems.version, item.version)))
        .returning();
      if (updated.length === 0) return null;
      await audit.append(tx, {
        actor: actor.userId,
        action: 'review.release',
        entity: 'review',
        entityId: sessionId,
        payload: { caseId: item.caseId, version: item.version + 1 },
      });
      return updated[0]!;
    });
    if (!done) throw versionConflict(sessionId, item.version, item.version + 1);
    return itemDto(done, now);
  }

  /** The case values the bank's expectations came from, rebuilt now (null when the case has no analysis). */
  async function caseSources(actor: Actor, caseId: string, endedAt: Date) {
    const a = await deps.cases.analysisForInterview(caseId);
    const facts = await deps.screening.latestFacts(actor, caseId).catch(() => null);
    try {
      const { context, trace } = buildCaseContextWithTrace({
        caseId,
        sector: a.sector,
        asOf: chinaDate(endedAt),
        templateId: a.template.id,
        templateVersion: a.template.version,
        answers: a.answers,
        ...(a.financials ? { financials: a.financials } : {}),
        ...(a.checks ? { checks: a.checks } : {}),
        ...(facts ? { screening: facts.facts } : {}),
      });
      const sources: CaseSources = {
        survey: context.survey,
        financials: context.financials,
        screening: context.screening,
        surveyFrom: Object.fromEntries(trace.survey.map((s) => [s.field, s.from])),
      };
      return { sources, analysis: a, screeningFacts: facts };
    } catch (e) {
      if (isAppError(e) && e.status === 422) return { sources: null, analysis: a, screeningFacts: facts };
      throw e;
    }
  }

  /**
   * Everything the expert decides with, in one view-model: the item, the case (masked per role), survey, rebuilt
   * financials, cross-check table, screening, consents, the transcript with each answer's parse and verdicts,
   * every inconsistency flagged with links to both sides, control reliability, the pipeline result and any opinion.
   * Reading it is a viewing of the recording and is logged.
   */
  async function view(actor: Actor, sessionId: string) {
    authorize(actor, 'review:read');
    authorize(actor, 'recording:read');
    const item = await itemFor(actor, sessionId);
    const row = (await deps.recordings.internal.loadRow(sessionId))!;
    const now = clock.now();
    const kase = await deps.cases.getCase(actor, item.caseId);
    const lang = row.lang === 'en-US' ? 'en-US' : 'zh-CN';
    const [survey, financials, checks, screening, consents, pipeline] = await Promise.all([
      part(() => deps.cases.getSurvey(actor, item.caseId)),
      part(() => deps.cases.getFinancials(actor, item.caseId)),
      part(() => deps.cases.getCrossChecks(actor, item.caseId)),
      part(() => deps.screening.get(actor, item.caseId)),
      deps.cases.listConsents(actor, item.caseId),
      deps.pipeline.latest(actor, item.caseId),
    ]);
    const events = await deps.recordings.internal.allEvents(sessionId);
    const snap = row.purgedAt ? null : await deps.dialog.loadSnapshot(sessionId);
    const { sources } = await caseSources(actor, item.caseId, row.endedAt);
    const bank = snap?.state?.bank ?? null;
    const analysis = analyseInterview({
      events: events.map((e) => e.event),
      bank,
      lang,
      sources,
      checks: checks.value?.checks ?? null,
      reliability: snap?.state?.belief?.reliability ?? null,
    });
    const [opinion] = await db.select().from(reviewOpinions).where(eq(reviewOpinions.sessionId, sessionId));
    await deps.recordings.internal.logView(actor, row, 'desk');
    return {
      item: itemDto(item, now, row.flagCodes),
      case: kase,
      survey: survey.value
        ? { status: survey.value.status, answers: survey.value.answers, computed: survey.value.computed }
        : null,
      financials: financials.value?.financials ?? null,
      financialsMissing: financials.missing,
      crossChecks: checks.value ? { checks: checks.value.checks, doubts: checks.value.doubts } : null,
      screening: screening.value
        ? {
            asOf: screening.value.as_of,
            status: screening.value.status,
            findings: screening.value.findings,
            facts: screening.value.facts,
          }
        : null,
      screeningMissing: screening.missing,
      consents,
      interview: {
        sessionId,
        lang,
        status: row.status,
        endReason: row.endReason,
        startedAt: row.startedAt.toISOString(),
        endedAt: row.endedAt.toISOString(),
        catalogueVersion: row.catalogueVersion,
        purged: row.purgedAt !== null,
        facts: bank
          ? bank.facts.map((f) => {
              const b = snap?.state.belief.facts[f.id];
              return {
                id: f.id,
                label: f.label[lang],
                importance: f.importance,
                source: f.source,
                status: b?.status ?? 'unknown',
                confidence: b?.confidence ?? null,
                contradictionRecorded: b?.contradictionRecorded ?? false,
              };
            })
          : [],
      },
      transcript: analysis.transcript,
      flags: analysis.flags,
      reliability: analysis.reliability,
      pipeline,
      opinion: opinion ? opinionDto(opinion, lang) : null,
    };
  }

  /**
   * The feature row an opinion is recorded against: the pipeline's own row when it has one, else the row built
   * here from the same sources (scoring/features.ts `buildFeatureRow`); unknown inputs are null, never zero.
   */
  async function featuresFor(actor: Actor, caseId: string, sessionId: string, endedAt: Date) {
    const result = await deps.pipeline.latest(actor, caseId);
    if (result?.features) return { features: result.features, source: 'pipeline' };
    const kase = await deps.cases.getCase(actor, caseId);
    const { analysis: a, screeningFacts } = await caseSources(actor, caseId, endedAt);
    const snap = await deps.dialog.loadSnapshot(sessionId);
    const belief = snap?.state?.belief;
    const f = a.financials;
    const overdue = screeningFacts?.facts['credit.overdue_accounts'];
    const row = buildFeatureRow({
      survey: { sector: kase.applicant.sector, yearsInBusiness: null },
      financials: {
        disposableMonthlyFen: f ? f.household.disposableMonthly.amountFen : null,
        instalmentFen: null,
        totalLiabilitiesFen: f ? f.balanceSheet.totalLiabilities.amountFen : null,
        totalAssetsFen: f ? f.balanceSheet.totalAssets.amountFen : null,
        marginStability: null,
      },
      screening: {
        creditOverdueCount:
          overdue?.status === 'ok' && typeof overdue.value === 'number' ? overdue.value : null,
      },
      interview: belief
        ? {
            reliability: belief.reliability.alpha / (belief.reliability.alpha + belief.reliability.beta),
            contradictions: Object.values(belief.facts).filter((b) => b.contradictionRecorded).length,
            facts: Object.fromEntries(
              Object.values(belief.facts).map((b) => [
                b.factId,
                { status: b.status, observations: b.observations.length },
              ]),
            ),
          }
        : null,
    });
    checkFeatureRow(row);
    return { features: row as Record<string, unknown>, source: 'review' };
  }

  function checkOpinion(input: OpinionInput, bankFacts: ReadonlySet<string> | null) {
    switch (input.kind) {
      case 'adjust':
        if (input.amountYuan === undefined && input.termMonths === undefined && input.rateBp === undefined)
          throw opinionInvalid('An adjustment names a new amount, term or rate');
        break;
      case 'send_back':
        if (!input.check) throw opinionInvalid('Sending back names the check the officer is to make');
        break;
      case 'second_interview': {
        if (!input.facts || input.facts.length === 0)
          throw opinionInvalid('A second interview names the facts to ask about');
        const unknown = input.facts.filter((f) => bankFacts && !bankFacts.has(f));
        if (unknown.length > 0)
          throw opinionInvalid('A second interview may only name facts of the interview’s bank', { unknown });
        break;
      }
      case 'approve':
      case 'decline':
        break;
    }
  }

  const yuanToFen = (y: string) => {
    const [i, d = ''] = y.split('.');
    return Number(i) * 100 + Number((d + '00').slice(0, 2));
  };

  /**
   * The expert's opinion, by the expert holding the claim, at the version the expert read. Refused: outside the
   * subtree (REVIEW_NOT_FOUND), not the assignee or a lapsed claim (REVIEW_NOT_ASSIGNED), already decided
   * (OPINION_ALREADY_GIVEN), changed since read (REVIEW_VERSION_CONFLICT). The item, the opinion with its feature
   * row, the recording's outcome and the audit event commit together or not at all.
   */
  async function giveOpinion(actor: Actor, sessionId: string, input: OpinionInput) {
    authorize(actor, 'review:opinion');
    const now = clock.now();
    const item = await itemFor(actor, sessionId);
    if (item.status === 'decided') throw alreadyDecided(sessionId);
    if (item.status !== 'claimed' || item.assigneeId !== actor.userId || lapsed(item, now))
      throw notAssigned(sessionId);
    if (item.version !== input.version) throw versionConflict(sessionId, input.version, item.version);
    const snap = await deps.dialog.loadSnapshot(sessionId);
    const bank = snap?.state?.bank;
    checkOpinion(input, bank ? new Set(bank.facts.map((f) => f.id)) : null);
    const row = (await deps.recordings.internal.loadRow(sessionId))!;
    const decided = input.kind === 'approve' || input.kind === 'adjust' || input.kind === 'decline';
    const features = decided ? await featuresFor(actor, item.caseId, sessionId, row.endedAt) : null;
    const amountFen = input.amountYuan === undefined ? null : yuanToFen(input.amountYuan);
    const opinionId = deps.ids.uuid();
    const out = await db.transaction(async (tx) => {
      const updated = await tx
        .update(reviewItems)
        .set({ status: 'decided', decidedAt: now, version: item.version + 1 })
        .where(
          and(
            eq(reviewItems.sessionId, sessionId),
            eq(reviewItems.version, input.version),
            eq(reviewItems.status, 'claimed'),
            eq(reviewItems.assigneeId, actor.userId),
          ),
        )
        .returning({ version: reviewItems.version });
      if (updated.length === 0) return null;
      const rec = await audit.append(tx, {
        actor: actor.userId,
        action: 'review.opinion',
        entity: 'review',
        entityId: sessionId,
        payload: {
          opinionId,
          caseId: item.caseId,
          kind: input.kind,
          amountFen,
          termMonths: input.termMonths ?? null,
          rateBp: input.rateBp ?? null,
          check: input.check?.code ?? null,
          facts: input.facts ?? [],
          reasonsSha256: sha256(JSON.stringify(input.reasons)),
          featureSource: features?.source ?? null,
          version: item.version + 1,
        },
      });
      const o: OpinionRow = {
        id: opinionId,
        sessionId,
        caseId: item.caseId,
        branchPath: item.branchPath,
        expertId: actor.userId,
        kind: input.kind,
        amountFen,
        termMonths: input.termMonths ?? null,
        rateBp: input.rateBp ?? null,
        checkCode: input.check?.code ?? null,
        checkNote: input.check?.note ?? null,
        facts: input.facts ?? [],
        reasons: input.reasons,
        decision: decided ? (input.kind === 'decline' ? 'decline' : 'approve') : null,
        features: features?.features ?? null,
        featureSource: features?.source ?? null,
        auditSeq: rec.seq,
        createdAt: now,
      };
      await tx.insert(reviewOpinions).values(o);
      await tx
        .update(recordings)
        .set({
          outcome: input.kind,
          ...(input.termMonths !== undefined ? { loanTermMonths: input.termMonths } : {}),
        })
        .where(eq(recordings.sessionId, sessionId));
      return o;
    });
    if (!out) {
      // Lost a race: say what the winner did.
      const [again] = await db.select().from(reviewItems).where(eq(reviewItems.sessionId, sessionId));
      if (again?.status === 'decided') throw alreadyDecided(sessionId);
      throw versionConflict(sessionId, input.version, again?.version ?? input.version);
    }
    return opinionDto(out, row.lang === 'en-US' ? 'en-US' : 'zh-CN');
  }

  /**
   * The officer's view of a case: each interview, its review state, the expert's opinion and what to check when
   * sent back, and the pipeline's outcome. A loan officer sees only the cases registered to them (else CASE_NOT_FOUND).
   */
  async function officerView(actor: Actor, caseId: string, lang: 'zh-CN' | 'en-US' = 'zh-CN') {
    authorize(actor, 'review:read');
    const kase = await deps.cases.getCase(actor, caseId);
    if (actor.role === 'loan_officer' && kase.officer_id !== actor.userId) throw notFound('case', caseId);
    const rows = await db
      .select({ r: recordings, i: reviewItems })
      .from(recordings)
      .leftJoin(reviewItems, eq(reviewItems.sessionId, recordings.sessionId))
      .where(eq(recordings.caseId, caseId))
      .orderBy(asc(recordings.endedAt));
    const opinions = await db
      .select()
      .from(reviewOpinions)
      .where(eq(reviewOpinions.caseId, caseId))
      .orderBy(asc(reviewOpinions.createdAt));
    const pipeline = await deps.pipeline.latest(actor, caseId);
    const now = clock.now();
    const latest = opinions.at(-1);
    return {
      caseId,
      pipeline: pipeline
        ? { outcome: pipeline.outcome, reasons: pipeline.reasons ?? null, price: pipeline.price ?? null }
        : null,
      interviews: rows.map(({ r, i }) => {
        const o = opinions.find((x) => x.sessionId === r.sessionId);
        return {
          sessionId: r.sessionId,
          status: r.status,
          endReason: r.endReason,
          endedAt: r.endedAt.toISOString(),
          review: i ? itemDto(i, now).status : null,
          opinion: o ? opinionDto(o, lang) : null,
        };
      }),
      opinion: latest ? opinionDto(latest, lang) : null,
      todo:
        latest?.kind === 'send_back' && latest.checkCode
          ? {
              check: latest.checkCode,
              what: CHECKS[latest.checkCode as CheckCode]?.[lang] ?? latest.checkCode,
              note: latest.checkNote,
              reasons: latest.reasons,
            }
          : latest?.kind === 'second_interview'
            ? { secondInterviewFacts: latest.facts, reasons: latest.reasons }
            : null,
    };
  }

  /**
   * The expert opinions that are decisions, as training rows for the expert model (models/training reads
   * `{"features": {...}, "decision": "approve" | "decline"}` per line; train with `--positive decline`).
   */
  async function trainingExport(actor: Actor, q: { since?: Date | undefined } = {}): Promise<string> {
    authorize(actor, 'model:read');
    const where = [
      sql`${reviewOpinions.branchPath} like ${actor.branchPath + '%'}`,
      isNotNull(reviewOpinions.decision),
      isNotNull(reviewOpinions.features),
    ];
    if (q.since) where.push(gt(reviewOpinions.createdAt, q.since));
    const rows = await db
      .select({ features: reviewOpinions.features, decision: reviewOpinions.decision })
      .from(reviewOpinions)
      .where(and(...where))
      .orderBy(asc(reviewOpinions.createdAt), asc(reviewOpinions.id));
    return rows.map((r) => JSON.stringify({ features: r.features, decision: r.decision }) + '\n').join('');
  }

  return { queue, claim, release, view, giveOpinion, officerView, trainingExport };
}

export type Desk = ReturnType<typeof createDesk>;
