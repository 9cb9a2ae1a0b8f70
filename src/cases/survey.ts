/**
 * The officer's IPC survey of a case: answers saved as they come (each with its time and GPS position), checked
 * by the sector template; photos with their hashes; and, from the answers, the rebuilt financials, the
 * cross-checks and the case's doubts (src/scoring/ipc, pure).
 */
import { and, eq, getTableColumns, isNotNull, like, ne } from 'drizzle-orm';
import {
  type AnswerIssue,
  type AnswerValue,
  type Answers,
  type SurveyTemplate,
  allQuestions,
  computeFields,
  getTemplate,
  listTemplates,
  validateAnswers,
  visibleQuestions,
} from './templates/index.js';
import { type Param, prepared } from '../platform/db/index.js';
import { AppError, conflict, notFound, unprocessable } from '../platform/errors.js';
import { caseDoubts, reconstructFinancials, runCrossChecks } from '../scoring/ipc/index.js';
import { type Actor, authorize } from '../platform/identity/permissions.js';
import {
  type CaseRow,
  type CasesCore,
  auditActor,
  caseRowById,
  loadCaseInScope,
  sha256Hex,
} from './access.js';
import { type ImageMime, describeImage, hammingDistance, sniffImage } from './image.js';
import { toPhotoDto } from './presenter.js';
import type { SurveyAnswersInput } from './schemas.js';
import { casePhotos, caseSurveys, cases } from './tables.js';

export interface StoredAnswer {
  value: Exclude<AnswerValue, null>;
  answeredAt: string;
  savedAt: string;
  gps: { lat: number; lng: number; accuracy: number } | null;
  by: string;
}

export interface RejectedAnswer extends Omit<StoredAnswer, 'value'> {
  value: AnswerValue;
  issues: { code: string; message: AnswerIssue['message'] }[];
}

type SurveyRow = typeof caseSurveys.$inferSelect;

/** Photos closer than this (Hamming distance of the 64-bit dHash) count as the same picture (DOMAIN.md). */
export const SIMILAR_PHOTO_DISTANCE = 5;

export interface SurveyDeps extends CasesCore {
  maxPhotoBytes?: number;
}

const surveyOfCase = prepared('survey_of_case', (db, p: Param<{ caseId: string }>) =>
  db
    .select()
    .from(caseSurveys)
    .where(eq(caseSurveys.caseId, p('caseId'))),
);

const values = (answers: Record<string, StoredAnswer>): Answers =>
  Object.fromEntries(Object.entries(answers).map(([k, a]) => [k, a.value]));

export function createSurvey(deps: SurveyDeps) {
  const { db, clock, ids, audit } = deps;
  const maxPhotoBytes = deps.maxPhotoBytes ?? 5 * 1024 * 1024;

  /** The template a case's survey uses: the version it was started on, or the newest for its sector. */
  function templateFor(c: CaseRow, s: SurveyRow | undefined): SurveyTemplate {
    if (s) return getTemplate(s.templateId, s.templateVersion);
    const [summary] = listTemplates({ sector: c.sector });
    if (!summary) throw notFound('template', c.sector);
    return getTemplate(summary.id, summary.version);
  }

  async function loadSurvey(caseId: string) {
    const [s] = await surveyOfCase(db, { caseId });
    return s;
  }

  function surveyDto(c: CaseRow, t: SurveyTemplate, s: SurveyRow | undefined) {
    const answers = (s?.answers ?? {}) as Record<string, StoredAnswer>;
    const plain = values(answers);
    return {
      case_id: c.id,
      status: s?.status ?? ('draft' as const),
      template: t,
      answers: Object.fromEntries(
        Object.entries(answers).map(([k, a]) => [
          k,
          { value: a.value, answered_at: a.answeredAt, saved_at: a.savedAt, gps: a.gps },
        ]),
      ),
      rejected: Object.fromEntries(
        Object.entries((s?.rejected ?? {}) as Record<string, RejectedAnswer>).map(([k, r]) => [
          k,
          { value: r.value, answered_at: r.answeredAt, saved_at: r.savedAt, gps: r.gps, issues: r.issues },
        ]),
      ),
      visible_questions: visibleQuestions(t, plain).map((q) => q.id),
      computed: computeFields(t, plain),
      issues: validateAnswers(t, plain),
      submitted_at: s?.submittedAt ? s.submittedAt.toISOString() : null,
      updated_at: s?.updatedAt ? s.updatedAt.toISOString() : null,
    };
  }

  async function getSurvey(actor: Actor, caseId: string) {
    authorize(actor, 'case:read');
    const c = await loadCaseInScope(db, actor, caseId);
    const s = await loadSurvey(caseId);
    return surveyDto(c, templateFor(c, s), s);
  }

  /**
   * Saves answers as the officer goes. An answer the template refuses on its own (wrong type, unit, impossible
   * quantity, margin over 100 %, out of range, unknown question) is kept aside in `rejected`, not lost, and the
   * call ends in 422 with the template's codes after the good answers are committed. Cross-field issues (e.g.
   * shares not adding to 100 %) are reported but do not refuse an answer: the fix is often in another one.
   */
  async function saveAnswers(actor: Actor, caseId: string, input: SurveyAnswersInput) {
    authorize(actor, 'case:write');
    const now = clock.now();
    const result = await db.transaction(async (tx) => {
      const c = await loadCaseInScope(tx, actor, caseId);
      const [s] = await tx.select().from(caseSurveys).where(eq(caseSurveys.caseId, caseId)).for('update');
      if (s?.status === 'submitted')
        throw conflict('SURVEY_SUBMITTED', 'The survey was submitted; it cannot be changed');
      const t = templateFor(c, s);
      const known = new Set(allQuestions(t).map((q) => q.id));
      const answers = { ...((s?.answers ?? {}) as Record<string, StoredAnswer>) };
      const rejected = { ...((s?.rejected ?? {}) as Record<string, RejectedAnswer>) };
      const incoming = Object.entries(input.answers);
      const refused: Record<string, { code: string; message: AnswerIssue['message'] }[]> = {};
      for (const [qid, a] of incoming) {
        if (!known.has(qid))
          refused[qid] = [
            {
              code: 'UNKNOWN_QUESTION',
              message: { 'zh-CN': '模板中没有这个问题', 'en-US': 'the template has no such question' },
            },
          ];
        delete rejected[qid];
        if (a.value === null) delete answers[qid];
        else
          answers[qid] = {
            value: a.value,
            answeredAt: a.answered_at ?? now.toISOString(),
            savedAt: now.toISOString(),
            gps: a.gps ?? null,
            by: auditActor(actor),
          };
      }
      const incomingIds = new Set(incoming.map(([qid]) => qid));
      // Per-answer checks only: the template without its cross-field constraints.
      for (const issue of validateAnswers({ ...t, constraints: [] }, values(answers))) {
        if (!incomingIds.has(issue.questionId) || issue.code === 'REQUIRED') continue;
        (refused[issue.questionId] ??= []).push({ code: issue.code, message: issue.message });
      }
      for (const [qid, issues] of Object.entries(refused)) {
        const a = input.answers[qid]!;
        rejected[qid] = {
          value: a.value,
          answeredAt: a.answered_at ?? now.toISOString(),
          savedAt: now.toISOString(),
          gps: a.gps ?? null,
          by: auditActor(actor),
          issues,
        };
        // The answer given before, if any, stays in force.
        const previous = (s?.answers as Record<string, StoredAnswer> | undefined)?.[qid];
        if (previous) answers[qid] = previous;
        else delete answers[qid];
      }
      const row: SurveyRow = {
        caseId,
        templateId: t.id,
        templateVersion: t.version,
        answers,
        rejected,
        status: 'draft',
        submittedAt: null,
        submittedBy: null,
        updatedAt: now,
      };
      if (s) await tx.update(caseSurveys).set(row).where(eq(caseSurveys.caseId, caseId));
      else await tx.insert(caseSurveys).values(row);
      if (c.status === 'registered')
        await tx.update(cases).set({ status: 'surveying', updatedAt: now }).where(eq(cases.id, caseId));
      await audit.append(tx, {
        actor: auditActor(actor),
        action: 'case.survey.save',
        entity: 'case',
        entityId: caseId,
        payload: {
          template: `${t.id}@${t.version}`,
          saved: incoming.map(([q]) => q).filter((q) => !refused[q]),
          rejected: Object.keys(refused),
        },
      });
      return { dto: surveyDto(c, t, row), refused };
    });
    const refusedIds = Object.keys(result.refused);
    if (refusedIds.length > 0) {
      const issues = refusedIds.flatMap((q) => result.refused[q]!.map((i) => ({ question_id: q, ...i })));
      throw unprocessable(issues[0]!.code, 'Some answers were refused; the others were saved', {
        issues,
        saved: Object.keys(input.answers).filter((q) => !result.refused[q]),
      });
    }
    return result.dto;
  }

  /** Closes the survey: every shown required question answered and no issue left. SURVEY_INCOMPLETE otherwise. */
  async function submitSurvey(actor: Actor, caseId: string) {
    authorize(actor, 'case:write');
    const now = clock.now();
    return db.transaction(async (tx) => {
      const c = await loadCaseInScope(tx, actor, caseId);
      const [s] = await tx.select().from(caseSurveys).where(eq(caseSurveys.caseId, caseId)).for('update');
      if (s?.status === 'submitted') throw conflict('SURVEY_SUBMITTED', 'The survey was already submitted');
      const t = templateFor(c, s);
      const issues = validateAnswers(t, values((s?.answers ?? {}) as Record<string, StoredAnswer>));
      if (!s || issues.length > 0)
        throw unprocessable('SURVEY_INCOMPLETE', 'The survey has unanswered or invalid questions', {
          issues: issues.map((i) => ({ question_id: i.questionId, code: i.code, message: i.message })),
        });
      const row = { ...s, status: 'submitted' as const, submittedAt: now, submittedBy: auditActor(actor) };
      await tx.update(caseSurveys).set(row).where(eq(caseSurveys.caseId, caseId));
      if (c.status === 'registered' || c.status === 'surveying')
        await tx.update(cases).set({ status: 'surveyed', updatedAt: now }).where(eq(cases.id, caseId));
      await audit.append(tx, {
        actor: auditActor(actor),
        action: 'case.survey.submit',
        entity: 'case',
        entityId: caseId,
        payload: { template: `${t.id}@${t.version}`, answers: Object.keys(s.answers as object).length },
      });
      return surveyDto(c, t, row);
    });
  }

  // -------------------------------------------------------------------------------------------------------------
  // Photos

  /**
   * Stores one survey photo. Over the size limit → 413 PHOTO_TOO_LARGE; not JPEG/PNG/WebP by its magic bytes →
   * 415 NOT_AN_IMAGE. Answers photos in scope that look the same (dHash distance < 5, or the same SHA-256).
   */
  async function addPhoto(
    actor: Actor,
    caseId: string,
    bytes: Buffer,
    meta: {
      question_id?: string | undefined;
      taken_at?: string | undefined;
      lat?: number | undefined;
      lng?: number | undefined;
      accuracy?: number | undefined;
    },
  ) {
    authorize(actor, 'case:write');
    const c = await loadCaseInScope(db, actor, caseId);
    if (bytes.length > maxPhotoBytes)
      throw new AppError('PHOTO_TOO_LARGE', 413, `A photo may have at most ${maxPhotoBytes} bytes`, {
        maxBytes: maxPhotoBytes,
        size: bytes.length,
      });
    const mime: ImageMime | null = sniffImage(bytes);
    if (!mime) throw new AppError('NOT_AN_IMAGE', 415, 'The body is not a JPEG, PNG or WebP image');
    const hasGps = meta.lat !== undefined && meta.lng !== undefined;
    const described = describeImage(bytes, mime);
    const row = {
      id: ids.uuid(),
      caseId: c.id,
      questionId: meta.question_id ?? null,
      mime,
      sizeBytes: bytes.length,
      sha256: sha256Hex(bytes),
      phash: described.phash,
      width: described.width,
      height: described.height,
      takenAt: meta.taken_at ? new Date(meta.taken_at) : null,
      gps: hasGps ? { lat: meta.lat!, lng: meta.lng!, accuracy: meta.accuracy ?? null } : null,
      content: bytes,
      uploadedBy: auditActor(actor),
      createdAt: clock.now(),
    };
    const others = await db
      .select({
        id: casePhotos.id,
        caseId: casePhotos.caseId,
        phash: casePhotos.phash,
        sha256: casePhotos.sha256,
      })
      .from(casePhotos)
      .innerJoin(cases, eq(cases.id, casePhotos.caseId))
      .where(
        and(
          like(cases.branchPath, `${actor.branchPath}%`),
          ne(casePhotos.id, row.id),
          row.phash ? isNotNull(casePhotos.phash) : eq(casePhotos.sha256, row.sha256),
        ),
      );
    const similar = others
      .map((o) => ({
        photo_id: o.id,
        case_id: o.caseId,
        distance:
          o.sha256 === row.sha256 ? 0 : row.phash && o.phash ? hammingDistance(row.phash, o.phash) : 64,
        same_case: o.caseId === c.id,
      }))
      .filter((o) => o.distance < SIMILAR_PHOTO_DISTANCE)
      .sort((a, b) => a.distance - b.distance);
    await db.transaction(async (tx) => {
      await tx.insert(casePhotos).values(row);
      await audit.append(tx, {
        actor: auditActor(actor),
        action: 'case.photo.add',
        entity: 'case',
        entityId: c.id,
        payload: {
          photoId: row.id,
          sha256: row.sha256,
          phash: row.phash,
          bytes: row.sizeBytes,
          similarInOtherCases: similar.filter((s) => !s.same_case).length,
        },
      });
    });
    return toPhotoDto(row, similar);
  }

  async function listPhotos(actor: Actor, caseId: string) {
    authorize(actor, 'case:read');
    await loadCaseInScope(db, actor, caseId);
    const { content: _content, ...columns } = getTableColumns(casePhotos);
    const rows = await db.select(columns).from(casePhotos).where(eq(casePhotos.caseId, caseId));
    return rows.map((r) => toPhotoDto(r));
  }

  async function getPhotoContent(actor: Actor, caseId: string, photoId: string) {
    authorize(actor, 'case:read');
    await loadCaseInScope(db, actor, caseId);
    const [p] = await db
      .select({ mime: casePhotos.mime, content: casePhotos.content })
      .from(casePhotos)
      .where(and(eq(casePhotos.id, photoId), eq(casePhotos.caseId, caseId)));
    if (!p) throw notFound('photo', photoId);
    return p;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Financials, cross-checks, doubts

  async function analysisInput(actor: Actor, caseId: string) {
    authorize(actor, 'case:read');
    const c = await loadCaseInScope(db, actor, caseId);
    const s = await loadSurvey(caseId);
    if (!s) throw unprocessable('SURVEY_NOT_STARTED', 'The case has no survey answers yet');
    return { c, s, t: templateFor(c, s), answers: values(s.answers as Record<string, StoredAnswer>) };
  }

  /** The rebuilt statements (FINANCIALS_INCOMPLETE while the primary sales route is unanswered). */
  async function getFinancials(actor: Actor, caseId: string) {
    const { c, s, t, answers } = await analysisInput(actor, caseId);
    return {
      case_id: c.id,
      survey_status: s.status,
      template: { id: t.id, version: t.version },
      financials: reconstructFinancials(t, answers),
    };
  }

  async function getCrossChecks(actor: Actor, caseId: string) {
    const { c, s, t, answers } = await analysisInput(actor, caseId);
    const checks = runCrossChecks(reconstructFinancials(t, answers));
    return {
      case_id: c.id,
      survey_status: s.status,
      template: { id: t.id, version: t.version },
      checks,
      doubts: caseDoubts(checks),
    };
  }

  /**
   * The analysis of a case for the interview's question bank, with no caller check (the interview runs for the
   * applicant, not for staff). Without a survey, or while its primary sales route is unanswered, there are no
   * financials: the interview then asks without expectations rather than not at all.
   */
  async function analysisForInterview(caseId: string) {
    const [[c], s] = await Promise.all([caseRowById(db, { id: caseId }), loadSurvey(caseId)]);
    if (!c) throw notFound('case', caseId);
    const t = templateFor(c, s);
    const answers = s ? values(s.answers as Record<string, StoredAnswer>) : {};
    let financials;
    try {
      financials = s ? reconstructFinancials(t, answers) : undefined;
    } catch (e) {
      if (!(e instanceof AppError && e.code === 'FINANCIALS_INCOMPLETE')) throw e;
    }
    const checks = financials ? runCrossChecks(financials) : undefined;
    return {
      sector: c.sector,
      template: { id: t.id, version: t.version },
      answers,
      financials,
      checks,
      doubts: checks ? caseDoubts(checks) : [],
    };
  }

  return {
    analysisForInterview,
    getSurvey,
    saveAnswers,
    submitSurvey,
    addPhoto,
    listPhotos,
    getPhotoContent,
    getFinancials,
    getCrossChecks,
  };
}
