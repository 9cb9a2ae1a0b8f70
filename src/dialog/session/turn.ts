/**
 * One turn of the interview as a pure function: (snapshot, what the applicant sent, time) → the new snapshot and
 * the transcript events to append. No I/O; the NLU and the answer model are passed in. The service wraps it with
 * locking and storage; replay folds it over a recorded transcript.
 */
import { seededRng } from '../../platform/deps.js';
import type { BankQuestion, Lang, QuestionBank } from '../../questions/types.js';
import type { AnswerModel } from '../belief/answer-model.js';
import type { ObservedAnswer } from '../belief/types.js';
import { DEFAULT_BELIEF_CONFIG } from '../belief/update.js';
import { DEFAULT_VERIFY_CONFIG } from '../belief/verify.js';
import type { Nlu } from '../nlu/understand.js';
import type { Understanding } from '../nlu/types.js';
import { DEFAULT_SEARCH, decideNext } from '../policy/decide.js';
import {
  type AskedTurn,
  type InterviewState,
  applyAnswer,
  findQuestion,
  startInterview,
} from '../policy/state.js';
import type { PolicyDecision } from '../policy/types.js';
import { observedFromChoice, toObserved } from './adapter.js';
import { ASIDES, ENDINGS, GENERIC_REPHRASE, GREETING, YES_NO_CHOICES } from './texts.js';
import type {
  Choice,
  EndReason,
  InterviewSettings,
  SessionRecord,
  SessionSnapshot,
  TranscriptEvent,
  TurnInput,
} from './types.js';

export interface DialogConfig {
  /** Most questions per interview, rephrases and follow-ups included. */
  budget: number;
  /** Stop once weighted doubt is at most this share of the total importance. */
  doubtTarget: number;
  /** MCTS iterations per decision. */
  iterations: number;
  /** No answer for this long → paused (resumes on the next message). */
  answerTimeoutMs: number;
  /** An interview not finished this long after it started → expired. */
  interviewTimeoutMs: number;
  /** Answers in a row that say nothing (don't know, refuse, unreadable) before ending politely. */
  maxEmptyStreak: number;
  /** Longest answer kept, in characters. */
  maxAnswerChars: number;
}

export const DEFAULT_DIALOG_CONFIG: DialogConfig = {
  budget: 12,
  doubtTarget: 0.3,
  iterations: DEFAULT_SEARCH.iterations,
  answerTimeoutMs: 10 * 60_000,
  interviewTimeoutMs: 24 * 3600_000,
  maxEmptyStreak: 5,
  maxAnswerChars: 2000,
};

export interface TurnDeps {
  nlu: Nlu;
  model: AnswerModel;
  config: DialogConfig;
}

/** The settings an interview opened now runs under: the service's configuration and its answer model's version. */
export function settingsOf(config: DialogConfig, model: AnswerModel): InterviewSettings {
  const { horizon, discount, exploration, topK, greedyAtBudgetEnd } = DEFAULT_SEARCH;
  return {
    iterations: config.iterations,
    doubtTarget: config.doubtTarget,
    maxEmptyStreak: config.maxEmptyStreak,
    maxAnswerChars: config.maxAnswerChars,
    interviewTimeoutMs: config.interviewTimeoutMs,
    answerModel: model.version,
    belief: DEFAULT_BELIEF_CONFIG,
    verify: DEFAULT_VERIFY_CONFIG,
    search: { horizon, discount, exploration, topK, greedyAtBudgetEnd: greedyAtBudgetEnd === true },
  };
}

/** The dependencies a session's turn runs with: its own recorded settings over the service's configuration. */
export function depsFor(settings: InterviewSettings | undefined, deps: TurnDeps): TurnDeps {
  if (!settings) return deps;
  const { answerModel: _version, belief: _belief, verify: _verify, search: _search, ...own } = settings;
  return { ...deps, config: { ...deps.config, ...own } };
}

/** A decision's own random stream: the session seed mixed with the turn number (splitmix32 finaliser). */
export function rngFor(seed: number, turn: number) {
  let h = (seed ^ Math.imul(turn + 1, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return seededRng((h ^ (h >>> 16)) >>> 0);
}

function decide(
  state: InterviewState,
  session: SessionRecord,
  deps: TurnDeps,
  settings: InterviewSettings | undefined,
): PolicyDecision {
  return decideNext(state, {
    rng: rngFor(session.seed, state.turns.length),
    model: deps.model,
    budget: session.budget,
    doubtTarget: deps.config.doubtTarget,
    iterations: deps.config.iterations,
    // Settings kept before `greedyAtBudgetEnd` existed ran without it: absent there is false, not the default.
    ...(settings?.search ? { greedyAtBudgetEnd: false, ...settings.search } : {}),
    ...(settings?.belief ? { beliefConfig: settings.belief } : {}),
  });
}

function choicesOf(q: BankQuestion, lang: Lang): Choice[] | undefined {
  if (q.answerType === 'yes_no') return YES_NO_CHOICES[lang];
  if (q.choices?.length) return q.choices.map((c) => ({ id: c.id, label: c.label[lang] }));
  return undefined;
}

/** Client message ids a snapshot remembers for the duplicate check. */
export const RECENT_MSGS = 32;

const quote = (s: string) => {
  const t = s.replace(/\s+/g, ' ').trim();
  return `“${t.length > 40 ? `${t.slice(0, 40)}…` : t}”`;
};

/** The applicant's own words for a question, latest first, from the transcript (snapshots without `said`). */
function ownWords(events: readonly TranscriptEvent[], questionId: string): string | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.kind === 'applicant' && e.questionId === questionId && e.text) return quote(e.text);
  }
  return undefined;
}

/** Where a follow-up finds the applicant's quoted words for a question id. */
export type Quotes = (questionId: string) => string | undefined;

export const quotesFrom =
  (said: Readonly<Record<string, string>> | undefined, recent: readonly TranscriptEvent[]): Quotes =>
  (id) =>
    said ? said[id] : ownWords(recent, id);

/** The words of the question as put: its text, its rephrasing, or its follow-up quoting the applicant. */
export function wordingOf(
  q: BankQuestion,
  asked: AskedTurn,
  lang: Lang,
  quotes: Quotes,
  crossWith?: string,
): string {
  if (asked.mode === 'rephrase') return q.rephrase[lang] || GENERIC_REPHRASE[lang];
  if (asked.mode === 'follow_up' && asked.followUpOf === q.id) {
    const own = quotes(q.id);
    const earlier = crossWith ? quotes(crossWith) : undefined;
    const template = earlier && q.followUpCross ? q.followUpCross[lang] : q.followUp[lang];
    if (own) {
      return template.replaceAll('{own_answer}', own).replaceAll('{earlier_answer}', earlier ?? '');
    }
    return q.rephrase[lang];
  }
  return q.text[lang];
}

function botEvent(
  seq: number,
  at: Date,
  q: BankQuestion,
  asked: AskedTurn,
  decision: PolicyDecision,
  lang: Lang,
  quotes: Quotes,
  crossWith?: string,
): TranscriptEvent {
  const e: TranscriptEvent = {
    kind: 'bot',
    seq,
    at,
    text: wordingOf(q, asked, lang, quotes, crossWith),
    expects: q.answerType,
    questionId: q.id,
    mode: asked.mode,
    reasons: decision.reasons,
  };
  const choices = choicesOf(q, lang);
  if (choices) e.choices = choices;
  return e;
}

export const endEvent = (seq: number, at: Date, reason: EndReason, lang: Lang): TranscriptEvent => ({
  kind: 'end',
  seq,
  at,
  reason,
  text: ENDINGS[reason][lang],
});

/** The first snapshot and events of a new session: the greeting and the first question (or an end). */
export function openSession(
  session: SessionRecord,
  bank: QuestionBank,
  deps: TurnDeps,
  /** The settings to open under: the service's now, or a recorded interview's for its replay. */
  settings: InterviewSettings = settingsOf(deps.config, deps.model),
): { snapshot: SessionSnapshot; events: TranscriptEvent[] } {
  deps = depsFor(settings, deps);
  const state = startInterview(bank, deps.model, settings.belief);
  const at = session.createdAt;
  const events: TranscriptEvent[] = [{ kind: 'bot', seq: 1, at, text: GREETING[session.lang] }];
  const decision = decide(state, session, deps, settings);
  let awaiting: AskedTurn | null = null;
  let status = session.status;
  if (decision.chosen) {
    const q = findQuestion(bank, decision.chosen.questionId);
    events.push(botEvent(2, at, q, decision.chosen, decision, session.lang, () => undefined));
    awaiting = decision.chosen;
  } else {
    const reason = decision.stop?.reason ?? 'no_questions';
    events.push(endEvent(2, at, reason, session.lang));
    status = 'completed';
  }
  const s: SessionRecord = { ...session, status, lastSeq: events.length, endedAt: awaiting ? null : at };
  if (!awaiting) s.endReason = decision.stop?.reason ?? 'no_questions';
  return {
    snapshot: {
      session: s,
      settings,
      state,
      awaiting,
      emptyStreak: 0,
      said: {},
      recentMsgs: [],
    },
    events,
  };
}

export interface TurnOutcome {
  snapshot: SessionSnapshot;
  events: TranscriptEvent[];
}

/**
 * Applies one applicant message. The applicant's own words are quoted back from the snapshot's `said`; `recent`, the
 * transcript so far, is read only for snapshots written before `said` existed. The caller has checked that the
 * session is live and the message is not a duplicate.
 */
export function applyTurn(
  snap: SessionSnapshot,
  input: TurnInput,
  now: Date,
  deps: TurnDeps,
  recent: readonly TranscriptEvent[] = [],
  opts: { endWith?: EndReason } = {},
): TurnOutcome {
  deps = depsFor(snap.settings, deps);
  const { session } = snap;
  const lang = session.lang;
  let seq = session.lastSeq;
  // A quick reply pressed without words (the WebSocket's buttons) is recorded with its label, as the applicant saw
  // it: a recording's reader sees 是, not an empty line. Only when no text came at all, so a recording made before
  // (its text '') replays as it was.
  const asked = snap.awaiting;
  const q = asked ? findQuestion(snap.state.bank, asked.questionId) : undefined;
  const pressed =
    input.text === undefined && input.choice !== undefined && q
      ? choicesOf(q, lang)?.find((c) => c.id === input.choice)?.label
      : undefined;
  const text = (input.text ?? pressed ?? '').slice(0, deps.config.maxAnswerChars);
  const applicant: Extract<TranscriptEvent, { kind: 'applicant' }> = {
    kind: 'applicant',
    seq: ++seq,
    at: now,
    clientMsgId: input.clientMsgId,
    channel: input.channel,
    text,
  };
  if (input.choice !== undefined) applicant.choice = input.choice;
  if (input.media?.length) applicant.media = input.media;
  const events: TranscriptEvent[] = [applicant];
  const recentMsgs: [string, number][] = [
    ...(snap.recentMsgs ?? []).slice(-(RECENT_MSGS - 1)),
    [input.clientMsgId, applicant.seq],
  ];
  const end = (reason: EndReason, state: InterviewState): TurnOutcome => {
    events.push(endEvent(++seq, now, reason, lang));
    const status = reason === 'expired' ? 'expired' : reason === 'applicant_left' ? 'abandoned' : 'completed';
    return {
      snapshot: {
        ...snap,
        state,
        awaiting: null,
        recentMsgs,
        session: { ...session, status, lastSeq: seq, lastActivityAt: now, endedAt: now, endReason: reason },
      },
      events,
    };
  };

  if (opts.endWith) return end(opts.endWith, snap.state);
  if (now.getTime() - session.createdAt.getTime() > deps.config.interviewTimeoutMs)
    return end('expired', snap.state);
  if (!asked || !q) return end('no_questions', snap.state);
  applicant.questionId = q.id;

  let observed: ObservedAnswer | null =
    input.choice !== undefined ? observedFromChoice(input.choice, q) : null;
  if (!observed) {
    const u: Understanding = deps.nlu.understand(text, {
      answerType: q.answerType,
      ...(q.unit ? { unit: q.unit } : {}),
      ...(q.choices ? { choices: q.choices } : {}),
      lang,
    });
    applicant.understanding = u;
    if (u.intent === 'wants_person') return end('wants_person', snap.state);
    observed = toObserved(u, q, now);
  }
  applicant.observed = observed;

  // The kept settings carry the belief and verification rules (TurnConfig's fields) the interview opened under.
  const state = applyAnswer(snap.state, asked, observed, deps.model, snap.settings ?? {});
  const last = state.turns.at(-1);
  if (last) applicant.verifications = last.verifications;
  const emptyStreak = observed.kind === 'none' ? snap.emptyStreak + 1 : 0;
  if (emptyStreak >= deps.config.maxEmptyStreak) return end('refused_all', state);

  const decision = decide(state, session, deps, snap.settings);
  if (!decision.chosen) return end(decision.stop?.reason ?? 'no_questions', state);
  const nq = findQuestion(state.bank, decision.chosen.questionId);
  const cross = last?.verifications.find((v) => v.crossCheck)?.crossCheck?.againstQuestionId;
  const said = snap.said && text ? { ...snap.said, [q.id]: quote(text) } : snap.said;
  const quotes = quotesFrom(said, snap.said ? [] : [...recent, applicant]);
  // A question put to the interviewer (why it asks, whether it is a machine) is answered before its own goes again.
  const aside = applicant.understanding?.aside;
  if (aside) events.push({ kind: 'bot', seq: ++seq, at: now, text: ASIDES[aside][lang] });
  events.push(botEvent(++seq, now, nq, decision.chosen, decision, lang, quotes, cross));
  const next: SessionSnapshot = {
    session: { ...session, status: 'in_progress', lastSeq: seq, lastActivityAt: now },
    ...(snap.settings ? { settings: snap.settings } : {}),
    state,
    awaiting: decision.chosen,
    emptyStreak,
    recentMsgs,
  };
  if (said) next.said = said;
  return { snapshot: next, events };
}
