/**
 * Interview sessions: the durable record, the transcript events and the live snapshot. Domain types only.
 */
import type { BeliefConfig } from '../belief/update.js';
import type { VerifyConfig } from '../belief/verify.js';
import type { Lang, Localized } from '../../questions/types.js';
import type { ObservedAnswer, Verification } from '../belief/types.js';
import type { Understanding } from '../nlu/types.js';
import type { AskedTurn, InterviewState } from '../policy/state.js';
import type { DecisionReasons, StopReason } from '../policy/types.js';

/**
 * invited → verifying_identity → consented are the invitation's steps (src/cases); the dialog session exists from
 * `consented` on. `paused`: no answer within the answer time limit, resumes on the next message.
 */
export type SessionStatus =
  | 'invited'
  | 'verifying_identity'
  | 'consented'
  | 'in_progress'
  | 'paused'
  | 'completed'
  | 'abandoned'
  | 'expired';

export const ENDED_STATUSES: readonly SessionStatus[] = ['completed', 'abandoned', 'expired'];
/** Every status that is not an end: a session row that may still take turns. */
export const LIVE_STATUSES: readonly SessionStatus[] = [
  'invited',
  'verifying_identity',
  'consented',
  'in_progress',
  'paused',
];

export type EndReason = StopReason | 'wants_person' | 'flood' | 'expired' | 'abandoned' | 'refused_all';

export interface SessionRecord {
  id: string;
  caseId: string;
  invitationId: string;
  /** Branch path of the case, for staff data scope. */
  branchPath: string;
  lang: Lang;
  seed: number;
  status: SessionStatus;
  budget: number;
  createdAt: Date;
  lastActivityAt: Date;
  endedAt: Date | null;
  endReason: EndReason | null;
  /** The highest transcript seq; also the optimistic-concurrency version of the snapshot. */
  lastSeq: number;
}

export interface Choice {
  id: string;
  label: string;
}

/** One line of the transcript. Bot lines and applicant lines share one seq per session. */
export type TranscriptEvent =
  | {
      kind: 'bot';
      seq: number;
      at: Date;
      text: string;
      choices?: Choice[];
      expects?: string;
      questionId?: string;
      mode?: AskedTurn['mode'];
      /** Why this question, for compliance: the policy's rule and top alternatives. */
      reasons?: DecisionReasons;
    }
  | {
      kind: 'applicant';
      seq: number;
      at: Date;
      clientMsgId: string;
      channel: string;
      text: string;
      choice?: string;
      /** The question this answers, its parse and what it did to the belief. */
      questionId?: string;
      understanding?: Understanding;
      observed?: ObservedAnswer;
      verifications?: Verification[];
      media?: { kind: 'voice' | 'image'; ref: string }[];
    }
  | { kind: 'end'; seq: number; at: Date; reason: EndReason; text: string };

/**
 * The settings an interview runs under, fixed when it opens and kept in its snapshot: every turn of it, on any
 * instance, and its replay later use these, not whatever the service is configured with by then (a rolling change
 * of settings does not change an interview half-way, and an old interview still replays exactly). `answerModel` is
 * the version of the answer model it opened with; the model itself comes with the code.
 */
export interface InterviewSettings {
  iterations: number;
  doubtTarget: number;
  maxEmptyStreak: number;
  maxAnswerChars: number;
  interviewTimeoutMs: number;
  answerModel: string;
  /** The belief's rules (starting doubt, follow-up and contradiction thresholds…); absent: the code's defaults. */
  belief?: BeliefConfig;
  /** How answers are compared with expectations (slack of approximations, strengths, clash bar); absent: defaults. */
  verify?: VerifyConfig;
  /** The search's look-ahead; absent: the code's defaults. */
  search?: {
    horizon: number;
    discount: number;
    exploration: number;
    topK: number;
    /** Absent in settings kept before the rule: false (src/dialog/policy/types.ts, `SearchOptions`). */
    greedyAtBudgetEnd?: boolean;
  };
}

/** An interview recomputed from its recorded answers, compared line by line with its recording. */
export interface ReplayReport {
  identical: boolean;
  /** Lines recorded. */
  events: number;
  differences: { seq: number; field: string; recorded: unknown; replayed: unknown }[];
  /** The settings it ran under; null for interviews recorded before settings were kept. */
  settings: InterviewSettings | null;
  /** When the running answer model is not the one the interview ran with. */
  modelChanged?: { recorded: string; running: string };
}

export interface SessionSnapshot {
  session: SessionRecord;
  /** Absent in snapshots written before settings were kept (their turns use the service's configuration). */
  settings?: InterviewSettings;
  state: InterviewState;
  /** The question waiting for its answer. */
  awaiting: AskedTurn | null;
  /** Consecutive answers that said nothing (rephrase budget). */
  emptyStreak: number;
  /**
   * The applicant's latest words per question id, as quoted back in a follow-up, so a turn needs no read of the
   * transcript. Absent in snapshots written before it existed (the turn then reads the transcript).
   */
  said?: Record<string, string>;
  /**
   * Client message ids of the latest applicant messages with their seqs, newest last: a retried delivery is
   * recognised without a query. Older duplicates are caught by the store's unique index.
   */
  recentMsgs?: [clientMsgId: string, seq: number][];
}

/** What the applicant sent, after the channel translated it. */
export interface TurnInput {
  sessionId: string;
  clientMsgId: string;
  channel: string;
  text?: string;
  choice?: string;
  media?: { kind: 'voice' | 'image'; ref: string }[];
}

export interface BotMessage {
  seq: number;
  text: string;
  choices?: Choice[];
  expects?: string;
  questionId?: string;
  at: Date;
}

export interface TurnResult {
  /** The seq the applicant's message was stored with. */
  ackSeq: number;
  duplicate: boolean;
  messages: BotMessage[];
  ended?: { seq: number; reason: EndReason; text: string };
  status: SessionStatus;
}

export type LocalizedText = Localized;
