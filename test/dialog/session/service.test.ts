import { describe, expect, it } from 'vitest';
import { DEFAULT_ANSWER_MODEL } from '../../../src/dialog/belief/answer-model.js';
import { drawProfile, createRespondent } from '../../../src/dialog/sim/respondent.js';
import {
  createMemoryDialogStore,
  verifyEventChain,
  type DialogStore,
} from '../../../src/dialog/session/store.js';
import { fakeClock, seededRng } from '../../../src/platform/deps.js';
import { createMemoryKv } from '../../../src/platform/kv/index.js';
import type { QuestionBank } from '../../../src/questions/types.js';
import type { BotMessage, InterviewSettings, SessionSnapshot } from '../../../src/dialog/session/types.js';
import { DEFAULT_BELIEF_CONFIG } from '../../../src/dialog/belief/update.js';
import { DEFAULT_VERIFY_CONFIG } from '../../../src/dialog/belief/verify.js';
import {
  DEFAULT_DIALOG_CONFIG,
  applyTurn,
  openSession,
  settingsOf,
} from '../../../src/dialog/session/turn.js';
import { newSessionRecord, syntheticBank } from '../../../src/dialog/sim/fixtures.js';
import { say } from '../../support/say.js';
import { harness, nlu } from './harness.js';

const start = (h: ReturnType<typeof harness>, invitationId = 'inv-1') =>
  h.service.startOrResume({ caseId: 'case-1', invitationId, branchPath: '/a/b/', lang: 'zh-CN' });

async function lastQuestion(h: ReturnType<typeof harness>, sessionId: string): Promise<BotMessage> {
  const events = await h.service.transcriptAfter(sessionId, 0);
  const bot = events.filter((e) => e.kind === 'bot').at(-1);
  if (!bot || bot.kind !== 'bot') throw new Error('no question');
  return {
    seq: bot.seq,
    text: bot.text,
    at: bot.at,
    ...(bot.questionId ? { questionId: bot.questionId } : {}),
    ...(bot.choices ? { choices: bot.choices } : {}),
  };
}

/** Answers a whole interview with a simulated applicant of the given type; returns the session id and turns. */
async function runInterview(
  h: ReturnType<typeof harness>,
  type: 'honest' | 'fabricating',
  seed = 7,
  invitationId = 'inv-1',
) {
  const { session } = await start(h, invitationId);
  const snap = await h.store.loadSnapshot(session.id);
  const bank = snap!.state.bank as QuestionBank;
  const rng = seededRng(seed);
  const respondent = createRespondent(drawProfile(bank, type, rng), rng);
  let turns = 0;
  for (;;) {
    const s = await h.service.getSession(session.id);
    if (!s || ['completed', 'abandoned', 'expired'].includes(s.status)) break;
    const q = await lastQuestion(h, session.id);
    const question = bank.questions.find((x) => x.id === q.questionId)!;
    const words = say(respondent.answer(question), question);
    h.clock.advance(20_000);
    await h.service.handleTurn({
      sessionId: session.id,
      clientMsgId: `m-${turns}`,
      channel: 'test',
      ...words,
    });
    if (++turns > 40) throw new Error('interview did not end');
  }
  return { sessionId: session.id, turns };
}

describe('dialog sessions', () => {
  it('opens with a greeting and a first question, and resumes the same session for the same invitation', async () => {
    const h = harness();
    const a = await start(h);
    expect(a.created).toBe(true);
    const events = await h.service.transcriptAfter(a.session.id, 0);
    expect(events.map((e) => [e.kind, e.seq])).toEqual([
      ['bot', 1],
      ['bot', 2],
    ]);
    const b = await start(h);
    expect(b).toMatchObject({ created: false, session: { id: a.session.id } });
  });

  it('acknowledges an answer with its seq and asks the next question', async () => {
    const h = harness();
    const { session } = await start(h);
    const res = await h.service.handleTurn({
      sessionId: session.id,
      clientMsgId: 'c1',
      channel: 'test',
      text: '一天大概三千多',
    });
    expect(res.ackSeq).toBe(3);
    expect(res.duplicate).toBe(false);
    expect(res.messages[0]?.seq).toBe(4);
    expect(res.messages[0]?.text.length).toBeGreaterThan(3);
  });

  it('processes a retried message once and acknowledges it again', async () => {
    const h = harness();
    const { session } = await start(h);
    const first = await h.service.handleTurn({
      sessionId: session.id,
      clientMsgId: 'same',
      channel: 'test',
      text: '3000',
    });
    const again = await h.service.handleTurn({
      sessionId: session.id,
      clientMsgId: 'same',
      channel: 'test',
      text: '3000',
    });
    expect(again).toMatchObject({ ackSeq: first.ackSeq, duplicate: true, messages: [] });
    expect((await h.service.transcriptAfter(session.id, 0)).length).toBe(4);
  });

  it('acknowledges a retry of a message older than the snapshot remembers, through the store', async () => {
    const store = createMemoryDialogStore();
    const kv = createMemoryKv({ clock: fakeClock(new Date('2026-05-01T02:00:00Z')) });
    const h = harness({ store, kv });
    const { session } = await start(h);
    const first = await h.service.handleTurn({
      sessionId: session.id,
      clientMsgId: 'old',
      channel: 't',
      text: '3000',
    });
    // The snapshot forgets the id (as after RECENT_MSGS newer messages): the unique id in the store still holds.
    const snap = (await store.loadSnapshot(session.id))!;
    await store.commit(session.id, snap.session.lastSeq, { ...snap, recentMsgs: [] }, []);
    // Another instance, which reads the durable snapshot.
    const other = harness({ store, kv });
    const before = await h.service.transcriptAfter(session.id, 0);
    const again = await other.service.handleTurn({
      sessionId: session.id,
      clientMsgId: 'old',
      channel: 't',
      text: '3000',
    });
    expect(again).toMatchObject({ ackSeq: first.ackSeq, duplicate: true, messages: [] });
    expect(await h.service.transcriptAfter(session.id, 0)).toEqual(before);
  });

  it('quotes the applicant back the same from a snapshot written before it kept their words', async () => {
    const run = async (legacy: boolean, seed: number) => {
      const store = createMemoryDialogStore();
      const clock = fakeClock(new Date('2026-05-01T02:00:00Z'));
      const kv = createMemoryKv({ clock });
      // One question per fact, so a follow-up puts the clashing question again, quoting the answer.
      const quoting = (b: QuestionBank): QuestionBank => ({
        ...b,
        questions: b.questions
          .filter((q, i, all) => all.findIndex((x) => x.factIds[0] === q.factIds[0]) === i)
          .map((q) => ({
            ...q,
            followUp: { 'zh-CN': '您刚才说{own_answer}，能再说说吗？', 'en-US': 'You said {own_answer}?' },
            followUpCross: {
              'zh-CN': '您刚才说{own_answer}，前面说的是{earlier_answer}？',
              'en-US': 'You said {own_answer}, earlier {earlier_answer}?',
            },
          })),
      });
      const overrides = {
        banks: { bankFor: async (caseId: string) => quoting({ ...syntheticBank('grocery'), caseId }) },
      };
      const h = harness({ store, kv, clock, overrides });
      const { session } = await start(h);
      const bank = (await store.loadSnapshot(session.id))!.state.bank;
      const rng = seededRng(seed);
      const respondent = createRespondent(drawProfile(bank, 'fabricating', rng), rng);
      const texts: string[] = [];
      for (let i = 0; i < 40; i++) {
        const snap = (await store.loadSnapshot(session.id))!;
        if (!snap.awaiting) break;
        if (legacy) {
          const { said: _said, ...old } = snap;
          await store.commit(session.id, snap.session.lastSeq, old, []);
        }
        const question = bank.questions.find((x) => x.id === snap.awaiting!.questionId)!;
        clock.advance(20_000);
        // Legacy: each turn on a fresh instance, which reads the snapshot without `said` from the store.
        const res = await (legacy ? harness({ store, kv, clock, overrides }) : h).service.handleTurn({
          sessionId: session.id,
          clientMsgId: `c${i}`,
          channel: 't',
          ...say(respondent.answer(question), question),
        });
        texts.push(...res.messages.map((m) => m.text));
      }
      return texts;
    };
    let quoted = 0;
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const now = await run(false, seed);
      expect(await run(true, seed)).toEqual(now);
      quoted += now.filter((t) => t.includes('“')).length;
    }
    expect(quoted).toBeGreaterThan(0);
  });

  it.each([
    '',
    '   ',
    '😀😀😀',
    '<script>alert(1)</script>',
    'x'.repeat(50_000),
    "'; DROP TABLE cases; --",
    'I have no idea what you mean',
  ])('rephrases or moves on after an answer it cannot use (%#) and never fails', async (text) => {
    const h = harness();
    const { session } = await start(h);
    const res = await h.service.handleTurn({
      sessionId: session.id,
      clientMsgId: 'c1',
      channel: 'test',
      text,
    });
    expect(res.ackSeq).toBe(3);
    expect(res.messages.length + (res.ended ? 1 : 0)).toBeGreaterThan(0);
    const stored = (await h.service.transcriptAfter(session.id, 2))[0];
    expect(stored?.kind === 'applicant' && stored.text.length).toBeLessThanOrEqual(2000);
  });

  it('ends politely when the applicant asks for a person', async () => {
    const h = harness();
    const { session } = await start(h);
    const res = await h.service.handleTurn({
      sessionId: session.id,
      clientMsgId: 'c1',
      channel: 'test',
      text: '我要转人工，找客户经理',
    });
    expect(res.ended?.reason).toBe('wants_person');
    expect(res.status).toBe('completed');
    await expect(
      h.service.handleTurn({ sessionId: session.id, clientMsgId: 'c2', channel: 'test', text: '3000' }),
    ).rejects.toMatchObject({
      code: 'SESSION_ENDED',
    });
  });

  it('answers a question put to it — whether it is a machine, why it asks — before asking its own again', async () => {
    const h = harness();
    const { session } = await start(h);
    const first = await lastQuestion(h, session.id);
    const robot = await h.service.handleTurn({
      sessionId: session.id,
      clientMsgId: 'r1',
      channel: 'test',
      text: '你是机器人吗？',
    });
    expect(robot.messages).toHaveLength(2);
    expect(robot.messages[0]!.text).toContain('不是真人');
    expect(robot.messages[0]!.text).toContain('转人工');
    expect(robot.messages[0]!.questionId).toBeUndefined();
    // The same question again, in other words.
    expect(robot.messages[1]!.questionId).toBe(first.questionId);
    h.clock.advance(3000);
    const why = await h.service.handleTurn({
      sessionId: session.id,
      clientMsgId: 'r2',
      channel: 'test',
      text: '你问这个干嘛',
    });
    expect(why.messages[0]!.text).toContain('额度和利率');
    expect(why.messages.at(-1)!.questionId).toBeDefined();
    // Seqs stay gap-free, and an answer that is an answer gets no such line.
    const events = await h.service.transcriptAfter(session.id, 0);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    h.clock.advance(3000);
    const plain = await h.service.handleTurn({
      sessionId: session.id,
      clientMsgId: 'r3',
      channel: 'test',
      text: '一天三千',
    });
    expect(plain.messages.every((m) => m.questionId !== undefined)).toBe(true);
  });

  it('rate-limits a burst and ends a flood politely, keeping every message it accepted', async () => {
    const h = harness({ overrides: { rateLimits: { perWindow: 3, floodPerWindow: 5, windowMs: 60_000 } } });
    const { session } = await start(h);
    const codes: string[] = [];
    for (let i = 0; i < 6; i++) {
      try {
        const r = await h.service.handleTurn({
          sessionId: session.id,
          clientMsgId: `f${i}`,
          channel: 'test',
          text: '2000',
        });
        codes.push(r.ended ? `ended:${r.ended.reason}` : 'ok');
      } catch (e) {
        codes.push((e as { code: string }).code);
      }
    }
    expect(codes).toEqual(['ok', 'ok', 'ok', 'RATE_LIMITED', 'RATE_LIMITED', 'ended:flood']);
    const applicantLines = (await h.service.transcriptAfter(session.id, 0)).filter(
      (e) => e.kind === 'applicant',
    );
    expect(applicantLines.map((e) => e.kind === 'applicant' && e.clientMsgId)).toEqual([
      'f0',
      'f1',
      'f2',
      'f5',
    ]);
  });

  it('completes a whole simulated interview within the budget with a gap-free, hash-chained transcript', async () => {
    const h = harness();
    const { sessionId, turns } = await runInterview(h, 'honest');
    expect(turns).toBeLessThanOrEqual(h.service.config.budget);
    const stored = await h.store.eventsAfter(sessionId, 0);
    expect(stored.map((e) => e.event.seq)).toEqual(stored.map((_, i) => i + 1));
    expect(verifyEventChain(stored)).toBeNull();
    expect(stored.at(-1)?.event.kind).toBe('end');
    const bots = stored.filter((e) => e.event.kind === 'bot' && e.event.questionId);
    for (const b of bots) expect(b.event.kind === 'bot' && b.event.reasons?.rule).toBeTruthy();
  });

  it('records a quick reply pressed without words with its label, and replays it — and one recorded before, with no text — exactly', async () => {
    const h = harness();
    const { session } = await start(h);
    let pressed = 0;
    for (let i = 0; i < 12; i++) {
      const q = await lastQuestion(h, session.id);
      // The first press as such a recording holds it (text ''), the others as a button sends them (no text).
      const body = q.choices?.length
        ? { choice: q.choices[0]!.id, ...(pressed === 0 ? { text: '' } : {}) }
        : { text: '一天三千左右' };
      if ('choice' in body) pressed++;
      h.clock.advance(3000);
      const r = await h.service.handleTurn({
        sessionId: session.id,
        clientMsgId: `p${i}`,
        channel: 'test',
        ...body,
      });
      if (r.ended) break;
    }
    const events = await h.service.transcriptAfter(session.id, 0);
    const presses = events.flatMap((e, i) => (e.kind === 'applicant' && e.choice !== undefined ? [i] : []));
    expect(presses.length).toBeGreaterThan(1);
    for (const [n, i] of presses.entries()) {
      const e = events[i]!;
      if (e.kind !== 'applicant') throw new Error('not an answer');
      const asked = events.slice(0, i).findLast((x) => x.kind === 'bot' && x.questionId);
      const label = asked?.kind === 'bot' ? asked.choices?.find((c) => c.id === e.choice)?.label : undefined;
      expect(label).toBeDefined();
      expect(e.text).toBe(n === 0 ? '' : label);
    }
    expect((await h.service.replay(session.id)).differences).toEqual([]);
  });

  it('replays a recorded interview exactly from its seed', async () => {
    const h = harness();
    const { sessionId } = await runInterview(h, 'fabricating', 11);
    const r = await h.service.replay(sessionId);
    expect(r.differences).toEqual([]);
    expect(r.identical).toBe(true);
  });

  it('replays an interview with the settings it ran under, after the service has been reconfigured', async () => {
    const store = createMemoryDialogStore();
    const h = harness({ store, overrides: { config: { iterations: 150, doubtTarget: 0.3 } } });
    const { sessionId } = await runInterview(h, 'fabricating', 11);
    const recorded = (await store.loadSnapshot(sessionId))!.settings!;
    expect(recorded).toMatchObject({
      iterations: 150,
      doubtTarget: 0.3,
      answerModel: DEFAULT_ANSWER_MODEL.version,
    });
    // The same interview under a service configured otherwise since, with another model version running.
    const later = harness({
      store,
      overrides: {
        config: { iterations: 7, doubtTarget: 0.9, maxEmptyStreak: 1 },
        model: { ...DEFAULT_ANSWER_MODEL, version: 'next-model' },
      },
    });
    const r = await later.service.replay(sessionId);
    expect(r.settings).toEqual(recorded);
    expect(r.modelChanged).toEqual({ recorded: DEFAULT_ANSWER_MODEL.version, running: 'next-model' });
    // The model's content is the same here, so the lines are too: only the version was renamed.
    expect(r.differences).toEqual([]);
    // Without the kept settings (a snapshot from before they were kept) the reconfigured service decides otherwise.
    const bare = createMemoryDialogStore();
    const snap = (await store.loadSnapshot(sessionId))!;
    const { settings: _s, ...withoutSettings } = snap;
    await bare.create(
      withoutSettings,
      (await store.eventsAfter(sessionId, 0)).map((e) => e.event),
    );
    const legacy = await harness({
      store: bare,
      overrides: { config: { iterations: 7, doubtTarget: 0.9 } },
    }).service.replay(sessionId);
    expect(legacy.settings).toBeNull();
    expect(legacy.identical).toBe(false);
  });

  const rulesAt = new Date('2026-05-01T02:00:00Z');
  const rulesBank = { ...syntheticBank('grocery'), caseId: 'case-1' };
  const rulesDeps = {
    nlu,
    model: DEFAULT_ANSWER_MODEL,
    config: { ...DEFAULT_DIALOG_CONFIG, iterations: 60 },
  };
  const withoutSettings = ({ settings: _s, ...rest }: SessionSnapshot): SessionSnapshot => rest;
  /**
   * A fabricating applicant's interview run under `own`, stored with `kept` as its settings (undefined: none kept,
   * as before settings were); the store and the questions asked.
   */
  const recordUnder = async (own: InterviewSettings, kept: InterviewSettings | undefined, seed = 99) => {
    const store = createMemoryDialogStore();
    const session = newSessionRecord('rules-1', 'inv-rules', rulesAt, { branchPath: '/a/b/', seed });
    const opened = openSession(session, rulesBank, rulesDeps, own);
    let snap = opened.snapshot;
    await store.create(kept ? { ...snap, settings: kept } : withoutSettings(snap), opened.events);
    const rng = seededRng(5 + seed);
    const respondent = createRespondent(drawProfile(rulesBank, 'fabricating', rng), rng);
    for (let i = 0; snap.awaiting && i < 30; i++) {
      const q = rulesBank.questions.find((x) => x.id === snap.awaiting!.questionId)!;
      const input = {
        sessionId: session.id,
        clientMsgId: `m${i}`,
        channel: 'test',
        ...say(respondent.answer(q), q),
      };
      const out = applyTurn(snap, input, new Date(rulesAt.getTime() + (i + 1) * 20_000), rulesDeps);
      const stored = kept ? { ...out.snapshot, settings: kept } : withoutSettings(out.snapshot);
      expect(await store.commit(session.id, snap.session.lastSeq, stored, out.events)).toBe(true);
      snap = out.snapshot;
    }
    const events = await store.eventsAfter(session.id, 0);
    const why = events.flatMap((e) =>
      e.event.kind === 'bot' && e.event.reasons ? [e.event.reasons.why] : [],
    );
    return { store, why };
  };
  const replayOf = async (store: Awaited<ReturnType<typeof recordUnder>>['store']) =>
    harness({ store, overrides: { config: rulesDeps.config } }).service.replay('rules-1');

  it('replays with the belief and verification rules and the look-ahead the interview ran under, not the code’s current ones', async () => {
    const current = settingsOf(rulesDeps.config, rulesDeps.model);
    // Recorded under rules other than today's: a lower bar for a follow-up and a contradiction, one question ahead.
    const own: InterviewSettings = {
      ...current,
      belief: { ...DEFAULT_BELIEF_CONFIG, followUpBelow: 0.85, contradictedBelow: 0.5 },
      verify: { ...DEFAULT_VERIFY_CONFIG, approxSlack: 0.15 },
      search: { ...current.search!, horizon: 1 },
    };
    const kept = await replayOf((await recordUnder(own, own)).store);
    expect(kept.differences).toEqual([]);
    expect(kept.settings).toEqual(own);
    // The same recording without its rules (as before they were kept) is recomputed under today's, and differs.
    const lost = await replayOf((await recordUnder(own, undefined)).store);
    expect(lost.identical).toBe(false);
  });

  it('replays an interview kept before the one-step rule at the end of the budget without it', async () => {
    const current = settingsOf(rulesDeps.config, rulesDeps.model);
    expect(current.search?.greedyAtBudgetEnd).toBe(true);
    // Settings as kept before the rule existed: the look-ahead's four fields only.
    const { greedyAtBudgetEnd: _new, ...before } = current.search!;
    const old: InterviewSettings = { ...current, search: before };
    const atEnd = (why: string[]) => why.filter((w) => /reaches the end of the budget/.test(w)).length;
    let heldBack = 0;
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const recorded = await recordUnder(old, old, seed);
      expect((await replayOf(recorded.store)).differences).toEqual([]);
      expect(atEnd(recorded.why)).toBe(0);
      // The same applicant under today's settings: the search's favourite is held back at the end now and then.
      heldBack += atEnd((await recordUnder(current, current, seed)).why);
    }
    expect(heldBack).toBeGreaterThan(0);
  });

  it('keeps an interview on its own settings when the service is reconfigured half-way (a rolling change)', async () => {
    const store = createMemoryDialogStore();
    const clock = fakeClock(new Date('2026-05-01T02:00:00Z'));
    const kv = createMemoryKv({ clock });
    const before = harness({
      store,
      kv,
      clock,
      overrides: { config: { iterations: 150, maxEmptyStreak: 5 } },
    });
    const { session } = await start(before);
    // A new instance, configured to end an interview at the first answer that says nothing, takes the next turns.
    const after = harness({
      store,
      kv,
      clock,
      overrides: { config: { iterations: 150, maxEmptyStreak: 1 } },
    });
    clock.advance(20_000);
    const r = await after.service.handleTurn({
      sessionId: session.id,
      clientMsgId: 'dk',
      channel: 'test',
      text: '不知道',
    });
    expect(r.status).toBe('in_progress');
    // An interview opened after the change runs under the new setting.
    const fresh = await start(after, 'inv-2');
    clock.advance(20_000);
    const r2 = await after.service.handleTurn({
      sessionId: fresh.session.id,
      clientMsgId: 'dk2',
      channel: 'test',
      text: '不知道',
    });
    expect(r2.status).toBe('completed');
  });

  it('detects an edited transcript line through the hash chain', async () => {
    const h = harness();
    const { sessionId } = await runInterview(h, 'honest', 3);
    const stored = await h.store.eventsAfter(sessionId, 0);
    const edited = stored.map((e) =>
      e.event.seq === 3 && e.event.kind === 'applicant' ? { ...e, event: { ...e.event, text: '5000' } } : e,
    );
    expect(verifyEventChain(edited)).toBe(3);
  });

  it('continues on a fresh instance after the first died before committing, without losing or repeating the turn', async () => {
    const shared = harness();
    const { session } = await start(shared);
    // Instance A computes the turn but dies before its commit reaches the store.
    const dying: DialogStore = {
      ...shared.store,
      commit: async () => Promise.reject(new Error('instance killed')),
    };
    const a = harness({ store: dying, kv: shared.kv, clock: shared.clock });
    await expect(
      a.service.handleTurn({ sessionId: session.id, clientMsgId: 'k1', channel: 'test', text: '3000' }),
    ).rejects.toThrow('instance killed');
    // Instance B, with its own empty cache, gets the client's retry of the same message.
    const b = harness({
      store: shared.store,
      kv: createMemoryKv({ clock: shared.clock }),
      clock: shared.clock,
    });
    const res = await b.service.handleTurn({
      sessionId: session.id,
      clientMsgId: 'k1',
      channel: 'test',
      text: '3000',
    });
    expect(res).toMatchObject({ ackSeq: 3, duplicate: false });
    const again = await shared.service.handleTurn({
      sessionId: session.id,
      clientMsgId: 'k1',
      channel: 'test',
      text: '3000',
    });
    expect(again).toMatchObject({ ackSeq: 3, duplicate: true });
    const kinds = (await shared.service.transcriptAfter(session.id, 0)).map((e) => `${e.seq}:${e.kind}`);
    expect(kinds).toEqual(['1:bot', '2:bot', '3:applicant', '4:bot']);
  });

  it('uses the durable snapshot when another instance committed after this one cached', async () => {
    const shared = harness();
    const { session } = await start(shared);
    const other = harness({
      store: shared.store,
      kv: createMemoryKv({ clock: shared.clock }),
      clock: shared.clock,
    });
    // Both instances have cached seq 2; the other one commits a turn.
    await other.service.handleTurn({
      sessionId: session.id,
      clientMsgId: 'x1',
      channel: 'test',
      text: '3000',
    });
    const res = await shared.service.handleTurn({
      sessionId: session.id,
      clientMsgId: 'x2',
      channel: 'test',
      text: '4000',
    });
    expect(res.ackSeq).toBe(5);
    const seqs = (await shared.service.transcriptAfter(session.id, 0)).map((e) => e.seq);
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('drops a live state idle for two minutes from memory, and the next turn reads it from the store', async () => {
    const store = createMemoryDialogStore();
    let reads = 0;
    const counting: DialogStore = {
      ...store,
      loadSnapshot: (id) => {
        reads++;
        return store.loadSnapshot(id);
      },
    };
    const h = harness({ store: counting });
    const { session } = await start(h);
    const answer = (id: string, n: number) =>
      h.service.handleTurn({ sessionId: id, clientMsgId: `c${n}`, channel: 'test', text: '3000' });
    await answer(session.id, 1);
    expect(reads).toBe(0);
    h.clock.advance(60_000);
    await answer(session.id, 2);
    expect(reads).toBe(0);
    // Two minutes without a turn here (the applicant went to another instance, say), then any commit sweeps.
    h.clock.advance(121_000);
    await start(h, 'inv-2');
    const res = await answer(session.id, 3);
    expect(reads).toBe(1);
    expect(res.ackSeq).toBe(7);
  });

  it('serialises concurrent turns of one session', async () => {
    const h = harness();
    const { session } = await start(h);
    const results = await Promise.all(
      ['p1', 'p2', 'p3'].map((id) =>
        h.service.handleTurn({ sessionId: session.id, clientMsgId: id, channel: 'test', text: '3000' }),
      ),
    );
    expect(results.map((r) => r.ackSeq).sort()).toEqual([3, 5, 7]);
  });

  it('pauses an idle interview and expires one past its time limit', async () => {
    const h = harness();
    const { session } = await start(h);
    h.clock.advance(11 * 60_000);
    expect(await h.service.sweep()).toEqual({ paused: 1, expired: 0 });
    expect((await h.service.getSession(session.id))?.status).toBe('paused');
    const resumed = await h.service.handleTurn({
      sessionId: session.id,
      clientMsgId: 'r1',
      channel: 'test',
      text: '3000',
    });
    expect(resumed.status).toBe('in_progress');
    h.clock.advance(25 * 3600_000);
    expect(await h.service.sweep()).toEqual({ paused: 0, expired: 1 });
    const events = await h.service.transcriptAfter(session.id, 0);
    expect(events.at(-1)).toMatchObject({ kind: 'end', reason: 'expired' });
  });
});
