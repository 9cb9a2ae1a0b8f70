/**
 * What the review module needs of the others, as small ports: the dialog's durable store (read only), the cases
 * and screening services, and the scoring pipeline's latest result. The context wires the real services; tests can
 * pass stand-ins.
 */
import type { CasesService } from '../cases/index.js';
import type { StoredEvent } from '../dialog/session/store.js';
import type { ReplayReport, SessionRecord, SessionSnapshot } from '../dialog/session/types.js';
import { isAppError } from '../platform/errors.js';
import type { Actor } from '../platform/identity/permissions.js';
import type { QuestionBank } from '../questions/types.js';
import type { ScreeningService } from '../screening/index.js';

/** The dialog module's store, read only (DialogStore satisfies it). */
export interface DialogReader {
  get(sessionId: string): Promise<SessionRecord | null>;
  loadSnapshot(sessionId: string): Promise<SessionSnapshot | null>;
  /** The interview's question bank alone (the recording's anchor needs no more of its state). */
  loadBank(sessionId: string): Promise<QuestionBank | null>;
  eventsAfter(sessionId: string, afterSeq: number, limit?: number): Promise<StoredEvent[]>;
}

/** The dialog's replay: an interview recomputed from its recorded answers with its own seed, bank and settings. */
export interface DialogReplayer {
  replay(sessionId: string): Promise<ReplayReport>;
}

export type ReviewCasesPort = Pick<
  CasesService,
  | 'getCase'
  | 'caseCards'
  | 'getSurvey'
  | 'getFinancials'
  | 'getCrossChecks'
  | 'listConsents'
  | 'analysisForInterview'
>;

export type ReviewScreeningPort = Pick<ScreeningService, 'get' | 'latestFacts'>;

/**
 * The scoring pipeline's latest result for a case (outcome, reasons, price breakdown, versions, and the feature row
 * it scored), or null when the case has none. `features`, when present, is what an expert's opinion is recorded
 * against as a training example.
 */
export interface PipelineResultView {
  outcome: string;
  reasons?: unknown;
  price?: unknown;
  versions?: unknown;
  features?: Record<string, unknown> | null;
  [key: string]: unknown;
}

export interface PipelineResultPort {
  latest(actor: Actor, caseId: string): Promise<PipelineResultView | null>;
  /** The newest result's outcome per case, for those that have one. */
  latestOutcomes(actor: Actor, caseIds: readonly string[]): Promise<Record<string, string>>;
}

/** Until the scoring pipeline is wired in, the desk shows no result and opinions carry the review's own features. */
export const NO_PIPELINE: PipelineResultPort = { latest: async () => null, latestOutcomes: async () => ({}) };

/** The part of the scoring pipeline service the desk reads (src/scoring/pipeline `latest`). */
export interface PipelineLatest {
  latestOutcomes(actor: Actor, caseIds: readonly string[]): Promise<Record<string, string>>;
  latest(
    actor: Actor,
    caseId: string,
  ): Promise<{
    id: string;
    outcome: string;
    created_at: string;
    versions: unknown;
    result: {
      reasons: unknown;
      price: unknown;
      features: object;
      limit?: unknown;
      grade?: unknown;
      model?: unknown;
      missing?: unknown;
    };
  }>;
}

/** The pipeline's newest result as the desk shows it; null when the case has none (PIPELINE_RESULT_NOT_FOUND). */
export function pipelineResultPort(pipeline: PipelineLatest): PipelineResultPort {
  return {
    latestOutcomes: (actor, caseIds) => pipeline.latestOutcomes(actor, caseIds),
    async latest(actor, caseId) {
      try {
        const r = await pipeline.latest(actor, caseId);
        return {
          id: r.id,
          createdAt: r.created_at,
          outcome: r.outcome,
          reasons: r.result.reasons,
          price: r.result.price,
          versions: r.versions,
          features: r.result.features as Record<string, unknown>,
          limit: r.result.limit ?? null,
          grade: r.result.grade ?? null,
          model: r.result.model ?? null,
          missing: r.result.missing ?? null,
        };
      } catch (e) {
        if (isAppError(e) && e.code === 'PIPELINE_RESULT_NOT_FOUND') return null;
        throw e;
      }
    },
  };
}
