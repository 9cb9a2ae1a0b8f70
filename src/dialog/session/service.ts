/**
 * Interview sessions as a service: start or resume, handle one applicant message, replay, and the time-limit sweep.
 * One lock per session around each turn (Rasa's per-conversation lock), live state kept by the instance that served
 * the session last (checked against the durable version at commit), and every turn committed to the durable store before anything is sent, so an instance may die at any point and
 * another continues without losing or repeating a turn.
 */
import { createHash } from 'node:crypto';
import type { Clock, Ids } from '../../platform/deps.js';
import { AppError, notFound, tooMany, unavailable } from '../../platform/errors.js';
import type { Kv, Lock } from '../../platform/kv/index.js';
import type { Lang, QuestionBank } from '../../questions/types.js';
import { type DialogStore, DuplicateClientMessage } from './store.js';
import {
  DEFAULT_DIALOG_CONFIG,
  type DialogConfig,
  type TurnDeps,
  applyTurn,
  endEvent,
  openSession,
} from './turn.js';
import { RATE_LIMITED } from './texts.js';
import {
  type BotMessage,
  ENDED_STATUSES,
  type ReplayReport,
  type SessionRecord,
  type SessionSnapshot,
  type TranscriptEvent,
  type TurnInput,
  type TurnResult,
} from './types.js';

export interface BankProvider {
  /** The applicant's private question bank, generated from the case. */
  bankFor(caseId: string): Promise<QuestionBank>;
}

export interface RateLimits {
  /** Messages per window before RATE_LIMITED answers. */
  perWindow: number;
  /** Messages per window that end the interview politely as a flood. */
  floodPerWindow: number;
  windowMs: number;
}

export interface DialogServiceDeps extends Omit<TurnDeps, 'config'> {
  store: DialogStore;
  kv: Kv;
  clock: Clock;
  ids: Ids;
  banks: BankProvider;
  config?: Partial<DialogConfig>;
  rateLimits?: Partial<RateLimits>;
  /**
   * Called after a turn is committed (delivery to other instances, recordings), with the session's question bank,
   * which never changes after the session opens.
   */
  onCommitted?: (
    session: SessionRecord,
    events: TranscriptEvent[],
    bank: QuestionBank,
  ) => Promise<void> | void;
}

/**
 * The live states kept in memory: at most this many, and none past SNAPSHOT_IDLE_MS without a turn here. A
 * snapshot holds its question bank (~60 KB of objects); a session whose applicant reconnected to another instance
 * stays behind as a stale copy, and with a bound on count alone those filled the cache on every instance (5,000
 * × ~100 KB: the 1.8–2 GB per server after 10 minutes of bench/ws-load). A dropped one costs one read.
 */
const SNAPSHOT_CACHE_SIZE = 5000;
const SNAPSHOT_IDLE_MS = 120_000;
const LOCK_TTL_MS = 15_000;
const LOCK_WAIT_MS = 5_000;

const lockName = (id: string) => `dialog:turn:${id}`;

export const isEnded = (s: SessionRecord) => ENDED_STATUSES.includes(s.status);

export function toBotMessages(events: readonly TranscriptEvent[]): BotMessage[] {
  const out: BotMessage[] = [];
  for (const e of events) {
    if (e.kind !== 'bot') continue;
    const m: BotMessage = { seq: e.seq, text: e.text, at: e.at };
    if (e.choices) m.choices = e.choices;
    if (e.expects) m.expects = e.expects;
    if (e.questionId) m.questionId = e.questionId;
    out.push(m);
  }
  return out;
}

function seedOf(sessionId: string): number {
  return createHash('sha256').update(sessionId).digest().readUInt32BE(0);
}

export function createDialogService(deps: DialogServiceDeps) {
  const config: DialogConfig = { ...DEFAULT_DIALOG_CONFIG, ...deps.config };
  const limits: RateLimits = { perWindow: 10, floodPerWindow: 40, windowMs: 10_000, ...deps.rateLimits };
  const turnDeps: TurnDeps = { nlu: deps.nlu, model: deps.model, config };
  const { store, kv, clock } = deps;

  /** Runs fn holding the session's lock (Redis across instances): two turns of one session never overlap. */
  async function withLock<T>(sessionId: string, fn: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + LOCK_WAIT_MS;
    let lock: Lock | null = null;
    let wait = 5;
    while (!(lock = await kv.acquireLock(lockName(sessionId), LOCK_TTL_MS))) {
      if (Date.now() > deadline)
        throw unavailable('SESSION_BUSY', 'The interview is busy; try again in a moment');
      await new Promise((r) => setTimeout(r, wait));
      wait = Math.min(wait * 2, 100);
    }
    const held = lock;
    try {
      return await fn();
    } finally {
      // Not awaited: the release goes out with the turn's last writes; a lost release expires with its TTL.
      void held.release().catch(() => false);
    }
  }

  // The live state of the sessions this instance served last, as objects (a turn never mutates one). A snapshot
  // here may be stale when another instance has served the session since: the commit then fails on its version and
  // the turn is recomputed from the durable snapshot, so a stale entry costs time, never correctness.
  // Kept in the order of their last commit here, so the least recently served come first.
  const live = new Map<string, { snapshot: SessionSnapshot; at: number }>();
  const remember = (snapshot: SessionSnapshot) => {
    const id = snapshot.session.id;
    live.delete(id);
    // An ended interview takes no more turns; its state (with its bank, most of the memory) need not stay.
    if (isEnded(snapshot.session)) return;
    const now = clock.now().getTime();
    live.set(id, { snapshot, at: now });
    for (const [oldest, e] of live) {
      if (live.size <= SNAPSHOT_CACHE_SIZE && e.at > now - SNAPSHOT_IDLE_MS) break;
      live.delete(oldest);
    }
  };

  async function loadSnapshot(sessionId: string, fresh: boolean): Promise<SessionSnapshot | null> {
    const cached = fresh ? undefined : live.get(sessionId)?.snapshot;
    if (cached) return cached;
    const snap = await store.loadSnapshot(sessionId);
    if (snap) remember(snap);
    return snap;
  }

  /** Keeps the snapshot and tells the others (delivery to other instances, recordings, scoring). */
  function published(snapshot: SessionSnapshot, events: TranscriptEvent[]): Promise<unknown> {
    remember(snapshot);
    return Promise.resolve(deps.onCommitted?.(snapshot.session, events, snapshot.state.bank));
  }

  type Computed =
    | { snapshot: SessionSnapshot; events: TranscriptEvent[] }
    | { duplicate: number; snapshot: SessionSnapshot };

  /**
   * Commits with the cached snapshot; if the cache was stale, retries once from the durable snapshot. Resolves
   * once committed; `settled` resolves when the cache and the other instances have been told.
   */
  async function commitTurn(
    sessionId: string,
    compute: (snap: SessionSnapshot) => Promise<Computed> | Computed,
  ) {
    for (let attempt = 0; attempt < 2; attempt++) {
      const snap = await loadSnapshot(sessionId, attempt > 0);
      if (!snap) throw notFound('session', sessionId);
      const out = await compute(snap);
      if ('duplicate' in out || out.snapshot === snap) return { ...out, settled: Promise.resolve() };
      if (await store.commit(sessionId, snap.session.lastSeq, out.snapshot, out.events)) {
        return { ...out, settled: published(out.snapshot, out.events) };
      }
      live.delete(sessionId);
    }
    throw new AppError('SESSION_CONFLICT', 409, 'The interview changed underneath this turn; send it again');
  }

  /**
   * The session of an invitation, created on first use with the greeting and first question. Idempotent: a second
   * call (another device, another instance) returns the same session.
   */
  async function startOrResume(input: {
    caseId: string;
    invitationId: string;
    branchPath: string;
    lang: Lang;
  }) {
    const existing = await store.getByInvitation(input.invitationId);
    if (existing) return { session: existing, created: false };
    const bank = await deps.banks.bankFor(input.caseId);
    const now = clock.now();
    const id = deps.ids.uuid();
    const session: SessionRecord = {
      id,
      caseId: input.caseId,
      invitationId: input.invitationId,
      branchPath: input.branchPath,
      lang: input.lang,
      seed: seedOf(id),
      status: 'in_progress',
      budget: config.budget,
      createdAt: now,
      lastActivityAt: now,
      endedAt: null,
      endReason: null,
      lastSeq: 0,
    };
    const { snapshot, events } = openSession(session, bank, turnDeps);
    if (!(await store.create(snapshot, events))) {
      const raced = await store.getByInvitation(input.invitationId);
      if (!raced) throw new AppError('SESSION_CREATE_FAILED', 500, 'Could not create the interview session');
      return { session: raced, created: false };
    }
    await published(snapshot, events);
    return { session: snapshot.session, created: true };
  }

  const duplicateOf = (seq: number, status: SessionRecord['status']): TurnResult => ({
    ackSeq: seq,
    duplicate: true,
    messages: [],
    status,
  });

  /**
   * Handles one applicant message. Duplicates (same clientMsgId) are acknowledged again and not processed: the
   * snapshot remembers the latest ids, and the store's unique index catches any older one.
   */
  async function handleTurn(input: TurnInput): Promise<TurnResult> {
    const nowMs = clock.now().getTime();
    const window = Math.floor(nowMs / limits.windowMs);
    // Issued with the lock, in one round trip to Redis.
    const counted = kv.incr(`dialog:rate:${input.sessionId}:${window}`, { ttlMs: limits.windowMs * 2 });
    let settled: Promise<unknown> = Promise.resolve();
    const result = await withLock(input.sessionId, async () => {
      const count = await counted;
      const flooded = count > limits.floodPerWindow;
      const limited = count > limits.perWindow && !flooded;
      let committed;
      try {
        committed = await commitTurn(input.sessionId, async (snap) => {
          const seen = snap.recentMsgs?.find(([id]) => id === input.clientMsgId);
          if (seen) return { duplicate: seen[1], snapshot: snap };
          if (isEnded(snap.session)) {
            const old = await store.findClientMessage(input.sessionId, input.clientMsgId);
            if (old !== null) return { duplicate: old, snapshot: snap };
            throw new AppError('SESSION_ENDED', 410, 'The interview is over', {
              status: snap.session.status,
            });
          }
          if (limited) {
            throw tooMany('RATE_LIMITED', RATE_LIMITED[snap.session.lang], {
              retryAfterMs: limits.windowMs - (nowMs % limits.windowMs),
            });
          }
          // Snapshots written before `said` existed quote the applicant from the transcript.
          const recent = snap.said
            ? []
            : (await store.eventsAfter(input.sessionId, Math.max(0, snap.session.lastSeq - 60))).map(
                (e) => e.event,
              );
          // A flood keeps the message and ends politely: nothing the applicant sent is dropped.
          return applyTurn(snap, input, clock.now(), turnDeps, recent, flooded ? { endWith: 'flood' } : {});
        });
      } catch (e) {
        if (!(e instanceof DuplicateClientMessage)) throw e;
        const seq = await store.findClientMessage(input.sessionId, input.clientMsgId);
        const s = await store.get(input.sessionId);
        if (seq === null || !s) throw e;
        return duplicateOf(seq, s.status);
      }
      if ('duplicate' in committed)
        return duplicateOf(committed.duplicate, committed.snapshot.session.status);
      settled = committed.settled;
      const { events, snapshot } = committed;
      const applicant = events.find((e) => e.kind === 'applicant')!;
      const end = events.find((e) => e.kind === 'end');
      const out: TurnResult = {
        ackSeq: applicant.seq,
        duplicate: false,
        messages: toBotMessages(events),
        status: snapshot.session.status,
      };
      if (end && end.kind === 'end') out.ended = { seq: end.seq, reason: end.reason, text: end.text };
      return out;
    });
    await settled;
    return result;
  }

  async function transcriptAfter(sessionId: string, afterSeq: number, limit = 1000) {
    return (await store.eventsAfter(sessionId, afterSeq, limit)).map((e) => e.event);
  }

  async function getSession(sessionId: string) {
    return store.get(sessionId);
  }

  /**
   * Applies the time limits: a session idle past the answer limit is paused; one past the interview limit is
   * expired with its closing line. Safe to run on every instance at once (per-session locks).
   */
  async function sweep(limit = 200) {
    const now = clock.now();
    const idle = await store.listIdle(new Date(now.getTime() - config.answerTimeoutMs), limit);
    let paused = 0;
    let expired = 0;
    for (const s of idle) {
      await withLock(s.id, async () => {
        const done = await commitTurn(s.id, (snap) => {
          if (isEnded(snap.session)) return { snapshot: snap, events: [] };
          const limitMs = snap.settings?.interviewTimeoutMs ?? config.interviewTimeoutMs;
          if (now.getTime() - snap.session.createdAt.getTime() > limitMs) {
            expired++;
            const seq = snap.session.lastSeq + 1;
            return {
              snapshot: {
                ...snap,
                awaiting: null,
                session: {
                  ...snap.session,
                  status: 'expired' as const,
                  lastSeq: seq,
                  endedAt: now,
                  endReason: 'expired' as const,
                },
              },
              events: [endEvent(seq, now, 'expired', snap.session.lang)],
            };
          }
          if (snap.session.status === 'paused') return { snapshot: snap, events: [] };
          paused++;
          // Pausing adds nothing to the transcript; the next message resumes the interview.
          return {
            snapshot: { ...snap, session: { ...snap.session, status: 'paused' as const } },
            events: [],
          };
        });
        await done.settled;
      }).catch(() => undefined);
    }
    return { paused, expired };
  }

  /**
   * Recomputes an interview from its recorded applicant messages with its recorded seed, bank and settings, and
   * reports every line that would come out differently. An interview replays exactly unless the code or the answer
   * model changed since: `modelChanged` names the versions when the model did (the lines may then differ).
   */
  async function replay(sessionId: string): Promise<ReplayReport> {
    const snap = await store.loadSnapshot(sessionId);
    if (!snap) throw notFound('session', sessionId);
    const recorded = await transcriptAfter(sessionId, 0, 1_000_000);
    const s0 = snap.session;
    const initial: SessionRecord = {
      ...s0,
      status: 'in_progress',
      lastSeq: 0,
      lastActivityAt: s0.createdAt,
      endedAt: null,
      endReason: null,
    };
    // Without kept settings (snapshots from before them) it opens under the service's current ones.
    const opened = openSession(initial, snap.state.bank, turnDeps, snap.settings);
    let current = opened.snapshot;
    const produced: TranscriptEvent[] = [...opened.events];
    for (let i = 0; i < recorded.length; i++) {
      const e = recorded[i]!;
      if (e.kind === 'applicant') {
        const next = recorded[i + 1];
        const endWith = next?.kind === 'end' && next.reason === 'flood' ? ('flood' as const) : undefined;
        const input: TurnInput = { sessionId, clientMsgId: e.clientMsgId, channel: e.channel, text: e.text };
        if (e.choice !== undefined) input.choice = e.choice;
        const out = applyTurn(current, input, e.at, turnDeps, produced, endWith ? { endWith } : {});
        current = out.snapshot;
        produced.push(...out.events);
      } else if (e.kind === 'end' && recorded[i - 1]?.kind !== 'applicant') {
        // Ends by the time-limit sweep have no applicant message to replay.
        produced.push(e);
        current = { ...current, awaiting: null, session: { ...current.session, lastSeq: e.seq } };
      }
    }
    const differences: ReplayReport['differences'] = [];
    const n = Math.max(recorded.length, produced.length);
    for (let i = 0; i < n; i++) {
      const a = recorded[i];
      const b = produced[i];
      for (const field of ['kind', 'seq', 'text', 'questionId', 'reason'] as const) {
        const va = a ? (a as Record<string, unknown>)[field] : undefined;
        const vb = b ? (b as Record<string, unknown>)[field] : undefined;
        if (JSON.stringify(va) !== JSON.stringify(vb))
          differences.push({ seq: a?.seq ?? b?.seq ?? i + 1, field, recorded: va, replayed: vb });
      }
    }
    const recordedModel = snap.settings?.answerModel;
    return {
      identical: differences.length === 0,
      events: recorded.length,
      differences,
      settings: snap.settings ?? null,
      ...(recordedModel && recordedModel !== deps.model.version
        ? { modelChanged: { recorded: recordedModel, running: deps.model.version } }
        : {}),
    };
  }

  return { startOrResume, handleTurn, transcriptAfter, getSession, sweep, replay, config };
}

export type DialogService = ReturnType<typeof createDialogService>;
